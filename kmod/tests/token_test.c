// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: persistence tokens (kmod/token.c): round trip, every altered
 * digit refused, malformed tokens, the MAC binding the pool, key
 * rotation, maxidle and maxlife, server ids and key fingerprints.
 *
 * The golden values (known_token, server_id_known, key_id_known) were
 * computed independently (a reference SipHash-2-4 in Python, over the layout
 * token.h documents). If one fails, tokens in flight and other nodes no
 * longer agree with this build: change them only on purpose.
 */
#include <kunit/test.h>
#include <linux/ctype.h>
#include <linux/string.h>
#include "../token.c"

static const siphash_key_t key_a = {{ 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL }};
static const siphash_key_t key_b = {{ 0x1111111111111111ULL, 0x2222222222222222ULL }};
static const siphash_key_t key_c = {{ 0x3333333333333333ULL, 0x4444444444444444ULL }};

static const struct spl_token tok = {
	.srv_id = 0x01020304,
	.born = 1700000000,
	.seen = 1700000100,
};

/* A token as text: SPL_TOKEN_HEX digits and a NUL. */
struct hex {
	u8 s[SPL_TOKEN_HEX + 1];
};

static struct hex make(const struct spl_token *t, const char *svc,
		       const siphash_key_t *key)
{
	struct hex h = {};

	spl_token_make(h.s, t, svc, key);
	return h;
}

static struct spl_token_keys keys1(const siphash_key_t *k0)
{
	struct spl_token_keys keys = { .n = 1 };

	keys.key[0] = *k0;
	return keys;
}

static struct spl_token_keys keys2(const siphash_key_t *k0,
				   const siphash_key_t *k1)
{
	struct spl_token_keys keys = { .n = 2 };

	keys.key[0] = *k0;
	keys.key[1] = *k1;
	return keys;
}

/* spl_token_check of a NUL-terminated @s, no expiry. */
static enum spl_token_verdict check(const u8 *s, const char *svc,
				    const struct spl_token_keys *keys,
				    struct spl_token *out)
{
	return spl_token_check(s, strlen((const char *)s), svc, keys, 0, 0,
			       tok.seen, out);
}

static void spl_token_round_trip(struct kunit *test)
{
	struct spl_token_keys keys = keys1(&key_a);
	struct hex h = make(&tok, "web", &key_a);
	struct spl_token out;
	int i;

	KUNIT_EXPECT_EQ(test, strlen((char *)h.s), (size_t)SPL_TOKEN_HEX);
	for (i = 0; i < SPL_TOKEN_HEX; i++)
		KUNIT_EXPECT_TRUE_MSG(test, isdigit(h.s[i]) ||
				      (h.s[i] >= 'a' && h.s[i] <= 'f'),
				      "digit %d: '%c'", i, h.s[i]);
	memset(&out, 0xa5, sizeof(out));
	KUNIT_ASSERT_EQ(test, check(h.s, "web", &keys, &out), SPL_TOKEN_OK);
	KUNIT_EXPECT_EQ(test, out.srv_id, tok.srv_id);
	KUNIT_EXPECT_EQ(test, out.born, tok.born);
	KUNIT_EXPECT_EQ(test, out.seen, tok.seen);
	KUNIT_EXPECT_EQ(test, out.key, 0);
	/* the same input, the same token */
	KUNIT_EXPECT_EQ(test, memcmp(make(&tok, "web", &key_a).s, h.s, sizeof(h.s)), 0);
}

/* The layout and the MAC, pinned: what other nodes and older builds issue. */
static void spl_token_known_token(struct kunit *test)
{
	static const char want[] = "01010203046553f1006553f164a893be505c69a4bd";
	struct spl_token_keys keys = keys1(&key_a);
	struct spl_token out;

	KUNIT_EXPECT_STREQ(test, (char *)make(&tok, "web", &key_a).s, want);
	KUNIT_EXPECT_EQ(test, check((const u8 *)want, "web", &keys, &out),
			SPL_TOKEN_OK);
}

/* Each of the 42 digits, changed to each of the 15 other hex digits. */
static void spl_token_every_digit_altered(struct kunit *test)
{
	static const char digits[] = "0123456789abcdef";
	struct spl_token_keys keys = keys1(&key_a);
	struct hex h = make(&tok, "web", &key_a);
	enum spl_token_verdict v, want;
	struct spl_token out;
	int pos, d, tried = 0;

	for (pos = 0; pos < SPL_TOKEN_HEX; pos++) {
		u8 orig = h.s[pos];

		/* the version byte is checked before the MAC */
		want = pos < 2 ? SPL_TOKEN_FORGED : SPL_TOKEN_ALTERED;
		for (d = 0; d < 16; d++) {
			if (digits[d] == orig)
				continue;
			h.s[pos] = digits[d];
			v = check(h.s, "web", &keys, &out);
			KUNIT_EXPECT_EQ_MSG(test, v, want, "digit %d: '%c' -> '%c'",
					    pos, orig, digits[d]);
			tried++;
		}
		h.s[pos] = orig;
	}
	KUNIT_EXPECT_EQ(test, tried, SPL_TOKEN_HEX * 15);
	KUNIT_EXPECT_EQ(test, check(h.s, "web", &keys, &out), SPL_TOKEN_OK);
}

static void spl_token_malformed(struct kunit *test)
{
	static const char *const bad_chars = "gGxz -:\xff";
	struct spl_token_keys keys = keys1(&key_a);
	struct hex h = make(&tok, "web", &key_a);
	u8 buf[2 * SPL_TOKEN_HEX];
	struct spl_token out;
	const char *c;
	int pos;

	/* wrong lengths: the token cut short, one digit more, nothing */
	KUNIT_EXPECT_EQ(test, spl_token_check(h.s, SPL_TOKEN_HEX - 1, "web", &keys,
					      0, 0, tok.seen, &out), SPL_TOKEN_FORGED);
	KUNIT_EXPECT_EQ(test, spl_token_check(h.s, SPL_TOKEN_HEX - 2, "web", &keys,
					      0, 0, tok.seen, &out), SPL_TOKEN_FORGED);
	memcpy(buf, h.s, SPL_TOKEN_HEX);
	buf[SPL_TOKEN_HEX] = '0';
	KUNIT_EXPECT_EQ(test, spl_token_check(buf, SPL_TOKEN_HEX + 1, "web", &keys,
					      0, 0, tok.seen, &out), SPL_TOKEN_FORGED);
	buf[SPL_TOKEN_HEX + 1] = '0';
	KUNIT_EXPECT_EQ(test, spl_token_check(buf, SPL_TOKEN_HEX + 2, "web", &keys,
					      0, 0, tok.seen, &out), SPL_TOKEN_FORGED);
	KUNIT_EXPECT_EQ(test, spl_token_check(buf, 0, "web", &keys, 0, 0, tok.seen,
					      &out), SPL_TOKEN_FORGED);
	/* a token twice over */
	memcpy(buf + SPL_TOKEN_HEX, h.s, SPL_TOKEN_HEX);
	KUNIT_EXPECT_EQ(test, spl_token_check(buf, sizeof(buf), "web", &keys, 0, 0,
					      tok.seen, &out), SPL_TOKEN_FORGED);

	/* a non-hex character anywhere */
	for (pos = 0; pos < SPL_TOKEN_HEX; pos++) {
		for (c = bad_chars; *c; c++) {
			memcpy(buf, h.s, SPL_TOKEN_HEX);
			buf[pos] = *c;
			KUNIT_EXPECT_EQ_MSG(test, spl_token_check(buf, SPL_TOKEN_HEX,
					    "web", &keys, 0, 0, tok.seen, &out),
					    SPL_TOKEN_FORGED, "digit %d: 0x%02x", pos,
					    (u8)*c);
		}
	}

	/* other versions: 00, 02, ff */
	memcpy(buf, h.s, SPL_TOKEN_HEX);
	memcpy(buf, "00", 2);
	KUNIT_EXPECT_EQ(test, spl_token_check(buf, SPL_TOKEN_HEX, "web", &keys, 0, 0,
					      tok.seen, &out), SPL_TOKEN_FORGED);
	memcpy(buf, "02", 2);
	KUNIT_EXPECT_EQ(test, spl_token_check(buf, SPL_TOKEN_HEX, "web", &keys, 0, 0,
					      tok.seen, &out), SPL_TOKEN_FORGED);
	memcpy(buf, "ff", 2);
	KUNIT_EXPECT_EQ(test, spl_token_check(buf, SPL_TOKEN_HEX, "web", &keys, 0, 0,
					      tok.seen, &out), SPL_TOKEN_FORGED);
}

/* The MAC covers the scope (the pool name): one pool's token is void for another. */
static void spl_token_other_pool(struct kunit *test)
{
	struct spl_token_keys keys = keys1(&key_a);
	struct hex h = make(&tok, "a", &key_a);
	struct spl_token out;

	KUNIT_EXPECT_EQ(test, check(h.s, "a", &keys, &out), SPL_TOKEN_OK);
	KUNIT_EXPECT_EQ(test, check(h.s, "b", &keys, &out), SPL_TOKEN_ALTERED);
	KUNIT_EXPECT_EQ(test, check(h.s, "", &keys, &out), SPL_TOKEN_ALTERED);
	KUNIT_EXPECT_EQ(test, check(h.s, "aa", &keys, &out), SPL_TOKEN_ALTERED);
	h = make(&tok, "web", &key_a);
	KUNIT_EXPECT_EQ(test, check(h.s, "web2", &keys, &out), SPL_TOKEN_ALTERED);
	KUNIT_EXPECT_EQ(test, check(h.s, "we", &keys, &out), SPL_TOKEN_ALTERED);
}

static void spl_token_key_rotation(struct kunit *test)
{
	struct spl_token_keys ba = keys2(&key_b, &key_a);
	struct spl_token_keys cb = keys2(&key_c, &key_b);
	struct spl_token_keys b_only = keys2(&key_b, &key_a);
	struct hex h = make(&tok, "web", &key_a);
	struct spl_token out;

	/* made with A, A now the second key: accepted, and says so */
	memset(&out, 0, sizeof(out));
	KUNIT_EXPECT_EQ(test, check(h.s, "web", &ba, &out), SPL_TOKEN_OK);
	KUNIT_EXPECT_EQ(test, out.key, 1);
	KUNIT_EXPECT_EQ(test, out.srv_id, tok.srv_id);
	/* A rotated out */
	KUNIT_EXPECT_EQ(test, check(h.s, "web", &cb, &out), SPL_TOKEN_ALTERED);
	/* A in key[1] but n = 1: not in use */
	b_only.n = 1;
	KUNIT_EXPECT_EQ(test, check(h.s, "web", &b_only, &out), SPL_TOKEN_ALTERED);
	/* a token made with the new first key verifies with index 0 */
	h = make(&tok, "web", &key_b);
	KUNIT_EXPECT_EQ(test, check(h.s, "web", &ba, &out), SPL_TOKEN_OK);
	KUNIT_EXPECT_EQ(test, out.key, 0);
	KUNIT_EXPECT_EQ(test, check(h.s, "web", &cb, &out), SPL_TOKEN_OK);
	KUNIT_EXPECT_EQ(test, out.key, 1);
}

static enum spl_token_verdict check_at(const struct hex *h, u32 maxidle,
				       u32 maxlife, u32 now,
				       struct spl_token *out)
{
	struct spl_token_keys keys = keys1(&key_a);

	return spl_token_check(h->s, SPL_TOKEN_HEX, "web", &keys, maxidle,
			       maxlife, now, out);
}

static void spl_token_expiry(struct kunit *test)
{
	struct spl_token t = { .srv_id = 7, .born = 100000, .seen = 100500 };
	struct hex h = make(&t, "web", &key_a);
	struct spl_token out;

	/* maxidle 60: age since seen == 60 is fine, 61 is not */
	KUNIT_EXPECT_EQ(test, check_at(&h, 60, 0, t.seen, &out), SPL_TOKEN_OK);
	KUNIT_EXPECT_EQ(test, check_at(&h, 60, 0, t.seen + 60, &out), SPL_TOKEN_OK);
	memset(&out, 0, sizeof(out));
	KUNIT_EXPECT_EQ(test, check_at(&h, 60, 0, t.seen + 61, &out),
			SPL_TOKEN_EXPIRED_IDLE);
	/* filled in even when expired */
	KUNIT_EXPECT_EQ(test, out.srv_id, t.srv_id);
	KUNIT_EXPECT_EQ(test, out.born, t.born);
	KUNIT_EXPECT_EQ(test, out.seen, t.seen);

	/* maxlife 1000: age since born == 1000 is fine, 1001 is not */
	KUNIT_EXPECT_EQ(test, check_at(&h, 0, 1000, t.born + 1000, &out), SPL_TOKEN_OK);
	KUNIT_EXPECT_EQ(test, check_at(&h, 0, 1000, t.born + 1001, &out),
			SPL_TOKEN_EXPIRED_LIFE);
	/* both limits passed: maxlife is reported */
	KUNIT_EXPECT_EQ(test, check_at(&h, 60, 1000, t.born + 5000, &out),
			SPL_TOKEN_EXPIRED_LIFE);
	KUNIT_EXPECT_EQ(test, check_at(&h, 60, 1000, t.seen + 61, &out),
			SPL_TOKEN_EXPIRED_IDLE);
	/* 0: no limit */
	KUNIT_EXPECT_EQ(test, check_at(&h, 0, 0, t.born + 2000000000U, &out),
			SPL_TOKEN_OK);

	/* clock skew: seen (and born) in our future are not expired */
	KUNIT_EXPECT_EQ(test, check_at(&h, 60, 1000, t.born - 1, &out), SPL_TOKEN_OK);
	KUNIT_EXPECT_EQ(test, check_at(&h, 1, 1, t.born - 3600, &out), SPL_TOKEN_OK);
	KUNIT_EXPECT_EQ(test, check_at(&h, 1, 0, t.seen - 1, &out), SPL_TOKEN_OK);

	/* ages across the u32 wrap of the clock */
	t.born = 0xfffffff0;
	t.seen = 0xfffffff0;
	h = make(&t, "web", &key_a);
	KUNIT_EXPECT_EQ(test, check_at(&h, 0, 32, 0x10, &out), SPL_TOKEN_OK);
	KUNIT_EXPECT_EQ(test, check_at(&h, 0, 31, 0x10, &out), SPL_TOKEN_EXPIRED_LIFE);
	KUNIT_EXPECT_EQ(test, check_at(&h, 31, 0, 0x10, &out), SPL_TOKEN_EXPIRED_IDLE);
}

static void spl_token_uppercase(struct kunit *test)
{
	struct spl_token_keys keys = keys1(&key_a);
	struct hex h = make(&tok, "web", &key_a);
	struct spl_token out;
	int i, letters = 0;

	for (i = 0; i < SPL_TOKEN_HEX; i++) {
		letters += isalpha(h.s[i]) != 0;
		h.s[i] = toupper(h.s[i]);
	}
	KUNIT_ASSERT_GT(test, letters, 0);	/* or this proves nothing */
	memset(&out, 0, sizeof(out));
	KUNIT_EXPECT_EQ(test, check(h.s, "web", &keys, &out), SPL_TOKEN_OK);
	KUNIT_EXPECT_EQ(test, out.srv_id, tok.srv_id);
	KUNIT_EXPECT_EQ(test, out.born, tok.born);
	KUNIT_EXPECT_EQ(test, out.seen, tok.seen);
	/* and mixed case */
	for (i = 0; i < SPL_TOKEN_HEX; i += 2)
		h.s[i] = tolower(h.s[i]);
	KUNIT_EXPECT_EQ(test, check(h.s, "web", &keys, &out), SPL_TOKEN_OK);
}

static void spl_token_server_id(struct kunit *test)
{
	static const char *const names[] = { "web1", "web2", "srv-0", "srv-1", "a", "" };
	u32 id[ARRAY_SIZE(names)];
	int i, j;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		id[i] = spl_server_id(names[i]);
		KUNIT_EXPECT_NE_MSG(test, id[i], 0U, "\"%s\"", names[i]);
		KUNIT_EXPECT_EQ_MSG(test, spl_server_id(names[i]), id[i], "\"%s\"",
				    names[i]);
	}
	for (i = 0; i < ARRAY_SIZE(names); i++)
		for (j = i + 1; j < ARRAY_SIZE(names); j++)
			KUNIT_EXPECT_NE_MSG(test, id[i], id[j], "\"%s\" \"%s\"",
					    names[i], names[j]);
	/* the same on every node and every build */
	KUNIT_EXPECT_EQ(test, spl_server_id("web1"), 0x74eb39d4U);
}

static void spl_token_key_id(struct kunit *test)
{
	siphash_key_t k = key_a;

	KUNIT_EXPECT_EQ(test, spl_key_id(&key_a), spl_key_id(&k));
	KUNIT_EXPECT_NE(test, spl_key_id(&key_a), spl_key_id(&key_b));
	KUNIT_EXPECT_NE(test, spl_key_id(&key_a), spl_key_id(&key_c));
	KUNIT_EXPECT_NE(test, spl_key_id(&key_b), spl_key_id(&key_c));
	k.key[1] ^= 1;		/* one bit */
	KUNIT_EXPECT_NE(test, spl_key_id(&key_a), spl_key_id(&k));
	KUNIT_EXPECT_EQ(test, spl_key_id(&key_a), 0x01a68473U);
}

static struct kunit_case spl_token_cases[] = {
	KUNIT_CASE(spl_token_round_trip),
	KUNIT_CASE(spl_token_known_token),
	KUNIT_CASE(spl_token_every_digit_altered),
	KUNIT_CASE(spl_token_malformed),
	KUNIT_CASE(spl_token_other_pool),
	KUNIT_CASE(spl_token_key_rotation),
	KUNIT_CASE(spl_token_expiry),
	KUNIT_CASE(spl_token_uppercase),
	KUNIT_CASE(spl_token_server_id),
	KUNIT_CASE(spl_token_key_id),
	{}
};

struct kunit_suite spl_token_test_suite = {
	.name = "spl_token",
	.test_cases = spl_token_cases,
};
