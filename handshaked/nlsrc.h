/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The splicer module as the source of handshakes: one generic netlink
 * socket per worker (libnl-genl-3), the "splicer" family and its "tls"
 * multicast group resolved by name (again every few seconds, so the daemon
 * may start before the module and survives its reload), TLS_ACCEPT and
 * TLS_DONE as doit requests with extended ACKs.
 *
 * The kernel checks CAP_NET_ADMIN (in the netns's user namespace) of the
 * socket's opener and of the sender on every TLS_ACCEPT and TLS_DONE
 * (GENL_ADMIN_PERM) and on joining the group: the daemon keeps that one
 * capability after it drops root.
 */
#ifndef HANDSHAKED_NLSRC_H
#define HANDSHAKED_NLSRC_H

#include "upcall.h"

extern const struct hs_source_ops hs_nl_source;

/* Whether the splicer family exists now (for the startup message). */
int hs_nl_probe(void);

#endif
