// SPDX-License-Identifier: GPL-2.0
/*
 * "splicerctl stats prometheus": the counters in the Prometheus text
 * exposition format. Three scopes, each its own metric families so that a
 * sum() over one never counts a request twice:
 *
 *   splicer_*          the totals of the network namespace (no label)
 *   splicer_service_*  per service, label service="web"
 *   splicer_server_*   per server, labels pool="app",server="s1"
 *
 * Counters end in _total, "active" is a gauge, the generated responses are
 * one family with a label code="503". Counter types this tool does not know
 * (a newer module) are printed untyped as splicer[_SCOPE]_counter_N.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct metric {
	unsigned int cnt;	/* enum splicer_cnt */
	const char *name;	/* after the scope's prefix */
	const char *type;	/* counter, gauge */
	const char *help;
	const char *help_server;	/* for servers, when it differs */
	const char *code;	/* label code="..." (generated responses) */
} metrics[] = {
	{ SPLICER_CNT_CONNS, "connections_total", "counter",
	  "Client connections accepted", "Connection attempts made to servers", NULL },
	{ SPLICER_CNT_ACTIVE, "active_connections", "gauge",
	  "Client connections open now",
	  "Connections bound to servers now (connecting or relaying)", NULL },
	{ SPLICER_CNT_REQUESTS, "requests_total", "counter",
	  "Request heads forwarded to a server", NULL, NULL },
	{ SPLICER_CNT_BYTES_IN, "bytes_in_total", "counter",
	  "Bytes relayed from clients to servers, forwarded heads included", NULL, NULL },
	{ SPLICER_CNT_BYTES_OUT, "bytes_out_total", "counter",
	  "Bytes relayed from servers to clients, generated responses not included",
	  NULL, NULL },
	{ SPLICER_CNT_CONNECT_FAIL, "connect_failures_total", "counter",
	  "Connect attempts to servers that failed", NULL, NULL },
	{ SPLICER_CNT_RETRIES, "retries_total", "counter",
	  "Connect attempts after the first of a connection", NULL, NULL },
#define RESP(n) { SPLICER_CNT_RESP_##n, "generated_responses_total", "counter", \
		  "Responses splicer generated itself instead of a server, by status code", \
		  NULL, #n }
	RESP(400), RESP(408), RESP(414), RESP(431), RESP(501), RESP(502),
	RESP(503), RESP(504), RESP(505),
#undef RESP
	{ SPLICER_CNT_LOG_DROPS, "log_drops_total", "counter",
	  "Decision log records dropped because a reader's socket was full", NULL, NULL },
	{ SPLICER_CNT_PERSIST_HITS, "persist_hits_total", "counter",
	  "Clients sent to the server they persist on", NULL, NULL },
	{ SPLICER_CNT_PERSIST_NEW, "persist_new_total", "counter",
	  "Persistence assigned to a new user", NULL, NULL },
	{ SPLICER_CNT_PERSIST_REDISPATCH, "persist_redispatch_total", "counter",
	  "Clients whose persisted server was unusable, sent to another", NULL, NULL },
	{ SPLICER_CNT_PERSIST_INVALID, "persist_invalid_total", "counter",
	  "Persistence tokens ignored as forged, altered or expired", NULL, NULL },
	{ SPLICER_CNT_STICK_EVICTIONS, "stick_evictions_total", "counter",
	  "Stick table entries evicted to make room", NULL, NULL },
	{ SPLICER_CNT_REBINDS, "rebinds_total", "counter",
	  "Requests that moved their keep-alive connection to another server (inspect)",
	  NULL, NULL },
	{ SPLICER_CNT_SPLICED, "spliced_connections_total", "counter",
	  "Connections joined by the packet splice after binding", NULL, NULL },
	{ SPLICER_CNT_SPLICE_BYTES_IN, "splice_bytes_in_total", "counter",
	  "Payload bytes from clients to servers forwarded by the packet splice",
	  NULL, NULL },
	{ SPLICER_CNT_SPLICE_BYTES_OUT, "splice_bytes_out_total", "counter",
	  "Payload bytes from servers to clients forwarded by the packet splice",
	  NULL, NULL },
	{ SPLICER_CNT_SPLICE_FALLBACK, "splice_fallbacks_total", "counter",
	  "Connections that wanted the packet splice and were relayed instead", NULL,
	  NULL },
	{ SPLICER_CNT_TLS_HANDSHAKES, "tls_handshakes_total", "counter",
	  "TLS handshakes completed", NULL, NULL },
	{ SPLICER_CNT_TLS_FAILED, "tls_handshake_failures_total", "counter",
	  "TLS handshakes that failed (the daemon's status, a timeout, no daemon)",
	  NULL, NULL },
	{ SPLICER_CNT_TLS_REFUSED, "tls_refused_total", "counter",
	  "TLS connections reset because too many handshakes were waiting", NULL,
	  NULL },
};

/* One labelled object of a scope. */
struct obj {
	const char *service, *pool, *server;
	const struct counters *c;
};

struct scope {
	const char *prefix;	/* "splicer_", "splicer_service_", ... */
	const char *what;	/* appended to the help text */
	bool server;
	const struct obj *objs;
	size_t n;
};

void prom_label_value(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void label(FILE *f, bool *first, const char *name, const char *val)
{
	if (!val)
		return;
	fputc(*first ? '{' : ',', f);
	*first = false;
	fprintf(f, "%s=", name);
	prom_label_value(f, val);
}

static void sample(FILE *f, const char *prefix, const char *name,
		   const char *netns, const struct obj *o, const char *code,
		   uint64_t v)
{
	bool first = true;

	fprintf(f, "%s%s", prefix, name);
	label(f, &first, "netns", netns);
	label(f, &first, "service", o->service);
	label(f, &first, "pool", o->pool);
	label(f, &first, "server", o->server);
	label(f, &first, "code", code);
	if (!first)
		fputc('}', f);
	fprintf(f, " %llu\n", (unsigned long long)v);
}

static bool present(const struct counters *c, unsigned int type)
{
	return type < COUNTERS_MAX && (c->present & (1ull << type));
}

/* The family of metrics[i..i+n), n entries sharing one name. */
static void print_family(FILE *f, const struct scope *s, const char *netns,
			 size_t i, size_t n)
{
	const struct metric *m = &metrics[i];
	bool any = false;
	size_t j, k;

	for (j = 0; j < s->n && !any; j++)
		for (k = 0; k < n && !any; k++)
			any = present(s->objs[j].c, m[k].cnt);
	if (!any)
		return;
	fprintf(f, "# HELP %s%s %s%s.\n", s->prefix, m->name,
		s->server && m->help_server ? m->help_server : m->help, s->what);
	fprintf(f, "# TYPE %s%s %s\n", s->prefix, m->name, m->type);
	for (j = 0; j < s->n; j++)
		for (k = 0; k < n; k++)
			if (present(s->objs[j].c, m[k].cnt))
				sample(f, s->prefix, m->name, netns, &s->objs[j],
				       m[k].code, s->objs[j].c->v[m[k].cnt]);
}

static bool known(unsigned int type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(metrics); i++)
		if (metrics[i].cnt == type)
			return true;
	return false;
}

static void print_scope(FILE *f, const struct scope *s, const char *netns)
{
	uint64_t unknown = 0;
	size_t i, n, j;
	unsigned int t;
	char name[32];

	for (i = 0; i < ARRAY_SIZE(metrics); i += n) {
		for (n = 1; i + n < ARRAY_SIZE(metrics) &&
		     !strcmp(metrics[i + n].name, metrics[i].name); n++)
			;
		print_family(f, s, netns, i, n);
	}
	for (j = 0; j < s->n; j++)
		unknown |= s->objs[j].c->present;
	for (t = 0; t < COUNTERS_MAX; t++) {
		if (!(unknown & (1ull << t)) || known(t) ||
		    t == SPLICER_CNT_UNSPEC || t == SPLICER_CNT_PAD)
			continue;
		snprintf(name, sizeof(name), "counter_%u", t);
		fprintf(f, "# HELP %s%s Counter type %u of the module, unknown to "
			"this splicerctl%s.\n", s->prefix, name, t, s->what);
		fprintf(f, "# TYPE %s%s untyped\n", s->prefix, name);
		for (j = 0; j < s->n; j++)
			if (present(s->objs[j].c, t))
				sample(f, s->prefix, name, netns, &s->objs[j], NULL,
				       s->objs[j].c->v[t]);
	}
}

void prom_print(FILE *f, const char *netns, const struct counters *totals,
		const struct service *services, size_t nservices,
		const struct server *servers, size_t nservers)
{
	struct obj total = { .c = totals }, *objs;
	struct scope s;
	size_t i, n;

	if (totals) {
		s = (struct scope){ "splicer_", ", all services of the network namespace",
				    false, &total, 1 };
		print_scope(f, &s, netns);
	}

	objs = calloc(nservices + nservers + 1, sizeof(*objs));
	if (!objs)
		return;
	for (i = n = 0; i < nservices; i++)
		if (HAS(&services[i], SPLICER_SVC_A_STATS))
			objs[n++] = (struct obj){ .service = services[i].name,
						  .c = &services[i].stats };
	s = (struct scope){ "splicer_service_", ", by service", false, objs, n };
	print_scope(f, &s, netns);

	for (i = n = 0; i < nservers; i++)
		if (HAS(&servers[i], SPLICER_SRV_A_STATS))
			objs[n++] = (struct obj){ .pool = servers[i].pool,
						  .server = servers[i].name,
						  .c = &servers[i].stats };
	s = (struct scope){ "splicer_server_", ", by server", true, objs, n };
	print_scope(f, &s, netns);
	free(objs);
}
