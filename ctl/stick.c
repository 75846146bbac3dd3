// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl stick: the stick table of a service (persistence modes learn
 * and source): list it, flush it, and copy it between nodes.
 *
 *   stick show SERVICE            STICK_GET dump, SERVICE as the filter
 *   stick flush SERVICE           STICK_DEL
 *   stick export SERVICE          the dump as lines stick import reads
 *   stick import SERVICE [FILE]   one STICK_NEW per line, after checking
 *                                 every line and the service's mode
 *
 * Line format and nests are in persistence.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "output.h"
#include "persistence.h"
#include "subcommands.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int stick_reply(const struct nlattr *attrs, int len, void *arg)
{
	struct stick_list *list = arg;
	const struct nlattr *a;
	int rem, err;

	nla_for_each_attr(a, attrs, len, rem) {
		struct stick *e;

		if (nla_type(a) != SPLICER_A_STICK)
			continue;
		e = LIST_PUSH(list);
		if (!e)
			return -ENOMEM;
		err = stick_parse(a, e);
		if (err)
			return err;
	}
	return 0;
}

static void stick_reset(void *arg)
{
	LIST_FREE((struct stick_list *)arg);
}

/* A request whose STICK nest carries just SERVICE. */
static struct nl_msg *service_msg(struct nlx *nl, uint8_t nlcmd,
				  const char *service)
{
	struct nl_msg *msg = nlx_msg(nl, nlcmd);
	struct stick key = { 0 };

	snprintf(key.service, sizeof(key.service), "%s", service);
	SET(&key, SPLICER_STICK_A_SERVICE);
	if (msg && stick_put(msg, &key)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static int stick_dump(struct nlx *nl, const char *service,
		      struct stick_list *list, const char *what)
{
	return nlx_dump(nl, service_msg(nl, SPLICER_CMD_STICK_GET, service),
			stick_reply, stick_reset, list, what);
}

/* SERVICE, the only argument of show, flush and export. */
static int one_service(const struct cmd *cmd, int argc, char **argv,
		       char service[SPLICER_NAME_MAX])
{
	int err = arg_name(cmd, "SERVICE", argc ? argv[0] : NULL, service);

	if (err)
		return err;
	if (argc > 1)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[1]);
	return 0;
}

static void print_table(const struct stick_list *list)
{
	size_t i, wkey = 3, wsrv = 6, wkind = 4;
	char key[STICK_KEY_STR_MAX], idle[DURATION_STR_MAX], kind[8];

	for (i = 0; i < list->n; i++) {
		const struct stick *e = &list->v[i];

		stick_key_format(e, key, sizeof(key));
		if (strlen(key) > wkey)
			wkey = strlen(key);
		if (strlen(e->server) > wsrv)
			wsrv = strlen(e->server);
		if (!stick_kind_name(e->kind))
			wkind = 7;
	}
	if (!list->n)
		return;
	printf("%-*s  %-*s  %-*s  %s\n", (int)wkind, "KIND", (int)wkey, "KEY",
	       (int)wsrv, "SERVER", "IDLE");
	for (i = 0; i < list->n; i++) {
		const struct stick *e = &list->v[i];
		const char *k = stick_kind_name(e->kind);

		if (!k) {
			snprintf(kind, sizeof(kind), "%u", e->kind);
			k = kind;
		}
		stick_key_format(e, key, sizeof(key));
		printf("%-*s  %-*s  %-*s  %s\n", (int)wkind, k, (int)wkey, key,
		       (int)wsrv, e->server,
		       HAS(e, SPLICER_STICK_A_IDLE) ?
		       format_seconds(e->idle, idle, sizeof(idle)) : "-");
	}
}

static void print_json(const struct stick_list *list)
{
	char key[STICK_KEY_STR_MAX], addr[ADDR_STR_MAX];
	size_t i;

	json_open_array(NULL);
	for (i = 0; i < list->n; i++) {
		const struct stick *e = &list->v[i];

		json_open_object(NULL);
		if (stick_kind_name(e->kind))
			json_string("kind", stick_kind_name(e->kind));
		else
			json_uint("kind", e->kind);
		stick_key_format(e, key, sizeof(key));
		json_string("key", key);
		if (e->kind == SPLICER_STICK_SOURCE && addr_len(e->family) &&
		    e->key_len == addr_len(e->family)) {
			struct addrport ap = { .family = e->family };

			memcpy(ap.addr, e->key, e->key_len);
			json_string("family", family_name(e->family));
			json_string("addr", format_addr(&ap, addr, sizeof(addr)));
			json_uint("prefix", e->prefix);
		}
		json_string("server", e->server);
		if (HAS(e, SPLICER_STICK_A_IDLE))
			json_uint("idle", e->idle);
		json_close_object();
	}
	json_close_array();
	json_end();
}

static int cmd_show(int argc, char **argv, const struct cmd *cmd)
{
	struct stick_list list = { 0 };
	char service[SPLICER_NAME_MAX], what[64];
	struct nlx *nl;
	int err;

	err = one_service(cmd, argc, argv, service);
	if (err)
		return err;
	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;
	snprintf(what, sizeof(what), "stick show \"%s\"", service);
	err = stick_dump(nl, service, &list, what);
	if (!err) {
		if (opts.json)
			print_json(&list);
		else
			print_table(&list);
	}
	LIST_FREE(&list);
	return err ? EXIT_FAIL : EXIT_OK;
}

static int cmd_flush(int argc, char **argv, const struct cmd *cmd)
{
	char service[SPLICER_NAME_MAX], what[64];
	struct nlx *nl;
	int err;

	err = one_service(cmd, argc, argv, service);
	if (err)
		return err;
	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;
	snprintf(what, sizeof(what), "stick flush \"%s\"", service);
	err = nlx_doit(nl, service_msg(nl, SPLICER_CMD_STICK_DEL, service), NULL,
		       NULL, what);
	return err ? EXIT_FAIL : EXIT_OK;
}

static int cmd_export(int argc, char **argv, const struct cmd *cmd)
{
	struct stick_list list = { 0 };
	char service[SPLICER_NAME_MAX], what[64], line[STICK_LINE_MAX];
	size_t i, skipped = 0;
	struct nlx *nl;
	int err;

	err = one_service(cmd, argc, argv, service);
	if (err)
		return err;
	if (opts.json)
		return usage_error(cmd, "-j cannot be combined with export (use "
				   "\"-j stick show\")");
	nl = nl_get();
	if (!nl)
		return EXIT_FAIL;
	snprintf(what, sizeof(what), "stick export \"%s\"", service);
	err = stick_dump(nl, service, &list, what);
	for (i = 0; !err && i < list.n; i++) {
		if (stick_line_format(&list.v[i], line, sizeof(line))) {
			fputs(line, stdout);
		} else {
			char key[STICK_KEY_STR_MAX];

			stick_key_format(&list.v[i], key, sizeof(key));
			fprintf(stderr, "splicerctl: %s: entry \"%s\" left out: stick "
				"import could not read it back\n", what, key);
			skipped++;
		}
	}
	if (!err && (fflush(stdout) || ferror(stdout))) {
		fprintf(stderr, "splicerctl: %s: %s\n", what, strerror(errno));
		err = -EIO;
	}
	LIST_FREE(&list);
	return err || skipped ? EXIT_FAIL : EXIT_OK;
}

/*
 * Standard input can be read once; a batch reads its lines twice (checking
 * first), so the second reading gets a copy of the first.
 */
static char *stdin_copy;
static size_t stdin_len;
static bool stdin_read;

static FILE *open_input(const char *file)
{
	if (strcmp(file, "-"))
		return fopen(file, "r");
	if (!stdin_read) {
		FILE *mem = open_memstream(&stdin_copy, &stdin_len);
		char chunk[4096];
		size_t n;

		if (!mem)
			return NULL;
		while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
			fwrite(chunk, 1, n, mem);
		if (ferror(stdin) || fclose(mem)) {
			free(stdin_copy);
			stdin_copy = NULL;
			return NULL;
		}
		stdin_read = true;
	}
	return stdin_len ? fmemopen(stdin_copy, stdin_len, "r") :
			   fopen("/dev/null", "r");
}

static int cmd_import(int argc, char **argv, const struct cmd *cmd)
{
	struct stick_list list = { 0 };
	char service[SPLICER_NAME_MAX], what[PATH_MAX + 64], err_text[192];
	const char *file = argc > 1 ? argv[1] : "-";
	const char *name = strcmp(file, "-") ? file : "<stdin>";
	unsigned int lineno;
	struct nlx *nl;
	size_t i;
	FILE *f;
	int err;

	err = arg_name(cmd, "SERVICE", argc ? argv[0] : NULL, service);
	if (err)
		return err;
	if (argc > 2)
		return usage_error(cmd, "unexpected argument \"%s\"", argv[2]);

	/* Everything is read and checked before anything is sent. */
	f = open_input(file);
	if (!f) {
		fprintf(stderr, "splicerctl: %s: %s\n", name, strerror(errno));
		return EXIT_FAIL;
	}
	err = stick_read(f, service, &list, &lineno, err_text, sizeof(err_text));
	fclose(f);
	if (err) {
		fprintf(stderr, "splicerctl: %s:%u: %s; nothing was imported\n",
			name, lineno, err_text);
		LIST_FREE(&list);
		return EXIT_USAGE;
	}

	nl = nl_get();
	if (!nl) {
		LIST_FREE(&list);
		return EXIT_FAIL;
	}
	if (list.n) {
		struct service s;

		snprintf(what, sizeof(what), "stick import \"%s\"", service);
		err = service_get(nl, service, &s, what);
		/* Without a PERSIST nest the module itself will say. */
		if (!err && HAS(&s, SPLICER_SVC_A_PERSIST) &&
		    stick_check(&s.persist, s.name, &list, &i, err_text, sizeof(err_text))) {
			fprintf(stderr, "splicerctl: %s:%u: %s; nothing was imported\n",
				name, list.v[i].line, err_text);
			err = -EINVAL;
		}
		if (err) {
			LIST_FREE(&list);
			return EXIT_FAIL;
		}
	}
	for (i = 0, err = 0; i < list.n && !err; i++) {
		struct nl_msg *msg = nlx_msg(nl, SPLICER_CMD_STICK_NEW);

		if (msg && stick_put(msg, &list.v[i])) {
			nlmsg_free(msg);
			msg = NULL;
		}
		snprintf(what, sizeof(what), "stick import \"%s\": %s:%u",
			 service, name, list.v[i].line);
		err = nlx_doit(nl, msg, NULL, NULL, what);
	}
	if (err)
		fprintf(stderr, "splicerctl: stick import \"%s\": stopped; %zu of %zu "
			"entries were imported\n", service, i - 1, list.n);
	LIST_FREE(&list);
	return err ? EXIT_FAIL : EXIT_OK;
}

const struct cmd stick_cmds[] = {
	{ "show|list|ls", "stick show SERVICE", cmd_show },
	{ "flush", "stick flush SERVICE", cmd_flush },
	{ "export", "stick export SERVICE", cmd_export },
	{ "import", "stick import SERVICE [FILE|-]", cmd_import },
};
const size_t stick_ncmds = ARRAY_SIZE(stick_cmds);
