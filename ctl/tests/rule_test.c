// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ctl/rules.c: every form of "rule add SERVICE [at N]
 * MATCHES ACTION" parsed and built into the RULE nest, which is taken apart
 * attribute by attribute as the kernel would (exact set of attributes,
 * types, lengths, NLA_F_NESTED, the source as FAMILY + 4 or 16 bytes +
 * PREFIX); the RULE_DEL and RULE_GET nests; every refusal and its reason;
 * a RULE_GET reply decoded (HITS, strings longer than this tool keeps);
 * the words of rule show and dump and the JSON; each dump line parsed back
 * into the same request.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/splicer.h>

#include "../output.h"
#include "../rules.h"

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

#define A(x) (1u << SPLICER_RULE_A_##x)

static int split(char *s, char **argv)
{
	int argc = 0;
	char *save = NULL, *w;

	for (w = strtok_r(s, " ", &save); w && argc < 62; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

/* rule_args on the words after "rule add SERVICE". */
static int args(const char *line, struct rule *r, char *err, size_t errlen)
{
	char copy[4096], *argv[64];
	int argc;

	snprintf(copy, sizeof(copy), "%s", line);
	argc = split(copy, argv);
	*err = '\0';
	return rule_args(argc, argv, r, err, errlen);
}

/* ---- the message, taken apart ---- */

static struct nl_msg *msg;
static struct nlattr *tb[SPLICER_RULE_A_MAX + 1];

/* The RULE nest of msg (one top-level attribute) into tb. */
static int take_apart(const char *what)
{
	struct nlattr *ttb[SPLICER_A_MAX + 1];
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));
	int i, n;

	memset(tb, 0, sizeof(tb));
	if (nla_parse(ttb, SPLICER_A_MAX, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
		      NULL)) {
		CHECK(0, "\"%s\": top level does not parse", what);
		return -1;
	}
	for (i = 0, n = 0; i <= SPLICER_A_MAX; i++)
		n += !!ttb[i];
	CHECK(n == 1 && ttb[SPLICER_A_RULE], "\"%s\": %d top-level attributes", what, n);
	if (!ttb[SPLICER_A_RULE])
		return -1;
	CHECK(ttb[SPLICER_A_RULE]->nla_type & NLA_F_NESTED, "\"%s\": RULE not NLA_F_NESTED",
	      what);
	if (nla_parse_nested(tb, SPLICER_RULE_A_MAX, ttb[SPLICER_A_RULE], NULL)) {
		CHECK(0, "\"%s\": RULE does not parse", what);
		return -1;
	}
	return 0;
}

static void new_msg(uint8_t cmd)
{
	if (msg)
		nlmsg_free(msg);
	msg = nlmsg_alloc();
	genlmsg_put(msg, 1, 1, 0x20, 0, 0, cmd, SPLICER_FAMILY_VERSION);
}

/* RULE_NEW of "rule add web LINE", as rule.c sends it. */
static int build(const char *line)
{
	struct rule r;
	char err[256];

	new_msg(SPLICER_CMD_RULE_NEW);
	if (args(line, &r, err, sizeof(err))) {
		CHECK(0, "\"%s\" refused: %s", line, err);
		return -1;
	}
	snprintf(r.service, sizeof(r.service), "web");
	SET(&r, SPLICER_RULE_A_SERVICE);
	CHECK(!rule_put(msg, &r), "\"%s\": rule_put", line);
	if (take_apart(line))
		return -1;
	CHECK(tb[SPLICER_RULE_A_SERVICE] && nla_len(tb[SPLICER_RULE_A_SERVICE]) == 4 &&
	      !strcmp(nla_data(tb[SPLICER_RULE_A_SERVICE]), "web"), "\"%s\": SERVICE", line);
	return 0;
}

static void only(const char *line, uint32_t want)
{
	uint32_t got = 0;
	int i;

	for (i = 0; i <= SPLICER_RULE_A_MAX; i++)
		if (tb[i])
			got |= 1u << i;
	CHECK(got == want, "\"%s\": attributes 0x%x, want 0x%x", line, got, want);
}

static void str_is(const char *line, int type, const char *want)
{
	struct nlattr *a = tb[type];

	CHECK(a && nla_len(a) == (int)strlen(want) + 1 &&
	      !memcmp(nla_data(a), want, strlen(want) + 1),
	      "\"%s\": attribute %d, want \"%s\"", line, type, want);
}

static void u8_is(const char *line, int type, uint8_t want)
{
	CHECK(tb[type] && nla_len(tb[type]) == 1 && nla_get_u8(tb[type]) == want,
	      "\"%s\": attribute %d: want u8 %u", line, type, want);
}

static void u16_is(const char *line, int type, uint16_t want)
{
	CHECK(tb[type] && nla_len(tb[type]) == 2 && nla_get_u16(tb[type]) == want,
	      "\"%s\": attribute %d: want u16 %u, got %u", line, type, want,
	      tb[type] ? nla_get_u16(tb[type]) : 0);
}

static void u32_is(const char *line, int type, uint32_t want)
{
	CHECK(tb[type] && nla_len(tb[type]) == 4 && nla_get_u32(tb[type]) == want,
	      "\"%s\": attribute %d: want u32 %u", line, type, want);
}

static void src_is(const char *line, int family, const char *addr, uint8_t prefix)
{
	uint8_t want[16];
	size_t n = family == AF_INET ? 4 : 16;

	inet_pton(family, addr, want);
	u16_is(line, SPLICER_RULE_A_SRC_FAMILY, (uint16_t)family);
	CHECK(tb[SPLICER_RULE_A_SRC_ADDR] && nla_len(tb[SPLICER_RULE_A_SRC_ADDR]) == (int)n &&
	      !memcmp(nla_data(tb[SPLICER_RULE_A_SRC_ADDR]), want, n),
	      "\"%s\": SRC_ADDR", line);
	u8_is(line, SPLICER_RULE_A_SRC_PREFIX, prefix);
}

#define SVC A(SERVICE)
#define SRC (A(SRC_FAMILY) | A(SRC_ADDR) | A(SRC_PREFIX))

static void test_forms(void)
{
	const char *l;
	char line[4096];

	/* Path-based routing. */
	l = "prefix /static/ pool static";
	if (!build(l)) {
		only(l, SVC | A(PATH_PREFIX) | A(POOL));
		str_is(l, SPLICER_RULE_A_PATH_PREFIX, "/static/");
		str_is(l, SPLICER_RULE_A_POOL, "static");
	}
	l = "path /login method POST pool auth";
	if (!build(l)) {
		only(l, SVC | A(PATH) | A(METHOD) | A(POOL));
		str_is(l, SPLICER_RULE_A_PATH, "/login");
		str_is(l, SPLICER_RULE_A_METHOD, "POST");
	}
	/* Host-based routing, the wildcard, a position. */
	l = "at 0 host api.example.com pool api";
	if (!build(l)) {
		only(l, SVC | A(POSITION) | A(HOST) | A(POOL));
		u32_is(l, SPLICER_RULE_A_POSITION, 0);
		str_is(l, SPLICER_RULE_A_HOST, "api.example.com");
	}
	l = "host *.example.com at 7 pool tenants";
	if (!build(l)) {
		only(l, SVC | A(POSITION) | A(HOST) | A(POOL));
		u32_is(l, SPLICER_RULE_A_POSITION, 7);
		str_is(l, SPLICER_RULE_A_HOST, "*.example.com");
	}
	l = "host [2001:db8::1] pool v6";
	if (!build(l))
		str_is(l, SPLICER_RULE_A_HOST, "[2001:db8::1]");
	l = "host LOCALHOST pool a";
	if (!build(l))
		str_is(l, SPLICER_RULE_A_HOST, "LOCALHOST");
	/* A redirect, with and without its status. */
	l = "path /old redirect https://example.com/new status 301";
	if (!build(l)) {
		only(l, SVC | A(PATH) | A(REDIRECT) | A(STATUS));
		str_is(l, SPLICER_RULE_A_REDIRECT, "https://example.com/new");
		u16_is(l, SPLICER_RULE_A_STATUS, 301);
	}
	l = "host example.org redirect /moved";
	if (!build(l)) {
		only(l, SVC | A(HOST) | A(REDIRECT));
		str_is(l, SPLICER_RULE_A_REDIRECT, "/moved");
	}
	l = "prefix / status 308 redirect https://a.example/#top";
	if (!build(l))
		u16_is(l, SPLICER_RULE_A_STATUS, 308);
	/* Fixed responses. */
	l = "src 198.18.0.0/24 status 403";
	if (!build(l)) {
		only(l, SVC | SRC | A(STATUS));
		src_is(l, AF_INET, "198.18.0.0", 24);
		u16_is(l, SPLICER_RULE_A_STATUS, 403);
	}
	l = "src 2001:db8::/32 status 410";
	if (!build(l)) {
		only(l, SVC | SRC | A(STATUS));
		src_is(l, AF_INET6, "2001:db8::", 32);
	}
	l = "src 198.18.0.7 status 429";
	if (!build(l))
		src_is(l, AF_INET, "198.18.0.7", 32);
	l = "src 2001:db8::7 status 503";
	if (!build(l))
		src_is(l, AF_INET6, "2001:db8::7", 128);
	l = "src 0.0.0.0/0 status 200";
	if (!build(l))
		src_is(l, AF_INET, "0.0.0.0", 0);
	/* Headers: present, or with a value (a blank inside one argv word). */
	l = "header X-Canary pool canary";
	if (!build(l)) {
		only(l, SVC | A(HEADER) | A(POOL));
		str_is(l, SPLICER_RULE_A_HEADER, "X-Canary");
	}
	l = "header X-Env value staging pool staging";
	if (!build(l)) {
		only(l, SVC | A(HEADER) | A(HEADER_VALUE) | A(POOL));
		str_is(l, SPLICER_RULE_A_HEADER_VALUE, "staging");
	}
	{
		char *argv[] = { "header", "User-Agent", "value", "Bad Bot/1.0", "status",
				 "403", NULL };
		struct rule r;
		char err[256];

		CHECK(!rule_args(6, argv, &r, err, sizeof(err)) &&
		      !strcmp(r.value, "Bad Bot/1.0"), "value with a blank: %s", err);
	}
	/* Every match at once, any order. */
	l = "status 404 src 10.0.0.0/8 header X-A value 1 method GET prefix /a/ path /a/b "
	    "host h.example at 3";
	if (!build(l)) {
		only(l, SVC | A(POSITION) | A(HOST) | A(PATH) | A(PATH_PREFIX) | A(METHOD) |
		     A(HEADER) | A(HEADER_VALUE) | SRC | A(STATUS));
		src_is(l, AF_INET, "10.0.0.0", 8);
		u16_is(l, SPLICER_RULE_A_STATUS, 404);
	}
	/* The longest strings kept. */
	{
		char h[RULE_HOST_MAX], p[RULE_PATH_MAX], u[RULE_URL_MAX];

		memset(h, 'h', sizeof(h) - 1), h[sizeof(h) - 1] = '\0';
		memset(p, 'p', sizeof(p) - 1), p[0] = '/', p[sizeof(p) - 1] = '\0';
		memset(u, 'u', sizeof(u) - 1), u[sizeof(u) - 1] = '\0';
		snprintf(line, sizeof(line), "host %s prefix %s redirect %s", h, p, u);
		if (!build(line)) {
			str_is("longest", SPLICER_RULE_A_HOST, h);
			str_is("longest", SPLICER_RULE_A_PATH_PREFIX, p);
			str_is("longest", SPLICER_RULE_A_REDIRECT, u);
		}
	}
}

/* RULE_DEL and RULE_GET carry SERVICE (and POSITION) only. */
static void test_del_get(void)
{
	struct rule r = { 0 };

	new_msg(SPLICER_CMD_RULE_DEL);
	snprintf(r.service, sizeof(r.service), "web");
	SET(&r, SPLICER_RULE_A_SERVICE);
	r.position = 4;
	SET(&r, SPLICER_RULE_A_POSITION);
	CHECK(!rule_put(msg, &r), "del: rule_put");
	if (!take_apart("del")) {
		only("del", SVC | A(POSITION));
		u32_is("del", SPLICER_RULE_A_POSITION, 4);
	}
	memset(&r, 0, sizeof(r));
	new_msg(SPLICER_CMD_RULE_GET);
	snprintf(r.service, sizeof(r.service), "web");
	SET(&r, SPLICER_RULE_A_SERVICE);
	CHECK(!rule_put(msg, &r), "get: rule_put");
	if (!take_apart("get")) {
		only("get", SVC);
		str_is("get", SPLICER_RULE_A_SERVICE, "web");
	}
}

static void bad(const char *line, const char *reason)
{
	struct rule r;
	char err[256];

	CHECK(args(line, &r, err, sizeof(err)) == -1, "\"%s\" accepted", line);
	CHECK(strstr(err, reason), "\"%s\": reason \"%s\", want \"%s\"", line, err, reason);
}

static void test_errors(void)
{
	char line[4096], s[RULE_URL_MAX + 1];

	bad("", "missing the action: pool NAME, redirect URL [status CODE] or status CODE");
	bad("host a.example", "missing the action");
	bad("pool app", "a rule needs a match (host, path, prefix, method, header or src); "
	    "for every request, set the service's pool instead");
	bad("status 403", "a rule needs a match");
	bad("redirect /x", "a rule needs a match");
	bad("at 1 pool app", "a rule needs a match");
	bad("host a pool x redirect /y", "a rule has one action: pool or redirect, not both");
	bad("host a pool x status 403",
	    "status goes with redirect, or alone for a fixed response; not with pool");
	bad("host a redirect /y status 200", "status 200: a redirect is 301, 302, 303, 307 "
	    "or 308");
	bad("host a redirect /y status 304", "status 304: a redirect is");
	bad("host a status 302", "status 302 alone is a redirect without a Location: give "
	    "redirect URL");
	bad("host a status 101", "status 101: a fixed response is 200..599");
	bad("host a status 600", "status \"600\": not a status (three digits, 100..599)");
	bad("host a status 40", "not a status");
	bad("host a status 0403", "not a status");
	bad("host a status forbidden", "not a status");

	bad("host a host b pool x", "\"host\" given twice");
	bad("path /a path /b pool x", "\"path\" given twice");
	bad("host a pool x pool y", "\"pool\" given twice");
	bad("host a at 1 at 2 pool x", "\"at\" given twice");
	bad("host a pool", "\"pool\" needs a value");
	bad("host", "\"host\" needs a value");
	bad("hostname a pool x", "unknown keyword \"hostname\"");
	bad("host a to x", "unknown keyword \"to\"");
	bad("value v pool x", "value needs header NAME");
	bad("host a value v pool x", "value needs header NAME");

	bad("at -1 host a pool x", "at \"-1\": not a number");
	bad("at first host a pool x", "at \"first\": not a number");
	bad("at 4294967296 host a pool x", "at \"4294967296\": too large");

	bad("host a:8080 pool x", "host \"a:8080\": the port is not matched: give the host "
	    "without it");
	bad("host a/b pool x", "host \"a/b\": not a host name (example.com, or "
	    "*.example.com for its subdomains)");
	bad("host *example.com pool x", "not a host name");
	bad("host *.*.example.com pool x", "not a host name");
	bad("host *. pool x", "not a host name");
	bad("host .example.com pool x", "not a host name");
	bad("host [::1 pool x", "not a host name");
	bad("host [zz] pool x", "host \"[zz]\": not an IPv6 address in brackets");
	bad("host *.[::1] pool x", "not a host name");
	bad("path x pool y", "path \"x\": must start with /");
	bad("prefix static/ pool y", "prefix \"static/\": must start with /");
	bad("path /a?b=1 pool y", "the path ends before '?': leave the query out");
	bad("prefix /a#b pool y", "the path ends before '#'");
	bad("method G/ET pool y", "method \"G/ET\": not a token");
	bad("header X:Y pool y", "header \"X:Y\": not a token");
	bad("src 198.18.0.1/24 status 403", "src \"198.18.0.1/24\": bits set past the prefix "
	    "length");
	bad("src 2001:db8::1/64 status 403", "bits set past the prefix length");
	bad("src 198.18.0.0/33 status 403", "src \"198.18.0.0/33\": the prefix length is "
	    "0..32");
	bad("src 2001:db8::/129 status 403", "the prefix length is 0..128");
	bad("src 198.18.0.0/x status 403", "the prefix length is 0..32");
	bad("src 198.18.0.256 status 403", "not an IPv4 address");
	bad("src 2001:db8::g status 403", "not an IPv6 address");
	bad("src /24 status 403", "not an address");
	bad("host a pool a/b", "pool \"a/b\": names may only use");
	bad("host a redirect http://x/a\x01 status 301", "printable ASCII without blanks");

	memset(s, 'u', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	snprintf(line, sizeof(line), "host a redirect %s", s);
	bad(line, "longer than 1023 characters");
	s[0] = '/';
	s[RULE_PATH_MAX] = '\0';
	snprintf(line, sizeof(line), "path %s pool x", s);
	bad(line, "path \"/uuuu");
	bad(line, "...\": longer than 1023 characters");
	{
		char *argv[] = { "host", "a", "header", "X", "value", "", "pool", "p", NULL };
		char err[256], v[RULE_VALUE_MAX + 1];
		struct rule r;

		CHECK(rule_args(8, argv, &r, err, sizeof(err)) == -1 &&
		      !strcmp(err, "value \"\": empty"), "empty value: %s", err);
		argv[5] = "a\tb";
		CHECK(rule_args(8, argv, &r, err, sizeof(err)) == -1 &&
		      strstr(err, "printable ASCII (blanks allowed)"), "tab in value: %s", err);
		argv[5] = " x";
		CHECK(rule_args(8, argv, &r, err, sizeof(err)) == -1 &&
		      strstr(err, "no leading or trailing blanks"), "leading blank: %s", err);
		argv[5] = "x ";
		CHECK(rule_args(8, argv, &r, err, sizeof(err)) == -1 &&
		      strstr(err, "no leading or trailing blanks"), "trailing blank: %s", err);
		memset(v, 'v', sizeof(v) - 1);
		v[sizeof(v) - 1] = '\0';
		argv[5] = v;
		CHECK(rule_args(8, argv, &r, err, sizeof(err)) == -1 &&
		      strstr(err, "longer than 255 characters"), "long value: %s", err);
		v[sizeof(v) - 2] = '\0';
		CHECK(!rule_args(8, argv, &r, err, sizeof(err)) &&
		      strlen(r.value) == RULE_VALUE_MAX - 1, "longest value: %s", err);
		argv[5] = "ok";
		argv[1] = "";
		CHECK(rule_args(8, argv, &r, err, sizeof(err)) == -1 &&
		      !strcmp(err, "host \"\": empty"), "empty host: %s", err);
	}
	CHECK(rule_redirect_status(301) && rule_redirect_status(302) &&
	      rule_redirect_status(303) && rule_redirect_status(307) &&
	      rule_redirect_status(308) && !rule_redirect_status(300) &&
	      !rule_redirect_status(304) && !rule_redirect_status(305) &&
	      !rule_redirect_status(306), "redirect statuses");
}

/* ---- replies ---- */

static struct nl_msg *rm;
static struct nlattr *rnest;

static void reply_start(uint32_t position)
{
	rm = nlmsg_alloc();
	rnest = nla_nest_start(rm, SPLICER_A_RULE);
	nla_put_string(rm, SPLICER_RULE_A_SERVICE, "web");
	nla_put_u32(rm, SPLICER_RULE_A_POSITION, position);
}

static void reply_end(struct rule *r, uint64_t hits)
{
	nla_put_u64(rm, SPLICER_RULE_A_HITS, hits);
	nla_nest_end(rm, rnest);
	CHECK(!rule_parse(nlmsg_data(nlmsg_hdr(rm)), r), "rule_parse");
	nlmsg_free(rm);
}

static char *json(const struct rule *r, bool with_service, bool as_command)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_set_file(f);
	rule_print_json(r, with_service, as_command);
	json_end();
	fclose(f);
	json_set_file(NULL);
	return buf;
}

static void words_are(const struct rule *r, const char *match, const char *action,
		      const char *dump)
{
	char buf[RULE_WORDS_MAX];
	bool ok;

	ok = rule_match_words(r, false, buf, sizeof(buf));
	CHECK(ok == !!*match && !strcmp(buf, match), "match words \"%s\", want \"%s\"",
	      buf, match);
	ok = rule_action_words(r, false, buf, sizeof(buf));
	CHECK(ok == !!*action && !strcmp(buf, action), "action words \"%s\", want \"%s\"",
	      buf, action);
	ok = rule_format(r, buf, sizeof(buf));
	if (dump)
		CHECK(ok && !strcmp(buf, dump), "dump words \"%s\", want \"%s\"", buf, dump);
	else
		CHECK(!ok, "dump words \"%s\" for an unwritable rule", buf);
}

static void test_replies(void)
{
	uint8_t a4[4] = { 10, 0, 0, 0 }, a6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	char buf[RULE_WORDS_MAX], *j, big[RULE_URL_MAX + 100];
	struct rule r;

	reply_start(0);
	nla_put_string(rm, SPLICER_RULE_A_HOST, "api.example.com");
	nla_put_string(rm, SPLICER_RULE_A_PATH_PREFIX, "/v1/");
	nla_put_string(rm, SPLICER_RULE_A_POOL, "api");
	reply_end(&r, 1234);
	CHECK(r.has == (A(SERVICE) | A(POSITION) | A(HOST) | A(PATH_PREFIX) | A(POOL) |
			A(HITS)) && r.hits == 1234 && r.position == 0 &&
	      !strcmp(r.service, "web") && !r.truncated, "pool rule: has 0x%x", r.has);
	words_are(&r, "host api.example.com prefix /v1/", "pool api",
		  "host api.example.com prefix /v1/ pool api");
	j = json(&r, false, false);
	CHECK(!strcmp(j, "{\"position\":0,\"host\":\"api.example.com\",\"path_prefix\":\"/v1/\","
		      "\"action\":\"pool\",\"pool\":\"api\",\"hits\":1234}\n"), "json: %s", j);
	free(j);
	j = json(&r, true, true);
	CHECK(!strcmp(j, "{\"service\":\"web\",\"position\":0,\"host\":\"api.example.com\","
		      "\"path_prefix\":\"/v1/\",\"action\":\"pool\",\"pool\":\"api\"}\n"),
	      "dump json: %s", j);
	free(j);

	/* A redirect: the module reports its status (default 302). */
	reply_start(1);
	nla_put_string(rm, SPLICER_RULE_A_PATH, "/old");
	nla_put_string(rm, SPLICER_RULE_A_REDIRECT, "https://example.com/new");
	nla_put_u16(rm, SPLICER_RULE_A_STATUS, 302);
	reply_end(&r, 0);
	words_are(&r, "path /old", "redirect https://example.com/new status 302",
		  "path /old redirect https://example.com/new status 302");
	j = json(&r, false, false);
	CHECK(!strcmp(j, "{\"position\":1,\"path\":\"/old\",\"action\":\"redirect\","
		      "\"redirect\":\"https://example.com/new\",\"status\":302,\"hits\":0}\n"),
	      "redirect json: %s", j);
	free(j);

	/* A fixed status by source, both families. */
	reply_start(2);
	nla_put_u16(rm, SPLICER_RULE_A_SRC_FAMILY, AF_INET);
	nla_put(rm, SPLICER_RULE_A_SRC_ADDR, 4, a4);
	nla_put_u8(rm, SPLICER_RULE_A_SRC_PREFIX, 8);
	nla_put_u16(rm, SPLICER_RULE_A_STATUS, 403);
	reply_end(&r, 5);
	words_are(&r, "src 10.0.0.0/8", "status 403", "src 10.0.0.0/8 status 403");
	j = json(&r, false, false);
	CHECK(!strcmp(j, "{\"position\":2,\"src\":\"10.0.0.0/8\",\"src_family\":\"inet\","
		      "\"src_addr\":\"10.0.0.0\",\"src_prefix\":8,\"action\":\"status\","
		      "\"status\":403,\"hits\":5}\n"), "src json: %s", j);
	free(j);
	reply_start(3);
	nla_put_u16(rm, SPLICER_RULE_A_SRC_FAMILY, AF_INET6);
	nla_put(rm, SPLICER_RULE_A_SRC_ADDR, 16, a6);
	nla_put_u8(rm, SPLICER_RULE_A_SRC_PREFIX, 32);
	nla_put_string(rm, SPLICER_RULE_A_METHOD, "DELETE");
	nla_put_u16(rm, SPLICER_RULE_A_STATUS, 405);
	reply_end(&r, 0);
	words_are(&r, "method DELETE src 2001:db8::/32", "status 405",
		  "method DELETE src 2001:db8::/32 status 405");
	/* A source of the wrong length is left out, not misread. */
	reply_start(4);
	nla_put_u16(rm, SPLICER_RULE_A_SRC_FAMILY, AF_INET);
	nla_put(rm, SPLICER_RULE_A_SRC_ADDR, 16, a6);
	nla_put_string(rm, SPLICER_RULE_A_HOST, "h");
	nla_put_u16(rm, SPLICER_RULE_A_STATUS, 404);
	reply_end(&r, 0);
	CHECK(!HAS(&r, SPLICER_RULE_A_SRC_ADDR), "bad SRC_ADDR kept");

	/* Values a batch line cannot carry: shown quoted, dumped as a comment. */
	reply_start(5);
	nla_put_string(rm, SPLICER_RULE_A_HEADER, "User-Agent");
	nla_put_string(rm, SPLICER_RULE_A_HEADER_VALUE, "Bad Bot \"1\"");
	nla_put_u16(rm, SPLICER_RULE_A_STATUS, 403);
	reply_end(&r, 0);
	words_are(&r, "header User-Agent value \"Bad Bot \\\"1\\\"\"", "status 403", NULL);
	CHECK(!rule_format(&r, buf, sizeof(buf)) &&
	      !strcmp(buf, "the value \"Bad Bot \"1\"\" has a blank, which a batch file "
		      "would split"), "why: %s", buf);
	reply_start(6);
	nla_put_string(rm, SPLICER_RULE_A_HOST, "a");
	nla_put_string(rm, SPLICER_RULE_A_REDIRECT, "https://a.example/#top");
	nla_put_u16(rm, SPLICER_RULE_A_STATUS, 301);
	reply_end(&r, 0);
	CHECK(!rule_format(&r, buf, sizeof(buf)) && strstr(buf, "has a '#'"), "#: %s", buf);
	words_are(&r, "host a", "redirect https://a.example/#top status 301", NULL);

	/* Longer than this tool keeps: shown cut, never dumped. */
	memset(big, 'x', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	reply_start(7);
	nla_put_string(rm, SPLICER_RULE_A_HOST, "a");
	nla_put_string(rm, SPLICER_RULE_A_REDIRECT, big);
	reply_end(&r, 0);
	CHECK(r.truncated == A(REDIRECT) && strlen(r.redirect) == RULE_URL_MAX - 1,
	      "truncated 0x%x", r.truncated);
	CHECK(!rule_format(&r, buf, sizeof(buf)) &&
	      strstr(buf, "is longer than splicerctl keeps"), "truncated: %s", buf);

	/* No action this tool knows, no match: "-" in show, never dumped. */
	reply_start(8);
	nla_put_string(rm, SPLICER_RULE_A_HOST, "a");
	reply_end(&r, 0);
	CHECK(!rule_action(&r), "action of none");
	words_are(&r, "host a", "", NULL);
	CHECK(!rule_format(&r, buf, sizeof(buf)) &&
	      !strcmp(buf, "no action this splicerctl knows"), "no action: %s", buf);
	reply_start(9);
	nla_put_string(rm, SPLICER_RULE_A_POOL, "p");
	reply_end(&r, 0);
	words_are(&r, "", "pool p", NULL);
	CHECK(!rule_format(&r, buf, sizeof(buf)) &&
	      !strcmp(buf, "no match this splicerctl knows"), "no match: %s", buf);

	CHECK(!strcmp(rule_action(&r), "pool"), "action pool");
}

/* ---- round trip ---- */

static void *request(const struct rule *r, size_t *len)
{
	struct nl_msg *m = nlmsg_alloc();
	void *copy;

	genlmsg_put(m, 1, 1, 0x20, 0, 0, SPLICER_CMD_RULE_NEW, 1);
	rule_put(m, r);
	*len = nlmsg_hdr(m)->nlmsg_len;
	copy = malloc(*len);
	memcpy(copy, nlmsg_hdr(m), *len);
	nlmsg_free(m);
	return copy;
}

/*
 * "rule add web LINE", as the module would report it back (position and
 * hits added), dumped, and the dump line parsed again: the same request
 * (without at, which a replay does not need).
 */
static void round_trip(const char *line)
{
	char words[RULE_WORDS_MAX], err[256];
	struct rule r, back;
	size_t la, lb;
	void *a, *b;

	if (args(line, &r, err, sizeof(err))) {
		CHECK(0, "\"%s\" refused: %s", line, err);
		return;
	}
	r.has &= ~A(POSITION);
	if (!rule_format(&r, words, sizeof(words))) {
		CHECK(0, "\"%s\": no dump line: %s", line, words);
		return;
	}
	if (args(words, &back, err, sizeof(err))) {
		CHECK(0, "\"%s\": dump line \"%s\" refused: %s", line, words, err);
		return;
	}
	CHECK(back.has == r.has, "\"%s\": has 0x%x, want 0x%x", line, back.has, r.has);
	a = request(&r, &la);
	b = request(&back, &lb);
	CHECK(la == lb && !memcmp(a, b, la), "\"%s\": \"%s\" builds another request", line,
	      words);
	free(a);
	free(b);
}

static void test_round_trip(void)
{
	round_trip("prefix /static/ pool static");
	round_trip("host api.example.com pool api");
	round_trip("host *.example.com path /x method PUT pool t");
	round_trip("path /old redirect https://example.com/new status 301");
	round_trip("path /old redirect /new");
	round_trip("src 198.18.0.0/24 status 403");
	round_trip("src 2001:db8::/48 status 410");
	round_trip("header X-Env value staging pool staging");
	round_trip("status 404 src 10.0.0.0/8 header X-A value 1 method GET prefix /a/ "
		   "path /a/b host h.example at 3");
}

int main(void)
{
	test_forms();
	test_del_get();
	test_errors();
	test_replies();
	test_round_trip();
	if (msg)
		nlmsg_free(msg);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
