/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP/1.x message framing: request heads, response heads and bodies
 * (RFC 9110, RFC 9112).
 *
 * Pure code: no allocation, no locking, no kernel calls, so the same source
 * builds in the module, in KUnit and in the user-space fuzzers
 * (selftests/fuzz/), which supply the few types below through http_shim.h.
 *
 * Strict on purpose: whatever two implementations could read differently
 * (request smuggling, response splitting) is refused, never guessed at.
 */
#ifndef _SPL_HTTP_H
#define _SPL_HTTP_H

#ifdef __KERNEL__
#include <linux/errno.h>
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
#define SPL_HTTP_F_CHUNKED	0x0002	/* Transfer-Encoding: ..., chunked */
#define SPL_HTTP_F_CLOSE	0x0004	/* Connection: close */
#define SPL_HTTP_F_KEEPALIVE	0x0008	/* Connection: keep-alive */
#define SPL_HTTP_F_UPGRADE	0x0010	/* Connection: upgrade */
#define SPL_HTTP_F_HOST		0x0020	/* Host present (requests) */
#define SPL_HTTP_F_XFF		0x0040	/* X-Forwarded-For present (requests) */
#define SPL_HTTP_F_CONTINUE	0x0080	/* Expect: 100-continue (requests) */
#define SPL_HTTP_F_WEBSOCKET	0x0100	/* Upgrade: websocket (requests) */

/* Defaults of struct spl_http_limits (a zero member means its default). */
#define SPL_HTTP_MAX_LINE	8190	/* request line, without CRLF; more -> 414 */
#define SPL_HTTP_MAX_HEADERS	128	/* header fields; more -> 431 (502 in a response) */
#define SPL_HTTP_MAX_METHOD	32

/* Chunked bodies (bounds on what the decoder accepts, else malformed). */
#define SPL_HTTP_MAX_CHUNK_DIGITS	16	/* hex digits of a chunk size */
#define SPL_HTTP_MAX_CHUNK_EXT		256	/* bytes of chunk-ext on one line */
#define SPL_HTTP_MAX_TRAILERS		64	/* trailer fields */
#define SPL_HTTP_MAX_TRAILER_BYTES	8192	/* whole trailer section */

/* Per-service limits; NULL, or a zero member, means the default above. */
struct spl_http_limits {
	u32 max_line;		/* request line length, CRLF excluded */
	u16 max_headers;	/* header field lines */
};

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

struct spl_http_resp {
	u32 head_len;		/* bytes up to and including the empty line */
	u16 status;		/* 100..599 */
	u8 minor;		/* HTTP/1.<minor>: 0 or 1 */
	u16 flags;		/* SPL_HTTP_F_CL/CHUNKED/CLOSE/KEEPALIVE/UPGRADE */
	u64 content_length;
	u16 nheaders;
	const char *reason;	/* why it was rejected, for the log */
};

/*
 * spl_http_head_end - find the end of a request or response head, resumably.
 * @buf: bytes received so far
 * @len: how many
 * @scan: in/out; bytes already examined (start with 0, keep it between
 *        calls on the same growing buffer; it is an offset from @buf, so
 *        reset it, or move it too, when the head's bytes move)
 *
 * The head ends with the first empty line that follows a non-empty one.
 * Empty lines before the first line are skipped and counted in the head
 * (RFC 9112 2.2 lets a server ignore them before a request line);
 * spl_http_parse_request() skips them, spl_http_parse_response() refuses
 * them (a server has no business sending any). Empty lines alone never end
 * a head: the caller's head-size limit bounds them.
 *
 * Return: the head's length when the empty line has arrived, 0 when more is
 * needed, -1 when a bare LF or a NUL proves the head malformed.
 */
int spl_http_head_end(const u8 *buf, u32 len, u32 *scan);

/*
 * spl_http_parse_request - validate a complete request head.
 * @buf: the head, @len bytes, ending with CRLF CRLF (see spl_http_head_end)
 * @lim: limits, NULL for the defaults
 * @req: filled in; @req->reason says why on failure
 *
 * Return: 0 if the head is acceptable, else the HTTP status to answer:
 * 400 (malformed or ambiguous), 414 (request line longer than max_line),
 * 431 (more than max_headers fields), 501 (unknown transfer coding) or
 * 505 (an HTTP version other than 1.0 and 1.1, an HTTP/2 preface included).
 */
int spl_http_parse_request(const u8 *buf, u32 len,
			   const struct spl_http_limits *lim,
			   struct spl_http_req *req);

/*
 * spl_http_head_too_large - the status for a head that filled the buffer.
 * @buf, @len: what was received, no end of head found in it
 * @lim: limits, NULL for the defaults
 *
 * Return: 414 when the request line has not ended within @buf or is longer
 * than max_line, else 431.
 */
int spl_http_head_too_large(const u8 *buf, u32 len,
			    const struct spl_http_limits *lim);

/*
 * spl_http_request_line_early - refuse a request line before the head ends.
 * @buf, @len: what was received so far, no end of head found in it
 *
 * An HTTP/0.9 request ("GET /" CRLF) never sends an empty line: waiting for
 * one would answer 408 instead of 400.
 * Return: 400 when the request line has ended without " HTTP/x.y", else 0.
 */
int spl_http_request_line_early(const u8 *buf, u32 len);

/*
 * spl_http_parse_response - validate a complete response head.
 * @buf: the head, @len bytes, ending with CRLF CRLF (see spl_http_head_end)
 * @resp: filled in; @resp->reason says why on failure
 *
 * Return: 0, or 502 when the head is malformed or ambiguous: a bad status
 * line (version other than HTTP/1.0 or 1.1, status not 3 digits in
 * 100..599, bad reason phrase), an empty line before it, obs-fold, bad
 * octets, Content-Length with Transfer-Encoding, conflicting Content-Length
 * values, Transfer-Encoding not ending in chunked (or in HTTP/1.0), framing
 * fields in a 1xx or 204, more than SPL_HTTP_MAX_HEADERS fields.
 *
 * A 1xx other than 101 is interim: spl_http_resp_body() says
 * SPL_HTTP_BODY_NONE and another response head follows for the same
 * request; the caller must go on reading heads until a final status.
 */
int spl_http_parse_response(const u8 *buf, u32 len, struct spl_http_resp *resp);

/* ---- bodies ---- */

enum spl_http_body_kind {
	SPL_HTTP_BODY_NONE,	/* no body: done at once */
	SPL_HTTP_BODY_CL,	/* Content-Length bytes */
	SPL_HTTP_BODY_CHUNKED,	/* chunked transfer coding, trailers included */
	SPL_HTTP_BODY_EOF,	/* until the server closes (responses only) */
	SPL_HTTP_BODY_TUNNEL,	/* no more HTTP on this connection: relay bytes */
};

/*
 * Body framing state. Opaque but for @kind and @reason: set it up with
 * spl_http_body_init() and do not touch the rest.
 */
struct spl_http_body {
	u8 kind;		/* enum spl_http_body_kind */
	u8 state;		/* internal */
	u8 digits;		/* chunk-size hex digits so far */
	u8 match;		/* trailer name: forbidden names still matching */
	u16 count;		/* trailer fields so far */
	u16 pos;		/* bytes into the chunk-ext or trailer name */
	u64 remaining;		/* CL: bytes left; chunked: size, then data left */
	u32 line;		/* bytes of the trailer section so far */
	const char *reason;	/* why the framing was refused, for the log */
};

/* Everything we do not know the end of is passed in slices this large. */
#define SPL_HTTP_FEED_MAX	0x7fffffffU

/*
 * spl_http_body_init - start framing a body.
 * @kind: from spl_http_req_body() or spl_http_resp_body()
 * @content_length: for SPL_HTTP_BODY_CL (0 is a body that is already done)
 */
void spl_http_body_init(struct spl_http_body *b, enum spl_http_body_kind kind,
			u64 content_length);

/*
 * spl_http_body_feed - consume the next bytes of a body.
 * @b: the state
 * @buf, @len: the bytes that arrived, in any segmentation
 * @done: set true when the message ended within them (or before: a NONE or
 *        zero-length body ends at once with 0 bytes), else false
 *
 * Return: how many of the @len bytes belong to this message (<= @len). When
 * *@done is true, the bytes after them belong to the next message (pipelined
 * requests, the next response); when false, all of them were consumed
 * (@len is capped to SPL_HTTP_FEED_MAX). EOF and TUNNEL bodies consume
 * everything and never end here: the connection's close ends them.
 * -EBADMSG when the chunked framing is malformed (@b->reason says why; the
 * state stays failed): for a request body answer 400, for a response
 * body 502 if nothing was sent to the client yet, else abort it.
 */
int spl_http_body_feed(struct spl_http_body *b, const u8 *buf, u32 len,
		       bool *done);

/* A request's body: CHUNKED, CL (NONE when 0), else NONE. */
enum spl_http_body_kind spl_http_req_body(const struct spl_http_req *req);

/*
 * A response's body, given the request's method (enum spl_http_method):
 * 101 -> TUNNEL; other 1xx -> NONE (interim, another head follows); 2xx to
 * CONNECT -> TUNNEL; HEAD, 204, 304 -> NONE; chunked -> CHUNKED; CL ->
 * CL (NONE when 0); else EOF. The caller must only honour a 101 when the
 * request asked for that upgrade (SPL_HTTP_F_UPGRADE, and
 * SPL_HTTP_F_WEBSOCKET if only WebSocket is tunnelled), and a 2xx to
 * CONNECT only if it forwards CONNECT at all: else a server could turn the
 * connection into a tunnel that carries requests past the balancer.
 */
enum spl_http_body_kind spl_http_resp_body(const struct spl_http_resp *resp,
					   u8 req_method);

#endif /* _SPL_HTTP_H */
