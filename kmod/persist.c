// SPDX-License-Identifier: GPL-2.0
/*
 * Persistence (see persist.h).
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include "conn.h"
#include "cookie.h"
#include "maglev.h"
#include "persist.h"

/* Fixed: every node must hash a key to the same slot. */
static const siphash_key_t hash_key = {{ 0x73706c6963657233ULL, 0x686173682d6b6579ULL }};

#define OUTCOMES(m) {							\
	[SPL_PV_NONE] = m " none",					\
	[SPL_PV_HIT] = m " hit",					\
	[SPL_PV_FORGED] = m " forged",					\
	[SPL_PV_ALTERED] = m " altered",				\
	[SPL_PV_EXPIRED_IDLE] = m " expired (maxidle)",			\
	[SPL_PV_EXPIRED_LIFE] = m " expired (maxlife)",			\
	[SPL_PV_UNKNOWN] = m " unknown server, redispatched",		\
	[SPL_PV_DOWN] = m " server down, redispatched",			\
	[SPL_PV_STRICT] = m " server down, strict",			\
	[SPL_PV_ELSEWHERE] = m " bound elsewhere on this connection",	\
}

static const char *const words[__SPLICER_PERSIST_MAX][__SPL_PV_MAX] = {
	[SPLICER_PERSIST_COOKIE] = OUTCOMES("cookie"),
	[SPLICER_PERSIST_PREFIX] = OUTCOMES("prefix"),
	[SPLICER_PERSIST_LEARN] = OUTCOMES("learn"),
	[SPLICER_PERSIST_SOURCE] = OUTCOMES("source"),
	[SPLICER_PERSIST_HASH] = OUTCOMES("hash"),
};

const char *spl_persist_words(u8 mode, u8 pv)
{
	if (mode > SPLICER_PERSIST_MAX || pv >= __SPL_PV_MAX)
		return NULL;
	return words[mode][pv];
}

struct spl_persist *spl_persist_new(void)
{
	struct spl_persist *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	p->mode = SPLICER_PERSIST_NONE;
	p->mask4 = 32;
	p->mask6 = 64;
	p->timeout = SPL_STICK_TIMEOUT_DEFAULT;
	p->size = SPL_STICK_SIZE_DEFAULT;
	get_random_bytes(&p->keys.key[0], sizeof(p->keys.key[0]));
	p->keys.n = 1;
	return p;
}

void spl_persist_free(struct spl_persist *p)
{
	kfree_sensitive(p);
}

static void persist_free_rcu(struct rcu_head *head)
{
	kfree_sensitive(container_of(head, struct spl_persist, rcu));
}

void spl_persist_free_rcu(struct spl_persist *p)
{
	if (p)
		call_rcu(&p->rcu, persist_free_rcu);
}

static u32 wall_now(void)
{
	return (u32)ktime_get_real_seconds();
}

/* ---- keys ---- */

static void source_key(const struct sockaddr_storage *ss, u8 mask4, u8 mask6,
		       struct spl_stick_key *k)
{
	u8 bits, i;

	memset(k, 0, offsetof(struct spl_stick_key, data));
	k->kind = SPLICER_STICK_SOURCE;
	if (ss->ss_family == AF_INET6) {
		memcpy(k->data, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
		k->len = 16;
		bits = mask6;
	} else if (ss->ss_family == AF_INET) {
		memcpy(k->data, &((const struct sockaddr_in *)ss)->sin_addr, 4);
		k->len = 4;
		bits = mask4;
	} else {
		k->len = 0;
		return;
	}
	k->family = ss->ss_family;
	k->prefix = bits;
	for (i = 0; i < k->len; i++) {
		if (bits >= 8) {
			bits -= 8;
			continue;
		}
		k->data[i] &= (u8)(0xff00 >> bits);
		bits = 0;
	}
}

/* The application's session id in a request: Cookie, ;name=, ?name=. */
static bool session_id(const struct spl_conn *conn, const struct spl_persist *p,
		       const u8 *head, u32 head_len, struct spl_stick_key *k)
{
	const u8 *target = head + conn->req.target_off;
	u32 off, len;
	const u8 *v;

	if (spl_cookie_get(head, head_len, p->name, &off, &len)) {
		v = head + off;
	} else if (spl_path_param(target, conn->req.target_len, p->name, &off, &len) ||
		   spl_query_param(target, conn->req.target_len, p->name, &off, &len)) {
		v = target + off;
	} else {
		return false;
	}
	if (!len || len > SPLICER_STICK_KEY_MAX)
		return false;
	memset(k, 0, offsetof(struct spl_stick_key, data));
	k->kind = SPLICER_STICK_SESSION;
	k->len = len;
	memcpy(k->data, v, len);
	return true;
}

/* The bytes hash persistence hashes, or false when the request has none. */
static bool hash_input(const struct spl_conn *conn, const struct spl_persist *p,
		       const u8 *head, u32 head_len, u64 *hash)
{
	const u8 *target = head + conn->req.target_off;
	struct spl_stick_key k;
	u32 off, len;

	switch (p->hash_key) {
	case SPLICER_HASH_SOURCE:
		source_key(&conn->client, p->mask4, p->mask6, &k);
		if (!k.len)
			return false;
		*hash = siphash(k.data, k.len, &hash_key);
		return true;
	case SPLICER_HASH_HEADER:
		if (!spl_header_get(head, head_len, p->name, &off, &len))
			return false;
		break;
	case SPLICER_HASH_COOKIE:
		if (!spl_cookie_get(head, head_len, p->name, &off, &len))
			return false;
		break;
	case SPLICER_HASH_PARAM:
		if (!spl_query_param(target, conn->req.target_len, p->name, &off, &len))
			return false;
		*hash = siphash(target + off, len, &hash_key);
		return true;
	default:
		return false;
	}
	*hash = siphash(head + off, len, &hash_key);
	return true;
}

/*
 * The token in our cookie (COOKIE) or the prefix (PREFIX), as a verdict.
 * Tokens are scoped to the pool (its name is under the MAC): every service
 * of the pool with the same key accepts them, so a user keeps his server
 * from an HTTP service to the HTTPS one in front of the same pool.
 */
static u8 token_of(const struct spl_persist *p, const char *pool,
		   const u8 *head, u32 head_len, struct spl_token *t)
{
	u32 off, len;

	if (!spl_cookie_get(head, head_len, p->name, &off, &len))
		return SPL_PV_NONE;
	if (p->mode == SPLICER_PERSIST_PREFIX) {
		/* TOKEN~value; a value the application set without us: none */
		if (!memchr(head + off, SPL_PREFIX_SEP, len))
			return SPL_PV_NONE;
		if (len <= SPL_TOKEN_HEX || head[off + SPL_TOKEN_HEX] != SPL_PREFIX_SEP)
			return SPL_PV_FORGED;
		len = SPL_TOKEN_HEX;
	}
	switch (spl_token_check(head + off, len, pool, &p->keys,
				p->maxidle, p->maxlife, wall_now(), t)) {
	case SPL_TOKEN_OK:
		return SPL_PV_HIT;
	case SPL_TOKEN_FORGED:
		return SPL_PV_FORGED;
	case SPL_TOKEN_ALTERED:
		return SPL_PV_ALTERED;
	case SPL_TOKEN_EXPIRED_IDLE:
		return SPL_PV_EXPIRED_IDLE;
	case SPL_TOKEN_EXPIRED_LIFE:
		return SPL_PV_EXPIRED_LIFE;
	}
	return SPL_PV_FORGED;
}

static bool token_invalid(u8 pv)
{
	return pv >= SPL_PV_FORGED && pv <= SPL_PV_EXPIRED_LIFE;
}

/* ---- choosing ---- */

struct spl_server *spl_persist_pick(struct spl_conn *conn,
				    struct spl_pool *pool)
{
	struct spl_persist_conn *pc = &conn->pst;
	const u8 *head = conn->up.buf;
	u32 head_len = conn->req.head_len;
	struct spl_stick_val val;
	struct spl_server *srv = NULL;
	const struct spl_persist *p;
	struct spl_stick *stick;
	struct spl_token t;
	u64 hash;

	p = rcu_dereference(conn->svc->persist);
	pc->mode = p->mode;
	pc->pv = SPL_PV_NONE;
	pc->strict = p->flags & SPLICER_PERSIST_F_STRICT;
	stick = conn->svc->stick;

	switch (p->mode) {
	case SPLICER_PERSIST_NONE:
		pc->pv = SPL_PV_OFF;
		return NULL;
	case SPLICER_PERSIST_COOKIE:
	case SPLICER_PERSIST_PREFIX:
		pc->pv = token_of(p, pool->name, head, head_len, &t);
		if (token_invalid(pc->pv))
			spl_conn_count(conn, SPLICER_CNT_PERSIST_INVALID, 1);
		if (pc->pv == SPL_PV_HIT)
			pc->want_id = t.srv_id;
		break;
	case SPLICER_PERSIST_LEARN:
		pc->has_key = session_id(conn, p, head, head_len, &pc->key);
		if (pc->has_key &&
		    spl_stick_lookup(stick, &pc->key, spl_stick_now(), &val)) {
			pc->want_id = val.srv_id;
			pc->pv = SPL_PV_HIT;
		}
		break;
	case SPLICER_PERSIST_SOURCE:
		source_key(&conn->client, p->mask4, p->mask6, &pc->key);
		pc->has_key = pc->key.len;
		if (pc->has_key &&
		    spl_stick_lookup(stick, &pc->key, spl_stick_now(), &val)) {
			pc->want_id = val.srv_id;
			pc->pv = SPL_PV_HIT;
		}
		break;
	case SPLICER_PERSIST_HASH:
		if (!hash_input(conn, p, head, head_len, &hash))
			break;
		srv = spl_maglev_lookup(pool, hash);
		if (srv) {
			pc->want_id = srv->id;
			pc->pv = SPL_PV_HIT;
		}
		break;
	}
	if (!pc->want_id)
		return NULL;
	if (!srv)
		srv = spl_pool_server_by_id(pool, pc->want_id);
	if (!srv) {
		pc->pv = SPL_PV_UNKNOWN;
	} else if (!spl_server_usable_persist(srv) || !spl_server_take(srv)) {
		pc->pv = pc->strict ? SPL_PV_STRICT : SPL_PV_DOWN;
		srv = NULL;
	}
	return srv;
}

/* Stick @key to the bound server, counting evictions; may sleep. */
static void stick_here(struct spl_conn *conn, const struct spl_stick_key *key)
{
	struct spl_stick_val val;
	int evicted;

	val.srv_id = conn->srv->id;
	strscpy(val.srv, conn->srv->name, sizeof(val.srv));
	evicted = spl_stick_store(conn->svc->stick, key, &val, spl_stick_now(), 0);
	if (evicted > 0)
		spl_conn_count(conn, SPLICER_CNT_STICK_EVICTIONS, evicted);
}

void spl_persist_bound(struct spl_conn *conn)
{
	struct spl_persist_conn *pc = &conn->pst;
	struct spl_server *srv = conn->srv;
	const struct spl_persist *p;

	if (pc->pv == SPL_PV_OFF || !srv)
		return;
	if (pc->pv == SPL_PV_HIT && srv->id != pc->want_id)
		pc->pv = SPL_PV_DOWN;		/* it failed to connect */
	if (pc->pv == SPL_PV_HIT)
		spl_conn_count(conn, SPLICER_CNT_PERSIST_HITS, 1);
	else if (pc->want_id)
		spl_conn_count(conn, SPLICER_CNT_PERSIST_REDISPATCH, 1);
	else
		spl_conn_count(conn, SPLICER_CNT_PERSIST_NEW, 1);

	/*
	 * (re-)stick a source prefix to the server it reached; session ids
	 * are learned from the server's Set-Cookie (spl_persist_response).
	 */
	if (!pc->has_key || pc->pv == SPL_PV_HIT || pc->mode != SPLICER_PERSIST_SOURCE)
		return;
	rcu_read_lock();
	p = rcu_dereference(conn->svc->persist);
	if (p->mode != pc->mode) {
		rcu_read_unlock();
		return;
	}
	rcu_read_unlock();
	stick_here(conn, &pc->key);
}

/* ---- every request, every response ---- */

u32 spl_persist_request(struct spl_conn *conn, struct spl_log_req *e,
			u8 *head, u32 head_len, u32 tail)
{
	struct spl_persist_conn *pc = &conn->pst;
	struct spl_server *srv = conn->srv;
	char name[SPLICER_COOKIE_NAME_MAX];
	struct spl_stick_val val;
	const struct spl_persist *p;
	struct spl_stick_key key;
	bool has_key = false;
	struct spl_token t;
	u32 now = wall_now();
	u8 pv = SPL_PV_NONE;
	u32 flags;

	e->persist = NULL;
	e->pflags = 0;
	if (pc->pv == SPL_PV_OFF || !srv)
		return head_len;
	rcu_read_lock();
	p = rcu_dereference(conn->svc->persist);
	if (p->mode != pc->mode) {
		/* reconfigured under this connection: leave it alone */
		rcu_read_unlock();
		return head_len;
	}
	flags = p->flags;
	strscpy(name, p->name, sizeof(name));
	switch (p->mode) {
	case SPLICER_PERSIST_COOKIE:
	case SPLICER_PERSIST_PREFIX:
		pv = token_of(p, conn->pool_name, head, head_len, &t);
		if (pv == SPL_PV_HIT && t.srv_id != srv->id)
			pv = SPL_PV_ELSEWHERE;
		if (p->mode == SPLICER_PERSIST_PREFIX) {
			e->pflags |= SPL_PR_PREFIX;
			break;
		}
		e->born = pv == SPL_PV_HIT ? t.born : now;
		/*
		 * A new cookie when it is missing, void, names another
		 * server, was signed by the retiring key, or is halfway to
		 * maxidle.
		 */
		if (pv != SPL_PV_HIT || t.key ||
		    (p->maxidle && (s32)(now - t.seen) >= (s32)(p->maxidle / 2)))
			e->pflags |= SPL_PR_SET_COOKIE;
		break;
	case SPLICER_PERSIST_LEARN:
		e->pflags |= SPL_PR_LEARN;
		has_key = session_id(conn, p, head, head_len, &key);
		break;
	case SPLICER_PERSIST_SOURCE:
	case SPLICER_PERSIST_HASH:
		pv = SPL_PV_HIT;	/* bound by the first request */
		break;
	}
	rcu_read_unlock();

	/*
	 * Session ids are learned from the server's Set-Cookie only: an id a
	 * client makes up never takes a place in the table.
	 */
	if (has_key && spl_stick_lookup(conn->svc->stick, &key, spl_stick_now(), &val))
		pv = val.srv_id == srv->id ? SPL_PV_HIT : SPL_PV_ELSEWHERE;

	/* the first request's outcome is the one that chose the server */
	e->persist = spl_persist_words(pc->mode, conn->requests ? pv : pc->pv);
	if (conn->requests && token_invalid(pv))
		spl_conn_count(conn, SPLICER_CNT_PERSIST_INVALID, 1);

	if (pc->mode == SPLICER_PERSIST_COOKIE && (flags & SPLICER_PERSIST_F_INDIRECT))
		head_len = spl_cookie_remove(head, head_len, tail, name);
	else if (pc->mode == SPLICER_PERSIST_PREFIX)
		head_len = spl_cookie_unprefix(head, head_len, tail, name,
					       SPL_TOKEN_HEX, SPL_PREFIX_SEP);
	return head_len;
}

/* Room the response rewrite may need (conn.c keeps it free). */
#define SET_COOKIE_MAX	(sizeof("Set-Cookie: =; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=4294967295\r\n") + \
			 SPLICER_COOKIE_NAME_MAX + SPL_TOKEN_HEX + \
			 sizeof("Cache-Control: private\r\n"))

u32 spl_persist_response(struct spl_conn *conn, struct spl_log_req *e,
			 u8 *head, u32 head_len, u32 tail, u32 cap)
{
	struct spl_server *srv = conn->srv;
	struct spl_resp_rewrite rw = {};
	u8 token[SPL_TOKEN_HEX + 1];
	char lines[SET_COOKIE_MAX];
	const struct spl_persist *p;
	struct spl_stick_key key;
	struct spl_token t;
	u32 off, len, n = 0;
	int ret;

	if (!e->pflags || !srv)
		return head_len;
	rcu_read_lock();
	p = rcu_dereference(conn->svc->persist);
	if (p->mode != conn->pst.mode) {
		rcu_read_unlock();
		return head_len;
	}
	t.srv_id = srv->id;
	t.seen = wall_now();
	t.born = (e->pflags & SPL_PR_SET_COOKIE) ? e->born : t.seen;
	t.key = 0;

	if (e->pflags & SPL_PR_LEARN) {
		bool found = spl_set_cookie_get(head, head_len, p->name, &off, &len) &&
			     len && len <= SPLICER_STICK_KEY_MAX;

		rcu_read_unlock();
		if (found) {
			memset(&key, 0, offsetof(struct spl_stick_key, data));
			key.kind = SPLICER_STICK_SESSION;
			key.len = len;
			memcpy(key.data, head + off, len);
			stick_here(conn, &key);
		}
		return head_len;
	}

	spl_token_make(token, &t, conn->pool_name, &p->keys.key[0]);
	if (e->pflags & SPL_PR_PREFIX) {
		token[SPL_TOKEN_HEX] = SPL_PREFIX_SEP;
		rw.prefix_name = p->name;
		rw.prefix = token;
		rw.prefix_len = SPL_TOKEN_HEX + 1;
	} else {
		n = scnprintf(lines, sizeof(lines),
			      "Set-Cookie: %s=%.*s; Path=/; HttpOnly; SameSite=Lax%s",
			      p->name, SPL_TOKEN_HEX, token,
			      ((p->flags & SPLICER_PERSIST_F_SECURE) || conn->tls) ?
			      "; Secure" : "");
		if (p->maxlife)
			n += scnprintf(lines + n, sizeof(lines) - n, "; Max-Age=%u",
				       p->maxlife);
		n += scnprintf(lines + n, sizeof(lines) - n, "\r\n");
		if (p->flags & SPLICER_PERSIST_F_NOCACHE)
			n += scnprintf(lines + n, sizeof(lines) - n,
				       "Cache-Control: private\r\n");
		rw.lines = (const u8 *)lines;
		rw.lines_len = n;
	}
	ret = spl_resp_rewrite(head, head_len, tail, cap, &rw);
	rcu_read_unlock();
	memzero_explicit(token, sizeof(token));
	return ret < 0 ? head_len : ret;
}
