/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink for persistence (nl_persist.c), used by netlink.c.
 */
#ifndef _SPL_NL_PERSIST_H
#define _SPL_NL_PERSIST_H

#include <net/genetlink.h>
#include "persist.h"

struct spl_service;

extern const struct nla_policy spl_persist_policy[SPLICER_PERSIST_A_MAX + 1];
extern const struct nla_policy spl_stick_policy[SPLICER_STICK_A_MAX + 1];

/*
 * A PERSIST nest (may be NULL: *@out = NULL) on top of @base, into a new
 * configuration *@out, or an error with extack set.
 */
int spl_nl_persist_parse(struct genl_info *info, struct nlattr *nest,
			 const struct spl_persist *base, struct spl_persist **out);

/* Install @p (consumed, even on error); spl_net.lock held. */
int spl_nl_persist_apply(struct spl_service *svc, struct spl_persist *p);

/* The PERSIST nest of @svc; spl_net.lock held. */
int spl_nl_persist_fill(struct sk_buff *msg, struct spl_service *svc);

int spl_nl_stick_new(struct sk_buff *skb, struct genl_info *info);
int spl_nl_stick_del(struct sk_buff *skb, struct genl_info *info);
int spl_nl_stick_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _SPL_NL_PERSIST_H */
