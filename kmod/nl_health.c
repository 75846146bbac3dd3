// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink for health checking: the HEALTH nest of a pool, and what a
 * server's checks say.
 */
#include <linux/string.h>
#include "netns.h"
#include "nl_health.h"
#include "nl_util.h"
#include "pool.h"

/* Printable ASCII without spaces: a method, a target, a Host value. */
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

/* Printable ASCII (spaces allowed): an expected body substring. */
static int validate_text(const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	const char *s = nla_data(attr);
	int i, len = nla_len(attr);

	if (len < 2 || s[len - 1])
		goto bad;
	for (i = 0; i < len - 1; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f)
			goto bad;
	return 0;
bad:
	NL_SET_ERR_MSG_ATTR(extack, attr, KBUILD_MODNAME ": printable ASCII and a NUL");
	return -EINVAL;
}

const struct nla_policy spl_health_policy[SPLICER_HEALTH_A_MAX + 1] = {
	[SPLICER_HEALTH_A_TYPE] = NLA_POLICY_MAX(NLA_U8, SPLICER_HEALTH_MAX),
	[SPLICER_HEALTH_A_INTERVAL] = { .type = NLA_U32 },
	[SPLICER_HEALTH_A_FASTINTER] = { .type = NLA_U32 },
	[SPLICER_HEALTH_A_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_HEALTH_A_RISE] = NLA_POLICY_RANGE(NLA_U32, 1, SPL_HEALTH_COUNT_MAX),
	[SPLICER_HEALTH_A_FALL] = NLA_POLICY_RANGE(NLA_U32, 1, SPL_HEALTH_COUNT_MAX),
	[SPLICER_HEALTH_A_PORT] = { .type = NLA_U16 },
	[SPLICER_HEALTH_A_METHOD] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_word, 24),
	[SPLICER_HEALTH_A_PATH] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_word, 256),
	[SPLICER_HEALTH_A_HOST] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_word, 128),
	[SPLICER_HEALTH_A_EXPECT] = { .type = NLA_BINARY,
				      .len = SPLICER_EXPECT_MAX * sizeof(struct splicer_status_range) },
	[SPLICER_HEALTH_A_BODY] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_text, 64),
	[SPLICER_HEALTH_A_PASSIVE_ERRORS] = NLA_POLICY_MAX(NLA_U32, 10000),
	[SPLICER_HEALTH_A_PASSIVE_WINDOW] = { .type = NLA_U32 },
	[SPLICER_HEALTH_A_PASSIVE_STATUS] = NLA_POLICY_MASK(NLA_U32, 0x30),	/* 4xx, 5xx */
};

static int parse_expect(struct genl_info *info, struct nlattr *a,
			struct spl_health_cfg *cfg)
{
	const struct splicer_status_range *r = nla_data(a);
	int n = nla_len(a) / sizeof(*r), i;

	if (!n || nla_len(a) % sizeof(*r)) {
		reject(info->extack, a, SPL_MSG("EXPECT: 1-8 ranges of two u16 (lo, hi)"));
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (r[i].lo < 100 || r[i].hi > 599 || r[i].lo > r[i].hi) {
			reject(info->extack, a,
			       SPL_MSG("EXPECT: each range within 100-599, lo <= hi"));
			return -EINVAL;
		}
		cfg->expect[i] = r[i];
	}
	cfg->nexpect = n;
	return 0;
}

int spl_nl_health_parse(struct genl_info *info, struct nlattr *nest,
			struct spl_health_cfg **out)
{
	struct nlattr *tb[SPLICER_HEALTH_A_MAX + 1];
	struct spl_health_cfg *cfg;
	bool http;
	int err;

	*out = NULL;
	if (!nest)
		return 0;
	err = nla_parse_nested(tb, SPLICER_HEALTH_A_MAX, nest, spl_health_policy,
			       info->extack);
	if (err)
		return err;
	if (!tb[SPLICER_HEALTH_A_TYPE]) {
		NL_SET_ERR_ATTR_MISS(info->extack, nest, SPLICER_HEALTH_A_TYPE);
		set_msg(info->extack, SPL_MSG("HEALTH: missing TYPE (a nest replaces the whole configuration)"));
		return -EINVAL;
	}
	cfg = spl_health_cfg_new();
	if (!cfg)
		return -ENOMEM;
	cfg->type = nla_get_u8(tb[SPLICER_HEALTH_A_TYPE]);
	http = cfg->type == SPLICER_HEALTH_HTTP;
	err = get_u32_range(info, tb[SPLICER_HEALTH_A_INTERVAL], 100, SPL_HEALTH_MS_MAX,
			    &cfg->interval, SPL_MSG("INTERVAL: out of range 100 ms - 1 h"));
	if (err)
		goto bad;
	cfg->fastinter = max_t(u32, cfg->interval / 4, 100);
	cfg->timeout = min(cfg->timeout, cfg->interval);	/* a default fits */
	err = get_u32_range(info, tb[SPLICER_HEALTH_A_FASTINTER], 100, SPL_HEALTH_MS_MAX,
			    &cfg->fastinter, SPL_MSG("FASTINTER: out of range 100 ms - 1 h")) ?:
	      get_u32_range(info, tb[SPLICER_HEALTH_A_TIMEOUT], SPL_HEALTH_MS_MIN, 60000,
			    &cfg->timeout, SPL_MSG("TIMEOUT: out of range 10 ms - 60 s")) ?:
	      get_u32_range(info, tb[SPLICER_HEALTH_A_PASSIVE_WINDOW], 100, SPL_HEALTH_MS_MAX,
			    &cfg->passive_window, SPL_MSG("PASSIVE_WINDOW: out of range 100 ms - 1 h"));
	if (err)
		goto bad;
	if (tb[SPLICER_HEALTH_A_RISE])
		cfg->rise = nla_get_u32(tb[SPLICER_HEALTH_A_RISE]);
	if (tb[SPLICER_HEALTH_A_FALL])
		cfg->fall = nla_get_u32(tb[SPLICER_HEALTH_A_FALL]);
	if (tb[SPLICER_HEALTH_A_PORT])
		cfg->port = nla_get_u16(tb[SPLICER_HEALTH_A_PORT]);
	if (tb[SPLICER_HEALTH_A_PASSIVE_ERRORS])
		cfg->passive_errors = nla_get_u32(tb[SPLICER_HEALTH_A_PASSIVE_ERRORS]);
	if (tb[SPLICER_HEALTH_A_PASSIVE_STATUS])
		cfg->passive_status = nla_get_u32(tb[SPLICER_HEALTH_A_PASSIVE_STATUS]);
	if (!http) {
		int i;

		for (i = SPLICER_HEALTH_A_METHOD; i <= SPLICER_HEALTH_A_BODY; i++) {
			if (tb[i]) {
				reject(info->extack, tb[i],
				       SPL_MSG("METHOD, PATH, HOST, EXPECT and BODY apply to TYPE http only"));
				err = -EINVAL;
				goto bad;
			}
		}
	}
	if (tb[SPLICER_HEALTH_A_METHOD])
		nla_strscpy(cfg->method, tb[SPLICER_HEALTH_A_METHOD], sizeof(cfg->method));
	if (tb[SPLICER_HEALTH_A_PATH]) {
		nla_strscpy(cfg->path, tb[SPLICER_HEALTH_A_PATH], sizeof(cfg->path));
		if (cfg->path[0] != '/') {
			reject(info->extack, tb[SPLICER_HEALTH_A_PATH],
			       SPL_MSG("PATH: must start with /"));
			err = -EINVAL;
			goto bad;
		}
	}
	if (tb[SPLICER_HEALTH_A_HOST])
		nla_strscpy(cfg->host, tb[SPLICER_HEALTH_A_HOST], sizeof(cfg->host));
	if (tb[SPLICER_HEALTH_A_BODY])
		nla_strscpy(cfg->body, tb[SPLICER_HEALTH_A_BODY], sizeof(cfg->body));
	if (tb[SPLICER_HEALTH_A_EXPECT]) {
		err = parse_expect(info, tb[SPLICER_HEALTH_A_EXPECT], cfg);
		if (err)
			goto bad;
	}
	if (cfg->timeout > cfg->interval) {
		reject(info->extack, tb[SPLICER_HEALTH_A_TIMEOUT] ?: tb[SPLICER_HEALTH_A_INTERVAL],
		       SPL_MSG("TIMEOUT: longer than INTERVAL"));
		err = -EINVAL;
		goto bad;
	}
	*out = cfg;
	return 0;
bad:
	kfree(cfg);
	return err;
}

void spl_nl_health_apply(struct spl_pool *pool, struct spl_health_cfg *cfg)
{
	struct spl_health_cfg *old;
	struct spl_server *srv;

	old = rcu_replace_pointer(pool->health, cfg, lockdep_is_held(&pool->sn->lock));
	list_for_each_entry(srv, &pool->servers, node)
		spl_health_update(srv);
	spl_health_cfg_free_rcu(old);
	spl_pool_changed(pool);
}

int spl_nl_health_fill(struct sk_buff *msg, struct spl_pool *pool)
{
	const struct spl_health_cfg *c;
	struct nlattr *nest;

	c = rcu_dereference_protected(pool->health, lockdep_is_held(&pool->sn->lock));
	nest = nla_nest_start(msg, SPLICER_POOL_A_HEALTH);
	if (!nest ||
	    nla_put_u8(msg, SPLICER_HEALTH_A_TYPE, c->type) ||
	    nla_put_u32(msg, SPLICER_HEALTH_A_INTERVAL, c->interval) ||
	    nla_put_u32(msg, SPLICER_HEALTH_A_FASTINTER, c->fastinter) ||
	    nla_put_u32(msg, SPLICER_HEALTH_A_TIMEOUT, c->timeout) ||
	    nla_put_u32(msg, SPLICER_HEALTH_A_RISE, c->rise) ||
	    nla_put_u32(msg, SPLICER_HEALTH_A_FALL, c->fall) ||
	    nla_put_u16(msg, SPLICER_HEALTH_A_PORT, c->port) ||
	    nla_put_u32(msg, SPLICER_HEALTH_A_PASSIVE_ERRORS, c->passive_errors) ||
	    nla_put_u32(msg, SPLICER_HEALTH_A_PASSIVE_WINDOW, c->passive_window) ||
	    nla_put_u32(msg, SPLICER_HEALTH_A_PASSIVE_STATUS, c->passive_status))
		return -EMSGSIZE;
	if (c->type == SPLICER_HEALTH_HTTP &&
	    (nla_put_string(msg, SPLICER_HEALTH_A_METHOD, c->method) ||
	     nla_put_string(msg, SPLICER_HEALTH_A_PATH, c->path) ||
	     (c->host[0] && nla_put_string(msg, SPLICER_HEALTH_A_HOST, c->host)) ||
	     nla_put(msg, SPLICER_HEALTH_A_EXPECT, c->nexpect * sizeof(c->expect[0]),
		     c->expect) ||
	     (c->body[0] && nla_put_string(msg, SPLICER_HEALTH_A_BODY, c->body))))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int spl_nl_health_fill_server(struct sk_buff *msg, struct spl_server *srv)
{
	struct spl_health_view v;

	spl_health_view(srv, &v);
	return nla_put_u8(msg, SPLICER_SRV_A_HEALTH, v.state) ||
	       nla_put_string(msg, SPLICER_SRV_A_CHECK_RESULT, v.result) ||
	       nla_put_u32(msg, SPLICER_SRV_A_CHECK_LATENCY, v.latency_us) ||
	       nla_put_u32(msg, SPLICER_SRV_A_CHECK_FAILS, v.fails) ||
	       nla_put_u64_64bit(msg, SPLICER_SRV_A_CHECKS, v.checks, SPLICER_SRV_A_PAD) ||
	       nla_put_u64_64bit(msg, SPLICER_SRV_A_CHECKS_FAILED, v.checks_failed,
				 SPLICER_SRV_A_PAD) ||
	       nla_put_u64_64bit(msg, SPLICER_SRV_A_PASSIVE_ERRORS, v.passive_total,
				 SPLICER_SRV_A_PAD) ||
	       nla_put_u32(msg, SPLICER_SRV_A_DOWNS, v.downs) ? -EMSGSIZE : 0;
}
