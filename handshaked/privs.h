/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Privileges and the system around the daemon.
 *
 * The daemon starts as root, opens everything it needs (configuration,
 * certificates and keys, netlink sockets, `modprobe tls`), then becomes
 * the configured user (its groups too: initgroups) and keeps exactly one
 * capability, CAP_NET_ADMIN, in its permitted and effective sets: the
 * kernel checks it on every TLS_ACCEPT and TLS_DONE (GENL_ADMIN_PERM, in
 * the initial user namespace) and on joining the tls group. The bounding
 * set is cut to CAP_NET_ADMIN too, no_new_privs is set and the process is
 * not dumpable (no core file with keys in it).
 */
#ifndef HANDSHAKED_PRIVS_H
#define HANDSHAKED_PRIVS_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Make sure the kernel's tls module is there: /proc/net/tls_stat, else
 * `modprobe tls`. Returns true if kTLS is available; says so either way.
 */
bool hs_ktls_available(void);

/* Look the user up now (before daemonizing). 0, or -1 (logged). */
int hs_user_lookup(const char *name, uid_t *uid, gid_t *gid);

/*
 * Become uid/gid keeping only CAP_NET_ADMIN (see above). When not root,
 * only the capabilities are reduced. 0, or -1 (logged).
 */
int hs_drop_privileges(const char *name, uid_t uid, gid_t gid);

/* Tell systemd (sd_notify protocol, $NOTIFY_SOCKET) our state, if it asks. */
void hs_notify(const char *state);

#endif
