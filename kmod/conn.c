// SPDX-License-Identifier: GPL-2.0
/*
 * The connection state machine (see conn.h for ownership).
 *
 *   HEAD --head ok--> CONNECT --established--> RELAY --both FINs--> DONE
 *     |                 |  ^ refused/timeout:     |
 *     |                 |  '-- next server        | server silent/closed
 *     '-- 400/408/431 --'-- 503/504 ---------> LINGER <--- 502/504
 *
 * LINGER sends the generated response, half-closes, and reads what the
 * client still sends until it closes or a short deadline passes, so the
 * response is not destroyed by a reset.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/wait_bit.h>
#include <net/sock.h>
#include <net/tcp.h>
#include "compat.h"
#include "conn.h"
#include "flow.h"
#include "netns.h"
#include "relay.h"
#include "response.h"
#include "rewrite.h"
#include "sched.h"
#include "splice.h"
#include "sysfs.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

#define SPL_LINGER_MS		2000
#define SPL_LINGER_MAX		(1 << 20)	/* bytes discarded at most */
#define SPL_WORK_BUDGET		64		/* pump rounds per run */
#define SPL_RETRY_JIFFIES	(HZ / 50)	/* stalled send: poll */

const char *const spl_conn_state_names[] = {
	[SPL_CONN_HANDSHAKE] = "handshake",
	[SPL_CONN_HEAD] = "head",
	[SPL_CONN_CONNECT] = "connect",
	[SPL_CONN_RELAY] = "relay",
	[SPL_CONN_LINGER] = "linger",
	[SPL_CONN_SPLICED] = "spliced",
	[SPL_CONN_DONE] = "done",
};

static void spl_conn_release(struct kref *ref);

static void spl_conn_queue(struct spl_conn *conn)
{
	kref_get(&conn->ref);
	if (!queue_work(spl_wq, &conn->work))
		kref_put(&conn->ref, spl_conn_release);
}

void spl_conn_wake(struct spl_conn *conn)
{
	spl_conn_queue(conn);
}

/* Caller holds svc->conns_lock and @conn is on svc->conns. */
void spl_conn_kill(struct spl_conn *conn)
{
	set_bit(SPL_CONN_F_KILL, &conn->flags);
	spl_conn_queue(conn);
}

/* ---- accounting: a service counter also counts in the netns totals ---- */

static void count(struct spl_conn *conn, int cnt, s64 v)
{
	spl_stats_add(&conn->svc->stats, cnt, v);
	spl_stats_add(&conn->sn->stats, cnt, v);
	spl_stats_add(&spl_global_stats, cnt, v);
}

void spl_conn_count(struct spl_conn *conn, int cnt, s64 v)
{
	count(conn, cnt, v);
}

static void count_srv(struct spl_conn *conn, int cnt, s64 v)
{
	count(conn, cnt, v);
	if (conn->srv)
		spl_stats_add(&conn->srv->stats, cnt, v);
}

/* ---- socket callbacks: softirq; they only queue the work ---- */

enum { CB_DATA, CB_STATE, CB_WRITE };

/*
 * While splicer-handshaked holds a TLS socket, it waits on the socket's
 * wait queue (epoll): the stock callbacks must still wake it.
 */
static void spl_conn_event(struct sock *sk, int cb)
{
	struct spl_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = __locked_read_sk_user_data_with_flags(sk, 0);
	if (conn) {
		if (conn->tls && !READ_ONCE(conn->hs.done) && conn->csock &&
		    sk == conn->csock->sk) {
			if (cb == CB_DATA)
				conn->csaved.data_ready(sk);
			else if (cb == CB_STATE)
				conn->csaved.state_change(sk);
			else
				conn->csaved.write_space(sk);
		}
		spl_conn_queue(conn);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void spl_conn_sk_event(struct sock *sk)
{
	spl_conn_event(sk, CB_DATA);
}

static void spl_conn_state_change(struct sock *sk)
{
	spl_conn_event(sk, CB_STATE);
}

static void spl_conn_write_space(struct sock *sk)
{
	if (sk->sk_socket && sk_stream_is_writeable(sk))
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
	spl_conn_event(sk, CB_WRITE);
}

static void attach(struct spl_conn *conn, struct socket *sock,
		   struct spl_sock_cbs *saved)
{
	struct sock *sk = sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	saved->data_ready = sk->sk_data_ready;
	saved->write_space = sk->sk_write_space;
	saved->state_change = sk->sk_state_change;
	__rcu_assign_sk_user_data_with_flags(sk, conn, SK_USER_DATA_NOCOPY);
	sk->sk_data_ready = spl_conn_sk_event;
	sk->sk_write_space = spl_conn_write_space;
	sk->sk_state_change = spl_conn_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

static bool conn_tls_sk(struct sock *sk)
{
	return inet_csk(sk)->icsk_ulp_ops;
}

static void detach(struct socket *sock, const struct spl_sock_cbs *saved)
{
	struct sock *sk = sock->sk;

	/*
	 * kTLS wrapped our callbacks when the daemon installed it and puts
	 * them back at its final close, which may come after this module is
	 * gone (a daemon still holding the descriptor): give it the stock
	 * ones to put back instead.
	 */
	if (conn_tls_sk(sk))
		spl_handshake_forget_cbs(sk, saved->data_ready, saved->write_space);
	write_lock_bh(&sk->sk_callback_lock);
	rcu_assign_sk_user_data(sk, NULL);
	sk->sk_data_ready = saved->data_ready;
	sk->sk_write_space = saved->write_space;
	sk->sk_state_change = saved->state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

/*
 * Close a socket; @abort sends a reset instead of a FIN. A graceful close
 * leaves an orphan that finishes on its own, so it must pin its netns
 * (spl_sock_pin_net); once the netns is going away only a reset is left.
 */
static void close_sock(struct socket *sock, const struct spl_sock_cbs *saved,
		       bool abort, struct file *file)
{
	detach(sock, saved);
	/*
	 * A TLS socket's file may outlive this call (a daemon still holding
	 * its descriptor): pin the netns whatever the close.
	 */
	if ((!abort || file) && !spl_sock_pin_net(sock->sk))
		abort = true;
	if (abort)
		sock_no_linger(sock->sk);
	if (file)
		__fput_sync(file);	/* its file owns it */
	else
		sock_release(sock);
}

static void set_state(struct spl_conn *conn, enum spl_conn_state state)
{
	trace_splicer_conn_state(conn->svc->name, conn->id,
				 spl_conn_state_names[conn->state],
				 spl_conn_state_names[state]);
	WRITE_ONCE(conn->state, state);
}

/* ---- timer: softirq; queues the work, which compares jiffies ---- */

static void spl_conn_timer(struct timer_list *t)
{
	struct spl_conn *conn = from_timer(conn, t, timer);

	spl_conn_queue(conn);
}

static void set_deadline(struct spl_conn *conn, u32 ms)
{
	conn->deadline = jiffies + msecs_to_jiffies(ms);
	mod_timer(&conn->timer, conn->deadline);
}

static bool past_deadline(const struct spl_conn *conn)
{
	return time_after_eq(jiffies, conn->deadline);
}

/* ---- the end ---- */

static void put_server(struct spl_server *srv)
{
	spl_stats_dec(&srv->stats, SPLICER_CNT_ACTIVE);
	atomic_dec(&srv->active);
	spl_server_put(srv);
}

static void release_server(struct spl_conn *conn)
{
	if (!conn->srv)
		return;
	put_server(conn->srv);
	WRITE_ONCE(conn->srv, NULL);
}

/* INSPECT: forget the kept server connection @i (its owner took it). */
static void spare_remove(struct spl_conn *conn, unsigned int i)
{
	conn->nspares--;
	memmove(&conn->spares[i], &conn->spares[i + 1],
		(conn->nspares - i) * sizeof(conn->spares[0]));
}

/* INSPECT: close the kept server connection @i. */
static void drop_spare(struct spl_conn *conn, unsigned int i, bool abort)
{
	struct spl_spare *sp = &conn->spares[i];

	close_sock(sp->sock, &sp->saved, abort, NULL);
	put_server(sp->srv);
	spare_remove(conn, i);
}

static void drop_spares(struct spl_conn *conn, bool abort)
{
	while (conn->nspares)
		drop_spare(conn, conn->nspares - 1, abort);
}

static void close_server(struct spl_conn *conn, bool abort)
{
	spl_splice_cancel(conn);	/* a join in progress needs it */
	if (conn->ssock) {
		close_sock(conn->ssock, &conn->ssaved, abort, NULL);
		conn->ssock = NULL;
	}
}

/*
 * Stop everything that can queue the work, close both sockets and drop the
 * base reference. The work's own reference keeps @conn until it returns.
 */
static void spl_conn_finish(struct spl_conn *conn, bool abort, const char *end)
{
	struct spl_service *svc = conn->svc;

	if (conn->tls)
		spl_handshake_cancel(conn, -ECONNABORTED, "the connection ended");
	spl_splice_cancel(conn);
	if (conn->splice) {
		spl_splice_end(conn, abort);
		conn->bytes_in += atomic64_read(&conn->splice_bytes[0]);
		conn->bytes_out += atomic64_read(&conn->splice_bytes[1]);
		count_srv(conn, SPLICER_CNT_SPLICE_BYTES_IN,
			  atomic64_read(&conn->splice_bytes[0]));
		count_srv(conn, SPLICER_CNT_SPLICE_BYTES_OUT,
			  atomic64_read(&conn->splice_bytes[1]));
	}
	if (conn->sparked) {
		/* the flows are unhashed: the port may go */
		sock_release(conn->sparked);
		conn->sparked = NULL;
	}
	spl_flow_end(conn, end);
	spl_log_conn(conn, end);
	set_state(conn, SPL_CONN_DONE);
	timer_shutdown_sync(&conn->timer);
	drop_spares(conn, abort);
	close_server(conn, abort);
	if (conn->csock)
		close_sock(conn->csock, &conn->csaved, abort, conn->cfile);
	conn->csock = NULL;
	conn->cfile = NULL;

	spin_lock_bh(&svc->conns_lock);
	list_del(&conn->node);
	spin_unlock_bh(&svc->conns_lock);

	kref_put(&conn->ref, spl_conn_release);
}

/* Last reference: any context that may sleep (the work, or teardown). */
static void spl_conn_release(struct kref *ref)
{
	struct spl_conn *conn = container_of(ref, struct spl_conn, ref);
	struct spl_net *sn = conn->sn;

	count(conn, SPLICER_CNT_ACTIVE, -1);
	release_server(conn);
	spl_dir_free(&conn->up);
	spl_dir_free(&conn->down);
	kfree(conn->pipeline);		/* flow.c's ring, if the client pipelined */
	kfree(conn->made);
	spl_service_put(conn->svc);
	kfree(conn);
	atomic64_inc(&spl_conns_free);

	/* last touch of the netns state: its exit waits for this */
	if (atomic_dec_and_test(&sn->nconns))
		wake_up_var(&sn->nconns);
}

/* Answer with a generated response, then drain and close (LINGER). */
static void respond(struct spl_conn *conn, int status)
{
	int cnt = spl_stats_resp_cnt(status);
	const char *r;
	u32 len;

	struct spl_log_req first;

	/* the log: which request this answers, if it got that far */
	if (conn->state == SPL_CONN_RELAY) {
		spl_flow_answered(conn, status);
	} else if (conn->state == SPL_CONN_CONNECT || status == 503 || status == 504 ||
		   conn->rule) {
		spl_log_req_init(conn, &first, conn->up.buf);
		spl_log_request(conn, &first, status, true, conn->req.reason,
				"answered by splicer");
	} else {
		spl_log_request(conn, NULL, status, true, conn->req.reason,
				"answered by splicer");
	}
	trace_splicer_response(conn->svc->name, conn->id, status,
			       conn->req.reason ?: "");
	close_server(conn, true);
	release_server(conn);
	conn->status = status;
	if (cnt)
		count(conn, cnt, 1);
	r = conn->made ?: spl_response(status, &len);
	if (conn->made)
		len = conn->made_len;
	spl_dir_free(&conn->down);
	conn->down = (struct spl_dir){
		.buf = (u8 *)r, .len = len, .cap = len, .borrowed = !conn->made,
	};
	conn->made = NULL;	/* conn->down owns it now */
	conn->linger_end = "closed after splicer's response";
	set_state(conn, SPL_CONN_LINGER);
	set_deadline(conn, SPL_LINGER_MS);
	spl_conn_queue(conn);
}

static void step_linger(struct spl_conn *conn)
{
	struct spl_dir *d = &conn->down;
	int n;

	if (d->off < d->len) {
		n = spl_sock_send(conn->csock, d->buf + d->off, d->len - d->off);
		if (n > 0)
			d->off += n;
		else if (n != -EAGAIN)
			goto done;
		if (d->off < d->len)
			goto wait;
	}
	if (!d->shut) {
		kernel_sock_shutdown(conn->csock, SHUT_WR);
		d->shut = true;
	}
	/* discard what the client still sends, into the head buffer */
	if (!conn->up.buf && spl_dir_alloc(&conn->up))
		goto done;
	while (conn->discarded < SPL_LINGER_MAX) {
		n = spl_sock_recv(conn->csock, conn->up.buf, conn->up.cap);
		if (n == -EAGAIN)
			goto wait;
		if (n <= 0)
			goto done;
		conn->discarded += n;
	}
done:
	spl_conn_finish(conn, false, conn->linger_end);
	return;
wait:
	if (past_deadline(conn))
		spl_conn_finish(conn, false, conn->linger_end);
}

/* ---- choosing and connecting to a server ---- */

static void connect_next(struct spl_conn *conn);

/* Append to the decision the log gives. */
static __printf(2, 3) void decide(struct spl_conn *conn, const char *fmt, ...)
{
	size_t len = strlen(conn->decision);
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(conn->decision + len, sizeof(conn->decision) - len, fmt, ap);
	va_end(ap);
}

#define SPL_REDIRECT_MAX	1024

/*
 * The pool for the bound request: the first rule that matches, else the
 * service's. A rule that answers itself sets *@answer (and @location for
 * a redirect). RCU held. Rules are matched again on each connect attempt
 * (the head is the same, so is the answer); hits count once.
 */
static struct spl_pool *rule_pool(struct spl_conn *conn, const u8 *head,
				  u16 *answer, char *location, bool first);

static struct spl_pool *choose_pool(struct spl_conn *conn, u16 *answer,
				    char *location)
{
	return rule_pool(conn, conn->up.buf, answer, location, !conn->ntried);
}

/* INSPECT: whether the request head at @head belongs elsewhere. RCU held. */
bool spl_conn_rebind_wanted(struct spl_conn *conn, const u8 *head)
{
	u16 answer;

	return rule_pool(conn, head, &answer, NULL, false) != conn->bound_pool ||
	       answer;
}

static struct spl_pool *rule_pool(struct spl_conn *conn, const u8 *head,
				  u16 *answer, char *location, bool first)
{
	const struct spl_ruleset *rs = rcu_dereference(conn->svc->rules);
	struct spl_rule_req rr = {
		.head = head, .head_len = conn->req.head_len,
		.req = &conn->req, .client = &conn->client,
	};
	const struct spl_rule *r;
	u32 i = 0;

	*answer = 0;
	r = spl_rules_find(rs, &rr, &i);
	if (!r) {
		if (first && rs)
			decide(conn, "no rule matched; ");
		return rcu_dereference(conn->svc->pool);
	}
	if (first) {
		atomic64_inc(&((struct spl_rule *)r)->hits);
		conn->rule = i + 1;
		decide(conn, "rule %u; ", i);	/* its position, as rule show says */
	}
	switch (r->action) {
	case SPL_RULE_REDIRECT:
		if (location)
			strscpy(location, r->redirect, SPL_REDIRECT_MAX);
		fallthrough;
	case SPL_RULE_STATUS:
		*answer = r->status;
		return NULL;
	}
	return r->pool;
}

static void respond(struct spl_conn *conn, int status);

/* A rule answers: a redirect, or a fixed status. */
static void answer_rule(struct spl_conn *conn, u16 status, const char *location)
{
	/* @location is set (non-empty) by redirect rules only */
	conn->made = spl_response_make(status, location[0] ? location : NULL,
				       &conn->made_len);
	conn->req.reason = location[0] ? "redirected by a rule" : "answered by a rule";
	respond(conn, conn->made ? status : 503);
}


static const char *connect_error(int err)
{
	switch (err) {
	case -ETIMEDOUT: return "timed out";
	case -ECONNREFUSED: return "refused";
	case -ECONNRESET: return "reset";
	case -ENETUNREACH: return "network unreachable";
	case -EHOSTUNREACH: return "host unreachable";
	case -EADDRNOTAVAIL: return "no local address";
	}
	return "failed";
}

static void connect_failed(struct spl_conn *conn, int err)
{
	bool timeout = err == -ETIMEDOUT;

	decide(conn, " (%s)", connect_error(err));
	conn->srv_name[0] = '\0';
	conn->timed_out = timeout;
	count_srv(conn, SPLICER_CNT_CONNECT_FAIL, 1);
	if (conn->srv)
		spl_health_observe(conn->srv, timeout ? SPL_PASSIVE_TIMEOUT :
							SPL_PASSIVE_CONNECT);
	close_server(conn, true);
	release_server(conn);
	connect_next(conn);
}

static int server_addrlen(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
					   sizeof(struct sockaddr_in);
}

/*
 * INSPECT: a kept connection to a server of @pool still usable (no new
 * connection is counted against maxconn: it has one), with a reference
 * and an active count of its own. RCU held.
 */
static struct spl_server *spare_pick(struct spl_conn *conn, struct spl_pool *pool)
{
	struct spl_server *srv;
	unsigned int i;

	for (i = conn->nspares; i--; ) {
		srv = conn->spares[i].srv;
		if (READ_ONCE(srv->removed) || srv->pool != pool ||
		    READ_ONCE(srv->state) != SPLICER_SRV_STATE_UP ||
		    READ_ONCE(srv->health.state) == SPLICER_HEALTH_DOWN)
			continue;
		if (spl_server_take(srv))
			return srv;
	}
	return NULL;
}

/*
 * INSPECT: serve @srv (just picked, with a reference and an active count
 * of its own, given back here) by a kept connection to it, if one is
 * still open both ways with nothing unread. It goes through the CONNECT
 * step like a new connection, which finds it established.
 */
static bool reuse_spare(struct spl_conn *conn, struct spl_server *srv)
{
	struct spl_spare *sp;
	unsigned int i;
	struct sock *sk;

	for (i = 0; i < conn->nspares && conn->spares[i].srv != srv; i++)
		;
	if (i == conn->nspares)
		return false;
	sp = &conn->spares[i];
	sk = sp->sock->sk;
	if (READ_ONCE(sk->sk_state) != TCP_ESTABLISHED ||
	    !skb_queue_empty_lockless(&sk->sk_receive_queue)) {
		drop_spare(conn, i, true);
		return false;
	}
	atomic_dec(&srv->active);
	spl_server_put(srv);
	WRITE_ONCE(conn->srv, sp->srv);
	conn->ssock = sp->sock;
	conn->ssaved = sp->saved;
	spare_remove(conn, i);
	decide(conn, " (kept connection)");
	trace_splicer_decision(conn->svc->name, conn->id, conn->decision);
	set_state(conn, SPL_CONN_CONNECT);
	set_deadline(conn, READ_ONCE(conn->svc->cfg.connect_timeout));
	spl_conn_queue(conn);
	return true;
}

static void connect_next(struct spl_conn *conn)
{
	char location[SPL_REDIRECT_MAX] = "";
	struct spl_service *svc = conn->svc;
	u16 answer;
	u32 retries = min_t(u32, READ_ONCE(svc->cfg.retries), SPL_RETRIES_MAX);
	struct spl_server *srv = NULL;
	struct spl_pool *pool;
	struct socket *sock;
	int err;

	while (conn->ntried <= retries) {
		if (conn->ntried && conn->pst.strict && conn->pst.pv == SPL_PV_HIT) {
			/* strict: the server it persists on or nothing */
			conn->pst.pv = SPL_PV_STRICT;
			decide(conn, "; strict persistence: no other server");
			break;
		}
		rcu_read_lock();
		pool = choose_pool(conn, &answer, location);
		if (answer) {
			rcu_read_unlock();
			answer_rule(conn, answer, location);
			return;
		}
		srv = NULL;
		if (pool && !conn->ntried) {
			srv = spl_persist_pick(conn, pool);
			if (srv)
				decide(conn, "%s -> %s",
				       spl_persist_words(conn->pst.mode, conn->pst.pv),
				       srv->name);
			else if (conn->pst.pv > SPL_PV_NONE)
				decide(conn, "%s; ", spl_persist_words(conn->pst.mode,
								       conn->pst.pv));
		}
		if (pool && !srv && !conn->ntried && conn->nspares &&
		    conn->pst.pv != SPL_PV_STRICT) {
			srv = spare_pick(conn, pool);
			if (srv)
				decide(conn, "its server in this pool -> %s", srv->name);
		}
		if (pool && !srv && conn->pst.pv != SPL_PV_STRICT) {
			srv = spl_sched_pick(pool, conn->tried, conn->ntried);
			if (srv)
				decide(conn, "%s%s -> %s", conn->ntried ? "; " : "",
				       READ_ONCE(pool->balance) == SPLICER_BALANCE_LEASTCONN ?
				       "leastconn" : "roundrobin", srv->name);
		}
		if (pool && !conn->pool_name[0])
			strscpy(conn->pool_name, pool->name, sizeof(conn->pool_name));
		if (!srv)
			decide(conn, "%sno server available", conn->ntried ? "; " : "");
		rcu_read_unlock();
		if (!srv)
			break;
		strscpy(conn->srv_name, srv->name, sizeof(conn->srv_name));
		conn->bound_pool = pool;	/* compared only (INSPECT) */
		if (conn->ntried)
			count(conn, SPLICER_CNT_RETRIES, 1);
		conn->tried[conn->ntried++] = srv;
		if (reuse_spare(conn, srv))
			return;
		WRITE_ONCE(conn->srv, srv);
		spl_stats_inc(&srv->stats, SPLICER_CNT_CONNS);
		spl_stats_inc(&srv->stats, SPLICER_CNT_ACTIVE);

		err = sock_create_kern(conn->sn->net, srv->addr.ss_family,
				       SOCK_STREAM, IPPROTO_TCP, &sock);
		if (err) {
			release_server(conn);
			break;
		}
		tcp_sock_set_nodelay(sock->sk);
		conn->ssock = sock;
		attach(conn, sock, &conn->ssaved);
		err = kernel_connect(sock, (struct sockaddr *)&srv->addr,
				     server_addrlen(&srv->addr), O_NONBLOCK);
		if (!err || err == -EINPROGRESS) {
			trace_splicer_decision(svc->name, conn->id, conn->decision);
			set_state(conn, SPL_CONN_CONNECT);
			set_deadline(conn, READ_ONCE(svc->cfg.connect_timeout));
			spl_conn_queue(conn);
			return;
		}
		decide(conn, " (%s)", connect_error(err));
		conn->srv_name[0] = '\0';
		conn->timed_out = false;
		count_srv(conn, SPLICER_CNT_CONNECT_FAIL, 1);
		spl_health_observe(srv, SPL_PASSIVE_CONNECT);
		close_server(conn, true);
		release_server(conn);
	}
	if (conn->pst.strict && conn->pst.pv == SPL_PV_HIT)
		conn->pst.pv = SPL_PV_STRICT;	/* no retry was allowed */
	if (conn->pst.pv == SPL_PV_STRICT)
		conn->req.reason = "the server it persists on is unavailable (strict)";
	respond(conn, conn->timed_out && conn->pst.pv != SPL_PV_STRICT ? 504 : 503);
}

static void spl_conn_handoff(struct spl_conn *conn);

void spl_conn_count_request(struct spl_conn *conn)
{
	count_srv(conn, SPLICER_CNT_REQUESTS, 1);
}

static void step_connect(struct spl_conn *conn)
{
	struct sock *sk = conn->ssock->sk;
	int state = READ_ONCE(sk->sk_state);

	if (state == TCP_ESTABLISHED || state == TCP_CLOSE_WAIT) {
		conn->t_connect = ktime_get_ns();
		spl_conn_handoff(conn);
		return;
	}
	if (state != TCP_SYN_SENT)
		connect_failed(conn, sock_error(sk) ?: -ECONNREFUSED);
	else if (past_deadline(conn))
		connect_failed(conn, -ETIMEDOUT);
}

/* ---- TLS: the handshake is splicer-handshaked's ---- */

static void tls_failed(struct spl_conn *conn, int cnt, const char *why)
{
	count(conn, cnt, 1);
	if (why && conn->hs.info != why)
		strscpy(conn->hs.info, why, sizeof(conn->hs.info));
	spl_conn_finish(conn, true, "TLS handshake failed");
}

static void step_handshake(struct spl_conn *conn)
{
	const char *why = NULL;
	int err;

	if (!conn->hs_started) {
		conn->hs_started = true;
		err = spl_handshake_start(conn, &why);
		if (err)
			tls_failed(conn, err == -EBUSY ? SPLICER_CNT_TLS_REFUSED :
							 SPLICER_CNT_TLS_FAILED, why);
		return;
	}
	if (!READ_ONCE(conn->hs.done)) {
		if (!past_deadline(conn))
			return;
		if (!spl_handshake_cancel(conn, -ETIMEDOUT, "handshake timeout")) {
			tls_failed(conn, SPLICER_CNT_TLS_FAILED, NULL);
			return;
		}
		/* completed just now: go on below */
	}
	if (conn->hs.status) {
		tls_failed(conn, SPLICER_CNT_TLS_FAILED, NULL);
		return;
	}
	if (!spl_handshake_ktls(conn->csock->sk)) {
		tls_failed(conn, SPLICER_CNT_TLS_FAILED, "the daemon did not install kTLS both ways");
		return;
	}
	count(conn, SPLICER_CNT_TLS_HANDSHAKES, 1);
	set_state(conn, SPL_CONN_HEAD);
	set_deadline(conn, READ_ONCE(conn->svc->cfg.header_timeout));
	spl_conn_queue(conn);	/* the request may be in already */
}

/* ---- delayed binding: the request head ---- */

static void step_head(struct spl_conn *conn)
{
	struct spl_dir *up = &conn->up;
	struct spl_http_limits lim;
	int n, end, status;

	spl_service_limits(&conn->svc->cfg, &lim);
	for (;;) {
		if (!up->buf) {
			/* a client that has sent nothing yet gets no buffer */
			if (!spl_sock_readable(conn->csock))
				break;
			if (spl_dir_alloc(up)) {
				spl_conn_finish(conn, true, "no memory for the request head");
				return;
			}
		}
		/* the small buffer is full: grow it up to head-max */
		if (up->len >= up->lim && up->cap < up->max && spl_dir_grow(up)) {
			conn->req.reason = "no memory for a larger head";
			respond(conn, 503);
			return;
		}
		if (up->len >= up->lim) {	/* head-max */
			conn->req.reason = "request head too large";
			respond(conn, spl_http_head_too_large(up->buf, up->len, &lim));
			return;
		}
		n = spl_sock_recv(conn->csock, up->buf + up->len, up->lim - up->len);
		if (n == -EAGAIN)
			break;
		if (n <= 0) {
			/* closed or reset before a whole head: nothing to say */
			spl_conn_finish(conn, n < 0, n < 0 ?
					"client reset before a whole request" :
					"client closed before a whole request");
			return;
		}
		up->len += n;
		end = spl_http_head_end(up->buf, up->len, &conn->scan);
		if (end < 0) {
			conn->req.reason = "bare LF or NUL in the head";
			respond(conn, 400);
			return;
		}
		if (!end && spl_http_request_line_early(up->buf, up->len)) {
			conn->req.reason = "request line without an HTTP version";
			respond(conn, 400);
			return;
		}
		if (end > 0) {
			conn->t_first_head = ktime_get_ns();
			status = spl_http_parse_request(up->buf, end, &lim, &conn->req);
			if (status) {
				respond(conn, status);
				return;
			}
			connect_next(conn);
			return;
		}
	}
	if (past_deadline(conn)) {
		conn->req.reason = "request head timeout";
		respond(conn, 408);
	}
}

/* ---- after binding ---- */

static void count_bytes(struct spl_conn *conn, u64 up0, u64 down0)
{
	conn->bytes_in += conn->up.bytes - up0;
	conn->bytes_out += conn->down.bytes - down0;
	count_srv(conn, SPLICER_CNT_BYTES_IN, conn->up.bytes - up0);
	count_srv(conn, SPLICER_CNT_BYTES_OUT, conn->down.bytes - down0);
}

/*
 * A send can fail with -EAGAIN for want of memory while the socket has
 * nothing in flight; then no ACK will ever call sk_write_space. Poll.
 */
static bool relay_stalled(struct spl_conn *conn)
{
	return (conn->up.off < conn->up.fwd && !conn->up.dead &&
		sk_stream_is_writeable(conn->ssock->sk)) ||
	       (conn->down.off < conn->down.fwd &&
		sk_stream_is_writeable(conn->csock->sk));
}


/*
 * The one place that decides how the rest of the connection is carried.
 * Today: the in-kernel relay. The packet splice and kTLS slot in here.
 */
static void spl_conn_handoff(struct spl_conn *conn)
{
	struct spl_dir *down = &conn->down;
	u32 head_max = conn->up.max - conn->up.room;

	/* its buffer comes with the first bytes of the response (spl_pump) */
	spl_dir_init(down, max_t(u32, SPL_RELAY_BUF, head_max),
		     SPL_RESP_ROOM);	/* room for our Set-Cookie */
	down->fin_needs_data = true;	/* a FIN before any byte is a 502 */
	spl_persist_bound(conn);
	spl_flow_start(conn);
	set_state(conn, SPL_CONN_RELAY);
	set_deadline(conn, READ_ONCE(conn->svc->cfg.server_timeout));
	spl_conn_queue(conn);
}

/*
 * The server is done (closed or reset) after answering, or stopped reading:
 * deliver what is still buffered, FIN the client and drain it (LINGER).
 */
static void relay_to_linger(struct spl_conn *conn, bool abort_server)
{
	close_server(conn, abort_server);
	release_server(conn);
	conn->down.len = conn->down.fwd;	/* only what was cleared */
	conn->linger_end = "closed after the server finished";
	set_state(conn, SPL_CONN_LINGER);
	set_deadline(conn, SPL_LINGER_MS);
	spl_conn_queue(conn);
}

/*
 * Before the first response byte the server has server_timeout to answer
 * (counted from the last byte of request sent, so slow uploads are fine);
 * after it, either side may stay silent for idle_timeout.
 */
static u32 relay_timeout(struct spl_conn *conn)
{
	const struct spl_service_cfg *cfg = &conn->svc->cfg;

	return conn->down.bytes ? READ_ONCE(cfg->idle_timeout) :
				  READ_ONCE(cfg->server_timeout);
}

/*
 * A request or response the flow refused (conn->error): answer it once the
 * client has every byte that came before. Return: true if handled.
 */
static bool relay_error(struct spl_conn *conn)
{
	struct spl_dir *down = &conn->down;

	if (!conn->error || down->off < down->fwd)
		return false;
	if (conn->error_now) {
		if (down->flow == SPL_FLOW_BODY && down->bytes) {
			/* mid-response: cut */
			spl_conn_finish(conn, true, "malformed body in mid-response");
			return true;
		}
	} else if (conn->pipe_len > (conn->error_body ? 1 : 0) ||
		   down->flow != SPL_FLOW_HEAD || down->fwd < down->len) {
		/*
		 * Earlier requests are answered first; a request whose body
		 * was bad is the last one in the pipeline and gets our answer.
		 */
		return false;
	}
	respond(conn, conn->error);
	return true;
}

/* ---- packet splice ---- */

#define SPL_SPLICE_TRIES	50	/* quiet checks before relaying for good */
#define SPL_SPLICE_DRAINS	3	/* drains too long before holding both at once only */

/*
 * Whether the rest may go to the packet splice: the service wants it,
 * nobody closed, and whatever must still be seen (the first response
 * head, when persistence writes or learns there) has been.
 */
static bool splice_allowed(struct spl_conn *conn)
{
	const struct spl_dir *up = &conn->up, *down = &conn->down;
	u8 mode = conn->pst.mode;

	if (!READ_ONCE(conn->svc->cfg.splice) || conn->splice_tries >= SPL_SPLICE_TRIES ||
	    conn->error || !conn->requests || conn->inspect)
		return false;
	if (conn->tls) {
		/* a kTLS leg stays on the relay: the splice cannot carry it */
		conn->splice_tries = SPL_SPLICE_TRIES;
		conn->splice_why = "TLS client leg (kTLS)";
		count(conn, SPLICER_CNT_SPLICE_FALLBACK, 1);
		return false;
	}
	if ((mode == SPLICER_PERSIST_COOKIE || mode == SPLICER_PERSIST_PREFIX ||
	     mode == SPLICER_PERSIST_LEARN ||
	     READ_ONCE(conn->svc->cfg.location_rewrite)) && !conn->resp_heads)
		return false;	/* the first response head must be seen first */
	/*
	 * A client held only because its last request said Connection: close
	 * has nothing more to say: the rest of the response can be spliced.
	 * Should it send more anyway, the bytes wait unread in its socket and
	 * the quiet check refuses.
	 */
	if (up->hold && !(up->closing && !conn->error && !conn->rebind &&
			  !up->upgrading && conn->pipe_len < SPL_PIPELINE_MAX))
		return false;
	return !up->eof && !down->eof && !up->shut && !down->shut && !up->dead;
}

/* The relay holds nothing either way. */
static bool relay_empty(const struct spl_conn *conn)
{
	return conn->up.off == conn->up.len && conn->down.off == conn->down.len;
}

/*
 * A join in progress goes on only while the splice is still allowed and
 * its drain is not overdue (a slow client would hold the server).
 */
static void splice_keep_or_cancel(struct spl_conn *conn)
{
	bool overdue;

	if (!conn->splicing)
		return;
	overdue = spl_splice_overdue(conn);
	if (!overdue && splice_allowed(conn))
		return;
	if (overdue) {
		conn->splice_drains++;
		conn->splice_why = "draining took too long";
	}
	spl_splice_cancel(conn);
	if (++conn->splice_tries == SPL_SPLICE_TRIES)
		count(conn, SPLICER_CNT_SPLICE_FALLBACK, 1);
}

static void splice_drain(struct spl_conn *conn)
{
	int err = spl_splice_drain(conn, &conn->splice_why);

	if (err && err != -EAGAIN) {
		/* refused for good (family, MTUs, memory): say so once */
		conn->splice_tries = SPL_SPLICE_TRIES;
		count(conn, SPLICER_CNT_SPLICE_FALLBACK, 1);
	}
}

static int try_splice(struct spl_conn *conn)
{
	int err;

	err = spl_splice_try(conn, conn->splice_drains < SPL_SPLICE_DRAINS,
			     &conn->splice_why);
	if (err == -EINPROGRESS)
		return err;
	conn->splice_tries++;
	if (err == -EAGAIN && conn->splice_tries < SPL_SPLICE_TRIES)
		return err;
	if (err) {
		/* relayed for good; the connection record says why */
		conn->splice_tries = SPL_SPLICE_TRIES;
		count(conn, SPLICER_CNT_SPLICE_FALLBACK, 1);
		return err;
	}
	/* the sockets are retired: the splice carries the rest */
	detach(conn->csock, &conn->csaved);
	detach(conn->ssock, &conn->ssaved);
	spl_splice_retire(conn->csock);
	spl_splice_park(conn->ssock);
	conn->sparked = conn->ssock;
	conn->csock = NULL;
	conn->ssock = NULL;
	conn->splice_why = NULL;
	count(conn, SPLICER_CNT_SPLICED, 1);
	spl_flow_end(conn, "spliced: no more HTTP framing");
	set_state(conn, SPL_CONN_SPLICED);
	mod_timer(&conn->timer, spl_splice_next(conn, READ_ONCE(conn->svc->cfg.idle_timeout)));
	return 0;
}

static void step_spliced(struct spl_conn *conn)
{
	u32 idle_ms = READ_ONCE(conn->svc->cfg.idle_timeout);
	bool idle;

	switch (spl_splice_poll(conn, idle_ms, &idle)) {
	case SPL_SPLICE_CLOSED:
		spl_conn_finish(conn, false, "both sides closed (spliced)");
		return;
	case SPL_SPLICE_RESET:
		spl_conn_finish(conn, false, "reset (spliced)");
		return;
	case SPL_SPLICE_RUNNING:
		break;
	}
	if (idle) {
		spl_conn_finish(conn, true, "idle timeout (spliced)");
		return;
	}
	mod_timer(&conn->timer, spl_splice_next(conn, idle_ms));
}

/*
 * INSPECT, before another request is switched elsewhere: keep the server
 * connection if it can serve again (open both ways, its response read to
 * the end, the server not closing), dropping the oldest kept one if need
 * be; else close it.
 */
static void keep_or_close_server(struct spl_conn *conn)
{
	struct sock *sk = conn->ssock ? conn->ssock->sk : NULL;
	struct spl_spare *sp;

	if (!sk || !conn->srv || conn->srv_closing || conn->down.eof ||
	    conn->down.off != conn->down.len ||
	    READ_ONCE(sk->sk_state) != TCP_ESTABLISHED) {
		close_server(conn, false);
		release_server(conn);
		return;
	}
	if (conn->nspares == SPL_SPARES_MAX)
		drop_spare(conn, 0, false);
	sp = &conn->spares[conn->nspares++];
	sp->sock = conn->ssock;
	sp->saved = conn->ssaved;
	sp->srv = conn->srv;
	conn->ssock = NULL;
	WRITE_ONCE(conn->srv, NULL);
}

/*
 * INSPECT: the next request belongs to another pool (or a rule answers
 * it) and every response before it is out. Close this server's
 * connection, put the request head first in the buffer and choose again,
 * as for the first request.
 */
static void rebind(struct spl_conn *conn)
{
	struct spl_dir *up = &conn->up;
	u32 left = up->len - up->fwd;

	keep_or_close_server(conn);
	memmove(up->buf, up->buf + up->fwd, left);
	*up = (struct spl_dir){
		.buf = up->buf, .cap = up->cap, .len = left, .lim = up->lim,
		.max = up->max, .room = up->room,
	};
	spl_dir_free(&conn->down);
	memset(&conn->down, 0, sizeof(conn->down));
	conn->rebind = false;
	conn->srv_closing = false;
	conn->ntried = 0;
	conn->timed_out = false;
	conn->decision[0] = '\0';
	conn->srv_name[0] = '\0';
	conn->pool_name[0] = '\0';
	conn->rule = 0;
	conn->resp_heads = 0;
	memset(&conn->pst, 0, sizeof(conn->pst));
	conn->t_first_head = ktime_get_ns();
	count(conn, SPLICER_CNT_REBINDS, 1);
	connect_next(conn);
}

/*
 * A keep-alive connection between two requests holds no bytes: give back
 * its buffers (and a pipelining client's ring) until the next request, so
 * that many idle connections cost little. Only there: an empty buffer in
 * the middle of a transfer is a pause, and the next bytes come soon.
 */
static void relay_rest(struct spl_conn *conn)
{
	struct spl_dir *up = &conn->up, *down = &conn->down;

	if (up->len || down->len || up->flow != SPL_FLOW_HEAD ||
	    down->flow != SPL_FLOW_HEAD || !spl_flow_idle(conn) || conn->rebind)
		return;
	spl_dir_free(up);
	spl_dir_free(down);
	spl_flow_shrink(conn);
}

static void step_relay(struct spl_conn *conn)
{
	struct spl_dir *up = &conn->up, *down = &conn->down;
	u64 up0 = up->bytes, down0 = down->bytes;
	int budget = SPL_WORK_BUDGET;
	bool again = false, retry = false;
	enum spl_pump a, b;

	for (;;) {
		if (!budget--) {
			again = true;		/* let others run first */
			break;
		}
		a = up->dead ? SPL_PUMP_IDLE :
			spl_pump(conn, up, conn->csock, conn->ssock, spl_frame_up);
		b = spl_pump(conn, down, conn->ssock, conn->csock, spl_frame_down);

		if (a == SPL_PUMP_SRC_ERR || b == SPL_PUMP_DST_ERR) {
			count_bytes(conn, up0, down0);	/* the client is gone */
			spl_conn_finish(conn, true, "client went away (reset)");
			return;
		}
		if (a == SPL_PUMP_NOMEM || b == SPL_PUMP_NOMEM) {
			count_bytes(conn, up0, down0);
			spl_conn_finish(conn, true, "no memory for a relay buffer");
			return;
		}
		if (a == SPL_PUMP_DST_ERR) {
			/* the server stopped reading: its answer may still come */
			up->dead = true;
			a = SPL_PUMP_MOVED;
		}
		if (conn->rebind && spl_flow_idle(conn) && down->flow == SPL_FLOW_HEAD &&
		    down->off == down->len && up->off == up->fwd) {
			count_bytes(conn, up0, down0);
			rebind(conn);
			return;
		}
		if (!down->bytes && !down->fwd &&
		    (b == SPL_PUMP_SRC_ERR || down->eof)) {
			conn->req.reason = "server closed without a response";
			if (conn->srv)
				spl_health_observe(conn->srv, SPL_PASSIVE_RESET);
			count_bytes(conn, up0, down0);
			respond(conn, 502);
			return;
		}
		if (relay_error(conn)) {
			count_bytes(conn, up0, down0);
			return;
		}
		if (b == SPL_PUMP_SRC_ERR ||
		    (down->shut && (up->dead || up->closing || conn->error))) {
			count_bytes(conn, up0, down0);
			relay_to_linger(conn, true);
			return;
		}
		if (up->closing && spl_flow_idle(conn) && down->flow == SPL_FLOW_HEAD &&
		    down->off == down->len && !down->shut) {
			/*
			 * The client said Connection: close and has its answer.
			 * The server connection is done too: a reset ends it
			 * without a TIME-WAIT here, which at a high rate of such
			 * requests to one server would use up the local ports.
			 */
			count_bytes(conn, up0, down0);
			down->eof = true;
			relay_to_linger(conn, true);
			return;
		}
		if (up->shut && down->shut) {
			count_bytes(conn, up0, down0);
			spl_conn_finish(conn, false, "both sides closed");
			return;
		}
		if (a == SPL_PUMP_IDLE && b == SPL_PUMP_IDLE)
			break;
	}
	count_bytes(conn, up0, down0);
	if (!again)
		relay_rest(conn);
	splice_keep_or_cancel(conn);
	if (!conn->splicing && !relay_empty(conn) &&
	    conn->splice_drains < SPL_SPLICE_DRAINS && splice_allowed(conn))
		/* streaming: hold the feeder now, before the relay fills a socket */
		splice_drain(conn);
	if (!again && splice_allowed(conn) && relay_empty(conn)) {
		switch (try_splice(conn)) {
		case 0:
			return;
		case -EAGAIN:
			/* not quiet yet: look again soon */
			retry = true;
			break;
		}
	}
	if (up->bytes != up0 || down->bytes != down0) {
		set_deadline(conn, relay_timeout(conn));
	} else if (past_deadline(conn)) {
		if (!down->bytes && !down->fwd) {
			conn->req.reason = "server response timeout";
			if (conn->srv)
				spl_health_observe(conn->srv, SPL_PASSIVE_TIMEOUT);
			respond(conn, 504);
		} else {
			spl_conn_finish(conn, true, "idle timeout");
		}
		return;
	}
	if (again)
		spl_conn_queue(conn);
	else if (conn->splicing)
		mod_timer(&conn->timer, jiffies + 1);	/* draining: soon quiet */
	else if (retry || relay_stalled(conn))
		mod_timer(&conn->timer, jiffies + SPL_RETRY_JIFFIES);
	else if (!timer_pending(&conn->timer))
		mod_timer(&conn->timer, conn->deadline);
}

static void spl_conn_work(struct work_struct *work)
{
	struct spl_conn *conn = container_of(work, struct spl_conn, work);

	if (conn->state != SPL_CONN_DONE) {
		if (test_bit(SPL_CONN_F_KILL, &conn->flags)) {
			spl_conn_finish(conn, true, "stopped by the administrator");
		} else {
			switch (conn->state) {
			case SPL_CONN_HANDSHAKE:
				step_handshake(conn);
				break;
			case SPL_CONN_HEAD:
				step_head(conn);
				break;
			case SPL_CONN_CONNECT:
				step_connect(conn);
				break;
			case SPL_CONN_RELAY:
				step_relay(conn);
				break;
			case SPL_CONN_LINGER:
				step_linger(conn);
				break;
			case SPL_CONN_SPLICED:
				step_spliced(conn);
				break;
			}
		}
	}
	kref_put(&conn->ref, spl_conn_release);
}

/*
 * spl_conn_start - take over a freshly accepted client socket.
 * Runs in the service's accept work. Owns @sock from here on: on failure
 * it is closed.
 */
static unsigned int max_conns = 100000;
module_param(max_conns, uint, 0644);
MODULE_PARM_DESC(max_conns,
		 "connections open at once over all services; more are reset (0: no limit)");

void spl_conn_start(struct spl_service *svc, struct socket *sock)
{
	u32 head_max = READ_ONCE(svc->cfg.head_max);
	unsigned int max = READ_ONCE(max_conns);
	struct spl_conn *conn;

	if (max && atomic64_read(&spl_conns_alloc) -
		   atomic64_read(&spl_conns_free) >= max) {
		atomic64_inc(&spl_conns_refused);
		goto drop;
	}

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		goto drop;
	/* its buffer comes with the first bytes of the request (step_head) */
	spl_dir_init(&conn->up, head_max + SPL_REWRITE_ROOM, SPL_REWRITE_ROOM);
	if (kernel_getpeername(sock, (struct sockaddr *)&conn->client) < 0)
		conn->client.ss_family = AF_UNSPEC;
	if (conn->client.ss_family == AF_UNSPEC)
		strscpy(conn->client_text, "unknown", sizeof(conn->client_text));
	else
		scnprintf(conn->client_text, sizeof(conn->client_text), "%pISc",
			  &conn->client);

	kref_init(&conn->ref);
	INIT_WORK(&conn->work, spl_conn_work);
	timer_setup(&conn->timer, spl_conn_timer, 0);
	conn->csock = sock;
	conn->sn = svc->sn;
	conn->inspect = READ_ONCE(svc->cfg.inspect);
	conn->start_ns = ktime_get_ns();
	conn->state = SPL_CONN_HEAD;
	if (READ_ONCE(svc->cfg.tls)) {
		/* the daemon gets it as a descriptor: it needs a file */
		struct file *file = sock_alloc_file(sock, 0, NULL);

		if (IS_ERR(file)) {
			/* sock_alloc_file() released the socket */
			kfree(conn);
			return;
		}
		conn->cfile = file;
		conn->tls = true;
		conn->state = SPL_CONN_HANDSHAKE;
	}

	spin_lock_bh(&svc->conns_lock);
	if (svc->stopping) {
		spin_unlock_bh(&svc->conns_lock);
		if (conn->cfile) {
			sock_no_linger(sock->sk);
			__fput_sync(conn->cfile);
			kfree(conn);
			return;
		}
		kfree(conn);
		goto drop;
	}
	conn->id = ++svc->next_conn_id;
	list_add_tail(&conn->node, &svc->conns);
	spl_service_get(svc);
	conn->svc = svc;
	atomic_inc(&conn->sn->nconns);
	atomic64_inc(&spl_conns_alloc);
	spin_unlock_bh(&svc->conns_lock);

	count(conn, SPLICER_CNT_CONNS, 1);
	count(conn, SPLICER_CNT_ACTIVE, 1);
	tcp_sock_set_nodelay(sock->sk);
	/*
	 * The child inherited the listener's callback (not its pointer): give
	 * it the stock one, so what detach() restores never points into us.
	 */
	write_lock_bh(&sock->sk->sk_callback_lock);
	sock->sk->sk_data_ready = svc->saved_data_ready;
	write_unlock_bh(&sock->sk->sk_callback_lock);
	/*
	 * Once attached, the socket's callbacks may run the work, which may
	 * finish the connection and drop the base reference: hold one of our
	 * own until we are done with it here.
	 */
	kref_get(&conn->ref);
	set_deadline(conn, conn->tls ? READ_ONCE(svc->cfg.handshake_timeout) :
				       READ_ONCE(svc->cfg.header_timeout));
	attach(conn, sock, &conn->csaved);
	spl_conn_queue(conn);	/* the head may already be waiting */
	kref_put(&conn->ref, spl_conn_release);
	return;
drop:
	sock_no_linger(sock->sk);
	sock_release(sock);
}
