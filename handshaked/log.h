/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Logging: one line per call, to stderr (foreground, "splicer-handshaked:
 * " prefixed, one write(2) per line so threads do not interleave) or to
 * syslog (LOG_DAEMON). LOG_DEBUG lines only with -v.
 */
#ifndef HANDSHAKED_LOG_H
#define HANDSHAKED_LOG_H

#include <stdbool.h>
#include <syslog.h>

#define HS_PROG "splicer-handshaked"

void hs_log_init(bool use_syslog, bool verbose);
bool hs_log_verbose(void);

__attribute__((format(printf, 2, 3)))
void hs_log(int prio, const char *fmt, ...);

/* The OpenSSL error queue of this thread, drained, as "; "-joined reasons. */
void hs_ssl_errors(char *buf, size_t len);

#define hs_err(...)	hs_log(LOG_ERR, __VA_ARGS__)
#define hs_warn(...)	hs_log(LOG_WARNING, __VA_ARGS__)
#define hs_notice(...)	hs_log(LOG_NOTICE, __VA_ARGS__)
#define hs_info(...)	hs_log(LOG_INFO, __VA_ARGS__)
#define hs_debug(...)	do { if (hs_log_verbose()) hs_log(LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
