#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Many short spliced connections. The splice is turned on with splicerctl's
# "service set web splice on" when this splicerctl has it, else by raw
# netlink. Asserts:
#  - 2000 connections, one GET / each (keep-alive: the client closes once it
#    has the response), 16 at a time: all 200 with the right body;
#  - the spliced counter says at least 95 % of them (a response that
#    overtakes the splice keeps its connection on the relay: about 0.5 %
#    under TCG), splice_fallback 0; the log has 2000 connection records, as
#    many with SPLICE "spliced" as the counter says, the others with the
#    reason their sockets were not quiet;
#  - no flow leaks: /proc/net/splicer/conns empty within the linger (5 s)
#    after the last one, the service's active count 0, the lb namespace has
#    no established TCP socket (and TIME-WAIT ones only for relayed
#    connections), /sys/kernel/splicer/objects back to its
#    baseline once the configuration is deleted, and rmmod's unload line
#    shows as many connections freed as allocated (2000 and more).
# vm-timeout: 900
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/splice.sh"

N=${SPLICER_SPLICE_MANY:-2000}	# fewer for a quick look
WORKERS=16

require_root
require_splicer
topo_up 2
backends_start s1=198.18.1.2:8080 s2=198.18.1.3:8080
mod_load
objects0=$(objects)
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl server add app s2 198.18.1.3:8080
ctl service add web listen "$LB_IP:80" pool app
splice_on web
log_start

step "$N short connections, $WORKERS at a time"
t0=$SECONDS
out=$(in_cli $PY "$SPLPEER" many "$LB_IP" 80 "$N" --workers $WORKERS --timeout 60)
info "took $((SECONDS - t0)) s: $out"
check_eq "answered 200 with the right body" "$N" "$(jget "$out" .ok)"
check_drained_within 8

step "counters and the log"
st=$(svc_stats web)
info "$st"
wait_until "$N connection records" 300 0.1 log_has "$N" ||
	info "only $(log_count) connection records of $N"
info "SPLICE in the log: $(jq -r '.SPLICE // "-"' "$T/log.jsonl" | sort | uniq -c | tr '\n' ';')"
info "END in the log: $(jq -r .END "$T/log.jsonl" | sort | uniq -c | tr '\n' ';')"
check_eq "conns" "$N" "$(stat "$st" CONNS)"
check_eq "active" 0 "$(stat "$st" ACTIVE)"
SPLICED=$(stat "$st" SPLICED)
check_range "spliced (a response that overtakes the splice keeps its connection on the relay)" \
	$((N * 95 / 100)) "$N" "$SPLICED"
check_eq "splice_fallback" 0 "$(stat "$st" SPLICE_FALLBACK)"
check_range "splice_bytes_out (the responses)" $((SPLICED * 10)) $((N * 1000)) "$(stat "$st" SPLICE_BYTES_OUT)"
check_eq "connection records" "$N" "$(log_count)"
check_eq "records with SPLICE spliced = the counter" "$SPLICED" "$(grep -c '"SPLICE": "spliced"' "$T/log.jsonl")"
check_eq "records of the others: a reason they were not quiet" $((N - SPLICED)) \
	"$(jq -s '[.[] | select(.SPLICE | test("^data (unacknowledged|unread|out of order)$"))] | length' "$T/log.jsonl")"
check_eq "requests answered by the two servers" "$N" $(($(backend_requests s1) + $(backend_requests s2)))
check_eq "established TCP sockets in the lb namespace" "" "$(in_lb ss -Htn state established)"
check_range "TIME-WAIT sockets in the lb namespace (relayed connections only)" \
	0 $((2 * (N - SPLICED))) "$(lb_tcp | grep -c TIME-WAIT)"

step "no leaks"
kill_bg
ctl service del web
ctl pool del app
check_eq "objects back to the baseline" "$objects0" "$(objects)"
mod_unload
[[ $UNLOAD_LINE =~ alloc=([0-9]+) ]]
check_range "connections allocated" "$N" $((N + 10)) "${BASH_REMATCH[1]}"
pass
