// SPDX-License-Identifier: GPL-2.0
/*
 * Persistence tokens (see token.h).
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include "token.h"

/* Fixed, public keys: ids and fingerprints must agree across nodes. */
static const siphash_key_t id_key = {{ 0x73706c6963657231ULL, 0x7365727665722d69ULL }};
static const siphash_key_t fp_key = {{ 0x73706c6963657232ULL, 0x6b65792d69642d31ULL }};

#define SPL_TOKEN_SIGNED	13	/* version, id, born, seen */
#define SPL_TOKEN_MSG_MAX	(SPL_TOKEN_SIGNED + 64)

static u64 token_mac(const u8 *signed_part, const char *scope,
		     const siphash_key_t *key)
{
	u8 msg[SPL_TOKEN_MSG_MAX];
	size_t n = strnlen(scope, sizeof(msg) - SPL_TOKEN_SIGNED);

	memcpy(msg, signed_part, SPL_TOKEN_SIGNED);
	memcpy(msg + SPL_TOKEN_SIGNED, scope, n);
	return siphash(msg, SPL_TOKEN_SIGNED + n, key);
}

void spl_token_make(u8 *out, const struct spl_token *t, const char *scope,
		    const siphash_key_t *key)
{
	u8 raw[SPL_TOKEN_BYTES];

	raw[0] = SPL_TOKEN_VERSION;
	put_unaligned_be32(t->srv_id, raw + 1);
	put_unaligned_be32(t->born, raw + 5);
	put_unaligned_be32(t->seen, raw + 9);
	put_unaligned_be64(token_mac(raw, scope, key), raw + SPL_TOKEN_SIGNED);
	bin2hex(out, raw, sizeof(raw));
}

/* Seconds from @then to @now, 0 if @then is later (clock skew). */
static u32 age(u32 then, u32 now)
{
	s32 d = (s32)(now - then);

	return d > 0 ? d : 0;
}

enum spl_token_verdict spl_token_check(const u8 *val, u32 len, const char *scope,
				       const struct spl_token_keys *keys,
				       u32 maxidle, u32 maxlife, u32 now,
				       struct spl_token *t)
{
	u8 raw[SPL_TOKEN_BYTES];
	u64 mac;
	int i;

	if (len != SPL_TOKEN_HEX || hex2bin(raw, (const char *)val, sizeof(raw)) ||
	    raw[0] != SPL_TOKEN_VERSION)
		return SPL_TOKEN_FORGED;
	mac = get_unaligned_be64(raw + SPL_TOKEN_SIGNED);
	for (i = 0; i < keys->n && i < ARRAY_SIZE(keys->key); i++)
		if (token_mac(raw, scope, &keys->key[i]) == mac)
			break;
	if (i == keys->n || i == ARRAY_SIZE(keys->key))
		return SPL_TOKEN_ALTERED;
	t->key = i;
	t->srv_id = get_unaligned_be32(raw + 1);
	t->born = get_unaligned_be32(raw + 5);
	t->seen = get_unaligned_be32(raw + 9);
	if (maxlife && age(t->born, now) > maxlife)
		return SPL_TOKEN_EXPIRED_LIFE;
	if (maxidle && age(t->seen, now) > maxidle)
		return SPL_TOKEN_EXPIRED_IDLE;
	return SPL_TOKEN_OK;
}

u32 spl_server_id(const char *name)
{
	u32 id = (u32)siphash(name, strlen(name), &id_key);

	return id ?: 1;		/* 0 means "none" to callers */
}

u32 spl_key_id(const siphash_key_t *key)
{
	return (u32)siphash(key, sizeof(*key), &fp_key);
}
