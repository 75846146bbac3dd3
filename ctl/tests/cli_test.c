// SPDX-License-Identifier: GPL-2.0
/*
 * The command line of ./splicerctl for persist, stick, pool health, the
 * service switches and rules, run as a program
 * (from ctl/, as "make test" and "make check" run it): every usage error
 * exits 2 with its reason and the command's usage line before any netlink
 * I/O; every valid form gets past parsing, which "-n /nonexistent" shows
 * without touching any kernel (the namespace cannot be entered: exit 1);
 * stick import names the bad line of a file or of standard input and sends
 * nothing; a batch with a bad persist or stick line changes nothing.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

#define CTL "./splicerctl"
#define NONS "/nonexistent/netns"
#define KEY "00112233445566778899aabbccddeeff"

static char dir[] = "/tmp/splicerctl-cli-XXXXXX";
static char out[65536], err[65536];

static void slurp(int fd, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < size && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
}

/* Run splicerctl with argv (NULL-terminated) and 'in' on stdin: exit status. */
static int run_argv(const char *in, char *const argv[])
{
	char pout[64], perr[64], pin[64];
	int fo, fe, fi, status;
	pid_t pid;

	snprintf(pout, sizeof(pout), "%s/out", dir);
	snprintf(perr, sizeof(perr), "%s/err", dir);
	snprintf(pin, sizeof(pin), "%s/in", dir);
	fi = open(pin, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (in && write(fi, in, strlen(in)) < 0)
		perror("write");
	lseek(fi, 0, SEEK_SET);
	fo = open(pout, O_RDWR | O_CREAT | O_TRUNC, 0600);
	fe = open(perr, O_RDWR | O_CREAT | O_TRUNC, 0600);
	pid = fork();
	if (!pid) {
		dup2(fi, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		execv(CTL, argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	lseek(fo, 0, SEEK_SET);
	lseek(fe, 0, SEEK_SET);
	slurp(fo, out, sizeof(out));
	slurp(fe, err, sizeof(err));
	close(fi);
	close(fo);
	close(fe);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* run(in, "word", ..., NULL) */
static int run(const char *in, ...)
{
	char *argv[64];
	va_list ap;
	int n = 0;

	argv[n++] = CTL;
	va_start(ap, in);
	while (n < 63 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	return run_argv(in, argv);
}

/* The words of 'line' after "splicerctl": exit 2, err has each of the strings. */
static int run_line(const char *in, const char *line)
{
	char copy[1024], *argv[64], *save = NULL, *w;
	int n = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	argv[n++] = CTL;
	for (w = strtok_r(copy, " ", &save); w && n < 63; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	return run_argv(in, argv);
}

static void usage(const char *line, const char *reason, const char *usage_line)
{
	int rc = run_line(NULL, line);
	char want[512];

	CHECK(rc == 2, "\"%s\": exit %d, want 2\n%s", line, rc, err);
	CHECK(strstr(err, reason), "\"%s\": stderr lacks \"%s\":\n%s", line, reason, err);
	snprintf(want, sizeof(want), "Usage: splicerctl %s", usage_line);
	CHECK(strstr(err, want), "\"%s\": stderr lacks \"%s\":\n%s", line, want, err);
	CHECK(!*out, "\"%s\": stdout \"%s\"", line, out);
}

/* Parsed fine: the run got as far as entering the network namespace. */
static void parses(const char *line)
{
	char full[1024];
	int rc;

	snprintf(full, sizeof(full), "-n " NONS " %s", line);
	rc = run_line(NULL, full);
	CHECK(rc == 1 && strstr(err, "network namespace \"" NONS "\""),
	      "\"%s\": exit %d\n%s", line, rc, err);
}

static const char *file(const char *name, const char *text)
{
	static char path[8][128];
	static int i;
	char *p = path[i++ % 8];
	FILE *f;

	snprintf(p, 128, "%s/%s", dir, name);
	f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
	return p;
}

#define COOKIE_USAGE "persist SERVICE cookie [name NAME]"
#define HASH_USAGE "persist SERVICE hash { source"

static void test_persist(void)
{
	static const char *const good[] = {
		"persist web off",
		"persist web off key " KEY,
		"persist web cookie",
		"persist web cookie name SID indirect nocache secure strict maxidle 30m "
		"maxlife 12h key " KEY,
		"persist web cookie maxidle 90 maxlife 2000ms",
		"persist web prefix name JSESSIONID secure strict maxidle 1h maxlife 1h",
		"persist web learn name PHPSESSID timeout 2h size 100000 strict key " KEY,
		"persist web source mask4 24 mask6 48 timeout 10m size 1000 strict",
		"persist web hash source mask4 16 mask6 56 strict",
		"persist web hash header X-User strict",
		"persist web hash cookie SID",
		"persist web hash param uid key " KEY,
		"persist web key " KEY,
		"persist web show",
		"persist web",
		"persist web list",
		"-j persist web show",
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		parses(good[i]);

	rc = run(NULL, "persist", NULL);
	CHECK(rc == 2 && strstr(err, "persist: missing the name") &&
	      strstr(err, "splicerctl persist SERVICE key HEX"), "persist alone: %d\n%s", rc, err);
	rc = run(NULL, "persist", "help", NULL);
	CHECK(rc == 0 && strstr(out, "splicerctl persist SERVICE off [key HEX]\n") &&
	      strstr(out, "splicerctl persist SERVICE [show]\n") &&
	      strstr(out, "(DUR: whole seconds, a bare number is seconds)"),
	      "persist help: %d\n%s", rc, out);
	rc = run(NULL, "persist", "web", "bogus", NULL);
	CHECK(rc == 2 && strstr(err, "unknown persist command \"bogus\"") &&
	      strstr(err, "splicerctl persist SERVICE cookie"), "bogus: %d\n%s", rc, err);

	usage("persist bad/name cookie", "SERVICE \"bad/name\": names may only use",
	      COOKIE_USAGE);
	usage("persist web cookie name a;b", "name \"a;b\": not a token", COOKIE_USAGE);
	usage("persist web cookie maxidle 500ms", "less than a second", COOKIE_USAGE);
	usage("persist web cookie maxidle 1500ms", "not a whole number of seconds",
	      COOKIE_USAGE);
	usage("persist web cookie timeout 1h", "\"timeout\" is not an option of cookie",
	      COOKIE_USAGE);
	usage("persist web cookie key 0011", "exactly 32 hex digits", COOKIE_USAGE);
	usage("persist web prefix indirect", "not an option of prefix",
	      "persist SERVICE prefix [name NAME]");
	usage("persist web learn size 0", "must be at least 1",
	      "persist SERVICE learn [name NAME]");
	usage("persist web source mask6 129", "1..128", "persist SERVICE source [mask4 BITS]");
	usage("persist web hash", "missing what to hash", HASH_USAGE);
	usage("persist web hash header", "hash header needs a NAME", HASH_USAGE);
	usage("persist web off strict", "not an option of off", "persist SERVICE off [key HEX]");
	usage("persist web key", "missing HEX", "persist SERVICE key HEX");
	usage("persist web key " KEY " strict", "unexpected argument \"strict\"",
	      "persist SERVICE key HEX");
	usage("persist web show extra", "unexpected argument \"extra\"", "persist SERVICE [show]");
}

static void test_stick(void)
{
	const char *good = file("good", "# from stick export\n"
				"session abc s1 42\n"
				"source 198.18.0.0/24 s2 3600\n"
				"\n"
				"source 2001:db8::/48 s3 0\n");
	const char *bad = file("bad", "session abc s1 42\n"
			       "session def s1 7\n"
			       "source 198.18.0.1/24 s2 3600\n"
			       "session ghi s1\n");
	char line[512];
	int rc;

	parses("stick show web");
	parses("stick list web");
	parses("-j stick show web");
	parses("stick flush web");
	parses("stick export web");
	snprintf(line, sizeof(line), "stick import web %s", good);
	parses(line);
	rc = run("session abc s1 42\n", "-n", NONS, "stick", "import", "web", NULL);
	CHECK(rc == 1 && strstr(err, "network namespace"), "import stdin: %d\n%s", rc, err);
	rc = run("session abc s1 42\n", "-n", NONS, "stick", "import", "web", "-", NULL);
	CHECK(rc == 1 && strstr(err, "network namespace"), "import -: %d\n%s", rc, err);

	usage("stick", "missing SERVICE", "stick show SERVICE");
	usage("stick show", "missing SERVICE", "stick show SERVICE");
	usage("stick show web extra", "unexpected argument \"extra\"", "stick show SERVICE");
	usage("stick show bad/name", "SERVICE \"bad/name\"", "stick show SERVICE");
	usage("stick flush", "missing SERVICE", "stick flush SERVICE");
	usage("stick flush web x", "unexpected argument", "stick flush SERVICE");
	usage("stick export", "missing SERVICE", "stick export SERVICE");
	usage("-j stick export web", "-j cannot be combined with export",
	      "stick export SERVICE");
	usage("stick import", "missing SERVICE", "stick import SERVICE [FILE|-]");
	usage("stick import web a b", "unexpected argument \"b\"",
	      "stick import SERVICE [FILE|-]");
	rc = run(NULL, "stick", "bogus", "web", NULL);
	CHECK(rc == 2 && strstr(err, "unknown stick command \"bogus\""), "bogus: %d\n%s",
	      rc, err);

	/* The first bad line is named; nothing is sent (no netns error). */
	rc = run(NULL, "-n", NONS, "stick", "import", "web", bad, NULL);
	snprintf(line, sizeof(line), "%s:3: source \"198.18.0.1/24\": bits set past the "
		 "prefix length; nothing was imported", bad);
	CHECK(rc == 2 && strstr(err, line) && !strstr(err, "network namespace"),
	      "bad file: %d\n%s", rc, err);
	rc = run("session ok s1 1\nsession k s1 1.5\n", "-n", NONS, "stick", "import", "web",
		 NULL);
	CHECK(rc == 2 && strstr(err, "<stdin>:2: idle \"1.5\": not a duration") &&
	      !strstr(err, "network namespace"), "bad stdin: %d\n%s", rc, err);
	rc = run(NULL, "stick", "import", "web", "/nonexistent/file", NULL);
	CHECK(rc == 1 && strstr(err, "/nonexistent/file: No such file"), "no file: %d\n%s",
	      rc, err);
}

#define POOL_ADD_USAGE "pool add NAME [balance roundrobin|leastconn] " \
	"[health off|tcp [CHECK]|http [CHECK] [HTTP]]\n" \
	"      CHECK: [interval DUR]"
#define POOL_SET_USAGE "pool set NAME [balance roundrobin|leastconn] " \
	"[health off|tcp [CHECK]|http [CHECK] [HTTP]] (CHECK, HTTP: as for add)"

static void test_health(void)
{
	static const char *const good[] = {
		"pool add app health off",
		"pool add app health tcp",
		"pool add app balance leastconn health tcp interval 5s fastinter 1s timeout 2s "
		"rise 3 fall 4 port 8081 passive 5 window 30s status 4xx,5xx",
		"pool add app health http",
		"pool add app health http method HEAD path /healthz host app.example "
		"expect 200,204,301-302 body OK interval 3s",
		"pool set app health off",
		"pool set app balance roundrobin",
		"pool set app health tcp status none passive 1",
		"pool set app balance leastconn health http expect 200-399",
		"pool add app",
		"pool add app balance roundrobin",
		"pool show app",
		"-j pool show",
		"server show app",
		"-j server show app s1",
		"log pool app",
		"log service web pool app count 3",
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		parses(good[i]);
	/* A body with a blank, as one word from a shell. */
	rc = run(NULL, "-n", NONS, "pool", "add", "app", "health", "http", "body", "It works",
		 NULL);
	CHECK(rc == 1 && strstr(err, "network namespace"), "body with a blank: %d\n%s", rc,
	      err);

	usage("pool add app health", "health needs off, tcp or http", POOL_ADD_USAGE);
	usage("pool add app health on", "health \"on\": expected off, tcp or http",
	      POOL_ADD_USAGE);
	usage("pool add app health off rise 2", "health off takes no options",
	      POOL_ADD_USAGE);
	usage("pool add app health tcp balance leastconn",
	      "unknown health option \"balance\" (health and its options come last)",
	      POOL_ADD_USAGE);
	usage("pool add app health tcp path /", "\"path\" is an option of health http only",
	      POOL_ADD_USAGE);
	usage("pool add app health tcp interval 50ms", "interval \"50ms\": at least 100ms",
	      POOL_ADD_USAGE);
	usage("pool add app health tcp timeout 3s interval 2s",
	      "timeout 3s is longer than interval 2s", POOL_ADD_USAGE);
	usage("pool add app health tcp interval 500ms",
	      "shorter than the default timeout 1s: give a timeout too", POOL_ADD_USAGE);
	usage("pool add app health tcp rise 0", "rise \"0\": out of range (1..100)",
	      POOL_ADD_USAGE);
	usage("pool add app health tcp fall 101", "out of range (1..100)", POOL_ADD_USAGE);
	usage("pool add app health tcp port 0", "port must be a number 1..65535",
	      POOL_ADD_USAGE);
	usage("pool add app health tcp status 5", "not status classes", POOL_ADD_USAGE);
	usage("pool add app health http expect 600", "a status is 100..599", POOL_ADD_USAGE);
	usage("pool add app health http expect 200,201,202,203,204,205,206,207,208",
	      "at most 8 ranges", POOL_ADD_USAGE);
	usage("pool add app health http path x", "path \"x\": must start with /",
	      POOL_ADD_USAGE);
	usage("pool add app health tcp rise", "\"rise\" needs a value", POOL_ADD_USAGE);
	usage("pool add app health tcp rise 2 rise 3", "\"rise\" given twice",
	      POOL_ADD_USAGE);
	usage("pool add app health tcp health http", "\"health\" given twice",
	      POOL_ADD_USAGE);
	usage("pool add app balance x health tcp", "balance \"x\"", POOL_ADD_USAGE);
	usage("pool add app balance health", "balance \"health\"", POOL_ADD_USAGE);
	usage("pool add bad/name health tcp", "NAME \"bad/name\"", POOL_ADD_USAGE);
	usage("pool set app", "nothing to set", POOL_SET_USAGE);
	usage("pool set app bogus 1", "unknown keyword \"bogus\"", POOL_SET_USAGE);
	usage("pool set app health tcp rise 0", "out of range (1..100)", POOL_SET_USAGE);
	/* set names the options of health after its own usage line. */
	rc = run_line(NULL, "pool set app health tcp rise 0");
	CHECK(rc == 2 && strstr(err, "(CHECK, HTTP: as for add)\n      CHECK: [interval DUR]") &&
	      strstr(err, "      HTTP:  [method METHOD] [path /PATH]"), "set health usage:\n%s",
	      err);
	rc = run_line(NULL, "pool set app bogus 1");
	CHECK(rc == 2 && !strstr(err, "CHECK: [interval"), "set usage without health:\n%s",
	      err);
	usage("log pool", "\"pool\" needs a value", "log [service NAME] [pool NAME] [count N]");
	usage("log pool a/b", "pool \"a/b\"", "log [service NAME] [pool NAME] [count N]");

	rc = run(NULL, "pool", "help", NULL);
	CHECK(rc == 0 && strstr(out, "splicerctl pool add NAME [balance roundrobin|leastconn] "
				"[health off|tcp [CHECK]|http [CHECK] [HTTP]]\n") &&
	      strstr(out, "[passive N] [window DUR] [status CLASSES]\n") &&
	      strstr(out, "[expect RANGES] [body TEXT]\n"), "pool help: %d\n%s", rc, out);

	/* A batch with a bad health line changes nothing. */
	rc = run(NULL, "-n", NONS, "-b",
		 file("h1", "pool add app health http path /healthz\n"
		      "pool set app health tcp interval 99ms\n"), NULL);
	CHECK(rc == 2 && strstr(err, "h1:2: in \"pool set app health tcp interval 99ms\"; "
				"nothing was changed") && !strstr(err, "network namespace"),
	      "health batch: %d\n%s", rc, err);
	rc = run(NULL, "-n", NONS, "-b",
		 file("h2", "pool add app balance leastconn health http interval 5s "
		      "fastinter 1s timeout 2s rise 3 fall 2 passive 5 window 10s status 5xx "
		      "method GET path / host a expect 200-399 body OK\n"), NULL);
	CHECK(rc == 1 && strstr(err, "network namespace"), "good health batch: %d\n%s", rc,
	      err);
}

#define SVC_ADD_USAGE "service add NAME listen ADDR:PORT pool POOL"
#define SVC_SET_USAGE "service set NAME [pool POOL]"

static void test_service(void)
{
	static const char *const good[] = {
		"service add web listen 198.18.0.1:80 pool app",
		"service add web listen 198.18.0.1:443 pool app tls on handshake-timeout 5s",
		"service add web listen [2001:db8::1]:80 pool app splice on location-rewrite off",
		"service set web splice off",
		"service set web tls off",
		"service set web handshake-timeout 500ms",
		"service set web location-rewrite on",
		"service set web inspect on",
		"service set web pool other splice on tls on location-rewrite off",
		"service show web",
		"-j service show",
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		parses(good[i]);

	usage("service add web listen 198.18.0.1:80 pool app splice yes",
	      "splice \"yes\": expected on or off", SVC_ADD_USAGE);
	usage("service add web listen 198.18.0.1:80 pool app tls",
	      "\"tls\" needs a value", SVC_ADD_USAGE);
	usage("service set web handshake-timeout soon",
	      "handshake-timeout \"soon\": not a duration", SVC_SET_USAGE);
	usage("service set web location-rewrite on location-rewrite off",
	      "\"location-rewrite\" given twice", SVC_SET_USAGE);
	usage("service set web rules 2", "\"rules\" is read only", SVC_SET_USAGE);
	usage("service set web inspect", "\"inspect\" needs a value", SVC_SET_USAGE);
	usage("service set web", "nothing to set", SVC_SET_USAGE);
	usage("service add web pool app tls on", "missing \"listen ADDR:PORT\"",
	      SVC_ADD_USAGE);

	rc = run(NULL, "service", "help", NULL);
	CHECK(rc == 0 && strstr(out, "[retries N] [splice on|off] [tls on|off] "
				"[handshake-timeout DUR] [location-rewrite on|off] "
				"[inspect on|off]\n"),
	      "service help: %d\n%s", rc, out);
}

#define RULE_ADD_USAGE "rule add SERVICE [at N] [host HOST] [path PATH] [prefix PATH] " \
	"[method METHOD] [header NAME [value VALUE]] [src ADDR/PREFIX] " \
	"{ pool POOL | redirect URL [status CODE] | status CODE }"

static void test_rule(void)
{
	static const char *const good[] = {
		"rule add web prefix /static/ pool static",
		"rule add web host api.example.com pool api",
		"rule add web at 0 host *.example.com pool tenants",
		"rule add web path /old redirect https://example.com/new status 301",
		"rule add web path /old redirect /new",
		"rule add web src 198.18.0.0/24 status 403",
		"rule add web src 2001:db8::/48 method POST status 405",
		"rule add web header X-Env value staging pool staging",
		"rule del web 0",
		"rule delete web 12",
		"rule show web",
		"rule list web",
		"rule ls web",
		"-j rule show web",
		"dump",
		"-j dump",
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		parses(good[i]);
	/* A header value with a blank, as one word from a shell. */
	rc = run(NULL, "-n", NONS, "rule", "add", "web", "header", "User-Agent", "value",
		 "Bad Bot", "status", "403", NULL);
	CHECK(rc == 1 && strstr(err, "network namespace"), "value with a blank: %d\n%s",
	      rc, err);

	usage("rule add", "missing SERVICE", RULE_ADD_USAGE);
	usage("rule add a/b host x pool p", "SERVICE \"a/b\"", RULE_ADD_USAGE);
	usage("rule add web pool app", "a rule needs a match (host, path, prefix, method, "
	      "header or src); for every request, set the service's pool instead",
	      RULE_ADD_USAGE);
	usage("rule add web host a.example", "missing the action: pool NAME, redirect URL "
	      "[status CODE] or status CODE", RULE_ADD_USAGE);
	usage("rule add web host a pool x redirect /y", "a rule has one action",
	      RULE_ADD_USAGE);
	usage("rule add web host a pool x status 403", "not with pool", RULE_ADD_USAGE);
	usage("rule add web path /a redirect /b status 200",
	      "status 200: a redirect is 301, 302, 303, 307 or 308", RULE_ADD_USAGE);
	usage("rule add web path /a status 301", "a redirect without a Location",
	      RULE_ADD_USAGE);
	usage("rule add web path a pool x", "path \"a\": must start with /", RULE_ADD_USAGE);
	usage("rule add web host a:80 pool x", "the port is not matched", RULE_ADD_USAGE);
	usage("rule add web src 198.18.0.1/24 status 403", "bits set past the prefix length",
	      RULE_ADD_USAGE);
	usage("rule add web value v host a pool x", "value needs header NAME",
	      RULE_ADD_USAGE);
	usage("rule add web host a host b pool x", "\"host\" given twice", RULE_ADD_USAGE);
	usage("rule add web at x host a pool p", "at \"x\": not a number", RULE_ADD_USAGE);
	usage("rule del", "missing SERVICE", "rule del SERVICE N");
	usage("rule del web", "missing N (the position, as rule show prints it)",
	      "rule del SERVICE N");
	usage("rule del web first", "N \"first\": not a number", "rule del SERVICE N");
	usage("rule del web 1 2", "unexpected argument \"2\"", "rule del SERVICE N");
	usage("rule show", "missing SERVICE", "rule show SERVICE");
	usage("rule", "missing SERVICE", "rule show SERVICE");
	usage("rule show web x", "unexpected argument \"x\"", "rule show SERVICE");
	rc = run(NULL, "rule", "bogus", NULL);
	CHECK(rc == 2 && strstr(err, "unknown rule command \"bogus\"") &&
	      strstr(err, "splicerctl rule del SERVICE N"), "bogus: %d\n%s", rc, err);

	rc = run(NULL, "rule", "help", NULL);
	CHECK(rc == 0 && strstr(out, "splicerctl " RULE_ADD_USAGE "\n") &&
	      strstr(out, "splicerctl rule show SERVICE\n"), "rule help: %d\n%s", rc, out);

	/* A batch with a bad rule line changes nothing; a good one gets to the netns. */
	rc = run(NULL, "-n", NONS, "-b",
		 file("r1", "rule add web prefix /static/ pool static\n"
		      "rule add web pool app\n"), NULL);
	CHECK(rc == 2 && strstr(err, "r1:2: in \"rule add web pool app\"; nothing was "
				"changed") && !strstr(err, "network namespace"),
	      "rule batch: %d\n%s", rc, err);
	rc = run(NULL, "-n", NONS, "-b",
		 file("r2", "service add web listen 198.18.0.1:80 pool app splice on\n"
		      "rule add web host api.example.com pool api\n"
		      "rule add web path /old redirect /new status 308\n"
		      "rule add web src 10.0.0.0/8 status 403\n"), NULL);
	CHECK(rc == 1 && strstr(err, "network namespace"), "good rule batch: %d\n%s", rc,
	      err);
}

static void test_batch(void)
{
	const char *bad = file("bad2", "session ghi s1\n");
	char text[512];
	int rc;

	/* A bad line anywhere: exit 2 before the first line runs. */
	rc = run(NULL, "-n", NONS, "-b",
		 file("b1", "persist web cookie name SID\n"
		      "persist web cookie maxidle 500ms\n"), NULL);
	CHECK(rc == 2 && strstr(err, "b1:2: in \"persist web cookie maxidle 500ms\"; "
				"nothing was changed") && !strstr(err, "network namespace"),
	      "batch: %d\n%s", rc, err);
	snprintf(text, sizeof(text), "stick flush web\nstick import web %s\n", bad);
	rc = run(NULL, "-n", NONS, "-b", file("b2", text), NULL);
	CHECK(rc == 2 && strstr(err, "bad2:1:") && strstr(err, "nothing was changed") &&
	      !strstr(err, "network namespace"), "batch import: %d\n%s", rc, err);

	/* All good: the check pass is silent, the run stops at the namespace. */
	rc = run(NULL, "-n", NONS, "-b",
		 file("b3", "persist web cookie name SID maxidle 1h\n"
		      "persist web key " KEY "\n"
		      "stick show web\n"), NULL);
	CHECK(rc == 1 && strstr(err, "network namespace"), "good batch: %d\n%s", rc, err);

	/* The help lists both objects. */
	rc = run(NULL, "help", NULL);
	CHECK(rc == 0 && strstr(out, "splicerctl persist SERVICE hash") &&
	      strstr(out, "splicerctl stick import SERVICE [FILE|-]") &&
	      strstr(out, "persist: whole seconds") &&
	      strstr(out, "health and its options come last in pool") &&
	      strstr(out, "splicerctl rule add SERVICE [at N]") &&
	      strstr(out, "a rule needs a match and one action"), "help: %d\n%s", rc, out);
	rc = run(NULL, "bogus", NULL);
	CHECK(rc == 2 && strstr(err, "persist | stick | rule"), "short usage: %d\n%s", rc,
	      err);
}

int main(void)
{
	char cmd[128];

	if (access(CTL, X_OK)) {
		printf("FAIL: %s not built (run from ctl/ after make)\n", CTL);
		return 1;
	}
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_persist();
	test_stick();
	test_health();
	test_service();
	test_rule();
	test_batch();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		printf("warning: %s left behind\n", dir);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
