// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel I/O for splicerctl over libnl-genl-3.
 *
 * libnl's default receive path turns a kernel error into a bare errno and
 * drops the extended ACK, so every request here runs with its own
 * callbacks: an error callback that decodes the TLVs after struct nlmsgerr,
 * a FINISH callback that reads the status (and TLVs) carried by
 * NLMSG_DONE, a sequence check that skips anything stale, and a DUMP_INTR
 * callback so interrupted dumps can be restarted.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <linux/splicer.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- extended ACK decoding ------------------------------------------- */

static void parse_policy(const uint8_t *p, size_t len, struct nlx_ext *ext)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		size_t alen = a->nla_len, dlen;
		const void *d = p + NLA_HDRLEN;
		uint64_t u64 = 0;
		uint32_t u32 = 0;

		if (alen < NLA_HDRLEN || alen > len)
			return;
		dlen = alen - NLA_HDRLEN;
		if (dlen == sizeof(u64))
			memcpy(&u64, d, sizeof(u64));
		if (dlen == sizeof(u32))
			memcpy(&u32, d, sizeof(u32));

		switch (a->nla_type & NLA_TYPE_MASK) {
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			ext->min_u = u64;
			ext->has_range_u = dlen == sizeof(u64);
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			ext->max_u = u64;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			ext->min_s = (int64_t)u64;
			ext->has_range_s = dlen == sizeof(u64);
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			ext->max_s = (int64_t)u64;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			ext->min_len = u32;
			ext->has_len = true;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			ext->max_len = u32;
			ext->has_len = true;
			break;
		}
		if (NLA_ALIGN(alen) >= len)
			return;
		len -= NLA_ALIGN(alen);
		p += NLA_ALIGN(alen);
	}
}

static void parse_tlvs(const uint8_t *p, size_t len, struct nlx_ext *ext)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		size_t alen = a->nla_len, dlen;
		const uint8_t *d = p + NLA_HDRLEN;
		uint32_t u32 = 0;

		if (alen < NLA_HDRLEN || alen > len)
			return;
		dlen = alen - NLA_HDRLEN;
		if (dlen >= sizeof(u32))
			memcpy(&u32, d, sizeof(u32));

		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG: {
			size_t n = strnlen((const char *)d, dlen);

			if (n >= sizeof(ext->msg))
				n = sizeof(ext->msg) - 1;
			memcpy(ext->msg, d, n);
			ext->msg[n] = '\0';
			/* Drop a trailing newline some subsystems add. */
			while (n && (ext->msg[n - 1] == '\n' || ext->msg[n - 1] == ' '))
				ext->msg[--n] = '\0';
			break;
		}
		case NLMSGERR_ATTR_OFFS:
			ext->offs = u32;
			ext->has_offs = dlen >= sizeof(u32);
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			ext->miss_type = u32;
			ext->has_miss_type = dlen >= sizeof(u32);
			break;
		case NLMSGERR_ATTR_MISS_NEST:
			ext->miss_nest = u32;
			ext->has_miss_nest = dlen >= sizeof(u32);
			break;
		case NLMSGERR_ATTR_POLICY:
			parse_policy(d, dlen, ext);
			break;
		}
		if (NLA_ALIGN(alen) >= len)
			return;
		len -= NLA_ALIGN(alen);
		p += NLA_ALIGN(alen);
	}
}

int nlx_parse_ack(const struct nlmsghdr *nlh, struct nlx_ext *ext)
{
	const uint8_t *base = (const uint8_t *)nlh;
	size_t len = nlh->nlmsg_len, off;

	memset(ext, 0, sizeof(*ext));
	if (len < NLMSG_HDRLEN)
		return -EBADMSG;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr e;

		if (len < NLMSG_HDRLEN + sizeof(e))
			return -EBADMSG;
		memcpy(&e, base + NLMSG_HDRLEN, sizeof(e));
		ext->error = e.error;
		off = sizeof(e);
		/* Without NETLINK_CAP_ACK the request's payload is echoed. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e.msg.nlmsg_len > NLMSG_HDRLEN)
			off += e.msg.nlmsg_len - NLMSG_HDRLEN;
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		int status = 0;

		/* Old kernels may send an empty DONE. */
		if (len >= NLMSG_HDRLEN + sizeof(status))
			memcpy(&status, base + NLMSG_HDRLEN, sizeof(status));
		ext->error = status < 0 ? status : 0;
		off = sizeof(status);
	} else {
		return -EBADMSG;
	}

	off = NLMSG_HDRLEN + NLMSG_ALIGN(off);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < len)
		parse_tlvs(base + off, len - off, ext);
	return 0;
}

/* ---- attribute names for messages ------------------------------------ */

static const char *const top_names[] = {
	[SPLICER_A_SERVICE] = "SERVICE",
	[SPLICER_A_POOL] = "POOL",
	[SPLICER_A_SERVER] = "SERVER",
	[SPLICER_A_STATS] = "STATS",
	[SPLICER_A_LOG] = "LOG",
	[SPLICER_A_STICK] = "STICK",
	[SPLICER_A_TLS] = "TLS",
	[SPLICER_A_RULE] = "RULE",
};

static const char *const svc_names[] = {
	[SPLICER_SVC_A_NAME] = "NAME",
	[SPLICER_SVC_A_FAMILY] = "FAMILY",
	[SPLICER_SVC_A_ADDR] = "ADDR",
	[SPLICER_SVC_A_PORT] = "PORT",
	[SPLICER_SVC_A_POOL] = "POOL",
	[SPLICER_SVC_A_HEAD_MAX] = "HEAD_MAX",
	[SPLICER_SVC_A_HEADER_TIMEOUT] = "HEADER_TIMEOUT",
	[SPLICER_SVC_A_CONNECT_TIMEOUT] = "CONNECT_TIMEOUT",
	[SPLICER_SVC_A_SERVER_TIMEOUT] = "SERVER_TIMEOUT",
	[SPLICER_SVC_A_RETRIES] = "RETRIES",
	[SPLICER_SVC_A_STATS] = "STATS",
	[SPLICER_SVC_A_PAD] = "PAD",
	[SPLICER_SVC_A_IDLE_TIMEOUT] = "IDLE_TIMEOUT",
	[SPLICER_SVC_A_MAX_LINE] = "MAX_LINE",
	[SPLICER_SVC_A_MAX_HEADERS] = "MAX_HEADERS",
	[SPLICER_SVC_A_PERSIST] = "PERSIST",
	[SPLICER_SVC_A_SPLICE] = "SPLICE",
	[SPLICER_SVC_A_TLS] = "TLS",
	[SPLICER_SVC_A_HANDSHAKE_TIMEOUT] = "HANDSHAKE_TIMEOUT",
	[SPLICER_SVC_A_LOCATION_REWRITE] = "LOCATION_REWRITE",
	[SPLICER_SVC_A_RULES] = "RULES",
	[SPLICER_SVC_A_INSPECT] = "INSPECT",
};

static const char *const persist_names[] = {
	[SPLICER_PERSIST_A_MODE] = "MODE",
	[SPLICER_PERSIST_A_NAME] = "NAME",
	[SPLICER_PERSIST_A_FLAGS] = "FLAGS",
	[SPLICER_PERSIST_A_MAXIDLE] = "MAXIDLE",
	[SPLICER_PERSIST_A_MAXLIFE] = "MAXLIFE",
	[SPLICER_PERSIST_A_TIMEOUT] = "TIMEOUT",
	[SPLICER_PERSIST_A_SIZE] = "SIZE",
	[SPLICER_PERSIST_A_MASK4] = "MASK4",
	[SPLICER_PERSIST_A_MASK6] = "MASK6",
	[SPLICER_PERSIST_A_HASH_KEY] = "HASH_KEY",
	[SPLICER_PERSIST_A_KEY] = "KEY",
	[SPLICER_PERSIST_A_KEY_ID] = "KEY_ID",
	[SPLICER_PERSIST_A_KEYS] = "KEYS",
	[SPLICER_PERSIST_A_ENTRIES] = "ENTRIES",
};

static const char *const pool_names[] = {
	[SPLICER_POOL_A_NAME] = "NAME",
	[SPLICER_POOL_A_BALANCE] = "BALANCE",
	[SPLICER_POOL_A_SERVERS] = "SERVERS",
	[SPLICER_POOL_A_SERVERS_UP] = "SERVERS_UP",
	[SPLICER_POOL_A_HEALTH] = "HEALTH",
};

static const char *const health_names[] = {
	[SPLICER_HEALTH_A_TYPE] = "TYPE",
	[SPLICER_HEALTH_A_INTERVAL] = "INTERVAL",
	[SPLICER_HEALTH_A_FASTINTER] = "FASTINTER",
	[SPLICER_HEALTH_A_TIMEOUT] = "TIMEOUT",
	[SPLICER_HEALTH_A_RISE] = "RISE",
	[SPLICER_HEALTH_A_FALL] = "FALL",
	[SPLICER_HEALTH_A_PORT] = "PORT",
	[SPLICER_HEALTH_A_METHOD] = "METHOD",
	[SPLICER_HEALTH_A_PATH] = "PATH",
	[SPLICER_HEALTH_A_HOST] = "HOST",
	[SPLICER_HEALTH_A_EXPECT] = "EXPECT",
	[SPLICER_HEALTH_A_BODY] = "BODY",
	[SPLICER_HEALTH_A_PASSIVE_ERRORS] = "PASSIVE_ERRORS",
	[SPLICER_HEALTH_A_PASSIVE_WINDOW] = "PASSIVE_WINDOW",
	[SPLICER_HEALTH_A_PASSIVE_STATUS] = "PASSIVE_STATUS",
};

static const char *const srv_names[] = {
	[SPLICER_SRV_A_POOL] = "POOL",
	[SPLICER_SRV_A_NAME] = "NAME",
	[SPLICER_SRV_A_FAMILY] = "FAMILY",
	[SPLICER_SRV_A_ADDR] = "ADDR",
	[SPLICER_SRV_A_PORT] = "PORT",
	[SPLICER_SRV_A_WEIGHT] = "WEIGHT",
	[SPLICER_SRV_A_MAXCONN] = "MAXCONN",
	[SPLICER_SRV_A_STATE] = "STATE",
	[SPLICER_SRV_A_STATS] = "STATS",
	[SPLICER_SRV_A_PAD] = "PAD",
	[SPLICER_SRV_A_HEALTH] = "HEALTH",
	[SPLICER_SRV_A_CHECK_RESULT] = "CHECK_RESULT",
	[SPLICER_SRV_A_CHECK_LATENCY] = "CHECK_LATENCY",
	[SPLICER_SRV_A_CHECK_FAILS] = "CHECK_FAILS",
	[SPLICER_SRV_A_CHECKS] = "CHECKS",
	[SPLICER_SRV_A_CHECKS_FAILED] = "CHECKS_FAILED",
	[SPLICER_SRV_A_PASSIVE_ERRORS] = "PASSIVE_ERRORS",
	[SPLICER_SRV_A_DOWNS] = "DOWNS",
};

static const char *const stick_names[] = {
	[SPLICER_STICK_A_SERVICE] = "SERVICE",
	[SPLICER_STICK_A_KIND] = "KIND",
	[SPLICER_STICK_A_KEY] = "KEY",
	[SPLICER_STICK_A_FAMILY] = "FAMILY",
	[SPLICER_STICK_A_PREFIX] = "PREFIX",
	[SPLICER_STICK_A_SERVER] = "SERVER",
	[SPLICER_STICK_A_IDLE] = "IDLE",
};

static const char *const tls_names[] = {
	[SPLICER_TLS_A_ID] = "ID",
	[SPLICER_TLS_A_FD] = "FD",
	[SPLICER_TLS_A_SERVICE] = "SERVICE",
	[SPLICER_TLS_A_STATUS] = "STATUS",
	[SPLICER_TLS_A_TIMEOUT] = "TIMEOUT",
	[SPLICER_TLS_A_VERSION] = "VERSION",
	[SPLICER_TLS_A_CIPHER] = "CIPHER",
	[SPLICER_TLS_A_SNI] = "SNI",
	[SPLICER_TLS_A_RESUMED] = "RESUMED",
	[SPLICER_TLS_A_PAD] = "PAD",
};

static const char *const rule_names[] = {
	[SPLICER_RULE_A_SERVICE] = "SERVICE",
	[SPLICER_RULE_A_POSITION] = "POSITION",
	[SPLICER_RULE_A_HOST] = "HOST",
	[SPLICER_RULE_A_PATH] = "PATH",
	[SPLICER_RULE_A_PATH_PREFIX] = "PATH_PREFIX",
	[SPLICER_RULE_A_METHOD] = "METHOD",
	[SPLICER_RULE_A_HEADER] = "HEADER",
	[SPLICER_RULE_A_HEADER_VALUE] = "HEADER_VALUE",
	[SPLICER_RULE_A_SRC_FAMILY] = "SRC_FAMILY",
	[SPLICER_RULE_A_SRC_ADDR] = "SRC_ADDR",
	[SPLICER_RULE_A_SRC_PREFIX] = "SRC_PREFIX",
	[SPLICER_RULE_A_POOL] = "POOL",
	[SPLICER_RULE_A_REDIRECT] = "REDIRECT",
	[SPLICER_RULE_A_STATUS] = "STATUS",
	[SPLICER_RULE_A_HITS] = "HITS",
	[SPLICER_RULE_A_PAD] = "PAD",
};

/* The names of one attribute set, and the sets nested in its attributes. */
struct name_table {
	const char *const *names;
	size_t n;
	const struct name_table *const *nests;	/* by type, NULL: not a nest */
	size_t nnests;
};

#define TABLE(names) { names, ARRAY_SIZE(names), NULL, 0 }
#define TABLE_NESTS(names, nests) { names, ARRAY_SIZE(names), nests, ARRAY_SIZE(nests) }

static const struct name_table persist_table = TABLE(persist_names);
static const struct name_table *const svc_nests[] = {
	[SPLICER_SVC_A_PERSIST] = &persist_table,
};
static const struct name_table svc_table = TABLE_NESTS(svc_names, svc_nests);
static const struct name_table health_table = TABLE(health_names);
static const struct name_table *const pool_nests[] = {
	[SPLICER_POOL_A_HEALTH] = &health_table,
};
static const struct name_table pool_table = TABLE_NESTS(pool_names, pool_nests);
static const struct name_table srv_table = TABLE(srv_names);
static const struct name_table stick_table = TABLE(stick_names);
static const struct name_table tls_table = TABLE(tls_names);
static const struct name_table rule_table = TABLE(rule_names);
static const struct name_table *const top_nests[] = {
	[SPLICER_A_SERVICE] = &svc_table,
	[SPLICER_A_POOL] = &pool_table,
	[SPLICER_A_SERVER] = &srv_table,
	[SPLICER_A_STICK] = &stick_table,
	[SPLICER_A_TLS] = &tls_table,
	[SPLICER_A_RULE] = &rule_table,
};
static const struct name_table top_table = TABLE_NESTS(top_names, top_nests);

static void name_of(const struct name_table *t, uint32_t type,
		    char *buf, size_t len)
{
	if (t && type < t->n && t->names[type])
		snprintf(buf, len, "%s", t->names[type]);
	else
		snprintf(buf, len, "#%u", type);
}

static const struct name_table *nest_table(const struct name_table *t,
					   uint32_t type)
{
	if (t && type < t->nnests)
		return t->nests[type];
	return NULL;
}

/*
 * Walk the attributes in [start, end) of req. Returns the attribute that
 * starts at offs, or contains it (*inside set), or NULL.
 */
static const struct nlattr *find_attr(const uint8_t *req, size_t start,
				      size_t end, uint32_t offs, bool *inside)
{
	size_t pos = start;

	while (pos + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const void *)(req + pos);

		if (a->nla_len < NLA_HDRLEN || pos + a->nla_len > end)
			return NULL;
		if (offs == pos) {
			*inside = false;
			return a;
		}
		if (offs > pos && offs < pos + a->nla_len) {
			*inside = true;
			return a;
		}
		pos += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

static const size_t attrs_start = NLMSG_HDRLEN + GENL_HDRLEN;

/*
 * The attribute of req that starts at offs, at any depth, and in *table
 * the names of the set it belongs to (NULL when unknown). Every top-level
 * attribute is a nest; below that, only nests the tables know are entered.
 */
static const struct nlattr *attr_at(const uint8_t *req, size_t len,
				     uint32_t offs,
				     const struct name_table **table)
{
	const struct name_table *t = &top_table;
	size_t start = attrs_start, end = len;
	int depth;

	if (!req || len < attrs_start)
		return NULL;
	for (depth = 0; depth < 8; depth++) {
		const struct nlattr *a;
		bool inside;
		size_t pos;

		a = find_attr(req, start, end, offs, &inside);
		if (!a)
			return NULL;
		if (!inside) {
			*table = t;
			return a;
		}
		if (depth && !nest_table(t, a->nla_type & NLA_TYPE_MASK))
			return NULL;
		t = nest_table(t, a->nla_type & NLA_TYPE_MASK);
		pos = (size_t)((const uint8_t *)a - req);
		start = pos + NLA_HDRLEN;
		end = pos + a->nla_len;
	}
	return NULL;
}

void nlx_attr_at(const void *req, size_t len, uint32_t offs,
		 char *buf, size_t buflen)
{
	const struct name_table *t = NULL;
	const struct nlattr *a = attr_at(req, len, offs, &t);

	snprintf(buf, buflen, "%s", "");
	if (a)
		name_of(t, a->nla_type & NLA_TYPE_MASK, buf, buflen);
}

void nlx_attr_in(const void *req, size_t len, uint32_t nest_offs,
		 uint32_t type, char *buf, size_t buflen)
{
	const struct name_table *t = NULL;
	const struct nlattr *nest;

	if (!nest_offs) {
		name_of(&top_table, type, buf, buflen);
		return;
	}
	nest = attr_at(req, len, nest_offs, &t);
	name_of(nest ? nest_table(t, nest->nla_type & NLA_TYPE_MASK) : NULL,
		type, buf, buflen);
}

#define PREFIX SPLICER_FAMILY_NAME ": "

__attribute__((format(printf, 3, 4)))
static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n && n + 2 < size)
		strcat(buf, ", "), n += 2;
	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

/* Does msg name 'word' as a word of its own ("POOL: no such pool")? */
static bool mentions(const char *msg, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = strstr(msg, word); n && p; p = strstr(p + 1, word)) {
		char before = p == msg ? ' ' : p[-1], after = p[n];

		if (!isalnum((unsigned char)before) && before != '_' &&
		    !isalnum((unsigned char)after) && after != '_')
			return true;
	}
	return false;
}

void nlx_format_error(const struct nlx_ext *ext, const void *req, size_t reqlen,
		      const char *what, char *buf, size_t len)
{
	char details[192] = "", name[32];
	const char *msg = ext->msg;
	int err = -ext->error;

	/* The module prefixes its messages (NL_SET_ERR_MSG_MOD); we don't. */
	if (!strncmp(msg, PREFIX, strlen(PREFIX)))
		msg += strlen(PREFIX);
	if (!what || !*what)
		what = *msg ? NULL : "request failed";

	/* Name the attribute unless the message already does. */
	if (ext->has_offs) {
		nlx_attr_at(req, reqlen, ext->offs, name, sizeof(name));
		if (*name && !mentions(msg, name))
			append(details, sizeof(details), "attribute %s", name);
	}
	if (ext->has_miss_type) {
		nlx_attr_in(req, reqlen, ext->has_miss_nest ? ext->miss_nest : 0,
			    ext->miss_type, name, sizeof(name));
		if (!mentions(msg, name))
			append(details, sizeof(details), "missing attribute %s", name);
	}
	if (ext->has_range_u)
		append(details, sizeof(details), "valid %llu..%llu",
		       (unsigned long long)ext->min_u, (unsigned long long)ext->max_u);
	else if (ext->has_range_s)
		append(details, sizeof(details), "valid %lld..%lld",
		       (long long)ext->min_s, (long long)ext->max_s);
	if (ext->has_len && ext->max_len)
		append(details, sizeof(details), "length %u..%u",
		       ext->min_len, ext->max_len);

	snprintf(buf, len, "%s%s%s%s%s%s: %s%s",
		 what ? what : "", what && *msg ? ": " : "", msg,
		 *details ? " (" : "", details, *details ? ")" : "",
		 err > 0 ? strerror(err) : "unknown error",
		 err == EPERM || err == EACCES ?
			" (splicerctl needs CAP_NET_ADMIN)" : "");
}

/* ---- requests -------------------------------------------------------- */

struct run {
	uint32_t seq;
	uint16_t family;	/* replies of other types are ignored */
	nlx_reply_fn fn;
	void *arg;
	bool done, intr;
	int fn_err;		/* first error returned by fn */
	int bad;		/* malformed ACK/DONE */
	struct nlx_ext ext;
};

static int cb_seq(struct nl_msg *msg, void *arg)
{
	struct run *r = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == r->seq ? NL_OK : NL_SKIP;
}

static int cb_intr(struct nl_msg *msg, void *arg)
{
	struct run *r = arg;

	(void)msg;
	r->intr = true;
	return NL_OK;
}

static int cb_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct run *r = arg;
	struct genlmsghdr *gnlh;
	int err;

	if (nlh->nlmsg_type != r->family || r->fn_err || !r->fn)
		return NL_OK;
	if (!genlmsg_valid_hdr(nlh, 0)) {
		r->fn_err = -EBADMSG;
		return NL_OK;
	}
	gnlh = nlmsg_data(nlh);
	err = r->fn(genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), r->arg);
	if (err < 0)
		r->fn_err = err;
	return NL_OK;
}

static void warn_ext(const struct nlx_ext *ext)
{
	/* A message on success is a warning (NL_SET_ERR_MSG on a 0 return). */
	if (*ext->msg)
		fprintf(stderr, "splicerctl: warning: %s\n", ext->msg);
}

static int cb_ack(struct nl_msg *msg, void *arg)
{
	struct run *r = arg;

	if (nlx_parse_ack(nlmsg_hdr(msg), &r->ext))
		r->bad = -EBADMSG;
	else
		warn_ext(&r->ext);
	r->done = true;
	return NL_STOP;
}

static int cb_finish(struct nl_msg *msg, void *arg)
{
	struct run *r = arg;

	if (nlx_parse_ack(nlmsg_hdr(msg), &r->ext))
		r->bad = -EBADMSG;
	else if (!r->ext.error)
		warn_ext(&r->ext);
	r->done = true;
	return NL_STOP;
}

static int cb_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	/* libnl hands us the payload; the header is right before it. */
	struct nlmsghdr *nlh = (void *)((uint8_t *)e - NLMSG_HDRLEN);
	struct run *r = arg;

	(void)nla;
	if (nlx_parse_ack(nlh, &r->ext) || !r->ext.error) {
		r->ext.error = e->error;
		if (!r->ext.error)
			r->bad = -EBADMSG;
	}
	r->done = true;
	return NL_STOP;
}

/*
 * Send msg (not consumed) and read until its ACK or NLMSG_DONE. Returns 0,
 * a negative errno from the kernel (details in r->ext), or a negative errno
 * for a local failure, which is printed here.
 */
static int run(struct nlx *nl, struct nl_msg *msg, bool dump, uint16_t family,
	       struct run *r, const char *what)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nl_cb *cb;
	int err;

	r->family = family;
	r->done = r->intr = false;
	r->fn_err = r->bad = 0;
	memset(&r->ext, 0, sizeof(r->ext));

	nlh->nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK);
	nlh->nlmsg_seq = NL_AUTO_SEQ;
	nlh->nlmsg_pid = NL_AUTO_PORT;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		fprintf(stderr, "splicerctl: %s: %s\n", what, strerror(ENOMEM));
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, cb_seq, r);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, cb_intr, r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, cb_valid, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, cb_ack, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, cb_finish, r);
	nl_cb_err(cb, NL_CB_CUSTOM, cb_error, r);

	err = nl_send_auto(nl->sk, msg);
	if (err < 0)
		goto libnl_err;
	r->seq = nlh->nlmsg_seq;

	while (!r->done) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err < 0 && !r->done)
			goto libnl_err;
	}
	nl_cb_put(cb);

	if (r->ext.error)
		return r->ext.error;
	if (r->bad || r->fn_err) {
		err = r->bad ? r->bad : r->fn_err;
		fprintf(stderr, "splicerctl: %s: unexpected reply from the kernel: %s\n",
			what, strerror(-err));
		return err;
	}
	return 0;

libnl_err:
	nl_cb_put(cb);
	fprintf(stderr, "splicerctl: %s: %s\n", what, nl_geterror(err));
	return -EIO;
}

static void report(const struct run *r, struct nl_msg *msg, const char *what)
{
	char line[512];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	nlx_format_error(&r->ext, nlh, nlh->nlmsg_len, what, line, sizeof(line));
	fprintf(stderr, "splicerctl: %s\n", line);
}

struct nl_msg *nlx_msg(struct nlx *nl, uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				0, cmd, SPLICER_FAMILY_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

int nlx_doit(struct nlx *nl, struct nl_msg *msg, nlx_reply_fn fn, void *arg,
	     const char *what)
{
	struct run r = { .fn = fn, .arg = arg };
	int err;

	if (!msg) {
		fprintf(stderr, "splicerctl: %s: %s\n", what, strerror(ENOMEM));
		return -ENOMEM;
	}
	err = run(nl, msg, false, nl->family, &r, what);
	if (err && r.ext.error)
		report(&r, msg, what);
	nlmsg_free(msg);
	return err;
}

int nlx_dump(struct nlx *nl, struct nl_msg *msg, nlx_reply_fn fn,
	     void (*reset)(void *arg), void *arg, const char *what)
{
	struct run r = { .fn = fn, .arg = arg };
	int err = 0, attempt;

	if (!msg) {
		fprintf(stderr, "splicerctl: %s: %s\n", what, strerror(ENOMEM));
		return -ENOMEM;
	}
	for (attempt = 1; attempt <= NLX_DUMP_ATTEMPTS; attempt++) {
		if (attempt > 1 && reset)
			reset(arg);
		err = run(nl, msg, true, nl->family, &r, what);
		if (err || !r.intr)
			break;
	}
	if (err && r.ext.error)
		report(&r, msg, what);
	else if (!err && r.intr && NLX_DUMP_ATTEMPTS > 1)
		fprintf(stderr, "splicerctl: warning: %s: the configuration kept "
			"changing during %d attempts; this listing may be "
			"inconsistent\n", what, NLX_DUMP_ATTEMPTS);
	else if (!err && r.intr)
		fprintf(stderr, "splicerctl: warning: %s: the configuration changed "
			"during the listing; it may be inconsistent\n", what);
	nlmsg_free(msg);
	return err;
}

/* ---- the decision log ---------------------------------------------- */

struct listen {
	uint16_t family;
	nlx_reply_fn fn;
	void *arg;
	int status;		/* non-zero from fn: stop */
};

static int cb_log_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;		/* multicast: sequence number 0 */
}

static int cb_log(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct listen *l = arg;
	struct genlmsghdr *gnlh;

	if (nlh->nlmsg_type != l->family || !genlmsg_valid_hdr(nlh, 0))
		return NL_OK;
	gnlh = nlmsg_data(nlh);
	if (gnlh->cmd != SPLICER_CMD_LOG)
		return NL_OK;
	l->status = l->fn(genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), l->arg);
	return l->status ? NL_STOP : NL_OK;
}

int nlx_listen_log(struct nlx *nl, nlx_reply_fn fn, void *arg)
{
	struct listen l = { .family = nl->family, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	if (!nl->log_group) {
		fprintf(stderr, "splicerctl: this splicer module has no \"%s\" "
			"multicast group\n", SPLICER_MCGRP_LOG);
		return -EOPNOTSUPP;
	}
	err = nl_socket_add_membership(nl->sk, (int)nl->log_group);
	if (err < 0) {
		fprintf(stderr, "splicerctl: cannot join the decision log: %s\n",
			nl_geterror(err));
		return -EIO;
	}
	/* Room for bursts: records that find the socket full are lost. */
	(void)nl_socket_set_buffer_size(nl->sk, 4 << 20, 0);
	/* ...and with this the module learns of each loss: log_drops */
	{
		int one = 1;

		(void)setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK,
				 NETLINK_BROADCAST_ERROR, &one, sizeof(one));
	}

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, cb_log_seq, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, cb_log, &l);
	while (!l.status) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: the socket overflowed. */
			fprintf(stderr, "splicerctl: warning: some log records were "
				"lost (not read fast enough)\n");
			continue;
		}
		if (err < 0) {
			fprintf(stderr, "splicerctl: reading the decision log: %s\n",
				nl_geterror(err));
			l.status = -EIO;
		}
	}
	nl_cb_put(cb);
	return l.status < 0 ? l.status : 0;
}

/* ---- socket and family ----------------------------------------------- */

static int enter_netns(const char *netns)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(netns, '/'))
		snprintf(path, sizeof(path), "%s", netns);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", netns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "splicerctl: network namespace \"%s\": %s: %s\n",
			netns, path, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "splicerctl: cannot enter network namespace \"%s\": %s\n",
			netns, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

struct resolve {
	int id;
	uint32_t version;
	uint32_t log_group;
};

static void resolve_groups(struct nlattr *groups, struct resolve *res)
{
	struct nlattr *g;
	int rem;

	nla_for_each_nested(g, groups, rem) {
		struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
		char name[GENL_NAMSIZ];

		if (nla_parse_nested(tb, CTRL_ATTR_MCAST_GRP_MAX, g, NULL) ||
		    !tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID] ||
		    nla_len(tb[CTRL_ATTR_MCAST_GRP_ID]) < 4)
			continue;
		nla_strlcpy(name, tb[CTRL_ATTR_MCAST_GRP_NAME], sizeof(name));
		if (!strcmp(name, SPLICER_MCGRP_LOG))
			res->log_group = nla_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
}

static int resolve_reply(const struct nlattr *attrs, int len, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct resolve *res = arg;

	if (nla_parse(tb, CTRL_ATTR_MAX, (struct nlattr *)attrs, len, NULL))
		return -EBADMSG;
	if (!tb[CTRL_ATTR_FAMILY_ID] || nla_len(tb[CTRL_ATTR_FAMILY_ID]) < 2)
		return -EBADMSG;
	res->id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION] && nla_len(tb[CTRL_ATTR_VERSION]) >= 4)
		res->version = nla_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		resolve_groups(tb[CTRL_ATTR_MCAST_GROUPS], res);
	return 0;
}

static int resolve_family(struct nlx *nl)
{
	const char *what = "looking up the " SPLICER_FAMILY_NAME " netlink family";
	struct resolve res = { .id = -1 };
	struct run r = { .fn = resolve_reply, .arg = &res };
	struct nl_msg *msg = nlmsg_alloc();
	int err;

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL,
				 0, 0, CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, SPLICER_FAMILY_NAME)) {
		nlmsg_free(msg);
		fprintf(stderr, "splicerctl: %s: %s\n", what, strerror(ENOMEM));
		return -ENOMEM;
	}
	err = run(nl, msg, false, GENL_ID_CTRL, &r, what);
	if (err == -ENOENT) {
		fprintf(stderr, "splicerctl: the splicer module is not loaded "
			"(try: modprobe splicer)\n");
	} else if (err && r.ext.error) {
		char line[512];

		nlx_format_error(&r.ext, NULL, 0, what, line, sizeof(line));
		fprintf(stderr, "splicerctl: %s\n", line);
	} else if (!err && res.id < 0) {
		fprintf(stderr, "splicerctl: %s: no reply\n", what);
		err = -EBADMSG;
	}
	nlmsg_free(msg);
	if (err)
		return err;

	nl->family = (uint16_t)res.id;
	nl->log_group = res.log_group;
	if (res.version && res.version < SPLICER_FAMILY_VERSION)
		fprintf(stderr, "splicerctl: warning: the module speaks version %u "
			"of the netlink ABI, this tool version %u\n",
			res.version, SPLICER_FAMILY_VERSION);
	return 0;
}

int nlx_open(struct nlx *nl, const char *netns)
{
	int one = 1, fd, err;

	memset(nl, 0, sizeof(*nl));
	if (netns && enter_netns(netns))
		return 1;

	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		fprintf(stderr, "splicerctl: %s\n", strerror(ENOMEM));
		return 1;
	}
	err = genl_connect(nl->sk);
	if (err < 0) {
		fprintf(stderr, "splicerctl: cannot open a generic netlink socket: %s\n",
			nl_geterror(err));
		nlx_close(nl);
		return 1;
	}
	/* We set NLM_F_ACK ourselves where we want one. */
	nl_socket_disable_auto_ack(nl->sk);
	/* Size the receive buffer to the datagram (dumps can exceed a page). */
	nl_socket_enable_msg_peek(nl->sk);

	/* Older kernels lack these; errors then carry just an errno. */
	fd = nl_socket_get_fd(nl->sk);
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	if (resolve_family(nl)) {
		nlx_close(nl);
		return 1;
	}
	return 0;
}

void nlx_close(struct nlx *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}
