/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink for health checking (nl_health.c), used by netlink.c.
 */
#ifndef _SPL_NL_HEALTH_H
#define _SPL_NL_HEALTH_H

#include <net/genetlink.h>
#include "health.h"

struct spl_pool;
struct spl_server;

extern const struct nla_policy spl_health_policy[SPLICER_HEALTH_A_MAX + 1];

/* A HEALTH nest (NULL: *@out = NULL) into a new configuration *@out. */
int spl_nl_health_parse(struct genl_info *info, struct nlattr *nest,
			struct spl_health_cfg **out);

/* Install @cfg (consumed) on @pool and restart its probes; spl_net.lock held. */
void spl_nl_health_apply(struct spl_pool *pool, struct spl_health_cfg *cfg);

int spl_nl_health_fill(struct sk_buff *msg, struct spl_pool *pool);
int spl_nl_health_fill_server(struct sk_buff *msg, struct spl_server *srv);

#endif /* _SPL_NL_HEALTH_H */
