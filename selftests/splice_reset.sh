#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Resets in the middle of a spliced transfer. The server is splpeer.py's,
# which answers with 1 GiB and reports how its sending ended. Asserts:
#  - client reset: the client reads 4 MiB, stops (the connection is
#    "spliced", no TCP socket in the lb namespace but the listener and the
#    parked server-side one), then
#    closes with SO_LINGER 0; the server's send fails with ECONNRESET/EPIPE;
#    the connection leaves /proc/net/splicer/conns, and its log record,
#    written as it is freed, comes 5 s (the linger) to 8 s after the reset
#    (the guest's clock: the client's time of the reset, the record's TIME);
#    the record says END "reset (spliced)", SPLICE "spliced";
#  - server reset: the server sends 4 MiB, waits (spliced), then closes with
#    SO_LINGER 0; curl, which was downloading, fails with "Connection reset
#    by peer" (exit 56); the connection freed 5 to 8 s after the server's
#    reset, the same log record;
#  - counters: spliced = 2, no fallback; every connection freed; rmmod clean.
# vm-timeout: 480
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/splice.sh"

MIB4=$((4 << 20))

require_root
require_splicer
require_cmd curl
topo_up 1
mod_load
ctl pool add p1
ctl server add p1 r1 198.18.1.2:8081
ctl service add web listen "$LB_IP:80" pool p1
ctl pool add p2
ctl server add p2 r2 198.18.1.2:8082
ctl service add web2 listen "$LB_IP:81" pool p2
splice_set web 1
splice_set web2 1
log_start

# linger_check T_RESET N WHAT: the connection is gone from procfs, and its
# log record (the Nth), written when it was freed, is 5 s (the linger) to
# 8 s after T_RESET, when the reset was sent (seconds since the epoch, both
# the guest's clock)
linger_check() {
	wait_until "connections to end" 200 0.1 conns_drained ||
		fail "$3: connections left 20 s after the reset: $(in_lb cat /proc/net/splicer/conns)"
	wait_until "connection record $2" 100 0.1 log_has "$2" || fail "log: $(cat "$T/log.jsonl")"
	local rec ms
	rec=$(sed -n "$2p" "$T/log.jsonl")
	ms=$(jq -n --argjson r "$rec" --argjson t "$1" '(($r.TIME / 1e6) - $t * 1000) | floor')
	check_range "$3: freed after the linger (ms from the reset to the record)" 4900 8000 "$ms"
	check_eq "$3: record END, SPLICE" "reset (spliced) spliced" "$(jget "$rec" '"\(.END) \(.SPLICE)"')"
}

step "client reset in the middle of a spliced download"
bg in_srv $PY "$SPLPEER" serve 198.18.1.2:8081 --ready "$T/s1.ready" --result "$T/s1.json" --timeout 60
S1=$BG_PID
wait_until "server 1" 600 0.05 test -e "$T/s1.ready" || fail "splpeer serve did not start"
bg in_cli $PY "$SPLPEER" get "$LB_IP" 80 / --pause-at "$MIB4" --ready "$T/c1.paused" \
	--go "$T/c1.go" --reset-at "$MIB4" --timeout 60 > "$T/c1.json"
C1=$BG_PID
wait_until "4 MiB read" 900 0.1 test -e "$T/c1.paused" || fail "client 1: $(cat "$T/c1.json")"
wait_until "the connection to be spliced" 100 0.1 conn_is spliced ||
	fail "not spliced: $(in_lb cat /proc/net/splicer/conns)"
check_eq "TCP sockets in the lb namespace besides the listener and the parked one" "" "$(lb_tcp_unparked)"
check_eq "the parked server-side socket" 1 "$(lb_parked_count)"
in_lb cat /proc/net/splicer/conns | tail -n +2
touch "$T/c1.go"
wait_until "the server to see the end" 300 0.1 test -s "$T/s1.json" ||
	fail "the server did not notice the client's reset: $(lb_tcp; in_srv ss -tn)"
out=$(cat "$T/s1.json")
info "server: $out; client: $(cat "$T/c1.json")"
check_eq "client sent its reset" reset-sent "$(jget "$(cat "$T/c1.json")" .end)"
check_eq "the server's send ended by the reset" reset "$(jget "$out" .end)"
linger_check "$(jget "$(cat "$T/c1.json")" .t_end)" 1 "client reset"
wait_until "server 1 to exit" 100 0.1 pid_gone $S1

step "server reset in the middle of a spliced download"
bg in_srv $PY "$SPLPEER" serve 198.18.1.2:8082 --ready "$T/s2.ready" --result "$T/s2.json" \
	--pause-at "$MIB4" --paused "$T/s2.paused" --go "$T/s2.go" --reset-at "$MIB4" --timeout 60
S2=$BG_PID
wait_until "server 2" 600 0.05 test -e "$T/s2.ready" || fail "splpeer serve did not start"
bg in_cli curl -sS --max-time 60 -o /dev/null -w '%{size_download}\n' "http://$LB_IP:81/" \
	> "$T/curl.out" 2> "$T/curl.err"
C2=$BG_PID
wait_until "4 MiB sent" 900 0.1 test -e "$T/s2.paused" || fail "server 2 did not send 4 MiB"
wait_until "the connection to be spliced" 100 0.1 conn_is spliced web2 ||
	fail "not spliced: $(in_lb cat /proc/net/splicer/conns)"
check_eq "TCP sockets in the lb namespace besides the listener and the parked one" "" "$(lb_tcp_unparked)"
check_eq "the parked server-side socket" 1 "$(lb_parked_count)"
t0=$SECONDS
touch "$T/s2.go"
wait_until "curl to end" 300 0.1 pid_gone $C2 || fail "curl still running 30 s after the reset"
wait $C2
rc=$?
info "curl: exit $rc, $(cat "$T/curl.err"), $(cat "$T/curl.out") bytes, $((SECONDS - t0)) s after the reset"
check_eq "curl's exit status (56: receive failure)" 56 "$rc"
check_match "curl saw the reset" 'reset by peer' "$(cat "$T/curl.err")"
wait_until "server 2's report" 100 0.1 test -s "$T/s2.json"
check_eq "server 2 reset it" reset-sent "$(jget "$(cat "$T/s2.json")" .end)"
linger_check "$(jget "$(cat "$T/s2.json")" .t_end)" 2 "server reset"

step "counters"
st=$(net_stats)
check_eq "spliced, fallback (netns totals)" "2 0" "$(jget "$st" '"\(.SPLICED) \(.SPLICE_FALLBACK)"')"
check_drained
mod_unload
pass
