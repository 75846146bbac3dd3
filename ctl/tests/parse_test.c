// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ctl/parse.c: addresses (with IPv6 brackets), ports,
 * durations (milliseconds, and the whole seconds of persistence), sizes,
 * numbers, object names, cookie/header names and hex keys, including
 * overflow at every limit; on/off switches and keyword/value pairs.
 * Run by "make -C ctl test"; exits non-zero if any check fails.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/splicer.h>

#include "../parse.h"

static int passed, failed;

#define CHECK(cond, ...) \
	do { \
		if (cond) { \
			passed++; \
		} else { \
			failed++; \
			printf("FAIL %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__); \
			putchar('\n'); \
		} \
	} while (0)

static void addr_ok(const char *s, int family, const char *addr, unsigned int port)
{
	struct addrport ap;
	uint8_t want[16] = { 0 };
	const char *err = parse_addrport(s, &ap);

	inet_pton(family, addr, want);
	CHECK(!err, "parse_addrport(\"%s\") failed: %s", s, err);
	if (err)
		return;
	CHECK(ap.family == family, "\"%s\": family %u", s, ap.family);
	CHECK(!memcmp(ap.addr, want, family == AF_INET ? 4 : 16),
	      "\"%s\": wrong address bytes", s);
	CHECK(ap.port == port, "\"%s\": port %u, want %u", s, ap.port, port);
}

static void addr_bad(const char *s, const char *want_reason)
{
	struct addrport ap = { .family = 99 };
	const char *err = parse_addrport(s, &ap);

	CHECK(err, "parse_addrport(\"%s\") accepted a bad address", s ? s : "(null)");
	if (err && want_reason)
		CHECK(strstr(err, want_reason), "\"%s\": reason \"%s\", want \"%s\"",
		      s, err, want_reason);
	CHECK(ap.family == 99, "\"%s\": output written on failure", s ? s : "(null)");
}

static void test_addrport(void)
{
	char longv6[128];

	addr_ok("198.18.0.1:80", AF_INET, "198.18.0.1", 80);
	addr_ok("0.0.0.0:1", AF_INET, "0.0.0.0", 1);
	addr_ok("255.255.255.255:65535", AF_INET, "255.255.255.255", 65535);
	addr_ok("198.18.0.1:080", AF_INET, "198.18.0.1", 80);
	addr_ok("[2001:db8::1]:80", AF_INET6, "2001:db8::1", 80);
	addr_ok("[::]:8080", AF_INET6, "::", 8080);
	addr_ok("[::1]:1", AF_INET6, "::1", 1);
	addr_ok("[::ffff:198.18.0.1]:443", AF_INET6, "::ffff:198.18.0.1", 443);
	addr_ok("[2001:0db8:0000:0000:0000:0000:0000:0001]:65535", AF_INET6,
		"2001:db8::1", 65535);

	addr_bad(NULL, "missing");
	addr_bad("", "missing");
	addr_bad("198.18.0.1", "missing :PORT");
	addr_bad("198.18.0.1:", "missing port");
	addr_bad(":80", "missing address");
	addr_bad("198.18.0.1:0", "1..65535");
	addr_bad("198.18.0.1:65536", "1..65535");
	addr_bad("198.18.0.1:4294967376", "1..65535");	/* 2^32 + 80 */
	addr_bad("198.18.0.1:99999999999999999999999", "1..65535");
	addr_bad("198.18.0.1:-1", "1..65535");
	addr_bad("198.18.0.1:+80", "1..65535");
	addr_bad("198.18.0.1: 80", "1..65535");
	addr_bad("198.18.0.1:80 ", "1..65535");
	addr_bad("198.18.0.1:80x", "1..65535");
	addr_bad("198.18.0.1:0x50", "1..65535");
	addr_bad("256.1.1.1:80", "IPv4");
	addr_bad("1.2.3:80", "IPv4");
	addr_bad("1.2.3.4.5:80", "IPv4");
	addr_bad("host.example:80", "IPv4");
	addr_bad(" 1.2.3.4:80", "IPv4");
	addr_bad("2001:db8::1:80", "brackets");
	addr_bad("::1", "brackets");
	addr_bad("[2001:db8::1]80", "expected ':'");
	addr_bad("[2001:db8::1]", "missing :PORT");
	addr_bad("[2001:db8::1]:", "missing port");
	addr_bad("[2001:db8::1]:0", "1..65535");
	addr_bad("[2001:db8::1]:65536", "1..65535");
	addr_bad("[2001:db8::1:80", "missing ']'");
	addr_bad("[]:80", "missing address");
	addr_bad("[198.18.0.1]:80", "IPv6");
	addr_bad("[2001:db8::g]:80", "IPv6");
	addr_bad("[2001:db8:::1]:80", "IPv6");
	addr_bad("[fe80::1%eth0]:80", "zone");
	memset(longv6, 'a', sizeof(longv6));
	longv6[0] = '[';
	strcpy(longv6 + 100, "]:80");
	addr_bad(longv6, "IPv6");
}

static void u32_ok(const char *s, uint32_t min, uint32_t max, uint32_t want)
{
	uint32_t v = 0;
	const char *err = parse_u32(s, min, max, &v);

	CHECK(!err && v == want, "parse_u32(\"%s\") = %u (%s), want %u", s, v,
	      err ? err : "ok", want);
}

static void u32_bad(const char *s, uint32_t min, uint32_t max)
{
	uint32_t v = 12345;

	CHECK(parse_u32(s, min, max, &v) && v == 12345,
	      "parse_u32(\"%s\", %u, %u) accepted", s ? s : "(null)", min, max);
}

static void test_u32(void)
{
	u32_ok("0", 0, UINT32_MAX, 0);
	u32_ok("1", 1, 1000, 1);
	u32_ok("1000", 1, 1000, 1000);
	u32_ok("007", 0, 10, 7);
	u32_ok("4294967295", 0, UINT32_MAX, UINT32_MAX);
	u32_bad("4294967296", 0, UINT32_MAX);
	u32_bad("18446744073709551616", 0, UINT32_MAX);
	u32_bad("18446744073709551617000", 0, UINT32_MAX);
	u32_bad("0", 1, 1000);
	u32_bad("1001", 1, 1000);
	u32_bad("", 0, UINT32_MAX);
	u32_bad(NULL, 0, UINT32_MAX);
	u32_bad("-1", 0, UINT32_MAX);
	u32_bad("+1", 0, UINT32_MAX);
	u32_bad(" 1", 0, UINT32_MAX);
	u32_bad("1 ", 0, UINT32_MAX);
	u32_bad("0x10", 0, UINT32_MAX);
	u32_bad("1e3", 0, UINT32_MAX);
	u32_bad("ten", 0, UINT32_MAX);
}

static void dur_ok(const char *s, uint32_t want)
{
	uint32_t v = 0;
	const char *err = parse_duration_ms(s, &v);

	CHECK(!err && v == want, "parse_duration_ms(\"%s\") = %u (%s), want %u",
	      s, v, err ? err : "ok", want);
}

static void dur_bad(const char *s, const char *want_reason)
{
	uint32_t v = 12345;
	const char *err = parse_duration_ms(s, &v);

	CHECK(err && v == 12345, "parse_duration_ms(\"%s\") accepted", s ? s : "(null)");
	if (err && want_reason)
		CHECK(strstr(err, want_reason), "\"%s\": reason \"%s\"", s, err);
}

static void test_duration(void)
{
	dur_ok("500ms", 500);
	dur_ok("10s", 10000);
	dur_ok("2m", 120000);
	dur_ok("1h", 3600000);
	dur_ok("250", 250);
	dur_ok("0", 0);
	dur_ok("0s", 0);
	dur_ok("4294967295", UINT32_MAX);
	dur_ok("4294967295ms", UINT32_MAX);
	dur_ok("4294967s", 4294967000u);
	dur_ok("71582m", 4294920000u);
	dur_ok("1193h", 4294800000u);

	dur_bad("4294967296", "too long");
	dur_bad("4294967296ms", "too long");
	dur_bad("4294968s", "too long");
	dur_bad("71583m", "too long");
	dur_bad("1194h", "too long");
	dur_bad("99999999999999999999s", "too long");
	dur_bad("18446744073709551616h", "too long");
	dur_bad("", "not a duration");
	dur_bad(NULL, NULL);
	dur_bad("s", "not a duration");
	dur_bad("ms", "not a duration");
	dur_bad("10x", "not a duration");
	dur_bad("10S", "not a duration");
	dur_bad("10 s", "not a duration");
	dur_bad("1.5s", "not a duration");
	dur_bad("-1s", "not a duration");
	dur_bad("+1s", "not a duration");
	dur_bad("10sec", "not a duration");
	dur_bad("1d", "not a duration");
	dur_bad("10ms ", "not a duration");
}

static void secs_ok(const char *s, uint32_t want)
{
	uint32_t v = 12345;
	const char *err = parse_duration_s(s, &v);

	CHECK(!err && v == want, "parse_duration_s(\"%s\") = %u (%s), want %u",
	      s, v, err ? err : "ok", want);
}

static void secs_bad(const char *s, const char *want_reason)
{
	uint32_t v = 12345;
	const char *err = parse_duration_s(s, &v);

	CHECK(err && v == 12345, "parse_duration_s(\"%s\") accepted", s ? s : "(null)");
	if (err && want_reason)
		CHECK(strstr(err, want_reason), "\"%s\": reason \"%s\"", s, err);
}

static void test_duration_s(void)
{
	char buf[DURATION_STR_MAX];
	static const uint32_t back[] = { 0, 1, 59, 60, 61, 90, 3599, 3600, 5400, 86400,
					 4294967295u, 4294965600u };
	size_t i;

	secs_ok("90", 90);		/* a bare number is seconds here */
	secs_ok("0", 0);
	secs_ok("0s", 0);
	secs_ok("0ms", 0);
	secs_ok("10s", 10);
	secs_ok("2m", 120);
	secs_ok("1h", 3600);
	secs_ok("1000ms", 1);
	secs_ok("3000ms", 3);
	secs_ok("4294967295", UINT32_MAX);
	secs_ok("4294967295s", UINT32_MAX);
	secs_ok("4294967295000ms", UINT32_MAX);
	secs_ok("71582788m", 4294967280u);
	secs_ok("1193046h", 4294965600u);
	secs_ok("007s", 7);

	secs_bad("500ms", "less than a second");
	secs_bad("1ms", "less than a second");
	secs_bad("1500ms", "whole number of seconds");
	secs_bad("1001ms", "whole number of seconds");
	secs_bad("4294967296", "too long");
	secs_bad("4294967296s", "too long");
	secs_bad("4294967296000ms", "too long");
	secs_bad("71582789m", "too long");
	secs_bad("1193047h", "too long");
	secs_bad("99999999999999999999999", "too long");
	secs_bad("1.5s", "not a duration");
	secs_bad("1d", "not a duration");
	secs_bad("10S", "not a duration");
	secs_bad("10 s", "not a duration");
	secs_bad("-1", "not a duration");
	secs_bad("+1", "not a duration");
	secs_bad("", "not a duration");
	secs_bad("s", "not a duration");
	secs_bad("ms", "not a duration");
	secs_bad("10msx", "not a duration");
	secs_bad("10sms", "not a duration");
	secs_bad(NULL, NULL);

	for (i = 0; i < sizeof(back) / sizeof(back[0]); i++) {
		uint32_t v = 1;

		format_seconds(back[i], buf, sizeof(buf));
		CHECK(!parse_duration_s(buf, &v) && v == back[i],
		      "format_seconds(%u) = \"%s\" reads back as %u", back[i], buf, v);
	}
	CHECK(!strcmp(format_seconds(0, buf, sizeof(buf)), "0s"), "0: %s", buf);
	CHECK(!strcmp(format_seconds(90, buf, sizeof(buf)), "90s"), "90: %s", buf);
	CHECK(!strcmp(format_seconds(120, buf, sizeof(buf)), "2m"), "120: %s", buf);
	CHECK(!strcmp(format_seconds(5400, buf, sizeof(buf)), "90m"), "5400: %s", buf);
	CHECK(!strcmp(format_seconds(7200, buf, sizeof(buf)), "2h"), "7200: %s", buf);
	CHECK(!strcmp(format_seconds(UINT32_MAX, buf, sizeof(buf)), "4294967295s"),
	      "max: %s", buf);
}

static void test_token_names(void)
{
	char n63[64], n64[65];

	memset(n63, 'c', 63);
	n63[63] = '\0';
	memset(n64, 'c', 64);
	n64[64] = '\0';
	CHECK(!parse_token_name("SPLICERID"), "SPLICERID");
	CHECK(!parse_token_name("JSESSIONID"), "JSESSIONID");
	CHECK(!parse_token_name("X-User"), "X-User");
	CHECK(!parse_token_name("!#$%&'*+-.^_`|~09AZaz"), "every token special");
	CHECK(!parse_token_name("a"), "one byte");
	CHECK(!parse_token_name(n63), "63 bytes");
	CHECK(parse_token_name(n64) && strstr(parse_token_name(n64), "63"),
	      "64 bytes accepted");
	CHECK(parse_token_name("") && strstr(parse_token_name(""), "empty"), "empty");
	CHECK(parse_token_name(NULL), "NULL accepted");
	{
		/* RFC 6265 separators, controls, space, DEL, non-ASCII. */
		static const char *const bad[] = {
			"a;b", "a=b", "a,b", "a b", "a\tb", "a\"b", "a(b", "a)b",
			"a<b", "a>b", "a@b", "a:b", "a\\b", "a/b", "a[b", "a]b",
			"a?b", "a{b", "a}b", "a\x7f", "a\x01", "caf\xc3\xa9",
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			CHECK(parse_token_name(bad[i]) &&
			      strstr(parse_token_name(bad[i]), "token"),
			      "token name \"%s\" accepted", bad[i]);
	}
}

static void test_hex_key(void)
{
	static const uint8_t want[16] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	};
	uint8_t key[16];

	memset(key, 0x5a, sizeof(key));
	CHECK(!parse_hex_key("00112233445566778899aabbccddeeff", key) &&
	      !memcmp(key, want, 16), "lower case");
	memset(key, 0x5a, sizeof(key));
	CHECK(!parse_hex_key("00112233445566778899AABBCCDDEEFF", key) &&
	      !memcmp(key, want, 16), "upper case");
	memset(key, 0x5a, sizeof(key));
	CHECK(parse_hex_key("00112233445566778899aabbccddeef", key) && key[0] == 0x5a,
	      "31 digits accepted");
	CHECK(parse_hex_key("00112233445566778899aabbccddeeff0", key), "33 digits");
	CHECK(parse_hex_key("00112233445566778899aabbccddeefg", key) && key[0] == 0x5a,
	      "g accepted");
	CHECK(parse_hex_key("0x112233445566778899aabbccddeeff", key), "0x accepted");
	CHECK(parse_hex_key(" 0112233445566778899aabbccddeeff", key), "space accepted");
	CHECK(parse_hex_key("", key), "empty accepted");
	CHECK(parse_hex_key(NULL, key), "NULL accepted");
}

static void bytes_ok(const char *s, uint32_t want)
{
	uint32_t v = 0;
	const char *err = parse_bytes(s, &v);

	CHECK(!err && v == want, "parse_bytes(\"%s\") = %u (%s), want %u", s, v,
	      err ? err : "ok", want);
}

static void bytes_bad(const char *s)
{
	uint32_t v = 12345;

	CHECK(parse_bytes(s, &v) && v == 12345, "parse_bytes(\"%s\") accepted",
	      s ? s : "(null)");
}

static void test_bytes(void)
{
	bytes_ok("16384", 16384);
	bytes_ok("16k", 16384);
	bytes_ok("16K", 16384);
	bytes_ok("16KiB", 16384);
	bytes_ok("1M", 1048576);
	bytes_ok("1m", 1048576);
	bytes_ok("1MiB", 1048576);
	bytes_ok("4095M", 4095u * 1048576u);
	bytes_ok("4194303k", 4194303u * 1024u);
	bytes_ok("4294967295", UINT32_MAX);
	bytes_bad("4096M");
	bytes_bad("4194304k");
	bytes_bad("4294967296");
	bytes_bad("1G");
	bytes_bad("16kb");
	bytes_bad("k");
	bytes_bad("");
	bytes_bad(NULL);
	bytes_bad("-1");
}

static void test_names(void)
{
	char n31[32], n32[33];

	memset(n31, 'a', 31);
	n31[31] = '\0';
	memset(n32, 'b', 32);
	n32[32] = '\0';

	CHECK(!parse_name("a"), "\"a\"");
	CHECK(!parse_name("web-1.example_X"), "web-1.example_X");
	CHECK(!parse_name("0"), "\"0\"");
	CHECK(!parse_name(n31), "31 characters");
	CHECK(parse_name(n32), "32 characters accepted");
	CHECK(parse_name(""), "empty accepted");
	CHECK(parse_name(NULL), "NULL accepted");
	CHECK(parse_name("a b"), "space accepted");
	CHECK(parse_name("a/b"), "slash accepted");
	CHECK(parse_name("a:b"), "colon accepted");
	CHECK(parse_name("caf\xc3\xa9"), "UTF-8 accepted");
	CHECK(parse_name("a\n"), "newline accepted");
}

static void test_enums(void)
{
	uint8_t v = 99;

	CHECK(!parse_balance("roundrobin", &v) && v == SPLICER_BALANCE_ROUNDROBIN, "rr");
	CHECK(!parse_balance("leastconn", &v) && v == SPLICER_BALANCE_LEASTCONN, "lc");
	v = 99;
	CHECK(parse_balance("random", &v) && v == 99, "random accepted");
	CHECK(parse_balance("", &v), "empty balance accepted");
	CHECK(parse_balance(NULL, &v), "NULL balance accepted");
	CHECK(!strcmp(balance_name(SPLICER_BALANCE_LEASTCONN), "leastconn"), "name");
	CHECK(!balance_name(SPLICER_BALANCE_MAX + 1), "unknown balance has a name");

	CHECK(!parse_state("up", &v) && v == SPLICER_SRV_STATE_UP, "up");
	CHECK(!parse_state("drain", &v) && v == SPLICER_SRV_STATE_DRAIN, "drain");
	CHECK(!parse_state("maint", &v) && v == SPLICER_SRV_STATE_MAINT, "maint");
	CHECK(parse_state("down", &v), "down accepted");
	CHECK(parse_state("UP", &v), "UP accepted");
	CHECK(!strcmp(state_name(SPLICER_SRV_STATE_MAINT), "maint"), "name");
	CHECK(!state_name(255), "unknown state has a name");
}

static void test_onoff(void)
{
	uint8_t v = 99;

	CHECK(!parse_onoff("on", &v) && v == 1, "on");
	CHECK(!parse_onoff("off", &v) && v == 0, "off");
	v = 99;
	CHECK(parse_onoff("yes", &v) && v == 99, "yes accepted");
	CHECK(parse_onoff("ON", &v) && v == 99, "ON accepted");
	CHECK(parse_onoff("1", &v) && v == 99, "1 accepted");
	CHECK(parse_onoff("", &v) && parse_onoff(NULL, &v), "empty accepted");
	CHECK(!strcmp(parse_onoff("true", &v), "expected on or off"), "reason");
	CHECK(!strcmp(onoff_name(0), "off") && !strcmp(onoff_name(1), "on") &&
	      !strcmp(onoff_name(2), "on"), "onoff_name");
}

/* A small object for parse_kw_args. */
struct kwobj {
	uint32_t has;
	uint8_t sw;
	uint32_t ms, n;
	char name[SPLICER_NAME_MAX];
};

static const struct kw kws[] = {
	{ "switch", KW_ONOFF, 1, offsetof(struct kwobj, sw), 0, 0, NULL },
	{ "timeout", KW_DURATION, 2, offsetof(struct kwobj, ms), 0, 0, NULL },
	{ "count", KW_U32, 3, offsetof(struct kwobj, n), 1, 10, NULL },
	{ "name", KW_NAME, 4, offsetof(struct kwobj, name), 0, 0, NULL },
	{ "fixed", KW_U32, 5, 0, 0, 0, "is read only" },
};

static int kw_line(const char *line, struct kwobj *o, char *err, size_t errlen)
{
	char copy[256], *argv[16], *save = NULL, *w;
	int argc = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (w = strtok_r(copy, " ", &save); w && argc < 16; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	memset(o, 0, sizeof(*o));
	*err = '\0';
	return parse_kw_args(kws, sizeof(kws) / sizeof(kws[0]), argc, argv, o, &o->has,
			     err, errlen);
}

static void kw_bad(const char *line, const char *reason)
{
	struct kwobj o;
	char err[128];

	CHECK(kw_line(line, &o, err, sizeof(err)) == -1, "\"%s\" accepted", line);
	CHECK(!strcmp(err, reason), "\"%s\": reason \"%s\", want \"%s\"", line, err,
	      reason);
	CHECK(!o.has, "\"%s\": has 0x%x after a failure", line, o.has);
}

static void test_keywords(void)
{
	struct kwobj o;
	char err[128];

	CHECK(!kw_line("switch on timeout 2s count 10 name web-1", &o, err, sizeof(err)),
	      "all: %s", err);
	CHECK(o.has == (1u << 1 | 1u << 2 | 1u << 3 | 1u << 4) && o.sw == 1 &&
	      o.ms == 2000 && o.n == 10 && !strcmp(o.name, "web-1"), "all: has 0x%x",
	      o.has);
	CHECK(!kw_line("switch off", &o, err, sizeof(err)) && o.has == 1u << 1 && !o.sw,
	      "off");
	CHECK(!kw_line("", &o, err, sizeof(err)) && !o.has, "nothing");
	kw_bad("switch yes", "switch \"yes\": expected on or off");
	kw_bad("switch", "\"switch\" needs a value");
	kw_bad("switch on switch off", "\"switch\" given twice");
	kw_bad("bogus 1", "unknown keyword \"bogus\"");
	kw_bad("fixed 1", "\"fixed\" is read only");
	kw_bad("count 11", "count \"11\": out of range (1..10)");
	kw_bad("timeout 2x", "timeout \"2x\": not a duration (500ms, 10s, 2m, 1h or "
	       "milliseconds)");
	kw_bad("switch on name a/b", "name \"a/b\": names may only use A-Z a-z 0-9 _ . -");
}

static void fmt_dur(uint32_t ms, const char *want)
{
	char buf[DURATION_STR_MAX];
	uint32_t back = 1;

	format_duration(ms, buf, sizeof(buf));
	CHECK(!strcmp(buf, want), "format_duration(%u) = \"%s\", want \"%s\"",
	      ms, buf, want);
	CHECK(!parse_duration_ms(buf, &back) && back == ms,
	      "\"%s\" does not parse back to %u", buf, ms);
}

static void fmt_addr(const char *in)
{
	char buf[ADDRPORT_STR_MAX];
	struct addrport ap;

	if (parse_addrport(in, &ap)) {
		CHECK(0, "cannot parse \"%s\"", in);
		return;
	}
	format_addrport(&ap, buf, sizeof(buf));
	CHECK(!strcmp(buf, in), "format_addrport(\"%s\") = \"%s\"", in, buf);
}

static void test_format(void)
{
	struct addrport ap = { .family = 7, .port = 80 };
	char buf[ADDRPORT_STR_MAX];

	fmt_dur(0, "0ms");
	fmt_dur(500, "500ms");
	fmt_dur(1000, "1s");
	fmt_dur(1500, "1500ms");
	fmt_dur(60000, "1m");
	fmt_dur(90000, "90s");
	fmt_dur(3600000, "1h");
	fmt_dur(5400000, "90m");
	fmt_dur(UINT32_MAX, "4294967295ms");

	fmt_addr("198.18.0.1:80");
	fmt_addr("[2001:db8::1]:65535");
	fmt_addr("[::]:1");

	format_addrport(&ap, buf, sizeof(buf));
	CHECK(!strcmp(buf, "?:80"), "unknown family printed as \"%s\"", buf);
	CHECK(!strcmp(family_name(AF_INET6), "inet6") && !family_name(7), "family_name");
	CHECK(addr_len(AF_INET) == 4 && addr_len(AF_INET6) == 16 && !addr_len(0),
	      "addr_len");
}

int main(void)
{
	test_addrport();
	test_u32();
	test_duration();
	test_duration_s();
	test_token_names();
	test_hex_key();
	test_bytes();
	test_names();
	test_enums();
	test_onoff();
	test_keywords();
	test_format();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
