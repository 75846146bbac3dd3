// SPDX-License-Identifier: GPL-2.0
/*
 * Pools and servers: allocation, membership, lookup.
 */

#include <linux/slab.h>
#include <linux/string.h>
#include "pool.h"
#include "maglev.h"
#include "netns.h"
#include "token.h"

static void server_unlink(struct spl_server *srv, bool rebuild);

struct spl_pool *spl_pool_alloc(struct spl_net *sn, const char *name, u8 balance)
{
	struct spl_pool *pool = kzalloc(sizeof(*pool), GFP_KERNEL);

	if (!pool)
		return NULL;
	RCU_INIT_POINTER(pool->health, spl_health_cfg_new());
	if (!rcu_access_pointer(pool->health)) {
		kfree(pool);
		return NULL;
	}
	pool->sn = sn;
	mutex_init(&pool->maglev_lock);
	strscpy(pool->name, name, sizeof(pool->name));
	pool->balance = balance;
	INIT_LIST_HEAD(&pool->servers);
	spin_lock_init(&pool->sched_lock);
	atomic_inc(&spl_objects);
	return pool;
}

/*
 * Caller: the pool is off spl_net.pools (list_del_rcu) and no service uses
 * it; spl_net.lock held. RCU readers may still walk it: freed after a grace
 * period.
 */
void spl_pool_free(struct spl_pool *pool)
{
	struct spl_server *srv, *tmp;

	/* no probe may rebuild the table once it is cleared */
	list_for_each_entry(srv, &pool->servers, node)
		spl_health_stop(srv);
	spl_maglev_clear(pool);
	list_for_each_entry_safe(srv, tmp, &pool->servers, node)
		server_unlink(srv, false);
	spl_health_cfg_free_rcu(rcu_dereference_protected(pool->health, true));
	atomic_dec(&spl_objects);
	kfree_rcu(pool, rcu);
}

struct spl_server *spl_server_alloc(const char *name,
				    const struct sockaddr_storage *addr)
{
	struct spl_server *srv = kzalloc(sizeof(*srv), GFP_KERNEL);

	if (!srv)
		return NULL;
	kref_init(&srv->ref);
	strscpy(srv->name, name, sizeof(srv->name));
	srv->id = spl_server_id(srv->name);
	srv->addr = *addr;
	srv->weight = 1;
	srv->state = SPLICER_SRV_STATE_UP;
	spl_health_init(srv);
	atomic_inc(&spl_objects);
	return srv;
}

void spl_server_link(struct spl_pool *pool, struct spl_server *srv)
{
	srv->pool = pool;
	list_add_tail_rcu(&srv->node, &pool->servers);
	pool->nservers++;
}

static void server_unlink(struct spl_server *srv, bool rebuild)
{
	spl_health_stop(srv);		/* no probe outlives the list's reference */
	WRITE_ONCE(srv->removed, true);
	list_del_rcu(&srv->node);
	srv->pool->nservers--;
	/* out of the hash table before the list's reference goes */
	if (rebuild)
		spl_pool_changed(srv->pool);
	spl_server_put(srv);
}

/* spl_net.lock held. Drops the list's reference. */
void spl_server_unlink(struct spl_server *srv)
{
	server_unlink(srv, true);
}

struct spl_server *spl_server_find(struct spl_pool *pool, const char *name)
{
	struct spl_server *srv;

	list_for_each_entry(srv, &pool->servers, node)
		if (!strcmp(srv->name, name))
			return srv;
	return NULL;
}

static void spl_server_release(struct kref *ref)
{
	struct spl_server *srv = container_of(ref, struct spl_server, ref);

	atomic_dec(&spl_objects);
	kfree_rcu(srv, rcu);
}

void spl_server_put(struct spl_server *srv)
{
	kref_put(&srv->ref, spl_server_release);
}

static bool below_maxconn(const struct spl_server *srv)
{
	u32 maxconn = READ_ONCE(srv->maxconn);

	return !maxconn || (u32)atomic_read(&srv->active) < maxconn;
}

bool spl_server_usable(const struct spl_server *srv)
{
	return !READ_ONCE(srv->removed) &&
	       READ_ONCE(srv->state) == SPLICER_SRV_STATE_UP &&
	       READ_ONCE(srv->health.state) != SPLICER_HEALTH_DOWN &&
	       below_maxconn(srv);
}

bool spl_server_usable_persist(const struct spl_server *srv)
{
	u8 state = READ_ONCE(srv->state);

	return !READ_ONCE(srv->removed) &&
	       READ_ONCE(srv->health.state) != SPLICER_HEALTH_DOWN &&
	       (state == SPLICER_SRV_STATE_UP || state == SPLICER_SRV_STATE_DRAIN) &&
	       below_maxconn(srv);
}

bool spl_server_take(struct spl_server *srv)
{
	if (!kref_get_unless_zero(&srv->ref))
		return false;
	atomic_inc(&srv->active);
	return true;
}

struct spl_server *spl_pool_server_by_id(struct spl_pool *pool, u32 id)
{
	struct spl_server *srv;

	list_for_each_entry_rcu(srv, &pool->servers, node)
		if (srv->id == id)
			return srv;
	return NULL;
}

struct spl_server *spl_pool_server_rcu(struct spl_pool *pool, const char *name)
{
	struct spl_server *srv;

	list_for_each_entry_rcu(srv, &pool->servers, node)
		if (!strcmp(srv->name, name))
			return srv;
	return NULL;
}

void spl_pool_changed(struct spl_pool *pool)
{
	spl_maglev_rebuild(pool);
}

unsigned int spl_pool_up_count(struct spl_pool *pool)
{
	struct spl_server *srv;
	unsigned int n = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(srv, &pool->servers, node)
		n += READ_ONCE(srv->state) == SPLICER_SRV_STATE_UP &&
		     READ_ONCE(srv->health.state) != SPLICER_HEALTH_DOWN;
	rcu_read_unlock();
	return n;
}
