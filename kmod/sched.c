// SPDX-License-Identifier: GPL-2.0
/*
 * Schedulers: smooth weighted round-robin and least-connections.
 *
 * Smooth WRR (as in nginx): every pick adds each candidate's weight to its
 * current value, takes the largest, and subtracts the total from the winner.
 * Over any window of sum(weights) picks each server gets exactly its weight,
 * interleaved rather than in bursts.
 */
#include "sched.h"

static bool skipped(const struct spl_server *srv,
		    struct spl_server *const *skip, unsigned int nskip)
{
	unsigned int i;

	for (i = 0; i < nskip; i++)
		if (skip[i] == srv)
			return true;
	return false;
}

static struct spl_server *pick_swrr(struct spl_pool *pool,
				    struct spl_server *const *skip,
				    unsigned int nskip)
{
	struct spl_server *srv, *best = NULL;
	int total = 0;

	list_for_each_entry_rcu(srv, &pool->servers, node) {
		int w;

		if (!spl_server_usable(srv) || skipped(srv, skip, nskip))
			continue;
		w = READ_ONCE(srv->weight);
		srv->cur += w;
		total += w;
		if (!best || srv->cur > best->cur)
			best = srv;
	}
	if (best)
		best->cur -= total;
	return best;
}

/* Fewest active connections per unit of weight; ties go to the first. */
static struct spl_server *pick_leastconn(struct spl_pool *pool,
					 struct spl_server *const *skip,
					 unsigned int nskip)
{
	struct spl_server *srv, *best = NULL;
	u64 best_load = 0;

	list_for_each_entry_rcu(srv, &pool->servers, node) {
		u64 load;

		if (!spl_server_usable(srv) || skipped(srv, skip, nskip))
			continue;
		/* compare active/weight without division */
		load = (u64)atomic_read(&srv->active) * SPL_WEIGHT_MAX /
		       READ_ONCE(srv->weight);
		if (!best || load < best_load) {
			best = srv;
			best_load = load;
		}
	}
	return best;
}

struct spl_server *spl_sched_pick(struct spl_pool *pool,
				  struct spl_server *const *skip,
				  unsigned int nskip)
{
	struct spl_server *srv;

	spin_lock_bh(&pool->sched_lock);
	if (READ_ONCE(pool->balance) == SPLICER_BALANCE_LEASTCONN)
		srv = pick_leastconn(pool, skip, nskip);
	else
		srv = pick_swrr(pool, skip, nskip);
	if (srv && !kref_get_unless_zero(&srv->ref))
		srv = NULL;
	if (srv)
		atomic_inc(&srv->active);
	spin_unlock_bh(&pool->sched_lock);
	return srv;
}
