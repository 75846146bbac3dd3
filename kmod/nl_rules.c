// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink for content rules: SPLICER_CMD_RULE_NEW/DEL/GET.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/sock.h>
#include "netns.h"
#include "nl_rules.h"
#include "nl_util.h"
#include "pool.h"
#include "service.h"

/* Printable ASCII without spaces. */
static int validate_word(const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	const char *s = nla_data(attr);
	int i, len = nla_len(attr);

	if (len < 2 || s[len - 1])
		goto bad;
	for (i = 0; i < len - 1; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			goto bad;
	return 0;
bad:
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    KBUILD_MODNAME ": printable ASCII without spaces, and a NUL");
	return -EINVAL;
}

/* A header value: printable ASCII, spaces inside allowed. */
static int validate_value(const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	const char *s = nla_data(attr);
	int i, len = nla_len(attr);

	if (len < 2 || s[len - 1] || s[0] == ' ' || s[len - 2] == ' ')
		goto bad;
	for (i = 0; i < len - 1; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f)
			goto bad;
	return 0;
bad:
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    KBUILD_MODNAME ": printable ASCII without leading or trailing spaces, and a NUL");
	return -EINVAL;
}

#define WORD(max)	NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_word, max)

const struct nla_policy spl_rule_policy[SPLICER_RULE_A_MAX + 1] = {
	[SPLICER_RULE_A_SERVICE] = WORD(SPLICER_NAME_MAX),
	[SPLICER_RULE_A_POSITION] = { .type = NLA_U32 },
	[SPLICER_RULE_A_HOST] = WORD(256),
	[SPLICER_RULE_A_PATH] = WORD(1024),
	[SPLICER_RULE_A_PATH_PREFIX] = WORD(1024),
	[SPLICER_RULE_A_METHOD] = WORD(32),
	[SPLICER_RULE_A_HEADER] = WORD(64),
	[SPLICER_RULE_A_HEADER_VALUE] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_value, 256),
	[SPLICER_RULE_A_SRC_FAMILY] = { .type = NLA_U16 },
	[SPLICER_RULE_A_SRC_ADDR] = { .type = NLA_BINARY, .len = 16 },
	[SPLICER_RULE_A_SRC_PREFIX] = NLA_POLICY_MAX(NLA_U8, 128),
	[SPLICER_RULE_A_POOL] = WORD(SPLICER_NAME_MAX),
	[SPLICER_RULE_A_REDIRECT] = WORD(1024),
	[SPLICER_RULE_A_STATUS] = NLA_POLICY_RANGE(NLA_U16, 200, 599),
	[SPLICER_RULE_A_HITS] = { .type = NLA_REJECT },
};

static int parse_rule(struct genl_info *info, struct nlattr **tb)
{
	if (!info->attrs[SPLICER_A_RULE]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, SPLICER_A_RULE);
		set_msg(info->extack, SPL_MSG("missing the RULE nest"));
		return -EINVAL;
	}
	if (nla_parse_nested(tb, SPLICER_RULE_A_MAX, info->attrs[SPLICER_A_RULE],
			     spl_rule_policy, info->extack))
		return -EINVAL;
	if (!tb[SPLICER_RULE_A_SERVICE]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[SPLICER_A_RULE],
				     SPLICER_RULE_A_SERVICE);
		set_msg(info->extack, SPL_MSG("missing SERVICE"));
		return -EINVAL;
	}
	return 0;
}

static char *dup_attr(struct nlattr *a, bool lower, int *err)
{
	char *s;
	int i;

	if (!a || *err)
		return NULL;
	s = kstrdup(nla_data(a), GFP_KERNEL);
	if (!s) {
		*err = -ENOMEM;
		return NULL;
	}
	for (i = 0; lower && s[i]; i++)
		s[i] = tolower(s[i]);
	return s;
}

static int build_rule(struct genl_info *info, struct nlattr **tb,
		      struct spl_net *sn, struct spl_rule **out)
{
	struct netlink_ext_ack *extack = info->extack;
	struct spl_rule *r;
	int actions, err = 0;

	actions = !!tb[SPLICER_RULE_A_POOL] + !!tb[SPLICER_RULE_A_REDIRECT] +
		  (!tb[SPLICER_RULE_A_REDIRECT] && tb[SPLICER_RULE_A_STATUS]);
	if (actions != 1) {
		reject(extack, info->attrs[SPLICER_A_RULE],
		       SPL_MSG("RULE: exactly one action: POOL, REDIRECT (with STATUS) or STATUS"));
		return -EINVAL;
	}
	if (!tb[SPLICER_RULE_A_HOST] && !tb[SPLICER_RULE_A_PATH] &&
	    !tb[SPLICER_RULE_A_PATH_PREFIX] && !tb[SPLICER_RULE_A_METHOD] &&
	    !tb[SPLICER_RULE_A_HEADER] && !tb[SPLICER_RULE_A_SRC_FAMILY]) {
		reject(extack, info->attrs[SPLICER_A_RULE],
		       SPL_MSG("RULE: no match (a rule for everything is the service's POOL)"));
		return -EINVAL;
	}
	if (tb[SPLICER_RULE_A_HEADER_VALUE] && !tb[SPLICER_RULE_A_HEADER]) {
		reject(extack, tb[SPLICER_RULE_A_HEADER_VALUE],
		       SPL_MSG("HEADER_VALUE: needs HEADER"));
		return -EINVAL;
	}
	if (tb[SPLICER_RULE_A_REDIRECT] && tb[SPLICER_RULE_A_STATUS]) {
		u16 st = nla_get_u16(tb[SPLICER_RULE_A_STATUS]);

		if (st != 301 && st != 302 && st != 303 && st != 307 && st != 308) {
			reject(extack, tb[SPLICER_RULE_A_STATUS],
			       SPL_MSG("STATUS: a redirect is 301, 302, 303, 307 or 308"));
			return -EINVAL;
		}
	}
	if ((tb[SPLICER_RULE_A_PATH] && ((char *)nla_data(tb[SPLICER_RULE_A_PATH]))[0] != '/') ||
	    (tb[SPLICER_RULE_A_PATH_PREFIX] &&
	     ((char *)nla_data(tb[SPLICER_RULE_A_PATH_PREFIX]))[0] != '/')) {
		reject(extack, tb[SPLICER_RULE_A_PATH] ?: tb[SPLICER_RULE_A_PATH_PREFIX],
		       SPL_MSG("PATH/PATH_PREFIX: must start with /"));
		return -EINVAL;
	}

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->host = dup_attr(tb[SPLICER_RULE_A_HOST], true, &err);
	r->path = dup_attr(tb[SPLICER_RULE_A_PATH], false, &err);
	r->prefix = dup_attr(tb[SPLICER_RULE_A_PATH_PREFIX], false, &err);
	r->method = dup_attr(tb[SPLICER_RULE_A_METHOD], false, &err);
	r->header = dup_attr(tb[SPLICER_RULE_A_HEADER], false, &err);
	r->hvalue = dup_attr(tb[SPLICER_RULE_A_HEADER_VALUE], false, &err);
	r->redirect = dup_attr(tb[SPLICER_RULE_A_REDIRECT], false, &err);
	if (err)
		goto bad;
	if (tb[SPLICER_RULE_A_SRC_FAMILY]) {
		u16 fam = nla_get_u16(tb[SPLICER_RULE_A_SRC_FAMILY]);
		struct nlattr *a = tb[SPLICER_RULE_A_SRC_ADDR];
		u8 prefix = tb[SPLICER_RULE_A_SRC_PREFIX] ?
			    nla_get_u8(tb[SPLICER_RULE_A_SRC_PREFIX]) : (fam == AF_INET ? 32 : 128);

		err = -EINVAL;
		if ((fam != AF_INET && fam != AF_INET6) || !a ||
		    nla_len(a) != (fam == AF_INET ? 4 : 16) ||
		    prefix > (fam == AF_INET ? 32 : 128)) {
			reject(extack, a ?: tb[SPLICER_RULE_A_SRC_FAMILY],
			       SPL_MSG("SRC_ADDR: 4 bytes for AF_INET, 16 for AF_INET6, PREFIX within"));
			goto bad;
		}
		r->src.ss_family = fam;
		if (fam == AF_INET)
			memcpy(&((struct sockaddr_in *)&r->src)->sin_addr, nla_data(a), 4);
		else
			memcpy(&((struct sockaddr_in6 *)&r->src)->sin6_addr, nla_data(a), 16);
		r->src_prefix = prefix;
		err = 0;
	}
	if (tb[SPLICER_RULE_A_POOL]) {
		struct spl_pool *pool;

		list_for_each_entry(pool, &sn->pools, node)
			if (!strcmp(pool->name, nla_data(tb[SPLICER_RULE_A_POOL])))
				break;
		if (list_entry_is_head(pool, &sn->pools, node)) {
			reject(extack, tb[SPLICER_RULE_A_POOL], SPL_MSG("POOL: no such pool"));
			err = -ENOENT;
			goto bad;
		}
		r->action = SPL_RULE_POOL;
		r->pool = pool;
	} else if (r->redirect) {
		r->action = SPL_RULE_REDIRECT;
		r->status = tb[SPLICER_RULE_A_STATUS] ? nla_get_u16(tb[SPLICER_RULE_A_STATUS]) : 302;
	} else {
		r->action = SPL_RULE_STATUS;
		r->status = nla_get_u16(tb[SPLICER_RULE_A_STATUS]);
	}
	*out = r;
	return 0;
bad:
	spl_rule_free(r);
	return err;
}

static void rule_free_rcu(struct rcu_head *head)
{
	spl_rule_free(container_of(head, struct spl_rule, rcu));
}

static void ruleset_free_rcu(struct rcu_head *head)
{
	kvfree(container_of(head, struct spl_ruleset, rcu));
}

/* spl_net.lock held: @svc's rules become @rs; the old array goes after RCU. */
static void rules_replace(struct spl_service *svc, struct spl_ruleset *rs)
{
	struct spl_ruleset *old;

	old = rcu_replace_pointer(svc->rules, rs, lockdep_is_held(&svc->sn->lock));
	if (old)
		call_rcu(&old->rcu, ruleset_free_rcu);
}

int spl_nl_rule_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SPLICER_RULE_A_MAX + 1];
	struct spl_net *sn = spl_net(genl_info_net(info));
	const struct spl_ruleset *old;
	struct spl_ruleset *rs;
	struct spl_service *svc;
	struct spl_rule *r;
	u32 pos = U32_MAX;
	int err;

	err = parse_rule(info, tb);
	if (err)
		return err;
	if (tb[SPLICER_RULE_A_POSITION])
		pos = nla_get_u32(tb[SPLICER_RULE_A_POSITION]);
	mutex_lock(&sn->lock);
	err = -ENOENT;
	svc = spl_service_find(sn, nla_data(tb[SPLICER_RULE_A_SERVICE]));
	if (!svc) {
		reject(info->extack, tb[SPLICER_RULE_A_SERVICE], SPL_MSG("SERVICE: no such service"));
		goto out;
	}
	old = rcu_dereference_protected(svc->rules, lockdep_is_held(&sn->lock));
	err = -ENOSPC;
	if (old && old->n >= SPL_RULES_MAX) {
		reject(info->extack, NULL, SPL_MSG("RULE: the service has 4096 rules already"));
		goto out;
	}
	err = build_rule(info, tb, sn, &r);
	if (err)
		goto out;
	rs = spl_ruleset_insert(old, r, pos);
	if (!rs) {
		spl_rule_free(r);
		err = -ENOMEM;
		goto out;
	}
	if (r->pool)
		r->pool->users++;
	rules_replace(svc, rs);
	spl_net_changed(sn);
	err = 0;
out:
	mutex_unlock(&sn->lock);
	return err;
}

int spl_nl_rule_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SPLICER_RULE_A_MAX + 1];
	struct spl_net *sn = spl_net(genl_info_net(info));
	const struct spl_ruleset *old;
	struct spl_ruleset *rs;
	struct spl_service *svc;
	struct spl_rule *r;
	u32 pos;
	int err;

	err = parse_rule(info, tb);
	if (err)
		return err;
	if (!tb[SPLICER_RULE_A_POSITION]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[SPLICER_A_RULE],
				     SPLICER_RULE_A_POSITION);
		set_msg(info->extack, SPL_MSG("missing POSITION"));
		return -EINVAL;
	}
	pos = nla_get_u32(tb[SPLICER_RULE_A_POSITION]);
	mutex_lock(&sn->lock);
	err = -ENOENT;
	svc = spl_service_find(sn, nla_data(tb[SPLICER_RULE_A_SERVICE]));
	if (!svc) {
		reject(info->extack, tb[SPLICER_RULE_A_SERVICE], SPL_MSG("SERVICE: no such service"));
		goto out;
	}
	old = rcu_dereference_protected(svc->rules, lockdep_is_held(&sn->lock));
	if (!old || pos >= old->n) {
		reject(info->extack, tb[SPLICER_RULE_A_POSITION],
		       SPL_MSG("POSITION: no rule there"));
		goto out;
	}
	err = -ENOMEM;
	r = old->r[pos];
	rs = old->n > 1 ? spl_ruleset_remove(old, pos) : NULL;
	if (old->n > 1 && !rs)
		goto out;
	rules_replace(svc, rs);
	if (r->pool)
		r->pool->users--;
	call_rcu(&r->rcu, rule_free_rcu);
	spl_net_changed(sn);
	err = 0;
out:
	mutex_unlock(&sn->lock);
	return err;
}

void spl_rules_destroy(struct spl_service *svc)
{
	struct spl_ruleset *rs;
	u32 i;

	rs = rcu_replace_pointer(svc->rules, NULL, lockdep_is_held(&svc->sn->lock));
	if (!rs)
		return;
	for (i = 0; i < rs->n; i++) {
		if (rs->r[i]->pool)
			rs->r[i]->pool->users--;
		call_rcu(&rs->r[i]->rcu, rule_free_rcu);
	}
	call_rcu(&rs->rcu, ruleset_free_rcu);
}

static int fill_rule(struct sk_buff *skb, struct netlink_callback *cb,
		     const char *service, u32 pos, const struct spl_rule *r)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &spl_genl_family, NLM_F_MULTI, SPLICER_CMD_RULE_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, SPLICER_A_RULE);
	if (!nest ||
	    nla_put_string(skb, SPLICER_RULE_A_SERVICE, service) ||
	    nla_put_u32(skb, SPLICER_RULE_A_POSITION, pos) ||
	    (r->host && nla_put_string(skb, SPLICER_RULE_A_HOST, r->host)) ||
	    (r->path && nla_put_string(skb, SPLICER_RULE_A_PATH, r->path)) ||
	    (r->prefix && nla_put_string(skb, SPLICER_RULE_A_PATH_PREFIX, r->prefix)) ||
	    (r->method && nla_put_string(skb, SPLICER_RULE_A_METHOD, r->method)) ||
	    (r->header && nla_put_string(skb, SPLICER_RULE_A_HEADER, r->header)) ||
	    (r->hvalue && nla_put_string(skb, SPLICER_RULE_A_HEADER_VALUE, r->hvalue)) ||
	    (r->pool && nla_put_string(skb, SPLICER_RULE_A_POOL, r->pool->name)) ||
	    (r->redirect && nla_put_string(skb, SPLICER_RULE_A_REDIRECT, r->redirect)) ||
	    (r->action != SPL_RULE_POOL && nla_put_u16(skb, SPLICER_RULE_A_STATUS, r->status)) ||
	    nla_put_u64_64bit(skb, SPLICER_RULE_A_HITS, atomic64_read(&r->hits),
			      SPLICER_RULE_A_PAD))
		goto cancel;
	if (r->src.ss_family == AF_INET &&
	    (nla_put_u16(skb, SPLICER_RULE_A_SRC_FAMILY, AF_INET) ||
	     nla_put(skb, SPLICER_RULE_A_SRC_ADDR, 4,
		     &((const struct sockaddr_in *)&r->src)->sin_addr) ||
	     nla_put_u8(skb, SPLICER_RULE_A_SRC_PREFIX, r->src_prefix)))
		goto cancel;
	if (r->src.ss_family == AF_INET6 &&
	    (nla_put_u16(skb, SPLICER_RULE_A_SRC_FAMILY, AF_INET6) ||
	     nla_put(skb, SPLICER_RULE_A_SRC_ADDR, 16,
		     &((const struct sockaddr_in6 *)&r->src)->sin6_addr) ||
	     nla_put_u8(skb, SPLICER_RULE_A_SRC_PREFIX, r->src_prefix)))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int spl_nl_rule_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct spl_net *sn = spl_net(sock_net(skb->sk));
	struct nlattr *tb[SPLICER_RULE_A_MAX + 1];
	const struct spl_ruleset *rs;
	struct spl_service *svc;
	u32 i;

	if (!info->attrs[SPLICER_A_RULE] ||
	    nla_parse_nested(tb, SPLICER_RULE_A_MAX, info->attrs[SPLICER_A_RULE],
			     spl_rule_policy, cb->extack) ||
	    !tb[SPLICER_RULE_A_SERVICE]) {
		set_msg(cb->extack, SPL_MSG("a rule dump needs RULE with SERVICE"));
		return -EINVAL;
	}
	mutex_lock(&sn->lock);
	svc = spl_service_find(sn, nla_data(tb[SPLICER_RULE_A_SERVICE]));
	if (!svc) {
		mutex_unlock(&sn->lock);
		reject(cb->extack, tb[SPLICER_RULE_A_SERVICE], SPL_MSG("SERVICE: no such service"));
		return -ENOENT;
	}
	cb->seq = sn->gen;
	rs = rcu_dereference_protected(svc->rules, lockdep_is_held(&sn->lock));
	for (i = cb->args[0]; rs && i < rs->n; i++) {
		if (fill_rule(skb, cb, svc->name, i, rs->r[i]))
			break;
		cb->args[0] = i + 1;
	}
	mutex_unlock(&sn->lock);
	return skb->len;
}

u32 spl_rules_count(struct spl_service *svc)
{
	const struct spl_ruleset *rs;

	rs = rcu_dereference_protected(svc->rules, lockdep_is_held(&svc->sn->lock));
	return rs ? rs->n : 0;
}
