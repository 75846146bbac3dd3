// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink for persistence: the SPLICER_SVC_A_PERSIST nest of a service and
 * the stick table commands (SPLICER_CMD_STICK_*).
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/string.h>
#include <net/sock.h>
#include "netns.h"
#include "nl_persist.h"
#include "nl_util.h"
#include "service.h"
#include "sysfs.h"

/* RFC 9110 tchar: cookie names, header names and parameter names alike. */
static bool is_tchar(char c)
{
	return isalnum(c) || strchr("!#$%&'*+-.^_`|~", c);
}

static int validate_token_name(const struct nlattr *attr,
			       struct netlink_ext_ack *extack)
{
	const char *s = nla_data(attr);
	int i, len = nla_len(attr);

	if (len < 2 || len > SPLICER_COOKIE_NAME_MAX || s[len - 1])
		goto bad;
	for (i = 0; i < len - 1; i++)
		if (!s[i] || !is_tchar(s[i]))
			goto bad;
	return 0;
bad:
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    KBUILD_MODNAME ": NAME: 1-63 token characters (RFC 9110) and a NUL");
	return -EINVAL;
}

const struct nla_policy spl_persist_policy[SPLICER_PERSIST_A_MAX + 1] = {
	[SPLICER_PERSIST_A_MODE] = NLA_POLICY_MAX(NLA_U8, SPLICER_PERSIST_MAX),
	[SPLICER_PERSIST_A_NAME] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_token_name),
	[SPLICER_PERSIST_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, SPLICER_PERSIST_F_ALL),
	/* u32 ranges wider than a policy's s16: checked in parse_mode() */
	[SPLICER_PERSIST_A_MAXIDLE] = { .type = NLA_U32 },
	[SPLICER_PERSIST_A_MAXLIFE] = { .type = NLA_U32 },
	[SPLICER_PERSIST_A_TIMEOUT] = { .type = NLA_U32 },
	[SPLICER_PERSIST_A_SIZE] = { .type = NLA_U32 },
	[SPLICER_PERSIST_A_MASK4] = NLA_POLICY_RANGE(NLA_U8, 1, 32),
	[SPLICER_PERSIST_A_MASK6] = NLA_POLICY_RANGE(NLA_U8, 1, 128),
	[SPLICER_PERSIST_A_HASH_KEY] = NLA_POLICY_MAX(NLA_U8, SPLICER_HASH_MAX),
	[SPLICER_PERSIST_A_KEY] = NLA_POLICY_EXACT_LEN(SPLICER_KEY_LEN),
	[SPLICER_PERSIST_A_KEY_ID] = { .type = NLA_REJECT },
	[SPLICER_PERSIST_A_KEYS] = { .type = NLA_REJECT },
	[SPLICER_PERSIST_A_ENTRIES] = { .type = NLA_REJECT },
};

static int validate_svc_name(const struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	const char *s = nla_data(attr);
	int len = nla_len(attr);

	if (len >= 2 && len <= SPLICER_NAME_MAX && !s[len - 1] &&
	    strlen(s) == len - 1)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    KBUILD_MODNAME ": names are 1-31 characters and a NUL");
	return -EINVAL;
}

const struct nla_policy spl_stick_policy[SPLICER_STICK_A_MAX + 1] = {
	[SPLICER_STICK_A_SERVICE] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_svc_name),
	[SPLICER_STICK_A_KIND] = NLA_POLICY_MAX(NLA_U8, SPLICER_STICK_MAX),
	[SPLICER_STICK_A_KEY] = { .type = NLA_BINARY, .len = SPLICER_STICK_KEY_MAX },
	[SPLICER_STICK_A_FAMILY] = { .type = NLA_U16 },
	[SPLICER_STICK_A_PREFIX] = NLA_POLICY_RANGE(NLA_U8, 1, 128),
	[SPLICER_STICK_A_SERVER] = NLA_POLICY_VALIDATE_FN(NLA_BINARY, validate_svc_name),
	[SPLICER_STICK_A_IDLE] = { .type = NLA_U32 },
};

/* ---- the PERSIST nest ---- */

static const char *default_name(u8 mode)
{
	switch (mode) {
	case SPLICER_PERSIST_COOKIE:
		return SPL_COOKIE_DEFAULT;
	case SPLICER_PERSIST_PREFIX:
	case SPLICER_PERSIST_LEARN:
		return SPL_SESSION_DEFAULT;
	}
	return "";
}

static bool uses_token(u8 mode)
{
	return mode == SPLICER_PERSIST_COOKIE || mode == SPLICER_PERSIST_PREFIX;
}

static bool uses_stick(u8 mode)
{
	return mode == SPLICER_PERSIST_LEARN || mode == SPLICER_PERSIST_SOURCE;
}

/* The options of a MODE: everything but the keys. */
static int parse_mode(struct genl_info *info, struct nlattr *nest,
		      struct nlattr **tb, struct spl_persist *p)
{
	struct netlink_ext_ack *extack = info->extack;
	u8 mode = nla_get_u8(tb[SPLICER_PERSIST_A_MODE]);
	int err;

	p->mode = mode;
	p->flags = 0;
	p->maxidle = 0;
	p->maxlife = 0;
	p->timeout = SPL_STICK_TIMEOUT_DEFAULT;
	p->size = SPL_STICK_SIZE_DEFAULT;
	p->mask4 = 32;
	p->mask6 = 64;
	p->hash_key = SPLICER_HASH_SOURCE;
	strscpy(p->name, default_name(mode), sizeof(p->name));

	if (tb[SPLICER_PERSIST_A_NAME])
		strscpy(p->name, nla_data(tb[SPLICER_PERSIST_A_NAME]), sizeof(p->name));
	if (tb[SPLICER_PERSIST_A_FLAGS])
		p->flags = nla_get_u32(tb[SPLICER_PERSIST_A_FLAGS]);
	if (tb[SPLICER_PERSIST_A_HASH_KEY])
		p->hash_key = nla_get_u8(tb[SPLICER_PERSIST_A_HASH_KEY]);
	err = get_u32_range(info, tb[SPLICER_PERSIST_A_MAXIDLE], 0, SPL_PERSIST_MAXTIME,
			    &p->maxidle, SPL_MSG("MAXIDLE: out of range 0 s - 10 years")) ?:
	      get_u32_range(info, tb[SPLICER_PERSIST_A_MAXLIFE], 0, SPL_PERSIST_MAXTIME,
			    &p->maxlife, SPL_MSG("MAXLIFE: out of range 0 s - 10 years")) ?:
	      get_u32_range(info, tb[SPLICER_PERSIST_A_TIMEOUT], 1, SPL_PERSIST_MAXTIME,
			    &p->timeout, SPL_MSG("TIMEOUT: out of range 1 s - 10 years")) ?:
	      get_u32_range(info, tb[SPLICER_PERSIST_A_SIZE], 1, SPL_STICK_SIZE_MAX,
			    &p->size, SPL_MSG("SIZE: out of range 1-4194304 entries"));
	if (err)
		return err;
	if (tb[SPLICER_PERSIST_A_MASK4])
		p->mask4 = nla_get_u8(tb[SPLICER_PERSIST_A_MASK4]);
	if (tb[SPLICER_PERSIST_A_MASK6])
		p->mask6 = nla_get_u8(tb[SPLICER_PERSIST_A_MASK6]);

	if ((p->flags & (SPLICER_PERSIST_F_INDIRECT | SPLICER_PERSIST_F_NOCACHE)) &&
	    mode != SPLICER_PERSIST_COOKIE) {
		reject(extack, tb[SPLICER_PERSIST_A_FLAGS],
		       SPL_MSG("FLAGS: indirect and nocache apply to MODE cookie only"));
		return -EINVAL;
	}
	if ((p->maxidle || p->maxlife) && !uses_token(mode)) {
		reject(extack, tb[SPLICER_PERSIST_A_MAXIDLE] ?: tb[SPLICER_PERSIST_A_MAXLIFE],
		       SPL_MSG("MAXIDLE/MAXLIFE: apply to MODE cookie and prefix only"));
		return -EINVAL;
	}
	if ((tb[SPLICER_PERSIST_A_TIMEOUT] || tb[SPLICER_PERSIST_A_SIZE]) &&
	    !uses_stick(mode)) {
		reject(extack, tb[SPLICER_PERSIST_A_TIMEOUT] ?: tb[SPLICER_PERSIST_A_SIZE],
		       SPL_MSG("TIMEOUT/SIZE: apply to MODE learn and source only"));
		return -EINVAL;
	}
	if (tb[SPLICER_PERSIST_A_HASH_KEY] && mode != SPLICER_PERSIST_HASH) {
		reject(extack, tb[SPLICER_PERSIST_A_HASH_KEY],
		       SPL_MSG("HASH_KEY: applies to MODE hash only"));
		return -EINVAL;
	}
	if (mode == SPLICER_PERSIST_HASH) {
		bool named = p->hash_key != SPLICER_HASH_SOURCE;

		if (named && !tb[SPLICER_PERSIST_A_NAME]) {
			NL_SET_ERR_ATTR_MISS(extack, nest, SPLICER_PERSIST_A_NAME);
			set_msg(extack, SPL_MSG("PERSIST: hashing a header, cookie or parameter needs NAME"));
			return -EINVAL;
		}
		if (!named && tb[SPLICER_PERSIST_A_NAME]) {
			reject(extack, tb[SPLICER_PERSIST_A_NAME],
			       SPL_MSG("NAME: hashing the source address takes no name"));
			return -EINVAL;
		}
	} else if (tb[SPLICER_PERSIST_A_NAME] &&
		   (mode == SPLICER_PERSIST_NONE || mode == SPLICER_PERSIST_SOURCE)) {
		reject(extack, tb[SPLICER_PERSIST_A_NAME],
		       SPL_MSG("NAME: this MODE takes no name"));
		return -EINVAL;
	}
	return 0;
}

int spl_nl_persist_parse(struct genl_info *info, struct nlattr *nest,
			 const struct spl_persist *base, struct spl_persist **out)
{
	struct nlattr *tb[SPLICER_PERSIST_A_MAX + 1];
	struct spl_persist *p;
	int err, i;

	*out = NULL;
	if (!nest)
		return 0;
	err = nla_parse_nested(tb, SPLICER_PERSIST_A_MAX, nest, spl_persist_policy,
			       info->extack);
	if (err)
		return err;
	if (!tb[SPLICER_PERSIST_A_MODE]) {
		for (i = SPLICER_PERSIST_A_NAME; i <= SPLICER_PERSIST_A_HASH_KEY; i++) {
			if (tb[i]) {
				reject(info->extack, tb[i],
				       SPL_MSG("PERSIST: options need MODE (a MODE replaces the whole configuration)"));
				return -EINVAL;
			}
		}
		if (!tb[SPLICER_PERSIST_A_KEY]) {
			reject(info->extack, nest, SPL_MSG("PERSIST: neither MODE nor KEY"));
			return -EINVAL;
		}
	}
	p = kmemdup(base, sizeof(*base), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	if (tb[SPLICER_PERSIST_A_MODE]) {
		err = parse_mode(info, nest, tb, p);
		if (err) {
			spl_persist_free(p);
			return err;
		}
	}
	if (tb[SPLICER_PERSIST_A_KEY]) {
		siphash_key_t key;

		memcpy(&key, nla_data(tb[SPLICER_PERSIST_A_KEY]), sizeof(key));
		if (memcmp(&key, &p->keys.key[0], sizeof(key))) {
			/* rotation: the signing key retires to second place */
			p->keys.key[1] = p->keys.key[0];
			p->keys.key[0] = key;
			p->keys.n = 2;
		}
		memzero_explicit(&key, sizeof(key));
	}
	*out = p;
	return 0;
}

/* Evictions by configuration or import count like the data path's. */
static void count_evictions(struct spl_service *svc, int n)
{
	spl_stats_add(&svc->stats, SPLICER_CNT_STICK_EVICTIONS, n);
	spl_stats_add(&svc->sn->stats, SPLICER_CNT_STICK_EVICTIONS, n);
	spl_stats_add(&spl_global_stats, SPLICER_CNT_STICK_EVICTIONS, n);
}

int spl_nl_persist_apply(struct spl_service *svc, struct spl_persist *p)
{
	struct spl_persist *old;
	int err;

	lockdep_assert_held(&svc->sn->lock);
	old = rcu_dereference_protected(svc->persist, lockdep_is_held(&svc->sn->lock));
	if (uses_stick(p->mode)) {
		err = spl_stick_config(svc->stick, p->size, p->timeout, spl_stick_now());
		if (err < 0) {
			spl_persist_free(p);
			return err;
		}
		if (err > 0)
			count_evictions(svc, err);
	}
	/* entries of another kind, or other masks, would never match again */
	if (p->mode != old->mode || p->mask4 != old->mask4 || p->mask6 != old->mask6)
		spl_stick_flush(svc->stick);
	rcu_assign_pointer(svc->persist, p);
	spl_persist_free_rcu(old);
	return 0;
}

int spl_nl_persist_fill(struct sk_buff *msg, struct spl_service *svc)
{
	const struct spl_persist *p;
	struct nlattr *nest;

	p = rcu_dereference_protected(svc->persist, lockdep_is_held(&svc->sn->lock));
	nest = nla_nest_start(msg, SPLICER_SVC_A_PERSIST);
	if (!nest ||
	    nla_put_u8(msg, SPLICER_PERSIST_A_MODE, p->mode) ||
	    (p->name[0] && nla_put_string(msg, SPLICER_PERSIST_A_NAME, p->name)) ||
	    nla_put_u32(msg, SPLICER_PERSIST_A_FLAGS, p->flags) ||
	    nla_put_u32(msg, SPLICER_PERSIST_A_MAXIDLE, p->maxidle) ||
	    nla_put_u32(msg, SPLICER_PERSIST_A_MAXLIFE, p->maxlife) ||
	    nla_put_u32(msg, SPLICER_PERSIST_A_TIMEOUT, p->timeout) ||
	    nla_put_u32(msg, SPLICER_PERSIST_A_SIZE, p->size) ||
	    nla_put_u8(msg, SPLICER_PERSIST_A_MASK4, p->mask4) ||
	    nla_put_u8(msg, SPLICER_PERSIST_A_MASK6, p->mask6) ||
	    nla_put_u8(msg, SPLICER_PERSIST_A_HASH_KEY, p->hash_key) ||
	    nla_put_u32(msg, SPLICER_PERSIST_A_KEY_ID, spl_key_id(&p->keys.key[0])) ||
	    nla_put_u8(msg, SPLICER_PERSIST_A_KEYS, p->keys.n) ||
	    nla_put_u32(msg, SPLICER_PERSIST_A_ENTRIES,
			spl_stick_count(svc->stick, spl_stick_now())))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* ---- stick tables ---- */

static int stick_parse(struct nlattr **attrs,
		       struct nlattr **tb, struct netlink_ext_ack *extack)
{
	int err;

	if (!attrs[SPLICER_A_STICK]) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, SPLICER_A_STICK);
		set_msg(extack, SPL_MSG("missing the STICK nest"));
		return -EINVAL;
	}
	err = nla_parse_nested(tb, SPLICER_STICK_A_MAX, attrs[SPLICER_A_STICK],
			       spl_stick_policy, extack);
	if (err)
		return err;
	if (!tb[SPLICER_STICK_A_SERVICE]) {
		NL_SET_ERR_ATTR_MISS(extack, attrs[SPLICER_A_STICK], SPLICER_STICK_A_SERVICE);
		set_msg(extack, SPL_MSG("missing SERVICE"));
		return -EINVAL;
	}
	return 0;
}

static struct spl_service *stick_service(struct spl_net *sn, struct nlattr **tb,
					 struct netlink_ext_ack *extack)
{
	struct spl_service *svc = spl_service_find(sn, nla_data(tb[SPLICER_STICK_A_SERVICE]));

	if (!svc)
		reject(extack, tb[SPLICER_STICK_A_SERVICE], SPL_MSG("SERVICE: no such service"));
	return svc;
}

int spl_nl_stick_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SPLICER_STICK_A_MAX + 1];
	struct spl_net *sn = spl_net(genl_info_net(info));
	struct spl_service *svc;
	int err;

	err = stick_parse(info->attrs, tb, info->extack);
	if (err)
		return err;
	mutex_lock(&sn->lock);
	svc = stick_service(sn, tb, info->extack);
	if (svc)
		spl_stick_flush(svc->stick);
	mutex_unlock(&sn->lock);
	return svc ? 0 : -ENOENT;
}

/* The key of a STICK_NEW, checked against the service's configuration. */
static int stick_key(struct genl_info *info, struct nlattr **tb,
		     const struct spl_persist *p, struct spl_stick_key *k)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *ka = tb[SPLICER_STICK_A_KEY];
	u8 kind = nla_get_u8(tb[SPLICER_STICK_A_KIND]);
	const u8 *d = nla_data(ka);
	int len = nla_len(ka), i;
	u16 family;

	if ((kind == SPLICER_STICK_SESSION && p->mode != SPLICER_PERSIST_LEARN) ||
	    (kind == SPLICER_STICK_SOURCE && p->mode != SPLICER_PERSIST_SOURCE)) {
		reject(extack, tb[SPLICER_STICK_A_KIND],
		       SPL_MSG("KIND: the service does not persist by this kind (session: learn, source: source)"));
		return -EINVAL;
	}
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	if (kind == SPLICER_STICK_SESSION) {
		for (i = 0; i < len; i++) {
			if (d[i] <= 0x20 || d[i] >= 0x7f) {
				reject(extack, ka, SPL_MSG("KEY: a session id is printable ASCII without spaces"));
				return -EINVAL;
			}
		}
		if (!len) {
			reject(extack, ka, SPL_MSG("KEY: empty"));
			return -EINVAL;
		}
		k->len = len;
		memcpy(k->data, d, len);
		return 0;
	}
	if (!tb[SPLICER_STICK_A_FAMILY] || !tb[SPLICER_STICK_A_PREFIX]) {
		NL_SET_ERR_ATTR_MISS(extack, info->attrs[SPLICER_A_STICK],
				     tb[SPLICER_STICK_A_FAMILY] ? SPLICER_STICK_A_PREFIX :
								  SPLICER_STICK_A_FAMILY);
		set_msg(extack, SPL_MSG("source entries need FAMILY and PREFIX"));
		return -EINVAL;
	}
	family = nla_get_u16(tb[SPLICER_STICK_A_FAMILY]);
	if ((family != AF_INET && family != AF_INET6) ||
	    len != (family == AF_INET ? 4 : 16)) {
		reject(extack, ka, SPL_MSG("KEY: 4 address bytes for AF_INET, 16 for AF_INET6"));
		return -EINVAL;
	}
	k->family = family;
	k->prefix = nla_get_u8(tb[SPLICER_STICK_A_PREFIX]);
	if (k->prefix != (family == AF_INET ? p->mask4 : p->mask6)) {
		reject(extack, tb[SPLICER_STICK_A_PREFIX],
		       SPL_MSG("PREFIX: not the service's mask for this family"));
		return -EINVAL;
	}
	k->len = len;
	memcpy(k->data, d, len);
	for (i = 0; i < len; i++) {
		int keep = clamp_t(int, k->prefix - 8 * i, 0, 8);

		if (d[i] & (u8)~(0xff00 >> keep)) {
			reject(extack, ka, SPL_MSG("KEY: bits set beyond PREFIX"));
			return -EINVAL;
		}
	}
	return 0;
}

int spl_nl_stick_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[SPLICER_STICK_A_MAX + 1];
	struct spl_net *sn = spl_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	const struct spl_persist *p;
	struct spl_stick_val val;
	struct spl_stick_key key;
	struct spl_service *svc;
	struct spl_server *srv;
	struct spl_pool *pool;
	int err;

	err = stick_parse(info->attrs, tb, extack);
	if (err)
		return err;
	if (!tb[SPLICER_STICK_A_KIND] || !tb[SPLICER_STICK_A_KEY] ||
	    !tb[SPLICER_STICK_A_SERVER]) {
		NL_SET_ERR_ATTR_MISS(extack, info->attrs[SPLICER_A_STICK],
				     !tb[SPLICER_STICK_A_KIND] ? SPLICER_STICK_A_KIND :
				     !tb[SPLICER_STICK_A_KEY] ? SPLICER_STICK_A_KEY :
								SPLICER_STICK_A_SERVER);
		set_msg(extack, SPL_MSG("an entry needs KIND, KEY and SERVER"));
		return -EINVAL;
	}
	mutex_lock(&sn->lock);
	err = -ENOENT;
	svc = stick_service(sn, tb, extack);
	if (!svc)
		goto out;
	p = rcu_dereference_protected(svc->persist, lockdep_is_held(&sn->lock));
	err = stick_key(info, tb, p, &key);
	if (err)
		goto out;
	pool = rcu_dereference_protected(svc->pool, lockdep_is_held(&sn->lock));
	srv = spl_server_find(pool, nla_data(tb[SPLICER_STICK_A_SERVER]));
	if (!srv) {
		reject(extack, tb[SPLICER_STICK_A_SERVER],
		       SPL_MSG("SERVER: no server of that name in the service's pool"));
		err = -ENOENT;
		goto out;
	}
	val.srv_id = srv->id;
	strscpy(val.srv, srv->name, sizeof(val.srv));
	err = spl_stick_store(svc->stick, &key, &val, spl_stick_now(),
			      tb[SPLICER_STICK_A_IDLE] ?
			      nla_get_u32(tb[SPLICER_STICK_A_IDLE]) : 0);
	if (err > 0) {
		count_evictions(svc, err);
		err = 0;
	}
out:
	mutex_unlock(&sn->lock);
	return err;
}

struct stick_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	const char *service;
};

static int stick_fill(void *arg, const struct spl_stick_key *key,
		      const struct spl_stick_val *val, u32 idle)
{
	struct stick_dump *sd = arg;
	struct sk_buff *skb = sd->skb;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(sd->cb->skb).portid, sd->cb->nlh->nlmsg_seq,
			  &spl_genl_family, NLM_F_MULTI, SPLICER_CMD_STICK_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, SPLICER_A_STICK);
	if (!nest ||
	    nla_put_string(skb, SPLICER_STICK_A_SERVICE, sd->service) ||
	    nla_put_u8(skb, SPLICER_STICK_A_KIND, key->kind) ||
	    nla_put(skb, SPLICER_STICK_A_KEY, key->len, key->data) ||
	    (key->kind == SPLICER_STICK_SOURCE &&
	     (nla_put_u16(skb, SPLICER_STICK_A_FAMILY, key->family) ||
	      nla_put_u8(skb, SPLICER_STICK_A_PREFIX, key->prefix))) ||
	    nla_put_string(skb, SPLICER_STICK_A_SERVER, val->srv) ||
	    nla_put_u32(skb, SPLICER_STICK_A_IDLE, idle)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

int spl_nl_stick_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct spl_net *sn = spl_net(sock_net(skb->sk));
	struct nlattr *tb[SPLICER_STICK_A_MAX + 1];
	struct stick_dump sd = { .skb = skb, .cb = cb };
	struct spl_service *svc;
	int err;

	err = stick_parse(info->attrs, tb, cb->extack);
	if (err)
		return err;
	mutex_lock(&sn->lock);
	svc = stick_service(sn, tb, cb->extack);
	if (!svc) {
		mutex_unlock(&sn->lock);
		return -ENOENT;
	}
	sd.service = svc->name;
	cb->args[0] += spl_stick_walk(svc->stick, spl_stick_now(), cb->args[0],
				      stick_fill, &sd);
	mutex_unlock(&sn->lock);
	return skb->len;
}
