// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/splicer/: module-wide counters, one value per file.
 * Tunables are module parameters (/sys/module/splicer/parameters/).
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include "netns.h"
#include "sysfs.h"

struct spl_stats spl_global_stats;
atomic64_t spl_conns_refused = ATOMIC64_INIT(0);

static struct kobject *spl_kobj;

#define CNT_ATTR(_name, _cnt)						\
static ssize_t _name##_show(struct kobject *k, struct kobj_attribute *a, \
			    char *buf)					\
{									\
	return sysfs_emit(buf, "%llu\n",				\
			  spl_stats_read(&spl_global_stats, _cnt));	\
}									\
static struct kobj_attribute _name##_attr = __ATTR_RO(_name)

CNT_ATTR(conns, SPLICER_CNT_CONNS);
CNT_ATTR(active, SPLICER_CNT_ACTIVE);
CNT_ATTR(requests, SPLICER_CNT_REQUESTS);
CNT_ATTR(bytes_in, SPLICER_CNT_BYTES_IN);
CNT_ATTR(bytes_out, SPLICER_CNT_BYTES_OUT);
CNT_ATTR(connect_fail, SPLICER_CNT_CONNECT_FAIL);
CNT_ATTR(retries, SPLICER_CNT_RETRIES);
CNT_ATTR(resp_400, SPLICER_CNT_RESP_400);
CNT_ATTR(resp_408, SPLICER_CNT_RESP_408);
CNT_ATTR(resp_414, SPLICER_CNT_RESP_414);
CNT_ATTR(resp_431, SPLICER_CNT_RESP_431);
CNT_ATTR(resp_501, SPLICER_CNT_RESP_501);
CNT_ATTR(resp_502, SPLICER_CNT_RESP_502);
CNT_ATTR(resp_503, SPLICER_CNT_RESP_503);
CNT_ATTR(resp_504, SPLICER_CNT_RESP_504);
CNT_ATTR(resp_505, SPLICER_CNT_RESP_505);
CNT_ATTR(log_drops, SPLICER_CNT_LOG_DROPS);
CNT_ATTR(persist_hits, SPLICER_CNT_PERSIST_HITS);
CNT_ATTR(persist_new, SPLICER_CNT_PERSIST_NEW);
CNT_ATTR(persist_redispatch, SPLICER_CNT_PERSIST_REDISPATCH);
CNT_ATTR(persist_invalid, SPLICER_CNT_PERSIST_INVALID);
CNT_ATTR(stick_evictions, SPLICER_CNT_STICK_EVICTIONS);
CNT_ATTR(spliced, SPLICER_CNT_SPLICED);
CNT_ATTR(splice_bytes_in, SPLICER_CNT_SPLICE_BYTES_IN);
CNT_ATTR(splice_bytes_out, SPLICER_CNT_SPLICE_BYTES_OUT);
CNT_ATTR(splice_fallback, SPLICER_CNT_SPLICE_FALLBACK);
CNT_ATTR(tls_handshakes, SPLICER_CNT_TLS_HANDSHAKES);
CNT_ATTR(tls_failed, SPLICER_CNT_TLS_FAILED);
CNT_ATTR(tls_refused, SPLICER_CNT_TLS_REFUSED);
CNT_ATTR(rebinds, SPLICER_CNT_REBINDS);

static ssize_t conns_refused_show(struct kobject *k, struct kobj_attribute *a,
				  char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&spl_conns_refused));
}
static struct kobj_attribute conns_refused_attr = __ATTR_RO(conns_refused);

static ssize_t objects_show(struct kobject *k, struct kobj_attribute *a,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&spl_objects));
}
static struct kobj_attribute objects_attr = __ATTR_RO(objects);

static struct attribute *spl_attrs[] = {
	&conns_attr.attr, &active_attr.attr, &requests_attr.attr,
	&bytes_in_attr.attr, &bytes_out_attr.attr, &connect_fail_attr.attr,
	&retries_attr.attr, &resp_400_attr.attr, &resp_408_attr.attr, &resp_414_attr.attr,
	&resp_431_attr.attr, &resp_501_attr.attr, &resp_502_attr.attr,
	&resp_503_attr.attr, &resp_504_attr.attr, &resp_505_attr.attr,
	&log_drops_attr.attr, &persist_hits_attr.attr, &persist_new_attr.attr,
	&persist_redispatch_attr.attr, &persist_invalid_attr.attr,
	&stick_evictions_attr.attr, &spliced_attr.attr, &splice_bytes_in_attr.attr,
	&splice_bytes_out_attr.attr, &splice_fallback_attr.attr,
	&tls_handshakes_attr.attr, &tls_failed_attr.attr, &tls_refused_attr.attr,
	&rebinds_attr.attr, &conns_refused_attr.attr, &objects_attr.attr,
	NULL,
};

static const struct attribute_group spl_attr_group = {
	.attrs = spl_attrs,
};

int spl_sysfs_init(void)
{
	int err;

	spl_kobj = kobject_create_and_add("splicer", kernel_kobj);
	if (!spl_kobj)
		return -ENOMEM;
	err = sysfs_create_group(spl_kobj, &spl_attr_group);
	if (err) {
		kobject_put(spl_kobj);
		spl_kobj = NULL;
	}
	return err;
}

void spl_sysfs_exit(void)
{
	if (spl_kobj)
		sysfs_remove_group(spl_kobj, &spl_attr_group);
	kobject_put(spl_kobj);
	spl_kobj = NULL;
}
