/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One TLS handshake on a connection the kernel handed over: OpenSSL on a
 * non-blocking socket, driven by the worker's epoll; at the end the checks
 * that make it usable by the kernel:
 *
 *   - OpenSSL holds nothing it read past the handshake (read_ahead is off,
 *     SSL_has_pending() must be 0): the request is the kernel's to read;
 *   - kTLS carries both directions: OpenSSL's own (SSL_OP_ENABLE_KTLS),
 *     completed by ktls.c for TLS 1.3 receive on OpenSSL 3.0.
 *
 * The status is 0 or a positive errno, as TLS_DONE carries it:
 *
 *   EPROTO      a TLS protocol failure (no common cipher or version, a
 *               client alert, not TLS at all), or bytes read past the end
 *   EACCES      refused: the client's ALPN offers no http/1.1 (h2 only)
 *   ECONNRESET  the client closed or reset the connection
 *   ETIMEDOUT   the deadline (the kernel's TIMEOUT) passed
 *   EOPNOTSUPP  kTLS could not be installed in both directions
 *   ENOENT      no certificate configured for the service
 *   ENOMEM, EBADF (the descriptor was not a TCP socket), ESHUTDOWN
 *               (the daemon stopped before the handshake could end)
 */
#ifndef HANDSHAKED_HANDSHAKE_H
#define HANDSHAKED_HANDSHAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "tlsctx.h"
#include "upcall.h"

struct hs_conn {
	uint64_t id;
	int fd;				/* -1 once closed */
	int saved_flags;		/* F_GETFL before we set O_NONBLOCK, -1 none */
	char service[HS_NAME_MAX];
	uint64_t start_ms, deadline_ms;
	size_t heap_idx;		/* the worker's deadline heap */
	bool in_epoll;

	struct hs_certset *set;
	SSL *ssl;
	struct hs_tls_state st;

	/* the outcome */
	char why[256];			/* failure, in words, for the log */
	char version[16];
	char cipher[64];
	char sni[256];
	bool resumed;
};

/*
 * Take over up->fd (c->fd) and prepare OpenSSL. 0 to go on with
 * hs_conn_step(), else the final status (c->why says why).
 */
uint32_t hs_conn_start(struct hs_conn *c, const struct hs_upcall *up);

/*
 * Drive the handshake as far as the socket allows: -1 while it waits for
 * the socket, else the final status (0 when kTLS carries both ways).
 */
int hs_conn_step(struct hs_conn *c);

/*
 * The end, whatever the status: free OpenSSL's state, wipe what we kept,
 * give the descriptor its flags back and close it. The caller removed it
 * from its epoll set first (the kernel holds the same open file: a close
 * would not take it out).
 */
void hs_conn_end(struct hs_conn *c);

/* The TLS_DONE outcome of c with status. */
void hs_conn_result(const struct hs_conn *c, uint32_t status, struct hs_result *res);

/* "EPROTO" and so on: the errno's name, for the log. */
const char *hs_errno_name(uint32_t status);

#endif
