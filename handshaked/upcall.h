/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where handshakes come from and where their outcomes go: the splicer
 * module over generic netlink (nlsrc.c), or a test's own listener
 * (tests/harness.c) feeding the very same worker code.
 */
#ifndef HANDSHAKED_UPCALL_H
#define HANDSHAKED_UPCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

/* One handshake taken (SPLICER_CMD_TLS_ACCEPT's reply). */
struct hs_upcall {
	uint64_t id;
	int fd;				/* ours to close */
	char service[HS_NAME_MAX];
	uint32_t timeout_ms;		/* time left */
	bool has_timeout;
};

/* Its outcome (SPLICER_CMD_TLS_DONE). Strings NULL when unknown (after a
 * failure: what was learnt before it, e.g. the SNI). */
struct hs_result {
	uint64_t id;
	uint32_t status;		/* 0, or a positive errno */
	const char *version;
	const char *cipher;
	const char *sni;
	bool resumed;
};

struct hs_source_ops {
	/*
	 * The source of worker 'idx', opened by the main thread before it
	 * gives up its privileges. NULL on failure (logged).
	 */
	void *(*open)(unsigned int idx, void *arg);
	/* The descriptor to watch for readability (notifications). */
	int (*fd)(void *src);
	/*
	 * The descriptor is readable: read what is there. Returns > 0 when a
	 * handshake may be waiting (try accept), 0 if not, < 0 on errors.
	 */
	int (*readable)(void *src);
	/* Take a waiting handshake: 0, -ENOENT (none), or -errno. */
	int (*accept)(void *src, struct hs_upcall *up);
	/* Report an outcome: 0, or -errno (logged by the source). */
	int (*done)(void *src, const struct hs_result *res);
	/* Every few seconds: housekeeping; > 0 asks for an accept attempt. */
	int (*tick)(void *src);
	void (*close)(void *src);
};

#endif
