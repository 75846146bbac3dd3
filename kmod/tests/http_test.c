// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: HTTP/1.x framing (kmod/http.c): request heads, response heads,
 * the end of a head, and bodies (Content-Length, chunked) fed in every
 * segmentation.
 *
 * The tables marked "fuzz-corpus: NAME" are also the seed corpus of the
 * fuzzer NAME: selftests/fuzz/gen-corpus.py reads every V("...") vector in
 * them (its entry's first string is the file name). After changing a table,
 * run it and commit selftests/fuzz/corpus/.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "../http.c"

/* A vector and its exact length: vectors may hold NUL bytes. */
#define V(s)	.vec = (s), .len = sizeof(s) - 1

static u32 err_ok(int ret)
{
	return ret < 0 ? 0 : ret;
}

/* ---- request heads ---- */

struct head_case {
	const char *name;
	const char *vec;
	u32 len;
	int status;		/* expected spl_http_parse_request() result */
	u16 flags;		/* the flags when status == 0 */
	u64 content_length;
	u32 max_line;		/* limits; 0: the default */
	u16 max_headers;
};

#define R11(fields)	"GET / HTTP/1.1\r\nHost: a\r\n" fields "\r\n"
#define POST(fields)	"POST / HTTP/1.1\r\nHost: a\r\n" fields "\r\n"

/* fuzz-corpus: request */
static const struct head_case head_cases[] = {
	{ "get 1.1", V(R11("")), 0, SPL_HTTP_F_HOST },
	{ "get 1.0 without host", V("GET / HTTP/1.0\r\n\r\n"), 0, 0 },
	{ "get 1.0 with host", V("GET / HTTP/1.0\r\nHost: a\r\n\r\n"), 0, SPL_HTTP_F_HOST },
	{ "unknown method", V("BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n"), 0, SPL_HTTP_F_HOST },
	{ "absolute-form target", V("GET http://a/x?y HTTP/1.1\r\nHost: a\r\n\r\n"), 0, SPL_HTTP_F_HOST },
	{ "leading empty line", V("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), 0, SPL_HTTP_F_HOST },
	{ "leading empty lines", V("\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), 0, SPL_HTTP_F_HOST },
	{ "no request line", V("\r\n\r\n"), 400 },
	{ "empty head", V(""), 400 },
	{ "incomplete head", V("GET / HTTP/1.1\r\nHost: a\r\n"), 400 },
	{ "data after the empty line", V(R11("") "X\r\n\r\n"), 400 },
	/* Host */
	{ "1.1 without host", V("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"), 400 },
	{ "two hosts", V(R11("Host: b\r\n")), 400 },
	{ "two hosts same value", V(R11("Host: a\r\n")), 400 },
	{ "host with port", V("GET / HTTP/1.1\r\nHost: a.example:8080\r\n\r\n"), 0, SPL_HTTP_F_HOST },
	{ "host ipv6 literal", V("GET / HTTP/1.1\r\nHost: [2001:db8::1]:80\r\n\r\n"), 0, SPL_HTTP_F_HOST },
	{ "empty host", V("GET / HTTP/1.1\r\nHost:\r\n\r\n"), 0, SPL_HTTP_F_HOST },
	{ "host with space", V("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400 },
	{ "host with slash", V("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"), 400 },
	{ "host with at", V("GET / HTTP/1.1\r\nHost: u@a\r\n\r\n"), 400 },
	/* Content-Length */
	{ "content-length", V(POST("Content-Length: 42\r\n")), 0, SPL_HTTP_F_HOST | SPL_HTTP_F_CL, 42 },
	{ "content-length zero", V(POST("Content-Length: 0\r\n")), 0, SPL_HTTP_F_HOST | SPL_HTTP_F_CL, 0 },
	{ "content-length leading zeros", V(POST("Content-Length: 007\r\n")), 0,
	  SPL_HTTP_F_HOST | SPL_HTTP_F_CL, 7 },
	{ "content-length max", V(POST("Content-Length: 9223372036854775807\r\n")), 0,
	  SPL_HTTP_F_HOST | SPL_HTTP_F_CL, 9223372036854775807ULL },
	{ "same content-length twice", V(POST("Content-Length: 5\r\nContent-Length: 5\r\n")),
	  0, SPL_HTTP_F_HOST | SPL_HTTP_F_CL, 5 },
	{ "content-length list agrees", V(POST("Content-Length: 7, 7\r\n")), 0,
	  SPL_HTTP_F_HOST | SPL_HTTP_F_CL, 7 },
	{ "content-length values differ", V(POST("Content-Length: 5\r\nContent-Length: 6\r\n")), 400 },
	{ "content-length list differs", V(POST("Content-Length: 5, 6\r\n")), 400 },
	{ "content-length empty", V(POST("Content-Length:\r\n")), 400 },
	{ "content-length empty member", V(POST("Content-Length: 5,,5\r\n")), 400 },
	{ "negative content-length", V(POST("Content-Length: -1\r\n")), 400 },
	{ "plus content-length", V(POST("Content-Length: +5\r\n")), 400 },
	{ "hex content-length", V(POST("Content-Length: 0x5\r\n")), 400 },
	{ "content-length two numbers", V(POST("Content-Length: 5 5\r\n")), 400 },
	{ "content-length not a number", V(POST("Content-Length: 1a\r\n")), 400 },
	{ "content-length 2^63", V(POST("Content-Length: 9223372036854775808\r\n")), 400 },
	{ "content-length overflow", V(POST("Content-Length: 99999999999999999999\r\n")), 400 },
	/* Transfer-Encoding */
	{ "cl and te", V(POST("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n")), 400 },
	{ "te then cl", V(POST("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n")), 400 },
	{ "te and cl zero", V(POST("Transfer-Encoding: chunked\r\nContent-Length: 0\r\n")), 400 },
	{ "chunked", V(POST("Transfer-Encoding: chunked\r\n")), 0, SPL_HTTP_F_HOST | SPL_HTTP_F_CHUNKED },
	{ "chunked any case", V(POST("Transfer-Encoding: ChUnKeD\r\n")), 0,
	  SPL_HTTP_F_HOST | SPL_HTTP_F_CHUNKED },
	{ "gzip then chunked", V(POST("Transfer-Encoding: gzip, chunked\r\n")), 0,
	  SPL_HTTP_F_HOST | SPL_HTTP_F_CHUNKED },
	{ "te over two lines", V(POST("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n")),
	  0, SPL_HTTP_F_HOST | SPL_HTTP_F_CHUNKED },
	{ "te not ending in chunked", V(POST("Transfer-Encoding: gzip\r\n")), 400 },
	{ "chunked then gzip", V(POST("Transfer-Encoding: chunked, gzip\r\n")), 400 },
	{ "chunked twice", V(POST("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")), 400 },
	{ "chunked twice in a list", V(POST("Transfer-Encoding: chunked, chunked\r\n")), 400 },
	{ "te empty", V(POST("Transfer-Encoding:\r\n")), 400 },
	{ "te with parameters", V(POST("Transfer-Encoding: chunked;q=1\r\n")), 400 },
	{ "te chunked with garbage", V(POST("Transfer-Encoding: xchunked\r\n")), 501 },
	{ "unknown coding", V(POST("Transfer-Encoding: x-foo, chunked\r\n")), 501 },
	{ "te in 1.0", V("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400 },
	/* field syntax */
	{ "obs-fold", V(R11("X-A: b\r\n c\r\n")), 400 },
	{ "obs-fold tab", V(R11("X-A: b\r\n\tc\r\n")), 400 },
	{ "obs-fold first line", V("GET / HTTP/1.1\r\n Host: a\r\n\r\n"), 400 },
	{ "space before colon", V("GET / HTTP/1.1\r\nHost : a\r\n\r\n"), 400 },
	{ "tab before colon", V("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n"), 400 },
	{ "space before colon of content-length", V(POST("Content-Length : 5\r\n")), 400 },
	{ "no colon", V(R11("Host-a\r\n")), 400 },
	{ "empty header name", V("GET / HTTP/1.1\r\n: a\r\nHost: a\r\n\r\n"), 400 },
	{ "bad char in name", V("GET / HTTP/1.1\r\nX(a): b\r\nHost: a\r\n\r\n"), 400 },
	{ "control char in name", V(R11("X\x01" "a: b\r\n")), 400 },
	{ "control char in value", V("GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n"), 400 },
	{ "del in value", V(R11("X-A: a\x7f" "b\r\n")), 400 },
	{ "nul in value", V(R11("X-A: a\0b\r\n")), 400 },
	{ "bare CR in value", V("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n"), 400 },
	{ "bare LF in value", V(R11("X-A: a\nb\r\n")), 400 },
	{ "obs-text in value", V(R11("X-A: caf\xc3\xa9\r\n")), 0, SPL_HTTP_F_HOST },
	{ "tab in value", V(R11("X-A: a\tb\r\n")), 0, SPL_HTTP_F_HOST },
	/* request line */
	{ "bad method", V("G@T / HTTP/1.1\r\nHost: a\r\n\r\n"), 400 },
	{ "method too long", V("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG / HTTP/1.1\r\nHost: a\r\n\r\n"), 400 },
	{ "space before method", V(" GET / HTTP/1.1\r\nHost: a\r\n\r\n"), 400 },
	{ "tab separator", V("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n"), 400 },
	{ "missing target", V("GET  HTTP/1.1\r\nHost: a\r\n\r\n"), 400 },
	{ "space in target", V("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n"), 400 },
	{ "control char in target", V("GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n"), 400 },
	{ "bare CR in request line", V("GET / HTTP/1.1\rX\r\nHost: a\r\n\r\n"), 400 },
	{ "space after version", V("GET / HTTP/1.1 \r\nHost: a\r\n\r\n"), 400 },
	{ "lowercase version", V("GET / http/1.1\r\nHost: a\r\n\r\n"), 400 },
	{ "version garbage", V("GET / HTTP/1.1x\r\nHost: a\r\n\r\n"), 400 },
	{ "version two digits", V("GET / HTTP/1.10\r\nHost: a\r\n\r\n"), 400 },
	{ "http 0.9", V("GET /\r\n\r\n"), 400 },
	{ "http 2.0", V("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), 505 },
	{ "http 1.2", V("GET / HTTP/1.2\r\nHost: a\r\n\r\n"), 505 },
	{ "http 0.9 version", V("GET / HTTP/0.9\r\nHost: a\r\n\r\n"), 505 },
	{ "http2 preface", V("PRI * HTTP/2.0\r\n\r\n"), 505 },
	/* Connection, Expect, X-Forwarded-For */
	{ "connection close", V(R11("Connection: close\r\n")), 0, SPL_HTTP_F_HOST | SPL_HTTP_F_CLOSE },
	{ "connection list", V(R11("Connection: keep-alive, Upgrade\r\n")), 0,
	  SPL_HTTP_F_HOST | SPL_HTTP_F_KEEPALIVE | SPL_HTTP_F_UPGRADE },
	{ "websocket upgrade", V(R11("Connection: Upgrade\r\nUpgrade: WebSocket\r\n")), 0,
	  SPL_HTTP_F_HOST | SPL_HTTP_F_UPGRADE | SPL_HTTP_F_WEBSOCKET },
	{ "upgrade list", V(R11("Upgrade: h2c, websocket\r\nConnection: upgrade\r\n")), 0,
	  SPL_HTTP_F_HOST | SPL_HTTP_F_UPGRADE | SPL_HTTP_F_WEBSOCKET },
	{ "upgrade h2c", V(R11("Upgrade: h2c\r\nConnection: upgrade\r\n")), 0,
	  SPL_HTTP_F_HOST | SPL_HTTP_F_UPGRADE },
	{ "expect 100-continue", V(POST("Expect: 100-Continue\r\nContent-Length: 3\r\n")), 0,
	  SPL_HTTP_F_HOST | SPL_HTTP_F_CONTINUE | SPL_HTTP_F_CL, 3 },
	{ "x-forwarded-for seen", V(R11("X-Forwarded-For: 198.18.0.9\r\n")), 0,
	  SPL_HTTP_F_HOST | SPL_HTTP_F_XFF },
	/* limits */
	{ "request line at max_line", V("GET /abcdefghij HTTP/1.1\r\nHost: a\r\n\r\n"), 0,
	  SPL_HTTP_F_HOST, 0, 24 },
	{ "request line over max_line", V("GET /abcdefghij HTTP/1.1\r\nHost: a\r\n\r\n"), 414,
	  0, 0, 23 },
	{ "long malformed line is 414", V("GET /abcdefghij HTTP/9\r\n\r\n"), 414, 0, 0, 8 },
	{ "headers at max_headers", V(R11("X-A: 1\r\n")), 0, SPL_HTTP_F_HOST, 0, 0, 2 },
	{ "headers over max_headers", V(R11("X-A: 1\r\nX-B: 2\r\n")), 431, 0, 0, 0, 2 },
};

static void head_case_desc(const struct head_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(head, head_cases, head_case_desc);

static void spl_http_parse_table(struct kunit *test)
{
	const struct head_case *c = test->param_value;
	struct spl_http_limits lim = { .max_line = c->max_line,
				       .max_headers = c->max_headers };
	struct spl_http_req req;
	int status;

	/* Arrange: the table gives complete heads and limits */
	/* Act */
	status = spl_http_parse_request((const u8 *)c->vec, c->len, &lim, &req);
	/* Assert */
	KUNIT_EXPECT_EQ_MSG(test, status, c->status, "reason: %s",
			    req.reason ? req.reason : "(none)");
	if (status)
		KUNIT_EXPECT_NOT_NULL(test, req.reason);
	if (!c->status && !status) {
		KUNIT_EXPECT_EQ(test, req.flags, c->flags);
		KUNIT_EXPECT_EQ(test, req.head_len, c->len);
		if (c->flags & SPL_HTTP_F_CL)
			KUNIT_EXPECT_EQ(test, req.content_length, c->content_length);
	}
}

static void spl_http_request_line_fields(struct kunit *test)
{
	static const char head[] = "\r\nPOST /cart/add?x=1 HTTP/1.0\r\nHost: shop\r\n\r\n";
	struct spl_http_req req;

	KUNIT_ASSERT_EQ(test, spl_http_parse_request((const u8 *)head,
						     sizeof(head) - 1, NULL, &req), 0);
	KUNIT_EXPECT_EQ(test, req.line_off, 2u);
	KUNIT_EXPECT_EQ(test, req.method, (u8)SPL_HTTP_M_POST);
	KUNIT_EXPECT_EQ(test, req.minor, (u8)0);
	KUNIT_EXPECT_EQ(test, req.nheaders, (u16)1);
	KUNIT_EXPECT_EQ(test, req.target_len, (u32)strlen("/cart/add?x=1"));
	KUNIT_EXPECT_EQ(test, memcmp(head + req.target_off, "/cart/add?x=1", req.target_len), 0);
	KUNIT_EXPECT_EQ(test, req.host_len, 4u);
	KUNIT_EXPECT_EQ(test, memcmp(head + req.host_off, "shop", 4), 0);
	KUNIT_EXPECT_NULL(test, req.reason);
}

/* A head of @n "X-i: v" fields plus Host, in a test-managed buffer. */
static char *many_headers(struct kunit *test, int n, u32 *len)
{
	size_t cap = 64 + n * 16;
	char *buf = kunit_kzalloc(test, cap, GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	*len = scnprintf(buf, cap, "GET / HTTP/1.1\r\n");
	for (i = 0; i < n - 1; i++)
		*len += scnprintf(buf + *len, cap - *len, "X-%d: v\r\n", i);
	*len += scnprintf(buf + *len, cap - *len, "Host: a\r\n\r\n");
	return buf;
}

/* The default limit: 128 fields. */
static void spl_http_too_many_headers(struct kunit *test)
{
	struct spl_http_req req;
	char *buf;
	u32 len;

	buf = many_headers(test, SPL_HTTP_MAX_HEADERS + 1, &len);
	KUNIT_EXPECT_EQ(test, spl_http_parse_request((u8 *)buf, len, NULL, &req), 431);
	buf = many_headers(test, SPL_HTTP_MAX_HEADERS, &len);
	KUNIT_EXPECT_EQ(test, spl_http_parse_request((u8 *)buf, len, NULL, &req), 0);
	KUNIT_EXPECT_EQ(test, req.nheaders, (u16)SPL_HTTP_MAX_HEADERS);
}

/* A request line of @n bytes (CRLF excluded) and a Host. */
static char *long_line(struct kunit *test, u32 n, u32 *len)
{
	static const char tail[] = " HTTP/1.1\r\nHost: a\r\n\r\n";
	char *buf = kunit_kzalloc(test, n + sizeof(tail), GFP_KERNEL);
	u32 target = n - 4 - (sizeof(" HTTP/1.1") - 1);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, "GET /", 5);
	memset(buf + 5, 'a', target - 1);
	memcpy(buf + 4 + target, tail, sizeof(tail));
	*len = n + sizeof(tail) - 1 - (sizeof(" HTTP/1.1") - 1);
	return buf;
}

/* The default request line limit: 8190 bytes; then 414, also when the
 * buffer filled before the line ended.
 */
static void spl_http_request_line_limit(struct kunit *test)
{
	struct spl_http_limits small = { .max_line = 100 };
	struct spl_http_req req;
	char *buf;
	u32 len;

	buf = long_line(test, SPL_HTTP_MAX_LINE, &len);
	KUNIT_EXPECT_EQ(test, len, (u32)SPL_HTTP_MAX_LINE + 13);
	KUNIT_EXPECT_EQ(test, spl_http_parse_request((u8 *)buf, len, NULL, &req), 0);
	KUNIT_EXPECT_EQ(test, req.target_len, (u32)SPL_HTTP_MAX_LINE - 13);
	buf = long_line(test, SPL_HTTP_MAX_LINE + 1, &len);
	KUNIT_EXPECT_EQ(test, spl_http_parse_request((u8 *)buf, len, NULL, &req), 414);

	/* spl_http_head_too_large: the buffer is full, no end of head */
	KUNIT_EXPECT_EQ(test, spl_http_head_too_large((u8 *)buf, 5000, NULL), 414);
	KUNIT_EXPECT_EQ(test, spl_http_head_too_large((u8 *)buf, len - 4, NULL), 414);
	KUNIT_EXPECT_EQ(test, spl_http_head_too_large((u8 *)"GET / HTTP/1.1\r\nX: y", 20, NULL),
			431);
	KUNIT_EXPECT_EQ(test, spl_http_head_too_large((u8 *)"GET / HTTP/1.1\r\nX: y", 20, &small),
			431);
	buf = long_line(test, 101, &len);
	KUNIT_EXPECT_EQ(test, spl_http_head_too_large((u8 *)buf, len - 4, &small), 414);
	KUNIT_EXPECT_EQ(test, spl_http_head_too_large((u8 *)"\r\n\r\n", 4, NULL), 431);
}

/* ---- the end of a head ---- */

struct end_case {
	const char *name;
	const char *vec;
	u32 len;
	int end;		/* spl_http_head_end() on the whole buffer */
};

/* fuzz-corpus: request */
static const struct end_case end_cases[] = {
	{ "request", V("GET / HTTP/1.1\r\nHost: a\r\n\r\nBODY"), 27 },
	{ "response", V("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"), 38 },
	{ "status line only", V("HTTP/1.1 204 No Content\r\n\r\n"), 27 },
	{ "pipelined", V("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"), 28 },
	{ "leading empty line", V("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), 29 },
	{ "leading empty lines", V("\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n"), 24 },
	{ "only empty lines", V("\r\n\r\n\r\n"), 0 },
	{ "partial", V("GET / HTTP/1.1\r\nHost: a\r\n"), 0 },
	{ "partial CR", V("GET / HTTP/1.1\r\nHost: a\r\n\r"), 0 },
	{ "empty", V(""), 0 },
	{ "bare LF ending the head", V("GET / HTTP/1.1\r\n\n"), -1 },
	{ "bare LF in request line", V("GET / HTTP/1.1\nHost: a\r\n\r\n"), -1 },
	{ "bare LF first", V("\nGET / HTTP/1.1\r\n\r\n"), -1 },
	{ "bare LF after empty line", V("\r\n\nGET / HTTP/1.1\r\n\r\n"), -1 },
	{ "NUL", V("GET / HTTP/1.1\r\nHost: \0a\r\n\r\n"), -1 },
	{ "bare CR is left to the parser", V("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n"), 26 },
};

static void end_case_desc(const struct end_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(end, end_cases, end_case_desc);

/* The same answer whole and byte by byte, found exactly when complete. */
static void spl_http_head_end_table(struct kunit *test)
{
	const struct end_case *c = test->param_value;
	const u8 *p = (const u8 *)c->vec;
	u32 scan = 0, i;
	int end = 0;

	/* Act: whole */
	KUNIT_EXPECT_EQ(test, spl_http_head_end(p, c->len, &scan), c->end);
	if (c->end > 0)
		KUNIT_EXPECT_EQ(test, scan, (u32)c->end);
	if (!c->end)
		KUNIT_EXPECT_EQ(test, scan, c->len);

	/* Act: one more byte at a time */
	scan = 0;
	for (i = 1; i <= c->len; i++) {
		end = spl_http_head_end(p, i, &scan);
		if (end)
			break;
	}
	/* Assert */
	KUNIT_EXPECT_EQ(test, end, c->end);
	if (c->end > 0)
		KUNIT_EXPECT_EQ(test, i, (u32)c->end);
}

/* ---- response heads ---- */

struct resp_case {
	const char *name;
	const char *vec;
	u32 len;
	int ret;		/* 0 or 502 */
	u16 status;
	u16 flags;
	u64 content_length;
	u8 method;		/* of the request, for the body kind */
	u8 body;		/* enum spl_http_body_kind when ret == 0 */
};

#define OK200(fields)	"HTTP/1.1 200 OK\r\n" fields "\r\n"

/* fuzz-corpus: response */
static const struct resp_case resp_cases[] = {
	{ "200 content-length", V(OK200("Content-Length: 5\r\n")), 0, 200, SPL_HTTP_F_CL, 5,
	  SPL_HTTP_M_GET, SPL_HTTP_BODY_CL },
	{ "200 content-length zero", V(OK200("Content-Length: 0\r\n")), 0, 200, SPL_HTTP_F_CL, 0,
	  SPL_HTTP_M_GET, SPL_HTTP_BODY_NONE },
	{ "200 chunked", V(OK200("Transfer-Encoding: chunked\r\n")), 0, 200, SPL_HTTP_F_CHUNKED, 0,
	  SPL_HTTP_M_GET, SPL_HTTP_BODY_CHUNKED },
	{ "200 gzip chunked", V(OK200("Transfer-Encoding: gzip, chunked\r\n")), 0, 200,
	  SPL_HTTP_F_CHUNKED, 0, SPL_HTTP_M_POST, SPL_HTTP_BODY_CHUNKED },
	{ "te over two lines", V(OK200("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n")),
	  0, 200, SPL_HTTP_F_CHUNKED, 0, SPL_HTTP_M_GET, SPL_HTTP_BODY_CHUNKED },
	{ "200 until close", V(OK200("Server: x\r\n")), 0, 200, 0, 0,
	  SPL_HTTP_M_GET, SPL_HTTP_BODY_EOF },
	{ "1.0 until close", V("HTTP/1.0 200 OK\r\n\r\n"), 0, 200, 0, 0,
	  SPL_HTTP_M_GET, SPL_HTTP_BODY_EOF },
	{ "200 to HEAD", V(OK200("Content-Length: 5\r\n")), 0, 200, SPL_HTTP_F_CL, 5,
	  SPL_HTTP_M_HEAD, SPL_HTTP_BODY_NONE },
	{ "chunked 200 to HEAD", V(OK200("Transfer-Encoding: chunked\r\n")), 0, 200,
	  SPL_HTTP_F_CHUNKED, 0, SPL_HTTP_M_HEAD, SPL_HTTP_BODY_NONE },
	{ "204", V("HTTP/1.1 204 No Content\r\n\r\n"), 0, 204, 0, 0,
	  SPL_HTTP_M_GET, SPL_HTTP_BODY_NONE },
	{ "204 content-length zero", V("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"), 0,
	  204, SPL_HTTP_F_CL, 0, SPL_HTTP_M_GET, SPL_HTTP_BODY_NONE },
	{ "304 with content-length", V("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n"), 0,
	  304, SPL_HTTP_F_CL, 5, SPL_HTTP_M_GET, SPL_HTTP_BODY_NONE },
	{ "304 chunked", V("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"), 0,
	  304, SPL_HTTP_F_CHUNKED, 0, SPL_HTTP_M_GET, SPL_HTTP_BODY_NONE },
	{ "100 continue", V("HTTP/1.1 100 Continue\r\n\r\n"), 0, 100, 0, 0,
	  SPL_HTTP_M_POST, SPL_HTTP_BODY_NONE },
	{ "103 early hints", V("HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"), 0,
	  103, 0, 0, SPL_HTTP_M_GET, SPL_HTTP_BODY_NONE },
	{ "101 upgrade", V("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
			   "Connection: Upgrade\r\n\r\n"), 0, 101, SPL_HTTP_F_UPGRADE, 0,
	  SPL_HTTP_M_GET, SPL_HTTP_BODY_TUNNEL },
	{ "200 to CONNECT", V("HTTP/1.1 200 Connection Established\r\n\r\n"), 0, 200, 0, 0,
	  SPL_HTTP_M_CONNECT, SPL_HTTP_BODY_TUNNEL },
	{ "407 to CONNECT", V("HTTP/1.1 407 Proxy Auth\r\nContent-Length: 2\r\n\r\n"), 0, 407,
	  SPL_HTTP_F_CL, 2, SPL_HTTP_M_CONNECT, SPL_HTTP_BODY_CL },
	{ "connection close", V(OK200("Connection: close\r\nContent-Length: 1\r\n")), 0, 200,
	  SPL_HTTP_F_CLOSE | SPL_HTTP_F_CL, 1, SPL_HTTP_M_GET, SPL_HTTP_BODY_CL },
	{ "1.0 keep-alive", V("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n"),
	  0, 200, SPL_HTTP_F_KEEPALIVE | SPL_HTTP_F_CL, 1, SPL_HTTP_M_GET, SPL_HTTP_BODY_CL },
	{ "same content-length twice", V(OK200("Content-Length: 3\r\nContent-Length: 3\r\n")), 0,
	  200, SPL_HTTP_F_CL, 3, SPL_HTTP_M_GET, SPL_HTTP_BODY_CL },
	{ "no reason phrase", V("HTTP/1.1 200 \r\n\r\n"), 0, 200, 0, 0,
	  SPL_HTTP_M_GET, SPL_HTTP_BODY_EOF },
	{ "no space after the status", V("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n"), 0, 404,
	  SPL_HTTP_F_CL, 0, SPL_HTTP_M_GET, SPL_HTTP_BODY_NONE },
	{ "obs-text reason", V("HTTP/1.1 200 \xc3\x9c" "berall\tgut\r\n\r\n"), 0, 200, 0, 0,
	  SPL_HTTP_M_GET, SPL_HTTP_BODY_EOF },
	{ "status 599", V("HTTP/1.1 599 X\r\n\r\n"), 0, 599, 0, 0, SPL_HTTP_M_GET, SPL_HTTP_BODY_EOF },
	{ "host is just a field", V(OK200("Host: a b\r\nHost: c\r\nContent-Length: 0\r\n")), 0, 200,
	  SPL_HTTP_F_CL, 0, SPL_HTTP_M_GET, SPL_HTTP_BODY_NONE },
	/* status line */
	{ "status two digits", V("HTTP/1.1 20 OK\r\n\r\n"), 502 },
	{ "status four digits", V("HTTP/1.1 2000 OK\r\n\r\n"), 502 },
	{ "status 099", V("HTTP/1.1 099 X\r\n\r\n"), 502 },
	{ "status 600", V("HTTP/1.1 600 X\r\n\r\n"), 502 },
	{ "status not digits", V("HTTP/1.1 2x0 OK\r\n\r\n"), 502 },
	{ "status missing", V("HTTP/1.1\r\n\r\n"), 502 },
	{ "two spaces", V("HTTP/1.1  200 OK\r\n\r\n"), 502 },
	{ "tab separator", V("HTTP/1.1\t200 OK\r\n\r\n"), 502 },
	{ "http 2", V("HTTP/2 200\r\n\r\n"), 502 },
	{ "http 2.0", V("HTTP/2.0 200 OK\r\n\r\n"), 502 },
	{ "http 1.2", V("HTTP/1.2 200 OK\r\n\r\n"), 502 },
	{ "http 0.9 body", V("<html>\r\n\r\n"), 502 },
	{ "lowercase version", V("http/1.1 200 OK\r\n\r\n"), 502 },
	{ "icy", V("ICY 200 OK\r\n\r\n"), 502 },
	{ "bare CR in reason", V("HTTP/1.1 200 O\rK\r\n\r\n"), 502 },
	{ "control char in reason", V("HTTP/1.1 200 O\x01K\r\n\r\n"), 502 },
	{ "leading empty line", V("\r\nHTTP/1.1 200 OK\r\n\r\n"), 502 },
	{ "incomplete", V("HTTP/1.1 200 OK\r\n"), 502 },
	{ "data after the empty line", V(OK200("") "X: y\r\n\r\n"), 502 },
	/* framing */
	{ "cl and te", V(OK200("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n")), 502 },
	{ "te then cl", V(OK200("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n")), 502 },
	{ "content-length values differ", V(OK200("Content-Length: 5\r\nContent-Length: 6\r\n")), 502 },
	{ "content-length list differs", V(OK200("Content-Length: 5, 6\r\n")), 502 },
	{ "content-length not a number", V(OK200("Content-Length: five\r\n")), 502 },
	{ "content-length 2^63", V(OK200("Content-Length: 9223372036854775808\r\n")), 502 },
	{ "content-length overflow", V(OK200("Content-Length: 18446744073709551616\r\n")), 502 },
	{ "te not ending in chunked", V(OK200("Transfer-Encoding: gzip\r\n")), 502 },
	{ "chunked then gzip", V(OK200("Transfer-Encoding: chunked, gzip\r\n")), 502 },
	{ "chunked twice", V(OK200("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")), 502 },
	{ "unknown coding", V(OK200("Transfer-Encoding: foo, chunked\r\n")), 502 },
	{ "te in 1.0", V("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), 502 },
	{ "204 with a length", V("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n"), 502 },
	{ "204 chunked", V("HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n"), 502 },
	{ "100 chunked", V("HTTP/1.1 100 Continue\r\nTransfer-Encoding: chunked\r\n\r\n"), 502 },
	{ "101 with a length", V("HTTP/1.1 101 Switching\r\nContent-Length: 1\r\n\r\n"), 502 },
	/* fields */
	{ "obs-fold", V(OK200("X-A: b\r\n c\r\n")), 502 },
	{ "space before colon", V(OK200("Content-Length : 5\r\n")), 502 },
	{ "no colon", V(OK200("X-A\r\n")), 502 },
	{ "control char in value", V(OK200("X-A: a\x01\r\n")), 502 },
	{ "nul in value", V(OK200("X-A: a\0\r\n")), 502 },
	{ "bare CR in value", V(OK200("X-A: a\rb\r\n")), 502 },
	{ "bare LF in value", V(OK200("X-A: a\nb\r\n")), 502 },
	{ "bad char in name", V(OK200("X[A]: b\r\n")), 502 },
};

static void resp_case_desc(const struct resp_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(resp, resp_cases, resp_case_desc);

static void spl_http_response_table(struct kunit *test)
{
	const struct resp_case *c = test->param_value;
	struct spl_http_resp resp;
	int ret;

	/* Act */
	ret = spl_http_parse_response((const u8 *)c->vec, c->len, &resp);
	/* Assert */
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "reason: %s",
			    resp.reason ? resp.reason : "(none)");
	if (ret) {
		KUNIT_EXPECT_NOT_NULL(test, resp.reason);
		return;
	}
	if (c->ret)
		return;
	KUNIT_EXPECT_NULL(test, resp.reason);
	KUNIT_EXPECT_EQ(test, resp.head_len, c->len);
	KUNIT_EXPECT_EQ(test, resp.status, c->status);
	KUNIT_EXPECT_EQ(test, resp.flags, c->flags);
	KUNIT_EXPECT_EQ(test, resp.content_length, c->content_length);
	KUNIT_EXPECT_EQ(test, (int)spl_http_resp_body(&resp, c->method), (int)c->body);
}

static void spl_http_response_fields(struct kunit *test)
{
	static const char head[] = "HTTP/1.0 404 Not Found\r\nServer: x\r\nContent-Length: 9\r\n\r\n";
	struct spl_http_resp resp;
	char *buf;
	u32 len, i;

	KUNIT_ASSERT_EQ(test, spl_http_parse_response((const u8 *)head, sizeof(head) - 1, &resp), 0);
	KUNIT_EXPECT_EQ(test, resp.minor, (u8)0);
	KUNIT_EXPECT_EQ(test, resp.status, (u16)404);
	KUNIT_EXPECT_EQ(test, resp.nheaders, (u16)2);

	/* more than SPL_HTTP_MAX_HEADERS fields */
	buf = kunit_kzalloc(test, 64 + 16 * (SPL_HTTP_MAX_HEADERS + 1), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = sprintf(buf, "HTTP/1.1 200 OK\r\n");
	for (i = 0; i < SPL_HTTP_MAX_HEADERS; i++)
		len += sprintf(buf + len, "X-%u: v\r\n", i);
	KUNIT_EXPECT_EQ(test, spl_http_parse_response((u8 *)buf, len + sprintf(buf + len, "\r\n"),
						      &resp), 0);
	len += sprintf(buf + len, "X-Last: v\r\n\r\n");
	KUNIT_EXPECT_EQ(test, spl_http_parse_response((u8 *)buf, len, &resp), 502);
}

/* ---- bodies ---- */

#define BAD	(-EBADMSG)

struct body_case {
	const char *name;
	const char *vec;
	u32 len;
	u8 kind;
	u64 content_length;
	int ret;		/* bytes of this message, or BAD */
	bool done;
};

#define CHUNKED	SPL_HTTP_BODY_CHUNKED
#define NEXT	"GET / HTTP/1.1\r\nHost: a\r\n\r\n"

/* fuzz-corpus: chunked */
static const struct body_case body_cases[] = {
	/* chunked */
	{ "last chunk only", V("0\r\n\r\n"), CHUNKED, 0, 5, true },
	{ "one chunk", V("5\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, 15, true },
	{ "two chunks", V("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), CHUNKED, 0, 26, true },
	{ "pipelined after", V("5\r\nhello\r\n0\r\n\r\n" NEXT), CHUNKED, 0, 15, true },
	{ "uppercase hex", V("A\r\n0123456789\r\n0\r\n\r\n"), CHUNKED, 0, 20, true },
	{ "lowercase hex", V("a\r\n0123456789\r\n0\r\n\r\n"), CHUNKED, 0, 20, true },
	{ "leading zeros", V("005\r\nhello\r\n000\r\n\r\n"), CHUNKED, 0, 19, true },
	{ "16 hex digits", V("0000000000000005\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, 30, true },
	{ "17 hex digits", V("00000000000000005\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "huge chunk", V("ffffffffffffffff\r\nabc"), CHUNKED, 0, 21, false },
	{ "data CRLF in chunk", V("4\r\n\r\n\r\n\r\n0\r\n\r\n"), CHUNKED, 0, 14, true },
	{ "incomplete size", V("5"), CHUNKED, 0, 1, false },
	{ "incomplete data", V("5\r\nhel"), CHUNKED, 0, 6, false },
	{ "incomplete last chunk", V("5\r\nhello\r\n0\r\n"), CHUNKED, 0, 13, false },
	{ "incomplete final CRLF", V("0\r\n\r"), CHUNKED, 0, 4, false },
	{ "empty size", V("\r\n\r\n"), CHUNKED, 0, BAD },
	{ "negative size", V("-5\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "plus size", V("+5\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "0x size", V("0x5\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "space before size", V(" 5\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "space after size", V("5 \r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "two sizes", V("5 5\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "not hex", V("g\r\n"), CHUNKED, 0, BAD },
	{ "bare LF after size", V("5\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "bare CR after size", V("5\rhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "data too long", V("5\r\nhelloX\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "bare LF after data", V("5\r\nhello\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "CR CR after data", V("5\r\nhello\r\r0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "nul as size", V("\0\r\n"), CHUNKED, 0, BAD },
	/* chunk-ext */
	{ "ext name", V("5;a\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, 17, true },
	{ "ext name value", V("5;a=b\r\nhello\r\n0;x=y;z\r\n\r\n"), CHUNKED, 0, 25, true },
	{ "ext quoted", V("5;a=\"q \\\"x\\\" ;\"\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, 29, true },
	{ "ext bws", V("5 ;\ta = b ; c\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, 27, true },
	{ "ext trailing space", V("5;a \r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "ext value trailing tab", V("5;a=b\t\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "ext quoted trailing space", V("5;a=\"b\" \r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "ext empty", V("5;\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "ext empty value", V("5;a=\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "ext two names", V("5;a b\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "ext two values", V("5;a=b c\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "ext bad name", V("5;a@b\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "ext unterminated quote", V("5;a=\"b\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "ext control char", V("5;a=\x01\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "ext bare LF", V("5;a\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	{ "ext nul in quotes", V("5;a=\"\0\"\r\nhello\r\n0\r\n\r\n"), CHUNKED, 0, BAD },
	/* trailers */
	{ "trailer", V("0\r\nX-T: v\r\n\r\n"), CHUNKED, 0, 13, true },
	{ "two trailers then next", V("0\r\nX-T: v\r\nX-U:\r\n\r\n" NEXT), CHUNKED, 0, 19, true },
	{ "trailer looks like content-length", V("0\r\nContent-Lengthy: 5\r\n\r\n"), CHUNKED, 0,
	  25, true },
	{ "trailer looks like host", V("0\r\nHos: x\r\nHostx: y\r\n\r\n"), CHUNKED, 0, 23, true },
	{ "trailer content-length", V("0\r\nContent-Length: 5\r\n\r\n"), CHUNKED, 0, BAD },
	{ "trailer transfer-encoding", V("0\r\ntransfer-ENCODING: chunked\r\n\r\n"), CHUNKED, 0, BAD },
	{ "trailer host", V("0\r\nHOST: x\r\n\r\n"), CHUNKED, 0, BAD },
	{ "trailer space before colon", V("0\r\nX-T : v\r\n\r\n"), CHUNKED, 0, BAD },
	{ "trailer obs-fold", V("0\r\nX-T: v\r\n w\r\n\r\n"), CHUNKED, 0, BAD },
	{ "trailer no colon", V("0\r\nX-T v\r\n\r\n"), CHUNKED, 0, BAD },
	{ "trailer control char", V("0\r\nX-T: v\x01\r\n\r\n"), CHUNKED, 0, BAD },
	{ "trailer bare LF", V("0\r\nX-T: v\nX\r\n\r\n"), CHUNKED, 0, BAD },
	{ "trailer bare CR", V("0\r\nX-T: v\rX\r\n\r\n"), CHUNKED, 0, BAD },
	{ "bare CR at the end", V("0\r\n\rX"), CHUNKED, 0, BAD },
	{ "bare LF at the end", V("0\r\n\n"), CHUNKED, 0, BAD },
	/* Content-Length */
	{ "cl whole", V("hello"), SPL_HTTP_BODY_CL, 5, 5, true },
	{ "cl pipelined", V("hello" NEXT), SPL_HTTP_BODY_CL, 5, 5, true },
	{ "cl partial", V("hello"), SPL_HTTP_BODY_CL, 10, 5, false },
	{ "cl zero", V("GET"), SPL_HTTP_BODY_CL, 0, 0, true },
	{ "cl binary", V("\0\r\n\xff"), SPL_HTTP_BODY_CL, 4, 4, true },
	/* none, until close, tunnel */
	{ "none", V(NEXT), SPL_HTTP_BODY_NONE, 0, 0, true },
	{ "until close", V("abc\r\n\r\n0\r\n\r\n"), SPL_HTTP_BODY_EOF, 0, 12, false },
	{ "tunnel", V("\x81\x05hello"), SPL_HTTP_BODY_TUNNEL, 0, 7, false },
};

static void body_case_desc(const struct body_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(body, body_cases, body_case_desc);

/*
 * Feed @len bytes in slices of @step (the last one shorter; 0: whole) and
 * return what one whole feed would: the bytes of the message or BAD.
 */
static int feed_in_steps(const struct body_case *c, u32 step, bool *done)
{
	struct spl_http_body b;
	u32 off = 0, total = 0;

	spl_http_body_init(&b, c->kind, c->content_length);
	*done = false;
	do {
		u32 n = step && c->len - off > step ? step : c->len - off;
		int ret = spl_http_body_feed(&b, (const u8 *)c->vec + off, n, done);

		if (ret < 0)
			return ret;
		if ((u32)ret > n || (!*done && (u32)ret != n))
			return -1000;	/* broken contract */
		total += ret;
		off += n;
	} while (!*done && off < c->len);
	return total;
}

static void spl_http_body_table(struct kunit *test)
{
	const struct body_case *c = test->param_value;
	bool done, done1;
	int whole, bytewise;
	u32 split;

	/* Act: whole, then byte by byte */
	whole = feed_in_steps(c, 0, &done);
	bytewise = feed_in_steps(c, 1, &done1);
	/* Assert */
	KUNIT_EXPECT_EQ(test, whole, c->ret);
	KUNIT_EXPECT_EQ(test, bytewise, c->ret);
	if (c->ret >= 0) {
		KUNIT_EXPECT_EQ(test, done, c->done);
		KUNIT_EXPECT_EQ(test, done1, c->done);
	}

	/* Act: every split into two feeds, and a failed state stays failed */
	for (split = 1; split < c->len; split++) {
		struct spl_http_body b;
		int a, r;

		spl_http_body_init(&b, c->kind, c->content_length);
		a = spl_http_body_feed(&b, (const u8 *)c->vec, split, &done);
		if (a >= 0 && !done) {
			r = spl_http_body_feed(&b, (const u8 *)c->vec + split, c->len - split, &done);
			a = r < 0 ? r : a + r;
		}
		KUNIT_EXPECT_EQ_MSG(test, a, c->ret, "split at %u", split);
		if (a < 0) {
			KUNIT_EXPECT_NOT_NULL(test, b.reason);
			KUNIT_EXPECT_EQ(test, spl_http_body_feed(&b, (const u8 *)"0\r\n\r\n", 5, &done),
					BAD);
		}
	}
}

/* A Content-Length body arriving in pieces, the next request behind it. */
static void spl_http_body_cl_split(struct kunit *test)
{
	static const char data[] = "hello" "world" NEXT;
	struct spl_http_body b;
	bool done;

	spl_http_body_init(&b, SPL_HTTP_BODY_CL, 10);
	KUNIT_EXPECT_EQ(test, spl_http_body_feed(&b, (const u8 *)data, 3, &done), 3);
	KUNIT_EXPECT_FALSE(test, done);
	KUNIT_EXPECT_EQ(test, b.remaining, 7ull);
	KUNIT_EXPECT_EQ(test, spl_http_body_feed(&b, (const u8 *)data + 3, 0, &done), 0);
	KUNIT_EXPECT_FALSE(test, done);
	KUNIT_EXPECT_EQ(test, spl_http_body_feed(&b, (const u8 *)data + 3, sizeof(data) - 4, &done), 7);
	KUNIT_EXPECT_TRUE(test, done);
	/* ended: nothing more belongs to it */
	KUNIT_EXPECT_EQ(test, spl_http_body_feed(&b, (const u8 *)data + 10, 4, &done), 0);
	KUNIT_EXPECT_TRUE(test, done);
}

/* Two chunked bodies back to back: each ends where it should. */
static void spl_http_body_pipelined(struct kunit *test)
{
	static const char data[] = "3\r\nabc\r\n0\r\n\r\n" "1;x=y\r\nz\r\n0\r\nT: 1\r\n\r\n" "GET";
	struct spl_http_body b;
	u32 off = 0;
	bool done;
	int n;

	spl_http_body_init(&b, CHUNKED, 0);
	n = spl_http_body_feed(&b, (const u8 *)data, sizeof(data) - 1, &done);
	KUNIT_EXPECT_EQ(test, n, 13);
	KUNIT_EXPECT_TRUE(test, done);
	off += n;
	spl_http_body_init(&b, CHUNKED, 0);
	n = spl_http_body_feed(&b, (const u8 *)data + off, sizeof(data) - 1 - off, &done);
	KUNIT_EXPECT_EQ(test, n, 21);
	KUNIT_EXPECT_TRUE(test, done);
	off += err_ok(n);
	KUNIT_EXPECT_EQ(test, memcmp(data + off, "GET", 3), 0);
}

/* Chunk extensions: 256 bytes on a line at most ("chunk extension abuse"). */
static void spl_http_body_ext_limit(struct kunit *test)
{
	u32 room = 16 + SPL_HTTP_MAX_CHUNK_EXT;
	char *buf = kunit_kzalloc(test, room + 16, GFP_KERNEL);
	struct spl_http_body b;
	u32 ext, len;
	bool done;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (ext = SPL_HTTP_MAX_CHUNK_EXT; ext <= SPL_HTTP_MAX_CHUNK_EXT + 1; ext++) {
		/* "1;" then an ext-name: @ext bytes after the size */
		buf[0] = '1';
		buf[1] = ';';
		memset(buf + 2, 'e', ext - 1);
		len = 1 + ext;
		memcpy(buf + len, "\r\nx\r\n0\r\n\r\n", 10);
		len += 10;
		spl_http_body_init(&b, CHUNKED, 0);
		if (ext <= SPL_HTTP_MAX_CHUNK_EXT) {
			KUNIT_EXPECT_EQ(test, spl_http_body_feed(&b, (u8 *)buf, len, &done), (int)len);
			KUNIT_EXPECT_TRUE(test, done);
		} else {
			KUNIT_EXPECT_EQ(test, spl_http_body_feed(&b, (u8 *)buf, len, &done), BAD);
		}
	}
	/* many short lines are fine: the bound is per line */
	spl_http_body_init(&b, CHUNKED, 0);
	for (ext = 0; ext < 100; ext++)
		KUNIT_EXPECT_EQ(test, spl_http_body_feed(&b, (u8 *)"1;abcdef\r\nx\r\n", 13, &done), 13);
}

/* Trailers: bounded in count and size. */
static void spl_http_body_trailer_limits(struct kunit *test)
{
	struct spl_http_body b;
	bool done;
	u32 i;
	int n;

	spl_http_body_init(&b, CHUNKED, 0);
	KUNIT_EXPECT_EQ(test, spl_http_body_feed(&b, (u8 *)"0\r\n", 3, &done), 3);
	for (i = 0; i < SPL_HTTP_MAX_TRAILERS; i++)
		KUNIT_EXPECT_EQ(test, spl_http_body_feed(&b, (u8 *)"T: v\r\n", 6, &done), 6);
	KUNIT_EXPECT_EQ(test, spl_http_body_feed(&b, (u8 *)"T: v\r\n", 6, &done), BAD);

	/* one long trailer line: more than SPL_HTTP_MAX_TRAILER_BYTES */
	spl_http_body_init(&b, CHUNKED, 0);
	KUNIT_EXPECT_EQ(test, spl_http_body_feed(&b, (u8 *)"0\r\nT: ", 6, &done), 6);
	for (i = 0, n = 0; i < SPL_HTTP_MAX_TRAILER_BYTES && n >= 0; i += 4)
		n = spl_http_body_feed(&b, (u8 *)"vvvv", 4, &done);
	KUNIT_EXPECT_EQ(test, n, BAD);
	KUNIT_EXPECT_NOT_NULL(test, b.reason);
}

/* What the request head says about its body. */
static void spl_http_req_body_kind(struct kunit *test)
{
	struct spl_http_req req = {};

	KUNIT_EXPECT_EQ(test, (int)spl_http_req_body(&req), (int)SPL_HTTP_BODY_NONE);
	req.flags = SPL_HTTP_F_CL;
	KUNIT_EXPECT_EQ(test, (int)spl_http_req_body(&req), (int)SPL_HTTP_BODY_NONE);
	req.content_length = 1;
	KUNIT_EXPECT_EQ(test, (int)spl_http_req_body(&req), (int)SPL_HTTP_BODY_CL);
	req.flags = SPL_HTTP_F_CHUNKED;
	KUNIT_EXPECT_EQ(test, (int)spl_http_req_body(&req), (int)SPL_HTTP_BODY_CHUNKED);
}

/* HTTP/0.9 sends no empty line: its request line is refused at once. */
static void spl_http_request_line_early_cases(struct kunit *test)
{
	static const struct { const char *in; int want; } c[] = {
		{ "GET /\r\n", 400 },
		{ "\r\nGET /index.html\r\n", 400 },
		{ "GET / HTTP/1.1\r\n", 0 },
		{ "GET / HTTP/1.1\r\nHost: a\r\n", 0 },
		{ "GET / HTTP/1.1", 0 },		/* the line has not ended */
		{ "GET / HTTP/1.1 \r\n", 400 },
		{ "X\r\n", 400 },
		{ "", 0 },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		KUNIT_EXPECT_EQ_MSG(test, spl_http_request_line_early((const u8 *)c[i].in,
								   strlen(c[i].in)),
				    c[i].want, "input %d", i);
}

static struct kunit_case spl_http_cases[] = {
	KUNIT_CASE(spl_http_request_line_early_cases),
	KUNIT_CASE_PARAM(spl_http_parse_table, head_gen_params),
	KUNIT_CASE(spl_http_request_line_fields),
	KUNIT_CASE(spl_http_too_many_headers),
	KUNIT_CASE(spl_http_request_line_limit),
	KUNIT_CASE_PARAM(spl_http_head_end_table, end_gen_params),
	KUNIT_CASE_PARAM(spl_http_response_table, resp_gen_params),
	KUNIT_CASE(spl_http_response_fields),
	KUNIT_CASE_PARAM(spl_http_body_table, body_gen_params),
	KUNIT_CASE(spl_http_body_cl_split),
	KUNIT_CASE(spl_http_body_pipelined),
	KUNIT_CASE(spl_http_body_ext_limit),
	KUNIT_CASE(spl_http_body_trailer_limits),
	KUNIT_CASE(spl_http_req_body_kind),
	{}
};

struct kunit_suite spl_http_test_suite = {
	.name = "spl_http",
	.test_cases = spl_http_cases,
};
