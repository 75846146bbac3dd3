/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the netlink handlers (netlink.c, nl_persist.c).
 */
#ifndef _SPL_NL_UTIL_H
#define _SPL_NL_UTIL_H

#include <net/genetlink.h>
#include <net/netlink.h>

extern struct genl_family spl_genl_family;

/*
 * Rejections: a static message (prefixed like NL_SET_ERR_MSG_MOD) and the
 * offending attribute. 6.1 has no formatted extack and a message must
 * outlive the request, so the message is text only and the attribute
 * offset, which splicerctl resolves, names the value.
 */
#define SPL_MSG(s)	KBUILD_MODNAME ": " s

/* NL_SET_ERR_MSG wants a literal; @msg is one, passed through a pointer. */
static inline void set_msg(struct netlink_ext_ack *extack, const char *msg)
{
	if (extack)
		extack->_msg = msg;
}

static inline void reject(struct netlink_ext_ack *extack, const struct nlattr *attr,
		   const char *msg)
{
	if (attr)
		NL_SET_BAD_ATTR(extack, attr);
	set_msg(extack, msg);
}

static inline int get_u32_range(struct genl_info *info, struct nlattr *a, u32 min,
			 u32 max, u32 *out, const char *msg)
{
	u32 v;

	if (!a)
		return 0;
	v = nla_get_u32(a);
	if (v < min || v > max) {
		reject(info->extack, a, msg);
		return -ERANGE;
	}
	*out = v;
	return 0;
}

#endif /* _SPL_NL_UTIL_H */
