// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line value parsing and formatting for splicerctl: pure functions,
 * unit-tested by tests/parse_test.c.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/splicer.h>

#include "parse.h"

/*
 * Parse a run of decimal digits at *s into *out, stopping at the first
 * non-digit. Fails on no digits or on a value above limit.
 */
static const char *parse_digits(const char **s, uint64_t limit, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;

	if (*p < '0' || *p > '9')
		return "not a number";
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (limit - d) / 10)
			return "too large";
		v = v * 10 + d;
	}
	*s = p;
	*out = v;
	return NULL;
}

const char *parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	const char *err;
	uint64_t v;

	if (!s)
		return "missing value";
	err = parse_digits(&s, UINT32_MAX, &v);
	if (err)
		return err;
	if (*s)
		return "not a number";
	if (v < min || v > max)
		return "out of range";
	*out = (uint32_t)v;
	return NULL;
}

static const char *parse_port(const char *s, uint16_t *out)
{
	uint32_t v;

	if (!*s)
		return "missing port";
	if (parse_u32(s, 1, 65535, &v))
		return "port must be a number 1..65535";
	*out = (uint16_t)v;
	return NULL;
}

const char *parse_addrport(const char *s, struct addrport *out)
{
	char host[ADDR_STR_MAX];
	const char *colon, *end;
	struct addrport ap;
	size_t n;

	if (!s || !*s)
		return "missing ADDR:PORT";
	memset(&ap, 0, sizeof(ap));

	if (s[0] == '[') {
		end = strchr(s, ']');
		if (!end)
			return "missing ']' after IPv6 address";
		n = (size_t)(end - s - 1);
		if (n == 0)
			return "missing address";
		if (n >= sizeof(host))
			return "not an IPv6 address";
		memcpy(host, s + 1, n);
		host[n] = '\0';
		if (strchr(host, '%'))
			return "IPv6 zone ids are not supported";
		if (inet_pton(AF_INET6, host, ap.addr) != 1)
			return "not an IPv6 address";
		if (end[1] != ':')
			return end[1] ? "expected ':' after ']'" : "missing :PORT";
		ap.family = AF_INET6;
		colon = end + 1;
	} else {
		colon = strchr(s, ':');
		if (!colon)
			return "missing :PORT";
		if (strchr(colon + 1, ':'))
			return "IPv6 addresses need brackets: [ADDR]:PORT";
		n = (size_t)(colon - s);
		if (n == 0)
			return "missing address";
		if (n >= sizeof(host))
			return "not an IPv4 address";
		memcpy(host, s, n);
		host[n] = '\0';
		if (inet_pton(AF_INET, host, ap.addr) != 1)
			return "not an IPv4 address";
		ap.family = AF_INET;
	}

	{
		const char *err = parse_port(colon + 1, &ap.port);

		if (err)
			return err;
	}
	*out = ap;
	return NULL;
}

static const struct unit {
	const char *name;
	uint32_t mult;
} duration_units[] = {
	{ "", 1 },
	{ "ms", 1 },
	{ "s", 1000 },
	{ "m", 60 * 1000 },
	{ "h", 60 * 60 * 1000 },
	{ NULL, 0 }
}, byte_units[] = {
	{ "", 1 },
	{ "k", 1024 }, { "K", 1024 }, { "KiB", 1024 },
	{ "m", 1024 * 1024 }, { "M", 1024 * 1024 }, { "MiB", 1024 * 1024 },
	{ NULL, 0 }
};

static const char *parse_scaled(const char *s, const struct unit *units,
				const char *what, uint32_t *out)
{
	const struct unit *u;
	uint64_t v;

	if (!s)
		return "missing value";
	if (parse_digits(&s, UINT32_MAX, &v))
		return *s >= '0' && *s <= '9' ? "too large" : what;
	for (u = units; u->name; u++)
		if (!strcmp(s, u->name))
			break;
	if (!u->name)
		return what;
	if (v > UINT32_MAX / u->mult)
		return "too large";
	*out = (uint32_t)(v * u->mult);
	return NULL;
}

const char *parse_duration_ms(const char *s, uint32_t *out)
{
	const char *err = parse_scaled(s, duration_units,
			"not a duration (500ms, 10s, 2m, 1h or milliseconds)", out);

	if (err && !strcmp(err, "too large"))
		return "too long (the limit is 4294967295ms, about 49 days)";
	return err;
}

const char *parse_duration_s(const char *s, uint32_t *out)
{
	static const struct {
		const char *name;
		uint32_t mult;
	} units[] = { { "", 1 }, { "s", 1 }, { "m", 60 }, { "h", 3600 } };
	const char *what = "not a duration in seconds (90, 90s, 2m, 1h)";
	uint64_t v;
	size_t i;

	if (!s)
		return "missing value";
	if (parse_digits(&s, UINT64_MAX, &v))
		return *s >= '0' && *s <= '9' ?
			"too long (the limit is 4294967295 seconds)" : what;
	if (!strcmp(s, "ms")) {
		if (v && v < 1000)
			return "less than a second (persistence times are whole seconds)";
		if (v % 1000)
			return "not a whole number of seconds";
		v /= 1000;
		s += 2;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(s, units[i].name))
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		return what;
	if (v > UINT32_MAX / units[i].mult)
		return "too long (the limit is 4294967295 seconds)";
	*out = (uint32_t)(v * units[i].mult);
	return NULL;
}

const char *parse_bytes(const char *s, uint32_t *out)
{
	const char *err = parse_scaled(s, byte_units,
			"not a size (bytes, or with k or M)", out);

	if (err && !strcmp(err, "too large"))
		return "too large (the limit is 4294967295 bytes)";
	return err;
}

const char *parse_name(const char *s)
{
	size_t n;

	if (!s || !*s)
		return "empty name";
	n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
		      "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789_.-");
	if (s[n])
		return "names may only use A-Z a-z 0-9 _ . -";
	if (n > SPLICER_NAME_MAX - 1)
		return "name longer than 31 characters";
	return NULL;
}

const char *parse_token_name(const char *s)
{
	size_t n;

	if (!s || !*s)
		return "empty name";
	n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
		      "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789!#$%&'*+-.^_`|~");
	if (s[n])
		return "not a token: names may only use A-Z a-z 0-9 and "
		       "! # $ % & ' * + - . ^ _ ` | ~ (RFC 6265)";
	if (n > SPLICER_COOKIE_NAME_MAX - 1)
		return "name longer than 63 characters";
	return NULL;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

const char *parse_hex_key(const char *s, uint8_t out[16])
{
	uint8_t key[SPLICER_KEY_LEN];
	size_t i;

	if (!s || !*s)
		return "missing key";
	for (i = 0; s[i]; i++)
		if (hex_digit(s[i]) < 0)
			return "not a hex key (32 digits 0-9 a-f)";
	if (i != 2 * SPLICER_KEY_LEN)
		return "a key is exactly 32 hex digits (16 bytes)";
	for (i = 0; i < SPLICER_KEY_LEN; i++)
		key[i] = (uint8_t)(hex_digit(s[2 * i]) << 4 | hex_digit(s[2 * i + 1]));
	memcpy(out, key, sizeof(key));
	return NULL;
}

static const char *const balance_names[] = {
	[SPLICER_BALANCE_ROUNDROBIN] = "roundrobin",
	[SPLICER_BALANCE_LEASTCONN] = "leastconn",
};

static const char *const state_names[] = {
	[SPLICER_SRV_STATE_UP] = "up",
	[SPLICER_SRV_STATE_DRAIN] = "drain",
	[SPLICER_SRV_STATE_MAINT] = "maint",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int lookup(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -1;
}

const char *parse_balance(const char *s, uint8_t *out)
{
	int i = lookup(balance_names, ARRAY_SIZE(balance_names), s);

	if (i < 0)
		return "balance must be roundrobin or leastconn";
	*out = (uint8_t)i;
	return NULL;
}

const char *parse_state(const char *s, uint8_t *out)
{
	int i = lookup(state_names, ARRAY_SIZE(state_names), s);

	if (i < 0)
		return "state must be up, drain or maint";
	*out = (uint8_t)i;
	return NULL;
}

const char *parse_onoff(const char *s, uint8_t *out)
{
	if (s && !strcmp(s, "on")) {
		*out = 1;
		return NULL;
	}
	if (s && !strcmp(s, "off")) {
		*out = 0;
		return NULL;
	}
	return "expected on or off";
}

const char *onoff_name(uint8_t v)
{
	return v ? "on" : "off";
}

const char *balance_name(uint8_t v)
{
	return v < ARRAY_SIZE(balance_names) ? balance_names[v] : NULL;
}

const char *state_name(uint8_t v)
{
	return v < ARRAY_SIZE(state_names) ? state_names[v] : NULL;
}

size_t addr_len(uint16_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

const char *family_name(uint16_t family)
{
	return family == AF_INET ? "inet" : family == AF_INET6 ? "inet6" : NULL;
}

char *format_addr(const struct addrport *ap, char *buf, size_t len)
{
	if (!len)
		return buf;
	if (!addr_len(ap->family) ||
	    !inet_ntop(ap->family, ap->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

char *format_addrport(const struct addrport *ap, char *buf, size_t len)
{
	char host[ADDR_STR_MAX];

	format_addr(ap, host, sizeof(host));
	snprintf(buf, len, ap->family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 host, ap->port);
	return buf;
}

char *format_duration(uint32_t ms, char *buf, size_t len)
{
	if (ms && ms % (60 * 60 * 1000) == 0)
		snprintf(buf, len, "%uh", ms / (60 * 60 * 1000));
	else if (ms && ms % (60 * 1000) == 0)
		snprintf(buf, len, "%um", ms / (60 * 1000));
	else if (ms && ms % 1000 == 0)
		snprintf(buf, len, "%us", ms / 1000);
	else
		snprintf(buf, len, "%ums", ms);
	return buf;
}

char *format_seconds(uint32_t s, char *buf, size_t len)
{
	if (s && s % 3600 == 0)
		snprintf(buf, len, "%uh", s / 3600);
	else if (s && s % 60 == 0)
		snprintf(buf, len, "%um", s / 60);
	else
		snprintf(buf, len, "%us", s);
	return buf;
}

/* ---- keyword/value pairs --------------------------------------------- */

static const char *parse_kw_value(const struct kw *k, const char *val, void *dst,
				  char *range, size_t rlen)
{
	uint32_t *u32 = dst;

	switch (k->type) {
	case KW_NAME: {
		const char *err = parse_name(val);

		if (!err)
			snprintf(dst, SPLICER_NAME_MAX, "%s", val);
		return err;
	}
	case KW_ADDRPORT:
		return parse_addrport(val, dst);
	case KW_U32: {
		const char *err = parse_u32(val, k->min, k->max, u32);

		if (err && !strcmp(err, "out of range"))
			snprintf(range, rlen, " (%u..%u)", k->min, k->max);
		return err;
	}
	case KW_MAXCONN:
		if (!strcmp(val, "unlimited")) {
			*u32 = 0;
			return NULL;
		}
		return parse_u32(val, 0, UINT32_MAX, u32);
	case KW_BYTES:
		return parse_bytes(val, u32);
	case KW_DURATION:
		return parse_duration_ms(val, u32);
	case KW_BALANCE:
		return parse_balance(val, dst);
	case KW_STATE:
		return parse_state(val, dst);
	case KW_ONOFF:
		return parse_onoff(val, dst);
	}
	return "unsupported";
}

int parse_kw_args(const struct kw *kws, size_t nkws, int argc, char *const *argv,
		  void *obj, uint32_t *has, char *err, size_t errlen)
{
	uint32_t seen = 0;
	int i;

	for (i = 0; i < argc; i += 2) {
		const char *word = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		char range[48] = "";
		const struct kw *k = NULL;
		const char *why;
		size_t j;

		for (j = 0; j < nkws; j++)
			if (!strcmp(kws[j].name, word))
				k = &kws[j];
		if (!k) {
			snprintf(err, errlen, "unknown keyword \"%s\"", word);
			return -1;
		}
		if (k->fixed) {
			snprintf(err, errlen, "\"%s\" %s", word, k->fixed);
			return -1;
		}
		if (seen & (1u << k->attr)) {
			snprintf(err, errlen, "\"%s\" given twice", word);
			return -1;
		}
		if (!val) {
			snprintf(err, errlen, "\"%s\" needs a value", word);
			return -1;
		}
		why = parse_kw_value(k, val, (char *)obj + k->off, range, sizeof(range));
		if (why) {
			snprintf(err, errlen, "%s \"%s\": %s%s", word, val, why, range);
			return -1;
		}
		seen |= 1u << k->attr;
	}
	*has |= seen;
	return 0;
}
