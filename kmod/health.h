/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Health checking: active probes per server, passive observation of real
 * traffic, and what the two say of a server (spl_server_usable()).
 *
 * Configuration: pool->health, an immutable struct spl_health_cfg replaced
 * whole under spl_net.lock and read under RCU.
 *
 * Probes: each server of a checked pool has a delayed work on
 * spl_probe_wq (unbound: a probe blocks for at most its timeout). It
 * runs only while the server is on its pool's list and not in state
 * maint; spl_health_stop() cancels it synchronously (aborting a probe in
 * flight) before the server leaves the list, so a probe never outlives
 * its server, pool or netns. A probe's socket is always closed with a
 * reset: a graceful close would leave an orphan that needs the netns.
 *
 * Transitions: fall probes failed in a row take an up server down; rise
 * in a row bring it up; passive errors past the threshold within the
 * window take it down at once (the work does it, woken early). Only
 * probes bring a server back. Each change goes to the decision log and
 * rebuilds the pool's hash table.
 */
#ifndef _SPL_HEALTH_H
#define _SPL_HEALTH_H

#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "uapi/linux/splicer.h"

struct spl_pool;
struct spl_server;
struct socket;

#define SPL_HEALTH_INTERVAL_DEFAULT	2000	/* ms */
#define SPL_HEALTH_TIMEOUT_DEFAULT	1000	/* ms */
#define SPL_HEALTH_RISE_DEFAULT		2
#define SPL_HEALTH_FALL_DEFAULT		3
#define SPL_HEALTH_WINDOW_DEFAULT	10000	/* ms */
#define SPL_HEALTH_MS_MIN		10
#define SPL_HEALTH_MS_MAX		3600000
#define SPL_HEALTH_COUNT_MAX		100	/* rise, fall */
#define SPL_HEALTH_READ_MAX		16384	/* bytes of a probe's response read */

struct spl_health_cfg {
	struct rcu_head rcu;
	u8 type;			/* enum splicer_health_type */
	u8 nexpect;
	u16 port;			/* 0: the server's */
	u32 interval, fastinter, timeout;	/* ms */
	u32 rise, fall;
	u32 passive_errors;		/* 0: off */
	u32 passive_window;		/* ms */
	u32 passive_status;		/* bit N: Nxx responses are errors */
	struct splicer_status_range expect[SPLICER_EXPECT_MAX];
	char method[24];
	char path[256];
	char host[128];			/* "" : the server's address */
	char body[64];			/* "" : any body */
};

/* Why real traffic counted against a server. */
enum spl_passive {
	SPL_PASSIVE_CONNECT,		/* connect refused, unreachable */
	SPL_PASSIVE_TIMEOUT,		/* connect or first response byte timed out */
	SPL_PASSIVE_RESET,		/* reset or closed before a response */
	SPL_PASSIVE_STATUS,		/* a response status in passive_status */
};

struct spl_server_health {
	struct delayed_work work;
	spinlock_t lock;		/* everything below */
	u8 state;			/* enum splicer_health_state, READ_ONCE */
	bool stopping;			/* no more queueing */
	bool passive_down;		/* the work must take it down */
	bool running;			/* scheduled (pool checked, not maint) */
	u32 oks, fails;			/* probes passed / failed in a row */
	u64 checks, checks_failed, passive_total;
	u32 downs;
	u32 latency_us;
	u32 win_errors;
	unsigned long win_start;	/* jiffies */
	struct socket *probe;		/* in flight, to abort */
	char result[80];		/* the last probe, in words */
	char cause[128];		/* why the last change, in words */
};

struct spl_health_cfg *spl_health_cfg_new(void);	/* type none, defaults */
void spl_health_cfg_free_rcu(struct spl_health_cfg *cfg);

void spl_health_init(struct spl_server *srv);

/*
 * (Re)start or stop @srv's probes after a change of its pool's checks or
 * of its state; spl_net.lock held.
 */
void spl_health_update(struct spl_server *srv);

/* Stop @srv's probes for good; waits for one in flight. spl_net.lock held. */
void spl_health_stop(struct spl_server *srv);

/* Real traffic saw @why against @srv (which the caller holds). */
void spl_health_observe(struct spl_server *srv, enum spl_passive why);

/* Whether a response status counts against the server. RCU held. */
bool spl_health_bad_status(struct spl_server *srv, u16 status);

/* Snapshot of what netlink and procfs show. */
struct spl_health_view {
	u8 state;
	u32 fails, latency_us, downs;
	u64 checks, checks_failed, passive_total;
	char result[80];
};

void spl_health_view(struct spl_server *srv, struct spl_health_view *v);

extern struct workqueue_struct *spl_probe_wq;

#endif /* _SPL_HEALTH_H */
