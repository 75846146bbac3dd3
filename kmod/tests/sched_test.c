// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: server selection (kmod/sched.c) over real pools (kmod/pool.c).
 */
#include <kunit/test.h>
#include <linux/in.h>
#include "../pool.c"
#include "../sched.c"

atomic_t spl_objects;

struct sched_fix {
	struct spl_pool *pool;
	struct spl_server *srv[4];
	int n;
};

static struct spl_server *add(struct kunit *test, struct sched_fix *f,
			      const char *name, u32 weight)
{
	struct sockaddr_storage ss = {};
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct spl_server *srv;

	sin->sin_family = AF_INET;
	sin->sin_port = htons(8080 + f->n);
	srv = spl_server_alloc(name, &ss);
	KUNIT_ASSERT_NOT_NULL(test, srv);
	srv->weight = weight;
	spl_server_link(f->pool, srv);
	f->srv[f->n++] = srv;
	return srv;
}

static int sched_init(struct kunit *test)
{
	struct sched_fix *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->pool = spl_pool_alloc(NULL, "app", SPLICER_BALANCE_ROUNDROBIN);
	if (!f->pool)
		return -ENOMEM;
	test->priv = f;
	return 0;
}

static void sched_exit(struct kunit *test)
{
	struct sched_fix *f = test->priv;

	spl_pool_free(f->pool);
	rcu_barrier();
}

/* What a finished connection does: drop the active count and reference. */
static void done(struct spl_server *srv)
{
	atomic_dec(&srv->active);
	spl_server_put(srv);
}

static int index_of(struct sched_fix *f, struct spl_server *srv)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->srv[i] == srv)
			return i;
	return -1;
}

static struct spl_server *pick(struct sched_fix *f)
{
	struct spl_server *srv;

	rcu_read_lock();
	srv = spl_sched_pick(f->pool, NULL, 0);
	rcu_read_unlock();
	return srv;
}

static void spl_sched_swrr_shares(struct kunit *test)
{
	struct sched_fix *f = test->priv;
	int count[3] = {}, i;

	add(test, f, "a", 1);
	add(test, f, "b", 2);
	add(test, f, "c", 3);
	for (i = 0; i < 600; i++) {
		struct spl_server *srv = pick(f);

		KUNIT_ASSERT_NOT_NULL(test, srv);
		count[index_of(f, srv)]++;
		done(srv);
	}
	KUNIT_EXPECT_EQ(test, count[0], 100);
	KUNIT_EXPECT_EQ(test, count[1], 200);
	KUNIT_EXPECT_EQ(test, count[2], 300);
}

/* Smooth: weights 5,1,1 interleave as a a b a c a a, not a a a a a b c. */
static void spl_sched_swrr_smooth(struct kunit *test)
{
	struct sched_fix *f = test->priv;
	static const int want[] = { 0, 0, 1, 0, 2, 0, 0 };
	int i;

	add(test, f, "a", 5);
	add(test, f, "b", 1);
	add(test, f, "c", 1);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		struct spl_server *srv = pick(f);

		KUNIT_ASSERT_NOT_NULL(test, srv);
		KUNIT_EXPECT_EQ_MSG(test, index_of(f, srv), want[i], "pick %d", i);
		done(srv);
	}
}

static void spl_sched_skips_unusable(struct kunit *test)
{
	struct sched_fix *f = test->priv;
	struct spl_server *a, *b, *c, *d, *srv;
	int i;

	a = add(test, f, "a", 1);
	b = add(test, f, "b", 1);
	c = add(test, f, "c", 1);
	d = add(test, f, "d", 1);
	b->state = SPLICER_SRV_STATE_DRAIN;
	c->state = SPLICER_SRV_STATE_MAINT;
	d->maxconn = 1;
	atomic_set(&d->active, 1);	/* d is full */
	for (i = 0; i < 20; i++) {
		srv = pick(f);
		KUNIT_ASSERT_PTR_EQ(test, srv, a);
		done(srv);
	}
	a->state = SPLICER_SRV_STATE_MAINT;
	KUNIT_EXPECT_NULL(test, pick(f));
	atomic_set(&d->active, 0);	/* room again */
	srv = pick(f);
	KUNIT_EXPECT_PTR_EQ(test, srv, d);
	if (srv)
		done(srv);
}

static void spl_sched_skip_list(struct kunit *test)
{
	struct sched_fix *f = test->priv;
	struct spl_server *a, *b, *srv;
	int i;

	a = add(test, f, "a", 10);
	b = add(test, f, "b", 1);
	for (i = 0; i < 10; i++) {
		rcu_read_lock();
		srv = spl_sched_pick(f->pool, &a, 1);
		rcu_read_unlock();
		KUNIT_ASSERT_PTR_EQ(test, srv, b);
		done(srv);
	}
	rcu_read_lock();
	srv = spl_sched_pick(f->pool, (struct spl_server *[]){ a, b }, 2);
	rcu_read_unlock();
	KUNIT_EXPECT_NULL(test, srv);
}

/* A pick takes a reference and an active slot; an unlinked server is gone. */
static void spl_sched_refs(struct kunit *test)
{
	struct sched_fix *f = test->priv;
	struct spl_server *a, *srv;

	a = add(test, f, "a", 1);
	srv = pick(f);
	KUNIT_ASSERT_PTR_EQ(test, srv, a);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->active), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&a->ref), 2u);
	spl_server_unlink(a);		/* the pool lets go; the connection holds on */
	f->n = 0;
	KUNIT_EXPECT_EQ(test, kref_read(&a->ref), 1u);
	KUNIT_EXPECT_NULL(test, pick(f));
	done(srv);
}

static void spl_sched_leastconn(struct kunit *test)
{
	struct sched_fix *f = test->priv;
	struct spl_server *a, *b, *held[3], *srv;
	int i;

	f->pool->balance = SPLICER_BALANCE_LEASTCONN;
	a = add(test, f, "a", 1);
	b = add(test, f, "b", 2);
	/* b has twice the weight: it takes two connections for each of a's */
	for (i = 0; i < 3; i++)
		held[i] = pick(f);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->active), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->active), 2);
	/* a connection to a closes: a is least loaded now */
	for (i = 0; i < 3; i++)
		if (held[i] == a) {
			done(held[i]);
			held[i] = NULL;
		}
	srv = pick(f);
	KUNIT_EXPECT_PTR_EQ(test, srv, a);
	if (srv)
		done(srv);
	for (i = 0; i < 3; i++)
		if (held[i])
			done(held[i]);
}

static struct kunit_case spl_sched_cases[] = {
	KUNIT_CASE(spl_sched_swrr_shares),
	KUNIT_CASE(spl_sched_swrr_smooth),
	KUNIT_CASE(spl_sched_skips_unusable),
	KUNIT_CASE(spl_sched_skip_list),
	KUNIT_CASE(spl_sched_refs),
	KUNIT_CASE(spl_sched_leastconn),
	{}
};

struct kunit_suite spl_sched_test_suite = {
	.name = "spl_sched",
	.init = sched_init,
	.exit = sched_exit,
	.test_cases = spl_sched_cases,
};
