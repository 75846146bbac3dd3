// SPDX-License-Identifier: GPL-2.0
/*
 * splicer-handshaked: handshakes from the splicer module (see nlsrc.h).
 *
 * Messages are built and sent with libnl; replies are read with recv(2)
 * on the non-blocking socket and walked here, because one socket carries
 * both the replies to our requests and the group's notifications (sequence
 * number 0), which libnl's default receive path would reject as sequence
 * mismatches. Every TLS_ACCEPT reply is taken, whatever its sequence
 * number: a reply that came late still installed a descriptor, and its
 * handshake still needs its one DONE.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <linux/splicer.h>

#include "log.h"
#include "nlsrc.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define REPLY_WAIT_MS	2000
#define RCVBUF_BYTES	(1 << 20)
#define QUEUE_MAX	16

struct nlsrc {
	unsigned int idx;
	struct nl_sock *sk;
	int fd;
	int family;		/* -1: not resolved (module not loaded) */
	uint32_t group;		/* 0: none */
	bool joined;
	int ready;		/* notifications seen while reading */
	unsigned long overruns;
	/* accepted handshakes read from replies, not handed out yet */
	struct hs_upcall queue[QUEUE_MAX];
	unsigned int nqueue;
	long buf[32768 / sizeof(long)];
};

struct req {
	uint32_t seq;
	uint16_t type;		/* replies of this type go to fn */
	bool done;
	int error;		/* 0 or a negative errno */
	char msg[256];		/* the kernel's extended ACK message */
	void (*fn)(struct nlsrc *s, const struct nlmsghdr *nlh, void *arg);
	void *arg;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- replies ------------------------------------------------------------ */

/* The error and the NLMSGERR_ATTR_MSG of an NLMSG_ERROR (copied from ctl's idea). */
static void parse_error(const struct nlmsghdr *nlh, struct req *rq)
{
	const struct nlmsgerr *e = nlmsg_data(nlh);
	size_t len = nlh->nlmsg_len, off;
	const unsigned char *p;

	rq->done = true;
	if (len < NLMSG_HDRLEN + sizeof(*e)) {
		rq->error = -EBADMSG;
		return;
	}
	rq->error = e->error;
	off = NLMSG_HDRLEN + sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len > NLMSG_HDRLEN)
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	for (p = (const unsigned char *)nlh + off; p + NLA_HDRLEN <= (const unsigned char *)nlh + len;) {
		const struct nlattr *a = (const void *)p;
		size_t alen = a->nla_len;

		if (alen < NLA_HDRLEN || p + alen > (const unsigned char *)nlh + len)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			size_t n = strnlen((const char *)p + NLA_HDRLEN, alen - NLA_HDRLEN);

			if (n >= sizeof(rq->msg))
				n = sizeof(rq->msg) - 1;
			memcpy(rq->msg, p + NLA_HDRLEN, n);
			rq->msg[n] = '\0';
			while (n && (rq->msg[n - 1] == '\n' || rq->msg[n - 1] == ' '))
				rq->msg[--n] = '\0';
		}
		p += NLA_ALIGN(alen);
	}
}

static void fail_unqueued(struct nlsrc *s, uint64_t id, int fd, uint32_t status);

/* A TLS_ACCEPT reply: queue the handshake it gives us. */
static void take_accept(struct nlsrc *s, const struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[SPLICER_A_MAX + 1], *t[SPLICER_TLS_A_MAX + 1];
	struct hs_upcall up = { .fd = -1 };
	bool has_id;

	if (nla_parse(tb, SPLICER_A_MAX, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), NULL) ||
	    !tb[SPLICER_A_TLS] ||
	    nla_parse_nested(t, SPLICER_TLS_A_MAX, tb[SPLICER_A_TLS], NULL)) {
		hs_err("TLS_ACCEPT: a reply without a readable TLS nest (if it carried a "
		       "descriptor, it is lost)");
		return;
	}
	if (t[SPLICER_TLS_A_FD] && nla_len(t[SPLICER_TLS_A_FD]) >= 4)
		up.fd = (int)nla_get_u32(t[SPLICER_TLS_A_FD]);
	if (up.fd >= 0 && fcntl(up.fd, F_GETFD) < 0) {
		hs_err("TLS_ACCEPT: the reply names descriptor %d, which is not open", up.fd);
		up.fd = -1;
	}
	has_id = t[SPLICER_TLS_A_ID] && nla_len(t[SPLICER_TLS_A_ID]) >= 8;
	if (!has_id) {
		hs_err("TLS_ACCEPT: a reply without an ID; closing its descriptor");
		if (up.fd >= 0)
			close(up.fd);
		return;
	}
	up.id = nla_get_u64(t[SPLICER_TLS_A_ID]);
	if (t[SPLICER_TLS_A_SERVICE])
		nla_strlcpy(up.service, t[SPLICER_TLS_A_SERVICE], sizeof(up.service));
	if (t[SPLICER_TLS_A_TIMEOUT] && nla_len(t[SPLICER_TLS_A_TIMEOUT]) >= 4) {
		up.timeout_ms = nla_get_u32(t[SPLICER_TLS_A_TIMEOUT]);
		up.has_timeout = true;
	}
	if (s->nqueue == QUEUE_MAX) {
		fail_unqueued(s, up.id, up.fd, ENOMEM);
		return;
	}
	s->queue[s->nqueue++] = up;
}

static void walk(struct nlsrc *s, const void *buf, size_t len, struct req *rq)
{
	const struct nlmsghdr *nlh;
	int rem = (int)len;

	for (nlh = buf; nlmsg_ok(nlh, rem); nlh = nlmsg_next((struct nlmsghdr *)nlh, &rem)) {
		bool ours = rq && nlh->nlmsg_seq == rq->seq;

		if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE) {
			if (ours && nlh->nlmsg_type == NLMSG_ERROR)
				parse_error(nlh, rq);
			else if (ours)
				rq->done = true;
			continue;
		}
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		if (s->family >= 0 && nlh->nlmsg_type == (uint16_t)s->family) {
			const struct genlmsghdr *g;

			if (!genlmsg_valid_hdr((struct nlmsghdr *)nlh, 0))
				continue;
			g = nlmsg_data(nlh);
			if (g->cmd == SPLICER_CMD_TLS_READY) {
				s->ready++;
				continue;
			}
			if (g->cmd == SPLICER_CMD_TLS_ACCEPT) {
				take_accept(s, nlh);
				continue;
			}
		}
		if (ours && rq->fn && nlh->nlmsg_type == rq->type)
			rq->fn(s, nlh, rq->arg);
	}
}

/* Read one datagram: 1, 0 if none is there, -errno. */
static int recv_one(struct nlsrc *s, struct req *rq)
{
	struct sockaddr_nl from;
	struct iovec iov = { s->buf, sizeof(s->buf) };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from),
			     .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	n = recvmsg(s->fd, &mh, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		if (errno == ENOBUFS) {
			/* the socket overflowed: notifications were lost */
			s->overruns++;
			s->ready++;
			return 1;
		}
		return -errno;
	}
	if (mh.msg_flags & MSG_TRUNC) {
		hs_err("netlink: a message larger than %zu bytes was cut", sizeof(s->buf));
		return 1;
	}
	if (from.nl_pid != 0)
		return 1;	/* not from the kernel */
	walk(s, s->buf, (size_t)n, rq);
	return 1;
}

/*
 * Send msg (freed) with NLM_F_ACK and wait for its ACK or error. Returns
 * 0 or the negative errno (the kernel's message in rq->msg).
 */
static int request(struct nlsrc *s, struct nl_msg *msg, struct req *rq)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	uint64_t deadline;
	int r;

	nlh->nlmsg_flags |= NLM_F_ACK;
	r = nl_send_auto(s->sk, msg);
	rq->seq = nlh->nlmsg_seq;
	nlmsg_free(msg);
	if (r < 0) {
		snprintf(rq->msg, sizeof(rq->msg), "send: %s", nl_geterror(r));
		return -EIO;
	}
	deadline = now_ms() + REPLY_WAIT_MS;
	while (!rq->done) {
		struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
		uint64_t now;

		r = recv_one(s, rq);
		if (r < 0) {
			snprintf(rq->msg, sizeof(rq->msg), "receive: %s", strerror(-r));
			return r;
		}
		if (r > 0)
			continue;
		now = now_ms();
		if (now >= deadline) {
			snprintf(rq->msg, sizeof(rq->msg), "no answer in %d ms", REPLY_WAIT_MS);
			return -ETIMEDOUT;
		}
		(void)poll(&pfd, 1, (int)(deadline - now));
	}
	return rq->error;
}

static struct nl_msg *new_msg(struct nlsrc *s, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, s->family, 0, 0, cmd,
				SPLICER_FAMILY_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* ---- the family --------------------------------------------------------- */

struct resolved {
	int family;
	uint32_t group;
};

static void resolve_reply(struct nlsrc *s, const struct nlmsghdr *nlh, void *arg)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *grp;
	struct resolved *res = arg;
	int rem;

	(void)s;
	if (nla_parse(tb, CTRL_ATTR_MAX, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), NULL) ||
	    !tb[CTRL_ATTR_FAMILY_ID])
		return;
	res->family = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return;
	nla_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS], rem) {
		struct nlattr *gb[CTRL_ATTR_MCAST_GRP_MAX + 1];
		char name[GENL_NAMSIZ];

		if (nla_parse_nested(gb, CTRL_ATTR_MCAST_GRP_MAX, grp, NULL) ||
		    !gb[CTRL_ATTR_MCAST_GRP_NAME] || !gb[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		nla_strlcpy(name, gb[CTRL_ATTR_MCAST_GRP_NAME], sizeof(name));
		if (!strcmp(name, SPLICER_MCGRP_TLS))
			res->group = nla_get_u32(gb[CTRL_ATTR_MCAST_GRP_ID]);
	}
}

/* Resolve the family and join its tls group: 1 if it changed, 0, -errno. */
static int resolve(struct nlsrc *s)
{
	struct resolved res = { .family = -1 };
	struct req rq = { .type = GENL_ID_CTRL, .fn = resolve_reply, .arg = &res };
	struct nl_msg *msg = nlmsg_alloc();
	int r, old = s->family;

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, 0,
				 CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, SPLICER_FAMILY_NAME)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	r = request(s, msg, &rq);
	if (r || res.family < 0) {
		if (s->family >= 0 && s->idx == 0)
			hs_warn("the splicer module went away; waiting for it");
		s->family = -1;
		s->group = 0;
		s->joined = false;
		return r == -ENOENT || !r ? -ENOENT : r;
	}
	s->family = res.family;
	if (!res.group) {
		if (s->idx == 0 && (old != s->family || s->joined))
			hs_err("the splicer module has no \"%s\" multicast group: it is too "
			       "old for TLS", SPLICER_MCGRP_TLS);
		s->group = 0;
		s->joined = false;
		return -EOPNOTSUPP;
	}
	/* again each time: a module reloaded under the same ids dropped us */
	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &res.group,
		       sizeof(res.group)) < 0) {
		r = -errno;
		if (s->idx == 0 && (s->joined || old != s->family))
			hs_err("cannot join the splicer \"%s\" group: %s%s", SPLICER_MCGRP_TLS,
			       strerror(-r), r == -EPERM ? " (CAP_NET_ADMIN is needed)" : "");
		s->joined = false;
		return r;
	}
	if (s->idx == 0 && (old != s->family || !s->joined))
		hs_notice("splicer module found (generic netlink family %d, group %u): "
			  "taking handshakes", s->family, res.group);
	r = old != s->family || s->group != res.group || !s->joined;
	s->group = res.group;
	s->joined = true;
	return r;
}

/* ---- the source ops ------------------------------------------------------ */

static void fail_unqueued(struct nlsrc *s, uint64_t id, int fd, uint32_t status)
{
	struct hs_result res = { .id = id, .status = status };

	if (fd >= 0)
		close(fd);
	hs_nl_source.done(s, &res);
}

static void *src_open(unsigned int idx, void *arg)
{
	struct nlsrc *s = calloc(1, sizeof(*s));
	int one = 1, size = RCVBUF_BYTES, r;

	(void)arg;
	if (!s) {
		hs_err("worker %u: out of memory", idx);
		return NULL;
	}
	s->idx = idx;
	s->family = -1;
	s->sk = nl_socket_alloc();
	if (!s->sk) {
		hs_err("worker %u: out of memory", idx);
		free(s);
		return NULL;
	}
	r = nl_connect(s->sk, NETLINK_GENERIC);
	if (r < 0) {
		hs_err("worker %u: cannot open a generic netlink socket: %s", idx, nl_geterror(r));
		nl_socket_free(s->sk);
		free(s);
		return NULL;
	}
	nl_socket_disable_auto_ack(s->sk);
	s->fd = nl_socket_get_fd(s->sk);
	(void)fcntl(s->fd, F_SETFD, FD_CLOEXEC);
	(void)setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* room for bursts of notifications; beyond rmem_max needs CAP_NET_ADMIN */
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	(void)resolve(s);
	return s;
}

static int src_fd(void *src)
{
	return ((struct nlsrc *)src)->fd;
}

static int src_readable(void *src)
{
	struct nlsrc *s = src;
	int r, n = 0;

	while ((r = recv_one(s, NULL)) > 0 && n++ < 256)
		;
	if (r < 0)
		hs_err("worker %u: netlink: %s", s->idx, strerror(-r));
	r = s->ready > 0 || s->nqueue;
	s->ready = 0;
	return r;
}

static int src_accept(void *src, struct hs_upcall *up)
{
	struct nlsrc *s = src;
	struct req rq = { 0 };
	struct nl_msg *msg;
	int r;

	if (!s->nqueue) {
		if (s->family < 0)
			return -ENOENT;
		msg = new_msg(s, SPLICER_CMD_TLS_ACCEPT);
		if (!msg)
			return -ENOMEM;
		r = request(s, msg, &rq);
		if (r == -ENOENT && !s->nqueue)
			return -ENOENT;
		if (r && !s->nqueue) {
			hs_err("worker %u: TLS_ACCEPT: %s%s%s", s->idx,
			       rq.msg[0] ? rq.msg : strerror(-r), rq.msg[0] ? ": " : "",
			       rq.msg[0] ? strerror(-r) : "");
			if (r == -EPERM)
				hs_err("splicer-handshaked needs CAP_NET_ADMIN");
			return r;
		}
		if (!s->nqueue) {
			hs_err("worker %u: TLS_ACCEPT: acknowledged without a reply", s->idx);
			return -EBADMSG;
		}
	}
	*up = s->queue[0];
	memmove(&s->queue[0], &s->queue[1], (s->nqueue - 1) * sizeof(s->queue[0]));
	s->nqueue--;
	return 0;
}

static int src_done(void *src, const struct hs_result *res)
{
	struct nlsrc *s = src;
	struct req rq = { 0 };
	struct nlattr *nest;
	struct nl_msg *msg;
	/* NUL-terminated and within the kernel's policy (31, 63, 255 bytes) */
	char version[32], cipher[64], sni[256];
	int r;

	if (s->family < 0) {
		hs_info("handshake %llu: the splicer module is gone; no DONE to send",
			(unsigned long long)res->id);
		return -ENOENT;
	}
	snprintf(version, sizeof(version), "%s", res->version ? res->version : "");
	snprintf(cipher, sizeof(cipher), "%s", res->cipher ? res->cipher : "");
	snprintf(sni, sizeof(sni), "%s", res->sni ? res->sni : "");
	msg = new_msg(s, SPLICER_CMD_TLS_DONE);
	nest = msg ? nla_nest_start(msg, NLA_F_NESTED | SPLICER_A_TLS) : NULL;
	if (!nest ||
	    nla_put_u64(msg, SPLICER_TLS_A_ID, res->id) ||
	    nla_put_u32(msg, SPLICER_TLS_A_STATUS, res->status) ||
	    (version[0] && nla_put_string(msg, SPLICER_TLS_A_VERSION, version)) ||
	    (cipher[0] && nla_put_string(msg, SPLICER_TLS_A_CIPHER, cipher)) ||
	    (sni[0] && nla_put_string(msg, SPLICER_TLS_A_SNI, sni)) ||
	    (res->resumed && nla_put_flag(msg, SPLICER_TLS_A_RESUMED))) {
		nlmsg_free(msg);
		hs_err("handshake %llu: cannot build TLS_DONE", (unsigned long long)res->id);
		return -ENOMEM;
	}
	nla_nest_end(msg, nest);
	r = request(s, msg, &rq);
	if (r == -ENOENT)
		hs_info("handshake %llu: the kernel no longer waits for it (it timed out "
			"or the connection ended)", (unsigned long long)res->id);
	else if (r)
		hs_err("handshake %llu: TLS_DONE: %s%s%s", (unsigned long long)res->id,
		       rq.msg[0] ? rq.msg : strerror(-r), rq.msg[0] ? ": " : "",
		       rq.msg[0] ? strerror(-r) : "");
	return r;
}

static int src_tick(void *src)
{
	struct nlsrc *s = src;
	int r = resolve(s);

	if (s->overruns) {
		hs_warn("worker %u: netlink socket overflowed %lu time(s) (notifications lost)",
			s->idx, s->overruns);
		s->overruns = 0;
	}
	return r > 0;
}

static void src_close(void *src)
{
	struct nlsrc *s = src;
	unsigned int i;

	/* handshakes read but never started: they still get their DONE */
	for (i = 0; i < s->nqueue; i++) {
		struct hs_result res = { .id = s->queue[i].id, .status = ESHUTDOWN };

		if (s->queue[i].fd >= 0)
			close(s->queue[i].fd);
		src_done(s, &res);
	}
	nl_socket_free(s->sk);
	free(s);
}

const struct hs_source_ops hs_nl_source = {
	.open = src_open,
	.fd = src_fd,
	.readable = src_readable,
	.accept = src_accept,
	.done = src_done,
	.tick = src_tick,
	.close = src_close,
};

int hs_nl_probe(void)
{
	struct nlsrc *s = src_open(1000, NULL);	/* not worker 0: quiet */
	int found;

	if (!s)
		return -1;
	found = s->family >= 0;
	nl_socket_free(s->sk);
	free(s);
	return found;
}
