// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "splicer": services, pools, servers, stats.
 *
 * Every change runs under spl_net.lock and bumps spl_net.gen, which dumps
 * hand to genl_dump_check_consistent() so userspace learns when a dump
 * raced with a change. Every rejection says why in extack, naming the
 * attribute.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/netlink.h>
#include "compat.h"
#include "netlink.h"
#include "handshake.h"
#include "nl_health.h"
#include "nl_persist.h"
#include "nl_rules.h"
#include "nl_util.h"
#include "netns.h"
#include "pool.h"
#include "service.h"

/*
 * Names (NAME, POOL): 1-31 bytes of [A-Za-z0-9_.-] and a NUL. Checked here
 * rather than with NLA_NUL_STRING so the rejection says what a name is.
 */
static int spl_validate_name(const struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	const char *s = nla_data(attr);
	int i, len = nla_len(attr);

	if (len < 2 || len > SPLICER_NAME_MAX || s[len - 1])
		goto bad;
	for (i = 0; i < len - 1; i++)
		if (!(isalnum(s[i]) || s[i] == '_' || s[i] == '.' || s[i] == '-'))
			goto bad;
	return 0;
bad:
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    KBUILD_MODNAME ": names are 1-31 characters of A-Z a-z 0-9 _ . - and a NUL");
	return -EINVAL;
}

#define NAME_POLICY	NLA_POLICY_VALIDATE_FN(NLA_BINARY, spl_validate_name)

static const struct nla_policy spl_svc_policy[SPLICER_SVC_A_MAX + 1] = {
	[SPLICER_SVC_A_NAME] = NAME_POLICY,
	[SPLICER_SVC_A_FAMILY] = { .type = NLA_U16 },
	[SPLICER_SVC_A_ADDR] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[SPLICER_SVC_A_PORT] = { .type = NLA_U16 },
	[SPLICER_SVC_A_POOL] = NAME_POLICY,
	[SPLICER_SVC_A_HEAD_MAX] = { .type = NLA_U32 },
	[SPLICER_SVC_A_HEADER_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_CONNECT_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_SERVER_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_RETRIES] = { .type = NLA_U32 },
	[SPLICER_SVC_A_IDLE_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_MAX_LINE] = { .type = NLA_U32 },
	[SPLICER_SVC_A_MAX_HEADERS] = { .type = NLA_U32 },
	[SPLICER_SVC_A_STATS] = { .type = NLA_REJECT },
	[SPLICER_SVC_A_PERSIST] = NLA_POLICY_NESTED(spl_persist_policy),
	[SPLICER_SVC_A_SPLICE] = NLA_POLICY_MAX(NLA_U8, 1),
	[SPLICER_SVC_A_TLS] = NLA_POLICY_MAX(NLA_U8, 1),
	[SPLICER_SVC_A_HANDSHAKE_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_SVC_A_LOCATION_REWRITE] = NLA_POLICY_MAX(NLA_U8, 1),
	[SPLICER_SVC_A_RULES] = { .type = NLA_REJECT },
	[SPLICER_SVC_A_INSPECT] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy spl_pool_policy[SPLICER_POOL_A_MAX + 1] = {
	[SPLICER_POOL_A_NAME] = NAME_POLICY,
	[SPLICER_POOL_A_BALANCE] = { .type = NLA_U8 },
	[SPLICER_POOL_A_SERVERS] = { .type = NLA_REJECT },
	[SPLICER_POOL_A_SERVERS_UP] = { .type = NLA_REJECT },
	[SPLICER_POOL_A_HEALTH] = NLA_POLICY_NESTED(spl_health_policy),
};

static const struct nla_policy spl_srv_policy[SPLICER_SRV_A_MAX + 1] = {
	[SPLICER_SRV_A_POOL] = NAME_POLICY,
	[SPLICER_SRV_A_NAME] = NAME_POLICY,
	[SPLICER_SRV_A_FAMILY] = { .type = NLA_U16 },
	[SPLICER_SRV_A_ADDR] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[SPLICER_SRV_A_PORT] = { .type = NLA_U16 },
	[SPLICER_SRV_A_WEIGHT] = { .type = NLA_U32 },
	[SPLICER_SRV_A_MAXCONN] = { .type = NLA_U32 },
	[SPLICER_SRV_A_STATE] = { .type = NLA_U8 },
	[SPLICER_SRV_A_STATS] = { .type = NLA_REJECT },
	[SPLICER_SRV_A_HEALTH] = { .type = NLA_REJECT },
	[SPLICER_SRV_A_CHECK_RESULT] = { .type = NLA_REJECT },
	[SPLICER_SRV_A_CHECK_LATENCY] = { .type = NLA_REJECT },
	[SPLICER_SRV_A_CHECK_FAILS] = { .type = NLA_REJECT },
	[SPLICER_SRV_A_CHECKS] = { .type = NLA_REJECT },
	[SPLICER_SRV_A_CHECKS_FAILED] = { .type = NLA_REJECT },
	[SPLICER_SRV_A_PASSIVE_ERRORS] = { .type = NLA_REJECT },
	[SPLICER_SRV_A_DOWNS] = { .type = NLA_REJECT },
};

static const struct nla_policy spl_policy[SPLICER_A_MAX + 1] = {
	[SPLICER_A_SERVICE] = NLA_POLICY_NESTED(spl_svc_policy),
	[SPLICER_A_POOL] = NLA_POLICY_NESTED(spl_pool_policy),
	[SPLICER_A_SERVER] = NLA_POLICY_NESTED(spl_srv_policy),
	[SPLICER_A_STATS] = { .type = NLA_REJECT },
	[SPLICER_A_LOG] = { .type = NLA_REJECT },
	[SPLICER_A_STICK] = NLA_POLICY_NESTED(spl_stick_policy),
	[SPLICER_A_TLS] = { .type = NLA_NESTED },	/* handshake.c parses it */
	[SPLICER_A_RULE] = NLA_POLICY_NESTED(spl_rule_policy),
};


/* ---- request parsing helpers ---- */

/* Parse the object nest @type of a request into @tb. */
static int parse_obj(struct genl_info *info, int type, int maxtype,
		     const struct nla_policy *policy, struct nlattr **tb,
		     const char *missing)
{
	if (!info->attrs[type]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, type);
		set_msg(info->extack, missing);
		return -EINVAL;
	}
	return nla_parse_nested(tb, maxtype, info->attrs[type], policy,
				info->extack);
}

static bool require(struct genl_info *info, struct nlattr **tb, int type,
		    int nest, const char *missing)
{
	if (tb[type])
		return true;
	NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[nest], type);
	set_msg(info->extack, missing);
	return false;
}

/* FAMILY + ADDR + PORT into a sockaddr. */
static int parse_addr(struct genl_info *info, struct nlattr *fam_a,
		      struct nlattr *addr_a, struct nlattr *port_a,
		      struct sockaddr_storage *ss)
{
	u16 family = nla_get_u16(fam_a);
	u16 port = nla_get_u16(port_a);
	int len = nla_len(addr_a);

	memset(ss, 0, sizeof(*ss));
	if (family != AF_INET && family != AF_INET6) {
		reject(info->extack, fam_a, SPL_MSG("FAMILY: not AF_INET or AF_INET6"));
		return -EAFNOSUPPORT;
	}
	if (len != (family == AF_INET ? 4 : 16)) {
		reject(info->extack, addr_a,
		       SPL_MSG("ADDR: length does not match FAMILY (4 bytes for AF_INET, 16 for AF_INET6)"));
		return -EINVAL;
	}
	if (!port) {
		reject(info->extack, port_a, SPL_MSG("PORT: 0 is not a port (1-65535)"));
		return -EINVAL;
	}
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, nla_data(addr_a), 4);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, nla_data(addr_a), 16);
		if (ipv6_addr_type(&sin6->sin6_addr) & IPV6_ADDR_LINKLOCAL) {
			reject(info->extack, addr_a, SPL_MSG("ADDR: link-local addresses are not supported"));
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- lookups, under sn->lock ---- */

static struct spl_pool *pool_find(struct spl_net *sn, const char *name)
{
	struct spl_pool *pool;

	lockdep_assert_held(&sn->lock);
	list_for_each_entry(pool, &sn->pools, node)
		if (!strcmp(pool->name, name))
			return pool;
	return NULL;
}

static struct spl_pool *pool_lookup(struct genl_info *info, struct spl_net *sn,
				    struct nlattr *a)
{
	struct spl_pool *pool = pool_find(sn, nla_data(a));

	if (!pool) {
		reject(info->extack, a, SPL_MSG("POOL: no such pool"));
	}
	return pool;
}

static struct spl_net *lock_net(struct genl_info *info)
{
	struct spl_net *sn = spl_net(genl_info_net(info));

	mutex_lock(&sn->lock);
	return sn;
}

/* ---- message builders ---- */

/* Counters SPLICER_CNT_CONNS..@last of @stats, nested as @type. */
static int put_counters(struct sk_buff *msg, int type,
			const struct spl_stats *stats, int last)
{
	struct nlattr *nest = nla_nest_start(msg, type);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = SPLICER_CNT_CONNS; i <= last; i++)
		if (nla_put_u64_64bit(msg, i, spl_stats_read(stats, i),
				      SPLICER_CNT_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_addr(struct sk_buff *msg, int fam_t, int addr_t, int port_t,
		    const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		return nla_put_u16(msg, fam_t, AF_INET6) ||
		       nla_put(msg, addr_t, 16, &sin6->sin6_addr) ||
		       nla_put_u16(msg, port_t, ntohs(sin6->sin6_port));
	} else {
		const struct sockaddr_in *sin = (const void *)ss;

		return nla_put_u16(msg, fam_t, AF_INET) ||
		       nla_put(msg, addr_t, 4, &sin->sin_addr) ||
		       nla_put_u16(msg, port_t, ntohs(sin->sin_port));
	}
}

static int fill_service(struct sk_buff *msg, struct spl_service *svc,
			u32 portid, u32 seq, int flags,
			struct netlink_callback *cb)
{
	struct spl_pool *pool;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &spl_genl_family, flags,
			  SPLICER_CMD_SERVICE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(msg, SPLICER_A_SERVICE);
	if (!nest)
		goto cancel;
	pool = rcu_dereference_protected(svc->pool, lockdep_is_held(&svc->sn->lock));
	if (nla_put_string(msg, SPLICER_SVC_A_NAME, svc->name) ||
	    put_addr(msg, SPLICER_SVC_A_FAMILY, SPLICER_SVC_A_ADDR,
		     SPLICER_SVC_A_PORT, &svc->addr) ||
	    (pool && nla_put_string(msg, SPLICER_SVC_A_POOL, pool->name)) ||
	    nla_put_u32(msg, SPLICER_SVC_A_HEAD_MAX, svc->cfg.head_max) ||
	    nla_put_u32(msg, SPLICER_SVC_A_HEADER_TIMEOUT, svc->cfg.header_timeout) ||
	    nla_put_u32(msg, SPLICER_SVC_A_CONNECT_TIMEOUT, svc->cfg.connect_timeout) ||
	    nla_put_u32(msg, SPLICER_SVC_A_SERVER_TIMEOUT, svc->cfg.server_timeout) ||
	    nla_put_u32(msg, SPLICER_SVC_A_IDLE_TIMEOUT, svc->cfg.idle_timeout) ||
	    nla_put_u32(msg, SPLICER_SVC_A_MAX_LINE, svc->cfg.max_line) ||
	    nla_put_u32(msg, SPLICER_SVC_A_MAX_HEADERS, svc->cfg.max_headers) ||
	    nla_put_u32(msg, SPLICER_SVC_A_RETRIES, svc->cfg.retries) ||
	    nla_put_u8(msg, SPLICER_SVC_A_SPLICE, svc->cfg.splice) ||
	    nla_put_u8(msg, SPLICER_SVC_A_TLS, svc->cfg.tls) ||
	    nla_put_u32(msg, SPLICER_SVC_A_HANDSHAKE_TIMEOUT, svc->cfg.handshake_timeout) ||
	    nla_put_u8(msg, SPLICER_SVC_A_LOCATION_REWRITE, svc->cfg.location_rewrite) ||
	    nla_put_u8(msg, SPLICER_SVC_A_INSPECT, svc->cfg.inspect) ||
	    nla_put_u32(msg, SPLICER_SVC_A_RULES, spl_rules_count(svc)) ||
	    spl_nl_persist_fill(msg, svc) ||
	    put_counters(msg, SPLICER_SVC_A_STATS, &svc->stats, SPLICER_CNT_MAX))
		goto cancel;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;
cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

static int fill_pool(struct sk_buff *msg, struct spl_pool *pool, u32 portid,
		     u32 seq, int flags, struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &spl_genl_family, flags,
			  SPLICER_CMD_POOL_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(msg, SPLICER_A_POOL);
	if (!nest ||
	    nla_put_string(msg, SPLICER_POOL_A_NAME, pool->name) ||
	    nla_put_u8(msg, SPLICER_POOL_A_BALANCE, pool->balance) ||
	    nla_put_u32(msg, SPLICER_POOL_A_SERVERS, pool->nservers) ||
	    nla_put_u32(msg, SPLICER_POOL_A_SERVERS_UP, spl_pool_up_count(pool)) ||
	    spl_nl_health_fill(msg, pool)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;
}

static int fill_server(struct sk_buff *msg, struct spl_server *srv, u32 portid,
		       u32 seq, int flags, struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &spl_genl_family, flags,
			  SPLICER_CMD_SERVER_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(msg, SPLICER_A_SERVER);
	if (!nest ||
	    nla_put_string(msg, SPLICER_SRV_A_POOL, srv->pool->name) ||
	    nla_put_string(msg, SPLICER_SRV_A_NAME, srv->name) ||
	    put_addr(msg, SPLICER_SRV_A_FAMILY, SPLICER_SRV_A_ADDR,
		     SPLICER_SRV_A_PORT, &srv->addr) ||
	    nla_put_u32(msg, SPLICER_SRV_A_WEIGHT, srv->weight) ||
	    nla_put_u32(msg, SPLICER_SRV_A_MAXCONN, srv->maxconn) ||
	    nla_put_u8(msg, SPLICER_SRV_A_STATE, srv->state) ||
	    spl_nl_health_fill_server(msg, srv) ||
	    put_counters(msg, SPLICER_SRV_A_STATS, &srv->stats,
			 SPLICER_CNT_CONNECT_FAIL)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;
}

/* Reply to a doit GET with one object built by @fill (sn->lock held). */
#define REPLY_ONE(info, fill, obj) ({					\
	struct sk_buff *__msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);	\
	int __err = -ENOMEM;						\
	if (__msg) {							\
		__err = fill(__msg, obj, (info)->snd_portid,		\
			     (info)->snd_seq, 0, NULL);			\
		if (__err)						\
			nlmsg_free(__msg);				\
		else							\
			__err = genlmsg_reply(__msg, info);		\
	}								\
	__err;								\
})

/* ---- services ---- */

static int get_flags(struct nlattr **tb, struct spl_service_cfg *cfg)
{
	if (tb[SPLICER_SVC_A_SPLICE])
		cfg->splice = nla_get_u8(tb[SPLICER_SVC_A_SPLICE]);
	if (tb[SPLICER_SVC_A_TLS])
		cfg->tls = nla_get_u8(tb[SPLICER_SVC_A_TLS]);
	if (tb[SPLICER_SVC_A_LOCATION_REWRITE])
		cfg->location_rewrite = nla_get_u8(tb[SPLICER_SVC_A_LOCATION_REWRITE]);
	if (tb[SPLICER_SVC_A_INSPECT])
		cfg->inspect = nla_get_u8(tb[SPLICER_SVC_A_INSPECT]);
	return 0;
}

static int svc_cfg_parse(struct genl_info *info, struct nlattr **tb,
			 struct spl_service_cfg *cfg)
{
	return get_u32_range(info, tb[SPLICER_SVC_A_HEAD_MAX], SPL_HEAD_MAX_MIN,
			     SPL_HEAD_MAX_MAX, &cfg->head_max,
			     SPL_MSG("HEAD_MAX: out of range 1024-65536")) ?:
	       get_u32_range(info, tb[SPLICER_SVC_A_HEADER_TIMEOUT], 100,
			     SPL_TIMEOUT_MAX, &cfg->header_timeout,
			     SPL_MSG("HEADER_TIMEOUT: out of range 100 ms - 1 h")) ?:
	       get_u32_range(info, tb[SPLICER_SVC_A_CONNECT_TIMEOUT], 10,
			     SPL_TIMEOUT_MAX, &cfg->connect_timeout,
			     SPL_MSG("CONNECT_TIMEOUT: out of range 10 ms - 1 h")) ?:
	       get_u32_range(info, tb[SPLICER_SVC_A_SERVER_TIMEOUT], 10,
			     SPL_TIMEOUT_MAX, &cfg->server_timeout,
			     SPL_MSG("SERVER_TIMEOUT: out of range 10 ms - 1 h")) ?:
	       get_u32_range(info, tb[SPLICER_SVC_A_IDLE_TIMEOUT], 10,
			     SPL_TIMEOUT_MAX, &cfg->idle_timeout,
			     SPL_MSG("IDLE_TIMEOUT: out of range 10 ms - 1 h")) ?:
	       get_u32_range(info, tb[SPLICER_SVC_A_MAX_LINE], SPL_MAX_LINE_MIN,
			     SPL_HEAD_MAX_MAX, &cfg->max_line,
			     SPL_MSG("MAX_LINE: out of range 256-65536")) ?:
	       get_u32_range(info, tb[SPLICER_SVC_A_MAX_HEADERS], 1,
			     SPL_MAX_HEADERS_MAX, &cfg->max_headers,
			     SPL_MSG("MAX_HEADERS: out of range 1-1024")) ?:
	       get_u32_range(info, tb[SPLICER_SVC_A_RETRIES], 0,
			     SPL_RETRIES_MAX, &cfg->retries,
			     SPL_MSG("RETRIES: out of range 0-16")) ?:
	       get_u32_range(info, tb[SPLICER_SVC_A_HANDSHAKE_TIMEOUT], 100,
			     SPL_TIMEOUT_MAX, &cfg->handshake_timeout,
			     SPL_MSG("HANDSHAKE_TIMEOUT: out of range 100 ms - 1 h")) ?:
	       get_flags(tb, cfg);
}

static struct spl_service *svc_lookup(struct genl_info *info,
				      struct spl_net *sn, struct nlattr *a)
{
	struct spl_service *svc = spl_service_find(sn, nla_data(a));

	if (!svc) {
		reject(info->extack, a,
		       SPL_MSG("NAME: no such service"));
	}
	return svc;
}

static int spl_nl_service_new(struct sk_buff *skb, struct genl_info *info)
{
	struct spl_persist *base, *persist = NULL;
	struct nlattr *tb[SPLICER_SVC_A_MAX + 1];
	struct spl_service_cfg cfg;
	struct sockaddr_storage ss;
	struct spl_service *svc;
	struct spl_pool *pool;
	struct spl_net *sn;
	int err;

	err = parse_obj(info, SPLICER_A_SERVICE, SPLICER_SVC_A_MAX,
			spl_svc_policy, tb, SPL_MSG("missing the SERVICE nest"));
	if (err)
		return err;
	if (!require(info, tb, SPLICER_SVC_A_NAME, SPLICER_A_SERVICE, SPL_MSG("missing NAME")) ||
	    !require(info, tb, SPLICER_SVC_A_FAMILY, SPLICER_A_SERVICE, SPL_MSG("missing FAMILY")) ||
	    !require(info, tb, SPLICER_SVC_A_ADDR, SPLICER_A_SERVICE, SPL_MSG("missing ADDR")) ||
	    !require(info, tb, SPLICER_SVC_A_PORT, SPLICER_A_SERVICE, SPL_MSG("missing PORT")) ||
	    !require(info, tb, SPLICER_SVC_A_POOL, SPLICER_A_SERVICE, SPL_MSG("missing POOL")))
		return -EINVAL;
	spl_service_cfg_default(&cfg);
	err = parse_addr(info, tb[SPLICER_SVC_A_FAMILY], tb[SPLICER_SVC_A_ADDR],
			 tb[SPLICER_SVC_A_PORT], &ss) ?:
	      svc_cfg_parse(info, tb, &cfg);
	if (err)
		return err;

	if (tb[SPLICER_SVC_A_PERSIST]) {
		base = spl_persist_new();
		if (!base)
			return -ENOMEM;
		err = spl_nl_persist_parse(info, tb[SPLICER_SVC_A_PERSIST], base, &persist);
		spl_persist_free(base);
		if (err)
			return err;
	}

	sn = lock_net(info);
	err = -ENODEV;
	if (sn->dying)
		goto out;
	err = -EEXIST;
	if (spl_service_find(sn, nla_data(tb[SPLICER_SVC_A_NAME]))) {
		reject(info->extack, tb[SPLICER_SVC_A_NAME],
		       SPL_MSG("NAME: a service of that name exists"));
		goto out;
	}
	err = -ENOENT;
	pool = pool_lookup(info, sn, tb[SPLICER_SVC_A_POOL]);
	if (!pool)
		goto out;
	svc = spl_service_create(sn, nla_data(tb[SPLICER_SVC_A_NAME]), &ss, pool,
				 &cfg, &err);
	if (!svc) {
		reject(info->extack, tb[SPLICER_SVC_A_ADDR],
		       SPL_MSG("ADDR: cannot listen on this address and port (in use?)"));
		goto out;
	}
	if (persist) {
		err = spl_nl_persist_apply(svc, persist);
		persist = NULL;
		if (err) {
			spl_service_destroy(svc);
			goto out;
		}
	}
	list_add_tail_rcu(&svc->node, &sn->services);
	spl_net_changed(sn);
	err = 0;
out:
	mutex_unlock(&sn->lock);
	spl_persist_free(persist);
	return err;
}

static int spl_nl_service_set(struct sk_buff *skb, struct genl_info *info)
{
	struct spl_persist *persist = NULL;
	struct nlattr *tb[SPLICER_SVC_A_MAX + 1];
	struct spl_pool *pool = NULL, *old;
	struct spl_service_cfg cfg;
	struct spl_service *svc;
	struct spl_net *sn;
	int err, i;

	err = parse_obj(info, SPLICER_A_SERVICE, SPLICER_SVC_A_MAX,
			spl_svc_policy, tb, SPL_MSG("missing the SERVICE nest"));
	if (err)
		return err;
	if (!require(info, tb, SPLICER_SVC_A_NAME, SPLICER_A_SERVICE, SPL_MSG("missing NAME")))
		return -EINVAL;
	for (i = SPLICER_SVC_A_FAMILY; i <= SPLICER_SVC_A_PORT; i++) {
		if (tb[i]) {
			reject(info->extack, tb[i],
			       SPL_MSG("the listen address cannot change: delete and re-add the service"));
			return -EOPNOTSUPP;
		}
	}

	sn = lock_net(info);
	err = -ENOENT;
	svc = svc_lookup(info, sn, tb[SPLICER_SVC_A_NAME]);
	if (!svc)
		goto out;
	if (tb[SPLICER_SVC_A_POOL]) {
		pool = pool_lookup(info, sn, tb[SPLICER_SVC_A_POOL]);
		if (!pool)
			goto out;
	}
	cfg = svc->cfg;
	err = svc_cfg_parse(info, tb, &cfg) ?:
	      spl_nl_persist_parse(info, tb[SPLICER_SVC_A_PERSIST],
				   rcu_dereference_protected(svc->persist,
							     lockdep_is_held(&sn->lock)),
				   &persist);
	if (err)
		goto out;
	if (persist) {
		err = spl_nl_persist_apply(svc, persist);
		if (err)
			goto out;
	}
	WRITE_ONCE(svc->cfg.head_max, cfg.head_max);
	WRITE_ONCE(svc->cfg.header_timeout, cfg.header_timeout);
	WRITE_ONCE(svc->cfg.connect_timeout, cfg.connect_timeout);
	WRITE_ONCE(svc->cfg.server_timeout, cfg.server_timeout);
	WRITE_ONCE(svc->cfg.idle_timeout, cfg.idle_timeout);
	WRITE_ONCE(svc->cfg.max_line, cfg.max_line);
	WRITE_ONCE(svc->cfg.max_headers, cfg.max_headers);
	WRITE_ONCE(svc->cfg.retries, cfg.retries);
	WRITE_ONCE(svc->cfg.splice, cfg.splice);
	WRITE_ONCE(svc->cfg.handshake_timeout, cfg.handshake_timeout);
	WRITE_ONCE(svc->cfg.location_rewrite, cfg.location_rewrite);
	WRITE_ONCE(svc->cfg.inspect, cfg.inspect);
	if (tb[SPLICER_SVC_A_TLS] && cfg.tls != svc->cfg.tls) {
		/* existing connections keep what they started with */
		WRITE_ONCE(svc->cfg.tls, cfg.tls);
	}
	if (pool) {
		old = rcu_dereference_protected(svc->pool, lockdep_is_held(&sn->lock));
		pool->users++;
		rcu_assign_pointer(svc->pool, pool);
		old->users--;
	}
	spl_net_changed(sn);
out:
	mutex_unlock(&sn->lock);
	return err;
}

static int spl_nl_service_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SPLICER_SVC_A_MAX + 1];
	struct spl_service *svc;
	struct spl_net *sn;
	int err;

	err = parse_obj(info, SPLICER_A_SERVICE, SPLICER_SVC_A_MAX,
			spl_svc_policy, tb, SPL_MSG("missing the SERVICE nest"));
	if (err)
		return err;
	if (!require(info, tb, SPLICER_SVC_A_NAME, SPLICER_A_SERVICE, SPL_MSG("missing NAME")))
		return -EINVAL;
	sn = lock_net(info);
	svc = svc_lookup(info, sn, tb[SPLICER_SVC_A_NAME]);
	if (svc) {
		list_del_rcu(&svc->node);
		spl_service_destroy(svc);
		spl_net_changed(sn);
	}
	mutex_unlock(&sn->lock);
	return svc ? 0 : -ENOENT;
}

static int spl_nl_service_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SPLICER_SVC_A_MAX + 1];
	struct spl_service *svc;
	struct spl_net *sn;
	int err;

	err = parse_obj(info, SPLICER_A_SERVICE, SPLICER_SVC_A_MAX,
			spl_svc_policy, tb, SPL_MSG("missing the SERVICE nest"));
	if (err)
		return err;
	if (!require(info, tb, SPLICER_SVC_A_NAME, SPLICER_A_SERVICE, SPL_MSG("missing NAME")))
		return -EINVAL;
	sn = lock_net(info);
	svc = svc_lookup(info, sn, tb[SPLICER_SVC_A_NAME]);
	err = svc ? REPLY_ONE(info, fill_service, svc) : -ENOENT;
	mutex_unlock(&sn->lock);
	return err;
}

static int spl_nl_service_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct spl_net *sn = spl_net(sock_net(skb->sk));
	struct spl_service *svc;
	long idx = 0;

	mutex_lock(&sn->lock);
	cb->seq = sn->gen;
	list_for_each_entry(svc, &sn->services, node) {
		if (idx++ < cb->args[0])
			continue;
		if (fill_service(skb, svc, NETLINK_CB(cb->skb).portid,
				 cb->nlh->nlmsg_seq, NLM_F_MULTI, cb))
			break;
		cb->args[0] = idx;
	}
	mutex_unlock(&sn->lock);
	return skb->len;
}

/* ---- pools ---- */

static int get_balance(struct genl_info *info, struct nlattr *a, u8 *out)
{
	if (!a)
		return 0;
	if (nla_get_u8(a) > SPLICER_BALANCE_MAX) {
		reject(info->extack, a,
		       SPL_MSG("BALANCE: not 0 (roundrobin) or 1 (leastconn)"));
		return -EINVAL;
	}
	*out = nla_get_u8(a);
	return 0;
}

static int spl_nl_pool_new(struct sk_buff *skb, struct genl_info *info)
{
	struct spl_health_cfg *health = NULL;
	struct nlattr *tb[SPLICER_POOL_A_MAX + 1];
	u8 balance = SPLICER_BALANCE_ROUNDROBIN;
	struct spl_pool *pool;
	struct spl_net *sn;
	int err;

	err = parse_obj(info, SPLICER_A_POOL, SPLICER_POOL_A_MAX,
			spl_pool_policy, tb, SPL_MSG("missing the POOL nest"));
	if (err)
		return err;
	if (!require(info, tb, SPLICER_POOL_A_NAME, SPLICER_A_POOL, SPL_MSG("missing NAME")))
		return -EINVAL;
	err = get_balance(info, tb[SPLICER_POOL_A_BALANCE], &balance) ?:
	      spl_nl_health_parse(info, tb[SPLICER_POOL_A_HEALTH], &health);
	if (err)
		return err;

	sn = lock_net(info);
	err = -ENODEV;
	if (sn->dying)
		goto out;
	err = -EEXIST;
	if (pool_find(sn, nla_data(tb[SPLICER_POOL_A_NAME]))) {
		reject(info->extack, tb[SPLICER_POOL_A_NAME],
		       SPL_MSG("NAME: a pool of that name exists"));
		goto out;
	}
	err = -ENOMEM;
	pool = spl_pool_alloc(sn, nla_data(tb[SPLICER_POOL_A_NAME]), balance);
	if (!pool)
		goto out;
	if (health) {
		spl_nl_health_apply(pool, health);	/* no servers yet */
		health = NULL;
	}
	list_add_tail_rcu(&pool->node, &sn->pools);
	spl_net_changed(sn);
	err = 0;
out:
	mutex_unlock(&sn->lock);
	kfree(health);
	return err;
}

static int spl_nl_pool_set(struct sk_buff *skb, struct genl_info *info)
{
	struct spl_health_cfg *health = NULL;
	struct nlattr *tb[SPLICER_POOL_A_MAX + 1];
	struct spl_pool *pool;
	struct spl_net *sn;
	u8 balance;
	int err;

	err = parse_obj(info, SPLICER_A_POOL, SPLICER_POOL_A_MAX,
			spl_pool_policy, tb, SPL_MSG("missing the POOL nest"));
	if (err)
		return err;
	if (!require(info, tb, SPLICER_POOL_A_NAME, SPLICER_A_POOL, SPL_MSG("missing NAME")))
		return -EINVAL;
	sn = lock_net(info);
	err = -ENOENT;
	pool = pool_lookup(info, sn, tb[SPLICER_POOL_A_NAME]);
	if (!pool)
		goto out;
	balance = pool->balance;
	err = get_balance(info, tb[SPLICER_POOL_A_BALANCE], &balance) ?:
	      spl_nl_health_parse(info, tb[SPLICER_POOL_A_HEALTH], &health);
	if (err)
		goto out;
	WRITE_ONCE(pool->balance, balance);
	if (health)
		spl_nl_health_apply(pool, health);
	spl_net_changed(sn);
out:
	mutex_unlock(&sn->lock);
	return err;
}

static int spl_nl_pool_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SPLICER_POOL_A_MAX + 1];
	struct spl_pool *pool;
	struct spl_net *sn;
	int err;

	err = parse_obj(info, SPLICER_A_POOL, SPLICER_POOL_A_MAX,
			spl_pool_policy, tb, SPL_MSG("missing the POOL nest"));
	if (err)
		return err;
	if (!require(info, tb, SPLICER_POOL_A_NAME, SPLICER_A_POOL, SPL_MSG("missing NAME")))
		return -EINVAL;
	sn = lock_net(info);
	err = -ENOENT;
	pool = pool_lookup(info, sn, tb[SPLICER_POOL_A_NAME]);
	if (!pool)
		goto out;
	err = -EBUSY;
	if (pool->users) {
		reject(info->extack, tb[SPLICER_POOL_A_NAME],
		       SPL_MSG("NAME: the pool is in use by a service or a rule"));
		goto out;
	}
	list_del_rcu(&pool->node);
	spl_pool_free(pool);
	spl_net_changed(sn);
	err = 0;
out:
	mutex_unlock(&sn->lock);
	return err;
}

static int spl_nl_pool_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SPLICER_POOL_A_MAX + 1];
	struct spl_pool *pool;
	struct spl_net *sn;
	int err;

	err = parse_obj(info, SPLICER_A_POOL, SPLICER_POOL_A_MAX,
			spl_pool_policy, tb, SPL_MSG("missing the POOL nest"));
	if (err)
		return err;
	if (!require(info, tb, SPLICER_POOL_A_NAME, SPLICER_A_POOL, SPL_MSG("missing NAME")))
		return -EINVAL;
	sn = lock_net(info);
	pool = pool_lookup(info, sn, tb[SPLICER_POOL_A_NAME]);
	err = pool ? REPLY_ONE(info, fill_pool, pool) : -ENOENT;
	mutex_unlock(&sn->lock);
	return err;
}

static int spl_nl_pool_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct spl_net *sn = spl_net(sock_net(skb->sk));
	struct spl_pool *pool;
	long idx = 0;

	mutex_lock(&sn->lock);
	cb->seq = sn->gen;
	list_for_each_entry(pool, &sn->pools, node) {
		if (idx++ < cb->args[0])
			continue;
		if (fill_pool(skb, pool, NETLINK_CB(cb->skb).portid,
			      cb->nlh->nlmsg_seq, NLM_F_MULTI, cb))
			break;
		cb->args[0] = idx;
	}
	mutex_unlock(&sn->lock);
	return skb->len;
}

/* ---- servers ---- */

static int srv_opts_parse(struct genl_info *info, struct nlattr **tb,
			  u32 *weight, u32 *maxconn, u8 *state)
{
	int err;

	err = get_u32_range(info, tb[SPLICER_SRV_A_WEIGHT], 1, SPL_WEIGHT_MAX,
			    weight, SPL_MSG("WEIGHT: out of range 1-1000")) ?:
	      get_u32_range(info, tb[SPLICER_SRV_A_MAXCONN], 0, INT_MAX,
			    maxconn, SPL_MSG("MAXCONN: out of range 0-2147483647"));
	if (err)
		return err;
	if (tb[SPLICER_SRV_A_STATE]) {
		if (nla_get_u8(tb[SPLICER_SRV_A_STATE]) > SPLICER_SRV_STATE_MAX) {
			reject(info->extack, tb[SPLICER_SRV_A_STATE],
			       SPL_MSG("STATE: not 0 (up), 1 (drain) or 2 (maint)"));
			return -EINVAL;
		}
		*state = nla_get_u8(tb[SPLICER_SRV_A_STATE]);
	}
	return 0;
}

/* Find POOL then NAME within it; sn->lock held. */
static struct spl_server *srv_lookup(struct genl_info *info, struct spl_net *sn,
				     struct nlattr **tb)
{
	struct spl_server *srv;
	struct spl_pool *pool;

	pool = pool_lookup(info, sn, tb[SPLICER_SRV_A_POOL]);
	if (!pool)
		return NULL;
	srv = spl_server_find(pool, nla_data(tb[SPLICER_SRV_A_NAME]));
	if (!srv) {
		reject(info->extack, tb[SPLICER_SRV_A_NAME],
		       SPL_MSG("NAME: no server of that name in the pool"));
	}
	return srv;
}

static int srv_parse_key(struct genl_info *info, struct nlattr **tb)
{
	int err = parse_obj(info, SPLICER_A_SERVER, SPLICER_SRV_A_MAX,
			    spl_srv_policy, tb, SPL_MSG("missing the SERVER nest"));

	if (err)
		return err;
	if (!require(info, tb, SPLICER_SRV_A_POOL, SPLICER_A_SERVER, SPL_MSG("missing POOL")) ||
	    !require(info, tb, SPLICER_SRV_A_NAME, SPLICER_A_SERVER, SPL_MSG("missing NAME")))
		return -EINVAL;
	return 0;
}

static int spl_nl_server_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SPLICER_SRV_A_MAX + 1];
	u8 state = SPLICER_SRV_STATE_UP;
	u32 weight = 1, maxconn = 0;
	struct sockaddr_storage ss;
	struct spl_server *srv, *clash;
	struct spl_pool *pool;
	struct spl_net *sn;
	int err;

	err = srv_parse_key(info, tb);
	if (err)
		return err;
	if (!require(info, tb, SPLICER_SRV_A_FAMILY, SPLICER_A_SERVER, SPL_MSG("missing FAMILY")) ||
	    !require(info, tb, SPLICER_SRV_A_ADDR, SPLICER_A_SERVER, SPL_MSG("missing ADDR")) ||
	    !require(info, tb, SPLICER_SRV_A_PORT, SPLICER_A_SERVER, SPL_MSG("missing PORT")))
		return -EINVAL;
	err = parse_addr(info, tb[SPLICER_SRV_A_FAMILY], tb[SPLICER_SRV_A_ADDR],
			 tb[SPLICER_SRV_A_PORT], &ss) ?:
	      srv_opts_parse(info, tb, &weight, &maxconn, &state);
	if (err)
		return err;

	sn = lock_net(info);
	err = -ENODEV;
	if (sn->dying)
		goto out;
	err = -ENOENT;
	pool = pool_lookup(info, sn, tb[SPLICER_SRV_A_POOL]);
	if (!pool)
		goto out;
	err = -EEXIST;
	if (spl_server_find(pool, nla_data(tb[SPLICER_SRV_A_NAME]))) {
		reject(info->extack, tb[SPLICER_SRV_A_NAME],
		       SPL_MSG("NAME: the pool has a server of that name"));
		goto out;
	}
	err = -ENOMEM;
	srv = spl_server_alloc(nla_data(tb[SPLICER_SRV_A_NAME]), &ss);
	if (!srv)
		goto out;
	rcu_read_lock();
	clash = spl_pool_server_by_id(pool, srv->id);
	rcu_read_unlock();
	if (clash) {
		/* ids are 32-bit hashes of names: a clash is rare, but fatal */
		reject(info->extack, tb[SPLICER_SRV_A_NAME],
		       SPL_MSG("NAME: its persistence id clashes with another server's; choose another name"));
		spl_server_put(srv);
		err = -EEXIST;
		goto out;
	}
	srv->weight = weight;
	srv->maxconn = maxconn;
	srv->state = state;
	spl_server_link(pool, srv);
	spl_health_update(srv);
	spl_pool_changed(pool);
	spl_net_changed(sn);
	err = 0;
out:
	mutex_unlock(&sn->lock);
	return err;
}

static int spl_nl_server_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SPLICER_SRV_A_MAX + 1];
	struct spl_server *srv;
	struct spl_net *sn;
	u32 weight, maxconn;
	int err, i;
	u8 state;

	err = srv_parse_key(info, tb);
	if (err)
		return err;
	for (i = SPLICER_SRV_A_FAMILY; i <= SPLICER_SRV_A_PORT; i++) {
		if (tb[i]) {
			reject(info->extack, tb[i],
			       SPL_MSG("the address cannot change: delete and re-add the server"));
			return -EOPNOTSUPP;
		}
	}
	sn = lock_net(info);
	err = -ENOENT;
	srv = srv_lookup(info, sn, tb);
	if (!srv)
		goto out;
	weight = srv->weight;
	maxconn = srv->maxconn;
	state = srv->state;
	err = srv_opts_parse(info, tb, &weight, &maxconn, &state);
	if (err)
		goto out;
	WRITE_ONCE(srv->weight, weight);
	WRITE_ONCE(srv->maxconn, maxconn);
	WRITE_ONCE(srv->state, state);
	spl_health_update(srv);		/* maint: no probes */
	spl_pool_changed(srv->pool);
	spl_net_changed(sn);
out:
	mutex_unlock(&sn->lock);
	return err;
}

static int spl_nl_server_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SPLICER_SRV_A_MAX + 1];
	struct spl_server *srv;
	struct spl_net *sn;
	int err;

	err = srv_parse_key(info, tb);
	if (err)
		return err;
	sn = lock_net(info);
	srv = srv_lookup(info, sn, tb);
	if (srv) {
		spl_server_unlink(srv);
		spl_net_changed(sn);
	}
	mutex_unlock(&sn->lock);
	return srv ? 0 : -ENOENT;
}

static int spl_nl_server_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SPLICER_SRV_A_MAX + 1];
	struct spl_server *srv;
	struct spl_net *sn;
	int err;

	err = srv_parse_key(info, tb);
	if (err)
		return err;
	sn = lock_net(info);
	srv = srv_lookup(info, sn, tb);
	err = srv ? REPLY_ONE(info, fill_server, srv) : -ENOENT;
	mutex_unlock(&sn->lock);
	return err;
}

/* Dump every server, or those of one pool (SPLICER_SRV_A_POOL). */
static int spl_nl_server_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct spl_net *sn = spl_net(sock_net(skb->sk));
	struct nlattr *tb[SPLICER_SRV_A_MAX + 1];
	const char *only = NULL;
	struct spl_server *srv;
	struct spl_pool *pool;
	long pidx = 0, sidx;

	if (info->attrs[SPLICER_A_SERVER]) {
		if (nla_parse_nested(tb, SPLICER_SRV_A_MAX, info->attrs[SPLICER_A_SERVER],
				     spl_srv_policy, cb->extack))
			return -EINVAL;
		if (tb[SPLICER_SRV_A_POOL])
			only = nla_data(tb[SPLICER_SRV_A_POOL]);
	}

	mutex_lock(&sn->lock);
	if (only && !pool_find(sn, only)) {
		mutex_unlock(&sn->lock);
		reject(cb->extack, tb[SPLICER_SRV_A_POOL], SPL_MSG("POOL: no such pool"));
		return -ENOENT;
	}
	cb->seq = sn->gen;
	list_for_each_entry(pool, &sn->pools, node) {
		if (pidx++ < cb->args[0])
			continue;
		if (only && strcmp(pool->name, only)) {
			cb->args[0] = pidx;
			continue;
		}
		sidx = 0;
		list_for_each_entry(srv, &pool->servers, node) {
			if (sidx++ < cb->args[1])
				continue;
			if (fill_server(skb, srv, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI, cb))
				goto full;
			cb->args[1] = sidx;
		}
		cb->args[0] = pidx;
		cb->args[1] = 0;
	}
full:
	mutex_unlock(&sn->lock);
	return skb->len;
}

/* ---- stats ---- */

static int spl_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct spl_net *sn = spl_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &spl_genl_family, 0,
				SPLICER_CMD_STATS_GET);
	if (!hdr || put_counters(msg, SPLICER_A_STATS, &sn->stats, SPLICER_CNT_MAX)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static const struct genl_ops spl_ops[] = {
	{ .cmd = SPLICER_CMD_SERVICE_NEW, .doit = spl_nl_service_new, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_SERVICE_DEL, .doit = spl_nl_service_del, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_SERVICE_SET, .doit = spl_nl_service_set, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_SERVICE_GET, .doit = spl_nl_service_get, .dumpit = spl_nl_service_dump },
	{ .cmd = SPLICER_CMD_POOL_NEW, .doit = spl_nl_pool_new, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_POOL_DEL, .doit = spl_nl_pool_del, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_POOL_SET, .doit = spl_nl_pool_set, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_POOL_GET, .doit = spl_nl_pool_get, .dumpit = spl_nl_pool_dump },
	{ .cmd = SPLICER_CMD_SERVER_NEW, .doit = spl_nl_server_new, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_SERVER_DEL, .doit = spl_nl_server_del, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_SERVER_SET, .doit = spl_nl_server_set, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_SERVER_GET, .doit = spl_nl_server_get, .dumpit = spl_nl_server_dump },
	{ .cmd = SPLICER_CMD_STATS_GET, .doit = spl_nl_stats_get },
	{ .cmd = SPLICER_CMD_STICK_NEW, .doit = spl_nl_stick_new, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_STICK_DEL, .doit = spl_nl_stick_del, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_STICK_GET, .dumpit = spl_nl_stick_dump, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_TLS_ACCEPT, .doit = spl_nl_tls_accept, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_TLS_DONE, .doit = spl_nl_tls_done, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_RULE_NEW, .doit = spl_nl_rule_new, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_RULE_DEL, .doit = spl_nl_rule_del, .flags = GENL_ADMIN_PERM },
	{ .cmd = SPLICER_CMD_RULE_GET, .dumpit = spl_nl_rule_dump },
};

static const struct genl_multicast_group spl_mcgrps[] = {
	/* records carry client addresses and request targets */
	{ .name = SPLICER_MCGRP_LOG, .flags = GENL_MCAST_CAP_NET_ADMIN },
#define SPL_MCGRP_TLS_IDX	1
	{ .name = SPLICER_MCGRP_TLS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family spl_genl_family __ro_after_init = {
	.name = SPLICER_FAMILY_NAME,
	.version = SPLICER_FAMILY_VERSION,
	.maxattr = SPLICER_A_MAX,
	.policy = spl_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = spl_ops,
	.n_ops = ARRAY_SIZE(spl_ops),
	.mcgrps = spl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(spl_mcgrps),
};

bool spl_netlink_log_wanted(struct net *net)
{
	return genl_has_listeners(&spl_genl_family, net, 0);
}

void *spl_netlink_log_put(struct sk_buff *skb)
{
	return genlmsg_put(skb, 0, 0, &spl_genl_family, 0, SPLICER_CMD_LOG);
}

int spl_netlink_log_send(struct net *net, struct sk_buff *skb, gfp_t gfp)
{
	return genlmsg_multicast_netns(&spl_genl_family, net, skb, 0, 0, gfp);
}

bool spl_netlink_tls_listening(struct net *net)
{
	return genl_has_listeners(&spl_genl_family, net, SPL_MCGRP_TLS_IDX);
}

void spl_netlink_tls_send(struct net *net, struct sk_buff *skb)
{
	genlmsg_multicast_netns(&spl_genl_family, net, skb, 0, SPL_MCGRP_TLS_IDX,
				GFP_KERNEL);
}

int __init spl_netlink_init(void)
{
	return genl_register_family(&spl_genl_family);
}

void spl_netlink_exit(void)
{
	genl_unregister_family(&spl_genl_family);
}
