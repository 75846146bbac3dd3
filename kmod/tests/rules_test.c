// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: content rules (kmod/rules.c). The first rule that matches decides,
 * also with the index of exact-Host rules: on rulesets built by random
 * inserts and removes, spl_rules_find() must give what a plain scan of
 * every rule in order gives, for requests with and without a Host, in any
 * case, with a port, and for hosts that no rule names.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "../rules.c"

static const char *const hosts[] = {
	"a.example", "b.example", "c.example", "shop.example", "x", "www.pay.example",
};

static const char *const heads[] = {
	"GET / HTTP/1.1\r\nHost: a.example\r\n\r\n",
	"GET /p/1 HTTP/1.1\r\nHost: A.Example\r\n\r\n",
	"GET /q HTTP/1.1\r\nHost: b.example:8080\r\n\r\n",
	"POST /q HTTP/1.1\r\nHost: c.example\r\nContent-Length: 0\r\n\r\n",
	"GET /p HTTP/1.1\r\nHost: shop.example\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: www.pay.example\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: nobody.example\r\n\r\n",
	"GET /q HTTP/1.1\r\nHost: x\r\n\r\n",
	"GET /z HTTP/1.0\r\n\r\n",
	"GET http://a.example/p HTTP/1.1\r\nHost: a.example\r\n\r\n",
};

static u32 rnd_state;

static u32 rnd(u32 n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

/* A random rule: mostly exact hosts (indexed), and every other kind. */
static struct spl_rule *rule_new(struct kunit *test)
{
	struct spl_rule *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	const char *h = hosts[rnd(ARRAY_SIZE(hosts))];

	KUNIT_ASSERT_NOT_NULL(test, r);
	switch (rnd(8)) {
	case 0:
		r->host = kstrdup("*.example", GFP_KERNEL);
		break;
	case 1:
		r->prefix = kstrdup("/p", GFP_KERNEL);
		break;
	case 2:
		r->path = kstrdup("/q", GFP_KERNEL);
		r->host = kstrdup(h, GFP_KERNEL);
		break;
	case 3:
		r->method = kstrdup("POST", GFP_KERNEL);
		break;
	default:
		r->host = kstrdup(h, GFP_KERNEL);
		break;
	}
	return r;
}

static bool linear(const struct spl_ruleset *rs, const struct spl_rule_req *rr, u32 *pos)
{
	u32 i;

	for (i = 0; rs && i < rs->n; i++) {
		if (spl_rule_matches(rs->r[i], rr)) {
			*pos = i;
			return true;
		}
	}
	return false;
}

static void check_all(struct kunit *test, const struct spl_ruleset *rs)
{
	struct spl_http_req req;
	struct spl_rule_req rr;
	u32 i, want = 0, got = 0;
	bool w, g;

	for (i = 0; i < ARRAY_SIZE(heads); i++) {
		const u8 *head = (const u8 *)heads[i];
		u32 len = strlen(heads[i]);

		KUNIT_ASSERT_EQ(test, spl_http_parse_request(head, len, NULL, &req), 0);
		rr = (struct spl_rule_req){ .head = head, .head_len = len, .req = &req };
		w = linear(rs, &rr, &want);
		g = spl_rules_find(rs, &rr, &got) != NULL;
		KUNIT_EXPECT_EQ_MSG(test, g, w, "%u rules, %s", rs ? rs->n : 0, heads[i]);
		if (w && g)
			KUNIT_EXPECT_EQ_MSG(test, got, want, "%u rules, %s", rs->n, heads[i]);
	}
}

static void rules_free(struct spl_ruleset *rs)
{
	u32 i;

	for (i = 0; rs && i < rs->n; i++) {
		struct spl_rule *r = rs->r[i];

		kfree(r->host);
		kfree(r->path);
		kfree(r->prefix);
		kfree(r->method);
	}
	kvfree(rs);
}

/* Inserts at random positions, then removes, checking after each. */
static void spl_rules_index_matches_scan(struct kunit *test)
{
	static const u32 sizes[] = { 1, 2, 5, 40, 300 };
	struct spl_ruleset *rs, *next;
	u32 s, i;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		rnd_state = s + 1;
		rs = NULL;
		for (i = 0; i < sizes[s]; i++) {
			next = spl_ruleset_insert(rs, rule_new(test), rnd(i + 1));
			KUNIT_ASSERT_NOT_NULL(test, next);
			kvfree(rs);
			rs = next;
			check_all(test, rs);
		}
		KUNIT_EXPECT_EQ(test, rs->nkeys + rs->nscan, rs->n);
		while (rs->n > 1) {
			u32 pos = rnd(rs->n);
			struct spl_rule *gone = rs->r[pos];

			next = spl_ruleset_remove(rs, pos);
			KUNIT_ASSERT_NOT_NULL(test, next);
			kfree(gone->host);
			kfree(gone->path);
			kfree(gone->prefix);
			kfree(gone->method);
			kvfree(rs);
			rs = next;
			check_all(test, rs);
		}
		rules_free(rs);
	}
}

/* The first of two rules naming one host decides; case and port do not matter. */
static void spl_rules_index_first_wins(struct kunit *test)
{
	static const char head[] = "GET / HTTP/1.1\r\nHost: Shop.Example:443\r\n\r\n";
	struct spl_rule *r[3];
	struct spl_ruleset *rs = NULL, *next;
	struct spl_http_req req;
	struct spl_rule_req rr;
	u32 i, pos = 99;

	for (i = 0; i < 3; i++) {
		r[i] = kunit_kzalloc(test, sizeof(*r[i]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r[i]);
		r[i]->host = kstrdup(i == 1 ? "other.example" : "shop.example", GFP_KERNEL);
		next = spl_ruleset_insert(rs, r[i], i);
		KUNIT_ASSERT_NOT_NULL(test, next);
		kvfree(rs);
		rs = next;
	}
	KUNIT_EXPECT_EQ(test, rs->nkeys, 3u);
	KUNIT_ASSERT_EQ(test, spl_http_parse_request((const u8 *)head, sizeof(head) - 1,
						     NULL, &req), 0);
	rr = (struct spl_rule_req){ .head = (const u8 *)head, .head_len = sizeof(head) - 1,
				    .req = &req };
	KUNIT_EXPECT_PTR_EQ(test, spl_rules_find(rs, &rr, &pos), (const struct spl_rule *)r[0]);
	KUNIT_EXPECT_EQ(test, pos, 0u);
	rules_free(rs);
}

static struct kunit_case spl_rules_test_cases[] = {
	KUNIT_CASE(spl_rules_index_matches_scan),
	KUNIT_CASE(spl_rules_index_first_wins),
	{}
};

struct kunit_suite spl_rules_test_suite = {
	.name = "spl_rules",
	.test_cases = spl_rules_test_cases,
};
