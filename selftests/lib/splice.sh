# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of the packet splice selftests (selftests/splice*.sh); source after
# lib.sh. Documentation/splice.md describes the splice itself.

SPLPEER=$LIB/splpeer.py

# Location rewriting (on by default) needs the first response head, so with
# it the splice waits for that head (Documentation/splice.md): an upload is
# relayed until its response starts. These tests are about the early splice
# point, so turning the splice on turns the rewriting off, unless
# SPLICE_REWRITE=1 (selftests/rules_edge.sh tests the two together).

# splice_set SVC 0|1: the service's SPLICE attribute by raw netlink (the
# tests' counters show it took: python is slow to start under TCG)
splice_set() {
	local out rw=""
	[ "$2" = 0 ] || [ "${SPLICE_REWRITE:-0}" = 1 ] || rw=', "LOCATION_REWRITE": 0'
	out=$(splnl SERVICE_SET "{\"SERVICE\": {\"NAME\": \"$1\", \"SPLICE\": $2$rw}}") ||
		fail "SERVICE_SET $1 SPLICE $2$rw rejected: $out"
	info "service $1: splice $2${rw:+, location rewriting off} (netlink)"
}

# splice_on SVC: splicerctl's "service set SVC splice on" if this splicerctl
# has it, else raw netlink (sets SPLICE_VIA to "splicerctl" or "netlink").
splice_on() {
	if [ "${SPLICE_REWRITE:-0}" = 1 ]; then
		ctl_try service set "$1" splice on
	else
		ctl_try service set "$1" splice on location-rewrite off
	fi
	if [ "$CTL_RC" = 0 ]; then
		SPLICE_VIA=splicerctl
		local out
		out=$(splnl SERVICE_GET "{\"SERVICE\": {\"NAME\": \"$1\"}}")
		[ "$(jget "$out" '.replies[0].attrs.SERVICE.SPLICE')" = 1 ] ||
			fail "splicerctl service set $1 splice on: SPLICE is not 1: $out"
		info "service $1: splice on (splicerctl)"
	else
		info "splicerctl has no 'splice on' yet ($CTL_OUT): raw netlink"
		SPLICE_VIA=netlink
		splice_set "$1" 1
	fi
}

# svc_stats SVC: the service's counters as JSON, by their uapi names
# (SPLICED, SPLICE_BYTES_IN, SPLICE_BYTES_OUT, SPLICE_FALLBACK, BYTES_OUT...):
# from splicerctl -j stats (fast) when it names the splice counters, else
# from the STATS nest of a raw SERVICE_GET
svc_stats() {
	local out
	out=$(ctlq -j stats | jq -c --arg s "$1" \
		'.services[] | select(.name == $s) | .stats | with_entries(.key |= ascii_upcase)')
	if [ -z "$out" ] || [ "$(jget "$out" '.SPLICED // "none"')" = none ]; then
		out=$(splnl SERVICE_GET "{\"SERVICE\": {\"NAME\": \"$1\"}}" |
			jq -c '.replies[0].attrs.SERVICE.STATS // {}')
	fi
	printf '%s\n' "$out"
}

# net_stats: the netns totals, as svc_stats
net_stats() {
	local out
	out=$(ctlq -j stats | jq -c '.stats | with_entries(.key |= ascii_upcase)')
	if [ -z "$out" ] || [ "$(jget "$out" '.SPLICED // "none"')" = none ]; then
		out=$(splnl STATS_GET | jq -c '.replies[0].attrs.STATS // {}')
	fi
	printf '%s\n' "$out"
}

# stat JSON NAME: one counter out of svc_stats/net_stats output (0 if absent)
stat() { jget "$1" ".$2 // 0"; }

# log_start: follow the decision log (connection records) into $T/log.jsonl
log_start() {
	bg in_lb $PY "$LIB/spllog.py" --ready "$T/spllog.ready" >"$T/log.jsonl" 2>"$T/spllog.err"
	LOG_PID=$BG_PID
	wait_until "the log reader to join" 600 0.05 test -e "$T/spllog.ready" ||
		fail "spllog.py did not start: $(cat "$T/spllog.err")"
}

# log_count: connection records read so far
log_count() { grep -c . "$T/log.jsonl" 2>/dev/null || true; }

# log_has N: at least N connection records
log_has() { [ "$(log_count)" -ge "$1" ]; }

# lb_tcp: TCP sockets of the lb namespace other than listeners, one per line
lb_tcp() { in_lb ss -Htan | grep -v '^LISTEN' || true; }

# A spliced connection's server-side socket stays open, silent and idle
# (parked: it keeps its port, Documentation/splice.md) until the flow ends.
PARKED_RE='^ESTAB +0 +0 +198\.18\.1\.1:[0-9]+ +198\.18\.1\.[0-9]+:[0-9]+ *$'
# lb_tcp_unparked: lb_tcp without the parked sockets (established, empty
# queues, from splicer's server-side address to a server)
lb_tcp_unparked() { lb_tcp | grep -Ev "$PARKED_RE" || true; }
# lb_parked_count: how many sockets look parked
lb_parked_count() { lb_tcp | grep -cE "$PARKED_RE" || true; }

# conn_state [SVC]: the state column of SVC's (default web) first row of
# /proc/net/splicer/conns
conn_state() { proc_get conns state service="${1:-web}"; }

# conn_is STATE [SVC]: SVC's (default web) first connection is in STATE
conn_is() { [ "$(conn_state "${2:-web}")" = "$1" ]; }

# spliced_rows: rows of /proc/net/splicer/conns in state spliced
spliced_rows() {
	in_lb cat /proc/net/splicer/conns 2>/dev/null | awk 'NR > 1 && $5 == "spliced"' | grep -c . || true
}

# objects: /sys/kernel/splicer/objects
objects() { cat /sys/kernel/splicer/objects; }

# check_drained_within SECONDS: every connection gone from the procfs table
# within SECONDS (the splice lingers 5 s after FIN both ways or a reset)
check_drained_within() {
	local t0=$SECONDS
	wait_until "connections to end" $(($1 * 10)) 0.1 conns_drained ||
		fail "connections left after $1 s: $(in_lb cat /proc/net/splicer/conns)"
	ok "/proc/net/splicer/conns empty after $((SECONDS - t0)) s (bound $1 s)"
}
