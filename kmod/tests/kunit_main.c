// SPDX-License-Identifier: GPL-2.0
/*
 * The suites of splicer_kunit.ko. To add one: write kmod/tests/<name>_test.c
 * defining a non-static `struct kunit_suite spl_<name>_test_suite` (it may
 * #include "../<name>.c" to reach static functions), add X(<name>) below and
 * "<name>_test.o" to Kbuild.
 */

#define SPL_KUNIT_SUITES(X)	\
	X(kunit_glue)	\
	X(http)		\
	X(sched)	\
	X(rewrite)	\
	X(cookie)	\
	X(token)	\
	X(maglev)	\
	X(stick)	\
	X(health)	\
	X(xlate)	\
	X(rules)

#define SPL_KUNIT_DECLARE(name)	extern struct kunit_suite spl_##name##_test_suite;
#define SPL_KUNIT_REF(name)	&spl_##name##_test_suite,

SPL_KUNIT_SUITES(SPL_KUNIT_DECLARE)

kunit_test_suites(SPL_KUNIT_SUITES(SPL_KUNIT_REF));
