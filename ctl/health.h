/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Health checking without I/O: the words after "health" in "pool add|set",
 * the SPLICER_POOL_A_HEALTH nest both ways (and the POOL nest that carries
 * it), what a server's checks say, and the words and JSON that "show" and
 * "dump" print. Unit-tested by tests/health_test.c; the commands are in
 * pool.c and server.c.
 */
#ifndef SPLICERCTL_HEALTH_H
#define SPLICERCTL_HEALTH_H

#include <stdbool.h>
#include <stddef.h>

#include <netlink/msg.h>

#include "model.h"

/* The module's defaults, as the uapi header documents them. */
#define HEALTH_INTERVAL_DEFAULT	2000	/* ms */
#define HEALTH_TIMEOUT_DEFAULT	1000	/* ms */
#define HEALTH_INTERVAL_MIN	100	/* ms */
#define HEALTH_COUNT_MAX	100	/* rise, fall */

/*
 * The words after "health": off, tcp [OPTIONS] or http [OPTIONS]. *h is
 * cleared first; TYPE is always set (a nest replaces the whole
 * configuration). Ranges are checked here only where it is cheap and the
 * message clearer than the module's (interval at least 100ms, timeout not
 * longer than interval, rise and fall 1..100, the syntax of every value
 * and the string lengths the module takes); the module checks the rest.
 * Returns 0, or -1 with the reason in err (which names the offending word).
 */
int health_args(int argc, char *const *argv, struct health *h, char *err,
		size_t errlen);

/*
 * Where "health" starts in the keyword/value pairs of "pool add|set NAME
 * ...": the index of the word "health" at a keyword position, or argc.
 */
int health_word_at(int argc, char *const *argv);

/* The HEALTH nest of h (its set attributes only). 0 or -ENOMEM. */
int health_put(struct nl_msg *msg, const struct health *h);

/* The POOL nest of a pool request: NAME, BALANCE and HEALTH when set. */
int pool_put(struct nl_msg *msg, const struct pool *p);

/* A HEALTH nest from the kernel into *h (cleared first). 0 or -EBADMSG. */
int health_parse(const struct nlattr *nest, struct health *h);

/* "off", "tcp", "http"; NULL when unknown. */
const char *health_type_name(uint8_t type);
/* "unchecked", "up", "down"; NULL when unknown. */
const char *health_state_name(uint8_t state);

/*
 * "200-399" or "200,204,301-302": at most SPLICER_EXPECT_MAX ranges of
 * statuses 100..599, lo <= hi. NULL or the reason.
 */
const char *parse_expect(const char *s, struct splicer_status_range *out,
			 uint32_t *n);
/* "5xx", "4xx,5xx" (bit N for Nxx, N 1..9) or "none" (0). NULL or the reason. */
const char *parse_status_classes(const char *s, uint32_t *out);

/*
 * The words after "health ", e.g. "http interval 2s fastinter 500ms
 * timeout 1s rise 2 fall 3 path /healthz expect 200-399". Every reported
 * member is printed, but port 0 (the server's) and the passive members
 * when passive is 0 (off: they do nothing then). With as_command the
 * result is what "health" takes back; it is false when no such words can
 * be written (a type or status class unknown to this tool, a string with
 * a blank or a '#', which a batch file would split or cut), and buf then
 * says why. Without it, strings with blanks or quotes are JSON-quoted.
 */
#define HEALTH_WORDS_MAX 1024
bool health_format(const struct health *h, bool as_command, char *buf,
		   size_t len);

/*
 * h as one JSON object under key (NULL inside an array): every member
 * reported, times in milliseconds, passive_status an array of "Nxx" (a
 * number for bits this tool does not know), expect an array of
 * {"lo": N, "hi": N}.
 */
void health_print_json(const char *key, const struct health *h);

/* ---- what a server's checks say -------------------------------------- */

/*
 * The read-only health members of a SERVER nest (tb from nla_parse_nested,
 * SPLICER_SRV_A_MAX + 1 entries) into s, each setting its bit in s->has.
 * Members of the wrong size are ignored.
 */
void server_health_get(struct nlattr *const *tb, struct server *s);

/*
 * The check line of "server show", without indentation: "check WORDS
 * latency 1.2ms fails 0 checks 10 checks-failed 1 passive-errors 0 downs
 * 1", each when reported. False (and "") when the server is unchecked or
 * its health is not reported.
 */
bool server_health_format(const struct server *s, char *buf, size_t len);

/* The members into the JSON object being written: health, check_*, ... */
void server_health_json(const struct server *s);

/* Microseconds for people: "312us", "1.2ms", "1.50s". */
char *format_us(uint32_t us, char *buf, size_t len);

#endif
