/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TLS handshake upcall to splicer-handshaked (see the uapi header's TLS
 * section and Documentation/tls.md).
 *
 * A TLS connection's socket gets a file (the daemon receives it as a
 * descriptor); the connection holds one reference to it and closes it
 * with __fput_sync() from its work. Its struct spl_handshake waits on the
 * netns's pending list, then on the accepted list once a daemon worker has
 * taken it; both lists and every field below them are guarded by
 * spl_net.hs_lock. Whoever takes the handshake off its list completes it:
 * the daemon's DONE, the netlink socket of the worker that accepted it
 * closing, the connection's timeout or its end. The connection is alive
 * while its handshake is on a list (it takes it off before it goes).
 */
#ifndef _SPL_HANDSHAKE_H
#define _SPL_HANDSHAKE_H

#include <linux/list.h>
#include <linux/types.h>

struct genl_info;
struct net;
struct sock;
struct sk_buff;
struct spl_conn;
struct spl_net;

struct spl_handshake {
	struct list_head node;		/* sn->hs_pending / hs_accepted */
	u64 id;
	u32 portid;			/* the worker that accepted it */
	bool queued;			/* on a list */
	bool done;			/* completed: status is final */
	int status;			/* 0, or a negative errno */
	char info[96];			/* for the log: version, cipher, SNI; or why not */
};

/* Queue @conn's handshake and tell the daemons. 0, or why not (*@why). */
int spl_handshake_start(struct spl_conn *conn, const char **why);

/*
 * Take @conn's handshake off its list if it is still there, completing
 * it with @status (a timeout, the connection's end). Return: whether it
 * was done already (then its status stands).
 */
bool spl_handshake_cancel(struct spl_conn *conn, int status, const char *why);

/* kTLS is to restore these callbacks at its close, not ours. */
void spl_handshake_forget_cbs(struct sock *sk, void (*data_ready)(struct sock *),
			      void (*write_space)(struct sock *));

/* Whether @sk carries kTLS in both directions. */
bool spl_handshake_ktls(struct sock *sk);

/* netlink doit handlers */
int spl_nl_tls_accept(struct sk_buff *skb, struct genl_info *info);
int spl_nl_tls_done(struct sk_buff *skb, struct genl_info *info);

/* A netlink socket of @portid in @net closed: fail what it accepted. */
void spl_handshake_release(struct net *net, u32 portid);

void spl_handshake_net_init(struct spl_net *sn);

int spl_handshake_init(void);
void spl_handshake_exit(void);

#endif /* _SPL_HANDSHAKE_H */
