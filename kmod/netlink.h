/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SPL_NETLINK_H
#define _SPL_NETLINK_H

/* The generic netlink family "splicer" (kmod/uapi/linux/splicer.h). */
int spl_netlink_init(void);
void spl_netlink_exit(void);

struct net;
struct sk_buff;

/* Decision log records (log.c): is anyone listening in @net? */
bool spl_netlink_log_wanted(struct net *net);
/* Start a SPLICER_CMD_LOG message in @skb; NULL if it does not fit. */
void *spl_netlink_log_put(struct sk_buff *skb);
/* Multicast it; consumes @skb. -ENOBUFS: some reader missed it. */
int spl_netlink_log_send(struct net *net, struct sk_buff *skb, gfp_t gfp);

/* TLS handshakes (handshake.c): is a daemon listening in @net? */
bool spl_netlink_tls_listening(struct net *net);
/* Multicast a TLS_READY; consumes @skb. */
void spl_netlink_tls_send(struct net *net, struct sk_buff *skb);

#endif /* _SPL_NETLINK_H */
