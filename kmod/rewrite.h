/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Request head rewriting: what the server learns about the client.
 *
 * Pure code like http.c (no allocation, no kernel calls) so KUnit and the
 * user-space fuzzers exercise it too.
 */
#ifndef _SPL_REWRITE_H
#define _SPL_REWRITE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "http_shim.h"
#endif

struct spl_rewrite {
	const char *client;	/* the client's address, as text */
	const char *proto;	/* "http" or "https" */
};

/* The most a rewrite can add to a head: two header lines with addresses. */
#define SPL_REWRITE_ROOM	128

/*
 * spl_http_rewrite_request - rewrite a validated request head in place.
 * @buf: the head at buf[0..@head_len), followed by @tail more bytes that
 *	 move with it (pipelined data, the start of the body)
 * @cap: bytes available at @buf
 * @rw: what to add
 *
 * Appends the client to the last X-Forwarded-For field (or adds one),
 * removes every X-Forwarded-Proto the client sent (it could claim https)
 * and adds ours.
 *
 * Return: the new head length, or -1 if @cap is too small (nothing changed).
 */
int spl_http_rewrite_request(u8 *buf, u32 head_len, u32 tail, u32 cap,
			     const struct spl_rewrite *rw);

#endif /* _SPL_REWRITE_H */
