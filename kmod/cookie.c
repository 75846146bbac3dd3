// SPDX-License-Identifier: GPL-2.0
/*
 * What persistence keys on, found and edited in a head (see cookie.h):
 * cookies, header values, query and path parameters.
 *
 * Every head was validated by spl_http_parse_request() or
 * spl_http_parse_response(). Even so, every scan is bounded by the head's
 * final CRLF (or the target's end), every write by the head and its tail,
 * or by @cap.
 *
 * A Cookie field value is split at each ';' into segments; a segment is
 * trimmed of whitespace, an empty one is no pair. A pair's name is what
 * precedes its first '=' (trailing whitespace trimmed), its value what
 * follows (leading whitespace trimmed; a value in DQUOTEs is the text
 * between them). A segment without '=' has no name: it never matches, and
 * it is kept. Set-Cookie: the same for the cookie-pair, the text before the
 * first ';' of the field value (RFC 6265 5.2: one without '=' is ignored).
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif
#include "cookie.h"

static bool is_ows(u8 c)
{
	return c == ' ' || c == '\t';
}

static u8 lower(u8 c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* [p, p + len) is @name exactly (cookie names, RFC 6265 5.4) */
static bool name_eq(const u8 *p, u32 len, const char *name)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (!name[i] || p[i] != (u8)name[i])
			return false;
	return name[len] == '\0';
}

/* [p, p + len) is @name without regard to ASCII case (fields, parameters) */
static bool name_eq_nocase(const u8 *p, u32 len, const char *name)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (!name[i] || lower(p[i]) != lower((u8)name[i]))
			return false;
	return name[len] == '\0';
}

/* The offset of the CRLF ending the line at @i, or the last offset before @end. */
static u32 line_end(const u8 *buf, u32 i, u32 end)
{
	while (i + 1 < end && !(buf[i] == '\r' && buf[i + 1] == '\n'))
		i++;
	return i;
}

/* The first field line: after any leading empty lines and the first line. */
static u32 first_field(const u8 *buf, u32 end)
{
	u32 i = 0;

	while (i + 1 < end && buf[i] == '\r' && buf[i + 1] == '\n')
		i += 2;
	return line_end(buf, i, end) + 2;
}

/*
 * The field line at @i: its name is [@i, *@colon), its value [*@v, *@ve)
 * without leading and trailing whitespace.
 * Return: the offset of its CRLF.
 */
static u32 field(const u8 *buf, u32 i, u32 end, u32 *colon, u32 *v, u32 *ve)
{
	u32 eol = line_end(buf, i, end);

	*colon = i;
	while (*colon < eol && buf[*colon] != ':')
		(*colon)++;
	*v = *colon < eol ? *colon + 1 : eol;
	while (*v < eol && is_ows(buf[*v]))
		(*v)++;
	*ve = eol;
	while (*ve > *v && is_ows(buf[*ve - 1]))
		(*ve)--;
	return eol;
}

/* ---- cookie pairs ---- */

/* One ';'-separated segment of a Cookie value; s == e: a blank one. */
struct pair {
	u32 s, e;	/* the segment, trimmed */
	u32 next;	/* where the next segment starts: after the ';' */
	u32 ne;		/* end of the name (== s: no '=', no name) */
	u32 vs, vl;	/* the value, DQUOTEs excluded */
	bool named;	/* has a '=' */
};

/*
 * The segment of the value [@i, @ve) starting at @i, up to a ';' or @ve.
 * Return: false when there is no segment left (@i == @ve).
 */
static bool next_segment(const u8 *buf, u32 i, u32 ve, struct pair *p)
{
	u32 eq;

	if (i >= ve)
		return false;
	p->s = i;
	while (p->s < ve && is_ows(buf[p->s]))
		p->s++;
	p->e = p->s;
	while (p->e < ve && buf[p->e] != ';')
		p->e++;
	p->next = p->e < ve ? p->e + 1 : ve;
	while (p->e > p->s && is_ows(buf[p->e - 1]))
		p->e--;

	eq = p->s;
	while (eq < p->e && buf[eq] != '=')
		eq++;
	p->named = eq < p->e;
	if (!p->named) {
		p->ne = p->s;
		p->vs = p->e;
		p->vl = 0;
		return true;
	}
	p->ne = eq;
	while (p->ne > p->s && is_ows(buf[p->ne - 1]))
		p->ne--;
	p->vs = eq + 1;
	while (p->vs < p->e && is_ows(buf[p->vs]))
		p->vs++;
	p->vl = p->e - p->vs;
	if (p->vl >= 2 && buf[p->vs] == '"' && buf[p->e - 1] == '"') {
		p->vs++;
		p->vl -= 2;
	}
	return true;
}

/* A non-empty pair named @name. */
static bool pair_is(const u8 *buf, const struct pair *p, const char *name)
{
	return p->named && name_eq(buf + p->s, p->ne - p->s, name);
}

bool spl_cookie_get(const u8 *head, u32 head_len, const char *name,
		    u32 *off, u32 *len)
{
	u32 end, i, colon, v, ve, eol, j;
	struct pair p;

	if (head_len < 4 || !name[0])
		return false;
	end = head_len - 2;
	for (i = first_field(head, end); i < end; i = eol + 2) {
		eol = field(head, i, end, &colon, &v, &ve);
		if (!name_eq_nocase(head + i, colon - i, "cookie"))
			continue;
		for (j = v; next_segment(head, j, ve, &p); j = p.next) {
			if (pair_is(head, &p, name)) {
				*off = p.vs;
				*len = p.vl;
				return true;
			}
		}
	}
	return false;
}

/*
 * In-place compaction: bytes are cut out of buf[0..total) in increasing
 * order, and what is kept moves down only once, at the next cut or at the
 * end. [r, ...) is not yet copied, w is where it goes.
 */
struct squeeze {
	u8 *buf;
	u32 r;
	u32 w;
};

/* Drop [from, to) (from >= the end of the previous cut). */
static void cut(struct squeeze *sq, u32 from, u32 to)
{
	if (sq->w != sq->r)
		memmove(sq->buf + sq->w, sq->buf + sq->r, from - sq->r);
	sq->w += from - sq->r;
	sq->r = to;
}

/* Copy what is left of buf[0..total); the bytes gone. */
static u32 squeeze_end(struct squeeze *sq, u32 total)
{
	cut(sq, total, total);
	return total - sq->w;
}

/*
 * Remove the pairs named @name from the Cookie value [v, ve) of the line
 * [line, eol + 2). A pair that has another after it goes with the
 * separators that follow it, so what preceded it now precedes the next
 * pair (pairs removed at the start take the separators before them along);
 * pairs removed at the end go with the separators before them; a line left
 * without a pair goes whole. Everything else stays as it was.
 */
static void remove_pairs(struct squeeze *sq, u32 line, u32 eol, u32 v, u32 ve,
			 const char *name)
{
	const u8 *buf = sq->buf;
	u32 j, run = 0, kept_end = 0;
	bool in_run = false, kept = false;
	struct pair p;

	for (j = v; next_segment(buf, j, ve, &p); j = p.next) {
		if (p.s == p.e)
			continue;		/* a blank segment: no pair */
		if (pair_is(buf, &p, name)) {
			if (!in_run)
				run = kept ? p.s : v;
			in_run = true;
			continue;
		}
		if (in_run)
			cut(sq, run, p.s);	/* up to this pair */
		in_run = false;
		kept = true;
		kept_end = p.e;
	}
	if (!in_run)
		return;
	if (kept)
		cut(sq, kept_end, ve);		/* "; name=..." at the end */
	else
		cut(sq, line, eol + 2);		/* the whole field line */
}

u32 spl_cookie_remove(u8 *buf, u32 head_len, u32 tail, const char *name)
{
	struct squeeze sq = { .buf = buf };
	u32 end, i, colon, v, ve, eol;

	if (head_len < 4 || !name[0])
		return head_len;
	end = head_len - 2;
	for (i = first_field(buf, end); i < end; i = eol + 2) {
		eol = field(buf, i, end, &colon, &v, &ve);
		if (name_eq_nocase(buf + i, colon - i, "cookie"))
			remove_pairs(&sq, i, eol, v, ve, name);
	}
	return head_len - squeeze_end(&sq, head_len + tail);
}

u32 spl_cookie_unprefix(u8 *buf, u32 head_len, u32 tail, const char *name,
			u32 plen, u8 sep)
{
	struct squeeze sq = { .buf = buf };
	u32 end, i, colon, v, ve, eol, j, k;
	struct pair p;

	if (head_len < 4 || !name[0])
		return head_len;
	end = head_len - 2;
	for (i = first_field(buf, end); i < end; i = eol + 2) {
		eol = field(buf, i, end, &colon, &v, &ve);
		if (!name_eq_nocase(buf + i, colon - i, "cookie"))
			continue;
		for (j = v; next_segment(buf, j, ve, &p); j = p.next) {
			if (!pair_is(buf, &p, name) || p.vl <= plen ||
			    buf[p.vs + plen] != sep)
				continue;
			for (k = 0; k < plen && buf[p.vs + k] != sep; k++)
				;
			if (k == plen)		/* the first @sep is at @plen */
				cut(&sq, p.vs, p.vs + plen + 1);
		}
	}
	return head_len - squeeze_end(&sq, head_len + tail);
}

/* ---- Set-Cookie ---- */

/*
 * The value of the cookie-pair of the Set-Cookie field value [v, ve), if its
 * cookie-name is @name.
 */
static bool set_cookie_is(const u8 *buf, u32 v, u32 ve, const char *name,
			  u32 *off, u32 *len)
{
	struct pair p;

	if (!next_segment(buf, v, ve, &p) || !pair_is(buf, &p, name))
		return false;
	*off = p.vs;
	*len = p.vl;
	return true;
}

bool spl_set_cookie_get(const u8 *head, u32 head_len, const char *name,
			u32 *off, u32 *len)
{
	u32 end, i, colon, v, ve, eol;

	if (head_len < 4 || !name[0])
		return false;
	end = head_len - 2;
	for (i = first_field(head, end); i < end; i = eol + 2) {
		eol = field(head, i, end, &colon, &v, &ve);
		if (name_eq_nocase(head + i, colon - i, "set-cookie") &&
		    set_cookie_is(head, v, ve, name, off, len))
			return true;
	}
	return false;
}

/* ---- header fields and request targets ---- */

bool spl_header_get(const u8 *head, u32 head_len, const char *name,
		    u32 *off, u32 *len)
{
	u32 end, i, colon, v, ve, eol;

	if (head_len < 4 || !name[0])
		return false;
	end = head_len - 2;
	for (i = first_field(head, end); i < end; i = eol + 2) {
		eol = field(head, i, end, &colon, &v, &ve);
		if (colon < eol && name_eq_nocase(head + i, colon - i, name)) {
			*off = v;
			*len = ve - v;
			return true;
		}
	}
	return false;
}

/* @c is one of the bytes of the NUL-terminated @set */
static bool is_in(u8 c, const char *set)
{
	for (; *set; set++)
		if (c == (u8)*set)
			return true;
	return false;
}

/* The offset of the first byte of @set in [@i, @end), or @end. */
static u32 find_any(const u8 *p, u32 i, u32 end, const char *set)
{
	while (i < end && !is_in(p[i], set))
		i++;
	return i;
}

/*
 * Parameter @name in [@i, @end) of @target: "name[=value]", ending at a
 * byte of @stop. Query parameters (@query) follow each other, a byte of
 * @stop between them; path parameters each follow a ';', the rest is path.
 */
static bool find_param(const u8 *target, u32 i, u32 end, const char *name,
		       bool query, const char *stop, u32 *off, u32 *len)
{
	while (i < end) {
		u32 s = i, pe, eq;

		if (!query) {
			s = find_any(target, i, end, ";");
			if (s == end)
				return false;
			s++;
		}
		pe = find_any(target, s, end, stop);
		eq = find_any(target, s, pe, "=");
		if (name_eq_nocase(target + s, eq - s, name)) {
			*off = eq < pe ? eq + 1 : pe;
			*len = pe - *off;
			return true;
		}
		i = query && pe < end ? pe + 1 : pe;
	}
	return false;
}

bool spl_query_param(const u8 *target, u32 target_len, const char *name,
		     u32 *off, u32 *len)
{
	u32 q = find_any(target, 0, target_len, "?#"), end;

	if (!name[0] || q == target_len || target[q] != '?')
		return false;
	end = find_any(target, q + 1, target_len, "#");
	return find_param(target, q + 1, end, name, true, "&;", off, len);
}

bool spl_path_param(const u8 *target, u32 target_len, const char *name,
		    u32 *off, u32 *len)
{
	u32 end = find_any(target, 0, target_len, "?#");

	if (!name[0])
		return false;
	return find_param(target, 0, end, name, false, ";/", off, len);
}

/* ---- response rewrite ---- */

/*
 * Whether the field line at @i is a Set-Cookie whose value gets the prefix:
 * then *@at is where that value starts. *@eol: the offset of its CRLF.
 */
static bool prefix_at(const u8 *buf, u32 i, u32 end, const char *name,
		      u32 *eol, u32 *at)
{
	u32 colon, v, ve, len;

	*eol = field(buf, i, end, &colon, &v, &ve);
	return name_eq_nocase(buf + i, colon - i, "set-cookie") &&
	       set_cookie_is(buf, v, ve, name, at, &len);
}

/*
 * Put @rw->prefix in front of each Set-Cookie value named @rw->prefix_name
 * from the line at @first (the first one) to @end, the head's final CRLF;
 * @total: the bytes at @buf, tail included; @grow: what the rewrite adds.
 *
 * Everything from @first on moves up by @grow, then comes back down line
 * by line, each prefix going in on the way: the distance between r (what
 * is copied next) and w (where it goes) is always what is still to be
 * inserted, so nothing is overwritten before it was copied.
 * Return: where the lines added go.
 */
static u32 insert_prefixes(u8 *buf, u32 first, u32 end, u32 total, u32 grow,
			   const struct spl_resp_rewrite *rw)
{
	u32 r, w = first, eol, at;

	memmove(buf + first + grow, buf + first, total - first);
	for (r = first + grow; r < end + grow; r = eol + 2) {
		u32 from = r;

		if (prefix_at(buf, r, end + grow, rw->prefix_name, &eol, &at)) {
			memmove(buf + w, buf + r, at - r);
			w += at - r;
			memcpy(buf + w, rw->prefix, rw->prefix_len);
			w += rw->prefix_len;
			from = at;
		}
		memmove(buf + w, buf + from, eol + 2 - from);
		w += eol + 2 - from;
	}
	return w;
}

int spl_resp_rewrite(u8 *buf, u32 head_len, u32 tail, u32 cap,
		     const struct spl_resp_rewrite *rw)
{
	bool prefix = rw->prefix_name && rw->prefix_name[0] && rw->prefix &&
		      rw->prefix_len;
	u32 lines = rw->lines ? rw->lines_len : 0;
	u32 end, i, eol, at, first = 0, n = 0, grow;
	u64 need;

	if (head_len < 4)
		return -1;
	end = head_len - 2;
	for (i = first_field(buf, end); prefix && i < end; i = eol + 2) {
		if (!prefix_at(buf, i, end, rw->prefix_name, &eol, &at))
			continue;
		if (!n++)
			first = i;
	}
	need = (u64)n * (prefix ? rw->prefix_len : 0) + lines;
	if ((u64)head_len + tail + need > cap || head_len + need > 0x7fffffff)
		return -1;
	grow = (u32)need;

	if (n) {
		i = insert_prefixes(buf, first, end, head_len + tail, grow, rw);
	} else {
		memmove(buf + end + lines, buf + end, 2 + tail);
		i = end;
	}
	if (lines)
		memcpy(buf + i, rw->lines, lines);
	return (int)(head_len + grow);
}
