/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel relay between the two sockets of a connection.
 */
#ifndef _SPL_RELAY_H
#define _SPL_RELAY_H

#include "conn.h"

#define SPL_RELAY_BUF	16384

enum spl_pump {
	SPL_PUMP_IDLE,		/* nothing could move: wait for an event */
	SPL_PUMP_MOVED,		/* bytes or a FIN moved */
	SPL_PUMP_SRC_ERR,	/* the source failed (reset) */
	SPL_PUMP_DST_ERR,	/* the sink failed (reset, closed) */
};

int spl_sock_recv(struct socket *sock, void *buf, size_t len);
int spl_sock_send(struct socket *sock, const void *buf, size_t len);

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
