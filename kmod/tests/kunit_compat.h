/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included (-include, see Kbuild) into every file of splicer_kunit.ko.
 *
 * Debian's kernel has no CONFIG_KUNIT: kunit.ko is built out of tree
 * (selftests/kunit/build-kunit.sh) and nothing scans a module's
 * .kunit_test_suites section. So kunit_test_suites() is redefined here to
 * register the suites from the module's own module_init, as KUnit did before
 * 5.18. Never define CONFIG_KUNIT: task_struct and module change layout.
 *
 * A module has one kunit_test_suites() list: kunit_main.c.
 */
#ifndef SPL_KUNIT_COMPAT_H
#define SPL_KUNIT_COMPAT_H

#include <linux/init.h>
#include <linux/module.h>
#include <kunit/test.h>

/* kunit_runner.c: runs the suites the module parameter "filter" selects. */
int spl_kunit_run(struct kunit_suite *const *suites, int num_suites);
void spl_kunit_exit(void);
bool spl_kunit_selects(const char *filter, const char *suite, const char *test_case);

#undef __kunit_test_suites
#define __kunit_test_suites(unique_array, ...)				\
	static struct kunit_suite *const unique_array[] = { __VA_ARGS__ }; \
	static int __init spl_kunit_init(void)				\
	{								\
		return spl_kunit_run(unique_array, ARRAY_SIZE(unique_array)); \
	}								\
	module_init(spl_kunit_init);					\
	static void __exit spl_kunit_cleanup(void)			\
	{								\
		spl_kunit_exit();					\
	}								\
	module_exit(spl_kunit_cleanup)

#endif /* SPL_KUNIT_COMPAT_H */
