// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl service: virtual services, each an in-kernel listener on
 * ADDR:PORT that hands requests to a pool.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "output.h"
#include "persistence.h"
#include "subcommands.h"

#define KW(n, t, a, f) { n, t, SPLICER_SVC_A_##a, offsetof(struct service, f), 0, UINT32_MAX, NULL }

static const struct kw add_kws[] = {
	KW("listen", KW_ADDRPORT, ADDR, listen),
	KW("pool", KW_NAME, POOL, pool),
	KW("head-max", KW_BYTES, HEAD_MAX, head_max),
	KW("header-timeout", KW_DURATION, HEADER_TIMEOUT, header_timeout),
	KW("connect-timeout", KW_DURATION, CONNECT_TIMEOUT, connect_timeout),
	KW("server-timeout", KW_DURATION, SERVER_TIMEOUT, server_timeout),
	KW("idle-timeout", KW_DURATION, IDLE_TIMEOUT, idle_timeout),
	KW("max-line", KW_BYTES, MAX_LINE, max_line),
	KW("max-headers", KW_U32, MAX_HEADERS, max_headers),
	KW("retries", KW_U32, RETRIES, retries),
};

static const struct kw set_kws[] = {
	{ "listen", KW_ADDRPORT, SPLICER_SVC_A_ADDR, 0, 0, 0,
	  "cannot be changed: delete the service and add it again" },
	KW("pool", KW_NAME, POOL, pool),
	KW("head-max", KW_BYTES, HEAD_MAX, head_max),
	KW("header-timeout", KW_DURATION, HEADER_TIMEOUT, header_timeout),
	KW("connect-timeout", KW_DURATION, CONNECT_TIMEOUT, connect_timeout),
	KW("server-timeout", KW_DURATION, SERVER_TIMEOUT, server_timeout),
	KW("idle-timeout", KW_DURATION, IDLE_TIMEOUT, idle_timeout),
	KW("max-line", KW_BYTES, MAX_LINE, max_line),
	KW("max-headers", KW_U32, MAX_HEADERS, max_headers),
	KW("retries", KW_U32, RETRIES, retries),
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- model <-> netlink ----------------------------------------------- */

static int service_put(struct nl_msg *msg, const struct service *s)
{
	struct nlattr *nest = nla_nest_start(msg, NLA_F_NESTED | SPLICER_A_SERVICE);
	int err = 0;

	if (!nest)
		return -ENOMEM;
	err |= nla_put_string(msg, SPLICER_SVC_A_NAME, s->name);
	if (HAS(s, SPLICER_SVC_A_ADDR)) {
		err |= nla_put_u16(msg, SPLICER_SVC_A_FAMILY, s->listen.family);
		err |= nla_put(msg, SPLICER_SVC_A_ADDR,
			       (int)addr_len(s->listen.family), s->listen.addr);
		err |= nla_put_u16(msg, SPLICER_SVC_A_PORT, s->listen.port);
	}
	if (HAS(s, SPLICER_SVC_A_POOL))
		err |= nla_put_string(msg, SPLICER_SVC_A_POOL, s->pool);
	if (HAS(s, SPLICER_SVC_A_HEAD_MAX))
		err |= nla_put_u32(msg, SPLICER_SVC_A_HEAD_MAX, s->head_max);
	if (HAS(s, SPLICER_SVC_A_HEADER_TIMEOUT))
		err |= nla_put_u32(msg, SPLICER_SVC_A_HEADER_TIMEOUT, s->header_timeout);
	if (HAS(s, SPLICER_SVC_A_CONNECT_TIMEOUT))
		err |= nla_put_u32(msg, SPLICER_SVC_A_CONNECT_TIMEOUT, s->connect_timeout);
	if (HAS(s, SPLICER_SVC_A_SERVER_TIMEOUT))
		err |= nla_put_u32(msg, SPLICER_SVC_A_SERVER_TIMEOUT, s->server_timeout);
	if (HAS(s, SPLICER_SVC_A_IDLE_TIMEOUT))
		err |= nla_put_u32(msg, SPLICER_SVC_A_IDLE_TIMEOUT, s->idle_timeout);
	if (HAS(s, SPLICER_SVC_A_MAX_LINE))
		err |= nla_put_u32(msg, SPLICER_SVC_A_MAX_LINE, s->max_line);
	if (HAS(s, SPLICER_SVC_A_MAX_HEADERS))
		err |= nla_put_u32(msg, SPLICER_SVC_A_MAX_HEADERS, s->max_headers);
	if (HAS(s, SPLICER_SVC_A_RETRIES))
		err |= nla_put_u32(msg, SPLICER_SVC_A_RETRIES, s->retries);
	nla_nest_end(msg, nest);
	return err ? -ENOMEM : 0;
}

static struct nla_policy svc_policy[SPLICER_SVC_A_MAX + 1] = {
	[SPLICER_SVC_A_FAMILY] = { .type = NLA_U16 },
	[SPLICER_SVC_A_PORT] = { .type = NLA_U16 },
	[SPLICER_SVC_A_HEAD_MAX] = { .type = NLA_U32 },
	[SPLICER_SVC_A_HEADER_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_CONNECT_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_SERVER_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_RETRIES] = { .type = NLA_U32 },
	[SPLICER_SVC_A_STATS] = { .type = NLA_NESTED },
	[SPLICER_SVC_A_IDLE_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_MAX_LINE] = { .type = NLA_U32 },
	[SPLICER_SVC_A_MAX_HEADERS] = { .type = NLA_U32 },
	[SPLICER_SVC_A_PERSIST] = { .type = NLA_NESTED },
};

static void get_name(const struct nlattr *a, char dst[SPLICER_NAME_MAX])
{
	nla_strlcpy(dst, a, SPLICER_NAME_MAX);
}

static int service_parse(const struct nlattr *nest, struct service *s)
{
	struct nlattr *tb[SPLICER_SVC_A_MAX + 1];
	uint32_t *u32[SPLICER_SVC_A_MAX + 1] = {
		[SPLICER_SVC_A_HEAD_MAX] = &s->head_max,
		[SPLICER_SVC_A_HEADER_TIMEOUT] = &s->header_timeout,
		[SPLICER_SVC_A_CONNECT_TIMEOUT] = &s->connect_timeout,
		[SPLICER_SVC_A_SERVER_TIMEOUT] = &s->server_timeout,
		[SPLICER_SVC_A_RETRIES] = &s->retries,
		[SPLICER_SVC_A_IDLE_TIMEOUT] = &s->idle_timeout,
		[SPLICER_SVC_A_MAX_LINE] = &s->max_line,
		[SPLICER_SVC_A_MAX_HEADERS] = &s->max_headers,
	};
	int i;

	if (nla_parse_nested(tb, SPLICER_SVC_A_MAX, (struct nlattr *)nest, svc_policy))
		return -EBADMSG;
	if (tb[SPLICER_SVC_A_NAME]) {
		get_name(tb[SPLICER_SVC_A_NAME], s->name);
		SET(s, SPLICER_SVC_A_NAME);
	}
	if (tb[SPLICER_SVC_A_FAMILY] && tb[SPLICER_SVC_A_ADDR] && tb[SPLICER_SVC_A_PORT]) {
		s->listen.family = nla_get_u16(tb[SPLICER_SVC_A_FAMILY]);
		s->listen.port = nla_get_u16(tb[SPLICER_SVC_A_PORT]);
		if (addr_len(s->listen.family) &&
		    (size_t)nla_len(tb[SPLICER_SVC_A_ADDR]) == addr_len(s->listen.family)) {
			memcpy(s->listen.addr, nla_data(tb[SPLICER_SVC_A_ADDR]),
			       addr_len(s->listen.family));
			SET(s, SPLICER_SVC_A_ADDR);
		}
	}
	if (tb[SPLICER_SVC_A_POOL]) {
		get_name(tb[SPLICER_SVC_A_POOL], s->pool);
		SET(s, SPLICER_SVC_A_POOL);
	}
	for (i = 0; i <= SPLICER_SVC_A_MAX; i++) {
		if (u32[i] && tb[i]) {
			*u32[i] = nla_get_u32(tb[i]);
			SET(s, i);
		}
	}
	if (tb[SPLICER_SVC_A_STATS]) {
		if (counters_parse(tb[SPLICER_SVC_A_STATS], &s->stats))
			return -EBADMSG;
		SET(s, SPLICER_SVC_A_STATS);
	}
	if (tb[SPLICER_SVC_A_PERSIST]) {
		if (persist_parse(tb[SPLICER_SVC_A_PERSIST], &s->persist))
			return -EBADMSG;
		SET(s, SPLICER_SVC_A_PERSIST);
	}
	return 0;
}

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

/* Persistence is shown when the module reports it and it is on. */
static bool persist_on(const struct service *s)
{
	return HAS(s, SPLICER_SVC_A_PERSIST) &&
	       HAS(&s->persist, SPLICER_PERSIST_A_MODE) &&
	       s->persist.mode != SPLICER_PERSIST_NONE;
}

bool service_persist_line(const struct service *s, bool as_command)
{
	char words[PERSIST_WORDS_MAX];

	if (!persist_on(s))
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
	static const struct {
		int attr;
		size_t off;
		const char *key, *word;
		bool dur;
	} u32s[] = {
#define U32(a, f, k, w, d) { SPLICER_SVC_A_##a, offsetof(struct service, f), k, w, d }
		U32(HEAD_MAX, head_max, "head_max", "head-max", false),
		U32(MAX_LINE, max_line, "max_line", "max-line", false),
		U32(MAX_HEADERS, max_headers, "max_headers", "max-headers", false),
		U32(HEADER_TIMEOUT, header_timeout, "header_timeout", "header-timeout", true),
		U32(CONNECT_TIMEOUT, connect_timeout, "connect_timeout", "connect-timeout", true),
		U32(SERVER_TIMEOUT, server_timeout, "server_timeout", "server-timeout", true),
		U32(IDLE_TIMEOUT, idle_timeout, "idle_timeout", "idle-timeout", true),
		U32(RETRIES, retries, "retries", "retries", false),
#undef U32
	};
	char buf[ADDRPORT_STR_MAX];
	size_t i;

	if (opts.json) {
		json_open_object(NULL);
		json_string("name", s->name);
		if (HAS(s, SPLICER_SVC_A_ADDR)) {
			json_string("family", family_name(s->listen.family));
			json_string("addr", format_addr(&s->listen, buf, sizeof(buf)));
			json_uint("port", s->listen.port);
		}
		if (HAS(s, SPLICER_SVC_A_POOL))
			json_string("pool", s->pool);
		for (i = 0; i < ARRAY_SIZE(u32s); i++)
			if (HAS(s, u32s[i].attr))
				json_uint(u32s[i].key,
					  *(const uint32_t *)((const char *)s + u32s[i].off));
		if (persist_on(s))
			persist_print_json("persist", &s->persist, as_command);
		if (HAS(s, SPLICER_SVC_A_STATS) && !as_command)
			counters_print_json("stats", &s->stats);
		json_close_object();
		return;
	}

	printf("service %s%s", as_command ? "add " : "", s->name);
	if (HAS(s, SPLICER_SVC_A_ADDR))
		printf(" listen %s", format_addrport(&s->listen, buf, sizeof(buf)));
	if (HAS(s, SPLICER_SVC_A_POOL))
		printf(" pool %s", s->pool);
	for (i = 0; i < ARRAY_SIZE(u32s); i++) {
		uint32_t v = *(const uint32_t *)((const char *)s + u32s[i].off);

		if (!HAS(s, u32s[i].attr))
			continue;
		if (u32s[i].dur)
			printf(" %s %s", u32s[i].word, format_duration(v, buf, sizeof(buf)));
		else
			printf(" %s %u", u32s[i].word, v);
	}
	putchar('\n');
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
	err = parse_keywords(cmd, add_kws, ARRAY_SIZE(add_kws), argc - 1, argv + 1,
			     &s, &s.has);
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
	err = parse_keywords(cmd, set_kws, ARRAY_SIZE(set_kws), argc - 1, argv + 1,
			     &s, &s.has);
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
	  "[idle-timeout DUR] [max-line BYTES] [max-headers N] [retries N]", cmd_add },
	{ "set", "service set NAME [pool POOL] [head-max BYTES] [header-timeout DUR] "
	  "[connect-timeout DUR] [server-timeout DUR] [idle-timeout DUR] "
	  "[max-line BYTES] [max-headers N] [retries N]", cmd_set },
	{ "del|delete", "service del NAME", cmd_del },
	{ "show|list|ls", "service show [NAME]", cmd_show },
};
const size_t service_ncmds = ARRAY_SIZE(service_cmds);
