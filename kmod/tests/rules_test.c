// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: content rules (kmod/rules.c). The first rule that matches decides,
 * also with the index of rules matching on an exact Host, a path prefix or
 * both: on rulesets built by random inserts and removes, spl_rules_find()
 * must give what a plain scan of every rule in order gives, for requests
 * with and without a Host, in any case, with a port, for hosts that no rule
 * names, and for paths with a query, in absolute form, shorter than every
 * prefix or equal to one; and so again with the index's hash cut to 2 bits
 * and to none (every key collides: only the comparison of the bytes tells).
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

static u32 test_hash_mask = U32_MAX;
#define spl_rules_hash_mask()	test_hash_mask
#include "../rules.c"

static const char *const hosts[] = {
	"a.example", "b.example", "c.example", "shop.example", "x", "www.pay.example",
};

static const char *const prefixes[] = {
	"/", "/p", "/p/", "/p/1", "/a", "/ab", "/ab/c", "/q?", "/z", "/zz/long/prefix/",
};

static const char *const heads[] = {
	"GET / HTTP/1.1\r\nHost: a.example\r\n\r\n",
	"GET /ab HTTP/1.1\r\nHost: a.example\r\n\r\n",
	"GET /ab/c/d HTTP/1.1\r\nHost: b.example\r\n\r\n",
	"GET /a?x=/ab HTTP/1.1\r\nHost: shop.example\r\n\r\n",
	"GET /ab?q HTTP/1.1\r\nHost: x\r\n\r\n",
	"GET /q?x HTTP/1.1\r\nHost: c.example\r\n\r\n",
	"GET /p/1/2 HTTP/1.1\r\nHost: nobody.example\r\n\r\n",
	"GET http://x/ab/c?z HTTP/1.1\r\nHost: x\r\n\r\n",
	"GET http://x HTTP/1.1\r\nHost: x\r\n\r\n",
	"GET /zz/long/prefix/ HTTP/1.1\r\nHost: a.example\r\n\r\n",
	"GET /zz/long/prefi HTTP/1.1\r\nHost: a.example\r\n\r\n",
	"GET /Ab HTTP/1.1\r\nHost: b.example\r\n\r\n",
	"GET /ab HTTP/1.0\r\n\r\n",
	"GET /ab#c HTTP/1.1\r\nHost: b.example\r\n\r\n",
	"OPTIONS * HTTP/1.1\r\nHost: a.example\r\n\r\n",
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

/*
 * A random rule: mostly indexed ones (an exact host, a prefix, or both),
 * and every other kind.
 */
static struct spl_rule *rule_new(struct kunit *test)
{
	struct spl_rule *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	const char *h = hosts[rnd(ARRAY_SIZE(hosts))];
	const char *p = prefixes[rnd(ARRAY_SIZE(prefixes))];

	KUNIT_ASSERT_NOT_NULL(test, r);
	switch (rnd(12)) {
	case 0:
		r->host = kstrdup("*.example", GFP_KERNEL);
		break;
	case 1:
		r->prefix = kstrdup(p, GFP_KERNEL);
		r->method = kstrdup("GET", GFP_KERNEL);
		break;
	case 2:
		r->path = kstrdup("/q", GFP_KERNEL);
		r->host = kstrdup(h, GFP_KERNEL);
		break;
	case 3:
		r->method = kstrdup("POST", GFP_KERNEL);
		break;
	case 4:
	case 5:
	case 6:
		r->prefix = kstrdup(p, GFP_KERNEL);
		break;
	case 7:
	case 8:
		r->prefix = kstrdup(p, GFP_KERNEL);
		r->host = kstrdup(h, GFP_KERNEL);
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
static void index_vs_scan(struct kunit *test, u32 seed)
{
	static const u32 sizes[] = { 1, 2, 5, 40, 300 };
	struct spl_ruleset *rs, *next;
	u32 s, i;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		rnd_state = seed + s;
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

/* With the index's whole hash, 2 bits of it, and none: collisions galore. */
static void spl_rules_index_matches_scan(struct kunit *test)
{
	static const u32 masks[] = { U32_MAX, 3, 0 };
	u32 m;

	for (m = 0; m < ARRAY_SIZE(masks); m++) {
		test_hash_mask = masks[m];
		index_vs_scan(test, 1 + 100 * m);
	}
	test_hash_mask = U32_MAX;
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

struct rule_spec {
	const char *host, *prefix, *path, *method;
};

/* Rules in order, a request head, and the position that must decide (-1: none). */
struct find_case {
	struct rule_spec rules[3];
	const char *head;
	int want;
};

#define REQ(target, host)	"GET " target " HTTP/1.1\r\nHost: " host "\r\n\r\n"

static const struct find_case find_cases[] = {
	/* overlapping prefixes: the earlier wins, whichever is longer */
	{ { { .prefix = "/a" }, { .prefix = "/ab" } }, REQ("/abc", "h"), 0 },
	{ { { .prefix = "/ab" }, { .prefix = "/a" } }, REQ("/abc", "h"), 0 },
	{ { { .prefix = "/ab" }, { .prefix = "/a" } }, REQ("/a", "h"), 1 },
	{ { { .prefix = "/ab" }, { .prefix = "/a" } }, REQ("/ac", "h"), 1 },
	/* a prefix equal to the whole path, and one byte longer */
	{ { { .prefix = "/ab/" } }, REQ("/ab/", "h"), 0 },
	{ { { .prefix = "/ab/" } }, REQ("/ab", "h"), -1 },
	/* a path shorter than every prefix */
	{ { { .prefix = "/long/1" }, { .prefix = "/long/22" } }, REQ("/lo", "h"), -1 },
	{ { { .prefix = "/long/1" }, { .prefix = "/long/22" } }, REQ("/", "h"), -1 },
	/* the query and a fragment are not the path; the bytes are compared as they are */
	{ { { .prefix = "/a?b" }, { .prefix = "/a" } }, REQ("/a?b", "h"), 1 },
	{ { { .prefix = "/abc" } }, REQ("/ab?c", "h"), -1 },
	{ { { .prefix = "/abc" } }, REQ("/ab#c", "h"), -1 },
	{ { { .prefix = "/AB" } }, REQ("/ab", "h"), -1 },
	{ { { .prefix = "/ab" } }, REQ("/ab%2f", "h"), 0 },
	/* absolute form: the path after the authority */
	{ { { .prefix = "/x" }, { .prefix = "/ab" } }, REQ("http://x/ab/c?q", "x"), 1 },
	{ { { .prefix = "/" } }, REQ("http://x?/", "x"), -1 },
	{ { { .prefix = "/" } }, REQ("*", "x"), -1 },
	/* an earlier rule that is not indexed still wins, a later one does not */
	{ { { .prefix = "/a", .method = "GET" }, { .prefix = "/a" } }, REQ("/a", "h"), 0 },
	{ { { .prefix = "/a", .method = "PUT" }, { .prefix = "/a" } }, REQ("/a", "h"), 1 },
	{ { { .prefix = "/a" }, { .path = "/a" } }, REQ("/a", "h"), 0 },
	/* exact hosts, prefixes and both, in either order */
	{ { { .host = "h" }, { .prefix = "/a" } }, REQ("/a", "H:80"), 0 },
	{ { { .prefix = "/a" }, { .host = "h" } }, REQ("/a", "H:80"), 0 },
	{ { { .host = "h", .prefix = "/ab" }, { .prefix = "/a" } }, REQ("/ab", "h"), 0 },
	{ { { .host = "h", .prefix = "/ab" }, { .prefix = "/a" } }, REQ("/ab", "g"), 1 },
	{ { { .host = "h", .prefix = "/ab" }, { .host = "h" } }, REQ("/a", "h"), 1 },
	{ { { .prefix = "/b" }, { .host = "h", .prefix = "/a" }, { .host = "h" } },
	  REQ("/a", "h"), 1 },
	{ { { .host = "h", .prefix = "/a" } }, "GET /a HTTP/1.0\r\n\r\n", -1 },
};

static void spl_rules_index_cases(struct kunit *test)
{
	static const u32 masks[] = { U32_MAX, 0 };
	struct spl_ruleset *rs, *next;
	struct spl_http_req req;
	struct spl_rule_req rr;
	u32 c, i, m, got, lin;
	bool g, l;

	for (m = 0; m < ARRAY_SIZE(masks); m++) {
		test_hash_mask = masks[m];
		for (c = 0; c < ARRAY_SIZE(find_cases); c++) {
			const struct find_case *fc = &find_cases[c];
			const u8 *head = (const u8 *)fc->head;
			u32 len = strlen(fc->head);

			rs = NULL;
			for (i = 0; i < ARRAY_SIZE(fc->rules); i++) {
				const struct rule_spec *sp = &fc->rules[i];
				struct spl_rule *r;

				if (!sp->host && !sp->prefix && !sp->path && !sp->method)
					break;
				r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
				KUNIT_ASSERT_NOT_NULL(test, r);
				r->host = sp->host ? kstrdup(sp->host, GFP_KERNEL) : NULL;
				r->prefix = sp->prefix ? kstrdup(sp->prefix, GFP_KERNEL) : NULL;
				r->path = sp->path ? kstrdup(sp->path, GFP_KERNEL) : NULL;
				r->method = sp->method ? kstrdup(sp->method, GFP_KERNEL) : NULL;
				next = spl_ruleset_insert(rs, r, i);
				KUNIT_ASSERT_NOT_NULL(test, next);
				kvfree(rs);
				rs = next;
			}
			KUNIT_ASSERT_EQ(test, spl_http_parse_request(head, len, NULL, &req), 0);
			rr = (struct spl_rule_req){ .head = head, .head_len = len, .req = &req };
			got = lin = U32_MAX;
			g = spl_rules_find(rs, &rr, &got) != NULL;
			l = linear(rs, &rr, &lin);
			KUNIT_EXPECT_EQ_MSG(test, g ? (int)got : -1, fc->want, "case %u, mask %x",
					    c, masks[m]);
			KUNIT_EXPECT_EQ_MSG(test, l ? (int)lin : -1, fc->want, "case %u (scan)", c);
			rules_free(rs);
		}
	}
	test_hash_mask = U32_MAX;
}

static int spl_rules_test_init(struct kunit *test)
{
	test_hash_mask = U32_MAX;
	return 0;
}

static struct kunit_case spl_rules_test_cases[] = {
	KUNIT_CASE(spl_rules_index_matches_scan),
	KUNIT_CASE(spl_rules_index_first_wins),
	KUNIT_CASE(spl_rules_index_cases),
	{}
};

struct kunit_suite spl_rules_test_suite = {
	.name = "spl_rules",
	.init = spl_rules_test_init,
	.test_cases = spl_rules_test_cases,
};
