// SPDX-License-Identifier: GPL-2.0
/*
 * Decision log records (see log.h). A record is built only when someone
 * listens on the group, with non-sleeping allocations; a record that finds
 * a reader's socket full is dropped and counted (SPLICER_CNT_LOG_DROPS).
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/ktime.h>
#include <net/genetlink.h>
#include "conn.h"
#include "log.h"
#include "netlink.h"
#include "netns.h"
#include "sysfs.h"

#define SPL_LOG_GFP	(GFP_NOWAIT | __GFP_NOWARN)

static const char *const method_names[] = {
	[SPL_HTTP_M_GET] = "GET", [SPL_HTTP_M_HEAD] = "HEAD",
	[SPL_HTTP_M_POST] = "POST", [SPL_HTTP_M_PUT] = "PUT",
	[SPL_HTTP_M_DELETE] = "DELETE", [SPL_HTTP_M_OPTIONS] = "OPTIONS",
	[SPL_HTTP_M_PATCH] = "PATCH", [SPL_HTTP_M_CONNECT] = "CONNECT",
	[SPL_HTTP_M_TRACE] = "TRACE",
};

static void copy_text(char *dst, size_t size, const u8 *src, u32 len)
{
	len = min_t(u32, len, size - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

void spl_log_req_init(struct spl_conn *conn, struct spl_log_req *e,
		      const u8 *head)
{
	const struct spl_http_req *req = &conn->req;
	u32 i = req->line_off;

	memset(e, 0, sizeof(*e));
	e->method = req->method;
	e->upgrade = (req->flags & SPL_HTTP_F_UPGRADE) ||
		     req->method == SPL_HTTP_M_CONNECT;
	e->no = conn->requests + 1;
	/* the first head was complete before the server was chosen */
	e->t_head = !conn->requests && conn->t_first_head ? conn->t_first_head :
							    ktime_get_ns();
	if (req->method < ARRAY_SIZE(method_names) && method_names[req->method]) {
		strscpy(e->method_text, method_names[req->method],
			sizeof(e->method_text));
	} else {
		while (head[i] != ' ')
			i++;
		copy_text(e->method_text, sizeof(e->method_text),
			  head + req->line_off, i - req->line_off);
	}
	copy_text(e->target, sizeof(e->target), head + req->target_off,
		  req->target_len);
	copy_text(e->host, sizeof(e->host), head + req->host_off, req->host_len);
	/* until spl_persist_request() says more: what chose the server */
	if (!conn->requests)
		e->persist = spl_persist_words(conn->pst.mode, conn->pst.pv);
}

static u32 us_between(u64 from, u64 to)
{
	if (!from || to < from)
		return 0;
	return min_t(u64, div_u64(to - from, NSEC_PER_USEC), U32_MAX);
}

static int put_common(struct sk_buff *skb, struct spl_conn *conn, u8 kind)
{
	const struct sockaddr_storage *ss = &conn->client;
	int err;

	err = nla_put_u8(skb, SPLICER_LOG_A_KIND, kind) ||
	      nla_put_u64_64bit(skb, SPLICER_LOG_A_TIME, ktime_get_real_ns(),
				SPLICER_LOG_A_PAD) ||
	      nla_put_u64_64bit(skb, SPLICER_LOG_A_CONN_ID, conn->id,
				SPLICER_LOG_A_PAD) ||
	      nla_put_string(skb, SPLICER_LOG_A_SERVICE, conn->svc->name);
	if (!err && ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		err = nla_put_u16(skb, SPLICER_LOG_A_CLIENT_FAMILY, AF_INET) ||
		      nla_put(skb, SPLICER_LOG_A_CLIENT_ADDR, 4, &sin->sin_addr) ||
		      nla_put_u16(skb, SPLICER_LOG_A_CLIENT_PORT, ntohs(sin->sin_port));
	} else if (!err && ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		err = nla_put_u16(skb, SPLICER_LOG_A_CLIENT_FAMILY, AF_INET6) ||
		      nla_put(skb, SPLICER_LOG_A_CLIENT_ADDR, 16, &sin6->sin6_addr) ||
		      nla_put_u16(skb, SPLICER_LOG_A_CLIENT_PORT, ntohs(sin6->sin6_port));
	}
	if (!err && conn->pool_name[0])
		err = nla_put_string(skb, SPLICER_LOG_A_POOL, conn->pool_name);
	if (!err && conn->srv_name[0])
		err = nla_put_string(skb, SPLICER_LOG_A_SERVER, conn->srv_name);
	if (!err && conn->decision[0])
		err = nla_put_string(skb, SPLICER_LOG_A_DECISION, conn->decision);
	if (!err)
		err = nla_put_u32(skb, SPLICER_LOG_A_RETRIES,
				  conn->ntried ? conn->ntried - 1 : 0);
	if (!err && conn->rule)
		err = nla_put_u32(skb, SPLICER_LOG_A_RULE, conn->rule);
	return err ? -EMSGSIZE : 0;
}

/* Allocate a record, or NULL when nobody listens (or no memory: a drop). */
static struct sk_buff *record_new(struct spl_conn *conn, void **hdr,
				  struct nlattr **nest)
{
	struct sk_buff *skb;

	if (!spl_netlink_log_wanted(conn->sn->net))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, SPL_LOG_GFP);
	if (!skb) {
		spl_stats_inc(&conn->sn->stats, SPLICER_CNT_LOG_DROPS);
		spl_stats_inc(&spl_global_stats, SPLICER_CNT_LOG_DROPS);
		return NULL;
	}
	*hdr = spl_netlink_log_put(skb);
	*nest = *hdr ? nla_nest_start(skb, SPLICER_A_LOG) : NULL;
	if (!*nest) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void record_send(struct spl_conn *conn, struct sk_buff *skb, void *hdr,
			struct nlattr *nest)
{
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	if (spl_netlink_log_send(conn->sn->net, skb, SPL_LOG_GFP) == -ENOBUFS) {
		spl_stats_inc(&conn->sn->stats, SPLICER_CNT_LOG_DROPS);
		spl_stats_inc(&spl_global_stats, SPLICER_CNT_LOG_DROPS);
	}
}

void spl_log_request(struct spl_conn *conn, const struct spl_log_req *e,
		     u16 status, bool generated, const char *reason,
		     const char *end)
{
	u64 now = ktime_get_ns();
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	skb = record_new(conn, &hdr, &nest);
	if (!skb)
		return;
	if (put_common(skb, conn, SPLICER_LOG_REQUEST) ||
	    (status && nla_put_u16(skb, SPLICER_LOG_A_STATUS, status)) ||
	    (generated && nla_put_flag(skb, SPLICER_LOG_A_GENERATED)) ||
	    (reason && nla_put_string(skb, SPLICER_LOG_A_REASON, reason)) ||
	    (end && nla_put_string(skb, SPLICER_LOG_A_END, end)))
		goto drop;
	if (e && (nla_put_u32(skb, SPLICER_LOG_A_REQUEST_NO, e->no) ||
		  nla_put_string(skb, SPLICER_LOG_A_METHOD, e->method_text) ||
		  nla_put_string(skb, SPLICER_LOG_A_TARGET, e->target) ||
		  (e->host[0] && nla_put_string(skb, SPLICER_LOG_A_HOST, e->host)) ||
		  (e->persist && nla_put_string(skb, SPLICER_LOG_A_PERSIST, e->persist)) ||
		  nla_put_u32(skb, SPLICER_LOG_A_T_HEAD,
			      us_between(conn->start_ns, e->t_head)) ||
		  (e->t_resp && nla_put_u32(skb, SPLICER_LOG_A_T_RESPONSE,
					    us_between(e->t_head, e->t_resp))) ||
		  nla_put_u32(skb, SPLICER_LOG_A_T_TOTAL, us_between(e->t_head, now))))
		goto drop;
	if (conn->t_connect &&
	    nla_put_u32(skb, SPLICER_LOG_A_T_CONNECT,
			us_between(conn->start_ns, conn->t_connect)))
		goto drop;
	record_send(conn, skb, hdr, nest);
	return;
drop:
	nlmsg_free(skb);
}

void spl_log_conn(struct spl_conn *conn, const char *end)
{
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	skb = record_new(conn, &hdr, &nest);
	if (!skb)
		return;
	if (put_common(skb, conn, SPLICER_LOG_CONN) ||
	    nla_put_u32(skb, SPLICER_LOG_A_REQUEST_NO, conn->requests) ||
	    (conn->status && nla_put_u16(skb, SPLICER_LOG_A_STATUS, conn->status)) ||
	    (conn->status && nla_put_flag(skb, SPLICER_LOG_A_GENERATED)) ||
	    (conn->req.reason && nla_put_string(skb, SPLICER_LOG_A_REASON, conn->req.reason)) ||
	    nla_put_string(skb, SPLICER_LOG_A_END, end) ||
	    (conn->splice_tries && nla_put_string(skb, SPLICER_LOG_A_SPLICE,
						  conn->splice_why ?: "spliced")) ||
	    (conn->tls && conn->hs.info[0] &&
	     nla_put_string(skb, SPLICER_LOG_A_TLS, conn->hs.info)) ||
	    (conn->t_connect && nla_put_u32(skb, SPLICER_LOG_A_T_CONNECT,
					    us_between(conn->start_ns, conn->t_connect))) ||
	    nla_put_u32(skb, SPLICER_LOG_A_T_TOTAL,
			us_between(conn->start_ns, ktime_get_ns())) ||
	    nla_put_u64_64bit(skb, SPLICER_LOG_A_BYTES_IN, conn->bytes_in,
			      SPLICER_LOG_A_PAD) ||
	    nla_put_u64_64bit(skb, SPLICER_LOG_A_BYTES_OUT, conn->bytes_out,
			      SPLICER_LOG_A_PAD)) {
		nlmsg_free(skb);
		return;
	}
	record_send(conn, skb, hdr, nest);
}

void spl_log_health(struct net *net, const char *pool, const char *server,
		    const char *health, const char *cause)
{
	struct spl_net *sn = spl_net(net);
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	if (!spl_netlink_log_wanted(net))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, SPL_LOG_GFP);
	if (!skb)
		goto drop;
	hdr = spl_netlink_log_put(skb);
	nest = hdr ? nla_nest_start(skb, SPLICER_A_LOG) : NULL;
	if (!nest ||
	    nla_put_u8(skb, SPLICER_LOG_A_KIND, SPLICER_LOG_HEALTH) ||
	    nla_put_u64_64bit(skb, SPLICER_LOG_A_TIME, ktime_get_real_ns(),
			      SPLICER_LOG_A_PAD) ||
	    nla_put_string(skb, SPLICER_LOG_A_POOL, pool) ||
	    nla_put_string(skb, SPLICER_LOG_A_SERVER, server) ||
	    nla_put_string(skb, SPLICER_LOG_A_HEALTH, health) ||
	    nla_put_string(skb, SPLICER_LOG_A_REASON, cause)) {
		nlmsg_free(skb);
		return;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	if (spl_netlink_log_send(net, skb, SPL_LOG_GFP) != -ENOBUFS)
		return;
drop:
	spl_stats_inc(&sn->stats, SPLICER_CNT_LOG_DROPS);
	spl_stats_inc(&spl_global_stats, SPLICER_CNT_LOG_DROPS);
}
