// SPDX-License-Identifier: GPL-2.0
/*
 * Counters without I/O of their own (see counters.h): a STATS nest decoded,
 * and the order and groups they are shown in. Unit-tested by
 * tests/counters_test.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "counters.h"
#include "output.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int counters_parse(const struct nlattr *nest, struct counters *c)
{
	const struct nlattr *a;
	int rem;

	memset(c, 0, sizeof(*c));
	nla_for_each_nested(a, nest, rem) {
		int type = nla_type(a);

		/* PAD only aligns the u64 that follows it. */
		if (type == SPLICER_CNT_UNSPEC || type == SPLICER_CNT_PAD ||
		    type >= COUNTERS_MAX)
			continue;
		if (nla_len(a) != sizeof(uint64_t))
			return -EBADMSG;
		c->v[type] = nla_get_u64((struct nlattr *)a);
		c->present |= 1ull << type;
	}
	return 0;
}

/*
 * Display order: traffic, failures, generated responses by status code,
 * the decision log, persistence, content switching (inspect), the packet
 * splice, TLS, then any counter this tool does not know yet, by type.
 * Plain output starts a new line at each group.
 */
static const struct {
	unsigned int type;
	int group;
} known_order[] = {
	{ SPLICER_CNT_CONNS, 0 },
	{ SPLICER_CNT_ACTIVE, 0 },
	{ SPLICER_CNT_REQUESTS, 0 },
	{ SPLICER_CNT_BYTES_IN, 0 },
	{ SPLICER_CNT_BYTES_OUT, 0 },
	{ SPLICER_CNT_CONNECT_FAIL, 1 },
	{ SPLICER_CNT_RETRIES, 1 },
	{ SPLICER_CNT_RESP_400, 2 },
	{ SPLICER_CNT_RESP_408, 2 },
	{ SPLICER_CNT_RESP_414, 2 },
	{ SPLICER_CNT_RESP_431, 2 },
	{ SPLICER_CNT_RESP_501, 2 },
	{ SPLICER_CNT_RESP_502, 2 },
	{ SPLICER_CNT_RESP_503, 2 },
	{ SPLICER_CNT_RESP_504, 2 },
	{ SPLICER_CNT_RESP_505, 2 },
	{ SPLICER_CNT_LOG_DROPS, 3 },
	{ SPLICER_CNT_PERSIST_HITS, 4 },
	{ SPLICER_CNT_PERSIST_NEW, 4 },
	{ SPLICER_CNT_PERSIST_REDISPATCH, 4 },
	{ SPLICER_CNT_PERSIST_INVALID, 4 },
	{ SPLICER_CNT_STICK_EVICTIONS, 4 },
	{ SPLICER_CNT_REBINDS, 5 },
	{ SPLICER_CNT_SPLICED, 6 },
	{ SPLICER_CNT_SPLICE_BYTES_IN, 6 },
	{ SPLICER_CNT_SPLICE_BYTES_OUT, 6 },
	{ SPLICER_CNT_SPLICE_FALLBACK, 6 },
	{ SPLICER_CNT_TLS_HANDSHAKES, 7 },
	{ SPLICER_CNT_TLS_FAILED, 7 },
	{ SPLICER_CNT_TLS_REFUSED, 7 },
};

#define GROUP_UNKNOWN 8

size_t counters_order(const struct counters *c, unsigned int *types, int *groups)
{
	uint64_t left = c->present;
	size_t i, n = 0;
	unsigned int t;

	for (i = 0; i < ARRAY_SIZE(known_order); i++) {
		t = known_order[i].type;
		if (left & (1ull << t)) {
			types[n] = t;
			groups[n++] = known_order[i].group;
			left &= ~(1ull << t);
		}
	}
	for (t = 0; t < COUNTERS_MAX; t++) {
		if (left & (1ull << t)) {
			types[n] = t;
			groups[n++] = GROUP_UNKNOWN;
		}
	}
	return n;
}

void counters_fprint_plain(FILE *f, const struct counters *c, const char *indent)
{
	unsigned int types[COUNTERS_MAX];
	int groups[COUNTERS_MAX];
	size_t i, n = counters_order(c, types, groups);
	char buf[16];

	for (i = 0; i < n; i++) {
		if (!i || groups[i] != groups[i - 1]) {
			if (i)
				fputc('\n', f);
			fputs(indent, f);
		} else {
			fputc(' ', f);
		}
		fprintf(f, "%s %llu", counter_name(types[i], buf, sizeof(buf)),
			(unsigned long long)c->v[types[i]]);
	}
	if (n)
		fputc('\n', f);
}

void counters_print_plain(const struct counters *c, const char *indent)
{
	counters_fprint_plain(stdout, c, indent);
}

void counters_print_json(const char *key, const struct counters *c)
{
	unsigned int types[COUNTERS_MAX];
	int groups[COUNTERS_MAX];
	size_t i, n = counters_order(c, types, groups);
	char buf[16];

	json_open_object(key);
	for (i = 0; i < n; i++)
		json_uint(counter_name(types[i], buf, sizeof(buf)), c->v[types[i]]);
	json_close_object();
}
