// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl log: follow the decision log of this network namespace, one
 * record a line (or one JSON object a line with -j) until interrupted or
 * "count N" records have been printed. Records are multicast by the module
 * (SPLICER_MCGRP_LOG); there is no history, only what happens from now on.
 * Kinds: request, conn, and health (a server of a pool went up or down;
 * such records name a pool and no service). Decoding and the formats are
 * in logrec.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "logrec.h"
#include "output.h"
#include "subcommands.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct log_opts {
	char service[SPLICER_NAME_MAX];	/* "" = every service */
	char pool[SPLICER_NAME_MAX];	/* "" = every pool */
	uint32_t count;			/* 0 = until interrupted */
	uint32_t printed;
};

static const struct kw log_kws[] = {
	{ "service", KW_NAME, 0, offsetof(struct log_opts, service), 0, 0, NULL },
	{ "count", KW_U32, 1, offsetof(struct log_opts, count), 1, UINT32_MAX, NULL },
	{ "pool", KW_NAME, 2, offsetof(struct log_opts, pool), 0, 0, NULL },
};

static int log_record(const struct nlattr *attrs, int len, void *arg)
{
	struct log_opts *o = arg;
	const struct nlattr *a;
	struct log_rec r;
	int rem;

	nla_for_each_attr(a, attrs, len, rem) {
		if (nla_type(a) != SPLICER_A_LOG)
			continue;
		if (log_parse(a, &r))
			return -EBADMSG;
		/* Health records belong to a pool, not to a service. */
		if (*o->service && strcmp(o->service, r.service))
			continue;
		if (*o->pool && strcmp(o->pool, r.pool))
			continue;
		if (opts.json)
			log_print_json(&r);
		else
			log_print_plain(stdout, &r);
		fflush(stdout);
		if (o->count && ++o->printed >= o->count)
			return 1;
	}
	return 0;
}

static int cmd_log(int argc, char **argv, const struct cmd *cmd)
{
	struct log_opts o = { 0 };
	uint32_t has = 0;
	struct nlx *nl;
	int err;

	/* "splicerctl log" alone follows; so does "log show". */
	err = parse_keywords(cmd, log_kws, ARRAY_SIZE(log_kws), argc, argv, &o, &has);
	if (err)
		return err;
	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;
	return nlx_listen_log(nl, log_record, &o) ? EXIT_FAIL : EXIT_OK;
}

const struct cmd log_cmds[] = {
	{ "show|follow", "log [service NAME] [pool NAME] [count N]", cmd_log },
};
const size_t log_ncmds = ARRAY_SIZE(log_cmds);
