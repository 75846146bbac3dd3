/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Content rules of a service (see the uapi header's RULE section): which
 * pool, redirect or fixed status a request head gets.
 *
 * A service's rules are an immutable array (struct spl_ruleset) replaced
 * whole under spl_net.lock and read under RCU. Rules are shared between
 * the old and the new array; a deleted rule is freed after a grace period.
 * A rule whose action is a pool counts as a user of that pool (pool->users),
 * so the pool cannot be deleted under it.
 */
#ifndef _SPL_RULES_H
#define _SPL_RULES_H

#include <linux/atomic.h>
#include <linux/rcupdate.h>
#include <linux/socket.h>
#include <linux/types.h>
#include "http.h"

struct spl_pool;

enum spl_rule_action {
	SPL_RULE_POOL,
	SPL_RULE_REDIRECT,
	SPL_RULE_STATUS,
};

#define SPL_RULES_MAX		4096

struct spl_rule {
	struct rcu_head rcu;
	atomic64_t hits;
	char *host;			/* lowercase; "*.x" matches subdomains */
	char *path;			/* exact */
	char *prefix;			/* path prefix */
	char *method;
	char *header;
	char *hvalue;
	struct sockaddr_storage src;	/* AF_UNSPEC: any */
	u8 src_prefix;
	u8 action;			/* enum spl_rule_action */
	u16 status;
	struct spl_pool *pool;		/* SPL_RULE_POOL */
	char *redirect;			/* SPL_RULE_REDIRECT */
};

/*
 * An indexed rule: one whose only conditions are an exact Host, a path
 * prefix, or both. Its hash is that of the request paths' first bytes it
 * matches, seeded by its host (lowercase) when it has one.
 */
struct spl_rule_key {
	u32 hash;
	u32 pos;
};

/*
 * Rules in order, immutable once published (RCU). Indexed rules are also
 * in keys[], sorted by (hash, position); lens[] holds the distinct lengths
 * of their prefixes, ascending: first those of the rules without a host
 * (nlens_any of them), then those of the rules with one (nlens_host; an
 * exact Host alone is a prefix of length 0). A request's path, hashed up
 * to each of these lengths (with its Host for the second list), finds the
 * first indexed rule it matches by binary searches, and only the other
 * rules before it (scan[]) are tried one by one, so the first rule that
 * matches still decides. keys, scan and lens point into the same
 * allocation.
 */
struct spl_ruleset {
	struct rcu_head rcu;
	u32 n;
	u32 nkeys, nscan;
	u32 nlens_any, nlens_host;
	struct spl_rule_key *keys;
	u32 *scan;			/* positions of the other rules, ascending */
	u32 *lens;			/* prefix lengths, see above */
	struct spl_rule *r[];
};

/* What a request head is, for matching. */
struct spl_rule_req {
	const u8 *head;
	u32 head_len;
	const struct spl_http_req *req;
	const struct sockaddr_storage *client;
};

/* The first rule @rr matches, or NULL; *@pos its position. RCU held. */
const struct spl_rule *spl_rules_find(const struct spl_ruleset *rs,
				      const struct spl_rule_req *rr, u32 *pos);


/* Whether @r matches @rr (pure: KUnit tests it). */
bool spl_rule_matches(const struct spl_rule *r, const struct spl_rule_req *rr);

void spl_rule_free(struct spl_rule *r);		/* no reader left */

/* A copy of @old (may be NULL) with @r inserted at @pos / without @pos. */
struct spl_ruleset *spl_ruleset_insert(const struct spl_ruleset *old,
				       struct spl_rule *r, u32 pos);
struct spl_ruleset *spl_ruleset_remove(const struct spl_ruleset *old, u32 pos);

#endif /* _SPL_RULES_H */
