// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for splicer.ko's side of the upcall, for tests without the
 * module: the daemon's own code (daemon.c, the workers, every TLS part)
 * with a source that accepts TCP connections on local listeners instead of
 * netlink TLS_ACCEPT. Like the kernel, the harness keeps the connection's
 * open file (a dup, as the kernel's get_file()) and hands the daemon its
 * own descriptor; on DONE it prints one line and, after a success, plays
 * the kernel's part: it checks that kTLS is on both directions and echoes
 * what it reads (plaintext: the kernel decrypts) back (the kernel encrypts).
 *
 *   harness -c CONF -l PORT=SERVICE[:TIMEOUT_MS] [-l ...] [-t TIMEOUT_MS] [-w N] [-v]
 *
 * PORT 0 picks a free port; each listener prints "LISTEN PORT SERVICE
 * TIMEOUT_MS" (the time left its handshakes get, -t by default).
 * Every outcome prints
 *
 *   DONE id=N service=S status=CODE(NAME) version=V cipher=C sni=H resumed=0|1
 *        ktls=tx+rx|none fdclosed=1|0 flags=restored|changed
 *
 * fdclosed: the daemon's descriptor no longer refers to the socket when
 * DONE comes; flags: the open file's flags are what they were. At exit
 * (SIGTERM; connections still echoing get 10 s to end) "SUMMARY
 * accepted=N done=N missing=N duplicate=N".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sys/capability.h>

#include "../config.h"
#include "../daemon.h"
#include "../handshake.h"
#include "../ktls.h"
#include "../log.h"

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

#define MAX_LISTENERS	8

struct listener {
	int fd;
	char service[HS_NAME_MAX];
	uint32_t timeout_ms;	/* 0: -t's */
	unsigned int port;
};

static struct listener listeners[MAX_LISTENERS];
static int nlisteners;
static uint32_t timeout_ms = 10000;

/* what the "kernel" keeps per handshake, by id */
struct kept {
	int fd;			/* our reference to the open file */
	int daemon_fd;		/* the descriptor the daemon got */
	int flags;		/* the open file's flags at accept */
	ino_t ino;
	char service[HS_NAME_MAX];
	int dones;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int echoing;	/* echo threads running (the "kernel's" connections) */
static struct kept *kept;
static size_t nkept, capkept;
static unsigned long duplicates;

struct hsrc {
	int epfd;		/* the listeners, level triggered */
};

static void *h_open(unsigned int idx, void *arg)
{
	struct hsrc *s = calloc(1, sizeof(*s));
	int i;

	(void)idx;
	(void)arg;
	if (!s)
		return NULL;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	for (i = 0; i < nlisteners; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };

		epoll_ctl(s->epfd, EPOLL_CTL_ADD, listeners[i].fd, &ev);
	}
	return s;
}

static int h_fd(void *src)
{
	return ((struct hsrc *)src)->epfd;
}

static int h_readable(void *src)
{
	struct epoll_event ev[MAX_LISTENERS];

	/* level triggered: just say so; accept() takes them */
	return epoll_wait(((struct hsrc *)src)->epfd, ev, MAX_LISTENERS, 0) > 0;
}

static int h_accept(void *src, struct hs_upcall *up)
{
	int i;

	(void)src;
	for (i = 0; i < nlisteners; i++) {
		struct stat st;
		struct kept *k;
		int fd = accept4(listeners[i].fd, NULL, NULL, SOCK_CLOEXEC);
		int one = 1;

		if (fd < 0)
			continue;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		pthread_mutex_lock(&lock);
		if (nkept == capkept) {
			size_t cap = capkept ? capkept * 2 : 256;
			struct kept *n = realloc(kept, cap * sizeof(*n));

			if (!n) {
				pthread_mutex_unlock(&lock);
				close(fd);
				return -ENOMEM;
			}
			kept = n;
			capkept = cap;
		}
		k = &kept[nkept];
		memset(k, 0, sizeof(*k));
		k->fd = dup(fd);	/* F_DUPFD: not close-on-exec; fine here */
		k->daemon_fd = fd;
		k->flags = fcntl(fd, F_GETFL);
		fstat(fd, &st);
		k->ino = st.st_ino;
		snprintf(k->service, sizeof(k->service), "%s", listeners[i].service);
		up->id = ++nkept;	/* ids from 1, as the kernel's */
		pthread_mutex_unlock(&lock);

		up->fd = fd;
		snprintf(up->service, sizeof(up->service), "%s", listeners[i].service);
		up->timeout_ms = listeners[i].timeout_ms;
		up->has_timeout = true;
		return 0;
	}
	return -ENOENT;
}

/* The kernel's part after a success: read plaintext, send it back. */
static void *echo(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char buf[16384];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0), off = 0;

		if (n <= 0)
			break;	/* EOF, or EIO: a record other than data (an alert) */
		while (off < n) {
			ssize_t w = send(fd, buf + off, (size_t)(n - off), MSG_NOSIGNAL);

			if (w <= 0)
				goto out;
			off += w;
		}
	}
out:
	close(fd);
	pthread_mutex_lock(&lock);
	echoing--;
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* Is kTLS on in direction dir? (Only the header: no key material asked.) */
static bool ktls_dir(int fd, int dir)
{
	struct tls_crypto_info ci = { 0 };
	socklen_t len = sizeof(ci);

	return getsockopt(fd, SOL_TLS, dir, &ci, &len) == 0 && ci.cipher_type != 0;
}

static int h_done(void *src, const struct hs_result *res)
{
	struct stat st;
	struct kept k;
	bool tx = false, rx = false, closed, restored;
	int fl;

	(void)src;
	pthread_mutex_lock(&lock);
	if (res->id == 0 || res->id > nkept) {
		pthread_mutex_unlock(&lock);
		printf("BADID id=%llu\n", (unsigned long long)res->id);
		fflush(stdout);
		return -ENOENT;
	}
	if (kept[res->id - 1].dones++) {
		duplicates++;
		pthread_mutex_unlock(&lock);
		printf("DUPLICATE id=%llu\n", (unsigned long long)res->id);
		fflush(stdout);
		return -ENOENT;
	}
	k = kept[res->id - 1];
	pthread_mutex_unlock(&lock);

	closed = fstat(k.daemon_fd, &st) < 0 || st.st_ino != k.ino;
	fl = fcntl(k.fd, F_GETFL);
	restored = fl == k.flags;
	if (!res->status) {
		tx = ktls_dir(k.fd, TLS_TX);
		rx = ktls_dir(k.fd, TLS_RX);
	}
	printf("DONE id=%llu service=%s status=%u(%s) version=%s cipher=%s sni=%s resumed=%d "
	       "ktls=%s fdclosed=%d flags=%s\n",
	       (unsigned long long)res->id, k.service, res->status, hs_errno_name(res->status),
	       res->version ? res->version : "-", res->cipher ? res->cipher : "-",
	       res->sni ? res->sni : "-", res->resumed,
	       tx && rx ? "tx+rx" : tx ? "tx" : rx ? "rx" : "none", closed,
	       restored ? "restored" : "changed");
	fflush(stdout);

	if (!res->status && tx && rx) {
		pthread_t t;

		pthread_mutex_lock(&lock);
		echoing++;
		pthread_mutex_unlock(&lock);
		if (pthread_create(&t, NULL, echo, (void *)(intptr_t)k.fd) == 0) {
			pthread_detach(t);
			return 0;
		}
		pthread_mutex_lock(&lock);
		echoing--;
		pthread_mutex_unlock(&lock);
	}
	close(k.fd);
	return 0;
}

static int h_tick(void *src)
{
	(void)src;
	return 0;
}

static void h_close(void *src)
{
	struct hsrc *s = src;

	close(s->epfd);
	free(s);
}

static const struct hs_source_ops harness_source = {
	.open = h_open,
	.fd = h_fd,
	.readable = h_readable,
	.accept = h_accept,
	.done = h_done,
	.tick = h_tick,
	.close = h_close,
};

static int listen_on(const char *spec)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	struct listener *l;
	const char *eq = strchr(spec, '=');
	char *colon;
	int one = 1;

	if (!eq || nlisteners == MAX_LISTENERS)
		return -1;
	l = &listeners[nlisteners];
	snprintf(l->service, sizeof(l->service), "%s", eq + 1);
	colon = strchr(l->service, ':');
	if (colon) {
		*colon = '\0';
		l->timeout_ms = (uint32_t)strtoul(colon + 1, NULL, 10);
	}
	sa.sin_port = htons((uint16_t)atoi(spec));
	l->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (l->fd < 0 || setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l->fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(l->fd, 1024) ||
	    getsockname(l->fd, (struct sockaddr *)&sa, &len)) {
		perror(spec);
		return -1;
	}
	l->port = ntohs(sa.sin_port);
	nlisteners++;
	return 0;
}

int main(int argc, char **argv)
{
	struct hs_opts o = {
		.foreground = true,
		.keep_user = true,
		/* load the tls module in a test VM, never on the host */
		.no_modprobe = !getenv("SPLICER_VM"),
		.ops = &harness_source,
	};
	unsigned long missing = 0;
	size_t i;
	int c, status;

	while ((c = getopt(argc, argv, "c:l:t:w:v")) != -1) {
		switch (c) {
		case 'c':
			o.config = optarg;
			break;
		case 'l':
			if (listen_on(optarg))
				return 2;
			break;
		case 't':
			timeout_ms = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'w':
			o.workers = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'v':
			o.verbose = true;
			break;
		default:
			fprintf(stderr, "usage: harness -c CONF -l PORT=SERVICE [-l ...] "
				"[-t TIMEOUT_MS] [-w N] [-v]\n");
			return 2;
		}
	}
	if (o.no_modprobe && access("/proc/net/tls_stat", F_OK)) {
		/*
		 * On a host without kTLS: no CAP_NET_ADMIN, so that OpenSSL's
		 * setsockopt(TCP_ULP, "tls") cannot make the kernel load the
		 * module either (it fails, as kTLS would be missing).
		 */
		cap_t caps = cap_get_proc();
		cap_value_t drop[] = { CAP_NET_ADMIN, CAP_SYS_MODULE };

		if (caps && !cap_set_flag(caps, CAP_EFFECTIVE, 2, drop, CAP_CLEAR))
			(void)cap_set_proc(caps);
		cap_free(caps);
	}
	if (!o.config || !nlisteners) {
		fprintf(stderr, "harness: -c and -l are needed\n");
		return 2;
	}
	for (c = 0; c < nlisteners; c++) {
		if (!listeners[c].timeout_ms)
			listeners[c].timeout_ms = timeout_ms;
		printf("LISTEN %u %s %u\n", listeners[c].port, listeners[c].service,
		       listeners[c].timeout_ms);
	}
	fflush(stdout);
	status = hs_daemon(&o);
	/* the daemon is gone, the connections are not: let them finish (10 s) */
	for (c = 0; c < 1000; c++) {
		int n;

		pthread_mutex_lock(&lock);
		n = echoing;
		pthread_mutex_unlock(&lock);
		if (!n)
			break;
		usleep(10000);
	}
	pthread_mutex_lock(&lock);
	for (i = 0; i < nkept; i++)
		missing += kept[i].dones == 0;
	printf("SUMMARY accepted=%zu done=%zu missing=%lu duplicate=%lu\n", nkept,
	       nkept - missing, missing, duplicates);
	pthread_mutex_unlock(&lock);
	return status;
}
