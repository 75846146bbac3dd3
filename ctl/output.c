// SPDX-License-Identifier: GPL-2.0
/*
 * Output helpers for splicerctl: JSON string escaping and a streaming JSON
 * writer with comma bookkeeping, plus the names of counters.
 */
#include <string.h>

#include <linux/splicer.h>

#include "output.h"

/*
 * Length of the valid UTF-8 sequence at s (1..4), or 0 if the bytes there
 * are not one (overlong forms, surrogates and values above U+10FFFF are
 * invalid).
 */
static size_t utf8_seq_len(const unsigned char *s)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	else if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;	/* also stops at the NUL */
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_escape(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t n;

	fputc('"', f);
	while (*s) {
		switch (*s) {
		case '"':  fputs("\\\"", f); s++; continue;
		case '\\': fputs("\\\\", f); s++; continue;
		case '\b': fputs("\\b", f); s++; continue;
		case '\f': fputs("\\f", f); s++; continue;
		case '\n': fputs("\\n", f); s++; continue;
		case '\r': fputs("\\r", f); s++; continue;
		case '\t': fputs("\\t", f); s++; continue;
		}
		if (*s < 0x20 || *s == 0x7f) {
			fprintf(f, "\\u%04x", *s);
			s++;
			continue;
		}
		n = utf8_seq_len(s);
		if (!n) {
			/* Not UTF-8: keep the document valid. */
			fputs("\\ufffd", f);
			s++;
			continue;
		}
		fwrite(s, 1, n, f);
		s += n;
	}
	fputc('"', f);
}

#define JSON_DEPTH 16

static struct {
	FILE *f;		/* NULL: stdout */
	int depth;
	bool first[JSON_DEPTH];	/* no member written yet at this level */
} js = { .first = { true } };

#define OUT (js.f ? js.f : stdout)

void json_set_file(FILE *f)
{
	js.f = f;
}

static void json_key(const char *key)
{
	if (!js.first[js.depth])
		fputc(',', OUT);
	js.first[js.depth] = false;
	if (key) {
		json_escape(OUT, key);
		fputc(':', OUT);
	}
}

static void json_push(const char *key, char c)
{
	json_key(key);
	fputc(c, OUT);
	if (js.depth < JSON_DEPTH - 1)
		js.depth++;
	js.first[js.depth] = true;
}

static void json_pop(char c)
{
	fputc(c, OUT);
	if (js.depth > 0)
		js.depth--;
}

void json_open_object(const char *key)
{
	json_push(key, '{');
}

void json_close_object(void)
{
	json_pop('}');
}

void json_open_array(const char *key)
{
	json_push(key, '[');
}

void json_close_array(void)
{
	json_pop(']');
}

void json_string(const char *key, const char *val)
{
	json_key(key);
	json_escape(OUT, val);
}

void json_uint(const char *key, uint64_t val)
{
	json_key(key);
	fprintf(OUT, "%llu", (unsigned long long)val);
}

void json_bool(const char *key, bool val)
{
	json_key(key);
	fputs(val ? "true" : "false", OUT);
}

void json_end(void)
{
	fputc('\n', OUT);
	js.depth = 0;
	js.first[0] = true;
}

static const char *const counter_names[] = {
	[SPLICER_CNT_CONNS] = "conns",
	[SPLICER_CNT_ACTIVE] = "active",
	[SPLICER_CNT_REQUESTS] = "requests",
	[SPLICER_CNT_BYTES_IN] = "bytes_in",
	[SPLICER_CNT_BYTES_OUT] = "bytes_out",
	[SPLICER_CNT_CONNECT_FAIL] = "connect_fail",
	[SPLICER_CNT_RETRIES] = "retries",
	[SPLICER_CNT_RESP_400] = "resp_400",
	[SPLICER_CNT_RESP_408] = "resp_408",
	[SPLICER_CNT_RESP_431] = "resp_431",
	[SPLICER_CNT_RESP_502] = "resp_502",
	[SPLICER_CNT_RESP_503] = "resp_503",
	[SPLICER_CNT_RESP_504] = "resp_504",
	[SPLICER_CNT_RESP_501] = "resp_501",
	[SPLICER_CNT_RESP_505] = "resp_505",
	[SPLICER_CNT_RESP_414] = "resp_414",
	[SPLICER_CNT_LOG_DROPS] = "log_drops",
	[SPLICER_CNT_PERSIST_HITS] = "persist_hits",
	[SPLICER_CNT_PERSIST_NEW] = "persist_new",
	[SPLICER_CNT_PERSIST_REDISPATCH] = "persist_redispatch",
	[SPLICER_CNT_PERSIST_INVALID] = "persist_invalid",
	[SPLICER_CNT_STICK_EVICTIONS] = "stick_evictions",
	[SPLICER_CNT_SPLICED] = "spliced",
	[SPLICER_CNT_SPLICE_BYTES_IN] = "splice_bytes_in",
	[SPLICER_CNT_SPLICE_BYTES_OUT] = "splice_bytes_out",
	[SPLICER_CNT_SPLICE_FALLBACK] = "splice_fallback",
	[SPLICER_CNT_TLS_HANDSHAKES] = "tls_handshakes",
	[SPLICER_CNT_TLS_FAILED] = "tls_failed",
	[SPLICER_CNT_TLS_REFUSED] = "tls_refused",
	[SPLICER_CNT_REBINDS] = "rebinds",
};

const char *counter_name(unsigned int type, char *buf, size_t len)
{
	if (type < sizeof(counter_names) / sizeof(counter_names[0]) &&
	    counter_names[type])
		return counter_names[type];
	snprintf(buf, len, "cnt_%u", type);
	return buf;
}
