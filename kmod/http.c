// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP/1.x request head parser (RFC 9110, RFC 9112).
 *
 * Strict on purpose: a load balancer that reads a head differently from the
 * server behind it opens the door to request smuggling, so everything
 * ambiguous is refused rather than guessed at.
 */
#include "http.h"

/* RFC 9110 5.6.2 tchar */
static bool is_tchar(u8 c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'':
	case '*': case '+': case '-': case '.': case '^': case '_':
	case '`': case '|': case '~':
		return true;
	}
	return false;
}

/* field-value octets: VCHAR, obs-text, SP, HTAB (RFC 9110 5.5) */
static bool is_vchar_ws(u8 c)
{
	return c == ' ' || c == '\t' || (c >= 0x21 && c != 0x7f);
}

static u8 lower(u8 c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static bool eq_nocase(const u8 *p, u32 len, const char *s)
{
	u32 i;

	for (i = 0; i < len; i++)
		if (!s[i] || lower(p[i]) != (u8)s[i])
			return false;
	return s[len] == '\0';
}

int spl_http_head_end(const u8 *buf, u32 len, u32 *scan)
{
	u32 i = *scan;

	for (; i < len; i++) {
		if (buf[i] == '\0')
			return -1;
		if (buf[i] != '\n')
			continue;
		if (i == 0 || buf[i - 1] != '\r')
			return -1;
		/* "\r\n\r\n" ends the head; so does "\r\n" as the first line */
		if (i == 1 || (i >= 3 && buf[i - 2] == '\n' && buf[i - 3] == '\r')) {
			if (i == 1) {
				/* a stray empty line before the request: skip it */
				continue;
			}
			*scan = i + 1;
			return i + 1;
		}
	}
	*scan = len;
	return 0;
}

struct method_name {
	const char *name;
	u8 len;
	u8 id;
};

static const struct method_name methods[] = {
	{ "GET", 3, SPL_HTTP_M_GET },
	{ "HEAD", 4, SPL_HTTP_M_HEAD },
	{ "POST", 4, SPL_HTTP_M_POST },
	{ "PUT", 3, SPL_HTTP_M_PUT },
	{ "DELETE", 6, SPL_HTTP_M_DELETE },
	{ "OPTIONS", 7, SPL_HTTP_M_OPTIONS },
	{ "PATCH", 5, SPL_HTTP_M_PATCH },
	{ "CONNECT", 7, SPL_HTTP_M_CONNECT },
	{ "TRACE", 5, SPL_HTTP_M_TRACE },
};

static u8 method_id(const u8 *p, u32 len)
{
	u32 i, j;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (methods[i].len != len)
			continue;
		for (j = 0; j < len; j++)
			if (p[j] != (u8)methods[i].name[j])
				break;
		if (j == len)
			return methods[i].id;
	}
	return SPL_HTTP_M_OTHER;
}

#define REJECT(r, status, why) do { (r)->reason = (why); return (status); } while (0)

/* Content-Length: 1#DIGIT list whose members must all agree (RFC 9110 8.6) */
static int parse_content_length(const u8 *v, u32 len, struct spl_http_req *req)
{
	u32 i = 0;

	if (len == 0)
		REJECT(req, 400, "empty Content-Length");
	while (i < len) {
		u64 n = 0;
		u32 digits = 0;

		while (i < len && v[i] >= '0' && v[i] <= '9') {
			if (n > (~0ULL >> 1) / 10)
				REJECT(req, 400, "Content-Length too large");
			n = n * 10 + (v[i] - '0');
			i++;
			digits++;
		}
		if (!digits)
			REJECT(req, 400, "Content-Length is not a number");
		if ((req->flags & SPL_HTTP_F_CL) && req->content_length != n)
			REJECT(req, 400, "conflicting Content-Length values");
		req->content_length = n;
		req->flags |= SPL_HTTP_F_CL;
		while (i < len && (v[i] == ' ' || v[i] == '\t'))
			i++;
		if (i == len)
			break;
		if (v[i] != ',')
			REJECT(req, 400, "Content-Length is not a number");
		i++;
		while (i < len && (v[i] == ' ' || v[i] == '\t'))
			i++;
	}
	return 0;
}

/* Transfer-Encoding: chunked must be the last coding, and only once */
static int parse_transfer_encoding(const u8 *v, u32 len, struct spl_http_req *req)
{
	u32 i = 0;

	while (i < len) {
		u32 start, end;

		while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && v[i] != ',' && v[i] != ';')
			i++;
		end = i;
		while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t'))
			end--;
		if (i < len && v[i] == ';')
			REJECT(req, 400, "Transfer-Encoding with parameters");
		if (req->flags & SPL_HTTP_F_CHUNKED)
			REJECT(req, 400, "Transfer-Encoding: coding after chunked");
		if (eq_nocase(v + start, end - start, "chunked")) {
			req->flags |= SPL_HTTP_F_CHUNKED;
		} else {
			bool known = eq_nocase(v + start, end - start, "gzip") ||
				     eq_nocase(v + start, end - start, "deflate") ||
				     eq_nocase(v + start, end - start, "compress");
			/* a known coding must still be followed by chunked */
			if (!known)
				REJECT(req, 501, "unknown Transfer-Encoding");
		}
	}
	if (!(req->flags & SPL_HTTP_F_CHUNKED))
		REJECT(req, 400, "Transfer-Encoding does not end with chunked");
	return 0;
}

static void parse_connection(const u8 *v, u32 len, struct spl_http_req *req)
{
	u32 i = 0;

	while (i < len) {
		u32 start, end;

		while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		start = i;
		while (i < len && v[i] != ',')
			i++;
		end = i;
		while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t'))
			end--;
		if (eq_nocase(v + start, end - start, "close"))
			req->flags |= SPL_HTTP_F_CLOSE;
		else if (eq_nocase(v + start, end - start, "keep-alive"))
			req->flags |= SPL_HTTP_F_KEEPALIVE;
		else if (eq_nocase(v + start, end - start, "upgrade"))
			req->flags |= SPL_HTTP_F_UPGRADE;
	}
}

static int parse_request_line(const u8 *buf, u32 len, u32 *pos,
			      struct spl_http_req *req)
{
	u32 i = *pos, start;

	start = i;
	while (i < len && is_tchar(buf[i]))
		i++;
	if (i == start || i >= len || buf[i] != ' ')
		REJECT(req, 400, "malformed method");
	if (i - start > SPL_HTTP_MAX_METHOD)
		REJECT(req, 400, "method too long");
	req->method = method_id(buf + start, i - start);
	i++;

	start = i;
	while (i < len && buf[i] > 0x20 && buf[i] < 0x7f)
		i++;
	if (i == start || i >= len || buf[i] != ' ')
		REJECT(req, 400, "malformed request target");
	req->target_off = start;
	req->target_len = i - start;
	i++;

	if (len - i < 10 || buf[i] != 'H' || buf[i + 1] != 'T' ||
	    buf[i + 2] != 'T' || buf[i + 3] != 'P' || buf[i + 4] != '/' ||
	    buf[i + 5] < '0' || buf[i + 5] > '9' || buf[i + 6] != '.' ||
	    buf[i + 7] < '0' || buf[i + 7] > '9' ||
	    buf[i + 8] != '\r' || buf[i + 9] != '\n')
		REJECT(req, 400, "malformed HTTP version");
	if (buf[i + 5] != '1' || buf[i + 7] > '1')
		REJECT(req, 505, "HTTP version not supported");
	req->minor = buf[i + 7] - '0';
	*pos = i + 10;
	return 0;
}

int spl_http_parse_request(const u8 *buf, u32 len, struct spl_http_req *req)
{
	u32 i = 0;
	int ret;

	*req = (struct spl_http_req){ .head_len = len };
	if (len < 4 || buf[len - 1] != '\n' || buf[len - 2] != '\r' ||
	    buf[len - 3] != '\n' || buf[len - 4] != '\r')
		REJECT(req, 400, "incomplete head");

	/* RFC 9112 2.2: ignore at least one empty line before the request */
	while (i + 1 < len && buf[i] == '\r' && buf[i + 1] == '\n')
		i += 2;
	req->line_off = i;
	ret = parse_request_line(buf, len, &i, req);
	if (ret)
		return ret;

	for (;;) {
		u32 name, name_len, val, val_end;

		if (i + 1 >= len)
			REJECT(req, 400, "incomplete head");
		if (buf[i] == '\r' && buf[i + 1] == '\n') {
			i += 2;
			break;
		}
		if (buf[i] == ' ' || buf[i] == '\t')
			REJECT(req, 400, "obsolete line folding");
		if (++req->nheaders > SPL_HTTP_MAX_HEADERS)
			REJECT(req, 431, "too many header fields");

		name = i;
		while (i < len && is_tchar(buf[i]))
			i++;
		name_len = i - name;
		if (!name_len || i >= len || buf[i] != ':')
			REJECT(req, 400, (i < len && (buf[i] == ' ' || buf[i] == '\t')) ?
			       "whitespace before colon" : "malformed header name");
		i++;
		while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
			i++;
		val = i;
		while (i < len && buf[i] != '\r' && buf[i] != '\n') {
			if (!is_vchar_ws(buf[i]))
				REJECT(req, 400, "invalid octet in header value");
			i++;
		}
		if (i + 1 >= len || buf[i] != '\r' || buf[i + 1] != '\n')
			REJECT(req, 400, "bare CR or LF in header");
		val_end = i;
		while (val_end > val && (buf[val_end - 1] == ' ' || buf[val_end - 1] == '\t'))
			val_end--;
		i += 2;

		if (eq_nocase(buf + name, name_len, "content-length")) {
			ret = parse_content_length(buf + val, val_end - val, req);
		} else if (eq_nocase(buf + name, name_len, "transfer-encoding")) {
			ret = parse_transfer_encoding(buf + val, val_end - val, req);
		} else if (eq_nocase(buf + name, name_len, "host")) {
			if (req->flags & SPL_HTTP_F_HOST)
				REJECT(req, 400, "more than one Host");
			req->flags |= SPL_HTTP_F_HOST;
			req->host_off = val;
			req->host_len = val_end - val;
			ret = 0;
		} else if (eq_nocase(buf + name, name_len, "connection")) {
			parse_connection(buf + val, val_end - val, req);
			ret = 0;
		} else {
			if (eq_nocase(buf + name, name_len, "x-forwarded-for"))
				req->flags |= SPL_HTTP_F_XFF;
			ret = 0;
		}
		if (ret)
			return ret;
	}
	if (i != len)
		REJECT(req, 400, "data after the empty line");

	if ((req->flags & SPL_HTTP_F_CHUNKED) && (req->flags & SPL_HTTP_F_CL))
		REJECT(req, 400, "both Content-Length and Transfer-Encoding");
	if ((req->flags & SPL_HTTP_F_CHUNKED) && req->minor == 0)
		REJECT(req, 400, "Transfer-Encoding in an HTTP/1.0 request");
	if (req->minor == 1 && !(req->flags & SPL_HTTP_F_HOST))
		REJECT(req, 400, "HTTP/1.1 request without Host");
	return 0;
}
