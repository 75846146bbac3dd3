/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Persistence tokens: what a persistence cookie carries.
 *
 *   token = hex( version | server id | born | seen | mac )
 *             1 byte     4 bytes     4      4      8 bytes = 21 bytes, 42 hex digits
 *
 *   mac = SipHash-2-4(key, version | server id | born | seen | pool name)
 *
 * The server id is a hash of the server's name (spl_server_id()), so the
 * token reveals no address and every node configured with the same names
 * and key decides the same. born and seen are wall-clock seconds: when the
 * token was first issued (maxlife) and last refreshed (maxidle). The MAC
 * binds the token to the pool: it is good on every service in front of
 * that pool with the same key (HTTP and HTTPS alike), void for another
 * pool. Two keys are accepted (rotation); new tokens use the first.
 */
#ifndef _SPL_TOKEN_H
#define _SPL_TOKEN_H

#include <linux/siphash.h>
#include <linux/types.h>

#define SPL_TOKEN_VERSION	1
#define SPL_TOKEN_BYTES		21
#define SPL_TOKEN_HEX		(2 * SPL_TOKEN_BYTES)

struct spl_token {
	u32 srv_id;
	u32 born;		/* s since the epoch: first issued */
	u32 seen;		/* s since the epoch: last issued */
	u8 key;			/* spl_token_check: the key that verified it */
};

struct spl_token_keys {
	siphash_key_t key[2];	/* [0] signs; [1] still accepted */
	u8 n;			/* keys in use: 1 or 2 */
};

enum spl_token_verdict {
	SPL_TOKEN_OK,
	SPL_TOKEN_FORGED,	/* not a token of ours at all */
	SPL_TOKEN_ALTERED,	/* token-shaped, but the MAC does not verify */
	SPL_TOKEN_EXPIRED_IDLE,	/* unused longer than maxidle */
	SPL_TOKEN_EXPIRED_LIFE,	/* older than maxlife */
};

/* Write the SPL_TOKEN_HEX lowercase hex digits of @t into @out. */
void spl_token_make(u8 *out, const struct spl_token *t, const char *scope,
		    const siphash_key_t *key);

/*
 * spl_token_check - verify a token from a client.
 * @val, @len: the cookie value (untrusted)
 * @maxidle, @maxlife: seconds, 0 for no limit
 * @now: wall-clock seconds
 * @t: filled in when the MAC verifies (even if expired)
 */
enum spl_token_verdict spl_token_check(const u8 *val, u32 len, const char *scope,
				       const struct spl_token_keys *keys,
				       u32 maxidle, u32 maxlife, u32 now,
				       struct spl_token *t);

/* A server's stable id: a hash of its name, the same on every node. */
u32 spl_server_id(const char *name);

/* A short public fingerprint of a key, to compare nodes' keys. */
u32 spl_key_id(const siphash_key_t *key);

#endif /* _SPL_TOKEN_H */
