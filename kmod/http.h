/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP/1.x request head parser.
 *
 * Pure code: no allocation, no locking, no kernel calls, so the same source
 * builds in the module, in KUnit and in the user-space fuzzer (which supplies
 * the few types below through http_shim.h).
 */
#ifndef _SPL_HTTP_H
#define _SPL_HTTP_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "http_shim.h"
#endif

/* Methods we know by name; any other token is SPL_HTTP_M_OTHER. */
enum spl_http_method {
	SPL_HTTP_M_OTHER,
	SPL_HTTP_M_GET,
	SPL_HTTP_M_HEAD,
	SPL_HTTP_M_POST,
	SPL_HTTP_M_PUT,
	SPL_HTTP_M_DELETE,
	SPL_HTTP_M_OPTIONS,
	SPL_HTTP_M_PATCH,
	SPL_HTTP_M_CONNECT,
	SPL_HTTP_M_TRACE,
};

#define SPL_HTTP_F_CL		0x0001	/* Content-Length present */
#define SPL_HTTP_F_CHUNKED	0x0002	/* Transfer-Encoding: chunked */
#define SPL_HTTP_F_CLOSE	0x0004	/* Connection: close */
#define SPL_HTTP_F_KEEPALIVE	0x0008	/* Connection: keep-alive */
#define SPL_HTTP_F_UPGRADE	0x0010	/* Connection: upgrade */
#define SPL_HTTP_F_HOST		0x0020	/* Host present */
#define SPL_HTTP_F_XFF		0x0040	/* X-Forwarded-For present */

#define SPL_HTTP_MAX_HEADERS	128	/* more -> 431 */
#define SPL_HTTP_MAX_METHOD	32

struct spl_http_req {
	u32 head_len;		/* bytes up to and including the empty line */
	u32 line_off;		/* request line start (after leading CRLFs) */
	u32 target_off;
	u32 target_len;
	u32 host_off;
	u32 host_len;
	u64 content_length;
	u16 nheaders;
	u16 flags;		/* SPL_HTTP_F_* */
	u8 method;		/* enum spl_http_method */
	u8 minor;		/* HTTP/1.<minor>: 0 or 1 */
	const char *reason;	/* why it was rejected, for the log */
};

/*
 * spl_http_head_end - find the end of a request head, resumably.
 * @buf: bytes received so far
 * @len: how many
 * @scan: in/out; bytes already examined (start with 0)
 *
 * Return: the head's length when the empty line has arrived, 0 when more is
 * needed, -1 when a bare LF or a NUL proves the head malformed.
 */
int spl_http_head_end(const u8 *buf, u32 len, u32 *scan);

/*
 * spl_http_parse_request - validate a complete request head.
 * @buf: the head, @len bytes, ending with CRLF CRLF (see spl_http_head_end)
 * @req: filled in; @req->reason says why on failure
 *
 * Return: 0 if the head is acceptable, else the HTTP status to answer
 * (400, 431, 501 or 505).
 */
int spl_http_parse_request(const u8 *buf, u32 len, struct spl_http_req *req);

#endif /* _SPL_HTTP_H */
