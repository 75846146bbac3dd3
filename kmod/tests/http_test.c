// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the HTTP/1.x request head parser (kmod/http.c).
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "../http.c"

struct head_case {
	const char *name;
	const char *head;
	int status;		/* expected spl_http_parse_request() result */
	u16 flags;		/* flags that must be set when status == 0 */
	u64 content_length;
};

static const struct head_case head_cases[] = {
	{ "get 1.1", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 0, SPL_HTTP_F_HOST },
	{ "get 1.0 without host", "GET / HTTP/1.0\r\n\r\n", 0, 0 },
	{ "leading empty line", "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 0, SPL_HTTP_F_HOST },
	{ "1.1 without host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400 },
	{ "two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
	{ "content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 42\r\n\r\n",
	  0, SPL_HTTP_F_CL, 42 },
	{ "same content-length twice",
	  "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
	  0, SPL_HTTP_F_CL, 5 },
	{ "content-length list agrees", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 7, 7\r\n\r\n",
	  0, SPL_HTTP_F_CL, 7 },
	{ "content-length values differ",
	  "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400 },
	{ "content-length list differs", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n", 400 },
	{ "negative content-length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400 },
	{ "content-length not a number", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1a\r\n\r\n", 400 },
	{ "content-length overflow",
	  "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", 400 },
	{ "cl and te", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
	{ "te then cl", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400 },
	{ "chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 0, SPL_HTTP_F_CHUNKED },
	{ "chunked any case", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ChUnKeD\r\n\r\n", 0, SPL_HTTP_F_CHUNKED },
	{ "gzip then chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 0, SPL_HTTP_F_CHUNKED },
	{ "te not ending in chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400 },
	{ "chunked then gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400 },
	{ "chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
	{ "unknown coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: x-foo, chunked\r\n\r\n", 501 },
	{ "te in 1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
	{ "obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400 },
	{ "space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400 },
	{ "empty header name", "GET / HTTP/1.1\r\n: a\r\nHost: a\r\n\r\n", 400 },
	{ "bad char in name", "GET / HTTP/1.1\r\nX(a): b\r\nHost: a\r\n\r\n", 400 },
	{ "control char in value", "GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n", 400 },
	{ "bare CR in value", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", 400 },
	{ "bad method", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
	{ "missing target", "GET  HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
	{ "space in target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
	{ "lowercase version", "GET / http/1.1\r\nHost: a\r\n\r\n", 400 },
	{ "version garbage", "GET / HTTP/1.1x\r\nHost: a\r\n\r\n", 400 },
	{ "http 2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505 },
	{ "http 1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505 },
	{ "no request line", "\r\n\r\n", 400 },
	{ "connection close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", 0,
	  SPL_HTTP_F_CLOSE },
	{ "connection list", "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\n\r\n", 0,
	  SPL_HTTP_F_KEEPALIVE | SPL_HTTP_F_UPGRADE },
	{ "x-forwarded-for seen", "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.18.0.9\r\n\r\n", 0,
	  SPL_HTTP_F_XFF },
};

static void head_case_desc(const struct head_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(head, head_cases, head_case_desc);

static void spl_http_parse_table(struct kunit *test)
{
	const struct head_case *c = test->param_value;
	u32 len = strlen(c->head);
	struct spl_http_req req;
	int status;

	/* Arrange: the table gives complete heads */
	/* Act */
	status = spl_http_parse_request((const u8 *)c->head, len, &req);
	/* Assert */
	KUNIT_EXPECT_EQ_MSG(test, status, c->status, "reason: %s",
			    req.reason ? req.reason : "(none)");
	if (status)
		KUNIT_EXPECT_NOT_NULL(test, req.reason);
	if (!c->status && !status) {
		KUNIT_EXPECT_EQ(test, req.flags & c->flags, c->flags);
		KUNIT_EXPECT_EQ(test, req.head_len, len);
		if (c->flags & SPL_HTTP_F_CL)
			KUNIT_EXPECT_EQ(test, req.content_length, c->content_length);
	}
}

static void spl_http_request_line_fields(struct kunit *test)
{
	static const char head[] = "POST /cart/add?x=1 HTTP/1.0\r\nHost: shop\r\n\r\n";
	struct spl_http_req req;

	KUNIT_ASSERT_EQ(test, spl_http_parse_request((const u8 *)head,
						     sizeof(head) - 1, &req), 0);
	KUNIT_EXPECT_EQ(test, req.method, (u8)SPL_HTTP_M_POST);
	KUNIT_EXPECT_EQ(test, req.minor, (u8)0);
	KUNIT_EXPECT_EQ(test, req.target_len, (u32)strlen("/cart/add?x=1"));
	KUNIT_EXPECT_EQ(test, memcmp(head + req.target_off, "/cart/add?x=1", req.target_len), 0);
	KUNIT_EXPECT_EQ(test, req.host_len, 4u);
	KUNIT_EXPECT_EQ(test, memcmp(head + req.host_off, "shop", 4), 0);
}

static void spl_http_too_many_headers(struct kunit *test)
{
	int n = SPL_HTTP_MAX_HEADERS + 1, i;
	size_t cap = 64 + n * 16;
	struct spl_http_req req;
	char *buf;
	u32 len;

	buf = kunit_kzalloc(test, cap, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = scnprintf(buf, cap, "GET / HTTP/1.1\r\n");
	for (i = 0; i < n - 1; i++)
		len += scnprintf(buf + len, cap - len, "X-%d: v\r\n", i);
	len += scnprintf(buf + len, cap - len, "Host: a\r\n\r\n");
	KUNIT_EXPECT_EQ(test, spl_http_parse_request((u8 *)buf, len, &req), 431);

	/* one header fewer is fine */
	len = scnprintf(buf, cap, "GET / HTTP/1.1\r\n");
	for (i = 0; i < n - 2; i++)
		len += scnprintf(buf + len, cap - len, "X-%d: v\r\n", i);
	len += scnprintf(buf + len, cap - len, "Host: a\r\n\r\n");
	KUNIT_EXPECT_EQ(test, spl_http_parse_request((u8 *)buf, len, &req), 0);
}

/* The end of the head is found the same way whatever the segmentation. */
static void spl_http_head_end_segmented(struct kunit *test)
{
	static const char data[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\nBODY";
	u32 whole = 0, scan = 0, i;
	int end = 0;

	KUNIT_EXPECT_EQ(test, spl_http_head_end((const u8 *)data, sizeof(data) - 1, &whole),
			(int)(sizeof(data) - 1 - 4));
	/* one more byte at a time: found exactly when the empty line is in */
	for (i = 1; i <= sizeof(data) - 1; i++) {
		end = spl_http_head_end((const u8 *)data, i, &scan);
		if (end)
			break;
	}
	KUNIT_EXPECT_EQ(test, end, (int)(sizeof(data) - 1 - 4));
	KUNIT_EXPECT_EQ(test, i, (u32)(sizeof(data) - 1 - 4));
}

static void spl_http_head_end_rejects(struct kunit *test)
{
	static const char bare_lf[] = "GET / HTTP/1.1\nHost: a\r\n\r\n";
	static const char nul[] = "GET / HTTP/1.1\r\nHost: \0a\r\n\r\n";
	static const char partial[] = "GET / HTTP/1.1\r\nHost: a\r\n";
	u32 scan;

	scan = 0;
	KUNIT_EXPECT_EQ(test, spl_http_head_end((const u8 *)bare_lf, sizeof(bare_lf) - 1, &scan), -1);
	scan = 0;
	KUNIT_EXPECT_EQ(test, spl_http_head_end((const u8 *)nul, sizeof(nul) - 1, &scan), -1);
	scan = 0;
	KUNIT_EXPECT_EQ(test, spl_http_head_end((const u8 *)partial, sizeof(partial) - 1, &scan), 0);
	KUNIT_EXPECT_EQ(test, scan, (u32)(sizeof(partial) - 1));
}

static struct kunit_case spl_http_cases[] = {
	KUNIT_CASE_PARAM(spl_http_parse_table, head_gen_params),
	KUNIT_CASE(spl_http_request_line_fields),
	KUNIT_CASE(spl_http_too_many_headers),
	KUNIT_CASE(spl_http_head_end_segmented),
	KUNIT_CASE(spl_http_head_end_rejects),
	{}
};

struct kunit_suite spl_http_test_suite = {
	.name = "spl_http",
	.test_cases = spl_http_cases,
};
