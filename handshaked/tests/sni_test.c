// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for handshaked/tlsctx.c and ticket.c, with the daemon's own
 * SSL_CTXs handshaking over memory BIOs: the certificate chosen for a
 * server name (explicit sni, the certificate's names, wildcards, the
 * default, and their precedence), service lookup, what a client gets
 * (versions, ciphers, ALPN http/1.1 only), session tickets in TLS 1.2 and
 * 1.3 (resumption, rotation, no tickets with lifetime 0, no resumption
 * across services), broken certificate sets, and the cipher lists per kTLS
 * capability. Run by "make -C handshaked check".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "../config.h"
#include "../ktls.h"
#include "../log.h"
#include "../ticket.h"
#include "../tlsctx.h"
#include "testcert.h"

static int passed, failed;

#define CHECK(cond, ...) \
	do { \
		if (cond) { \
			passed++; \
		} else { \
			failed++; \
			printf("FAIL %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__); \
			putchar('\n'); \
		} \
	} while (0)

static struct hs_certset *build(const char *text, long lifetime)
{
	struct hs_config cfg;
	struct hs_certset *set;
	char path[256], err[512];

	snprintf(path, sizeof(path), "%s/h.conf", tc_dir());
	if (hs_config_parse(text, strlen(text), path, &cfg, err, sizeof(err))) {
		printf("config: %s\n", err);
		return NULL;
	}
	set = hs_certset_build(&cfg, lifetime, HS_KTLS_ALL, err, sizeof(err));
	if (!set)
		printf("build: %s\n", err);
	hs_config_free(&cfg);
	return set;
}

static const char *conf =
	"service web cert def.pem key def.key\n"
	"service web cert a.pem key a.key\n"
	"service web cert b.pem key b.key sni b.example *.b.example\n"
	"service web cert c.pem key c.key\n"
	"service api cert b.pem key b.key\n";

static void test_pick(struct hs_certset *set)
{
	const struct hs_service *web = hs_certset_service(set, "web");
	static const struct {
		const char *host;
		int want;
	} cases[] = {
		{ NULL, 0 }, { "", 0 },
		{ "a.example", 1 }, { "A.EXAMPLE", 1 },	/* the certificate's SAN */
		{ "y.wild.example", 1 },		/* its SAN wildcard */
		{ "x.wild.example", 3 },		/* exact (c's SAN) beats a's wildcard */
		{ "b.example", 2 }, { "q.b.example", 2 },	/* explicit, explicit wildcard */
		{ "q.r.b.example", 0 },
		{ "default.example", 0 },
		{ "c.example", 0 },		/* a CN does not count next to a SAN */
		{ "unknown.example", 0 },
	};
	size_t i;

	CHECK(web && web->ncerts == 4, "web: 4 certificates");
	CHECK(hs_certset_services(set) == 2, "2 services");
	CHECK(hs_certset_service(set, "api") != NULL, "api");
	CHECK(!hs_certset_service(set, "nope") && !hs_certset_service(set, ""), "no such service");
	CHECK(!hs_certset_service(set, "0123456789012345678901234567890123456789"), "long name");
	if (!web)
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct hs_cert *c = hs_service_pick(web, cases[i].host);

		CHECK(c == &web->certs[cases[i].want], "pick(%s): certificate %ld, want %d",
		      cases[i].host ? cases[i].host : "NULL", (long)(c - web->certs), cases[i].want);
	}
}

/* A handshake with service svc; returns the client (caller frees) or NULL on failure. */
static SSL *shake(const struct hs_service *svc, struct tc_client *cc, SSL **serverp,
		  struct hs_tls_state *st)
{
	SSL *server, *client;
	BIO *to_server;
	int err;

	memset(st, 0, sizeof(*st));
	server = hs_ssl_new(svc, st);

	if (!tc_handshake(server, cc, &client, &to_server, &err)) {
		ERR_clear_error();
		*serverp = server;
		SSL_free(client);
		return NULL;
	}
	*serverp = server;
	return client;
}

/* The client reads what came after the handshake (TLS 1.3 tickets). */
static SSL_SESSION *session_of(SSL *client)
{
	char b;

	(void)SSL_read(client, &b, 1);
	ERR_clear_error();
	return SSL_get1_session(client);
}

static void test_handshakes(struct hs_certset *set)
{
	const struct hs_service *web = hs_certset_service(set, "web");
	struct hs_tls_state st;
	struct tc_client cc;
	SSL *server, *client;
	const unsigned char *alpn;
	unsigned int alpnlen;
	char cn[128];

	/* TLS 1.3, SNI for an explicit name */
	cc = (struct tc_client){ .sni = "b.example" };
	client = shake(web, &cc, &server, &st);
	CHECK(client, "TLS 1.3 with SNI b.example");
	if (client) {
		tc_peer_cn(client, cn, sizeof(cn));
		CHECK(!strcmp(cn, "b.example"), "served %s, want b.example", cn);
		CHECK(st.cert == &web->certs[2], "state: certificate 2");
		CHECK(SSL_version(server) == TLS1_3_VERSION, "TLS 1.3 chosen");
		CHECK(st.rx_secret_len == 32, "client traffic secret kept (%zu bytes)", st.rx_secret_len);
		SSL_get0_alpn_selected(client, &alpn, &alpnlen);
		CHECK(alpnlen == 0, "no ALPN asked, none chosen");
		hs_tls_state_wipe(&st);
		CHECK(st.rx_secret_len == 0 && st.rx_secret[0] == 0 && st.rx_secret[31] == 0, "wiped");
		SSL_free(client);
	}
	SSL_free(server);

	/* ALPN: http/1.1 out of h2 and http/1.1; h2 alone refused */
	cc = (struct tc_client){ .alpn = "h2,http/1.1" };
	client = shake(web, &cc, &server, &st);
	CHECK(client, "ALPN h2,http/1.1");
	if (client) {
		SSL_get0_alpn_selected(client, &alpn, &alpnlen);
		CHECK(alpnlen == 8 && !memcmp(alpn, "http/1.1", 8), "ALPN http/1.1 chosen");
		SSL_free(client);
	}
	SSL_free(server);
	cc = (struct tc_client){ .alpn = "h2" };
	client = shake(web, &cc, &server, &st);
	CHECK(!client && st.alpn_refused, "ALPN h2 alone: refused");
	SSL_free(client);
	SSL_free(server);

	/* versions and ciphers */
	cc = (struct tc_client){ .max_version = TLS1_1_VERSION, .ciphers = "ALL:@SECLEVEL=0" };
	client = shake(web, &cc, &server, &st);
	CHECK(!client, "TLS 1.1 refused");
	SSL_free(client);
	SSL_free(server);
	cc = (struct tc_client){ .max_version = TLS1_2_VERSION, .ciphers = "AES128-SHA:AES256-SHA256" };
	client = shake(web, &cc, &server, &st);
	CHECK(!client, "TLS 1.2 CBC only refused");
	SSL_free(client);
	SSL_free(server);
	cc = (struct tc_client){ .max_version = TLS1_2_VERSION,
				 .ciphers = "ECDHE-RSA-AES128-GCM-SHA256", .sni = "a.example" };
	client = shake(web, &cc, &server, &st);
	CHECK(client, "TLS 1.2 ECDHE-RSA-AES128-GCM with the RSA certificate");
	if (client) {
		CHECK(SSL_version(server) == TLS1_2_VERSION, "TLS 1.2 chosen");
		CHECK(st.rx_secret_len == 0, "no TLS 1.3 secret in TLS 1.2");
		SSL_free(client);
	}
	SSL_free(server);
	cc = (struct tc_client){ .suites = "TLS_AES_128_CCM_SHA256" };
	client = shake(web, &cc, &server, &st);
	CHECK(!client, "TLS 1.3 CCM only refused (kTLS-capable suites only)");
	SSL_free(client);
	SSL_free(server);
}

/* Resume a session of a first handshake at svc2: reused? -1 if a handshake failed. */
static int resumes(const struct hs_service *svc, const struct hs_service *svc2, int version,
		   int rotations)
{
	struct tc_client cc = { .min_version = version, .max_version = version };
	struct hs_tls_state st;
	SSL *server, *client;
	SSL_SESSION *sess;
	int reused, i;

	client = shake(svc, &cc, &server, &st);
	if (!client) {
		SSL_free(server);
		return -1;
	}
	sess = session_of(client);
	/* freed without a shutdown, a client makes its session unresumable */
	SSL_set_shutdown(client, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
	SSL_free(client);
	SSL_free(server);
	for (i = 0; i < rotations; i++)
		hs_tickets_rotate();
	cc.session = sess;
	client = shake(svc2, &cc, &server, &st);
	reused = client ? SSL_session_reused(server) : -1;
	SSL_free(client);
	SSL_free(server);
	SSL_SESSION_free(sess);
	return reused;
}

static void test_tickets(struct hs_certset *set)
{
	const struct hs_service *web = hs_certset_service(set, "web");
	const struct hs_service *api = hs_certset_service(set, "api");
	struct hs_certset *none;
	int v;

	for (v = TLS1_2_VERSION; v <= TLS1_3_VERSION; v++) {
		const char *name = v == TLS1_3_VERSION ? "1.3" : "1.2";

		CHECK(resumes(web, web, v, 0) == 1, "TLS %s: resumed", name);
		CHECK(resumes(web, web, v, 1) == 1, "TLS %s: resumed after one rotation", name);
		CHECK(resumes(web, web, v, 2) == 0, "TLS %s: not after two rotations", name);
		CHECK(resumes(web, api, v, 0) == 0, "TLS %s: not at another service", name);
	}
	none = build(conf, 0);
	CHECK(none, "lifetime 0");
	if (none) {
		web = hs_certset_service(none, "web");
		CHECK(resumes(web, web, TLS1_3_VERSION, 0) == 0, "lifetime 0: TLS 1.3 not resumed");
		CHECK(resumes(web, web, TLS1_2_VERSION, 0) == 0, "lifetime 0: TLS 1.2 not resumed");
		hs_certset_put(none);
	}
}

static void test_sets(void)
{
	struct hs_certset *set, *cur;

	/* a key that is not the certificate's, a missing file */
	CHECK(!build("service web cert a.pem key b.key\n", 60), "mismatched key refused");
	CHECK(!build("service web cert def.pem key def.key\nservice x cert nope.pem\n", 60),
	      "missing certificate refused (the whole set)");
	CHECK(!build("service web cert def.pem key def.pem\n", 60), "no key in the file refused");

	/* publish and references: the old set lives while a handshake holds it */
	set = build(conf, 60);
	hs_certset_publish(set);
	cur = hs_certset_current();
	CHECK(cur == set, "current");
	hs_certset_publish(build("service other cert def.pem key def.key\n", 60));
	CHECK(hs_certset_service(cur, "web") != NULL, "the old set is still usable");
	hs_certset_put(cur);
	cur = hs_certset_current();
	CHECK(cur && hs_certset_service(cur, "other") && !hs_certset_service(cur, "web"),
	      "the new set is current");
	hs_certset_put(cur);
	hs_certset_publish(NULL);
	CHECK(hs_certset_current() == NULL, "no set");
}

static void test_cipher_lists(void)
{
	char c[512], s[128];

	hs_cipher_lists(HS_KTLS_ALL, c, sizeof(c), s, sizeof(s));
	CHECK(!strcmp(s, "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
		      "TLS_CHACHA20_POLY1305_SHA256"), "all suites: %s", s);
	CHECK(strstr(c, "ECDHE-ECDSA-AES128-GCM-SHA256:") == c && strstr(c, "CHACHA20") &&
	      !strstr(c, "CBC") && !strstr(c, "SHA:"), "all ciphers: %s", c);
	hs_cipher_lists(0, c, sizeof(c), s, sizeof(s));
	CHECK(strstr(s, "CHACHA20") && strstr(s, "AES_256"), "mask 0: everything");
	hs_cipher_lists(HS_KTLS_CHACHA20, c, sizeof(c), s, sizeof(s));
	CHECK(!strcmp(s, "TLS_CHACHA20_POLY1305_SHA256") && !strstr(c, "AES"),
	      "ChaCha only: %s / %s", s, c);
	hs_cipher_lists(HS_KTLS_AES_GCM_128, c, sizeof(c), s, sizeof(s));
	CHECK(!strcmp(s, "TLS_AES_128_GCM_SHA256") && !strstr(c, "AES256") && !strstr(c, "CHACHA"),
	      "AES-128 only: %s / %s", s, c);
}

int main(void)
{
	struct hs_certset *set;

	hs_log_init(false, false);
	if (tc_cert("def", "default.example", NULL, false) ||
	    tc_cert("a", "a.example", "DNS:a.example,DNS:*.wild.example", true) ||
	    tc_cert("b", "b.example", NULL, false) ||
	    tc_cert("c", "c.example", "DNS:x.wild.example", false)) {
		printf("cannot make certificates\n");
		return 1;
	}
	hs_tickets_init();
	set = build(conf, 300);
	CHECK(set, "the set builds");
	if (set) {
		test_pick(set);
		test_handshakes(set);
		test_tickets(set);
		hs_certset_put(set);
	}
	test_sets();
	test_cipher_lists();
	hs_tickets_wipe();
	tc_cleanup();
	printf("sni_test: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
