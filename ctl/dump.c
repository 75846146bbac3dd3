// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl dump: the configuration of this network namespace as
 * splicerctl commands, in an order that "splicerctl -b FILE" (or
 * "splicerctl apply -f FILE") can replay into an empty namespace: pools,
 * then their servers, then the services that use them. With -j, one JSON
 * object {"pools": [...], "servers": [...], "services": [...]} without
 * counters.
 *
 * A pool's health checks are the end of its "pool add" line ("health http
 * interval 2s ..."); checks no batch line can carry (a body with a blank, a
 * string with a '#') are written as a comment instead, with a warning.
 * A service's persistence follows its "service add" line as a "persist"
 * line. Persistence keys are write only and never dumped: a comment says
 * so, since a replay without them makes the new services sign with keys of
 * their own (tokens issued before are then void there).
 *
 * Each of the three dumps is consistent on its own; a change between them
 * can still make the whole inconsistent (a server of a pool deleted in
 * between is simply left out).
 */
#include <stdio.h>

#include "output.h"
#include "subcommands.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int cmd_dump(int argc, char **argv, const struct cmd *cmd)
{
	struct service_list services = { 0 };
	struct server_list servers = { 0 };
	struct pool_list pools = { 0 };
	bool persist = false;
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
	}
	for (i = 0; i < pools.n; i++)
		pool_print(&pools.v[i], true);
	if (opts.json) {
		json_close_array();
		json_open_array("servers");
	}
	for (i = 0; i < servers.n; i++)
		server_print(&servers.v[i], true);
	if (opts.json) {
		json_close_array();
		json_open_array("services");
	}
	for (i = 0; i < services.n; i++) {
		const struct service *s = &services.v[i];

		service_print(s, true);
		persist |= HAS(s, SPLICER_SVC_A_PERSIST) &&
			   HAS(&s->persist, SPLICER_PERSIST_A_MODE) &&
			   s->persist.mode != SPLICER_PERSIST_NONE;
	}
	if (!opts.json && persist)
		printf("# persistence keys are not dumped: give each service its key "
		       "again with \"persist SERVICE key HEX\"\n");
	if (opts.json) {
		json_close_array();
		json_close_object();
		json_end();
	}
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
