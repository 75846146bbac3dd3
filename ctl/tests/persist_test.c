// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the persistence half of ctl/persistence.c: every form of
 * "persist SERVICE MODE [OPTIONS]" is parsed and built into the SERVICE_SET
 * message, which is then taken apart attribute by attribute as the kernel
 * would (exact set of attributes, types, lengths, NLA_F_NESTED); every
 * refusal and its reason; the PERSIST nest of a reply decoded; the words of
 * "show" and "dump" and the JSON; and each dump line parsed back into the
 * same configuration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/splicer.h>

#include "../output.h"
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

#define KEY_HEX "00112233445566778899aabbccddeeff"
static const uint8_t key_bytes[16] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};

/* Split "a b c" into argv (at most 32 words); returns argc. */
static int split(char *s, char **argv)
{
	int argc = 0;
	char *save = NULL, *w;

	for (w = strtok_r(s, " ", &save); w && argc < 32; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

/* persist_args on "MODE ARGS..." as one string. */
static int args(const char *line, struct persist *p, char *err, size_t errlen)
{
	char copy[512], *argv[33];
	int argc;

	snprintf(copy, sizeof(copy), "%s", line);
	argc = split(copy, argv);
	return persist_args(argc ? argv[0] : NULL, argc - 1, argv + 1, p, err, errlen);
}

/* ---- the message, taken apart ---- */

static struct nl_msg *msg;
static struct nlattr *ptb[SPLICER_PERSIST_A_MAX + 1];

/*
 * Build the SERVICE_SET for "persist SVC LINE" and check its frame: one
 * top-level SERVICE nest (NLA_F_NESTED) holding exactly NAME and a PERSIST
 * nest (NLA_F_NESTED). Fills ptb. Returns 0, or -1 after a failed check.
 */
static int build(const char *svc, const char *line)
{
	struct nlattr *ttb[SPLICER_A_MAX + 1], *stb[SPLICER_SVC_A_MAX + 1];
	struct genlmsghdr *g;
	struct persist p;
	char err[192];
	int i, n;

	if (msg)
		nlmsg_free(msg);
	memset(ptb, 0, sizeof(ptb));
	msg = nlmsg_alloc();
	genlmsg_put(msg, 1, 1, 0x20, 0, 0, SPLICER_CMD_SERVICE_SET, SPLICER_FAMILY_VERSION);
	if (args(line, &p, err, sizeof(err))) {
		CHECK(0, "\"%s\" refused: %s", line, err);
		return -1;
	}
	CHECK(!persist_msg_put(msg, svc, &p), "\"%s\": persist_msg_put", line);

	g = nlmsg_data(nlmsg_hdr(msg));
	CHECK(g->cmd == SPLICER_CMD_SERVICE_SET, "\"%s\": cmd %u", line, g->cmd);
	if (nla_parse(ttb, SPLICER_A_MAX, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), NULL)) {
		CHECK(0, "\"%s\": top level does not parse", line);
		return -1;
	}
	for (i = 0, n = 0; i <= SPLICER_A_MAX; i++)
		n += !!ttb[i];
	CHECK(n == 1 && ttb[SPLICER_A_SERVICE], "\"%s\": %d top-level attributes", line, n);
	if (!ttb[SPLICER_A_SERVICE])
		return -1;
	CHECK(ttb[SPLICER_A_SERVICE]->nla_type & NLA_F_NESTED, "\"%s\": SERVICE not NLA_F_NESTED",
	      line);
	if (nla_parse_nested(stb, SPLICER_SVC_A_MAX, ttb[SPLICER_A_SERVICE], NULL)) {
		CHECK(0, "\"%s\": SERVICE does not parse", line);
		return -1;
	}
	for (i = 0, n = 0; i <= SPLICER_SVC_A_MAX; i++)
		n += !!stb[i];
	CHECK(n == 2 && stb[SPLICER_SVC_A_NAME] && stb[SPLICER_SVC_A_PERSIST],
	      "\"%s\": SERVICE holds %d attributes", line, n);
	if (!stb[SPLICER_SVC_A_NAME] || !stb[SPLICER_SVC_A_PERSIST])
		return -1;
	CHECK(nla_len(stb[SPLICER_SVC_A_NAME]) == (int)strlen(svc) + 1 &&
	      !strcmp(nla_data(stb[SPLICER_SVC_A_NAME]), svc), "\"%s\": NAME", line);
	CHECK(stb[SPLICER_SVC_A_PERSIST]->nla_type & NLA_F_NESTED,
	      "\"%s\": PERSIST not NLA_F_NESTED", line);
	if (nla_parse_nested(ptb, SPLICER_PERSIST_A_MAX, stb[SPLICER_SVC_A_PERSIST], NULL)) {
		CHECK(0, "\"%s\": PERSIST does not parse", line);
		return -1;
	}
	return 0;
}

/* The PERSIST nest holds exactly the attributes in 'want' (a bit each). */
static void only(const char *line, uint32_t want)
{
	uint32_t got = 0;
	int i;

	for (i = 0; i <= SPLICER_PERSIST_A_MAX; i++)
		if (ptb[i])
			got |= 1u << i;
	CHECK(got == want, "\"%s\": attributes 0x%x, want 0x%x", line, got, want);
}

#define A(x) (1u << SPLICER_PERSIST_A_##x)

static void u8_is(const char *line, int type, uint8_t want)
{
	CHECK(ptb[type] && nla_len(ptb[type]) == 1 && nla_get_u8(ptb[type]) == want,
	      "\"%s\": attribute %d: want u8 %u", line, type, want);
}

static void u32_is(const char *line, int type, uint32_t want)
{
	CHECK(ptb[type] && nla_len(ptb[type]) == 4 && nla_get_u32(ptb[type]) == want,
	      "\"%s\": attribute %d: want u32 %u, got %u", line, type, want,
	      ptb[type] ? nla_get_u32(ptb[type]) : 0);
}

static void name_is(const char *line, const char *want)
{
	struct nlattr *a = ptb[SPLICER_PERSIST_A_NAME];

	CHECK(a && nla_len(a) == (int)strlen(want) + 1 &&
	      !memcmp(nla_data(a), want, strlen(want) + 1),
	      "\"%s\": NAME, want \"%s\"", line, want);
}

static void key_is(const char *line)
{
	struct nlattr *a = ptb[SPLICER_PERSIST_A_KEY];

	CHECK(a && nla_len(a) == SPLICER_KEY_LEN && !memcmp(nla_data(a), key_bytes, 16),
	      "\"%s\": KEY", line);
}

static void test_forms(void)
{
	const char *l;
	char n63[80];

	l = "off";
	if (!build("web", l)) {
		only(l, A(MODE));
		u8_is(l, SPLICER_PERSIST_A_MODE, SPLICER_PERSIST_NONE);
	}
	l = "off key " KEY_HEX;
	if (!build("web", l)) {
		only(l, A(MODE) | A(KEY));
		u8_is(l, SPLICER_PERSIST_A_MODE, SPLICER_PERSIST_NONE);
		key_is(l);
	}

	l = "cookie";
	if (!build("web", l)) {
		only(l, A(MODE));
		u8_is(l, SPLICER_PERSIST_A_MODE, SPLICER_PERSIST_COOKIE);
	}
	l = "cookie name SID indirect nocache secure strict maxidle 30m maxlife 12h key " KEY_HEX;
	if (!build("web-1.x_Y", l)) {
		only(l, A(MODE) | A(NAME) | A(FLAGS) | A(MAXIDLE) | A(MAXLIFE) | A(KEY));
		u8_is(l, SPLICER_PERSIST_A_MODE, SPLICER_PERSIST_COOKIE);
		name_is(l, "SID");
		u32_is(l, SPLICER_PERSIST_A_FLAGS, SPLICER_PERSIST_F_INDIRECT |
		       SPLICER_PERSIST_F_NOCACHE | SPLICER_PERSIST_F_SECURE |
		       SPLICER_PERSIST_F_STRICT);
		u32_is(l, SPLICER_PERSIST_A_MAXIDLE, 1800);
		u32_is(l, SPLICER_PERSIST_A_MAXLIFE, 43200);
		key_is(l);
	}
	/* Any order; a bare number is seconds; whole-second ms; 0 is never. */
	l = "cookie maxlife 2000ms secure maxidle 90 name A";
	if (!build("web", l)) {
		only(l, A(MODE) | A(NAME) | A(FLAGS) | A(MAXIDLE) | A(MAXLIFE));
		u32_is(l, SPLICER_PERSIST_A_FLAGS, SPLICER_PERSIST_F_SECURE);
		u32_is(l, SPLICER_PERSIST_A_MAXIDLE, 90);
		u32_is(l, SPLICER_PERSIST_A_MAXLIFE, 2);
		name_is(l, "A");
	}
	l = "cookie maxidle 0 maxlife 0s";
	if (!build("web", l)) {
		only(l, A(MODE) | A(MAXIDLE) | A(MAXLIFE));
		u32_is(l, SPLICER_PERSIST_A_MAXIDLE, 0);
		u32_is(l, SPLICER_PERSIST_A_MAXLIFE, 0);
	}
	l = "cookie maxidle 4294967295";
	if (!build("web", l))
		u32_is(l, SPLICER_PERSIST_A_MAXIDLE, 4294967295u);
	l = "cookie indirect";
	if (!build("web", l)) {
		only(l, A(MODE) | A(FLAGS));
		u32_is(l, SPLICER_PERSIST_A_FLAGS, SPLICER_PERSIST_F_INDIRECT);
	}
	l = "cookie nocache";
	if (!build("web", l))
		u32_is(l, SPLICER_PERSIST_A_FLAGS, SPLICER_PERSIST_F_NOCACHE);
	memset(n63, 'n', 63);
	strcpy(n63 + 63, "");
	{
		char line[128];

		snprintf(line, sizeof(line), "cookie name %s", n63);
		if (!build("web", line))
			name_is(line, n63);
	}
	l = "cookie name !#$%&'*+-.^_`|~";
	if (!build("web", l))
		name_is(l, "!#$%&'*+-.^_`|~");

	l = "prefix";
	if (!build("web", l)) {
		only(l, A(MODE));
		u8_is(l, SPLICER_PERSIST_A_MODE, SPLICER_PERSIST_PREFIX);
	}
	l = "prefix name JSESSIONID secure strict maxidle 1h maxlife 1h key " KEY_HEX;
	if (!build("web", l)) {
		only(l, A(MODE) | A(NAME) | A(FLAGS) | A(MAXIDLE) | A(MAXLIFE) | A(KEY));
		name_is(l, "JSESSIONID");
		u32_is(l, SPLICER_PERSIST_A_FLAGS,
		       SPLICER_PERSIST_F_SECURE | SPLICER_PERSIST_F_STRICT);
		u32_is(l, SPLICER_PERSIST_A_MAXIDLE, 3600);
		u32_is(l, SPLICER_PERSIST_A_MAXLIFE, 3600);
		key_is(l);
	}

	l = "learn";
	if (!build("web", l)) {
		only(l, A(MODE));
		u8_is(l, SPLICER_PERSIST_A_MODE, SPLICER_PERSIST_LEARN);
	}
	l = "learn name PHPSESSID timeout 2h size 100000 strict key " KEY_HEX;
	if (!build("web", l)) {
		only(l, A(MODE) | A(NAME) | A(TIMEOUT) | A(SIZE) | A(FLAGS) | A(KEY));
		name_is(l, "PHPSESSID");
		u32_is(l, SPLICER_PERSIST_A_TIMEOUT, 7200);
		u32_is(l, SPLICER_PERSIST_A_SIZE, 100000);
		u32_is(l, SPLICER_PERSIST_A_FLAGS, SPLICER_PERSIST_F_STRICT);
		key_is(l);
	}

	l = "source";
	if (!build("web", l)) {
		only(l, A(MODE));
		u8_is(l, SPLICER_PERSIST_A_MODE, SPLICER_PERSIST_SOURCE);
	}
	l = "source mask4 24 mask6 48 timeout 10m size 1 strict";
	if (!build("web", l)) {
		only(l, A(MODE) | A(MASK4) | A(MASK6) | A(TIMEOUT) | A(SIZE) | A(FLAGS));
		u8_is(l, SPLICER_PERSIST_A_MASK4, 24);
		u8_is(l, SPLICER_PERSIST_A_MASK6, 48);
		u32_is(l, SPLICER_PERSIST_A_TIMEOUT, 600);
		u32_is(l, SPLICER_PERSIST_A_SIZE, 1);
		u32_is(l, SPLICER_PERSIST_A_FLAGS, SPLICER_PERSIST_F_STRICT);
	}
	l = "source mask4 1 mask6 128 size 4294967295";
	if (!build("web", l)) {
		u8_is(l, SPLICER_PERSIST_A_MASK4, 1);
		u8_is(l, SPLICER_PERSIST_A_MASK6, 128);
		u32_is(l, SPLICER_PERSIST_A_SIZE, 4294967295u);
	}
	l = "source mask4 32 mask6 1";
	if (!build("web", l)) {
		u8_is(l, SPLICER_PERSIST_A_MASK4, 32);
		u8_is(l, SPLICER_PERSIST_A_MASK6, 1);
	}

	l = "hash source";
	if (!build("web", l)) {
		only(l, A(MODE) | A(HASH_KEY));
		u8_is(l, SPLICER_PERSIST_A_MODE, SPLICER_PERSIST_HASH);
		u8_is(l, SPLICER_PERSIST_A_HASH_KEY, SPLICER_HASH_SOURCE);
	}
	l = "hash source mask4 16 mask6 56 strict";
	if (!build("web", l)) {
		only(l, A(MODE) | A(HASH_KEY) | A(MASK4) | A(MASK6) | A(FLAGS));
		u8_is(l, SPLICER_PERSIST_A_MASK4, 16);
		u8_is(l, SPLICER_PERSIST_A_MASK6, 56);
		u32_is(l, SPLICER_PERSIST_A_FLAGS, SPLICER_PERSIST_F_STRICT);
	}
	l = "hash header X-User";
	if (!build("web", l)) {
		only(l, A(MODE) | A(HASH_KEY) | A(NAME));
		u8_is(l, SPLICER_PERSIST_A_HASH_KEY, SPLICER_HASH_HEADER);
		name_is(l, "X-User");
	}
	l = "hash cookie SID strict";
	if (!build("web", l)) {
		only(l, A(MODE) | A(HASH_KEY) | A(NAME) | A(FLAGS));
		u8_is(l, SPLICER_PERSIST_A_HASH_KEY, SPLICER_HASH_COOKIE);
		name_is(l, "SID");
		u32_is(l, SPLICER_PERSIST_A_FLAGS, SPLICER_PERSIST_F_STRICT);
	}
	l = "hash param uid key " KEY_HEX " strict";
	if (!build("web", l)) {
		only(l, A(MODE) | A(HASH_KEY) | A(NAME) | A(FLAGS) | A(KEY));
		u8_is(l, SPLICER_PERSIST_A_HASH_KEY, SPLICER_HASH_PARAM);
		name_is(l, "uid");
		key_is(l);
	}
	/* "hash cookie cookie": the second is the cookie's name. */
	l = "hash cookie cookie";
	if (!build("web", l))
		name_is(l, "cookie");

	/* Rotation: only KEY, the mode is kept. */
	l = "key " KEY_HEX;
	if (!build("web", l)) {
		only(l, A(KEY));
		key_is(l);
	}
	l = "key 00112233445566778899AABBCCDDEEFF";
	if (!build("web", l))
		key_is(l);
}

static void bad(const char *line, const char *reason)
{
	struct persist p;
	char err[192] = "";

	CHECK(args(line, &p, err, sizeof(err)) == -1, "\"%s\" accepted", line);
	CHECK(strstr(err, reason), "\"%s\": reason \"%s\", want \"%s\"", line, err, reason);
}

static void test_errors(void)
{
	char line[160];

	bad("", "missing MODE");
	bad("bogus", "unknown persistence mode \"bogus\"");
	bad("show", "unknown persistence mode");
	bad("cookie bogus", "unknown option \"bogus\"");
	bad("cookie name", "\"name\" needs a value");
	bad("cookie name a;b", "name \"a;b\": not a token");
	bad("cookie name a=b", "not a token");
	bad("cookie name a,b", "not a token");
	bad("cookie name a\"b", "not a token");
	bad("cookie name caf\xc3\xa9", "not a token");
	snprintf(line, sizeof(line), "cookie name %064d", 0);
	bad(line, "longer than 63");
	bad("cookie name a name b", "\"name\" given twice");
	bad("cookie secure secure", "\"secure\" given twice");
	bad("cookie maxidle 1h maxidle 2h", "given twice");
	bad("cookie timeout 1h", "\"timeout\" is not an option of cookie");
	bad("cookie size 10", "not an option of cookie");
	bad("cookie mask4 24", "not an option of cookie");
	bad("cookie maxidle", "needs a value");
	bad("cookie maxidle 500ms", "maxidle \"500ms\": less than a second");
	bad("cookie maxidle 1500ms", "not a whole number of seconds");
	bad("cookie maxidle 1.5s", "not a duration");
	bad("cookie maxidle -1", "not a duration");
	bad("cookie maxidle 1d", "not a duration");
	bad("cookie maxlife 4294967296", "too long");
	bad("cookie maxlife 1193047h", "too long");
	bad("cookie key 0011", "key \"0011\": a key is exactly 32 hex digits");
	bad("cookie key " KEY_HEX "00", "exactly 32 hex digits");
	bad("cookie key 00112233445566778899aabbccddeefg", "not a hex key");
	bad("cookie key", "needs a value");
	bad("cookie key " KEY_HEX " key " KEY_HEX, "given twice");

	bad("prefix indirect", "\"indirect\" is not an option of prefix");
	bad("prefix nocache", "not an option of prefix");
	bad("prefix timeout 1h", "not an option of prefix");
	bad("prefix name a:b", "not a token");

	bad("learn indirect", "not an option of learn");
	bad("learn secure", "not an option of learn");
	bad("learn maxidle 1h", "not an option of learn");
	bad("learn mask4 24", "not an option of learn");
	bad("learn size 0", "size \"0\": must be at least 1");
	bad("learn size -1", "not a number");
	bad("learn size 1k", "not a number");
	bad("learn size 4294967296", "too large");
	bad("learn timeout 999ms", "less than a second");

	bad("source name x", "not an option of source");
	bad("source mask4 0", "mask4 \"0\": an IPv4 prefix length is 1..32");
	bad("source mask4 33", "1..32");
	bad("source mask6 0", "an IPv6 prefix length is 1..128");
	bad("source mask6 129", "1..128");
	bad("source mask6 x", "not a number");
	bad("source mask4 24 mask4 24", "given twice");
	bad("source timeout", "needs a value");

	bad("hash", "missing what to hash");
	bad("hash foo", "cannot hash \"foo\"");
	bad("hash name x", "cannot hash \"name\"");
	bad("hash header", "hash header needs a NAME");
	bad("hash cookie", "hash cookie needs a NAME");
	bad("hash param", "hash param needs a NAME");
	bad("hash header a:b", "header \"a:b\": not a token");
	bad("hash header X mask4 24", "\"mask4\" is not an option of hash");
	bad("hash source name x", "\"name\" is not an option of hash (hash header|cookie|param NAME)");
	bad("hash source timeout 1h", "not an option of hash");
	bad("hash source indirect", "not an option of hash");
	bad("hash source mask4 33", "1..32");

	bad("off strict", "\"strict\" is not an option of off");
	bad("off name x", "not an option of off");
	bad("off bogus", "unknown option");

	bad("key", "missing HEX");
	bad("key abc", "key \"abc\": a key is exactly 32 hex digits");
	bad("key " KEY_HEX " strict", "unexpected argument \"strict\"");
	bad("key 0x112233445566778899aabbccddeeff", "not a hex key");
}

/* ---- replies: the nest decoded, words and JSON ---- */

/* A PERSIST nest as a reply carries it, decoded back. */
static void reply(struct persist *out, uint8_t mode, const char *name,
		  uint32_t flags, uint8_t hash_key)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *nest;

	genlmsg_put(m, 1, 1, 0x20, 0, 0, SPLICER_CMD_SERVICE_GET, 1);
	nest = nla_nest_start(m, SPLICER_SVC_A_PERSIST);
	nla_put_u8(m, SPLICER_PERSIST_A_MODE, mode);
	if (name)
		nla_put_string(m, SPLICER_PERSIST_A_NAME, name);
	nla_put_u32(m, SPLICER_PERSIST_A_FLAGS, flags);
	nla_put_u32(m, SPLICER_PERSIST_A_MAXIDLE, 3600);
	nla_put_u32(m, SPLICER_PERSIST_A_MAXLIFE, 0);
	nla_put_u32(m, SPLICER_PERSIST_A_TIMEOUT, 600);
	nla_put_u32(m, SPLICER_PERSIST_A_SIZE, 65536);
	nla_put_u8(m, SPLICER_PERSIST_A_MASK4, 24);
	nla_put_u8(m, SPLICER_PERSIST_A_MASK6, 64);
	nla_put_u8(m, SPLICER_PERSIST_A_HASH_KEY, hash_key);
	nla_put(m, SPLICER_PERSIST_A_KEY, 16, key_bytes);	/* never sent, ignored */
	nla_put_u32(m, SPLICER_PERSIST_A_KEY_ID, 0x0a1b2c3d);
	nla_put_u8(m, SPLICER_PERSIST_A_KEYS, 2);
	nla_put_u32(m, SPLICER_PERSIST_A_ENTRIES, 17);
	nla_put_u32(m, SPLICER_PERSIST_A_MAX + 5, 1);		/* from a newer module */
	nla_nest_end(m, nest);
	memset(out, 0x77, sizeof(*out));
	CHECK(!persist_parse(nest, out), "persist_parse");
	nlmsg_free(m);
}

static void words(const struct persist *p, bool as_command, const char *want,
		  bool want_ok)
{
	char buf[PERSIST_WORDS_MAX];
	bool ok = persist_format(p, as_command, buf, sizeof(buf));

	CHECK(ok == want_ok && !strcmp(buf, want), "persist_format(%s):\n got  \"%s\" (%d)\n"
	      " want \"%s\" (%d)", as_command ? "command" : "show", buf, ok, want, want_ok);
}

static char *json(const struct persist *p, bool as_command)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_set_file(f);
	persist_print_json(NULL, p, as_command);
	json_end();
	fclose(f);
	json_set_file(NULL);
	return buf;
}

static void test_replies(void)
{
	struct persist p;
	char *j;

	reply(&p, SPLICER_PERSIST_COOKIE, "SPLICERID",
	      SPLICER_PERSIST_F_INDIRECT | SPLICER_PERSIST_F_SECURE, SPLICER_HASH_SOURCE);
	CHECK(p.mode == SPLICER_PERSIST_COOKIE && !strcmp(p.name, "SPLICERID") &&
	      p.flags == 5 && p.maxidle == 3600 && p.maxlife == 0 && p.timeout == 600 &&
	      p.size == 65536 && p.mask4 == 24 && p.mask6 == 64 && p.key_id == 0x0a1b2c3d &&
	      p.keys == 2 && p.entries == 17, "decoded fields");
	CHECK(!HAS(&p, SPLICER_PERSIST_A_KEY), "KEY decoded");
	CHECK(p.has == ((1u << (SPLICER_PERSIST_A_MAX + 1)) - 2 - A(KEY)),
	      "has 0x%x", p.has);
	/* Only the options of cookie; key-id etc. for show only. */
	words(&p, true, "cookie name SPLICERID indirect secure maxidle 1h maxlife 0s", true);
	words(&p, false, "cookie name SPLICERID indirect secure maxidle 1h maxlife 0s "
	      "key-id 0a1b2c3d keys 2 entries 17", true);
	j = json(&p, false);
	CHECK(!strcmp(j, "{\"mode\":\"cookie\",\"name\":\"SPLICERID\",\"flags\":"
		      "[\"indirect\",\"secure\"],\"hash_key\":\"source\",\"maxidle\":3600,"
		      "\"maxlife\":0,\"timeout\":600,\"size\":65536,\"mask4\":24,"
		      "\"mask6\":64,\"keys\":2,\"entries\":17,\"key_id\":\"0a1b2c3d\"}\n"),
	      "json: %s", j);
	free(j);
	j = json(&p, true);
	CHECK(!strcmp(j, "{\"mode\":\"cookie\",\"name\":\"SPLICERID\",\"flags\":"
		      "[\"indirect\",\"secure\"],\"hash_key\":\"source\",\"maxidle\":3600,"
		      "\"maxlife\":0,\"timeout\":600,\"size\":65536,\"mask4\":24,"
		      "\"mask6\":64}\n"), "json as command: %s", j);
	free(j);

	/* A flag prefix does not take: shown, but not in a command. */
	reply(&p, SPLICER_PERSIST_PREFIX, "JSESSIONID",
	      SPLICER_PERSIST_F_INDIRECT | SPLICER_PERSIST_F_STRICT, 0);
	words(&p, true, "prefix name JSESSIONID strict maxidle 1h maxlife 0s", true);
	words(&p, false, "prefix name JSESSIONID indirect strict maxidle 1h maxlife 0s "
	      "key-id 0a1b2c3d keys 2 entries 17", true);

	reply(&p, SPLICER_PERSIST_LEARN, "PHPSESSID", SPLICER_PERSIST_F_STRICT, 0);
	words(&p, true, "learn name PHPSESSID strict timeout 10m size 65536", true);

	reply(&p, SPLICER_PERSIST_SOURCE, NULL, 0, 0);
	words(&p, true, "source mask4 24 mask6 64 timeout 10m size 65536", true);
	words(&p, false, "source mask4 24 mask6 64 timeout 10m size 65536 "
	      "key-id 0a1b2c3d keys 2 entries 17", true);

	reply(&p, SPLICER_PERSIST_HASH, "X-User", 0, SPLICER_HASH_HEADER);
	words(&p, true, "hash header X-User", true);
	reply(&p, SPLICER_PERSIST_HASH, NULL, SPLICER_PERSIST_F_STRICT, SPLICER_HASH_SOURCE);
	words(&p, true, "hash source mask4 24 mask6 64 strict", true);
	reply(&p, SPLICER_PERSIST_HASH, "sid", 0, SPLICER_HASH_PARAM);
	words(&p, true, "hash param sid", true);

	reply(&p, SPLICER_PERSIST_NONE, NULL, 0, 0);
	words(&p, true, "off", true);
	words(&p, false, "off key-id 0a1b2c3d keys 2 entries 17", true);

	/* Flags unknown to this tool: shown as a number, never in a command. */
	reply(&p, SPLICER_PERSIST_COOKIE, "S", 0x30 | SPLICER_PERSIST_F_NOCACHE, 0);
	words(&p, false, "cookie name S nocache flags 0x30 maxidle 1h maxlife 0s "
	      "key-id 0a1b2c3d keys 2 entries 17", true);
	words(&p, true, "cookie name S nocache maxidle 1h maxlife 0s", true);
	j = json(&p, true);
	CHECK(strstr(j, "\"flags\":[\"nocache\",16,32]"), "json flags: %s", j);
	free(j);

	/* Nothing this tool could write back. */
	reply(&p, 9, NULL, 0, 0);
	words(&p, true, "mode 9 (unknown to this splicerctl)", false);
	j = json(&p, false);
	CHECK(!strncmp(j, "{\"mode\":9,", 10), "json unknown mode: %s", j);
	free(j);
	reply(&p, SPLICER_PERSIST_HASH, NULL, 0, 7);
	words(&p, true, "hash of key 7 (unknown to this splicerctl)", false);
	reply(&p, SPLICER_PERSIST_HASH, NULL, 0, SPLICER_HASH_COOKIE);
	words(&p, true, "hash cookie without a name", false);
	/* '#' starts a comment in a batch: such a dump line would set another name. */
	reply(&p, SPLICER_PERSIST_COOKIE, "a#b", 0, 0);
	words(&p, true, "the name \"a#b\" has a '#', which starts a comment in a batch "
	      "file", false);
	words(&p, false, "cookie name a#b maxidle 1h maxlife 0s key-id 0a1b2c3d keys 2 "
	      "entries 17", true);
	reply(&p, SPLICER_PERSIST_HASH, "x#", 0, SPLICER_HASH_HEADER);
	words(&p, true, "the name \"x#\" has a '#', which starts a comment in a batch "
	      "file", false);

	/* Only what is reported is shown. */
	memset(&p, 0, sizeof(p));
	p.mode = SPLICER_PERSIST_COOKIE;
	SET(&p, SPLICER_PERSIST_A_MODE);
	words(&p, false, "cookie", true);
	j = json(&p, false);
	CHECK(!strcmp(j, "{\"mode\":\"cookie\"}\n"), "json minimal: %s", j);
	free(j);
}

/* ---- a dump line is a command that sets the same ---- */

static void round_trip(const char *line)
{
	char words_buf[PERSIST_WORDS_MAX], err[192];
	struct persist a, b;

	if (args(line, &a, err, sizeof(err))) {
		CHECK(0, "\"%s\": %s", line, err);
		return;
	}
	CHECK(persist_format(&a, true, words_buf, sizeof(words_buf)), "\"%s\": format", line);
	if (args(words_buf, &b, err, sizeof(err))) {
		CHECK(0, "\"%s\" -> \"%s\": %s", line, words_buf, err);
		return;
	}
	/* The key is never written back. */
	a.has &= ~A(KEY);
	memset(a.key, 0, sizeof(a.key));
	CHECK(!memcmp(&a, &b, sizeof(a)), "\"%s\" -> \"%s\" sets something else",
	      line, words_buf);
}

static void test_round_trip(void)
{
	round_trip("off");
	round_trip("off key " KEY_HEX);
	round_trip("cookie");
	round_trip("cookie name SID indirect nocache secure strict maxidle 30m maxlife 12h key "
		   KEY_HEX);
	round_trip("cookie maxidle 90 maxlife 4294967295");
	round_trip("cookie maxidle 0");
	round_trip("prefix name JSESSIONID secure strict maxidle 1h maxlife 5400");
	round_trip("learn name PHPSESSID timeout 2h size 100000 strict");
	round_trip("learn");
	round_trip("source mask4 24 mask6 48 timeout 10m size 1 strict");
	round_trip("hash source");
	round_trip("hash source mask4 16 mask6 56 strict");
	round_trip("hash header X-User");
	round_trip("hash cookie SID strict");
	round_trip("hash param uid");
	round_trip("cookie name !$%&'*+-.^_`|~");
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
