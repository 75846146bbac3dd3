// SPDX-License-Identifier: GPL-2.0
/*
 * Health checking without I/O (see health.h): the words after "health",
 * the HEALTH and POOL nests, a server's check state, and the text formats.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "health.h"
#include "output.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- names ------------------------------------------------------------ */

static const char *const type_names[] = {
	[SPLICER_HEALTH_NONE] = "off",
	[SPLICER_HEALTH_TCP] = "tcp",
	[SPLICER_HEALTH_HTTP] = "http",
};

static const char *const state_names[] = {
	[SPLICER_HEALTH_UNCHECKED] = "unchecked",
	[SPLICER_HEALTH_UP] = "up",
	[SPLICER_HEALTH_DOWN] = "down",
};

const char *health_type_name(uint8_t type)
{
	return type < ARRAY_SIZE(type_names) ? type_names[type] : NULL;
}

const char *health_state_name(uint8_t state)
{
	return state < ARRAY_SIZE(state_names) ? state_names[state] : NULL;
}

/* ---- values ----------------------------------------------------------- */

#define EXPECT_SYNTAX "not a status range (200-399, 204, or a list: 200,204,301-302)"

/* Three digits, 100..599. */
static const char *parse_status(const char *s, size_t n, uint16_t *out)
{
	uint16_t v = 0;
	size_t i;

	if (n != 3)
		return EXPECT_SYNTAX;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return EXPECT_SYNTAX;
		v = (uint16_t)(v * 10 + (s[i] - '0'));
	}
	if (v < 100 || v > 599)
		return "a status is 100..599";
	*out = v;
	return NULL;
}

const char *parse_expect(const char *s, struct splicer_status_range *out,
			 uint32_t *n)
{
	struct splicer_status_range r[SPLICER_EXPECT_MAX];
	uint32_t count = 0;
	const char *p = s;

	if (!s || !*s)
		return EXPECT_SYNTAX;
	for (;;) {
		size_t len = strcspn(p, ","), dash;
		const char *why;

		if (count == SPLICER_EXPECT_MAX)
			return "at most 8 ranges";
		dash = strcspn(p, "-,");
		if (dash < len) {
			why = parse_status(p, dash, &r[count].lo);
			if (!why)
				why = parse_status(p + dash + 1, len - dash - 1, &r[count].hi);
			if (why)
				return why;
			if (r[count].lo > r[count].hi)
				return "a range goes from low to high (lo-hi)";
		} else {
			why = parse_status(p, len, &r[count].lo);
			if (why)
				return why;
			r[count].hi = r[count].lo;
		}
		count++;
		if (!p[len])
			break;
		p += len + 1;
	}
	memcpy(out, r, count * sizeof(r[0]));
	*n = count;
	return NULL;
}

#define STATUS_SYNTAX "not status classes (5xx, 4xx,5xx or none)"

const char *parse_status_classes(const char *s, uint32_t *out)
{
	uint32_t mask = 0;
	const char *p = s;

	if (!s || !*s)
		return STATUS_SYNTAX;
	if (!strcmp(s, "none")) {
		*out = 0;
		return NULL;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		uint32_t bit;

		if (len != 3 || p[0] < '1' || p[0] > '9' ||
		    (p[1] != 'x' && p[1] != 'X') || (p[2] != 'x' && p[2] != 'X'))
			return STATUS_SYNTAX;
		bit = 1u << (p[0] - '0');
		if (mask & bit)
			return "a class given twice";
		mask |= bit;
		if (!p[len])
			break;
		p += len + 1;
	}
	*out = mask;
	return NULL;
}

/* ---- "health off | tcp [OPTIONS] | http [OPTIONS]" -------------------- */

static const struct option {
	const char *word;
	int attr;
	bool http;		/* health http only */
} options[] = {
	{ "interval", SPLICER_HEALTH_A_INTERVAL, false },
	{ "fastinter", SPLICER_HEALTH_A_FASTINTER, false },
	{ "timeout", SPLICER_HEALTH_A_TIMEOUT, false },
	{ "rise", SPLICER_HEALTH_A_RISE, false },
	{ "fall", SPLICER_HEALTH_A_FALL, false },
	{ "port", SPLICER_HEALTH_A_PORT, false },
	{ "passive", SPLICER_HEALTH_A_PASSIVE_ERRORS, false },
	{ "window", SPLICER_HEALTH_A_PASSIVE_WINDOW, false },
	{ "status", SPLICER_HEALTH_A_PASSIVE_STATUS, false },
	{ "method", SPLICER_HEALTH_A_METHOD, true },
	{ "path", SPLICER_HEALTH_A_PATH, true },
	{ "host", SPLICER_HEALTH_A_HOST, true },
	{ "expect", SPLICER_HEALTH_A_EXPECT, true },
	{ "body", SPLICER_HEALTH_A_BODY, true },
};

static const char *text_value(const char *val, char *dst, size_t size,
			      char *why, size_t whylen)
{
	if (!*val)
		return "empty";
	if (strlen(val) >= size) {
		snprintf(why, whylen, "longer than %zu characters", size - 1);
		return why;
	}
	snprintf(dst, size, "%s", val);
	return NULL;
}

static int option_value(const struct option *o, const char *val,
			struct health *h, char *err, size_t errlen)
{
	const char *why = NULL;
	char buf[64];
	uint32_t v;

	switch (o->attr) {
	case SPLICER_HEALTH_A_INTERVAL:
		why = parse_duration_ms(val, &h->interval);
		if (!why && h->interval < HEALTH_INTERVAL_MIN)
			why = "at least 100ms";
		break;
	case SPLICER_HEALTH_A_FASTINTER:
		why = parse_duration_ms(val, &h->fastinter);
		break;
	case SPLICER_HEALTH_A_TIMEOUT:
		why = parse_duration_ms(val, &h->timeout);
		break;
	case SPLICER_HEALTH_A_RISE:
	case SPLICER_HEALTH_A_FALL:
		why = parse_u32(val, 1, HEALTH_COUNT_MAX,
				o->attr == SPLICER_HEALTH_A_RISE ? &h->rise : &h->fall);
		if (why && !strcmp(why, "out of range"))
			why = "out of range (1..100)";
		break;
	case SPLICER_HEALTH_A_PORT:
		why = parse_u32(val, 1, 65535, &v);
		if (why)
			why = "port must be a number 1..65535";
		else
			h->port = (uint16_t)v;
		break;
	case SPLICER_HEALTH_A_PASSIVE_ERRORS:
		why = parse_u32(val, 0, UINT32_MAX, &h->passive_errors);
		break;
	case SPLICER_HEALTH_A_PASSIVE_WINDOW:
		why = parse_duration_ms(val, &h->passive_window);
		break;
	case SPLICER_HEALTH_A_PASSIVE_STATUS:
		why = parse_status_classes(val, &h->passive_status);
		break;
	case SPLICER_HEALTH_A_METHOD:
		why = text_value(val, h->method, sizeof(h->method), buf, sizeof(buf));
		break;
	case SPLICER_HEALTH_A_PATH:
		if (val[0] != '/')
			why = "must start with /";
		else
			why = text_value(val, h->path, sizeof(h->path), buf, sizeof(buf));
		break;
	case SPLICER_HEALTH_A_HOST:
		why = text_value(val, h->host, sizeof(h->host), buf, sizeof(buf));
		break;
	case SPLICER_HEALTH_A_EXPECT:
		why = parse_expect(val, h->expect, &h->nexpect);
		break;
	case SPLICER_HEALTH_A_BODY:
		why = text_value(val, h->body, sizeof(h->body), buf, sizeof(buf));
		break;
	}
	if (why)
		return fail(err, errlen, "%s \"%.64s%s\": %s", o->word, val,
			    strlen(val) > 64 ? "..." : "", why);
	SET(h, o->attr);
	return 0;
}

/* timeout <= interval, with the module's defaults for the one left out. */
static int check_timeout(const struct health *h, char *err, size_t errlen)
{
	bool has_iv = HAS(h, SPLICER_HEALTH_A_INTERVAL);
	bool has_to = HAS(h, SPLICER_HEALTH_A_TIMEOUT);
	uint32_t iv = has_iv ? h->interval : HEALTH_INTERVAL_DEFAULT;
	uint32_t to = has_to ? h->timeout : HEALTH_TIMEOUT_DEFAULT;
	char a[DURATION_STR_MAX], b[DURATION_STR_MAX];

	if (to <= iv)
		return 0;
	format_duration(to, a, sizeof(a));
	format_duration(iv, b, sizeof(b));
	if (has_iv && has_to)
		return fail(err, errlen, "timeout %s is longer than interval %s", a, b);
	if (has_to)
		return fail(err, errlen, "timeout %s is longer than the default interval "
			    "%s: give an interval too", a, b);
	return fail(err, errlen, "interval %s is shorter than the default timeout %s: "
		    "give a timeout too", b, a);
}

int health_args(int argc, char *const *argv, struct health *h, char *err,
		size_t errlen)
{
	uint32_t seen = 0;
	int type = -1, i;
	size_t j;

	memset(h, 0, sizeof(*h));
	if (argc < 1)
		return fail(err, errlen, "health needs off, tcp or http");
	for (j = 0; j < ARRAY_SIZE(type_names); j++)
		if (!strcmp(argv[0], type_names[j]))
			type = (int)j;
	if (type < 0)
		return fail(err, errlen, "health \"%s\": expected off, tcp or http", argv[0]);
	h->type = (uint8_t)type;
	SET(h, SPLICER_HEALTH_A_TYPE);
	if (type == SPLICER_HEALTH_NONE && argc > 1)
		return fail(err, errlen, "health off takes no options, got \"%s\"", argv[1]);

	for (i = 1; i < argc; i++) {
		const char *word = argv[i];
		const struct option *o = NULL;

		for (j = 0; j < ARRAY_SIZE(options); j++)
			if (!strcmp(options[j].word, word))
				o = &options[j];
		if (!o) {
			if (!strcmp(word, "health"))
				return fail(err, errlen, "\"health\" given twice");
			return fail(err, errlen, "unknown health option \"%s\"%s", word,
				    !strcmp(word, "balance") ?
				    " (health and its options come last)" : "");
		}
		if (o->http && type != SPLICER_HEALTH_HTTP)
			return fail(err, errlen, "\"%s\" is an option of health http only",
				    word);
		if (seen & (1u << o->attr))
			return fail(err, errlen, "\"%s\" given twice", word);
		seen |= 1u << o->attr;
		if (i + 1 >= argc)
			return fail(err, errlen, "\"%s\" needs a value", word);
		if (option_value(o, argv[++i], h, err, errlen))
			return -1;
	}
	return check_timeout(h, err, errlen);
}

int health_word_at(int argc, char *const *argv)
{
	int i;

	for (i = 0; i < argc; i += 2)
		if (!strcmp(argv[i], "health"))
			return i;
	return argc;
}

/* ---- nests ------------------------------------------------------------ */

int health_put(struct nl_msg *msg, const struct health *h)
{
	static const struct {
		int attr;
		size_t off;
	} u32s[] = {
#define U(a, f) { SPLICER_HEALTH_A_##a, offsetof(struct health, f) }
		U(INTERVAL, interval), U(FASTINTER, fastinter), U(TIMEOUT, timeout),
		U(RISE, rise), U(FALL, fall), U(PASSIVE_ERRORS, passive_errors),
		U(PASSIVE_WINDOW, passive_window), U(PASSIVE_STATUS, passive_status),
#undef U
	}, strs[] = {
#define S(a, f) { SPLICER_HEALTH_A_##a, offsetof(struct health, f) }
		S(METHOD, method), S(PATH, path), S(HOST, host), S(BODY, body),
#undef S
	};
	struct nlattr *nest = nla_nest_start(msg, NLA_F_NESTED | SPLICER_POOL_A_HEALTH);
	const char *base = (const char *)h;
	int err = 0;
	size_t i;

	if (!nest)
		return -ENOMEM;
	if (HAS(h, SPLICER_HEALTH_A_TYPE))
		err |= nla_put_u8(msg, SPLICER_HEALTH_A_TYPE, h->type);
	for (i = 0; i < ARRAY_SIZE(u32s); i++)
		if (HAS(h, u32s[i].attr))
			err |= nla_put_u32(msg, u32s[i].attr,
					   *(const uint32_t *)(base + u32s[i].off));
	if (HAS(h, SPLICER_HEALTH_A_PORT))
		err |= nla_put_u16(msg, SPLICER_HEALTH_A_PORT, h->port);
	for (i = 0; i < ARRAY_SIZE(strs); i++)
		if (HAS(h, strs[i].attr))
			err |= nla_put_string(msg, strs[i].attr, base + strs[i].off);
	if (HAS(h, SPLICER_HEALTH_A_EXPECT))
		err |= nla_put(msg, SPLICER_HEALTH_A_EXPECT,
			       (int)(h->nexpect * sizeof(h->expect[0])), h->expect);
	nla_nest_end(msg, nest);
	return err ? -ENOMEM : 0;
}

int pool_put(struct nl_msg *msg, const struct pool *p)
{
	struct nlattr *nest = nla_nest_start(msg, NLA_F_NESTED | SPLICER_A_POOL);
	int err = 0;

	if (!nest)
		return -ENOMEM;
	err |= nla_put_string(msg, SPLICER_POOL_A_NAME, p->name);
	if (HAS(p, SPLICER_POOL_A_BALANCE))
		err |= nla_put_u8(msg, SPLICER_POOL_A_BALANCE, p->balance);
	if (HAS(p, SPLICER_POOL_A_HEALTH))
		err |= health_put(msg, &p->health);
	nla_nest_end(msg, nest);
	return err ? -ENOMEM : 0;
}

static struct nla_policy health_policy[SPLICER_HEALTH_A_MAX + 1] = {
	[SPLICER_HEALTH_A_TYPE] = { .type = NLA_U8 },
	[SPLICER_HEALTH_A_INTERVAL] = { .type = NLA_U32 },
	[SPLICER_HEALTH_A_FASTINTER] = { .type = NLA_U32 },
	[SPLICER_HEALTH_A_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_HEALTH_A_RISE] = { .type = NLA_U32 },
	[SPLICER_HEALTH_A_FALL] = { .type = NLA_U32 },
	[SPLICER_HEALTH_A_PORT] = { .type = NLA_U16 },
	[SPLICER_HEALTH_A_PASSIVE_ERRORS] = { .type = NLA_U32 },
	[SPLICER_HEALTH_A_PASSIVE_WINDOW] = { .type = NLA_U32 },
	[SPLICER_HEALTH_A_PASSIVE_STATUS] = { .type = NLA_U32 },
};

int health_parse(const struct nlattr *nest, struct health *h)
{
	struct nlattr *tb[SPLICER_HEALTH_A_MAX + 1];
	uint32_t *u32[SPLICER_HEALTH_A_MAX + 1] = {
		[SPLICER_HEALTH_A_INTERVAL] = &h->interval,
		[SPLICER_HEALTH_A_FASTINTER] = &h->fastinter,
		[SPLICER_HEALTH_A_TIMEOUT] = &h->timeout,
		[SPLICER_HEALTH_A_RISE] = &h->rise,
		[SPLICER_HEALTH_A_FALL] = &h->fall,
		[SPLICER_HEALTH_A_PASSIVE_ERRORS] = &h->passive_errors,
		[SPLICER_HEALTH_A_PASSIVE_WINDOW] = &h->passive_window,
		[SPLICER_HEALTH_A_PASSIVE_STATUS] = &h->passive_status,
	};
	struct {
		char *buf;
		size_t size;
	} strs[SPLICER_HEALTH_A_MAX + 1] = {
		[SPLICER_HEALTH_A_METHOD] = { h->method, sizeof(h->method) },
		[SPLICER_HEALTH_A_PATH] = { h->path, sizeof(h->path) },
		[SPLICER_HEALTH_A_HOST] = { h->host, sizeof(h->host) },
		[SPLICER_HEALTH_A_BODY] = { h->body, sizeof(h->body) },
	};
	int i;

	memset(h, 0, sizeof(*h));
	if (nla_parse_nested(tb, SPLICER_HEALTH_A_MAX, (struct nlattr *)nest,
			     health_policy))
		return -EBADMSG;
	for (i = 0; i <= SPLICER_HEALTH_A_MAX; i++) {
		if (!tb[i])
			continue;
		if (u32[i]) {
			*u32[i] = nla_get_u32(tb[i]);
		} else if (strs[i].buf) {
			nla_strlcpy(strs[i].buf, tb[i], strs[i].size);
		} else if (i == SPLICER_HEALTH_A_TYPE) {
			h->type = nla_get_u8(tb[i]);
		} else if (i == SPLICER_HEALTH_A_PORT) {
			h->port = nla_get_u16(tb[i]);
		} else if (i == SPLICER_HEALTH_A_EXPECT) {
			int n = nla_len(tb[i]);

			/* 1..8 ranges; anything else is left out. */
			if (n <= 0 || n % (int)sizeof(h->expect[0]) ||
			    n > (int)sizeof(h->expect))
				continue;
			memcpy(h->expect, nla_data(tb[i]), (size_t)n);
			h->nexpect = (uint32_t)n / sizeof(h->expect[0]);
		} else {
			continue;
		}
		SET(h, i);
	}
	return 0;
}

/* ---- words ------------------------------------------------------------ */

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

static void add_ms(char *buf, size_t len, const struct health *h, int attr,
		   const char *word, uint32_t v)
{
	char t[DURATION_STR_MAX];

	if (HAS(h, attr))
		add(buf, len, " %s %s", word, format_duration(v, t, sizeof(t)));
}

static void add_u(char *buf, size_t len, const struct health *h, int attr,
		  const char *word, uint32_t v)
{
	if (HAS(h, attr))
		add(buf, len, " %s %u", word, v);
}

/* Bits 1..9 as "4xx,5xx", "none" for 0; false for bits past them. */
static bool format_classes(uint32_t mask, char *buf, size_t len)
{
	unsigned int n;

	buf[0] = '\0';
	if (!mask) {
		snprintf(buf, len, "none");
		return true;
	}
	for (n = 1; n <= 9; n++)
		if (mask & (1u << n))
			add(buf, len, "%s%uxx", *buf ? "," : "", n);
	mask &= ~0x3feu;
	if (mask)
		add(buf, len, "%s0x%x", *buf ? "," : "", mask);
	return !mask;
}

static void format_expect(const struct health *h, char *buf, size_t len)
{
	uint32_t i;

	buf[0] = '\0';
	for (i = 0; i < h->nexpect && i < SPLICER_EXPECT_MAX; i++) {
		if (h->expect[i].lo == h->expect[i].hi)
			add(buf, len, "%s%u", i ? "," : "", h->expect[i].lo);
		else
			add(buf, len, "%s%u-%u", i ? "," : "", h->expect[i].lo,
			    h->expect[i].hi);
	}
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
static bool add_text(char *buf, size_t len, const struct health *h, int attr,
		     const char *word, const char *s, bool as_command)
{
	const char *why;

	if (!HAS(h, attr))
		return true;
	if (as_command && (why = unwritable(s))) {
		snprintf(buf, len, "the %s \"%.64s\" %s", word, s, why);
		return false;
	}
	add(buf, len, " %s ", word);
	if (as_command)
		add(buf, len, "%s", s);
	else
		add_word(buf, len, s);
	return true;
}

bool health_format(const struct health *h, bool as_command, char *buf,
		   size_t len)
{
	const char *type = health_type_name(h->type);
	char classes[64], expect[SPLICER_EXPECT_MAX * 8 + 1];

	if (!len)
		return false;
	buf[0] = '\0';
	if (!HAS(h, SPLICER_HEALTH_A_TYPE) || !type) {
		snprintf(buf, len, "type %u (unknown to this splicerctl)", h->type);
		return false;
	}
	add(buf, len, "%s", type);
	if (h->type == SPLICER_HEALTH_NONE)
		return true;
	add_ms(buf, len, h, SPLICER_HEALTH_A_INTERVAL, "interval", h->interval);
	add_ms(buf, len, h, SPLICER_HEALTH_A_FASTINTER, "fastinter", h->fastinter);
	add_ms(buf, len, h, SPLICER_HEALTH_A_TIMEOUT, "timeout", h->timeout);
	add_u(buf, len, h, SPLICER_HEALTH_A_RISE, "rise", h->rise);
	add_u(buf, len, h, SPLICER_HEALTH_A_FALL, "fall", h->fall);
	if (HAS(h, SPLICER_HEALTH_A_PORT) && h->port)
		add(buf, len, " port %u", h->port);
	if (HAS(h, SPLICER_HEALTH_A_PASSIVE_ERRORS) && h->passive_errors) {
		add(buf, len, " passive %u", h->passive_errors);
		add_ms(buf, len, h, SPLICER_HEALTH_A_PASSIVE_WINDOW, "window",
		       h->passive_window);
		if (HAS(h, SPLICER_HEALTH_A_PASSIVE_STATUS)) {
			if (!format_classes(h->passive_status, classes, sizeof(classes)) &&
			    as_command) {
				snprintf(buf, len, "status classes 0x%x (unknown to this "
					 "splicerctl)", h->passive_status);
				return false;
			}
			add(buf, len, " status %s", classes);
		}
	}
	if (h->type != SPLICER_HEALTH_HTTP)
		return true;
	if (!add_text(buf, len, h, SPLICER_HEALTH_A_METHOD, "method", h->method,
		      as_command) ||
	    !add_text(buf, len, h, SPLICER_HEALTH_A_PATH, "path", h->path, as_command) ||
	    !add_text(buf, len, h, SPLICER_HEALTH_A_HOST, "host", h->host, as_command))
		return false;
	if (HAS(h, SPLICER_HEALTH_A_EXPECT) && h->nexpect) {
		format_expect(h, expect, sizeof(expect));
		add(buf, len, " expect %s", expect);
	}
	return add_text(buf, len, h, SPLICER_HEALTH_A_BODY, "body", h->body, as_command);
}

void health_print_json(const char *key, const struct health *h)
{
	static const struct {
		int attr;
		const char *key;
		size_t off;
	} u32s[] = {
#define U(a, k, f) { SPLICER_HEALTH_A_##a, k, offsetof(struct health, f) }
		U(INTERVAL, "interval", interval), U(FASTINTER, "fastinter", fastinter),
		U(TIMEOUT, "timeout", timeout), U(RISE, "rise", rise), U(FALL, "fall", fall),
		U(PASSIVE_ERRORS, "passive_errors", passive_errors),
		U(PASSIVE_WINDOW, "passive_window", passive_window),
#undef U
	}, strs[] = {
#define S(a, k, f) { SPLICER_HEALTH_A_##a, k, offsetof(struct health, f) }
		S(METHOD, "method", method), S(PATH, "path", path), S(HOST, "host", host),
		S(BODY, "body", body),
#undef S
	};
	const char *base = (const char *)h;
	unsigned int n;
	size_t i;

	json_open_object(key);
	if (HAS(h, SPLICER_HEALTH_A_TYPE)) {
		if (health_type_name(h->type))
			json_string("type", health_type_name(h->type));
		else
			json_uint("type", h->type);
	}
	for (i = 0; i < ARRAY_SIZE(u32s); i++)
		if (HAS(h, u32s[i].attr))
			json_uint(u32s[i].key, *(const uint32_t *)(base + u32s[i].off));
	if (HAS(h, SPLICER_HEALTH_A_PORT))
		json_uint("port", h->port);
	if (HAS(h, SPLICER_HEALTH_A_PASSIVE_STATUS)) {
		char word[8];

		json_open_array("passive_status");
		for (n = 0; n < 32; n++) {
			if (!(h->passive_status & (1u << n)))
				continue;
			if (n >= 1 && n <= 9) {
				snprintf(word, sizeof(word), "%uxx", n);
				json_string(NULL, word);
			} else {
				json_uint(NULL, 1u << n);
			}
		}
		json_close_array();
	}
	for (i = 0; i < ARRAY_SIZE(strs); i++)
		if (HAS(h, strs[i].attr))
			json_string(strs[i].key, base + strs[i].off);
	if (HAS(h, SPLICER_HEALTH_A_EXPECT)) {
		json_open_array("expect");
		for (i = 0; i < h->nexpect && i < SPLICER_EXPECT_MAX; i++) {
			json_open_object(NULL);
			json_uint("lo", h->expect[i].lo);
			json_uint("hi", h->expect[i].hi);
			json_close_object();
		}
		json_close_array();
	}
	json_close_object();
}

/* ---- a server's checks ------------------------------------------------ */

void server_health_get(struct nlattr *const *tb, struct server *s)
{
	static const struct {
		int attr;
		size_t off, size;
	} nums[] = {
#define N(a, f) { SPLICER_SRV_A_##a, offsetof(struct server, f), \
		  sizeof(((struct server *)0)->f) }
		N(HEALTH, health), N(CHECK_LATENCY, check_latency),
		N(CHECK_FAILS, check_fails), N(CHECKS, checks),
		N(CHECKS_FAILED, checks_failed), N(PASSIVE_ERRORS, passive_errors),
		N(DOWNS, downs),
#undef N
	};
	char *base = (char *)s;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(nums); i++) {
		const struct nlattr *a = tb[nums[i].attr];

		if (!a || nla_len(a) != (int)nums[i].size)
			continue;
		memcpy(base + nums[i].off, nla_data(a), nums[i].size);
		SET(s, nums[i].attr);
	}
	if (tb[SPLICER_SRV_A_CHECK_RESULT]) {
		nla_strlcpy(s->check_result, tb[SPLICER_SRV_A_CHECK_RESULT],
			    sizeof(s->check_result));
		SET(s, SPLICER_SRV_A_CHECK_RESULT);
	}
}

char *format_us(uint32_t us, char *buf, size_t len)
{
	if (us < 1000)
		snprintf(buf, len, "%uus", us);
	else if (us < 1000000)
		snprintf(buf, len, "%.1fms", us / 1000.0);
	else
		snprintf(buf, len, "%.2fs", us / 1000000.0);
	return buf;
}

bool server_health_format(const struct server *s, char *buf, size_t len)
{
	static const struct {
		int attr;
		const char *word;
		size_t off, size;
	} nums[] = {
#define N(a, w, f) { SPLICER_SRV_A_##a, w, offsetof(struct server, f), \
		     sizeof(((struct server *)0)->f) }
		N(CHECK_FAILS, "fails", check_fails), N(CHECKS, "checks", checks),
		N(CHECKS_FAILED, "checks-failed", checks_failed),
		N(PASSIVE_ERRORS, "passive-errors", passive_errors),
		N(DOWNS, "downs", downs),
#undef N
	};
	const char *base = (const char *)s;
	char us[16];
	size_t i;

	if (!len)
		return false;
	buf[0] = '\0';
	if (!HAS(s, SPLICER_SRV_A_HEALTH) || s->health == SPLICER_HEALTH_UNCHECKED)
		return false;
	if (HAS(s, SPLICER_SRV_A_CHECK_RESULT)) {
		add(buf, len, "check ");
		add_word(buf, len, s->check_result);
	}
	if (HAS(s, SPLICER_SRV_A_CHECK_LATENCY))
		add(buf, len, "%slatency %s", *buf ? " " : "",
		    format_us(s->check_latency, us, sizeof(us)));
	for (i = 0; i < ARRAY_SIZE(nums); i++) {
		const void *v = base + nums[i].off;

		if (!HAS(s, nums[i].attr))
			continue;
		add(buf, len, "%s%s %llu", *buf ? " " : "", nums[i].word,
		    nums[i].size == 8 ? (unsigned long long)*(const uint64_t *)v :
					(unsigned long long)*(const uint32_t *)v);
	}
	return true;
}

void server_health_json(const struct server *s)
{
	static const struct {
		int attr;
		const char *key;
		size_t off, size;
	} nums[] = {
#define N(a, k, f) { SPLICER_SRV_A_##a, k, offsetof(struct server, f), \
		     sizeof(((struct server *)0)->f) }
		N(CHECK_LATENCY, "check_latency", check_latency),
		N(CHECK_FAILS, "check_fails", check_fails), N(CHECKS, "checks", checks),
		N(CHECKS_FAILED, "checks_failed", checks_failed),
		N(PASSIVE_ERRORS, "passive_errors", passive_errors),
		N(DOWNS, "downs", downs),
#undef N
	};
	const char *base = (const char *)s;
	size_t i;

	if (HAS(s, SPLICER_SRV_A_HEALTH)) {
		if (health_state_name(s->health))
			json_string("health", health_state_name(s->health));
		else
			json_uint("health", s->health);
	}
	if (HAS(s, SPLICER_SRV_A_CHECK_RESULT))
		json_string("check_result", s->check_result);
	for (i = 0; i < ARRAY_SIZE(nums); i++) {
		const void *v = base + nums[i].off;

		if (HAS(s, nums[i].attr))
			json_uint(nums[i].key, nums[i].size == 8 ? *(const uint64_t *)v :
					       *(const uint32_t *)v);
	}
}
