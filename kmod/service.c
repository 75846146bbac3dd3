// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual services and their in-kernel listeners.
 *
 * The listener's sk_data_ready (softirq) only queues accept_work; accepting
 * and everything after it runs in process context on spl_wq.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include "conn.h"
#include "netns.h"
#include "nl_rules.h"
#include "service.h"

#define SPL_BACKLOG		1024
#define SPL_ACCEPT_BUDGET	64

void spl_service_cfg_default(struct spl_service_cfg *cfg)
{
	*cfg = (struct spl_service_cfg){
		.head_max = SPL_HEAD_MAX_DEFAULT,
		.header_timeout = SPL_HEADER_TIMEOUT_DEFAULT,
		.connect_timeout = SPL_CONNECT_TIMEOUT_DEFAULT,
		.server_timeout = SPL_SERVER_TIMEOUT_DEFAULT,
		.idle_timeout = SPL_IDLE_TIMEOUT_DEFAULT,
		.retries = SPL_RETRIES_DEFAULT,
		.max_line = SPL_HTTP_MAX_LINE,
		.max_headers = SPL_HTTP_MAX_HEADERS,
		.handshake_timeout = SPL_HANDSHAKE_TIMEOUT_DEFAULT,
		.location_rewrite = 1,
	};
}

static void spl_listen_data_ready(struct sock *sk)
{
	struct spl_service *svc;

	read_lock_bh(&sk->sk_callback_lock);
	svc = __locked_read_sk_user_data_with_flags(sk, 0);
	/* accepted children inherit this callback, but not the pointer */
	if (svc && sk->sk_state == TCP_LISTEN)
		queue_work(spl_wq, &svc->accept_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void spl_accept_work(struct work_struct *work)
{
	struct spl_service *svc = container_of(work, struct spl_service,
					       accept_work);
	struct socket *sock;
	int i;

	for (i = 0; i < SPL_ACCEPT_BUDGET; i++) {
		if (kernel_accept(svc->lsock, &sock, O_NONBLOCK))
			return;
		spl_conn_start(svc, sock);
	}
	queue_work(spl_wq, &svc->accept_work);	/* more may be waiting */
}

static void spl_unlisten(struct spl_service *svc)
{
	struct sock *sk = svc->lsock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	rcu_assign_sk_user_data(sk, NULL);
	sk->sk_data_ready = svc->saved_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	cancel_work_sync(&svc->accept_work);
	sock_release(svc->lsock);
	svc->lsock = NULL;
}

static int spl_listen(struct spl_service *svc)
{
	struct sockaddr_storage *ss = &svc->addr;
	int len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
					      sizeof(struct sockaddr_in);
	struct socket *sock;
	struct sock *sk;
	int err;

	err = sock_create_kern(svc->sn->net, ss->ss_family, SOCK_STREAM,
			       IPPROTO_TCP, &sock);
	if (err)
		return err;
	sk = sock->sk;
	sock_set_reuseaddr(sk);
	ip_sock_set_freebind(sk);	/* a VIP may come up after the service */
	if (ss->ss_family == AF_INET6)
		ip6_sock_set_v6only(sk);
	err = kernel_bind(sock, (struct sockaddr *)ss, len);
	if (err)
		goto fail;

	/* the accept work may run as soon as the callback is in place */
	svc->lsock = sock;
	write_lock_bh(&sk->sk_callback_lock);
	svc->saved_data_ready = sk->sk_data_ready;
	__rcu_assign_sk_user_data_with_flags(sk, svc, SK_USER_DATA_NOCOPY);
	sk->sk_data_ready = spl_listen_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);

	err = kernel_listen(sock, SPL_BACKLOG);
	if (err) {
		spl_unlisten(svc);
		return err;
	}
	return 0;
fail:
	sock_release(sock);
	return err;
}

/*
 * spl_service_create - make a service and start listening.
 * Caller holds sn->lock and links the result into sn->services.
 * Return: the service (one reference, the caller's), or NULL with *@err.
 */
struct spl_service *spl_service_create(struct spl_net *sn, const char *name,
				       const struct sockaddr_storage *addr,
				       struct spl_pool *pool,
				       const struct spl_service_cfg *cfg,
				       int *err)
{
	struct spl_service *svc;

	lockdep_assert_held(&sn->lock);
	svc = kzalloc(sizeof(*svc), GFP_KERNEL);
	if (!svc) {
		*err = -ENOMEM;
		return NULL;
	}
	svc->stick = spl_stick_alloc();
	RCU_INIT_POINTER(svc->persist, spl_persist_new());
	if (!svc->stick || !rcu_access_pointer(svc->persist)) {
		spl_stick_free(svc->stick);
		spl_persist_free(rcu_access_pointer(svc->persist));
		kfree(svc);
		*err = -ENOMEM;
		return NULL;
	}
	kref_init(&svc->ref);
	svc->sn = sn;
	strscpy(svc->name, name, sizeof(svc->name));
	svc->addr = *addr;
	svc->cfg = *cfg;
	INIT_WORK(&svc->accept_work, spl_accept_work);
	spin_lock_init(&svc->conns_lock);
	INIT_LIST_HEAD(&svc->conns);

	/* the pool first: the listener takes connections at once */
	rcu_assign_pointer(svc->pool, pool);
	*err = spl_listen(svc);
	if (*err) {
		spl_stick_free(svc->stick);
		spl_persist_free(rcu_access_pointer(svc->persist));
		kfree(svc);
		return NULL;
	}
	pool->users++;
	atomic_inc(&spl_objects);
	return svc;
}

/*
 * spl_service_destroy - stop a service that is already off sn->services.
 * Caller holds sn->lock. Stops accepting, asks every connection to end
 * and drops the list's reference; connections finish on their own (the
 * netns exit and module unload wait for them).
 */
void spl_service_destroy(struct spl_service *svc)
{
	struct spl_pool *pool;
	struct spl_conn *conn;

	lockdep_assert_held(&svc->sn->lock);
	spin_lock_bh(&svc->conns_lock);
	svc->stopping = true;
	spin_unlock_bh(&svc->conns_lock);

	spl_unlisten(svc);

	spin_lock_bh(&svc->conns_lock);
	list_for_each_entry(conn, &svc->conns, node)
		spl_conn_kill(conn);
	spin_unlock_bh(&svc->conns_lock);

	spl_rules_destroy(svc);
	pool = rcu_dereference_protected(svc->pool,
					 lockdep_is_held(&svc->sn->lock));
	pool->users--;
	RCU_INIT_POINTER(svc->pool, NULL);	/* late connects find no pool */
	spl_service_put(svc);
}

void spl_service_get(struct spl_service *svc)
{
	kref_get(&svc->ref);
}

static void spl_service_release(struct kref *ref)
{
	struct spl_service *svc = container_of(ref, struct spl_service, ref);

	/* nobody reads either now: connections and the list held references */
	spl_stick_free(svc->stick);
	spl_persist_free(rcu_access_pointer(svc->persist));
	atomic_dec(&spl_objects);
	kfree_rcu(svc, rcu);
}

void spl_service_put(struct spl_service *svc)
{
	kref_put(&svc->ref, spl_service_release);
}

struct spl_service *spl_service_find(struct spl_net *sn, const char *name)
{
	struct spl_service *svc;

	lockdep_assert_held(&sn->lock);
	list_for_each_entry(svc, &sn->services, node)
		if (!strcmp(svc->name, name))
			return svc;
	return NULL;
}
