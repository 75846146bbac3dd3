#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The packet splice between a client with MSS 1460 and a server with MSS 536:
# MTU 576 on the server's link (srv0 and lbs0), 1500 on the client's. The
# splice forwards segments whole and PMTU discovery does not cross it, so
# such a connection stays on the relay (kmod/splice.c: "the two paths' MTUs
# differ"; spliced, a client's full-sized segment black-holed on the
# server's link and the upload stalled). Asserts:
#  - the two flows' MSS differ: the server's socket has PMTU 576 and MSS
#    524 (ss; 536 less the timestamp option);
#  - GET /blob of 4 MiB and POST of 4 MiB to /sha256: sha256-exact;
#  - neither was spliced: spliced 0, splice_fallback 2, and the log says
#    SPLICE "the two paths' MTUs differ" for both;
#  - no segment was dropped for its size in the lb namespace (IpFragFails);
#  - every connection freed; rmmod clean.
# vm-timeout: 480
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/splice.sh"

SIZE=$((4 << 20))

require_root
require_splicer
topo_up 1
in_srv ip link set srv0 mtu 576
in_lb ip link set lbs0 mtu 576
backends_start s1=198.18.1.2:8080
mod_load
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add web listen "$LB_IP:80" pool app
splice_set web 1
log_start
in_lb nstat -n > /dev/null 2>&1

step "GET /blob of $SIZE bytes"
bg in_cli $PY "$SPLPEER" get "$LB_IP" 80 "/blob?size=$SIZE&seed=1" --pause-at $((256 << 10)) \
	--ready "$T/paused" --go "$T/go" --timeout 60 > "$T/get.json"
pid=$BG_PID
wait_until "256 KiB" 900 0.1 test -e "$T/paused" || fail "GET: $(cat "$T/get.json")"
SS_SRV=$(in_srv ss -tin)
touch "$T/go"
wait_until "the GET" 900 0.1 pid_gone $pid || fail "GET still running"
out=$(cat "$T/get.json")
check_eq "GET: end, status, length" "done 200 $SIZE" "$(jget "$out" '"\(.end) \(.status) \(.length)"')"
check_eq "GET: sha256 = X-Blob-Sha256" "$(jget "$out" .x_blob_sha256)" "$(jget "$out" .sha256)"
check_match "server's flow: PMTU 576, MSS 524 (536 less the timestamp option; ss)" \
	'pmtu:576 .*advmss:524 ' "$SS_SRV"

step "POST /sha256 of $SIZE bytes"
out=$(in_cli $PY "$SPLPEER" post "$LB_IP" 80 "$SIZE" 1 --timeout 60)
check_eq "POST: end, status, length" "done 200 $SIZE" "$(jget "$out" '"\(.end) \(.status) \(.length)"')"
check_eq "POST: the backend's sha256" "sha256=$(jget "$out" .sha256) length=$SIZE" "$(jget "$out" .body)"

step "relayed, and why"
check_drained
st=$(svc_stats web)
check_eq "spliced, fallback" "0 2" "$(jget "$st" '"\(.SPLICED) \(.SPLICE_FALLBACK)"')"
wait_until "2 connection records" 100 0.1 log_has 2 || fail "log: $(cat "$T/log.jsonl")"
check_eq "log: SPLICE" "the two paths' MTUs differ|the two paths' MTUs differ" \
	"$(jq -r .SPLICE "$T/log.jsonl" | paste -sd '|')"
check_eq "lb: segments dropped for their size (IpFragFails)" 0 \
	"$(in_lb nstat -az IpFragFails 2>/dev/null | awk '$1 == "IpFragFails" { print $2 }')"
mod_unload
pass
