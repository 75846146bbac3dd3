// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the extended-ACK decoding in ctl/nl.c: ACKs and errors
 * with and without NETLINK_CAP_ACK, NLMSG_DONE status, the attribute named
 * by an offset into our own request (also inside the PERSIST nest of a
 * service and in a STICK nest), missing attributes, policy ranges, and
 * malformed TLVs. Messages are built by hand as the kernel lays them
 * out (net/netlink/af_netlink.c: netlink_ack, netlink_dump_done).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/splicer.h>

#include "../nl.h"

static int passed, failed;

#define CHECK(cond, ...) \
	do { \
		if (cond) { \
			passed++; \
		} else { \
			failed++; \
			printf("FAIL %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__); \
			putchar('\n'); \
		} \
	} while (0)

/* ---- a request like "service add web listen ... pool app" ---- */

static struct nl_msg *req;
static uint32_t off_service, off_name, off_pool, off_port;

static uint32_t offset_of(struct nlattr *a)
{
	return (uint32_t)((uint8_t *)a - (uint8_t *)nlmsg_hdr(req));
}

static void build_request(void)
{
	struct nlattr *nest, *a;
	int rem;

	req = nlmsg_alloc();
	genlmsg_put(req, 1, 7, 0x20, 0, 0, SPLICER_CMD_SERVICE_NEW, 1);
	nest = nla_nest_start(req, NLA_F_NESTED | SPLICER_A_SERVICE);
	nla_put_string(req, SPLICER_SVC_A_NAME, "web");
	nla_put_u16(req, SPLICER_SVC_A_FAMILY, 2);
	nla_put(req, SPLICER_SVC_A_ADDR, 4, "\xc6\x12\x00\x01");
	nla_put_u16(req, SPLICER_SVC_A_PORT, 80);
	nla_put_string(req, SPLICER_SVC_A_POOL, "app");
	nla_nest_end(req, nest);

	off_service = offset_of(nest);
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) == SPLICER_SVC_A_NAME)
			off_name = offset_of(a);
		if (nla_type(a) == SPLICER_SVC_A_POOL)
			off_pool = offset_of(a);
		if (nla_type(a) == SPLICER_SVC_A_PORT)
			off_port = offset_of(a);
	}
}

/* ---- building replies ---- */

static uint8_t buf[1024];
static size_t len;

static void put(const void *p, size_t n)
{
	memcpy(buf + len, p, n);
	len += NLMSG_ALIGN(n);
}

static void put_tlv(uint16_t type, const void *p, size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n), .nla_type = type };

	memcpy(buf + len, &a, sizeof(a));
	memcpy(buf + len + NLA_HDRLEN, p, n);
	len += NLA_ALIGN(NLA_HDRLEN + n);
}

static void put_u32(uint16_t type, uint32_t v)
{
	put_tlv(type, &v, sizeof(v));
}

static struct nlmsghdr *hdr(void)
{
	return (struct nlmsghdr *)buf;
}

/* NLMSG_ERROR for our request; capped: NETLINK_CAP_ACK was set. */
static void start_error(int error, bool capped)
{
	struct nlmsghdr *r = nlmsg_hdr(req);
	struct nlmsghdr h = { .nlmsg_type = NLMSG_ERROR, .nlmsg_seq = 7 };
	struct nlmsgerr e = { .error = error, .msg = *r };

	memset(buf, 0xaa, sizeof(buf));
	len = 0;
	h.nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	put(&h, sizeof(h));
	if (capped) {
		put(&e, sizeof(e));
	} else {
		memcpy(buf + len, &e, sizeof(e.error));
		memcpy(buf + len + sizeof(e.error), r, r->nlmsg_len);
		len += NLMSG_ALIGN(sizeof(e.error) + r->nlmsg_len);
	}
}

static void start_done(int status, bool with_status)
{
	struct nlmsghdr h = { .nlmsg_type = NLMSG_DONE, .nlmsg_flags = NLM_F_MULTI };

	memset(buf, 0xaa, sizeof(buf));
	len = 0;
	put(&h, sizeof(h));
	if (with_status)
		put(&status, sizeof(status));
}

static void finish(bool tlvs)
{
	hdr()->nlmsg_len = (uint32_t)len;
	if (tlvs)
		hdr()->nlmsg_flags |= NLM_F_ACK_TLVS;
}

static const char *format(const struct nlx_ext *ext, const char *what)
{
	static char line[512];
	struct nlmsghdr *r = nlmsg_hdr(req);

	nlx_format_error(ext, r, r->nlmsg_len, what, line, sizeof(line));
	return line;
}

#define MSG(s) put_tlv(NLMSGERR_ATTR_MSG, s, sizeof(s))

/* ---- tests ---- */

static void test_error_with_message(bool capped)
{
	struct nlx_ext ext;
	const char *line;

	start_error(-ENOENT, capped);
	MSG("splicer: pool \"app\": no such pool");
	put_u32(NLMSGERR_ATTR_OFFS, off_pool);
	finish(true);

	CHECK(!nlx_parse_ack(hdr(), &ext), "parse (capped %d)", capped);
	CHECK(ext.error == -ENOENT, "error %d", ext.error);
	CHECK(!strcmp(ext.msg, "splicer: pool \"app\": no such pool"), "msg \"%s\"", ext.msg);
	CHECK(ext.has_offs && ext.offs == off_pool, "offs %u", ext.offs);
	line = format(&ext, "service add \"web\"");
	CHECK(!strcmp(line, "service add \"web\": pool \"app\": no such pool "
		      "(attribute POOL): No such file or directory"), "line \"%s\"", line);
	line = format(&ext, NULL);
	CHECK(!strcmp(line, "pool \"app\": no such pool (attribute POOL): "
		      "No such file or directory"), "line \"%s\"", line);

	/* A message that names the attribute itself is not annotated. */
	start_error(-ENOENT, capped);
	MSG("splicer: POOL: no such pool");
	put_u32(NLMSGERR_ATTR_OFFS, off_pool);
	finish(true);
	CHECK(!nlx_parse_ack(hdr(), &ext), "parse");
	line = format(&ext, "service add \"web\"");
	CHECK(!strcmp(line, "service add \"web\": POOL: no such pool: "
		      "No such file or directory"), "line \"%s\"", line);

	/* ... but a mere substring does not count as naming it. */
	start_error(-EINVAL, capped);
	MSG("SPOOLED");
	put_u32(NLMSGERR_ATTR_OFFS, off_pool);
	finish(true);
	CHECK(!nlx_parse_ack(hdr(), &ext), "parse");
	line = format(&ext, NULL);
	CHECK(!strcmp(line, "SPOOLED (attribute POOL): Invalid argument"),
	      "line \"%s\"", line);
}

static void test_error_bare(void)
{
	struct nlx_ext ext;
	const char *line;

	start_error(-EEXIST, true);
	finish(false);
	CHECK(!nlx_parse_ack(hdr(), &ext), "parse");
	CHECK(ext.error == -EEXIST && !*ext.msg && !ext.has_offs, "fields");
	line = format(&ext, "service add \"web\"");
	CHECK(!strcmp(line, "service add \"web\": File exists"), "line \"%s\"", line);

	/* TLVs present in the buffer but not flagged: ignored. */
	start_error(-EEXIST, true);
	MSG("ignored");
	finish(false);
	CHECK(!nlx_parse_ack(hdr(), &ext) && !*ext.msg, "unflagged TLVs read");
}

static void test_offsets(void)
{
	struct nlmsghdr *r = nlmsg_hdr(req);
	char name[32];

	nlx_attr_at(r, r->nlmsg_len, off_service, name, sizeof(name));
	CHECK(!strcmp(name, "SERVICE"), "top-level: \"%s\"", name);
	nlx_attr_at(r, r->nlmsg_len, off_name, name, sizeof(name));
	CHECK(!strcmp(name, "NAME"), "name: \"%s\"", name);
	nlx_attr_at(r, r->nlmsg_len, off_port, name, sizeof(name));
	CHECK(!strcmp(name, "PORT"), "port: \"%s\"", name);
	nlx_attr_at(r, r->nlmsg_len, off_pool + 2, name, sizeof(name));
	CHECK(!*name, "mid-attribute offset named \"%s\"", name);
	nlx_attr_at(r, r->nlmsg_len, 4, name, sizeof(name));
	CHECK(!*name, "header offset named \"%s\"", name);
	nlx_attr_at(r, r->nlmsg_len, r->nlmsg_len + 8, name, sizeof(name));
	CHECK(!*name, "offset past the end named \"%s\"", name);
	nlx_attr_at(NULL, 0, off_pool, name, sizeof(name));
	CHECK(!*name, "no request named \"%s\"", name);
	/* Truncated request: the nest runs past the end. */
	nlx_attr_at(r, off_service + 8, off_name, name, sizeof(name));
	CHECK(!*name, "truncated request named \"%s\"", name);
}

static void test_missing(void)
{
	struct nlx_ext ext;
	const char *line;

	start_error(-EINVAL, true);
	put_u32(NLMSGERR_ATTR_MISS_TYPE, SPLICER_SVC_A_POOL);
	put_u32(NLMSGERR_ATTR_MISS_NEST, off_service);
	finish(true);
	CHECK(!nlx_parse_ack(hdr(), &ext), "parse");
	line = format(&ext, "service add \"web\"");
	CHECK(!strcmp(line, "service add \"web\" (missing attribute POOL): "
		      "Invalid argument"), "line \"%s\"", line);

	start_error(-EINVAL, true);
	MSG("splicer: missing object");
	put_u32(NLMSGERR_ATTR_MISS_TYPE, SPLICER_A_SERVER);
	finish(true);
	CHECK(!nlx_parse_ack(hdr(), &ext), "parse");
	line = format(&ext, NULL);
	CHECK(!strcmp(line, "missing object (missing attribute SERVER): "
		      "Invalid argument"), "line \"%s\"", line);

	start_error(-EINVAL, true);
	MSG("missing attribute NAME");
	put_u32(NLMSGERR_ATTR_MISS_TYPE, SPLICER_SVC_A_NAME);
	put_u32(NLMSGERR_ATTR_MISS_NEST, off_service);
	finish(true);
	CHECK(!nlx_parse_ack(hdr(), &ext), "parse");
	line = format(&ext, "service del \"web\"");
	CHECK(!strcmp(line, "service del \"web\": missing attribute NAME: "
		      "Invalid argument"), "line \"%s\"", line);

	/* Neither a message nor a what. */
	start_error(-EINVAL, true);
	finish(false);
	nlx_parse_ack(hdr(), &ext);
	line = format(&ext, NULL);
	CHECK(!strcmp(line, "request failed: Invalid argument"), "line \"%s\"", line);
}

static void test_policy(void)
{
	uint8_t pol[64];
	size_t plen = 0;
	struct nlx_ext ext;
	const char *line;
	uint64_t lo = 1, hi = 1000;
	struct nlattr a = { .nla_len = NLA_HDRLEN + 8 };

	a.nla_type = NL_POLICY_TYPE_ATTR_MIN_VALUE_U;
	memcpy(pol + plen, &a, 4);
	memcpy(pol + plen + 4, &lo, 8);
	plen += 12;
	a.nla_type = NL_POLICY_TYPE_ATTR_MAX_VALUE_U;
	memcpy(pol + plen, &a, 4);
	memcpy(pol + plen + 4, &hi, 8);
	plen += 12;

	start_error(-ERANGE, true);
	MSG("integer out of range");
	put_u32(NLMSGERR_ATTR_OFFS, off_port);
	put_tlv(NLA_F_NESTED | NLMSGERR_ATTR_POLICY, pol, plen);
	finish(true);
	CHECK(!nlx_parse_ack(hdr(), &ext), "parse");
	CHECK(ext.has_range_u && ext.min_u == 1 && ext.max_u == 1000, "range");
	line = format(&ext, NULL);
	CHECK(!strcmp(line, "integer out of range (attribute PORT, valid 1..1000): "
		      "Numerical result out of range"), "line \"%s\"", line);
}

static void test_ack_and_done(void)
{
	struct nlx_ext ext;
	const char *line;

	/* ACK with a warning. */
	start_error(0, true);
	MSG("splicer: weight ignored for maint servers");
	finish(true);
	CHECK(!nlx_parse_ack(hdr(), &ext) && ext.error == 0, "ack");
	CHECK(!strcmp(ext.msg, "splicer: weight ignored for maint servers"), "warning");

	/* DONE with an error and a message. */
	start_done(-ENOENT, true);
	MSG("splicer: pool \"nope\": no such pool");
	finish(true);
	CHECK(!nlx_parse_ack(hdr(), &ext), "done parse");
	CHECK(ext.error == -ENOENT && !strcmp(ext.msg, "splicer: pool \"nope\": no such pool"),
	      "done fields %d \"%s\"", ext.error, ext.msg);
	line = format(&ext, "server show");
	CHECK(!strcmp(line, "server show: pool \"nope\": no such pool: "
		      "No such file or directory"), "line \"%s\"", line);

	/* Plain DONE, and an empty DONE from an old kernel. */
	start_done(0, true);
	finish(false);
	CHECK(!nlx_parse_ack(hdr(), &ext) && ext.error == 0 && !*ext.msg, "done ok");
	start_done(0, false);
	finish(false);
	CHECK(!nlx_parse_ack(hdr(), &ext) && ext.error == 0, "empty done");

	/* Permission denied names the capability. */
	start_error(-EPERM, true);
	finish(false);
	nlx_parse_ack(hdr(), &ext);
	line = format(&ext, "pool add \"app\"");
	CHECK(!strcmp(line, "pool add \"app\": Operation not permitted "
		      "(splicerctl needs CAP_NET_ADMIN)"), "line \"%s\"", line);
}

/*
 * Offsets inside the PERSIST nest of a SERVICE_SET and inside a STICK_NEW
 * are named too, and a missing attribute of the PERSIST nest.
 */
static void test_nested(void)
{
	struct nlattr *svc, *persist, *stick, *a;
	uint32_t off_persist = 0, off_maxidle = 0, off_key = 0, off_sk = 0, off_idle = 0;
	struct nl_msg *m = nlmsg_alloc();
	struct nlmsghdr *r;
	struct nlx_ext ext;
	char name[32], out[512];
	int rem;

	genlmsg_put(m, 1, 7, 0x20, 0, 0, SPLICER_CMD_SERVICE_SET, 1);
	svc = nla_nest_start(m, NLA_F_NESTED | SPLICER_A_SERVICE);
	nla_put_string(m, SPLICER_SVC_A_NAME, "web");
	persist = nla_nest_start(m, NLA_F_NESTED | SPLICER_SVC_A_PERSIST);
	nla_put_u8(m, SPLICER_PERSIST_A_MODE, SPLICER_PERSIST_COOKIE);
	nla_put_u32(m, SPLICER_PERSIST_A_MAXIDLE, 7);
	nla_put(m, SPLICER_PERSIST_A_KEY, 16, "0123456789abcdef");
	nla_nest_end(m, persist);
	nla_nest_end(m, svc);
	r = nlmsg_hdr(m);
	off_persist = (uint32_t)((uint8_t *)persist - (uint8_t *)r);
	nla_for_each_nested(a, persist, rem) {
		if (nla_type(a) == SPLICER_PERSIST_A_MAXIDLE)
			off_maxidle = (uint32_t)((uint8_t *)a - (uint8_t *)r);
		if (nla_type(a) == SPLICER_PERSIST_A_KEY)
			off_key = (uint32_t)((uint8_t *)a - (uint8_t *)r);
	}
	nlx_attr_at(r, r->nlmsg_len, off_persist, name, sizeof(name));
	CHECK(!strcmp(name, "PERSIST"), "persist: \"%s\"", name);
	nlx_attr_at(r, r->nlmsg_len, off_maxidle, name, sizeof(name));
	CHECK(!strcmp(name, "MAXIDLE"), "maxidle: \"%s\"", name);
	nlx_attr_at(r, r->nlmsg_len, off_key, name, sizeof(name));
	CHECK(!strcmp(name, "KEY"), "key: \"%s\"", name);
	nlx_attr_at(r, r->nlmsg_len, off_key + 6, name, sizeof(name));
	CHECK(!*name, "inside KEY's data named \"%s\"", name);
	nlx_attr_in(r, r->nlmsg_len, off_persist, SPLICER_PERSIST_A_NAME, name, sizeof(name));
	CHECK(!strcmp(name, "NAME"), "missing in persist: \"%s\"", name);
	nlx_attr_in(r, r->nlmsg_len, off_persist, 99, name, sizeof(name));
	CHECK(!strcmp(name, "#99"), "unknown in persist: \"%s\"", name);

	/* The whole line, as splicerctl prints it. */
	memset(&ext, 0, sizeof(ext));
	ext.error = -ERANGE;
	snprintf(ext.msg, sizeof(ext.msg), "splicer: out of range 60 s - 30 d");
	ext.has_offs = true;
	ext.offs = off_maxidle;
	nlx_format_error(&ext, r, r->nlmsg_len, "persist \"web\" cookie", out, sizeof(out));
	CHECK(!strcmp(out, "persist \"web\" cookie: out of range 60 s - 30 d "
		      "(attribute MAXIDLE): Numerical result out of range"), "line \"%s\"", out);
	memset(&ext, 0, sizeof(ext));
	ext.error = -EINVAL;
	ext.has_miss_type = ext.has_miss_nest = true;
	ext.miss_type = SPLICER_PERSIST_A_MODE;
	ext.miss_nest = off_persist;
	nlx_format_error(&ext, r, r->nlmsg_len, "persist \"web\" key", out, sizeof(out));
	CHECK(!strcmp(out, "persist \"web\" key (missing attribute MODE): Invalid argument"),
	      "line \"%s\"", out);
	nlmsg_free(m);

	m = nlmsg_alloc();
	genlmsg_put(m, 1, 8, 0x20, 0, 0, SPLICER_CMD_STICK_NEW, 1);
	stick = nla_nest_start(m, NLA_F_NESTED | SPLICER_A_STICK);
	nla_put_string(m, SPLICER_STICK_A_SERVICE, "web");
	nla_put_u8(m, SPLICER_STICK_A_KIND, SPLICER_STICK_SESSION);
	nla_put(m, SPLICER_STICK_A_KEY, 3, "abc");
	nla_put_string(m, SPLICER_STICK_A_SERVER, "s1");
	nla_put_u32(m, SPLICER_STICK_A_IDLE, 5);
	nla_nest_end(m, stick);
	r = nlmsg_hdr(m);
	nla_for_each_nested(a, stick, rem) {
		if (nla_type(a) == SPLICER_STICK_A_KEY)
			off_sk = (uint32_t)((uint8_t *)a - (uint8_t *)r);
		if (nla_type(a) == SPLICER_STICK_A_IDLE)
			off_idle = (uint32_t)((uint8_t *)a - (uint8_t *)r);
	}
	nlx_attr_at(r, r->nlmsg_len, (uint32_t)((uint8_t *)stick - (uint8_t *)r),
		    name, sizeof(name));
	CHECK(!strcmp(name, "STICK"), "stick: \"%s\"", name);
	nlx_attr_at(r, r->nlmsg_len, off_sk, name, sizeof(name));
	CHECK(!strcmp(name, "KEY"), "stick key: \"%s\"", name);
	nlx_attr_at(r, r->nlmsg_len, off_idle, name, sizeof(name));
	CHECK(!strcmp(name, "IDLE"), "stick idle: \"%s\"", name);
	nlx_attr_in(r, r->nlmsg_len, (uint32_t)((uint8_t *)stick - (uint8_t *)r),
		    SPLICER_STICK_A_SERVER, name, sizeof(name));
	CHECK(!strcmp(name, "SERVER"), "missing in stick: \"%s\"", name);
	nlx_attr_in(r, r->nlmsg_len, 0, SPLICER_A_STICK, name, sizeof(name));
	CHECK(!strcmp(name, "STICK"), "missing top-level STICK: \"%s\"", name);
	nlmsg_free(m);
}

/*
 * The HEALTH nest of a POOL_SET: its members named, a missing TYPE, and
 * the lines the module's messages become.
 */
static void test_health(void)
{
	uint32_t off_health, off_interval = 0, off_expect = 0, off_path = 0;
	struct nlattr *pool, *health, *a;
	struct nl_msg *m = nlmsg_alloc();
	static const uint16_t expect[] = { 200, 399 };
	struct nlmsghdr *r;
	struct nlx_ext ext;
	char name[32], out[512];
	int rem;

	genlmsg_put(m, 1, 9, 0x20, 0, 0, SPLICER_CMD_POOL_SET, 1);
	pool = nla_nest_start(m, NLA_F_NESTED | SPLICER_A_POOL);
	nla_put_string(m, SPLICER_POOL_A_NAME, "app");
	health = nla_nest_start(m, NLA_F_NESTED | SPLICER_POOL_A_HEALTH);
	nla_put_u8(m, SPLICER_HEALTH_A_TYPE, SPLICER_HEALTH_HTTP);
	nla_put_u32(m, SPLICER_HEALTH_A_INTERVAL, 50);
	nla_put_string(m, SPLICER_HEALTH_A_PATH, "/a b");
	nla_put(m, SPLICER_HEALTH_A_EXPECT, sizeof(expect), expect);
	nla_nest_end(m, health);
	nla_nest_end(m, pool);
	r = nlmsg_hdr(m);
	off_health = (uint32_t)((uint8_t *)health - (uint8_t *)r);
	nla_for_each_nested(a, health, rem) {
		uint32_t off = (uint32_t)((uint8_t *)a - (uint8_t *)r);

		if (nla_type(a) == SPLICER_HEALTH_A_INTERVAL)
			off_interval = off;
		if (nla_type(a) == SPLICER_HEALTH_A_PATH)
			off_path = off;
		if (nla_type(a) == SPLICER_HEALTH_A_EXPECT)
			off_expect = off;
	}
	nlx_attr_at(r, r->nlmsg_len, off_health, name, sizeof(name));
	CHECK(!strcmp(name, "HEALTH"), "health: \"%s\"", name);
	nlx_attr_at(r, r->nlmsg_len, off_interval, name, sizeof(name));
	CHECK(!strcmp(name, "INTERVAL"), "interval: \"%s\"", name);
	nlx_attr_at(r, r->nlmsg_len, off_path, name, sizeof(name));
	CHECK(!strcmp(name, "PATH"), "path: \"%s\"", name);
	nlx_attr_at(r, r->nlmsg_len, off_expect, name, sizeof(name));
	CHECK(!strcmp(name, "EXPECT"), "expect: \"%s\"", name);
	nlx_attr_in(r, r->nlmsg_len, off_health, SPLICER_HEALTH_A_PASSIVE_STATUS, name,
		    sizeof(name));
	CHECK(!strcmp(name, "PASSIVE_STATUS"), "passive status: \"%s\"", name);
	nlx_attr_in(r, r->nlmsg_len, 0, SPLICER_A_POOL, name, sizeof(name));
	CHECK(!strcmp(name, "POOL"), "pool: \"%s\"", name);

	/* The module's own messages name the attribute: no repetition. */
	memset(&ext, 0, sizeof(ext));
	ext.error = -ERANGE;
	snprintf(ext.msg, sizeof(ext.msg), "splicer: INTERVAL: out of range 100 ms - 1 h");
	ext.has_offs = true;
	ext.offs = off_interval;
	nlx_format_error(&ext, r, r->nlmsg_len, "pool set \"app\"", out, sizeof(out));
	CHECK(!strcmp(out, "pool set \"app\": INTERVAL: out of range 100 ms - 1 h: "
		      "Numerical result out of range"), "line \"%s\"", out);
	/* A validate function's message does not: the attribute follows. */
	memset(&ext, 0, sizeof(ext));
	ext.error = -EINVAL;
	snprintf(ext.msg, sizeof(ext.msg),
		 "splicer: printable ASCII without spaces, and a NUL");
	ext.has_offs = true;
	ext.offs = off_path;
	nlx_format_error(&ext, r, r->nlmsg_len, "pool set \"app\"", out, sizeof(out));
	CHECK(!strcmp(out, "pool set \"app\": printable ASCII without spaces, and a NUL "
		      "(attribute PATH): Invalid argument"), "line \"%s\"", out);
	/* A missing TYPE in the HEALTH nest. */
	memset(&ext, 0, sizeof(ext));
	ext.error = -EINVAL;
	snprintf(ext.msg, sizeof(ext.msg), "splicer: HEALTH: missing TYPE (a nest "
		 "replaces the whole configuration)");
	ext.has_miss_type = ext.has_miss_nest = true;
	ext.miss_type = SPLICER_HEALTH_A_TYPE;
	ext.miss_nest = off_health;
	nlx_format_error(&ext, r, r->nlmsg_len, "pool set \"app\"", out, sizeof(out));
	CHECK(!strcmp(out, "pool set \"app\": HEALTH: missing TYPE (a nest replaces the "
		      "whole configuration): Invalid argument"), "line \"%s\"", out);
	ext.msg[0] = '\0';
	nlx_format_error(&ext, r, r->nlmsg_len, "pool set \"app\"", out, sizeof(out));
	CHECK(!strcmp(out, "pool set \"app\" (missing attribute TYPE): Invalid argument"),
	      "line \"%s\"", out);
	nlmsg_free(m);
}

/* Offset of the first attribute of 'type' in nest, from the message start. */
static uint32_t off_of(struct nlmsghdr *r, struct nlattr *nest, int type)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == type)
			return (uint32_t)((uint8_t *)a - (uint8_t *)r);
	return 0;
}

/*
 * A RULE_NEW: its members named in the kernel's answers, a missing
 * SERVICE, and the service switches of a SERVICE_SET.
 */
static void test_rule(void)
{
	static const uint8_t src[4] = { 198, 18, 0, 0 };
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *rule, *svc;
	uint32_t off_rule;
	struct nlmsghdr *r;
	struct nlx_ext ext;
	char name[32], out[512];

	genlmsg_put(m, 1, 10, 0x20, 0, 0, SPLICER_CMD_RULE_NEW, 1);
	rule = nla_nest_start(m, NLA_F_NESTED | SPLICER_A_RULE);
	nla_put_string(m, SPLICER_RULE_A_SERVICE, "web");
	nla_put_u32(m, SPLICER_RULE_A_POSITION, 9);
	nla_put_string(m, SPLICER_RULE_A_HOST, "*.example.com");
	nla_put_string(m, SPLICER_RULE_A_PATH_PREFIX, "/api/");
	nla_put_string(m, SPLICER_RULE_A_HEADER_VALUE, "x");
	nla_put_u16(m, SPLICER_RULE_A_SRC_FAMILY, AF_INET);
	nla_put(m, SPLICER_RULE_A_SRC_ADDR, 4, src);
	nla_put_u8(m, SPLICER_RULE_A_SRC_PREFIX, 24);
	nla_put_string(m, SPLICER_RULE_A_REDIRECT, "/x");
	nla_put_u16(m, SPLICER_RULE_A_STATUS, 301);
	nla_nest_end(m, rule);
	r = nlmsg_hdr(m);
	off_rule = (uint32_t)((uint8_t *)rule - (uint8_t *)r);
	{
		static const struct {
			int type;
			const char *name;
		} want[] = {
			{ SPLICER_RULE_A_SERVICE, "SERVICE" },
			{ SPLICER_RULE_A_POSITION, "POSITION" },
			{ SPLICER_RULE_A_HOST, "HOST" },
			{ SPLICER_RULE_A_PATH_PREFIX, "PATH_PREFIX" },
			{ SPLICER_RULE_A_HEADER_VALUE, "HEADER_VALUE" },
			{ SPLICER_RULE_A_SRC_FAMILY, "SRC_FAMILY" },
			{ SPLICER_RULE_A_SRC_ADDR, "SRC_ADDR" },
			{ SPLICER_RULE_A_SRC_PREFIX, "SRC_PREFIX" },
			{ SPLICER_RULE_A_REDIRECT, "REDIRECT" },
			{ SPLICER_RULE_A_STATUS, "STATUS" },
		};
		size_t i;

		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			nlx_attr_at(r, r->nlmsg_len, off_of(r, rule, want[i].type), name,
				    sizeof(name));
			CHECK(!strcmp(name, want[i].name), "rule member: \"%s\", want %s",
			      name, want[i].name);
		}
	}
	nlx_attr_at(r, r->nlmsg_len, off_rule, name, sizeof(name));
	CHECK(!strcmp(name, "RULE"), "rule: \"%s\"", name);
	nlx_attr_in(r, r->nlmsg_len, off_rule, SPLICER_RULE_A_POOL, name, sizeof(name));
	CHECK(!strcmp(name, "POOL"), "missing in rule: \"%s\"", name);
	nlx_attr_in(r, r->nlmsg_len, off_rule, SPLICER_RULE_A_HITS, name, sizeof(name));
	CHECK(!strcmp(name, "HITS"), "hits: \"%s\"", name);
	nlx_attr_in(r, r->nlmsg_len, 0, SPLICER_A_RULE, name, sizeof(name));
	CHECK(!strcmp(name, "RULE"), "top-level RULE: \"%s\"", name);
	nlx_attr_in(r, r->nlmsg_len, 0, SPLICER_A_TLS, name, sizeof(name));
	CHECK(!strcmp(name, "TLS"), "top-level TLS: \"%s\"", name);

	/* The lines splicerctl prints for the module's refusals. */
	memset(&ext, 0, sizeof(ext));
	ext.error = -ERANGE;
	snprintf(ext.msg, sizeof(ext.msg), "splicer: POSITION: past the last rule");
	ext.has_offs = true;
	ext.offs = off_of(r, rule, SPLICER_RULE_A_POSITION);
	nlx_format_error(&ext, r, r->nlmsg_len, "rule add \"web\"", out, sizeof(out));
	CHECK(!strcmp(out, "rule add \"web\": POSITION: past the last rule: "
		      "Numerical result out of range"), "line \"%s\"", out);
	memset(&ext, 0, sizeof(ext));
	ext.error = -EINVAL;
	snprintf(ext.msg, sizeof(ext.msg), "splicer: not a redirect status");
	ext.has_offs = true;
	ext.offs = off_of(r, rule, SPLICER_RULE_A_STATUS);
	nlx_format_error(&ext, r, r->nlmsg_len, "rule add \"web\"", out, sizeof(out));
	CHECK(!strcmp(out, "rule add \"web\": not a redirect status (attribute STATUS): "
		      "Invalid argument"), "line \"%s\"", out);
	memset(&ext, 0, sizeof(ext));
	ext.error = -EINVAL;
	ext.has_miss_type = ext.has_miss_nest = true;
	ext.miss_type = SPLICER_RULE_A_SERVICE;
	ext.miss_nest = off_rule;
	nlx_format_error(&ext, r, r->nlmsg_len, "rule show \"web\"", out, sizeof(out));
	CHECK(!strcmp(out, "rule show \"web\" (missing attribute SERVICE): Invalid argument"),
	      "line \"%s\"", out);
	nlmsg_free(m);

	m = nlmsg_alloc();
	genlmsg_put(m, 1, 11, 0x20, 0, 0, SPLICER_CMD_SERVICE_SET, 1);
	svc = nla_nest_start(m, NLA_F_NESTED | SPLICER_A_SERVICE);
	nla_put_string(m, SPLICER_SVC_A_NAME, "web");
	nla_put_u8(m, SPLICER_SVC_A_SPLICE, 1);
	nla_put_u8(m, SPLICER_SVC_A_TLS, 1);
	nla_put_u32(m, SPLICER_SVC_A_HANDSHAKE_TIMEOUT, 50);
	nla_put_u8(m, SPLICER_SVC_A_LOCATION_REWRITE, 0);
	nla_nest_end(m, svc);
	r = nlmsg_hdr(m);
	{
		static const struct {
			int type;
			const char *name;
		} want[] = {
			{ SPLICER_SVC_A_SPLICE, "SPLICE" },
			{ SPLICER_SVC_A_TLS, "TLS" },
			{ SPLICER_SVC_A_HANDSHAKE_TIMEOUT, "HANDSHAKE_TIMEOUT" },
			{ SPLICER_SVC_A_LOCATION_REWRITE, "LOCATION_REWRITE" },
		};
		size_t i;

		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			nlx_attr_at(r, r->nlmsg_len, off_of(r, svc, want[i].type), name,
				    sizeof(name));
			CHECK(!strcmp(name, want[i].name), "service member: \"%s\", want %s",
			      name, want[i].name);
		}
	}
	nlx_attr_in(r, r->nlmsg_len, (uint32_t)((uint8_t *)svc - (uint8_t *)r),
		    SPLICER_SVC_A_RULES, name, sizeof(name));
	CHECK(!strcmp(name, "RULES"), "service RULES: \"%s\"", name);
	/* A policy range (NLA_POLICY_MAX on the switches) is spelled out. */
	memset(&ext, 0, sizeof(ext));
	ext.error = -ERANGE;
	snprintf(ext.msg, sizeof(ext.msg), "integer out of range");
	ext.has_offs = true;
	ext.offs = off_of(r, svc, SPLICER_SVC_A_SPLICE);
	ext.has_range_u = true;
	ext.min_u = 0;
	ext.max_u = 1;
	nlx_format_error(&ext, r, r->nlmsg_len, "service set \"web\"", out, sizeof(out));
	CHECK(!strcmp(out, "service set \"web\": integer out of range (attribute SPLICE, "
		      "valid 0..1): Numerical result out of range"), "line \"%s\"", out);
	nlmsg_free(m);
}

static void test_malformed(void)
{
	struct nlx_ext ext;
	struct nlattr *a;

	/* Too short for struct nlmsgerr. */
	start_error(-EINVAL, true);
	finish(false);
	hdr()->nlmsg_len = NLMSG_HDRLEN + 2;
	CHECK(nlx_parse_ack(hdr(), &ext) == -EBADMSG, "short error accepted");

	/* Not an ACK at all. */
	start_error(-EINVAL, true);
	finish(false);
	hdr()->nlmsg_type = 0x20;
	CHECK(nlx_parse_ack(hdr(), &ext) == -EBADMSG, "data message accepted");

	/* A TLV that claims more bytes than the message has. */
	start_error(-EINVAL, true);
	a = (struct nlattr *)(buf + len);
	MSG("fine");
	a->nla_len = 200;
	finish(true);
	CHECK(!nlx_parse_ack(hdr(), &ext) && !*ext.msg && ext.error == -EINVAL,
	      "overlong TLV read");

	/* A TLV shorter than its header; then a message without NUL. */
	start_error(-EINVAL, true);
	a = (struct nlattr *)(buf + len);
	put_u32(NLMSGERR_ATTR_OFFS, 5);
	a->nla_len = 2;
	finish(true);
	CHECK(!nlx_parse_ack(hdr(), &ext) && !ext.has_offs, "short TLV read");

	start_error(-EINVAL, true);
	put_tlv(NLMSGERR_ATTR_MSG, "abc", 3);
	finish(true);
	CHECK(!nlx_parse_ack(hdr(), &ext) && !strcmp(ext.msg, "abc"),
	      "unterminated message \"%s\"", ext.msg);

	/* OFFS shorter than a u32 is ignored. */
	start_error(-EINVAL, true);
	put_tlv(NLMSGERR_ATTR_OFFS, "ab", 2);
	finish(true);
	CHECK(!nlx_parse_ack(hdr(), &ext) && !ext.has_offs, "2-byte OFFS used");

	/* A huge message is cut, not overflowed. */
	{
		char big[400];

		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		start_error(-EINVAL, true);
		put_tlv(NLMSGERR_ATTR_MSG, big, sizeof(big));
		finish(true);
		CHECK(!nlx_parse_ack(hdr(), &ext) &&
		      strlen(ext.msg) == sizeof(ext.msg) - 1, "long message");
	}
}

int main(void)
{
	build_request();
	test_error_with_message(true);
	test_error_with_message(false);
	test_error_bare();
	test_offsets();
	test_missing();
	test_policy();
	test_ack_and_done();
	test_nested();
	test_health();
	test_rule();
	test_malformed();
	nlmsg_free(req);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
