// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the OpenSSL unit tests (see testcert.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "testcert.h"

static char dir[64];

const char *tc_dir(void)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/hs-unit-XXXXXX");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			exit(1);
		}
	}
	return dir;
}

void tc_cleanup(void)
{
	char cmd[128];

	if (!dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
	dir[0] = '\0';
}

int tc_cert(const char *name, const char *cn, const char *san, bool rsa)
{
	EVP_PKEY *pkey = rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *n;
	char path[256];
	FILE *f;
	int r = -1;

	if (!pkey || !x)
		goto out;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, pkey);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, n);
	if (san) {
		X509V3_CTX ctx;
		X509_EXTENSION *ext;

		X509V3_set_ctx_nodb(&ctx);
		X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, san);
		if (!ext || !X509_add_ext(x, ext, -1))
			goto out;
		X509_EXTENSION_free(ext);
	}
	if (!X509_sign(x, pkey, EVP_sha256()))
		goto out;
	snprintf(path, sizeof(path), "%s/%s.pem", tc_dir(), name);
	f = fopen(path, "w");
	if (!f || !PEM_write_X509(f, x))
		goto out;
	fclose(f);
	snprintf(path, sizeof(path), "%s/%s.key", tc_dir(), name);
	f = fopen(path, "w");
	if (!f || !PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL))
		goto out;
	fclose(f);
	r = 0;
out:
	X509_free(x);
	EVP_PKEY_free(pkey);
	return r;
}

static void move(BIO *from, BIO *to)
{
	char buf[4096];
	int n;

	while ((n = BIO_read(from, buf, sizeof(buf))) > 0)
		BIO_write(to, buf, n);
}

static int alpn_wire(const char *list, unsigned char *out, size_t cap)
{
	size_t n = 0;
	const char *p = list;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (n + 1 + len > cap)
			return -1;
		out[n++] = (unsigned char)len;
		memcpy(out + n, p, len);
		n += len;
		p += len + (comma ? 1 : 0);
	}
	return (int)n;
}

int tc_handshake(SSL *server, const struct tc_client *cc, SSL **clientp,
		 BIO **to_server, int *server_err)
{
	SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
	BIO *s_in = BIO_new(BIO_s_mem()), *s_out = BIO_new(BIO_s_mem());
	BIO *c_in = BIO_new(BIO_s_mem()), *c_out = BIO_new(BIO_s_mem());
	bool cdone = false, sdone = false;
	SSL *c;
	int i;

	*server_err = 0;
	SSL_CTX_set_security_level(cctx, 0);
	if (cc->min_version)
		SSL_CTX_set_min_proto_version(cctx, cc->min_version);
	if (cc->max_version)
		SSL_CTX_set_max_proto_version(cctx, cc->max_version);
	if (cc->ciphers)
		SSL_CTX_set_cipher_list(cctx, cc->ciphers);
	if (cc->suites)
		SSL_CTX_set_ciphersuites(cctx, cc->suites);
	if (cc->alpn) {
		unsigned char wire[256];
		int n = alpn_wire(cc->alpn, wire, sizeof(wire));

		if (n > 0)
			SSL_CTX_set_alpn_protos(cctx, wire, (unsigned int)n);
	}
	c = SSL_new(cctx);
	SSL_CTX_free(cctx);
	SSL_set_connect_state(c);
	if (cc->sni)
		SSL_set_tlsext_host_name(c, cc->sni);
	if (cc->session)
		SSL_set_session(c, cc->session);
	SSL_set_bio(c, c_in, c_out);
	SSL_set_bio(server, s_in, s_out);
	*clientp = c;
	*to_server = s_in;

	for (i = 0; i < 32 && !(cdone && sdone); i++) {
		int r;

		if (!cdone) {
			r = SSL_do_handshake(c);
			if (r == 1) {
				cdone = true;
				if (cc->early_write)
					SSL_write(c, cc->early_write, (int)strlen(cc->early_write));
			} else if (SSL_get_error(c, r) != SSL_ERROR_WANT_READ)
				cdone = true;	/* failed: the server sees it */
		}
		move(c_out, s_in);
		if (!sdone) {
			r = SSL_do_handshake(server);
			if (r == 1) {
				sdone = true;
			} else {
				int e = SSL_get_error(server, r);

				if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
					*server_err = e;
					move(s_out, c_in);
					SSL_do_handshake(c);
					return 0;
				}
			}
		}
		move(s_out, c_in);
	}
	return SSL_is_init_finished(c) && SSL_is_init_finished(server);
}

int tc_pump(SSL *server, SSL *client)
{
	BIO *s_in = SSL_get_rbio(server), *s_out = SSL_get_wbio(server);
	BIO *c_in = SSL_get_rbio(client), *c_out = SSL_get_wbio(client);
	int r = 0, i;

	for (i = 0; i < 8; i++) {
		move(c_out, s_in);
		r = SSL_do_handshake(server);
		move(s_out, c_in);
		if (r == 1)
			break;
	}
	return r;
}

void tc_peer_cn(SSL *client, char *buf, size_t len)
{
	X509 *x = SSL_get1_peer_certificate(client);

	buf[0] = '\0';
	if (x) {
		X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf, (int)len);
		X509_free(x);
	}
}
