// SPDX-License-Identifier: GPL-2.0
/*
 * splicer-handshaked: privileges, modprobe and sd_notify (see privs.h).
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "privs.h"

extern char **environ;

#define TLS_STAT "/proc/net/tls_stat"

bool hs_ktls_available(void)
{
	char *argv[] = { (char *)"modprobe", (char *)"-q", (char *)"tls", NULL };
	char *envp[] = { (char *)"PATH=/usr/sbin:/sbin:/usr/bin:/bin", NULL };
	int status = 0, r;
	pid_t pid;

	if (access(TLS_STAT, F_OK) == 0)
		return true;
	r = posix_spawnp(&pid, "modprobe", NULL, NULL, argv, envp);
	if (!r) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (access(TLS_STAT, F_OK) == 0) {
		hs_info("loaded the kernel's tls module (modprobe tls)");
		return true;
	}
	if (r)
		hs_err("kTLS is not available: the kernel's tls module is not loaded and "
		       "modprobe could not run (%s); every handshake will fail with "
		       "EOPNOTSUPP until it is loaded", strerror(r));
	else
		hs_err("kTLS is not available: 'modprobe tls' failed (%s %d); every "
		       "handshake will fail with EOPNOTSUPP until the tls module is loaded "
		       "(CONFIG_TLS)", WIFEXITED(status) ? "exit status" : "signal",
		       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return false;
}

int hs_user_lookup(const char *name, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwnam(name);
	if (!pw) {
		hs_err("user \"%s\": %s", name, errno ? strerror(errno) : "no such user");
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/* Permitted and effective: CAP_NET_ADMIN only; inheritable and ambient: none. */
static int keep_net_admin(void)
{
	cap_value_t keep[] = { CAP_NET_ADMIN };
	cap_t caps = cap_init();
	int r;

	if (!caps)
		return -1;
	r = cap_set_flag(caps, CAP_PERMITTED, 1, keep, CAP_SET) ||
	    cap_set_flag(caps, CAP_EFFECTIVE, 1, keep, CAP_SET) ||
	    cap_set_proc(caps);
	cap_free(caps);
	if (r)
		return -1;
	(void)cap_reset_ambient();
	return 0;
}

int hs_drop_privileges(const char *name, uid_t uid, gid_t gid)
{
	bool root = geteuid() == 0;
	cap_value_t cap;
	cap_t now;
	char *text;

	if (root) {
		/* while CAP_SETPCAP is ours: nothing but CAP_NET_ADMIN may come back */
		for (cap = 0; cap <= (cap_value_t)cap_max_bits() - 1; cap++)
			if (cap != CAP_NET_ADMIN && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 &&
			    errno != EINVAL) {
				hs_err("cannot drop capability %d from the bounding set: %s",
				       (int)cap, strerror(errno));
				return -1;
			}
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) {
			hs_err("prctl(PR_SET_KEEPCAPS): %s", strerror(errno));
			return -1;
		}
		if (initgroups(name, gid) < 0 || setresgid(gid, gid, gid) < 0 ||
		    setresuid(uid, uid, uid) < 0) {
			hs_err("cannot become user %s (uid %u, gid %u): %s", name,
			       (unsigned int)uid, (unsigned int)gid, strerror(errno));
			return -1;
		}
		(void)prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
		if (uid == 0)
			hs_warn("running as root (user %s): only the capabilities are reduced", name);
	} else {
		hs_notice("not started as root: staying uid %u", (unsigned int)getuid());
	}
	if (keep_net_admin()) {
		if (root) {
			hs_err("cannot keep CAP_NET_ADMIN: %s", strerror(errno));
			return -1;
		}
		hs_warn("without CAP_NET_ADMIN the kernel will refuse TLS_ACCEPT (%s)",
			strerror(errno));
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		hs_warn("prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
	/* no core files and no ptrace by the same user: keys are in memory */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	if (root && uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		hs_err("could regain root after dropping it; refusing to run");
		return -1;
	}
	now = cap_get_proc();
	text = now ? cap_to_text(now, NULL) : NULL;
	hs_info("running as user %s (uid %u, gid %u), capabilities \"%s\"", name,
		(unsigned int)getuid(), (unsigned int)getgid(), text ? text : "?");
	cap_free(text);
	cap_free(now);
	return 0;
}

void hs_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@'))
		return;
	len = strlen(path);
	if (len >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';	/* abstract */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	(void)sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa,
		     (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
	close(fd);
}
