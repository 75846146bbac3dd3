// SPDX-License-Identifier: GPL-2.0
/*
 * Decision log records without I/O of their own (see logrec.h): a LOG nest
 * decoded, and the line and the JSON object "splicerctl log" prints.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <netlink/attr.h>

#include "logrec.h"
#include "output.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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
	[SPLICER_LOG_A_RULE] = { .type = NLA_U32 },
};

int log_parse(const struct nlattr *nest, struct log_rec *r)
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
		T(PERSIST, persist), T(HEALTH, health), T(SPLICE, splice),
		T(TLS, tls),
#undef T
	}, u32s[] = {
#define U(a, f) { SPLICER_LOG_A_##a, offsetof(struct log_rec, f), 4 }
		U(RETRIES, retries), U(REQUEST_NO, request_no), U(T_HEAD, t_head),
		U(T_CONNECT, t_connect), U(T_RESPONSE, t_response),
		U(T_TOTAL, t_total), U(RULE, rule),
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
	/* RULE is the position + 1: 0 would be no rule, as absent is. */
	if (!r->rule)
		r->has &= ~(1ull << SPLICER_LOG_A_RULE);
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
static void print_word(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (*p <= ' ' || *p > '~' || *p == '"' || *p == '\\')
			break;
	if (*s && !*p)
		fputs(s, f);
	else
		json_escape(f, s);
}

static void print_us(FILE *f, const char *key, uint32_t us)
{
	if (us < 1000)
		fprintf(f, " %s %uus", key, us);
	else if (us < 1000000)
		fprintf(f, " %s %.1fms", key, us / 1000.0);
	else
		fprintf(f, " %s %.2fs", key, us / 1000000.0);
}

void log_print_plain(FILE *f, const struct log_rec *r)
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
		fprintf(f, "%s.%06uZ ", buf, (unsigned int)(r->time % 1000000000u / 1000));
	}
	fprintf(f, "%s", kind_name(r->kind));
	if (LOG_HAS(r, SPLICER_LOG_A_SERVICE)) {
		fputs(" service ", f);
		print_word(f, r->service);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_CONN_ID))
		fprintf(f, " conn %llu", (unsigned long long)r->conn_id);
	if (LOG_HAS(r, SPLICER_LOG_A_CLIENT_ADDR))
		fprintf(f, " client %s", format_addrport(&r->client, buf, sizeof(buf)));
	if (LOG_HAS(r, SPLICER_LOG_A_REQUEST_NO))
		fprintf(f, " %s %u", r->kind == SPLICER_LOG_CONN ? "requests" : "request_no",
		       r->request_no);
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		if (!LOG_HAS(r, texts[i].attr) ||
		    (texts[i].attr == SPLICER_LOG_A_DECISION))
			continue;
		fprintf(f, " %s ", texts[i].key);
		print_word(f, (const char *)r + texts[i].off);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_SERVER)) {
		fputs(" server ", f);
		if (LOG_HAS(r, SPLICER_LOG_A_POOL)) {
			print_word(f, r->pool);
			fputc(' ', f);
		}
		print_word(f, r->server);
	} else if (LOG_HAS(r, SPLICER_LOG_A_POOL)) {
		fputs(" pool ", f);
		print_word(f, r->pool);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_HEALTH)) {
		fputs(" health ", f);
		print_word(f, r->health);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_RULE))
		fprintf(f, " rule %u", r->rule - 1);
	if (LOG_HAS(r, SPLICER_LOG_A_DECISION)) {
		fputs(" decision ", f);
		print_word(f, r->decision);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_PERSIST)) {
		fputs(" persist ", f);
		print_word(f, r->persist);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_RETRIES) && r->retries)
		fprintf(f, " retries %u", r->retries);
	if (LOG_HAS(r, SPLICER_LOG_A_STATUS))
		fprintf(f, " status %u%s", r->status,
		       LOG_HAS(r, SPLICER_LOG_A_GENERATED) ? " generated" : "");
	if (LOG_HAS(r, SPLICER_LOG_A_REASON)) {
		fputs(" reason ", f);
		print_word(f, r->reason);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_END)) {
		fputs(" end ", f);
		print_word(f, r->end);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_SPLICE)) {
		fputs(" splice ", f);
		print_word(f, r->splice);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_TLS)) {
		fputs(" tls ", f);
		print_word(f, r->tls);
	}
	if (LOG_HAS(r, SPLICER_LOG_A_T_HEAD))
		print_us(f, "t_head", r->t_head);
	if (LOG_HAS(r, SPLICER_LOG_A_T_CONNECT))
		print_us(f, "t_connect", r->t_connect);
	if (LOG_HAS(r, SPLICER_LOG_A_T_RESPONSE))
		print_us(f, "t_response", r->t_response);
	if (LOG_HAS(r, SPLICER_LOG_A_T_TOTAL))
		print_us(f, "t_total", r->t_total);
	if (LOG_HAS(r, SPLICER_LOG_A_BYTES_IN))
		fprintf(f, " bytes_in %llu", (unsigned long long)r->bytes_in);
	if (LOG_HAS(r, SPLICER_LOG_A_BYTES_OUT))
		fprintf(f, " bytes_out %llu", (unsigned long long)r->bytes_out);
	fputc('\n', f);
}

/* Keys named like enum splicer_log_attr; times in us, "time" in ns. */
void log_print_json(const struct log_rec *r)
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
		F(SPLICE, "splice", splice, 0), F(TLS, "tls", tls, 0),
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
	/* The rule's position, as "rule show" numbers it (the ABI's is + 1). */
	if (LOG_HAS(r, SPLICER_LOG_A_RULE))
		json_uint("rule", r->rule - 1);
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
