// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP/1.x framing of a relayed connection (see flow.h).
 *
 * Requests: each head is parsed and validated like the first one, then
 * rewritten (X-Forwarded-For, X-Forwarded-Proto) and forwarded; its body
 * is framed by Content-Length or chunked coding so the next head is found
 * exactly where the server will look for it. Responses: each head is
 * parsed; HEAD, 1xx, 204 and 304 have no body; a 101 turns the connection
 * into a tunnel. Methods of forwarded requests wait in the connection's
 * pipeline ring for their response. Runs in the connection's work item only.
 *
 * A bad request after the first is not forwarded: the connection stops
 * reading, lets the server answer what came before, then answers it
 * (conn->error). A bad response is answered 502.
 */
#include <linux/string.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/in.h>
#include <linux/in6.h>
#include "flow.h"
#include "rewrite.h"
#include "stats.h"

/* Whether the client's side must stop reading for now. */
static void up_hold(struct spl_conn *conn)
{
	struct spl_dir *d = &conn->up;

	d->hold = conn->error || conn->rebind ||
		  (d->flow == SPL_FLOW_HEAD &&
		   (d->closing || d->upgrading ||
		    conn->pipe_len == SPL_PIPELINE_MAX));
}

static u8 pipe_cap(const struct spl_conn *conn)
{
	return conn->pipeline ? SPL_PIPELINE_MAX : 1;
}

/* The request @i places after the oldest. */
static struct spl_log_req *pipe_at(struct spl_conn *conn, u8 i)
{
	struct spl_log_req *ring = conn->pipeline ?: &conn->pipe_one;

	return &ring[(conn->pipe_head + i) % pipe_cap(conn)];
}

/*
 * The client pipelines: move the ring from its one inline slot to
 * SPL_PIPELINE_MAX allocated ones. Slots move: no pointer into the ring
 * may be held across this.
 */
static int pipe_grow(struct spl_conn *conn)
{
	struct spl_log_req *ring;
	u8 i;

	ring = kmalloc_array(SPL_PIPELINE_MAX, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	for (i = 0; i < conn->pipe_len; i++)
		ring[i] = *pipe_at(conn, i);
	conn->pipeline = ring;
	conn->pipe_head = 0;
	return 0;
}

/* The slot the next request goes to; pipe_push() makes it count. */
static struct spl_log_req *pipe_next(struct spl_conn *conn)
{
	return pipe_at(conn, conn->pipe_len);
}

static void pipe_push(struct spl_conn *conn)
{
	conn->pipe_len++;
}

struct spl_log_req *spl_flow_oldest(struct spl_conn *conn)
{
	return conn->pipe_len ? pipe_at(conn, 0) : NULL;
}

/* Forget the oldest request. */
static void pipe_drop(struct spl_conn *conn)
{
	conn->pipe_head = (conn->pipe_head + 1) % pipe_cap(conn);
	conn->pipe_len--;
}

/* The oldest request is answered (or given up on): log it, forget it. */
static void pipe_pop(struct spl_conn *conn, const char *end)
{
	struct spl_log_req *e = spl_flow_oldest(conn);

	spl_log_request(conn, e, e->status, false, NULL, end);
	pipe_drop(conn);
	up_hold(conn);		/* room in the pipeline again */
}

void spl_flow_answered(struct spl_conn *conn, u16 status)
{
	struct spl_log_req *e = spl_flow_oldest(conn);

	spl_log_request(conn, e, status, true, conn->req.reason,
			"answered by splicer");
	if (e)
		pipe_drop(conn);
}

void spl_flow_end(struct spl_conn *conn, const char *end)
{
	while (conn->pipe_len)
		pipe_pop(conn, end);
}

void spl_flow_shrink(struct spl_conn *conn)
{
	if (conn->pipe_len)
		return;
	kfree(conn->pipeline);
	conn->pipeline = NULL;
	conn->pipe_head = 0;
}

static void request_error(struct spl_conn *conn, int status)
{
	if (!conn->error)
		conn->error = status;
}

static void response_error(struct spl_conn *conn, const char *reason)
{
	conn->req.reason = reason;
	conn->error = 502;
	conn->error_now = true;
}

/* A request head at d->buf + d->fwd, @head_len bytes, parsed into conn->req. */
static bool forward_request(struct spl_conn *conn, struct spl_dir *d,
			    u32 head_len)
{
	struct spl_rewrite rw = {
		.client = conn->client_text,
		.proto = conn->tls ? "https" : "http",
		.conn = conn->req.flags,
	};
	const struct spl_http_req *req = &conn->req;
	struct spl_log_req *e = pipe_next(conn);
	enum spl_http_body_kind kind;
	u32 old_len = head_len;
	int n;

	/* the log's copy first: the rewrite moves the head's bytes */
	spl_log_req_init(conn, e, d->buf + d->fwd);
	head_len = spl_persist_request(conn, e, d->buf + d->fwd, head_len,
				       d->len - d->fwd - head_len);
	d->len -= old_len - head_len;
	n = spl_http_rewrite_request(d->buf + d->fwd, head_len,
				     d->len - d->fwd - head_len,
				     d->cap - d->fwd, &rw);
	if (n == -2) {
		conn->req.reason = "Connection names a framing field";
		request_error(conn, 400);
		return false;
	}
	if (n < 0) {
		/* no room: wait until what precedes is sent and compacted */
		d->scan = 0;	/* the head may have shrunk */
		if (d->fwd)
			return false;
		request_error(conn, 431);
		return false;
	}
	d->len += n - head_len;
	d->fwd += n;
	d->scan = 0;
	pipe_push(conn);
	conn->requests++;
	spl_conn_count_request(conn);

	kind = spl_http_req_body(req);
	if (kind != SPL_HTTP_BODY_NONE) {
		spl_http_body_init(&d->body, kind, req->content_length);
		d->flow = SPL_FLOW_BODY;
	}
	/* what follows an upgrade or CONNECT is not HTTP until answered */
	if ((req->flags & SPL_HTTP_F_UPGRADE) || req->method == SPL_HTTP_M_CONNECT)
		d->upgrading = true;
	if ((req->flags & SPL_HTTP_F_CLOSE) ||
	    (req->minor == 0 && !(req->flags & SPL_HTTP_F_KEEPALIVE)))
		d->closing = true;
	return true;
}

static bool frame_body(struct spl_dir *d, bool *bad)
{
	bool done = false;
	int n;

	n = spl_http_body_feed(&d->body, d->buf + d->fwd, d->len - d->fwd, &done);
	if (n < 0) {
		*bad = true;
		return false;
	}
	d->fwd += n;
	if (done) {
		d->flow = SPL_FLOW_HEAD;
		d->scan = 0;
	}
	return done;
}

static bool rebind_wanted(struct spl_conn *conn, const u8 *head)
{
	bool wanted;

	rcu_read_lock();
	wanted = spl_conn_rebind_wanted(conn, head);
	rcu_read_unlock();
	return wanted;
}

bool spl_frame_up(struct spl_conn *conn, struct spl_dir *d)
{
	const struct spl_service *svc = conn->svc;
	u32 start = d->fwd, avail;
	struct spl_http_limits lim;
	bool bad = false;
	int end, status;

	spl_service_limits(&svc->cfg, &lim);
	while (d->fwd < d->len && !conn->error) {
		if (d->flow == SPL_FLOW_TUNNEL) {
			d->fwd = d->len;
			break;
		}
		if (d->flow == SPL_FLOW_BODY) {
			if (frame_body(d, &bad))
				continue;	/* the body ended: the next head */
			if (bad) {
				conn->req.reason = d->body.reason;
				request_error(conn, 400);
				/* answered once the requests before it are */
				conn->error_body = true;
			}
			break;
		}
		/* SPL_FLOW_HEAD */
		if (d->closing || d->upgrading || conn->rebind ||
		    conn->pipe_len == SPL_PIPELINE_MAX)
			break;
		avail = d->len - d->fwd;
		end = spl_http_head_end(d->buf + d->fwd, avail, &d->scan);
		if (end < 0) {
			conn->req.reason = "bare LF or NUL in the head";
			request_error(conn, 400);
			break;
		}
		if (!end && spl_http_request_line_early(d->buf + d->fwd, avail)) {
			conn->req.reason = "request line without an HTTP version";
			request_error(conn, 400);
			break;
		}
		if (!end) {
			if (avail >= d->lim && d->cap < d->max) {
				/* spl_pump() could not grow the buffer */
				conn->req.reason = "no memory for a larger head";
				request_error(conn, 503);
			} else if (avail >= d->lim) {	/* head-max at accept */
				conn->req.reason = "request head too large";
				request_error(conn, spl_http_head_too_large(
					d->buf + d->fwd, avail, &lim));
			}
			break;
		}
		status = spl_http_parse_request(d->buf + d->fwd, end, &lim, &conn->req);
		if (status) {
			request_error(conn, status);
			break;
		}
		if (conn->inspect && conn->requests && rebind_wanted(conn, d->buf + d->fwd)) {
			/* it goes elsewhere once the responses before it are out */
			conn->rebind = true;
			d->scan = 0;	/* found again from its start after the move */
			break;
		}
		if (conn->pipe_len == pipe_cap(conn) && pipe_grow(conn)) {
			conn->req.reason = "no memory to pipeline";
			request_error(conn, 503);
			break;
		}
		if (!forward_request(conn, d, end))
			break;
	}
	up_hold(conn);
	return d->fwd != start;
}

/* Both ways become a plain byte stream (101, or a 2xx to CONNECT). */
static void tunnel(struct spl_conn *conn)
{
	conn->up.flow = SPL_FLOW_TUNNEL;
	conn->up.closing = false;
	conn->up.upgrading = false;
	conn->up.hold = false;
	conn->down.flow = SPL_FLOW_TUNNEL;
	spl_flow_end(conn, "upgraded to a tunnel");
}

/*
 * A Location or Content-Location naming the server's own address sends
 * the client around the balancer: name the service as the client did.
 */
static u32 rewrite_location(struct spl_conn *conn, const struct spl_log_req *e,
			    u8 *head, u32 head_len, u32 tail, u32 cap)
{
	char server[64], server_ip[64];
	struct spl_location loc = {
		.server = server, .server_ip = server_ip,
		.scheme = conn->tls ? "https" : "http", .host = e->host,
	};
	struct spl_server *srv = conn->srv;
	int n;

	/* the log's copy of Host is cut at 63 bytes: a longer one is left alone */
	if (!srv || !e->host[0] || strlen(e->host) >= sizeof(e->host) - 1 ||
	    !READ_ONCE(conn->svc->cfg.location_rewrite))
		return head_len;
	scnprintf(server, sizeof(server), "%pISpc", &srv->addr);
	if (srv->addr.ss_family == AF_INET6)
		scnprintf(server_ip, sizeof(server_ip), "[%pI6c]",
			  &((struct sockaddr_in6 *)&srv->addr)->sin6_addr);
	else
		scnprintf(server_ip, sizeof(server_ip), "%pI4",
			  &((struct sockaddr_in *)&srv->addr)->sin_addr);
	n = spl_http_rewrite_location(head, head_len, tail, cap, &loc);
	return n < 0 ? head_len : n;
}

bool spl_frame_down(struct spl_conn *conn, struct spl_dir *d)
{
	u32 start = d->fwd, avail;
	struct spl_http_resp resp;
	enum spl_http_body_kind kind;
	struct spl_log_req *e;
	bool bad = false;
	int end;

	while (d->fwd < d->len && !conn->error_now) {
		if (d->flow == SPL_FLOW_TUNNEL) {
			d->fwd = d->len;
			break;
		}
		if (d->flow == SPL_FLOW_BODY) {
			if (frame_body(d, &bad)) {
				pipe_pop(conn, "answered");
				continue;
			}
			if (bad)
				response_error(conn, d->body.reason);
			break;
		}
		/* SPL_FLOW_HEAD */
		avail = d->len - d->fwd;
		end = spl_http_head_end(d->buf + d->fwd, avail, &d->scan);
		if (end < 0) {
			response_error(conn, "bare LF or NUL in the response head");
			break;
		}
		if (!end) {
			if (avail >= d->lim && d->cap < d->max)
				response_error(conn, "no memory for a larger response head");
			else if (avail >= d->lim)
				response_error(conn, "response head too large");
			break;
		}
		if (!conn->pipe_len) {
			response_error(conn, "response without a request");
			break;
		}
		if (spl_http_parse_response(d->buf + d->fwd, end, &resp)) {
			response_error(conn, resp.reason);
			break;
		}
		e = spl_flow_oldest(conn);
		if ((resp.flags & SPL_HTTP_F_CLOSE) ||
		    (resp.minor == 0 && !(resp.flags & SPL_HTTP_F_KEEPALIVE)))
			conn->srv_closing = true;
		if (resp.status >= 200 && resp.status != 101 && e->pflags && !e->upgrade) {
			u32 n = spl_persist_response(conn, e, d->buf + d->fwd, end,
						     d->len - d->fwd - end,
						     d->cap - d->fwd);

			d->len += n - end;
			end = n;
		}
		if ((resp.status >= 300 && resp.status < 400) || resp.status == 201 ||
		    resp.status == 200) {
			u32 n = rewrite_location(conn, e, d->buf + d->fwd, end,
						 d->len - d->fwd - end, d->cap - d->fwd);

			d->len += n - end;
			end = n;
		}
		d->fwd += end;
		d->scan = 0;
		if (!e->t_resp)
			e->t_resp = ktime_get_ns();
		kind = spl_http_resp_body(&resp, e->method);
		if (resp.status == 101 && !e->upgrade) {
			d->fwd -= end;
			response_error(conn, "101 to a request that did not ask to upgrade");
			break;
		}
		if (resp.status >= 200 || kind == SPL_HTTP_BODY_TUNNEL) {
			e->status = resp.status;
			conn->resp_heads++;
		}
		if (resp.status >= 200 && conn->srv &&
		    spl_health_bad_status(conn->srv, resp.status))
			spl_health_observe(conn->srv, SPL_PASSIVE_STATUS);
		if (kind == SPL_HTTP_BODY_TUNNEL) {
			tunnel(conn);
			d->fwd = d->len;
			break;
		}
		if (resp.status < 200)
			continue;		/* interim: the final head follows */
		if (e->upgrade) {
			/* a final answer other than 101: the upgrade was declined */
			conn->up.upgrading = false;
			up_hold(conn);
		}
		if (kind == SPL_HTTP_BODY_NONE) {
			pipe_pop(conn, "answered");
			continue;
		}
		spl_http_body_init(&d->body, kind, resp.content_length);
		d->flow = SPL_FLOW_BODY;
	}
	return d->fwd != start;
}

void spl_flow_start(struct spl_conn *conn)
{
	struct spl_dir *up = &conn->up;

	up->flow = SPL_FLOW_HEAD;
	up->fwd = 0;
	up->scan = 0;
	/* the first head is parsed already: forward it, frame what follows */
	if (forward_request(conn, up, conn->req.head_len))
		spl_frame_up(conn, up);
}
