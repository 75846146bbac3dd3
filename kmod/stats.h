/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counters shared by services, servers and the per-netns totals.
 * Indexed by enum splicer_cnt so netlink and procfs print them by table.
 */
#ifndef _SPL_STATS_H
#define _SPL_STATS_H

#include <linux/atomic.h>
#include "uapi/linux/splicer.h"

struct spl_stats {
	atomic64_t c[__SPLICER_CNT_MAX];
};

static inline void spl_stats_add(struct spl_stats *s, int cnt, s64 v)
{
	atomic64_add(v, &s->c[cnt]);
}

static inline void spl_stats_inc(struct spl_stats *s, int cnt)
{
	atomic64_inc(&s->c[cnt]);
}

static inline void spl_stats_dec(struct spl_stats *s, int cnt)
{
	atomic64_dec(&s->c[cnt]);
}

static inline u64 spl_stats_read(const struct spl_stats *s, int cnt)
{
	return atomic64_read(&s->c[cnt]);
}

/* The counter a generated response of @status is counted under, or 0. */
static inline int spl_stats_resp_cnt(int status)
{
	switch (status) {
	case 400: return SPLICER_CNT_RESP_400;
	case 408: return SPLICER_CNT_RESP_408;
	case 431: return SPLICER_CNT_RESP_431;
	case 502: return SPLICER_CNT_RESP_502;
	case 503: return SPLICER_CNT_RESP_503;
	case 504: return SPLICER_CNT_RESP_504;
	case 501: return SPLICER_CNT_RESP_501;
	case 505: return SPLICER_CNT_RESP_505;
	case 414: return SPLICER_CNT_RESP_414;
	}
	return 0;
}

#endif /* _SPL_STATS_H */
