// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ctl/logrec.c: decision log records built as the module
 * sends them, decoded and printed, text and JSON: a request decided by a
 * content rule (RULE is the position + 1, printed as the position), a
 * spliced connection end and one relayed with the reason, TLS details and
 * a failed handshake, strings that need quoting, a health record, and the
 * members a record leaves out.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include <linux/splicer.h>

#include "../logrec.h"
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

static struct nl_msg *m;
static struct nlattr *nest;

/* 2026-03-01T10:00:00.123456Z */
#define T0 1772359200123456789ull

static void start(uint8_t kind)
{
	uint8_t addr[4] = { 198, 18, 0, 9 };

	m = nlmsg_alloc();
	nest = nla_nest_start(m, SPLICER_A_LOG);
	nla_put_u8(m, SPLICER_LOG_A_KIND, kind);
	nla_put_u64(m, SPLICER_LOG_A_TIME, T0);
	if (kind == SPLICER_LOG_HEALTH)
		return;
	nla_put_u64(m, SPLICER_LOG_A_CONN_ID, 42);
	nla_put_string(m, SPLICER_LOG_A_SERVICE, "web");
	nla_put_u16(m, SPLICER_LOG_A_CLIENT_FAMILY, AF_INET);
	nla_put(m, SPLICER_LOG_A_CLIENT_ADDR, 4, addr);
	nla_put_u16(m, SPLICER_LOG_A_CLIENT_PORT, 40000);
}

/* Decode what was built; the text line and the JSON, malloc'ed. */
static void finish(struct log_rec *r, char **text, char **json)
{
	size_t len = 0;
	FILE *f;

	nla_nest_end(m, nest);
	CHECK(!log_parse(nlmsg_data(nlmsg_hdr(m)), r), "log_parse");
	nlmsg_free(m);
	f = open_memstream(text, &len);
	log_print_plain(f, r);
	fclose(f);
	f = open_memstream(json, &len);
	json_set_file(f);
	log_print_json(r);
	fclose(f);
	json_set_file(NULL);
}

static void same(const char *what, const char *got, const char *want)
{
	CHECK(!strcmp(got, want), "%s:\n got  %s want %s", what, got, want);
}

static void test_rule(void)
{
	struct log_rec r;
	char *text, *json;

	start(SPLICER_LOG_REQUEST);
	nla_put_u32(m, SPLICER_LOG_A_REQUEST_NO, 1);
	nla_put_string(m, SPLICER_LOG_A_METHOD, "GET");
	nla_put_string(m, SPLICER_LOG_A_TARGET, "/api/v1/users");
	nla_put_string(m, SPLICER_LOG_A_HOST, "example.com");
	nla_put_string(m, SPLICER_LOG_A_POOL, "api");
	nla_put_string(m, SPLICER_LOG_A_SERVER, "a1");
	nla_put_u32(m, SPLICER_LOG_A_RULE, 3);
	nla_put_string(m, SPLICER_LOG_A_DECISION, "roundrobin -> a1");
	nla_put_u16(m, SPLICER_LOG_A_STATUS, 200);
	finish(&r, &text, &json);
	CHECK(r.rule == 3 && (r.has & (1ull << SPLICER_LOG_A_RULE)), "RULE decoded");
	same("rule text", text,
	     "2026-03-01T10:00:00.123456Z request service web conn 42 client 198.18.0.9:40000 "
	     "request_no 1 method GET target /api/v1/users host example.com server api a1 "
	     "rule 2 decision \"roundrobin -> a1\" status 200\n");
	same("rule json", json,
	     "{\"kind\":\"request\",\"client_family\":\"inet\",\"client_addr\":\"198.18.0.9\","
	     "\"client_port\":40000,\"status\":200,\"generated\":false,\"rule\":2,"
	     "\"time\":1772359200123456789,\"conn_id\":42,\"service\":\"web\",\"pool\":\"api\","
	     "\"server\":\"a1\",\"decision\":\"roundrobin -> a1\",\"request_no\":1,"
	     "\"method\":\"GET\",\"target\":\"/api/v1/users\",\"host\":\"example.com\"}\n");
	free(text);
	free(json);

	/* A rule that answered itself: a redirect, no server. */
	start(SPLICER_LOG_REQUEST);
	nla_put_string(m, SPLICER_LOG_A_TARGET, "/old");
	nla_put_u32(m, SPLICER_LOG_A_RULE, 1);
	nla_put_u16(m, SPLICER_LOG_A_STATUS, 301);
	nla_put_flag(m, SPLICER_LOG_A_GENERATED);
	nla_put_string(m, SPLICER_LOG_A_REASON, "rule 1: redirect");
	finish(&r, &text, &json);
	CHECK(strstr(text, " target /old rule 0 status 301 generated reason "
		     "\"rule 1: redirect\"\n") != NULL, "redirect text: %s", text);
	CHECK(strstr(json, "\"status\":301,\"generated\":true,\"rule\":0,") != NULL,
	      "redirect json: %s", json);
	free(text);
	free(json);

	/* RULE 0 is no rule; absent is none too. */
	start(SPLICER_LOG_REQUEST);
	nla_put_u32(m, SPLICER_LOG_A_RULE, 0);
	finish(&r, &text, &json);
	CHECK(!strstr(text, "rule") && !strstr(json, "rule"), "rule 0: %s %s", text, json);
	free(text);
	free(json);
}

static void test_conn(void)
{
	struct log_rec r;
	char *text, *json;

	start(SPLICER_LOG_CONN);
	nla_put_u32(m, SPLICER_LOG_A_REQUEST_NO, 1);
	nla_put_string(m, SPLICER_LOG_A_POOL, "app");
	nla_put_string(m, SPLICER_LOG_A_SERVER, "s1");
	nla_put_string(m, SPLICER_LOG_A_END, "client closed");
	nla_put_string(m, SPLICER_LOG_A_SPLICE, "spliced");
	nla_put_string(m, SPLICER_LOG_A_TLS, "TLSv1.3 TLS_AES_128_GCM_SHA256 sni=www.example.com");
	nla_put_u32(m, SPLICER_LOG_A_T_TOTAL, 1500);
	nla_put_u64(m, SPLICER_LOG_A_BYTES_IN, 100);
	nla_put_u64(m, SPLICER_LOG_A_BYTES_OUT, 2000);
	finish(&r, &text, &json);
	same("conn text", text,
	     "2026-03-01T10:00:00.123456Z conn service web conn 42 client 198.18.0.9:40000 "
	     "requests 1 server app s1 end \"client closed\" splice spliced tls "
	     "\"TLSv1.3 TLS_AES_128_GCM_SHA256 sni=www.example.com\" t_total 1.5ms "
	     "bytes_in 100 bytes_out 2000\n");
	same("conn json", json,
	     "{\"kind\":\"conn\",\"client_family\":\"inet\",\"client_addr\":\"198.18.0.9\","
	     "\"client_port\":40000,\"generated\":false,\"time\":1772359200123456789,"
	     "\"conn_id\":42,\"service\":\"web\",\"pool\":\"app\",\"server\":\"s1\","
	     "\"request_no\":1,\"end\":\"client closed\",\"splice\":\"spliced\","
	     "\"tls\":\"TLSv1.3 TLS_AES_128_GCM_SHA256 sni=www.example.com\",\"t_total\":1500,"
	     "\"bytes_in\":100,\"bytes_out\":2000}\n");
	free(text);
	free(json);

	/* Relayed, and why; a handshake that failed; quotes kept valid. */
	start(SPLICER_LOG_CONN);
	nla_put_string(m, SPLICER_LOG_A_END, "handshake failed");
	nla_put_string(m, SPLICER_LOG_A_SPLICE, "relayed: peer \"sack\" off");
	nla_put_string(m, SPLICER_LOG_A_TLS, "handshake failed (timed out)");
	finish(&r, &text, &json);
	CHECK(strstr(text, " end \"handshake failed\" splice \"relayed: peer \\\"sack\\\" off\" "
		     "tls \"handshake failed (timed out)\"\n") != NULL, "relayed text: %s", text);
	CHECK(strstr(json, "\"splice\":\"relayed: peer \\\"sack\\\" off\","
		     "\"tls\":\"handshake failed (timed out)\"}") != NULL, "relayed json: %s", json);
	free(text);
	free(json);

	/* Neither: no key at all. */
	start(SPLICER_LOG_CONN);
	nla_put_string(m, SPLICER_LOG_A_END, "done");
	finish(&r, &text, &json);
	CHECK(!strstr(text, "splice") && !strstr(text, "tls") && !strstr(json, "splice") &&
	      !strstr(json, "tls"), "plain conn: %s %s", text, json);
	free(text);
	free(json);
}

static void test_health(void)
{
	struct log_rec r;
	char *text, *json;

	start(SPLICER_LOG_HEALTH);
	nla_put_string(m, SPLICER_LOG_A_POOL, "app");
	nla_put_string(m, SPLICER_LOG_A_SERVER, "s2");
	nla_put_string(m, SPLICER_LOG_A_HEALTH, "down");
	nla_put_string(m, SPLICER_LOG_A_REASON, "3 probes failed in a row");
	finish(&r, &text, &json);
	same("health text", text,
	     "2026-03-01T10:00:00.123456Z health server app s2 health down reason "
	     "\"3 probes failed in a row\"\n");
	same("health json", json,
	     "{\"kind\":\"health\",\"generated\":false,\"time\":1772359200123456789,"
	     "\"pool\":\"app\",\"server\":\"s2\",\"health\":\"down\","
	     "\"reason\":\"3 probes failed in a row\"}\n");
	free(text);
	free(json);
}

int main(void)
{
	test_rule();
	test_conn();
	test_health();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
