/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decision log records without netlink I/O: a LOG nest decoded, and the
 * text line and JSON object "splicerctl log" prints for it. Unit-tested by
 * tests/log_test.c; the command (joining the group, filters) is in log.c.
 */
#ifndef SPLICERCTL_LOGREC_H
#define SPLICERCTL_LOGREC_H

#include <stdio.h>

#include <netlink/attr.h>

#include "model.h"

/*
 * A LOG nest into *r (cleared first): every member reported sets its bit
 * in r->has; CLIENT_ADDR only with a family, an address of its length and
 * a port; RULE only when not 0 (it is the position + 1). 0 or -EBADMSG.
 */
int log_parse(const struct nlattr *nest, struct log_rec *r);

/*
 * One line, newline included: time (UTC), kind, then each member reported
 * as "key value", strings as one word or JSON-quoted; "rule N" is the
 * position of the rule that decided, as "rule show" numbers it.
 */
void log_print_plain(FILE *f, const struct log_rec *r);

/* One JSON object and a newline, through the JSON writer (output.h). */
void log_print_json(const struct log_rec *r);

#endif
