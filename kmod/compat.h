/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version shims, in one place. Feature tests, not scattered #ifs.
 */
#ifndef _SPL_COMPAT_H
#define _SPL_COMPAT_H

#include <linux/tcp.h>
#include <net/net_namespace.h>
#include <net/sock.h>

/*
 * spl_sock_pin_net - make a kernel socket hold its netns, as a user socket
 * does. tcp_close() stops every timer of a socket that does not (upstream
 * 151c9c724d05, in 6.1.y and 6.12), so a socket left to finish its close on
 * its own (FIN retransmits, FIN_WAIT timers) must pin the netns first.
 * Return: false if the netns is already going away (then abort instead).
 * 6.15 has sk_net_refcnt_upgrade() for this.
 */
static inline bool spl_sock_pin_net(struct sock *sk)
{
	struct net *net = maybe_get_net(sock_net(sk));

	if (!net)
		return false;
	lock_sock(sk);			/* skc_net_refcnt is a bitfield */
	netns_tracker_alloc(net, &sk->ns_tracker, GFP_KERNEL);
	sk->sk_net_refcnt = 1;
	sock_inuse_add(net, 1);
	release_sock(sk);
	return true;
}

/* timer_shutdown_sync(): 6.2, backported to 6.1.y stable */
#endif /* _SPL_COMPAT_H */
