/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding and editing the parts of an HTTP head that persistence keys on:
 * cookies (RFC 6265 Cookie and Set-Cookie fields), header values, query
 * and path parameters of a request target.
 *
 * Pure code like http.c and rewrite.c (no allocation, no kernel calls), so
 * KUnit and the user-space fuzzers exercise it too. Every head passed in
 * was validated by spl_http_parse_request() or spl_http_parse_response():
 * it starts at its first line (leading empty lines of a request are
 * skipped here too), every line ends in CRLF, every field line has a
 * colon after a token name, and it ends with an empty line.
 *
 * Names (@name) are NUL-terminated. Cookie names compare exactly (RFC 6265
 * 5.4: case-sensitive); header names and parameter names compare without
 * regard to ASCII case (a path parameter ";JSESSIONID=" is
 * ";jsessionid=" too).
 */
#ifndef _SPL_COOKIE_H
#define _SPL_COOKIE_H

#include "http.h"

/*
 * spl_cookie_get - the value of cookie @name in a request head.
 * Looks in every Cookie field, pairs separated by ';' with optional
 * whitespace; a value may be DQUOTEd, and then the quotes are not part of
 * the value returned. A pair without '=' has no name. The first pair named
 * @name wins.
 * Return: true and [*@off, *@off + *@len) within @head, else false.
 */
bool spl_cookie_get(const u8 *head, u32 head_len, const char *name,
		    u32 *off, u32 *len);

/*
 * spl_cookie_remove - remove every pair named @name from the Cookie fields
 * of a request head, in place, with the separator that went with it; a
 * Cookie field left with no pair is removed whole. The other pairs stay
 * byte for byte with the separators between them ("a=1; n=2; b=3" becomes
 * "a=1; b=3"; "n=1; a=2" becomes "a=2"; "a=1; n=2" becomes "a=1").
 * @tail: bytes after the head that move with it
 * Return: the new head length (<= @head_len).
 */
u32 spl_cookie_remove(u8 *buf, u32 head_len, u32 tail, const char *name);

/*
 * spl_cookie_unprefix - in the Cookie fields of a request head, remove
 * from the value of each pair named @name everything up to and including
 * the first @sep, provided exactly @plen bytes precede that @sep (so a
 * value that merely contains @sep is left alone). A DQUOTEd value loses
 * the bytes after its opening DQUOTE (see spl_resp_rewrite).
 * Return: the new head length (<= @head_len).
 */
u32 spl_cookie_unprefix(u8 *buf, u32 head_len, u32 tail, const char *name,
			u32 plen, u8 sep);

/*
 * spl_set_cookie_get - the value of the first Set-Cookie field of a
 * response head whose cookie-name is @name (the value ends at ';', at
 * trailing whitespace, or at the end of the line; DQUOTEs excluded).
 * Return: true and [*@off, *@off + *@len) within @head, else false.
 */
bool spl_set_cookie_get(const u8 *head, u32 head_len, const char *name,
			u32 *off, u32 *len);

/*
 * spl_header_get - the value of the first field @name of a head, without
 * leading and trailing whitespace.
 * Return: true and [*@off, *@off + *@len) within @head, else false.
 */
bool spl_header_get(const u8 *head, u32 head_len, const char *name,
		    u32 *off, u32 *len);

/*
 * spl_query_param - the value of query parameter @name in a request target
 * ("/p?a=1&name=v#f": "v"; pairs separated by '&' or ';' after the '?',
 * ending at '#' or the end). A parameter without '=' has an empty value.
 * Return: true and [*@off, *@off + *@len) within @target, else false.
 */
bool spl_query_param(const u8 *target, u32 target_len, const char *name,
		     u32 *off, u32 *len);

/*
 * spl_path_param - the value of path parameter @name in a request target
 * ("/cart;jsessionid=ABC?x=1": "ABC"): in the path (before '?' or '#'),
 * after a ';', up to the next ';', '/', '?' or '#'. A parameter without
 * '=' has an empty value.
 * Return: true and [*@off, *@off + *@len) within @target, else false.
 */
bool spl_path_param(const u8 *target, u32 target_len, const char *name,
		    u32 *off, u32 *len);

/*
 * Response head rewrite (spl_resp_rewrite).
 * @prefix_name: if set, the value of every Set-Cookie field whose
 *	cookie-name is @prefix_name gets @prefix (@prefix_len bytes) put in
 *	front of it (after the opening DQUOTE of a DQUOTEd value: where
 *	spl_set_cookie_get() says the value starts).
 * @lines: if set, field lines (each "Name: value\r\n", @lines_len bytes in
 *	all) added at the end of the head, before its empty line.
 */
struct spl_resp_rewrite {
	const char *prefix_name;
	const u8 *prefix;
	u32 prefix_len;
	const u8 *lines;
	u32 lines_len;
};

/*
 * spl_resp_rewrite - rewrite a validated response head in place.
 * @buf: the head at buf[0..@head_len), followed by @tail bytes that move
 *	 with it; @cap: bytes available at @buf
 * Return: the new head length, or -1 when @cap is too small (then nothing
 * was changed): when @head_len + @tail + what is added > @cap.
 */
int spl_resp_rewrite(u8 *buf, u32 head_len, u32 tail, u32 cap,
		     const struct spl_resp_rewrite *rw);

#endif /* _SPL_COOKIE_H */
