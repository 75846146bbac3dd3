// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl server: the backends of a pool, named uniquely within it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "health.h"
#include "output.h"
#include "subcommands.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct kw server_kws[] = {
	{ "weight", KW_U32, SPLICER_SRV_A_WEIGHT, offsetof(struct server, weight),
	  1, 1000, NULL },
	{ "maxconn", KW_MAXCONN, SPLICER_SRV_A_MAXCONN,
	  offsetof(struct server, maxconn), 0, 0, NULL },
	{ "state", KW_STATE, SPLICER_SRV_A_STATE, offsetof(struct server, state),
	  0, 0, NULL },
};

/* ---- model <-> netlink ----------------------------------------------- */

static int server_put(struct nl_msg *msg, const struct server *s)
{
	struct nlattr *nest = nla_nest_start(msg, NLA_F_NESTED | SPLICER_A_SERVER);
	int err = 0;

	if (!nest)
		return -ENOMEM;
	if (HAS(s, SPLICER_SRV_A_POOL))
		err |= nla_put_string(msg, SPLICER_SRV_A_POOL, s->pool);
	if (HAS(s, SPLICER_SRV_A_NAME))
		err |= nla_put_string(msg, SPLICER_SRV_A_NAME, s->name);
	if (HAS(s, SPLICER_SRV_A_ADDR)) {
		err |= nla_put_u16(msg, SPLICER_SRV_A_FAMILY, s->addr.family);
		err |= nla_put(msg, SPLICER_SRV_A_ADDR, (int)addr_len(s->addr.family),
			       s->addr.addr);
		err |= nla_put_u16(msg, SPLICER_SRV_A_PORT, s->addr.port);
	}
	if (HAS(s, SPLICER_SRV_A_WEIGHT))
		err |= nla_put_u32(msg, SPLICER_SRV_A_WEIGHT, s->weight);
	if (HAS(s, SPLICER_SRV_A_MAXCONN))
		err |= nla_put_u32(msg, SPLICER_SRV_A_MAXCONN, s->maxconn);
	if (HAS(s, SPLICER_SRV_A_STATE))
		err |= nla_put_u8(msg, SPLICER_SRV_A_STATE, s->state);
	nla_nest_end(msg, nest);
	return err ? -ENOMEM : 0;
}

static struct nla_policy srv_policy[SPLICER_SRV_A_MAX + 1] = {
	[SPLICER_SRV_A_FAMILY] = { .type = NLA_U16 },
	[SPLICER_SRV_A_PORT] = { .type = NLA_U16 },
	[SPLICER_SRV_A_WEIGHT] = { .type = NLA_U32 },
	[SPLICER_SRV_A_MAXCONN] = { .type = NLA_U32 },
	[SPLICER_SRV_A_STATE] = { .type = NLA_U8 },
	[SPLICER_SRV_A_STATS] = { .type = NLA_NESTED },
	[SPLICER_SRV_A_HEALTH] = { .type = NLA_U8 },
	[SPLICER_SRV_A_CHECK_LATENCY] = { .type = NLA_U32 },
	[SPLICER_SRV_A_CHECK_FAILS] = { .type = NLA_U32 },
	[SPLICER_SRV_A_CHECKS] = { .type = NLA_U64 },
	[SPLICER_SRV_A_CHECKS_FAILED] = { .type = NLA_U64 },
	[SPLICER_SRV_A_PASSIVE_ERRORS] = { .type = NLA_U64 },
	[SPLICER_SRV_A_DOWNS] = { .type = NLA_U32 },
};

static int server_parse(const struct nlattr *nest, struct server *s)
{
	struct nlattr *tb[SPLICER_SRV_A_MAX + 1];

	if (nla_parse_nested(tb, SPLICER_SRV_A_MAX, (struct nlattr *)nest, srv_policy))
		return -EBADMSG;
	if (tb[SPLICER_SRV_A_POOL]) {
		nla_strlcpy(s->pool, tb[SPLICER_SRV_A_POOL], sizeof(s->pool));
		SET(s, SPLICER_SRV_A_POOL);
	}
	if (tb[SPLICER_SRV_A_NAME]) {
		nla_strlcpy(s->name, tb[SPLICER_SRV_A_NAME], sizeof(s->name));
		SET(s, SPLICER_SRV_A_NAME);
	}
	if (tb[SPLICER_SRV_A_FAMILY] && tb[SPLICER_SRV_A_ADDR] && tb[SPLICER_SRV_A_PORT]) {
		s->addr.family = nla_get_u16(tb[SPLICER_SRV_A_FAMILY]);
		s->addr.port = nla_get_u16(tb[SPLICER_SRV_A_PORT]);
		if (addr_len(s->addr.family) &&
		    (size_t)nla_len(tb[SPLICER_SRV_A_ADDR]) == addr_len(s->addr.family)) {
			memcpy(s->addr.addr, nla_data(tb[SPLICER_SRV_A_ADDR]),
			       addr_len(s->addr.family));
			SET(s, SPLICER_SRV_A_ADDR);
		}
	}
	if (tb[SPLICER_SRV_A_WEIGHT]) {
		s->weight = nla_get_u32(tb[SPLICER_SRV_A_WEIGHT]);
		SET(s, SPLICER_SRV_A_WEIGHT);
	}
	if (tb[SPLICER_SRV_A_MAXCONN]) {
		s->maxconn = nla_get_u32(tb[SPLICER_SRV_A_MAXCONN]);
		SET(s, SPLICER_SRV_A_MAXCONN);
	}
	if (tb[SPLICER_SRV_A_STATE]) {
		s->state = nla_get_u8(tb[SPLICER_SRV_A_STATE]);
		SET(s, SPLICER_SRV_A_STATE);
	}
	if (tb[SPLICER_SRV_A_STATS]) {
		if (counters_parse(tb[SPLICER_SRV_A_STATS], &s->stats))
			return -EBADMSG;
		SET(s, SPLICER_SRV_A_STATS);
	}
	server_health_get(tb, s);
	return 0;
}

static int server_reply(const struct nlattr *attrs, int len, void *arg)
{
	struct server_list *list = arg;
	const struct nlattr *a;
	int rem, err;

	nla_for_each_attr(a, attrs, len, rem) {
		struct server *s;

		if (nla_type(a) != SPLICER_A_SERVER)
			continue;
		s = LIST_PUSH(list);
		if (!s)
			return -ENOMEM;
		err = server_parse(a, s);
		if (err)
			return err;
	}
	return 0;
}

static void server_reset(void *arg)
{
	LIST_FREE((struct server_list *)arg);
}

int server_dump(struct nlx *nl, const char *pool, struct server_list *list)
{
	struct nl_msg *msg = nlx_msg(nl, SPLICER_CMD_SERVER_GET);
	char what[64] = "server show";

	if (pool) {
		struct server key = { 0 };

		snprintf(what, sizeof(what), "server show \"%s\"", pool);
		snprintf(key.pool, sizeof(key.pool), "%s", pool);
		SET(&key, SPLICER_SRV_A_POOL);
		if (msg && server_put(msg, &key)) {
			nlmsg_free(msg);
			msg = NULL;
		}
	}
	return nlx_dump(nl, msg, server_reply, server_reset, list, what);
}

/* ---- output ---------------------------------------------------------- */

void server_print(const struct server *s, bool as_command)
{
	const char *state = state_name(s->state);
	char buf[ADDRPORT_STR_MAX], num[16], words[256];

	if (!state) {
		snprintf(num, sizeof(num), "%u", s->state);
		state = num;
	}
	if (opts.json) {
		json_open_object(NULL);
		json_string("pool", s->pool);
		json_string("name", s->name);
		if (HAS(s, SPLICER_SRV_A_ADDR)) {
			json_string("family", family_name(s->addr.family));
			json_string("addr", format_addr(&s->addr, buf, sizeof(buf)));
			json_uint("port", s->addr.port);
		}
		if (HAS(s, SPLICER_SRV_A_WEIGHT))
			json_uint("weight", s->weight);
		if (HAS(s, SPLICER_SRV_A_MAXCONN))
			json_uint("maxconn", s->maxconn);
		if (HAS(s, SPLICER_SRV_A_STATE))
			json_string("state", state);
		if (!as_command)
			server_health_json(s);
		if (HAS(s, SPLICER_SRV_A_STATS) && !as_command)
			counters_print_json("stats", &s->stats);
		json_close_object();
		return;
	}
	printf("server %s%s %s", as_command ? "add " : "", s->pool, s->name);
	if (HAS(s, SPLICER_SRV_A_ADDR))
		printf(" %s", format_addrport(&s->addr, buf, sizeof(buf)));
	if (HAS(s, SPLICER_SRV_A_WEIGHT))
		printf(" weight %u", s->weight);
	if (HAS(s, SPLICER_SRV_A_MAXCONN)) {
		if (s->maxconn)
			printf(" maxconn %u", s->maxconn);
		else
			printf(" maxconn unlimited");
	}
	if (HAS(s, SPLICER_SRV_A_STATE))
		printf(" state %s", state);
	if (as_command) {
		putchar('\n');
		return;
	}
	if (HAS(s, SPLICER_SRV_A_HEALTH)) {
		const char *health = health_state_name(s->health);

		if (health)
			printf(" health %s", health);
		else
			printf(" health %u", s->health);
	}
	putchar('\n');
	if (server_health_format(s, words, sizeof(words)))
		printf("    %s\n", words);
	if (opts.stats && HAS(s, SPLICER_SRV_A_STATS) && !as_command)
		counters_print_plain(&s->stats, "    ");
}

/* ---- commands -------------------------------------------------------- */

/* POOL NAME, the first two arguments of every command but show. */
static int pool_and_name(const struct cmd *cmd, int argc, char **argv,
			 struct server *s)
{
	int err;

	err = arg_name(cmd, "POOL", argc > 0 ? argv[0] : NULL, s->pool);
	if (err)
		return err;
	err = arg_name(cmd, "NAME", argc > 1 ? argv[1] : NULL, s->name);
	if (err)
		return err;
	SET(s, SPLICER_SRV_A_POOL);
	SET(s, SPLICER_SRV_A_NAME);
	return 0;
}

static int send_server(uint8_t nlcmd, const struct server *s, const char *verb)
{
	struct nl_msg *msg;
	struct nlx *nl;
	char what[96];
	int err;

	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;
	snprintf(what, sizeof(what), "server %s \"%s\" \"%s\"", verb, s->pool, s->name);
	msg = nlx_msg(nl, nlcmd);
	if (msg && server_put(msg, s)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	err = nlx_doit(nl, msg, NULL, NULL, what);
	return err ? EXIT_FAIL : EXIT_OK;
}

static int cmd_add(int argc, char **argv, const struct cmd *cmd)
{
	struct server s = { 0 };
	int err;

	err = pool_and_name(cmd, argc, argv, &s);
	if (err)
		return err;
	err = arg_addrport(cmd, argc > 2 ? argv[2] : NULL, &s.addr);
	if (err)
		return err;
	SET(&s, SPLICER_SRV_A_ADDR);
	err = parse_keywords(cmd, server_kws, ARRAY_SIZE(server_kws), argc - 3,
			     argv + 3, &s, &s.has);
	if (err)
		return err;
	return send_server(SPLICER_CMD_SERVER_NEW, &s, "add");
}

static int cmd_set(int argc, char **argv, const struct cmd *cmd)
{
	struct server s = { 0 };
	uint32_t has = 0;
	int err;

	err = pool_and_name(cmd, argc, argv, &s);
	if (err)
		return err;
	err = parse_keywords(cmd, server_kws, ARRAY_SIZE(server_kws), argc - 2,
			     argv + 2, &s, &has);
	if (err)
		return err;
	if (!has)
		return usage_error(cmd, "nothing to set");
	s.has |= has;
	return send_server(SPLICER_CMD_SERVER_SET, &s, "set");
}

static int cmd_del(int argc, char **argv, const struct cmd *cmd)
{
	struct server s = { 0 };
	int err;

	err = pool_and_name(cmd, argc, argv, &s);
	if (err)
		return err;
	if (argc > 2)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[2]);
	return send_server(SPLICER_CMD_SERVER_DEL, &s, "del");
}

static int cmd_show(int argc, char **argv, const struct cmd *cmd)
{
	struct server_list list = { 0 };
	struct server key = { 0 };
	struct nl_msg *msg;
	struct nlx *nl;
	size_t i;
	int err;

	if (argc > 2)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[2]);
	if (argc == 2) {
		err = pool_and_name(cmd, argc, argv, &key);
		if (err)
			return err;
	} else if (argc == 1) {
		err = arg_name(cmd, "POOL", argv[0], key.pool);
		if (err)
			return err;
	}
	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;

	if (argc == 2) {
		char what[96];

		snprintf(what, sizeof(what), "server show \"%s\" \"%s\"",
			 key.pool, key.name);
		msg = nlx_msg(nl, SPLICER_CMD_SERVER_GET);
		if (msg && server_put(msg, &key)) {
			nlmsg_free(msg);
			msg = NULL;
		}
		err = nlx_doit(nl, msg, server_reply, &list, what);
		if (!err && list.n != 1) {
			fprintf(stderr, "splicerctl: %s: unexpected reply from the kernel\n",
				what);
			err = -EBADMSG;
		}
		if (!err)
			server_print(&list.v[0], false);
	} else {
		err = server_dump(nl, argc ? key.pool : NULL, &list);
		/* An empty listing: say so if the pool itself is missing. */
		if (!err && argc && !list.n)
			err = pool_check(nl, key.pool);
		if (!err) {
			if (opts.json)
				json_open_array(NULL);
			for (i = 0; i < list.n; i++)
				server_print(&list.v[i], false);
			if (opts.json)
				json_close_array();
		}
	}
	if (!err && opts.json)
		json_end();
	LIST_FREE(&list);
	return err ? EXIT_FAIL : EXIT_OK;
}

const struct cmd server_cmds[] = {
	{ "add", "server add POOL NAME ADDR:PORT [weight N] [maxconn N] "
	  "[state up|drain|maint]", cmd_add },
	{ "set", "server set POOL NAME [weight N] [maxconn N] [state up|drain|maint]",
	  cmd_set },
	{ "del|delete", "server del POOL NAME", cmd_del },
	{ "show|list|ls", "server show [POOL [NAME]]", cmd_show },
};
const size_t server_ncmds = ARRAY_SIZE(server_cmds);
