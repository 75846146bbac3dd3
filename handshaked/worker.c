// SPDX-License-Identifier: GPL-2.0
/*
 * splicer-handshaked: the worker threads (see worker.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "handshake.h"
#include "log.h"
#include "worker.h"

#define POLL_INTERVAL_MS	1000	/* an ACCEPT attempt without a notification */
#define TICK_INTERVAL_MS	5000	/* the source's housekeeping */
#define ACCEPT_BATCH		32	/* ACCEPTs before looking at sockets again */
#define LOG_BURST		20	/* failure lines per second and worker */

/* epoll tags for the two descriptors that are not handshakes */
static char tag_source, tag_wake;

uint64_t hs_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- the deadline heap ------------------------------------------------- */

static void heap_set(struct hs_worker *w, size_t i, struct hs_conn *c)
{
	w->heap[i] = c;
	c->heap_idx = i;
}

static void heap_up(struct hs_worker *w, size_t i)
{
	struct hs_conn *c = w->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (w->heap[parent]->deadline_ms <= c->deadline_ms)
			break;
		heap_set(w, i, w->heap[parent]);
		i = parent;
	}
	heap_set(w, i, c);
}

static void heap_down(struct hs_worker *w, size_t i)
{
	struct hs_conn *c = w->heap[i];

	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = l;

		if (l >= w->nheap)
			break;
		if (r < w->nheap && w->heap[r]->deadline_ms < w->heap[l]->deadline_ms)
			m = r;
		if (w->heap[m]->deadline_ms >= c->deadline_ms)
			break;
		heap_set(w, i, w->heap[m]);
		i = m;
	}
	heap_set(w, i, c);
}

static int heap_push(struct hs_worker *w, struct hs_conn *c)
{
	if (w->nheap == w->capheap) {
		size_t cap = w->capheap ? w->capheap * 2 : 64;
		struct hs_conn **h = realloc(w->heap, cap * sizeof(*h));

		if (!h)
			return -1;
		w->heap = h;
		w->capheap = cap;
	}
	w->heap[w->nheap] = c;
	c->heap_idx = w->nheap++;
	heap_up(w, c->heap_idx);
	return 0;
}

static void heap_remove(struct hs_worker *w, struct hs_conn *c)
{
	size_t i = c->heap_idx;
	struct hs_conn *last;

	if (i >= w->nheap || w->heap[i] != c)
		return;
	last = w->heap[--w->nheap];
	c->heap_idx = (size_t)-1;
	if (last == c)
		return;
	heap_set(w, i, last);
	heap_up(w, i);
	heap_down(w, last->heap_idx);
}

/* ---- one handshake ----------------------------------------------------- */

static bool may_log(struct hs_worker *w)
{
	uint64_t now = hs_now_ms();

	if (now - w->log_window_ms >= 1000) {
		if (w->log_suppressed)
			hs_info("worker %u: %u more failed handshake(s) not logged",
				w->idx, w->log_suppressed);
		w->log_window_ms = now;
		w->log_lines = 0;
		w->log_suppressed = 0;
	}
	if (w->log_lines < LOG_BURST) {
		w->log_lines++;
		return true;
	}
	w->log_suppressed++;
	return false;
}

/* The end of c: out of epoll and the heap, closed, reported, freed. */
static void complete(struct hs_worker *w, struct hs_conn *c, uint32_t status)
{
	struct hs_result res;
	uint64_t ms = hs_now_ms() - c->start_ms;

	if (c->in_epoll) {
		/*
		 * Explicitly: the kernel holds the same open file, so close()
		 * would leave it registered (epoll forgets a file only when its
		 * last reference goes).
		 */
		epoll_ctl(w->epfd, EPOLL_CTL_DEL, c->fd, NULL);
		c->in_epoll = false;
	}
	heap_remove(w, c);
	hs_conn_end(c);		/* the descriptor is closed before DONE */
	hs_conn_result(c, status, &res);
	w->ops->done(w->src, &res);

	if (!status) {
		atomic_fetch_add(&w->n_ok, 1);
		if (c->resumed)
			atomic_fetch_add(&w->n_resumed, 1);
		hs_debug("service %s: handshake %llu done in %llu ms: %s %s%s%s%s",
			 c->service, (unsigned long long)c->id, (unsigned long long)ms,
			 c->version, c->cipher, c->sni[0] ? " sni=" : "", c->sni,
			 c->resumed ? " resumed" : "");
	} else {
		atomic_fetch_add(&w->n_failed, 1);
		if (may_log(w))
			hs_info("service %s: handshake %llu failed after %llu ms (%s): %s%s%s",
				c->service, (unsigned long long)c->id, (unsigned long long)ms,
				hs_errno_name(status), c->why[0] ? c->why : strerror((int)status),
				c->sni[0] ? "; sni=" : "", c->sni);
	}
	atomic_fetch_sub(&w->n_inflight, 1);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}

static void step(struct hs_worker *w, struct hs_conn *c)
{
	int r = hs_conn_step(c);

	if (r >= 0)
		complete(w, c, (uint32_t)r);
}

static void start(struct hs_worker *w, const struct hs_upcall *up)
{
	struct hs_conn *c = calloc(1, sizeof(*c));
	uint32_t timeout = up->has_timeout ? up->timeout_ms : HS_DEFAULT_TIMEOUT_MS;
	struct epoll_event ev;
	uint32_t status;

	if (!c) {
		struct hs_result res = { .id = up->id, .status = ENOMEM };

		close(up->fd);
		w->ops->done(w->src, &res);
		atomic_fetch_add(&w->n_failed, 1);
		hs_err("handshake %llu: out of memory", (unsigned long long)up->id);
		return;
	}
	atomic_fetch_add(&w->n_inflight, 1);
	c->heap_idx = (size_t)-1;
	c->start_ms = hs_now_ms();
	/* a little early, so that our ETIMEDOUT is the reason the kernel logs */
	c->deadline_ms = c->start_ms + (timeout > 200 ? timeout - 50 : timeout);

	status = hs_conn_start(c, up);
	if (status) {
		complete(w, c, status);
		return;
	}
	if (!timeout) {
		snprintf(c->why, sizeof(c->why), "no time left when it was accepted");
		complete(w, c, ETIMEDOUT);
		return;
	}
	if (heap_push(w, c)) {
		complete(w, c, ENOMEM);
		return;
	}
	/* edge triggered, both ways: OpenSSL says which one it waits for by retrying */
	ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
	ev.data.ptr = c;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
		snprintf(c->why, sizeof(c->why), "epoll: %s", strerror(errno));
		complete(w, c, errno == ENOMEM ? ENOMEM : EBADF);
		return;
	}
	c->in_epoll = true;
	hs_debug("service %s: handshake %llu accepted (fd %d, %u ms left)", c->service,
		 (unsigned long long)c->id, c->fd, timeout);
	step(w, c);	/* the ClientHello is often there already */
}

static void accept_some(struct hs_worker *w)
{
	int budget = ACCEPT_BATCH;

	while (atomic_load(&w->stop) == HS_RUN &&
	       atomic_load(&w->n_inflight) < HS_WORKER_MAX_INFLIGHT) {
		struct hs_upcall up;
		int r;

		if (budget-- == 0)
			return;		/* w->ready stays: more after the sockets */
		memset(&up, 0, sizeof(up));
		r = w->ops->accept(w->src, &up);
		if (r) {
			w->ready = false;
			return;
		}
		start(w, &up);
	}
}

static void expire(struct hs_worker *w, uint64_t now)
{
	while (w->nheap && w->heap[0]->deadline_ms <= now) {
		struct hs_conn *c = w->heap[0];

		snprintf(c->why, sizeof(c->why), "the handshake did not finish in time%s",
			 SSL_in_before(c->ssl) ? " (no ClientHello)" : "");
		complete(w, c, ETIMEDOUT);
	}
}

static void stop_all(struct hs_worker *w)
{
	while (w->nheap) {
		struct hs_conn *c = w->heap[0];

		snprintf(c->why, sizeof(c->why), "the daemon is stopping");
		complete(w, c, ESHUTDOWN);
	}
}

static void *worker_main(void *arg)
{
	struct hs_worker *w = arg;
	struct epoll_event evs[64];
	uint64_t one = 1;

	w->ready = true;	/* anything queued before we started */
	w->next_poll_ms = hs_now_ms() + POLL_INTERVAL_MS;
	w->next_tick_ms = hs_now_ms() + TICK_INTERVAL_MS;
	for (;;) {
		int stop = atomic_load(&w->stop), timeout, n, i;
		bool full = atomic_load(&w->n_inflight) >= HS_WORKER_MAX_INFLIGHT;
		uint64_t now;

		if (stop == HS_STOP_NOW)
			stop_all(w);
		if (stop != HS_RUN && !w->nheap)
			break;

		now = hs_now_ms();
		if (stop == HS_RUN && !full && w->ready) {
			timeout = 0;
		} else {
			uint64_t next = w->next_tick_ms;

			if (stop == HS_RUN && !full && w->next_poll_ms < next)
				next = w->next_poll_ms;
			if (w->nheap && w->heap[0]->deadline_ms < next)
				next = w->heap[0]->deadline_ms;
			timeout = next <= now ? 0 : (int)(next - now);
		}

		n = epoll_wait(w->epfd, evs, (int)(sizeof(evs) / sizeof(evs[0])), timeout);
		if (n < 0 && errno != EINTR) {
			hs_err("worker %u: epoll_wait: %s", w->idx, strerror(errno));
			break;
		}
		for (i = 0; i < n; i++) {
			void *p = evs[i].data.ptr;

			if (p == &tag_wake) {
				uint64_t v;

				(void)!read(w->evfd, &v, sizeof(v));
			} else if (p == &tag_source) {
				if (w->ops->readable(w->src) > 0)
					w->ready = true;
			} else {
				step(w, p);
			}
		}

		now = hs_now_ms();
		expire(w, now);
		if (now >= w->next_tick_ms) {
			if (w->ops->tick && w->ops->tick(w->src) > 0)
				w->ready = true;
			w->next_tick_ms = now + TICK_INTERVAL_MS;
		}
		if (now >= w->next_poll_ms) {
			w->ready = true;
			w->next_poll_ms = now + POLL_INTERVAL_MS;
		}
		/* a slot freed after we were full: the queue may hold more */
		if (full && atomic_load(&w->n_inflight) < HS_WORKER_MAX_INFLIGHT)
			w->ready = true;
		if (w->ready)
			accept_some(w);
	}
	(void)!write(w->exit_fd, &one, sizeof(one));
	return NULL;
}

int hs_worker_init(struct hs_worker *w, unsigned int idx, const struct hs_source_ops *ops,
		   void *src, int exit_fd)
{
	struct epoll_event ev = { .events = EPOLLIN };

	memset(w, 0, sizeof(*w));
	w->idx = idx;
	w->ops = ops;
	w->src = src;
	w->exit_fd = exit_fd;
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	w->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->epfd < 0 || w->evfd < 0)
		goto fail;
	ev.data.ptr = &tag_wake;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->evfd, &ev) < 0)
		goto fail;
	ev.data.ptr = &tag_source;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, ops->fd(src), &ev) < 0)
		goto fail;
	return 0;
fail:
	hs_err("worker %u: %s", idx, strerror(errno));
	if (w->epfd >= 0)
		close(w->epfd);
	if (w->evfd >= 0)
		close(w->evfd);
	w->epfd = w->evfd = -1;
	return -1;
}

int hs_worker_start(struct hs_worker *w)
{
	int r = pthread_create(&w->thread, NULL, worker_main, w);

	if (r) {
		hs_err("worker %u: cannot start a thread: %s", w->idx, strerror(r));
		return -1;
	}
	w->started = true;
	return 0;
}

void hs_worker_stop(struct hs_worker *w, int how)
{
	uint64_t one = 1;

	if (atomic_load(&w->stop) < how)
		atomic_store(&w->stop, how);
	(void)!write(w->evfd, &one, sizeof(one));
}

void hs_worker_join(struct hs_worker *w)
{
	if (w->started)
		pthread_join(w->thread, NULL);
	w->started = false;
	if (w->src && w->ops->close)
		w->ops->close(w->src);
	w->src = NULL;
	if (w->epfd >= 0)
		close(w->epfd);
	if (w->evfd >= 0)
		close(w->evfd);
	w->epfd = w->evfd = -1;
	free(w->heap);
	w->heap = NULL;
	w->nheap = w->capheap = 0;
}
