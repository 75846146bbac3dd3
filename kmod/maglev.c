// SPDX-License-Identifier: GPL-2.0
/*
 * Maglev consistent hashing (see maglev.h).
 */
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include "maglev.h"
#include "pool.h"

/* Fixed keys: every node must derive the same permutations. */
static const siphash_key_t offset_key = {{ 0x6d61676c65762d6fULL, 0x66667365742d3031ULL }};
static const siphash_key_t skip_key = {{ 0x6d61676c65762d73ULL, 0x6b69702d2d2d3031ULL }};

void spl_maglev_perm(const char *name, u32 m, u32 *offset, u32 *skip)
{
	size_t len = strlen(name);

	*offset = siphash(name, len, &offset_key) % m;
	*skip = siphash(name, len, &skip_key) % (m - 1) + 1;
}

void spl_maglev_fill(u16 *slot, u32 m, u32 n, const u32 *offset,
		     const u32 *skip, const u32 *weight, u32 *cur, u32 *credit)
{
	u32 i, filled = 0, wmax = 0;

	for (i = 0; i < m; i++)
		slot[i] = SPL_MAGLEV_EMPTY;
	if (!n)
		return;
	for (i = 0; i < n; i++) {
		cur[i] = offset[i];
		credit[i] = 0;
		wmax = max(wmax, weight[i]);
	}
	/*
	 * Rounds: a server claims a slot each time its credit reaches the
	 * heaviest weight, so over the fill it claims in proportion to its
	 * weight. The heaviest claims every round: the loop ends.
	 */
	for (;;) {
		for (i = 0; i < n; i++) {
			credit[i] += weight[i];
			if (credit[i] < wmax)
				continue;
			credit[i] -= wmax;
			while (slot[cur[i]] != SPL_MAGLEV_EMPTY)
				cur[i] = (cur[i] + skip[i]) % m;
			slot[cur[i]] = i;
			cur[i] = (cur[i] + skip[i]) % m;
			if (++filled == m)
				return;
		}
	}
}

static void maglev_free(struct spl_maglev *t)
{
	if (!t)
		return;
	kfree(t->srv);
	kvfree(t);
}

static void maglev_free_rcu(struct rcu_head *head)
{
	maglev_free(container_of(head, struct spl_maglev, rcu));
}

/* pool->maglev_lock held. */
static void maglev_replace(struct spl_pool *pool, struct spl_maglev *t)
{
	struct spl_maglev *old;

	old = rcu_replace_pointer(pool->maglev, t, lockdep_is_held(&pool->maglev_lock));
	if (old)
		call_rcu(&old->rcu, maglev_free_rcu);
}

void spl_maglev_clear(struct spl_pool *pool)
{
	mutex_lock(&pool->maglev_lock);
	maglev_replace(pool, NULL);
	mutex_unlock(&pool->maglev_lock);
}

/* Fill order by name: nodes that added servers in another order agree. */
static int by_name(const void *a, const void *b)
{
	const struct spl_server *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static bool hashed(const struct spl_server *srv)
{
	return READ_ONCE(srv->state) == SPLICER_SRV_STATE_UP &&
	       READ_ONCE(srv->health.state) != SPLICER_HEALTH_DOWN &&
	       !READ_ONCE(srv->removed);
}

/*
 * Rebuilds serialise on maglev_lock and read the list under RCU: a server
 * unlinked before a rebuild takes the lock is in no table it publishes.
 */
void spl_maglev_rebuild(struct spl_pool *pool)
{
	struct spl_maglev *t = NULL;
	struct spl_server *srv;
	u32 *scratch = NULL, n = 0, i = 0, cap;

	mutex_lock(&pool->maglev_lock);
	rcu_read_lock();
	list_for_each_entry_rcu(srv, &pool->servers, node)
		n += hashed(srv);
	rcu_read_unlock();
	if (!n || n > SPL_MAGLEV_SERVERS_MAX)
		goto out;
	cap = n;
	t = kvmalloc(sizeof(*t), GFP_KERNEL);
	scratch = kmalloc_array(5 * n, sizeof(u32), GFP_KERNEL);
	if (t)
		t->srv = kmalloc_array(n, sizeof(*t->srv), GFP_KERNEL);
	if (!t || !scratch || !t->srv) {
		/* no table at all beats a stale one: hashing falls back */
		maglev_free(t);
		t = NULL;
		goto out;
	}
	rcu_read_lock();
	list_for_each_entry_rcu(srv, &pool->servers, node) {
		if (!hashed(srv))
			continue;
		if (i == cap)
			break;		/* added since: its own rebuild follows */
		t->srv[i++] = srv;
	}
	rcu_read_unlock();
	n = i;
	sort(t->srv, n, sizeof(*t->srv), by_name, NULL);
	for (i = 0; i < n; i++) {
		spl_maglev_perm(t->srv[i]->name, SPL_MAGLEV_SIZE, &scratch[i],
				&scratch[cap + i]);
		scratch[2 * cap + i] = max_t(u32, READ_ONCE(t->srv[i]->weight), 1);
	}
	t->n = n;
	if (n)
		spl_maglev_fill(t->slot, SPL_MAGLEV_SIZE, n, scratch, scratch + cap,
				scratch + 2 * cap, scratch + 3 * cap, scratch + 4 * cap);
	else
		memset(t->slot, 0xff, sizeof(t->slot));
out:
	kfree(scratch);
	maglev_replace(pool, t);
	mutex_unlock(&pool->maglev_lock);
}

struct spl_server *spl_maglev_lookup(struct spl_pool *pool, u64 hash)
{
	struct spl_maglev *t = rcu_dereference(pool->maglev);
	u16 i;

	if (!t)
		return NULL;
	i = t->slot[hash % SPL_MAGLEV_SIZE];
	return i < t->n ? t->srv[i] : NULL;
}
