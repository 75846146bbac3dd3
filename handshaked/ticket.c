// SPDX-License-Identifier: GPL-2.0
/*
 * splicer-handshaked: session ticket keys (see ticket.h).
 */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "log.h"
#include "ticket.h"

struct tkey {
	unsigned char name[16];
	unsigned char aes[32];
	unsigned char hmac[32];
	bool valid;
};

/* [0] current, [1] previous; guarded by lock. */
static struct tkey keys[2];
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;

static int make_key(struct tkey *k)
{
	if (RAND_priv_bytes(k->aes, sizeof(k->aes)) != 1 ||
	    RAND_priv_bytes(k->hmac, sizeof(k->hmac)) != 1 ||
	    RAND_bytes(k->name, sizeof(k->name)) != 1) {
		OPENSSL_cleanse(k, sizeof(*k));
		return -1;
	}
	k->valid = true;
	return 0;
}

int hs_tickets_init(void)
{
	/* best effort: keep the keys out of swap */
	(void)mlock(keys, sizeof(keys));
	return hs_tickets_rotate();
}

int hs_tickets_rotate(void)
{
	struct tkey fresh;
	int r;

	if (make_key(&fresh)) {
		hs_err("session tickets: no random bytes for a new key; keeping the old one");
		return -1;
	}
	pthread_rwlock_wrlock(&lock);
	OPENSSL_cleanse(&keys[1], sizeof(keys[1]));
	keys[1] = keys[0];
	keys[0] = fresh;
	r = 0;
	pthread_rwlock_unlock(&lock);
	OPENSSL_cleanse(&fresh, sizeof(fresh));
	return r;
}

void hs_tickets_wipe(void)
{
	pthread_rwlock_wrlock(&lock);
	OPENSSL_cleanse(keys, sizeof(keys));
	pthread_rwlock_unlock(&lock);
}

static int set_keys(const struct tkey *k, unsigned char *iv, EVP_CIPHER_CTX *ctx,
		    EVP_MAC_CTX *hctx, int enc)
{
	OSSL_PARAM params[3];

	params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY,
						      (void *)k->hmac, sizeof(k->hmac));
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)"SHA256", 0);
	params[2] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_CTX_set_params(hctx, params))
		return -1;
	if (enc)
		return EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, k->aes, iv) == 1 ? 0 : -1;
	return EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, k->aes, iv) == 1 ? 0 : -1;
}

int hs_ticket_cb(SSL *ssl, unsigned char key_name[16], unsigned char *iv,
		 EVP_CIPHER_CTX *ctx, EVP_MAC_CTX *hctx, int enc)
{
	int r = -1, i;

	(void)ssl;
	pthread_rwlock_rdlock(&lock);
	if (enc) {
		/* a new ticket: the current key, a fresh IV */
		if (keys[0].valid && RAND_bytes(iv, EVP_CIPHER_get_iv_length(EVP_aes_256_cbc())) == 1) {
			memcpy(key_name, keys[0].name, sizeof(keys[0].name));
			r = set_keys(&keys[0], iv, ctx, hctx, 1) ? -1 : 1;
		}
		goto out;
	}
	/* a ticket to decrypt: 0 (unknown key: full handshake), 1, or 2 (renew) */
	r = 0;
	for (i = 0; i < 2; i++) {
		if (!keys[i].valid || CRYPTO_memcmp(key_name, keys[i].name, sizeof(keys[i].name)))
			continue;
		r = set_keys(&keys[i], iv, ctx, hctx, 0) ? -1 : i == 0 ? 1 : 2;
		break;
	}
out:
	pthread_rwlock_unlock(&lock);
	return r;
}
