// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel relay: copy between two TCP sockets without user space.
 *
 * Everything here runs in the connection's work item, never blocks
 * (MSG_DONTWAIT) and waits for the sockets' callbacks instead.
 */
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <linux/tls.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>
#include "relay.h"

#define TLS_RECORD_DATA		23
#define TLS_RECORD_ALERT	21

/*
 * A kTLS socket hands over one record type per read, named in a control
 * message; without room for it a record other than data fails with EIO.
 * A close_notify alert (or any alert) ends the stream like a FIN; a
 * handshake record after the handshake (a TLS 1.3 KeyUpdate: kTLS in 6.1
 * cannot rekey) ends the connection.
 */
static int recv_ktls(struct socket *sock, void *buf, size_t len)
{
	u8 cbuf[CMSG_SPACE(sizeof(u8))] __aligned(sizeof(size_t));
	struct msghdr msg = {
		.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	struct cmsghdr *cm = (struct cmsghdr *)cbuf;
	int n;

	memset(cbuf, 0, sizeof(cbuf));
	n = kernel_recvmsg(sock, &msg, &iov, 1, len, msg.msg_flags);
	if (n <= 0 || cm->cmsg_level != SOL_TLS || cm->cmsg_type != TLS_GET_RECORD_TYPE)
		return n;
	switch (*(u8 *)CMSG_DATA(cm)) {
	case TLS_RECORD_DATA:
		return n;
	case TLS_RECORD_ALERT:
		return 0;
	}
	return -EPROTO;
}

int spl_sock_recv(struct socket *sock, void *buf, size_t len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = buf, .iov_len = len };

	if (inet_csk(sock->sk)->icsk_ulp_ops)
		return recv_ktls(sock, buf, len);
	return kernel_recvmsg(sock, &msg, &iov, 1, len, msg.msg_flags);
}

int spl_sock_send(struct socket *sock, const void *buf, size_t len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };

	return kernel_sendmsg(sock, &msg, &iov, 1, len);
}

/*
 * What poll() would say: kTLS may hold a decrypted record that is no
 * longer in the TCP receive queue (sk_is_readable asks it).
 */
bool spl_sock_readable(struct socket *sock)
{
	struct sock *sk = sock->sk;

	return !skb_queue_empty_lockless(&sk->sk_receive_queue) ||
	       sk_is_readable(sk) || READ_ONCE(sk->sk_err) ||
	       (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN);
}

void spl_dir_init(struct spl_dir *d, u32 max, u32 room)
{
	d->max = max;
	d->room = room;
}

static int dir_set_buf(struct spl_dir *d, u32 cap)
{
	u8 *buf = kvmalloc(cap, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	if (d->len)
		memcpy(buf, d->buf, d->len);
	spl_dir_free(d);
	d->buf = buf;
	d->cap = cap;
	d->lim = cap - d->room;
	return 0;
}

int spl_dir_alloc(struct spl_dir *d)
{
	return dir_set_buf(d, min_t(u32, SPL_DIR_SMALL, d->max));
}

int spl_dir_grow(struct spl_dir *d)
{
	return dir_set_buf(d, d->max);
}

void spl_dir_free(struct spl_dir *d)
{
	if (!d->borrowed)
		kvfree(d->buf);
	d->buf = NULL;
	d->borrowed = false;
	d->cap = 0;
	d->lim = 0;
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

	/* a direction without a buffer gets one once it has bytes to read */
	if (!d->buf && !d->eof && !d->hold && spl_sock_readable(src) &&
	    spl_dir_alloc(d))
		return SPL_PUMP_NOMEM;
	if (!d->eof && !d->hold && d->len < d->lim) {
		n = spl_sock_recv(src, d->buf + d->len, d->lim - d->len);
		if (n > 0) {
			d->len += n;
			/*
			 * A full read: more may be waiting, or a head may not fit
			 * yet. Without the memory to grow, the small buffer goes
			 * on (framing tells a head that cannot fit).
			 */
			if (d->len == d->lim && d->cap < d->max)
				spl_dir_grow(d);
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
