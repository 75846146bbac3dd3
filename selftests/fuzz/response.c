// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: response heads, and the body after them. The input is what a
 * server sends.
 *
 * - spl_http_head_end() gives the same answer whole and in random segments;
 * - spl_http_parse_response(): 0 or 502; an accepted head is well formed,
 *   its status in 100..599, its framing unambiguous;
 * - spl_http_resp_body() follows the rules for GET, HEAD and CONNECT;
 * - the bytes after the head framed as that body: a single feed, random
 *   segments and byte-by-byte feeds agree.
 */
#include "fuzz.h"

static const uint8_t methods[] = { SPL_HTTP_M_GET, SPL_HTTP_M_HEAD, SPL_HTTP_M_CONNECT };

static void check_body_kind(const struct spl_http_resp *resp, uint8_t method)
{
	enum spl_http_body_kind k = spl_http_resp_body(resp, method);
	uint16_t s = resp->status;

	if (s == 101)
		CHECK(k == SPL_HTTP_BODY_TUNNEL);
	else if (s < 200)
		CHECK(k == SPL_HTTP_BODY_NONE);
	else if (method == SPL_HTTP_M_CONNECT && s < 300)
		CHECK(k == SPL_HTTP_BODY_TUNNEL);
	else if (method == SPL_HTTP_M_HEAD || s == 204 || s == 304)
		CHECK(k == SPL_HTTP_BODY_NONE);
	else if (resp->flags & SPL_HTTP_F_CHUNKED)
		CHECK(k == SPL_HTTP_BODY_CHUNKED);
	else if (resp->flags & SPL_HTTP_F_CL)
		CHECK(k == (resp->content_length ? SPL_HTTP_BODY_CL : SPL_HTTP_BODY_NONE));
	else
		CHECK(k == SPL_HTTP_BODY_EOF);
}

/* The body after the head: every segmentation gives the same result. */
static void check_body(const struct spl_http_resp *resp, const uint8_t *data,
		       uint32_t len, uint64_t *seed)
{
	enum spl_http_body_kind k = spl_http_resp_body(resp, SPL_HTTP_M_GET);
	struct spl_http_body b;
	bool done, done2;
	int whole, seg;
	uint8_t *p = fuzz_copy(data, len);

	spl_http_body_init(&b, k, resp->content_length);
	whole = spl_http_body_feed(&b, p, len, &done);
	free(p);
	if (whole < 0) {
		CHECK(whole == -EBADMSG && b.reason);
		CHECK(k == SPL_HTTP_BODY_CHUNKED);
	} else {
		CHECK((uint32_t)whole <= len);
		CHECK(done || (uint32_t)whole == len);
		if (k == SPL_HTTP_BODY_NONE)
			CHECK(done && whole == 0);
		if (k == SPL_HTTP_BODY_EOF || k == SPL_HTTP_BODY_TUNNEL)
			CHECK(!done && (uint32_t)whole == len);
		if (k == SPL_HTTP_BODY_CL)
			CHECK(done == (resp->content_length <= len));
	}

	spl_http_body_init(&b, k, resp->content_length);
	seg = fuzz_feed_segments(&b, data, len, seed, 0, &done2);
	CHECK(seg == whole);
	if (whole >= 0)
		CHECK(done2 == done);
	if (len <= 4096) {
		spl_http_body_init(&b, k, resp->content_length);
		seg = fuzz_feed_segments(&b, data, len, seed, 1, &done2);
		CHECK(seg == whole);
		if (whole >= 0)
			CHECK(done2 == done);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t seed = fuzz_seed(data, size);
	struct spl_http_resp resp;
	uint32_t len = size, hl, i;
	uint8_t *head;
	int end, st;

	if (size > FUZZ_MAX_LEN)
		return 0;
	end = fuzz_head_end(data, len, &seed);
	hl = end > 0 ? (uint32_t)end : len;
	head = fuzz_copy(data, hl);
	st = spl_http_parse_response(head, hl, &resp);
	if (st) {
		CHECK(st == 502 && resp.reason);
		free(head);
		return 0;
	}
	CHECK(end > 0);
	CHECK(!resp.reason && resp.head_len == hl);
	fuzz_check_accepted_head(head, hl);
	CHECK(!memcmp(head, "HTTP/1.", 7) && head[0] != '\r');
	CHECK(resp.status >= 100 && resp.status <= 599);
	CHECK(resp.minor <= 1);
	CHECK(resp.nheaders <= SPL_HTTP_MAX_HEADERS);
	CHECK(!((resp.flags & SPL_HTTP_F_CL) && (resp.flags & SPL_HTTP_F_CHUNKED)));
	if (resp.flags & SPL_HTTP_F_CHUNKED)
		CHECK(resp.minor == 1 && resp.status >= 200 && resp.status != 204);
	if (resp.status < 200 || resp.status == 204)
		CHECK(resp.content_length == 0);
	free(head);

	for (i = 0; i < sizeof(methods); i++)
		check_body_kind(&resp, methods[i]);
	check_body(&resp, data + hl, len - hl, &seed);
	return 0;
}
