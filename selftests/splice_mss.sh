#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The packet splice between a client with MSS 1460 and a server with MSS 536:
# MTU 576 on the server's link (srv0 and lbs0), 1500 on the client's.
# Asserts:
#  - the two flows' MSS differ: the server's socket has PMTU 576 and MSS
#    524 (ss; 536 less the timestamp option), the client's flow 1448;
#  - GET /blob of 4 MiB through a spliced connection: sha256-exact;
#  - POST of 4 MiB to /sha256, paused after 256 KiB until the connection is
#    spliced, then sent in full: the backend read every byte, sha256 equal;
#    every segment the client sends must reach the server within its MTU
#    (on failure the lb namespace's IpFragFails / IcmpOutDestUnreachs are
#    shown: a forwarded segment too big for the server's link, and the ICMP
#    error about it);
#  - spliced = 2, no fallback; freed within the linger; rmmod clean.
# vm-timeout: 480
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/splice.sh"

SIZE=$((4 << 20))

require_root
require_splicer
# Known: a splice across paths of different MTUs stalled (segments sized
# for the client's path black-holed on the server's). The module now keeps
# such connections on the relay ("the two paths' MTUs differ"); this test
# still asserts the splice itself and waits to be rewritten for that.
skip "paths of different MTUs stay on the relay now (kmod/splice.c); test to be rewritten"
topo_up 1
in_srv ip link set srv0 mtu 576
in_lb ip link set lbs0 mtu 576
backends_start s1=198.18.1.2:8080
mod_load
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add web listen "$LB_IP:80" pool app
splice_set web 1
in_lb nstat -n > /dev/null 2>&1

lb_ip_stats() {
	in_lb nstat -az IpFragFails IcmpOutDestUnreachs 2>/dev/null | tail -n +2 | awk '{ printf "%s=%s ", $1, $2 }'
}

# one WHAT TIMEOUT ARGS...: splpeer.py ARGS, paused after 256 KiB until
# spliced; TIMEOUT: seconds without progress before the client gives up
one() {
	local what=$1 tmo=$2 pid
	shift 2
	rm -f "$T/paused" "$T/go"
	bg in_cli $PY "$SPLPEER" "$@" --pause-at $((256 << 10)) --ready "$T/paused" \
		--go "$T/go" --timeout "$tmo" > "$T/out.json"
	pid=$BG_PID
	wait_until "$what: 256 KiB" 900 0.1 test -e "$T/paused" || fail "$what: $(cat "$T/out.json")"
	wait_until "$what: spliced" 100 0.1 conn_is spliced ||
		fail "$what: not spliced: $(in_lb cat /proc/net/splicer/conns)"
	SS_CLI=$(in_cli ss -tin)
	SS_SRV=$(in_srv ss -tin)
	touch "$T/go"
	wait_until "$what: the transfer" 1200 0.1 pid_gone $pid || fail "$what: still running"
	wait $pid
	OUT=$(cat "$T/out.json")
	info "$what: $(jget "$OUT" '"\(.end) \(.status) \(.length) \(.secs) s"'); lb: $(lb_ip_stats)"
}

step "GET /blob of $SIZE bytes"
one GET 90 get "$LB_IP" 80 "/blob?size=$SIZE&seed=1"
check_eq "GET: end, status, length" "done 200 $SIZE" "$(jget "$OUT" '"\(.end) \(.status) \(.length)"')"
check_eq "GET: sha256 = X-Blob-Sha256" "$(jget "$OUT" .x_blob_sha256)" "$(jget "$OUT" .sha256)"
check_match "client's flow: MSS 1448 (ss)" '(^| )mss:1448 ' "$SS_CLI"
check_match "server's flow: PMTU 576, MSS 524 (536 less the timestamp option; ss)" \
	'pmtu:576 .*advmss:524 ' "$SS_SRV"

step "POST /sha256 of $SIZE bytes"
one POST 40 post "$LB_IP" 80 "$SIZE" 1
check_eq "POST: end, status, length (lb: $(lb_ip_stats))" "done 200 $SIZE" \
	"$(jget "$OUT" '"\(.end) \(.status) \(.length)"')"
check_eq "POST: the backend's sha256" "sha256=$(jget "$OUT" .sha256) length=$SIZE" "$(jget "$OUT" .body)"

st=$(svc_stats web)
check_eq "spliced, fallback" "2 0" "$(jget "$st" '"\(.SPLICED) \(.SPLICE_FALLBACK)"')"
check_drained_within 8
mod_unload
pass
