/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the OpenSSL unit tests: self-signed certificates written to
 * files, and handshakes between a test client and the daemon's server SSL
 * over memory BIOs (no sockets, no kTLS).
 */
#ifndef HANDSHAKED_TESTCERT_H
#define HANDSHAKED_TESTCERT_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

/* A temporary directory for this test's files; removed by tc_cleanup(). */
const char *tc_dir(void);
void tc_cleanup(void);

/*
 * DIR/NAME.pem and DIR/NAME.key: a self-signed certificate for cn (and
 * subjectAltName san, e.g. "DNS:a.example,DNS:*.b.example", or NULL), an
 * EC P-256 key or RSA 2048. 0 or -1.
 */
int tc_cert(const char *name, const char *cn, const char *san, bool rsa);

/* A client: version range (0: any), TLS 1.2 ciphers, ALPN ("h2,http/1.1"). */
struct tc_client {
	int min_version, max_version;
	const char *ciphers;		/* TLS 1.2 list, NULL: default */
	const char *suites;		/* TLS 1.3 suites, NULL: default */
	const char *sni;
	const char *alpn;
	SSL_SESSION *session;		/* to resume */
	const char *early_write;	/* written the moment the client is done:
					   with its last flight, in one buffer */
};

/*
 * Handshake 'server' (an accept-state SSL) with a new client over memory
 * BIOs. On return *client is the client SSL (the caller frees it), and
 * the BIOs stay attached: *to_server holds what the client wrote that the
 * server did not read. Returns 1 if both ended the handshake, 0 if one
 * failed (the server's SSL_get_error in *server_err).
 */
int tc_handshake(SSL *server, const struct tc_client *cc, SSL **client,
		 BIO **to_server, int *server_err);

/* Server SSL_do_handshake until done or stuck; the result of the last call. */
int tc_pump(SSL *server, SSL *client);

/* The CN of the certificate the client was given, into buf. */
void tc_peer_cn(SSL *client, char *buf, size_t len);

#endif
