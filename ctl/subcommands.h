/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subcommand table of splicerctl and the command-line glue the object
 * files share (main.c).
 */
#ifndef SPLICERCTL_SUBCOMMANDS_H
#define SPLICERCTL_SUBCOMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "counters.h"
#include "model.h"
#include "nl.h"

/* Exit statuses. */
#define EXIT_OK		0
#define EXIT_FAIL	1	/* the kernel or the system said no */
#define EXIT_USAGE	2	/* the command line is wrong */

/* Global options (before OBJECT). */
struct opts {
	bool json;		/* -j: one JSON document on stdout */
	bool stats;		/* -s: counters in plain "show" output */
	const char *netns;	/* -n NETNS */
};
extern struct opts opts;

/* One command of an object: "show|list|ls" names it and its aliases. */
struct cmd {
	const char *names;
	const char *usage;	/* after "splicerctl " */
	int (*fn)(int argc, char **argv, const struct cmd *cmd);
};

/*
 * Run the command named by argv[0] ("show" when argc is 0) from cmds with
 * the arguments after it. "help" lists the usage lines on stdout.
 */
int dispatch(const char *object, const struct cmd *cmds, size_t n,
	     int argc, char **argv);
void print_usages(FILE *f, const struct cmd *cmds, size_t n);
/*
 * For objects addressed by a name first ("persist web cookie ..."): run the
 * command named by argv[1] ("show" when there is none) with argv[0] the
 * name and argv[1] the command word, both still in argv.
 */
int dispatch_named(const char *object, const struct cmd *cmds, size_t n,
		   int argc, char **argv);

/* Print "splicerctl: <message>" and "Usage: splicerctl <usage>" to stderr. */
__attribute__((format(printf, 2, 3)))
int usage_error(const struct cmd *cmd, const char *fmt, ...);

/* A positional NAME argument; 'what' is how the usage line calls it. */
int arg_name(const struct cmd *cmd, const char *what, const char *val,
	     char dst[SPLICER_NAME_MAX]);
/* A positional ADDR:PORT argument. */
int arg_addrport(const struct cmd *cmd, const char *val, struct addrport *dst);

/*
 * Parse argv as keyword/value pairs into obj (parse_kw_args, see parse.h).
 * Returns 0 or EXIT_USAGE (after printing the reason and cmd's usage).
 */
int parse_keywords(const struct cmd *cmd, const struct kw *kws, size_t nkws,
		   int argc, char **argv, void *obj, uint32_t *has);

/*
 * The netlink socket, opened on first use and shared by every command of
 * this run (a batch runs many); NULL after printing why it cannot be.
 */
struct nlx *nl_get(void);

/* Objects. */
extern const struct cmd service_cmds[];
extern const size_t service_ncmds;
extern const struct cmd pool_cmds[];
extern const size_t pool_ncmds;
extern const struct cmd server_cmds[];
extern const size_t server_ncmds;
extern const struct cmd persist_cmds[];
extern const size_t persist_ncmds;
extern const struct cmd stick_cmds[];
extern const size_t stick_ncmds;
extern const struct cmd stats_cmds[];
extern const size_t stats_ncmds;
extern const struct cmd dump_cmds[];
extern const size_t dump_ncmds;
extern const struct cmd log_cmds[];
extern const size_t log_ncmds;
extern const struct cmd rule_cmds[];
extern const size_t rule_ncmds;

/* Shared between objects (service.c, server.c, stats.c). */
int service_dump(struct nlx *nl, struct service_list *list);
/* One service by name (SERVICE_GET doit) into *s; 0 or a negative errno (printed). */
int service_get(struct nlx *nl, const char *name, struct service *s,
		const char *what);
int server_dump(struct nlx *nl, const char *pool, struct server_list *list);
int pool_dump(struct nlx *nl, struct pool_list *list);
/*
 * One object in the current format (a plain line, or a JSON object). With
 * as_command, the line is the command that creates the object ("pool add
 * app balance roundrobin") and read-only fields and counters are left out.
 */
void service_print(const struct service *s, bool as_command);
void pool_print(const struct pool *p, bool as_command);
void server_print(const struct server *s, bool as_command);
/*
 * The persistence of s in plain text, when it is on: with as_command the
 * line "persist NAME MODE ..." (or a comment saying why it cannot be
 * written), else an indented "persist MODE ..." line. Returns whether a
 * line was printed.
 */
bool service_persist_line(const struct service *s, bool as_command);
/* The rules of a service, in order (RULE_GET dump); 0 or a negative errno (printed). */
int rule_dump(struct nlx *nl, const char *service, struct rule_list *list);
/*
 * A rule as dump prints it: the line "rule add SERVICE ..." (or a comment
 * and a warning when it cannot be written), or with -j a JSON object.
 */
void rule_print(const struct rule *r, const char *service);
/* 0 if pool 'name' exists, else a negative errno (printed). */
int pool_check(struct nlx *nl, const char *name);

#endif
