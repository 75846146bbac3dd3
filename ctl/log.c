// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl log: follow the decision log of this network namespace, one
 * record a line (or one JSON object a line with -j) until interrupted or
 * "count N" records have been printed. Records are multicast by the module
 * (SPLICER_MCGRP_LOG); there is no history, only what happens from now on.
 * Kinds: request, conn, and health (a server of a pool went up or down;
 * such records name a pool and no service).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <netlink/attr.h>

#include "output.h"
#include "subcommands.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct log_opts {
	char service[SPLICER_NAME_MAX];	/* "" = every service */
	char pool[SPLICER_NAME_MAX];	/* "" = every pool */
	uint32_t count;			/* 0 = until interrupted */
	uint32_t printed;
};

static const struct kw log_kws[] = {
	{ "service", KW_NAME, 0, offsetof(struct log_opts, service), 0, 0, NULL },
	{ "count", KW_U32, 1, offsetof(struct log_opts, count), 1, UINT32_MAX, NULL },
	{ "pool", KW_NAME, 2, offsetof(struct log_opts, pool), 0, 0, NULL },
};

/* ---- netlink -> model ----------------------------------------------- */

static struct nla_policy log_policy[SPLICER_LOG_A_MAX + 1] = {
	[SPLICER_LOG_A_KIND] = { .type = NLA_U8 },
	[SPLICER_LOG_A_TIME] = { .type = NLA_U64 },
	[SPLICER_LOG_A_CONN_ID] = { .type = NLA_U64 },
	[SPLICER_LOG_A_CLIENT_FAMILY] = { .type = NLA_U16 },
	[SPLICER_LOG_A_CLIENT_PORT] = { .type = NLA_U16 },
	[SPLICER_LOG_A_RETRIES] = { .type = NLA_U32 },
	[SPLICER_LOG_A_REQUEST_NO] = { .type = NLA_U32 },
	[SPLICER_LOG_A_STATUS] = { .type = NLA_U16 },
	[SPLICER_LOG_A_T_HEAD] = { .type = NLA_U32 },
	[SPLICER_LOG_A_T_CONNECT] = { .type = NLA_U32 },
	[SPLICER_LOG_A_T_RESPONSE] = { .type = NLA_U32 },
	[SPLICER_LOG_A_T_TOTAL] = { .type = NLA_U32 },
	[SPLICER_LOG_A_BYTES_IN] = { .type = NLA_U64 },
	[SPLICER_LOG_A_BYTES_OUT] = { .type = NLA_U64 },
};

static int log_parse(const struct nlattr *nest, struct log_rec *r)
{
	static const struct {
		int attr;
		size_t off, size;
	} texts[] = {
#define T(a, f) { SPLICER_LOG_A_##a, offsetof(struct log_rec, f), \
		  sizeof(((struct log_rec *)0)->f) }
		T(SERVICE, service), T(POOL, pool), T(SERVER, server),
		T(DECISION, decision), T(METHOD, method), T(TARGET, target),
		T(HOST, host), T(REASON, reason), T(END, end),
		T(PERSIST, persist), T(HEALTH, health),
#undef T
	}, u32s[] = {
#define U(a, f) { SPLICER_LOG_A_##a, offsetof(struct log_rec, f), 4 }
		U(RETRIES, retries), U(REQUEST_NO, request_no), U(T_HEAD, t_head),
		U(T_CONNECT, t_connect), U(T_RESPONSE, t_response),
		U(T_TOTAL, t_total),
#undef U
	}, u64s[] = {
#define U(a, f) { SPLICER_LOG_A_##a, offsetof(struct log_rec, f), 8 }
		U(TIME, time), U(CONN_ID, conn_id), U(BYTES_IN, bytes_in),
		U(BYTES_OUT, bytes_out),
#undef U
	};
	struct nlattr *tb[SPLICER_LOG_A_MAX + 1];
	char *base = (char *)r;
	size_t i;
	int a;

	memset(r, 0, sizeof(*r));
	if (nla_parse_nested(tb, SPLICER_LOG_A_MAX, (struct nlattr *)nest, log_policy))
		return -EBADMSG;
	for (a = 0; a <= SPLICER_LOG_A_MAX; a++)
		if (tb[a])
			r->has |= 1ull << a;
	for (i = 0; i < ARRAY_SIZE(texts); i++)
		if (tb[texts[i].attr])
			nla_strlcpy(base + texts[i].off, tb[texts[i].attr], texts[i].size);
	for (i = 0; i < ARRAY_SIZE(u32s); i++)
		if (tb[u32s[i].attr])
			*(uint32_t *)(base + u32s[i].off) = nla_get_u32(tb[u32s[i].attr]);
	for (i = 0; i < ARRAY_SIZE(u64s); i++)
		if (tb[u64s[i].attr])
			*(uint64_t *)(base + u64s[i].off) = nla_get_u64(tb[u64s[i].attr]);
	if (tb[SPLICER_LOG_A_KIND])
		r->kind = nla_get_u8(tb[SPLICER_LOG_A_KIND]);
	if (tb[SPLICER_LOG_A_STATUS])
		r->status = nla_get_u16(tb[SPLICER_LOG_A_STATUS]);
	r->has &= ~(1ull << SPLICER_LOG_A_CLIENT_ADDR);
	if (tb[SPLICER_LOG_A_CLIENT_FAMILY] && tb[SPLICER_LOG_A_CLIENT_ADDR] &&
	    tb[SPLICER_LOG_A_CLIENT_PORT]) {
		r->client.family = nla_get_u16(tb[SPLICER_LOG_A_CLIENT_FAMILY]);
		r->client.port = nla_get_u16(tb[SPLICER_LOG_A_CLIENT_PORT]);
		if (addr_len(r->client.family) &&
		    (size_t)nla_len(tb[SPLICER_LOG_A_CLIENT_ADDR]) ==
		    addr_len(r->client.family)) {
			memcpy(r->client.addr, nla_data(tb[SPLICER_LOG_A_CLIENT_ADDR]),
			       addr_len(r->client.family));
			r->has |= 1ull << SPLICER_LOG_A_CLIENT_ADDR;
		}
	}
	return 0;
}

/* ---- output ---------------------------------------------------------- */

static const char *kind_name(uint8_t kind)
{
	return kind == SPLICER_LOG_REQUEST ? "request" :
	       kind == SPLICER_LOG_CONN ? "conn" :
	       kind == SPLICER_LOG_HEALTH ? "health" : "unknown";
}

/* A word as is when it is plain printable ASCII, else a JSON string. */
static void print_word(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (*p <= ' ' || *p > '~' || *p == '"' || *p == '\\')
			break;
	if (*s && !*p)
		fputs(s, stdout);
	else
		json_escape(stdout, s);
}

static void print_us(const char *key, uint32_t us)
{
	if (us < 1000)
		printf(" %s %uus", key, us);
	else if (us < 1000000)
		printf(" %s %.1fms", key, us / 1000.0);
	else
		printf(" %s %.2fs", key, us / 1000000.0);
}

static void log_print_plain(const struct log_rec *r)
{
	static const struct {
		int attr;
		const char *key;
		size_t off;
	} texts[] = {
#define T(a, k, f) { SPLICER_LOG_A_##a, k, offsetof(struct log_rec, f) }
		T(METHOD, "method", method), T(TARGET, "target", target),
		T(HOST, "host", host), T(DECISION, "decision", decision),
#undef T
	};
	char buf[ADDRPORT_STR_MAX];
	size_t i;

	if (LOG_HAS(r, SPLICER_LOG_A_TIME)) {
		time_t sec = (time_t)(r->time / 1000000000u);
		struct tm tm;

		gmtime_r(&sec, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
		printf("%s.%06uZ ", buf, (unsigned int)(r->time % 1000000000u / 1000));
	}
	printf("%s", kind_name(r->kind));
	if (LOG_HAS(r, SPLICER_LOG_A_SERVICE)) {
		fputs(" service ", stdout);
		print_word(r->service);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_CONN_ID))
		printf(" conn %llu", (unsigned long long)r->conn_id);
	if (LOG_HAS(r, SPLICER_LOG_A_CLIENT_ADDR))
		printf(" client %s", format_addrport(&r->client, buf, sizeof(buf)));
	if (LOG_HAS(r, SPLICER_LOG_A_REQUEST_NO))
		printf(" %s %u", r->kind == SPLICER_LOG_CONN ? "requests" : "request_no",
		       r->request_no);
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		if (!LOG_HAS(r, texts[i].attr) ||
		    (texts[i].attr == SPLICER_LOG_A_DECISION))
			continue;
		printf(" %s ", texts[i].key);
		print_word((const char *)r + texts[i].off);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_SERVER)) {
		fputs(" server ", stdout);
		if (LOG_HAS(r, SPLICER_LOG_A_POOL)) {
			print_word(r->pool);
			putchar(' ');
		}
		print_word(r->server);
	} else if (LOG_HAS(r, SPLICER_LOG_A_POOL)) {
		fputs(" pool ", stdout);
		print_word(r->pool);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_HEALTH)) {
		fputs(" health ", stdout);
		print_word(r->health);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_DECISION)) {
		fputs(" decision ", stdout);
		print_word(r->decision);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_PERSIST)) {
		fputs(" persist ", stdout);
		print_word(r->persist);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_RETRIES) && r->retries)
		printf(" retries %u", r->retries);
	if (LOG_HAS(r, SPLICER_LOG_A_STATUS))
		printf(" status %u%s", r->status,
		       LOG_HAS(r, SPLICER_LOG_A_GENERATED) ? " generated" : "");
	if (LOG_HAS(r, SPLICER_LOG_A_REASON)) {
		fputs(" reason ", stdout);
		print_word(r->reason);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_END)) {
		fputs(" end ", stdout);
		print_word(r->end);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_T_HEAD))
		print_us("t_head", r->t_head);
	if (LOG_HAS(r, SPLICER_LOG_A_T_CONNECT))
		print_us("t_connect", r->t_connect);
	if (LOG_HAS(r, SPLICER_LOG_A_T_RESPONSE))
		print_us("t_response", r->t_response);
	if (LOG_HAS(r, SPLICER_LOG_A_T_TOTAL))
		print_us("t_total", r->t_total);
	if (LOG_HAS(r, SPLICER_LOG_A_BYTES_IN))
		printf(" bytes_in %llu", (unsigned long long)r->bytes_in);
	if (LOG_HAS(r, SPLICER_LOG_A_BYTES_OUT))
		printf(" bytes_out %llu", (unsigned long long)r->bytes_out);
	putchar('\n');
}

/* Keys named like enum splicer_log_attr; times in us, "time" in ns. */
static void log_print_json(const struct log_rec *r)
{
	static const struct {
		int attr;
		const char *key;
		size_t off;
		int type;	/* 0 text, 4 u32, 8 u64 */
	} fields[] = {
#define F(a, k, f, t) { SPLICER_LOG_A_##a, k, offsetof(struct log_rec, f), t }
		F(TIME, "time", time, 8), F(CONN_ID, "conn_id", conn_id, 8),
		F(SERVICE, "service", service, 0),
		F(POOL, "pool", pool, 0), F(SERVER, "server", server, 0),
		F(DECISION, "decision", decision, 0),
		F(PERSIST, "persist", persist, 0),
		F(HEALTH, "health", health, 0),
		F(RETRIES, "retries", retries, 4),
		F(REQUEST_NO, "request_no", request_no, 4),
		F(METHOD, "method", method, 0), F(TARGET, "target", target, 0),
		F(HOST, "host", host, 0),
		F(REASON, "reason", reason, 0), F(END, "end", end, 0),
		F(T_HEAD, "t_head", t_head, 4), F(T_CONNECT, "t_connect", t_connect, 4),
		F(T_RESPONSE, "t_response", t_response, 4),
		F(T_TOTAL, "t_total", t_total, 4),
		F(BYTES_IN, "bytes_in", bytes_in, 8),
		F(BYTES_OUT, "bytes_out", bytes_out, 8),
#undef F
	};
	const char *base = (const char *)r;
	char buf[ADDRPORT_STR_MAX];
	size_t i;

	json_open_object(NULL);
	json_string("kind", kind_name(r->kind));
	if (LOG_HAS(r, SPLICER_LOG_A_CLIENT_ADDR)) {
		json_string("client_family", family_name(r->client.family));
		json_string("client_addr", format_addr(&r->client, buf, sizeof(buf)));
		json_uint("client_port", r->client.port);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_STATUS))
		json_uint("status", r->status);
	json_bool("generated", LOG_HAS(r, SPLICER_LOG_A_GENERATED));
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		const void *p = base + fields[i].off;

		if (!LOG_HAS(r, fields[i].attr))
			continue;
		if (fields[i].type == 0)
			json_string(fields[i].key, p);
		else if (fields[i].type == 4)
			json_uint(fields[i].key, *(const uint32_t *)p);
		else
			json_uint(fields[i].key, *(const uint64_t *)p);
	}
	json_close_object();
	json_end();
}

static int log_record(const struct nlattr *attrs, int len, void *arg)
{
	struct log_opts *o = arg;
	const struct nlattr *a;
	struct log_rec r;
	int rem;

	nla_for_each_attr(a, attrs, len, rem) {
		if (nla_type(a) != SPLICER_A_LOG)
			continue;
		if (log_parse(a, &r))
			return -EBADMSG;
		/* Health records belong to a pool, not to a service. */
		if (*o->service && strcmp(o->service, r.service))
			continue;
		if (*o->pool && strcmp(o->pool, r.pool))
			continue;
		if (opts.json)
			log_print_json(&r);
		else
			log_print_plain(&r);
		fflush(stdout);
		if (o->count && ++o->printed >= o->count)
			return 1;
	}
	return 0;
}

static int cmd_log(int argc, char **argv, const struct cmd *cmd)
{
	struct log_opts o = { 0 };
	uint32_t has = 0;
	struct nlx *nl;
	int err;

	/* "splicerctl log" alone follows; so does "log show". */
	err = parse_keywords(cmd, log_kws, ARRAY_SIZE(log_kws), argc, argv, &o, &has);
	if (err)
		return err;
	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;
	return nlx_listen_log(nl, log_record, &o) ? EXIT_FAIL : EXIT_OK;
}

const struct cmd log_cmds[] = {
	{ "show|follow", "log [service NAME] [pool NAME] [count N]", cmd_log },
};
const size_t log_ncmds = ARRAY_SIZE(log_cmds);
