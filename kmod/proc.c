// SPDX-License-Identifier: GPL-2.0
/*
 * procfs tables, per netns: a header line naming the columns, then one
 * whitespace-separated row per object. Readers walk the lists under RCU.
 * conns is root-only: it walks every connection with a spinlock held.
 */
#include <linux/jiffies.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/sched/clock.h>
#include "conn.h"
#include "netns.h"
#include "pool.h"
#include "proc.h"
#include "service.h"
#include "splice.h"

static const char *const srv_state_names[] = {
	[SPLICER_SRV_STATE_UP] = "up",
	[SPLICER_SRV_STATE_DRAIN] = "drain",
	[SPLICER_SRV_STATE_MAINT] = "maint",
};

static void put_addr(struct seq_file *m, const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		seq_printf(m, " %pI6c %u", &((struct sockaddr_in6 *)ss)->sin6_addr,
			   ntohs(((struct sockaddr_in6 *)ss)->sin6_port));
	else
		seq_printf(m, " %pI4 %u", &((struct sockaddr_in *)ss)->sin_addr,
			   ntohs(((struct sockaddr_in *)ss)->sin_port));
}

static int services_show(struct seq_file *m, void *v)
{
	struct spl_net *sn = spl_net(seq_file_single_net(m));
	static const int cols[] = {
		SPLICER_CNT_CONNS, SPLICER_CNT_ACTIVE, SPLICER_CNT_REQUESTS,
		SPLICER_CNT_BYTES_IN, SPLICER_CNT_BYTES_OUT,
		SPLICER_CNT_CONNECT_FAIL, SPLICER_CNT_RETRIES,
		SPLICER_CNT_RESP_400, SPLICER_CNT_RESP_408, SPLICER_CNT_RESP_431,
		SPLICER_CNT_RESP_502, SPLICER_CNT_RESP_503, SPLICER_CNT_RESP_504,
		SPLICER_CNT_RESP_501, SPLICER_CNT_RESP_505, SPLICER_CNT_RESP_414,
		SPLICER_CNT_PERSIST_HITS, SPLICER_CNT_PERSIST_NEW,
		SPLICER_CNT_PERSIST_REDISPATCH, SPLICER_CNT_PERSIST_INVALID,
		SPLICER_CNT_STICK_EVICTIONS,
	};
	static const char *const modes[] = {
		[SPLICER_PERSIST_NONE] = "none", [SPLICER_PERSIST_COOKIE] = "cookie",
		[SPLICER_PERSIST_PREFIX] = "prefix", [SPLICER_PERSIST_LEARN] = "learn",
		[SPLICER_PERSIST_SOURCE] = "source", [SPLICER_PERSIST_HASH] = "hash",
	};
	struct spl_service *svc;
	struct spl_pool *pool;
	int i;

	seq_puts(m, "name addr port pool conns active requests bytes_in bytes_out connect_fail retries r400 r408 r431 r502 r503 r504 r501 r505 r414 persist_hits persist_new persist_redispatch persist_invalid stick_evictions persist\n");
	rcu_read_lock();
	list_for_each_entry_rcu(svc, &sn->services, node) {
		seq_puts(m, svc->name);
		put_addr(m, &svc->addr);
		pool = rcu_dereference(svc->pool);
		seq_printf(m, " %s", pool ? pool->name : "-");
		for (i = 0; i < ARRAY_SIZE(cols); i++)
			seq_printf(m, " %llu", spl_stats_read(&svc->stats, cols[i]));
		seq_printf(m, " %s\n", modes[rcu_dereference(svc->persist)->mode]);
	}
	rcu_read_unlock();
	return 0;
}

static int servers_show(struct seq_file *m, void *v)
{
	struct spl_net *sn = spl_net(seq_file_single_net(m));
	static const int cols[] = {
		SPLICER_CNT_CONNS, SPLICER_CNT_ACTIVE, SPLICER_CNT_REQUESTS,
		SPLICER_CNT_BYTES_IN, SPLICER_CNT_BYTES_OUT,
		SPLICER_CNT_CONNECT_FAIL,
	};
	struct spl_server *srv;
	struct spl_pool *pool;
	int i;

	static const char *const health[] = {
		[SPLICER_HEALTH_UNCHECKED] = "unchecked",
		[SPLICER_HEALTH_UP] = "up", [SPLICER_HEALTH_DOWN] = "down",
	};
	struct spl_health_view hv;

	/* last_check is last: its words may hold spaces */
	seq_puts(m, "pool name addr port weight maxconn state conns active requests bytes_in bytes_out connect_fail health check_fails checks checks_failed latency_us downs passive_errors last_check\n");
	rcu_read_lock();
	list_for_each_entry_rcu(pool, &sn->pools, node) {
		list_for_each_entry_rcu(srv, &pool->servers, node) {
			seq_printf(m, "%s %s", pool->name, srv->name);
			put_addr(m, &srv->addr);
			seq_printf(m, " %u %u %s", READ_ONCE(srv->weight),
				   READ_ONCE(srv->maxconn),
				   srv_state_names[READ_ONCE(srv->state)]);
			for (i = 0; i < ARRAY_SIZE(cols); i++)
				seq_printf(m, " %llu",
					   spl_stats_read(&srv->stats, cols[i]));
			spl_health_view(srv, &hv);
			seq_printf(m, " %s %u %llu %llu %u %u %llu %s\n",
				   health[hv.state], hv.fails, hv.checks,
				   hv.checks_failed, hv.latency_us, hv.downs,
				   hv.passive_total, hv.result);
		}
	}
	rcu_read_unlock();
	return 0;
}

static int conns_show(struct seq_file *m, void *v)
{
	struct spl_net *sn = spl_net(seq_file_single_net(m));
	u64 now = ktime_get_ns();
	struct spl_service *svc;
	struct spl_conn *conn;

	seq_puts(m, "id service client server state age_ms bytes_in bytes_out\n");
	rcu_read_lock();
	list_for_each_entry_rcu(svc, &sn->services, node) {
		spin_lock_bh(&svc->conns_lock);
		list_for_each_entry(conn, &svc->conns, node) {
			struct spl_server *srv = READ_ONCE(conn->srv);

			seq_printf(m, "%llu %s %pISpc %s %s %llu %llu %llu",
				   conn->id, svc->name, &conn->client,
				   srv ? srv->name : "-",
				   spl_conn_state_names[READ_ONCE(conn->state)],
				   div_u64(now - conn->start_ns, NSEC_PER_MSEC),
				   READ_ONCE(conn->up.bytes),
				   READ_ONCE(conn->down.bytes));
			spl_splice_show(m, conn);	/* offsets, when spliced */
			seq_putc(m, '\n');
		}
		spin_unlock_bh(&svc->conns_lock);
	}
	rcu_read_unlock();
	return 0;
}

struct stick_show {
	struct seq_file *m;
	const char *service;
};

static int stick_line(void *arg, const struct spl_stick_key *key,
		      const struct spl_stick_val *val, u32 idle)
{
	struct stick_show *ss = arg;
	struct seq_file *m = ss->m;

	if (key->kind == SPLICER_STICK_SESSION)
		seq_printf(m, "%s session %.*s", ss->service, key->len, key->data);
	else if (key->family == AF_INET)
		seq_printf(m, "%s source %pI4/%u", ss->service, key->data, key->prefix);
	else
		seq_printf(m, "%s source %pI6c/%u", ss->service, key->data, key->prefix);
	seq_printf(m, " %s %u\n", val->srv, idle);
	return 0;
}

/* Session ids are secrets: the file is for root (0400). */
static int stick_show(struct seq_file *m, void *v)
{
	struct spl_net *sn = spl_net(seq_file_single_net(m));
	struct stick_show ss = { .m = m };
	struct spl_service *svc;
	u64 now = spl_stick_now();

	seq_puts(m, "service kind key server idle_s\n");
	mutex_lock(&sn->lock);		/* keeps every listed service */
	list_for_each_entry(svc, &sn->services, node) {
		ss.service = svc->name;
		spl_stick_walk(svc->stick, now, 0, stick_line, &ss);
	}
	mutex_unlock(&sn->lock);
	return 0;
}

int spl_proc_init(struct spl_net *sn)
{
	struct net *net = sn->net;

	sn->proc = proc_net_mkdir(net, "splicer", net->proc_net);
	if (!sn->proc)
		return -ENOMEM;
	if (!proc_create_net_single("services", 0444, sn->proc, services_show, NULL) ||
	    !proc_create_net_single("servers", 0444, sn->proc, servers_show, NULL) ||
	    !proc_create_net_single("conns", 0400, sn->proc, conns_show, NULL) ||
	    !proc_create_net_single("stick", 0400, sn->proc, stick_show, NULL)) {
		remove_proc_subtree("splicer", net->proc_net);
		sn->proc = NULL;
		return -ENOMEM;
	}
	return 0;
}

void spl_proc_exit(struct spl_net *sn)
{
	if (sn->proc)
		remove_proc_subtree("splicer", sn->net->proc_net);
	sn->proc = NULL;
}
