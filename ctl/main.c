// SPDX-License-Identifier: GPL-2.0
/*
 * splicerctl: configure and watch the splicer load balancer over generic
 * netlink.
 *
 *   splicerctl [-j] [-s] [-n NETNS] OBJECT COMMAND [ARGS]
 *   splicerctl [-s] [-n NETNS] -b FILE
 *
 * This file holds the object table, the global options, dispatch, and the
 * command-line glue shared by the object files. Exit status: 0 success,
 * 1 the kernel or the system refused, 2 bad command line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "subcommands.h"

#ifndef SPLICERCTL_VERSION
#define SPLICERCTL_VERSION "0.1"
#endif

struct opts opts;

/*
 * A batch is read twice: first with check_only set, where commands stop at
 * nl_get() (after all their parsing), so that a usage error anywhere in
 * the file changes nothing; then for real.
 */
static bool check_only;

static const struct object {
	const char *name;
	const struct cmd *cmds;
	const size_t *ncmds;
	bool named;	/* OBJECT NAME COMMAND ARGS (see dispatch_named) */
} objects[] = {
	{ "service", service_cmds, &service_ncmds, false },
	{ "pool", pool_cmds, &pool_ncmds, false },
	{ "server", server_cmds, &server_ncmds, false },
	{ "persist", persist_cmds, &persist_ncmds, true },
	{ "stick", stick_cmds, &stick_ncmds, false },
	{ "rule", rule_cmds, &rule_ncmds, false },
	{ "stats", stats_cmds, &stats_ncmds, false },
	{ "dump", dump_cmds, &dump_ncmds, false },
	{ "log", log_cmds, &log_ncmds, false },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void help(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: splicerctl [OPTIONS] OBJECT COMMAND [ARGS]\n"
		"       splicerctl help\n"
		"Options:\n"
		"  -j, --json          print one JSON document\n"
		"  -s, --stats         include counters in \"show\" output\n"
		"  -n, --netns NETNS   run in network namespace NETNS (/run/netns/NETNS)\n"
		"  -b, --batch FILE    run the commands in FILE (- for stdin), one a line\n"
		"  -h, --help          this text\n"
		"  -V, --version       print the version\n"
		"Commands:\n");
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		print_usages(f, objects[i].cmds, *objects[i].ncmds);
	fprintf(f, "  splicerctl apply -f FILE\n");
	fprintf(f, "ADDR:PORT is 198.18.0.1:80 or [2001:db8::1]:80; DUR is 500ms, 10s,\n"
		"2m, 1h or milliseconds (persist: whole seconds, a bare number is\n"
		"seconds); BYTES may end in k or M; names are 1..31 of A-Z a-z 0-9 _ . -;\n"
		"a cookie, header or parameter NAME is 1..63 RFC 6265 token characters;\n"
		"HEX is a key of 32 hex digits; health and its options come last in pool\n"
		"add|set; RANGES are statuses 200-399 or 200,204,301-302; CLASSES 5xx,\n"
		"4xx,5xx or none; a rule needs a match and one action, N is its\n"
		"position (0 first), HOST may be *.example.com\n");
}

static void short_usage(FILE *f)
{
	fprintf(f, "Usage: splicerctl [-j] [-s] [-n NETNS] [-b FILE] "
		"{ service | pool | server | persist | stick | rule | stats | dump |\n"
		"         apply | log | help } ...\n");
}

void print_usages(FILE *f, const struct cmd *cmds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "  splicerctl %s\n", cmds[i].usage);
}

int usage_error(const struct cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("splicerctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nUsage: splicerctl %s\n", cmd->usage);
	return EXIT_USAGE;
}

static bool is_help(const char *word)
{
	return !strcmp(word, "help") || !strcmp(word, "-h") || !strcmp(word, "--help");
}

static bool names_match(const char *names, const char *word)
{
	size_t len = strlen(word);

	while (*names) {
		size_t n = strcspn(names, "|");

		if (n == len && !strncmp(names, word, n))
			return true;
		names += n + (names[n] == '|');
	}
	return false;
}

int dispatch(const char *object, const struct cmd *cmds, size_t n,
	     int argc, char **argv)
{
	const char *word = argc ? argv[0] : "show";
	size_t i;

	if (is_help(word)) {
		if (check_only)
			return EXIT_OK;
		printf("Usage:\n");
		print_usages(stdout, cmds, n);
		return EXIT_OK;
	}
	for (i = 0; i < n; i++)
		if (names_match(cmds[i].names, word))
			return cmds[i].fn(argc ? argc - 1 : 0, argv + (argc ? 1 : 0),
					  &cmds[i]);
	/* An object of one command takes its arguments directly ("log count 5"). */
	if (n == 1)
		return cmds[0].fn(argc, argv, &cmds[0]);
	fprintf(stderr, "splicerctl: unknown %s command \"%s\"\nUsage:\n", object, word);
	print_usages(stderr, cmds, n);
	return EXIT_USAGE;
}

int dispatch_named(const char *object, const struct cmd *cmds, size_t n,
		   int argc, char **argv)
{
	const char *word = argc > 1 ? argv[1] : "show";
	size_t i;

	if (argc == 1 && is_help(argv[0])) {
		if (check_only)
			return EXIT_OK;
		printf("Usage:\n");
		print_usages(stdout, cmds, n);
		return EXIT_OK;
	}
	if (!argc) {
		fprintf(stderr, "splicerctl: %s: missing the name\nUsage:\n", object);
		print_usages(stderr, cmds, n);
		return EXIT_USAGE;
	}
	for (i = 0; i < n; i++)
		if (names_match(cmds[i].names, word))
			return cmds[i].fn(argc, argv, &cmds[i]);
	fprintf(stderr, "splicerctl: unknown %s command \"%s\"\nUsage:\n", object, word);
	print_usages(stderr, cmds, n);
	return EXIT_USAGE;
}

int arg_name(const struct cmd *cmd, const char *what, const char *val,
	     char dst[SPLICER_NAME_MAX])
{
	const char *err;

	if (!val)
		return usage_error(cmd, "missing %s", what);
	err = parse_name(val);
	if (err)
		return usage_error(cmd, "%s \"%s\": %s", what, val, err);
	snprintf(dst, SPLICER_NAME_MAX, "%s", val);
	return 0;
}

int arg_addrport(const struct cmd *cmd, const char *val, struct addrport *dst)
{
	const char *err;

	if (!val)
		return usage_error(cmd, "missing ADDR:PORT");
	err = parse_addrport(val, dst);
	if (err)
		return usage_error(cmd, "ADDR:PORT \"%s\": %s", val, err);
	return 0;
}

int parse_keywords(const struct cmd *cmd, const struct kw *kws, size_t nkws,
		   int argc, char **argv, void *obj, uint32_t *has)
{
	char err[256];

	if (parse_kw_args(kws, nkws, argc, argv, obj, has, err, sizeof(err)))
		return usage_error(cmd, "%s", err);
	return 0;
}

static struct nlx nl;
static bool nl_opened;

struct nlx *nl_get(void)
{
	if (check_only)
		return NULL;
	if (!nl_opened) {
		if (nlx_open(&nl, opts.netns))
			return NULL;
		nl_opened = true;
	}
	return &nl;
}

static int batch(const char *file);

/* OBJECT COMMAND ARGS, from the command line or a batch line. */
static int run_command(int argc, char **argv, bool in_batch)
{
	size_t j;

	if (!strcmp(argv[0], "help")) {
		if (!check_only)
			help(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[0], "apply")) {
		static const struct cmd apply = { "apply", "apply -f FILE", NULL };

		if (in_batch)
			return usage_error(&apply, "apply inside a batch");
		if (argc < 3 || strcmp(argv[1], "-f"))
			return usage_error(&apply, argc < 2 ? "missing \"-f FILE\"" :
					   argc < 3 && !strcmp(argv[1], "-f") ?
					   "\"-f\" needs a file" : "expected \"-f FILE\"");
		if (argc > 3)
			return usage_error(&apply, "unexpected argument \"%s\"", argv[3]);
		return batch(argv[2]);
	}
	for (j = 0; j < ARRAY_SIZE(objects); j++)
		if (!strcmp(argv[0], objects[j].name))
			return (objects[j].named ? dispatch_named : dispatch)
				(objects[j].name, objects[j].cmds, *objects[j].ncmds,
				 argc - 1, argv + 1);

	fprintf(stderr, "splicerctl: unknown object \"%s\"\n", argv[0]);
	short_usage(stderr);
	return EXIT_USAGE;
}

#define BATCH_WORDS 64

/*
 * Run FILE's lines as commands, stopping at the first that fails. Blank
 * lines and text after '#' are ignored; words are separated by blanks.
 * One netlink socket serves every line.
 */
static int batch_pass(FILE *f, const char *name)
{
	char *line = NULL, *copy = NULL;
	unsigned int lineno = 0;
	size_t cap = 0;
	int rc = EXIT_OK;

	while (getline(&line, &cap, f) > 0) {
		char *argv[BATCH_WORDS + 1], *word, *save = NULL;
		int argc = 0;

		lineno++;
		line[strcspn(line, "#\r\n")] = '\0';
		free(copy);
		copy = strdup(line);
		for (word = strtok_r(line, " \t", &save); word;
		     word = strtok_r(NULL, " \t", &save)) {
			if (argc == BATCH_WORDS) {
				fprintf(stderr, "splicerctl: %s:%u: more than %d words\n",
					name, lineno, BATCH_WORDS);
				rc = EXIT_USAGE;
				goto out;
			}
			argv[argc++] = word;
		}
		if (!argc)
			continue;
		argv[argc] = NULL;
		rc = run_command(argc, argv, true);
		if (check_only && rc == EXIT_FAIL)
			rc = EXIT_OK;	/* parsed fine, stopped at nl_get() */
		if (rc) {
			fprintf(stderr, "splicerctl: %s:%u: %s \"%s\"%s\n", name, lineno,
				check_only ? "in" : "stopped at", copy ? copy : "",
				check_only ? "; nothing was changed" : "");
			goto out;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "splicerctl: %s: %s\n", name, strerror(errno));
		rc = EXIT_FAIL;
	}
out:
	free(line);
	free(copy);
	return rc;
}

static int batch(const char *file)
{
	const char *name = strcmp(file, "-") ? file : "<stdin>";
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	FILE *tmp = NULL;
	int rc;

	if (!f) {
		fprintf(stderr, "splicerctl: %s: %s\n", file, strerror(errno));
		return EXIT_FAIL;
	}
	/* Stdin can be read once only: keep a copy for the second pass. */
	if (f == stdin) {
		char chunk[4096];
		size_t n;

		tmp = tmpfile();
		if (!tmp) {
			fprintf(stderr, "splicerctl: %s: %s\n", name, strerror(errno));
			return EXIT_FAIL;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
			fwrite(chunk, 1, n, tmp);
		rewind(tmp);
		f = tmp;
	}
	check_only = true;
	rc = batch_pass(f, name);
	check_only = false;
	if (!rc) {
		rewind(f);
		rc = batch_pass(f, name);
	}
	fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	const char *batch_file = NULL;
	int i, rc;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];

		if (!strcmp(o, "-j") || !strcmp(o, "--json") || !strcmp(o, "-json")) {
			opts.json = true;
		} else if (!strcmp(o, "-s") || !strcmp(o, "--stats") ||
			   !strcmp(o, "-stats")) {
			opts.stats = true;
		} else if (!strcmp(o, "-n") || !strcmp(o, "--netns") ||
			   !strcmp(o, "-netns") || !strcmp(o, "-b") ||
			   !strcmp(o, "--batch") || !strcmp(o, "-batch")) {
			bool ns = o[strspn(o, "-")] == 'n';

			if (++i >= argc) {
				fprintf(stderr, "splicerctl: \"%s\" needs %s\n", o,
					ns ? "a network namespace" : "a file");
				short_usage(stderr);
				return EXIT_USAGE;
			}
			if (ns)
				opts.netns = argv[i];
			else
				batch_file = argv[i];
		} else if (!strcmp(o, "-h") || !strcmp(o, "--help") ||
			   !strcmp(o, "-help")) {
			help(stdout);
			return EXIT_OK;
		} else if (!strcmp(o, "-V") || !strcmp(o, "--version") ||
			   !strcmp(o, "-version")) {
			printf("splicerctl %s (netlink ABI version %u)\n",
			       SPLICERCTL_VERSION, SPLICER_FAMILY_VERSION);
			return EXIT_OK;
		} else if (!strcmp(o, "--")) {
			i++;
			break;
		} else {
			fprintf(stderr, "splicerctl: unknown option \"%s\"\n", o);
			short_usage(stderr);
			return EXIT_USAGE;
		}
	}

	if (batch_file) {
		if (i < argc) {
			fprintf(stderr, "splicerctl: \"-b FILE\" takes no command, "
				"got \"%s\"\n", argv[i]);
			short_usage(stderr);
			return EXIT_USAGE;
		}
		if (opts.json) {
			fprintf(stderr, "splicerctl: -j cannot be combined with -b "
				"(one JSON document per run)\n");
			short_usage(stderr);
			return EXIT_USAGE;
		}
		rc = batch(batch_file);
	} else if (i >= argc) {
		short_usage(stderr);
		return EXIT_USAGE;
	} else {
		if (opts.json && !strcmp(argv[i], "apply")) {
			fprintf(stderr, "splicerctl: -j cannot be combined with apply "
				"(one JSON document per run)\n");
			return EXIT_USAGE;
		}
		rc = run_command(argc - i, argv + i, false);
	}
	if (nl_opened)
		nlx_close(&nl);
	return rc;
}
