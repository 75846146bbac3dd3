// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: TCP header translation for the packet splice (kmod/xlate.c):
 * sequence, ack, SACK and timestamp translation including wrap-around,
 * window rescaling, options a receiver did not negotiate, malformed
 * options.
 */
#include <kunit/test.h>
#include "../xlate.c"

static u32 get(const u8 *p)
{
	return get32(p);
}

/* A header with ACK set, window @win, and the options @opt (@olen bytes). */
static u32 make(u8 *th, u32 seq, u32 ack, u16 win, const u8 *opt, u32 olen)
{
	u32 doff = 20 + olen;

	memset(th, 0, 60);
	put32(th + 4, seq);
	put32(th + 8, ack);
	th[12] = (doff / 4) << 4;
	th[13] = TCP_FLAG_ACK;
	th[14] = win >> 8;
	th[15] = win;
	memcpy(th + 20, opt, olen);
	return doff;
}

static const struct spl_xlate_leg leg_c = {
	.snd_nxt = 0xfffffff0, .rcv_nxt = 1000, .ts_now = 5000, .ts_recent = 70000,
	.snd_wscale = 7, .rcv_wscale = 9, .sack_ok = true, .ts_ok = true,
};

static const struct spl_xlate_leg leg_s = {
	.snd_nxt = 20, .rcv_nxt = 0x80000000, .ts_now = 0xffffff00, .ts_recent = 42,
	.snd_wscale = 2, .rcv_wscale = 7, .sack_ok = true, .ts_ok = true,
};

static void spl_xlate_seq_ack(struct kunit *test)
{
	struct spl_xlate c2s, s2c;
	u8 th[60];
	u32 doff;

	spl_xlate_pair(&leg_c, &leg_s, &c2s, &s2c);
	/* the client's next byte is the server's next byte on B */
	doff = make(th, leg_c.rcv_nxt, leg_c.snd_nxt, 100, NULL, 0);
	KUNIT_ASSERT_EQ(test, spl_xlate_tcp(th, doff, &c2s), 0);
	KUNIT_EXPECT_EQ(test, get(th + 4), leg_s.snd_nxt);
	KUNIT_EXPECT_EQ(test, get(th + 8), leg_s.rcv_nxt);
	/* 16 bytes later, across the 2^32 wrap of the client's acks */
	doff = make(th, leg_c.rcv_nxt + 16, leg_c.snd_nxt + 32, 100, NULL, 0);
	KUNIT_ASSERT_EQ(test, spl_xlate_tcp(th, doff, &c2s), 0);
	KUNIT_EXPECT_EQ(test, get(th + 4), leg_s.snd_nxt + 16);
	KUNIT_EXPECT_EQ(test, get(th + 8), leg_s.rcv_nxt + 32);
	/* and back: the server's next byte is what the client expects */
	doff = make(th, leg_s.rcv_nxt, leg_s.snd_nxt, 100, NULL, 0);
	KUNIT_ASSERT_EQ(test, spl_xlate_tcp(th, doff, &s2c), 0);
	KUNIT_EXPECT_EQ(test, get(th + 4), leg_c.snd_nxt);
	KUNIT_EXPECT_EQ(test, get(th + 8), leg_c.rcv_nxt);
	/* without ACK the ack field is left alone */
	doff = make(th, 1, 12345, 100, NULL, 0);
	th[13] = 0x08;	/* PSH only */
	KUNIT_ASSERT_EQ(test, spl_xlate_tcp(th, doff, &c2s), 0);
	KUNIT_EXPECT_EQ(test, get(th + 8), 12345U);
}

/* Whatever the offsets, an ack of translated data acks the original data. */
static void spl_xlate_round_trip(struct kunit *test)
{
	static const u32 seqs[] = { 0, 1, 999, 1000, 0x7fffffff, 0x80000000,
				    0xfffffff0, 0xffffffff };
	struct spl_xlate c2s, s2c;
	u8 th[60];
	u32 doff, i, sent;

	spl_xlate_pair(&leg_c, &leg_s, &c2s, &s2c);
	for (i = 0; i < ARRAY_SIZE(seqs); i++) {
		doff = make(th, seqs[i], 0, 1, NULL, 0);
		KUNIT_ASSERT_EQ(test, spl_xlate_tcp(th, doff, &c2s), 0);
		sent = get(th + 4);
		/* the server acks what it got: translate that ack back */
		doff = make(th, 0, sent, 1, NULL, 0);
		KUNIT_ASSERT_EQ(test, spl_xlate_tcp(th, doff, &s2c), 0);
		KUNIT_EXPECT_EQ(test, get(th + 8), seqs[i]);
	}
}

static void spl_xlate_sack(struct kunit *test)
{
	u8 opt[20] = { OPT_NOP, OPT_NOP, OPT_SACK, 18 };
	struct spl_xlate c2s, s2c;
	u8 th[60];
	u32 doff;

	spl_xlate_pair(&leg_c, &leg_s, &c2s, &s2c);
	put32(opt + 4, leg_s.snd_nxt + 100);	/* server SACKs B-space data */
	put32(opt + 8, leg_s.snd_nxt + 200);
	put32(opt + 12, leg_s.snd_nxt - 50);	/* wraps below 0 */
	put32(opt + 16, leg_s.snd_nxt - 10);
	doff = make(th, leg_s.rcv_nxt, leg_s.snd_nxt, 100, opt, sizeof(opt));
	KUNIT_ASSERT_EQ(test, spl_xlate_tcp(th, doff, &s2c), 0);
	KUNIT_EXPECT_EQ(test, get(th + 24), leg_c.rcv_nxt + 100);
	KUNIT_EXPECT_EQ(test, get(th + 28), leg_c.rcv_nxt + 200);
	KUNIT_EXPECT_EQ(test, get(th + 32), leg_c.rcv_nxt - 50);
	KUNIT_EXPECT_EQ(test, get(th + 36), leg_c.rcv_nxt - 10);
	KUNIT_EXPECT_EQ(test, th[22], OPT_SACK);
}

static void spl_xlate_timestamps(struct kunit *test)
{
	u8 opt[12] = { OPT_NOP, OPT_NOP, OPT_TS, OPT_TS_LEN };
	struct spl_xlate c2s, s2c;
	u8 th[60];
	u32 doff;

	spl_xlate_pair(&leg_c, &leg_s, &c2s, &s2c);
	/* the client's newest TSval continues B's clock; its echo of A's */
	put32(opt + 4, leg_c.ts_recent + 3);
	put32(opt + 8, leg_c.ts_now);
	doff = make(th, leg_c.rcv_nxt, leg_c.snd_nxt, 100, opt, sizeof(opt));
	KUNIT_ASSERT_EQ(test, spl_xlate_tcp(th, doff, &c2s), 0);
	KUNIT_EXPECT_EQ(test, get(th + 24), leg_s.ts_now + 3);	/* wraps */
	KUNIT_EXPECT_EQ(test, get(th + 28), leg_s.ts_recent);
	/* the server's TSval continues A's clock for the client */
	put32(opt + 4, leg_s.ts_recent + 7);
	put32(opt + 8, leg_s.ts_now + 2);
	doff = make(th, leg_s.rcv_nxt, leg_s.snd_nxt, 100, opt, sizeof(opt));
	KUNIT_ASSERT_EQ(test, spl_xlate_tcp(th, doff, &s2c), 0);
	KUNIT_EXPECT_EQ(test, get(th + 24), leg_c.ts_now + 7);
	KUNIT_EXPECT_EQ(test, get(th + 28), leg_c.ts_recent + 2);
}

static void spl_xlate_windows(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, spl_xlate_window(100, 7, 7), 100);
	KUNIT_EXPECT_EQ(test, spl_xlate_window(100, 7, 9), 25);	/* 12800 bytes */
	KUNIT_EXPECT_EQ(test, spl_xlate_window(100, 9, 7), 400);
	KUNIT_EXPECT_EQ(test, spl_xlate_window(1000, 10, 0), 0xffff);	/* capped */
	KUNIT_EXPECT_EQ(test, spl_xlate_window(1, 0, 7), 1);	/* open stays open */
	KUNIT_EXPECT_EQ(test, spl_xlate_window(0, 0, 7), 0);	/* closed stays closed */
	KUNIT_EXPECT_EQ(test, spl_xlate_window(100, 15, 14), 100);	/* 15 is 14 */
	KUNIT_EXPECT_EQ(test, spl_xlate_window(0xffff, 0, 0), 0xffff);
}

/* A receiver without SACK or timestamps gets NOPs in their place. */
static void spl_xlate_unnegotiated(struct kunit *test)
{
	u8 opt[24] = { OPT_NOP, OPT_NOP, OPT_TS, OPT_TS_LEN, 0, 0, 0, 1, 0, 0, 0, 2,
		       OPT_SACK, 10, 0, 0, 0, 5, 0, 0, 0, 9, OPT_NOP, OPT_NOP };
	struct spl_xlate_leg c = leg_c, s = leg_s;
	struct spl_xlate c2s, s2c;
	u8 th[60];
	u32 doff, i;

	s.sack_ok = false;
	s.ts_ok = false;
	spl_xlate_pair(&c, &s, &c2s, &s2c);
	KUNIT_EXPECT_EQ(test, c2s.flags, 0);
	KUNIT_EXPECT_EQ(test, s2c.flags, SPL_XLATE_F_SACK | SPL_XLATE_F_TS);
	doff = make(th, c.rcv_nxt, c.snd_nxt, 100, opt, sizeof(opt));
	KUNIT_ASSERT_EQ(test, spl_xlate_tcp(th, doff, &c2s), 0);
	for (i = 20; i < doff; i++)
		KUNIT_EXPECT_EQ(test, th[i], OPT_NOP);
}

static void spl_xlate_malformed(struct kunit *test)
{
	static const struct { u8 opt[8]; u32 len; } bad[] = {
		{ { OPT_SACK, 9, 0, 0, 0, 0, 0, 0 }, 8 },	/* not 2 + 8n */
		{ { OPT_TS, 8, 0, 0, 0, 0, 0, 0 }, 8 },		/* not 10 */
		{ { 30, 1, OPT_NOP, OPT_NOP }, 4 },		/* length < 2 */
		{ { 30, 12, 0, 0 }, 4 },			/* past the header */
		{ { OPT_NOP, OPT_NOP, OPT_NOP, 30 }, 4 },	/* kind without length */
	};
	struct spl_xlate c2s, s2c;
	u8 th[60];
	u32 doff, i;

	spl_xlate_pair(&leg_c, &leg_s, &c2s, &s2c);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		doff = make(th, 1, 1, 1, bad[i].opt, bad[i].len);
		KUNIT_EXPECT_EQ_MSG(test, spl_xlate_tcp(th, doff, &c2s), -1, "case %u", i);
	}
	/* data offset beyond what is there, or below 20 */
	doff = make(th, 1, 1, 1, NULL, 0);
	KUNIT_EXPECT_EQ(test, spl_xlate_tcp(th, 19, &c2s), -1);
	th[12] = 4 << 4;
	KUNIT_EXPECT_EQ(test, spl_xlate_tcp(th, 60, &c2s), -1);
	th[12] = 15 << 4;
	KUNIT_EXPECT_EQ(test, spl_xlate_tcp(th, 40, &c2s), -1);
	/* a SYN is never spliced */
	doff = make(th, 1, 1, 1, NULL, 0);
	th[13] |= TCP_FLAG_SYN;
	KUNIT_EXPECT_EQ(test, spl_xlate_tcp(th, doff, &c2s), -1);
	/* unknown options of a sane length pass untouched */
	doff = make(th, 1, 1, 1, (const u8 []){ 30, 4, 0xab, 0xcd }, 4);
	KUNIT_EXPECT_EQ(test, spl_xlate_tcp(th, doff, &c2s), 0);
	KUNIT_EXPECT_EQ(test, th[22], 0xab);
	KUNIT_EXPECT_EQ(test, th[23], 0xcd);
}

static struct kunit_case spl_xlate_cases[] = {
	KUNIT_CASE(spl_xlate_seq_ack),
	KUNIT_CASE(spl_xlate_round_trip),
	KUNIT_CASE(spl_xlate_sack),
	KUNIT_CASE(spl_xlate_timestamps),
	KUNIT_CASE(spl_xlate_windows),
	KUNIT_CASE(spl_xlate_unnegotiated),
	KUNIT_CASE(spl_xlate_malformed),
	{}
};

struct kunit_suite spl_xlate_test_suite = {
	.name = "spl_xlate",
	.test_cases = spl_xlate_cases,
};
