// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl stats: the totals of this network namespace
 * (SPLICER_CMD_STATS_GET) and the counters of every service and server
 * (from their dumps), plain, as JSON (-j) or in the Prometheus text format
 * (stats prometheus, see prom.c). Decoding and display order of the
 * counters are in counters.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "counters.h"
#include "output.h"
#include "prom.h"
#include "subcommands.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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
