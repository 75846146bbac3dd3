#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# Health checking: passive observation, and rise/fall against flapping.
# Pool pp configured with splicerctl, pool fl with POOL_SET through
# selftests/lib/splnl.py (the kernel ABI). Asserts:
#  - passive: pool pp probes by tcp every 30 s (rise 5, fall 2) and counts
#    passive errors (3 within 5000 ms); r1 begins to accept every connection
#    and reset it without a response while a client loop runs: r1 is marked
#    down well before its next probe could (within 10 s, a third of the
#    interval; the time is printed), by its HEALTH record's cause
#    "passive: 3 errors within 5000 ms (last:
#    closed or reset before a response)"; no probe failed (a tcp probe of
#    r1 connects), r1's passive_errors >= 3; the client saw 502 only for the
#    3 to 6 requests r1 reset before it went down, every other response 200,
#    and r1 got no connection from the loop after it went down (its conns
#    counter; its log: none but probes);
#  - flapping: pool fl probes /health every 500 ms (timeout 500, rise 3,
#    fall 3); a1 (up) answers 200, 500, 200, ... probe after probe, and a2,
#    first taken down by 500s (one change, logged "3 probes failed in a row
#    (last: status 500)"), answers the same way: over 15 more probes each
#    (about half failed), a1 stays up and a2 down, downs stay 0 and 1, and
#    the decision log holds no HEALTH record for either beyond a2's one.
#    (Only a probe failing without a 500 can make 3 failures in a row: if a
#    server changed while some of its probes timed out, the VM was too busy
#    to judge and the test reports SKIP with the numbers.)
#  - the decision log holds exactly the two changes, each with its cause,
#    and each server's records agree with its downs and health (every change
#    logged);
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$LIB/health.sh"

# rise 5: r1 (which still accepts connections) stays down for the test
PASSIVE="tcp interval 30s timeout 1s rise 5 fall 2 passive 3 window 5s"
PASSIVE_MAX=10000	# a third of the interval
FLAP_MS=500
FLAP="{\"TYPE\": 2, \"INTERVAL\": $FLAP_MS, \"TIMEOUT\": $FLAP_MS, \"RISE\": 3, \"FALL\": 3, \"PATH\": \"/health\"}"
NFLAP=15

require_root
require_splicer
topo_up 4
flaky_set a1 health=alt
flaky_set a2 health=500
mod_load
hlog_spawn
flaky_start r1=198.18.1.2:8080 g1=198.18.1.3:8080 a1=198.18.1.4:8080 a2=198.18.1.5:8080
lb_watch
hlog_wait

# ---------------------------------------------------------------- passive
step "pool pp: r1 and g1, tcp probes every 30 s, passive errors 3 within 5 s"
ctl pool add pp
ctl server add pp r1 198.18.1.2:8080
ctl server add pp g1 198.18.1.3:8080
ctl service add web listen "$LB_IP:80" pool pp
# shellcheck disable=SC2086 # words on purpose
ctl pool set pp health $PASSIVE
srv_row pp r1
check_eq "r1 up (until shown otherwise)" up "$R_HEALTH"

step "a client loop; then r1 resets every connection"
bg ip netns exec "$NS_CLI" $PY "$LIB/loopc.py" "$LB_IP" 80 --stop "$T/loop.stop" \
	--ready "$T/loop.ready" --max-seconds 100 --pause 0.02 >"$T/loop.json" 2>"$T/loop.err"
LOOP_PID=$BG_PID
wait_until "the client loop to start" 600 0.05 test -e "$T/loop.ready" ||
	fail "loopc.py did not start: $(cat "$T/loop.err")"
r1_took() { [ "$(flaky_hits r1)" -ge 3 ]; }
wait_until "r1 to take traffic" 300 0.05 r1_took || fail "r1 took no traffic"
srv_row pp r1
checks0=$R_CHECKS
info "before: $(srv_show pp r1)"
flaky_set r1 mode=reset
mark
wait_change pp r1 down "$PASSIVE_MAX"
ok "r1 down through passive observation in ${HREC_MS} ms; its probes run every 30000 ms"
check_eq "cause" "passive: 3 errors within 5000 ms (last: closed or reset before a response)" \
	"$(jget "$HREC" .reason)"
srv_row pp r1
info "after: $(srv_show pp r1)"
info "probes of r1 meanwhile: $((R_CHECKS - checks0))"
check_eq "no probe of r1 failed (a tcp probe connects)" 0 "$R_CHECKS_FAILED"
check_range "r1's passive_errors" 3 10 "$R_PASSIVE"
conns_down=$R_CONNS checks_down=$R_CHECKS
log_conns_down=$(grep -c '^conn ' "$T/r1.log")
req0=$(proc_get services requests name=web)
more_requests() { [ "$(proc_get services requests name=web)" -ge $((req0 + 10)) ]; }
wait_until "10 more requests after r1 went down" 300 0.1 more_requests ||
	fail "the client loop stalled: $(cat "$T/loop.err")"
touch "$T/loop.stop"
wait_until "the client loop to stop" 200 0.1 pid_gone "$LOOP_PID" || fail "loopc.py did not stop"
loop=$(cat "$T/loop.json")
info "client loop: $loop"
check_eq "statuses seen" "200 502" "$(jget "$loop" '.statuses | keys | join(" ")')"
check_range "502s: the requests r1 reset before it went down" 3 6 "$(jget "$loop" '.statuses["502"]')"
check_eq "every other response 200" "$(jget "$loop" .total)" \
	"$(jget "$loop" '.ok + .statuses["502"]')"
srv_row pp r1
check_eq "r1 got no client connection after it went down (its conns)" "$conns_down" "$R_CONNS"
check_eq "r1's log: no connection after it but probes" $((R_CHECKS - checks_down)) \
	$(($(grep -c '^conn ' "$T/r1.log") - log_conns_down))
check_eq "r1 still down (only probes bring it back)" down "$R_HEALTH"

# ---------------------------------------------------------------- flapping
step "pool fl: a1 (alternating) and a2 (500), http probes every $FLAP_MS ms, rise 3, fall 3"
ctl pool add fl
ctl server add fl a1 198.18.1.4:8080
ctl server add fl a2 198.18.1.5:8080
health_set fl "$FLAP"
mark
wait_change fl a2 down $((3 * FLAP_MS + FLAP_MS + 1000))
check_eq "cause" "3 probes failed in a row (last: status 500)" "$(jget "$HREC" .reason)"

step "a2 alternates too: $NFLAP more probes each, no change"
flaky_set a2 health=alt
srv_row fl a1
a1c=$R_CHECKS a1f=$R_CHECKS_FAILED
srv_row fl a2
a2c=$R_CHECKS a2f=$R_CHECKS_FAILED
mark
wait_checks fl a1 $((a1c + NFLAP)) 30
wait_checks fl a2 $((a2c + NFLAP)) 30
now_ms
info "$NFLAP probes each took $((NOW_MS - MARK_MS)) ms"
# timed_out WHO CHECKS0 FAILED0: TIMED_OUT = probes of WHO that failed
# without a 500 from its backend (they timed out: the VM too busy to answer
# in time), over all its probes (every failure of a1 and a2 is meant to be a
# 500)
timed_out() {
	local b
	b=$(awk '$1 == "req" && $7 == "splicer-health" && $6 == 500 { n++ } END { print n + 0 }' \
		"$T/$1.log")
	TIMED_OUT=$((R_CHECKS_FAILED - b))
	info "$1: $((R_CHECKS_FAILED - $3)) of $((R_CHECKS - $2)) probes failed since; in all $R_CHECKS_FAILED failed, its backend answered 500 to $b"
}
# flap_check WHO CHECKS0 FAILED0 HEALTH DOWNS
flap_check() {
	srv_row fl "$1"
	info "$(srv_show fl "$1")"
	timed_out "$1" "$2" "$3"
	if [ "$R_HEALTH" != "$4" ] || [ "$R_DOWNS" != "$5" ]; then
		# only a probe that failed without a 500 can make 3 in a row
		[ "$TIMED_OUT" -gt 0 ] &&
			skip "$1 changed, but $TIMED_OUT of its probes timed out (the VM is too busy for $FLAP_MS ms probes): no verdict on flapping"
	fi
	check_eq "$1 $4" "$4" "$R_HEALTH"
	check_eq "$1 downs" "$5" "$R_DOWNS"
	local n=$((R_CHECKS - $2)) f=$((R_CHECKS_FAILED - $3))
	check_range "$1: probes failed, of $n (alternating)" $((n / 2 - 1)) $((n / 2 + 1)) "$f"
}
flap_check a1 "$a1c" "$a1f" up 0
flap_check a2 "$a2c" "$a2f" down 1
# no more probes of them (maint): the log is judged against them as they are
ctl server set fl a1 state maint
ctl server set fl a2 state maint
check_eq "alternation: probe results on a1 (its log)" "200 500 200 500" \
	"$(awk '$1 == "req" && $7 == "splicer-health" { print $6 }' "$T/a1.log" | head -4 | xargs)"

# ---------------------------------------------------------------- the log
step "the decision log: every change with its cause"
no_overflow
hrecs true | sed 's/^/    /'
check_eq "HEALTH records, in order" "pp/r1/down fl/a2/down" \
	"$(hrecs true | jq -r '"\(.pool)/\(.server)/\(.health)"' | xargs)"
check_log_matches pp/r1 pp/g1 fl/a1 fl/a2

check_drained
hlog_stop
mod_unload
pass
