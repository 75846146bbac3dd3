// SPDX-License-Identifier: GPL-2.0
/*
 * Request head rewriting (see rewrite.h). The head was validated by
 * spl_http_parse_request(): every line ends in CRLF, every field line has a
 * colon after a token name.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif
#include "rewrite.h"

static bool name_is(const u8 *p, u32 len, const char *name)
{
	u32 i;

	for (i = 0; i < len; i++) {
		u8 c = p[i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (!name[i] || c != (u8)name[i])
			return false;
	}
	return name[len] == '\0';
}

static u32 line_end(const u8 *buf, u32 i, u32 end)
{
	while (i + 1 < end && !(buf[i] == '\r' && buf[i + 1] == '\n'))
		i++;
	return i;
}

/*
 * Insert the concatenation of @parts at @at, moving buf[at..*total) right;
 * *@end, the offset of the head's final CRLF, moves along.
 */
static void insert(u8 *buf, u32 at, u32 *total, u32 *end,
		   const char *const *parts)
{
	u32 n = 0, i;

	for (i = 0; parts[i]; i++)
		n += strlen(parts[i]);
	memmove(buf + at + n, buf + at, *total - at);
	for (i = 0; parts[i]; i++) {
		u32 len = strlen(parts[i]);

		memcpy(buf + at, parts[i], len);
		at += len;
	}
	*total += n;
	*end += n;
}

/* Connection options that name a header to remove (RFC 9110 7.6.1). */
#define MAX_NOMINATED	8
#define NOMINATED_LEN	40

struct nominated {
	int n;
	char name[MAX_NOMINATED][NOMINATED_LEN];
};

static bool is_ows(u8 c)
{
	return c == ' ' || c == '\t';
}

/* Collect the options of one Connection field value [v, ve). */
static void collect_options(const u8 *buf, u32 v, u32 ve, struct nominated *nom)
{
	while (v < ve) {
		u32 t, te, k;

		while (v < ve && (is_ows(buf[v]) || buf[v] == ','))
			v++;
		t = v;
		while (v < ve && buf[v] != ',')
			v++;
		te = v;
		while (te > t && is_ows(buf[te - 1]))
			te--;
		if (te == t || name_is(buf + t, te - t, "close") ||
		    name_is(buf + t, te - t, "keep-alive") ||
		    name_is(buf + t, te - t, "upgrade"))
			continue;
		if (nom->n == MAX_NOMINATED || te - t >= NOMINATED_LEN)
			continue;	/* past what we track: left in place */
		for (k = 0; k < te - t; k++) {
			u8 c = buf[t + k];

			nom->name[nom->n][k] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
		}
		nom->name[nom->n][te - t] = '\0';
		nom->n++;
	}
}

static bool nominated(const struct nominated *nom, const u8 *name, u32 len)
{
	int i;

	for (i = 0; i < nom->n; i++)
		if (name_is(name, len, nom->name[i]))
			return true;
	return false;
}

/* The bounds of the field line at @i: name [i, *colon), value [*v, *ve). */
static u32 field(const u8 *buf, u32 i, u32 end, u32 *colon, u32 *v, u32 *ve)
{
	u32 eol = line_end(buf, i, end);

	*colon = i;
	while (*colon < eol && buf[*colon] != ':')
		(*colon)++;
	*v = *colon + 1;
	while (*v < eol && is_ows(buf[*v]))
		(*v)++;
	*ve = eol;
	while (*ve > *v && is_ows(buf[*ve - 1]))
		(*ve)--;
	return eol;
}

int spl_http_rewrite_request(u8 *buf, u32 head_len, u32 tail, u32 cap,
			     const struct spl_rewrite *rw)
{
	u32 total = head_len + tail, end = head_len - 2, first, i;
	u32 colon, v, ve, eol, xff_start = 0, xff_end = 0;
	struct nominated nom = { 0 };
	bool xff = false;

	if (head_len < 4 || strlen(rw->client) + strlen(rw->proto) > 64 ||
	    total > cap || cap - total < SPL_REWRITE_ROOM)
		return -1;

	i = 0;
	while (i + 1 < end && buf[i] == '\r' && buf[i + 1] == '\n')
		i += 2;				/* empty lines before the request */
	first = line_end(buf, i, end) + 2;	/* after the request line */

	/* the options of every Connection field */
	for (i = first; i < end; i = eol + 2) {
		eol = field(buf, i, end, &colon, &v, &ve);
		if (name_is(buf + i, colon - i, "connection"))
			collect_options(buf, v, ve, &nom);
	}
	/* naming a framing field hop-by-hop would split our view and the server's */
	if (nominated(&nom, (const u8 *)"content-length", 14) ||
	    nominated(&nom, (const u8 *)"transfer-encoding", 17) ||
	    nominated(&nom, (const u8 *)"host", 4))
		return -2;

	/* drop hop-by-hop fields and the client's X-Forwarded-Proto */
	for (i = first; i < end; ) {
		eol = field(buf, i, end, &colon, &v, &ve);
		if (name_is(buf + i, colon - i, "x-forwarded-proto") ||
		    name_is(buf + i, colon - i, "connection") ||
		    name_is(buf + i, colon - i, "keep-alive") ||
		    name_is(buf + i, colon - i, "proxy-connection") ||
		    nominated(&nom, buf + i, colon - i)) {
			u32 gone = eol + 2 - i;

			memmove(buf + i, buf + eol + 2, total - (eol + 2));
			total -= gone;
			end -= gone;
			continue;
		}
		if (name_is(buf + i, colon - i, "x-forwarded-for")) {
			xff = true;
			xff_start = v;
			xff_end = ve;
		}
		i = eol + 2;
	}

	if (xff) {
		const char *parts[] = { xff_end > xff_start ? ", " : "",
					rw->client, NULL };

		insert(buf, xff_end, &total, &end, parts);
	} else {
		const char *parts[] = { "X-Forwarded-For: ", rw->client, "\r\n",
					NULL };

		insert(buf, end, &total, &end, parts);
	}
	insert(buf, end, &total, &end, (const char *const[]){
		"X-Forwarded-Proto: ", rw->proto, "\r\n", NULL });
	/* our own Connection field: only the options this hop acts on */
	if (rw->conn & (SPL_HTTP_F_CLOSE | SPL_HTTP_F_KEEPALIVE | SPL_HTTP_F_UPGRADE)) {
		bool up = rw->conn & SPL_HTTP_F_UPGRADE;
		const char *persist = rw->conn & SPL_HTTP_F_CLOSE ? "close" :
				      rw->conn & SPL_HTTP_F_KEEPALIVE ? "keep-alive" : "";

		insert(buf, end, &total, &end, (const char *const[]){
			"Connection: ", persist, *persist && up ? ", " : "",
			up ? "upgrade" : "", "\r\n", NULL });
	}
	return end + 2;
}

static bool prefix_is(const u8 *p, u32 len, const char *s)
{
	u32 n = strlen(s);

	return len >= n && name_is(p, n, s);
}

/* Whether the authority [a, a + len) is one of @server's names. */
static bool is_server(const u8 *a, u32 len, const struct spl_location *loc)
{
	return (loc->server && name_is(a, len, loc->server)) ||
	       (loc->server_ip && name_is(a, len, loc->server_ip));
}

int spl_http_rewrite_location(u8 *buf, u32 head_len, u32 tail, u32 cap,
			      const struct spl_location *loc)
{
	u32 total = head_len + tail, end = head_len - 2, i, colon, v, ve, eol, a, ae;
	u32 slen = strlen(loc->scheme), hlen = strlen(loc->host), old, new;
	bool done_loc = false, done_cloc = false;

	if (head_len < 4 || !hlen || total > cap)
		return -1;
	i = line_end(buf, 0, end) + 2;		/* after the status line */
	for (; i < end; i = eol + 2) {
		bool is_loc, is_cloc;

		eol = field(buf, i, end, &colon, &v, &ve);
		is_loc = !done_loc && name_is(buf + i, colon - i, "location");
		is_cloc = !done_cloc && name_is(buf + i, colon - i, "content-location");
		if (!is_loc && !is_cloc)
			continue;
		done_loc |= is_loc;
		done_cloc |= is_cloc;
		if (prefix_is(buf + v, ve - v, "http://"))
			a = v + 7;
		else if (prefix_is(buf + v, ve - v, "https://"))
			a = v + 8;
		else
			continue;
		for (ae = a; ae < ve && buf[ae] != '/' && buf[ae] != '?' && buf[ae] != '#'; ae++)
			;
		if (!is_server(buf + a, ae - a, loc))
			continue;
		/* [v, ae) becomes scheme "://" host */
		old = ae - v;
		new = slen + 3 + hlen;
		if (new > old && total + (new - old) > cap)
			break;		/* no room: leave the rest alone */
		memmove(buf + v + new, buf + ae, total - ae);
		memcpy(buf + v, loc->scheme, slen);
		memcpy(buf + v + slen, "://", 3);
		memcpy(buf + v + slen + 3, loc->host, hlen);
		total = total + new - old;
		end = end + new - old;
		eol = eol + new - old;
	}
	return end + 2;
}
