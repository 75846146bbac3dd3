/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SPL_SYSFS_H
#define _SPL_SYSFS_H

#include "stats.h"

/* Totals over every netns, for /sys/kernel/splicer/ (sysfs.c). */
extern struct spl_stats spl_global_stats;
extern atomic64_t spl_conns_refused;

int spl_sysfs_init(void);
void spl_sysfs_exit(void);

#endif /* _SPL_SYSFS_H */
