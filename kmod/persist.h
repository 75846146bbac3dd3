/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Persistence: sending each client back to the server that holds its
 * session (cookie insert, cookie prefix, learned session ids, source
 * address, consistent hash). Documentation/persistence.md tells the
 * whole story; in short, for one connection:
 *
 *   spl_persist_pick()      the first request head: the server the client
 *                           persists on, if it is usable (connect_next)
 *   spl_persist_bound()     the server is connected: count, re-stick
 *   spl_persist_request()   every request head: the outcome for the log,
 *                           strip what the server must not see
 *   spl_persist_response()  every final response head: Set-Cookie, learn
 *
 * Configuration: svc->persist, an immutable struct spl_persist replaced
 * whole under spl_net.lock and read under RCU. Stick tables: svc->stick.
 */
#ifndef _SPL_PERSIST_H
#define _SPL_PERSIST_H

#include <linux/rcupdate.h>
#include "stick.h"
#include "token.h"
#include "uapi/linux/splicer.h"

struct spl_conn;
struct spl_log_req;
struct spl_pool;
struct spl_server;

#define SPL_PERSIST_MAXTIME	(10 * 365 * 24 * 3600U)	/* s */
#define SPL_COOKIE_DEFAULT	"SPLICERID"
#define SPL_SESSION_DEFAULT	"JSESSIONID"
#define SPL_PREFIX_SEP		'~'
#define SPL_RESP_ROOM		512	/* response head growth kept free */

struct spl_persist {
	struct rcu_head rcu;
	u8 mode;			/* enum splicer_persist_mode */
	u8 hash_key;			/* enum splicer_hash_key */
	u8 mask4, mask6;		/* prefix lengths */
	u32 flags;			/* SPLICER_PERSIST_F_* */
	u32 maxidle, maxlife;		/* s, 0: none */
	u32 timeout, size;		/* stick tables */
	char name[SPLICER_COOKIE_NAME_MAX];
	struct spl_token_keys keys;
};

/* Outcomes, for the log ("<mode> <outcome>") and the counters. */
enum spl_pv {
	SPL_PV_OFF,		/* persistence off */
	SPL_PV_NONE,		/* nothing to persist on: a new client */
	SPL_PV_HIT,		/* persists on a usable server */
	SPL_PV_FORGED,
	SPL_PV_ALTERED,
	SPL_PV_EXPIRED_IDLE,
	SPL_PV_EXPIRED_LIFE,
	SPL_PV_UNKNOWN,		/* its server is not in the pool */
	SPL_PV_DOWN,		/* its server is unusable: redispatched */
	SPL_PV_STRICT,		/* its server is unusable: 503 */
	SPL_PV_ELSEWHERE,	/* a later request names another server */
	__SPL_PV_MAX
};

/* Per connection (conn->pst). */
struct spl_persist_conn {
	u8 mode;		/* at pick time */
	u8 pv;			/* the first request's outcome */
	bool strict;		/* a connect failure must not redispatch */
	bool has_key;		/* @key: a session id or source prefix to store */
	u32 want_id;		/* the server it persists on, 0 none */
	struct spl_stick_key key;
};

/* What a forwarded request's response needs (spl_log_req.pflags). */
#define SPL_PR_SET_COOKIE	0x1	/* insert our cookie */
#define SPL_PR_PREFIX		0x2	/* prefix the application's cookie */
#define SPL_PR_LEARN		0x4	/* learn the application's cookie */

struct spl_persist *spl_persist_new(void);	/* mode none, a random key */
void spl_persist_free(struct spl_persist *p);	/* no reader left */
void spl_persist_free_rcu(struct spl_persist *p);	/* readers may be left */

/* "<mode> <outcome>" in words, or NULL when off. */
const char *spl_persist_words(u8 mode, u8 pv);

/*
 * The first request's server, taken (spl_server_take), or NULL for the
 * scheduler to choose; conn->pst says why. RCU held, @pool from it.
 */
struct spl_server *spl_persist_pick(struct spl_conn *conn,
				    struct spl_pool *pool);

/* The connection is bound to conn->srv. */
void spl_persist_bound(struct spl_conn *conn);

/*
 * A request head about to be forwarded, at @head (@head_len bytes, then
 * @tail more): fill @e's persistence fields, strip what the server must
 * not see. Return: the new head length.
 */
u32 spl_persist_request(struct spl_conn *conn, struct spl_log_req *e,
			u8 *head, u32 head_len, u32 tail);

/*
 * A final response head to @e's request, at @head: add our cookie, prefix
 * or learn the application's. Return: the new head length.
 */
u32 spl_persist_response(struct spl_conn *conn, struct spl_log_req *e,
			 u8 *head, u32 head_len, u32 tail, u32 cap);

#endif /* _SPL_PERSIST_H */
