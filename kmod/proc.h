/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SPL_PROC_H
#define _SPL_PROC_H

struct spl_net;

/* /proc/net/splicer/{services,servers,conns} of one netns */
int spl_proc_init(struct spl_net *sn);
void spl_proc_exit(struct spl_net *sn);

#endif /* _SPL_PROC_H */
