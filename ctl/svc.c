// SPDX-License-Identifier: GPL-2.0
/*
 * Services without I/O (see svc.h): keywords, the SERVICE nest, the words
 * and JSON of show and dump.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "counters.h"
#include "output.h"
#include "persistence.h"
#include "svc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define KW(n, t, a, f) { n, t, SPLICER_SVC_A_##a, offsetof(struct service, f), 0, UINT32_MAX, NULL }

/* What add and set share, after listen (add) or its refusal (set). */
#define COMMON_KWS \
	KW("pool", KW_NAME, POOL, pool), \
	KW("head-max", KW_BYTES, HEAD_MAX, head_max), \
	KW("header-timeout", KW_DURATION, HEADER_TIMEOUT, header_timeout), \
	KW("connect-timeout", KW_DURATION, CONNECT_TIMEOUT, connect_timeout), \
	KW("server-timeout", KW_DURATION, SERVER_TIMEOUT, server_timeout), \
	KW("idle-timeout", KW_DURATION, IDLE_TIMEOUT, idle_timeout), \
	KW("max-line", KW_BYTES, MAX_LINE, max_line), \
	KW("max-headers", KW_U32, MAX_HEADERS, max_headers), \
	KW("retries", KW_U32, RETRIES, retries), \
	KW("splice", KW_ONOFF, SPLICE, splice), \
	KW("tls", KW_ONOFF, TLS, tls), \
	KW("handshake-timeout", KW_DURATION, HANDSHAKE_TIMEOUT, handshake_timeout), \
	KW("location-rewrite", KW_ONOFF, LOCATION_REWRITE, location_rewrite), \
	KW("inspect", KW_ONOFF, INSPECT, inspect), \
	{ "rules", KW_U32, SPLICER_SVC_A_RULES, 0, 0, 0, \
	  "is read only: add rules with \"splicerctl rule add\"" }

const struct kw service_add_kws[] = {
	KW("listen", KW_ADDRPORT, ADDR, listen),
	COMMON_KWS,
};
const size_t service_add_nkws = ARRAY_SIZE(service_add_kws);

const struct kw service_set_kws[] = {
	{ "listen", KW_ADDRPORT, SPLICER_SVC_A_ADDR, 0, 0, 0,
	  "cannot be changed: delete the service and add it again" },
	COMMON_KWS,
};
const size_t service_set_nkws = ARRAY_SIZE(service_set_kws);

/* The u32 members, in the order of show and dump. */
static const struct {
	int attr;
	size_t off;
	const char *key, *word;
	bool dur;
} u32s[] = {
#define U32(a, f, k, w, d) { SPLICER_SVC_A_##a, offsetof(struct service, f), k, w, d }
	U32(HEAD_MAX, head_max, "head_max", "head-max", false),
	U32(MAX_LINE, max_line, "max_line", "max-line", false),
	U32(MAX_HEADERS, max_headers, "max_headers", "max-headers", false),
	U32(HEADER_TIMEOUT, header_timeout, "header_timeout", "header-timeout", true),
	U32(CONNECT_TIMEOUT, connect_timeout, "connect_timeout", "connect-timeout", true),
	U32(SERVER_TIMEOUT, server_timeout, "server_timeout", "server-timeout", true),
	U32(IDLE_TIMEOUT, idle_timeout, "idle_timeout", "idle-timeout", true),
	U32(RETRIES, retries, "retries", "retries", false),
#undef U32
};

/* The on/off switches, and handshake-timeout between tls and location-rewrite. */
static const struct {
	int attr;
	size_t off;
	const char *key, *word;
} u8s[] = {
#define U8(a, f, k, w) { SPLICER_SVC_A_##a, offsetof(struct service, f), k, w }
	U8(SPLICE, splice, "splice", "splice"),
	U8(TLS, tls, "tls", "tls"),
	U8(LOCATION_REWRITE, location_rewrite, "location_rewrite", "location-rewrite"),
	U8(INSPECT, inspect, "inspect", "inspect"),
#undef U8
};

#define U32_AT(s, off) (*(const uint32_t *)((const char *)(s) + (off)))
#define U8_AT(s, off) (*(const uint8_t *)((const char *)(s) + (off)))

/* ---- model <-> netlink ----------------------------------------------- */

int service_put(struct nl_msg *msg, const struct service *s)
{
	struct nlattr *nest = nla_nest_start(msg, NLA_F_NESTED | SPLICER_A_SERVICE);
	int err = 0;
	size_t i;

	if (!nest)
		return -ENOMEM;
	err |= nla_put_string(msg, SPLICER_SVC_A_NAME, s->name);
	if (HAS(s, SPLICER_SVC_A_ADDR)) {
		err |= nla_put_u16(msg, SPLICER_SVC_A_FAMILY, s->listen.family);
		err |= nla_put(msg, SPLICER_SVC_A_ADDR,
			       (int)addr_len(s->listen.family), s->listen.addr);
		err |= nla_put_u16(msg, SPLICER_SVC_A_PORT, s->listen.port);
	}
	if (HAS(s, SPLICER_SVC_A_POOL))
		err |= nla_put_string(msg, SPLICER_SVC_A_POOL, s->pool);
	for (i = 0; i < ARRAY_SIZE(u32s); i++)
		if (HAS(s, u32s[i].attr))
			err |= nla_put_u32(msg, u32s[i].attr, U32_AT(s, u32s[i].off));
	for (i = 0; i < ARRAY_SIZE(u8s); i++)
		if (HAS(s, u8s[i].attr))
			err |= nla_put_u8(msg, u8s[i].attr, U8_AT(s, u8s[i].off));
	if (HAS(s, SPLICER_SVC_A_HANDSHAKE_TIMEOUT))
		err |= nla_put_u32(msg, SPLICER_SVC_A_HANDSHAKE_TIMEOUT,
				   s->handshake_timeout);
	nla_nest_end(msg, nest);
	return err ? -ENOMEM : 0;
}

static struct nla_policy svc_policy[SPLICER_SVC_A_MAX + 1] = {
	[SPLICER_SVC_A_FAMILY] = { .type = NLA_U16 },
	[SPLICER_SVC_A_PORT] = { .type = NLA_U16 },
	[SPLICER_SVC_A_HEAD_MAX] = { .type = NLA_U32 },
	[SPLICER_SVC_A_HEADER_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_CONNECT_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_SERVER_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_RETRIES] = { .type = NLA_U32 },
	[SPLICER_SVC_A_STATS] = { .type = NLA_NESTED },
	[SPLICER_SVC_A_IDLE_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_MAX_LINE] = { .type = NLA_U32 },
	[SPLICER_SVC_A_MAX_HEADERS] = { .type = NLA_U32 },
	[SPLICER_SVC_A_PERSIST] = { .type = NLA_NESTED },
	[SPLICER_SVC_A_SPLICE] = { .type = NLA_U8 },
	[SPLICER_SVC_A_TLS] = { .type = NLA_U8 },
	[SPLICER_SVC_A_HANDSHAKE_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_LOCATION_REWRITE] = { .type = NLA_U8 },
	[SPLICER_SVC_A_RULES] = { .type = NLA_U32 },
	[SPLICER_SVC_A_INSPECT] = { .type = NLA_U8 },
};

static void get_name(const struct nlattr *a, char dst[SPLICER_NAME_MAX])
{
	nla_strlcpy(dst, a, SPLICER_NAME_MAX);
}

int service_parse(const struct nlattr *nest, struct service *s)
{
	struct nlattr *tb[SPLICER_SVC_A_MAX + 1];
	size_t i;

	if (nla_parse_nested(tb, SPLICER_SVC_A_MAX, (struct nlattr *)nest, svc_policy))
		return -EBADMSG;
	if (tb[SPLICER_SVC_A_NAME]) {
		get_name(tb[SPLICER_SVC_A_NAME], s->name);
		SET(s, SPLICER_SVC_A_NAME);
	}
	if (tb[SPLICER_SVC_A_FAMILY] && tb[SPLICER_SVC_A_ADDR] && tb[SPLICER_SVC_A_PORT]) {
		s->listen.family = nla_get_u16(tb[SPLICER_SVC_A_FAMILY]);
		s->listen.port = nla_get_u16(tb[SPLICER_SVC_A_PORT]);
		if (addr_len(s->listen.family) &&
		    (size_t)nla_len(tb[SPLICER_SVC_A_ADDR]) == addr_len(s->listen.family)) {
			memcpy(s->listen.addr, nla_data(tb[SPLICER_SVC_A_ADDR]),
			       addr_len(s->listen.family));
			SET(s, SPLICER_SVC_A_ADDR);
		}
	}
	if (tb[SPLICER_SVC_A_POOL]) {
		get_name(tb[SPLICER_SVC_A_POOL], s->pool);
		SET(s, SPLICER_SVC_A_POOL);
	}
	for (i = 0; i < ARRAY_SIZE(u32s); i++) {
		if (tb[u32s[i].attr]) {
			memcpy((char *)s + u32s[i].off, nla_data(tb[u32s[i].attr]), 4);
			SET(s, u32s[i].attr);
		}
	}
	for (i = 0; i < ARRAY_SIZE(u8s); i++) {
		if (tb[u8s[i].attr]) {
			*((uint8_t *)s + u8s[i].off) = nla_get_u8(tb[u8s[i].attr]);
			SET(s, u8s[i].attr);
		}
	}
	if (tb[SPLICER_SVC_A_HANDSHAKE_TIMEOUT]) {
		s->handshake_timeout = nla_get_u32(tb[SPLICER_SVC_A_HANDSHAKE_TIMEOUT]);
		SET(s, SPLICER_SVC_A_HANDSHAKE_TIMEOUT);
	}
	if (tb[SPLICER_SVC_A_RULES]) {
		s->rules = nla_get_u32(tb[SPLICER_SVC_A_RULES]);
		SET(s, SPLICER_SVC_A_RULES);
	}
	if (tb[SPLICER_SVC_A_STATS]) {
		if (counters_parse(tb[SPLICER_SVC_A_STATS], &s->stats))
			return -EBADMSG;
		SET(s, SPLICER_SVC_A_STATS);
	}
	if (tb[SPLICER_SVC_A_PERSIST]) {
		if (persist_parse(tb[SPLICER_SVC_A_PERSIST], &s->persist))
			return -EBADMSG;
		SET(s, SPLICER_SVC_A_PERSIST);
	}
	return 0;
}

/* ---- words and JSON -------------------------------------------------- */

__attribute__((format(printf, 3, 4)))
static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

void service_format(const struct service *s, bool as_command, char *buf,
		    size_t len)
{
	char t[ADDRPORT_STR_MAX];
	size_t i;

	if (!len)
		return;
	buf[0] = '\0';
	if (HAS(s, SPLICER_SVC_A_ADDR))
		add(buf, len, " listen %s", format_addrport(&s->listen, t, sizeof(t)));
	if (HAS(s, SPLICER_SVC_A_POOL))
		add(buf, len, " pool %s", s->pool);
	for (i = 0; i < ARRAY_SIZE(u32s); i++) {
		uint32_t v = U32_AT(s, u32s[i].off);

		if (!HAS(s, u32s[i].attr))
			continue;
		if (u32s[i].dur)
			add(buf, len, " %s %s", u32s[i].word,
			    format_duration(v, t, sizeof(t)));
		else
			add(buf, len, " %s %u", u32s[i].word, v);
	}
	for (i = 0; i < ARRAY_SIZE(u8s); i++) {
		if (HAS(s, u8s[i].attr))
			add(buf, len, " %s %s", u8s[i].word, onoff_name(U8_AT(s, u8s[i].off)));
		if (u8s[i].attr == SPLICER_SVC_A_TLS &&
		    HAS(s, SPLICER_SVC_A_HANDSHAKE_TIMEOUT))
			add(buf, len, " handshake-timeout %s",
			    format_duration(s->handshake_timeout, t, sizeof(t)));
	}
	if (!as_command && HAS(s, SPLICER_SVC_A_RULES))
		add(buf, len, " rules %u", s->rules);
}

bool service_persist_on(const struct service *s)
{
	return HAS(s, SPLICER_SVC_A_PERSIST) &&
	       HAS(&s->persist, SPLICER_PERSIST_A_MODE) &&
	       s->persist.mode != SPLICER_PERSIST_NONE;
}

void service_print_json(const struct service *s, bool as_command)
{
	char buf[ADDR_STR_MAX];
	size_t i;

	json_open_object(NULL);
	json_string("name", s->name);
	if (HAS(s, SPLICER_SVC_A_ADDR)) {
		json_string("family", family_name(s->listen.family));
		json_string("addr", format_addr(&s->listen, buf, sizeof(buf)));
		json_uint("port", s->listen.port);
	}
	if (HAS(s, SPLICER_SVC_A_POOL))
		json_string("pool", s->pool);
	for (i = 0; i < ARRAY_SIZE(u32s); i++)
		if (HAS(s, u32s[i].attr))
			json_uint(u32s[i].key, U32_AT(s, u32s[i].off));
	for (i = 0; i < ARRAY_SIZE(u8s); i++) {
		if (HAS(s, u8s[i].attr))
			json_bool(u8s[i].key, U8_AT(s, u8s[i].off));
		if (u8s[i].attr == SPLICER_SVC_A_TLS &&
		    HAS(s, SPLICER_SVC_A_HANDSHAKE_TIMEOUT))
			json_uint("handshake_timeout", s->handshake_timeout);
	}
	if (!as_command && HAS(s, SPLICER_SVC_A_RULES))
		json_uint("rules", s->rules);
	if (service_persist_on(s))
		persist_print_json("persist", &s->persist, as_command);
	if (HAS(s, SPLICER_SVC_A_STATS) && !as_command)
		counters_print_json("stats", &s->stats);
	json_close_object();
}
