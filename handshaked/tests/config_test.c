// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for handshaked/config.c: the file's syntax (words, quotes,
 * comments, CRLF), every directive and its limits, services over several
 * lines, relative paths, every error with its line number, host names for
 * sni (normalisation, wildcards) and matching a client's server name.
 * Run by "make -C handshaked check"; exits non-zero if any check fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../config.h"

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

static int parse(const char *text, const char *fname, struct hs_config *cfg, char *err)
{
	return hs_config_parse(text, strlen(text), fname, cfg, err, 512);
}

/* text must fail with a message containing want (and "FILE:LINE:"). */
static void bad(const char *text, const char *want)
{
	struct hs_config cfg;
	char err[512];
	int r = parse(text, "/etc/splicer/h.conf", &cfg, err);

	CHECK(r == -1, "accepted: %s", text);
	if (r != -1) {
		hs_config_free(&cfg);
		return;
	}
	CHECK(strstr(err, want), "error \"%s\", want \"%s\" (for: %s)", err, want, text);
	CHECK(!strncmp(err, "/etc/splicer/h.conf:", 20), "no file name in \"%s\"", err);
	CHECK(cfg.nservices == 0 && !cfg.services && !cfg.user, "output left after a failure");
}

static void test_basic(void)
{
	const char *text =
		"# splicer-handshaked\n"
		"\n"
		"user nobody\n"
		"workers 4   # comment after a value\n"
		"ticket-lifetime 600\n"
		"service web cert /etc/ssl/web.pem key /etc/ssl/private/web.key sni Example.COM www.example.com.\n"
		"service web cert other.pem key keys/other.key sni *.other.example\n"
		"service api cert /etc/ssl/api.pem\n";
	struct hs_config cfg;
	const struct hs_service_cfg *web, *api;
	char err[512];

	CHECK(parse(text, "/etc/splicer/handshaked.conf", &cfg, err) == 0, "basic: %s", err);
	CHECK(cfg.user && !strcmp(cfg.user, "nobody"), "user");
	CHECK(cfg.workers == 4, "workers %u", cfg.workers);
	CHECK(cfg.ticket_lifetime == 600, "ticket-lifetime %ld", cfg.ticket_lifetime);
	CHECK(cfg.nservices == 2, "%zu services", cfg.nservices);
	web = hs_config_service(&cfg, "web");
	api = hs_config_service(&cfg, "api");
	CHECK(web && api && !hs_config_service(&cfg, "nope"), "lookup");
	if (!web || !api)
		goto out;
	CHECK(web->ncerts == 2, "web: %zu certs", web->ncerts);
	CHECK(!strcmp(web->certs[0].cert, "/etc/ssl/web.pem"), "cert 0: %s", web->certs[0].cert);
	CHECK(!strcmp(web->certs[0].key, "/etc/ssl/private/web.key"), "key 0");
	CHECK(web->certs[0].nsni == 2 && !strcmp(web->certs[0].sni[0], "example.com") &&
	      !strcmp(web->certs[0].sni[1], "www.example.com"), "sni normalised");
	CHECK(web->certs[0].line == 6 && web->certs[1].line == 7, "lines %d %d",
	      web->certs[0].line, web->certs[1].line);
	CHECK(!strcmp(web->certs[1].cert, "/etc/splicer/other.pem"), "relative cert: %s",
	      web->certs[1].cert);
	CHECK(!strcmp(web->certs[1].key, "/etc/splicer/keys/other.key"), "relative key: %s",
	      web->certs[1].key);
	CHECK(web->certs[1].nsni == 1 && !strcmp(web->certs[1].sni[0], "*.other.example"),
	      "wildcard");
	CHECK(api->ncerts == 1 && api->certs[0].nsni == 0, "api");
	CHECK(!strcmp(api->certs[0].key, "/etc/ssl/api.pem"), "key defaults to the cert: %s",
	      api->certs[0].key);
out:
	hs_config_free(&cfg);
	CHECK(cfg.nservices == 0 && cfg.user == NULL && cfg.ticket_lifetime == -1, "free resets");
}

static void test_syntax(void)
{
	struct hs_config cfg;
	char err[512];

	/* quotes, escapes, CRLF, tabs, no final newline, keyword order */
	CHECK(parse("service \"a\" key \"/k k/x.key\"\tcert \"/c \\\"q\\\" \\\\.pem\" sni a.b\r\n"
		    "workers\t2\r\n"
		    "ticket-lifetime 0", NULL, &cfg, err) == 0, "syntax: %s", err);
	if (cfg.nservices == 1) {
		CHECK(!strcmp(cfg.services[0].certs[0].key, "/k k/x.key"), "quoted key: [%s]",
		      cfg.services[0].certs[0].key);
		CHECK(!strcmp(cfg.services[0].certs[0].cert, "/c \"q\" \\.pem"), "escapes: [%s]",
		      cfg.services[0].certs[0].cert);
	}
	CHECK(cfg.workers == 2 && cfg.ticket_lifetime == 0, "CRLF values");
	hs_config_free(&cfg);

	/* without a file name, relative paths stay as they are */
	CHECK(parse("service s cert c.pem\n", NULL, &cfg, err) == 0, "no fname: %s", err);
	CHECK(cfg.nservices == 1 && !strcmp(cfg.services[0].certs[0].cert, "c.pem"), "relative");
	hs_config_free(&cfg);
	CHECK(parse("service s cert c.pem\n", "h.conf", &cfg, err) == 0, "bare fname: %s", err);
	CHECK(cfg.nservices == 1 && !strcmp(cfg.services[0].certs[0].cert, "c.pem"), "bare");
	hs_config_free(&cfg);
	CHECK(parse("service s cert c.pem\n", "/h.conf", &cfg, err) == 0, "root fname: %s", err);
	CHECK(cfg.nservices == 1 && !strcmp(cfg.services[0].certs[0].cert, "//c.pem"),
	      "under /: %s", cfg.nservices ? cfg.services[0].certs[0].cert : "");
	hs_config_free(&cfg);

	/* an empty file, only comments: valid, nothing set */
	CHECK(parse("", "x", &cfg, err) == 0 && cfg.nservices == 0 && !cfg.workers &&
	      cfg.ticket_lifetime == -1, "empty");
	hs_config_free(&cfg);
	CHECK(parse("   # c\n#\n\n\t\n", "x", &cfg, err) == 0, "comments");
	hs_config_free(&cfg);

	/* '#' inside a word is part of it; a quoted '#' too */
	CHECK(parse("service s cert a#b \"#c\"\n", "x", &cfg, err) == -1, "a#b then a 4th word");
	CHECK(parse("service s cert a#b\n", NULL, &cfg, err) == 0, "a#b: %s", err);
	CHECK(cfg.nservices == 1 && !strcmp(cfg.services[0].certs[0].cert, "a#b"), "a#b kept");
	hs_config_free(&cfg);

	/* sni repeated on a line, names repeated on one line */
	CHECK(parse("service s cert c sni a.x sni b.x a.x key k\n", NULL, &cfg, err) == 0,
	      "two sni: %s", err);
	CHECK(cfg.nservices == 1 && cfg.services[0].certs[0].nsni == 2 &&
	      !strcmp(cfg.services[0].certs[0].key, "k"), "two sni merged");
	hs_config_free(&cfg);

	/* the same name in two services is fine */
	CHECK(parse("service a cert c sni x.y\nservice b cert c sni x.y\n", NULL, &cfg, err) == 0,
	      "sni in two services: %s", err);
	hs_config_free(&cfg);
}

static void test_errors(void)
{
	bad("frobnicate 1\n", ":1: unknown directive \"frobnicate\"");
	bad("\n\nservice\n", ":3: service: a name is missing");
	bad("service web\n", ":1: service web: cert PATH is missing");
	bad("service web key k.pem\n", "cert PATH is missing");
	bad("service w/eb cert c\n", "\"w/eb\" is not a service name");
	bad("service 0123456789012345678901234567890123 cert c\n", "not a service name");
	bad("service \"\" cert c\n", "not a service name");
	bad("service web cert\n", "cert needs a PATH");
	bad("service web cert \"\"\n", "cert needs a PATH");
	bad("service web cert a cert b\n", "cert given twice");
	bad("service web cert a key b key c\n", "key given twice");
	bad("service web cert a sni\n", "sni needs at least one HOST");
	bad("service web cert a sni key b\n", "sni needs at least one HOST");
	bad("service web cert a sni bad_host-.com\n", "is not a host name");
	bad("service web cert a sni *.com\n", "is not a host name");
	bad("service web cert a chain b\n", "unknown word \"chain\"");
	bad("service web cert a sni a.b\nservice web cert b sni c.d A.B\n",
	    ":2: service web: sni a.b is already given on line 1");
	bad("service web cert \"a\n", "unterminated quote");
	bad("user\n", "user takes exactly one value");
	bad("user a b\n", "user takes exactly one value");
	bad("user a\nuser b\n", ":2: user is given twice");
	bad("user \"\"\n", "user: empty name");
	bad("workers 0\n", "workers: 0 is out of range (1..256)");
	bad("workers 257\n", "out of range");
	bad("workers -1\n", "is not a number");
	bad("workers 4x\n", "is not a number");
	bad("workers 99999999999999999999999\n", "out of range");
	bad("workers 2\nworkers 3\n", "workers is given twice");
	bad("ticket-lifetime 604801\n", "out of range (0..604800)");
	bad("ticket-lifetime\n", "takes exactly one value");
	bad("ticket-lifetime 1\nticket-lifetime 1\n", "given twice");
	{
		/* a NUL byte in the middle */
		struct hs_config cfg;
		char err[512];

		CHECK(hs_config_parse("user a\0b\n", 9, "f", &cfg, err, sizeof(err)) == -1 &&
		      strstr(err, "NUL byte"), "NUL: %s", err);
	}
}

static void test_hosts(void)
{
	char out[HS_HOST_MAX + 1], big[300];

	CHECK(hs_host_normalise("WWW.Example.COM.", out) && !strcmp(out, "www.example.com"),
	      "normalise: %s", out);
	CHECK(hs_host_normalise("*.example.com", out) && !strcmp(out, "*.example.com"), "wild");
	CHECK(hs_host_normalise("localhost", out), "one label");
	CHECK(hs_host_normalise("_acme.x-y.example", out), "underscore");
	CHECK(!hs_host_normalise("", out), "empty");
	CHECK(!hs_host_normalise(".", out), "dot");
	CHECK(!hs_host_normalise("a..b", out), "empty label");
	CHECK(!hs_host_normalise(".a.b", out), "leading dot");
	CHECK(!hs_host_normalise("-a.b", out), "leading hyphen");
	CHECK(!hs_host_normalise("a-.b", out), "trailing hyphen");
	CHECK(!hs_host_normalise("a b", out), "blank");
	CHECK(!hs_host_normalise("*", out), "bare star");
	CHECK(!hs_host_normalise("*.com", out), "star over a TLD");
	CHECK(!hs_host_normalise("a.*.com", out), "star inside");
	CHECK(!hs_host_normalise("w*.example.com", out), "partial star");
	CHECK(!hs_host_normalise("1.2.3.4:443", out), "port");

	memset(big, 'a', 64);
	strcpy(big + 64, ".com");
	CHECK(!hs_host_normalise(big, out), "64-byte label");
	memset(big, 'a', 63);
	strcpy(big + 63, ".com");
	CHECK(hs_host_normalise(big, out), "63-byte label");
	/* 253 bytes is the most */
	memset(big, 0, sizeof(big));
	for (int i = 0; i < 253; i++)
		big[i] = (i % 10 == 9) ? '.' : 'a';
	CHECK(hs_host_normalise(big, out), "253 bytes");
	big[253] = 'a';
	CHECK(!hs_host_normalise(big, out), "254 bytes");

	CHECK(hs_host_match("example.com", "Example.Com"), "exact, any case");
	CHECK(hs_host_match("example.com", "example.com."), "exact, trailing dot");
	CHECK(!hs_host_match("example.com", "www.example.com"), "exact vs sub");
	CHECK(!hs_host_match("example.com", "example.co"), "prefix");
	CHECK(!hs_host_match("example.com", ""), "empty host");
	CHECK(hs_host_match("*.example.com", "WWW.example.com"), "wildcard");
	CHECK(hs_host_match("*.example.com", "a.example.com."), "wildcard, trailing dot");
	CHECK(!hs_host_match("*.example.com", "example.com"), "wildcard vs apex");
	CHECK(!hs_host_match("*.example.com", "a.b.example.com"), "wildcard, two labels");
	CHECK(!hs_host_match("*.example.com", ".example.com"), "wildcard, empty label");
	CHECK(!hs_host_match("*.example.com", "aexample.com"), "wildcard, no dot");
	CHECK(!hs_host_match("*.example.com", "a.example.comm"), "wildcard, longer");

	CHECK(hs_name_valid("web-1.prod_x"), "name");
	CHECK(!hs_name_valid("a b"), "name with a blank");
	CHECK(hs_name_valid("0123456789012345678901234567890"), "31 bytes");
	CHECK(!hs_name_valid("01234567890123456789012345678901"), "32 bytes");
}

static void test_load(void)
{
	char path[] = "/tmp/hs-config-test-XXXXXX", err[512];
	struct hs_config cfg;
	FILE *f;
	int fd;

	CHECK(hs_config_load("/nonexistent/h.conf", &cfg, err, sizeof(err)) == -1 &&
	      strstr(err, "/nonexistent/h.conf: No such file"), "missing file: %s", err);
	CHECK(hs_config_load("/tmp", &cfg, err, sizeof(err)) == -1 &&
	      strstr(err, "Is a directory"), "directory: %s", err);
	fd = mkstemp(path);
	CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	fputs("workers 3\nservice s cert s.pem\nbogus\n", f);
	fclose(f);
	CHECK(hs_config_load(path, &cfg, err, sizeof(err)) == -1 && strstr(err, ":3: unknown"),
	      "error from a file: %s", err);
	f = fopen(path, "w");
	fputs("workers 3\nservice s cert s.pem\n", f);
	fclose(f);
	CHECK(hs_config_load(path, &cfg, err, sizeof(err)) == 0, "load: %s", err);
	CHECK(cfg.workers == 3 && cfg.nservices == 1 &&
	      !strcmp(cfg.services[0].certs[0].cert, "/tmp/s.pem"), "loaded, relative to /tmp");
	hs_config_free(&cfg);
	unlink(path);
}

int main(void)
{
	test_basic();
	test_syntax();
	test_errors();
	test_hosts();
	test_load();
	printf("config_test: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
