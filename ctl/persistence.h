/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Persistence and stick tables, without I/O: the arguments of "persist",
 * the SPLICER_SVC_A_PERSIST and SPLICER_A_STICK nests both ways, the words
 * "show" and "dump" print, and the line format "stick export" writes and
 * "stick import" reads. Unit-tested by tests/persist_test.c and
 * tests/stick_test.c; the commands are in persist.c and stick.c.
 */
#ifndef SPLICERCTL_PERSISTENCE_H
#define SPLICERCTL_PERSISTENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <netlink/msg.h>

#include "model.h"

/*
 * The arguments of "persist SERVICE MODE [OPTIONS]" after SERVICE: mode is
 * off, cookie, prefix, learn, source, hash or key, argv the words after it.
 * *p is cleared first. Returns 0, or -1 with the reason in err (which names
 * the offending word).
 */
int persist_args(const char *mode, int argc, char *const *argv,
		 struct persist *p, char *err, size_t errlen);

/* The PERSIST nest of p (its set attributes only). 0 or -ENOMEM. */
int persist_put(struct nl_msg *msg, const struct persist *p);

/* The SERVICE nest of a SERVICE_SET: NAME service and the PERSIST nest. */
int persist_msg_put(struct nl_msg *msg, const char *service,
		    const struct persist *p);

/* A PERSIST nest from the kernel into *p (cleared first). 0 or -EBADMSG. */
int persist_parse(const struct nlattr *nest, struct persist *p);

/* Words of the command line: "off", "cookie", ...; NULL when unknown. */
const char *persist_mode_name(uint8_t mode);
/* "source", "header", "cookie", "param"; NULL when unknown. */
const char *hash_key_name(uint8_t key);

/*
 * The words after "persist SERVICE ", e.g. "cookie name SPLICERID indirect
 * maxidle 1h". Only the options of the mode are printed. With as_command
 * the result is a command "persist" takes back (the key is never part of
 * it); else the read-only key-id, keys and entries follow, and flags the
 * mode does not take are shown too. Returns false when no such command can
 * be written (a mode or hash key unknown to this tool, a hash key without
 * its name, a name with a '#', which a batch file would take for a
 * comment); buf then says why.
 */
#define PERSIST_WORDS_MAX 256
bool persist_format(const struct persist *p, bool as_command, char *buf,
		    size_t len);

/*
 * p as one JSON object under key (NULL inside an array): every attribute
 * reported, times in seconds, flags as an array of words, key_id as 8 hex
 * digits. as_command leaves out key_id, keys and entries.
 */
void persist_print_json(const char *key, const struct persist *p,
			bool as_command);

/* ---- stick tables ---------------------------------------------------- */

/* The STICK nest of e (its set attributes only). 0 or -ENOMEM. */
int stick_put(struct nl_msg *msg, const struct stick *e);

/* A STICK nest from the kernel into *e (cleared first). 0 or -EBADMSG. */
int stick_parse(const struct nlattr *nest, struct stick *e);

/* "session" or "source"; NULL when unknown. */
const char *stick_kind_name(uint8_t kind);

/*
 * The key for people: a session key as its bytes (any outside 0x21-0x7e
 * as \xNN), a source key as ADDR/PREFIX. Returns false when the key is
 * not one "stick import" reads (such a byte, a bad address).
 */
#define STICK_KEY_STR_MAX (4 * SPLICER_STICK_KEY_MAX + 1)
bool stick_key_format(const struct stick *e, char *buf, size_t len);

/*
 * The export line of e, newline included: "session KEY SERVER IDLE" or
 * "source ADDR/PREFIX SERVER IDLE", IDLE in seconds. Returns false (and
 * writes nothing useful) when stick import could not read it back.
 */
#define STICK_LINE_MAX (STICK_KEY_STR_MAX + 64)
bool stick_line_format(const struct stick *e, char *buf, size_t len);

/*
 * One line in that format into *e (cleared first; SERVICE is left unset).
 * Blank lines and lines starting with '#' are skipped. Returns 1 for an
 * entry, 0 for a line to skip, -1 with the reason in err.
 */
int stick_line_parse(const char *line, struct stick *e, char *err,
		     size_t errlen);

/*
 * Every line of f, each entry for 'service' (SERVICE set). Returns 0, or -1
 * with the number of the first bad line in *lineno and the reason in err
 * (the list then holds what was read before it; free it with LIST_FREE).
 */
int stick_read(FILE *f, const char *service, struct stick_list *list,
	       unsigned int *lineno, char *err, size_t errlen);

/*
 * Whether service 'service' with persistence p can take every entry of
 * list: session entries need mode learn, source entries mode source and a
 * prefix length equal to its mask for the family (the module refuses the
 * others one by one). Returns 0, or -1 with the index of the first entry
 * it cannot take in *bad and the reason in err.
 */
int stick_check(const struct persist *p, const char *service,
		const struct stick_list *list, size_t *bad, char *err,
		size_t errlen);

#endif
