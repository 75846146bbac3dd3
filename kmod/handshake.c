// SPDX-License-Identifier: GPL-2.0
/*
 * TLS handshake upcall (see handshake.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <net/genetlink.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>
#include <net/tls.h>
#include "conn.h"
#include "handshake.h"
#include "netlink.h"
#include "netns.h"
#include "nl_util.h"

static unsigned int max_handshakes = 1024;
module_param(max_handshakes, uint, 0644);
MODULE_PARM_DESC(max_handshakes,
		 "TLS handshakes waiting or in progress per network namespace; more are reset");

void spl_handshake_net_init(struct spl_net *sn)
{
	spin_lock_init(&sn->hs_lock);
	INIT_LIST_HEAD(&sn->hs_pending);
	INIT_LIST_HEAD(&sn->hs_accepted);
}

/* hs_lock held: off its list, completed with @status, its connection woken. */
static void hs_complete(struct spl_net *sn, struct spl_conn *conn, int status,
		     const char *why)
{
	struct spl_handshake *hs = &conn->hs;

	lockdep_assert_held(&sn->hs_lock);
	list_del(&hs->node);
	hs->queued = false;
	sn->hs_count--;
	hs->done = true;
	hs->status = status;
	if (why)
		strscpy(hs->info, why, sizeof(hs->info));
	spl_conn_wake(conn);
}

int spl_handshake_start(struct spl_conn *conn, const char **why)
{
	struct spl_handshake *hs = &conn->hs;
	struct spl_net *sn = conn->sn;
	struct sk_buff *msg;
	void *hdr;

	if (!spl_netlink_tls_listening(sn->net)) {
		*why = "no handshake daemon listening";
		return -ENOTCONN;
	}
	spin_lock_bh(&sn->hs_lock);
	if (sn->hs_count >= READ_ONCE(max_handshakes)) {
		spin_unlock_bh(&sn->hs_lock);
		*why = "too many handshakes waiting";
		return -EBUSY;
	}
	hs->id = ++sn->hs_next_id;
	hs->queued = true;
	list_add_tail(&hs->node, &sn->hs_pending);
	sn->hs_count++;
	spin_unlock_bh(&sn->hs_lock);

	/* a hint only: a worker that misses it finds the queue anyway */
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (msg) {
		hdr = genlmsg_put(msg, 0, 0, &spl_genl_family, 0, SPLICER_CMD_TLS_READY);
		if (hdr) {
			genlmsg_end(msg, hdr);
			spl_netlink_tls_send(sn->net, msg);
		} else {
			nlmsg_free(msg);
		}
	}
	return 0;
}

bool spl_handshake_cancel(struct spl_conn *conn, int status, const char *why)
{
	struct spl_net *sn = conn->sn;
	bool was_done;

	spin_lock_bh(&sn->hs_lock);
	was_done = conn->hs.done;
	if (conn->hs.queued)
		hs_complete(sn, conn, status, why);
	spin_unlock_bh(&sn->hs_lock);
	return was_done;
}

bool spl_handshake_ktls(struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tls_context *ctx;
	bool ok;

	lock_sock(sk);
	ok = icsk->icsk_ulp_ops && !strcmp(icsk->icsk_ulp_ops->name, "tls");
	if (ok) {
		ctx = tls_get_ctx(sk);
		ok = ctx && ctx->tx_conf != TLS_BASE && ctx->rx_conf != TLS_BASE;
	}
	release_sock(sk);
	return ok;
}

/* Find an accepted handshake by id; hs_lock held. */
static struct spl_conn *find_accepted(struct spl_net *sn, u64 id)
{
	struct spl_handshake *hs;

	list_for_each_entry(hs, &sn->hs_accepted, node)
		if (hs->id == id)
			return container_of(hs, struct spl_conn, hs);
	return NULL;
}

static void spl_handshake_release_id(struct spl_net *sn, u64 id, int status)
{
	struct spl_conn *conn;

	spin_lock_bh(&sn->hs_lock);
	conn = find_accepted(sn, id);
	if (conn)
		hs_complete(sn, conn, status, "the daemon could not be told");
	spin_unlock_bh(&sn->hs_lock);
}

void spl_handshake_forget_cbs(struct sock *sk, void (*data_ready)(struct sock *),
			      void (*write_space)(struct sock *))
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	struct tls_context *ctx;

	lock_sock(sk);
	if (icsk->icsk_ulp_ops && !strcmp(icsk->icsk_ulp_ops->name, "tls")) {
		ctx = tls_get_ctx(sk);
		if (ctx) {
			write_lock_bh(&sk->sk_callback_lock);
			ctx->sk_write_space = write_space;
			if (ctx->rx_conf == TLS_SW)
				tls_sw_ctx_rx(ctx)->saved_data_ready = data_ready;
			write_unlock_bh(&sk->sk_callback_lock);
		}
	}
	release_sock(sk);
}

/* ---- the daemon's side ---- */

int spl_nl_tls_accept(struct sk_buff *skb, struct genl_info *info)
{
	struct spl_net *sn = spl_net(genl_info_net(info));
	struct spl_handshake *hs;
	struct spl_conn *conn;
	struct file *file = NULL;
	char service[SPLICER_NAME_MAX];
	struct nlattr *nest;
	struct sk_buff *msg;
	long left = 0;
	u64 id = 0;
	void *hdr;
	int fd, err;

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		nlmsg_free(msg);
		return fd;
	}
	spin_lock_bh(&sn->hs_lock);
	hs = list_first_entry_or_null(&sn->hs_pending, struct spl_handshake, node);
	if (hs) {
		conn = container_of(hs, struct spl_conn, hs);
		list_move_tail(&hs->node, &sn->hs_accepted);
		hs->portid = info->snd_portid;
		id = hs->id;
		file = get_file(conn->cfile);
		strscpy(service, conn->svc->name, sizeof(service));
		left = (long)(READ_ONCE(conn->deadline) - jiffies);
	}
	spin_unlock_bh(&sn->hs_lock);
	if (!hs) {
		put_unused_fd(fd);
		nlmsg_free(msg);
		set_msg(info->extack, SPL_MSG("no handshake is waiting"));
		return -ENOENT;
	}
	hdr = genlmsg_put_reply(msg, info, &spl_genl_family, 0, SPLICER_CMD_TLS_ACCEPT);
	nest = hdr ? nla_nest_start(msg, SPLICER_A_TLS) : NULL;
	if (!nest ||
	    nla_put_u64_64bit(msg, SPLICER_TLS_A_ID, id, SPLICER_TLS_A_PAD) ||
	    nla_put_u32(msg, SPLICER_TLS_A_FD, fd) ||
	    nla_put_string(msg, SPLICER_TLS_A_SERVICE, service) ||
	    nla_put_u32(msg, SPLICER_TLS_A_TIMEOUT,
			left > 0 ? jiffies_to_msecs(left) : 0)) {
		/* nobody will ever do this one: fail it now */
		put_unused_fd(fd);
		fput(file);
		nlmsg_free(msg);
		spl_handshake_release_id(sn, id, -EMSGSIZE);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	/*
	 * The reply goes first, as in net/handshake: a reply that cannot be
	 * delivered leaves no descriptor behind in the worker's table, and the
	 * handshake is completed at once instead of waiting for its timeout.
	 * The worker cannot read the reply before this syscall returns.
	 */
	err = genlmsg_reply(msg, info);
	if (err) {
		put_unused_fd(fd);
		fput(file);
		spl_handshake_release_id(sn, id, err);
		return err;
	}
	fd_install(fd, file);
	return 0;
}

static const struct nla_policy spl_tls_policy[SPLICER_TLS_A_MAX + 1] = {
	[SPLICER_TLS_A_ID] = { .type = NLA_U64 },
	[SPLICER_TLS_A_FD] = { .type = NLA_REJECT },
	[SPLICER_TLS_A_SERVICE] = { .type = NLA_REJECT },
	[SPLICER_TLS_A_STATUS] = NLA_POLICY_MAX(NLA_U32, 4095),
	[SPLICER_TLS_A_TIMEOUT] = { .type = NLA_REJECT },
	[SPLICER_TLS_A_VERSION] = { .type = NLA_NUL_STRING, .len = 31 },
	[SPLICER_TLS_A_CIPHER] = { .type = NLA_NUL_STRING, .len = 63 },
	[SPLICER_TLS_A_SNI] = { .type = NLA_NUL_STRING, .len = 255 },
	[SPLICER_TLS_A_RESUMED] = { .type = NLA_FLAG },
};

static const char *status_words(u32 status)
{
	switch (status) {
	case EPROTO: return "protocol error";
	case ETIMEDOUT: return "timed out";
	case ECONNRESET: return "reset by the client";
	case EOPNOTSUPP: return "kTLS not available";
	case ENOENT: return "no certificate for the service";
	case EACCES: return "refused";
	case ENOMEM: return "no memory";
	}
	return "error";
}

int spl_nl_tls_done(struct sk_buff *skb, struct genl_info *info)
{
	struct spl_net *sn = spl_net(genl_info_net(info));
	struct nlattr *tb[SPLICER_TLS_A_MAX + 1];
	struct spl_conn *conn;
	char why[96];
	u32 status;
	int err;
	u64 id;

	if (!info->attrs[SPLICER_A_TLS]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, SPLICER_A_TLS);
		set_msg(info->extack, SPL_MSG("missing the TLS nest"));
		return -EINVAL;
	}
	err = nla_parse_nested(tb, SPLICER_TLS_A_MAX, info->attrs[SPLICER_A_TLS],
			       spl_tls_policy, info->extack);
	if (err)
		return err;
	if (!tb[SPLICER_TLS_A_ID] || !tb[SPLICER_TLS_A_STATUS]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[SPLICER_A_TLS],
				     tb[SPLICER_TLS_A_ID] ? SPLICER_TLS_A_STATUS : SPLICER_TLS_A_ID);
		set_msg(info->extack, SPL_MSG("DONE needs ID and STATUS"));
		return -EINVAL;
	}
	id = nla_get_u64(tb[SPLICER_TLS_A_ID]);
	status = nla_get_u32(tb[SPLICER_TLS_A_STATUS]);
	if (status)
		scnprintf(why, sizeof(why), "handshake failed (%s)", status_words(status));
	else
		scnprintf(why, sizeof(why), "%s %s%s%s%s",
			  tb[SPLICER_TLS_A_VERSION] ? (char *)nla_data(tb[SPLICER_TLS_A_VERSION]) : "TLS",
			  tb[SPLICER_TLS_A_CIPHER] ? (char *)nla_data(tb[SPLICER_TLS_A_CIPHER]) : "",
			  tb[SPLICER_TLS_A_SNI] ? " sni=" : "",
			  tb[SPLICER_TLS_A_SNI] ? (char *)nla_data(tb[SPLICER_TLS_A_SNI]) : "",
			  tb[SPLICER_TLS_A_RESUMED] ? " resumed" : "");
	spin_lock_bh(&sn->hs_lock);
	conn = find_accepted(sn, id);
	if (conn)
		hs_complete(sn, conn, -(int)status, why);
	spin_unlock_bh(&sn->hs_lock);
	if (!conn) {
		reject(info->extack, tb[SPLICER_TLS_A_ID],
		       SPL_MSG("ID: no such handshake in progress (timed out or ended)"));
		return -ENOENT;
	}
	return 0;
}

void spl_handshake_release(struct net *net, u32 portid)
{
	struct spl_net *sn = spl_net(net);
	struct spl_handshake *hs, *tmp;

	spin_lock_bh(&sn->hs_lock);
	list_for_each_entry_safe(hs, tmp, &sn->hs_accepted, node)
		if (hs->portid == portid)
			hs_complete(sn, container_of(hs, struct spl_conn, hs), -ECONNABORTED,
				 "the handshake daemon went away");
	spin_unlock_bh(&sn->hs_lock);
}

/* A daemon worker's netlink socket closed (exit, crash, restart). */
static int spl_netlink_notify(struct notifier_block *nb, unsigned long state,
			      void *ptr)
{
	struct netlink_notify *n = ptr;

	if (state == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC && n->portid)
		spl_handshake_release(n->net, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block spl_netlink_nb = {
	.notifier_call = spl_netlink_notify,
};

int spl_handshake_init(void)
{
	return netlink_register_notifier(&spl_netlink_nb);
}

void spl_handshake_exit(void)
{
	netlink_unregister_notifier(&spl_netlink_nb);
}
