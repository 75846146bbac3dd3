// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: request heads. The input is what a client sends.
 *
 * - spl_http_head_end() gives the same answer whole and in random segments;
 * - spl_http_parse_request() with the default limits and with tight ones
 *   (taken from the input's hash): an accepted head is well formed (see
 *   fuzz_check_accepted_head), its fields point inside it and agree with the
 *   rules (no CL with TE, Host in 1.1, ...); a rejection is one of the
 *   documented statuses with a reason; tight limits only add 414 and 431;
 * - spl_http_head_too_large() answers 414 or 431.
 */
#include "fuzz.h"

static void check_request(int st, const struct spl_http_req *req,
			  const uint8_t *p, uint32_t len, uint16_t max_headers)
{
	uint32_t i;

	if (st) {
		CHECK(st == 400 || st == 414 || st == 431 || st == 501 || st == 505);
		CHECK(req->reason);
		return;
	}
	CHECK(!req->reason);
	CHECK(req->head_len == len);
	fuzz_check_accepted_head(p, len);
	CHECK(req->method <= SPL_HTTP_M_TRACE);
	CHECK(req->minor <= 1);
	CHECK(req->nheaders <= max_headers);
	CHECK(req->line_off % 2 == 0 && req->line_off < len);
	CHECK(req->target_len > 0 && req->target_off > req->line_off);
	CHECK(req->target_off + req->target_len < len);
	for (i = 0; i < req->target_len; i++)
		CHECK(p[req->target_off + i] > 0x20 && p[req->target_off + i] < 0x7f);
	if (req->flags & SPL_HTTP_F_HOST)
		CHECK(req->host_off + req->host_len <= len);
	else
		CHECK(req->minor == 0);
	CHECK(!((req->flags & SPL_HTTP_F_CL) && (req->flags & SPL_HTTP_F_CHUNKED)));
	if (req->flags & SPL_HTTP_F_CHUNKED)
		CHECK(req->minor == 1 && spl_http_req_body(req) == SPL_HTTP_BODY_CHUNKED);
	else if ((req->flags & SPL_HTTP_F_CL) && req->content_length)
		CHECK(spl_http_req_body(req) == SPL_HTTP_BODY_CL);
	else
		CHECK(spl_http_req_body(req) == SPL_HTTP_BODY_NONE);
	CHECK(req->content_length <= (~0ULL >> 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t seed = fuzz_seed(data, size);
	struct spl_http_limits tight = {
		.max_line = 1 + seed % 64,
		.max_headers = 1 + (seed >> 8) % 8,
	};
	struct spl_http_req req, req2;
	uint32_t len = size, hl;
	uint8_t *head;
	int end, st, st2, big;

	if (size > FUZZ_MAX_LEN)
		return 0;
	end = fuzz_head_end(data, len, &seed);

	/* the head it delimits, or the whole input: the parser takes anything */
	hl = end > 0 ? (uint32_t)end : len;
	head = fuzz_copy(data, hl);
	st = spl_http_parse_request(head, hl, NULL, &req);
	check_request(st, &req, head, hl, SPL_HTTP_MAX_HEADERS);
	if (end < 0 || (end == 0 && len > 0))
		CHECK(st != 0);

	st2 = spl_http_parse_request(head, hl, &tight, &req2);
	check_request(st2, &req2, head, hl, tight.max_headers);
	if (!st)
		CHECK(st2 == 0 || st2 == 414 || st2 == 431);
	if (!st2) {
		CHECK(!st);
		CHECK(req.head_len == req2.head_len && req.line_off == req2.line_off &&
		      req.target_off == req2.target_off && req.target_len == req2.target_len &&
		      req.host_off == req2.host_off && req.host_len == req2.host_len &&
		      req.content_length == req2.content_length &&
		      req.nheaders == req2.nheaders && req.flags == req2.flags &&
		      req.method == req2.method && req.minor == req2.minor);
	}
	free(head);

	big = spl_http_head_too_large(data, len, end ? NULL : &tight);
	CHECK(big == 414 || big == 431);
	return 0;
}
