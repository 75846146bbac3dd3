/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One client connection: accept, read the request head, choose a server,
 * connect, forward the head, hand off the rest, close.
 *
 * Ownership: a connection owns its two sockets and its buffers. It is
 * driven by one work item (conn->work) on spl_wq; socket callbacks, the
 * timer and killers only queue that work, so every state change happens in
 * process context, one at a time. References: the connection holds one on
 * itself from creation until it finishes ("base"), and each queued work
 * holds one more. Socket callbacks and the timer are torn down before the
 * base reference is dropped, so they never see a dead connection.
 */
#ifndef _SPL_CONN_H
#define _SPL_CONN_H

#include <linux/kref.h>
#include <linux/socket.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include "http.h"
#include "handshake.h"
#include "log.h"
#include "persist.h"
#include "service.h"

enum spl_conn_state {
	SPL_CONN_HANDSHAKE,	/* TLS: splicer-handshaked has the socket */
	SPL_CONN_HEAD,		/* reading the request head */
	SPL_CONN_CONNECT,	/* connecting to a server */
	SPL_CONN_RELAY,		/* relaying both ways in the kernel */
	SPL_CONN_LINGER,	/* sent a generated response, draining */
	SPL_CONN_SPLICED,	/* both sockets retired: packets are spliced */
	SPL_CONN_DONE,
};

/*
 * One direction of the relay. The buffer holds, in order: bytes sent
 * [0, off), bytes cleared to send [off, fwd), bytes still being framed
 * [fwd, len) (a partial head, say). Reads stop at lim, leaving room for a
 * head rewrite.
 *
 * An idle connection should cost little: the buffer is allocated only
 * once there is something to read, small (SPL_DIR_SMALL), and grown to
 * max only when a read fills it (a large head, a bulk transfer); see
 * spl_dir_alloc() and spl_dir_grow(). Without a buffer, cap and lim are 0.
 */
struct spl_dir {
	u8 *buf;
	u32 cap;
	u32 lim;		/* reads fill up to here: cap - room */
	u32 max;		/* cap at most */
	u32 room;		/* kept free past lim, for rewrites */
	u32 len;		/* bytes in buf */
	u32 fwd;		/* bytes cleared to send */
	u32 off;		/* bytes already sent */
	bool eof;		/* the source sent FIN */
	bool shut;		/* FIN passed on to the sink */
	bool borrowed;		/* buf is not ours to free */
	bool fin_needs_data;	/* pass the FIN on only after some bytes */
	bool dead;		/* the sink failed: pump no more */
	bool hold;		/* framing waits: read no more for now */
	u64 bytes;		/* total sent to the sink */

	/* HTTP framing of this direction (flow.c) */
	u8 flow;		/* enum spl_flow */
	bool closing;		/* requests: the last one was forwarded */
	bool upgrading;		/* requests: an upgrade awaits its answer */
	u32 scan;		/* head bytes after fwd already searched */
	struct spl_http_body body;
};

struct spl_sock_cbs {
	void (*data_ready)(struct sock *sk);
	void (*write_space)(struct sock *sk);
	void (*state_change)(struct sock *sk);
};

#define SPL_CONN_F_KILL		0	/* bit in flags: end now (admin) */

#define SPL_PIPELINE_MAX	16	/* requests awaiting their response */
#define SPL_SPARES_MAX		4	/* INSPECT: idle server connections kept */

struct spl_conn {
	struct kref ref;
	struct work_struct work;
	struct timer_list timer;
	unsigned long flags;		/* SPL_CONN_F_* */
	struct list_head node;		/* svc->conns, svc->conns_lock */

	struct spl_service *svc;	/* reference held */
	struct spl_net *sn;
	struct spl_server *srv;		/* reference + active count, or NULL */
	struct spl_server *tried[SPL_RETRIES_MAX + 1];	/* compared only */
	unsigned int ntried;
	bool timed_out;			/* last connect attempt timed out */

	struct socket *csock;		/* client */
	struct file *cfile;		/* TLS: csock's file, which owns it */
	bool tls;			/* the client leg is TLS (kTLS after the handshake) */
	bool hs_started;
	struct spl_handshake hs;	/* TLS (handshake.c) */
	struct socket *ssock;		/* server, or NULL */
	struct socket *sparked;		/* spliced: the silenced server socket, holding its port */
	struct spl_sock_cbs csaved, ssaved;

	u8 state;			/* enum spl_conn_state, work only */
	u64 id;
	u64 start_ns;
	unsigned long deadline;		/* jiffies; meaning depends on state */
	struct sockaddr_storage client;
	char client_text[48];		/* as X-Forwarded-For gives it */

	u32 scan;			/* head bytes already searched */
	struct spl_http_req req;	/* the last request head parsed */
	int status;			/* generated response, or 0 */
	int error;			/* status to answer once responses are out */
	bool error_now;			/* ...without waiting for the pipeline */
	bool error_body;		/* ...a forwarded request's body was bad */
	u32 discarded;			/* LINGER: bytes read and dropped */
	const char *linger_end;		/* LINGER: how the log says it ended */

	/*
	 * Requests forwarded and not yet answered (flow.c), a ring. Most
	 * clients wait for each response: the ring is the one slot inline
	 * until a client pipelines, then SPL_PIPELINE_MAX slots allocated.
	 */
	struct spl_log_req *pipeline;	/* the allocated ring, or NULL */
	struct spl_log_req pipe_one;	/* the ring while pipeline is NULL */
	u8 pipe_head;
	u8 pipe_len;
	u32 requests;			/* request heads forwarded */

	struct spl_persist_conn pst;	/* persistence (persist.c) */

	/* for the decision log */
	char decision[96];		/* why this server, in words */
	char srv_name[SPLICER_NAME_MAX];
	char pool_name[SPLICER_NAME_MAX];
	u64 t_first_head;		/* ns: the first request head is in */
	u64 t_connect;			/* ns: the server connection is up */
	u64 bytes_in;			/* relayed client -> server */
	u64 bytes_out;			/* relayed server -> client */

	/* packet splice (splice.c) */
	struct spl_splice *splice;	/* while SPLICED */
	struct spl_splice *splicing;	/* RELAY: a join in progress */
	atomic64_t splice_bytes[2];	/* c2s, s2c: by the splice, when it ended */
	u8 splice_tries;
	u8 splice_drains;		/* joins that drained too long */
	const char *splice_why;		/* why not (yet), for the log */
	u32 resp_heads;			/* final response heads forwarded */
	u32 rule;			/* the rule that decided, position + 1, or 0 */
	char *made;			/* a response built for this connection */
	const struct spl_pool *bound_pool; /* compared only: INSPECT */
	bool inspect;			/* every request switched on its own */
	bool srv_closing;		/* the server said it closes after this response */
	/*
	 * INSPECT: server connections of earlier requests, idle, kept for
	 * later requests switched to the same pool (oldest first; each with
	 * its callbacks still attached, a reference and an active count on
	 * its server). Work only.
	 */
	struct spl_spare {
		struct socket *sock;
		struct spl_server *srv;
		struct spl_sock_cbs saved;
	} spares[SPL_SPARES_MAX];
	u8 nspares;
	bool rebind;			/* INSPECT: the next request goes elsewhere */
	u32 made_len;

	struct spl_dir up;		/* client -> server; holds the head */
	struct spl_dir down;		/* server -> client */
};

void spl_conn_start(struct spl_service *svc, struct socket *sock);
void spl_conn_kill(struct spl_conn *conn);
/* Queue @conn's work (any context; @conn alive). */
void spl_conn_wake(struct spl_conn *conn);
void spl_conn_count_request(struct spl_conn *conn);
/* INSPECT: whether the request head at @head (parsed in conn->req) goes elsewhere. */
bool spl_conn_rebind_wanted(struct spl_conn *conn, const u8 *head);
/* Count @v under @cnt for the service, the netns and the module. */
void spl_conn_count(struct spl_conn *conn, int cnt, s64 v);

extern const char *const spl_conn_state_names[];

#endif /* _SPL_CONN_H */
