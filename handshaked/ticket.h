/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Session ticket keys, one set per process, shared by every SSL_CTX (so a
 * ticket survives a reload) and every worker: the current key encrypts
 * new tickets (AES-256-CBC + HMAC-SHA256, RFC 5077's layout), the previous
 * one is still accepted and its tickets are renewed. hs_tickets_rotate()
 * runs every `ticket-lifetime` seconds, so a ticket stays usable for at
 * least its lifetime. Keys are random, live in memory only (a restart
 * invalidates every ticket) and are wiped when retired.
 */
#ifndef HANDSHAKED_TICKET_H
#define HANDSHAKED_TICKET_H

#include <openssl/ssl.h>

/* Make the first key. 0, or -1 if the random generator failed. */
int hs_tickets_init(void);

/* A new current key; the current one becomes the previous one. */
int hs_tickets_rotate(void);

/* Wipe every key. */
void hs_tickets_wipe(void);

/* For SSL_CTX_set_tlsext_ticket_key_evp_cb(). */
int hs_ticket_cb(SSL *ssl, unsigned char key_name[16], unsigned char *iv,
		 EVP_CIPHER_CTX *ctx, EVP_MAC_CTX *hctx, int enc);

#endif
