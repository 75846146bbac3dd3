/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The splicer module as the source of handshakes: one generic netlink
 * socket per worker (libnl-genl-3), the "splicer" family and its "tls"
 * multicast group resolved by name (again every few seconds, so the daemon
 * may start before the module and survives its reload), TLS_ACCEPT and
 * TLS_DONE as doit requests with extended ACKs.
 *
 * The kernel checks CAP_NET_ADMIN on every TLS_ACCEPT and TLS_DONE
 * (GENL_ADMIN_PERM: netlink_capable(), in the initial user namespace, of
 * both the socket's opener and the sender) and on joining the group
 * (GENL_MCAST_CAP_NET_ADMIN: over the namespace): the daemon keeps that one
 * capability after it drops root. So it cannot run in an unprivileged
 * user namespace (a rootless container).
 */
#ifndef HANDSHAKED_NLSRC_H
#define HANDSHAKED_NLSRC_H

#include "upcall.h"

extern const struct hs_source_ops hs_nl_source;

/* Whether the splicer family exists now (for the startup message). */
int hs_nl_probe(void);

#endif
