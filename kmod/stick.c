// SPDX-License-Identifier: GPL-2.0
/*
 * Stick tables (see stick.h).
 */
#include <linux/log2.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include "netns.h"
#include "stick.h"

#define SPL_STICK_REAP		8	/* expired entries reaped per store */

struct spl_stick_entry {
	struct hlist_node hnode;
	struct list_head lru;
	u64 last;			/* s, monotonic: last use */
	u32 hash;
	struct spl_stick_val val;
	struct spl_stick_key key;	/* data trimmed to key.len */
};

u64 spl_stick_now(void)
{
	return ktime_get_boottime_seconds();
}

struct spl_stick *spl_stick_alloc(void)
{
	struct spl_stick *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	spin_lock_init(&t->lock);
	INIT_LIST_HEAD(&t->lru);
	t->size = SPL_STICK_SIZE_DEFAULT;
	t->timeout = SPL_STICK_TIMEOUT_DEFAULT;
	get_random_bytes(&t->hkey, sizeof(t->hkey));
	atomic_inc(&spl_objects);
	return t;
}

static size_t key_size(const struct spl_stick_key *key)
{
	return offsetof(struct spl_stick_key, data) + key->len;
}

static u32 key_hash(const struct spl_stick *t, const struct spl_stick_key *key)
{
	return (u32)siphash(key, key_size(key), &t->hkey);
}

static bool key_equal(const struct spl_stick_key *a, const struct spl_stick_key *b)
{
	return a->kind == b->kind && a->family == b->family &&
	       a->prefix == b->prefix && a->len == b->len &&
	       !memcmp(a->data, b->data, a->len);
}

static void entry_del(struct spl_stick *t, struct spl_stick_entry *e)
{
	hlist_del(&e->hnode);
	list_del(&e->lru);
	t->count--;
	kfree(e);
}

static bool expired(const struct spl_stick *t, const struct spl_stick_entry *e,
		    u64 now)
{
	return now >= e->last && now - e->last >= t->timeout;
}

/* Reap up to @max expired entries from the cold end; t->lock held. */
static void reap(struct spl_stick *t, u64 now, unsigned int max)
{
	struct spl_stick_entry *e;

	while (max-- && !list_empty(&t->lru)) {
		e = list_last_entry(&t->lru, struct spl_stick_entry, lru);
		if (!expired(t, e, now))
			break;
		entry_del(t, e);
	}
}

/* Evict from the cold end down to @bound entries; t->lock held. */
static int evict_to(struct spl_stick *t, u32 bound)
{
	int n = 0;

	while (t->count > bound) {
		entry_del(t, list_last_entry(&t->lru, struct spl_stick_entry, lru));
		n++;
	}
	return n;
}

void spl_stick_flush(struct spl_stick *t)
{
	spin_lock(&t->lock);
	evict_to(t, 0);
	spin_unlock(&t->lock);
}

void spl_stick_free(struct spl_stick *t)
{
	if (!t)
		return;
	spl_stick_flush(t);
	kvfree(t->buckets);
	kfree(t);
	atomic_dec(&spl_objects);
}

static u32 buckets_for(u32 size)
{
	return roundup_pow_of_two(clamp_t(u32, size / 2, 64, 1U << 20));
}

int spl_stick_config(struct spl_stick *t, u32 size, u32 timeout, u64 now)
{
	struct hlist_head *nb = NULL, *ob = NULL;
	struct spl_stick_entry *e;
	u32 n = buckets_for(size), i;
	int evicted;

	/* new buckets when there are none, or the bound outgrew them by 4x */
	if (!t->buckets || n > 4 * t->nbuckets) {
		nb = kvcalloc(n, sizeof(*nb), GFP_KERNEL);
		if (!nb)
			return -ENOMEM;
		for (i = 0; i < n; i++)
			INIT_HLIST_HEAD(&nb[i]);
	}
	spin_lock(&t->lock);
	t->size = size;
	t->timeout = timeout;
	reap(t, now, UINT_MAX);
	evicted = evict_to(t, size);
	if (nb) {
		ob = t->buckets;
		list_for_each_entry(e, &t->lru, lru) {
			hlist_del(&e->hnode);
			hlist_add_head(&e->hnode, &nb[e->hash & (n - 1)]);
		}
		t->buckets = nb;
		t->nbuckets = n;
	}
	spin_unlock(&t->lock);
	kvfree(ob);
	return evicted;
}

/* t->lock held, buckets present. */
static struct spl_stick_entry *find(struct spl_stick *t,
				    const struct spl_stick_key *key, u32 hash)
{
	struct spl_stick_entry *e;

	hlist_for_each_entry(e, &t->buckets[hash & (t->nbuckets - 1)], hnode)
		if (e->hash == hash && key_equal(&e->key, key))
			return e;
	return NULL;
}

bool spl_stick_lookup(struct spl_stick *t, const struct spl_stick_key *key,
		      u64 now, struct spl_stick_val *val)
{
	u32 hash = key_hash(t, key);
	struct spl_stick_entry *e;
	bool hit = false;

	spin_lock(&t->lock);
	if (!t->buckets)
		goto out;
	e = find(t, key, hash);
	if (e && expired(t, e, now)) {
		entry_del(t, e);
		e = NULL;
	}
	if (e) {
		e->last = now;
		list_move(&e->lru, &t->lru);
		*val = e->val;
		hit = true;
	}
out:
	spin_unlock(&t->lock);
	return hit;
}

/*
 * Put @e where an entry last used at @e->last belongs in the LRU order,
 * searching from the end it is nearer: a store is usually the newest, an
 * import in export order (newest first) the oldest.
 */
static void lru_place(struct spl_stick *t, struct spl_stick_entry *e)
{
	struct spl_stick_entry *pos;

	if (list_empty(&t->lru) ||
	    list_first_entry(&t->lru, struct spl_stick_entry, lru)->last <= e->last) {
		list_add(&e->lru, &t->lru);
		return;
	}
	list_for_each_entry_reverse(pos, &t->lru, lru) {
		if (pos->last >= e->last) {
			list_add(&e->lru, &pos->lru);
			return;
		}
	}
	list_add(&e->lru, &t->lru);	/* not reached: the head is newer */
}

int spl_stick_store(struct spl_stick *t, const struct spl_stick_key *key,
		    const struct spl_stick_val *val, u64 now, u32 idle)
{
	u32 hash = key_hash(t, key);
	struct spl_stick_entry *e, *n;
	int evicted = 0;

	n = kmalloc(offsetof(struct spl_stick_entry, key) + key_size(key),
		    GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	spin_lock(&t->lock);
	if (!t->buckets) {
		spin_unlock(&t->lock);
		kfree(n);
		return -ENOENT;
	}
	reap(t, now, SPL_STICK_REAP);
	e = find(t, key, hash);
	if (e) {
		/* update in place; the spare goes */
		list_del(&e->lru);
		e->val = *val;
		e->last = now - min_t(u64, idle, now);
		lru_place(t, e);
		spin_unlock(&t->lock);
		kfree(n);
		return 0;
	}
	if (t->count >= t->size)
		evicted = evict_to(t, t->size - 1);
	n->hash = hash;
	n->val = *val;
	n->last = now - min_t(u64, idle, now);
	memcpy(&n->key, key, key_size(key));
	hlist_add_head(&n->hnode, &t->buckets[hash & (t->nbuckets - 1)]);
	lru_place(t, n);
	t->count++;
	spin_unlock(&t->lock);
	return evicted;
}

u32 spl_stick_count(struct spl_stick *t, u64 now)
{
	u32 n;

	spin_lock(&t->lock);
	reap(t, now, UINT_MAX);
	n = t->count;
	spin_unlock(&t->lock);
	return n;
}

u32 spl_stick_walk(struct spl_stick *t, u64 now, u32 skip,
		   int (*fn)(void *arg, const struct spl_stick_key *key,
			     const struct spl_stick_val *val, u32 idle),
		   void *arg)
{
	struct spl_stick_entry *e;
	u32 i = 0, took = 0;

	spin_lock(&t->lock);
	reap(t, now, UINT_MAX);
	list_for_each_entry(e, &t->lru, lru) {
		if (i++ < skip)
			continue;
		if (fn(arg, &e->key, &e->val,
		       (u32)min_t(u64, now - min(now, e->last), U32_MAX)))
			break;
		took++;
	}
	spin_unlock(&t->lock);
	return took;
}
