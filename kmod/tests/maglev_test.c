// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: Maglev consistent hashing (kmod/maglev.c). The pure core
 * (spl_maglev_perm, spl_maglev_fill) on the real table size: every slot
 * filled, shares within 5% of the weights, and removing one of N servers
 * moves little more than its own slots. Then spl_maglev_rebuild and
 * spl_maglev_lookup over a real pool.
 *
 * The pool functions (spl_pool_alloc, spl_server_alloc, ...) and spl_objects
 * are not included here: sched_test.c includes ../pool.c and defines
 * spl_objects, and this file links against those copies.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "../maglev.c"

#define M		SPL_MAGLEV_SIZE
#define MG_MAX		64		/* servers at most in these tests */

struct mg_fix {
	u16 *a, *b;			/* [M] each: kvmalloc, not the stack */
	u32 off[MG_MAX], skip[MG_MAX], w[MG_MAX];
	/* the subset given to one fill */
	u32 s_off[MG_MAX], s_skip[MG_MAX], s_w[MG_MAX];
	u32 cur[MG_MAX], credit[MG_MAX];
	u32 count[MG_MAX];
	struct spl_pool *pool;		/* spl_maglev_rebuild_lookup */
};

static const u32 mg_sizes[] = { 3, 5, 10, 37 };

static void mg_size_desc(const u32 *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "N=%u", *n);
}

KUNIT_ARRAY_PARAM(mg_n, mg_sizes, mg_size_desc);

static int mg_init(struct kunit *test)
{
	struct mg_fix *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->a = kvmalloc_array(M, sizeof(u16), GFP_KERNEL);
	f->b = kvmalloc_array(M, sizeof(u16), GFP_KERNEL);
	test->priv = f;
	if (!f->a || !f->b)
		return -ENOMEM;
	return 0;
}

static void mg_exit(struct kunit *test)
{
	struct mg_fix *f = test->priv;

	if (!f)
		return;
	if (f->pool) {
		spl_pool_free(f->pool);	/* clears the table too */
		rcu_barrier();
	}
	kvfree(f->a);
	kvfree(f->b);
}

/* Servers "srv-0".."srv-<n-1>": their permutations, weights from @w or 1. */
static void mg_servers(struct mg_fix *f, u32 n, const u32 *w)
{
	char name[16];
	u32 i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "srv-%u", i);
		spl_maglev_perm(name, M, &f->off[i], &f->skip[i]);
		f->w[i] = w ? w[i] : 1;
	}
}

/*
 * Fill @slot from servers 0..n-1 but @gone (-1: none), in order. Slots hold
 * the servers' numbers in 0..n-1, not their index in the subset.
 */
static void mg_fill(struct mg_fix *f, u16 *slot, u32 n, int gone)
{
	u32 i, k = 0;

	for (i = 0; i < n; i++) {
		if ((int)i == gone)
			continue;
		f->s_off[k] = f->off[i];
		f->s_skip[k] = f->skip[i];
		f->s_w[k] = f->w[i];
		k++;
	}
	spl_maglev_fill(slot, M, k, f->s_off, f->s_skip, f->s_w, f->cur, f->credit);
	if (gone < 0)
		return;
	for (i = 0; i < M; i++)
		if (slot[i] != SPL_MAGLEV_EMPTY && slot[i] >= (u32)gone)
			slot[i]++;
}

/* Count each server's slots; false (and a failure) on a bad slot. */
static bool mg_count(struct kunit *test, struct mg_fix *f, const u16 *slot,
		     u32 n)
{
	u32 i;

	memset(f->count, 0, sizeof(f->count));
	for (i = 0; i < M; i++) {
		if (slot[i] >= n) {
			KUNIT_FAIL(test, "slot %u: %u (of %u servers)", i, slot[i], n);
			return false;
		}
		f->count[slot[i]]++;
	}
	return true;
}

/* The example of the Maglev paper (Eisenbud et al., table 1): M = 7. */
static void spl_maglev_paper_example(struct kunit *test)
{
	static const u32 off[] = { 3, 0, 3 }, skip[] = { 4, 2, 1 }, w[] = { 1, 1, 1 };
	static const u16 before[] = { 1, 0, 1, 0, 2, 2, 0 };
	static const u16 after[] = { 0, 0, 0, 0, 1, 1, 1 };	/* B1 gone */
	static const u32 off2[] = { 3, 3 }, skip2[] = { 4, 1 };
	u32 cur[3], credit[3];
	u16 slot[7];
	int i;

	spl_maglev_fill(slot, 7, 3, off, skip, w, cur, credit);
	for (i = 0; i < 7; i++)
		KUNIT_EXPECT_EQ_MSG(test, slot[i], before[i], "slot %d", i);
	spl_maglev_fill(slot, 7, 2, off2, skip2, w, cur, credit);
	for (i = 0; i < 7; i++)
		KUNIT_EXPECT_EQ_MSG(test, slot[i], after[i], "slot %d", i);
}

static void spl_maglev_perm_range(struct kunit *test)
{
	u32 off, skip, off2, skip2, i, same = 0, prev_off = 0, prev_skip = 0;
	char name[16];

	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "server%u", i);
		spl_maglev_perm(name, M, &off, &skip);
		KUNIT_EXPECT_LT(test, off, (u32)M);
		KUNIT_EXPECT_GE(test, skip, 1U);
		KUNIT_EXPECT_LT(test, skip, (u32)M);
		spl_maglev_perm(name, M, &off2, &skip2);
		KUNIT_EXPECT_EQ(test, off, off2);
		KUNIT_EXPECT_EQ(test, skip, skip2);
		same += i && off == prev_off && skip == prev_skip;
		prev_off = off;
		prev_skip = skip;
		/* a small table too */
		spl_maglev_perm(name, 7, &off, &skip);
		KUNIT_EXPECT_LT(test, off, 7U);
		KUNIT_EXPECT_GE(test, skip, 1U);
		KUNIT_EXPECT_LT(test, skip, 7U);
	}
	KUNIT_EXPECT_EQ(test, same, 0U);
	/* pinned: every node and build must derive these */
	spl_maglev_perm("srv-0", M, &off, &skip);
	KUNIT_EXPECT_EQ(test, off, 46043U);
	KUNIT_EXPECT_EQ(test, skip, 57660U);
	spl_maglev_perm("srv-1", M, &off, &skip);
	KUNIT_EXPECT_EQ(test, off, 63363U);
	KUNIT_EXPECT_EQ(test, skip, 45437U);
}

static void spl_maglev_zero_and_one(struct kunit *test)
{
	struct mg_fix *f = test->priv;
	u32 i, bad = 0;

	mg_servers(f, 1, NULL);
	spl_maglev_fill(f->a, M, 0, f->off, f->skip, f->w, f->cur, f->credit);
	for (i = 0; i < M; i++)
		bad += f->a[i] != SPL_MAGLEV_EMPTY;
	KUNIT_EXPECT_EQ(test, bad, 0U);
	mg_fill(f, f->a, 1, -1);
	for (i = 0; i < M; i++)
		bad += f->a[i] != 0;
	KUNIT_EXPECT_EQ(test, bad, 0U);
}

/* Equal weights: every slot filled, each share within 5% of 1/N. */
static void spl_maglev_equal_spread(struct kunit *test)
{
	struct mg_fix *f = test->priv;
	u32 n = *(const u32 *)test->param_value, i, lo = M, hi = 0;

	mg_servers(f, n, NULL);
	mg_fill(f, f->a, n, -1);
	KUNIT_ASSERT_TRUE(test, mg_count(test, f, f->a, n));
	for (i = 0; i < n; i++) {
		/* |count / M - 1 / n| <= 5% of 1 / n */
		u64 dev = abs((s64)f->count[i] * n - M);

		KUNIT_EXPECT_LE_MSG(test, dev * 20, (u64)M, "srv-%u: %u of %u slots",
				    i, f->count[i], M);
		lo = min(lo, f->count[i]);
		hi = max(hi, f->count[i]);
	}
	/* in fact: one slot each per round, so they differ by one at most */
	KUNIT_EXPECT_LE(test, hi - lo, 1U);
}

static void expect_weighted_spread(struct kunit *test, struct mg_fix *f,
				   u32 n, const u32 *w)
{
	u32 i, sum = 0;

	mg_servers(f, n, w);
	mg_fill(f, f->a, n, -1);
	KUNIT_ASSERT_TRUE(test, mg_count(test, f, f->a, n));
	for (i = 0; i < n; i++)
		sum += w[i];
	for (i = 0; i < n; i++) {
		/* |count / M - w / sum| <= 5% of w / sum */
		u64 dev = abs((s64)f->count[i] * sum - (s64)M * w[i]);

		KUNIT_EXPECT_LE_MSG(test, dev * 20, (u64)M * w[i],
				    "srv-%u weight %u of %u: %u of %u slots",
				    i, w[i], sum, f->count[i], M);
	}
}

static void spl_maglev_weighted_1234(struct kunit *test)
{
	static const u32 w[] = { 1, 2, 3, 4 };

	expect_weighted_spread(test, test->priv, ARRAY_SIZE(w), w);
}

/* Weights 1, 2, 3, 4, 1, 2, ... over N servers. */
static void mg_cyclic(u32 *w, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		w[i] = i % 4 + 1;
}

static void spl_maglev_weighted_spread(struct kunit *test)
{
	u32 n = *(const u32 *)test->param_value, w[MG_MAX];

	mg_cyclic(w, n);
	expect_weighted_spread(test, test->priv, n, w);
}

/*
 * Remove each server in turn from the full table (the others keep their
 * names, so their permutations): the slots that change owner are at most
 * the removed server's share + 2% of the table, and of the slots the
 * others held, under 2% move.
 */
static void expect_removal(struct kunit *test, struct mg_fix *f, u32 n,
			   const u32 *w)
{
	u32 i, gone, sum = 0;

	mg_servers(f, n, w);
	for (i = 0; i < n; i++)
		sum += f->w[i];
	mg_fill(f, f->a, n, -1);
	KUNIT_ASSERT_TRUE(test, mg_count(test, f, f->a, n));
	for (gone = 0; gone < n; gone++) {
		u32 changed = 0, moved = 0, others = 0;

		mg_fill(f, f->b, n, gone);
		for (i = 0; i < M; i++) {
			if (f->b[i] == SPL_MAGLEV_EMPTY || f->b[i] == gone) {
				KUNIT_FAIL(test, "without srv-%u: slot %u is %u",
					   gone, i, f->b[i]);
				return;
			}
			changed += f->a[i] != f->b[i];
			if (f->a[i] != gone) {
				others++;
				moved += f->a[i] != f->b[i];
			}
		}
		/* changed / M <= w / sum + 1 / 50 */
		KUNIT_EXPECT_LE_MSG(test, (u64)changed * sum * 50,
				    (u64)M * (50 * f->w[gone] + sum),
				    "without srv-%u (weight %u of %u): %u of %u slots changed",
				    gone, f->w[gone], sum, changed, M);
		/* moved / others < 1 / 50 */
		KUNIT_EXPECT_LT_MSG(test, (u64)moved * 50, (u64)others,
				    "without srv-%u: %u of the others' %u slots moved",
				    gone, moved, others);
	}
}

static void spl_maglev_remove_one(struct kunit *test)
{
	expect_removal(test, test->priv, *(const u32 *)test->param_value, NULL);
}

static void spl_maglev_remove_one_weighted(struct kunit *test)
{
	u32 n = *(const u32 *)test->param_value, w[MG_MAX];

	mg_cyclic(w, n);
	expect_removal(test, test->priv, n, w);
}

static void spl_maglev_deterministic(struct kunit *test)
{
	struct mg_fix *f = test->priv;
	u32 w[MG_MAX];

	mg_cyclic(w, 37);
	mg_servers(f, 37, w);
	mg_fill(f, f->a, 37, -1);
	memset(f->b, 0x5a, M * sizeof(u16));
	memset(f->cur, 0x5a, sizeof(f->cur));	/* scratch: any content */
	memset(f->credit, 0x5a, sizeof(f->credit));
	mg_fill(f, f->b, 37, -1);
	KUNIT_EXPECT_EQ(test, memcmp(f->a, f->b, M * sizeof(u16)), 0);
}

/* spl_maglev_rebuild and spl_maglev_lookup over a real pool (pool.c). */
static struct spl_server *mg_add(struct kunit *test, struct spl_pool *pool,
				 const char *name, u32 weight, u8 state)
{
	struct sockaddr_storage ss = {};
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct spl_server *srv;

	sin->sin_family = AF_INET;
	sin->sin_port = htons(8080);
	srv = spl_server_alloc(name, &ss);
	KUNIT_ASSERT_NOT_NULL(test, srv);
	srv->weight = weight;
	srv->state = state;
	spl_server_link(pool, srv);
	return srv;
}

static struct spl_maglev *mg_table(struct spl_pool *pool)
{
	return rcu_dereference_protected(pool->maglev, 1);
}

static struct spl_server *mg_lookup(struct spl_pool *pool, u64 hash)
{
	struct spl_server *srv;

	rcu_read_lock();
	srv = spl_maglev_lookup(pool, hash);
	rcu_read_unlock();
	return srv;
}

static void spl_maglev_rebuild_lookup(struct kunit *test)
{
	struct mg_fix *f = test->priv;
	static const u32 w[] = { 1, 2, 3, 4 };
	struct spl_server *srv[4], *s;
	struct spl_maglev *t;
	struct spl_pool *pool;
	u32 i, bad, hits[4] = {};

	pool = spl_pool_alloc(NULL, "app", SPLICER_BALANCE_ROUNDROBIN);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	f->pool = pool;		/* mg_exit frees it */
	KUNIT_EXPECT_NULL(test, mg_lookup(pool, 1));
	for (i = 0; i < 4; i++) {
		char name[16];

		snprintf(name, sizeof(name), "srv-%u", i);
		srv[i] = mg_add(test, pool, name, w[i], SPLICER_SRV_STATE_UP);
	}
	srv[1]->state = SPLICER_SRV_STATE_DRAIN;	/* not hashed to */
	spl_maglev_rebuild(pool);
	t = mg_table(pool);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, t->n, 3U);
	KUNIT_EXPECT_PTR_EQ(test, t->srv[0], srv[0]);
	KUNIT_EXPECT_PTR_EQ(test, t->srv[1], srv[2]);
	KUNIT_EXPECT_PTR_EQ(test, t->srv[2], srv[3]);
	/* the very table the pure core builds from the up servers' names */
	mg_servers(f, 4, w);
	mg_fill(f, f->a, 4, 1);
	for (i = 0, bad = 0; i < M; i++)
		bad += t->slot[i] >= t->n || t->srv[t->slot[i]] != srv[f->a[i]];
	KUNIT_EXPECT_EQ(test, bad, 0U);
	/* a hash maps to its slot's server */
	for (i = 0, bad = 0; i < 4 * M; i += 3) {
		s = mg_lookup(pool, (u64)i << 32 | i);
		if (!s || s != t->srv[t->slot[((u64)i << 32 | i) % M]]) {
			bad++;
			continue;
		}
		hits[s == srv[0] ? 0 : s == srv[1] ? 1 : s == srv[2] ? 2 : 3]++;
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_EQ(test, hits[1], 0U);
	KUNIT_EXPECT_GT(test, hits[0], 0U);
	KUNIT_EXPECT_GT(test, hits[2], hits[0]);
	KUNIT_EXPECT_GT(test, hits[3], hits[2]);

	/* a weight 0 counts as 1 */
	srv[1]->state = SPLICER_SRV_STATE_UP;
	srv[1]->weight = 0;
	spl_maglev_rebuild(pool);
	t = mg_table(pool);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, t->n, 4U);
	f->w[1] = 1;
	mg_fill(f, f->a, 4, -1);
	for (i = 0, bad = 0; i < M; i++)
		bad += t->slot[i] >= t->n || t->srv[t->slot[i]] != srv[f->a[i]];
	KUNIT_EXPECT_EQ(test, bad, 0U);

	/* unlinking a server rebuilds: it is gone from the table */
	spl_server_unlink(srv[3]);
	t = mg_table(pool);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, t->n, 3U);
	for (i = 0, bad = 0; i < M; i++)
		bad += t->slot[i] >= t->n;
	KUNIT_EXPECT_EQ(test, bad, 0U);

	/* no server up: no table, lookups find none */
	for (i = 0; i < 3; i++)
		srv[i]->state = SPLICER_SRV_STATE_MAINT;
	spl_maglev_rebuild(pool);
	KUNIT_EXPECT_NULL(test, mg_table(pool));
	KUNIT_EXPECT_NULL(test, mg_lookup(pool, 12345));
	srv[0]->state = SPLICER_SRV_STATE_UP;
	spl_maglev_rebuild(pool);
	KUNIT_EXPECT_PTR_EQ(test, mg_lookup(pool, 12345), srv[0]);
	spl_maglev_clear(pool);
	KUNIT_EXPECT_NULL(test, mg_lookup(pool, 12345));

	spl_maglev_rebuild(pool);	/* left for spl_pool_free to clear */
}

static struct kunit_case spl_maglev_cases[] = {
	KUNIT_CASE(spl_maglev_paper_example),
	KUNIT_CASE(spl_maglev_perm_range),
	KUNIT_CASE(spl_maglev_zero_and_one),
	KUNIT_CASE_PARAM(spl_maglev_equal_spread, mg_n_gen_params),
	KUNIT_CASE(spl_maglev_weighted_1234),
	KUNIT_CASE_PARAM(spl_maglev_weighted_spread, mg_n_gen_params),
	KUNIT_CASE_PARAM(spl_maglev_remove_one, mg_n_gen_params),
	KUNIT_CASE_PARAM(spl_maglev_remove_one_weighted, mg_n_gen_params),
	KUNIT_CASE(spl_maglev_deterministic),
	KUNIT_CASE(spl_maglev_rebuild_lookup),
	{}
};

struct kunit_suite spl_maglev_test_suite = {
	.name = "spl_maglev",
	.init = mg_init,
	.exit = mg_exit,
	.test_cases = spl_maglev_cases,
};
