/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pools of servers.
 *
 * Locking: the pool list of a netns and each pool's server list change only
 * under spl_net.lock (a mutex, netlink context). The data path walks a
 * pool's servers under rcu_read_lock(). Scheduler state (server->cur) is
 * guarded by pool->sched_lock. A server is refcounted: the pool's list holds
 * one reference, each connection bound to it another; it is freed by RCU
 * after the last put.
 */
#ifndef _SPL_POOL_H
#define _SPL_POOL_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include "health.h"
#include "uapi/linux/splicer.h"
#include "stats.h"

#define SPL_WEIGHT_MAX	1000

struct spl_server {
	struct list_head node;		/* pool->servers (RCU) */
	struct kref ref;
	struct spl_pool *pool;		/* owner; valid while on the list */
	char name[SPLICER_NAME_MAX];
	u32 id;				/* spl_server_id(name): tokens, stick */
	struct sockaddr_storage addr;
	u32 weight;			/* READ_ONCE: changed by netlink */
	u32 maxconn;			/* 0: unlimited */
	u8 state;			/* enum splicer_srv_state */
	bool removed;			/* off the list; no new connections */
	int cur;			/* SWRR current weight, pool->sched_lock */
	atomic_t active;		/* connections bound now */
	struct spl_server_health health;
	struct spl_stats stats;
	struct rcu_head rcu;
};

struct spl_pool {
	struct list_head node;		/* spl_net.pools (RCU), spl_net.lock */
	struct spl_net *sn;
	char name[SPLICER_NAME_MAX];
	u8 balance;			/* enum splicer_balance */
	unsigned int nservers;		/* spl_net.lock */
	unsigned int users;		/* services using it, spl_net.lock */
	struct list_head servers;	/* RCU; changes under spl_net.lock */
	struct spl_health_cfg __rcu *health; /* never NULL; spl_net.lock to change */
	struct mutex maglev_lock;	/* rebuilds of maglev */
	struct spl_maglev __rcu *maglev; /* maglev_lock to change */
	spinlock_t sched_lock;
	struct rcu_head rcu;
};

struct spl_pool *spl_pool_alloc(struct spl_net *sn, const char *name, u8 balance);
void spl_pool_free(struct spl_pool *pool);

struct spl_server *spl_server_alloc(const char *name,
				    const struct sockaddr_storage *addr);
void spl_server_link(struct spl_pool *pool, struct spl_server *srv);
void spl_server_unlink(struct spl_server *srv);
struct spl_server *spl_server_find(struct spl_pool *pool, const char *name);
void spl_server_put(struct spl_server *srv);

/* The server of @pool with id @id / name @name, or NULL; RCU held. */
struct spl_server *spl_pool_server_by_id(struct spl_pool *pool, u32 id);
struct spl_server *spl_pool_server_rcu(struct spl_pool *pool, const char *name);

/*
 * Take @srv for a new connection: a reference and an active count. False if
 * it is being freed. spl_sched_pick() does this itself.
 */
bool spl_server_take(struct spl_server *srv);

/* The pool's servers, states or weights changed; spl_net.lock held. */
void spl_pool_changed(struct spl_pool *pool);

/* Whether @srv may take a new connection now (state, health, maxconn). */
bool spl_server_usable(const struct spl_server *srv);
/*
 * Whether @srv may take a client that persists on it: as usable, but a
 * server draining still takes the clients it has.
 */
bool spl_server_usable_persist(const struct spl_server *srv);
/* Servers in state up, whatever their maxconn (SPLICER_POOL_A_SERVERS_UP). */
unsigned int spl_pool_up_count(struct spl_pool *pool);

#endif /* _SPL_POOL_H */
