// SPDX-License-Identifier: GPL-2.0
/*
 * splicer-handshaked: the TLS handshake daemon of splicer.ko.
 *
 *   splicer-handshaked [-c FILE] [-f] [-t] [-w N] [-u USER] [-v]
 *
 * See splicer-handshaked(8).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "daemon.h"
#include "log.h"
#include "nlsrc.h"

#define USAGE "usage: " HS_PROG " [-c FILE] [-f] [-t] [-w N] [-u USER] [-v]\n"

static void help(void)
{
	printf(USAGE
	       "TLS handshakes for splicer's TLS services, handed over by the kernel;\n"
	       "kTLS carries the connection afterwards.\n"
	       "\n"
	       "  -c FILE   configuration (default " HS_DEFAULT_CONFIG ")\n"
	       "  -f        stay in the foreground, log to stderr (else syslog)\n"
	       "  -t        check the configuration, load every certificate and key, exit\n"
	       "  -w N      worker threads (default: the file's, else one per CPU)\n"
	       "  -u USER   user to run as after start (default: the file's, else "
	       HS_DEFAULT_USER ")\n"
	       "  -v        log every handshake\n"
	       "  -h        this help\n"
	       "\n"
	       "Signals: HUP reloads certificates, TERM/INT stop (twice: at once),\n"
	       "USR1 logs counters.\n");
}

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, HS_PROG ": %s\n", why);
	fputs(USAGE, stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct hs_opts o = {
		.config = HS_DEFAULT_CONFIG,
		.ops = &hs_nl_source,
	};
	char why[128];
	int c;

	opterr = 0;
	while ((c = getopt(argc, argv, ":c:ftw:u:vh")) != -1) {
		switch (c) {
		case 'c':
			o.config = optarg;
			break;
		case 'f':
			o.foreground = true;
			break;
		case 't':
			o.check = true;
			o.foreground = true;
			break;
		case 'w': {
			char *end;
			long n;

			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || n < 1 || n > HS_WORKERS_MAX) {
				snprintf(why, sizeof(why), "-w: \"%s\" is not a number of workers "
					 "(1..%d)", optarg, HS_WORKERS_MAX);
				return usage(why);
			}
			o.workers = (unsigned int)n;
			break;
		}
		case 'u':
			if (!optarg[0])
				return usage("-u: empty user name");
			o.user = optarg;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			help();
			return 0;
		case ':':
			snprintf(why, sizeof(why), "-%c needs an argument", optopt);
			return usage(why);
		default:
			snprintf(why, sizeof(why), "unknown option -%c", optopt);
			return usage(why);
		}
	}
	if (optind < argc) {
		snprintf(why, sizeof(why), "unexpected argument \"%s\"", argv[optind]);
		return usage(why);
	}
	return hs_daemon(&o);
}
