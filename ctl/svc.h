/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Services without I/O: the keywords of "service add|set", the SERVICE
 * nest both ways, and the words and JSON that "show" and "dump" print.
 * Unit-tested by tests/service_test.c; the commands are in service.c.
 */
#ifndef SPLICERCTL_SVC_H
#define SPLICERCTL_SVC_H

#include <stdbool.h>
#include <stddef.h>

#include <netlink/msg.h>

#include "model.h"

/* The keywords after "service add NAME" and "service set NAME". */
extern const struct kw service_add_kws[];
extern const size_t service_add_nkws;
extern const struct kw service_set_kws[];
extern const size_t service_set_nkws;

/* The SERVICE nest of a request: NAME and every set attribute of s. */
int service_put(struct nl_msg *msg, const struct service *s);

/* A SERVICE nest from the kernel into *s (not cleared). 0 or -EBADMSG. */
int service_parse(const struct nlattr *nest, struct service *s);

/*
 * The words after "service NAME" (show) or "service add NAME" (as_command,
 * which "service add" takes back): listen, pool, the limits and timeouts,
 * splice, tls, handshake-timeout, location-rewrite and inspect, each when
 * reported;
 * show adds the read-only "rules N". Starts with a blank when not empty.
 */
#define SERVICE_WORDS_MAX 512
void service_format(const struct service *s, bool as_command, char *buf,
		    size_t len);

/*
 * s as one JSON object (inside an array or at the top level): name,
 * family, addr, port, pool, the limits, splice, tls, handshake_timeout,
 * location_rewrite, inspect, persist when on; without as_command also rules and
 * stats.
 */
void service_print_json(const struct service *s, bool as_command);

/* Persistence is on: reported, with a mode other than none. */
bool service_persist_on(const struct service *s);

#endif
