// SPDX-License-Identifier: GPL-2.0
/*
 * splicer-handshaked: the main thread (see daemon.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "config.h"
#include "daemon.h"
#include "ktls.h"
#include "log.h"
#include "nlsrc.h"
#include "privs.h"
#include "ticket.h"
#include "tlsctx.h"
#include "worker.h"

struct daemon {
	const struct hs_opts *o;
	struct hs_config cfg;
	unsigned int nworkers;
	unsigned int ninit;		/* workers with their source open */
	const char *user;
	char *user_copy;
	long lifetime;
	int ktls_mask;			/* HS_KTLS_*; 0 or less: offer every suite */
	struct hs_worker *workers;
	int sfd, tfd, exit_fd;
};

static unsigned int cpu_count(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned int)CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned int)n : 1;
}

static size_t count_certs(const struct hs_config *cfg)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->nservices; i++)
		n += cfg->services[i].ncerts;
	return n;
}

static long lifetime_of(const struct hs_config *cfg)
{
	return cfg->ticket_lifetime >= 0 ? cfg->ticket_lifetime : HS_TICKET_LIFETIME_DEF;
}

static void arm_rotation(struct daemon *d)
{
	struct itimerspec its = { 0 };

	/* every lifetime: a ticket outlives its lifetime under the previous key */
	if (d->lifetime > 0) {
		its.it_value.tv_sec = d->lifetime;
		its.it_interval.tv_sec = d->lifetime;
	}
	(void)timerfd_settime(d->tfd, 0, &its, NULL);
}

/* After dropping root: can a reload still read what it needs? */
static void check_readable(const struct daemon *d)
{
	size_t i, j;

	if (access(d->o->config, R_OK))
		hs_warn("%s is not readable as user %s: SIGHUP cannot reload it",
			d->o->config, d->user);
	for (i = 0; i < d->cfg.nservices; i++)
		for (j = 0; j < d->cfg.services[i].ncerts; j++) {
			const struct hs_cert_cfg *c = &d->cfg.services[i].certs[j];

			if (access(c->cert, R_OK))
				hs_warn("%s is not readable as user %s: SIGHUP cannot reload it",
					c->cert, d->user);
			if (strcmp(c->key, c->cert) && access(c->key, R_OK))
				hs_warn("%s is not readable as user %s: SIGHUP cannot reload it "
					"(make it readable by a group of the user, e.g. ssl-cert, "
					"mode 0640)", c->key, d->user);
		}
}

/* Which ciphers kTLS takes; logs what changed. */
static int probe_ktls(void)
{
	static int last = -2;
	int mask = hs_ktls_probe();

	if (mask == last)
		return mask;
	last = mask;
	if (mask < 0)
		hs_warn("kTLS could not be tried (no loopback connection): offering every suite");
	else if (mask == 0)
		hs_err("kTLS refuses every cipher: every handshake will fail (EOPNOTSUPP)");
	else
		hs_log(mask == HS_KTLS_ALL ? LOG_INFO : LOG_WARNING,
		       "kTLS takes%s%s%s%s; suites offered accordingly",
		       mask & HS_KTLS_AES_GCM_128 ? " AES-128-GCM" : "",
		       mask & HS_KTLS_AES_GCM_256 ? " AES-256-GCM" : "",
		       mask & HS_KTLS_CHACHA20 ? " ChaCha20-Poly1305" : "",
		       mask == HS_KTLS_ALL ? "" : " only");
	return mask;
}

static void reload(struct daemon *d)
{
	struct hs_config cfg;
	struct hs_certset *set;
	char err[1024];
	long lifetime;

	hs_notify("RELOADING=1");
	hs_notice("SIGHUP: reloading %s", d->o->config);
	if (hs_config_load(d->o->config, &cfg, err, sizeof(err))) {
		hs_err("reload failed, the current configuration stays: %s", err);
		goto out;
	}
	lifetime = lifetime_of(&cfg);
	if (access("/proc/net/tls_stat", F_OK) == 0)
		d->ktls_mask = probe_ktls();
	set = hs_certset_build(&cfg, lifetime, d->ktls_mask, err, sizeof(err));
	if (!set) {
		hs_err("reload failed (%s); the current certificates stay", err);
		hs_config_free(&cfg);
		goto out;
	}
	if (!d->o->user && strcmp(cfg.user ? cfg.user : HS_DEFAULT_USER, d->user))
		hs_warn("reload: user %s takes a restart", cfg.user ? cfg.user : HS_DEFAULT_USER);
	if (!d->o->workers && cfg.workers && cfg.workers != d->nworkers)
		hs_warn("reload: workers %u takes a restart", cfg.workers);
	hs_certset_publish(set);
	if (lifetime != d->lifetime) {
		d->lifetime = lifetime;
		arm_rotation(d);
	}
	hs_config_free(&d->cfg);
	d->cfg = cfg;
	hs_notice("reloaded: %zu service(s), %zu certificate(s)", cfg.nservices,
		  count_certs(&cfg));
out:
	hs_notify("READY=1");
}

static void log_counters(const struct daemon *d)
{
	unsigned long long ok = 0, failed = 0, resumed = 0, inflight = 0;
	unsigned int i;

	for (i = 0; i < d->nworkers; i++) {
		const struct hs_worker *w = &d->workers[i];

		hs_info("worker %u: %llu done (%llu resumed), %llu failed, %llu in flight", i,
			(unsigned long long)atomic_load(&w->n_ok),
			(unsigned long long)atomic_load(&w->n_resumed),
			(unsigned long long)atomic_load(&w->n_failed),
			(unsigned long long)atomic_load(&w->n_inflight));
		ok += atomic_load(&w->n_ok);
		resumed += atomic_load(&w->n_resumed);
		failed += atomic_load(&w->n_failed);
		inflight += atomic_load(&w->n_inflight);
	}
	hs_info("all workers: %llu done (%llu resumed), %llu failed, %llu in flight",
		ok, resumed, failed, inflight);
}

static int daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0) {
		hs_err("fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0)
		_exit(0);
	if (setsid() < 0) {
		hs_err("setsid: %s", strerror(errno));
		return -1;
	}
	if (chdir("/") < 0)
		return -1;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return 0;
}

/* Until every worker has ended. */
static void main_loop(struct daemon *d)
{
	unsigned int ended = 0, stops = 0, i;

	while (ended < d->nworkers) {
		struct pollfd pfd[3] = {
			{ .fd = d->sfd, .events = POLLIN },
			{ .fd = d->tfd, .events = POLLIN },
			{ .fd = d->exit_fd, .events = POLLIN },
		};
		struct signalfd_siginfo si;
		uint64_t v;

		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			hs_err("poll: %s", strerror(errno));
			stops = 2;
			for (i = 0; i < d->nworkers; i++)
				hs_worker_stop(&d->workers[i], HS_STOP_NOW);
		}
		if ((pfd[2].revents & POLLIN) && read(d->exit_fd, &v, sizeof(v)) == sizeof(v))
			ended += (unsigned int)v;
		if ((pfd[1].revents & POLLIN) && read(d->tfd, &v, sizeof(v)) == sizeof(v)) {
			if (!hs_tickets_rotate())
				hs_debug("session ticket key rotated");
		}
		if (!(pfd[0].revents & POLLIN) || read(d->sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		switch (si.ssi_signo) {
		case SIGHUP:
			if (!stops)
				reload(d);
			break;
		case SIGUSR1:
			log_counters(d);
			break;
		case SIGTERM:
		case SIGINT:
			stops++;
			if (stops == 1) {
				unsigned long long n = 0;

				for (i = 0; i < d->nworkers; i++)
					n += atomic_load(&d->workers[i].n_inflight);
				hs_notify("STOPPING=1");
				hs_notice("stopping: finishing %llu handshake(s) in flight "
					  "(signal again to end them now)", n);
			} else {
				hs_notice("stopping now");
			}
			for (i = 0; i < d->nworkers; i++)
				hs_worker_stop(&d->workers[i],
					       stops == 1 ? HS_STOP_GRACEFUL : HS_STOP_NOW);
			break;
		}
	}
}

int hs_daemon(const struct hs_opts *o)
{
	struct daemon d = { .o = o, .sfd = -1, .tfd = -1, .exit_fd = -1 };
	struct hs_certset *set;
	struct sigaction sa = { .sa_handler = SIG_IGN };
	sigset_t mask;
	char err[1024];
	uid_t uid = 0;
	gid_t gid = 0;
	unsigned int i, started = 0;
	int status = 1;

	hs_log_init(false, o->verbose);
	sigaction(SIGPIPE, &sa, NULL);

	if (hs_config_load(o->config, &d.cfg, err, sizeof(err))) {
		hs_err("%s", err);
		return 1;
	}
	d.nworkers = o->workers ? o->workers : d.cfg.workers ? d.cfg.workers : cpu_count();
	if (d.nworkers > HS_WORKERS_MAX)
		d.nworkers = HS_WORKERS_MAX;
	/* a reload replaces d.cfg: keep our own copy */
	d.user_copy = strdup(o->user ? o->user : d.cfg.user ? d.cfg.user : HS_DEFAULT_USER);
	if (!d.user_copy) {
		hs_err("out of memory");
		goto out;
	}
	d.user = d.user_copy;
	d.lifetime = lifetime_of(&d.cfg);

	OPENSSL_init_ssl(0, NULL);
	if (hs_tickets_init()) {
		hs_err("no random bytes for the session ticket key");
		goto out;
	}
	if (o->check) {
		if (!o->keep_user && hs_user_lookup(d.user, &uid, &gid))
			goto out;
		set = hs_certset_build(&d.cfg, d.lifetime, HS_KTLS_ALL, err, sizeof(err));
		if (!set)
			goto out;
		hs_certset_put(set);
		if (!d.cfg.nservices)
			hs_warn("%s configures no service", o->config);
		printf("%s: OK: %zu service(s), %zu certificate(s), %u worker(s), user %s, "
		       "ticket lifetime %ld s\n", o->config, d.cfg.nservices, count_certs(&d.cfg),
		       d.nworkers, d.user, d.lifetime);
		status = 0;
		goto out;
	}
	if (!o->keep_user && hs_user_lookup(d.user, &uid, &gid))
		goto out;

	if (o->no_modprobe ? access("/proc/net/tls_stat", F_OK) == 0 : hs_ktls_available())
		d.ktls_mask = probe_ktls();
	else if (o->no_modprobe)
		hs_warn("kTLS is not available (the tls module is not loaded)");
	set = hs_certset_build(&d.cfg, d.lifetime, d.ktls_mask, err, sizeof(err));
	if (!set)
		goto out;
	hs_certset_publish(set);
	if (!d.cfg.nservices)
		hs_warn("%s configures no service: every handshake will fail (ENOENT)", o->config);
	if (o->ops == &hs_nl_source && hs_nl_probe() == 0)
		hs_warn("the splicer module is not loaded (yet): waiting for it");

	if (!o->foreground) {
		if (daemonize())
			goto out;
		hs_log_init(true, o->verbose);
	}

	/* the main thread takes the signals; the workers inherit the mask */
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	d.sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	d.tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	d.exit_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	d.workers = calloc(d.nworkers, sizeof(*d.workers));
	if (d.sfd < 0 || d.tfd < 0 || d.exit_fd < 0 || !d.workers) {
		hs_err("cannot set up: %s", strerror(errno ? errno : ENOMEM));
		goto out;
	}
	for (i = 0; i < d.nworkers; i++)
		d.workers[i].epfd = d.workers[i].evfd = -1;
	/* the sockets are opened while we are still root */
	for (i = 0; i < d.nworkers; i++) {
		void *src = o->ops->open(i, o->ops_arg);

		if (!src || hs_worker_init(&d.workers[i], i, o->ops, src, d.exit_fd)) {
			if (src)
				o->ops->close(src);
			goto out;
		}
		d.ninit++;
	}
	if (!o->keep_user) {
		if (hs_drop_privileges(d.user, uid, gid))
			goto out;
		check_readable(&d);
	}
	arm_rotation(&d);
	for (i = 0; i < d.nworkers; i++) {
		if (hs_worker_start(&d.workers[i]))
			break;
		started++;
	}
	if (started < d.nworkers) {
		unsigned int all = d.nworkers;

		for (i = 0; i < started; i++)
			hs_worker_stop(&d.workers[i], HS_STOP_NOW);
		d.nworkers = started;
		main_loop(&d);
		d.nworkers = all;
		goto out;
	}
	hs_notice("started: %u worker(s), %zu service(s), %zu certificate(s), "
		  "ticket lifetime %ld s", d.nworkers, d.cfg.nservices, count_certs(&d.cfg),
		  d.lifetime);
	hs_notify("READY=1");
	main_loop(&d);
	hs_notice("stopped");
	status = 0;
out:
	if (d.workers) {
		for (i = 0; i < d.ninit; i++)
			hs_worker_join(&d.workers[i]);
		free(d.workers);
	}
	free(d.user_copy);
	hs_certset_publish(NULL);
	hs_tickets_wipe();
	hs_config_free(&d.cfg);
	if (d.sfd >= 0)
		close(d.sfd);
	if (d.tfd >= 0)
		close(d.tfd);
	if (d.exit_fd >= 0)
		close(d.exit_fd);
	return status;
}
