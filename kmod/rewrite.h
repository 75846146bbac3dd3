/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Request head rewriting: what the server learns about the client.
 *
 * Pure code like http.c (no allocation, no kernel calls) so KUnit and the
 * user-space fuzzers exercise it too.
 */
#ifndef _SPL_REWRITE_H
#define _SPL_REWRITE_H

#include "http.h"

struct spl_rewrite {
	const char *client;	/* the client's address, as text */
	const char *proto;	/* "http" or "https" */
	u16 conn;		/* SPL_HTTP_F_CLOSE/KEEPALIVE/UPGRADE of the request */
};

/* The most a rewrite can add to a head: three header lines. */
#define SPL_REWRITE_ROOM	192

/*
 * spl_http_rewrite_request - rewrite a validated request head in place.
 * @buf: the head at buf[0..@head_len), followed by @tail more bytes that
 *	 move with it (pipelined data, the start of the body)
 * @cap: bytes available at @buf
 * @rw: what to add
 *
 * Appends the client to the last X-Forwarded-For field (or adds one),
 * removes every X-Forwarded-Proto the client sent (it could claim https)
 * and adds ours. Hop-by-hop fields (RFC 9110 7.6.1) go: Connection,
 * Keep-Alive, Proxy-Connection and every field a Connection option names
 * (so "Connection: X-Forwarded-For" cannot strip ours downstream); a
 * Connection field of our own carries close / keep-alive / upgrade on.
 * Framing is kept 1:1 with the client's, so Upgrade and TE stay.
 *
 * Return: the new head length; -1 if @cap is too small, -2 if a Connection
 * option names Content-Length, Transfer-Encoding or Host (a 400).
 * Nothing is changed on failure.
 */
int spl_http_rewrite_request(u8 *buf, u32 head_len, u32 tail, u32 cap,
			     const struct spl_rewrite *rw);

/* Location rewriting: what names a server, and what replaces it. */
struct spl_location {
	const char *server;	/* "198.18.1.2:8080", "[2001:db8::2]:8080" */
	const char *server_ip;	/* "198.18.1.2", "[2001:db8::2]", or NULL */
	const char *scheme;	/* "http" or "https" */
	const char *host;	/* the client's Host */
};

/*
 * spl_http_rewrite_location - rewrite a validated response head in place:
 * the first Location and the first Content-Location field whose value is
 * an absolute URI naming @loc's server (scheme http or https, authority
 * equal to server or server_ip, without regard to case) get
 * "scheme://host" in place of their scheme and authority.
 * @tail: bytes after the head that move with it; @cap: room at @buf
 * Return: the new head length (a field that would not fit in @cap is left
 * as it was), or -1 when the head is not one (nothing changed).
 */
int spl_http_rewrite_location(u8 *buf, u32 head_len, u32 tail, u32 cap,
			      const struct spl_location *loc);

#endif /* _SPL_REWRITE_H */
