/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * splicer: generic netlink ABI between splicer.ko and userspace.
 *
 * Documented in Documentation/netlink/specs/splicer.yaml. Every object
 * lives in the network namespace of the socket that created it.
 *
 * Messages carry one nested object attribute at the top level
 * (SPLICER_A_SERVICE, SPLICER_A_POOL, SPLICER_A_SERVER, SPLICER_A_STATS,
 * SPLICER_A_LOG, SPLICER_A_STICK).
 * Addresses are a FAMILY (AF_INET or AF_INET6) plus ADDR of exactly 4 or
 * 16 bytes in network order; PORT is in host order. Counters are u64.
 */
#ifndef _UAPI_LINUX_SPLICER_H
#define _UAPI_LINUX_SPLICER_H

#include <linux/types.h>

#define SPLICER_FAMILY_NAME	"splicer"
#define SPLICER_FAMILY_VERSION	1
#define SPLICER_MCGRP_LOG	"log"
#define SPLICER_MCGRP_TLS	"tls"	/* handshakes waiting for splicer-handshaked */

/* Object names: 1..31 bytes of [A-Za-z0-9_.-], NUL-terminated. */
#define SPLICER_NAME_MAX	32

enum splicer_cmd {
	SPLICER_CMD_UNSPEC,
	SPLICER_CMD_SERVICE_NEW,
	SPLICER_CMD_SERVICE_DEL,
	SPLICER_CMD_SERVICE_SET,
	SPLICER_CMD_SERVICE_GET,	/* doit with NAME, or dump */
	SPLICER_CMD_POOL_NEW,
	SPLICER_CMD_POOL_DEL,
	SPLICER_CMD_POOL_SET,
	SPLICER_CMD_POOL_GET,		/* doit with NAME, or dump */
	SPLICER_CMD_SERVER_NEW,
	SPLICER_CMD_SERVER_DEL,
	SPLICER_CMD_SERVER_SET,
	SPLICER_CMD_SERVER_GET,		/* doit with POOL+NAME, or dump (POOL filters) */
	SPLICER_CMD_STATS_GET,		/* per-netns totals */
	SPLICER_CMD_LOG,		/* multicast on SPLICER_MCGRP_LOG */
	SPLICER_CMD_STICK_NEW,		/* add or replace one entry (import) */
	SPLICER_CMD_STICK_DEL,		/* flush a service's stick table */
	SPLICER_CMD_STICK_GET,		/* dump; SERVICE required */
	SPLICER_CMD_TLS_READY,		/* multicast on SPLICER_MCGRP_TLS: a handshake waits */
	SPLICER_CMD_TLS_ACCEPT,		/* doit: take the oldest waiting handshake */
	SPLICER_CMD_TLS_DONE,		/* doit: report its outcome */
	SPLICER_CMD_RULE_NEW,		/* insert a rule (at POSITION, default: last) */
	SPLICER_CMD_RULE_DEL,		/* delete the rule at POSITION */
	SPLICER_CMD_RULE_GET,		/* dump; SERVICE required */

	__SPLICER_CMD_MAX,
	SPLICER_CMD_MAX = __SPLICER_CMD_MAX - 1
};

enum splicer_attr {
	SPLICER_A_UNSPEC,
	SPLICER_A_SERVICE,		/* nest, enum splicer_svc_attr */
	SPLICER_A_POOL,			/* nest, enum splicer_pool_attr */
	SPLICER_A_SERVER,		/* nest, enum splicer_srv_attr */
	SPLICER_A_STATS,		/* nest, enum splicer_cnt */
	SPLICER_A_LOG,			/* nest, enum splicer_log_attr (SPLICER_CMD_LOG) */
	SPLICER_A_STICK,		/* nest, enum splicer_stick_attr */
	SPLICER_A_TLS,			/* nest, enum splicer_tls_attr */
	SPLICER_A_RULE,			/* nest, enum splicer_rule_attr */

	__SPLICER_A_MAX,
	SPLICER_A_MAX = __SPLICER_A_MAX - 1
};

enum splicer_svc_attr {
	SPLICER_SVC_A_UNSPEC,
	SPLICER_SVC_A_NAME,		/* string */
	SPLICER_SVC_A_FAMILY,		/* u16: AF_INET or AF_INET6 */
	SPLICER_SVC_A_ADDR,		/* binary: 4 or 16 bytes, network order */
	SPLICER_SVC_A_PORT,		/* u16, host order, 1..65535 */
	SPLICER_SVC_A_POOL,		/* string: name of the pool served */
	SPLICER_SVC_A_HEAD_MAX,		/* u32: request head limit, bytes */
	SPLICER_SVC_A_HEADER_TIMEOUT,	/* u32: ms to receive the whole head */
	SPLICER_SVC_A_CONNECT_TIMEOUT,	/* u32: ms per connect attempt */
	SPLICER_SVC_A_SERVER_TIMEOUT,	/* u32: ms to the first response byte */
	SPLICER_SVC_A_RETRIES,		/* u32: extra connect attempts */
	SPLICER_SVC_A_STATS,		/* nest, enum splicer_cnt (read only) */
	SPLICER_SVC_A_PAD,
	SPLICER_SVC_A_IDLE_TIMEOUT,	/* u32: ms either side may be silent after the first response byte */
	SPLICER_SVC_A_MAX_LINE,		/* u32: request line limit, bytes (more: 414) */
	SPLICER_SVC_A_MAX_HEADERS,	/* u32: header fields per request (more: 431) */
	SPLICER_SVC_A_PERSIST,		/* nest, enum splicer_persist_attr */
	SPLICER_SVC_A_SPLICE,		/* u8: 1 join the flows in the kernel after binding (packet splice), 0 relay */
	SPLICER_SVC_A_TLS,		/* u8: 1 terminate TLS (splicer-handshaked, kTLS), 0 plain HTTP */
	SPLICER_SVC_A_HANDSHAKE_TIMEOUT, /* u32 ms for the whole TLS handshake (default 10000) */
	SPLICER_SVC_A_LOCATION_REWRITE,	/* u8: 1 (default) rewrite Location naming a server to the service */
	SPLICER_SVC_A_RULES,		/* u32: rules (read only) */
	SPLICER_SVC_A_INSPECT,		/* u8: 1 switch every request of a keep-alive connection on its own (no splice) */

	__SPLICER_SVC_A_MAX,
	SPLICER_SVC_A_MAX = __SPLICER_SVC_A_MAX - 1
};

enum splicer_balance {
	SPLICER_BALANCE_ROUNDROBIN,	/* smooth weighted round-robin */
	SPLICER_BALANCE_LEASTCONN,	/* fewest active connections per weight */

	__SPLICER_BALANCE_MAX,
	SPLICER_BALANCE_MAX = __SPLICER_BALANCE_MAX - 1
};

enum splicer_pool_attr {
	SPLICER_POOL_A_UNSPEC,
	SPLICER_POOL_A_NAME,		/* string */
	SPLICER_POOL_A_BALANCE,		/* u8, enum splicer_balance */
	SPLICER_POOL_A_SERVERS,		/* u32: number of servers (read only) */
	SPLICER_POOL_A_SERVERS_UP,	/* u32: servers in state up and not down by health (read only) */
	SPLICER_POOL_A_HEALTH,		/* nest, enum splicer_health_attr */

	__SPLICER_POOL_A_MAX,
	SPLICER_POOL_A_MAX = __SPLICER_POOL_A_MAX - 1
};

/*
 * Health checking of a pool's servers (SPLICER_POOL_A_HEALTH). In
 * POOL_NEW/SET a nest replaces the whole health configuration; absent
 * members take their defaults. Active probes run per server (not in state
 * maint); passive observation of real traffic can mark a server down at
 * once, only probes bring it back up.
 */
enum splicer_health_type {
	SPLICER_HEALTH_NONE,		/* no checks: servers count as up */
	SPLICER_HEALTH_TCP,		/* a connect */
	SPLICER_HEALTH_HTTP,		/* a request, an expected status and body */

	__SPLICER_HEALTH_MAX,
	SPLICER_HEALTH_MAX = __SPLICER_HEALTH_MAX - 1
};

#define SPLICER_EXPECT_MAX		8	/* status ranges */

/* EXPECT: an array of these, network order not used: host order. */
struct splicer_status_range {
	__u16 lo;
	__u16 hi;
};

enum splicer_health_attr {
	SPLICER_HEALTH_A_UNSPEC,
	SPLICER_HEALTH_A_TYPE,		/* u8, enum splicer_health_type */
	SPLICER_HEALTH_A_INTERVAL,	/* u32 ms between probes (default 2000) */
	SPLICER_HEALTH_A_FASTINTER,	/* u32 ms between probes while an up server fails (default max(INTERVAL / 4, 100)) */
	SPLICER_HEALTH_A_TIMEOUT,	/* u32 ms for one probe, <= INTERVAL (default min(1000, INTERVAL)) */
	SPLICER_HEALTH_A_RISE,		/* u32: successes in a row to come up (default 2) */
	SPLICER_HEALTH_A_FALL,		/* u32: failures in a row to go down (default 3) */
	SPLICER_HEALTH_A_PORT,		/* u16: probe port, 0 = the server's (default) */
	SPLICER_HEALTH_A_METHOD,	/* string, < 24 bytes: HTTP method (default GET) */
	SPLICER_HEALTH_A_PATH,		/* string, < 256 bytes: HTTP target (default /) */
	SPLICER_HEALTH_A_HOST,		/* string, < 128 bytes: HTTP Host (default: the server's address) */
	SPLICER_HEALTH_A_EXPECT,	/* binary: struct splicer_status_range[1..8] (default 200-399) */
	SPLICER_HEALTH_A_BODY,		/* string, < 64 bytes: the body must contain it (first 16 KiB) */
	SPLICER_HEALTH_A_PASSIVE_ERRORS, /* u32: errors within PASSIVE_WINDOW that mark a server down, 0 off */
	SPLICER_HEALTH_A_PASSIVE_WINDOW, /* u32 ms (default 10000) */
	SPLICER_HEALTH_A_PASSIVE_STATUS, /* u32: bit 4 (4xx), bit 5 (5xx): responses that count as errors (default 1 << 5) */

	__SPLICER_HEALTH_A_MAX,
	SPLICER_HEALTH_A_MAX = __SPLICER_HEALTH_A_MAX - 1
};

/* What the checks say of a server (SPLICER_SRV_A_HEALTH), apart from STATE. */
enum splicer_health_state {
	SPLICER_HEALTH_UNCHECKED,	/* no checks configured (counts as up) */
	SPLICER_HEALTH_UP,
	SPLICER_HEALTH_DOWN,

	__SPLICER_HEALTH_STATE_MAX,
	SPLICER_HEALTH_STATE_MAX = __SPLICER_HEALTH_STATE_MAX - 1
};

enum splicer_srv_state {
	SPLICER_SRV_STATE_UP,		/* takes traffic */
	SPLICER_SRV_STATE_DRAIN,	/* open connections finish, no new ones */
	SPLICER_SRV_STATE_MAINT,	/* out of service */

	__SPLICER_SRV_STATE_MAX,
	SPLICER_SRV_STATE_MAX = __SPLICER_SRV_STATE_MAX - 1
};

enum splicer_srv_attr {
	SPLICER_SRV_A_UNSPEC,
	SPLICER_SRV_A_POOL,		/* string: the pool it belongs to */
	SPLICER_SRV_A_NAME,		/* string, unique within the pool */
	SPLICER_SRV_A_FAMILY,		/* u16: AF_INET or AF_INET6 */
	SPLICER_SRV_A_ADDR,		/* binary: 4 or 16 bytes, network order */
	SPLICER_SRV_A_PORT,		/* u16, host order, 1..65535 */
	SPLICER_SRV_A_WEIGHT,		/* u32: 1..1000, default 1 */
	SPLICER_SRV_A_MAXCONN,		/* u32: 0 = unlimited */
	SPLICER_SRV_A_STATE,		/* u8, enum splicer_srv_state */
	SPLICER_SRV_A_STATS,		/* nest, enum splicer_cnt (read only) */
	SPLICER_SRV_A_PAD,
	SPLICER_SRV_A_HEALTH,		/* u8, enum splicer_health_state (read only) */
	SPLICER_SRV_A_CHECK_RESULT,	/* string: the last probe's result in words (read only) */
	SPLICER_SRV_A_CHECK_LATENCY,	/* u32 us: the last probe's duration (read only) */
	SPLICER_SRV_A_CHECK_FAILS,	/* u32: probes failed in a row (read only) */
	SPLICER_SRV_A_CHECKS,		/* u64: probes run (read only) */
	SPLICER_SRV_A_CHECKS_FAILED,	/* u64: probes failed (read only) */
	SPLICER_SRV_A_PASSIVE_ERRORS,	/* u64: errors seen in traffic (read only) */
	SPLICER_SRV_A_DOWNS,		/* u32: times marked down (read only) */

	__SPLICER_SRV_A_MAX,
	SPLICER_SRV_A_MAX = __SPLICER_SRV_A_MAX - 1
};

/*
 * Persistence of a service (SPLICER_SVC_A_PERSIST). In SERVICE_NEW/SET a
 * nest with MODE replaces the whole persistence configuration (absent
 * members take their defaults); KEY, alone or with MODE, rotates the keys:
 * the new key signs every new token, the one it replaces is still
 * accepted. A nest with only KEY keeps the mode; a MODE keeps the keys; a
 * KEY equal to the signing key changes nothing. Without any KEY a service
 * signs with a random key of its own (tokens valid on this node only).
 * KEY_ID is a fingerprint (SipHash under a fixed public key) to compare
 * nodes' keys without showing them. Times are in seconds here. Changing
 * MODE or a mask empties the stick table.
 */
enum splicer_persist_mode {
	SPLICER_PERSIST_NONE,
	SPLICER_PERSIST_COOKIE,		/* insert our cookie NAME=TOKEN */
	SPLICER_PERSIST_PREFIX,		/* prefix the application cookie NAME */
	SPLICER_PERSIST_LEARN,		/* learn session ids of cookie NAME */
	SPLICER_PERSIST_SOURCE,		/* stick table of client prefixes */
	SPLICER_PERSIST_HASH,		/* Maglev over a key (HASH_KEY) */

	__SPLICER_PERSIST_MAX,
	SPLICER_PERSIST_MAX = __SPLICER_PERSIST_MAX - 1
};

enum splicer_hash_key {
	SPLICER_HASH_SOURCE,		/* client address under MASK4/MASK6 */
	SPLICER_HASH_HEADER,		/* value of header NAME */
	SPLICER_HASH_COOKIE,		/* value of cookie NAME */
	SPLICER_HASH_PARAM,		/* value of query parameter NAME */

	__SPLICER_HASH_MAX,
	SPLICER_HASH_MAX = __SPLICER_HASH_MAX - 1
};

#define SPLICER_PERSIST_F_INDIRECT	0x1	/* strip our cookie from requests */
#define SPLICER_PERSIST_F_NOCACHE	0x2	/* Cache-Control: private with it */
#define SPLICER_PERSIST_F_SECURE	0x4	/* Secure attribute */
#define SPLICER_PERSIST_F_STRICT	0x8	/* persisted server down: 503 */
#define SPLICER_PERSIST_F_ALL		0xf

#define SPLICER_KEY_LEN			16	/* bytes of a token key */
#define SPLICER_COOKIE_NAME_MAX		64	/* NAME, NUL included */
#define SPLICER_STICK_KEY_MAX		128	/* bytes of a stick key */

/* NAME defaults: SPLICERID for COOKIE, JSESSIONID for PREFIX and LEARN. */
enum splicer_persist_attr {
	SPLICER_PERSIST_A_UNSPEC,
	SPLICER_PERSIST_A_MODE,		/* u8, enum splicer_persist_mode */
	SPLICER_PERSIST_A_NAME,		/* string: cookie, header or parameter name */
	SPLICER_PERSIST_A_FLAGS,	/* u32, SPLICER_PERSIST_F_* */
	SPLICER_PERSIST_A_MAXIDLE,	/* u32 s: token unused this long is void, 0 never */
	SPLICER_PERSIST_A_MAXLIFE,	/* u32 s: token older than this is void, 0 never */
	SPLICER_PERSIST_A_TIMEOUT,	/* u32 s: stick entry idle timeout (default 3600) */
	SPLICER_PERSIST_A_SIZE,		/* u32: stick entries at most (default 65536) */
	SPLICER_PERSIST_A_MASK4,	/* u8: IPv4 prefix length, 1..32 (default 32) */
	SPLICER_PERSIST_A_MASK6,	/* u8: IPv6 prefix length, 1..128 (default 64) */
	SPLICER_PERSIST_A_HASH_KEY,	/* u8, enum splicer_hash_key */
	SPLICER_PERSIST_A_KEY,		/* binary, SPLICER_KEY_LEN: write only */
	SPLICER_PERSIST_A_KEY_ID,	/* u32: fingerprint of the signing key (read only) */
	SPLICER_PERSIST_A_KEYS,		/* u8: keys accepted, 1 or 2 (read only) */
	SPLICER_PERSIST_A_ENTRIES,	/* u32: stick entries now (read only) */

	__SPLICER_PERSIST_A_MAX,
	SPLICER_PERSIST_A_MAX = __SPLICER_PERSIST_A_MAX - 1
};

/*
 * Stick table entries (SPLICER_A_STICK). KEY is the session id (SESSION,
 * bytes 0x21-0x7e) or the client address masked to PREFIX bits, 4 or 16
 * bytes (SOURCE; PREFIX must be the service's MASK4/MASK6). A dump walks
 * the table by position: under changes it may skip or repeat entries.
 */
enum splicer_stick_kind {
	SPLICER_STICK_SESSION,
	SPLICER_STICK_SOURCE,

	__SPLICER_STICK_MAX,
	SPLICER_STICK_MAX = __SPLICER_STICK_MAX - 1
};

enum splicer_stick_attr {
	SPLICER_STICK_A_UNSPEC,
	SPLICER_STICK_A_SERVICE,	/* string */
	SPLICER_STICK_A_KIND,		/* u8, enum splicer_stick_kind */
	SPLICER_STICK_A_KEY,		/* binary, 1..SPLICER_STICK_KEY_MAX */
	SPLICER_STICK_A_FAMILY,		/* u16: SOURCE keys: AF_INET or AF_INET6 */
	SPLICER_STICK_A_PREFIX,		/* u8: SOURCE keys: prefix length */
	SPLICER_STICK_A_SERVER,		/* string: server name in the service's pool */
	SPLICER_STICK_A_IDLE,		/* u32 s: since last use */

	__SPLICER_STICK_A_MAX,
	SPLICER_STICK_A_MAX = __SPLICER_STICK_A_MAX - 1
};

/*
 * TLS handshakes (modelled on the kernel's net/handshake, which 6.1 lacks;
 * our own family and group, so a system tlshd is not disturbed). A TLS
 * service's accepted socket waits in a per-netns queue (bounded) and
 * SPLICER_CMD_TLS_READY goes to SPLICER_MCGRP_TLS. A daemon worker sends
 * TLS_ACCEPT and gets the oldest waiting handshake: its ID, the SERVICE, and
 * FD, the connection's socket as a new descriptor in the worker's process
 * (O_CLOEXEC). It performs the handshake, installs kTLS for both
 * directions on FD, closes FD and sends TLS_DONE with ID and STATUS (0, or
 * a positive errno). Every handshake gets exactly one completion: DONE, its
 * timeout (HANDSHAKE_TIMEOUT from accept), the daemon's netlink socket
 * closing (crash, restart), the service or netns going away, or unload.
 */
enum splicer_tls_attr {
	SPLICER_TLS_A_UNSPEC,
	SPLICER_TLS_A_ID,		/* u64: the handshake */
	SPLICER_TLS_A_FD,		/* u32: ACCEPT reply: the socket, in the caller */
	SPLICER_TLS_A_SERVICE,		/* string: ACCEPT reply: whose certificates */
	SPLICER_TLS_A_STATUS,		/* u32: DONE: 0 success, else a positive errno */
	SPLICER_TLS_A_TIMEOUT,		/* u32 ms: ACCEPT reply: time left */
	SPLICER_TLS_A_VERSION,		/* string: DONE, optional: "TLSv1.3", for the log */
	SPLICER_TLS_A_CIPHER,		/* string: DONE, optional: the cipher suite */
	SPLICER_TLS_A_SNI,		/* string: DONE, optional: the server name asked for */
	SPLICER_TLS_A_RESUMED,		/* flag: DONE, optional: a resumed session */
	SPLICER_TLS_A_PAD,

	__SPLICER_TLS_A_MAX,
	SPLICER_TLS_A_MAX = __SPLICER_TLS_A_MAX - 1
};

/*
 * Content rules of a service (SPLICER_A_RULE), evaluated in order on the
 * request head that binds a connection; the first whose every match holds
 * decides. No rule matches: the service's POOL. Matches (all optional, at
 * least one): HOST exact, or "*.example.com" for any subdomain (not
 * example.com itself), case-insensitive, port ignored; PATH exact or
 * PATH_PREFIX (the target's path, before '?'); METHOD; HEADER present, or
 * with exactly HEADER_VALUE; the client address within SRC_ADDR/SRC_PREFIX.
 * Action, exactly one: POOL; REDIRECT (a Location, answered with STATUS,
 * default 302); or STATUS alone (a fixed response).
 */
enum splicer_rule_attr {
	SPLICER_RULE_A_UNSPEC,
	SPLICER_RULE_A_SERVICE,		/* string */
	SPLICER_RULE_A_POSITION,	/* u32: 0 first (NEW, DEL; GET reports it) */
	SPLICER_RULE_A_HOST,		/* string */
	SPLICER_RULE_A_PATH,		/* string: exact path */
	SPLICER_RULE_A_PATH_PREFIX,	/* string */
	SPLICER_RULE_A_METHOD,		/* string */
	SPLICER_RULE_A_HEADER,		/* string: a header name */
	SPLICER_RULE_A_HEADER_VALUE,	/* string */
	SPLICER_RULE_A_SRC_FAMILY,	/* u16: AF_INET or AF_INET6 */
	SPLICER_RULE_A_SRC_ADDR,	/* binary: 4 or 16 bytes */
	SPLICER_RULE_A_SRC_PREFIX,	/* u8 */
	SPLICER_RULE_A_POOL,		/* string: action: this pool */
	SPLICER_RULE_A_REDIRECT,	/* string: action: redirect here */
	SPLICER_RULE_A_STATUS,		/* u16: action: this status (or the redirect's, 301-308) */
	SPLICER_RULE_A_HITS,		/* u64: requests it decided (read only) */
	SPLICER_RULE_A_PAD,

	__SPLICER_RULE_A_MAX,
	SPLICER_RULE_A_MAX = __SPLICER_RULE_A_MAX - 1
};

/*
 * Counters: u64 each, inside a *_STATS nest. Services and the netns totals
 * carry all of them; servers carry CONNS..CONNECT_FAIL (CONNS counts
 * connection attempts to the server).
 */
enum splicer_cnt {
	SPLICER_CNT_UNSPEC,
	SPLICER_CNT_PAD,
	SPLICER_CNT_CONNS,		/* connections accepted / opened */
	SPLICER_CNT_ACTIVE,		/* connections open now */
	SPLICER_CNT_REQUESTS,		/* request heads forwarded */
	SPLICER_CNT_BYTES_IN,		/* client -> server payload bytes, relayed */
	SPLICER_CNT_BYTES_OUT,		/* server -> client payload bytes, relayed */
	SPLICER_CNT_CONNECT_FAIL,	/* connect attempts that failed */
	SPLICER_CNT_RETRIES,		/* connect attempts after the first */
	SPLICER_CNT_RESP_400,		/* generated responses, by status */
	SPLICER_CNT_RESP_408,
	SPLICER_CNT_RESP_431,
	SPLICER_CNT_RESP_502,
	SPLICER_CNT_RESP_503,
	SPLICER_CNT_RESP_504,
	SPLICER_CNT_RESP_501,
	SPLICER_CNT_RESP_505,
	SPLICER_CNT_LOG_DROPS,		/* log records no reader could take */
	SPLICER_CNT_RESP_414,
	SPLICER_CNT_PERSIST_HITS,	/* sent to the server they persist on */
	SPLICER_CNT_PERSIST_NEW,	/* persistence assigned (new user) */
	SPLICER_CNT_PERSIST_REDISPATCH,	/* persisted server unusable: sent elsewhere */
	SPLICER_CNT_PERSIST_INVALID,	/* tokens ignored: forged, altered, expired */
	SPLICER_CNT_STICK_EVICTIONS,	/* stick entries evicted for room */
	SPLICER_CNT_SPLICED,		/* connections joined by the packet splice */
	SPLICER_CNT_SPLICE_BYTES_IN,	/* client -> server payload bytes, spliced */
	SPLICER_CNT_SPLICE_BYTES_OUT,	/* server -> client payload bytes, spliced */
	SPLICER_CNT_SPLICE_FALLBACK,	/* splice wanted, relayed instead (the log says why) */
	SPLICER_CNT_TLS_HANDSHAKES,	/* TLS handshakes completed */
	SPLICER_CNT_TLS_FAILED,		/* TLS handshakes failed (daemon status, timeout, no daemon) */
	SPLICER_CNT_TLS_REFUSED,	/* TLS connections reset: too many handshakes waiting */
	SPLICER_CNT_REBINDS,		/* INSPECT: requests that moved a connection to another server */

	__SPLICER_CNT_MAX,
	SPLICER_CNT_MAX = __SPLICER_CNT_MAX - 1
};

/*
 * Decision log records, multicast as SPLICER_CMD_LOG on SPLICER_MCGRP_LOG
 * in the netns of the service. One record per request (when its response
 * is complete or the request ends otherwise) and one per connection end.
 * Records are dropped, and counted in SPLICER_CNT_LOG_DROPS, when a
 * reader's socket is full: the data path never waits for a reader.
 */
enum splicer_log_kind {
	SPLICER_LOG_REQUEST,
	SPLICER_LOG_CONN,
	SPLICER_LOG_HEALTH,		/* a server's health changed: POOL, SERVER, HEALTH, REASON */
};

enum splicer_log_attr {
	SPLICER_LOG_A_UNSPEC,
	SPLICER_LOG_A_PAD,
	SPLICER_LOG_A_KIND,		/* u8, enum splicer_log_kind */
	SPLICER_LOG_A_TIME,		/* u64: ns since the epoch, when written */
	SPLICER_LOG_A_CONN_ID,		/* u64: per service, as in /proc conns */
	SPLICER_LOG_A_SERVICE,		/* string */
	SPLICER_LOG_A_CLIENT_FAMILY,	/* u16 */
	SPLICER_LOG_A_CLIENT_ADDR,	/* binary: 4 or 16 bytes */
	SPLICER_LOG_A_CLIENT_PORT,	/* u16, host order */
	SPLICER_LOG_A_POOL,		/* string */
	SPLICER_LOG_A_SERVER,		/* string: absent when none was chosen */
	SPLICER_LOG_A_DECISION,		/* string: why that server, in words */
	SPLICER_LOG_A_RETRIES,		/* u32: connect attempts after the first */
	SPLICER_LOG_A_REQUEST_NO,	/* u32: 1 for the first request */
	SPLICER_LOG_A_METHOD,		/* string */
	SPLICER_LOG_A_TARGET,		/* string, at most 127 bytes kept */
	SPLICER_LOG_A_HOST,		/* string, at most 63 bytes kept */
	SPLICER_LOG_A_STATUS,		/* u16: the status the client got, 0 none */
	SPLICER_LOG_A_GENERATED,	/* flag: splicer answered, not the server */
	SPLICER_LOG_A_REASON,		/* string: why splicer answered or ended it */
	SPLICER_LOG_A_END,		/* string: how it ended, in words */
	SPLICER_LOG_A_T_HEAD,		/* u32 us: accept to this request's head */
	SPLICER_LOG_A_T_CONNECT,	/* u32 us: accept to server connected */
	SPLICER_LOG_A_T_RESPONSE,	/* u32 us: request head to response head */
	SPLICER_LOG_A_T_TOTAL,		/* u32 us: request head (or accept) to the end */
	SPLICER_LOG_A_BYTES_IN,		/* u64: client -> server */
	SPLICER_LOG_A_BYTES_OUT,	/* u64: server -> client */
	SPLICER_LOG_A_PERSIST,		/* string: the persistence outcome, in words */
	SPLICER_LOG_A_HEALTH,		/* string: HEALTH records: "up" or "down" */
	SPLICER_LOG_A_SPLICE,		/* string: CONN records: "spliced", or why it was relayed */
	SPLICER_LOG_A_TLS,		/* string: CONN records of TLS services: version, cipher, SNI, or why it failed */
	SPLICER_LOG_A_RULE,		/* u32: the rule that decided (position + 1), absent: none */

	__SPLICER_LOG_A_MAX,
	SPLICER_LOG_A_MAX = __SPLICER_LOG_A_MAX - 1
};

#endif /* _UAPI_LINUX_SPLICER_H */
