/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer harnesses share: kmod/http.c built in user space
 * (through kmod/http_shim.h), a CHECK that aborts (so libFuzzer saves the
 * input), deterministic segmentation of an input, and checks that hold for
 * any accepted head.
 */
#ifndef SPL_FUZZ_H
#define SPL_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: CHECK failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

/* Inputs larger than this are skipped: the quadratic checks stay fast. */
#define FUZZ_MAX_LEN	(64 * 1024)

/* Wrapping on purpose: no integer sanitizer here. */
#define FUZZ_WRAPS	__attribute__((no_sanitize("integer")))

/* A PRNG seeded from the input: the same input, the same segmentation. */
static inline FUZZ_WRAPS uint64_t fuzz_seed(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ULL;
	return h | 1;
}

static inline FUZZ_WRAPS uint32_t fuzz_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 32);
}

/* The next segment's length: mostly tiny, sometimes large; at least 1. */
static inline uint32_t fuzz_segment(uint64_t *s, uint32_t left)
{
	uint32_t r = fuzz_rand(s), n;

	switch (r & 3) {
	case 0: n = 1; break;
	case 1: n = 1 + (r >> 8) % 8; break;
	case 2: n = 1 + (r >> 8) % 64; break;
	default: n = 1 + (r >> 8) % 1024; break;
	}
	return n < left ? n : left;
}

/* An exact-size heap copy, so that ASan catches a read past its end. */
static inline uint8_t *fuzz_copy(const uint8_t *data, uint32_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	CHECK(p);
	memcpy(p, data, len);
	return p;
}

/*
 * spl_http_head_end() over the whole input, and again as the input arrives
 * in random segments (each call sees an exact-size buffer): the same answer,
 * found as soon as the bytes that decide it are in.
 */
static inline int fuzz_head_end(const uint8_t *data, uint32_t len, uint64_t *seed)
{
	uint32_t scan = 0, scan2 = 0, got = 0, prev = 0;
	int end, end2 = 0;

	end = spl_http_head_end(data, len, &scan);
	CHECK(end >= -1 && end <= (int)len);
	if (end > 0)
		CHECK(scan == (uint32_t)end && end >= 4);
	if (end == 0)
		CHECK(scan == len);

	while (got < len) {
		uint8_t *p;

		prev = got;
		got += fuzz_segment(seed, len - got);
		p = fuzz_copy(data, got);
		end2 = spl_http_head_end(p, got, &scan2);
		free(p);
		if (end2)
			break;
		CHECK(scan2 == got);
	}
	CHECK(end2 == end);
	if (end > 0)
		CHECK(prev < (uint32_t)end && (uint32_t)end <= got);
	return end;
}

/*
 * What any accepted head satisfies: it is exactly what spl_http_head_end()
 * delimits, and holds no NUL, bare CR or bare LF.
 */
static inline void fuzz_check_accepted_head(const uint8_t *p, uint32_t len)
{
	uint32_t i, scan = 0;

	CHECK(len >= 4);
	CHECK(!memcmp(p + len - 4, "\r\n\r\n", 4));
	for (i = 0; i < len; i++) {
		CHECK(p[i] != '\0');
		if (p[i] == '\r')
			CHECK(i + 1 < len && p[i + 1] == '\n');
		if (p[i] == '\n')
			CHECK(i > 0 && p[i - 1] == '\r');
	}
	CHECK(spl_http_head_end(p, len, &scan) == (int)len);
}

/*
 * Feed a body in random segments, each an exact-size copy; return what a
 * single feed returns (the bytes of the message, or the error) and *done.
 */
static inline int fuzz_feed_segments(struct spl_http_body *b, const uint8_t *data,
				     uint32_t len, uint64_t *seed, int bytewise,
				     bool *done)
{
	uint32_t off = 0, total = 0;

	*done = false;
	do {
		uint32_t n = bytewise ? (len - off ? 1 : 0) : fuzz_segment(seed, len - off);
		uint8_t *p = fuzz_copy(data + off, n);
		int ret = spl_http_body_feed(b, p, n, done);

		free(p);
		if (ret < 0) {
			CHECK(ret == -EBADMSG && b->reason);
			return ret;
		}
		CHECK((uint32_t)ret <= n);
		if (!*done)
			CHECK((uint32_t)ret == n);
		total += ret;
		off += n;
	} while (!*done && off < len);
	return (int)total;
}

#endif /* SPL_FUZZ_H */
