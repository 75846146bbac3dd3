// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl stats: the totals of this network namespace
 * (SPLICER_CMD_STATS_GET) and the counters of every service and server
 * (from their dumps), plus the counter helpers other objects use.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "output.h"
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

/* Plain output puts related counters on one line. */
static int counter_group(unsigned int type)
{
	if (type <= SPLICER_CNT_BYTES_OUT)
		return 0;
	if (type <= SPLICER_CNT_RETRIES)
		return 1;
	if (type <= SPLICER_CNT_RESP_505)
		return 2;
	return 3;
}

void counters_print_plain(const struct counters *c, const char *indent)
{
	int group = -1;
	unsigned int t;
	char buf[16];

	for (t = 0; t < COUNTERS_MAX; t++) {
		if (!(c->present & (1ull << t)))
			continue;
		if (counter_group(t) != group) {
			if (group >= 0)
				putchar('\n');
			fputs(indent, stdout);
			group = counter_group(t);
		} else {
			putchar(' ');
		}
		printf("%s %llu", counter_name(t, buf, sizeof(buf)),
		       (unsigned long long)c->v[t]);
	}
	if (group >= 0)
		putchar('\n');
}

void counters_print_json(const char *key, const struct counters *c)
{
	unsigned int t;
	char buf[16];

	json_open_object(key);
	for (t = 0; t < COUNTERS_MAX; t++)
		if (c->present & (1ull << t))
			json_uint(counter_name(t, buf, sizeof(buf)), c->v[t]);
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

static int cmd_show(int argc, char **argv, const struct cmd *cmd)
{
	struct service_list services = { 0 };
	struct server_list servers = { 0 };
	struct totals totals = { 0 };
	char title[96];
	struct nlx nl;
	size_t i;
	int err;

	if (argc)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[0]);
	if (open_nl(&nl))
		return EXIT_FAIL;

	err = nlx_doit(&nl, nlx_msg(&nl, SPLICER_CMD_STATS_GET), totals_reply,
		       &totals, "stats");
	if (!err)
		err = service_dump(&nl, &services);
	if (!err)
		err = server_dump(&nl, NULL, &servers);
	if (err)
		goto out;

	if (opts.json) {
		json_open_object(NULL);
		counters_print_json("stats", &totals.c);
		json_open_array("services");
		for (i = 0; i < services.n; i++) {
			json_open_object(NULL);
			json_string("name", services.v[i].name);
			counters_print_json("stats", &services.v[i].stats);
			json_close_object();
		}
		json_close_array();
		json_open_array("servers");
		for (i = 0; i < servers.n; i++) {
			json_open_object(NULL);
			json_string("pool", servers.v[i].pool);
			json_string("name", servers.v[i].name);
			counters_print_json("stats", &servers.v[i].stats);
			json_close_object();
		}
		json_close_array();
		json_close_object();
		json_end();
		goto out;
	}

	print_block("total", &totals.c, totals.seen);
	for (i = 0; i < services.n; i++) {
		snprintf(title, sizeof(title), "service %s", services.v[i].name);
		print_block(title, &services.v[i].stats,
			    HAS(&services.v[i], SPLICER_SVC_A_STATS));
	}
	for (i = 0; i < servers.n; i++) {
		snprintf(title, sizeof(title), "server %s %s", servers.v[i].pool,
			 servers.v[i].name);
		print_block(title, &servers.v[i].stats,
			    HAS(&servers.v[i], SPLICER_SRV_A_STATS));
	}
out:
	LIST_FREE(&services);
	LIST_FREE(&servers);
	nlx_close(&nl);
	return err ? EXIT_FAIL : EXIT_OK;
}

const struct cmd stats_cmds[] = {
	{ "show|list|ls", "stats [show]", cmd_show },
};
const size_t stats_ncmds = ARRAY_SIZE(stats_cmds);
