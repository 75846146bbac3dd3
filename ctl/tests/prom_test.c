// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ctl/prom.c: the exact exposition text for namespace
 * totals, services and servers (families grouped, HELP and TYPE once each,
 * generated responses under one family with a code label, objects without
 * counters left out), the netns label, counters unknown to the tool, label
 * escaping, and nothing at all for an empty namespace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/splicer.h>

#include "../prom.h"

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

static void set(struct counters *c, unsigned int type, uint64_t v)
{
	c->v[type] = v;
	c->present |= 1ull << type;
}

/* The output of prom_print, malloc'ed. */
static char *render(const char *netns, const struct counters *totals,
		    const struct service *sv, size_t nsv,
		    const struct server *sr, size_t nsr)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	prom_print(f, netns, totals, sv, nsv, sr, nsr);
	fclose(f);
	return buf;
}

/* First differing line, for a readable failure. */
static void same(const char *what, const char *got, const char *want)
{
	const char *g = got, *w = want;
	int line = 1;

	if (!strcmp(got, want)) {
		passed++;
		return;
	}
	while (*g && *g == *w) {
		if (*g == '\n')
			line++;
		g++;
		w++;
	}
	failed++;
	printf("FAIL %s: line %d differs\n--- got:\n%s--- want:\n%s---\n",
	       what, line, got, want);
}

static void test_full(void)
{
	struct counters totals = { 0 };
	struct service sv[2] = { 0 };
	struct server sr[2] = { 0 };
	unsigned int t;
	char *out;

	for (t = SPLICER_CNT_CONNS; t <= SPLICER_CNT_MAX; t++)
		set(&totals, t, 0);
	set(&totals, SPLICER_CNT_CONNS, 8);
	set(&totals, SPLICER_CNT_REQUESTS, 6);
	set(&totals, SPLICER_CNT_BYTES_IN, 618);
	set(&totals, SPLICER_CNT_BYTES_OUT, 1122);
	set(&totals, SPLICER_CNT_RESP_400, 1);
	set(&totals, SPLICER_CNT_RESP_503, 2);
	set(&totals, SPLICER_CNT_LOG_DROPS, UINT64_MAX);
	set(&totals, SPLICER_CNT_SPLICED, 3);
	set(&totals, SPLICER_CNT_SPLICE_BYTES_IN, 4096);
	set(&totals, SPLICER_CNT_SPLICE_BYTES_OUT, 1048576);
	set(&totals, SPLICER_CNT_SPLICE_FALLBACK, 1);
	set(&totals, SPLICER_CNT_TLS_HANDSHAKES, 5);
	set(&totals, SPLICER_CNT_TLS_FAILED, 2);
	set(&totals, SPLICER_CNT_REBINDS, 4);

	strcpy(sv[0].name, "web");
	SET(&sv[0], SPLICER_SVC_A_STATS);
	set(&sv[0].stats, SPLICER_CNT_CONNS, 8);
	set(&sv[0].stats, SPLICER_CNT_ACTIVE, 1);
	set(&sv[0].stats, SPLICER_CNT_RESP_503, 2);
	set(&sv[0].stats, SPLICER_CNT_TLS_REFUSED, 9);
	set(&sv[0].stats, SPLICER_CNT_SPLICED, 3);
	strcpy(sv[1].name, "nostats");	/* no STATS attribute: left out */

	strcpy(sr[0].pool, "app");
	strcpy(sr[0].name, "s1");
	SET(&sr[0], SPLICER_SRV_A_STATS);
	set(&sr[0].stats, SPLICER_CNT_CONNS, 5);
	set(&sr[0].stats, SPLICER_CNT_CONNECT_FAIL, 1);
	strcpy(sr[1].pool, "app");
	strcpy(sr[1].name, "s2");
	SET(&sr[1], SPLICER_SRV_A_STATS);
	set(&sr[1].stats, SPLICER_CNT_CONNS, 3);
	set(&sr[1].stats, 40, 7);	/* a counter from a newer module */

	out = render(NULL, &totals, sv, 2, sr, 2);
	same("full", out,
	     "# HELP splicer_connections_total Client connections accepted, all services of the network namespace.\n"
	     "# TYPE splicer_connections_total counter\n"
	     "splicer_connections_total 8\n"
	     "# HELP splicer_active_connections Client connections open now, all services of the network namespace.\n"
	     "# TYPE splicer_active_connections gauge\n"
	     "splicer_active_connections 0\n"
	     "# HELP splicer_requests_total Request heads forwarded to a server, all services of the network namespace.\n"
	     "# TYPE splicer_requests_total counter\n"
	     "splicer_requests_total 6\n"
	     "# HELP splicer_bytes_in_total Bytes relayed from clients to servers, forwarded heads included, all services of the network namespace.\n"
	     "# TYPE splicer_bytes_in_total counter\n"
	     "splicer_bytes_in_total 618\n"
	     "# HELP splicer_bytes_out_total Bytes relayed from servers to clients, generated responses not included, all services of the network namespace.\n"
	     "# TYPE splicer_bytes_out_total counter\n"
	     "splicer_bytes_out_total 1122\n"
	     "# HELP splicer_connect_failures_total Connect attempts to servers that failed, all services of the network namespace.\n"
	     "# TYPE splicer_connect_failures_total counter\n"
	     "splicer_connect_failures_total 0\n"
	     "# HELP splicer_retries_total Connect attempts after the first of a connection, all services of the network namespace.\n"
	     "# TYPE splicer_retries_total counter\n"
	     "splicer_retries_total 0\n"
	     "# HELP splicer_generated_responses_total Responses splicer generated itself instead of a server, by status code, all services of the network namespace.\n"
	     "# TYPE splicer_generated_responses_total counter\n"
	     "splicer_generated_responses_total{code=\"400\"} 1\n"
	     "splicer_generated_responses_total{code=\"408\"} 0\n"
	     "splicer_generated_responses_total{code=\"414\"} 0\n"
	     "splicer_generated_responses_total{code=\"431\"} 0\n"
	     "splicer_generated_responses_total{code=\"501\"} 0\n"
	     "splicer_generated_responses_total{code=\"502\"} 0\n"
	     "splicer_generated_responses_total{code=\"503\"} 2\n"
	     "splicer_generated_responses_total{code=\"504\"} 0\n"
	     "splicer_generated_responses_total{code=\"505\"} 0\n"
	     "# HELP splicer_log_drops_total Decision log records dropped because a reader's socket was full, all services of the network namespace.\n"
	     "# TYPE splicer_log_drops_total counter\n"
	     "splicer_log_drops_total 18446744073709551615\n"
	     "# HELP splicer_persist_hits_total Clients sent to the server they persist on, all services of the network namespace.\n"
	     "# TYPE splicer_persist_hits_total counter\n"
	     "splicer_persist_hits_total 0\n"
	     "# HELP splicer_persist_new_total Persistence assigned to a new user, all services of the network namespace.\n"
	     "# TYPE splicer_persist_new_total counter\n"
	     "splicer_persist_new_total 0\n"
	     "# HELP splicer_persist_redispatch_total Clients whose persisted server was unusable, sent to another, all services of the network namespace.\n"
	     "# TYPE splicer_persist_redispatch_total counter\n"
	     "splicer_persist_redispatch_total 0\n"
	     "# HELP splicer_persist_invalid_total Persistence tokens ignored as forged, altered or expired, all services of the network namespace.\n"
	     "# TYPE splicer_persist_invalid_total counter\n"
	     "splicer_persist_invalid_total 0\n"
	     "# HELP splicer_stick_evictions_total Stick table entries evicted to make room, all services of the network namespace.\n"
	     "# TYPE splicer_stick_evictions_total counter\n"
	     "splicer_stick_evictions_total 0\n"
	     "# HELP splicer_rebinds_total Requests that moved their keep-alive connection to another server (inspect), all services of the network namespace.\n"
	     "# TYPE splicer_rebinds_total counter\n"
	     "splicer_rebinds_total 4\n"
	     "# HELP splicer_spliced_connections_total Connections joined by the packet splice after binding, all services of the network namespace.\n"
	     "# TYPE splicer_spliced_connections_total counter\n"
	     "splicer_spliced_connections_total 3\n"
	     "# HELP splicer_splice_bytes_in_total Payload bytes from clients to servers forwarded by the packet splice, all services of the network namespace.\n"
	     "# TYPE splicer_splice_bytes_in_total counter\n"
	     "splicer_splice_bytes_in_total 4096\n"
	     "# HELP splicer_splice_bytes_out_total Payload bytes from servers to clients forwarded by the packet splice, all services of the network namespace.\n"
	     "# TYPE splicer_splice_bytes_out_total counter\n"
	     "splicer_splice_bytes_out_total 1048576\n"
	     "# HELP splicer_splice_fallbacks_total Connections that wanted the packet splice and were relayed instead, all services of the network namespace.\n"
	     "# TYPE splicer_splice_fallbacks_total counter\n"
	     "splicer_splice_fallbacks_total 1\n"
	     "# HELP splicer_tls_handshakes_total TLS handshakes completed, all services of the network namespace.\n"
	     "# TYPE splicer_tls_handshakes_total counter\n"
	     "splicer_tls_handshakes_total 5\n"
	     "# HELP splicer_tls_handshake_failures_total TLS handshakes that failed (the daemon's status, a timeout, no daemon), all services of the network namespace.\n"
	     "# TYPE splicer_tls_handshake_failures_total counter\n"
	     "splicer_tls_handshake_failures_total 2\n"
	     "# HELP splicer_tls_refused_total TLS connections reset because too many handshakes were waiting, all services of the network namespace.\n"
	     "# TYPE splicer_tls_refused_total counter\n"
	     "splicer_tls_refused_total 0\n"
	     "# HELP splicer_service_connections_total Client connections accepted, by service.\n"
	     "# TYPE splicer_service_connections_total counter\n"
	     "splicer_service_connections_total{service=\"web\"} 8\n"
	     "# HELP splicer_service_active_connections Client connections open now, by service.\n"
	     "# TYPE splicer_service_active_connections gauge\n"
	     "splicer_service_active_connections{service=\"web\"} 1\n"
	     "# HELP splicer_service_generated_responses_total Responses splicer generated itself instead of a server, by status code, by service.\n"
	     "# TYPE splicer_service_generated_responses_total counter\n"
	     "splicer_service_generated_responses_total{service=\"web\",code=\"503\"} 2\n"
	     "# HELP splicer_service_spliced_connections_total Connections joined by the packet splice after binding, by service.\n"
	     "# TYPE splicer_service_spliced_connections_total counter\n"
	     "splicer_service_spliced_connections_total{service=\"web\"} 3\n"
	     "# HELP splicer_service_tls_refused_total TLS connections reset because too many handshakes were waiting, by service.\n"
	     "# TYPE splicer_service_tls_refused_total counter\n"
	     "splicer_service_tls_refused_total{service=\"web\"} 9\n"
	     "# HELP splicer_server_connections_total Connection attempts made to servers, by server.\n"
	     "# TYPE splicer_server_connections_total counter\n"
	     "splicer_server_connections_total{pool=\"app\",server=\"s1\"} 5\n"
	     "splicer_server_connections_total{pool=\"app\",server=\"s2\"} 3\n"
	     "# HELP splicer_server_connect_failures_total Connect attempts to servers that failed, by server.\n"
	     "# TYPE splicer_server_connect_failures_total counter\n"
	     "splicer_server_connect_failures_total{pool=\"app\",server=\"s1\"} 1\n"
	     "# HELP splicer_server_counter_40 Counter type 40 of the module, unknown to this splicerctl, by server.\n"
	     "# TYPE splicer_server_counter_40 untyped\n"
	     "splicer_server_counter_40{pool=\"app\",server=\"s2\"} 7\n");
	free(out);
}

static void test_netns(void)
{
	struct counters totals = { 0 };
	struct service sv = { 0 };
	struct server sr = { 0 };
	char *out;

	set(&totals, SPLICER_CNT_ACTIVE, 2);
	strcpy(sv.name, "web");
	SET(&sv, SPLICER_SVC_A_STATS);
	set(&sv.stats, SPLICER_CNT_RESP_408, 4);
	strcpy(sr.pool, "app");
	strcpy(sr.name, "s1");
	SET(&sr, SPLICER_SRV_A_STATS);
	set(&sr.stats, SPLICER_CNT_ACTIVE, 2);

	out = render("lb-1", &totals, &sv, 1, &sr, 1);
	same("netns", out,
	     "# HELP splicer_active_connections Client connections open now, all services of the network namespace.\n"
	     "# TYPE splicer_active_connections gauge\n"
	     "splicer_active_connections{netns=\"lb-1\"} 2\n"
	     "# HELP splicer_service_generated_responses_total Responses splicer generated itself instead of a server, by status code, by service.\n"
	     "# TYPE splicer_service_generated_responses_total counter\n"
	     "splicer_service_generated_responses_total{netns=\"lb-1\",service=\"web\",code=\"408\"} 4\n"
	     "# HELP splicer_server_active_connections Connections bound to servers now (connecting or relaying), by server.\n"
	     "# TYPE splicer_server_active_connections gauge\n"
	     "splicer_server_active_connections{netns=\"lb-1\",pool=\"app\",server=\"s1\"} 2\n");
	free(out);
}

static void test_empty(void)
{
	char *out;

	/* no totals reported, no objects: no output at all */
	out = render(NULL, NULL, NULL, 0, NULL, 0);
	CHECK(!strcmp(out, ""), "empty: got \"%s\"", out);
	free(out);
}

static void esc(const char *in, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	prom_label_value(f, in);
	fclose(f);
	CHECK(!strcmp(buf, want), "prom_label_value: got %s, want %s", buf, want);
	free(buf);
}

static void test_escape(void)
{
	esc("web", "\"web\"");
	esc("", "\"\"");
	esc("a\\b", "\"a\\\\b\"");
	esc("a\"b", "\"a\\\"b\"");
	esc("a\nb", "\"a\\nb\"");
	esc("caf\xc3\xa9", "\"caf\xc3\xa9\"");
}

int main(void)
{
	test_full();
	test_netns();
	test_empty();
	test_escape();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
