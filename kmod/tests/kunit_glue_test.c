// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the KUnit glue itself (kunit_runner.c): the filter that
 * `make check T=...` passes to splicer_kunit.ko.
 */

struct filter_case {
	const char *filter, *suite, *test_case;
	bool selected;
};

static const struct filter_case filter_cases[] = {
	{ NULL, "spl_http", NULL, true },
	{ "", "spl_http", "parse", true },
	{ "spl_http", "spl_http", NULL, true },
	{ "spl_http", "spl_http", "anything", true },
	{ "spl_http", "spl_sched", NULL, false },
	{ "spl_*", "spl_sched", NULL, true },
	{ "spl_http.parse_*", "spl_http", NULL, true },
	{ "spl_http.parse_*", "spl_http", "parse_get", true },
	{ "spl_http.parse_*", "spl_http", "cookie", false },
	{ "spl_http.parse_*", "spl_sched", "parse_get", false },
	{ "*.parse_get", "spl_http", "parse_get", true },
};

static void filter_case_desc(const struct filter_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s' %s.%s", c->filter ?: "(null)",
		 c->suite, c->test_case ?: "*");
}

KUNIT_ARRAY_PARAM(filter, filter_cases, filter_case_desc);

static void spl_kunit_selects_test(struct kunit *test)
{
	const struct filter_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, spl_kunit_selects(c->filter, c->suite, c->test_case),
			c->selected);
}

static struct kunit_case spl_kunit_glue_test_cases[] = {
	KUNIT_CASE_PARAM(spl_kunit_selects_test, filter_gen_params),
	{}
};

struct kunit_suite spl_kunit_glue_test_suite = {
	.name = "spl_kunit_glue",
	.test_cases = spl_kunit_glue_test_cases,
};
