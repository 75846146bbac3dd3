/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters of "splicerctl stats" in the Prometheus text exposition
 * format (version 0.0.4), for node_exporter's textfile collector. Pure
 * formatting: no netlink, so ctl/tests/prom_test.c can check it.
 */
#ifndef SPLICERCTL_PROM_H
#define SPLICERCTL_PROM_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"

/*
 * Write every metric family to f: the namespace totals (splicer_*, no
 * label), then per service (splicer_service_*, label service) and per
 * server (splicer_server_*, labels pool and server). Generated responses
 * are one family with a label code. netns, when not NULL, is added as the
 * first label of every sample. totals may be NULL (not reported); services
 * and servers without counters are left out.
 */
void prom_print(FILE *f, const char *netns, const struct counters *totals,
		const struct service *services, size_t nservices,
		const struct server *servers, size_t nservers);

/* A label value with \, " and newline escaped, quotes included. */
void prom_label_value(FILE *f, const char *s);

#endif
