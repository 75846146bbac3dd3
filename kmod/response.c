// SPDX-License-Identifier: GPL-2.0
/*
 * Generated responses: one static string each, so answering costs no
 * allocation and cannot fail.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include "response.h"

/* Bodies are appended below; their lengths are checked at build time. */
#define BODY_400 "400 Bad Request: the request head is malformed.\n"
#define BODY_408 "408 Request Timeout: the request head took too long.\n"
#define BODY_414 "414 URI Too Long: the request line is too long.\n"
#define BODY_431 "431 Request Header Fields Too Large.\n"
#define BODY_500 "500 Internal Server Error.\n"
#define BODY_501 "501 Not Implemented: unsupported transfer coding.\n"
#define BODY_502 "502 Bad Gateway: the server closed without a response.\n"
#define BODY_503 "503 Service Unavailable: no server is available.\n"
#define BODY_504 "504 Gateway Timeout: the server did not answer in time.\n"
#define BODY_505 "505 HTTP Version Not Supported.\n"

#define HEAD(code, text, len)						\
	"HTTP/1.1 " #code " " text "\r\n"				\
	"Content-Type: text/plain\r\n"					\
	"Content-Length: " #len "\r\n"					\
	"Cache-Control: no-cache\r\n"					\
	"Connection: close\r\n"						\
	"\r\n"

static const char r400[] = HEAD(400, "Bad Request", 48) BODY_400;
static const char r408[] = HEAD(408, "Request Timeout", 53) BODY_408;
static const char r414[] = HEAD(414, "URI Too Long", 48) BODY_414;
static const char r431[] = HEAD(431, "Request Header Fields Too Large", 37) BODY_431;
static const char r500[] = HEAD(500, "Internal Server Error", 27) BODY_500;
static const char r501[] = HEAD(501, "Not Implemented", 50) BODY_501;
static const char r502[] = HEAD(502, "Bad Gateway", 55) BODY_502;
static const char r503[] = HEAD(503, "Service Unavailable", 49) BODY_503;
static const char r504[] = HEAD(504, "Gateway Timeout", 56) BODY_504;
static const char r505[] = HEAD(505, "HTTP Version Not Supported", 32) BODY_505;

static_assert(sizeof(BODY_400) - 1 == 48);
static_assert(sizeof(BODY_408) - 1 == 53);
static_assert(sizeof(BODY_414) - 1 == 48);
static_assert(sizeof(BODY_431) - 1 == 37);
static_assert(sizeof(BODY_500) - 1 == 27);
static_assert(sizeof(BODY_501) - 1 == 50);
static_assert(sizeof(BODY_502) - 1 == 55);
static_assert(sizeof(BODY_503) - 1 == 49);
static_assert(sizeof(BODY_504) - 1 == 56);
static_assert(sizeof(BODY_505) - 1 == 32);

struct spl_resp {
	int status;
	const char *text;
	u32 len;
};

#define R(code, str) { code, str, sizeof(str) - 1 }
static const struct spl_resp responses[] = {
	R(400, r400), R(408, r408), R(414, r414), R(431, r431), R(501, r501),
	R(502, r502), R(503, r503), R(504, r504), R(505, r505),
};

const char *spl_response(int status, u32 *len)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(responses); i++) {
		if (responses[i].status == status) {
			*len = responses[i].len;
			return responses[i].text;
		}
	}
	*len = sizeof(r500) - 1;
	return r500;
}

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 410: return "Gone";
	case 429: return "Too Many Requests";
	case 451: return "Unavailable For Legal Reasons";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	}
	return "Status";
}

char *spl_response_make(int status, const char *location, u32 *len)
{
	const char *phrase = reason_phrase(status);
	bool body = status != 204 && status != 304;
	char text[64];
	size_t cap;
	char *r;
	int n, blen;

	blen = body ? scnprintf(text, sizeof(text), "%d %s\n", status, phrase) : 0;
	cap = 256 + (location ? strlen(location) : 0) + blen;
	r = kmalloc(cap, GFP_KERNEL);
	if (!r)
		return NULL;
	n = scnprintf(r, cap, "HTTP/1.1 %d %s\r\n", status, phrase);
	if (location)
		n += scnprintf(r + n, cap - n, "Location: %s\r\n", location);
	if (body)
		n += scnprintf(r + n, cap - n,
			       "Content-Type: text/plain\r\nContent-Length: %d\r\n", blen);
	n += scnprintf(r + n, cap - n, "Cache-Control: no-cache\r\nConnection: close\r\n\r\n%s",
		       body ? text : "");
	*len = n;
	return r;
}
