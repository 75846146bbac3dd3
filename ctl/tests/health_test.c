// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ctl/health.c: every form of "pool add|set NAME [balance B]
 * health off|tcp|http [OPTIONS]" is parsed and built into the POOL nest,
 * which is then taken apart attribute by attribute as the kernel would
 * (exact set of attributes, types, lengths, NLA_F_NESTED, EXPECT as host
 * order struct splicer_status_range); every refusal and its reason; the
 * HEALTH nest of a reply decoded; the words of "show" and "dump" and the
 * JSON; each dump line parsed back into the same configuration; and the
 * read-only health members of a server decoded and printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/splicer.h>

#include "../health.h"
#include "../output.h"

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

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Split "a b c" into argv (at most 48 words); returns argc. */
static int split(char *s, char **argv)
{
	int argc = 0;
	char *save = NULL, *w;

	for (w = strtok_r(s, " ", &save); w && argc < 48; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

/* health_args on "TYPE OPTIONS..." (the words after "health"). */
static int args(const char *line, struct health *h, char *err, size_t errlen)
{
	char copy[1024], *argv[49];
	int argc;

	snprintf(copy, sizeof(copy), "%s", line);
	argc = split(copy, argv);
	return health_args(argc, argv, h, err, errlen);
}

/* ---- the message, taken apart ---- */

static struct nl_msg *msg;
static struct nlattr *htb[SPLICER_HEALTH_A_MAX + 1];
static struct nlattr *ptb[SPLICER_POOL_A_MAX + 1];

/*
 * Build the POOL_SET of "pool set NAME [balance leastconn] health LINE" and
 * check its frame: one top-level POOL nest (NLA_F_NESTED) holding NAME,
 * BALANCE when asked for, and a HEALTH nest (NLA_F_NESTED) with TYPE.
 * Fills ptb and htb. Returns 0, or -1 after a failed check.
 */
static int build_pool(const char *name, bool balance, const char *line)
{
	struct nlattr *ttb[SPLICER_A_MAX + 1];
	struct genlmsghdr *g;
	struct pool p;
	char err[192];
	int i, n;

	if (msg)
		nlmsg_free(msg);
	memset(htb, 0, sizeof(htb));
	memset(ptb, 0, sizeof(ptb));
	memset(&p, 0, sizeof(p));
	msg = nlmsg_alloc();
	genlmsg_put(msg, 1, 1, 0x20, 0, 0, SPLICER_CMD_POOL_SET, SPLICER_FAMILY_VERSION);
	snprintf(p.name, sizeof(p.name), "%s", name);
	if (balance) {
		p.balance = SPLICER_BALANCE_LEASTCONN;
		SET(&p, SPLICER_POOL_A_BALANCE);
	}
	if (args(line, &p.health, err, sizeof(err))) {
		CHECK(0, "\"%s\" refused: %s", line, err);
		return -1;
	}
	SET(&p, SPLICER_POOL_A_HEALTH);
	CHECK(!pool_put(msg, &p), "\"%s\": pool_put", line);

	g = nlmsg_data(nlmsg_hdr(msg));
	if (nla_parse(ttb, SPLICER_A_MAX, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), NULL)) {
		CHECK(0, "\"%s\": top level does not parse", line);
		return -1;
	}
	for (i = 0, n = 0; i <= SPLICER_A_MAX; i++)
		n += !!ttb[i];
	CHECK(n == 1 && ttb[SPLICER_A_POOL], "\"%s\": %d top-level attributes", line, n);
	if (!ttb[SPLICER_A_POOL])
		return -1;
	CHECK(ttb[SPLICER_A_POOL]->nla_type & NLA_F_NESTED, "\"%s\": POOL not NLA_F_NESTED",
	      line);
	if (nla_parse_nested(ptb, SPLICER_POOL_A_MAX, ttb[SPLICER_A_POOL], NULL)) {
		CHECK(0, "\"%s\": POOL does not parse", line);
		return -1;
	}
	for (i = 0, n = 0; i <= SPLICER_POOL_A_MAX; i++)
		n += !!ptb[i];
	CHECK(n == 2 + balance && ptb[SPLICER_POOL_A_NAME] && ptb[SPLICER_POOL_A_HEALTH] &&
	      !balance == !ptb[SPLICER_POOL_A_BALANCE], "\"%s\": POOL holds %d attributes",
	      line, n);
	if (!ptb[SPLICER_POOL_A_NAME] || !ptb[SPLICER_POOL_A_HEALTH])
		return -1;
	CHECK(nla_len(ptb[SPLICER_POOL_A_NAME]) == (int)strlen(name) + 1 &&
	      !strcmp(nla_data(ptb[SPLICER_POOL_A_NAME]), name), "\"%s\": NAME", line);
	if (balance)
		CHECK(nla_len(ptb[SPLICER_POOL_A_BALANCE]) == 1 &&
		      nla_get_u8(ptb[SPLICER_POOL_A_BALANCE]) == SPLICER_BALANCE_LEASTCONN,
		      "\"%s\": BALANCE", line);
	CHECK(ptb[SPLICER_POOL_A_HEALTH]->nla_type & NLA_F_NESTED,
	      "\"%s\": HEALTH not NLA_F_NESTED", line);
	if (nla_parse_nested(htb, SPLICER_HEALTH_A_MAX, ptb[SPLICER_POOL_A_HEALTH], NULL)) {
		CHECK(0, "\"%s\": HEALTH does not parse", line);
		return -1;
	}
	CHECK(htb[SPLICER_HEALTH_A_TYPE] != NULL, "\"%s\": no TYPE", line);
	return 0;
}

static int build(const char *line)
{
	return build_pool("app", false, line);
}

/* The HEALTH nest holds exactly the attributes in 'want' (a bit each). */
static void only(const char *line, uint32_t want)
{
	uint32_t got = 0;
	int i;

	for (i = 0; i <= SPLICER_HEALTH_A_MAX; i++)
		if (htb[i])
			got |= 1u << i;
	CHECK(got == want, "\"%s\": attributes 0x%x, want 0x%x", line, got, want);
}

#define A(x) (1u << SPLICER_HEALTH_A_##x)

static void type_is(const char *line, uint8_t want)
{
	struct nlattr *a = htb[SPLICER_HEALTH_A_TYPE];

	CHECK(a && nla_len(a) == 1 && nla_get_u8(a) == want, "\"%s\": TYPE, want %u",
	      line, want);
}

static void u32_is(const char *line, int type, uint32_t want)
{
	CHECK(htb[type] && nla_len(htb[type]) == 4 && nla_get_u32(htb[type]) == want,
	      "\"%s\": attribute %d: want u32 %u, got %u", line, type, want,
	      htb[type] ? nla_get_u32(htb[type]) : 0);
}

static void u16_is(const char *line, int type, uint16_t want)
{
	CHECK(htb[type] && nla_len(htb[type]) == 2 && nla_get_u16(htb[type]) == want,
	      "\"%s\": attribute %d: want u16 %u", line, type, want);
}

static void str_is(const char *line, int type, const char *want)
{
	struct nlattr *a = htb[type];

	CHECK(a && nla_len(a) == (int)strlen(want) + 1 &&
	      !memcmp(nla_data(a), want, strlen(want) + 1),
	      "\"%s\": attribute %d, want \"%s\"", line, type, want);
}

/* EXPECT: n ranges lo, hi, lo, hi, ... as host-order u16 pairs. */
static void expect_is(const char *line, int n, const uint16_t *pairs)
{
	struct nlattr *a = htb[SPLICER_HEALTH_A_EXPECT];
	const uint16_t *d;
	int i;

	CHECK(a && nla_len(a) == n * 4, "\"%s\": EXPECT of %d bytes, want %d", line,
	      a ? nla_len(a) : -1, n * 4);
	if (!a || nla_len(a) != n * 4)
		return;
	CHECK(sizeof(struct splicer_status_range) == 4, "status range size");
	d = nla_data(a);
	for (i = 0; i < 2 * n; i++)
		CHECK(d[i] == pairs[i], "\"%s\": EXPECT[%d] = %u, want %u", line, i, d[i],
		      pairs[i]);
}

static void test_forms(void)
{
	const char *l;
	char line[512];

	l = "off";
	if (!build(l)) {
		only(l, A(TYPE));
		type_is(l, SPLICER_HEALTH_NONE);
	}
	if (!build_pool("web-1.x_Y", true, "off")) {
		only("balance + off", A(TYPE));
		type_is("balance + off", SPLICER_HEALTH_NONE);
	}

	l = "tcp";
	if (!build(l)) {
		only(l, A(TYPE));
		type_is(l, SPLICER_HEALTH_TCP);
	}
	l = "tcp interval 5s fastinter 1s timeout 2s rise 3 fall 4 port 8081 passive 5 "
	    "window 30s status 4xx,5xx";
	if (!build_pool("app", true, l)) {
		only(l, A(TYPE) | A(INTERVAL) | A(FASTINTER) | A(TIMEOUT) | A(RISE) | A(FALL) |
		     A(PORT) | A(PASSIVE_ERRORS) | A(PASSIVE_WINDOW) | A(PASSIVE_STATUS));
		type_is(l, SPLICER_HEALTH_TCP);
		u32_is(l, SPLICER_HEALTH_A_INTERVAL, 5000);
		u32_is(l, SPLICER_HEALTH_A_FASTINTER, 1000);
		u32_is(l, SPLICER_HEALTH_A_TIMEOUT, 2000);
		u32_is(l, SPLICER_HEALTH_A_RISE, 3);
		u32_is(l, SPLICER_HEALTH_A_FALL, 4);
		u16_is(l, SPLICER_HEALTH_A_PORT, 8081);
		u32_is(l, SPLICER_HEALTH_A_PASSIVE_ERRORS, 5);
		u32_is(l, SPLICER_HEALTH_A_PASSIVE_WINDOW, 30000);
		u32_is(l, SPLICER_HEALTH_A_PASSIVE_STATUS, (1u << 4) | (1u << 5));
	}
	/* Any order; bare numbers are milliseconds; the edges. */
	l = "tcp fall 100 rise 1 timeout 100 interval 100 port 65535 passive 0 status none";
	if (!build(l)) {
		only(l, A(TYPE) | A(INTERVAL) | A(TIMEOUT) | A(RISE) | A(FALL) | A(PORT) |
		     A(PASSIVE_ERRORS) | A(PASSIVE_STATUS));
		u32_is(l, SPLICER_HEALTH_A_INTERVAL, 100);
		u32_is(l, SPLICER_HEALTH_A_TIMEOUT, 100);
		u32_is(l, SPLICER_HEALTH_A_RISE, 1);
		u32_is(l, SPLICER_HEALTH_A_FALL, 100);
		u16_is(l, SPLICER_HEALTH_A_PORT, 65535);
		u32_is(l, SPLICER_HEALTH_A_PASSIVE_ERRORS, 0);
		u32_is(l, SPLICER_HEALTH_A_PASSIVE_STATUS, 0);
	}
	l = "tcp port 1 interval 1h timeout 1m";
	if (!build(l)) {
		u16_is(l, SPLICER_HEALTH_A_PORT, 1);
		u32_is(l, SPLICER_HEALTH_A_INTERVAL, 3600000);
		u32_is(l, SPLICER_HEALTH_A_TIMEOUT, 60000);
	}
	/* Left to the module: its ranges beyond the cheap ones. */
	l = "tcp interval 2h fastinter 1ms window 1ms passive 4294967295 status 9xx,1xx timeout 1";
	if (!build(l)) {
		u32_is(l, SPLICER_HEALTH_A_INTERVAL, 7200000);
		u32_is(l, SPLICER_HEALTH_A_FASTINTER, 1);
		u32_is(l, SPLICER_HEALTH_A_PASSIVE_WINDOW, 1);
		u32_is(l, SPLICER_HEALTH_A_PASSIVE_ERRORS, 4294967295u);
		u32_is(l, SPLICER_HEALTH_A_PASSIVE_STATUS, (1u << 9) | (1u << 1));
		u32_is(l, SPLICER_HEALTH_A_TIMEOUT, 1);
	}
	/* The defaults of the other: timeout 1s fits the default 2s interval. */
	l = "tcp timeout 2s";
	if (!build(l))
		u32_is(l, SPLICER_HEALTH_A_TIMEOUT, 2000);
	l = "tcp interval 1s";
	if (!build(l))
		u32_is(l, SPLICER_HEALTH_A_INTERVAL, 1000);
	l = "tcp status 5XX";
	if (!build(l))
		u32_is(l, SPLICER_HEALTH_A_PASSIVE_STATUS, 1u << 5);

	l = "http";
	if (!build(l)) {
		only(l, A(TYPE));
		type_is(l, SPLICER_HEALTH_HTTP);
	}
	l = "http method HEAD path /healthz?full=1 host app.example expect 200-399 "
	    "body OK interval 3s timeout 500ms";
	if (!build(l)) {
		static const uint16_t e[] = { 200, 399 };

		only(l, A(TYPE) | A(METHOD) | A(PATH) | A(HOST) | A(EXPECT) | A(BODY) |
		     A(INTERVAL) | A(TIMEOUT));
		type_is(l, SPLICER_HEALTH_HTTP);
		str_is(l, SPLICER_HEALTH_A_METHOD, "HEAD");
		str_is(l, SPLICER_HEALTH_A_PATH, "/healthz?full=1");
		str_is(l, SPLICER_HEALTH_A_HOST, "app.example");
		str_is(l, SPLICER_HEALTH_A_BODY, "OK");
		expect_is(l, 1, e);
		u32_is(l, SPLICER_HEALTH_A_INTERVAL, 3000);
		u32_is(l, SPLICER_HEALTH_A_TIMEOUT, 500);
	}
	l = "http expect 200,204,301-302";
	if (!build(l)) {
		static const uint16_t e[] = { 200, 200, 204, 204, 301, 302 };

		only(l, A(TYPE) | A(EXPECT));
		expect_is(l, 3, e);
	}
	l = "http expect 100-599,100,599,200-200,300,301,302,303";
	if (!build(l)) {
		static const uint16_t e[] = { 100, 599, 100, 100, 599, 599, 200, 200,
					      300, 300, 301, 301, 302, 302, 303, 303 };

		expect_is(l, 8, e);
	}
	/* Every option of tcp, and the http ones; the longest strings taken. */
	{
		char m[24], p[256], h[128], b[64];

		memset(m, 'M', 23), m[23] = '\0';
		memset(p, 'p', 255), p[0] = '/', p[255] = '\0';
		memset(h, 'h', 127), h[127] = '\0';
		memset(b, 'b', 63), b[63] = '\0';
		snprintf(line, sizeof(line), "http method %s path %s host %s body %s", m, p, h, b);
		if (!build(line)) {
			str_is("longest", SPLICER_HEALTH_A_METHOD, m);
			str_is("longest", SPLICER_HEALTH_A_PATH, p);
			str_is("longest", SPLICER_HEALTH_A_HOST, h);
			str_is("longest", SPLICER_HEALTH_A_BODY, b);
		}
	}
	l = "http interval 10s fastinter 2s timeout 3s rise 5 fall 2 port 9000 passive 10 "
	    "window 1m status 5xx method GET path / host h expect 200 body x";
	if (!build(l))
		only(l, (1u << (SPLICER_HEALTH_A_MAX + 1)) - 2);
	/* Charset is the module's to judge: passed as given. */
	l = "http method g/e:t path /a\"b host [::1] body <ok>";
	if (!build(l)) {
		str_is(l, SPLICER_HEALTH_A_METHOD, "g/e:t");
		str_is(l, SPLICER_HEALTH_A_PATH, "/a\"b");
		str_is(l, SPLICER_HEALTH_A_HOST, "[::1]");
		str_is(l, SPLICER_HEALTH_A_BODY, "<ok>");
	}
	/* A body with a blank comes as one argv word from a shell. */
	{
		char *argv[] = { "http", "body", "It works", NULL };
		struct health h;
		char err[192];

		CHECK(!health_args(3, argv, &h, err, sizeof(err)) &&
		      !strcmp(h.body, "It works"), "body with a blank: %s", err);
	}
}

static void bad(const char *line, const char *reason)
{
	struct health h;
	char err[192] = "";

	CHECK(args(line, &h, err, sizeof(err)) == -1, "\"%s\" accepted", line);
	CHECK(strstr(err, reason), "\"%s\": reason \"%s\", want \"%s\"", line, err, reason);
}

static void test_errors(void)
{
	char line[512], s[300];

	bad("", "health needs off, tcp or http");
	bad("on", "health \"on\": expected off, tcp or http");
	bad("TCP", "expected off, tcp or http");
	bad("interval 2s", "health \"interval\": expected off, tcp or http");
	bad("off interval 2s", "health off takes no options, got \"interval\"");
	bad("off off", "health off takes no options, got \"off\"");

	bad("tcp bogus 1", "unknown health option \"bogus\"");
	bad("tcp balance leastconn",
	    "unknown health option \"balance\" (health and its options come last)");
	bad("tcp health http", "\"health\" given twice");
	bad("tcp interval", "\"interval\" needs a value");
	bad("tcp rise 2 fall", "\"fall\" needs a value");
	bad("tcp interval 2s interval 3s", "\"interval\" given twice");
	bad("tcp status 5xx status 4xx", "\"status\" given twice");
	bad("http body a body b", "\"body\" given twice");

	bad("tcp method GET", "\"method\" is an option of health http only");
	bad("tcp path /", "\"path\" is an option of health http only");
	bad("tcp host h", "\"host\" is an option of health http only");
	bad("tcp expect 200", "\"expect\" is an option of health http only");
	bad("tcp body x", "\"body\" is an option of health http only");

	bad("tcp interval 99ms", "interval \"99ms\": at least 100ms");
	bad("tcp interval 0", "at least 100ms");
	bad("tcp interval 2x", "interval \"2x\": not a duration");
	bad("tcp interval -1s", "not a duration");
	bad("tcp interval 4294967296", "too long");
	bad("tcp fastinter 1.5s", "fastinter \"1.5s\": not a duration");
	bad("tcp timeout 1d", "timeout \"1d\": not a duration");
	bad("tcp window x", "window \"x\": not a duration");

	bad("tcp rise 0", "rise \"0\": out of range (1..100)");
	bad("tcp rise 101", "out of range (1..100)");
	bad("tcp fall 0", "fall \"0\": out of range (1..100)");
	bad("tcp fall 1000", "out of range (1..100)");
	bad("tcp rise x", "rise \"x\": not a number");
	bad("tcp fall -1", "not a number");

	bad("tcp port 0", "port \"0\": port must be a number 1..65535");
	bad("tcp port 65536", "port must be a number 1..65535");
	bad("tcp port http", "port must be a number 1..65535");

	bad("tcp passive x", "passive \"x\": not a number");
	bad("tcp passive 4294967296", "too large");
	bad("tcp passive -1", "not a number");

	bad("tcp status 5", "status \"5\": not status classes (5xx, 4xx,5xx or none)");
	bad("tcp status 500", "not status classes");
	bad("tcp status 0xx", "not status classes");
	bad("tcp status 5xy", "not status classes");
	bad("tcp status 4xx,", "not status classes");
	bad("tcp status ,5xx", "not status classes");
	bad("tcp status 4xx;5xx", "not status classes");
	bad("tcp status 5xx,5xx", "status \"5xx,5xx\": a class given twice");
	bad("tcp status none,5xx", "not status classes");

	bad("tcp timeout 3s interval 2s", "timeout 3s is longer than interval 2s");
	bad("tcp interval 100 timeout 101", "timeout 101ms is longer than interval 100ms");
	bad("tcp timeout 2001", "timeout 2001ms is longer than the default interval 2s: "
	    "give an interval too");
	bad("tcp interval 999", "interval 999ms is shorter than the default timeout 1s: "
	    "give a timeout too");
	bad("http interval 500ms", "give a timeout too");

	bad("http method", "\"method\" needs a value");
	snprintf(s, sizeof(s), "%024d", 0);
	snprintf(line, sizeof(line), "http method %s", s);
	bad(line, "longer than 23 characters");
	bad("http path x", "path \"x\": must start with /");
	bad("http path healthz", "must start with /");
	memset(s, 'p', 256), s[0] = '/', s[256] = '\0';
	snprintf(line, sizeof(line), "http path %s", s);
	bad(line, "longer than 255 characters");
	CHECK(strlen(line) > 256, "long path line");
	memset(s, 'h', 128), s[128] = '\0';
	snprintf(line, sizeof(line), "http host %s", s);
	bad(line, "host \"hhhh");
	bad(line, "...\": longer than 127 characters");
	memset(s, 'b', 64), s[64] = '\0';
	snprintf(line, sizeof(line), "http body %s", s);
	bad(line, "longer than 63 characters");

	bad("http expect", "\"expect\" needs a value");
	bad("http expect 2xx", "expect \"2xx\": not a status range");
	bad("http expect 20", "not a status range");
	bad("http expect 2000", "not a status range");
	bad("http expect 200-", "not a status range");
	bad("http expect -399", "not a status range");
	bad("http expect 200--399", "not a status range");
	bad("http expect 200-399-400", "not a status range");
	bad("http expect 200,", "not a status range");
	bad("http expect ,200", "not a status range");
	bad("http expect 200,,300", "not a status range");
	bad("http expect 200 399", "unknown health option \"399\"");
	bad("http expect 099", "a status is 100..599");
	bad("http expect 600", "a status is 100..599");
	bad("http expect 200-600", "a status is 100..599");
	bad("http expect 399-200", "a range goes from low to high (lo-hi)");
	bad("http expect 200,201,202,203,204,205,206,207,208", "at most 8 ranges");

	/* Empty strings, as a shell can pass them. */
	{
		struct { char *argv[4]; const char *reason; } e[] = {
			{ { "http", "method", "", NULL }, "method \"\": empty" },
			{ { "http", "path", "", NULL }, "path \"\": must start with /" },
			{ { "http", "host", "", NULL }, "host \"\": empty" },
			{ { "http", "body", "", NULL }, "body \"\": empty" },
			{ { "http", "expect", "", NULL }, "expect \"\": not a status range" },
			{ { "tcp", "status", "", NULL }, "status \"\": not status classes" },
			{ { "tcp", "interval", "", NULL }, "interval \"\": not a duration" },
		};
		size_t i;

		for (i = 0; i < ARRAY_SIZE(e); i++) {
			struct health h;
			char err[192] = "";

			CHECK(health_args(3, e[i].argv, &h, err, sizeof(err)) == -1 &&
			      strstr(err, e[i].reason), "empty %s: \"%s\"", e[i].argv[1], err);
		}
	}
}

/* health_word_at: "health" at a keyword position only. */
static void test_split(void)
{
	char *a[] = { "balance", "leastconn", "health", "tcp", "rise", "2", NULL };
	char *b[] = { "balance", "health", "health", "off", NULL };
	char *c[] = { "health", "http", NULL };
	char *d[] = { "balance", "roundrobin", NULL };

	CHECK(health_word_at(6, a) == 2, "health after balance");
	CHECK(health_word_at(4, b) == 2, "\"health\" as a value is not the keyword");
	CHECK(health_word_at(2, c) == 0, "health first");
	CHECK(health_word_at(2, d) == 2, "no health");
	CHECK(health_word_at(0, d) == 0, "no words");
	CHECK(health_word_at(1, b) == 1, "odd count");
}

/* ---- replies: the nest decoded, words and JSON ---- */

/* A HEALTH nest as the module fills it, decoded back. */
static void reply(struct health *out, uint8_t type, uint16_t port, uint32_t passive,
		  uint32_t status, const char *host, const char *body, int nexpect)
{
	static const struct splicer_status_range e[] = {
		{ 200, 399 }, { 404, 404 }, { 500, 503 },
	};
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *nest;

	genlmsg_put(m, 1, 1, 0x20, 0, 0, SPLICER_CMD_POOL_GET, 1);
	nest = nla_nest_start(m, SPLICER_POOL_A_HEALTH);
	nla_put_u8(m, SPLICER_HEALTH_A_TYPE, type);
	nla_put_u32(m, SPLICER_HEALTH_A_INTERVAL, 2000);
	nla_put_u32(m, SPLICER_HEALTH_A_FASTINTER, 500);
	nla_put_u32(m, SPLICER_HEALTH_A_TIMEOUT, 1000);
	nla_put_u32(m, SPLICER_HEALTH_A_RISE, 2);
	nla_put_u32(m, SPLICER_HEALTH_A_FALL, 3);
	nla_put_u16(m, SPLICER_HEALTH_A_PORT, port);
	nla_put_u32(m, SPLICER_HEALTH_A_PASSIVE_ERRORS, passive);
	nla_put_u32(m, SPLICER_HEALTH_A_PASSIVE_WINDOW, 10000);
	nla_put_u32(m, SPLICER_HEALTH_A_PASSIVE_STATUS, status);
	if (type == SPLICER_HEALTH_HTTP) {
		nla_put_string(m, SPLICER_HEALTH_A_METHOD, "GET");
		nla_put_string(m, SPLICER_HEALTH_A_PATH, "/");
		if (host)
			nla_put_string(m, SPLICER_HEALTH_A_HOST, host);
		nla_put(m, SPLICER_HEALTH_A_EXPECT, nexpect * 4, e);
		if (body)
			nla_put_string(m, SPLICER_HEALTH_A_BODY, body);
	}
	nla_put_u32(m, SPLICER_HEALTH_A_MAX + 3, 1);		/* from a newer module */
	nla_nest_end(m, nest);
	memset(out, 0x77, sizeof(*out));
	CHECK(!health_parse(nest, out), "health_parse");
	nlmsg_free(m);
}

static void words(const struct health *h, bool as_command, const char *want,
		  bool want_ok)
{
	char buf[HEALTH_WORDS_MAX];
	bool ok = health_format(h, as_command, buf, sizeof(buf));

	CHECK(ok == want_ok && !strcmp(buf, want), "health_format(%s):\n got  \"%s\" (%d)\n"
	      " want \"%s\" (%d)", as_command ? "command" : "show", buf, ok, want, want_ok);
}

static char *json(const struct health *h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_set_file(f);
	health_print_json(NULL, h);
	json_end();
	fclose(f);
	json_set_file(NULL);
	return buf;
}

#define COMMON "interval 2s fastinter 500ms timeout 1s rise 2 fall 3"

static void test_replies(void)
{
	struct health h;
	char *j;

	reply(&h, SPLICER_HEALTH_HTTP, 0, 0, 1u << 5, NULL, NULL, 1);
	CHECK(h.type == SPLICER_HEALTH_HTTP && h.interval == 2000 && h.fastinter == 500 &&
	      h.timeout == 1000 && h.rise == 2 && h.fall == 3 && h.port == 0 &&
	      h.passive_errors == 0 && h.passive_window == 10000 &&
	      h.passive_status == 32 && !strcmp(h.method, "GET") && !strcmp(h.path, "/") &&
	      h.nexpect == 1 && h.expect[0].lo == 200 && h.expect[0].hi == 399 &&
	      !*h.host && !*h.body, "decoded fields");
	CHECK(h.has == ((1u << (SPLICER_HEALTH_A_MAX + 1)) - 2 - A(HOST) - A(BODY)),
	      "has 0x%x", h.has);
	/* Port 0 and passive off are not printed. */
	words(&h, true, "http " COMMON " method GET path / expect 200-399", true);
	words(&h, false, "http " COMMON " method GET path / expect 200-399", true);
	j = json(&h);
	CHECK(!strcmp(j, "{\"type\":\"http\",\"interval\":2000,\"fastinter\":500,"
		      "\"timeout\":1000,\"rise\":2,\"fall\":3,\"passive_errors\":0,"
		      "\"passive_window\":10000,\"port\":0,\"passive_status\":[\"5xx\"],"
		      "\"method\":\"GET\",\"path\":\"/\",\"expect\":[{\"lo\":200,\"hi\":399}]}\n"),
	      "json: %s", j);
	free(j);

	reply(&h, SPLICER_HEALTH_HTTP, 8080, 5, (1u << 4) | (1u << 5), "app.example",
	      "OK", 3);
	words(&h, true, "http " COMMON " port 8080 passive 5 window 10s status 4xx,5xx "
	      "method GET path / host app.example expect 200-399,404,500-503 body OK", true);
	j = json(&h);
	CHECK(strstr(j, "\"port\":8080,\"passive_status\":[\"4xx\",\"5xx\"],\"method\":\"GET\","
		     "\"path\":\"/\",\"host\":\"app.example\",\"body\":\"OK\",\"expect\":"
		     "[{\"lo\":200,\"hi\":399},{\"lo\":404,\"hi\":404},{\"lo\":500,\"hi\":503}]}"),
	      "json http: %s", j);
	free(j);

	reply(&h, SPLICER_HEALTH_TCP, 0, 3, 0, NULL, NULL, 0);
	words(&h, true, "tcp " COMMON " passive 3 window 10s status none", true);
	j = json(&h);
	CHECK(strstr(j, "\"passive_status\":[]") && !strstr(j, "method"), "json tcp: %s", j);
	free(j);

	reply(&h, SPLICER_HEALTH_NONE, 0, 0, 32, NULL, NULL, 0);
	words(&h, true, "off", true);
	words(&h, false, "off", true);
	j = json(&h);
	CHECK(!strncmp(j, "{\"type\":\"off\",", 14), "json off: %s", j);
	free(j);

	/* A body with a blank: quoted in show, not writable as a command. */
	reply(&h, SPLICER_HEALTH_HTTP, 0, 0, 32, NULL, "It \"works\"", 1);
	words(&h, false, "http " COMMON " method GET path / expect 200-399 "
	      "body \"It \\\"works\\\"\"", true);
	words(&h, true, "the body \"It \"works\"\" has a blank, which a batch file would "
	      "split", false);
	reply(&h, SPLICER_HEALTH_HTTP, 0, 0, 32, "a#b", NULL, 1);
	words(&h, true, "the host \"a#b\" has a '#', which starts a comment in a batch file",
	      false);
	words(&h, false, "http " COMMON " method GET path / host a#b expect 200-399", true);
	/* A quote alone is fine in a batch word. */
	reply(&h, SPLICER_HEALTH_HTTP, 0, 0, 32, NULL, "say\"hi\"", 1);
	words(&h, true, "http " COMMON " method GET path / expect 200-399 body say\"hi\"",
	      true);

	/* What this tool could not write back. */
	reply(&h, 7, 0, 0, 32, NULL, NULL, 0);
	words(&h, true, "type 7 (unknown to this splicerctl)", false);
	j = json(&h);
	CHECK(!strncmp(j, "{\"type\":7,", 10), "json unknown type: %s", j);
	free(j);
	reply(&h, SPLICER_HEALTH_TCP, 0, 2, (1u << 5) | (1u << 12) | 1u, NULL, NULL, 0);
	words(&h, true, "status classes 0x1021 (unknown to this splicerctl)", false);
	words(&h, false, "tcp " COMMON " passive 2 window 10s status 5xx,0x1001", true);
	j = json(&h);
	CHECK(strstr(j, "\"passive_status\":[1,\"5xx\",4096]"), "json unknown bits: %s", j);
	free(j);

	/* Only what is reported is shown. */
	memset(&h, 0, sizeof(h));
	h.type = SPLICER_HEALTH_TCP;
	SET(&h, SPLICER_HEALTH_A_TYPE);
	words(&h, false, "tcp", true);
	j = json(&h);
	CHECK(!strcmp(j, "{\"type\":\"tcp\"}\n"), "json minimal: %s", j);
	free(j);
	memset(&h, 0, sizeof(h));
	words(&h, true, "type 0 (unknown to this splicerctl)", false);

	/* A malformed EXPECT is left out, not trusted. */
	{
		struct nl_msg *m = nlmsg_alloc();
		struct nlattr *nest;

		genlmsg_put(m, 1, 1, 0x20, 0, 0, SPLICER_CMD_POOL_GET, 1);
		nest = nla_nest_start(m, SPLICER_POOL_A_HEALTH);
		nla_put_u8(m, SPLICER_HEALTH_A_TYPE, SPLICER_HEALTH_HTTP);
		nla_put(m, SPLICER_HEALTH_A_EXPECT, 6, "abcdef");
		nla_nest_end(m, nest);
		CHECK(!health_parse(nest, &h) && !HAS(&h, SPLICER_HEALTH_A_EXPECT) &&
		      !h.nexpect, "odd EXPECT");
		nlmsg_free(m);
		m = nlmsg_alloc();
		genlmsg_put(m, 1, 1, 0x20, 0, 0, SPLICER_CMD_POOL_GET, 1);
		nest = nla_nest_start(m, SPLICER_POOL_A_HEALTH);
		nla_put(m, SPLICER_HEALTH_A_EXPECT, 36, "0123456789abcdef0123456789abcdef0123");
		nla_nest_end(m, nest);
		CHECK(!health_parse(nest, &h) && !HAS(&h, SPLICER_HEALTH_A_EXPECT),
		      "EXPECT of 9 ranges");
		nlmsg_free(m);
		m = nlmsg_alloc();
		genlmsg_put(m, 1, 1, 0x20, 0, 0, SPLICER_CMD_POOL_GET, 1);
		nest = nla_nest_start(m, SPLICER_POOL_A_HEALTH);
		nla_put_u16(m, SPLICER_HEALTH_A_INTERVAL, 5);	/* too short for a u32 */
		nla_nest_end(m, nest);
		CHECK(health_parse(nest, &h) == -EBADMSG, "short INTERVAL accepted");
		nlmsg_free(m);
	}
}

/* ---- a dump line is a command that sets the same ---- */

static void round_trip(const char *line)
{
	char words_buf[HEALTH_WORDS_MAX], err[192];
	struct health a, b;

	if (args(line, &a, err, sizeof(err))) {
		CHECK(0, "\"%s\": %s", line, err);
		return;
	}
	CHECK(health_format(&a, true, words_buf, sizeof(words_buf)), "\"%s\": format: %s",
	      line, words_buf);
	if (args(words_buf, &b, err, sizeof(err))) {
		CHECK(0, "\"%s\" -> \"%s\": %s", line, words_buf, err);
		return;
	}
	CHECK(!memcmp(&a, &b, sizeof(a)), "\"%s\" -> \"%s\" sets something else",
	      line, words_buf);
}

static void test_round_trip(void)
{
	round_trip("off");
	round_trip("tcp");
	round_trip("http");
	round_trip("tcp interval 5s fastinter 1500ms timeout 2s rise 3 fall 4 port 8081 "
		   "passive 5 window 30s status 4xx,5xx");
	round_trip("tcp passive 1 status none");
	round_trip("tcp passive 1 status 9xx,1xx");
	round_trip("tcp interval 100 timeout 100 rise 1 fall 100 port 65535");
	round_trip("http method HEAD path /healthz?full=1 host app.example "
		   "expect 200,204,301-302 body OK interval 3s timeout 500ms");
	round_trip("http expect 100-599,100,599,200-200,300,301,302,303");
	round_trip("http path /a\"b body \"quoted\"");
}

/* ---- a server's checks ---- */

static void srv_reply(struct server *s, uint8_t health, const char *result, bool all)
{
	struct nlattr *tb[SPLICER_SRV_A_MAX + 1];
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *nest;

	genlmsg_put(m, 1, 1, 0x20, 0, 0, SPLICER_CMD_SERVER_GET, 1);
	nest = nla_nest_start(m, SPLICER_A_SERVER);
	nla_put_u8(m, SPLICER_SRV_A_HEALTH, health);
	if (all) {
		nla_put_string(m, SPLICER_SRV_A_CHECK_RESULT, result);
		nla_put_u32(m, SPLICER_SRV_A_CHECK_LATENCY, 1234);
		nla_put_u32(m, SPLICER_SRV_A_CHECK_FAILS, 2);
		nla_put_u64(m, SPLICER_SRV_A_CHECKS, 10000000000ull);
		nla_put_u64(m, SPLICER_SRV_A_CHECKS_FAILED, 7);
		nla_put_u64(m, SPLICER_SRV_A_PASSIVE_ERRORS, 3);
		nla_put_u32(m, SPLICER_SRV_A_DOWNS, 1);
	}
	nla_put_u16(m, SPLICER_SRV_A_DOWNS + 2, 1);	/* from a newer module */
	nla_nest_end(m, nest);
	memset(s, 0, sizeof(*s));
	CHECK(!nla_parse_nested(tb, SPLICER_SRV_A_MAX, nest, NULL), "server nest");
	server_health_get(tb, s);
	nlmsg_free(m);
}

static char *srv_json(const struct server *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_set_file(f);
	json_open_object(NULL);
	server_health_json(s);
	json_close_object();
	json_end();
	fclose(f);
	json_set_file(NULL);
	return buf;
}

static void test_server(void)
{
	char buf[256], us[16];
	struct server s;
	char *j;

	srv_reply(&s, SPLICER_HEALTH_DOWN, "status 503", true);
	CHECK(s.health == SPLICER_HEALTH_DOWN && !strcmp(s.check_result, "status 503") &&
	      s.check_latency == 1234 && s.check_fails == 2 && s.checks == 10000000000ull &&
	      s.checks_failed == 7 && s.passive_errors == 3 && s.downs == 1,
	      "server decoded");
	CHECK(s.has == ((1u << (SPLICER_SRV_A_MAX + 1)) - (1u << SPLICER_SRV_A_HEALTH)),
	      "server has 0x%x", s.has);
	CHECK(server_health_format(&s, buf, sizeof(buf)) &&
	      !strcmp(buf, "check \"status 503\" latency 1.2ms fails 2 checks 10000000000 "
		      "checks-failed 7 passive-errors 3 downs 1"), "server words: %s", buf);
	j = srv_json(&s);
	CHECK(!strcmp(j, "{\"health\":\"down\",\"check_result\":\"status 503\","
		      "\"check_latency\":1234,\"check_fails\":2,\"checks\":10000000000,"
		      "\"checks_failed\":7,\"passive_errors\":3,\"downs\":1}\n"),
	      "server json: %s", j);
	free(j);

	srv_reply(&s, SPLICER_HEALTH_UP, "connected", true);
	CHECK(server_health_format(&s, buf, sizeof(buf)) &&
	      !strncmp(buf, "check connected latency 1.2ms fails 2", 37), "up words: %s", buf);

	/* Unchecked: no check line, but JSON says so. */
	srv_reply(&s, SPLICER_HEALTH_UNCHECKED, "-", true);
	CHECK(!server_health_format(&s, buf, sizeof(buf)) && !*buf, "unchecked: %s", buf);
	j = srv_json(&s);
	CHECK(!strncmp(j, "{\"health\":\"unchecked\",\"check_result\":\"-\",", 41),
	      "unchecked json: %s", j);
	free(j);

	/* Only what is reported. */
	srv_reply(&s, SPLICER_HEALTH_UP, NULL, false);
	CHECK(s.has == (1u << SPLICER_SRV_A_HEALTH), "partial has 0x%x", s.has);
	CHECK(server_health_format(&s, buf, sizeof(buf)) && !*buf, "partial words: %s", buf);
	j = srv_json(&s);
	CHECK(!strcmp(j, "{\"health\":\"up\"}\n"), "partial json: %s", j);
	free(j);
	srv_reply(&s, 9, NULL, false);
	j = srv_json(&s);
	CHECK(!strcmp(j, "{\"health\":9}\n"), "unknown state json: %s", j);
	free(j);

	/* Nothing reported (an older module). */
	memset(&s, 0, sizeof(s));
	CHECK(!server_health_format(&s, buf, sizeof(buf)), "not reported");
	j = srv_json(&s);
	CHECK(!strcmp(j, "{}\n"), "not reported json: %s", j);
	free(j);

	CHECK(!strcmp(format_us(0, us, sizeof(us)), "0us"), "0us");
	CHECK(!strcmp(format_us(999, us, sizeof(us)), "999us"), "999us");
	CHECK(!strcmp(format_us(1000, us, sizeof(us)), "1.0ms"), "1.0ms");
	CHECK(!strcmp(format_us(999949, us, sizeof(us)), "999.9ms"), "%s", us);
	CHECK(!strcmp(format_us(1500000, us, sizeof(us)), "1.50s"), "1.50s");

	CHECK(!strcmp(health_type_name(SPLICER_HEALTH_NONE), "off") &&
	      !strcmp(health_type_name(SPLICER_HEALTH_TCP), "tcp") &&
	      !strcmp(health_type_name(SPLICER_HEALTH_HTTP), "http") &&
	      !health_type_name(SPLICER_HEALTH_MAX + 1), "type names");
	CHECK(!strcmp(health_state_name(SPLICER_HEALTH_UNCHECKED), "unchecked") &&
	      !strcmp(health_state_name(SPLICER_HEALTH_UP), "up") &&
	      !strcmp(health_state_name(SPLICER_HEALTH_DOWN), "down") &&
	      !health_state_name(SPLICER_HEALTH_STATE_MAX + 1), "state names");
}

int main(void)
{
	test_forms();
	test_errors();
	test_split();
	test_replies();
	test_round_trip();
	test_server();
	if (msg)
		nlmsg_free(msg);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
