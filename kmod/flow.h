/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP/1.x message framing on a relayed connection: which bytes are heads,
 * bodies or a tunnel, in each direction, with pipelining.
 */
#ifndef _SPL_FLOW_H
#define _SPL_FLOW_H

#include "conn.h"

enum spl_flow {
	SPL_FLOW_HEAD,		/* expecting a message head */
	SPL_FLOW_BODY,		/* inside a body (dir->body) */
	SPL_FLOW_TUNNEL,	/* no more HTTP: every byte passes */
};

/* The first request head (already parsed in conn->req) starts the flow. */
void spl_flow_start(struct spl_conn *conn);

/* spl_frame_fn for client -> server and server -> client. */
bool spl_frame_up(struct spl_conn *conn, struct spl_dir *d);
bool spl_frame_down(struct spl_conn *conn, struct spl_dir *d);

/* The oldest request still waiting for its response, or NULL. */
struct spl_log_req *spl_flow_oldest(struct spl_conn *conn);

/* splicer answers the oldest request itself (or one never forwarded). */
void spl_flow_answered(struct spl_conn *conn, u16 status);

/* The connection ends: log the requests still waiting, as @end. */
void spl_flow_end(struct spl_conn *conn, const char *end);

/*
 * If no request is waiting, give back a pipelining client's ring: the
 * inline slot serves until it pipelines again.
 */
void spl_flow_shrink(struct spl_conn *conn);

/* No request is waiting for its response. */
static inline bool spl_flow_idle(const struct spl_conn *conn)
{
	return !conn->pipe_len;
}

#endif /* _SPL_FLOW_H */
