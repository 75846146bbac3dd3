// SPDX-License-Identifier: GPL-2.0
/*
 * splicer-handshaked: certificate sets and the TLS settings (see tlsctx.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "log.h"
#include "ticket.h"
#include "tlsctx.h"

/*
 * Mozilla's "intermediate" TLS 1.2 list, in its order: AEAD only, every one
 * of them a cipher kTLS takes. TLS 1.3: the three suites kTLS takes (no
 * CCM). Each with the kTLS cipher it needs.
 */
static const struct {
	const char *name;
	int ktls;
} tls12_ciphers[] = {
	{ "ECDHE-ECDSA-AES128-GCM-SHA256", HS_KTLS_AES_GCM_128 },
	{ "ECDHE-RSA-AES128-GCM-SHA256", HS_KTLS_AES_GCM_128 },
	{ "ECDHE-ECDSA-AES256-GCM-SHA384", HS_KTLS_AES_GCM_256 },
	{ "ECDHE-RSA-AES256-GCM-SHA384", HS_KTLS_AES_GCM_256 },
	{ "ECDHE-ECDSA-CHACHA20-POLY1305", HS_KTLS_CHACHA20 },
	{ "ECDHE-RSA-CHACHA20-POLY1305", HS_KTLS_CHACHA20 },
	{ "DHE-RSA-AES128-GCM-SHA256", HS_KTLS_AES_GCM_128 },
	{ "DHE-RSA-AES256-GCM-SHA384", HS_KTLS_AES_GCM_256 },
	{ "DHE-RSA-CHACHA20-POLY1305", HS_KTLS_CHACHA20 },
}, tls13_suites[] = {
	{ "TLS_AES_128_GCM_SHA256", HS_KTLS_AES_GCM_128 },
	{ "TLS_AES_256_GCM_SHA384", HS_KTLS_AES_GCM_256 },
	{ "TLS_CHACHA20_POLY1305_SHA256", HS_KTLS_CHACHA20 },
};

#define KEY_FILE_MAX	(1 << 20)

struct hs_certset {
	atomic_int refs;
	struct hs_service *svcs;	/* sorted by name */
	size_t nsvcs;
};

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hs_certset *current;

void hs_tls_state_wipe(struct hs_tls_state *st)
{
	OPENSSL_cleanse(st->rx_secret, sizeof(st->rx_secret));
	st->rx_secret_len = 0;
}

/* ---- callbacks -------------------------------------------------------- */

static int sni_cb(SSL *ssl, int *alert, void *arg)
{
	struct hs_tls_state *st = SSL_get_app_data(ssl);
	const char *host = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	const struct hs_cert *cert;

	(void)alert;
	(void)arg;
	if (!st || !st->svc)
		return SSL_TLSEXT_ERR_OK;
	cert = hs_service_pick(st->svc, host);
	if (cert != st->cert) {
		if (SSL_set_SSL_CTX(ssl, cert->ctx) != cert->ctx)
			return SSL_TLSEXT_ERR_ALERT_FATAL;
		st->cert = cert;
	}
	return SSL_TLSEXT_ERR_OK;
}

static int alpn_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen,
		   const unsigned char *in, unsigned int inlen, void *arg)
{
	struct hs_tls_state *st = SSL_get_app_data(ssl);
	unsigned int i = 0;

	(void)arg;
	while (i < inlen) {
		unsigned int n = in[i];

		if (n == 0 || i + 1 + n > inlen)
			break;
		if (n == 8 && !memcmp(in + i + 1, "http/1.1", 8)) {
			*out = in + i + 1;
			*outlen = 8;
			return SSL_TLSEXT_ERR_OK;
		}
		i += 1 + n;
	}
	/* no_application_protocol (RFC 7301): we speak HTTP/1.1 only */
	if (st)
		st->alpn_refused = true;
	return SSL_TLSEXT_ERR_ALERT_FATAL;
}

static void keylog_cb(const SSL *ssl, const char *line)
{
	struct hs_tls_state *st = SSL_get_app_data(ssl);

	/* OpenSSL wipes 'line' after this returns; we keep only this secret */
	if (st)
		(void)hs_keylog_secret(line, "CLIENT_TRAFFIC_SECRET_0", st->rx_secret,
				       &st->rx_secret_len);
}

static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return 0;
}

/* ---- building --------------------------------------------------------- */

__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hs_err("%s", msg);
	if (errlen && !err[0])
		snprintf(err, errlen, "%s", msg);
}

/*
 * The private key of 'path': read into our own buffer (so its PEM is
 * wiped, not left in a stdio buffer), parsed, the buffer wiped.
 */
static EVP_PKEY *load_key(const char *path, char *why, size_t whylen)
{
	EVP_PKEY *pkey = NULL;
	struct stat st;
	unsigned char *buf = NULL;
	size_t len = 0, cap;
	BIO *bio;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > KEY_FILE_MAX) {
		snprintf(why, whylen, "not a regular file of at most %d bytes", KEY_FILE_MAX);
		close(fd);
		return NULL;
	}
	cap = (size_t)st.st_size + 1;
	buf = OPENSSL_secure_malloc(cap);
	if (!buf) {
		snprintf(why, whylen, "out of memory");
		close(fd);
		return NULL;
	}
	while (len < cap) {
		ssize_t n = read(fd, buf + len, cap - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				snprintf(why, whylen, "%s", strerror(errno));
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	if (len >= cap) {
		snprintf(why, whylen, "changed while being read");
		goto out;
	}
	if (why[0])
		goto out;
	bio = BIO_new_mem_buf(buf, (int)len);
	if (!bio) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	ERR_clear_error();
	pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	BIO_free(bio);
	if (!pkey) {
		char ssl[256];

		hs_ssl_errors(ssl, sizeof(ssl));
		snprintf(why, whylen, "no usable private key (%s; encrypted keys are not supported)",
			 ssl[0] ? ssl : "unknown error");
	}
out:
	OPENSSL_secure_clear_free(buf, cap);
	return pkey;
}

static void warn_validity(const char *svc, const char *path, X509 *x)
{
	if (X509_cmp_current_time(X509_get0_notAfter(x)) < 0)
		hs_warn("service %s: certificate %s has expired", svc, path);
	else if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0)
		hs_warn("service %s: certificate %s is not valid yet", svc, path);
}

void hs_cipher_lists(int ktls_mask, char *ciphers, size_t clen, char *suites, size_t slen)
{
	size_t i, n;

	if (ktls_mask <= 0)
		ktls_mask = HS_KTLS_ALL;
	ciphers[0] = suites[0] = '\0';
	for (i = 0, n = 0; i < sizeof(tls12_ciphers) / sizeof(tls12_ciphers[0]); i++)
		if ((tls12_ciphers[i].ktls & ktls_mask) && n < clen)
			n += (size_t)snprintf(ciphers + n, clen - n, "%s%s", n ? ":" : "",
					      tls12_ciphers[i].name);
	for (i = 0, n = 0; i < sizeof(tls13_suites) / sizeof(tls13_suites[0]); i++)
		if ((tls13_suites[i].ktls & ktls_mask) && n < slen)
			n += (size_t)snprintf(suites + n, slen - n, "%s%s", n ? ":" : "",
					      tls13_suites[i].name);
}

static SSL_CTX *ctx_new(const char *svc, const struct hs_cert_cfg *c, long lifetime,
			int ktls_mask, char *err, size_t errlen)
{
	char ssl[512], why[512] = "", ciphers[512], suites[128];
	EVP_PKEY *pkey;
	SSL_CTX *ctx;
	uint64_t opts;

	ERR_clear_error();
	ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx) {
		set_err(err, errlen, "service %s: cannot create an SSL context", svc);
		return NULL;
	}
	hs_cipher_lists(ktls_mask, ciphers, sizeof(ciphers), suites, sizeof(suites));
	opts = SSL_OP_ENABLE_KTLS | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
	       SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_PRIORITIZE_CHACHA;
	if (!lifetime)
		opts |= SSL_OP_NO_TICKET;
	SSL_CTX_set_options(ctx, opts);
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_cipher_list(ctx, ciphers) ||
	    !SSL_CTX_set_ciphersuites(ctx, suites) ||
	    !SSL_CTX_set_dh_auto(ctx, 1) ||
	    !SSL_CTX_set_session_id_context(ctx, (const unsigned char *)svc, (unsigned int)strlen(svc))) {
		hs_ssl_errors(ssl, sizeof(ssl));
		set_err(err, errlen, "service %s: TLS settings refused: %s", svc, ssl);
		goto fail;
	}
	SSL_CTX_set_read_ahead(ctx, 0);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (lifetime) {
		SSL_CTX_set_timeout(ctx, lifetime);
		SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, hs_ticket_cb);
	} else {
		SSL_CTX_set_num_tickets(ctx, 0);
	}
	SSL_CTX_set_tlsext_servername_callback(ctx, sni_cb);
	SSL_CTX_set_alpn_select_cb(ctx, alpn_cb, NULL);
	SSL_CTX_set_keylog_callback(ctx, keylog_cb);

	if (SSL_CTX_use_certificate_chain_file(ctx, c->cert) != 1) {
		hs_ssl_errors(ssl, sizeof(ssl));
		set_err(err, errlen, "service %s: certificate %s (line %d): %s", svc, c->cert,
			c->line, access(c->cert, R_OK) ? strerror(errno) : ssl);
		goto fail;
	}
	pkey = load_key(c->key, why, sizeof(why));
	if (!pkey) {
		set_err(err, errlen, "service %s: key %s (line %d): %s", svc, c->key, c->line, why);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey(ctx, pkey) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
		EVP_PKEY_free(pkey);
		hs_ssl_errors(ssl, sizeof(ssl));
		set_err(err, errlen, "service %s: key %s does not fit certificate %s (line %d): %s",
			svc, c->key, c->cert, c->line, ssl);
		goto fail;
	}
	EVP_PKEY_free(pkey);
	warn_validity(svc, c->cert, SSL_CTX_get0_certificate(ctx));
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

static void service_free(struct hs_service *s)
{
	size_t i, j;

	for (i = 0; i < s->ncerts; i++) {
		struct hs_cert *c = &s->certs[i];

		SSL_CTX_free(c->ctx);
		for (j = 0; j < c->nsni; j++)
			free(c->sni[j]);
		free(c->sni);
		free(c->path);
	}
	free(s->certs);
}

static void set_free(struct hs_certset *set)
{
	size_t i;

	for (i = 0; i < set->nsvcs; i++)
		service_free(&set->svcs[i]);
	free(set->svcs);
	free(set);
}

static int svc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hs_service *)a)->name, ((const struct hs_service *)b)->name);
}

static int cert_build(const char *svc, const struct hs_cert_cfg *cc, long lifetime,
		      int ktls_mask, struct hs_cert *c, char *err, size_t errlen)
{
	size_t i;

	c->ctx = ctx_new(svc, cc, lifetime, ktls_mask, err, errlen);
	if (!c->ctx)
		return -1;
	c->path = strdup(cc->cert);
	c->sni = cc->nsni ? calloc(cc->nsni, sizeof(*c->sni)) : NULL;
	if (!c->path || (cc->nsni && !c->sni))
		goto nomem;
	for (i = 0; i < cc->nsni; i++) {
		c->sni[i] = strdup(cc->sni[i]);
		if (!c->sni[i])
			goto nomem;
		c->nsni++;
	}
	return 0;
nomem:
	set_err(err, errlen, "service %s: out of memory", svc);
	return -1;
}

struct hs_certset *hs_certset_build(const struct hs_config *cfg, long ticket_lifetime,
				    int ktls_mask, char *err, size_t errlen)
{
	struct hs_certset *set;
	size_t i, j;
	int failed = 0;

	if (errlen)
		err[0] = '\0';
	set = calloc(1, sizeof(*set));
	if (!set || (cfg->nservices && !(set->svcs = calloc(cfg->nservices, sizeof(*set->svcs))))) {
		free(set);
		set_err(err, errlen, "out of memory");
		return NULL;
	}
	atomic_init(&set->refs, 1);
	for (i = 0; i < cfg->nservices; i++) {
		const struct hs_service_cfg *sc = &cfg->services[i];
		struct hs_service *s = &set->svcs[set->nsvcs++];

		snprintf(s->name, sizeof(s->name), "%s", sc->name);
		s->certs = calloc(sc->ncerts, sizeof(*s->certs));
		if (!s->certs) {
			set_err(err, errlen, "out of memory");
			failed = 1;
			break;
		}
		/* every line, so that one run names every broken file */
		for (j = 0; j < sc->ncerts; j++) {
			if (cert_build(sc->name, &sc->certs[j], ticket_lifetime, ktls_mask,
				       &s->certs[s->ncerts], err, errlen)) {
				failed = 1;
				SSL_CTX_free(s->certs[s->ncerts].ctx);
				free(s->certs[s->ncerts].path);
				for (size_t k = 0; k < s->certs[s->ncerts].nsni; k++)
					free(s->certs[s->ncerts].sni[k]);
				free(s->certs[s->ncerts].sni);
				memset(&s->certs[s->ncerts], 0, sizeof(s->certs[0]));
				continue;
			}
			s->ncerts++;
		}
	}
	if (failed) {
		set_free(set);
		return NULL;
	}
	qsort(set->svcs, set->nsvcs, sizeof(*set->svcs), svc_cmp);
	return set;
}

/* ---- sets ------------------------------------------------------------- */

void hs_certset_get(struct hs_certset *set)
{
	atomic_fetch_add_explicit(&set->refs, 1, memory_order_relaxed);
}

void hs_certset_put(struct hs_certset *set)
{
	if (set && atomic_fetch_sub_explicit(&set->refs, 1, memory_order_acq_rel) == 1)
		set_free(set);
}

void hs_certset_publish(struct hs_certset *set)
{
	struct hs_certset *old;

	pthread_mutex_lock(&current_lock);
	old = current;
	current = set;
	pthread_mutex_unlock(&current_lock);
	hs_certset_put(old);
}

struct hs_certset *hs_certset_current(void)
{
	struct hs_certset *set;

	pthread_mutex_lock(&current_lock);
	set = current;
	if (set)
		hs_certset_get(set);
	pthread_mutex_unlock(&current_lock);
	return set;
}

size_t hs_certset_services(const struct hs_certset *set)
{
	return set->nsvcs;
}

const struct hs_service *hs_certset_service(const struct hs_certset *set, const char *name)
{
	struct hs_service key;

	if (!set->nsvcs || strlen(name) >= sizeof(key.name))
		return NULL;
	snprintf(key.name, sizeof(key.name), "%s", name);
	return bsearch(&key, set->svcs, set->nsvcs, sizeof(*set->svcs), svc_cmp);
}

/* Does the certificate of c (a line without sni) name host? */
static bool cert_names(const struct hs_cert *c, const char *host, bool wildcards)
{
	X509 *x = SSL_CTX_get0_certificate(c->ctx);
	unsigned int flags = wildcards ? X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS
				       : X509_CHECK_FLAG_NO_WILDCARDS;

	return x && X509_check_host(x, host, strlen(host), flags, NULL) == 1;
}

const struct hs_cert *hs_service_pick(const struct hs_service *svc, const char *host)
{
	size_t i, j;
	int pass;

	if (!host || !host[0] || svc->ncerts == 1)
		return &svc->certs[0];
	for (pass = 0; pass < 4; pass++) {
		bool wild = pass >= 2;

		for (i = 0; i < svc->ncerts; i++) {
			const struct hs_cert *c = &svc->certs[i];

			if (pass % 2 == 1) {
				if (!c->nsni && cert_names(c, host, wild))
					return c;
				continue;
			}
			for (j = 0; j < c->nsni; j++)
				if ((c->sni[j][0] == '*') == wild && hs_host_match(c->sni[j], host))
					return c;
		}
	}
	return &svc->certs[0];
}

SSL *hs_ssl_new(const struct hs_service *svc, struct hs_tls_state *st)
{
	SSL *ssl = SSL_new(svc->certs[0].ctx);

	if (!ssl)
		return NULL;
	st->svc = svc;
	st->cert = &svc->certs[0];
	SSL_set_app_data(ssl, st);
	SSL_set_accept_state(ssl);
	SSL_set_read_ahead(ssl, 0);
	return ssl;
}
