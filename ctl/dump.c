// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl dump: the configuration of this network namespace as
 * splicerctl commands, in an order that "splicerctl -b FILE" (or
 * "splicerctl apply -f FILE") can replay into an empty namespace: pools,
 * then their servers, then the services that use them, each followed by
 * its content rules in order ("rule add SERVICE ..." appends, so a replay
 * keeps the order; the service's own pool stays the one for requests no
 * rule matches). With -j, one JSON object {"pools": [...], "servers":
 * [...], "services": [...], "rules": [...]} without counters or hits.
 *
 * A pool's health checks are the end of its "pool add" line ("health http
 * interval 2s ..."); checks no batch line can carry (a body with a blank, a
 * string with a '#') are written as a comment instead, with a warning.
 * A service's persistence follows its "service add" line as a "persist"
 * line. Persistence keys are write only and never dumped: a comment says
 * so, since a replay without them makes the new services sign with keys of
 * their own (tokens issued before are then void there).
 *
 * Rules are listed only for services whose RULES count is not 0 (a module
 * that does not report it has no rules). A rule no batch line can carry
 * (a value with a blank or a '#') is written as a comment, with a warning.
 *
 * Each of the dumps is consistent on its own; a change between them can
 * still make the whole inconsistent (a server of a pool deleted in between
 * is simply left out).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "subcommands.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int cmd_dump(int argc, char **argv, const struct cmd *cmd)
{
	struct service_list services = { 0 };
	struct server_list servers = { 0 };
	struct pool_list pools = { 0 };
	struct rule_list *rules = NULL;	/* one list per service */
	bool persist = false;
	struct nlx *nl;
	size_t i, j;
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
	if (!err && services.n) {
		rules = calloc(services.n, sizeof(*rules));
		if (!rules) {
			fprintf(stderr, "splicerctl: dump: %s\n", strerror(ENOMEM));
			err = -ENOMEM;
		}
	}
	/* A module that does not report RULES has none to list. */
	for (i = 0; !err && i < services.n; i++)
		if (HAS(&services.v[i], SPLICER_SVC_A_RULES) && services.v[i].rules)
			err = rule_dump(nl, services.v[i].name, &rules[i]);
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
		/* In text, a service's rules follow it, in their order. */
		for (j = 0; !opts.json && j < rules[i].n; j++)
			rule_print(&rules[i].v[j], s->name);
	}
	if (!opts.json && persist)
		printf("# persistence keys are not dumped: give each service its key "
		       "again with \"persist SERVICE key HEX\"\n");
	if (opts.json) {
		json_close_array();
		json_open_array("rules");
		for (i = 0; i < services.n; i++)
			for (j = 0; j < rules[i].n; j++)
				rule_print(&rules[i].v[j], services.v[i].name);
		json_close_array();
		json_close_object();
		json_end();
	}
out:
	for (i = 0; rules && i < services.n; i++)
		LIST_FREE(&rules[i]);
	free(rules);
	LIST_FREE(&pools);
	LIST_FREE(&servers);
	LIST_FREE(&services);
	return err ? EXIT_FAIL : EXIT_OK;
}

const struct cmd dump_cmds[] = {
	{ "show", "dump", cmd_dump },
};
const size_t dump_ncmds = ARRAY_SIZE(dump_cmds);
