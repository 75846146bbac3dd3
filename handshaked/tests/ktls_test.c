// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for handshaked/ktls.c and the claim handshake.c rests on,
 * with the daemon's own SSL_CTXs over memory BIOs (no kernel needed):
 *
 *   - a request the client sends in the same buffer as its last handshake
 *     flight (TLS 1.3; TLS 1.2 resumed) stays unread: OpenSSL (read_ahead
 *     off) holds nothing past the handshake, the record is still in the
 *     server's read BIO, as it would be in the socket for kTLS;
 *   - the TLS 1.3 receive key and IV derived from CLIENT_TRAFFIC_SECRET_0
 *     decrypt that very record, for each suite kTLS takes (which is what
 *     the kernel will do with the crypto_info we give it);
 *   - crypto_info layouts (salt and IV split, sequence number big endian);
 *   - key log lines parsed, malformed ones refused.
 *
 * Run by "make -C handshaked check".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
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

static const char *request = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";

/* Decrypt one TLS 1.3 record (header + body) with key/iv at sequence 0. */
static int open_record(uint16_t suite, const uint8_t *key, const uint8_t *iv,
		       const uint8_t *rec, size_t len, uint8_t *out, size_t *outlen)
{
	const EVP_CIPHER *c = suite == HS_TLS_AES_128_GCM_SHA256 ? EVP_aes_128_gcm() :
			      suite == HS_TLS_AES_256_GCM_SHA384 ? EVP_aes_256_gcm() :
			      EVP_chacha20_poly1305();
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	size_t body;
	int n, r = -1;

	if (len < 5 + 16 || (size_t)(rec[3] << 8 | rec[4]) + 5 != len || rec[0] != 23)
		goto out;
	body = len - 5 - 16;
	if (EVP_DecryptInit_ex(ctx, c, NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) != 1 ||
	    EVP_DecryptInit_ex(ctx, NULL, NULL, key, iv) != 1 ||	/* nonce = iv ^ 0 */
	    EVP_DecryptUpdate(ctx, NULL, &n, rec, 5) != 1 ||		/* AAD: the header */
	    EVP_DecryptUpdate(ctx, out, &n, rec + 5, (int)body) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, (void *)(rec + 5 + body)) != 1)
		goto out;
	*outlen = (size_t)n;
	if (EVP_DecryptFinal_ex(ctx, out + n, &n) == 1)
		r = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	return r;
}

static void test_tls13(const struct hs_service *svc, uint16_t suite, const char *name)
{
	struct tc_client cc = { .suites = name, .early_write = request };
	struct hs_tls_state st = { 0 };
	SSL *server = hs_ssl_new(svc, &st), *client = NULL;
	uint8_t rec[1024], key[32], iv[12], plain[1024];
	size_t klen = 0, plen = 0, rlen;
	BIO *to_server;
	int err, ok;

	ok = tc_handshake(server, &cc, &client, &to_server, &err);
	CHECK(ok, "%s: handshake", name);
	if (!ok)
		goto out;
	CHECK(SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(server)) == suite,
	      "%s: negotiated", name);
	CHECK(!SSL_has_pending(server), "%s: OpenSSL holds nothing past the handshake", name);
	rlen = (size_t)BIO_ctrl_pending(to_server);
	CHECK(rlen == 5 + strlen(request) + 1 + 16, "%s: the request's record is unread "
	      "(%zu bytes)", name, rlen);
	CHECK(st.rx_secret_len == (suite == HS_TLS_AES_256_GCM_SHA384 ? 48u : 32u),
	      "%s: secret of %zu bytes", name, st.rx_secret_len);
	if (rlen > sizeof(rec) || BIO_read(to_server, rec, (int)rlen) != (int)rlen)
		goto out;
	CHECK(!hs_tls13_key_iv(suite, st.rx_secret, st.rx_secret_len, key, &klen, iv),
	      "%s: key and IV", name);
	CHECK(klen == (suite == HS_TLS_AES_128_GCM_SHA256 ? 16u : 32u), "%s: key length", name);
	CHECK(!open_record(suite, key, iv, rec, rlen, plain, &plen) &&
	      plen == strlen(request) + 1 && !memcmp(plain, request, strlen(request)) &&
	      plain[plen - 1] == 23, "%s: our key decrypts the client's first record", name);

	/* the crypto_info the kernel gets carries the same key and IV */
	{
		union hs_crypto_info ci;
		size_t len = 0;

		CHECK(!hs_ktls13_info(suite, st.rx_secret, st.rx_secret_len, 0x0102030405060708ULL,
				      &ci, &len), "%s: crypto_info", name);
		CHECK(ci.info.version == TLS_1_3_VERSION, "%s: version", name);
		switch (suite) {
		case HS_TLS_AES_128_GCM_SHA256:
			CHECK(len == sizeof(ci.gcm128) && ci.info.cipher_type == TLS_CIPHER_AES_GCM_128 &&
			      !memcmp(ci.gcm128.key, key, 16) && !memcmp(ci.gcm128.salt, iv, 4) &&
			      !memcmp(ci.gcm128.iv, iv + 4, 8) &&
			      !memcmp(ci.gcm128.rec_seq, "\1\2\3\4\5\6\7\10", 8), "%s: layout", name);
			break;
		case HS_TLS_AES_256_GCM_SHA384:
			CHECK(len == sizeof(ci.gcm256) && ci.info.cipher_type == TLS_CIPHER_AES_GCM_256 &&
			      !memcmp(ci.gcm256.key, key, 32) && !memcmp(ci.gcm256.salt, iv, 4) &&
			      !memcmp(ci.gcm256.iv, iv + 4, 8) &&
			      !memcmp(ci.gcm256.rec_seq, "\1\2\3\4\5\6\7\10", 8), "%s: layout", name);
			break;
		default:
			CHECK(len == sizeof(ci.chacha) &&
			      ci.info.cipher_type == TLS_CIPHER_CHACHA20_POLY1305 &&
			      !memcmp(ci.chacha.key, key, 32) && !memcmp(ci.chacha.iv, iv, 12) &&
			      !memcmp(ci.chacha.rec_seq, "\1\2\3\4\5\6\7\10", 8), "%s: layout", name);
		}
	}
out:
	hs_tls_state_wipe(&st);
	SSL_free(client);
	SSL_free(server);
}

/* TLS 1.2 resumed: the client's Finished is its last flight; the request rides along. */
static void test_tls12_resumed(const struct hs_service *svc)
{
	struct tc_client cc = { .max_version = TLS1_2_VERSION };
	struct hs_tls_state st = { 0 };
	SSL *server = hs_ssl_new(svc, &st), *client = NULL;
	SSL_SESSION *sess = NULL;
	BIO *to_server;
	char b;
	int err;

	CHECK(tc_handshake(server, &cc, &client, &to_server, &err), "TLS 1.2: handshake");
	(void)SSL_read(client, &b, 1);
	ERR_clear_error();
	sess = SSL_get1_session(client);
	SSL_set_shutdown(client, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
	SSL_free(client);
	SSL_free(server);

	cc.session = sess;
	cc.early_write = request;
	server = hs_ssl_new(svc, &st);
	client = NULL;
	CHECK(tc_handshake(server, &cc, &client, &to_server, &err), "TLS 1.2 resumed: handshake");
	CHECK(SSL_session_reused(server), "TLS 1.2: resumed");
	CHECK(!SSL_has_pending(server), "TLS 1.2 resumed: OpenSSL holds nothing past it");
	CHECK(BIO_ctrl_pending(to_server) > strlen(request), "TLS 1.2 resumed: the request is "
	      "unread (%zu bytes)", (size_t)BIO_ctrl_pending(to_server));
	CHECK(st.rx_secret_len == 0, "TLS 1.2: no TLS 1.3 secret");
	SSL_SESSION_free(sess);
	SSL_free(client);
	SSL_free(server);
}

static void test_keylog(void)
{
	uint8_t s[HS_SECRET_MAX];
	size_t n = 0;
	char line[600], hex[200];
	int i;

	for (i = 0; i < 48; i++)
		sprintf(hex + 2 * i, "%02x", i + 0xa0);
	snprintf(line, sizeof(line), "CLIENT_TRAFFIC_SECRET_0 %064d %s", 0, hex);
	CHECK(!hs_keylog_secret(line, "CLIENT_TRAFFIC_SECRET_0", s, &n) && n == 48 &&
	      s[0] == 0xa0 && s[47] == 0xa0 + 47, "48-byte secret");
	hex[64] = '\0';
	snprintf(line, sizeof(line), "CLIENT_TRAFFIC_SECRET_0 %064d %s\n", 0, hex);
	CHECK(!hs_keylog_secret(line, "CLIENT_TRAFFIC_SECRET_0", s, &n) && n == 32, "32 bytes, newline");
	snprintf(line, sizeof(line), "SERVER_TRAFFIC_SECRET_0 %064d %s", 0, hex);
	CHECK(hs_keylog_secret(line, "CLIENT_TRAFFIC_SECRET_0", s, &n), "another label");
	snprintf(line, sizeof(line), "CLIENT_TRAFFIC_SECRET_00 %064d %s", 0, hex);
	CHECK(hs_keylog_secret(line, "CLIENT_TRAFFIC_SECRET_0", s, &n), "a longer label");
	snprintf(line, sizeof(line), "CLIENT_TRAFFIC_SECRET_0 %064d %sx", 0, hex);
	CHECK(hs_keylog_secret(line, "CLIENT_TRAFFIC_SECRET_0", s, &n), "odd hex");
	snprintf(line, sizeof(line), "CLIENT_TRAFFIC_SECRET_0 %064d %s%s", 0, hex, hex);
	CHECK(hs_keylog_secret(line, "CLIENT_TRAFFIC_SECRET_0", s, &n), "too long");
	CHECK(hs_keylog_secret("CLIENT_TRAFFIC_SECRET_0 abcd", "CLIENT_TRAFFIC_SECRET_0", s, &n),
	      "no secret");
	CHECK(hs_keylog_secret("CLIENT_TRAFFIC_SECRET_0 abcd ", "CLIENT_TRAFFIC_SECRET_0", s, &n),
	      "empty secret");

	CHECK(hs_tls13_key_iv(0x1304, s, 32, s, &n, s) == -EOPNOTSUPP, "CCM: not for kTLS here");
	CHECK(hs_tls13_key_iv(HS_TLS_AES_256_GCM_SHA384, s, 32, s, &n, s) == -EINVAL,
	      "wrong secret length");
}

int main(void)
{
	const char *text = "service web cert web.pem key web.key\n";
	struct hs_certset *set;
	struct hs_config cfg;
	char path[256], err[512];
	int mask;

	hs_log_init(false, false);
	hs_tickets_init();
	if (tc_cert("web", "web.example", NULL, false)) {
		printf("cannot make a certificate\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/h.conf", tc_dir());
	if (hs_config_parse(text, strlen(text), path, &cfg, err, sizeof(err)))
		return 1;
	set = hs_certset_build(&cfg, 300, HS_KTLS_ALL, err, sizeof(err));
	hs_config_free(&cfg);
	CHECK(set, "set: %s", err);
	if (set) {
		const struct hs_service *svc = hs_certset_service(set, "web");

		test_tls13(svc, HS_TLS_AES_128_GCM_SHA256, "TLS_AES_128_GCM_SHA256");
		test_tls13(svc, HS_TLS_AES_256_GCM_SHA384, "TLS_AES_256_GCM_SHA384");
		test_tls13(svc, HS_TLS_CHACHA20_POLY1305_SHA256, "TLS_CHACHA20_POLY1305_SHA256");
		test_tls12_resumed(svc);
		hs_certset_put(set);
	}
	test_keylog();

	/* the probe's setsockopt(TCP_ULP) would load the module: only where it is */
	if (access("/proc/net/tls_stat", F_OK) == 0) {
		mask = hs_ktls_probe();
		CHECK(mask > 0, "kTLS is loaded: the probe finds ciphers (mask %d)", mask);
		printf("(kTLS probe: mask %d)\n", mask);
	} else {
		printf("(no kTLS here: probe not tried)\n");
	}

	hs_tickets_wipe();
	tc_cleanup();
	printf("ktls_test: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
