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

int spl_http_rewrite_request(u8 *buf, u32 head_len, u32 tail, u32 cap,
			     const struct spl_rewrite *rw)
{
	u32 total = head_len + tail, end = head_len - 2, i = 0;
	u32 xff_start = 0, xff_end = 0;
	bool xff = false;

	if (head_len < 4 || strlen(rw->client) + strlen(rw->proto) > 64 ||
	    total > cap || cap - total < SPL_REWRITE_ROOM)
		return -1;

	while (i + 1 < end && buf[i] == '\r' && buf[i + 1] == '\n')
		i += 2;				/* empty lines before the request */
	i = line_end(buf, i, end) + 2;		/* the request line */

	while (i < end) {
		u32 eol = line_end(buf, i, end), colon = i, v, ve;

		while (colon < eol && buf[colon] != ':')
			colon++;
		if (name_is(buf + i, colon - i, "x-forwarded-proto")) {
			u32 gone = eol + 2 - i;

			memmove(buf + i, buf + eol + 2, total - (eol + 2));
			total -= gone;
			end -= gone;
			continue;
		}
		if (name_is(buf + i, colon - i, "x-forwarded-for")) {
			v = colon + 1;
			while (v < eol && (buf[v] == ' ' || buf[v] == '\t'))
				v++;
			ve = eol;
			while (ve > v && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t'))
				ve--;
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
	return end + 2;
}
