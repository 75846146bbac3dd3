/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel relay between the two sockets of a connection.
 */
#ifndef _SPL_RELAY_H
#define _SPL_RELAY_H

#include "conn.h"

#define SPL_RELAY_BUF	16384
/* A direction's first buffer: a slab size that holds nearly every head. */
#define SPL_DIR_SMALL	4096

enum spl_pump {
	SPL_PUMP_IDLE,		/* nothing could move: wait for an event */
	SPL_PUMP_MOVED,		/* bytes or a FIN moved */
	SPL_PUMP_SRC_ERR,	/* the source failed (reset) */
	SPL_PUMP_DST_ERR,	/* the sink failed (reset, closed) */
	SPL_PUMP_NOMEM,		/* no buffer for what the source sent */
};

int spl_sock_recv(struct socket *sock, void *buf, size_t len);
int spl_sock_send(struct socket *sock, const void *buf, size_t len);
/* Whether a read of @sock would not wait: bytes, a FIN or an error. */
bool spl_sock_readable(struct socket *sock);

/* @d gets no buffer until spl_dir_alloc(): it may grow to @max, @room kept free. */
void spl_dir_init(struct spl_dir *d, u32 max, u32 room);
/* Give @d (without one) its small buffer. 0 or -ENOMEM. */
int spl_dir_alloc(struct spl_dir *d);
/* Grow @d's buffer to max, its bytes kept at the same offsets. 0 or -ENOMEM. */
int spl_dir_grow(struct spl_dir *d);
/* Free @d's buffer (unless borrowed); spl_dir_alloc() may give it another. */
void spl_dir_free(struct spl_dir *d);

/* Frames the bytes of @d after fwd; true if fwd moved. */
typedef bool (*spl_frame_fn)(struct spl_conn *conn, struct spl_dir *d);

/*
 * Send what @d has cleared, read more from @src, let @frame clear it; pass
 * a FIN on once everything cleared is sent.
 */
enum spl_pump spl_pump(struct spl_conn *conn, struct spl_dir *d,
		       struct socket *src, struct socket *dst,
		       spl_frame_fn frame);

#endif /* _SPL_RELAY_H */
