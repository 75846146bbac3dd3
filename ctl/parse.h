/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line value parsing and formatting for splicerctl.
 *
 * Everything here is a pure function: no I/O, no globals, no netlink. Each
 * parser returns NULL on success or a short reason ("port must be
 * 1..65535") that the caller prints next to the offending token.
 */
#ifndef SPLICERCTL_PARSE_H
#define SPLICERCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An endpoint as the ABI carries it: FAMILY + ADDR (network order) + PORT. */
struct addrport {
	uint16_t family;	/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* 4 or 16 bytes used */
	uint16_t port;		/* host order */
};

/* "198.18.0.1:80" or "[2001:db8::1]:80". */
const char *parse_addrport(const char *s, struct addrport *out);

/* Strict decimal, no sign, no spaces, min <= value <= max. */
const char *parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

/* "500ms", "10s", "2m", "1h" or a bare number of milliseconds. */
const char *parse_duration_ms(const char *s, uint32_t *out);

/*
 * Persistence times, which the ABI carries in whole seconds: "90" (a bare
 * number is seconds here), "90s", "2m", "1h", or "3000ms" when it is a
 * whole number of seconds. Sub-second and fractional values are refused.
 */
const char *parse_duration_s(const char *s, uint32_t *out);

/* "16384", "16k", "16K", "16KiB", "1m", "1M", "1MiB" (binary multiples). */
const char *parse_bytes(const char *s, uint32_t *out);

/* Object names: 1..31 bytes of [A-Za-z0-9_.-]. */
const char *parse_name(const char *s);

/*
 * Cookie, header and query parameter names: 1..63 bytes of RFC 6265 token
 * characters (A-Z a-z 0-9 and ! # $ % & ' * + - . ^ _ ` | ~).
 */
const char *parse_token_name(const char *s);

/* A persistence key: exactly 32 hex digits, 16 bytes. */
const char *parse_hex_key(const char *s, uint8_t out[16]);

/* "on" (1) or "off" (0). */
const char *parse_onoff(const char *s, uint8_t *out);
const char *onoff_name(uint8_t v);		/* "on" for any non-zero */

/* Keyword <-> enum tables; the parsers return NULL or a reason. */
const char *parse_balance(const char *s, uint8_t *out);
const char *parse_state(const char *s, uint8_t *out);
const char *balance_name(uint8_t v);		/* NULL when unknown */
const char *state_name(uint8_t v);		/* NULL when unknown */

/* Length of an address of this family in bytes, 0 when unknown. */
size_t addr_len(uint16_t family);

/* "inet" / "inet6" (iproute2's names), NULL when unknown. */
const char *family_name(uint16_t family);

/* Keyword arguments ("weight 10 state drain"), table-driven. */
enum kw_type {
	KW_NAME,	/* char[SPLICER_NAME_MAX] */
	KW_ADDRPORT,	/* struct addrport */
	KW_U32,		/* uint32_t in [min, max] */
	KW_MAXCONN,	/* uint32_t, or "unlimited" for 0 */
	KW_BYTES,	/* uint32_t, with k/M suffixes */
	KW_DURATION,	/* uint32_t milliseconds */
	KW_BALANCE,	/* uint8_t enum splicer_balance */
	KW_STATE,	/* uint8_t enum splicer_srv_state */
	KW_ONOFF,	/* uint8_t 1 (on) or 0 (off) */
};

struct kw {
	const char *name;
	enum kw_type type;
	unsigned int attr;	/* bit set in *has */
	size_t off;		/* of the value in the object */
	uint32_t min, max;	/* KW_U32 */
	const char *fixed;	/* non-NULL: not settable here, says why */
};

/*
 * Parse argv as keyword/value pairs into obj. Each keyword may appear once;
 * its attr bit is set in *has (only when every pair parses). Returns 0, or
 * -1 with the reason in err ("unknown keyword \"x\"", "splice \"yes\":
 * expected on or off", ...).
 */
int parse_kw_args(const struct kw *kws, size_t nkws, int argc, char *const *argv,
		  void *obj, uint32_t *has, char *err, size_t errlen);

/*
 * Formatting: always NUL-terminate, return buf. Sizes that are always
 * enough for any input are given here.
 */
#define ADDR_STR_MAX	46	/* INET6_ADDRSTRLEN */
#define ADDRPORT_STR_MAX 56	/* "[" ADDR "]:" PORT */
#define DURATION_STR_MAX 16

char *format_addr(const struct addrport *ap, char *buf, size_t len);
char *format_addrport(const struct addrport *ap, char *buf, size_t len);
char *format_duration(uint32_t ms, char *buf, size_t len);
/* Seconds as "0s", "90s", "2m", "1h": parse_duration_s reads it back. */
char *format_seconds(uint32_t s, char *buf, size_t len);

#endif
