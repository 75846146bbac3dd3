/* SPDX-License-Identifier: GPL-2.0 */
/*
 * splicer-handshaked's configuration file (handshaked.conf(5) lives in
 * splicer-handshaked.8): one directive per line,
 *
 *   service NAME cert PATH [key PATH] [sni HOST ...]
 *   user NAME
 *   workers N
 *   ticket-lifetime SECONDS
 *
 * '#' starts a comment (at the start of a word), words are separated by
 * blanks, "double quotes" keep blanks in a word (\" and \\ inside). A
 * service takes several lines, one per certificate; its first line is the
 * default certificate, the others are chosen by the name the client asks
 * for (SNI). Without `sni` a line answers the names its certificate
 * carries (subjectAltName DNS entries, else the CN). Relative paths are
 * relative to the file's directory. Pure C: no OpenSSL here, see
 * tests/config_test.c.
 */
#ifndef HANDSHAKED_CONFIG_H
#define HANDSHAKED_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define HS_NAME_MAX		32	/* SPLICER_NAME_MAX: a service name, NUL included */
#define HS_HOST_MAX		253	/* a host name, without the NUL */
#define HS_WORKERS_MAX		256
#define HS_TICKET_LIFETIME_MAX	604800	/* TLS 1.3's limit: 7 days */
#define HS_TICKET_LIFETIME_DEF	3600
#define HS_DEFAULT_USER		"nobody"
#define HS_DEFAULT_CONFIG	"/etc/splicer/handshaked.conf"

struct hs_cert_cfg {
	char *cert;		/* PEM: the certificate, then its chain */
	char *key;		/* PEM private key (the cert file when not given) */
	char **sni;		/* lower case; "*.example.com" is a wildcard */
	size_t nsni;
	int line;
};

struct hs_service_cfg {
	char name[HS_NAME_MAX];
	struct hs_cert_cfg *certs;	/* [0]: the default */
	size_t ncerts;
};

struct hs_config {
	char *user;			/* NULL: not set */
	unsigned int workers;		/* 0: not set (one per CPU) */
	long ticket_lifetime;		/* -1: not set */
	struct hs_service_cfg *services;
	size_t nservices;
};

/*
 * Parse 'len' bytes of 'text' (read from 'fname', used in messages and to
 * resolve relative paths; may be NULL). On failure returns -1 with one
 * line "FILE:LINE: what is wrong" in err and *cfg empty; 0 on success.
 */
int hs_config_parse(const char *text, size_t len, const char *fname,
		    struct hs_config *cfg, char *err, size_t errlen);

/* Read and parse a file; err says why it could not be read too. */
int hs_config_load(const char *path, struct hs_config *cfg, char *err, size_t errlen);

void hs_config_free(struct hs_config *cfg);

/* The service called 'name', or NULL. */
const struct hs_service_cfg *hs_config_service(const struct hs_config *cfg,
					       const char *name);

/* 1..31 bytes of [A-Za-z0-9_.-], as the kernel's object names. */
bool hs_name_valid(const char *name);

/*
 * Normalise a host name for `sni` into out (HS_HOST_MAX + 1 bytes): lower
 * case, no trailing dot; labels of 1..63 bytes of [a-z0-9_-] not starting
 * or ending with '-'; a wildcard only as a whole first label "*." followed
 * by at least two labels. Returns false if it is not one.
 */
bool hs_host_normalise(const char *in, char *out);

/*
 * Does the client's server name 'host' (any case, a trailing dot allowed)
 * match 'pattern' (normalised)? A wildcard matches exactly one label:
 * "*.example.com" matches "a.example.com", not "example.com" nor
 * "a.b.example.com".
 */
bool hs_host_match(const char *pattern, const char *host);

#endif
