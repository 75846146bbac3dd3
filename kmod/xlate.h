/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP header translation for the packet splice (issue: "TCP splice with
 * sequence translation"): what turns a segment of one spliced flow into a
 * segment of the other.
 *
 * A spliced connection joins the client's flow (client <-> VIP, served
 * by local socket A) and the server's flow (local address <-> server,
 * local socket B). Once both sockets are quiet (what they received has
 * been forwarded, what they sent has been acknowledged), their sequence
 * state fixes one translation per direction:
 *
 *   client -> server   seq   += B.snd_nxt - A.rcv_nxt
 *                      ack   += B.rcv_nxt - A.snd_nxt   (and SACK blocks)
 *                      TSval += B.ts_now  - A.ts_recent
 *                      TSecr += B.ts_recent - A.ts_now
 *                      window: client's scale in, B's receive scale out
 *
 * and the mirror image for server -> client. All arithmetic is modulo 2^32,
 * as sequence numbers and timestamps are.
 *
 * Pure code like http.c (no allocation, no kernel calls): it works on the
 * bytes of a TCP header, so KUnit and the user-space fuzzers exercise it.
 * The checksum is the caller's: it is not touched here.
 */
#ifndef _SPL_XLATE_H
#define _SPL_XLATE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "http_shim.h"
#endif

#define SPL_XLATE_F_SACK	0x1	/* the receiver takes SACK blocks */
#define SPL_XLATE_F_TS		0x2	/* the receiver takes timestamps */

/* One direction. */
struct spl_xlate {
	u32 seq;		/* added to the sequence number */
	u32 ack;		/* added to the ack number and SACK edges */
	u32 tsval;		/* added to TSval */
	u32 tsecr;		/* added to TSecr */
	u8 wscale_in;		/* the sender's window scale */
	u8 wscale_out;		/* the scale the receiver applies */
	u8 flags;		/* SPL_XLATE_F_* */
};

/* What one local socket knows of its flow when it is retired. */
struct spl_xlate_leg {
	u32 snd_nxt;		/* next sequence number we would send */
	u32 rcv_nxt;		/* next sequence number we expect */
	u32 ts_now;		/* the TSval we would send now */
	u32 ts_recent;		/* the peer's latest TSval */
	u8 snd_wscale;		/* the peer's window scale (applies to its windows) */
	u8 rcv_wscale;		/* ours (the peer applies it to our windows) */
	bool sack_ok;		/* SACK negotiated on this flow */
	bool ts_ok;		/* timestamps negotiated on this flow */
};

/* The two directions for client leg @c and server leg @s. */
void spl_xlate_pair(const struct spl_xlate_leg *c, const struct spl_xlate_leg *s,
		    struct spl_xlate *c2s, struct spl_xlate *s2c);

/* A window field of the sender, as the receiver must read it. */
u16 spl_xlate_window(u16 win, u8 wscale_in, u8 wscale_out);

/*
 * spl_xlate_tcp - translate the TCP header at @th in place.
 * @len: bytes available at @th (at least the header's data offset)
 *
 * Sequence and ack numbers (the ack only with ACK set), the window, SACK
 * blocks and timestamps are translated; an option the receiver did not
 * negotiate (SACK, timestamps) is overwritten with NOPs.
 * Return: 0, or -1 when the header or its options are malformed (drop it).
 */
int spl_xlate_tcp(u8 *th, u32 len, const struct spl_xlate *x);

#endif /* _SPL_XLATE_H */
