/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual services: an in-kernel listener on ADDR:PORT serving one pool.
 *
 * Ownership: spl_net.services holds one reference; every connection of the
 * service holds one more. Deleting a service stops its listener, asks every
 * connection to end, and drops the list's reference; the memory goes with
 * the last connection.
 *
 * Locking: the list and every configuration field change under spl_net.lock;
 * the data path reads the fields with READ_ONCE and the pool with RCU.
 * svc->conns is guarded by svc->conns_lock (BH-safe: taken from process
 * context only, but cheap to make safe).
 */
#ifndef _SPL_SERVICE_H
#define _SPL_SERVICE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "http.h"
#include "persist.h"
#include "pool.h"
#include "rules.h"
#include "stats.h"

#define SPL_HEAD_MAX_DEFAULT		16384
#define SPL_HEAD_MAX_MIN		1024
#define SPL_HEAD_MAX_MAX		65536
#define SPL_HEADER_TIMEOUT_DEFAULT	10000	/* ms */
#define SPL_CONNECT_TIMEOUT_DEFAULT	5000	/* ms */
#define SPL_SERVER_TIMEOUT_DEFAULT	30000	/* ms */
#define SPL_IDLE_TIMEOUT_DEFAULT	60000	/* ms */
#define SPL_HANDSHAKE_TIMEOUT_DEFAULT	10000	/* ms */
#define SPL_TIMEOUT_MAX			3600000	/* ms */
#define SPL_RETRIES_DEFAULT		3
#define SPL_RETRIES_MAX			16
#define SPL_MAX_LINE_MIN		256
#define SPL_MAX_HEADERS_MAX		1024

struct spl_net;
struct socket;
struct sock;

struct spl_service_cfg {
	u32 head_max;
	u32 header_timeout;
	u32 connect_timeout;
	u32 server_timeout;
	u32 idle_timeout;
	u32 retries;
	u32 max_line;			/* request line, bytes */
	u32 max_headers;		/* header fields per request */
	u32 splice;			/* 1: packet splice after binding */
	u32 tls;			/* 1: terminate TLS */
	u32 handshake_timeout;		/* ms */
	u32 location_rewrite;		/* 1: Location naming a server -> the service */
	u32 inspect;			/* 1: every request switched on its own */
};

/* The parser's limits of a service, read once for one head. */
static inline void spl_service_limits(const struct spl_service_cfg *cfg,
				      struct spl_http_limits *lim)
{
	lim->max_line = READ_ONCE(cfg->max_line);
	lim->max_headers = READ_ONCE(cfg->max_headers);
}

struct spl_service {
	struct list_head node;		/* spl_net.services */
	struct kref ref;
	struct spl_net *sn;
	char name[SPLICER_NAME_MAX];
	struct sockaddr_storage addr;	/* listen address */
	struct spl_pool __rcu *pool;	/* spl_net.lock to change */
	struct spl_service_cfg cfg;	/* READ_ONCE per field */
	struct spl_persist __rcu *persist; /* never NULL; spl_net.lock to change */
	struct spl_stick *stick;	/* learn and source tables; never NULL */
	struct spl_ruleset __rcu *rules; /* NULL: none; spl_net.lock to change */

	struct socket *lsock;		/* listener; NULL once stopped */
	void (*saved_data_ready)(struct sock *sk);
	struct work_struct accept_work;

	spinlock_t conns_lock;
	struct list_head conns;		/* conns_lock */
	bool stopping;			/* conns_lock: accept no more */
	u64 next_conn_id;		/* conns_lock */

	struct spl_stats stats;
	struct rcu_head rcu;
};

void spl_service_cfg_default(struct spl_service_cfg *cfg);
struct spl_service *spl_service_create(struct spl_net *sn, const char *name,
				       const struct sockaddr_storage *addr,
				       struct spl_pool *pool,
				       const struct spl_service_cfg *cfg,
				       int *err);
void spl_service_destroy(struct spl_service *svc);
void spl_service_get(struct spl_service *svc);
void spl_service_put(struct spl_service *svc);
struct spl_service *spl_service_find(struct spl_net *sn, const char *name);

#endif /* _SPL_SERVICE_H */
