/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Worker threads, one per CPU by default. Each has its own source (its own
 * netlink socket: the kernel fails the handshakes a socket accepted when it
 * closes) and its own epoll set, and keeps up to HS_WORKER_MAX_INFLIGHT
 * handshakes in flight on non-blocking sockets, each with its deadline in
 * a heap. A notification (TLS_READY) makes every worker try TLS_ACCEPT
 * until the queue is empty (-ENOENT); a worker also tries once a second
 * and whenever a slot frees after it was full, so a lost notification
 * delays a handshake by a second at most.
 */
#ifndef HANDSHAKED_WORKER_H
#define HANDSHAKED_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "upcall.h"

#define HS_WORKER_MAX_INFLIGHT	4096
#define HS_DEFAULT_TIMEOUT_MS	10000	/* when the kernel sends no TIMEOUT */

struct hs_conn;

enum hs_stop {
	HS_RUN,
	HS_STOP_GRACEFUL,	/* no new handshakes; finish those in flight */
	HS_STOP_NOW,		/* end those in flight with ESHUTDOWN */
};

struct hs_worker {
	unsigned int idx;
	pthread_t thread;
	int epfd, evfd;
	int exit_fd;			/* written once when the thread ends */
	const struct hs_source_ops *ops;
	void *src;

	struct hs_conn **heap;		/* by deadline */
	size_t nheap, capheap;
	bool ready;			/* a handshake may be waiting */
	bool started;
	atomic_int stop;		/* enum hs_stop */
	uint64_t next_poll_ms, next_tick_ms;

	/* failure log lines: at most a burst per second */
	uint64_t log_window_ms;
	unsigned int log_lines, log_suppressed;

	/* counters, read by the main thread (SIGUSR1) */
	atomic_ullong n_ok, n_failed, n_resumed, n_inflight;
};

/* Create the epoll set and eventfd; src is the worker's source. 0 or -1. */
int hs_worker_init(struct hs_worker *w, unsigned int idx, const struct hs_source_ops *ops,
		   void *src, int exit_fd);

int hs_worker_start(struct hs_worker *w);

/* Ask the thread to stop (how: enum hs_stop); it writes exit_fd when done. */
void hs_worker_stop(struct hs_worker *w, int how);

/* After the thread ended: join it, close what it had. */
void hs_worker_join(struct hs_worker *w);

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t hs_now_ms(void);

#endif
