// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: health checking (kmod/health.c) — configuration defaults, the
 * expected-status and body rules, which responses count against a server,
 * and the passive error window (without running a probe).
 */
#include <kunit/test.h>
#include <linux/in.h>
#include "../health.c"

/* The decision log is the module's; here a record is only counted. */
static int health_records;

void spl_log_health(struct net *net, const char *pool, const char *server,
		    const char *health, const char *cause)
{
	health_records++;
}

static void spl_health_defaults(struct kunit *test)
{
	struct spl_health_cfg *cfg = spl_health_cfg_new();

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	KUNIT_EXPECT_EQ(test, cfg->type, SPLICER_HEALTH_NONE);
	KUNIT_EXPECT_EQ(test, cfg->interval, 2000U);
	KUNIT_EXPECT_EQ(test, cfg->rise, 2U);
	KUNIT_EXPECT_EQ(test, cfg->fall, 3U);
	KUNIT_EXPECT_EQ(test, cfg->nexpect, 1);
	KUNIT_EXPECT_STREQ(test, cfg->method, "GET");
	KUNIT_EXPECT_STREQ(test, cfg->path, "/");
	KUNIT_EXPECT_EQ(test, cfg->passive_status, 1U << 5);
	kfree(cfg);
}

static void spl_health_expect(struct kunit *test)
{
	struct spl_health_cfg *cfg = spl_health_cfg_new();

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	KUNIT_EXPECT_TRUE(test, status_expected(cfg, 200));
	KUNIT_EXPECT_TRUE(test, status_expected(cfg, 399));
	KUNIT_EXPECT_FALSE(test, status_expected(cfg, 199));
	KUNIT_EXPECT_FALSE(test, status_expected(cfg, 400));
	KUNIT_EXPECT_FALSE(test, status_expected(cfg, 500));
	cfg->expect[0] = (struct splicer_status_range){ 204, 204 };
	cfg->expect[1] = (struct splicer_status_range){ 401, 403 };
	cfg->nexpect = 2;
	KUNIT_EXPECT_TRUE(test, status_expected(cfg, 204));
	KUNIT_EXPECT_FALSE(test, status_expected(cfg, 200));
	KUNIT_EXPECT_TRUE(test, status_expected(cfg, 402));
	KUNIT_EXPECT_FALSE(test, status_expected(cfg, 404));
	kfree(cfg);
}

static void spl_health_body(struct kunit *test)
{
	static const u8 body[] = "{\"status\": \"ok\"}";

	KUNIT_EXPECT_TRUE(test, contains(body, sizeof(body) - 1, ""));
	KUNIT_EXPECT_TRUE(test, contains(body, sizeof(body) - 1, "\"ok\""));
	KUNIT_EXPECT_TRUE(test, contains(body, sizeof(body) - 1, "{"));
	KUNIT_EXPECT_TRUE(test, contains(body, sizeof(body) - 1, "}"));
	KUNIT_EXPECT_FALSE(test, contains(body, sizeof(body) - 1, "fail"));
	KUNIT_EXPECT_FALSE(test, contains(body, 5, "status"));	/* cut short */
	KUNIT_EXPECT_FALSE(test, contains(body, 0, "s"));
}

/* A pool with one server, and a configuration of @type. */
static struct spl_server *one_server(struct kunit *test, struct spl_pool **poolp,
				     u8 type)
{
	struct sockaddr_storage ss = { .ss_family = AF_INET };
	struct spl_pool *pool = spl_pool_alloc(NULL, "app", SPLICER_BALANCE_ROUNDROBIN);
	struct spl_health_cfg *cfg;
	struct spl_server *srv;

	KUNIT_ASSERT_NOT_NULL(test, pool);
	cfg = rcu_dereference_protected(pool->health, true);
	cfg->type = type;
	cfg->passive_errors = 3;
	cfg->passive_window = 60000;
	srv = spl_server_alloc("s1", &ss);
	KUNIT_ASSERT_NOT_NULL(test, srv);
	spl_server_link(pool, srv);
	*poolp = pool;
	return srv;
}

static void spl_health_bad_statuses(struct kunit *test)
{
	struct spl_pool *pool;
	struct spl_server *srv = one_server(test, &pool, SPLICER_HEALTH_TCP);
	struct spl_health_cfg *cfg = rcu_dereference_protected(pool->health, true);

	KUNIT_EXPECT_TRUE(test, spl_health_bad_status(srv, 500));
	KUNIT_EXPECT_TRUE(test, spl_health_bad_status(srv, 503));
	KUNIT_EXPECT_FALSE(test, spl_health_bad_status(srv, 404));
	KUNIT_EXPECT_FALSE(test, spl_health_bad_status(srv, 200));
	cfg->passive_status = (1 << 4) | (1 << 5);
	KUNIT_EXPECT_TRUE(test, spl_health_bad_status(srv, 404));
	cfg->passive_errors = 0;	/* passive off */
	KUNIT_EXPECT_FALSE(test, spl_health_bad_status(srv, 500));
	cfg->passive_errors = 3;
	cfg->type = SPLICER_HEALTH_NONE;	/* no checks: nothing counts */
	KUNIT_EXPECT_FALSE(test, spl_health_bad_status(srv, 500));
	spl_pool_free(pool);
	rcu_barrier();
}

/*
 * The window: errors below the threshold only count; the threshold asks
 * the work to take the server down. Not running (no probes scheduled)
 * here, so the work is not queued: the flag is what is checked.
 */
static void spl_health_window(struct kunit *test)
{
	struct spl_pool *pool;
	struct spl_server *srv = one_server(test, &pool, SPLICER_HEALTH_TCP);
	struct spl_server_health *h = &srv->health;

	h->state = SPLICER_HEALTH_UP;
	spl_health_observe(srv, SPL_PASSIVE_CONNECT);
	spl_health_observe(srv, SPL_PASSIVE_RESET);
	KUNIT_EXPECT_EQ(test, h->passive_total, 2ULL);
	KUNIT_EXPECT_EQ(test, h->win_errors, 2U);
	KUNIT_EXPECT_FALSE(test, h->passive_down);
	/* an old window starts over */
	h->win_start = jiffies - msecs_to_jiffies(61000);
	spl_health_observe(srv, SPL_PASSIVE_STATUS);
	KUNIT_EXPECT_EQ(test, h->win_errors, 1U);
	/* a server whose probes do not run is never taken down passively */
	spl_health_observe(srv, SPL_PASSIVE_STATUS);
	spl_health_observe(srv, SPL_PASSIVE_STATUS);
	KUNIT_EXPECT_FALSE(test, h->passive_down);
	KUNIT_EXPECT_EQ(test, h->passive_total, 5ULL);
	/* removed: nothing counts any more */
	WRITE_ONCE(srv->removed, true);
	spl_health_observe(srv, SPL_PASSIVE_STATUS);
	KUNIT_EXPECT_EQ(test, h->passive_total, 5ULL);
	WRITE_ONCE(srv->removed, false);
	spl_pool_free(pool);
	rcu_barrier();
}

static void spl_health_usable(struct kunit *test)
{
	struct spl_pool *pool;
	struct spl_server *srv = one_server(test, &pool, SPLICER_HEALTH_TCP);

	srv->health.state = SPLICER_HEALTH_UP;
	KUNIT_EXPECT_TRUE(test, spl_server_usable(srv));
	srv->health.state = SPLICER_HEALTH_DOWN;
	KUNIT_EXPECT_FALSE(test, spl_server_usable(srv));
	KUNIT_EXPECT_FALSE(test, spl_server_usable_persist(srv));
	KUNIT_EXPECT_EQ(test, spl_pool_up_count(pool), 0U);
	srv->health.state = SPLICER_HEALTH_UNCHECKED;
	KUNIT_EXPECT_TRUE(test, spl_server_usable(srv));
	srv->state = SPLICER_SRV_STATE_DRAIN;
	KUNIT_EXPECT_FALSE(test, spl_server_usable(srv));
	KUNIT_EXPECT_TRUE(test, spl_server_usable_persist(srv));
	spl_pool_free(pool);
	rcu_barrier();
}

static struct kunit_case spl_health_cases[] = {
	KUNIT_CASE(spl_health_defaults),
	KUNIT_CASE(spl_health_expect),
	KUNIT_CASE(spl_health_body),
	KUNIT_CASE(spl_health_bad_statuses),
	KUNIT_CASE(spl_health_window),
	KUNIT_CASE(spl_health_usable),
	{}
};

struct kunit_suite spl_health_test_suite = {
	.name = "spl_health",
	.test_cases = spl_health_cases,
};
