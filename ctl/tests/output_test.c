// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ctl/output.c: JSON string escaping (quotes, backslashes,
 * control bytes, invalid UTF-8) and the comma bookkeeping of the writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/splicer.h>

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

static void esc(const char *in, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_escape(f, in);
	fclose(f);
	CHECK(!strcmp(buf, want), "json_escape: got %s, want %s", buf, want);
	free(buf);
}

static void test_escape(void)
{
	esc("web", "\"web\"");
	esc("", "\"\"");
	esc(NULL, "\"\"");
	esc("a\"b", "\"a\\\"b\"");
	esc("a\\b", "\"a\\\\b\"");
	esc("/", "\"/\"");
	esc("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"");
	esc("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	esc("caf\xc3\xa9", "\"caf\xc3\xa9\"");			/* valid UTF-8 kept */
	esc("\xe2\x82\xac\xf0\x9f\x98\x80", "\"\xe2\x82\xac\xf0\x9f\x98\x80\"");
	esc("a\xff" "b", "\"a\\ufffdb\"");			/* invalid byte */
	esc("\xc3", "\"\\ufffd\"");				/* truncated */
	esc("\xc0\xaf", "\"\\ufffd\\ufffd\"");			/* overlong '/' */
	esc("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	esc("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");	/* > U+10FFFF */
}

static void test_writer(void)
{
	const char *want = "{\"stats\":{\"conns\":1,\"resp_503\":18446744073709551615},"
		"\"services\":[{\"name\":\"a\\\"b\",\"up\":true},{}],\"servers\":[]}\n"
		"[]\n";
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_set_file(f);
	json_open_object(NULL);
	json_open_object("stats");
	json_uint("conns", 1);
	json_uint("resp_503", UINT64_MAX);
	json_close_object();
	json_open_array("services");
	json_open_object(NULL);
	json_string("name", "a\"b");
	json_bool("up", true);
	json_close_object();
	json_open_object(NULL);
	json_close_object();
	json_close_array();
	json_open_array("servers");
	json_close_array();
	json_close_object();
	json_end();
	/* A second document starts clean. */
	json_open_array(NULL);
	json_close_array();
	json_end();
	fclose(f);
	json_set_file(NULL);
	CHECK(!strcmp(buf, want), "writer:\n got %s want %s", buf, want);
	free(buf);
}

static void test_counter_names(void)
{
	char buf[16];

	CHECK(!strcmp(counter_name(SPLICER_CNT_CONNS, buf, sizeof(buf)), "conns"), "conns");
	CHECK(!strcmp(counter_name(SPLICER_CNT_BYTES_IN, buf, sizeof(buf)), "bytes_in"),
	      "bytes_in");
	CHECK(!strcmp(counter_name(SPLICER_CNT_CONNECT_FAIL, buf, sizeof(buf)),
		      "connect_fail"), "connect_fail");
	CHECK(!strcmp(counter_name(SPLICER_CNT_RESP_400, buf, sizeof(buf)), "resp_400"),
	      "resp_400");
	CHECK(!strcmp(counter_name(SPLICER_CNT_RESP_504, buf, sizeof(buf)), "resp_504"),
	      "resp_504");
	CHECK(!strcmp(counter_name(SPLICER_CNT_RESP_501, buf, sizeof(buf)), "resp_501"),
	      "resp_501");
	CHECK(!strcmp(counter_name(SPLICER_CNT_RESP_505, buf, sizeof(buf)), "resp_505"),
	      "resp_505");
	CHECK(!strcmp(counter_name(SPLICER_CNT_PERSIST_HITS, buf, sizeof(buf)),
		      "persist_hits"), "persist_hits");
	CHECK(!strcmp(counter_name(SPLICER_CNT_PERSIST_NEW, buf, sizeof(buf)),
		      "persist_new"), "persist_new");
	CHECK(!strcmp(counter_name(SPLICER_CNT_PERSIST_REDISPATCH, buf, sizeof(buf)),
		      "persist_redispatch"), "persist_redispatch");
	CHECK(!strcmp(counter_name(SPLICER_CNT_PERSIST_INVALID, buf, sizeof(buf)),
		      "persist_invalid"), "persist_invalid");
	CHECK(!strcmp(counter_name(SPLICER_CNT_STICK_EVICTIONS, buf, sizeof(buf)),
		      "stick_evictions"), "stick_evictions");
	{
		/* The packet splice and TLS, in the header's order. */
		static const struct {
			unsigned int type;
			const char *name;
		} names[] = {
			{ SPLICER_CNT_SPLICED, "spliced" },
			{ SPLICER_CNT_SPLICE_BYTES_IN, "splice_bytes_in" },
			{ SPLICER_CNT_SPLICE_BYTES_OUT, "splice_bytes_out" },
			{ SPLICER_CNT_SPLICE_FALLBACK, "splice_fallback" },
			{ SPLICER_CNT_TLS_HANDSHAKES, "tls_handshakes" },
			{ SPLICER_CNT_TLS_FAILED, "tls_failed" },
			{ SPLICER_CNT_TLS_REFUSED, "tls_refused" },
			{ SPLICER_CNT_REBINDS, "rebinds" },
		};
		size_t i;

		CHECK(SPLICER_CNT_SPLICED == 24 && SPLICER_CNT_TLS_REFUSED == 30 &&
		      SPLICER_CNT_REBINDS == 31, "enum splicer_cnt moved: spliced %u, "
		      "tls_refused %u, rebinds %u", SPLICER_CNT_SPLICED,
		      SPLICER_CNT_TLS_REFUSED, SPLICER_CNT_REBINDS);
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			CHECK(!strcmp(counter_name(names[i].type, buf, sizeof(buf)),
				      names[i].name), "counter %u: %s, want %s",
			      names[i].type, counter_name(names[i].type, buf, sizeof(buf)),
			      names[i].name);
	}
	{
		char want[16], other[16];
		unsigned int t;

		/* Every counter of the header has a name of its own. */
		for (t = SPLICER_CNT_CONNS; t <= SPLICER_CNT_MAX; t++)
			CHECK(strncmp(counter_name(t, buf, sizeof(buf)), "cnt_", 4),
			      "counter %u has no name", t);
		snprintf(want, sizeof(want), "cnt_%u", SPLICER_CNT_MAX + 1);
		CHECK(!strcmp(counter_name(SPLICER_CNT_MAX + 1, other, sizeof(other)), want),
		      "unknown counter: %s", other);
	}
}

int main(void)
{
	test_escape();
	test_writer();
	test_counter_names();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
