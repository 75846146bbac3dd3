/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version shims, in one place. Feature tests, not scattered #ifs.
 */
#ifndef _SPL_COMPAT_H
#define _SPL_COMPAT_H

#include <linux/version.h>
#include <linux/netlink.h>

/*
 * Formatted extack messages arrived in 6.2 (NL_SET_ERR_MSG_FMT). Before
 * that extack->_msg must point at memory that outlives the request, so the
 * shim formats into a small ring of static buffers. netlink_ack() copies
 * the text right after the handler returns; a message could only be
 * garbled (never overrun: every slot stays NUL-terminated) if more than
 * SPL_EXTACK_RING requests were rejected at the same instant.
 */
#ifdef NL_SET_ERR_MSG_FMT_MOD
#define spl_extack_fmt(extack, fmt, ...) \
	NL_SET_ERR_MSG_FMT_MOD(extack, fmt, ##__VA_ARGS__)
#else
__printf(2, 3) void spl_extack_fmt(struct netlink_ext_ack *extack,
				   const char *fmt, ...);
#define SPL_EXTACK_COMPAT 1
#endif

/* timer_shutdown_sync(): 6.2, backported to 6.1.y stable */
#endif /* _SPL_COMPAT_H */
