/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The objects splicerctl talks about, kept apart from how they travel:
 * the command line fills them in and nl.c carries them; replies are
 * decoded into them and output is printed from them. A 'has' bitmask says
 * which attributes (bit n = attribute type n of the object's enum) are
 * set or were reported.
 */
#ifndef SPLICERCTL_MODEL_H
#define SPLICERCTL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/splicer.h>

#include "parse.h"

#define HAS(obj, attr)	((obj)->has & (1u << (attr)))
#define SET(obj, attr)	((obj)->has |= 1u << (attr))

/* Room for counter types a newer module may add. */
#define COUNTERS_MAX	64

struct counters {
	uint64_t present;		/* bit n: counter type n was reported */
	uint64_t v[COUNTERS_MAX];
};

/* A service's persistence (SPLICER_SVC_A_PERSIST). */
struct persist {
	uint32_t has;			/* enum splicer_persist_attr */
	uint8_t mode;			/* enum splicer_persist_mode */
	char name[SPLICER_COOKIE_NAME_MAX];
	uint32_t flags;			/* SPLICER_PERSIST_F_* */
	uint32_t maxidle, maxlife;	/* s, 0 never */
	uint32_t timeout;		/* s */
	uint32_t size;
	uint8_t mask4, mask6;
	uint8_t hash_key;		/* enum splicer_hash_key */
	uint8_t key[SPLICER_KEY_LEN];	/* write only */
	uint32_t key_id;		/* read only, as are keys and entries */
	uint8_t keys;
	uint32_t entries;
};

/* One stick table entry (SPLICER_A_STICK). */
struct stick {
	uint32_t has;			/* enum splicer_stick_attr */
	char service[SPLICER_NAME_MAX];
	uint8_t kind;			/* enum splicer_stick_kind */
	uint8_t key[SPLICER_STICK_KEY_MAX];	/* bit KEY */
	uint32_t key_len;
	uint16_t family;		/* SOURCE: AF_INET or AF_INET6 */
	uint8_t prefix;			/* SOURCE: prefix length */
	char server[SPLICER_NAME_MAX];
	uint32_t idle;			/* s since last use */
	unsigned int line;		/* stick import: the line it came from */
};

/*
 * A pool's health checking (SPLICER_POOL_A_HEALTH). The string sizes are
 * the module's (NUL included): longer values are refused before sending.
 */
#define HEALTH_METHOD_MAX	24
#define HEALTH_PATH_MAX		256
#define HEALTH_HOST_MAX		128
#define HEALTH_BODY_MAX		64

struct health {
	uint32_t has;			/* enum splicer_health_attr */
	uint8_t type;			/* enum splicer_health_type */
	uint32_t interval, fastinter, timeout;	/* ms */
	uint32_t rise, fall;
	uint16_t port;			/* 0: the server's */
	char method[HEALTH_METHOD_MAX];
	char path[HEALTH_PATH_MAX];
	char host[HEALTH_HOST_MAX];
	struct splicer_status_range expect[SPLICER_EXPECT_MAX];	/* bit EXPECT */
	uint32_t nexpect;
	char body[HEALTH_BODY_MAX];
	uint32_t passive_errors;	/* 0: off */
	uint32_t passive_window;	/* ms */
	uint32_t passive_status;	/* bit N: Nxx responses count */
};

struct service {
	uint32_t has;			/* enum splicer_svc_attr */
	char name[SPLICER_NAME_MAX];
	struct addrport listen;		/* FAMILY + ADDR + PORT, bit ADDR */
	char pool[SPLICER_NAME_MAX];
	uint32_t head_max;
	uint32_t max_line;		/* request line, bytes */
	uint32_t max_headers;		/* header fields per request */
	uint32_t header_timeout;	/* ms */
	uint32_t connect_timeout;	/* ms */
	uint32_t server_timeout;	/* ms */
	uint32_t idle_timeout;		/* ms */
	uint32_t retries;
	struct counters stats;		/* bit STATS */
	struct persist persist;		/* bit PERSIST */
	uint8_t splice;			/* 1: packet splice after binding */
	uint8_t tls;			/* 1: terminate TLS */
	uint32_t handshake_timeout;	/* ms */
	uint8_t location_rewrite;	/* 1: rewrite Location naming a server */
	uint32_t rules;			/* read only: number of rules */
	uint8_t inspect;		/* 1: switch every request on its own */
};

/*
 * One content rule of a service (SPLICER_A_RULE). The string sizes are the
 * module's (NUL included): longer values are refused before sending, and
 * a longer value in a reply is marked in 'truncated' (bit n: attribute n
 * did not fit), so that it is never dumped cut short.
 */
#define RULE_HOST_MAX		256
#define RULE_PATH_MAX		1024	/* path and prefix */
#define RULE_METHOD_MAX		32
#define RULE_HEADER_MAX		64	/* a token, as cookie names */
#define RULE_VALUE_MAX		256
#define RULE_URL_MAX		1024

struct rule {
	uint32_t has;			/* enum splicer_rule_attr */
	uint32_t truncated;		/* enum splicer_rule_attr */
	char service[SPLICER_NAME_MAX];
	uint32_t position;		/* 0 first */
	char host[RULE_HOST_MAX];
	char path[RULE_PATH_MAX];
	char prefix[RULE_PATH_MAX];	/* bit PATH_PREFIX */
	char method[RULE_METHOD_MAX];
	char header[RULE_HEADER_MAX];
	char value[RULE_VALUE_MAX];	/* bit HEADER_VALUE */
	struct addrport src;		/* FAMILY + ADDR (port unused), bit SRC_ADDR */
	uint8_t src_prefix;		/* bit SRC_PREFIX */
	char pool[SPLICER_NAME_MAX];
	char redirect[RULE_URL_MAX];
	uint16_t status;
	uint64_t hits;			/* read only */
};

struct pool {
	uint32_t has;			/* enum splicer_pool_attr */
	char name[SPLICER_NAME_MAX];
	uint8_t balance;		/* enum splicer_balance */
	uint32_t servers;
	uint32_t servers_up;
	struct health health;		/* bit HEALTH */
};

struct server {
	uint32_t has;			/* enum splicer_srv_attr */
	char pool[SPLICER_NAME_MAX];
	char name[SPLICER_NAME_MAX];
	struct addrport addr;		/* FAMILY + ADDR + PORT, bit ADDR */
	uint32_t weight;
	uint32_t maxconn;		/* 0 = unlimited */
	uint8_t state;			/* enum splicer_srv_state */
	struct counters stats;		/* bit STATS */
	/* What the checks say (read only), each with its own bit. */
	uint8_t health;			/* enum splicer_health_state */
	char check_result[80];		/* the last probe, in words */
	uint32_t check_latency;		/* us */
	uint32_t check_fails;		/* in a row */
	uint64_t checks, checks_failed;
	uint64_t passive_errors;
	uint32_t downs;
};

/* One decision log record (SPLICER_CMD_LOG). has: bit n = attribute n. */
#define LOG_TEXT_MAX	256

struct log_rec {
	uint64_t has;			/* enum splicer_log_attr */
	uint8_t kind;			/* enum splicer_log_kind */
	uint64_t time;			/* ns since the epoch */
	uint64_t conn_id;
	char service[SPLICER_NAME_MAX];
	struct addrport client;		/* bit CLIENT_ADDR */
	char pool[SPLICER_NAME_MAX];
	char server[SPLICER_NAME_MAX];
	char decision[LOG_TEXT_MAX];
	uint32_t retries;
	uint32_t request_no;
	char method[LOG_TEXT_MAX];
	char target[LOG_TEXT_MAX];
	char host[LOG_TEXT_MAX];
	uint16_t status;
	char reason[LOG_TEXT_MAX];
	char end[LOG_TEXT_MAX];
	uint32_t t_head, t_connect, t_response, t_total;	/* us */
	uint64_t bytes_in, bytes_out;
	char persist[LOG_TEXT_MAX];	/* the persistence outcome */
	char health[16];		/* HEALTH records: "up" or "down" */
	char splice[LOG_TEXT_MAX];	/* CONN records: "spliced" or why relayed */
	char tls[LOG_TEXT_MAX];		/* CONN records: version, cipher, SNI or why not */
	uint32_t rule;			/* the rule that decided: position + 1 */
};

#define LOG_HAS(r, attr)	((r)->has & (1ull << (attr)))

struct service_list {
	struct service *v;
	size_t n;
};

struct pool_list {
	struct pool *v;
	size_t n;
};

struct server_list {
	struct server *v;
	size_t n;
};

struct stick_list {
	struct stick *v;
	size_t n;
};

struct rule_list {
	struct rule *v;
	size_t n;
};

/* Append a zeroed element to a list; NULL when out of memory. */
#define LIST_PUSH(list) \
	((typeof((list)->v))list_grow((void **)&(list)->v, &(list)->n, \
				      sizeof(*(list)->v)))

static inline void *list_grow(void **v, size_t *n, size_t size)
{
	char *p = realloc(*v, (*n + 1) * size);

	if (!p)
		return NULL;
	*v = p;
	memset(p + *n * size, 0, size);
	return p + (*n)++ * size;
}

#define LIST_FREE(list) \
	do { free((list)->v); (list)->v = NULL; (list)->n = 0; } while (0)

#endif
