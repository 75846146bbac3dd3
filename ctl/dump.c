// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl dump: the configuration of this network namespace as
 * splicerctl commands, in an order that "splicerctl -b FILE" (or
 * "splicerctl apply -f FILE") can replay into an empty namespace: pools,
 * then their servers, then the services that use them. With -j, one JSON
 * object {"pools": [...], "servers": [...], "services": [...]} without
 * counters.
 *
 * Each of the three dumps is consistent on its own; a change between them
 * can still make the whole inconsistent (a server of a pool deleted in
 * between is simply left out).
 */
#include <stdio.h>

#include "output.h"
#include "subcommands.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void dump_pool(const struct pool *p)
{
	const char *balance = balance_name(p->balance);

	printf("pool add %s", p->name);
	if (HAS(p, SPLICER_POOL_A_BALANCE) && balance)
		printf(" balance %s", balance);
	putchar('\n');
}

static void dump_server(const struct server *s)
{
	const char *state = state_name(s->state);
	char buf[ADDRPORT_STR_MAX];

	printf("server add %s %s %s", s->pool, s->name,
	       format_addrport(&s->addr, buf, sizeof(buf)));
	if (HAS(s, SPLICER_SRV_A_WEIGHT))
		printf(" weight %u", s->weight);
	if (HAS(s, SPLICER_SRV_A_MAXCONN)) {
		if (s->maxconn)
			printf(" maxconn %u", s->maxconn);
		else
			printf(" maxconn unlimited");
	}
	if (HAS(s, SPLICER_SRV_A_STATE) && state)
		printf(" state %s", state);
	putchar('\n');
}

static void dump_service(const struct service *s)
{
	char buf[ADDRPORT_STR_MAX];

	printf("service add %s listen %s pool %s", s->name,
	       format_addrport(&s->listen, buf, sizeof(buf)), s->pool);
	if (HAS(s, SPLICER_SVC_A_HEAD_MAX))
		printf(" head-max %u", s->head_max);
	if (HAS(s, SPLICER_SVC_A_HEADER_TIMEOUT))
		printf(" header-timeout %s",
		       format_duration(s->header_timeout, buf, sizeof(buf)));
	if (HAS(s, SPLICER_SVC_A_CONNECT_TIMEOUT))
		printf(" connect-timeout %s",
		       format_duration(s->connect_timeout, buf, sizeof(buf)));
	if (HAS(s, SPLICER_SVC_A_SERVER_TIMEOUT))
		printf(" server-timeout %s",
		       format_duration(s->server_timeout, buf, sizeof(buf)));
	if (HAS(s, SPLICER_SVC_A_IDLE_TIMEOUT))
		printf(" idle-timeout %s",
		       format_duration(s->idle_timeout, buf, sizeof(buf)));
	if (HAS(s, SPLICER_SVC_A_RETRIES))
		printf(" retries %u", s->retries);
	putchar('\n');
}

static int cmd_dump(int argc, char **argv, const struct cmd *cmd)
{
	struct service_list services = { 0 };
	struct server_list servers = { 0 };
	struct pool_list pools = { 0 };
	struct nlx *nl;
	size_t i;
	int err;

	if (argc)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[0]);
	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;

	err = pool_dump(nl, &pools);
	if (!err)
		err = server_dump(nl, NULL, &servers);
	if (!err)
		err = service_dump(nl, &services);
	if (err)
		goto out;

	if (opts.json) {
		json_open_object(NULL);
		json_open_array("pools");
		for (i = 0; i < pools.n; i++) {
			pools.v[i].has &= ~(1u << SPLICER_POOL_A_SERVERS |
					    1u << SPLICER_POOL_A_SERVERS_UP);
			pool_print(&pools.v[i]);
		}
		json_close_array();
		json_open_array("servers");
		for (i = 0; i < servers.n; i++) {
			servers.v[i].has &= ~(1u << SPLICER_SRV_A_STATS);
			server_print(&servers.v[i]);
		}
		json_close_array();
		json_open_array("services");
		for (i = 0; i < services.n; i++) {
			services.v[i].has &= ~(1u << SPLICER_SVC_A_STATS);
			service_print(&services.v[i]);
		}
		json_close_array();
		json_close_object();
		json_end();
		goto out;
	}
	for (i = 0; i < pools.n; i++)
		dump_pool(&pools.v[i]);
	for (i = 0; i < servers.n; i++)
		dump_server(&servers.v[i]);
	for (i = 0; i < services.n; i++)
		dump_service(&services.v[i]);
out:
	LIST_FREE(&pools);
	LIST_FREE(&servers);
	LIST_FREE(&services);
	return err ? EXIT_FAIL : EXIT_OK;
}

const struct cmd dump_cmds[] = {
	{ "show", "dump", cmd_dump },
};
const size_t dump_ncmds = ARRAY_SIZE(dump_cmds);
