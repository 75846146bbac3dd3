// SPDX-License-Identifier: GPL-2.0
/*
 * splicer: a Layer-7 HTTP load balancer in the kernel.
 *
 * Module init/exit and per-netns state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include "compat.h"
#include "handshake.h"
#include "health.h"
#include "netlink.h"
#include "netns.h"
#include "pool.h"
#include "proc.h"
#include "service.h"
#include "splice.h"
#include "sysfs.h"

unsigned int spl_net_id __read_mostly;
struct workqueue_struct *spl_wq __read_mostly;
atomic_t spl_objects = ATOMIC_INIT(0);
atomic64_t spl_conns_alloc = ATOMIC64_INIT(0);
atomic64_t spl_conns_free = ATOMIC64_INIT(0);

static int __net_init spl_net_init(struct net *net)
{
	struct spl_net *sn = spl_net(net);
	int err;

	sn->net = net;
	mutex_init(&sn->lock);
	INIT_LIST_HEAD(&sn->services);
	INIT_LIST_HEAD(&sn->pools);
	sn->gen = 1;
	atomic_set(&sn->nconns, 0);
	spl_handshake_net_init(sn);
	err = spl_splice_net_init(net);
	if (err)
		return err;
	err = spl_proc_init(sn);
	if (err)
		spl_splice_net_exit(net);
	return err;
}

/*
 * The netns is going away. Its kernel sockets hold no reference on it, so
 * every socket of ours must be closed before this returns: stop the
 * services, then wait for their connections, which close their sockets
 * from the work queue.
 */
static void __net_exit spl_net_exit(struct net *net)
{
	struct spl_net *sn = spl_net(net);
	struct spl_service *svc, *stmp;
	struct spl_pool *pool, *ptmp;

	spl_proc_exit(sn);

	mutex_lock(&sn->lock);
	sn->dying = true;
	list_for_each_entry_safe(svc, stmp, &sn->services, node) {
		list_del_rcu(&svc->node);
		spl_service_destroy(svc);
	}
	list_for_each_entry_safe(pool, ptmp, &sn->pools, node) {
		list_del_rcu(&pool->node);
		spl_pool_free(pool);
	}
	spl_net_changed(sn);
	mutex_unlock(&sn->lock);

	wait_var_event(&sn->nconns, !atomic_read(&sn->nconns));
	/* every splice ended with its connection: no flow needs the hooks */
	spl_splice_net_exit(net);
}

static struct pernet_operations spl_net_ops = {
	.init = spl_net_init,
	.exit = spl_net_exit,
	.id = &spl_net_id,
	.size = sizeof(struct spl_net),
};

static int __init spl_init(void)
{
	int err;

	spl_wq = alloc_workqueue("splicer", 0, 0);
	if (!spl_wq)
		return -ENOMEM;
	/* probes block for up to their timeout: unbound, many at once */
	spl_probe_wq = alloc_workqueue("splicer_probe", WQ_UNBOUND, 0);
	if (!spl_probe_wq) {
		destroy_workqueue(spl_wq);
		return -ENOMEM;
	}
	err = spl_sysfs_init();
	if (err)
		goto err_wq;
	err = register_pernet_subsys(&spl_net_ops);
	if (err)
		goto err_sysfs;
	err = spl_handshake_init();
	if (err)
		goto err_pernet;
	/* ORDER: the family last, so no request arrives before the netns state */
	err = spl_netlink_init();
	if (err)
		goto err_hs;
	pr_info("loaded\n");
	return 0;

err_hs:
	spl_handshake_exit();
err_pernet:
	unregister_pernet_subsys(&spl_net_ops);
err_sysfs:
	spl_sysfs_exit();
err_wq:
	destroy_workqueue(spl_probe_wq);
	destroy_workqueue(spl_wq);
	return err;
}

static void __exit spl_exit(void)
{
	s64 alloc, freed;

	/* ORDER: no new requests, then tear down every netns, then drain */
	spl_netlink_exit();
	spl_handshake_exit();
	unregister_pernet_subsys(&spl_net_ops);
	destroy_workqueue(spl_probe_wq);
	destroy_workqueue(spl_wq);
	spl_sysfs_exit();
	rcu_barrier();		/* kfree_rcu of services, pools, servers */

	alloc = atomic64_read(&spl_conns_alloc);
	freed = atomic64_read(&spl_conns_free);
	pr_info("unload: conns alloc=%lld free=%lld\n", alloc, freed);
	WARN(alloc != freed || atomic_read(&spl_objects),
	     "splicer: leaked %lld connections, %d objects\n",
	     alloc - freed, atomic_read(&spl_objects));
}

module_init(spl_init);
module_exit(spl_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("splicer: Layer-7 HTTP load balancer with in-kernel TCP splicing");
MODULE_AUTHOR("The splicer authors");
MODULE_ALIAS_GENL_FAMILY("splicer");
