// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl pool: named sets of servers, how requests are spread over
 * them, and how their servers are checked ("health ...", last on the line
 * of add and set; parsing, the nests and the words are in health.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "health.h"
#include "output.h"
#include "subcommands.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct kw pool_kws[] = {
	{ "balance", KW_BALANCE, SPLICER_POOL_A_BALANCE,
	  offsetof(struct pool, balance), 0, 0, NULL },
};

/* ---- model <-> netlink ----------------------------------------------- */

static struct nla_policy pool_policy[SPLICER_POOL_A_MAX + 1] = {
	[SPLICER_POOL_A_BALANCE] = { .type = NLA_U8 },
	[SPLICER_POOL_A_SERVERS] = { .type = NLA_U32 },
	[SPLICER_POOL_A_SERVERS_UP] = { .type = NLA_U32 },
	[SPLICER_POOL_A_HEALTH] = { .type = NLA_NESTED },
};

static int pool_parse(const struct nlattr *nest, struct pool *p)
{
	struct nlattr *tb[SPLICER_POOL_A_MAX + 1];

	if (nla_parse_nested(tb, SPLICER_POOL_A_MAX, (struct nlattr *)nest, pool_policy))
		return -EBADMSG;
	if (tb[SPLICER_POOL_A_NAME]) {
		nla_strlcpy(p->name, tb[SPLICER_POOL_A_NAME], sizeof(p->name));
		SET(p, SPLICER_POOL_A_NAME);
	}
	if (tb[SPLICER_POOL_A_BALANCE]) {
		p->balance = nla_get_u8(tb[SPLICER_POOL_A_BALANCE]);
		SET(p, SPLICER_POOL_A_BALANCE);
	}
	if (tb[SPLICER_POOL_A_SERVERS]) {
		p->servers = nla_get_u32(tb[SPLICER_POOL_A_SERVERS]);
		SET(p, SPLICER_POOL_A_SERVERS);
	}
	if (tb[SPLICER_POOL_A_SERVERS_UP]) {
		p->servers_up = nla_get_u32(tb[SPLICER_POOL_A_SERVERS_UP]);
		SET(p, SPLICER_POOL_A_SERVERS_UP);
	}
	if (tb[SPLICER_POOL_A_HEALTH]) {
		if (health_parse(tb[SPLICER_POOL_A_HEALTH], &p->health))
			return -EBADMSG;
		SET(p, SPLICER_POOL_A_HEALTH);
	}
	return 0;
}

static int pool_reply(const struct nlattr *attrs, int len, void *arg)
{
	struct pool_list *list = arg;
	const struct nlattr *a;
	int rem, err;

	nla_for_each_attr(a, attrs, len, rem) {
		struct pool *p;

		if (nla_type(a) != SPLICER_A_POOL)
			continue;
		p = LIST_PUSH(list);
		if (!p)
			return -ENOMEM;
		err = pool_parse(a, p);
		if (err)
			return err;
	}
	return 0;
}

static void pool_reset(void *arg)
{
	LIST_FREE((struct pool_list *)arg);
}

int pool_dump(struct nlx *nl, struct pool_list *list)
{
	return nlx_dump(nl, nlx_msg(nl, SPLICER_CMD_POOL_GET), pool_reply,
			pool_reset, list, "pool show");
}

/* ---- output ---------------------------------------------------------- */

/* Health is shown when the module reports it and it is on. */
static bool health_on(const struct pool *p)
{
	return HAS(p, SPLICER_POOL_A_HEALTH) &&
	       HAS(&p->health, SPLICER_HEALTH_A_TYPE) &&
	       p->health.type != SPLICER_HEALTH_NONE;
}

void pool_print(const struct pool *p, bool as_command)
{
	const char *balance = balance_name(p->balance);
	char num[16], words[HEALTH_WORDS_MAX];
	bool words_ok = false;

	if (!balance) {
		snprintf(num, sizeof(num), "%u", p->balance);
		balance = num;
	}
	if (opts.json) {
		json_open_object(NULL);
		json_string("name", p->name);
		if (HAS(p, SPLICER_POOL_A_BALANCE))
			json_string("balance", balance);
		if (HAS(p, SPLICER_POOL_A_SERVERS) && !as_command)
			json_uint("servers", p->servers);
		if (HAS(p, SPLICER_POOL_A_SERVERS_UP) && !as_command)
			json_uint("servers_up", p->servers_up);
		if (health_on(p))
			health_print_json("health", &p->health);
		json_close_object();
		return;
	}
	if (health_on(p))
		words_ok = health_format(&p->health, as_command, words, sizeof(words));
	printf("pool %s%s", as_command ? "add " : "", p->name);
	if (HAS(p, SPLICER_POOL_A_BALANCE))
		printf(" balance %s", balance);
	if (as_command) {
		/* In a dump the health is part of "pool add", last. */
		if (words_ok)
			printf(" health %s", words);
		putchar('\n');
		if (health_on(p) && !words_ok) {
			/* Not a command this splicerctl can write: say so, don't guess. */
			printf("# pool %s health: %s\n", p->name, words);
			fprintf(stderr, "splicerctl: warning: pool \"%s\": health checks "
				"not dumped: %s\n", p->name, words);
		}
		return;
	}
	if (HAS(p, SPLICER_POOL_A_SERVERS))
		printf(" servers %u", p->servers);
	if (HAS(p, SPLICER_POOL_A_SERVERS_UP))
		printf(" servers-up %u", p->servers_up);
	putchar('\n');
	if (health_on(p))
		printf("    health %s\n", words);
}

/* ---- commands -------------------------------------------------------- */

int pool_check(struct nlx *nl, const char *name)
{
	struct pool key = { 0 };
	struct nl_msg *msg;
	char what[64];

	snprintf(key.name, sizeof(key.name), "%s", name);
	snprintf(what, sizeof(what), "pool show \"%s\"", name);
	msg = nlx_msg(nl, SPLICER_CMD_POOL_GET);
	if (msg && pool_put(msg, &key)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return nlx_doit(nl, msg, NULL, NULL, what);
}

static int send_pool(uint8_t nlcmd, const struct pool *p, const char *verb)
{
	struct nl_msg *msg;
	struct nlx *nl;
	char what[64];
	int err;

	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;
	snprintf(what, sizeof(what), "pool %s \"%s\"", verb, p->name);
	msg = nlx_msg(nl, nlcmd);
	if (msg && pool_put(msg, p)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	err = nlx_doit(nl, msg, NULL, NULL, what);
	return err ? EXIT_FAIL : EXIT_OK;
}

/*
 * The options of "health", in the usage of add (and printed after the
 * usage line of set when a health word is wrong).
 */
#define HEALTH_OPTIONS \
	"      CHECK: [interval DUR] [fastinter DUR] [timeout DUR] [rise N] [fall N]\n" \
	"             [port PORT] [passive N] [window DUR] [status CLASSES]\n" \
	"      HTTP:  [method METHOD] [path /PATH] [host HOST] [expect RANGES] [body TEXT]"

/* NAME [balance B] [health ...]: the arguments of add and set. */
static int pool_args(const struct cmd *cmd, int argc, char **argv, struct pool *p)
{
	char err[192];
	int err_rc, at;

	err_rc = arg_name(cmd, "NAME", argc ? argv[0] : NULL, p->name);
	if (err_rc)
		return err_rc;
	argc--, argv++;
	at = health_word_at(argc, argv);
	err_rc = parse_keywords(cmd, pool_kws, ARRAY_SIZE(pool_kws), at, argv, p,
				&p->has);
	if (err_rc)
		return err_rc;
	if (at == argc)
		return 0;
	if (health_args(argc - at - 1, argv + at + 1, &p->health, err, sizeof(err))) {
		err_rc = usage_error(cmd, "%s", err);
		if (!strstr(cmd->usage, HEALTH_OPTIONS))
			fprintf(stderr, "%s\n", HEALTH_OPTIONS);
		return err_rc;
	}
	SET(p, SPLICER_POOL_A_HEALTH);
	return 0;
}

static int cmd_add(int argc, char **argv, const struct cmd *cmd)
{
	struct pool p = { 0 };
	int err;

	err = pool_args(cmd, argc, argv, &p);
	if (err)
		return err;
	return send_pool(SPLICER_CMD_POOL_NEW, &p, "add");
}

static int cmd_set(int argc, char **argv, const struct cmd *cmd)
{
	struct pool p = { 0 };
	int err;

	err = pool_args(cmd, argc, argv, &p);
	if (err)
		return err;
	if (!HAS(&p, SPLICER_POOL_A_BALANCE) && !HAS(&p, SPLICER_POOL_A_HEALTH))
		return usage_error(cmd, "nothing to set");
	return send_pool(SPLICER_CMD_POOL_SET, &p, "set");
}

static int cmd_del(int argc, char **argv, const struct cmd *cmd)
{
	struct pool p = { 0 };
	int err;

	err = arg_name(cmd, "NAME", argc ? argv[0] : NULL, p.name);
	if (err)
		return err;
	if (argc > 1)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[1]);
	return send_pool(SPLICER_CMD_POOL_DEL, &p, "del");
}

static int cmd_show(int argc, char **argv, const struct cmd *cmd)
{
	struct pool_list list = { 0 };
	struct pool key = { 0 };
	struct nl_msg *msg;
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
		char what[64];

		snprintf(what, sizeof(what), "pool show \"%s\"", key.name);
		msg = nlx_msg(nl, SPLICER_CMD_POOL_GET);
		if (msg && pool_put(msg, &key)) {
			nlmsg_free(msg);
			msg = NULL;
		}
		err = nlx_doit(nl, msg, pool_reply, &list, what);
		if (!err && list.n != 1) {
			fprintf(stderr, "splicerctl: %s: unexpected reply from the kernel\n",
				what);
			err = -EBADMSG;
		}
		if (!err)
			pool_print(&list.v[0], false);
	} else {
		err = pool_dump(nl, &list);
		if (!err) {
			if (opts.json)
				json_open_array(NULL);
			for (i = 0; i < list.n; i++)
				pool_print(&list.v[i], false);
			if (opts.json)
				json_close_array();
		}
	}
	if (!err && opts.json)
		json_end();
	LIST_FREE(&list);
	return err ? EXIT_FAIL : EXIT_OK;
}

const struct cmd pool_cmds[] = {
	{ "add", "pool add NAME [balance roundrobin|leastconn] "
	  "[health off|tcp [CHECK]|http [CHECK] [HTTP]]\n" HEALTH_OPTIONS, cmd_add },
	{ "set", "pool set NAME [balance roundrobin|leastconn] "
	  "[health off|tcp [CHECK]|http [CHECK] [HTTP]] (CHECK, HTTP: as for add)",
	  cmd_set },
	{ "del|delete", "pool del NAME", cmd_del },
	{ "show|list|ls", "pool show [NAME]", cmd_show },
};
const size_t pool_ncmds = ARRAY_SIZE(pool_cmds);
