// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl persist: how a service keeps a client on one server.
 *
 *   persist SERVICE MODE [OPTIONS]   SERVICE_SET with a PERSIST nest
 *   persist SERVICE key HEX          the nest with only KEY (rotation)
 *   persist SERVICE [show]           SERVICE_GET, the PERSIST nest
 *
 * The object is addressed by the service first (dispatch_named), so each
 * mode is a command of its own with its own usage line. Parsing, the
 * netlink nest and the words are in persistence.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "persistence.h"
#include "subcommands.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* argv: SERVICE MODE [OPTIONS] */
static int cmd_set(int argc, char **argv, const struct cmd *cmd)
{
	char service[SPLICER_NAME_MAX], err[192], what[96];
	struct nl_msg *msg;
	struct persist p;
	struct nlx *nl;
	int rc;

	rc = arg_name(cmd, "SERVICE", argv[0], service);
	if (rc)
		return rc;
	if (persist_args(argv[1], argc - 2, argv + 2, &p, err, sizeof(err)))
		return usage_error(cmd, "%s", err);

	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;
	snprintf(what, sizeof(what), "persist \"%s\" %s", service, argv[1]);
	msg = nlx_msg(nl, SPLICER_CMD_SERVICE_SET);
	if (msg && persist_msg_put(msg, service, &p)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return nlx_doit(nl, msg, NULL, NULL, what) ? EXIT_FAIL : EXIT_OK;
}

/* argv: SERVICE [show] */
static int cmd_show(int argc, char **argv, const struct cmd *cmd)
{
	char service[SPLICER_NAME_MAX], what[64], words[PERSIST_WORDS_MAX];
	struct service s;
	struct nlx *nl;
	int rc;

	rc = arg_name(cmd, "SERVICE", argv[0], service);
	if (rc)
		return rc;
	if (argc > 2)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[2]);
	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;
	snprintf(what, sizeof(what), "persist \"%s\" show", service);
	if (service_get(nl, service, &s, what))
		return EXIT_FAIL;
	if (!HAS(&s, SPLICER_SVC_A_PERSIST)) {
		fprintf(stderr, "splicerctl: %s: the module reports no persistence "
			"(a module without it?)\n", what);
		return EXIT_FAIL;
	}
	if (opts.json) {
		persist_print_json(NULL, &s.persist, false);
		json_end();
		return EXIT_OK;
	}
	persist_format(&s.persist, false, words, sizeof(words));
	printf("persist %s %s\n", s.name, words);
	return EXIT_OK;
}

#define DUR_NOTE " (DUR: whole seconds, a bare number is seconds)"

const struct cmd persist_cmds[] = {
	{ "off", "persist SERVICE off [key HEX]", cmd_set },
	{ "cookie", "persist SERVICE cookie [name NAME] [indirect] [nocache] [secure] "
	  "[strict] [maxidle DUR] [maxlife DUR] [key HEX]" DUR_NOTE, cmd_set },
	{ "prefix", "persist SERVICE prefix [name NAME] [secure] [strict] "
	  "[maxidle DUR] [maxlife DUR] [key HEX]" DUR_NOTE, cmd_set },
	{ "learn", "persist SERVICE learn [name NAME] [timeout DUR] [size N] [strict] "
	  "[key HEX]" DUR_NOTE, cmd_set },
	{ "source", "persist SERVICE source [mask4 BITS] [mask6 BITS] [timeout DUR] "
	  "[size N] [strict] [key HEX]" DUR_NOTE, cmd_set },
	{ "hash", "persist SERVICE hash { source [mask4 BITS] [mask6 BITS] | "
	  "header NAME | cookie NAME | param NAME } [strict] [key HEX]", cmd_set },
	{ "key", "persist SERVICE key HEX", cmd_set },
	{ "show|list|ls", "persist SERVICE [show]", cmd_show },
};
const size_t persist_ncmds = ARRAY_SIZE(persist_cmds);
