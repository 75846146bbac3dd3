/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Content rules without I/O: the words of "rule add SERVICE ...", the
 * SPLICER_A_RULE nest both ways, and the words, table columns and JSON
 * that "rule show" and "dump" print. Unit-tested by tests/rule_test.c; the
 * commands are in rule.c.
 *
 * A rule has matches (host, path, prefix, method, header [value], src),
 * all of which must hold, and exactly one action: pool NAME, redirect URL
 * [status CODE] (default 302) or status CODE (a fixed response).
 */
#ifndef SPLICERCTL_RULES_H
#define SPLICERCTL_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include <netlink/msg.h>

#include "model.h"

/* The statuses a redirect may have: 301, 302, 303, 307, 308. */
bool rule_redirect_status(uint32_t status);

/*
 * The words after "rule add SERVICE": [at N] MATCHES ACTION, keywords in
 * any order, each once. *r is cleared first (SERVICE is left to the
 * caller). Refused here: a rule without a match (the service's pool is
 * the rule for every request), none or two actions, status with pool, a
 * redirect status other than 301, 302, 303, 307 or 308, a fixed status
 * outside 200..599 or one of those (a redirect without a Location), value
 * without header, a host that is not a name ("*.example.com" matches its
 * subdomains), a path or prefix not starting with "/" or with '?' or '#',
 * a method or header that is not a token, a value with leading or
 * trailing blanks, src bits set past the prefix length, and strings longer
 * than the module takes (host 255, path and prefix 1023, method 31, header
 * 63, value 255, redirect 1023 characters). The module checks the rest. Returns 0, or -1 with the reason in err (naming the word).
 */
int rule_args(int argc, char *const *argv, struct rule *r, char *err,
	      size_t errlen);

/* The RULE nest of r: its set attributes (SRC_ADDR brings FAMILY and PREFIX). */
int rule_put(struct nl_msg *msg, const struct rule *r);

/* A RULE nest from the kernel into *r (cleared first). 0 or -EBADMSG. */
int rule_parse(const struct nlattr *nest, struct rule *r);

/* "pool", "redirect", "status", or NULL when r has no action. */
const char *rule_action(const struct rule *r);

/*
 * The words of the matches ("host api.example.com prefix /v1/") and of the
 * action ("pool api", "redirect https://x/ status 301", "status 403").
 * With as_command they are what "rule add" takes back, and false is
 * returned (buf saying why) when no such words exist: a value with a blank
 * or a '#', which a batch file would split or cut, one longer than this
 * tool keeps, an unknown action. Without it, values that are not plain
 * words are JSON-quoted and false means nothing to show ("-").
 */
#define RULE_WORDS_MAX 4096
bool rule_match_words(const struct rule *r, bool as_command, char *buf,
		      size_t len);
bool rule_action_words(const struct rule *r, bool as_command, char *buf,
		       size_t len);

/* The words after "rule add SERVICE" for dump: matches then action. */
bool rule_format(const struct rule *r, char *buf, size_t len);

/*
 * r as one JSON object: position, service (with_service), host, path,
 * path_prefix, method, header, header_value, src ("ADDR/PREFIX"),
 * src_family, src_addr, src_prefix, action, pool, redirect, status and
 * hits (without as_command), each when reported.
 */
void rule_print_json(const struct rule *r, bool with_service, bool as_command);

#endif
