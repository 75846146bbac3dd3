// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: what persistence keys on (kmod/cookie.c), on every head the
 * parser accepts, request or response, checked against a reference written
 * here apart from it.
 *
 * The input: a byte for the name's length (bits 0-3) and whether to add
 * field lines (bit 7), one for the prefix length (bits 0-3), the separator,
 * the name, then what the peer sends: a head and the bytes after it.
 *
 * - the finders return what the reference finds (cookies, Set-Cookie
 *   values, fields, query and path parameters), within the head or target,
 *   and never read past it (each gets an exact-size copy: ASan);
 * - spl_cookie_remove() leaves the Cookie pairs there were but those
 *   named so, byte for byte and in order; a head whose Cookie fields were
 *   well-formed (no blank pair, no empty field) stays so; it is idempotent;
 * - spl_cookie_unprefix() cuts exactly the prefixes the contract says from
 *   exactly the pairs named so, and nothing else;
 * - both return at most the head length, leave a head that still parses
 *   the same (method, target, version, framing) and move the bytes after
 *   it along intact;
 * - spl_resp_rewrite() refuses a cap one byte short without touching the
 *   buffer, never writes past the cap (exact-size buffers: ASan), and with
 *   the cap it needs gives the head with each prefix and the lines added,
 *   line for line what the reference expects, still parsing, the tail
 *   after it.
 */
#include "fuzz.h"
#include "cookie.h"

#define MAX_NAME	15

static const char lines_added[] = "X-Splicer-Server: s1\r\nX-B: 2\r\n";

/* ---- the reference ---- */

static bool ows(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static uint8_t lc(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static bool same(const uint8_t *p, uint32_t n, const char *s)
{
	return strlen(s) == n && !memcmp(p, s, n);
}

static bool same_nocase(const uint8_t *p, uint32_t n, const char *s)
{
	uint32_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (lc(p[i]) != lc((uint8_t)s[i]))
			return false;
	return true;
}

struct span {
	uint32_t off;
	uint32_t len;
};

static void trim(const uint8_t *p, struct span *s)
{
	while (s->len && ows(p[s->off])) {
		s->off++;
		s->len--;
	}
	while (s->len && ows(p[s->off + s->len - 1]))
		s->len--;
}

/* A field line of an accepted head: its name, its value (trimmed), its CRLF. */
struct fline {
	uint32_t start, name_len, eol;
	struct span value;
};

/* The field lines of the head @p (@len bytes): how many, in @f (up to @max). */
static uint32_t field_lines(const uint8_t *p, uint32_t len, struct fline *f, uint32_t max)
{
	uint32_t i = 0, n = 0;

	while (i + 1 < len && p[i] == '\r' && p[i + 1] == '\n')
		i += 2;
	/* the request or status line */
	while (!(p[i] == '\r' && p[i + 1] == '\n'))
		i++;
	for (i += 2; p[i] != '\r'; i = f[n++].eol + 2) {
		uint32_t e = i, c = i;

		while (!(p[e] == '\r' && p[e + 1] == '\n'))
			e++;
		while (p[c] != ':')
			c++;
		CHECK(n < max);
		f[n].start = i;
		f[n].name_len = c - i;
		f[n].eol = e;
		f[n].value = (struct span){ c + 1, e - c - 1 };
		trim(p, &f[n].value);
	}
	CHECK(i + 2 == len);	/* the empty line ends the head */
	return n;
}

/* A pair of a Cookie field: the segment (trimmed, not blank), name, value. */
struct rpair {
	struct span seg;
	bool named;
	struct span name;
	struct span value;	/* DQUOTEs excluded */
};

static void split_pair(const uint8_t *p, struct span seg, struct rpair *r)
{
	const uint8_t *eq = memchr(p + seg.off, '=', seg.len);

	r->seg = seg;
	r->named = eq;
	if (!eq)
		return;
	r->name = (struct span){ seg.off, (uint32_t)(eq - p) - seg.off };
	trim(p, &r->name);
	r->value = (struct span){ (uint32_t)(eq - p) + 1, seg.off + seg.len - (uint32_t)(eq - p) - 1 };
	trim(p, &r->value);
	if (r->value.len >= 2 && p[r->value.off] == '"' &&
	    p[r->value.off + r->value.len - 1] == '"') {
		r->value.off++;
		r->value.len -= 2;
	}
}

/*
 * The pairs of the value @v, in @out (up to @max); how many.
 * *@blank: whether a segment was blank.
 */
static uint32_t value_pairs(const uint8_t *p, struct span v, struct rpair *out,
			    uint32_t max, bool *blank)
{
	uint32_t i, end = v.off + v.len, n = 0;

	if (!v.len)
		return 0;
	for (i = v.off;; ) {
		const uint8_t *semi = memchr(p + i, ';', end - i);
		uint32_t stop = semi ? (uint32_t)(semi - p) : end;
		struct span seg = { i, stop - i };

		trim(p, &seg);
		if (!seg.len) {
			*blank = true;
		} else {
			CHECK(n < max);
			split_pair(p, seg, &out[n++]);
		}
		if (!semi)
			return n;
		i = stop + 1;
	}
}

/* An accepted head of FUZZ_MAX_LEN bytes has at most so many of them. */
#define MAX_FIELDS	(FUZZ_MAX_LEN / 4)
#define MAX_PAIRS	(FUZZ_MAX_LEN / 2)

struct cookies {
	uint32_t n;
	struct rpair pair[MAX_PAIRS];
	bool canonical;		/* no blank pair, no empty Cookie field */
};

static struct fline lines_a[MAX_FIELDS], lines_b[MAX_FIELDS], lines_c[MAX_FIELDS];
static struct cookies ck_a, ck_b, ck_c;

static void all_cookies(const uint8_t *p, uint32_t len, struct cookies *ck)
{
	uint32_t nf = field_lines(p, len, lines_c, MAX_FIELDS), i;

	ck->n = 0;
	ck->canonical = true;
	for (i = 0; i < nf; i++) {
		bool blank = false;
		uint32_t n;

		if (!same_nocase(p + lines_c[i].start, lines_c[i].name_len, "cookie"))
			continue;
		n = value_pairs(p, lines_c[i].value, ck->pair + ck->n, MAX_PAIRS - ck->n, &blank);
		if (blank || !n)
			ck->canonical = false;
		ck->n += n;
	}
}

static bool pair_named(const uint8_t *p, const struct rpair *r, const char *name)
{
	return r->named && same(p + r->name.off, r->name.len, name);
}

static bool ref_cookie(const uint8_t *p, uint32_t len, const char *name, struct span *v)
{
	uint32_t i;

	all_cookies(p, len, &ck_c);
	for (i = 0; i < ck_c.n; i++)
		if (*name && pair_named(p, &ck_c.pair[i], name)) {
			*v = ck_c.pair[i].value;
			return true;
		}
	return false;
}

/* The Set-Cookie value the reference finds in line @l, named @name. */
static bool set_cookie_line(const uint8_t *p, const struct fline *l, const char *name,
			    struct span *v)
{
	const uint8_t *semi;
	struct span cp = l->value;
	struct rpair r;

	if (!*name || !same_nocase(p + l->start, l->name_len, "set-cookie"))
		return false;
	semi = memchr(p + cp.off, ';', cp.len);
	if (semi)
		cp.len = (uint32_t)(semi - p) - cp.off;
	trim(p, &cp);
	if (!cp.len)
		return false;
	split_pair(p, cp, &r);
	if (!pair_named(p, &r, name))
		return false;
	*v = r.value;
	return true;
}

static bool ref_set_cookie(const uint8_t *p, uint32_t len, const char *name, struct span *v)
{
	uint32_t nf = field_lines(p, len, lines_b, MAX_FIELDS), i;

	for (i = 0; i < nf; i++)
		if (set_cookie_line(p, &lines_b[i], name, v))
			return true;
	return false;
}

static bool ref_header(const uint8_t *p, uint32_t len, const char *name, struct span *v)
{
	uint32_t nf = field_lines(p, len, lines_b, MAX_FIELDS), i;

	for (i = 0; *name && i < nf; i++)
		if (same_nocase(p + lines_b[i].start, lines_b[i].name_len, name)) {
			*v = lines_b[i].value;
			return true;
		}
	return false;
}

/* "name[=value]" at [s, e) of @t, named @name: its value */
static bool param_is(const uint8_t *t, uint32_t s, uint32_t e, const char *name,
		     struct span *v)
{
	const uint8_t *eq = memchr(t + s, '=', e - s);
	uint32_t ne = eq ? (uint32_t)(eq - t) : e;

	if (!*name || !same_nocase(t + s, ne - s, name))
		return false;
	*v = eq ? (struct span){ ne + 1, e - ne - 1 } : (struct span){ e, 0 };
	return true;
}

static bool ref_query(const uint8_t *t, uint32_t len, const char *name, struct span *v)
{
	uint32_t i = 0, end, s;

	while (i < len && t[i] != '?' && t[i] != '#')
		i++;
	if (i == len || t[i] == '#')
		return false;
	end = ++i;
	while (end < len && t[end] != '#')
		end++;
	for (s = i; i <= end; i++) {
		if (i < end && t[i] != '&' && t[i] != ';')
			continue;
		if (s < i && param_is(t, s, i, name, v))
			return true;
		s = i + 1;
	}
	return false;
}

static bool ref_path(const uint8_t *t, uint32_t len, const char *name, struct span *v)
{
	uint32_t end = 0, i, s = 0;
	bool in = false;

	while (end < len && t[end] != '?' && t[end] != '#')
		end++;
	for (i = 0; i <= end; i++) {
		bool stop = i == end || t[i] == ';' || t[i] == '/';

		if (!stop)
			continue;
		if (in && param_is(t, s, i, name, v))
			return true;
		in = i < end && t[i] == ';';
		s = i + 1;
	}
	return false;
}

/* ---- checks ---- */

/* A finder's answer against the reference's, on an exact-size copy. */
static void check_found(bool found, uint32_t off, uint32_t len, bool want,
			struct span v, uint32_t size)
{
	CHECK(found == want);
	if (!found)
		return;
	CHECK(off <= size && len <= size - off);
	CHECK(off == v.off && len == v.len);
}

static void check_finders(const uint8_t *msg, uint32_t end, const char *name,
			  const struct spl_http_req *req)
{
	uint8_t *head = fuzz_copy(msg, end), *t;
	uint32_t off = 0, len = 0;
	struct span v = { 0, 0 };
	bool want, found;

	want = ref_cookie(head, end, name, &v);
	found = spl_cookie_get(head, end, name, &off, &len);
	check_found(found, off, len, want, v, end);
	if (found)
		CHECK(!memchr(head + off, ';', len) && !memchr(head + off, '\r', len));

	want = ref_set_cookie(head, end, name, &v);
	found = spl_set_cookie_get(head, end, name, &off, &len);
	check_found(found, off, len, want, v, end);

	want = ref_header(head, end, name, &v);
	found = spl_header_get(head, end, name, &off, &len);
	check_found(found, off, len, want, v, end);
	if (found && len)
		CHECK(!ows(head[off]) && !ows(head[off + len - 1]));
	free(head);

	if (!req)
		return;
	t = fuzz_copy(msg + req->target_off, req->target_len);
	want = ref_query(t, req->target_len, name, &v);
	found = spl_query_param(t, req->target_len, name, &off, &len);
	check_found(found, off, len, want, v, req->target_len);
	if (found)
		CHECK(!memchr(t + off, '&', len) && !memchr(t + off, '#', len));
	want = ref_path(t, req->target_len, name, &v);
	found = spl_path_param(t, req->target_len, name, &off, &len);
	check_found(found, off, len, want, v, req->target_len);
	if (found)
		CHECK(!memchr(t + off, '/', len) && !memchr(t + off, '?', len));
	free(t);
}

/* What a head parsed to, to compare a rewritten one with. */
struct parsed {
	bool request;
	struct spl_http_req req;
	struct spl_http_resp resp;
};

/* Many header lines may be added: no header limit, the rest as before. */
static const struct spl_http_limits lim = { .max_headers = 0xffff };

static int parse(const uint8_t *p, uint32_t len, bool request, struct parsed *out)
{
	out->request = request;
	if (request)
		return spl_http_parse_request(p, len, &lim, &out->req);
	return spl_http_parse_response(p, len, &out->resp);
}

/* @p (@len bytes) parses as @was did, @more header lines aside. */
static void check_parses_same(const uint8_t *p, uint32_t len, const struct parsed *was,
			      const uint8_t *old, int more)
{
	struct parsed now;
	int ret = parse(p, len, was->request, &now);

	if (was->request) {
		const struct spl_http_req *a = &was->req, *b = &now.req;

		CHECK(ret == 0);
		CHECK(b->method == a->method && b->minor == a->minor);
		CHECK(b->target_len == a->target_len &&
		      !memcmp(p + b->target_off, old + a->target_off, a->target_len));
		CHECK(b->flags == a->flags && b->content_length == a->content_length);
		CHECK((int)b->nheaders - (int)a->nheaders <= more);
		return;
	}
	if (was->resp.nheaders + more > SPL_HTTP_MAX_HEADERS) {
		CHECK(ret == 502);
		return;
	}
	CHECK(ret == 0);
	CHECK(now.resp.status == was->resp.status && now.resp.minor == was->resp.minor);
	CHECK(now.resp.flags == was->resp.flags &&
	      now.resp.content_length == was->resp.content_length);
	CHECK((int)now.resp.nheaders - (int)was->resp.nheaders <= more);
}

/* The first pair named @other has the same value in @a and @b. */
static void check_other(const uint8_t *a, uint32_t alen, const uint8_t *b, uint32_t blen,
			const char *other, const char *name)
{
	struct span va = { 0, 0 }, vb = { 0, 0 };
	bool fa, fb;

	if (!*other || !strcmp(other, name))
		return;
	fa = ref_cookie(a, alen, other, &va);
	fb = ref_cookie(b, blen, other, &vb);
	CHECK(fa == fb);
	if (fa)
		CHECK(va.len == vb.len && !memcmp(a + va.off, b + vb.off, va.len));
}

static void check_remove(const uint8_t *msg, uint32_t end, uint32_t tail, const char *name,
			 const struct parsed *was, const char *const *others)
{
	uint8_t *buf = fuzz_copy(msg, end + tail);
	uint32_t n, again, i, j = 0;
	bool any = false;

	n = spl_cookie_remove(buf, end, tail, name);
	CHECK(n <= end && n >= 4);
	CHECK(!memcmp(buf + n, msg + end, tail));
	check_parses_same(buf, n, was, msg, 0);

	all_cookies(msg, end, &ck_a);
	all_cookies(buf, n, &ck_b);
	/* the pairs there were, but those named so, byte for byte */
	for (i = 0; i < ck_a.n; i++) {
		const struct rpair *r = &ck_a.pair[i];

		if (*name && pair_named(msg, r, name)) {
			any = true;
			continue;
		}
		CHECK(j < ck_b.n);
		CHECK(ck_b.pair[j].seg.len == r->seg.len &&
		      !memcmp(buf + ck_b.pair[j].seg.off, msg + r->seg.off, r->seg.len));
		j++;
	}
	CHECK(j == ck_b.n);
	if (ck_a.canonical)
		CHECK(ck_b.canonical);
	if (!any)
		CHECK(n == end && !memcmp(buf, msg, end));
	for (i = 0; others[i]; i++)
		check_other(msg, end, buf, n, others[i], name);

	again = spl_cookie_remove(buf, n, tail, name);
	CHECK(again == n);
	free(buf);
}

static void check_unprefix(const uint8_t *msg, uint32_t end, uint32_t tail, const char *name,
			   uint32_t plen, uint8_t sep, const struct parsed *was,
			   const char *const *others)
{
	static uint8_t want[FUZZ_MAX_LEN];
	uint8_t *buf = fuzz_copy(msg, end + tail);
	uint32_t n, i, cuts = 0;

	n = spl_cookie_unprefix(buf, end, tail, name, plen, sep);
	CHECK(n <= end && n >= 4);
	CHECK(!memcmp(buf + n, msg + end, tail));
	check_parses_same(buf, n, was, msg, 0);

	all_cookies(msg, end, &ck_a);
	all_cookies(buf, n, &ck_b);
	CHECK(ck_a.n == ck_b.n);
	for (i = 0; i < ck_a.n; i++) {
		const struct rpair *r = &ck_a.pair[i];
		const uint8_t *v = msg + r->value.off;
		struct span w = { 0, r->seg.len };

		memcpy(want, msg + r->seg.off, r->seg.len);
		if (*name && pair_named(msg, r, name) && r->value.len > plen &&
		    v[plen] == sep && !memchr(v, sep, plen)) {
			uint32_t at = r->value.off - r->seg.off;

			memmove(want + at, want + at + plen + 1, r->seg.len - at - plen - 1);
			w.len -= plen + 1;
			trim(want, &w);
			cuts += plen + 1;
		}
		CHECK(ck_b.pair[i].seg.len == w.len &&
		      !memcmp(buf + ck_b.pair[i].seg.off, want + w.off, w.len));
	}
	CHECK(n == end - cuts);
	if (!cuts)
		CHECK(!memcmp(buf, msg, end));
	for (i = 0; others[i]; i++)
		check_other(msg, end, buf, n, others[i], name);
	free(buf);
}

static void check_resp_rewrite(const uint8_t *msg, uint32_t end, uint32_t tail,
			       const char *name, const uint8_t *prefix, uint32_t plen,
			       bool add, const struct parsed *was)
{
	const struct spl_resp_rewrite rw = {
		.prefix_name = name, .prefix = prefix, .prefix_len = plen,
		.lines = add ? (const uint8_t *)lines_added : NULL,
		.lines_len = add ? sizeof(lines_added) - 1 : 0,
	};
	uint32_t na, nb, i, matches = 0, need, cap, gap;
	struct span v, old = { 0, 0 }, now;
	bool had, has;
	uint8_t *buf;
	int ret;

	na = field_lines(msg, end, lines_a, MAX_FIELDS);
	for (i = 0; i < na; i++)
		matches += set_cookie_line(msg, &lines_a[i], name, &v);
	need = end + tail + matches * plen + rw.lines_len;
	had = ref_set_cookie(msg, end, name, &old);

	/* one byte short: refused, nothing touched */
	cap = need - 1;
	buf = malloc(cap > end + tail ? cap : end + tail);
	CHECK(buf);
	memcpy(buf, msg, end + tail);
	if (cap > end + tail)
		memset(buf + end + tail, 0xa5, cap - end - tail);
	ret = spl_resp_rewrite(buf, end, tail, cap, &rw);
	CHECK(ret == -1);
	CHECK(!memcmp(buf, msg, end + tail));
	for (i = end + tail; i < cap; i++)
		CHECK(buf[i] == 0xa5);
	free(buf);

	/* exactly the room needed */
	buf = malloc(need);
	CHECK(buf);
	memcpy(buf, msg, end + tail);
	ret = spl_resp_rewrite(buf, end, tail, need, &rw);
	CHECK(ret == (int)(need - tail));
	CHECK(!memcmp(buf + ret, msg + end, tail));
	check_parses_same(buf, ret, was, msg, add ? 2 : 0);

	/* line for line: the same, a prefix put in, then the lines added */
	nb = field_lines(buf, ret, lines_b, MAX_FIELDS);
	CHECK(nb == na + (add ? 2 : 0));
	CHECK(!na || lines_a[0].start == lines_b[0].start);
	CHECK(!memcmp(buf, msg, na ? lines_a[0].start : end - 2));
	for (i = 0; i < na; i++) {
		const struct fline *a = &lines_a[i], *b = &lines_b[i];
		uint32_t alen = a->eol + 2 - a->start;

		if (!set_cookie_line(msg, a, name, &v)) {
			CHECK(b->eol + 2 - b->start == alen &&
			      !memcmp(buf + b->start, msg + a->start, alen));
			continue;
		}
		gap = v.off - a->start;
		CHECK(b->eol + 2 - b->start == alen + plen);
		CHECK(!memcmp(buf + b->start, msg + a->start, gap));
		CHECK(!memcmp(buf + b->start + gap, prefix, plen));
		CHECK(!memcmp(buf + b->start + gap + plen, msg + v.off, alen - gap));
	}
	if (add)
		CHECK(!memcmp(buf + (na ? lines_b[na - 1].eol + 2 : lines_b[0].start),
			      lines_added, sizeof(lines_added) - 1));

	/* the value found now is the prefix, then the value found before */
	has = ref_set_cookie(buf, ret, name, &now);
	CHECK(has == had);
	if (had && plen) {
		CHECK(now.len == old.len + plen);
		CHECK(!memcmp(buf + now.off, prefix, plen));
		CHECK(!memcmp(buf + now.off + plen, msg + old.off, old.len));
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char digits[] = "0123456789abcdefghij";
	char name[MAX_NAME + 1] = "", name_head[MAX_NAME + 1] = "";
	const char *others[3];
	uint8_t prefix[16 + 1], sep, psep;
	uint32_t nlen, plen, scan = 0, len, end, tail, i;
	const uint8_t *msg;
	struct parsed was;
	bool add;
	int e;

	if (size < 3 || size > FUZZ_MAX_LEN)
		return 0;
	nlen = data[0] & MAX_NAME;
	add = data[0] & 0x80;
	plen = data[1] & 15;
	sep = data[2];
	if (size < 3 + nlen)
		return 0;
	memcpy(name, data + 3, nlen);
	name[nlen] = '\0';		/* a NUL in it ends it sooner */
	msg = data + 3 + nlen;
	len = size - 3 - nlen;

	e = spl_http_head_end(msg, len, &scan);
	if (e <= 0)
		return 0;
	end = e;
	tail = len - end;
	if (parse(msg, end, true, &was) && parse(msg, end, false, &was))
		return 0;
	fuzz_check_accepted_head(msg, end);

	/* names that a prefix or a suffix of @name must not be taken for */
	memcpy(name_head, name, sizeof(name));
	if (*name_head)
		name_head[strlen(name_head) - 1] = '\0';
	others[0] = *name ? name + 1 : "";
	others[1] = name_head;
	others[2] = NULL;

	check_finders(msg, end, name, was.request ? &was.req : NULL);
	check_remove(msg, end, tail, name, &was, others);
	check_unprefix(msg, end, tail, name, plen, sep, &was, others);

	/* the prefix: @plen bytes that are no separator, then a harmless one */
	psep = sep > 0x20 && sep < 0x7f && sep != ';' && sep != '"' ? sep : '~';
	for (i = 0; i < plen; i++)
		prefix[i] = digits[i] == psep ? 'z' : digits[i];
	prefix[plen] = psep;
	check_resp_rewrite(msg, end, tail, name, prefix, plen + 1, add, &was);
	return 0;
}
