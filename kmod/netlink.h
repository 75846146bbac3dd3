/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SPL_NETLINK_H
#define _SPL_NETLINK_H

/* The generic netlink family "splicer" (kmod/uapi/linux/splicer.h). */
int spl_netlink_init(void);
void spl_netlink_exit(void);

#endif /* _SPL_NETLINK_H */
