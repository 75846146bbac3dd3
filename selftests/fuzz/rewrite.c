// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: request head rewriting (kmod/rewrite.c) on every head the
 * parser accepts. The input is what a client sends; the first byte also
 * picks the Connection flags the rewrite is told about.
 *
 * - the rewrite never writes past the buffer (ASan) and reports -1 only
 *   when the room is short, -2 only for a Connection option naming a
 *   framing field;
 * - a rewritten head still parses, with the same method, target, version,
 *   Host and body framing, ends with the bytes that followed the head, and
 *   carries exactly one X-Forwarded-Proto (ours), with our address last
 *   in the last X-Forwarded-For.
 */
#include "fuzz.h"
#include "rewrite.h"

static const char client[] = "198.18.0.2";

static bool line_is(const uint8_t *p, uint32_t len, const char *s)
{
	size_t n = strlen(s), i;

	if (len < n)
		return false;
	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (c != (uint8_t)s[i])
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spl_http_req req, again;
	struct spl_rewrite rw = { .client = client, .proto = "http" };
	uint32_t scan = 0, len, tail, i, xfp = 0, xff_last = 0, xff_end = 0;
	uint8_t *buf;
	int end, n;

	if (size < 2 || size > FUZZ_MAX_LEN)
		return 0;
	rw.conn = data[0] & (SPL_HTTP_F_CLOSE | SPL_HTTP_F_KEEPALIVE | SPL_HTTP_F_UPGRADE);
	data++;
	size--;
	len = size;
	end = spl_http_head_end(data, len, &scan);
	if (end <= 0 || spl_http_parse_request(data, end, NULL, &req))
		return 0;
	tail = len - end;

	buf = malloc(len + SPL_REWRITE_ROOM);
	CHECK(buf);
	memcpy(buf, data, len);
	n = spl_http_rewrite_request(buf, end, tail, len + SPL_REWRITE_ROOM, &rw);
	if (n < 0) {
		CHECK(n == -2);
		CHECK(!memcmp(buf, data, len));
		free(buf);
		return 0;
	}
	CHECK(n >= 4 && (uint32_t)n + tail <= len + SPL_REWRITE_ROOM);
	CHECK(!memcmp(buf + n, data + end, tail));
	CHECK(!spl_http_parse_request(buf, n, NULL, &again));
	CHECK(again.method == req.method && again.minor == req.minor);
	CHECK(again.target_len == req.target_len &&
	      !memcmp(buf + again.target_off, data + req.target_off, req.target_len));
	CHECK((again.flags & (SPL_HTTP_F_CL | SPL_HTTP_F_CHUNKED | SPL_HTTP_F_HOST)) ==
	      (req.flags & (SPL_HTTP_F_CL | SPL_HTTP_F_CHUNKED | SPL_HTTP_F_HOST)));
	CHECK(again.content_length == req.content_length);
	for (i = again.line_off; i < (uint32_t)n; ) {
		uint32_t eol = i;

		while (eol + 1 < (uint32_t)n && !(buf[eol] == '\r' && buf[eol + 1] == '\n'))
			eol++;
		if (line_is(buf + i, eol - i, "x-forwarded-proto:"))
			xfp++;
		if (line_is(buf + i, eol - i, "x-forwarded-for:")) {
			xff_last = i;
			xff_end = eol;
		}
		i = eol + 2;
	}
	CHECK(xfp == 1);
	CHECK(xff_last && xff_end - xff_last >= sizeof(client) - 1);
	/* our address ends the last X-Forwarded-For, before any trailing OWS */
	while (xff_end > xff_last && (buf[xff_end - 1] == ' ' || buf[xff_end - 1] == '\t'))
		xff_end--;
	CHECK(!memcmp(buf + xff_end - (sizeof(client) - 1), client, sizeof(client) - 1));
	free(buf);
	return 0;
}
