/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Maglev consistent hashing (Eisenbud et al., NSDI 2016) for a pool.
 *
 * Each server in state up has a permutation of the table's slots, derived
 * from its name (so every node builds the same table); servers take turns
 * claiming their next free slot, a server of weight w claiming w slots for
 * every wmax the heaviest claims, until the table is full. A key hashes to
 * a slot. When a server leaves, the slots it held go to others
 * and few others move.
 *
 * Lifetime: pool->maglev is rebuilt under pool->maglev_lock whenever the
 * pool's servers, their states, health or weights change, and read under
 * RCU. It holds no references: a server is unlinked, then a rebuild
 * without it is published, then the list's reference goes; RCU keeps it
 * alive for readers of the old table.
 */
#ifndef _SPL_MAGLEV_H
#define _SPL_MAGLEV_H

#include <linux/rcupdate.h>
#include <linux/types.h>

#define SPL_MAGLEV_SIZE		65537	/* prime */
#define SPL_MAGLEV_EMPTY	0xffff
#define SPL_MAGLEV_SERVERS_MAX	4096	/* more up servers than this: not hashed */

struct spl_pool;
struct spl_server;

struct spl_maglev {
	struct rcu_head rcu;
	u32 n;				/* servers */
	struct spl_server **srv;	/* [n] */
	u16 slot[SPL_MAGLEV_SIZE];	/* index into srv */
};

/*
 * spl_maglev_fill - the pure core: fill @slot[@m] from @n permutations.
 * @offset, @skip: each server's permutation (skip in 1..m-1, m prime)
 * @weight: each server's weight, >= 1
 * @cur, @credit: scratch, n entries each
 */
void spl_maglev_fill(u16 *slot, u32 m, u32 n, const u32 *offset,
		     const u32 *skip, const u32 *weight, u32 *cur, u32 *credit);

/* The permutation of a server named @name in a table of @m slots. */
void spl_maglev_perm(const char *name, u32 m, u32 *offset, u32 *skip);

/* Rebuild @pool's table from its servers; may sleep. */
void spl_maglev_rebuild(struct spl_pool *pool);

/* Drop @pool's table; may sleep. */
void spl_maglev_clear(struct spl_pool *pool);

/* The server @hash maps to, or NULL; rcu_read_lock() held. */
struct spl_server *spl_maglev_lookup(struct spl_pool *pool, u64 hash);

#endif /* _SPL_MAGLEV_H */
