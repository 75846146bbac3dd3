// SPDX-License-Identifier: GPL-2.0
/*
 * splicer-handshaked: the configuration file (see config.h).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#define CONFIG_MAX_BYTES	(1 << 20)

/* ---- names ------------------------------------------------------------ */

bool hs_name_valid(const char *name)
{
	size_t n = strlen(name), i;

	if (n == 0 || n >= HS_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!isalnum(c) && c != '_' && c != '.' && c != '-')
			return false;
	}
	return true;
}

static bool label_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') &&
		    c != '-' && c != '_')
			return false;
	}
	return true;
}

bool hs_host_normalise(const char *in, char *out)
{
	size_t n = strlen(in), i, start, labels = 0;
	bool wild;

	if (n && in[n - 1] == '.')
		n--;
	if (n == 0 || n > HS_HOST_MAX)
		return false;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[n] = '\0';

	wild = n > 2 && out[0] == '*' && out[1] == '.';
	start = wild ? 2 : 0;
	for (i = start; i <= n; i++) {
		if (i == n || out[i] == '.') {
			if (!label_ok(out + start, i - start))
				return false;
			labels++;
			start = i + 1;
		}
	}
	/* "*.com" would match a whole top-level domain */
	return !wild || labels >= 2;
}

bool hs_host_match(const char *pattern, const char *host)
{
	size_t hn = strlen(host), pn = strlen(pattern);
	const char *dot;

	if (hn && host[hn - 1] == '.')
		hn--;
	if (hn == 0)
		return false;
	if (pattern[0] != '*')
		return hn == pn && !strncasecmp(pattern, host, hn);
	/* "*.rest": host is "label.rest" with one non-empty label */
	dot = memchr(host, '.', hn);
	if (!dot || dot == host)
		return false;
	return (size_t)(host + hn - dot) == pn - 1 &&
	       !strncasecmp(pattern + 1, dot, pn - 1);
}

/* ---- parsing ---------------------------------------------------------- */

struct parser {
	const char *p, *end;
	const char *fname;
	char *dir;		/* the file's directory, for relative paths */
	int line;
	char *err;
	size_t errlen;
	/* this line's words */
	char **words;
	size_t nwords, cap;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *ps, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->line > 0)
		snprintf(ps->err, ps->errlen, "%s:%d: %s",
			 ps->fname ? ps->fname : "config", ps->line, msg);
	else
		snprintf(ps->err, ps->errlen, "%s: %s",
			 ps->fname ? ps->fname : "config", msg);
	return -1;
}

static void words_clear(struct parser *ps)
{
	size_t i;

	for (i = 0; i < ps->nwords; i++)
		free(ps->words[i]);
	ps->nwords = 0;
}

static int word_add(struct parser *ps, char *w)
{
	if (ps->nwords == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 16;
		char **n = realloc(ps->words, cap * sizeof(*n));

		if (!n) {
			free(w);
			return fail(ps, "out of memory");
		}
		ps->words = n;
		ps->cap = cap;
	}
	ps->words[ps->nwords++] = w;
	return 0;
}

/*
 * Split the next line into ps->words. Returns 1 with a line, 0 at the end
 * of the text, -1 on a syntax error.
 */
static int next_line(struct parser *ps)
{
	const char *p = ps->p, *end = ps->end;

	words_clear(ps);
	if (p >= end)
		return 0;
	ps->line++;
	while (p < end && *p != '\n') {
		char *w, *o;

		if (*p == ' ' || *p == '\t' || *p == '\r') {
			p++;
			continue;
		}
		if (*p == '#') {
			while (p < end && *p != '\n')
				p++;
			break;
		}
		if (*p == '\0')
			return fail(ps, "NUL byte in the file");
		/* a word is at most the rest of the line */
		w = o = malloc((size_t)(end - p) + 1);
		if (!w)
			return fail(ps, "out of memory");
		while (p < end && *p != '\n' && *p != ' ' && *p != '\t' && *p != '\r') {
			if (*p == '\0') {
				free(w);
				return fail(ps, "NUL byte in the file");
			}
			if (*p != '"') {
				*o++ = *p++;
				continue;
			}
			for (p++;; p++) {
				if (p >= end || *p == '\n' || *p == '\0') {
					free(w);
					return fail(ps, "unterminated quote");
				}
				if (*p == '"') {
					p++;
					break;
				}
				if (*p == '\\' && p + 1 < end && (p[1] == '"' || p[1] == '\\'))
					p++;
				*o++ = *p;
			}
		}
		*o = '\0';
		if (word_add(ps, w))
			return -1;
	}
	ps->p = p < end ? p + 1 : p;
	return 1;
}

static char *path_of(struct parser *ps, const char *word)
{
	char *path;

	if (word[0] == '/' || !ps->dir)
		path = strdup(word);
	else if (asprintf(&path, "%s/%s", ps->dir, word) < 0)
		path = NULL;
	if (!path)
		fail(ps, "out of memory");
	return path;
}

static int parse_number(struct parser *ps, const char *what, const char *s,
			long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	if (!isdigit((unsigned char)s[0]))
		return fail(ps, "%s: \"%s\" is not a number", what, s);
	v = strtol(s, &end, 10);
	if (*end)
		return fail(ps, "%s: \"%s\" is not a number", what, s);
	if (errno == ERANGE || v < min || v > max)
		return fail(ps, "%s: %s is out of range (%ld..%ld)", what, s, min, max);
	*out = v;
	return 0;
}

static struct hs_service_cfg *service_get(struct parser *ps, struct hs_config *cfg,
					  const char *name)
{
	struct hs_service_cfg *svc;
	size_t i;

	for (i = 0; i < cfg->nservices; i++)
		if (!strcmp(cfg->services[i].name, name))
			return &cfg->services[i];
	svc = realloc(cfg->services, (cfg->nservices + 1) * sizeof(*svc));
	if (!svc) {
		fail(ps, "out of memory");
		return NULL;
	}
	cfg->services = svc;
	svc = &cfg->services[cfg->nservices++];
	memset(svc, 0, sizeof(*svc));
	snprintf(svc->name, sizeof(svc->name), "%s", name);
	return svc;
}

static void cert_free(struct hs_cert_cfg *c)
{
	size_t i;

	free(c->cert);
	free(c->key);
	for (i = 0; i < c->nsni; i++)
		free(c->sni[i]);
	free(c->sni);
	memset(c, 0, sizeof(*c));
}

static int parse_service(struct parser *ps, struct hs_config *cfg)
{
	struct hs_cert_cfg c = { .line = ps->line };
	struct hs_service_cfg *svc;
	const char *name;
	size_t i, j, k;

	if (ps->nwords < 2)
		return fail(ps, "service: a name is missing (service NAME cert PATH [key PATH] [sni HOST ...])");
	name = ps->words[1];
	if (!hs_name_valid(name))
		return fail(ps, "service: \"%s\" is not a service name (1..%d of A-Z a-z 0-9 _ . -)",
			    name, HS_NAME_MAX - 1);

	for (i = 2; i < ps->nwords; i++) {
		const char *kw = ps->words[i];

		if (!strcmp(kw, "cert") || !strcmp(kw, "key")) {
			char **dst = kw[0] == 'c' ? &c.cert : &c.key;

			if (*dst) {
				fail(ps, "service %s: %s given twice", name, kw);
				goto err;
			}
			if (i + 1 >= ps->nwords || !ps->words[i + 1][0]) {
				fail(ps, "service %s: %s needs a PATH", name, kw);
				goto err;
			}
			*dst = path_of(ps, ps->words[++i]);
			if (!*dst)
				goto err;
		} else if (!strcmp(kw, "sni")) {
			size_t n = 0;

			for (j = i + 1; j < ps->nwords; j++, n++)
				if (!strcmp(ps->words[j], "cert") || !strcmp(ps->words[j], "key") ||
				    !strcmp(ps->words[j], "sni"))
					break;
			if (!n) {
				fail(ps, "service %s: sni needs at least one HOST", name);
				goto err;
			}
			for (j = i + 1; j < i + 1 + n; j++) {
				char host[HS_HOST_MAX + 1], **nsni;

				if (!hs_host_normalise(ps->words[j], host)) {
					fail(ps, "service %s: sni: \"%s\" is not a host name "
					     "(or a wildcard *.domain)", name, ps->words[j]);
					goto err;
				}
				for (k = 0; k < c.nsni; k++)
					if (!strcmp(c.sni[k], host))
						break;
				if (k < c.nsni)
					continue;	/* twice on one line: harmless */
				nsni = realloc(c.sni, (c.nsni + 1) * sizeof(*nsni));
				if (!nsni || !(nsni[c.nsni] = strdup(host))) {
					if (nsni)
						c.sni = nsni;
					fail(ps, "out of memory");
					goto err;
				}
				c.sni = nsni;
				c.nsni++;
			}
			i += n;
		} else {
			fail(ps, "service %s: unknown word \"%s\" (cert, key or sni expected)",
			     name, kw);
			goto err;
		}
	}
	if (!c.cert) {
		fail(ps, "service %s: cert PATH is missing", name);
		goto err;
	}
	if (!c.key && !(c.key = strdup(c.cert))) {
		fail(ps, "out of memory");
		goto err;
	}

	svc = service_get(ps, cfg, name);
	if (!svc)
		goto err;
	/* a name chosen by two lines of one service would be ambiguous */
	for (i = 0; i < svc->ncerts; i++)
		for (j = 0; j < svc->certs[i].nsni; j++)
			for (k = 0; k < c.nsni; k++)
				if (!strcmp(svc->certs[i].sni[j], c.sni[k])) {
					fail(ps, "service %s: sni %s is already given on line %d",
					     name, c.sni[k], svc->certs[i].line);
					goto err;
				}
	{
		struct hs_cert_cfg *certs = realloc(svc->certs,
						    (svc->ncerts + 1) * sizeof(*certs));

		if (!certs) {
			fail(ps, "out of memory");
			goto err;
		}
		svc->certs = certs;
		svc->certs[svc->ncerts++] = c;
	}
	return 0;
err:
	cert_free(&c);
	return -1;
}

static int parse_line(struct parser *ps, struct hs_config *cfg)
{
	const char *kw = ps->words[0];
	long v;

	if (!strcmp(kw, "service"))
		return parse_service(ps, cfg);

	if (strcmp(kw, "user") && strcmp(kw, "workers") && strcmp(kw, "ticket-lifetime"))
		return fail(ps, "unknown directive \"%s\" (service, user, workers or "
			    "ticket-lifetime expected)", kw);
	if (ps->nwords != 2)
		return fail(ps, "%s takes exactly one value", kw);

	if (!strcmp(kw, "user")) {
		if (cfg->user)
			return fail(ps, "user is given twice");
		if (!ps->words[1][0])
			return fail(ps, "user: empty name");
		cfg->user = strdup(ps->words[1]);
		return cfg->user ? 0 : fail(ps, "out of memory");
	}
	if (!strcmp(kw, "workers")) {
		if (cfg->workers)
			return fail(ps, "workers is given twice");
		if (parse_number(ps, kw, ps->words[1], 1, HS_WORKERS_MAX, &v))
			return -1;
		cfg->workers = (unsigned int)v;
		return 0;
	}
	if (cfg->ticket_lifetime >= 0)
		return fail(ps, "ticket-lifetime is given twice");
	if (parse_number(ps, kw, ps->words[1], 0, HS_TICKET_LIFETIME_MAX, &v))
		return -1;
	cfg->ticket_lifetime = v;
	return 0;
}

static void config_init(struct hs_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ticket_lifetime = -1;
}

int hs_config_parse(const char *text, size_t len, const char *fname,
		    struct hs_config *cfg, char *err, size_t errlen)
{
	struct parser ps = {
		.p = text, .end = text + len, .fname = fname,
		.err = err, .errlen = errlen,
	};
	int r;

	config_init(cfg);
	if (errlen)
		err[0] = '\0';
	if (fname && strchr(fname, '/')) {
		const char *slash = strrchr(fname, '/');

		ps.dir = slash == fname ? strdup("/") : strndup(fname, (size_t)(slash - fname));
		if (!ps.dir) {
			fail(&ps, "out of memory");
			return -1;
		}
	}
	while ((r = next_line(&ps)) > 0) {
		if (ps.nwords == 0)
			continue;
		r = parse_line(&ps, cfg);
		if (r)
			break;
	}
	words_clear(&ps);
	free(ps.words);
	free(ps.dir);
	if (r) {
		hs_config_free(cfg);
		return -1;
	}
	return 0;
}

int hs_config_load(const char *path, struct hs_config *cfg, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	size_t len = 0;
	int fd, r;

	config_init(cfg);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: %s", path,
			 S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
		close(fd);
		return -1;
	}
	if (st.st_size > CONFIG_MAX_BYTES) {
		snprintf(err, errlen, "%s: larger than %d bytes", path, CONFIG_MAX_BYTES);
		close(fd);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > (size_t)st.st_size) {
			snprintf(err, errlen, "%s: changed while being read", path);
			free(buf);
			close(fd);
			return -1;
		}
	}
	close(fd);
	r = hs_config_parse(buf, len, path, cfg, err, errlen);
	free(buf);
	return r;
}

void hs_config_free(struct hs_config *cfg)
{
	size_t i, j;

	for (i = 0; i < cfg->nservices; i++) {
		for (j = 0; j < cfg->services[i].ncerts; j++)
			cert_free(&cfg->services[i].certs[j]);
		free(cfg->services[i].certs);
	}
	free(cfg->services);
	free(cfg->user);
	config_init(cfg);
}

const struct hs_service_cfg *hs_config_service(const struct hs_config *cfg,
					       const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nservices; i++)
		if (!strcmp(cfg->services[i].name, name))
			return &cfg->services[i];
	return NULL;
}
