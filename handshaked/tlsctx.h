/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Certificate sets: for every configured service, one SSL_CTX per
 * certificate line, all with the same TLS settings:
 *
 *   - TLS 1.2 and 1.3 only, with only the AEAD suites kTLS carries
 *     (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305), ECDHE or DHE;
 *   - SSL_OP_ENABLE_KTLS, no renegotiation, no compression, read_ahead
 *     off (OpenSSL must never read past the handshake);
 *   - ALPN: http/1.1 only (a client offering only h2 is refused);
 *   - session tickets under the process-wide keys of ticket.c, no
 *     server-side session cache;
 *   - the SNI callback switches to the service's certificate for the
 *     name asked for (exact names, then wildcards, else the default; see
 *     hs_service_pick()).
 *
 * A set is built whole from a configuration (startup, SIGHUP), published
 * with one pointer swap and reference counted: each handshake holds the
 * set it started with, so a reload never disturbs handshakes in flight and
 * the old SSL_CTXs go when their last handshake ends.
 */
#ifndef HANDSHAKED_TLSCTX_H
#define HANDSHAKED_TLSCTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "config.h"
#include "ktls.h"

struct hs_cert {
	SSL_CTX *ctx;
	char **sni;		/* from the configuration; none: the certificate's names */
	size_t nsni;
	char *path;		/* for messages */
};

struct hs_service {
	char name[HS_NAME_MAX];
	struct hs_cert *certs;	/* [0]: the default */
	size_t ncerts;
};

struct hs_certset;

/*
 * What the callbacks learn during one handshake (SSL_get_app_data()).
 * The handshake owns it; rx_secret is wiped by hs_tls_state_wipe().
 */
struct hs_tls_state {
	const struct hs_service *svc;
	const struct hs_cert *cert;	/* the one chosen */
	bool alpn_refused;		/* the client offered ALPN without http/1.1 */
	uint8_t rx_secret[HS_SECRET_MAX];	/* CLIENT_TRAFFIC_SECRET_0 (TLS 1.3) */
	size_t rx_secret_len;
};

void hs_tls_state_wipe(struct hs_tls_state *st);

/*
 * Build every SSL_CTX of cfg. On failure NULL, with every reason logged
 * and the first one in err. ticket_lifetime 0 disables tickets. ktls_mask
 * (HS_KTLS_*, from hs_ktls_probe()) limits the suites offered to those
 * kTLS carries here; 0 or less: all three families.
 */
struct hs_certset *hs_certset_build(const struct hs_config *cfg, long ticket_lifetime,
				    int ktls_mask, char *err, size_t errlen);

/* The TLS 1.2 cipher list and TLS 1.3 suites for ktls_mask, as above. */
void hs_cipher_lists(int ktls_mask, char *ciphers, size_t clen, char *suites, size_t slen);

/* Make set the current one (the caller's reference passes to it). */
void hs_certset_publish(struct hs_certset *set);

/* The current set with a reference for the caller, or NULL. */
struct hs_certset *hs_certset_current(void);

void hs_certset_get(struct hs_certset *set);
void hs_certset_put(struct hs_certset *set);

size_t hs_certset_services(const struct hs_certset *set);
const struct hs_service *hs_certset_service(const struct hs_certset *set, const char *name);

/*
 * The certificate for server name 'host' (NULL: none sent): an exact name
 * first (explicit sni names, then the certificate names of lines without
 * sni), then a wildcard (the same order), else the default; within each
 * step the first line wins.
 */
const struct hs_cert *hs_service_pick(const struct hs_service *svc, const char *host);

/* A new server SSL for svc with st as its app data, or NULL. */
SSL *hs_ssl_new(const struct hs_service *svc, struct hs_tls_state *st);

#endif
