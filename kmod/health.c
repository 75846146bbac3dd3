// SPDX-License-Identifier: GPL-2.0
/*
 * Health checking (see health.h).
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/jiffies.h>
#include <linux/net.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <net/sock.h>
#include "health.h"
#include "http.h"
#include "log.h"
#include "maglev.h"
#include "netns.h"
#include "pool.h"

struct workqueue_struct *spl_probe_wq __read_mostly;

#define SPL_PROBE_STEP	msecs_to_jiffies(100)	/* how often a probe looks up */

struct spl_health_cfg *spl_health_cfg_new(void)
{
	struct spl_health_cfg *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);

	if (!cfg)
		return NULL;
	cfg->type = SPLICER_HEALTH_NONE;
	cfg->interval = SPL_HEALTH_INTERVAL_DEFAULT;
	cfg->fastinter = SPL_HEALTH_INTERVAL_DEFAULT / 4;
	cfg->timeout = SPL_HEALTH_TIMEOUT_DEFAULT;
	cfg->rise = SPL_HEALTH_RISE_DEFAULT;
	cfg->fall = SPL_HEALTH_FALL_DEFAULT;
	cfg->passive_window = SPL_HEALTH_WINDOW_DEFAULT;
	cfg->passive_status = 1 << 5;
	cfg->expect[0] = (struct splicer_status_range){ 200, 399 };
	cfg->nexpect = 1;
	strscpy(cfg->method, "GET", sizeof(cfg->method));
	strscpy(cfg->path, "/", sizeof(cfg->path));
	return cfg;
}

void spl_health_cfg_free_rcu(struct spl_health_cfg *cfg)
{
	if (cfg)
		kfree_rcu(cfg, rcu);
}

static void health_work(struct work_struct *work);

void spl_health_init(struct spl_server *srv)
{
	struct spl_server_health *h = &srv->health;

	INIT_DELAYED_WORK(&h->work, health_work);
	spin_lock_init(&h->lock);
	h->state = SPLICER_HEALTH_UNCHECKED;
	strscpy(h->result, "-", sizeof(h->result));
}

/* ---- one probe ---- */

struct probe {
	struct spl_server *srv;
	const struct spl_health_cfg *cfg;
	struct socket *sock;
	unsigned long deadline;		/* jiffies */
	char *result;			/* h->result-sized, in words */
};

/* Bound the next blocking call by the deadline and the abort check. */
static long step(struct probe *p)
{
	long left = (long)(p->deadline - jiffies);
	struct sock *sk = p->sock->sk;
	long t;

	if (left <= 0 || READ_ONCE(p->srv->health.stopping))
		return 0;
	t = min_t(long, left, SPL_PROBE_STEP);
	WRITE_ONCE(sk->sk_sndtimeo, t);
	WRITE_ONCE(sk->sk_rcvtimeo, t);
	return t;
}

static const char *errno_words(int err)
{
	switch (err) {
	case -ECONNREFUSED: return "connect refused";
	case -ECONNRESET: return "reset";
	case -ENETUNREACH: return "network unreachable";
	case -EHOSTUNREACH: return "host unreachable";
	case -ETIMEDOUT: return "timed out";
	case -EPIPE: return "closed";
	}
	return "failed";
}

static bool probe_connect(struct probe *p)
{
	struct sockaddr_storage addr = p->srv->addr;
	int len = addr.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
					       sizeof(struct sockaddr_in);
	int err;

	if (p->cfg->port) {
		if (addr.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&addr)->sin6_port = htons(p->cfg->port);
		else
			((struct sockaddr_in *)&addr)->sin_port = htons(p->cfg->port);
	}
	do {
		if (!step(p)) {
			strscpy(p->result, "connect timed out", 80);
			return false;
		}
		err = kernel_connect(p->sock, (struct sockaddr *)&addr, len, 0);
	} while (err == -EINPROGRESS || err == -EALREADY || err == -EINTR ||
		 err == -ERESTARTSYS);
	if (err) {
		scnprintf(p->result, 80, "%s", err == -ETIMEDOUT ? "connect timed out" :
			  errno_words(err));
		return false;
	}
	return true;
}

static bool status_expected(const struct spl_health_cfg *cfg, u16 status)
{
	int i;

	for (i = 0; i < cfg->nexpect; i++)
		if (status >= cfg->expect[i].lo && status <= cfg->expect[i].hi)
			return true;
	return false;
}

static bool contains(const u8 *hay, u32 len, const char *needle)
{
	size_t n = strlen(needle);
	u32 i;

	if (!n)
		return true;
	for (i = 0; i + n <= len; i++)
		if (!memcmp(hay + i, needle, n))
			return true;
	return false;
}

static bool probe_http(struct probe *p)
{
	const struct spl_health_cfg *cfg = p->cfg;
	u32 len = 0, scan = 0, end = 0;
	struct spl_http_resp resp;
	struct msghdr msg = {};
	struct kvec iov;
	char *req;
	u8 *buf;
	int n, ret = false;

	buf = kmalloc(SPL_HEALTH_READ_MAX, GFP_KERNEL);
	req = kmalloc(512, GFP_KERNEL);
	if (!buf || !req) {
		strscpy(p->result, "no memory", 80);
		goto out;
	}
	if (cfg->host[0])
		n = scnprintf(req, 512, "%s %s HTTP/1.1\r\nHost: %s\r\n", cfg->method,
			      cfg->path, cfg->host);
	else
		n = scnprintf(req, 512, "%s %s HTTP/1.1\r\nHost: %pISpc\r\n", cfg->method,
			      cfg->path, &p->srv->addr);
	n += scnprintf(req + n, 512 - n,
		       "User-Agent: splicer-health\r\nAccept: */*\r\nConnection: close\r\n\r\n");
	iov = (struct kvec){ req, n };
	if (!step(p) || kernel_sendmsg(p->sock, &msg, &iov, 1, n) != n) {
		strscpy(p->result, "could not send the request", 80);
		goto out;
	}
	for (;;) {
		bool eof = false;

		if (len < SPL_HEALTH_READ_MAX) {
			if (!step(p)) {
				strscpy(p->result, end ? "timed out in the body" :
					"timed out waiting for the response", 80);
				goto out;
			}
			iov = (struct kvec){ buf + len, SPL_HEALTH_READ_MAX - len };
			n = kernel_recvmsg(p->sock, &msg, &iov, 1, iov.iov_len, 0);
			if (n == -EAGAIN || n == -EINTR || n == -ERESTARTSYS)
				continue;
			if (n < 0) {
				scnprintf(p->result, 80, "%s%s", end ? "body: " : "",
					  errno_words(n));
				goto out;
			}
			eof = !n;
			len += n;
		}
		if (!end) {
			int e = spl_http_head_end(buf, len, &scan);

			if (e < 0) {
				strscpy(p->result, "malformed response", 80);
				goto out;
			}
			if (!e && (eof || len == SPL_HEALTH_READ_MAX)) {
				strscpy(p->result, len ? "incomplete response head" :
					"closed without a response", 80);
				goto out;
			}
			if (!e)
				continue;
			end = e;
			if (spl_http_parse_response(buf, end, &resp)) {
				scnprintf(p->result, 80, "bad response: %s", resp.reason);
				goto out;
			}
			if (!status_expected(cfg, resp.status)) {
				scnprintf(p->result, 80, "status %u", resp.status);
				goto out;
			}
		}
		if (contains(buf + end, len - end, cfg->body)) {
			scnprintf(p->result, 80, "status %u", resp.status);
			ret = true;
			goto out;
		}
		if (eof || len == SPL_HEALTH_READ_MAX) {
			scnprintf(p->result, 80, "status %u, body without \"%.32s\"",
				  resp.status, cfg->body);
			goto out;
		}
	}
out:
	kfree(req);
	kfree(buf);
	return ret;
}

static bool probe(struct spl_server *srv, const struct spl_health_cfg *cfg,
		  char *result)
{
	struct spl_server_health *h = &srv->health;
	struct probe p = {
		.srv = srv, .cfg = cfg, .result = result,
		.deadline = jiffies + msecs_to_jiffies(cfg->timeout),
	};
	bool ok;
	int err;

	err = sock_create_kern(srv->pool->sn->net, srv->addr.ss_family,
			       SOCK_STREAM, IPPROTO_TCP, &p.sock);
	if (err) {
		strscpy(result, "no socket", 80);
		return false;
	}
	ok = probe_connect(&p);
	if (ok && cfg->type == SPLICER_HEALTH_HTTP)
		ok = probe_http(&p);
	else if (ok)
		strscpy(result, "connected", 80);
	if (READ_ONCE(h->stopping)) {
		strscpy(result, "stopped", 80);
		ok = false;
	}
	/* a reset: a graceful close would leave an orphan needing the netns */
	sock_no_linger(p.sock->sk);
	sock_release(p.sock);
	return ok;
}

/* ---- transitions ---- */

static void set_health(struct spl_server *srv, u8 state, const char *cause)
{
	struct spl_server_health *h = &srv->health;
	struct spl_pool *pool = srv->pool;

	spin_lock(&h->lock);
	WRITE_ONCE(h->state, state);
	if (state == SPLICER_HEALTH_DOWN)
		h->downs++;
	strscpy(h->cause, cause, sizeof(h->cause));
	spin_unlock(&h->lock);
	spl_log_health(pool->sn->net, pool->name, srv->name,
		       state == SPLICER_HEALTH_DOWN ? "down" : "up", cause);
	spl_maglev_rebuild(pool);
}

static void health_work(struct work_struct *work)
{
	struct spl_server_health *h = container_of(to_delayed_work(work),
						   struct spl_server_health, work);
	struct spl_server *srv = container_of(h, struct spl_server, health);
	char result[sizeof(h->result)], cause[sizeof(h->cause)];
	struct spl_health_cfg *cfg;
	u8 to = 0, state;
	bool ok, passive;
	u64 t0;
	u32 delay;

	rcu_read_lock();
	cfg = kmemdup(rcu_dereference(srv->pool->health), sizeof(*cfg), GFP_ATOMIC);
	rcu_read_unlock();
	if (!cfg) {
		delay = SPL_HEALTH_INTERVAL_DEFAULT;
		goto again;
	}
	if (cfg->type == SPLICER_HEALTH_NONE ||
	    READ_ONCE(srv->state) == SPLICER_SRV_STATE_MAINT) {
		kfree(cfg);
		return;		/* spl_health_update() restarts it */
	}

	spin_lock(&h->lock);
	passive = h->passive_down;
	h->passive_down = false;
	strscpy(cause, h->cause, sizeof(cause));
	spin_unlock(&h->lock);
	if (passive) {
		if (READ_ONCE(h->state) == SPLICER_HEALTH_UP) {
			spin_lock(&h->lock);
			h->fails = cfg->fall;
			h->oks = 0;
			spin_unlock(&h->lock);
			set_health(srv, SPLICER_HEALTH_DOWN, cause);
		}
		delay = cfg->interval;
		goto again_cfg;
	}

	t0 = ktime_get_ns();
	ok = probe(srv, cfg, result);
	if (READ_ONCE(h->stopping)) {
		/* cut short by a stop, not the server's doing: not counted */
		kfree(cfg);
		return;
	}
	spin_lock(&h->lock);
	h->latency_us = div_u64(ktime_get_ns() - t0, NSEC_PER_USEC);
	h->checks++;
	strscpy(h->result, result, sizeof(h->result));
	if (ok) {
		h->oks++;
		h->fails = 0;
	} else {
		h->checks_failed++;
		h->fails++;
		h->oks = 0;
	}
	state = h->state;
	if (state == SPLICER_HEALTH_UP && h->fails >= cfg->fall) {
		to = SPLICER_HEALTH_DOWN;
		scnprintf(cause, sizeof(cause), "%u probe%s failed in a row (last: %s)",
			  h->fails, h->fails == 1 ? "" : "s", result);
	} else if (state == SPLICER_HEALTH_DOWN && h->oks >= cfg->rise) {
		to = SPLICER_HEALTH_UP;
		scnprintf(cause, sizeof(cause), "%u probe%s passed in a row (last: %s)",
			  h->oks, h->oks == 1 ? "" : "s", result);
	}
	delay = (state == SPLICER_HEALTH_UP && h->fails && !to) ? cfg->fastinter :
								cfg->interval;
	spin_unlock(&h->lock);
	if (to)
		set_health(srv, to, cause);
again_cfg:
	kfree(cfg);
again:
	spin_lock(&h->lock);
	if (!h->stopping && h->running)
		queue_delayed_work(spl_probe_wq, &h->work, msecs_to_jiffies(delay));
	spin_unlock(&h->lock);
}

/* ---- control ---- */

/* Cancel the work and any probe in flight; spl_net.lock held. */
static void health_cancel(struct spl_server_health *h)
{
	spin_lock(&h->lock);
	h->stopping = true;
	h->running = false;
	spin_unlock(&h->lock);
	cancel_delayed_work_sync(&h->work);
}

void spl_health_stop(struct spl_server *srv)
{
	health_cancel(&srv->health);
}

void spl_health_update(struct spl_server *srv)
{
	struct spl_server_health *h = &srv->health;
	const struct spl_health_cfg *cfg;
	bool want;
	u32 first;

	cfg = rcu_dereference_protected(srv->pool->health,
					lockdep_is_held(&srv->pool->sn->lock));
	want = cfg->type != SPLICER_HEALTH_NONE &&
	       srv->state != SPLICER_SRV_STATE_MAINT && !srv->removed;
	health_cancel(h);
	spin_lock(&h->lock);
	if (cfg->type == SPLICER_HEALTH_NONE) {
		WRITE_ONCE(h->state, SPLICER_HEALTH_UNCHECKED);
		h->oks = 0;
		h->fails = 0;
		h->passive_down = false;
	} else if (h->state == SPLICER_HEALTH_UNCHECKED) {
		WRITE_ONCE(h->state, SPLICER_HEALTH_UP);	/* until shown otherwise */
	}
	if (want) {
		h->stopping = false;
		h->running = true;
		/* spread the first probes so they do not march in step */
		first = get_random_u32() % cfg->interval;
		queue_delayed_work(spl_probe_wq, &h->work, msecs_to_jiffies(first));
	}
	spin_unlock(&h->lock);
}

/* ---- passive observation ---- */

static const char *const passive_words[] = {
	[SPL_PASSIVE_CONNECT] = "connect failed",
	[SPL_PASSIVE_TIMEOUT] = "timed out",
	[SPL_PASSIVE_RESET] = "closed or reset before a response",
	[SPL_PASSIVE_STATUS] = "error status",
};

void spl_health_observe(struct spl_server *srv, enum spl_passive why)
{
	struct spl_server_health *h = &srv->health;
	const struct spl_health_cfg *cfg;
	u32 threshold, window;

	rcu_read_lock();
	if (READ_ONCE(srv->removed))
		goto out;		/* the pool may be on its way out */
	cfg = rcu_dereference(srv->pool->health);
	threshold = cfg->passive_errors;
	window = cfg->passive_window;
	if (cfg->type == SPLICER_HEALTH_NONE)
		goto out;
	spin_lock(&h->lock);
	h->passive_total++;
	if (!threshold)
		goto unlock;
	if (!h->win_errors ||
	    time_after(jiffies, h->win_start + msecs_to_jiffies(window))) {
		h->win_start = jiffies;
		h->win_errors = 0;
	}
	h->win_errors++;
	if (h->win_errors >= threshold && h->state == SPLICER_HEALTH_UP &&
	    !h->passive_down && h->running && !h->stopping) {
		h->passive_down = true;
		h->win_errors = 0;
		scnprintf(h->cause, sizeof(h->cause),
			  "passive: %u errors within %u ms (last: %s)", threshold,
			  window, passive_words[why]);
		mod_delayed_work(spl_probe_wq, &h->work, 0);
	}
unlock:
	spin_unlock(&h->lock);
out:
	rcu_read_unlock();
}

bool spl_health_bad_status(struct spl_server *srv, u16 status)
{
	const struct spl_health_cfg *cfg;
	bool bad = false;

	rcu_read_lock();
	if (!READ_ONCE(srv->removed)) {
		cfg = rcu_dereference(srv->pool->health);
		bad = cfg->type != SPLICER_HEALTH_NONE && cfg->passive_errors &&
		      status < 1000 && (cfg->passive_status & (1U << (status / 100)));
	}
	rcu_read_unlock();
	return bad;
}

void spl_health_view(struct spl_server *srv, struct spl_health_view *v)
{
	struct spl_server_health *h = &srv->health;

	spin_lock(&h->lock);
	v->state = h->state;
	v->fails = h->fails;
	v->latency_us = h->latency_us;
	v->downs = h->downs;
	v->checks = h->checks;
	v->checks_failed = h->checks_failed;
	v->passive_total = h->passive_total;
	strscpy(v->result, h->result, sizeof(v->result));
	spin_unlock(&h->lock);
}
