// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ctl/counters.c: a STATS nest decoded (PAD skipped, types
 * past COUNTERS_MAX ignored, a counter that is not 8 bytes refused), and
 * the display order and groups of "show -s", "stats" and -j: every counter
 * of the header placed in a group, the packet splice and TLS after
 * persistence, counters unknown to this tool last by type.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include <linux/splicer.h>

#include "../counters.h"
#include "../output.h"

static int passed, failed;

#define CHECK(cond, ...) \
	do { \
		if (cond) { \
			passed++; \
		} else { \
			failed++; \
			printf("FAIL %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__); \
			putchar('\n'); \
		} \
	} while (0)

static void set(struct counters *c, unsigned int type, uint64_t v)
{
	c->v[type] = v;
	c->present |= 1ull << type;
}

static char *plain(const struct counters *c, const char *indent)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	counters_fprint_plain(f, c, indent);
	fclose(f);
	return buf;
}

static char *json(const struct counters *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_set_file(f);
	counters_print_json(NULL, c);
	json_end();
	fclose(f);
	json_set_file(NULL);
	return buf;
}

static void test_order(void)
{
	unsigned int types[COUNTERS_MAX], t;
	int groups[COUNTERS_MAX];
	struct counters c = { 0 };
	size_t n, i;
	char *out;

	/* Every counter of the header has a place before the unknown ones. */
	for (t = SPLICER_CNT_CONNS; t <= SPLICER_CNT_MAX; t++)
		set(&c, t, t);
	set(&c, SPLICER_CNT_MAX + 5, 1);
	set(&c, SPLICER_CNT_MAX + 1, 2);
	n = counters_order(&c, types, groups);
	CHECK(n == SPLICER_CNT_MAX - SPLICER_CNT_CONNS + 1 + 2, "%zu counters", n);
	CHECK(types[n - 2] == SPLICER_CNT_MAX + 1 && types[n - 1] == SPLICER_CNT_MAX + 5,
	      "unknown counters last, by type: %u %u", types[n - 2], types[n - 1]);
	CHECK(groups[n - 1] == groups[n - 2] && groups[n - 2] > groups[n - 3],
	      "unknown counters in a group of their own");
	for (i = 1; i < n; i++)
		CHECK(groups[i] >= groups[i - 1], "groups in order at %zu", i);
	for (i = 0; i + 2 < n; i++)
		CHECK(types[i] <= SPLICER_CNT_MAX, "known counter %u placed after an "
		      "unknown one", types[i]);

	/* Rebinds, the splice group, then the TLS group, after persistence. */
	out = plain(&c, "  ");
	{
		char want[512];

		snprintf(want, sizeof(want),
			 "  persist_hits 19 persist_new 20 persist_redispatch 21 "
			 "persist_invalid 22 stick_evictions 23\n"
			 "  rebinds 31\n"
			 "  spliced 24 splice_bytes_in 25 splice_bytes_out 26 splice_fallback 27\n"
			 "  tls_handshakes 28 tls_failed 29 tls_refused 30\n"
			 "  cnt_%u 2 cnt_%u 1\n", SPLICER_CNT_MAX + 1, SPLICER_CNT_MAX + 5);
		CHECK(strstr(out, want) != NULL, "plain:\n%s", out);
	}
	CHECK(!strncmp(out, "  conns 2 active 3 requests 4 bytes_in 5 bytes_out 6\n"
		       "  connect_fail 7 retries 8\n", 52), "plain start:\n%s", out);
	free(out);

	/* Only what is present; a group may be missing. */
	memset(&c, 0, sizeof(c));
	set(&c, SPLICER_CNT_TLS_FAILED, 7);
	set(&c, SPLICER_CNT_CONNS, 1);
	set(&c, SPLICER_CNT_SPLICE_FALLBACK, 0);
	out = plain(&c, "");
	CHECK(!strcmp(out, "conns 1\nsplice_fallback 0\ntls_failed 7\n"), "sparse:\n%s", out);
	free(out);
	out = json(&c);
	CHECK(!strcmp(out, "{\"conns\":1,\"splice_fallback\":0,\"tls_failed\":7}\n"),
	      "json: %s", out);
	free(out);

	memset(&c, 0, sizeof(c));
	out = plain(&c, "  ");
	CHECK(!strcmp(out, ""), "empty: \"%s\"", out);
	free(out);
}

static struct nlattr *stats_nest(struct nl_msg *m)
{
	return (struct nlattr *)((char *)nlmsg_data(nlmsg_hdr(m)));
}

static void test_parse(void)
{
	struct nl_msg *m = nlmsg_alloc();
	struct counters c;
	struct nlattr *nest;
	uint32_t four = 4;

	nest = nla_nest_start(m, SPLICER_A_STATS);
	nla_put_u64(m, SPLICER_CNT_PAD, 0);
	nla_put_u64(m, SPLICER_CNT_CONNS, 10);
	nla_put_u64(m, SPLICER_CNT_SPLICED, 11);
	nla_put_u64(m, SPLICER_CNT_SPLICE_BYTES_OUT, 1ull << 40);
	nla_put_u64(m, SPLICER_CNT_TLS_REFUSED, 12);
	nla_put_u64(m, COUNTERS_MAX + 3, 99);	/* past what we keep */
	nla_nest_end(m, nest);
	CHECK(!counters_parse(stats_nest(m), &c), "parse");
	CHECK(c.present == ((1ull << SPLICER_CNT_CONNS) | (1ull << SPLICER_CNT_SPLICED) |
			    (1ull << SPLICER_CNT_SPLICE_BYTES_OUT) |
			    (1ull << SPLICER_CNT_TLS_REFUSED)), "present 0x%llx",
	      (unsigned long long)c.present);
	CHECK(c.v[SPLICER_CNT_CONNS] == 10 && c.v[SPLICER_CNT_SPLICED] == 11 &&
	      c.v[SPLICER_CNT_SPLICE_BYTES_OUT] == 1ull << 40 &&
	      c.v[SPLICER_CNT_TLS_REFUSED] == 12, "values");
	nlmsg_free(m);

	m = nlmsg_alloc();
	nest = nla_nest_start(m, SPLICER_A_STATS);
	nla_put(m, SPLICER_CNT_TLS_HANDSHAKES, sizeof(four), &four);
	nla_nest_end(m, nest);
	CHECK(counters_parse(stats_nest(m), &c) == -EBADMSG, "a 4-byte counter refused");
	nlmsg_free(m);
}

int main(void)
{
	test_order();
	test_parse();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
