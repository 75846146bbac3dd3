// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl rule: the content rules of a service, evaluated in order on
 * the request head that binds a connection; the first whose every match
 * holds decides (a pool, a redirect or a fixed status), and a request no
 * rule matches goes to the service's pool.
 *
 *   rule add SERVICE [at N] MATCHES ACTION   RULE_NEW (default: last)
 *   rule del SERVICE N                       RULE_DEL, N as rule show numbers it
 *   rule show SERVICE                        RULE_GET dump, SERVICE the filter
 *
 * Parsing, the nest and the words are in rules.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "output.h"
#include "rules.h"
#include "subcommands.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int rule_reply(const struct nlattr *attrs, int len, void *arg)
{
	struct rule_list *list = arg;
	const struct nlattr *a;
	int rem, err;

	nla_for_each_attr(a, attrs, len, rem) {
		struct rule *r;

		if (nla_type(a) != SPLICER_A_RULE)
			continue;
		r = LIST_PUSH(list);
		if (!r)
			return -ENOMEM;
		err = rule_parse(a, r);
		if (err)
			return err;
	}
	return 0;
}

static void rule_reset(void *arg)
{
	LIST_FREE((struct rule_list *)arg);
}

/* A request whose RULE nest carries r (SERVICE set here). */
static struct nl_msg *rule_msg(struct nlx *nl, uint8_t nlcmd, const char *service,
			       struct rule *r)
{
	struct nl_msg *msg = nlx_msg(nl, nlcmd);

	snprintf(r->service, sizeof(r->service), "%s", service);
	SET(r, SPLICER_RULE_A_SERVICE);
	if (msg && rule_put(msg, r)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

int rule_dump(struct nlx *nl, const char *service, struct rule_list *list)
{
	struct rule key = { 0 };
	char what[64];

	snprintf(what, sizeof(what), "rule show \"%s\"", service);
	return nlx_dump(nl, rule_msg(nl, SPLICER_CMD_RULE_GET, service, &key),
			rule_reply, rule_reset, list, what);
}

void rule_print(const struct rule *r, const char *service)
{
	char words[RULE_WORDS_MAX];

	if (opts.json) {
		rule_print_json(r, true, true);
		return;
	}
	if (rule_format(r, words, sizeof(words))) {
		printf("rule add %s %s\n", service, words);
		return;
	}
	/* Not a command this splicerctl can write: say so, don't guess. */
	printf("# rule add %s: rule %u: %s\n", service, r->position, words);
	fprintf(stderr, "splicerctl: warning: service \"%s\": rule %u not dumped "
		"(the rules after it move up in a replay): %s\n", service, r->position,
		words);
}

static void print_table(const struct rule_list *list)
{
	char match[RULE_WORDS_MAX], action[RULE_WORDS_MAX], pos[16];
	size_t i, wpos = 3, wmatch = 5, waction = 6;

	if (!list->n)
		return;
	for (i = 0; i < list->n; i++) {
		const struct rule *r = &list->v[i];

		snprintf(pos, sizeof(pos), "%u", r->position);
		rule_match_words(r, false, match, sizeof(match));
		rule_action_words(r, false, action, sizeof(action));
		if (strlen(pos) > wpos)
			wpos = strlen(pos);
		if (strlen(match) > wmatch)
			wmatch = strlen(match);
		if (strlen(action) > waction)
			waction = strlen(action);
	}
	printf("%-*s  %-*s  %-*s  %s\n", (int)wpos, "POS", (int)wmatch, "MATCH",
	       (int)waction, "ACTION", "HITS");
	for (i = 0; i < list->n; i++) {
		const struct rule *r = &list->v[i];
		char hits[24];

		snprintf(pos, sizeof(pos), "%u", r->position);
		if (!rule_match_words(r, false, match, sizeof(match)))
			snprintf(match, sizeof(match), "-");
		if (!rule_action_words(r, false, action, sizeof(action)))
			snprintf(action, sizeof(action), "-");
		if (HAS(r, SPLICER_RULE_A_HITS))
			snprintf(hits, sizeof(hits), "%llu", (unsigned long long)r->hits);
		else
			snprintf(hits, sizeof(hits), "-");
		printf("%-*s  %-*s  %-*s  %s\n", (int)wpos, pos, (int)wmatch, match,
		       (int)waction, action, hits);
	}
}

static int cmd_add(int argc, char **argv, const struct cmd *cmd)
{
	char service[SPLICER_NAME_MAX], err[256], what[64];
	struct rule r;
	struct nlx *nl;
	int rc;

	rc = arg_name(cmd, "SERVICE", argc ? argv[0] : NULL, service);
	if (rc)
		return rc;
	if (rule_args(argc - 1, argv + 1, &r, err, sizeof(err)))
		return usage_error(cmd, "%s", err);
	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;
	snprintf(what, sizeof(what), "rule add \"%s\"", service);
	return nlx_doit(nl, rule_msg(nl, SPLICER_CMD_RULE_NEW, service, &r), NULL, NULL,
			what) ? EXIT_FAIL : EXIT_OK;
}

static int cmd_del(int argc, char **argv, const struct cmd *cmd)
{
	char service[SPLICER_NAME_MAX], what[64];
	struct rule r = { 0 };
	const char *why;
	struct nlx *nl;
	int rc;

	rc = arg_name(cmd, "SERVICE", argc ? argv[0] : NULL, service);
	if (rc)
		return rc;
	if (argc < 2)
		return usage_error(cmd, "missing N (the position, as rule show prints it)");
	why = parse_u32(argv[1], 0, UINT32_MAX, &r.position);
	if (why)
		return usage_error(cmd, "N \"%s\": %s", argv[1], why);
	if (argc > 2)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[2]);
	SET(&r, SPLICER_RULE_A_POSITION);
	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;
	snprintf(what, sizeof(what), "rule del \"%s\" %u", service, r.position);
	return nlx_doit(nl, rule_msg(nl, SPLICER_CMD_RULE_DEL, service, &r), NULL, NULL,
			what) ? EXIT_FAIL : EXIT_OK;
}

static int cmd_show(int argc, char **argv, const struct cmd *cmd)
{
	struct rule_list list = { 0 };
	char service[SPLICER_NAME_MAX];
	struct nlx *nl;
	size_t i;
	int err;

	err = arg_name(cmd, "SERVICE", argc ? argv[0] : NULL, service);
	if (err)
		return err;
	if (argc > 1)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[1]);
	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;
	err = rule_dump(nl, service, &list);
	if (!err) {
		if (opts.json) {
			json_open_array(NULL);
			for (i = 0; i < list.n; i++)
				rule_print_json(&list.v[i], false, false);
			json_close_array();
			json_end();
		} else {
			print_table(&list);
		}
	}
	LIST_FREE(&list);
	return err ? EXIT_FAIL : EXIT_OK;
}

#define RULE_ADD_USAGE "rule add SERVICE [at N] [host HOST] [path PATH] " \
	"[prefix PATH] [method METHOD] [header NAME [value VALUE]] [src ADDR/PREFIX] " \
	"{ pool POOL | redirect URL [status CODE] | status CODE }"

const struct cmd rule_cmds[] = {
	{ "add", RULE_ADD_USAGE, cmd_add },
	{ "del|delete", "rule del SERVICE N", cmd_del },
	{ "show|list|ls", "rule show SERVICE", cmd_show },
};
const size_t rule_ncmds = ARRAY_SIZE(rule_cmds);
