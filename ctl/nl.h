/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel I/O for splicerctl: one generic netlink socket, the splicer family
 * resolved, and request helpers that always end in an ACK or NLMSG_DONE,
 * with the kernel's extended ACK (message, offending attribute, valid
 * range) turned into one readable line on stderr.
 */
#ifndef SPLICERCTL_NL_H
#define SPLICERCTL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/netlink.h>
#include <netlink/genl/genl.h>

struct nlx {
	struct nl_sock *sk;
	uint16_t family;	/* resolved id of SPLICER_FAMILY_NAME */
	uint32_t log_group;	/* id of SPLICER_MCGRP_LOG, 0 if none */
};

/*
 * Called once per reply message with the attributes after the genl header.
 * Return 0, or a negative errno to fail the request (the rest of the reply
 * is still read and discarded).
 */
typedef int (*nlx_reply_fn)(const struct nlattr *attrs, int len, void *arg);

/*
 * Switch to network namespace 'netns' (a name under /run/netns or a path;
 * NULL for the current one), open the socket, enable extended ACKs and
 * resolve the family. Prints the reason on failure. Returns 0 or 1 (the
 * exit status to use).
 */
int nlx_open(struct nlx *nl, const char *netns);
void nlx_close(struct nlx *nl);

/* A new request for 'cmd' of the splicer family; NULL on ENOMEM. */
struct nl_msg *nlx_msg(struct nlx *nl, uint8_t cmd);

/*
 * Send 'msg' (consumed) as a doit with NLM_F_ACK, pass any reply to fn and
 * wait for the ACK. On failure print one line naming 'what' or the
 * kernel's message. Returns 0 or a negative errno.
 */
int nlx_doit(struct nlx *nl, struct nl_msg *msg, nlx_reply_fn fn, void *arg,
	     const char *what);

/*
 * Send 'msg' (consumed) as a dump, passing each message to fn. If the
 * kernel flags the dump as interrupted by a concurrent change
 * (NLM_F_DUMP_INTR), call reset(arg) and start over, up to
 * NLX_DUMP_ATTEMPTS times in all, then keep the last result and warn.
 */
#ifndef NLX_DUMP_ATTEMPTS
#define NLX_DUMP_ATTEMPTS 5
#endif
int nlx_dump(struct nlx *nl, struct nl_msg *msg, nlx_reply_fn fn,
	     void (*reset)(void *arg), void *arg, const char *what);

/*
 * Join the decision log multicast group, then pass every record (message
 * of the family, sequence number 0) to fn until fn returns non-zero (a
 * negative errno fails). Records the socket had to drop are reported on
 * stderr and the loop goes on. Returns 0 or a negative errno.
 */
int nlx_listen_log(struct nlx *nl, nlx_reply_fn fn, void *arg);

/* ---- extended ACK decoding: pure functions, see tests/nl_test.c ---- */

struct nlx_ext {
	int error;			/* 0 or a negative errno */
	char msg[256];			/* NLMSGERR_ATTR_MSG, "" if none */
	bool has_offs, has_miss_type, has_miss_nest;
	uint32_t offs;			/* offending attribute in the request */
	uint32_t miss_type;		/* missing attribute type ... */
	uint32_t miss_nest;		/* ... inside the nest at this offset */
	/* From NLMSGERR_ATTR_POLICY, when the kernel includes it. */
	bool has_range_u, has_range_s, has_len;
	uint64_t min_u, max_u;
	int64_t min_s, max_s;
	uint32_t min_len, max_len;
};

/*
 * Decode an NLMSG_ERROR (ACK or error) or NLMSG_DONE message of
 * nlh->nlmsg_len bytes. Returns 0 or -EBADMSG if it is malformed.
 */
int nlx_parse_ack(const struct nlmsghdr *nlh, struct nlx_ext *ext);

/*
 * Name of the attribute at byte offset 'offs' of the splicer request
 * 'req' (len bytes, starting at its nlmsghdr), e.g. "POOL"; "" when the
 * offset does not start an attribute.
 */
void nlx_attr_at(const void *req, size_t len, uint32_t offs,
		 char *buf, size_t buflen);

/*
 * Name of attribute 'type' inside the nest at byte offset 'nest_offs'
 * of 'req', or at the top level when nest_offs is 0.
 */
void nlx_attr_in(const void *req, size_t len, uint32_t nest_offs,
		 uint32_t type, char *buf, size_t buflen);

/*
 * The line printed for a failed request, without the "splicerctl: "
 * prefix: 'what' (the command, e.g. 'pool add "app"'), the kernel's
 * message, details in parentheses (the attribute at NLMSGERR_ATTR_OFFS
 * unless the message names it, a missing attribute, a valid range), then
 * strerror. 'what' and 'req' may be NULL.
 */
void nlx_format_error(const struct nlx_ext *ext, const void *req, size_t reqlen,
		      const char *what, char *buf, size_t len);

#endif
