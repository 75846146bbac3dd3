// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP/1.x message framing (RFC 9110, RFC 9112): request heads, response
 * heads, and bodies framed by Content-Length or the chunked coding.
 *
 * Strict on purpose: a load balancer that reads a message differently from
 * the server behind it (or from the client in front) opens the door to
 * request smuggling and response splitting, so everything ambiguous is
 * refused rather than guessed at.
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

static bool is_ws(u8 c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(u8 c)
{
	return c >= '0' && c <= '9';
}

/* the value of a hex digit, or -1 */
static int hex_value(u8 c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* uri-host [ ":" port ] octets: unreserved, pct-encoded, sub-delims, IP-literal */
static bool is_host_char(u8 c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	switch (c) {
	case '-': case '.': case '_': case '~': case '%':
	case '!': case '$': case '&': case '\'': case '(': case ')':
	case '*': case '+': case ',': case ';': case '=':
	case ':': case '[': case ']':
		return true;
	}
	return false;
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

static u32 lim_line(const struct spl_http_limits *lim)
{
	return lim && lim->max_line ? lim->max_line : SPL_HTTP_MAX_LINE;
}

static u16 lim_headers(const struct spl_http_limits *lim)
{
	return lim && lim->max_headers ? lim->max_headers : SPL_HTTP_MAX_HEADERS;
}

int spl_http_head_end(const u8 *buf, u32 len, u32 *scan)
{
	u32 i;

	for (i = *scan; i < len; i++) {
		if (buf[i] == '\0')
			return -1;
		if (buf[i] != '\n')
			continue;
		if (i == 0 || buf[i - 1] != '\r')
			return -1;
		/* not an empty line: its CR does not follow a LF (or the start) */
		if (i != 1 && buf[i - 2] != '\n')
			continue;
		/*
		 * An empty line. If the line before it was empty too, that one
		 * did not end the head, so it was a leading one, and so is this.
		 */
		if (i == 1 || i == 3 || (i >= 4 && buf[i - 4] == '\n'))
			continue;
		*scan = i + 1;
		return i + 1;
	}
	*scan = len;
	return 0;
}

/* skip leading empty lines: the offset of the first line */
static u32 skip_empty_lines(const u8 *buf, u32 len)
{
	u32 i = 0;

	while (i + 1 < len && buf[i] == '\r' && buf[i + 1] == '\n')
		i += 2;
	return i;
}

/* the length of the line starting at @start, up to a CR or LF (or @len) */
static u32 line_length(const u8 *buf, u32 len, u32 start)
{
	u32 i = start;

	while (i < len && buf[i] != '\r' && buf[i] != '\n')
		i++;
	return i - start;
}

int spl_http_head_too_large(const u8 *buf, u32 len,
			    const struct spl_http_limits *lim)
{
	u32 start = skip_empty_lines(buf, len);
	u32 n = line_length(buf, len, start);

	if (start == len)
		return 431;
	if (start + n == len || n > lim_line(lim))
		return 414;
	return 431;
}

int spl_http_request_line_early(const u8 *buf, u32 len)
{
	u32 start = skip_empty_lines(buf, len);
	u32 n = line_length(buf, len, start);
	static const char v[] = " HTTP/";
	u32 i;

	if (start == len || start + n == len)
		return 0;		/* the request line has not ended */
	/* "METHOD SP target SP HTTP/x.y": the version is the last 9 bytes */
	if (n < 9 + 3)
		return 400;
	for (i = 0; i < sizeof(v) - 1; i++)
		if (buf[start + n - 9 + i] != (u8)v[i])
			return 400;
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

/* ---- header fields, shared by requests and responses ---- */

/* What the field section says about framing and routing. */
struct fields {
	u64 content_length;
	u32 host_off;
	u32 host_len;
	u16 flags;
	u16 nheaders;
	bool te;		/* Transfer-Encoding seen */
	const char *reason;
};

/* How a field section failed; the caller turns it into a status. */
enum {
	FIELDS_OK,
	FIELDS_BAD,		/* malformed or ambiguous */
	FIELDS_TOO_MANY,	/* more than the limit */
	FIELDS_UNKNOWN_TE,	/* a transfer coding we cannot frame */
};

#define FAIL(f, code, why) do { (f)->reason = (why); return (code); } while (0)

/* Content-Length: 1#DIGIT list whose members must all agree (RFC 9110 8.6) */
static int parse_content_length(const u8 *v, u32 len, struct fields *f)
{
	u32 i = 0;

	if (len == 0)
		FAIL(f, FIELDS_BAD, "empty Content-Length");
	while (i < len) {
		u64 n = 0;
		u32 digits = 0;

		while (i < len && is_digit(v[i])) {
			u32 d = v[i] - '0';

			/* at most 2^63 - 1, as a signed 64-bit off_t can hold */
			if (n > ((~0ULL >> 1) - d) / 10)
				FAIL(f, FIELDS_BAD, "Content-Length too large");
			n = n * 10 + d;
			i++;
			digits++;
		}
		if (!digits)
			FAIL(f, FIELDS_BAD, "Content-Length is not a number");
		if ((f->flags & SPL_HTTP_F_CL) && f->content_length != n)
			FAIL(f, FIELDS_BAD, "conflicting Content-Length values");
		f->content_length = n;
		f->flags |= SPL_HTTP_F_CL;
		while (i < len && is_ws(v[i]))
			i++;
		if (i == len)
			break;
		if (v[i] != ',')
			FAIL(f, FIELDS_BAD, "Content-Length is not a number");
		i++;
		while (i < len && is_ws(v[i]))
			i++;
	}
	return FIELDS_OK;
}

/*
 * Transfer-Encoding: chunked must be the last coding (of all the field
 * lines: parse_fields() checks it in the end), and only once.
 */
static int parse_transfer_encoding(const u8 *v, u32 len, struct fields *f)
{
	u32 i = 0;

	f->te = true;
	while (i < len) {
		u32 start, end;

		while (i < len && (is_ws(v[i]) || v[i] == ','))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && v[i] != ',' && v[i] != ';')
			i++;
		end = i;
		while (end > start && is_ws(v[end - 1]))
			end--;
		if (i < len && v[i] == ';')
			FAIL(f, FIELDS_BAD, "Transfer-Encoding with parameters");
		if (f->flags & SPL_HTTP_F_CHUNKED)
			FAIL(f, FIELDS_BAD, "Transfer-Encoding: coding after chunked");
		if (eq_nocase(v + start, end - start, "chunked")) {
			f->flags |= SPL_HTTP_F_CHUNKED;
		} else {
			bool known = eq_nocase(v + start, end - start, "gzip") ||
				     eq_nocase(v + start, end - start, "deflate") ||
				     eq_nocase(v + start, end - start, "compress");
			/* a known coding must still be followed by chunked */
			if (!known)
				FAIL(f, FIELDS_UNKNOWN_TE, "unknown Transfer-Encoding");
		}
	}
	return FIELDS_OK;
}

/* Comma-separated lists whose members we look for. */
enum token_list { TOKENS_CONNECTION, TOKENS_EXPECT, TOKENS_UPGRADE };

static void parse_tokens(const u8 *v, u32 len, struct fields *f,
			 enum token_list list)
{
	u32 i = 0;

	while (i < len) {
		u32 start, end;

		while (i < len && (is_ws(v[i]) || v[i] == ','))
			i++;
		start = i;
		while (i < len && v[i] != ',')
			i++;
		end = i;
		while (end > start && is_ws(v[end - 1]))
			end--;
		if (list == TOKENS_EXPECT) {
			if (eq_nocase(v + start, end - start, "100-continue"))
				f->flags |= SPL_HTTP_F_CONTINUE;
		} else if (list == TOKENS_UPGRADE) {
			if (eq_nocase(v + start, end - start, "websocket"))
				f->flags |= SPL_HTTP_F_WEBSOCKET;
		} else if (eq_nocase(v + start, end - start, "close")) {
			f->flags |= SPL_HTTP_F_CLOSE;
		} else if (eq_nocase(v + start, end - start, "keep-alive")) {
			f->flags |= SPL_HTTP_F_KEEPALIVE;
		} else if (eq_nocase(v + start, end - start, "upgrade")) {
			f->flags |= SPL_HTTP_F_UPGRADE;
		}
	}
}

static int parse_host(const u8 *buf, u32 val, u32 val_end, struct fields *f)
{
	u32 i;

	if (f->flags & SPL_HTTP_F_HOST)
		FAIL(f, FIELDS_BAD, "more than one Host");
	for (i = val; i < val_end; i++)
		if (!is_host_char(buf[i]))
			FAIL(f, FIELDS_BAD, "invalid Host");
	f->flags |= SPL_HTTP_F_HOST;
	f->host_off = val;
	f->host_len = val_end - val;
	return FIELDS_OK;
}

/* Fields that mean something in requests only. */
static int parse_request_field(const u8 *buf, u32 name, u32 name_len,
			       u32 val, u32 val_end, struct fields *f)
{
	if (eq_nocase(buf + name, name_len, "host"))
		return parse_host(buf, val, val_end, f);
	if (eq_nocase(buf + name, name_len, "expect"))
		parse_tokens(buf + val, val_end - val, f, TOKENS_EXPECT);
	else if (eq_nocase(buf + name, name_len, "upgrade"))
		parse_tokens(buf + val, val_end - val, f, TOKENS_UPGRADE);
	else if (eq_nocase(buf + name, name_len, "x-forwarded-for"))
		f->flags |= SPL_HTTP_F_XFF;
	return FIELDS_OK;
}

/*
 * The field lines from @*pos to the empty line, which must end the head
 * exactly at @len. Host and Expect mean something in requests only.
 */
static int parse_fields(const u8 *buf, u32 len, u32 *pos, u16 max_headers,
			bool request, struct fields *f)
{
	u32 i = *pos;
	int ret;

	for (;;) {
		u32 name, name_len, val, val_end;

		if (i + 1 >= len)
			FAIL(f, FIELDS_BAD, "incomplete head");
		if (buf[i] == '\r' && buf[i + 1] == '\n') {
			i += 2;
			break;
		}
		if (is_ws(buf[i]))
			FAIL(f, FIELDS_BAD, "obsolete line folding");
		if (f->nheaders >= max_headers)
			FAIL(f, FIELDS_TOO_MANY, "too many header fields");
		f->nheaders++;

		name = i;
		while (i < len && is_tchar(buf[i]))
			i++;
		name_len = i - name;
		if (!name_len || i >= len || buf[i] != ':')
			FAIL(f, FIELDS_BAD, (i < len && is_ws(buf[i])) ?
			     "whitespace before colon" : "malformed header name");
		i++;
		while (i < len && is_ws(buf[i]))
			i++;
		val = i;
		while (i < len && buf[i] != '\r' && buf[i] != '\n') {
			if (!is_vchar_ws(buf[i]))
				FAIL(f, FIELDS_BAD, "invalid octet in header value");
			i++;
		}
		if (i + 1 >= len || buf[i] != '\r' || buf[i + 1] != '\n')
			FAIL(f, FIELDS_BAD, "bare CR or LF in header");
		val_end = i;
		while (val_end > val && is_ws(buf[val_end - 1]))
			val_end--;
		i += 2;

		ret = FIELDS_OK;
		if (eq_nocase(buf + name, name_len, "content-length"))
			ret = parse_content_length(buf + val, val_end - val, f);
		else if (eq_nocase(buf + name, name_len, "transfer-encoding"))
			ret = parse_transfer_encoding(buf + val, val_end - val, f);
		else if (eq_nocase(buf + name, name_len, "connection"))
			parse_tokens(buf + val, val_end - val, f, TOKENS_CONNECTION);
		else if (request)
			ret = parse_request_field(buf, name, name_len, val, val_end, f);
		if (ret)
			return ret;
	}
	if (i != len)
		FAIL(f, FIELDS_BAD, "data after the empty line");
	if (f->te && !(f->flags & SPL_HTTP_F_CHUNKED))
		FAIL(f, FIELDS_BAD, "Transfer-Encoding does not end with chunked");
	*pos = i;
	return FIELDS_OK;
}

/* ---- requests ---- */

#define REJECT(r, status, why) do { (r)->reason = (why); return (status); } while (0)

static bool ends_with_empty_line(const u8 *buf, u32 len)
{
	return len >= 4 && buf[len - 4] == '\r' && buf[len - 3] == '\n' &&
	       buf[len - 2] == '\r' && buf[len - 1] == '\n';
}

/* "HTTP/" DIGIT "." DIGIT at @p, with @n bytes there */
static bool is_http_version(const u8 *p, u32 n)
{
	return n >= 8 && p[0] == 'H' && p[1] == 'T' && p[2] == 'T' &&
	       p[3] == 'P' && p[4] == '/' && is_digit(p[5]) && p[6] == '.' &&
	       is_digit(p[7]);
}

static int parse_request_line(const u8 *buf, u32 len, u32 *pos,
			      struct spl_http_req *req)
{
	u32 i = *pos, start, method = *pos, method_len;

	while (i < len && is_tchar(buf[i]))
		i++;
	method_len = i - method;
	if (!method_len || i >= len || buf[i] != ' ')
		REJECT(req, 400, "malformed method");
	if (method_len > SPL_HTTP_MAX_METHOD)
		REJECT(req, 400, "method too long");
	req->method = method_id(buf + method, method_len);
	i++;

	start = i;
	while (i < len && buf[i] > 0x20 && buf[i] < 0x7f)
		i++;
	if (i == start || i >= len)
		REJECT(req, 400, "malformed request target");
	if (buf[i] == '\r')
		REJECT(req, 400, "HTTP/0.9 request (no version)");
	if (buf[i] != ' ')
		REJECT(req, 400, "malformed request target");
	req->target_off = start;
	req->target_len = i - start;
	i++;

	if (!is_http_version(buf + i, len - i) || len - i < 10 ||
	    buf[i + 8] != '\r' || buf[i + 9] != '\n')
		REJECT(req, 400, "malformed HTTP version");
	/* RFC 9113 3.4: "PRI * HTTP/2.0", then "SM" after the empty line */
	if (buf[i + 5] == '2' && buf[i + 7] == '0' && method_len == 3 &&
	    buf[method] == 'P' && buf[method + 1] == 'R' && buf[method + 2] == 'I' &&
	    req->target_len == 1 && buf[req->target_off] == '*')
		REJECT(req, 505, "HTTP/2 connection preface");
	if (buf[i + 5] != '1' || buf[i + 7] > '1')
		REJECT(req, 505, "HTTP version not supported");
	req->minor = buf[i + 7] - '0';
	*pos = i + 10;
	return 0;
}

int spl_http_parse_request(const u8 *buf, u32 len,
			   const struct spl_http_limits *lim,
			   struct spl_http_req *req)
{
	struct fields f = {};
	u32 i;
	int ret;

	*req = (struct spl_http_req){ .head_len = len };
	if (!ends_with_empty_line(buf, len))
		REJECT(req, 400, "incomplete head");

	/* RFC 9112 2.2: ignore at least one empty line before the request */
	i = skip_empty_lines(buf, len);
	req->line_off = i;
	if (line_length(buf, len, i) > lim_line(lim))
		REJECT(req, 414, "request line too long");
	ret = parse_request_line(buf, len, &i, req);
	if (ret)
		return ret;

	ret = parse_fields(buf, len, &i, lim_headers(lim), true, &f);
	req->flags = f.flags;
	req->nheaders = f.nheaders;
	req->content_length = f.content_length;
	req->host_off = f.host_off;
	req->host_len = f.host_len;
	switch (ret) {
	case FIELDS_OK:
		break;
	case FIELDS_TOO_MANY:
		REJECT(req, 431, f.reason);
	case FIELDS_UNKNOWN_TE:
		REJECT(req, 501, f.reason);
	default:
		REJECT(req, 400, f.reason);
	}

	if ((req->flags & SPL_HTTP_F_CHUNKED) && (req->flags & SPL_HTTP_F_CL))
		REJECT(req, 400, "both Content-Length and Transfer-Encoding");
	if ((req->flags & SPL_HTTP_F_CHUNKED) && req->minor == 0)
		REJECT(req, 400, "Transfer-Encoding in an HTTP/1.0 request");
	if (req->minor == 1 && !(req->flags & SPL_HTTP_F_HOST))
		REJECT(req, 400, "HTTP/1.1 request without Host");
	return 0;
}

/* ---- responses ---- */

/* status-line = HTTP-version SP 3DIGIT SP [ reason-phrase ] CRLF */
static int parse_status_line(const u8 *buf, u32 len, u32 *pos,
			     struct spl_http_resp *resp)
{
	u32 i = 0;

	if (!is_http_version(buf, len) || len < 13 || buf[8] != ' ')
		REJECT(resp, 502, "malformed status line");
	if (buf[5] != '1' || buf[7] > '1')
		REJECT(resp, 502, "unsupported HTTP version");
	resp->minor = buf[7] - '0';
	if (!is_digit(buf[9]) || !is_digit(buf[10]) || !is_digit(buf[11]))
		REJECT(resp, 502, "malformed status code");
	resp->status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
	if (resp->status < 100 || resp->status > 599)
		REJECT(resp, 502, "status code out of range");
	i = 12;
	/* the SP before an empty reason phrase is often left out: harmless */
	if (buf[i] == ' ') {
		i++;
		while (i < len && buf[i] != '\r' && buf[i] != '\n') {
			if (!is_vchar_ws(buf[i]))
				REJECT(resp, 502, "invalid octet in reason phrase");
			i++;
		}
	}
	if (i + 1 >= len || buf[i] != '\r' || buf[i + 1] != '\n')
		REJECT(resp, 502, "malformed status line");
	*pos = i + 2;
	return 0;
}

int spl_http_parse_response(const u8 *buf, u32 len, struct spl_http_resp *resp)
{
	struct fields f = {};
	u32 i = 0;
	int ret;

	*resp = (struct spl_http_resp){ .head_len = len };
	if (!ends_with_empty_line(buf, len))
		REJECT(resp, 502, "incomplete head");
	if (buf[0] == '\r' && buf[1] == '\n')
		REJECT(resp, 502, "empty line before the status line");
	ret = parse_status_line(buf, len, &i, resp);
	if (ret)
		return ret;

	ret = parse_fields(buf, len, &i, SPL_HTTP_MAX_HEADERS, false, &f);
	resp->flags = f.flags;
	resp->nheaders = f.nheaders;
	resp->content_length = f.content_length;
	if (ret)
		REJECT(resp, 502, f.reason);

	if ((resp->flags & SPL_HTTP_F_CHUNKED) && (resp->flags & SPL_HTTP_F_CL))
		REJECT(resp, 502, "both Content-Length and Transfer-Encoding");
	if ((resp->flags & SPL_HTTP_F_CHUNKED) && resp->minor == 0)
		REJECT(resp, 502, "Transfer-Encoding in an HTTP/1.0 response");
	/* RFC 9110 8.6, 6.1: no framing in a 1xx or 204; a zero length is harmless */
	if ((resp->status < 200 || resp->status == 204) &&
	    ((resp->flags & SPL_HTTP_F_CHUNKED) || resp->content_length))
		REJECT(resp, 502, "body framing in a 1xx or 204 response");
	return 0;
}

/* ---- bodies ---- */

enum body_state {
	B_DONE,
	B_ERROR,
	B_CL,		/* Content-Length bytes left */
	B_STREAM,	/* EOF and TUNNEL: everything */
	C_SIZE0,	/* chunk-size: the first hex digit */
	C_SIZE,		/* more hex digits, chunk-ext or CR */
	C_SIZE_WS,	/* BWS after the size: only ";" may follow */
	C_EXT_NAME0,	/* after ";": BWS, then the name */
	C_EXT_NAME,
	C_EXT_NAME_WS,	/* BWS after the name: "=" or ";" */
	C_EXT_VAL0,	/* after "=": BWS, then a token or a quoted-string */
	C_EXT_TOKEN,
	C_EXT_QUOTED,
	C_EXT_QPAIR,	/* after a backslash in a quoted-string */
	C_EXT_QEND,	/* after the closing quote: BWS, ";" or CR */
	C_EXT_VAL_WS,	/* BWS after the value: ";" */
	C_SIZE_LF,	/* LF ending the chunk-size line */
	C_DATA,
	C_DATA_CR,	/* CRLF after the chunk data */
	C_DATA_LF,
	C_TR_START,	/* a trailer field line, or the final CRLF */
	C_TR_NAME,
	C_TR_VALUE,
	C_TR_LF,
	C_END_LF,	/* LF of the final CRLF */
};

/* Trailer fields a recipient might take for framing or routing: refused. */
static const struct {
	const char *name;
	u8 len;
} forbidden_trailers[] = {
	{ "content-length", 14 },
	{ "transfer-encoding", 17 },
	{ "host", 4 },
};

#define ALL_FORBIDDEN ((1u << (sizeof(forbidden_trailers) / sizeof(forbidden_trailers[0]))) - 1)

void spl_http_body_init(struct spl_http_body *b, enum spl_http_body_kind kind,
			u64 content_length)
{
	*b = (struct spl_http_body){ .kind = kind };
	switch (kind) {
	case SPL_HTTP_BODY_CL:
		b->remaining = content_length;
		b->state = content_length ? B_CL : B_DONE;
		break;
	case SPL_HTTP_BODY_CHUNKED:
		b->state = C_SIZE0;
		break;
	case SPL_HTTP_BODY_EOF:
	case SPL_HTTP_BODY_TUNNEL:
		b->state = B_STREAM;
		break;
	default:
		b->kind = SPL_HTTP_BODY_NONE;
		b->state = B_DONE;
		break;
	}
}

static int body_fail(struct spl_http_body *b, const char *why)
{
	b->state = B_ERROR;
	b->reason = why;
	return -EBADMSG;
}

/* one more byte of chunk-ext (or of BWS after the size) on this line */
static bool ext_byte(struct spl_http_body *b)
{
	return ++b->pos <= SPL_HTTP_MAX_CHUNK_EXT;
}

/* A trailer name byte at b->pos: narrow down the forbidden names it matches. */
static void trailer_match(struct spl_http_body *b, u8 c)
{
	u32 k;

	for (k = 0; k < sizeof(forbidden_trailers) / sizeof(forbidden_trailers[0]); k++) {
		if (!(b->match & (1u << k)))
			continue;
		if (b->pos >= forbidden_trailers[k].len ||
		    lower(c) != (u8)forbidden_trailers[k].name[b->pos])
			b->match &= ~(1u << k);
	}
}

static bool trailer_forbidden(const struct spl_http_body *b)
{
	u32 k;

	for (k = 0; k < sizeof(forbidden_trailers) / sizeof(forbidden_trailers[0]); k++)
		if ((b->match & (1u << k)) && b->pos == forbidden_trailers[k].len)
			return true;
	return false;
}

/* The chunked decoder proper: one state transition per byte, data in bulk. */
static int chunked_feed(struct spl_http_body *b, const u8 *buf, u32 len,
			bool *done)
{
	u32 i = 0;

	while (i < len) {
		u8 c = buf[i];
		int h;

		if (b->state == C_DATA) {
			u32 n = len - i;

			if (n > b->remaining)
				n = (u32)b->remaining;
			b->remaining -= n;
			i += n;
			if (!b->remaining)
				b->state = C_DATA_CR;
			continue;
		}
		if (b->state >= C_TR_START &&
		    ++b->line > SPL_HTTP_MAX_TRAILER_BYTES)
			return body_fail(b, "trailer section too large");
		i++;

		switch (b->state) {
		case C_SIZE0:
			h = hex_value(c);
			if (h < 0)
				return body_fail(b, "bad chunk size");
			b->remaining = h;
			b->digits = 1;
			b->state = C_SIZE;
			break;
		case C_SIZE:
			h = hex_value(c);
			if (h >= 0) {
				if (++b->digits > SPL_HTTP_MAX_CHUNK_DIGITS)
					return body_fail(b, "chunk size too large");
				b->remaining = b->remaining << 4 | h;
			} else if (c == '\r') {
				b->state = C_SIZE_LF;
			} else if (c == ';') {
				b->pos = 1;	/* the first byte of chunk-ext */
				b->state = C_EXT_NAME0;
			} else if (is_ws(c)) {
				b->pos = 1;
				b->state = C_SIZE_WS;
			} else {
				return body_fail(b, "bad chunk size");
			}
			break;
		case C_SIZE_LF:
			if (c != '\n')
				return body_fail(b, "bare CR in the chunk size line");
			if (b->remaining) {
				b->state = C_DATA;
			} else {
				b->state = C_TR_START;
				b->line = 0;
			}
			break;
		case C_DATA_CR:
			if (c != '\r')
				return body_fail(b, "no CRLF after the chunk data");
			b->state = C_DATA_LF;
			break;
		case C_DATA_LF:
			if (c != '\n')
				return body_fail(b, "no CRLF after the chunk data");
			b->state = C_SIZE0;
			break;
		case C_TR_START:
			if (c == '\r') {
				b->state = C_END_LF;
				break;
			}
			if (!is_tchar(c))
				return body_fail(b, is_ws(c) ? "obsolete line folding in trailer" :
						 "malformed trailer field");
			if (++b->count > SPL_HTTP_MAX_TRAILERS)
				return body_fail(b, "too many trailer fields");
			b->match = ALL_FORBIDDEN;
			b->pos = 0;
			trailer_match(b, c);
			b->pos = 1;
			b->state = C_TR_NAME;
			break;
		case C_TR_NAME:
			if (c == ':') {
				if (trailer_forbidden(b))
					return body_fail(b, "framing field in trailer");
				b->state = C_TR_VALUE;
			} else if (is_tchar(c)) {
				trailer_match(b, c);
				b->pos++;
			} else {
				return body_fail(b, is_ws(c) ? "whitespace before colon in trailer" :
						 "malformed trailer field");
			}
			break;
		case C_TR_VALUE:
			if (c == '\r')
				b->state = C_TR_LF;
			else if (!is_vchar_ws(c))
				return body_fail(b, "invalid octet in trailer");
			break;
		case C_TR_LF:
			if (c != '\n')
				return body_fail(b, "bare CR in trailer");
			b->state = C_TR_START;
			break;
		case C_END_LF:
			if (c != '\n')
				return body_fail(b, "bare CR after the trailer section");
			b->state = B_DONE;
			*done = true;
			return i;
		default:
			/*
			 * chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ),
			 * exactly: no whitespace before the CRLF.
			 */
			if (c == '\r' && (b->state == C_EXT_NAME ||
					  b->state == C_EXT_TOKEN ||
					  b->state == C_EXT_QEND)) {
				b->state = C_SIZE_LF;
				break;
			}
			if (!ext_byte(b))
				return body_fail(b, "chunk extension too long");
			switch (b->state) {
			case C_SIZE_WS:
				if (c == ';')
					b->state = C_EXT_NAME0;
				else if (!is_ws(c))
					return body_fail(b, "bad chunk size");
				break;
			case C_EXT_NAME0:
				if (is_tchar(c))
					b->state = C_EXT_NAME;
				else if (!is_ws(c))
					return body_fail(b, "malformed chunk extension");
				break;
			case C_EXT_NAME:
			case C_EXT_NAME_WS:
				if (c == ';')
					b->state = C_EXT_NAME0;
				else if (c == '=')
					b->state = C_EXT_VAL0;
				else if (is_ws(c))
					b->state = C_EXT_NAME_WS;
				else if (!is_tchar(c) || b->state == C_EXT_NAME_WS)
					return body_fail(b, "malformed chunk extension");
				break;
			case C_EXT_VAL0:
				if (c == '"')
					b->state = C_EXT_QUOTED;
				else if (is_tchar(c))
					b->state = C_EXT_TOKEN;
				else if (!is_ws(c))
					return body_fail(b, "malformed chunk extension");
				break;
			case C_EXT_TOKEN:
			case C_EXT_QEND:
			case C_EXT_VAL_WS:
				if (c == ';')
					b->state = C_EXT_NAME0;
				else if (is_ws(c))
					b->state = C_EXT_VAL_WS;
				else if (!is_tchar(c) || b->state != C_EXT_TOKEN)
					return body_fail(b, "malformed chunk extension");
				break;
			case C_EXT_QUOTED:
				/* qdtext, quoted-pair, or the closing quote */
				if (c == '"')
					b->state = C_EXT_QEND;
				else if (c == '\\')
					b->state = C_EXT_QPAIR;
				else if (!is_vchar_ws(c))
					return body_fail(b, "malformed chunk extension");
				break;
			case C_EXT_QPAIR:
				if (!is_vchar_ws(c))
					return body_fail(b, "malformed chunk extension");
				b->state = C_EXT_QUOTED;
				break;
			default:
				return body_fail(b, "bad body state");
			}
			break;
		}
	}
	return i;
}

int spl_http_body_feed(struct spl_http_body *b, const u8 *buf, u32 len,
		       bool *done)
{
	u32 n;

	*done = false;
	if (len > SPL_HTTP_FEED_MAX)
		len = SPL_HTTP_FEED_MAX;
	switch (b->state) {
	case B_DONE:
		*done = true;
		return 0;
	case B_ERROR:
		return -EBADMSG;
	case B_STREAM:
		return len;
	case B_CL:
		n = len;
		if (n > b->remaining)
			n = (u32)b->remaining;
		b->remaining -= n;
		if (!b->remaining) {
			b->state = B_DONE;
			*done = true;
		}
		return n;
	default:
		return chunked_feed(b, buf, len, done);
	}
}

enum spl_http_body_kind spl_http_req_body(const struct spl_http_req *req)
{
	if (req->flags & SPL_HTTP_F_CHUNKED)
		return SPL_HTTP_BODY_CHUNKED;
	if ((req->flags & SPL_HTTP_F_CL) && req->content_length)
		return SPL_HTTP_BODY_CL;
	return SPL_HTTP_BODY_NONE;
}

enum spl_http_body_kind spl_http_resp_body(const struct spl_http_resp *resp,
					   u8 req_method)
{
	if (resp->status == 101)
		return SPL_HTTP_BODY_TUNNEL;
	if (resp->status < 200)
		return SPL_HTTP_BODY_NONE;	/* interim: another head follows */
	if (req_method == SPL_HTTP_M_CONNECT && resp->status < 300)
		return SPL_HTTP_BODY_TUNNEL;
	if (req_method == SPL_HTTP_M_HEAD || resp->status == 204 ||
	    resp->status == 304)
		return SPL_HTTP_BODY_NONE;
	if (resp->flags & SPL_HTTP_F_CHUNKED)
		return SPL_HTTP_BODY_CHUNKED;
	if (resp->flags & SPL_HTTP_F_CL)
		return resp->content_length ? SPL_HTTP_BODY_CL : SPL_HTTP_BODY_NONE;
	return SPL_HTTP_BODY_EOF;
}
