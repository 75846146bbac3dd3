// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what persistence keys on (kmod/cookie.c): cookies found, removed
 * and unprefixed in request heads, Set-Cookie values found and prefixed in
 * response heads, header values, query and path parameters.
 *
 * Every head here is first checked to be one the parser accepts (the
 * functions are only ever given those), and so is every head they return.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "../cookie.c"

#define REQ(fields)	"GET / HTTP/1.1\r\nHost: a\r\n" fields "\r\n"
#define RESP(fields)	"HTTP/1.1 200 OK\r\n" fields "\r\n"
#define CK(value)	"Cookie: " value "\r\n"
#define SC(value)	"Set-Cookie: " value "\r\n"

/* Bytes past the buffer a function was given: they must stay as they are. */
#define CANARY		16
#define CANARY_BYTE	0xa5

static void cookie_desc(const char *name, char *desc)
{
	strscpy(desc, name, KUNIT_PARAM_DESC_SIZE);
}

static void assert_parses(struct kunit *test, const void *p, u32 len,
			  bool response)
{
	const u8 *head = p;
	struct spl_http_req req;
	struct spl_http_resp resp;
	int ret = response ? spl_http_parse_response(head, len, &resp) :
			     spl_http_parse_request(head, len, NULL, &req);

	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "does not parse: %.*s", (int)len, head);
}

/* @s (as much as fits) in a buffer of @size bytes, then a canary. */
static u8 *setup(struct kunit *test, const char *s, u32 size)
{
	u32 len = min_t(u32, strlen(s), size);
	u8 *buf = kunit_kzalloc(test, size + CANARY, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, s, len);
	memset(buf + size, CANARY_BYTE, CANARY);
	return buf;
}

static void expect_canary(struct kunit *test, const u8 *buf, u32 size)
{
	u32 i;

	for (i = 0; i < CANARY; i++)
		KUNIT_EXPECT_EQ(test, buf[size + i], CANARY_BYTE);
}

/* ---- finding a value ---- */

struct get_case {
	const char *desc;
	const char *in;		/* a head (or a target, for parameters) */
	const char *name;
	const char *want;	/* the value, or NULL: not found */
};

static void expect_value(struct kunit *test, const struct get_case *c,
			 bool found, u32 off, u32 len)
{
	u32 in_len = strlen(c->in);

	if (!c->want) {
		KUNIT_EXPECT_FALSE_MSG(test, found, "found: %.*s", (int)len,
				       found ? c->in + off : "");
		return;
	}
	KUNIT_ASSERT_TRUE(test, found);
	KUNIT_ASSERT_LE(test, off, in_len);
	KUNIT_ASSERT_LE(test, len, in_len - off);
	KUNIT_EXPECT_EQ_MSG(test, len, (u32)strlen(c->want), "got: %.*s",
			    (int)len, c->in + off);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(c->in + off, c->want, len), 0,
			    "got: %.*s", (int)len, c->in + off);
}

static const struct get_case cookie_get_cases[] = {
	{ "only pair", REQ(CK("SID=abc")), "SID", "abc" },
	{ "first of three", REQ(CK("SID=abc; a=1; b=2")), "SID", "abc" },
	{ "middle of three", REQ(CK("a=1; SID=abc; b=2")), "SID", "abc" },
	{ "last of three", REQ(CK("a=1; b=2; SID=abc")), "SID", "abc" },
	{ "no space after semicolons", REQ(CK("a=1;SID=abc;b=2")), "SID", "abc" },
	{ "whitespace around ; and =", REQ(CK("a=1 ;  SID = abc ;\tb=2")), "SID", "abc" },
	{ "trailing whitespace on the line", REQ("Cookie: SID=abc \t\r\n"), "SID", "abc" },
	{ "no whitespace after the colon", REQ("Cookie:SID=abc\r\n"), "SID", "abc" },
	{ "inner whitespace kept", REQ(CK("SID=a b; c=d")), "SID", "a b" },
	{ "quoted", REQ(CK("a=1; SID=\"abc\"; b=2")), "SID", "abc" },
	{ "quoted empty", REQ(CK("SID=\"\"")), "SID", "" },
	{ "lone quote", REQ(CK("SID=\"")), "SID", "\"" },
	{ "opening quote only", REQ(CK("SID=\"abc")), "SID", "\"abc" },
	{ "closing quote only", REQ(CK("SID=abc\"")), "SID", "abc\"" },
	{ "empty value", REQ(CK("SID=")), "SID", "" },
	{ "empty value then more", REQ(CK("SID=; a=1")), "SID", "" },
	{ "value with =", REQ(CK("SID=a=b; c=d")), "SID", "a=b" },
	{ "pair without =", REQ(CK("SID; a=1")), "SID", NULL },
	{ "pair without = alone", REQ(CK("SID")), "SID", NULL },
	{ "pair without = before", REQ(CK("foo; SID=1")), "SID", "1" },
	{ "empty name", REQ(CK("=1; SID=2")), "SID", "2" },
	{ "ID is not SID", REQ(CK("SID=1")), "ID", NULL },
	{ "SID is not ID", REQ(CK("ID=1")), "SID", NULL },
	{ "SID is not SIDX", REQ(CK("SIDX=1; XSID=2")), "SID", NULL },
	{ "ID after SID", REQ(CK("SID=1; ID=2")), "ID", "2" },
	{ "names are case-sensitive", REQ(CK("sid=1")), "SID", NULL },
	{ "the name in its case", REQ(CK("SID=1; sid=2")), "sid", "2" },
	{ "field name in lower case", REQ("cookie: SID=1\r\n"), "SID", "1" },
	{ "field name in upper case", REQ("COOKIE: SID=1\r\n"), "SID", "1" },
	{ "second cookie field", REQ(CK("a=1") CK("SID=2")), "SID", "2" },
	{ "first pair wins", REQ(CK("SID=1; SID=2")), "SID", "1" },
	{ "first field wins", REQ(CK("SID=1") CK("SID=2")), "SID", "1" },
	{ "after an empty cookie field", REQ("Cookie:\r\n" CK("SID=1")), "SID", "1" },
	{ "blank segments", REQ(CK(";; SID=1 ;")), "SID", "1" },
	{ "not in x-cookie", REQ("X-Cookie: SID=1\r\n"), "SID", NULL },
	{ "not in cookies", REQ("Cookies: SID=1\r\n"), "SID", NULL },
	{ "not in set-cookie", REQ("Set-Cookie: SID=1\r\n"), "SID", NULL },
	{ "not in the request line", "GET /Cookie:SID=1 HTTP/1.1\r\nHost: a\r\n\r\n", "SID", NULL },
	{ "leading empty lines", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n" CK("SID=1") "\r\n", "SID", "1" },
	{ "no cookie", REQ("Accept: */*\r\n"), "SID", NULL },
	{ "no fields", "GET / HTTP/1.0\r\n\r\n", "SID", NULL },
	{ "empty name asked", REQ(CK("=1")), "", NULL },
};

static void cookie_get_desc(const struct get_case *c, char *desc)
{
	cookie_desc(c->desc, desc);
}

KUNIT_ARRAY_PARAM(cookie_get, cookie_get_cases, cookie_get_desc);

static void spl_cookie_get_table(struct kunit *test)
{
	const struct get_case *c = test->param_value;
	u32 off = 0, len = 0;
	bool found;

	assert_parses(test, c->in, strlen(c->in), false);
	found = spl_cookie_get((const u8 *)c->in, strlen(c->in), c->name, &off, &len);
	expect_value(test, c, found, off, len);
}

static const struct get_case set_cookie_get_cases[] = {
	{ "with attributes", RESP(SC("SID=abc; Path=/; HttpOnly")), "SID", "abc" },
	{ "without attributes", RESP(SC("SID=abc")), "SID", "abc" },
	{ "quoted", RESP(SC("SID=\"abc\"; Path=/")), "SID", "abc" },
	{ "whitespace before ;", RESP(SC("SID=abc \t; Path=/")), "SID", "abc" },
	{ "whitespace at the end", RESP("Set-Cookie: SID=abc \r\n"), "SID", "abc" },
	{ "whitespace around =", RESP(SC("SID = abc")), "SID", "abc" },
	{ "empty value", RESP(SC("SID=; Max-Age=0")), "SID", "" },
	{ "value with =", RESP(SC("SID=a=b; Path=/")), "SID", "a=b" },
	{ "second field", RESP(SC("a=1") SC("SID=2") SC("SID=3")), "SID", "2" },
	{ "after an empty field", RESP("Set-Cookie:\r\n" SC("SID=1")), "SID", "1" },
	{ "an attribute is not a cookie", RESP(SC("a=1; SID=2")), "SID", NULL },
	{ "ID is not SID", RESP(SC("SID=1")), "ID", NULL },
	{ "SID is not ID", RESP(SC("ID=1")), "SID", NULL },
	{ "names are case-sensitive", RESP(SC("sid=1")), "SID", NULL },
	{ "field name in any case", RESP("set-COOKIE: SID=1\r\n"), "SID", "1" },
	{ "cookie-pair without =", RESP(SC("SID; Path=/")), "SID", NULL },
	{ "not in set-cookie2", RESP("Set-Cookie2: SID=1\r\n"), "SID", NULL },
	{ "not in cookie", RESP(CK("SID=1")), "SID", NULL },
	{ "no fields", "HTTP/1.1 204 No Content\r\n\r\n", "SID", NULL },
};

static void set_cookie_get_desc(const struct get_case *c, char *desc)
{
	cookie_desc(c->desc, desc);
}

KUNIT_ARRAY_PARAM(set_cookie_get, set_cookie_get_cases, set_cookie_get_desc);

static void spl_set_cookie_get_table(struct kunit *test)
{
	const struct get_case *c = test->param_value;
	u32 off = 0, len = 0;
	bool found;

	assert_parses(test, c->in, strlen(c->in), true);
	found = spl_set_cookie_get((const u8 *)c->in, strlen(c->in), c->name, &off, &len);
	expect_value(test, c, found, off, len);
}

static const struct get_case header_get_cases[] = {
	{ "a field", REQ("X-Session: abc\r\n"), "X-Session", "abc" },
	{ "name in another case", REQ("x-session: abc\r\n"), "X-SESSION", "abc" },
	{ "whitespace trimmed", REQ("X-Session: \t abc \t\r\n"), "x-session", "abc" },
	{ "no whitespace", REQ("X-Session:abc\r\n"), "x-session", "abc" },
	{ "inner whitespace kept", REQ("X-Session: a  b\r\n"), "x-session", "a  b" },
	{ "empty value", REQ("X-Session:\r\n"), "x-session", "" },
	{ "whitespace only", REQ("X-Session: \t \r\n"), "x-session", "" },
	{ "first of two", REQ("X-Session: 1\r\nX-Session: 2\r\n"), "x-session", "1" },
	{ "longer name", REQ("X-Session-Id: 1\r\n"), "x-session", NULL },
	{ "shorter name", REQ("X-Session: 1\r\n"), "x-session-id", NULL },
	{ "suffix name", REQ("My-X-Session: 1\r\n"), "x-session", NULL },
	{ "host", REQ(""), "host", "a" },
	{ "not the request line", "GET /a:b HTTP/1.1\r\nHost: a\r\n\r\n", "GET /a", NULL },
	{ "leading empty lines", "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", "host", "a" },
	{ "missing", REQ("Accept: */*\r\n"), "x-session", NULL },
	{ "empty name asked", REQ(""), "", NULL },
};

static void header_get_desc(const struct get_case *c, char *desc)
{
	cookie_desc(c->desc, desc);
}

KUNIT_ARRAY_PARAM(header_get, header_get_cases, header_get_desc);

static void spl_header_get_table(struct kunit *test)
{
	const struct get_case *c = test->param_value;
	u32 off = 0, len = 0;
	bool found;

	assert_parses(test, c->in, strlen(c->in), false);
	found = spl_header_get((const u8 *)c->in, strlen(c->in), c->name, &off, &len);
	expect_value(test, c, found, off, len);
}

static void spl_header_get_response(struct kunit *test)
{
	static const char head[] = RESP("Server: x\r\nX-Backend:  s1 \r\n");
	u32 off, len;

	assert_parses(test, head, sizeof(head) - 1, true);
	KUNIT_ASSERT_TRUE(test, spl_header_get((const u8 *)head, sizeof(head) - 1,
					       "x-backend", &off, &len));
	KUNIT_EXPECT_EQ(test, len, 2U);
	KUNIT_EXPECT_EQ(test, memcmp(head + off, "s1", 2), 0);
	KUNIT_EXPECT_FALSE(test, spl_header_get((const u8 *)head, sizeof(head) - 1,
						"HTTP/1.1 200 OK", &off, &len));
}

static const struct get_case query_param_cases[] = {
	{ "after another", "/p?a=1&sid=v#f", "sid", "v" },
	{ "first", "/p?sid=v", "sid", "v" },
	{ "after ;", "/p?a=1;sid=v", "sid", "v" },
	{ "before ;", "/p?sid=v;a=1", "sid", "v" },
	{ "fragment ends it", "/p?sid=v#x", "sid", "v" },
	{ "in the fragment", "/p?a=1#sid=v", "sid", NULL },
	{ "without =", "/p?sid&a=1", "sid", "" },
	{ "without = at the end", "/p?a=1&sid", "sid", "" },
	{ "empty value", "/p?sid=&a=1", "sid", "" },
	{ "name in another case", "/p?SID=v", "sid", "v" },
	{ "longer names", "/p?xsid=1&sidx=2", "sid", NULL },
	{ "in the path", "/sid=1?a=2", "sid", NULL },
	{ "a path parameter", "/p;sid=1?a=2", "sid", NULL },
	{ "no query", "/p", "sid", NULL },
	{ "empty query", "/p?", "sid", NULL },
	{ "empty pairs", "/p?&&sid=v&", "sid", "v" },
	{ "value with =", "/p?sid=a=b", "sid", "a=b" },
	{ "value with ?", "/p?a=?&sid=x?y", "sid", "x?y" },
	{ "first wins", "/p?sid=1&sid=2", "sid", "1" },
	{ "absolute form", "http://h/p?sid=1", "sid", "1" },
	{ "fragment before ?", "/p#x?sid=1", "sid", NULL },
	{ "asterisk", "*", "sid", NULL },
	{ "empty name asked", "/p?=1", "", NULL },
};

static void query_param_desc(const struct get_case *c, char *desc)
{
	cookie_desc(c->desc, desc);
}

KUNIT_ARRAY_PARAM(query_param, query_param_cases, query_param_desc);

static void spl_query_param_table(struct kunit *test)
{
	const struct get_case *c = test->param_value;
	u32 off = 0, len = 0;
	bool found;

	found = spl_query_param((const u8 *)c->in, strlen(c->in), c->name, &off, &len);
	expect_value(test, c, found, off, len);
}

static const struct get_case path_param_cases[] = {
	{ "before the query", "/cart;jsessionid=ABC?x=1", "jsessionid", "ABC" },
	{ "name in another case", "/cart;JSESSIONID=ABC", "jsessionid", "ABC" },
	{ "asked in another case", "/cart;jsessionid=ABC", "JSessionId", "ABC" },
	{ "before a segment", "/a;jsessionid=1/b", "jsessionid", "1" },
	{ "second parameter", "/a;x=1;jsessionid=2/b", "jsessionid", "2" },
	{ "in a later segment", "/a;x=1/b;jsessionid=3", "jsessionid", "3" },
	{ "before the fragment", "/a;jsessionid=1#f", "jsessionid", "1" },
	{ "in the query", "/p?x;jsessionid=1", "jsessionid", NULL },
	{ "in the fragment", "/p#;jsessionid=1", "jsessionid", NULL },
	{ "not after ;", "/jsessionid=1", "jsessionid", NULL },
	{ "longer name", "/a;jsessionidx=1", "jsessionid", NULL },
	{ "suffix name", "/a;xjsessionid=1", "jsessionid", NULL },
	{ "without =", "/a;jsessionid", "jsessionid", "" },
	{ "without = before a segment", "/a;jsessionid/b", "jsessionid", "" },
	{ "empty value", "/a;jsessionid=", "jsessionid", "" },
	{ "value with =", "/a;jsessionid=a=b", "jsessionid", "a=b" },
	{ "first wins", "/a;jsessionid=1;jsessionid=2", "jsessionid", "1" },
	{ "empty parameters", "/a;;;jsessionid=1", "jsessionid", "1" },
	{ "no path parameters", "/a/b", "jsessionid", NULL },
	{ "empty name asked", "/a;=1", "", NULL },
};

static void path_param_desc(const struct get_case *c, char *desc)
{
	cookie_desc(c->desc, desc);
}

KUNIT_ARRAY_PARAM(path_param, path_param_cases, path_param_desc);

static void spl_path_param_table(struct kunit *test)
{
	const struct get_case *c = test->param_value;
	u32 off = 0, len = 0;
	bool found;

	found = spl_path_param((const u8 *)c->in, strlen(c->in), c->name, &off, &len);
	expect_value(test, c, found, off, len);
}

/* ---- editing request heads ---- */

struct edit_case {
	const char *desc;
	const char *in;		/* a request head, then @tail more bytes */
	const char *out;	/* the whole buffer after the edit */
	const char *name;
	u32 tail;
	u32 plen;		/* spl_cookie_unprefix() */
	u8 sep;
};

#define POSTCL(fields)	"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n" fields "\r\nBODY"

static const struct edit_case remove_cases[] = {
	{ "only pair", REQ(CK("SID=1")), REQ(""), "SID" },
	{ "only pair, a field between others",
	  REQ("Accept: x\r\n" CK("SID=1") "X-B: y\r\n"), REQ("Accept: x\r\nX-B: y\r\n"), "SID" },
	{ "only pair with whitespace", REQ("Cookie:  SID=1 \t\r\n"), REQ(""), "SID" },
	{ "only pair, quoted", REQ(CK("SID=\"1\"")), REQ(""), "SID" },
	{ "first of two", REQ(CK("SID=1; a=2")), REQ(CK("a=2")), "SID" },
	{ "last of two", REQ(CK("a=1; SID=2")), REQ(CK("a=1")), "SID" },
	{ "first of three", REQ(CK("SID=1; a=2; b=3")), REQ(CK("a=2; b=3")), "SID" },
	{ "middle of three", REQ(CK("a=1; SID=2; b=3")), REQ(CK("a=1; b=3")), "SID" },
	{ "last of three", REQ(CK("a=1; b=2; SID=3")), REQ(CK("a=1; b=2")), "SID" },
	{ "first, no spaces", REQ(CK("SID=1;a=2;b=3")), REQ(CK("a=2;b=3")), "SID" },
	{ "middle, no spaces", REQ(CK("a=1;SID=2;b=3")), REQ(CK("a=1;b=3")), "SID" },
	{ "last, no spaces", REQ(CK("a=1;b=2;SID=3")), REQ(CK("a=1;b=2")), "SID" },
	{ "middle, odd whitespace", REQ(CK("a=1 ;  SID=2 ;\tb=3")), REQ(CK("a=1 ;  b=3")), "SID" },
	{ "every pair", REQ(CK("SID=1; SID=2")), REQ(""), "SID" },
	{ "repeated", REQ(CK("SID=1; a=2; SID=3; b=4; SID=5")), REQ(CK("a=2; b=4")), "SID" },
	{ "adjacent", REQ(CK("a=1; SID=2; SID=3; b=4")), REQ(CK("a=1; b=4")), "SID" },
	{ "two at the end", REQ(CK("a=1; SID=2; SID=3")), REQ(CK("a=1")), "SID" },
	{ "several fields",
	  REQ(CK("SID=1") CK("a=2; SID=3") "Accept: x\r\n" CK("SID=4; b=5") CK("c=6")),
	  REQ(CK("a=2") "Accept: x\r\n" CK("b=5") CK("c=6")), "SID" },
	{ "look-alike names stay", REQ(CK("ID=1; SID=2; SIDE=3; XSID=4")),
	  REQ(CK("ID=1; SIDE=3; XSID=4")), "SID" },
	{ "ID leaves SID", REQ(CK("SID=1; ID=2")), REQ(CK("SID=1")), "ID" },
	{ "names are case-sensitive", REQ(CK("sid=1; SID=2")), REQ(CK("sid=1")), "SID" },
	{ "field name in any case", REQ("cOOkie: SID=1; a=2\r\n"), REQ("cOOkie: a=2\r\n"), "SID" },
	{ "quoted in the middle", REQ(CK("a=1; SID=\"x\"; b=2")), REQ(CK("a=1; b=2")), "SID" },
	{ "value with =", REQ(CK("SID=a=b; c=d")), REQ(CK("c=d")), "SID" },
	{ "empty value", REQ(CK("a=1; SID=")), REQ(CK("a=1")), "SID" },
	{ "whitespace around =", REQ(CK("SID = 1; a=2")), REQ(CK("a=2")), "SID" },
	{ "pair without = stays", REQ(CK("SID; a=1")), REQ(CK("SID; a=1")), "SID" },
	{ "pair without = kept", REQ(CK("foo; SID=1")), REQ(CK("foo")), "SID" },
	{ "trailing semicolon", REQ(CK("a=1; SID=2;")), REQ(CK("a=1")), "SID" },
	{ "trailing whitespace stays", REQ("Cookie: a=1; SID=2 \r\n"), REQ("Cookie: a=1 \r\n"), "SID" },
	{ "leading semicolons", REQ(CK("; SID=1; a=2")), REQ(CK("a=2")), "SID" },
	{ "blank segment after", REQ(CK("SID=1; ; a=2")), REQ(CK("a=2")), "SID" },
	{ "blank segment before", REQ(CK("a=1; ; SID=2")), REQ(CK("a=1")), "SID" },
	{ "blank segment in the middle", REQ(CK("a=1; SID=2; ; b=3")), REQ(CK("a=1; b=3")), "SID" },
	{ "empty field stays", REQ("Cookie:\r\n" CK("SID=1")), REQ("Cookie:\r\n"), "SID" },
	{ "blank field stays", REQ(CK(";")), REQ(CK(";")), "SID" },
	{ "no match", REQ(CK("a=1; b=2")), REQ(CK("a=1; b=2")), "SID" },
	{ "other fields untouched", REQ("X-Cookie: SID=1\r\nSet-Cookie: SID=2\r\n"),
	  REQ("X-Cookie: SID=1\r\nSet-Cookie: SID=2\r\n"), "SID" },
	{ "leading empty lines", "\r\nGET / HTTP/1.1\r\nHost: a\r\n" CK("SID=1; a=2") "\r\n",
	  "\r\nGET / HTTP/1.1\r\nHost: a\r\n" CK("a=2") "\r\n", "SID" },
	{ "the tail moves", POSTCL(CK("a=1; SID=2")), POSTCL(CK("a=1")), "SID", 4 },
	{ "the tail moves, line gone", POSTCL(CK("SID=2") "X-A: b\r\n"), POSTCL("X-A: b\r\n"),
	  "SID", 4 },
	{ "the tail stays", POSTCL(CK("a=1")), POSTCL(CK("a=1")), "SID", 4 },
	{ "empty name asked", REQ(CK("=1; a=2")), REQ(CK("=1; a=2")), "" },
};

static void edit_case_desc(const struct edit_case *c, char *desc)
{
	cookie_desc(c->desc, desc);
}

KUNIT_ARRAY_PARAM(remove, remove_cases, edit_case_desc);

static const struct edit_case unprefix_cases[] = {
	{ "the prefix goes", REQ(CK("SID=s1~abc")), REQ(CK("SID=abc")), "SID", 0, 2, '~' },
	{ "inside quotes", REQ(CK("SID=\"s1~abc\"")), REQ(CK("SID=\"abc\"")), "SID", 0, 2, '~' },
	{ "among others", REQ(CK("a=1; SID=s1~abc; b=2")), REQ(CK("a=1; SID=abc; b=2")),
	  "SID", 0, 2, '~' },
	{ "whitespace around =", REQ(CK("SID = s1~abc")), REQ(CK("SID = abc")), "SID", 0, 2, '~' },
	{ "only the first separator", REQ(CK("SID=s1~a~b")), REQ(CK("SID=a~b")), "SID", 0, 2, '~' },
	{ "the value becomes empty", REQ(CK("SID=s1~")), REQ(CK("SID=")), "SID", 0, 2, '~' },
	{ "quoted, becomes empty", REQ(CK("SID=\"s1~\"")), REQ(CK("SID=\"\"")), "SID", 0, 2, '~' },
	{ "no prefix length", REQ(CK("SID=~abc")), REQ(CK("SID=abc")), "SID", 0, 0, '~' },
	{ "separator too late", REQ(CK("SID=s12~abc")), REQ(CK("SID=s12~abc")), "SID", 0, 2, '~' },
	{ "separator too early", REQ(CK("SID=s~1~abc")), REQ(CK("SID=s~1~abc")), "SID", 0, 3, '~' },
	{ "no separator", REQ(CK("SID=s1abc")), REQ(CK("SID=s1abc")), "SID", 0, 2, '~' },
	{ "value as long as the prefix", REQ(CK("SID=s1")), REQ(CK("SID=s1")), "SID", 0, 2, '~' },
	{ "empty value", REQ(CK("SID=")), REQ(CK("SID=")), "SID", 0, 2, '~' },
	{ "huge prefix length", REQ(CK("SID=s1~abc")), REQ(CK("SID=s1~abc")), "SID", 0,
	  0xffffffff, '~' },
	{ "another separator", REQ(CK("SID=s1.abc")), REQ(CK("SID=abc")), "SID", 0, 2, '.' },
	{ "the wrong separator", REQ(CK("SID=s1.abc")), REQ(CK("SID=s1.abc")), "SID", 0, 2, '~' },
	{ "every pair, every field",
	  REQ(CK("SID=s1~a; x=s1~b; SID=s2~c") CK("SID=s3~d")),
	  REQ(CK("SID=a; x=s1~b; SID=c") CK("SID=d")), "SID", 0, 2, '~' },
	{ "look-alike names stay", REQ(CK("ID=s1~a; SID=s1~b; IDX=s1~c")),
	  REQ(CK("ID=a; SID=s1~b; IDX=s1~c")), "ID", 0, 2, '~' },
	{ "names are case-sensitive", REQ(CK("sid=s1~a; SID=s1~b")),
	  REQ(CK("sid=s1~a; SID=b")), "SID", 0, 2, '~' },
	{ "pair without =", REQ(CK("SID; s1~abc")), REQ(CK("SID; s1~abc")), "SID", 0, 2, '~' },
	{ "not in other fields", REQ("X-Cookie: SID=s1~a\r\n"), REQ("X-Cookie: SID=s1~a\r\n"),
	  "SID", 0, 2, '~' },
	{ "the tail moves", POSTCL(CK("SID=s1~a; b=2")), POSTCL(CK("SID=a; b=2")), "SID", 4, 2, '~' },
	{ "the tail stays", POSTCL(CK("SID=a; b=2")), POSTCL(CK("SID=a; b=2")), "SID", 4, 2, '~' },
	{ "empty name asked", REQ(CK("=s1~a")), REQ(CK("=s1~a")), "", 0, 2, '~' },
};

KUNIT_ARRAY_PARAM(unprefix, unprefix_cases, edit_case_desc);

static void run_edit(struct kunit *test, const struct edit_case *c, bool unprefix)
{
	u32 in_len = strlen(c->in), out_len = strlen(c->out), head;
	u8 *buf;

	/* Arrange: exactly the input, then the canary */
	assert_parses(test, c->in, in_len - c->tail, false);
	buf = setup(test, c->in, in_len);
	/* Act */
	if (unprefix)
		head = spl_cookie_unprefix(buf, in_len - c->tail, c->tail, c->name,
					   c->plen, c->sep);
	else
		head = spl_cookie_remove(buf, in_len - c->tail, c->tail, c->name);
	/* Assert: the head length, the whole buffer, nothing written past it */
	KUNIT_ASSERT_EQ(test, head, out_len - c->tail);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(buf, c->out, out_len), 0, "got: %.*s",
			    (int)out_len, buf);
	expect_canary(test, buf, in_len);
	assert_parses(test, buf, head, false);
}

static void spl_cookie_remove_table(struct kunit *test)
{
	const struct edit_case *c = test->param_value;
	u32 off, len;

	run_edit(test, c, false);
	/* nothing named so is left */
	if (*c->name)
		KUNIT_EXPECT_FALSE(test, spl_cookie_get((const u8 *)c->out,
							strlen(c->out) - c->tail,
							c->name, &off, &len));
}

static void spl_cookie_unprefix_table(struct kunit *test)
{
	run_edit(test, test->param_value, true);
}

/* ---- rewriting response heads ---- */

struct resp_case {
	const char *desc;
	const char *in;		/* a response head, then @tail more bytes */
	const char *out;
	const char *prefix_name;
	const char *prefix;
	const char *lines;
	u32 tail;
};

#define X_LINES		"X-Backend: s1\r\nX-Other: 2\r\n"

static const struct resp_case resp_cases[] = {
	{ "prefix", RESP(SC("SID=abc; Path=/")), RESP(SC("SID=s1~abc; Path=/")), "SID", "s1~" },
	{ "prefix, no attributes", RESP(SC("SID=abc")), RESP(SC("SID=s1~abc")), "SID", "s1~" },
	{ "prefix, quoted", RESP(SC("SID=\"abc\"; Path=/")), RESP(SC("SID=\"s1~abc\"; Path=/")),
	  "SID", "s1~" },
	{ "prefix, empty value", RESP(SC("SID=; Max-Age=0")), RESP(SC("SID=s1~; Max-Age=0")),
	  "SID", "s1~" },
	{ "prefix, whitespace", RESP("Set-Cookie:SID = abc \r\n"), RESP("Set-Cookie:SID = s1~abc \r\n"),
	  "SID", "s1~" },
	{ "prefix every match",
	  RESP(SC("SID=1") "Server: x\r\n" SC("a=2") SC("SID=3; Path=/")),
	  RESP(SC("SID=s1~1") "Server: x\r\n" SC("a=2") SC("SID=s1~3; Path=/")), "SID", "s1~" },
	{ "field name in any case", RESP("set-cookie: SID=1\r\n"), RESP("set-cookie: SID=s1~1\r\n"),
	  "SID", "s1~" },
	{ "look-alike names stay", RESP(SC("ID=1") SC("SIDE=2") SC("a=3; SID=4")),
	  RESP(SC("ID=1") SC("SIDE=2") SC("a=3; SID=4")), "SID", "s1~" },
	{ "names are case-sensitive", RESP(SC("sid=1") SC("SID=2")),
	  RESP(SC("sid=1") SC("SID=s1~2")), "SID", "s1~" },
	{ "cookie-pair without =", RESP(SC("SID; Path=/")), RESP(SC("SID; Path=/")), "SID", "s1~" },
	{ "not in cookie", RESP(CK("SID=1")), RESP(CK("SID=1")), "SID", "s1~" },
	{ "lines", RESP("Server: x\r\n"), RESP("Server: x\r\n" X_LINES), NULL, NULL, X_LINES },
	{ "lines, no fields", "HTTP/1.1 204 No Content\r\n\r\n",
	  "HTTP/1.1 204 No Content\r\n" X_LINES "\r\n", NULL, NULL, X_LINES },
	{ "prefix and lines", RESP(SC("SID=1") "Server: x\r\n"),
	  RESP(SC("SID=s1~1") "Server: x\r\n" X_LINES), "SID", "s1~", X_LINES },
	{ "the tail moves",
	  RESP("Content-Length: 5\r\n" SC("SID=1") SC("SID=2")) "hello",
	  RESP("Content-Length: 5\r\n" SC("SID=s1~1") SC("SID=s1~2") X_LINES) "hello",
	  "SID", "s1~", X_LINES, 5 },
	{ "the tail moves, lines only", RESP("Content-Length: 5\r\n") "hello",
	  RESP("Content-Length: 5\r\n" X_LINES) "hello", "SID", "s1~", X_LINES, 5 },
	{ "nothing to do", RESP(SC("a=1")) "xy", RESP(SC("a=1")) "xy", "SID", "s1~", NULL, 2 },
	{ "nothing asked", RESP(SC("SID=1")), RESP(SC("SID=1")), NULL, NULL },
	{ "empty prefix", RESP(SC("SID=1")), RESP(SC("SID=1")), "SID", "" },
	{ "empty prefix name", RESP(SC("=1")), RESP(SC("=1")), "", "s1~" },
};

static void resp_case_desc(const struct resp_case *c, char *desc)
{
	cookie_desc(c->desc, desc);
}

KUNIT_ARRAY_PARAM(resp_rw, resp_cases, resp_case_desc);

static void spl_resp_rewrite_table(struct kunit *test)
{
	const struct resp_case *c = test->param_value;
	const struct spl_resp_rewrite rw = {
		.prefix_name = c->prefix_name,
		.prefix = (const u8 *)c->prefix,
		.prefix_len = c->prefix ? strlen(c->prefix) : 0,
		.lines = (const u8 *)c->lines,
		.lines_len = c->lines ? strlen(c->lines) : 0,
	};
	u32 in_len = strlen(c->in), out_len = strlen(c->out);
	u8 *buf;
	int head;

	assert_parses(test, c->in, in_len - c->tail, true);
	/* one byte short: refused, nothing changed, nothing written past it */
	buf = setup(test, c->in, out_len - 1);
	head = spl_resp_rewrite(buf, in_len - c->tail, c->tail, out_len - 1, &rw);
	KUNIT_EXPECT_EQ(test, head, -1);
	KUNIT_EXPECT_EQ(test, memcmp(buf, c->in, min(in_len, out_len - 1)), 0);
	expect_canary(test, buf, out_len - 1);

	/* exactly the room needed */
	buf = setup(test, c->in, out_len);
	head = spl_resp_rewrite(buf, in_len - c->tail, c->tail, out_len, &rw);
	KUNIT_ASSERT_EQ(test, head, (int)(out_len - c->tail));
	KUNIT_EXPECT_EQ_MSG(test, memcmp(buf, c->out, out_len), 0, "got: %.*s",
			    (int)out_len, buf);
	expect_canary(test, buf, out_len);
	assert_parses(test, buf, head, true);
}

static void spl_resp_rewrite_overflow(struct kunit *test)
{
	static const char in[] = RESP(SC("SID=1") SC("SID=2"));
	const struct spl_resp_rewrite rw = {
		.prefix_name = "SID", .prefix = (const u8 *)"x", .prefix_len = 0x80000000U,
	};
	u8 buf[sizeof(in) + 8];

	/* two prefixes of 2^31 bytes: more than any cap, no wrapping around */
	memcpy(buf, in, sizeof(in));
	KUNIT_EXPECT_EQ(test, spl_resp_rewrite(buf, sizeof(in) - 1, 0, 0xffffffffU, &rw), -1);
	KUNIT_EXPECT_EQ(test, memcmp(buf, in, sizeof(in)), 0);
}

static void spl_resp_rewrite_request_head(struct kunit *test)
{
	/* a request head has the same shape: the first line is left alone */
	static const char in[] = "\r\nGET /Set-Cookie:SID=1 HTTP/1.1\r\nHost: a\r\n" SC("SID=1") "\r\n";
	static const char out[] = "\r\nGET /Set-Cookie:SID=1 HTTP/1.1\r\nHost: a\r\n" SC("SID=p.1") "\r\n";
	const struct spl_resp_rewrite rw = {
		.prefix_name = "SID", .prefix = (const u8 *)"p.", .prefix_len = 2,
	};
	u8 buf[sizeof(out)];

	memcpy(buf, in, sizeof(in));
	KUNIT_ASSERT_EQ(test, spl_resp_rewrite(buf, sizeof(in) - 1, 0, sizeof(buf) - 1, &rw),
			(int)sizeof(out) - 1);
	KUNIT_EXPECT_EQ(test, memcmp(buf, out, sizeof(out) - 1), 0);
}

/* The prefix the response got is what the next request's cookie loses. */
static void spl_cookie_round_trip(struct kunit *test)
{
	static const char resp[] = RESP(SC("SID=\"abc\"; Path=/") SC("a=1"));
	static const char req[] = REQ(CK("a=1; SID=\"s07~abc\""));
	const struct spl_resp_rewrite rw = {
		.prefix_name = "SID", .prefix = (const u8 *)"s07~", .prefix_len = 4,
	};
	u8 buf[128];
	u32 off, len, off2, len2, head;

	memcpy(buf, resp, sizeof(resp));
	KUNIT_ASSERT_EQ(test, spl_resp_rewrite(buf, sizeof(resp) - 1, 0, sizeof(buf), &rw),
			(int)sizeof(resp) - 1 + 4);
	KUNIT_ASSERT_TRUE(test, spl_set_cookie_get(buf, sizeof(resp) - 1 + 4, "SID",
						   &off, &len));
	KUNIT_ASSERT_TRUE(test, spl_cookie_get((const u8 *)req, sizeof(req) - 1, "SID",
					       &off2, &len2));
	KUNIT_ASSERT_EQ(test, len, len2);
	KUNIT_EXPECT_EQ(test, memcmp(buf + off, req + off2, len), 0);

	memcpy(buf, req, sizeof(req));
	head = spl_cookie_unprefix(buf, sizeof(req) - 1, 0, "SID", 3, '~');
	KUNIT_ASSERT_EQ(test, head, (u32)sizeof(req) - 1 - 4);
	KUNIT_ASSERT_TRUE(test, spl_cookie_get(buf, head, "SID", &off, &len));
	KUNIT_EXPECT_EQ(test, len, 3U);
	KUNIT_EXPECT_EQ(test, memcmp(buf + off, "abc", 3), 0);
}

static struct kunit_case spl_cookie_cases[] = {
	KUNIT_CASE_PARAM(spl_cookie_get_table, cookie_get_gen_params),
	KUNIT_CASE_PARAM(spl_set_cookie_get_table, set_cookie_get_gen_params),
	KUNIT_CASE_PARAM(spl_header_get_table, header_get_gen_params),
	KUNIT_CASE(spl_header_get_response),
	KUNIT_CASE_PARAM(spl_query_param_table, query_param_gen_params),
	KUNIT_CASE_PARAM(spl_path_param_table, path_param_gen_params),
	KUNIT_CASE_PARAM(spl_cookie_remove_table, remove_gen_params),
	KUNIT_CASE_PARAM(spl_cookie_unprefix_table, unprefix_gen_params),
	KUNIT_CASE_PARAM(spl_resp_rewrite_table, resp_rw_gen_params),
	KUNIT_CASE(spl_resp_rewrite_overflow),
	KUNIT_CASE(spl_resp_rewrite_request_head),
	KUNIT_CASE(spl_cookie_round_trip),
	{}
};

struct kunit_suite spl_cookie_test_suite = {
	.name = "spl_cookie",
	.test_cases = spl_cookie_cases,
};
