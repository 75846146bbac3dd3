// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel relay: copy between two TCP sockets without user space.
 *
 * Everything here runs in the connection's work item, never blocks
 * (MSG_DONTWAIT) and waits for the sockets' callbacks instead.
 */
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include "relay.h"

int spl_sock_recv(struct socket *sock, void *buf, size_t len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = buf, .iov_len = len };

	return kernel_recvmsg(sock, &msg, &iov, 1, len, msg.msg_flags);
}

int spl_sock_send(struct socket *sock, const void *buf, size_t len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };

	return kernel_sendmsg(sock, &msg, &iov, 1, len);
}

enum spl_pump spl_pump(struct spl_conn *conn, struct spl_dir *d,
		       struct socket *src, struct socket *dst,
		       spl_frame_fn frame)
{
	enum spl_pump ret = SPL_PUMP_IDLE;
	int n;

	if (d->off < d->fwd) {
		n = spl_sock_send(dst, d->buf + d->off, d->fwd - d->off);
		if (n > 0) {
			d->off += n;
			d->bytes += n;
			d->fin_needs_data = false;
			ret = SPL_PUMP_MOVED;
		} else if (n != -EAGAIN) {
			return SPL_PUMP_DST_ERR;
		}
		if (d->off < d->fwd)
			return ret;
	}
	/* all cleared bytes are out: keep only what is still being framed */
	if (d->off == d->len) {
		d->off = 0;
		d->fwd = 0;
		d->len = 0;
	} else if (d->off) {
		memmove(d->buf, d->buf + d->off, d->len - d->off);
		d->len -= d->off;
		d->fwd -= d->off;
		d->off = 0;
	}

	if (!d->eof && !d->hold && d->len < d->lim) {
		n = spl_sock_recv(src, d->buf + d->len, d->lim - d->len);
		if (n > 0) {
			d->len += n;
			frame(conn, d);
			return SPL_PUMP_MOVED;
		}
		if (n == 0) {
			d->eof = true;
			ret = SPL_PUMP_MOVED;
		} else if (n != -EAGAIN) {
			return SPL_PUMP_SRC_ERR;
		}
	}
	/* framing may have waited for the other direction */
	if (d->fwd < d->len && frame(conn, d))
		ret = SPL_PUMP_MOVED;
	/*
	 * The FIN goes on once everything cleared is sent, unless framing is
	 * only paused (a full pipeline): what it holds back is still to come.
	 */
	if (d->eof && !d->shut && !d->fin_needs_data && d->off == d->fwd &&
	    (d->fwd == d->len || !d->hold || d->closing)) {
		/* a sink that is already gone shows up on its other direction */
		kernel_sock_shutdown(dst, SHUT_WR);
		d->shut = true;
		ret = SPL_PUMP_MOVED;
	}
	return ret;
}
