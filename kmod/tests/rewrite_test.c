// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: request head rewriting (kmod/rewrite.c).
 */
#include <kunit/test.h>
#include <linux/string.h>
#include "../rewrite.c"

struct rw_case {
	const char *name;
	const char *in;		/* head, then pipelined bytes */
	const char *out;	/* the whole buffer after the rewrite */
	u32 tail;		/* bytes after the head in @in */
	u16 conn;		/* the parser's Connection flags */
	int ret;		/* expected failure, or 0 */
};

#define XFP "X-Forwarded-Proto: http\r\n"

static const struct rw_case rw_cases[] = {
	{ "adds x-forwarded-for",
	  "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
	  "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.18.0.2\r\n" XFP "\r\n" },
	{ "keeps the bytes after the head",
	  "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nBODY",
	  "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nX-Forwarded-For: 198.18.0.2\r\n" XFP "\r\nBODY",
	  4 },
	{ "appends to x-forwarded-for",
	  "GET / HTTP/1.1\r\nX-Forwarded-For: 198.19.0.9\r\nHost: a\r\n\r\n",
	  "GET / HTTP/1.1\r\nX-Forwarded-For: 198.19.0.9, 198.18.0.2\r\nHost: a\r\n" XFP "\r\n" },
	{ "appends before trailing whitespace, any case",
	  "GET / HTTP/1.1\r\nx-forwarded-FOR:198.19.0.9 \t\r\nHost: a\r\n\r\n",
	  "GET / HTTP/1.1\r\nx-forwarded-FOR:198.19.0.9, 198.18.0.2 \t\r\nHost: a\r\n" XFP "\r\n" },
	{ "appends to the last of several",
	  "GET / HTTP/1.1\r\nX-Forwarded-For: 198.19.0.1\r\nX-Forwarded-For: 198.19.0.2\r\nHost: a\r\n\r\n",
	  "GET / HTTP/1.1\r\nX-Forwarded-For: 198.19.0.1\r\nX-Forwarded-For: 198.19.0.2, 198.18.0.2\r\nHost: a\r\n" XFP "\r\n" },
	{ "empty x-forwarded-for",
	  "GET / HTTP/1.1\r\nX-Forwarded-For:\r\nHost: a\r\n\r\n",
	  "GET / HTTP/1.1\r\nX-Forwarded-For:198.18.0.2\r\nHost: a\r\n" XFP "\r\n" },
	{ "drops the client's x-forwarded-proto",
	  "GET / HTTP/1.1\r\nX-Forwarded-Proto: https\r\nHost: a\r\nx-forwarded-proto: https\r\n\r\nXY",
	  "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.18.0.2\r\n" XFP "\r\nXY", 2 },
	{ "connection options name fields that go",
	  "GET / HTTP/1.1\r\nHost: a\r\nConnection: close, X-Secret\r\nx-secret: 1\r\nKeep-Alive: timeout=5\r\nProxy-Connection: x\r\n\r\n",
	  "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.18.0.2\r\n" XFP "Connection: close\r\n\r\n",
	  0, SPL_HTTP_F_CLOSE },
	{ "a client cannot nominate our x-forwarded-for away",
	  "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.19.0.9\r\nConnection: keep-alive,X-Forwarded-For\r\n\r\n",
	  "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.18.0.2\r\n" XFP "Connection: keep-alive\r\n\r\n",
	  0, SPL_HTTP_F_KEEPALIVE },
	{ "upgrade stays",
	  "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
	  "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nX-Forwarded-For: 198.18.0.2\r\n" XFP "Connection: upgrade\r\n\r\n",
	  0, SPL_HTTP_F_UPGRADE },
	{ "nominating content-length is refused",
	  "POST / HTTP/1.1\r\nHost: a\r\nConnection: Content-Length\r\nContent-Length: 1\r\n\r\nX",
	  "POST / HTTP/1.1\r\nHost: a\r\nConnection: Content-Length\r\nContent-Length: 1\r\n\r\nX",
	  1, 0, -2 },
	{ "nominating transfer-encoding is refused",
	  "POST / HTTP/1.1\r\nHost: a\r\nConnection: transfer-encoding\r\nTransfer-Encoding: chunked\r\n\r\n",
	  "POST / HTTP/1.1\r\nHost: a\r\nConnection: transfer-encoding\r\nTransfer-Encoding: chunked\r\n\r\n",
	  0, 0, -2 },
	{ "a look-alike name stays",
	  "GET / HTTP/1.1\r\nX-Forwarded-Protocol: x\r\nHost: a\r\n\r\n",
	  "GET / HTTP/1.1\r\nX-Forwarded-Protocol: x\r\nHost: a\r\nX-Forwarded-For: 198.18.0.2\r\n" XFP "\r\n" },
};

static void rw_case_desc(const struct rw_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rw, rw_cases, rw_case_desc);

static void spl_rewrite_table(struct kunit *test)
{
	const struct rw_case *c = test->param_value;
	const struct spl_rewrite rw = {
		.client = "198.18.0.2", .proto = "http", .conn = c->conn,
	};
	u32 in_len = strlen(c->in), out_len = strlen(c->out);
	u32 cap = in_len + SPL_REWRITE_ROOM;
	u8 *buf;
	int head;

	/* Arrange */
	buf = kunit_kzalloc(test, cap, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, c->in, in_len);
	/* Act */
	head = spl_http_rewrite_request(buf, in_len - c->tail, c->tail, cap, &rw);
	/* Assert: the whole buffer, and the head length returned */
	KUNIT_ASSERT_EQ(test, head, c->ret ?: (int)(out_len - c->tail));
	KUNIT_EXPECT_EQ_MSG(test, memcmp(buf, c->out, out_len), 0, "got: %.*s",
			    (int)out_len, buf);
}

static void spl_rewrite_no_room(struct kunit *test)
{
	static const char in[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	const struct spl_rewrite rw = { .client = "198.18.0.2", .proto = "http" };
	u8 buf[sizeof(in) - 1 + SPL_REWRITE_ROOM - 1];	/* one byte short */

	memcpy(buf, in, sizeof(in) - 1);
	KUNIT_EXPECT_EQ(test, spl_http_rewrite_request(buf, sizeof(in) - 1, 0,
						       sizeof(buf), &rw), -1);
	KUNIT_EXPECT_EQ(test, memcmp(buf, in, sizeof(in) - 1), 0);
}

static struct kunit_case spl_rewrite_cases[] = {
	KUNIT_CASE_PARAM(spl_rewrite_table, rw_gen_params),
	KUNIT_CASE(spl_rewrite_no_room),
	{}
};

struct kunit_suite spl_rewrite_test_suite = {
	.name = "spl_rewrite",
	.test_cases = spl_rewrite_cases,
};
