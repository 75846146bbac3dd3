// SPDX-License-Identifier: GPL-2.0
/*
 * Content rules (see rules.h).
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ctype.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include "cookie.h"
#include "rules.h"

static bool ieq(const u8 *a, const char *b, u32 len)
{
	return strlen(b) == len && !strncasecmp((const char *)a, b, len);
}

/* The Host value without its port (IPv6 literals keep their brackets). */
static u32 host_len(const u8 *h, u32 len)
{
	u32 i = len;

	while (i && h[i - 1] >= '0' && h[i - 1] <= '9')
		i--;
	if (i && i < len && h[i - 1] == ':')
		return i - 1;
	return len;
}

static bool host_matches(const char *want, const u8 *h, u32 len)
{
	size_t wl = strlen(want);

	len = host_len(h, len);
	if (want[0] == '*' && want[1] == '.') {
		/* "*.example.com": any subdomain, not example.com itself */
		wl--;
		return len > wl && !strncasecmp((const char *)h + len - wl, want + 1, wl);
	}
	return ieq(h, want, len);
}

/* The path of a request target: origin-form, or after an absolute-form authority. */
static void target_path(const u8 *t, u32 len, const u8 **p, u32 *plen)
{
	u32 i = 0, end;

	if (len && t[0] != '/') {
		/* absolute-form: scheme "://" authority path */
		while (i + 2 < len && !(t[i] == ':' && t[i + 1] == '/' && t[i + 2] == '/'))
			i++;
		i = i + 2 < len ? i + 3 : len;
		while (i < len && t[i] != '/' && t[i] != '?')
			i++;
	}
	for (end = i; end < len && t[end] != '?' && t[end] != '#'; end++)
		;
	*p = t + i;
	*plen = end - i;
}

static bool src_matches(const struct spl_rule *r, const struct sockaddr_storage *c)
{
	const u8 *a, *b;
	u32 bits = r->src_prefix, i;

	if (r->src.ss_family != c->ss_family)
		return false;
	if (c->ss_family == AF_INET) {
		a = (const u8 *)&((const struct sockaddr_in *)&r->src)->sin_addr;
		b = (const u8 *)&((const struct sockaddr_in *)c)->sin_addr;
	} else {
		a = ((const struct sockaddr_in6 *)&r->src)->sin6_addr.s6_addr;
		b = ((const struct sockaddr_in6 *)c)->sin6_addr.s6_addr;
	}
	for (i = 0; bits >= 8; i++, bits -= 8)
		if (a[i] != b[i])
			return false;
	return !bits || !((a[i] ^ b[i]) & (u8)(0xff00 >> bits));
}

bool spl_rule_matches(const struct spl_rule *r, const struct spl_rule_req *rr)
{
	const struct spl_http_req *req = rr->req;
	const u8 *path;
	u32 plen, off, len;

	if (r->host && !host_matches(r->host, rr->head + req->host_off, req->host_len))
		return false;
	if (r->path || r->prefix) {
		target_path(rr->head + req->target_off, req->target_len, &path, &plen);
		if (r->path && (strlen(r->path) != plen || memcmp(path, r->path, plen)))
			return false;
		if (r->prefix && (strlen(r->prefix) > plen ||
				  memcmp(path, r->prefix, strlen(r->prefix))))
			return false;
	}
	if (r->method) {
		const u8 *m = rr->head + req->line_off;

		for (len = 0; req->line_off + len < rr->head_len && m[len] != ' '; len++)
			;
		if (strlen(r->method) != len || memcmp(m, r->method, len))
			return false;
	}
	if (r->header) {
		if (!spl_header_get(rr->head, rr->head_len, r->header, &off, &len))
			return false;
		if (r->hvalue && (strlen(r->hvalue) != len ||
				  memcmp(rr->head + off, r->hvalue, len)))
			return false;
	}
	if (r->src.ss_family != AF_UNSPEC && !src_matches(r, rr->client))
		return false;
	return true;
}

/*
 * The index's hash: FNV-1a, over the host (lowercase) and a separator when
 * the rule has one, then over the prefix's bytes as they are. KUnit keeps
 * fewer bits of it (spl_rules_hash_mask) to force collisions.
 */
#ifndef spl_rules_hash_mask
#define spl_rules_hash_mask()	U32_MAX
#endif
#define FNV_BASIS	2166136261u

static inline u32 fnv_step(u32 hash, u8 c)
{
	return (hash ^ c) * 16777619u;
}

static u32 host_seed(const u8 *h, u32 len)
{
	u32 hash = FNV_BASIS, i;

	for (i = 0; i < len; i++)
		hash = fnv_step(hash, tolower(h[i]));
	return fnv_step(hash, 0xff);	/* never in a rule's host */
}

static bool rule_indexed(const struct spl_rule *r)
{
	return (r->host || r->prefix) && (!r->host || r->host[0] != '*') &&
	       !r->path && !r->method && !r->header && r->src.ss_family == AF_UNSPEC;
}

/* Whether indexed rule @r matches a request of Host @h and path @path. */
static bool key_matches(const struct spl_rule *r, const u8 *h, u32 hlen,
			const u8 *path, u32 plen)
{
	size_t len;

	if (r->host && !ieq(h, r->host, hlen))
		return false;
	if (!r->prefix)
		return true;
	len = strlen(r->prefix);
	return len <= plen && !memcmp(path, r->prefix, len);
}

/*
 * The first indexed rule before @best that matches, among those whose key
 * is @hash; else @best. Positions ascend among the keys of a hash.
 */
static u32 key_find(const struct spl_ruleset *rs, u32 hash, const u8 *h, u32 hlen,
		    const u8 *path, u32 plen, u32 best)
{
	u32 lo = 0, hi = rs->nkeys, k;

	hash &= spl_rules_hash_mask();
	while (lo < hi) {		/* the first key with a hash >= @hash */
		k = lo + (hi - lo) / 2;
		if (rs->keys[k].hash < hash)
			lo = k + 1;
		else
			hi = k;
	}
	for (k = lo; k < rs->nkeys && rs->keys[k].hash == hash && rs->keys[k].pos < best; k++)
		if (key_matches(rs->r[rs->keys[k].pos], h, hlen, path, plen))
			return rs->keys[k].pos;
	return best;
}

/*
 * The first position among @lens[0..@nlens) of an indexed rule matching
 * the request, hashing its path from @seed up to each length; else @best.
 */
static u32 lens_find(const struct spl_ruleset *rs, const u32 *lens, u32 nlens, u32 seed,
		     const u8 *h, u32 hlen, const u8 *path, u32 plen, u32 best)
{
	u32 hash = seed, i = 0, k;

	for (k = 0; k < nlens && lens[k] <= plen; k++) {
		for (; i < lens[k]; i++)
			hash = fnv_step(hash, path[i]);
		best = key_find(rs, hash, h, hlen, path, plen, best);
	}
	return best;
}

/* The position of the first indexed rule matching @rr, or U32_MAX. */
static u32 indexed_first(const struct spl_ruleset *rs, const struct spl_rule_req *rr)
{
	const u8 *h = rr->head + rr->req->host_off, *path;
	u32 hlen = host_len(h, rr->req->host_len), plen, best;

	if (!rs->nkeys)
		return U32_MAX;
	target_path(rr->head + rr->req->target_off, rr->req->target_len, &path, &plen);
	best = lens_find(rs, rs->lens, rs->nlens_any, FNV_BASIS, h, hlen, path, plen, U32_MAX);
	if (hlen && rs->nlens_host)
		best = lens_find(rs, rs->lens + rs->nlens_any, rs->nlens_host, host_seed(h, hlen),
				 h, hlen, path, plen, best);
	return best;
}

const struct spl_rule *spl_rules_find(const struct spl_ruleset *rs,
				      const struct spl_rule_req *rr, u32 *pos)
{
	u32 first, k;

	if (!rs)
		return NULL;
	first = indexed_first(rs, rr);
	for (k = 0; k < rs->nscan && rs->scan[k] < first; k++) {
		if (spl_rule_matches(rs->r[rs->scan[k]], rr)) {
			*pos = rs->scan[k];
			return rs->r[*pos];
		}
	}
	if (first == U32_MAX)
		return NULL;
	*pos = first;
	return rs->r[first];
}

void spl_rule_free(struct spl_rule *r)
{
	if (!r)
		return;
	kfree(r->host);
	kfree(r->path);
	kfree(r->prefix);
	kfree(r->method);
	kfree(r->header);
	kfree(r->hvalue);
	kfree(r->redirect);
	kfree(r);
}

static struct spl_ruleset *ruleset_alloc(u32 n)
{
	size_t size = struct_size_t(struct spl_ruleset, r, n);
	struct spl_ruleset *rs;

	size = size_add(size, size_mul(n, sizeof(struct spl_rule_key)));
	size = size_add(size, size_mul(n, 2 * sizeof(u32)));
	rs = kvzalloc(size, GFP_KERNEL);
	if (!rs)
		return NULL;
	rs->n = n;
	rs->keys = (struct spl_rule_key *)&rs->r[n];
	rs->scan = (u32 *)&rs->keys[n];
	rs->lens = &rs->scan[n];
	return rs;
}

static int key_cmp(const void *a, const void *b)
{
	const struct spl_rule_key *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int u32_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* Sort @lens[0..@n) and drop repeats; returns how many are left. */
static u32 lens_unique(u32 *lens, u32 n)
{
	u32 i, j = 0;

	sort(lens, n, sizeof(*lens), u32_cmp, NULL);
	for (i = 0; i < n; i++)
		if (!j || lens[j - 1] != lens[i])
			lens[j++] = lens[i];
	return j;
}

/*
 * Fill keys[], scan[] and lens[] from r[]. The lengths of the rules without
 * a host go to the front of lens[], those of the rules with one to the back
 * (each rule adds at most one length), then each part is sorted, made
 * unique, and the second moved behind the first.
 */
static void ruleset_index(struct spl_ruleset *rs)
{
	u32 i, j, len, nhost = 0, hash;
	const struct spl_rule *r;

	for (i = 0; i < rs->n; i++) {
		r = rs->r[i];
		if (!rule_indexed(r)) {
			rs->scan[rs->nscan++] = i;
			continue;
		}
		len = r->prefix ? strlen(r->prefix) : 0;
		if (r->host) {
			hash = host_seed((const u8 *)r->host, strlen(r->host));
			rs->lens[rs->n - ++nhost] = len;
		} else {
			hash = FNV_BASIS;
			rs->lens[rs->nlens_any++] = len;
		}
		for (j = 0; j < len; j++)
			hash = fnv_step(hash, r->prefix[j]);
		rs->keys[rs->nkeys++] = (struct spl_rule_key){
			.hash = hash & spl_rules_hash_mask(),
			.pos = i,
		};
	}
	sort(rs->keys, rs->nkeys, sizeof(*rs->keys), key_cmp, NULL);
	rs->nlens_any = lens_unique(rs->lens, rs->nlens_any);
	rs->nlens_host = lens_unique(rs->lens + rs->n - nhost, nhost);
	memmove(rs->lens + rs->nlens_any, rs->lens + rs->n - nhost,
		rs->nlens_host * sizeof(*rs->lens));
}

struct spl_ruleset *spl_ruleset_insert(const struct spl_ruleset *old,
				       struct spl_rule *r, u32 pos)
{
	u32 n = old ? old->n : 0, i, j = 0;
	struct spl_ruleset *rs = ruleset_alloc(n + 1);

	if (!rs)
		return NULL;
	pos = min(pos, n);
	for (i = 0; i <= n; i++)
		rs->r[i] = i == pos ? r : old->r[j++];
	ruleset_index(rs);
	return rs;
}

struct spl_ruleset *spl_ruleset_remove(const struct spl_ruleset *old, u32 pos)
{
	struct spl_ruleset *rs = ruleset_alloc(old->n - 1);
	u32 i, j = 0;

	if (!rs)
		return NULL;
	for (i = 0; i < old->n; i++)
		if (i != pos)
			rs->r[j++] = old->r[i];
	ruleset_index(rs);
	return rs;
}
