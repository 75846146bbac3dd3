/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints: connection state transitions, server decisions, generated
 * responses. perf list 'splicer:*'; trace-cmd record -e splicer.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM splicer

#if !defined(_SPL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SPL_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(splicer_conn_state,
	TP_PROTO(const char *service, u64 id, const char *from, const char *to),
	TP_ARGS(service, id, from, to),
	TP_STRUCT__entry(
		__string(service, service)
		__field(u64, id)
		__string(from, from)
		__string(to, to)
	),
	TP_fast_assign(
		__assign_str(service, service);
		__entry->id = id;
		__assign_str(from, from);
		__assign_str(to, to);
	),
	TP_printk("service=%s conn=%llu %s -> %s", __get_str(service),
		  __entry->id, __get_str(from), __get_str(to))
);

TRACE_EVENT(splicer_decision,
	TP_PROTO(const char *service, u64 id, const char *decision),
	TP_ARGS(service, id, decision),
	TP_STRUCT__entry(
		__string(service, service)
		__field(u64, id)
		__string(decision, decision)
	),
	TP_fast_assign(
		__assign_str(service, service);
		__entry->id = id;
		__assign_str(decision, decision);
	),
	TP_printk("service=%s conn=%llu %s", __get_str(service), __entry->id,
		  __get_str(decision))
);

TRACE_EVENT(splicer_response,
	TP_PROTO(const char *service, u64 id, int status, const char *reason),
	TP_ARGS(service, id, status, reason),
	TP_STRUCT__entry(
		__string(service, service)
		__field(u64, id)
		__field(int, status)
		__string(reason, reason)
	),
	TP_fast_assign(
		__assign_str(service, service);
		__entry->id = id;
		__entry->status = status;
		__assign_str(reason, reason);
	),
	TP_printk("service=%s conn=%llu status=%d reason=%s", __get_str(service),
		  __entry->id, __entry->status, __get_str(reason))
);

#endif /* _SPL_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
