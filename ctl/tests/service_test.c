// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ctl/svc.c: the keywords of "service add|set" (splice, tls,
 * handshake-timeout, location-rewrite and inspect with the older ones) parsed and
 * built into the SERVICE nest, which is taken apart attribute by attribute
 * as the kernel would (exact set, types, lengths); every refusal and its
 * reason; a reply decoded (RULES read only, a module that reports none of
 * the new members); the words of show and dump and the JSON; each dump
 * line parsed back into the same request.
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
#include "../svc.h"

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

#define A(x) (1u << SPLICER_SVC_A_##x)

static int split(char *s, char **argv)
{
	int argc = 0;
	char *save = NULL, *w;

	for (w = strtok_r(s, " ", &save); w && argc < 62; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

/* The keywords of add (or set) in 'line' into *s named "web". */
static int args(bool add, const char *line, struct service *s, char *err, size_t errlen)
{
	char copy[1024], *argv[64];
	int argc;

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "web");
	snprintf(copy, sizeof(copy), "%s", line);
	argc = split(copy, argv);
	*err = '\0';
	return parse_kw_args(add ? service_add_kws : service_set_kws,
			     add ? service_add_nkws : service_set_nkws, argc, argv, s,
			     &s->has, err, errlen);
}

/* ---- the message, taken apart ---- */

static struct nl_msg *msg;
static struct nlattr *tb[SPLICER_SVC_A_MAX + 1];

static int build(bool add, const char *line)
{
	struct nlattr *ttb[SPLICER_A_MAX + 1];
	struct genlmsghdr *g;
	struct service s;
	char err[256];
	int i, n;

	if (msg)
		nlmsg_free(msg);
	memset(tb, 0, sizeof(tb));
	msg = nlmsg_alloc();
	genlmsg_put(msg, 1, 1, 0x20, 0, 0,
		    add ? SPLICER_CMD_SERVICE_NEW : SPLICER_CMD_SERVICE_SET,
		    SPLICER_FAMILY_VERSION);
	if (args(add, line, &s, err, sizeof(err))) {
		CHECK(0, "\"%s\" refused: %s", line, err);
		return -1;
	}
	CHECK(!service_put(msg, &s), "\"%s\": service_put", line);
	g = nlmsg_data(nlmsg_hdr(msg));
	if (nla_parse(ttb, SPLICER_A_MAX, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
		      NULL)) {
		CHECK(0, "\"%s\": top level does not parse", line);
		return -1;
	}
	for (i = 0, n = 0; i <= SPLICER_A_MAX; i++)
		n += !!ttb[i];
	CHECK(n == 1 && ttb[SPLICER_A_SERVICE], "\"%s\": %d top-level attributes", line, n);
	if (!ttb[SPLICER_A_SERVICE])
		return -1;
	CHECK(ttb[SPLICER_A_SERVICE]->nla_type & NLA_F_NESTED,
	      "\"%s\": SERVICE not NLA_F_NESTED", line);
	if (nla_parse_nested(tb, SPLICER_SVC_A_MAX, ttb[SPLICER_A_SERVICE], NULL)) {
		CHECK(0, "\"%s\": SERVICE does not parse", line);
		return -1;
	}
	CHECK(tb[SPLICER_SVC_A_NAME] && nla_len(tb[SPLICER_SVC_A_NAME]) == 4 &&
	      !strcmp(nla_data(tb[SPLICER_SVC_A_NAME]), "web"), "\"%s\": NAME", line);
	return 0;
}

static void only(const char *line, uint32_t want)
{
	uint32_t got = 0;
	int i;

	for (i = 0; i <= SPLICER_SVC_A_MAX; i++)
		if (tb[i])
			got |= 1u << i;
	CHECK(got == want, "\"%s\": attributes 0x%x, want 0x%x", line, got, want);
}

static void u8_is(const char *line, int type, uint8_t want)
{
	CHECK(tb[type] && nla_len(tb[type]) == 1 && nla_get_u8(tb[type]) == want,
	      "\"%s\": attribute %d: want u8 %u", line, type, want);
}

static void u16_is(const char *line, int type, uint16_t want)
{
	CHECK(tb[type] && nla_len(tb[type]) == 2 && nla_get_u16(tb[type]) == want,
	      "\"%s\": attribute %d: want u16 %u", line, type, want);
}

static void u32_is(const char *line, int type, uint32_t want)
{
	CHECK(tb[type] && nla_len(tb[type]) == 4 && nla_get_u32(tb[type]) == want,
	      "\"%s\": attribute %d: want u32 %u, got %u", line, type, want,
	      tb[type] ? nla_get_u32(tb[type]) : 0);
}

static void test_forms(void)
{
	const char *l;

	l = "listen 198.18.0.1:80 pool app";
	if (!build(true, l)) {
		static const uint8_t a[4] = { 198, 18, 0, 1 };

		only(l, A(NAME) | A(FAMILY) | A(ADDR) | A(PORT) | A(POOL));
		u16_is(l, SPLICER_SVC_A_FAMILY, AF_INET);
		CHECK(nla_len(tb[SPLICER_SVC_A_ADDR]) == 4 &&
		      !memcmp(nla_data(tb[SPLICER_SVC_A_ADDR]), a, 4), "ADDR");
		u16_is(l, SPLICER_SVC_A_PORT, 80);
	}
	l = "listen [2001:db8::1]:443 pool app tls on handshake-timeout 5s splice on "
	    "location-rewrite off";
	if (!build(true, l)) {
		only(l, A(NAME) | A(FAMILY) | A(ADDR) | A(PORT) | A(POOL) | A(TLS) |
		     A(HANDSHAKE_TIMEOUT) | A(SPLICE) | A(LOCATION_REWRITE));
		u16_is(l, SPLICER_SVC_A_FAMILY, AF_INET6);
		CHECK(nla_len(tb[SPLICER_SVC_A_ADDR]) == 16, "ADDR of 16 bytes");
		u8_is(l, SPLICER_SVC_A_TLS, 1);
		u8_is(l, SPLICER_SVC_A_SPLICE, 1);
		u8_is(l, SPLICER_SVC_A_LOCATION_REWRITE, 0);
		u32_is(l, SPLICER_SVC_A_HANDSHAKE_TIMEOUT, 5000);
	}
	l = "splice off";
	if (!build(false, l)) {
		only(l, A(NAME) | A(SPLICE));
		u8_is(l, SPLICER_SVC_A_SPLICE, 0);
	}
	l = "tls off";
	if (!build(false, l)) {
		only(l, A(NAME) | A(TLS));
		u8_is(l, SPLICER_SVC_A_TLS, 0);
	}
	l = "location-rewrite on";
	if (!build(false, l)) {
		only(l, A(NAME) | A(LOCATION_REWRITE));
		u8_is(l, SPLICER_SVC_A_LOCATION_REWRITE, 1);
	}
	l = "inspect on";
	if (!build(false, l)) {
		only(l, A(NAME) | A(INSPECT));
		u8_is(l, SPLICER_SVC_A_INSPECT, 1);
	}
	l = "inspect off splice on";
	if (!build(false, l)) {
		only(l, A(NAME) | A(INSPECT) | A(SPLICE));
		u8_is(l, SPLICER_SVC_A_INSPECT, 0);
	}
	/* Left to the module: its range (100ms..1h). */
	l = "handshake-timeout 1";
	if (!build(false, l)) {
		only(l, A(NAME) | A(HANDSHAKE_TIMEOUT));
		u32_is(l, SPLICER_SVC_A_HANDSHAKE_TIMEOUT, 1);
	}
	l = "pool other head-max 32k header-timeout 5s connect-timeout 500ms "
	    "server-timeout 1m idle-timeout 2m max-line 4k max-headers 64 retries 0 "
	    "splice on tls on handshake-timeout 2m location-rewrite on inspect on";
	if (!build(false, l)) {
		only(l, A(NAME) | A(POOL) | A(HEAD_MAX) | A(HEADER_TIMEOUT) |
		     A(CONNECT_TIMEOUT) | A(SERVER_TIMEOUT) | A(IDLE_TIMEOUT) | A(MAX_LINE) |
		     A(MAX_HEADERS) | A(RETRIES) | A(SPLICE) | A(TLS) |
		     A(HANDSHAKE_TIMEOUT) | A(LOCATION_REWRITE) | A(INSPECT));
		u32_is(l, SPLICER_SVC_A_HEAD_MAX, 32768);
		u32_is(l, SPLICER_SVC_A_HEADER_TIMEOUT, 5000);
		u32_is(l, SPLICER_SVC_A_CONNECT_TIMEOUT, 500);
		u32_is(l, SPLICER_SVC_A_SERVER_TIMEOUT, 60000);
		u32_is(l, SPLICER_SVC_A_IDLE_TIMEOUT, 120000);
		u32_is(l, SPLICER_SVC_A_MAX_LINE, 4096);
		u32_is(l, SPLICER_SVC_A_MAX_HEADERS, 64);
		u32_is(l, SPLICER_SVC_A_RETRIES, 0);
		u32_is(l, SPLICER_SVC_A_HANDSHAKE_TIMEOUT, 120000);
	}
}

static void bad(bool add, const char *line, const char *reason)
{
	struct service s;
	char err[256];

	CHECK(args(add, line, &s, err, sizeof(err)) == -1, "\"%s\" accepted", line);
	CHECK(!strcmp(err, reason), "\"%s\": reason \"%s\", want \"%s\"", line, err, reason);
}

static void test_errors(void)
{
	bad(true, "splice yes", "splice \"yes\": expected on or off");
	bad(true, "tls 1", "tls \"1\": expected on or off");
	bad(false, "location-rewrite", "\"location-rewrite\" needs a value");
	bad(false, "splice on splice off", "\"splice\" given twice");
	bad(false, "tls on tls on", "\"tls\" given twice");
	bad(false, "handshake-timeout 10x",
	    "handshake-timeout \"10x\": not a duration (500ms, 10s, 2m, 1h or milliseconds)");
	bad(false, "handshake-timeout 4294968s",
	    "handshake-timeout \"4294968s\": too long (the limit is 4294967295ms, about 49 days)");
	bad(false, "rules 3", "\"rules\" is read only: add rules with \"splicerctl rule add\"");
	bad(true, "rules 0", "\"rules\" is read only: add rules with \"splicerctl rule add\"");
	bad(false, "listen 198.18.0.1:80",
	    "\"listen\" cannot be changed: delete the service and add it again");
	bad(false, "spliced on", "unknown keyword \"spliced\"");
	bad(false, "location_rewrite off", "unknown keyword \"location_rewrite\"");
	bad(false, "inspect maybe", "inspect \"maybe\": expected on or off");
}

/* ---- replies ---- */

/* A SERVICE nest as the module sends it; 'new' adds the newer members. */
static void reply(struct service *s, bool new)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *nest, *stats;
	uint8_t addr[4] = { 198, 18, 0, 1 };

	nest = nla_nest_start(m, SPLICER_A_SERVICE);
	nla_put_string(m, SPLICER_SVC_A_NAME, "web");
	nla_put_u16(m, SPLICER_SVC_A_FAMILY, AF_INET);
	nla_put(m, SPLICER_SVC_A_ADDR, 4, addr);
	nla_put_u16(m, SPLICER_SVC_A_PORT, 443);
	nla_put_string(m, SPLICER_SVC_A_POOL, "app");
	nla_put_u32(m, SPLICER_SVC_A_HEAD_MAX, 16384);
	nla_put_u32(m, SPLICER_SVC_A_HEADER_TIMEOUT, 10000);
	nla_put_u32(m, SPLICER_SVC_A_CONNECT_TIMEOUT, 5000);
	nla_put_u32(m, SPLICER_SVC_A_SERVER_TIMEOUT, 30000);
	nla_put_u32(m, SPLICER_SVC_A_IDLE_TIMEOUT, 60000);
	nla_put_u32(m, SPLICER_SVC_A_MAX_LINE, 8190);
	nla_put_u32(m, SPLICER_SVC_A_MAX_HEADERS, 128);
	nla_put_u32(m, SPLICER_SVC_A_RETRIES, 3);
	if (new) {
		nla_put_u8(m, SPLICER_SVC_A_SPLICE, 1);
		nla_put_u8(m, SPLICER_SVC_A_TLS, 1);
		nla_put_u32(m, SPLICER_SVC_A_HANDSHAKE_TIMEOUT, 10000);
		nla_put_u8(m, SPLICER_SVC_A_LOCATION_REWRITE, 0);
		nla_put_u8(m, SPLICER_SVC_A_INSPECT, 1);
		nla_put_u32(m, SPLICER_SVC_A_RULES, 4);
	}
	stats = nla_nest_start(m, SPLICER_SVC_A_STATS);
	nla_put_u64(m, SPLICER_CNT_CONNS, 7);
	if (new)
		nla_put_u64(m, SPLICER_CNT_SPLICED, 5);
	nla_nest_end(m, stats);
	nla_nest_end(m, nest);
	memset(s, 0, sizeof(*s));
	CHECK(!service_parse(nlmsg_data(nlmsg_hdr(m)), s), "service_parse");
	nlmsg_free(m);
}

static char *json(const struct service *s, bool as_command)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_set_file(f);
	service_print_json(s, as_command);
	json_end();
	fclose(f);
	json_set_file(NULL);
	return buf;
}

#define OLD_WORDS " listen 198.18.0.1:443 pool app head-max 16384 max-line 8190 " \
	"max-headers 128 header-timeout 10s connect-timeout 5s server-timeout 30s " \
	"idle-timeout 1m retries 3"

static void test_replies(void)
{
	char words[SERVICE_WORDS_MAX], *j;
	struct service s;

	reply(&s, true);
	CHECK(s.splice == 1 && s.tls == 1 && s.handshake_timeout == 10000 &&
	      s.location_rewrite == 0 && s.rules == 4 && s.inspect == 1 &&
	      HAS(&s, SPLICER_SVC_A_INSPECT), "new members decoded");
	CHECK(HAS(&s, SPLICER_SVC_A_SPLICE) && HAS(&s, SPLICER_SVC_A_TLS) &&
	      HAS(&s, SPLICER_SVC_A_HANDSHAKE_TIMEOUT) &&
	      HAS(&s, SPLICER_SVC_A_LOCATION_REWRITE) && HAS(&s, SPLICER_SVC_A_RULES) &&
	      HAS(&s, SPLICER_SVC_A_STATS), "has 0x%x", s.has);
	CHECK(s.stats.v[SPLICER_CNT_SPLICED] == 5, "stats");

	service_format(&s, false, words, sizeof(words));
	CHECK(!strcmp(words, OLD_WORDS " splice on tls on handshake-timeout 10s "
		      "location-rewrite off inspect on rules 4"), "show words:%s", words);
	service_format(&s, true, words, sizeof(words));
	CHECK(!strcmp(words, OLD_WORDS " splice on tls on handshake-timeout 10s "
		      "location-rewrite off inspect on"), "dump words:%s", words);

	j = json(&s, false);
	CHECK(!strcmp(j, "{\"name\":\"web\",\"family\":\"inet\",\"addr\":\"198.18.0.1\","
		      "\"port\":443,\"pool\":\"app\",\"head_max\":16384,\"max_line\":8190,"
		      "\"max_headers\":128,\"header_timeout\":10000,\"connect_timeout\":5000,"
		      "\"server_timeout\":30000,\"idle_timeout\":60000,\"retries\":3,"
		      "\"splice\":true,\"tls\":true,\"handshake_timeout\":10000,"
		      "\"location_rewrite\":false,\"inspect\":true,\"rules\":4,"
		      "\"stats\":{\"conns\":7,\"spliced\":5}}\n"), "json: %s", j);
	free(j);
	j = json(&s, true);
	CHECK(strstr(j, "\"location_rewrite\":false,\"inspect\":true}") && !strstr(j, "rules") &&
	      !strstr(j, "stats"), "dump json: %s", j);
	free(j);

	/* A module without them: nothing is made up. */
	reply(&s, false);
	CHECK(!HAS(&s, SPLICER_SVC_A_SPLICE) && !HAS(&s, SPLICER_SVC_A_TLS) &&
	      !HAS(&s, SPLICER_SVC_A_HANDSHAKE_TIMEOUT) &&
	      !HAS(&s, SPLICER_SVC_A_LOCATION_REWRITE) && !HAS(&s, SPLICER_SVC_A_RULES) &&
	      !HAS(&s, SPLICER_SVC_A_INSPECT), "old module: has 0x%x", s.has);
	service_format(&s, false, words, sizeof(words));
	CHECK(!strcmp(words, OLD_WORDS), "old show words:%s", words);
	j = json(&s, false);
	CHECK(!strstr(j, "splice") && !strstr(j, "tls") && !strstr(j, "rules") &&
	      !strstr(j, "location") && !strstr(j, "inspect"), "old json: %s", j);
	free(j);

	/* Any non-zero switch is on. */
	s.splice = 2;
	SET(&s, SPLICER_SVC_A_SPLICE);
	service_format(&s, true, words, sizeof(words));
	CHECK(strstr(words, " splice on") != NULL, "splice 2:%s", words);
}

/* ---- round trip ---- */

/* The request bytes of s (SERVICE_NEW), malloc'ed; *len set. */
static void *request(const struct service *s, size_t *len)
{
	struct nl_msg *m = nlmsg_alloc();
	void *copy;

	genlmsg_put(m, 1, 1, 0x20, 0, 0, SPLICER_CMD_SERVICE_NEW, 1);
	service_put(m, s);
	*len = nlmsg_hdr(m)->nlmsg_len;
	copy = malloc(*len);
	memcpy(copy, nlmsg_hdr(m), *len);
	nlmsg_free(m);
	return copy;
}

static void round_trip(struct service *s, const char *what)
{
	char words[SERVICE_WORDS_MAX], err[256];
	struct service back, want = *s;
	size_t la, lb;
	void *a, *b;

	service_format(s, true, words, sizeof(words));
	if (args(true, words, &back, err, sizeof(err))) {
		CHECK(0, "%s: dump line \"%s\" refused: %s", what, words, err);
		return;
	}
	/* What a request carries: the read-only members stay behind. */
	want.has &= ~(A(STATS) | A(RULES) | A(PERSIST) | A(NAME));
	CHECK(back.has == want.has, "%s: has 0x%x, want 0x%x", what, back.has, want.has);
	a = request(&want, &la);
	b = request(&back, &lb);
	CHECK(la == lb && !memcmp(a, b, la), "%s: \"%s\" builds another request", what,
	      words);
	free(a);
	free(b);
}

static void test_round_trip(void)
{
	struct service s;

	reply(&s, true);
	round_trip(&s, "new");
	reply(&s, false);
	round_trip(&s, "old");
	reply(&s, true);
	s.splice = 0;
	s.tls = 0;
	s.location_rewrite = 1;
	s.inspect = 0;
	s.handshake_timeout = 1500;
	round_trip(&s, "off");
}

int main(void)
{
	test_forms();
	test_errors();
	test_replies();
	test_round_trip();
	if (msg)
		nlmsg_free(msg);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
