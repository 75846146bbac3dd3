/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state, and module-wide accounting.
 */
#ifndef _SPL_NETNS_H
#define _SPL_NETNS_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "stats.h"

struct proc_dir_entry;

struct spl_net {
	struct net *net;
	struct mutex lock;		/* services, pools, servers: changes */
	struct list_head services;	/* RCU for readers (procfs) */
	struct list_head pools;		/* RCU for readers (procfs) */
	unsigned int gen;		/* bumped on every change, for dumps */
	atomic_t nconns;		/* connections alive in this netns */
	bool dying;			/* netns exit has begun (lock) */
	struct spl_stats stats;		/* totals over all services */
	struct proc_dir_entry *proc;

	/* TLS handshakes (handshake.c) */
	spinlock_t hs_lock;
	struct list_head hs_pending;	/* waiting for a daemon worker */
	struct list_head hs_accepted;	/* with a worker */
	unsigned int hs_count;		/* on either list */
	u64 hs_next_id;
};

extern unsigned int spl_net_id;
extern struct workqueue_struct *spl_wq;

/* Module-wide object accounting, checked at unload. */
extern atomic_t spl_objects;
extern atomic64_t spl_conns_alloc;
extern atomic64_t spl_conns_free;

static inline struct spl_net *spl_net(const struct net *net)
{
	return net_generic(net, spl_net_id);
}

/* Invalidate dump cursors: called under spl_net.lock after every change. */
static inline void spl_net_changed(struct spl_net *sn)
{
	lockdep_assert_held(&sn->lock);
	sn->gen++;
	if (!sn->gen)
		sn->gen = 1;
}

#endif /* _SPL_NETNS_H */
