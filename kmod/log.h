/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decision log: one netlink multicast record per request and per
 * connection (SPLICER_CMD_LOG, see the uapi header). Written from the
 * connection's work item; never waits for a reader.
 */
#ifndef _SPL_LOG_H
#define _SPL_LOG_H

#include <linux/types.h>

struct spl_conn;

/* A request forwarded to the server and not yet fully answered. */
struct spl_log_req {
	u8 method;		/* enum spl_http_method */
	bool upgrade;		/* it asked for a protocol upgrade */
	u16 status;		/* final (or 101) status of its response */
	u32 no;			/* 1 for the connection's first request */
	u64 t_head;		/* ns: its head was complete */
	u64 t_resp;		/* ns: its response head arrived, or 0 */
	const char *persist;	/* persistence outcome in words, or NULL */
	u8 pflags;		/* SPL_PR_*: what its response needs */
	u32 born;		/* SPL_PR_SET_COOKIE: the token's first issue */
	char method_text[16];
	char target[128];
	char host[64];
};

/* Fill @e from the request head at @head (conn->req describes it). */
void spl_log_req_init(struct spl_conn *conn, struct spl_log_req *e,
		      const u8 *head);

/*
 * spl_log_request - one request's record.
 * @e: the request, or NULL when it could not be parsed
 * @status: what the client got (0: nothing)
 * @generated: splicer wrote that response itself (@reason says why)
 * @end: how this request ended, in words
 */
void spl_log_request(struct spl_conn *conn, const struct spl_log_req *e,
		     u16 status, bool generated, const char *reason,
		     const char *end);

/* The connection's own record, when it ends. */
void spl_log_conn(struct spl_conn *conn, const char *end);

struct net;

/* A server's health changed to @health ("up", "down") because of @cause. */
void spl_log_health(struct net *net, const char *pool, const char *server,
		    const char *health, const char *cause);

#endif /* _SPL_LOG_H */
