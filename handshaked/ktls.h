/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kTLS helpers OpenSSL does not provide.
 *
 * OpenSSL 3.0 (Debian 12's libssl3) installs kTLS itself for TLS 1.2 in
 * both directions, but for TLS 1.3 only for sending: its receive side
 * came with 3.2's record layer. For a TLS 1.3 connection whose receive
 * direction OpenSSL left in user space, the daemon installs it: the
 * client's application traffic secret (CLIENT_TRAFFIC_SECRET_0, from the
 * keylog callback), HKDF-Expand-Label to key and IV (RFC 8446 7.3),
 * setsockopt(SOL_TLS, TLS_RX) with record sequence 0 (nothing after the
 * client's Finished was read: read_ahead is off). Everything derived is
 * wiped here; the caller wipes the secret.
 */
#ifndef HANDSHAKED_KTLS_H
#define HANDSHAKED_KTLS_H

#include <stddef.h>
#include <stdint.h>

#include <linux/tls.h>

#define HS_SECRET_MAX	48	/* SHA-384 */

/* The TLS 1.3 suites kTLS carries, IANA numbers. */
#define HS_TLS_AES_128_GCM_SHA256	0x1301
#define HS_TLS_AES_256_GCM_SHA384	0x1302
#define HS_TLS_CHACHA20_POLY1305_SHA256	0x1303

union hs_crypto_info {
	struct tls_crypto_info info;
	struct tls12_crypto_info_aes_gcm_128 gcm128;
	struct tls12_crypto_info_aes_gcm_256 gcm256;
	struct tls12_crypto_info_chacha20_poly1305 chacha;
};

/*
 * Traffic key and IV of 'secret' for a TLS 1.3 suite: key of *keylen
 * bytes (16 or 32) into key[32], iv[12]. 0, -EOPNOTSUPP (suite), -EINVAL.
 */
int hs_tls13_key_iv(uint16_t suite, const uint8_t *secret, size_t slen,
		    uint8_t key[32], size_t *keylen, uint8_t iv[12]);

/*
 * The crypto_info for setsockopt(SOL_TLS, TLS_RX or TLS_TX) of a TLS 1.3
 * direction with 'secret' at record sequence 'seq'; its size in *len.
 */
int hs_ktls13_info(uint16_t suite, const uint8_t *secret, size_t slen, uint64_t seq,
		   union hs_crypto_info *ci, size_t *len);

/* Install the receive direction on fd (TCP_ULP "tls" must be set). 0 or -errno. */
int hs_ktls13_install_rx(int fd, uint16_t suite, const uint8_t *secret, size_t slen);

/* What kTLS carries here (hs_ktls_probe()). */
#define HS_KTLS_AES_GCM_128	0x1
#define HS_KTLS_AES_GCM_256	0x2
#define HS_KTLS_CHACHA20	0x4
#define HS_KTLS_ALL		0x7

/*
 * Try kTLS on a loopback connection with each cipher, both directions:
 * the mask of those the kernel takes (0: kTLS unavailable), or -1 if no
 * loopback connection could be made. It also loads the kernel's crypto
 * modules now rather than in the middle of a worker's first handshakes
 * (setsockopt() waits for them).
 */
int hs_ktls_probe(void);

/*
 * From an NSS key log line, the secret of 'label' ("CLIENT_TRAFFIC_SECRET_0"):
 * into out (HS_SECRET_MAX bytes), its length in *outlen. 0, or -1 if the
 * line is another label or malformed.
 */
int hs_keylog_secret(const char *line, const char *label, uint8_t *out, size_t *outlen);

#endif
