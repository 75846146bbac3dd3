// SPDX-License-Identifier: GPL-2.0
/*
 * splicer-handshaked: logging (see log.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>

#include "log.h"

static bool log_syslog;
static bool log_verbose;

void hs_log_init(bool use_syslog, bool verbose)
{
	log_verbose = verbose;
	if (use_syslog && !log_syslog)
		openlog(HS_PROG, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_syslog = use_syslog;
}

bool hs_log_verbose(void)
{
	return log_verbose;
}

void hs_log(int prio, const char *fmt, ...)
{
	char line[1024];
	const char *level = "";
	int saved = errno, n;
	va_list ap;

	if (prio == LOG_DEBUG && !log_verbose)
		return;
	va_start(ap, fmt);
	if (log_syslog) {
		vsyslog(prio, fmt, ap);
		va_end(ap);
		errno = saved;
		return;
	}
	switch (prio) {
	case LOG_EMERG: case LOG_ALERT: case LOG_CRIT: case LOG_ERR:
		level = "error: ";
		break;
	case LOG_WARNING:
		level = "warning: ";
		break;
	}
	n = snprintf(line, sizeof(line), HS_PROG ": %s", level);
	if (n > 0 && (size_t)n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	if ((size_t)n >= sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
	errno = saved;
}

void hs_ssl_errors(char *buf, size_t len)
{
	unsigned long e;
	size_t n = 0;

	if (!len)
		return;
	buf[0] = '\0';
	while ((e = ERR_get_error()) != 0) {
		const char *reason = ERR_reason_error_string(e);
		char tmp[64];

		if (!reason) {
			snprintf(tmp, sizeof(tmp), "error %08lx", e);
			reason = tmp;
		}
		/* the same reason twice says nothing new */
		if (n && strstr(buf, reason))
			continue;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "; " : "", reason);
		if (n >= len) {
			ERR_clear_error();
			break;
		}
	}
}
