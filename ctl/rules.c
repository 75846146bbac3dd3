// SPDX-License-Identifier: GPL-2.0
/*
 * Content rules without I/O (see rules.h): the words of "rule add", the
 * RULE nest, and the words and JSON of "rule show" and "dump".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>

#include "output.h"
#include "rules.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define RA(x) (1u << SPLICER_RULE_A_##x)
#define MATCHES (RA(HOST) | RA(PATH) | RA(PATH_PREFIX) | RA(METHOD) | RA(HEADER) | \
		 RA(SRC_ADDR))

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

bool rule_redirect_status(uint32_t status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 ||
	       status == 308;
}

/* ---- "rule add SERVICE ..." ------------------------------------------- */

/* The string members: where they go and how big they may be. */
static const struct text {
	int attr;
	size_t off, size;
} texts[] = {
#define T(a, f) { SPLICER_RULE_A_##a, offsetof(struct rule, f), \
		  sizeof(((struct rule *)0)->f) }
	T(HOST, host), T(PATH, path), T(PATH_PREFIX, prefix), T(METHOD, method),
	T(HEADER, header), T(HEADER_VALUE, value), T(POOL, pool),
	T(REDIRECT, redirect),
#undef T
};

static const struct text *text_of(int attr)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(texts); i++)
		if (texts[i].attr == attr)
			return &texts[i];
	return NULL;
}

static const struct keyword {
	const char *word;
	int attr;
} keywords[] = {
	{ "at", SPLICER_RULE_A_POSITION },
	{ "host", SPLICER_RULE_A_HOST },
	{ "path", SPLICER_RULE_A_PATH },
	{ "prefix", SPLICER_RULE_A_PATH_PREFIX },
	{ "method", SPLICER_RULE_A_METHOD },
	{ "header", SPLICER_RULE_A_HEADER },
	{ "value", SPLICER_RULE_A_HEADER_VALUE },
	{ "src", SPLICER_RULE_A_SRC_ADDR },
	{ "pool", SPLICER_RULE_A_POOL },
	{ "redirect", SPLICER_RULE_A_REDIRECT },
	{ "status", SPLICER_RULE_A_STATUS },
};

static bool printable(const char *s, bool blanks)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (*p < 0x20 || *p > 0x7e || (!blanks && *p == ' '))
			return false;
	return true;
}

#define HOST_SYNTAX "not a host name (example.com, or *.example.com for its subdomains)"

static const char *check_host(const char *s)
{
	const char *name = s;
	size_t n;

	if (!strncmp(s, "*.", 2))
		name = s + 2;
	if (name[0] == '[') {
		char a6[ADDR_STR_MAX];
		uint8_t bytes[16];

		n = strlen(name);
		if (name != s || n < 3 || name[n - 1] != ']' || n - 2 >= sizeof(a6))
			return HOST_SYNTAX;
		memcpy(a6, name + 1, n - 2);
		a6[n - 2] = '\0';
		return inet_pton(AF_INET6, a6, bytes) == 1 ? NULL :
			"not an IPv6 address in brackets";
	}
	n = strspn(name, "abcdefghijklmnopqrstuvwxyz"
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._");
	if (name[n] == ':')
		return "the port is not matched: give the host without it";
	if (!*name || name[n] || name[0] == '.')
		return HOST_SYNTAX;
	return NULL;
}

static const char *check_path(const char *s)
{
	if (s[0] != '/')
		return "must start with /";
	if (!printable(s, false))
		return "printable ASCII without blanks";
	if (strchr(s, '?'))
		return "the path ends before '?': leave the query out";
	if (strchr(s, '#'))
		return "the path ends before '#'";
	return NULL;
}

static const char *check_token(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
			  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			  "0123456789!#$%&'*+-.^_`|~");

	return s[n] ? "not a token (A-Z a-z 0-9 ! # $ % & ' * + - . ^ _ ` | ~)" : NULL;
}

/* "ADDR/PREFIX", or "ADDR" for the whole address. */
static const char *parse_src(const char *s, struct rule *r, char *why, size_t whylen)
{
	const char *slash = strchr(s, '/');
	char addr[ADDR_STR_MAX];
	uint32_t prefix, max;
	uint8_t bytes[16];
	size_t n, i, alen;
	int family;

	n = slash ? (size_t)(slash - s) : strlen(s);
	if (!n || n >= sizeof(addr))
		return "not an address (198.18.0.0/24, 2001:db8::/48)";
	memcpy(addr, s, n);
	addr[n] = '\0';
	family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(family, addr, bytes) != 1)
		return family == AF_INET ? "not an IPv4 address" : "not an IPv6 address";
	alen = addr_len((uint16_t)family);
	max = (uint32_t)alen * 8;
	prefix = max;
	if (slash && parse_u32(slash + 1, 0, max, &prefix)) {
		snprintf(why, whylen, "the prefix length is 0..%u", max);
		return why;
	}
	for (i = 0; i < alen; i++) {
		unsigned int bits = i * 8 >= prefix ? 0 :
				    prefix - i * 8 >= 8 ? 8 : prefix - (unsigned int)i * 8;
		uint8_t mask = (uint8_t)(0xff00 >> bits);

		if (bytes[i] & ~mask)
			return "bits set past the prefix length";
	}
	r->src.family = (uint16_t)family;
	memcpy(r->src.addr, bytes, alen);
	r->src_prefix = (uint8_t)prefix;
	return NULL;
}

static const char *parse_status(const char *s, uint16_t *out)
{
	uint32_t v;

	if (strlen(s) != 3 || parse_u32(s, 100, 599, &v))
		return "not a status (three digits, 100..599)";
	*out = (uint16_t)v;
	return NULL;
}

static int value_of(const struct keyword *k, const char *val, struct rule *r,
		    char *err, size_t errlen)
{
	const struct text *t = text_of(k->attr);
	const char *why = NULL;
	char buf[64];

	if (t && !*val)
		why = "empty";
	else if (t && strlen(val) >= t->size) {
		snprintf(buf, sizeof(buf), "longer than %zu characters", t->size - 1);
		why = buf;
	}
	if (!why) {
		switch (k->attr) {
		case SPLICER_RULE_A_POSITION:
			why = parse_u32(val, 0, UINT32_MAX, &r->position);
			break;
		case SPLICER_RULE_A_HOST:
			why = check_host(val);
			break;
		case SPLICER_RULE_A_PATH:
		case SPLICER_RULE_A_PATH_PREFIX:
			why = check_path(val);
			break;
		case SPLICER_RULE_A_METHOD:
		case SPLICER_RULE_A_HEADER:
			why = check_token(val);
			break;
		case SPLICER_RULE_A_HEADER_VALUE:
			if (!printable(val, true))
				why = "printable ASCII (blanks allowed)";
			else if (val[0] == ' ' || val[strlen(val) - 1] == ' ')
				why = "no leading or trailing blanks (a header value has none)";
			break;
		case SPLICER_RULE_A_SRC_ADDR:
			why = parse_src(val, r, buf, sizeof(buf));
			break;
		case SPLICER_RULE_A_POOL:
			why = parse_name(val);
			break;
		case SPLICER_RULE_A_REDIRECT:
			if (!printable(val, false))
				why = "printable ASCII without blanks (a URL or a path)";
			break;
		case SPLICER_RULE_A_STATUS:
			why = parse_status(val, &r->status);
			break;
		}
	}
	if (why)
		return fail(err, errlen, "%s \"%.64s%s\": %s", k->word, val,
			    strlen(val) > 64 ? "..." : "", why);
	if (t)
		snprintf((char *)r + t->off, t->size, "%s", val);
	SET(r, k->attr);
	if (k->attr == SPLICER_RULE_A_SRC_ADDR) {
		SET(r, SPLICER_RULE_A_SRC_FAMILY);
		SET(r, SPLICER_RULE_A_SRC_PREFIX);
	}
	return 0;
}

/* Exactly one action, and a status that fits it. */
static int check_action(const struct rule *r, char *err, size_t errlen)
{
	bool pool = HAS(r, SPLICER_RULE_A_POOL), redirect = HAS(r, SPLICER_RULE_A_REDIRECT);
	bool status = HAS(r, SPLICER_RULE_A_STATUS);

	if (pool && redirect)
		return fail(err, errlen, "a rule has one action: pool or redirect, not both");
	if (pool && status)
		return fail(err, errlen, "status goes with redirect, or alone for a fixed "
			    "response; not with pool");
	if (!pool && !redirect && !status)
		return fail(err, errlen, "missing the action: pool NAME, redirect URL "
			    "[status CODE] or status CODE");
	if (redirect && status && !rule_redirect_status(r->status))
		return fail(err, errlen, "status %u: a redirect is 301, 302, 303, 307 or "
			    "308", r->status);
	if (!redirect && status && rule_redirect_status(r->status))
		return fail(err, errlen, "status %u alone is a redirect without a Location: "
			    "give redirect URL", r->status);
	if (!redirect && status && r->status < 200)
		return fail(err, errlen, "status %u: a fixed response is 200..599",
			    r->status);
	return 0;
}

int rule_args(int argc, char *const *argv, struct rule *r, char *err,
	      size_t errlen)
{
	int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < argc; i += 2) {
		const struct keyword *k = NULL;
		size_t j;

		for (j = 0; j < ARRAY_SIZE(keywords); j++)
			if (!strcmp(keywords[j].word, argv[i]))
				k = &keywords[j];
		if (!k)
			return fail(err, errlen, "unknown keyword \"%s\"", argv[i]);
		if (HAS(r, k->attr))
			return fail(err, errlen, "\"%s\" given twice", argv[i]);
		if (i + 1 >= argc)
			return fail(err, errlen, "\"%s\" needs a value", argv[i]);
		if (value_of(k, argv[i + 1], r, err, errlen))
			return -1;
	}
	if (HAS(r, SPLICER_RULE_A_HEADER_VALUE) && !HAS(r, SPLICER_RULE_A_HEADER))
		return fail(err, errlen, "value needs header NAME");
	if (check_action(r, err, errlen))
		return -1;
	if (!(r->has & MATCHES))
		return fail(err, errlen, "a rule needs a match (host, path, prefix, method, "
			    "header or src); for every request, set the service's pool "
			    "instead");
	return 0;
}

/* ---- nests ------------------------------------------------------------ */

int rule_put(struct nl_msg *msg, const struct rule *r)
{
	struct nlattr *nest = nla_nest_start(msg, NLA_F_NESTED | SPLICER_A_RULE);
	const char *base = (const char *)r;
	int err = 0;
	size_t i;

	if (!nest)
		return -ENOMEM;
	if (HAS(r, SPLICER_RULE_A_SERVICE))
		err |= nla_put_string(msg, SPLICER_RULE_A_SERVICE, r->service);
	if (HAS(r, SPLICER_RULE_A_POSITION))
		err |= nla_put_u32(msg, SPLICER_RULE_A_POSITION, r->position);
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		if (texts[i].attr == SPLICER_RULE_A_POOL)
			break;		/* the action after src */
		if (HAS(r, texts[i].attr))
			err |= nla_put_string(msg, texts[i].attr, base + texts[i].off);
	}
	if (HAS(r, SPLICER_RULE_A_SRC_ADDR)) {
		err |= nla_put_u16(msg, SPLICER_RULE_A_SRC_FAMILY, r->src.family);
		err |= nla_put(msg, SPLICER_RULE_A_SRC_ADDR, (int)addr_len(r->src.family),
			       r->src.addr);
		err |= nla_put_u8(msg, SPLICER_RULE_A_SRC_PREFIX, r->src_prefix);
	}
	if (HAS(r, SPLICER_RULE_A_POOL))
		err |= nla_put_string(msg, SPLICER_RULE_A_POOL, r->pool);
	if (HAS(r, SPLICER_RULE_A_REDIRECT))
		err |= nla_put_string(msg, SPLICER_RULE_A_REDIRECT, r->redirect);
	if (HAS(r, SPLICER_RULE_A_STATUS))
		err |= nla_put_u16(msg, SPLICER_RULE_A_STATUS, r->status);
	nla_nest_end(msg, nest);
	return err ? -ENOMEM : 0;
}

static struct nla_policy rule_policy[SPLICER_RULE_A_MAX + 1] = {
	[SPLICER_RULE_A_POSITION] = { .type = NLA_U32 },
	[SPLICER_RULE_A_SRC_FAMILY] = { .type = NLA_U16 },
	[SPLICER_RULE_A_SRC_PREFIX] = { .type = NLA_U8 },
	[SPLICER_RULE_A_STATUS] = { .type = NLA_U16 },
	[SPLICER_RULE_A_HITS] = { .type = NLA_U64 },
};

int rule_parse(const struct nlattr *nest, struct rule *r)
{
	struct nlattr *tb[SPLICER_RULE_A_MAX + 1];
	char *base = (char *)r;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (nla_parse_nested(tb, SPLICER_RULE_A_MAX, (struct nlattr *)nest, rule_policy))
		return -EBADMSG;
	if (tb[SPLICER_RULE_A_SERVICE]) {
		nla_strlcpy(r->service, tb[SPLICER_RULE_A_SERVICE], sizeof(r->service));
		SET(r, SPLICER_RULE_A_SERVICE);
	}
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		const struct nlattr *a = tb[texts[i].attr];

		if (!a)
			continue;
		if (strnlen(nla_data(a), (size_t)nla_len(a)) >= texts[i].size)
			r->truncated |= 1u << texts[i].attr;
		nla_strlcpy(base + texts[i].off, a, texts[i].size);
		SET(r, texts[i].attr);
	}
	if (tb[SPLICER_RULE_A_POSITION]) {
		r->position = nla_get_u32(tb[SPLICER_RULE_A_POSITION]);
		SET(r, SPLICER_RULE_A_POSITION);
	}
	if (tb[SPLICER_RULE_A_SRC_FAMILY] && tb[SPLICER_RULE_A_SRC_ADDR]) {
		uint16_t family = nla_get_u16(tb[SPLICER_RULE_A_SRC_FAMILY]);

		if (addr_len(family) &&
		    (size_t)nla_len(tb[SPLICER_RULE_A_SRC_ADDR]) == addr_len(family)) {
			r->src.family = family;
			memcpy(r->src.addr, nla_data(tb[SPLICER_RULE_A_SRC_ADDR]),
			       addr_len(family));
			SET(r, SPLICER_RULE_A_SRC_FAMILY);
			SET(r, SPLICER_RULE_A_SRC_ADDR);
		}
	}
	if (tb[SPLICER_RULE_A_SRC_PREFIX]) {
		r->src_prefix = nla_get_u8(tb[SPLICER_RULE_A_SRC_PREFIX]);
		SET(r, SPLICER_RULE_A_SRC_PREFIX);
	}
	if (tb[SPLICER_RULE_A_STATUS]) {
		r->status = nla_get_u16(tb[SPLICER_RULE_A_STATUS]);
		SET(r, SPLICER_RULE_A_STATUS);
	}
	if (tb[SPLICER_RULE_A_HITS]) {
		r->hits = nla_get_u64(tb[SPLICER_RULE_A_HITS]);
		SET(r, SPLICER_RULE_A_HITS);
	}
	return 0;
}

/* ---- words ------------------------------------------------------------ */

const char *rule_action(const struct rule *r)
{
	if (HAS(r, SPLICER_RULE_A_POOL))
		return "pool";
	if (HAS(r, SPLICER_RULE_A_REDIRECT))
		return "redirect";
	if (HAS(r, SPLICER_RULE_A_STATUS))
		return "status";
	return NULL;
}

__attribute__((format(printf, 3, 4)))
static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* A word as it is when it is plain, else a JSON string. */
static void add_word(char *buf, size_t len, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (*p <= ' ' || *p > '~' || *p == '"' || *p == '\\')
			break;
	if (*s && !*p) {
		add(buf, len, "%s", s);
		return;
	}
	add(buf, len, "\"");
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			add(buf, len, "\\%c", *p);
		else if (*p < ' ' || *p > '~')
			add(buf, len, "\\u%04x", *p);
		else
			add(buf, len, "%c", *p);
	}
	add(buf, len, "\"");
}

/* What a batch line cannot carry in one word. */
static const char *unwritable(const char *s)
{
	if (!*s)
		return "is empty";
	if (strpbrk(s, " \t\r\n"))
		return "has a blank, which a batch file would split";
	if (strchr(s, '#'))
		return "has a '#', which starts a comment in a batch file";
	return NULL;
}

/* " word VALUE" for a string member, when reported; false when unwritable. */
static bool add_text(char *buf, size_t len, const struct rule *r, int attr,
		     const char *word, bool as_command)
{
	const struct text *t = text_of(attr);
	const char *s = (const char *)r + t->off, *why;

	if (!HAS(r, attr))
		return true;
	if (as_command) {
		why = r->truncated & (1u << attr) ? "is longer than splicerctl keeps" :
		      unwritable(s);
		if (why) {
			snprintf(buf, len, "the %s \"%.64s\" %s", word, s, why);
			return false;
		}
	}
	add(buf, len, "%s%s ", *buf ? " " : "", word);
	if (as_command)
		add(buf, len, "%s", s);
	else
		add_word(buf, len, s);
	return true;
}

bool rule_match_words(const struct rule *r, bool as_command, char *buf,
		      size_t len)
{
	static const struct {
		int attr;
		const char *word;
	} words[] = {
		{ SPLICER_RULE_A_HOST, "host" },
		{ SPLICER_RULE_A_PATH, "path" },
		{ SPLICER_RULE_A_PATH_PREFIX, "prefix" },
		{ SPLICER_RULE_A_METHOD, "method" },
		{ SPLICER_RULE_A_HEADER, "header" },
		{ SPLICER_RULE_A_HEADER_VALUE, "value" },
	};
	char a[ADDR_STR_MAX];
	size_t i;

	if (!len)
		return false;
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!add_text(buf, len, r, words[i].attr, words[i].word, as_command))
			return false;
	if (HAS(r, SPLICER_RULE_A_SRC_ADDR)) {
		add(buf, len, "%ssrc %s", *buf ? " " : "", format_addr(&r->src, a, sizeof(a)));
		if (HAS(r, SPLICER_RULE_A_SRC_PREFIX))
			add(buf, len, "/%u", r->src_prefix);
	}
	if (!*buf && as_command) {
		snprintf(buf, len, "no match this splicerctl knows");
		return false;
	}
	return *buf != '\0';
}

bool rule_action_words(const struct rule *r, bool as_command, char *buf,
		       size_t len)
{
	if (!len)
		return false;
	buf[0] = '\0';
	if (!rule_action(r)) {
		if (as_command)
			snprintf(buf, len, "no action this splicerctl knows");
		return false;
	}
	if (!add_text(buf, len, r, SPLICER_RULE_A_POOL, "pool", as_command) ||
	    !add_text(buf, len, r, SPLICER_RULE_A_REDIRECT, "redirect", as_command))
		return false;
	if (HAS(r, SPLICER_RULE_A_STATUS) && !HAS(r, SPLICER_RULE_A_POOL))
		add(buf, len, "%sstatus %u", *buf ? " " : "", r->status);
	return true;
}

bool rule_format(const struct rule *r, char *buf, size_t len)
{
	char action[RULE_WORDS_MAX];

	if (!rule_match_words(r, true, buf, len))
		return false;
	if (!rule_action_words(r, true, action, sizeof(action))) {
		snprintf(buf, len, "%s", action);
		return false;
	}
	add(buf, len, " %s", action);
	return true;
}

void rule_print_json(const struct rule *r, bool with_service, bool as_command)
{
	static const struct {
		int attr;
		const char *key;
	} strs[] = {
		{ SPLICER_RULE_A_HOST, "host" },
		{ SPLICER_RULE_A_PATH, "path" },
		{ SPLICER_RULE_A_PATH_PREFIX, "path_prefix" },
		{ SPLICER_RULE_A_METHOD, "method" },
		{ SPLICER_RULE_A_HEADER, "header" },
		{ SPLICER_RULE_A_HEADER_VALUE, "header_value" },
	}, actions[] = {
		{ SPLICER_RULE_A_POOL, "pool" },
		{ SPLICER_RULE_A_REDIRECT, "redirect" },
	};
	char a[ADDR_STR_MAX + 8];
	size_t i;

	json_open_object(NULL);
	if (with_service && HAS(r, SPLICER_RULE_A_SERVICE))
		json_string("service", r->service);
	if (HAS(r, SPLICER_RULE_A_POSITION))
		json_uint("position", r->position);
	for (i = 0; i < ARRAY_SIZE(strs); i++)
		if (HAS(r, strs[i].attr))
			json_string(strs[i].key, (const char *)r + text_of(strs[i].attr)->off);
	if (HAS(r, SPLICER_RULE_A_SRC_ADDR)) {
		format_addr(&r->src, a, sizeof(a));
		if (HAS(r, SPLICER_RULE_A_SRC_PREFIX))
			snprintf(a + strlen(a), sizeof(a) - strlen(a), "/%u", r->src_prefix);
		json_string("src", a);
		json_string("src_family", family_name(r->src.family));
		json_string("src_addr", format_addr(&r->src, a, sizeof(a)));
		if (HAS(r, SPLICER_RULE_A_SRC_PREFIX))
			json_uint("src_prefix", r->src_prefix);
	}
	if (rule_action(r))
		json_string("action", rule_action(r));
	for (i = 0; i < ARRAY_SIZE(actions); i++)
		if (HAS(r, actions[i].attr))
			json_string(actions[i].key,
				    (const char *)r + text_of(actions[i].attr)->off);
	if (HAS(r, SPLICER_RULE_A_STATUS))
		json_uint("status", r->status);
	if (HAS(r, SPLICER_RULE_A_HITS) && !as_command)
		json_uint("hits", r->hits);
	json_close_object();
}
