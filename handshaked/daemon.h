/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon around the workers: configuration and certificates, kTLS,
 * privileges, the worker threads, and the main thread's signals:
 *
 *   SIGHUP           reload the configuration and every certificate and
 *                    key; the new set serves new handshakes, those in
 *                    flight finish with the old one (kept on failure)
 *   SIGTERM, SIGINT  stop taking handshakes, finish those in flight, exit;
 *                    a second one ends those in flight at once (ESHUTDOWN)
 *   SIGUSR1          log the counters
 *
 * and the ticket key rotation timer.
 */
#ifndef HANDSHAKED_DAEMON_H
#define HANDSHAKED_DAEMON_H

#include <stdbool.h>

#include "upcall.h"

struct hs_opts {
	const char *config;		/* path */
	bool foreground;		/* else fork, syslog */
	bool verbose;
	bool check;			/* load everything, report, exit */
	unsigned int workers;		/* 0: the file's, else one per CPU */
	const char *user;		/* NULL: the file's, else HS_DEFAULT_USER */
	bool keep_user;			/* tests: do not change user */
	bool no_modprobe;		/* tests on a host: do not load tls */
	const struct hs_source_ops *ops;
	void *ops_arg;
};

/* Run until stopped; returns the exit status. */
int hs_daemon(const struct hs_opts *o);

#endif
