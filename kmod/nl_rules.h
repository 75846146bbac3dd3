/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink for content rules (nl_rules.c), used by netlink.c and service.c.
 */
#ifndef _SPL_NL_RULES_H
#define _SPL_NL_RULES_H

#include <net/genetlink.h>
#include "rules.h"
#include "uapi/linux/splicer.h"

struct spl_service;

extern const struct nla_policy spl_rule_policy[SPLICER_RULE_A_MAX + 1];

int spl_nl_rule_new(struct sk_buff *skb, struct genl_info *info);
int spl_nl_rule_del(struct sk_buff *skb, struct genl_info *info);
int spl_nl_rule_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* Drop @svc's rules (service deletion); spl_net.lock held. */
void spl_rules_destroy(struct spl_service *svc);
u32 spl_rules_count(struct spl_service *svc);

#endif /* _SPL_NL_RULES_H */
