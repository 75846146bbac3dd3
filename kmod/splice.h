/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet splice: once a connection is bound and nothing configured needs
 * to see more of its stream, its two TCP flows are joined in the network
 * layer. Documentation/splice.md tells the whole story.
 *
 * Ownership: the connection owns its splice (conn->splice). The splice's
 * two flow entries sit in a global hash read by netfilter hooks under RCU;
 * the connection's work unhashes them and waits for a grace period before
 * the splice (and the connection) may go. The hooks only translate,
 * forward, count and wake the connection's work.
 */
#ifndef _SPL_SPLICE_H
#define _SPL_SPLICE_H

#include <linux/types.h>

struct spl_conn;
struct spl_splice;
struct seq_file;

int spl_splice_init(void);
void spl_splice_exit(void);

/*
 * spl_splice_try - join @conn's flows, once its sockets are quiet.
 * Caller: the connection's work, relay buffers empty both ways.
 * @may_drain: while one side streams, its feeder may be held (DRAIN)
 * for the relay to empty the sockets.
 * Return: 0 when spliced (the caller retires both sockets);
 * -EINPROGRESS while draining (conn->splicing: the relay goes on, call
 * again soon); -EAGAIN when not quiet (nothing held any more: try again
 * later); another error when this connection cannot be spliced (*@why
 * says why).
 */
int spl_splice_try(struct spl_conn *conn, bool may_drain, const char **why);

/*
 * spl_splice_drain - start a join in DRAIN now, if one side streams; the
 * relay need not be empty yet (the sooner the feeder is held, the less
 * the other socket has in flight to drain). Return: 0 when draining,
 * -EAGAIN when nothing streams one way, another error as spl_splice_try().
 */
int spl_splice_drain(struct spl_conn *conn, const char **why);

/* Call off a join in progress (conn->splicing), if any. May sleep. */
void spl_splice_cancel(struct spl_conn *conn);

/* Whether a join in progress has drained for too long. */
bool spl_splice_overdue(struct spl_conn *conn);

/* How the splice is doing, for the connection's work. */
enum spl_splice_end {
	SPL_SPLICE_RUNNING,
	SPL_SPLICE_CLOSED,	/* FIN both ways, and the linger is over */
	SPL_SPLICE_RESET,	/* a reset from either side (lingered) */
};

/* Check @conn's splice; @idle_ms: the service's idle timeout. */
enum spl_splice_end spl_splice_poll(struct spl_conn *conn, u32 idle_ms,
				    bool *idle);

/*
 * spl_splice_end - unhash and free @conn's splice; @reset sends a reset
 * to both ends first (idle timeout, administrator, unload). May sleep.
 */
void spl_splice_end(struct spl_conn *conn, bool reset);

struct socket;
/* Close a socket of a spliced connection without sending anything. */
void spl_splice_park(struct socket *sock);
void spl_splice_retire(struct socket *sock);

/* When the next spl_splice_poll() is due (jiffies). */
unsigned long spl_splice_next(struct spl_conn *conn, u32 idle_ms);

struct net;
int spl_splice_net_init(struct net *net);
void spl_splice_net_exit(struct net *net);

/* One line's worth for /proc/net/splicer/conns. */
void spl_splice_show(struct seq_file *m, struct spl_conn *conn);

#endif /* _SPL_SPLICE_H */
