/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stick tables: which server a client (a session id, a client prefix)
 * persists on. One per service, bounded in size: the least recently used
 * entry goes first when it is full (counted in SPLICER_CNT_STICK_EVICTIONS),
 * and an entry unused for the table's timeout is gone.
 *
 * Entries name their server by id and name, not by pointer: a server
 * deleted and re-added under the same name gets its clients back, one
 * deleted for good leaves entries that redispatch and are then replaced.
 *
 * Locking: t->lock (a spinlock, process context only: connection work,
 * netlink, procfs) guards everything. Expired entries are reaped when they
 * are met and from the cold end of the LRU on every store.
 */
#ifndef _SPL_STICK_H
#define _SPL_STICK_H

#include <linux/list.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include "uapi/linux/splicer.h"

#define SPL_STICK_SIZE_DEFAULT		65536
#define SPL_STICK_SIZE_MAX		(1U << 22)
#define SPL_STICK_TIMEOUT_DEFAULT	3600	/* s */

struct spl_stick_key {
	u8 kind;		/* enum splicer_stick_kind */
	u8 family;		/* SOURCE: AF_INET or AF_INET6 */
	u8 prefix;		/* SOURCE: bits kept */
	u8 len;			/* bytes of data */
	u8 data[SPLICER_STICK_KEY_MAX];
};

struct spl_stick_val {
	u32 srv_id;
	char srv[SPLICER_NAME_MAX];
};

struct spl_stick {
	spinlock_t lock;
	struct hlist_head *buckets;	/* NULL until configured */
	u32 nbuckets;			/* a power of two */
	u32 count;
	u32 size;			/* bound on count */
	u32 timeout;			/* s */
	struct list_head lru;		/* most recently used first */
	siphash_key_t hkey;
};

struct spl_stick *spl_stick_alloc(void);
void spl_stick_free(struct spl_stick *t);

/*
 * Set the bound and timeout; allocates the buckets the first time and
 * when the bound grows well past them. Entries over a smaller bound are
 * evicted. Return: evictions, or -ENOMEM (the old configuration stays).
 */
int spl_stick_config(struct spl_stick *t, u32 size, u32 timeout, u64 now);

/* Drop every entry. */
void spl_stick_flush(struct spl_stick *t);

/*
 * Look @key up at time @now (s, monotonic); a hit refreshes the entry.
 * Return: true and *@val on a live entry.
 */
bool spl_stick_lookup(struct spl_stick *t, const struct spl_stick_key *key,
		      u64 now, struct spl_stick_val *val);

/*
 * Insert or update @key -> @val, last used @idle seconds before @now.
 * Return: entries evicted to make room (0 or 1), or -ENOMEM, or -ENOENT
 * when the table has no buckets (not configured).
 */
int spl_stick_store(struct spl_stick *t, const struct spl_stick_key *key,
		    const struct spl_stick_val *val, u64 now, u32 idle);

/* Live entries now (expired ones not yet reaped are not counted). */
u32 spl_stick_count(struct spl_stick *t, u64 now);

/*
 * Walk the live entries, most recent first, skipping the first @skip;
 * @fn (called under t->lock: it must not sleep) returns nonzero to stop.
 * Return: entries @fn took (returned 0 for), before it stopped.
 */
u32 spl_stick_walk(struct spl_stick *t, u64 now, u32 skip,
		   int (*fn)(void *arg, const struct spl_stick_key *key,
			     const struct spl_stick_val *val, u32 idle),
		   void *arg);

/* Monotonic seconds, as the tables count them. */
u64 spl_stick_now(void);

#endif /* _SPL_STICK_H */
