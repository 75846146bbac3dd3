// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the body decoder. The input is a chunked body, perhaps with
 * the next message behind it.
 *
 * - one feed, random segments and byte-by-byte feeds give the same result;
 * - that result agrees with ref_chunked() below, a second decoder written
 *   independently in the simplest style (whole lines, a complete buffer):
 *   done at the same byte, or both refusing. The incremental decoder may
 *   refuse a line before the line is complete; the reference cannot, so
 *   where the reference needs more bytes, either answer is accepted;
 * - a Content-Length body over the same bytes ends where it should.
 */
#include "fuzz.h"

enum { REF_ERROR = -1, REF_MORE = -2 };

static int ref_hex(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool ref_tchar(uint8_t c)
{
	return c && c < 0x80 && (strchr("!#$%&'*+-.^_`|~", c) ||
				 (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
				 (c >= 'A' && c <= 'Z'));
}

static bool ref_ws(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* VCHAR, obs-text, SP, HTAB */
static bool ref_text(uint8_t c)
{
	return ref_ws(c) || (c > 0x20 && c != 0x7f);
}

/* The CR ending the line at @p, REF_MORE, or REF_ERROR for a bare CR or LF. */
static long ref_line(const uint8_t *d, uint32_t len, uint32_t p)
{
	uint32_t i;

	for (i = p; i < len; i++) {
		if (d[i] == '\n')
			return REF_ERROR;
		if (d[i] == '\r') {
			if (i + 1 == len)
				return REF_MORE;
			return d[i + 1] == '\n' ? (long)i : REF_ERROR;
		}
	}
	return REF_MORE;
}

/*
 * chunk-size [ chunk-ext ], RFC 9112 7.1.1:
 *   chunk-size = 1*HEXDIG (16 digits at most here)
 *   chunk-ext  = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )
 * with 256 bytes at most after the digits.
 */
static bool ref_size_line(const uint8_t *s, uint32_t n, uint64_t *size)
{
	uint32_t i = 0, j;

	*size = 0;
	while (i < n && ref_hex(s[i]) >= 0) {
		if (i == 16)
			return false;
		*size = *size * 16 + ref_hex(s[i]);
		i++;
	}
	if (i == 0 || n - i > 256)
		return false;
	while (i < n) {
		while (i < n && ref_ws(s[i]))
			i++;
		if (i == n || s[i] != ';')
			return false;
		i++;
		while (i < n && ref_ws(s[i]))
			i++;
		j = i;
		while (i < n && ref_tchar(s[i]))
			i++;
		if (i == j)
			return false;
		j = i;
		while (i < n && ref_ws(s[i]))
			i++;
		if (i == n || s[i] != '=') {
			i = j;
			continue;
		}
		i++;
		while (i < n && ref_ws(s[i]))
			i++;
		if (i < n && s[i] == '"') {
			for (i++; i < n && s[i] != '"'; i++) {
				if (s[i] == '\\') {
					i++;
					if (i == n || !ref_text(s[i]))
						return false;
				} else if (!ref_text(s[i])) {
					return false;
				}
			}
			if (i == n)
				return false;
			i++;
		} else {
			j = i;
			while (i < n && ref_tchar(s[i]))
				i++;
			if (i == j)
				return false;
		}
	}
	return true;
}

static bool ref_forbidden(const uint8_t *name, uint32_t n)
{
	static const char *const names[] = { "content-length", "transfer-encoding", "host" };
	uint32_t k, i;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		if (strlen(names[k]) != n)
			continue;
		for (i = 0; i < n; i++)
			if ((name[i] | 0x20) != (uint8_t)names[k][i])
				break;
		if (i == n)
			return true;
	}
	return false;
}

/* The trailer section from @t0: field lines, then CRLF. */
static long ref_trailer_lines(const uint8_t *d, uint32_t len, uint32_t t0)
{
	uint32_t p = t0, count = 0, i;
	long e;

	for (;;) {
		e = ref_line(d, len, p);
		if (e < 0)
			return e;
		if ((uint32_t)e == p)
			return e + 2;
		if (++count > SPL_HTTP_MAX_TRAILERS)
			return REF_ERROR;
		for (i = p; i < (uint32_t)e && ref_tchar(d[i]); i++)
			;
		if (i == p || i == (uint32_t)e || d[i] != ':' || ref_forbidden(d + p, i - p))
			return REF_ERROR;
		for (i++; i < (uint32_t)e; i++)
			if (!ref_text(d[i]))
				return REF_ERROR;
		p = e + 2;
	}
}

/* ... and 8192 bytes at most: what does not end within them is refused. */
static long ref_trailers(const uint8_t *d, uint32_t len, uint32_t t0)
{
	uint32_t room = len - t0 > SPL_HTTP_MAX_TRAILER_BYTES ?
			t0 + SPL_HTTP_MAX_TRAILER_BYTES : len;
	long r = ref_trailer_lines(d, room, t0);

	return r == REF_MORE && room < len ? REF_ERROR : r;
}

/* The length of the chunked message at the start of @d, REF_MORE or REF_ERROR. */
static long ref_chunked(const uint8_t *d, uint32_t len)
{
	uint32_t p = 0;

	for (;;) {
		uint64_t size;
		long e = ref_line(d, len, p);

		if (e < 0)
			return e;
		if (!ref_size_line(d + p, e - p, &size))
			return REF_ERROR;
		p = e + 2;
		if (!size)
			return ref_trailers(d, len, p);
		if (len - p < size)
			return REF_MORE;
		p += size;
		if (p == len)
			return REF_MORE;
		if (d[p] != '\r')
			return REF_ERROR;
		if (p + 1 == len)
			return REF_MORE;
		if (d[p + 1] != '\n')
			return REF_ERROR;
		p += 2;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t seed = fuzz_seed(data, size), cl;
	uint32_t len = size;
	struct spl_http_body b;
	bool done, done2;
	int whole, seg;
	uint8_t *p;
	long ref;

	if (size > FUZZ_MAX_LEN)
		return 0;

	/* one feed */
	p = fuzz_copy(data, len);
	spl_http_body_init(&b, SPL_HTTP_BODY_CHUNKED, 0);
	whole = spl_http_body_feed(&b, p, len, &done);
	free(p);
	if (whole < 0) {
		CHECK(whole == -EBADMSG && b.reason);
	} else {
		CHECK((uint32_t)whole <= len);
		CHECK(done || (uint32_t)whole == len);
	}

	/* random segments, and byte by byte */
	spl_http_body_init(&b, SPL_HTTP_BODY_CHUNKED, 0);
	seg = fuzz_feed_segments(&b, data, len, &seed, 0, &done2);
	CHECK(seg == whole);
	if (whole >= 0)
		CHECK(done2 == done);
	if (len <= 8192) {
		spl_http_body_init(&b, SPL_HTTP_BODY_CHUNKED, 0);
		seg = fuzz_feed_segments(&b, data, len, &seed, 1, &done2);
		CHECK(seg == whole);
		if (whole >= 0)
			CHECK(done2 == done);
	}

	/* the reference */
	ref = ref_chunked(data, len);
	if (ref >= 0)
		CHECK(whole == ref && done);
	else if (ref == REF_ERROR)
		CHECK(whole == -EBADMSG);
	else
		CHECK(whole == -EBADMSG || (!done && (uint32_t)whole == len));

	/* Content-Length over the same bytes */
	cl = seed % ((uint64_t)len + 2);
	spl_http_body_init(&b, SPL_HTTP_BODY_CL, cl);
	seg = fuzz_feed_segments(&b, data, len, &seed, 0, &done);
	CHECK(seg == (int)(cl < len ? cl : len));
	CHECK(done == (cl <= len));
	return 0;
}
