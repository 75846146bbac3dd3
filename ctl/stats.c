// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl stats: the totals of this network namespace
 * (SPLICER_CMD_STATS_GET) and the counters of every service and server
 * (from their dumps), plain, as JSON (-j) or in the Prometheus text format
 * (stats prometheus, see prom.c); plus the counter helpers other objects use.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "output.h"
#include "prom.h"
#include "subcommands.h"

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
 * the decision log, persistence, then any counter this tool does not know
 * yet, by type.
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
};

/* The present counters of c in display order; returns how many. */
static size_t display_order(const struct counters *c, unsigned int *types,
			    int *groups)
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
			groups[n++] = 5;
		}
	}
	return n;
}

void counters_print_plain(const struct counters *c, const char *indent)
{
	unsigned int types[COUNTERS_MAX];
	int groups[COUNTERS_MAX];
	size_t i, n = display_order(c, types, groups);
	char buf[16];

	for (i = 0; i < n; i++) {
		if (!i || groups[i] != groups[i - 1]) {
			if (i)
				putchar('\n');
			fputs(indent, stdout);
		} else {
			putchar(' ');
		}
		printf("%s %llu", counter_name(types[i], buf, sizeof(buf)),
		       (unsigned long long)c->v[types[i]]);
	}
	if (n)
		putchar('\n');
}

void counters_print_json(const char *key, const struct counters *c)
{
	unsigned int types[COUNTERS_MAX];
	int groups[COUNTERS_MAX];
	size_t i, n = display_order(c, types, groups);
	char buf[16];

	json_open_object(key);
	for (i = 0; i < n; i++)
		json_uint(counter_name(types[i], buf, sizeof(buf)), c->v[types[i]]);
	json_close_object();
}

struct totals {
	bool seen;
	struct counters c;
};

static int totals_reply(const struct nlattr *attrs, int len, void *arg)
{
	struct totals *t = arg;
	const struct nlattr *a;
	int rem;

	nla_for_each_attr(a, attrs, len, rem) {
		if (nla_type(a) != SPLICER_A_STATS)
			continue;
		if (counters_parse(a, &t->c))
			return -EBADMSG;
		t->seen = true;
	}
	return 0;
}

static void print_block(const char *title, const struct counters *c, bool has)
{
	printf("%s\n", title);
	if (has && c->present)
		counters_print_plain(c, "    ");
	else
		printf("    (no counters)\n");
}

/* Everything "stats" prints, in one netlink conversation. */
struct stats_all {
	struct totals totals;
	struct service_list services;
	struct server_list servers;
};

static int stats_fetch(struct stats_all *st)
{
	struct nlx *nl = nl_get();
	int err;

	if (!nl)
		return -EINVAL;
	err = nlx_doit(nl, nlx_msg(nl, SPLICER_CMD_STATS_GET), totals_reply,
		       &st->totals, "stats");
	if (!err)
		err = service_dump(nl, &st->services);
	if (!err)
		err = server_dump(nl, NULL, &st->servers);
	return err;
}

static void stats_free(struct stats_all *st)
{
	LIST_FREE(&st->services);
	LIST_FREE(&st->servers);
}

static int cmd_show(int argc, char **argv, const struct cmd *cmd)
{
	struct stats_all st = { 0 };
	const struct service_list *services = &st.services;
	const struct server_list *servers = &st.servers;
	const struct totals *totals = &st.totals;
	char title[96];
	size_t i;
	int err;

	if (argc)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[0]);
	err = stats_fetch(&st);
	if (err)
		goto out;
	if (opts.json) {
		json_open_object(NULL);
		counters_print_json("stats", &totals->c);
		json_open_array("services");
		for (i = 0; i < services->n; i++) {
			json_open_object(NULL);
			json_string("name", services->v[i].name);
			counters_print_json("stats", &services->v[i].stats);
			json_close_object();
		}
		json_close_array();
		json_open_array("servers");
		for (i = 0; i < servers->n; i++) {
			json_open_object(NULL);
			json_string("pool", servers->v[i].pool);
			json_string("name", servers->v[i].name);
			counters_print_json("stats", &servers->v[i].stats);
			json_close_object();
		}
		json_close_array();
		json_close_object();
		json_end();
		goto out;
	}

	print_block("total", &totals->c, totals->seen);
	for (i = 0; i < services->n; i++) {
		snprintf(title, sizeof(title), "service %s", services->v[i].name);
		print_block(title, &services->v[i].stats,
			    HAS(&services->v[i], SPLICER_SVC_A_STATS));
	}
	for (i = 0; i < servers->n; i++) {
		snprintf(title, sizeof(title), "server %s %s", servers->v[i].pool,
			 servers->v[i].name);
		print_block(title, &servers->v[i].stats,
			    HAS(&servers->v[i], SPLICER_SRV_A_STATS));
	}
out:
	stats_free(&st);
	return err ? EXIT_FAIL : EXIT_OK;
}

/*
 * The same counters for node_exporter's textfile collector. With -n NETNS
 * every sample gets a label netns="NETNS", so that the files of several
 * namespaces can sit side by side in the collector's directory.
 */
static int cmd_prometheus(int argc, char **argv, const struct cmd *cmd)
{
	struct stats_all st = { 0 };
	int err;

	if (argc)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[0]);
	if (opts.json)
		return usage_error(cmd, "-j cannot be combined with prometheus "
				   "(a text format of its own)");
	err = stats_fetch(&st);
	if (!err) {
		prom_print(stdout, opts.netns, st.totals.seen ? &st.totals.c : NULL,
			   st.services.v, st.services.n, st.servers.v, st.servers.n);
		if (fflush(stdout) || ferror(stdout)) {
			fprintf(stderr, "splicerctl: writing the metrics: %s\n",
				strerror(errno));
			err = -EIO;
		}
	}
	stats_free(&st);
	return err ? EXIT_FAIL : EXIT_OK;
}

const struct cmd stats_cmds[] = {
	{ "show|list|ls", "stats [show]", cmd_show },
	{ "prometheus|--prometheus", "stats prometheus", cmd_prometheus },
};
const size_t stats_ncmds = ARRAY_SIZE(stats_cmds);
