// SPDX-License-Identifier: GPL-2.0
/*
 * Runs splicer_kunit.ko's suites from its module_init (see kunit_compat.h).
 *
 * The module parameter "filter" picks what runs, like KUnit's own filter_glob
 * (which only works for built-in suites): "SUITE_GLOB" or
 * "SUITE_GLOB.CASE_GLOB", e.g. filter=spl_http or filter='spl_http.parse_*'.
 */
#include <linux/err.h>
#include <linux/glob.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *filter;
module_param(filter, charp, 0444);
MODULE_PARM_DESC(filter, "run only SUITE_GLOB or SUITE_GLOB.CASE_GLOB");

/* What spl_kunit_run() handed to KUnit; with a case filter, copies. */
static struct kunit_suite **run_suites;
static int run_count;
static bool run_copies;

/**
 * spl_kunit_selects() - does @filter select a suite or one of its cases?
 * @filter: "SUITE_GLOB" or "SUITE_GLOB.CASE_GLOB"; NULL or "" selects all
 * @suite: the suite's name
 * @test_case: the case's name, or NULL to ask about the suite as a whole
 */
bool spl_kunit_selects(const char *filter, const char *suite, const char *test_case)
{
	const char *dot;
	char *suite_glob;
	bool match;

	if (!filter || !*filter)
		return true;
	dot = strchr(filter, '.');
	if (!dot)
		return glob_match(filter, suite);
	suite_glob = kstrndup(filter, dot - filter, GFP_KERNEL);
	if (!suite_glob)
		return false;
	match = glob_match(suite_glob, suite) &&
		(!test_case || glob_match(dot + 1, test_case));
	kfree(suite_glob);
	return match;
}

static void free_copy(struct kunit_suite *suite)
{
	kfree(suite->test_cases);
	kfree(suite);
}

/* A copy of @suite holding only the cases the filter selects; NULL if none. */
static struct kunit_suite *copy_selected(struct kunit_suite *suite)
{
	struct kunit_suite *copy;
	struct kunit_case *c, *cases;
	int n = 0;

	kunit_suite_for_each_test_case(suite, c)
		n += spl_kunit_selects(filter, suite->name, c->name);
	if (!n)
		return NULL;
	cases = kcalloc(n + 1, sizeof(*cases), GFP_KERNEL);	/* zero-terminated */
	copy = kmemdup(suite, sizeof(*suite), GFP_KERNEL);
	if (!cases || !copy) {
		kfree(cases);
		kfree(copy);
		return ERR_PTR(-ENOMEM);
	}
	n = 0;
	kunit_suite_for_each_test_case(suite, c)
		if (spl_kunit_selects(filter, suite->name, c->name))
			cases[n++] = *c;
	copy->test_cases = cases;
	return copy;
}

static void free_run(void)
{
	int i;

	if (run_copies)
		for (i = 0; i < run_count; i++)
			free_copy(run_suites[i]);
	kfree(run_suites);
	run_suites = NULL;
	run_count = 0;
}

int spl_kunit_run(struct kunit_suite *const *suites, int num_suites)
{
	struct kunit_suite *s;
	int i;

	run_copies = filter && strchr(filter, '.');
	run_suites = kcalloc(max(num_suites, 1), sizeof(*run_suites), GFP_KERNEL);
	if (!run_suites)
		return -ENOMEM;
	for (i = 0; i < num_suites; i++) {
		if (!spl_kunit_selects(filter, suites[i]->name, NULL))
			continue;
		s = run_copies ? copy_selected(suites[i]) : suites[i];
		if (IS_ERR(s)) {
			free_run();
			return PTR_ERR(s);
		}
		if (s)
			run_suites[run_count++] = s;
	}
	if (!run_count) {
		pr_err("splicer_kunit: no test matches filter=%s\n", filter);
		free_run();
		return -EINVAL;
	}
	return __kunit_test_suites_init(run_suites, run_count);
}

void spl_kunit_exit(void)
{
	__kunit_test_suites_exit(run_suites, run_count);
	free_run();
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("splicer KUnit tests");
