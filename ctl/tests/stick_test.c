// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the stick table half of ctl/persistence.c: the STICK nest
 * of STICK_NEW (and of the STICK_GET/STICK_DEL filter) taken apart
 * attribute by attribute, a reply's nest decoded, keys as people see them,
 * the line format of "stick export" / "stick import" both ways (every
 * refusal, with its reason and line number), and whole exports read back
 * into the same entries, and the check of entries against the service's
 * mode and masks that import makes before sending anything.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/splicer.h>

#include "../persistence.h"

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

#define S(x) (1u << SPLICER_STICK_A_##x)

/* ---- one line ---- */

static struct stick parse_ok(const char *line)
{
	struct stick e;
	char err[192] = "";
	int r = stick_line_parse(line, &e, err, sizeof(err));

	CHECK(r == 1, "\"%s\": %d (%s)", line, r, err);
	return e;
}

static void parse_skip(const char *line)
{
	struct stick e;
	char err[192] = "";

	CHECK(stick_line_parse(line, &e, err, sizeof(err)) == 0, "\"%s\" not skipped (%s)",
	      line, err);
}

static void parse_bad(const char *line, const char *reason)
{
	struct stick e;
	char err[192] = "";

	CHECK(stick_line_parse(line, &e, err, sizeof(err)) == -1, "\"%s\" accepted", line);
	CHECK(strstr(err, reason), "\"%s\": reason \"%s\", want \"%s\"", line, err, reason);
}

static void test_lines(void)
{
	struct stick e;
	char key129[160], key128[160], line[256];

	e = parse_ok("session abc123 s1 42");
	CHECK(e.kind == SPLICER_STICK_SESSION && e.key_len == 6 &&
	      !memcmp(e.key, "abc123", 6) && !strcmp(e.server, "s1") && e.idle == 42,
	      "session fields");
	CHECK(e.has == (S(KIND) | S(KEY) | S(SERVER) | S(IDLE)), "session has 0x%x", e.has);

	e = parse_ok("source 198.18.0.0/24 s2 3600\n");
	CHECK(e.kind == SPLICER_STICK_SOURCE && e.family == AF_INET && e.prefix == 24 &&
	      e.key_len == 4 && !memcmp(e.key, "\xc6\x12\x00\x00", 4) &&
	      !strcmp(e.server, "s2") && e.idle == 3600, "source v4 fields");
	CHECK(e.has == (S(KIND) | S(KEY) | S(FAMILY) | S(PREFIX) | S(SERVER) | S(IDLE)),
	      "source has 0x%x", e.has);

	e = parse_ok("source 2001:db8::/48 web-1 0\r\n");
	CHECK(e.family == AF_INET6 && e.prefix == 48 && e.key_len == 16 &&
	      !memcmp(e.key, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\0", 16) && e.idle == 0,
	      "source v6 fields");
	e = parse_ok("source 198.18.0.1/32 s1 5");
	CHECK(e.prefix == 32 && e.key[3] == 1, "a /32");
	e = parse_ok("source ::1/128 s1 5");
	CHECK(e.prefix == 128 && e.key[15] == 1, "a /128");
	e = parse_ok("source 0.0.0.0/1 s1 5");
	CHECK(e.prefix == 1, "a /1");
	e = parse_ok("source 128.0.0.0/1 s1 5");
	CHECK(e.key[0] == 0x80, "128/1");

	/* Blanks around and between; tabs; IDLE as a duration. */
	e = parse_ok("  session\tk#1\\\"x   s1\t 2m  ");
	CHECK(e.key_len == 6 && !memcmp(e.key, "k#1\\\"x", 6) && e.idle == 120,
	      "blanks, tabs, '#', '\\\\', '\"' in a key");
	e = parse_ok("session ~!} s1 4294967295");
	CHECK(e.idle == 4294967295u && e.key_len == 3, "idle max");

	memset(key128, 'k', 128);
	key128[128] = '\0';
	snprintf(line, sizeof(line), "session %s s1 1", key128);
	e = parse_ok(line);
	CHECK(e.key_len == 128, "128-byte key");

	parse_skip("");
	parse_skip("\n");
	parse_skip("   \t \r\n");
	parse_skip("# a comment");
	parse_skip("   # session k s1 1");

	parse_bad("session", "1 word: expected \"session KEY SERVER IDLE\"");
	parse_bad("session k s1", "3 words");
	parse_bad("session k s1 1 extra", "5 words");
	parse_bad("session k s1 1 a b c", "too many words");
	parse_bad("cookie k s1 1", "\"cookie\": not session or source");
	parse_bad("Session k s1 1", "not session or source");
	parse_bad("sessions k s1 1", "not session or source");
	memset(key129, 'k', 129);
	key129[129] = '\0';
	snprintf(line, sizeof(line), "session %s s1 1", key129);
	parse_bad(line, "session key of 129 bytes: at most 128");
	parse_bad("session a\x01" "b s1 1", "byte 0x01 is not printable ASCII (0x21-0x7e)");
	parse_bad("session a\x7f s1 1", "byte 0x7f");
	parse_bad("session caf\xc3\xa9 s1 1", "byte 0xc3");
	parse_bad("session k\rx s1 1", "carriage return");
	parse_bad("session k bad/name 1", "server \"bad/name\": names may only use");
	parse_bad("session k aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1", "longer than 31");
	parse_bad("session k s1 -1", "idle \"-1\": not a duration");
	parse_bad("session k s1 1.5", "not a duration");
	parse_bad("session k s1 500ms", "less than a second");
	parse_bad("session k s1 4294967296", "too long");
	parse_bad("session k s1 x", "not a duration");
	parse_bad("source 198.18.0.1 s1 1", "source \"198.18.0.1\": missing /PREFIX");
	parse_bad("source 198.18.0.1/24 s1 1", "bits set past the prefix length");
	parse_bad("source 198.18.0.192/25 s1 1", "bits set past");
	e = parse_ok("source 198.18.0.128/25 s1 1");
	CHECK(e.prefix == 25 && e.key[3] == 0x80, "198.18.0.128/25");
	parse_bad("source fe80::1/10 s1 1", "bits set past");
	parse_bad("source 2001:db8::1/64 s1 1", "bits set past");
	parse_bad("source 198.18.0.0/33 s1 1", "prefix length out of range (1..32)");
	parse_bad("source 198.18.0.0/0 s1 1", "out of range (1..32)");
	parse_bad("source ::/129 s1 1", "out of range (1..128)");
	parse_bad("source 198.18.0.0/x s1 1", "prefix length not a number");
	parse_bad("source 198.18.0.0/ s1 1", "not a number");
	parse_bad("source 198.18.0.0/+8 s1 1", "not a number");
	parse_bad("source 300.1.1.0/24 s1 1", "not an IPv4 address");
	parse_bad("source 198.18.0/24 s1 1", "not an IPv4 address");
	parse_bad("source 2001:db8:::/48 s1 1", "not an IPv6 address");
	parse_bad("source [2001:db8::]/48 s1 1", "not an IPv6 address");
	parse_bad("source /24 s1 1", "not an address");
	parse_bad("source fe80::1%eth0/128 s1 1", "not an IPv6 address");
	parse_bad("source 2001:0db8:0000:0000:0000:0000:0000:0000:0000/64 s1 1", "source");
}

/* ---- keys and export lines ---- */

static struct stick entry(uint8_t kind, const void *key, size_t len, uint16_t family,
			  uint8_t prefix, const char *server, uint32_t idle)
{
	struct stick e = { 0 };

	e.kind = kind;
	memcpy(e.key, key, len);
	e.key_len = (uint32_t)len;
	SET(&e, SPLICER_STICK_A_KIND);
	SET(&e, SPLICER_STICK_A_KEY);
	if (family) {
		e.family = family;
		e.prefix = prefix;
		SET(&e, SPLICER_STICK_A_FAMILY);
		SET(&e, SPLICER_STICK_A_PREFIX);
	}
	snprintf(e.server, sizeof(e.server), "%s", server);
	SET(&e, SPLICER_STICK_A_SERVER);
	e.idle = idle;
	SET(&e, SPLICER_STICK_A_IDLE);
	return e;
}

static void key_is(const struct stick *e, const char *want, bool want_ok)
{
	char buf[STICK_KEY_STR_MAX];
	bool ok = stick_key_format(e, buf, sizeof(buf));

	CHECK(ok == want_ok && !strcmp(buf, want), "key \"%s\" (%d), want \"%s\" (%d)",
	      buf, ok, want, want_ok);
}

static void line_is(const struct stick *e, const char *want)
{
	char buf[STICK_LINE_MAX];
	bool ok = stick_line_format(e, buf, sizeof(buf));

	if (want)
		CHECK(ok && !strcmp(buf, want), "line \"%s\", want \"%s\"", buf, want);
	else
		CHECK(!ok, "line \"%s\" written", buf);
}

static void test_format(void)
{
	struct stick e;
	char big[129];

	e = entry(SPLICER_STICK_SESSION, "abc#\\\"", 6, 0, 0, "s1", 42);
	key_is(&e, "abc#\\\"", true);
	line_is(&e, "session abc#\\\" s1 42\n");

	e = entry(SPLICER_STICK_SOURCE, "\xc6\x12\x00\x00", 4, AF_INET, 24, "s2", 3600);
	key_is(&e, "198.18.0.0/24", true);
	line_is(&e, "source 198.18.0.0/24 s2 3600\n");

	e = entry(SPLICER_STICK_SOURCE, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\0", 16,
		  AF_INET6, 48, "s3", 0);
	key_is(&e, "2001:db8::/48", true);
	line_is(&e, "source 2001:db8::/48 s3 0\n");

	/* A session key import could not read: shown escaped, never exported. */
	e = entry(SPLICER_STICK_SESSION, "a b\x01\xff", 5, 0, 0, "s1", 1);
	key_is(&e, "a\\x20b\\x01\\xff", false);
	line_is(&e, NULL);
	e = entry(SPLICER_STICK_SESSION, "a\x7f", 2, 0, 0, "s1", 1);
	line_is(&e, NULL);

	/* A source key that does not match its family, or a bad prefix. */
	e = entry(SPLICER_STICK_SOURCE, "\xc6\x12\x00", 3, AF_INET, 24, "s1", 1);
	key_is(&e, "\\xc6\\x12\\x00", false);
	line_is(&e, NULL);
	e = entry(SPLICER_STICK_SOURCE, "\xc6\x12\x00\x00", 4, AF_INET, 33, "s1", 1);
	line_is(&e, NULL);
	e = entry(SPLICER_STICK_SOURCE, "\xc6\x12\x00\x00", 4, AF_INET, 0, "s1", 1);
	line_is(&e, NULL);
	e = entry(SPLICER_STICK_SOURCE, "\xc6\x12\x00\x00", 4, 7, 24, "s1", 1);
	line_is(&e, NULL);

	/* An unknown kind, no server, no key. */
	e = entry(9, "abc", 3, 0, 0, "s1", 1);
	key_is(&e, "\\x61\\x62\\x63", false);
	line_is(&e, NULL);
	e = entry(SPLICER_STICK_SESSION, "abc", 3, 0, 0, "", 1);
	line_is(&e, NULL);
	e = entry(SPLICER_STICK_SESSION, "abc", 3, 0, 0, "s1", 1);
	e.has &= ~S(KEY);
	e.key_len = 0;
	line_is(&e, NULL);

	/* The longest key, every byte escaped, still fits. */
	memset(big, 0x01, 128);
	e = entry(SPLICER_STICK_SESSION, big, 128, 0, 0, "s1", 1);
	{
		char buf[STICK_KEY_STR_MAX];

		CHECK(!stick_key_format(&e, buf, sizeof(buf)) && strlen(buf) == 4 * 128,
		      "128 escaped bytes: %zu", strlen(buf));
	}
}

/* Every line of text: format -> parse gives the same entry. */
static void round_trip(const struct stick *e)
{
	char buf[STICK_LINE_MAX], err[192] = "";
	struct stick back;

	if (!stick_line_format(e, buf, sizeof(buf))) {
		CHECK(0, "not written");
		return;
	}
	CHECK(stick_line_parse(buf, &back, err, sizeof(err)) == 1, "\"%s\": %s", buf, err);
	CHECK(back.kind == e->kind && back.key_len == e->key_len &&
	      !memcmp(back.key, e->key, e->key_len) && !strcmp(back.server, e->server) &&
	      back.idle == e->idle && back.has == e->has &&
	      (e->kind != SPLICER_STICK_SOURCE ||
	       (back.family == e->family && back.prefix == e->prefix)),
	      "\"%s\" read back differently", buf);
}

static void test_round_trip(void)
{
	char all[0x7e - 0x21 + 1];
	struct stick e;
	int c;

	for (c = 0x21; c <= 0x7e; c++)
		all[c - 0x21] = (char)c;
	e = entry(SPLICER_STICK_SESSION, all, sizeof(all), 0, 0, "s1", 0);
	round_trip(&e);		/* every printable byte */
	e = entry(SPLICER_STICK_SESSION, "#", 1, 0, 0, "a.b-c_D", 4294967295u);
	round_trip(&e);
	e = entry(SPLICER_STICK_SOURCE, "\x0a\x00\x00\x00", 4, AF_INET, 8, "s1", 7);
	round_trip(&e);
	e = entry(SPLICER_STICK_SOURCE, "\xc6\x12\x00\x01", 4, AF_INET, 32, "s1", 7);
	round_trip(&e);
	e = entry(SPLICER_STICK_SOURCE, "\x20\x01\x0d\xb8\x00\x01\0\0\0\0\0\0\0\0\0\0", 16,
		  AF_INET6, 48, "s9", 86400);
	round_trip(&e);
	e = entry(SPLICER_STICK_SOURCE, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16,
		  AF_INET6, 128, "s9", 1);
	round_trip(&e);
}

/* ---- whole files ---- */

static int read_text(const char *text, struct stick_list *list, unsigned int *lineno,
		     char *err, size_t errlen)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	r = stick_read(f, "web", list, lineno, err, errlen);
	fclose(f);
	return r;
}

static void test_files(void)
{
	struct stick_list list = { 0 }, back = { 0 };
	char err[192], *buf = NULL;
	unsigned int lineno;
	size_t len = 0, i;
	FILE *f;

	CHECK(!read_text("# exported\n"
			 "session abc s1 42\n"
			 "\n"
			 "source 198.18.0.0/24 s2 3600\n"
			 "source 2001:db8::/48 s3 0",		/* no final newline */
			 &list, &lineno, err, sizeof(err)), "read: %s", err);
	CHECK(list.n == 3, "%zu entries", list.n);
	if (list.n == 3) {
		CHECK(list.v[0].line == 2 && list.v[1].line == 4 && list.v[2].line == 5,
		      "line numbers %u %u %u", list.v[0].line, list.v[1].line, list.v[2].line);
		for (i = 0; i < 3; i++)
			CHECK(HAS(&list.v[i], SPLICER_STICK_A_SERVICE) &&
			      !strcmp(list.v[i].service, "web"), "entry %zu: SERVICE", i);
	}

	/* Export the entries, import the export: the same entries. */
	f = open_memstream(&buf, &len);
	for (i = 0; i < list.n; i++) {
		char line[STICK_LINE_MAX];

		CHECK(stick_line_format(&list.v[i], line, sizeof(line)), "format %zu", i);
		fputs(line, f);
	}
	fclose(f);
	CHECK(!strcmp(buf, "session abc s1 42\n"
		      "source 198.18.0.0/24 s2 3600\n"
		      "source 2001:db8::/48 s3 0\n"), "export:\n%s", buf);
	CHECK(!read_text(buf, &back, &lineno, err, sizeof(err)), "re-read: %s", err);
	CHECK(back.n == list.n, "%zu entries back", back.n);
	for (i = 0; i < back.n && i < list.n; i++) {
		back.v[i].line = list.v[i].line;
		CHECK(!memcmp(&back.v[i], &list.v[i], sizeof(back.v[i])), "entry %zu differs", i);
	}
	free(buf);
	LIST_FREE(&back);
	LIST_FREE(&list);

	/* The first bad line is named, after the good ones before it. */
	CHECK(read_text("session a s1 1\n"
			"session b s1 1\n"
			"session c s1\n"
			"session d s1 x\n", &list, &lineno, err, sizeof(err)) == -1,
	      "bad file accepted");
	CHECK(lineno == 3 && strstr(err, "3 words"), "line %u: %s", lineno, err);
	LIST_FREE(&list);

	CHECK(read_text("session a s1 1\nsource 10.0.0.1/8 s1 1\n", &list, &lineno,
			err, sizeof(err)) == -1 && lineno == 2 && strstr(err, "bits set"),
	      "line %u: %s", lineno, err);
	LIST_FREE(&list);

	{
		static const char nul[] = "session a s1 1\nsession b\0x s1 1\n";
		FILE *g = fmemopen((void *)nul, sizeof(nul) - 1, "r");

		CHECK(stick_read(g, "web", &list, &lineno, err, sizeof(err)) == -1 &&
		      lineno == 2 && strstr(err, "NUL"), "NUL: line %u: %s", lineno, err);
		fclose(g);
		LIST_FREE(&list);
	}

	/* An empty file is an empty table. */
	CHECK(!read_text("", &list, &lineno, err, sizeof(err)) && !list.n, "empty file");
	CHECK(!read_text("# nothing\n\n", &list, &lineno, err, sizeof(err)) && !list.n,
	      "comments only");
}

/* ---- the nest ---- */

static void test_nest(void)
{
	struct nlattr *ttb[SPLICER_A_MAX + 1], *tb[SPLICER_STICK_A_MAX + 1];
	struct stick e, back;
	struct genlmsghdr *g;
	struct nl_msg *m;
	uint32_t got;
	int i;

	e = entry(SPLICER_STICK_SOURCE, "\xc6\x12\x00\x00", 4, AF_INET, 24, "s2", 3600);
	snprintf(e.service, sizeof(e.service), "web");
	SET(&e, SPLICER_STICK_A_SERVICE);

	m = nlmsg_alloc();
	genlmsg_put(m, 1, 1, 0x20, 0, 0, SPLICER_CMD_STICK_NEW, SPLICER_FAMILY_VERSION);
	CHECK(!stick_put(m, &e), "stick_put");
	g = nlmsg_data(nlmsg_hdr(m));
	CHECK(!nla_parse(ttb, SPLICER_A_MAX, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
			 NULL), "top level");
	for (i = 0, got = 0; i <= SPLICER_A_MAX; i++)
		if (ttb[i])
			got |= 1u << i;
	CHECK(got == 1u << SPLICER_A_STICK, "top level 0x%x", got);
	CHECK(ttb[SPLICER_A_STICK]->nla_type & NLA_F_NESTED, "STICK not NLA_F_NESTED");
	CHECK(!nla_parse_nested(tb, SPLICER_STICK_A_MAX, ttb[SPLICER_A_STICK], NULL), "nest");
	for (i = 0, got = 0; i <= SPLICER_STICK_A_MAX; i++)
		if (tb[i])
			got |= 1u << i;
	CHECK(got == (S(SERVICE) | S(KIND) | S(KEY) | S(FAMILY) | S(PREFIX) | S(SERVER) |
		      S(IDLE)), "source attributes 0x%x", got);
	CHECK(nla_len(tb[SPLICER_STICK_A_SERVICE]) == 4 &&
	      !strcmp(nla_data(tb[SPLICER_STICK_A_SERVICE]), "web"), "SERVICE");
	CHECK(nla_len(tb[SPLICER_STICK_A_KIND]) == 1 &&
	      nla_get_u8(tb[SPLICER_STICK_A_KIND]) == SPLICER_STICK_SOURCE, "KIND");
	CHECK(nla_len(tb[SPLICER_STICK_A_KEY]) == 4 &&
	      !memcmp(nla_data(tb[SPLICER_STICK_A_KEY]), "\xc6\x12\x00\x00", 4), "KEY");
	CHECK(nla_len(tb[SPLICER_STICK_A_FAMILY]) == 2 &&
	      nla_get_u16(tb[SPLICER_STICK_A_FAMILY]) == AF_INET, "FAMILY");
	CHECK(nla_len(tb[SPLICER_STICK_A_PREFIX]) == 1 &&
	      nla_get_u8(tb[SPLICER_STICK_A_PREFIX]) == 24, "PREFIX");
	CHECK(nla_len(tb[SPLICER_STICK_A_SERVER]) == 3 &&
	      !strcmp(nla_data(tb[SPLICER_STICK_A_SERVER]), "s2"), "SERVER");
	CHECK(nla_len(tb[SPLICER_STICK_A_IDLE]) == 4 &&
	      nla_get_u32(tb[SPLICER_STICK_A_IDLE]) == 3600, "IDLE");

	/* What the kernel sends back decodes to the same entry. */
	CHECK(!stick_parse(ttb[SPLICER_A_STICK], &back), "stick_parse");
	back.line = e.line;
	CHECK(!memcmp(&back, &e, sizeof(e)), "decoded entry differs");
	nlmsg_free(m);

	/* A session entry has no FAMILY or PREFIX. */
	e = entry(SPLICER_STICK_SESSION, "abc", 3, 0, 0, "s1", 1);
	m = nlmsg_alloc();
	genlmsg_put(m, 1, 1, 0x20, 0, 0, SPLICER_CMD_STICK_NEW, SPLICER_FAMILY_VERSION);
	stick_put(m, &e);
	g = nlmsg_data(nlmsg_hdr(m));
	nla_parse(ttb, SPLICER_A_MAX, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), NULL);
	nla_parse_nested(tb, SPLICER_STICK_A_MAX, ttb[SPLICER_A_STICK], NULL);
	for (i = 0, got = 0; i <= SPLICER_STICK_A_MAX; i++)
		if (tb[i])
			got |= 1u << i;
	CHECK(got == (S(KIND) | S(KEY) | S(SERVER) | S(IDLE)), "session attributes 0x%x", got);
	CHECK(nla_len(tb[SPLICER_STICK_A_KEY]) == 3, "session KEY length");
	nlmsg_free(m);

	/* The filter of STICK_GET and STICK_DEL: SERVICE alone. */
	memset(&e, 0, sizeof(e));
	snprintf(e.service, sizeof(e.service), "web");
	SET(&e, SPLICER_STICK_A_SERVICE);
	m = nlmsg_alloc();
	genlmsg_put(m, 1, 1, 0x20, 0, 0, SPLICER_CMD_STICK_GET, SPLICER_FAMILY_VERSION);
	stick_put(m, &e);
	g = nlmsg_data(nlmsg_hdr(m));
	nla_parse(ttb, SPLICER_A_MAX, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), NULL);
	nla_parse_nested(tb, SPLICER_STICK_A_MAX, ttb[SPLICER_A_STICK], NULL);
	for (i = 0, got = 0; i <= SPLICER_STICK_A_MAX; i++)
		if (tb[i])
			got |= 1u << i;
	CHECK(got == S(SERVICE), "filter attributes 0x%x", got);
	nlmsg_free(m);

	/* A key longer than the ABI allows is a bad reply. */
	{
		char big[200];
		struct nlattr *nest;

		memset(big, 'k', sizeof(big));
		m = nlmsg_alloc();
		genlmsg_put(m, 1, 1, 0x20, 0, 0, SPLICER_CMD_STICK_GET, 1);
		nest = nla_nest_start(m, SPLICER_A_STICK);
		nla_put(m, SPLICER_STICK_A_KEY, SPLICER_STICK_KEY_MAX + 1, big);
		nla_nest_end(m, nest);
		CHECK(stick_parse(nest, &back) == -EBADMSG, "129-byte key decoded");
		nlmsg_free(m);
	}
	CHECK(!strcmp(stick_kind_name(SPLICER_STICK_SESSION), "session") &&
	      !strcmp(stick_kind_name(SPLICER_STICK_SOURCE), "source") &&
	      !stick_kind_name(SPLICER_STICK_MAX + 1), "kind names");
}

static void test_check(void)
{
	struct stick_list list = { 0 };
	struct persist p = { 0 };
	unsigned int lineno;
	char err[192] = "";
	size_t bad = 99;
	FILE *f;
	static const char text[] = "source 198.18.0.0/24 s1 1\n"
				   "source 2001:db8::/48 s1 1\n"
				   "source 198.18.1.0/24 s1 1\n";

	f = fmemopen((void *)text, sizeof(text) - 1, "r");
	CHECK(!stick_read(f, "web", &list, &lineno, err, sizeof(err)), "read: %s", err);
	fclose(f);

	/* Nothing reported: nothing to check against. */
	CHECK(!stick_check(&p, "web", &list, &bad, err, sizeof(err)), "no mode: %s", err);

	p.mode = SPLICER_PERSIST_SOURCE;
	p.mask4 = 24;
	p.mask6 = 48;
	p.has = 1u << SPLICER_PERSIST_A_MODE | 1u << SPLICER_PERSIST_A_MASK4 |
		1u << SPLICER_PERSIST_A_MASK6;
	CHECK(!stick_check(&p, "web", &list, &bad, err, sizeof(err)), "matching: %s", err);

	p.mask6 = 64;
	CHECK(stick_check(&p, "web", &list, &bad, err, sizeof(err)) == -1 && bad == 1 &&
	      strstr(err, "prefix length 48, but service \"web\" keeps IPv6 clients by /64 "
		     "(mask6)"), "mask6: %zu %s", bad, err);
	p.mask6 = 48;
	p.mask4 = 32;
	CHECK(stick_check(&p, "web", &list, &bad, err, sizeof(err)) == -1 && bad == 0 &&
	      strstr(err, "keeps IPv4 clients by /32 (mask4)"), "mask4: %zu %s", bad, err);

	p.mode = SPLICER_PERSIST_LEARN;
	CHECK(stick_check(&p, "web", &list, &bad, err, sizeof(err)) == -1 && bad == 0 &&
	      strstr(err, "a source entry, but service \"web\" does not persist by source"),
	      "source into learn: %s", err);
	LIST_FREE(&list);

	f = fmemopen((void *)"session a s1 1\n", 15, "r");
	CHECK(!stick_read(f, "web", &list, &lineno, err, sizeof(err)), "read: %s", err);
	fclose(f);
	CHECK(!stick_check(&p, "web", &list, &bad, err, sizeof(err)), "session into learn");
	p.mode = SPLICER_PERSIST_COOKIE;
	CHECK(stick_check(&p, "web", &list, &bad, err, sizeof(err)) == -1 &&
	      strstr(err, "a session entry, but service \"web\" does not persist by learn"),
	      "session into cookie: %s", err);
	LIST_FREE(&list);
}

int main(void)
{
	test_lines();
	test_format();
	test_round_trip();
	test_files();
	test_nest();
	test_check();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
