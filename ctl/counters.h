/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counters (enum splicer_cnt, inside a *_STATS nest) without netlink I/O:
 * the nest decoded, and the order and groups every text and JSON listing
 * shows them in. Unit-tested by tests/counters_test.c.
 */
#ifndef SPLICERCTL_COUNTERS_H
#define SPLICERCTL_COUNTERS_H

#include <stddef.h>
#include <stdio.h>

#include <netlink/attr.h>

#include "model.h"

/* A STATS nest into *c (cleared first). 0 or -EBADMSG (a counter not 8 bytes). */
int counters_parse(const struct nlattr *nest, struct counters *c);

/*
 * The present counters of c in display order: traffic, failures, generated
 * responses, the log, persistence, rebinds, the packet splice, TLS, then counters
 * this tool does not know, by type. types[] and groups[] (a number per
 * group, in that order) need COUNTERS_MAX entries. Returns how many.
 */
size_t counters_order(const struct counters *c, unsigned int *types, int *groups);

/* "NAME VALUE" pairs, a line per group, each line after indent. */
void counters_fprint_plain(FILE *f, const struct counters *c, const char *indent);
void counters_print_plain(const struct counters *c, const char *indent);
/* One JSON object of "NAME": VALUE under key, in display order. */
void counters_print_json(const char *key, const struct counters *c);

#endif
