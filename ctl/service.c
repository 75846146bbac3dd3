// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl service: virtual services, each an in-kernel listener on
 * ADDR:PORT that hands requests to a pool (or, by its content rules, to
 * other pools: rule.c). The keywords, the nest and the words are in svc.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "output.h"
#include "persistence.h"
#include "subcommands.h"
#include "svc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- model <-> netlink ----------------------------------------------- */

static int service_reply(const struct nlattr *attrs, int len, void *arg)
{
	struct service_list *list = arg;
	const struct nlattr *a;
	int rem, err;

	nla_for_each_attr(a, attrs, len, rem) {
		struct service *s;

		if (nla_type(a) != SPLICER_A_SERVICE)
			continue;
		s = LIST_PUSH(list);
		if (!s)
			return -ENOMEM;
		err = service_parse(a, s);
		if (err)
			return err;
	}
	return 0;
}

static void service_reset(void *arg)
{
	LIST_FREE((struct service_list *)arg);
}

int service_dump(struct nlx *nl, struct service_list *list)
{
	return nlx_dump(nl, nlx_msg(nl, SPLICER_CMD_SERVICE_GET), service_reply,
			service_reset, list, "service show");
}

int service_get(struct nlx *nl, const char *name, struct service *s,
		const char *what)
{
	struct service_list list = { 0 };
	struct service key = { 0 };
	struct nl_msg *msg;
	int err;

	snprintf(key.name, sizeof(key.name), "%s", name);
	msg = nlx_msg(nl, SPLICER_CMD_SERVICE_GET);
	if (msg && service_put(msg, &key)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	err = nlx_doit(nl, msg, service_reply, &list, what);
	if (!err && list.n != 1) {
		fprintf(stderr, "splicerctl: %s: unexpected reply from the kernel\n",
			what);
		err = -EBADMSG;
	}
	if (!err)
		*s = list.v[0];
	LIST_FREE(&list);
	return err;
}

/* ---- output ---------------------------------------------------------- */

bool service_persist_line(const struct service *s, bool as_command)
{
	char words[PERSIST_WORDS_MAX];

	if (!service_persist_on(s))
		return false;
	if (persist_format(&s->persist, as_command, words, sizeof(words))) {
		if (as_command)
			printf("persist %s %s\n", s->name, words);
		else
			printf("    persist %s\n", words);
		return true;
	}
	if (as_command) {
		/* Not a command this splicerctl can write: say so, don't guess. */
		printf("# persist %s: %s\n", s->name, words);
		fprintf(stderr, "splicerctl: warning: service \"%s\": persistence "
			"not dumped: %s\n", s->name, words);
	} else {
		printf("    persist %s\n", words);
	}
	return true;
}

void service_print(const struct service *s, bool as_command)
{
	char words[SERVICE_WORDS_MAX];

	if (opts.json) {
		service_print_json(s, as_command);
		return;
	}
	service_format(s, as_command, words, sizeof(words));
	printf("service %s%s%s\n", as_command ? "add " : "", s->name, words);
	/* In a dump the persist line is a command of its own, after this one. */
	service_persist_line(s, as_command);
	if (opts.stats && HAS(s, SPLICER_SVC_A_STATS) && !as_command)
		counters_print_plain(&s->stats, "    ");
}

/* ---- commands -------------------------------------------------------- */

static int send_service(uint8_t nlcmd, const struct service *s, const char *verb)
{
	struct nl_msg *msg;
	struct nlx *nl;
	char what[64];
	int err;

	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;
	snprintf(what, sizeof(what), "service %s \"%s\"", verb, s->name);
	msg = nlx_msg(nl, nlcmd);
	if (msg && service_put(msg, s)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	err = nlx_doit(nl, msg, NULL, NULL, what);
	return err ? EXIT_FAIL : EXIT_OK;
}

static int cmd_add(int argc, char **argv, const struct cmd *cmd)
{
	struct service s = { 0 };
	int err;

	err = arg_name(cmd, "NAME", argc ? argv[0] : NULL, s.name);
	if (err)
		return err;
	err = parse_keywords(cmd, service_add_kws, service_add_nkws, argc - 1,
			     argv + 1, &s, &s.has);
	if (err)
		return err;
	if (!HAS(&s, SPLICER_SVC_A_ADDR))
		return usage_error(cmd, "missing \"listen ADDR:PORT\"");
	if (!HAS(&s, SPLICER_SVC_A_POOL))
		return usage_error(cmd, "missing \"pool POOL\"");
	return send_service(SPLICER_CMD_SERVICE_NEW, &s, "add");
}

static int cmd_set(int argc, char **argv, const struct cmd *cmd)
{
	struct service s = { 0 };
	int err;

	err = arg_name(cmd, "NAME", argc ? argv[0] : NULL, s.name);
	if (err)
		return err;
	err = parse_keywords(cmd, service_set_kws, service_set_nkws, argc - 1,
			     argv + 1, &s, &s.has);
	if (err)
		return err;
	if (!s.has)
		return usage_error(cmd, "nothing to set");
	return send_service(SPLICER_CMD_SERVICE_SET, &s, "set");
}

static int cmd_del(int argc, char **argv, const struct cmd *cmd)
{
	struct service s = { 0 };
	int err;

	err = arg_name(cmd, "NAME", argc ? argv[0] : NULL, s.name);
	if (err)
		return err;
	if (argc > 1)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[1]);
	return send_service(SPLICER_CMD_SERVICE_DEL, &s, "del");
}

static int cmd_show(int argc, char **argv, const struct cmd *cmd)
{
	struct service_list list = { 0 };
	struct service key = { 0 };
	struct nlx *nl;
	size_t i;
	int err;

	if (argc > 1)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[1]);
	if (argc) {
		err = arg_name(cmd, "NAME", argv[0], key.name);
		if (err)
			return err;
	}
	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;

	if (argc) {
		struct service s;
		char what[64];

		snprintf(what, sizeof(what), "service show \"%s\"", key.name);
		err = service_get(nl, key.name, &s, what);
		if (!err)
			service_print(&s, false);
	} else {
		err = service_dump(nl, &list);
		if (!err) {
			if (opts.json)
				json_open_array(NULL);
			for (i = 0; i < list.n; i++)
				service_print(&list.v[i], false);
			if (opts.json)
				json_close_array();
		}
	}
	if (!err && opts.json)
		json_end();
	LIST_FREE(&list);
	return err ? EXIT_FAIL : EXIT_OK;
}

const struct cmd service_cmds[] = {
	{ "add", "service add NAME listen ADDR:PORT pool POOL [head-max BYTES] "
	  "[header-timeout DUR] [connect-timeout DUR] [server-timeout DUR] "
	  "[idle-timeout DUR] [max-line BYTES] [max-headers N] [retries N] "
	  "[splice on|off] [tls on|off] [handshake-timeout DUR] "
	  "[location-rewrite on|off] [inspect on|off]", cmd_add },
	{ "set", "service set NAME [pool POOL] [head-max BYTES] [header-timeout DUR] "
	  "[connect-timeout DUR] [server-timeout DUR] [idle-timeout DUR] "
	  "[max-line BYTES] [max-headers N] [retries N] [splice on|off] [tls on|off] "
	  "[handshake-timeout DUR] [location-rewrite on|off] [inspect on|off]", cmd_set },
	{ "del|delete", "service del NAME", cmd_del },
	{ "show|list|ls", "service show [NAME]", cmd_show },
};
const size_t service_ncmds = ARRAY_SIZE(service_cmds);
