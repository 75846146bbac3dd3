/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Server selection within a pool.
 */
#ifndef _SPL_SCHED_H
#define _SPL_SCHED_H

#include "pool.h"

/*
 * spl_sched_pick - choose a server of @pool for a new connection.
 * @pool: the pool; caller holds rcu_read_lock()
 * @skip: servers already tried for this connection (may hold NULLs)
 * @nskip: entries in @skip
 *
 * Only servers that are up, below maxconn and not in @skip compete.
 * Return: a server with a reference taken for the caller, or NULL.
 */
struct spl_server *spl_sched_pick(struct spl_pool *pool,
				  struct spl_server *const *skip,
				  unsigned int nskip);

#endif /* _SPL_SCHED_H */
