// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: stick tables (kmod/stick.c): hits and misses, idle expiry and the
 * refresh a hit gives, LRU eviction at the size bound and on a smaller
 * bound, imported idle times, flush, walk order, keys that must not
 * collide. Time is passed in (seconds), never read.
 *
 * spl_objects (stick.c counts its tables there) is defined by
 * sched_test.c; each test checks the table it allocated is gone again.
 */
#include <kunit/test.h>
#include <linux/socket.h>
#include <linux/string.h>
#include "../stick.c"

struct st_fix {
	struct spl_stick *t;
	int objects;		/* spl_objects before the test */
};

static int st_init(struct kunit *test)
{
	struct st_fix *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->objects = atomic_read(&spl_objects);
	f->t = spl_stick_alloc();
	if (!f->t)
		return -ENOMEM;
	test->priv = f;
	return 0;
}

static void st_exit(struct kunit *test)
{
	struct st_fix *f = test->priv;

	if (!f)
		return;
	spl_stick_free(f->t);
	KUNIT_EXPECT_EQ(test, atomic_read(&spl_objects), f->objects);
}

static struct spl_stick_key skey(const char *id)
{
	struct spl_stick_key k = { .kind = SPLICER_STICK_SESSION };

	k.len = strlen(id);
	memcpy(k.data, id, k.len);
	return k;
}

static struct spl_stick_val sval(u32 id)
{
	struct spl_stick_val v = { .srv_id = id };

	snprintf(v.srv, sizeof(v.srv), "srv-%u", id);
	return v;
}

/* Whether @id is in the table at @now (a hit refreshes it), and on what. */
static bool has(struct spl_stick *t, const char *id, u64 now, u32 *srv_id)
{
	struct spl_stick_key k = skey(id);
	struct spl_stick_val v;

	memset(&v, 0, sizeof(v));
	if (!spl_stick_lookup(t, &k, now, &v))
		return false;
	if (srv_id)
		*srv_id = v.srv_id;
	return true;
}

static int put(struct spl_stick *t, const char *id, u32 srv, u64 now, u32 idle)
{
	struct spl_stick_key k = skey(id);
	struct spl_stick_val v = sval(srv);

	return spl_stick_store(t, &k, &v, now, idle);
}

static void spl_stick_store_lookup(struct kunit *test)
{
	struct spl_stick *t = ((struct st_fix *)test->priv)->t;
	struct spl_stick_key k = skey("session-1");
	struct spl_stick_val v = sval(7), got;

	KUNIT_ASSERT_EQ(test, spl_stick_config(t, 16, 10, 0), 0);
	KUNIT_EXPECT_FALSE(test, spl_stick_lookup(t, &k, 0, &got));
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 0), 0U);
	KUNIT_EXPECT_EQ(test, spl_stick_store(t, &k, &v, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 0), 1U);
	memset(&got, 0, sizeof(got));
	KUNIT_ASSERT_TRUE(test, spl_stick_lookup(t, &k, 1, &got));
	KUNIT_EXPECT_EQ(test, got.srv_id, 7U);
	KUNIT_EXPECT_STREQ(test, got.srv, "srv-7");
	/* others still miss */
	KUNIT_EXPECT_FALSE(test, has(t, "session-2", 1, NULL));
	KUNIT_EXPECT_FALSE(test, has(t, "session-", 1, NULL));

	/* a store of a present key updates it in place */
	v = sval(9);
	KUNIT_EXPECT_EQ(test, spl_stick_store(t, &k, &v, 2, 0), 0);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 2), 1U);
	KUNIT_ASSERT_TRUE(test, spl_stick_lookup(t, &k, 2, &got));
	KUNIT_EXPECT_EQ(test, got.srv_id, 9U);
	KUNIT_EXPECT_STREQ(test, got.srv, "srv-9");
}

static void spl_stick_unconfigured(struct kunit *test)
{
	struct spl_stick *t = ((struct st_fix *)test->priv)->t;

	KUNIT_EXPECT_EQ(test, put(t, "a", 1, 0, 0), -ENOENT);
	KUNIT_EXPECT_FALSE(test, has(t, "a", 0, NULL));
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 0), 0U);
	spl_stick_flush(t);
	/* configured, it works */
	KUNIT_ASSERT_EQ(test, spl_stick_config(t, 4, 10, 0), 0);
	KUNIT_EXPECT_EQ(test, put(t, "a", 1, 0, 0), 0);
	KUNIT_EXPECT_TRUE(test, has(t, "a", 0, NULL));
}

/* Timeout 10: stored at 0, live at 9, gone at 10. */
static void spl_stick_expiry(struct kunit *test)
{
	struct spl_stick *t = ((struct st_fix *)test->priv)->t;

	KUNIT_ASSERT_EQ(test, spl_stick_config(t, 16, 10, 0), 0);
	KUNIT_EXPECT_EQ(test, put(t, "a", 1, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, put(t, "b", 2, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, put(t, "c", 3, 0, 0), 0);
	/* count and walk do not refresh */
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 9), 3U);
	/* a lookup at 9 keeps "a" till 19 */
	KUNIT_EXPECT_TRUE(test, has(t, "a", 9, NULL));
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 9), 3U);
	/* at 10 a lookup misses and drops "b"; count reaps "c" */
	KUNIT_EXPECT_FALSE(test, has(t, "b", 10, NULL));
	KUNIT_EXPECT_EQ(test, t->count, 2U);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 10), 1U);
	KUNIT_EXPECT_EQ(test, t->count, 1U);
	KUNIT_EXPECT_FALSE(test, has(t, "c", 10, NULL));
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 18), 1U);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 19), 0U);
	KUNIT_EXPECT_FALSE(test, has(t, "a", 19, NULL));
	/* an expired key stored again is a new entry */
	KUNIT_EXPECT_EQ(test, put(t, "a", 4, 20, 0), 0);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 20), 1U);
}

/* A lookup refreshes: touched at 9, live at 18, gone at 19. */
static void spl_stick_refresh(struct kunit *test)
{
	struct spl_stick *t = ((struct st_fix *)test->priv)->t;
	u32 id = 0;

	KUNIT_ASSERT_EQ(test, spl_stick_config(t, 16, 10, 0), 0);
	KUNIT_EXPECT_EQ(test, put(t, "a", 1, 0, 0), 0);
	KUNIT_EXPECT_TRUE(test, has(t, "a", 9, &id));
	KUNIT_EXPECT_EQ(test, id, 1U);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 18), 1U);
	KUNIT_EXPECT_TRUE(test, has(t, "a", 18, NULL));	/* now till 28 */
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 27), 1U);
	KUNIT_EXPECT_FALSE(test, has(t, "a", 28, NULL));
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 28), 0U);
}

/* Size 3: a fourth key evicts the least recently used. */
static void spl_stick_eviction(struct kunit *test)
{
	struct spl_stick *t = ((struct st_fix *)test->priv)->t;
	u32 id;

	KUNIT_ASSERT_EQ(test, spl_stick_config(t, 3, 100, 0), 0);
	KUNIT_EXPECT_EQ(test, put(t, "k0", 0, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, put(t, "k1", 1, 2, 0), 0);
	KUNIT_EXPECT_EQ(test, put(t, "k2", 2, 3, 0), 0);
	KUNIT_EXPECT_TRUE(test, has(t, "k0", 4, NULL));	/* k1 is the LRU now */
	KUNIT_EXPECT_EQ(test, put(t, "k3", 3, 5, 0), 1);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 5), 3U);
	KUNIT_EXPECT_FALSE(test, has(t, "k1", 5, NULL));
	KUNIT_EXPECT_TRUE(test, has(t, "k0", 5, &id));
	KUNIT_EXPECT_EQ(test, id, 0U);
	KUNIT_EXPECT_TRUE(test, has(t, "k2", 5, &id));
	KUNIT_EXPECT_EQ(test, id, 2U);
	KUNIT_EXPECT_TRUE(test, has(t, "k3", 5, &id));
	KUNIT_EXPECT_EQ(test, id, 3U);
	/* k0 is the LRU now (k2, k3 touched after it) */
	KUNIT_EXPECT_EQ(test, put(t, "k4", 4, 6, 0), 1);
	KUNIT_EXPECT_FALSE(test, has(t, "k0", 6, NULL));
	/* an update of a present key evicts nothing */
	KUNIT_EXPECT_EQ(test, put(t, "k2", 22, 7, 0), 0);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 7), 3U);
	/* an expired entry makes room without an eviction */
	KUNIT_EXPECT_EQ(test, spl_stick_config(t, 3, 10, 7), 0);
	KUNIT_EXPECT_TRUE(test, has(t, "k4", 15, NULL));
	KUNIT_EXPECT_TRUE(test, has(t, "k2", 15, NULL));
	/* k3 last used at 5: expired at 15 */
	KUNIT_EXPECT_EQ(test, put(t, "k5", 5, 15, 0), 0);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 15), 3U);
	KUNIT_EXPECT_FALSE(test, has(t, "k3", 15, NULL));
}

static void spl_stick_shrink(struct kunit *test)
{
	struct spl_stick *t = ((struct st_fix *)test->priv)->t;
	char id[8];
	int i;

	KUNIT_ASSERT_EQ(test, spl_stick_config(t, 5, 100, 0), 0);
	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "k%d", i);
		KUNIT_EXPECT_EQ(test, put(t, id, i, i, 0), 0);
	}
	/* the two most recent stay */
	KUNIT_EXPECT_EQ(test, spl_stick_config(t, 2, 100, 5), 3);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 5), 2U);
	KUNIT_EXPECT_EQ(test, t->size, 2U);
	for (i = 0; i < 3; i++) {
		snprintf(id, sizeof(id), "k%d", i);
		KUNIT_EXPECT_FALSE_MSG(test, has(t, id, 5, NULL), "%s", id);
	}
	KUNIT_EXPECT_TRUE(test, has(t, "k3", 5, NULL));
	KUNIT_EXPECT_TRUE(test, has(t, "k4", 5, NULL));
	/* the same size again: nothing to evict */
	KUNIT_EXPECT_EQ(test, spl_stick_config(t, 2, 100, 5), 0);
	/* a shorter timeout reaps at once, and that is no eviction */
	KUNIT_EXPECT_TRUE(test, has(t, "k4", 50, NULL));
	KUNIT_EXPECT_EQ(test, spl_stick_config(t, 2, 10, 50), 0);
	KUNIT_EXPECT_EQ(test, t->count, 1U);
	KUNIT_EXPECT_TRUE(test, has(t, "k4", 50, NULL));
}

/* A bound grown well past the buckets: new buckets, every entry found. */
static void spl_stick_grow(struct kunit *test)
{
	struct spl_stick *t = ((struct st_fix *)test->priv)->t;
	u32 nb, id;
	char name[16];
	int i;

	KUNIT_ASSERT_EQ(test, spl_stick_config(t, 200, 100, 0), 0);
	nb = t->nbuckets;
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "key-%d", i);
		KUNIT_EXPECT_EQ(test, put(t, name, i, 1, 0), 0);
	}
	KUNIT_ASSERT_EQ(test, spl_stick_config(t, 65536, 100, 1), 0);
	KUNIT_EXPECT_GT(test, t->nbuckets, 4 * nb);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 1), 200U);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "key-%d", i);
		id = ~0U;
		KUNIT_EXPECT_TRUE_MSG(test, has(t, name, 2, &id), "%s", name);
		KUNIT_EXPECT_EQ(test, id, (u32)i);
	}
}

/* Imported entries (store with idle) are as old as they say. */
static void spl_stick_store_idle(struct kunit *test)
{
	struct spl_stick *t = ((struct st_fix *)test->priv)->t;

	KUNIT_ASSERT_EQ(test, spl_stick_config(t, 2, 10, 0), 0);
	/* idle 5 at 100: last used at 95, gone at 105 */
	KUNIT_EXPECT_EQ(test, put(t, "a", 1, 100, 5), 0);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 104), 1U);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 105), 0U);
	/* idle past the timeout: stored already expired */
	KUNIT_EXPECT_EQ(test, put(t, "b", 1, 200, 10), 0);
	KUNIT_EXPECT_FALSE(test, has(t, "b", 200, NULL));
	/* idle longer than the clock has run: last used at 0 */
	KUNIT_EXPECT_EQ(test, put(t, "c", 1, 3, 1000), 0);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 9), 1U);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 10), 0U);

	/* an old import sorts behind newer entries: it is evicted first */
	KUNIT_EXPECT_EQ(test, put(t, "new", 1, 300, 0), 0);
	KUNIT_EXPECT_EQ(test, put(t, "old", 2, 300, 8), 0);
	KUNIT_EXPECT_EQ(test, put(t, "newer", 3, 301, 0), 1);
	KUNIT_EXPECT_FALSE(test, has(t, "old", 301, NULL));
	KUNIT_EXPECT_TRUE(test, has(t, "new", 301, NULL));
	KUNIT_EXPECT_TRUE(test, has(t, "newer", 301, NULL));
	/* an update with idle ages a present entry too */
	KUNIT_EXPECT_EQ(test, put(t, "new", 1, 302, 9), 0);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 302), 2U);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 303), 1U);
	KUNIT_EXPECT_FALSE(test, has(t, "new", 303, NULL));
}

static void spl_stick_flush_all(struct kunit *test)
{
	struct spl_stick *t = ((struct st_fix *)test->priv)->t;
	char id[8];
	int i;

	KUNIT_ASSERT_EQ(test, spl_stick_config(t, 64, 100, 0), 0);
	for (i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "k%d", i);
		KUNIT_EXPECT_EQ(test, put(t, id, i, 1, 0), 0);
	}
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 1), 40U);
	spl_stick_flush(t);
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 1), 0U);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->lru));
	for (i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "k%d", i);
		KUNIT_EXPECT_FALSE(test, has(t, id, 1, NULL));
	}
	/* still configured: usable again */
	KUNIT_EXPECT_EQ(test, put(t, "k0", 0, 2, 0), 0);
	KUNIT_EXPECT_TRUE(test, has(t, "k0", 2, NULL));
}

struct walk_log {
	int n, stop_at;		/* stop_at: call that returns nonzero, -1 never */
	char key[8][8];
	u32 srv[8], idle[8];
};

static int walk_fn(void *arg, const struct spl_stick_key *key,
		   const struct spl_stick_val *val, u32 idle)
{
	struct walk_log *w = arg;
	int i = w->n++;

	if (i < ARRAY_SIZE(w->key)) {
		memcpy(w->key[i], key->data, min_t(u32, key->len, 7));
		w->srv[i] = val->srv_id;
		w->idle[i] = idle;
	}
	return i == w->stop_at;
}

static void spl_stick_walk_order(struct kunit *test)
{
	struct spl_stick *t = ((struct st_fix *)test->priv)->t;
	struct walk_log *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	char id[8];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_EQ(test, spl_stick_config(t, 16, 10, 0), 0);
	for (i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "k%d", i);
		KUNIT_EXPECT_EQ(test, put(t, id, i, 10 + i, 0), 0);
	}
	KUNIT_EXPECT_TRUE(test, has(t, "k1", 15, NULL));	/* k1 the newest */

	/* all of them, most recent first, with their idle times */
	w->stop_at = -1;
	KUNIT_EXPECT_EQ(test, spl_stick_walk(t, 16, 0, walk_fn, w), 5U);
	KUNIT_ASSERT_EQ(test, w->n, 5);
	KUNIT_EXPECT_STREQ(test, w->key[0], "k1");
	KUNIT_EXPECT_EQ(test, w->idle[0], 1U);
	KUNIT_EXPECT_STREQ(test, w->key[1], "k4");
	KUNIT_EXPECT_EQ(test, w->idle[1], 2U);
	KUNIT_EXPECT_STREQ(test, w->key[2], "k3");
	KUNIT_EXPECT_EQ(test, w->srv[2], 3U);
	KUNIT_EXPECT_EQ(test, w->idle[2], 3U);
	KUNIT_EXPECT_STREQ(test, w->key[3], "k2");
	KUNIT_EXPECT_STREQ(test, w->key[4], "k0");
	KUNIT_EXPECT_EQ(test, w->idle[4], 6U);

	/* skip 2 */
	memset(w, 0, sizeof(*w));
	w->stop_at = -1;
	KUNIT_EXPECT_EQ(test, spl_stick_walk(t, 16, 2, walk_fn, w), 3U);
	KUNIT_ASSERT_EQ(test, w->n, 3);
	KUNIT_EXPECT_STREQ(test, w->key[0], "k3");
	KUNIT_EXPECT_STREQ(test, w->key[2], "k0");
	/* skip them all */
	memset(w, 0, sizeof(*w));
	w->stop_at = -1;
	KUNIT_EXPECT_EQ(test, spl_stick_walk(t, 16, 5, walk_fn, w), 0U);
	KUNIT_EXPECT_EQ(test, w->n, 0);

	/* stop: the third call says so; two taken */
	memset(w, 0, sizeof(*w));
	w->stop_at = 2;
	KUNIT_EXPECT_EQ(test, spl_stick_walk(t, 16, 0, walk_fn, w), 2U);
	KUNIT_EXPECT_EQ(test, w->n, 3);
	KUNIT_EXPECT_STREQ(test, w->key[2], "k3");
	/* skip and stop: resumes where it stopped */
	memset(w, 0, sizeof(*w));
	w->stop_at = 0;
	KUNIT_EXPECT_EQ(test, spl_stick_walk(t, 16, 2, walk_fn, w), 0U);
	KUNIT_EXPECT_EQ(test, w->n, 1);
	KUNIT_EXPECT_STREQ(test, w->key[0], "k3");

	/* expired entries are not visited: k0 (last 10), k2 (12) at 22 */
	memset(w, 0, sizeof(*w));
	w->stop_at = -1;
	KUNIT_EXPECT_EQ(test, spl_stick_walk(t, 22, 0, walk_fn, w), 3U);
	KUNIT_EXPECT_EQ(test, w->n, 3);
	KUNIT_EXPECT_STREQ(test, w->key[2], "k3");
	/* the walk did not refresh anything */
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 24), 1U);
}

/* The same bytes under another kind, family, prefix or length: other keys. */
static void spl_stick_keys_distinct(struct kunit *test)
{
	struct spl_stick *t = ((struct st_fix *)test->priv)->t;
	static const u8 bytes[] = { 198, 51, 100, 7, 0 };
	struct spl_stick_key k[6];
	struct spl_stick_val v, got;
	int i, j;

	memset(k, 0, sizeof(k));
	for (i = 0; i < ARRAY_SIZE(k); i++) {
		k[i].kind = SPLICER_STICK_SOURCE;
		k[i].family = AF_INET;
		k[i].prefix = 32;
		k[i].len = 4;
		memcpy(k[i].data, bytes, sizeof(bytes));
	}
	k[1].kind = SPLICER_STICK_SESSION;
	k[1].family = 0;
	k[1].prefix = 0;
	k[2].prefix = 24;
	k[3].family = AF_INET6;
	k[4].len = 3;
	k[5].len = 5;		/* the same 4 bytes and a NUL */

	KUNIT_ASSERT_EQ(test, spl_stick_config(t, 16, 100, 0), 0);
	for (i = 0; i < ARRAY_SIZE(k); i++) {
		KUNIT_EXPECT_FALSE_MSG(test, spl_stick_lookup(t, &k[i], 1, &got),
				       "key %d before its store", i);
		v = sval(100 + i);
		KUNIT_EXPECT_EQ(test, spl_stick_store(t, &k[i], &v, 1, 0), 0);
	}
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 1), (u32)ARRAY_SIZE(k));
	for (i = 0; i < ARRAY_SIZE(k); i++) {
		memset(&got, 0, sizeof(got));
		KUNIT_EXPECT_TRUE_MSG(test, spl_stick_lookup(t, &k[i], 2, &got),
				      "key %d", i);
		KUNIT_EXPECT_EQ_MSG(test, got.srv_id, 100U + i, "key %d", i);
	}
	/* bytes past len are not part of the key */
	k[4].data[3] = 0xff;
	KUNIT_EXPECT_TRUE(test, spl_stick_lookup(t, &k[4], 2, &got));
	KUNIT_EXPECT_EQ(test, got.srv_id, 104U);
	/* and the entries stay distinct when one goes */
	spl_stick_flush(t);
	for (i = 0; i < ARRAY_SIZE(k); i++) {
		v = sval(i);
		KUNIT_EXPECT_EQ(test, spl_stick_store(t, &k[i], &v, 3, 0), 0);
	}
	KUNIT_ASSERT_EQ(test, spl_stick_config(t, 5, 100, 3), 1);	/* k[0] */
	KUNIT_EXPECT_FALSE(test, spl_stick_lookup(t, &k[0], 3, &got));
	for (j = 1; j < ARRAY_SIZE(k); j++)
		KUNIT_EXPECT_TRUE_MSG(test, spl_stick_lookup(t, &k[j], 3, &got),
				      "key %d", j);
}

/* Free with entries in it: no leak (spl_objects, and kmemleak if on). */
static void spl_stick_free_full(struct kunit *test)
{
	struct spl_stick *t = spl_stick_alloc();
	int objects = atomic_read(&spl_objects);
	char id[8];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, spl_stick_config(t, 8, 100, 0), 0);
	for (i = 0; i < 20; i++) {
		snprintf(id, sizeof(id), "k%d", i);
		KUNIT_EXPECT_EQ(test, put(t, id, i, i, 0), i < 8 ? 0 : 1);
	}
	KUNIT_EXPECT_EQ(test, spl_stick_count(t, 20), 8U);
	spl_stick_free(t);
	KUNIT_EXPECT_EQ(test, atomic_read(&spl_objects), objects - 1);
	spl_stick_free(NULL);
}

static struct kunit_case spl_stick_cases[] = {
	KUNIT_CASE(spl_stick_store_lookup),
	KUNIT_CASE(spl_stick_unconfigured),
	KUNIT_CASE(spl_stick_expiry),
	KUNIT_CASE(spl_stick_refresh),
	KUNIT_CASE(spl_stick_eviction),
	KUNIT_CASE(spl_stick_shrink),
	KUNIT_CASE(spl_stick_grow),
	KUNIT_CASE(spl_stick_store_idle),
	KUNIT_CASE(spl_stick_flush_all),
	KUNIT_CASE(spl_stick_walk_order),
	KUNIT_CASE(spl_stick_keys_distinct),
	KUNIT_CASE(spl_stick_free_full),
	{}
};

struct kunit_suite spl_stick_test_suite = {
	.name = "spl_stick",
	.init = st_init,
	.exit = st_exit,
	.test_cases = spl_stick_cases,
};
