// SPDX-License-Identifier: GPL-2.0
/*
 * splicer-handshaked: the TLS 1.3 receive direction of kTLS (see ktls.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "ktls.h"

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

/* HKDF-Expand-Label(secret, label, "", outlen) of RFC 8446 7.1. */
static int expand_label(const char *digest, const uint8_t *secret, size_t slen,
			const char *label, uint8_t *out, size_t outlen)
{
	uint8_t info[2 + 1 + 6 + 16 + 1];
	size_t llen = strlen(label), n = 0;
	OSSL_PARAM params[5];
	EVP_KDF_CTX *kctx;
	EVP_KDF *kdf;
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY, r;

	if (llen > 16 || outlen > 255)
		return -EINVAL;
	info[n++] = (uint8_t)(outlen >> 8);
	info[n++] = (uint8_t)outlen;
	info[n++] = (uint8_t)(6 + llen);
	memcpy(info + n, "tls13 ", 6);
	n += 6;
	memcpy(info + n, label, llen);
	n += llen;
	info[n++] = 0;		/* empty context */

	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (!kdf)
		return -EOPNOTSUPP;
	kctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (!kctx)
		return -ENOMEM;
	params[0] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)digest, 0);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)secret, slen);
	params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, n);
	params[4] = OSSL_PARAM_construct_end();
	r = EVP_KDF_derive(kctx, out, outlen, params) == 1 ? 0 : -EINVAL;
	EVP_KDF_CTX_free(kctx);
	return r;
}

int hs_tls13_key_iv(uint16_t suite, const uint8_t *secret, size_t slen,
		    uint8_t key[32], size_t *keylen, uint8_t iv[12])
{
	const char *digest;
	size_t klen, hlen;
	int r;

	switch (suite) {
	case HS_TLS_AES_128_GCM_SHA256:
		digest = "SHA256", hlen = 32, klen = 16;
		break;
	case HS_TLS_AES_256_GCM_SHA384:
		digest = "SHA384", hlen = 48, klen = 32;
		break;
	case HS_TLS_CHACHA20_POLY1305_SHA256:
		digest = "SHA256", hlen = 32, klen = 32;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (slen != hlen)
		return -EINVAL;
	r = expand_label(digest, secret, slen, "key", key, klen);
	if (!r)
		r = expand_label(digest, secret, slen, "iv", iv, 12);
	if (r) {
		OPENSSL_cleanse(key, 32);
		OPENSSL_cleanse(iv, 12);
		return r;
	}
	*keylen = klen;
	return 0;
}

int hs_ktls13_info(uint16_t suite, const uint8_t *secret, size_t slen, uint64_t seq,
		   union hs_crypto_info *ci, size_t *len)
{
	uint8_t key[32], iv[12], rec_seq[8];
	size_t klen = 0;
	int r, i;

	r = hs_tls13_key_iv(suite, secret, slen, key, &klen, iv);
	if (r)
		return r;
	for (i = 7; i >= 0; i--, seq >>= 8)
		rec_seq[i] = (uint8_t)seq;	/* big endian, as on the wire */

	memset(ci, 0, sizeof(*ci));
	ci->info.version = TLS_1_3_VERSION;
	switch (suite) {
	case HS_TLS_AES_128_GCM_SHA256:
		/* the 12-byte IV is salt (4) then iv (8) */
		ci->info.cipher_type = TLS_CIPHER_AES_GCM_128;
		memcpy(ci->gcm128.key, key, TLS_CIPHER_AES_GCM_128_KEY_SIZE);
		memcpy(ci->gcm128.salt, iv, TLS_CIPHER_AES_GCM_128_SALT_SIZE);
		memcpy(ci->gcm128.iv, iv + 4, TLS_CIPHER_AES_GCM_128_IV_SIZE);
		memcpy(ci->gcm128.rec_seq, rec_seq, sizeof(rec_seq));
		*len = sizeof(ci->gcm128);
		break;
	case HS_TLS_AES_256_GCM_SHA384:
		ci->info.cipher_type = TLS_CIPHER_AES_GCM_256;
		memcpy(ci->gcm256.key, key, TLS_CIPHER_AES_GCM_256_KEY_SIZE);
		memcpy(ci->gcm256.salt, iv, TLS_CIPHER_AES_GCM_256_SALT_SIZE);
		memcpy(ci->gcm256.iv, iv + 4, TLS_CIPHER_AES_GCM_256_IV_SIZE);
		memcpy(ci->gcm256.rec_seq, rec_seq, sizeof(rec_seq));
		*len = sizeof(ci->gcm256);
		break;
	default:
		/* ChaCha20-Poly1305: no salt, the whole 12-byte IV */
		ci->info.cipher_type = TLS_CIPHER_CHACHA20_POLY1305;
		memcpy(ci->chacha.key, key, TLS_CIPHER_CHACHA20_POLY1305_KEY_SIZE);
		memcpy(ci->chacha.iv, iv, TLS_CIPHER_CHACHA20_POLY1305_IV_SIZE);
		memcpy(ci->chacha.rec_seq, rec_seq, sizeof(rec_seq));
		*len = sizeof(ci->chacha);
		break;
	}
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(iv, sizeof(iv));
	return 0;
}

int hs_ktls13_install_rx(int fd, uint16_t suite, const uint8_t *secret, size_t slen)
{
	union hs_crypto_info ci;
	size_t len = 0;
	int r;

	r = hs_ktls13_info(suite, secret, slen, 0, &ci, &len);
	if (r)
		return r;
	r = setsockopt(fd, SOL_TLS, TLS_RX, &ci, (socklen_t)len) ? -errno : 0;
	OPENSSL_cleanse(&ci, sizeof(ci));
	return r;
}

/* A connected loopback pair; 0 or -1. */
static int loopback_pair(int fds[2])
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	fds[0] = fds[1] = -1;
	if (l < 0)
		return -1;
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&sa, &len))
		goto fail;
	fds[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fds[0] < 0 || connect(fds[0], (struct sockaddr *)&sa, sizeof(sa)))
		goto fail;
	fds[1] = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (fds[1] < 0)
		goto fail;
	close(l);
	return 0;
fail:
	close(l);
	if (fds[0] >= 0)
		close(fds[0]);
	fds[0] = -1;
	return -1;
}

int hs_ktls_probe(void)
{
	static const struct {
		uint16_t suite;
		int bit;
	} suites[] = {
		{ HS_TLS_AES_128_GCM_SHA256, HS_KTLS_AES_GCM_128 },
		{ HS_TLS_AES_256_GCM_SHA384, HS_KTLS_AES_GCM_256 },
		{ HS_TLS_CHACHA20_POLY1305_SHA256, HS_KTLS_CHACHA20 },
	};
	uint8_t secret[48] = { 0 };	/* a dummy key: nothing is sent */
	unsigned int i;
	int mask = 0;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		size_t slen = suites[i].suite == HS_TLS_AES_256_GCM_SHA384 ? 48 : 32;
		union hs_crypto_info ci;
		size_t len = 0;
		int fds[2];

		if (loopback_pair(fds))
			return -1;
		if (!setsockopt(fds[0], IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls")) &&
		    !hs_ktls13_info(suites[i].suite, secret, slen, 0, &ci, &len) &&
		    !setsockopt(fds[0], SOL_TLS, TLS_TX, &ci, (socklen_t)len) &&
		    !setsockopt(fds[0], SOL_TLS, TLS_RX, &ci, (socklen_t)len))
			mask |= suites[i].bit;
		OPENSSL_cleanse(&ci, sizeof(ci));
		close(fds[0]);
		close(fds[1]);
	}
	return mask;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hs_keylog_secret(const char *line, const char *label, uint8_t *out, size_t *outlen)
{
	size_t llen = strlen(label), n = 0;
	const char *p;

	if (strncmp(line, label, llen) || line[llen] != ' ')
		return -1;
	p = strchr(line + llen + 1, ' ');	/* past the client random */
	if (!p)
		return -1;
	for (p++; *p && *p != '\n'; p += 2) {
		int hi = hexval(p[0]), lo = hi < 0 ? -1 : hexval(p[1]);

		if (hi < 0 || lo < 0 || n == HS_SECRET_MAX) {
			OPENSSL_cleanse(out, HS_SECRET_MAX);
			return -1;
		}
		out[n++] = (uint8_t)(hi << 4 | lo);
	}
	if (!n)
		return -1;
	*outlen = n;
	return 0;
}
