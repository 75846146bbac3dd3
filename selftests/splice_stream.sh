#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One long response spliced in its middle. With cookie persistence and
# Location rewriting on (the defaults that must see the response head),
# the splice point is after the first response head, while the body
# streams: the client's socket always has data in flight. splicer holds
# the server's packets while the relay empties both sockets, then joins
# the flows and sends on what it held. Asserts, for a GET of 256 MiB read
# as fast as it comes (no pause):
#  - HTTP 200, 268435456 bytes, sha256 = the backend's X-Blob-Sha256, and
#    the response head carries splicer's Set-Cookie (it was seen);
#  - the connection was spliced (spliced = 1, splice_fallback = 0) while
#    the body streamed: the splice carried at least half the body
#    (splice_bytes_out >= 128 MiB) and the relay less than half;
#  - the log's record says SPLICE "spliced", END "both sides closed
#    (spliced)";
#  - the same twice more on new connections (each splices on its own);
#  - the same with 5 ms of delay each way on the client's link (tc netem),
#    a GET of 64 MiB: the client's socket has data in flight all along
#    (before holding, a failed attempt dropped what arrived meanwhile and
#    such a GET was never spliced: SPLICE "data out of order"). The
#    server's retransmissions are shown, not asserted: holding instead of
#    dropping should leave few or none;
#  - objects back to the baseline; rmmod clean.
# vm-timeout: 600
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/splice.sh"

SIZE=$((256 << 20))
RUNS=3

require_root
require_splicer
topo_up 1
backends_start s1=198.18.1.2:8080
mod_load
objects0=$(objects)
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add web listen "$LB_IP:80" pool app
ctl persist web cookie
SPLICE_REWRITE=1 splice_set web 1
log_start

# retrans: TCP segments the server namespace retransmitted so far
retrans() { in_srv nstat -az TcpRetransSegs | awk '$1 == "TcpRetransSegs" { print $2 }'; }

# get WHAT SIZE SEED: one GET of SIZE bytes read as it comes, spliced
get() {
	local out st st0 sout rout r0 t0=$SECONDS
	st0=$(svc_stats web)
	r0=$(retrans)
	out=$(in_cli $PY "$SPLPEER" get "$LB_IP" 80 "/blob?size=$2&seed=$3" --timeout 170) ||
		fail "$1: $out"
	info "took $((SECONDS - t0)) s: $(jget "$out" 'del(.set_cookie) | tojson')"
	check_eq "$1: end, status, length" "done 200 $2" "$(jget "$out" '"\(.end) \(.status) \(.length)"')"
	check_match "$1: backend announced a sha256" '^[0-9a-f]{64}$' "$(jget "$out" .x_blob_sha256)"
	check_eq "$1: sha256 of the body = X-Blob-Sha256" "$(jget "$out" .x_blob_sha256)" "$(jget "$out" .sha256)"
	check_match "$1: the response head has splicer's cookie" '^SPLICERID=' "$(jget "$out" '.set_cookie // ""')"
	check_drained_within 8
	st=$(svc_stats web)
	info "$st"
	check_eq "$1: spliced (this connection)" 1 $(($(stat "$st" SPLICED) - $(stat "$st0" SPLICED)))
	check_eq "$1: splice_fallback" 0 "$(stat "$st" SPLICE_FALLBACK)"
	sout=$(($(stat "$st" SPLICE_BYTES_OUT) - $(stat "$st0" SPLICE_BYTES_OUT)))
	rout=$(($(stat "$st" BYTES_OUT) - $(stat "$st0" BYTES_OUT)))
	info "$1: relayed $rout bytes, spliced $sout; the server retransmitted $(($(retrans) - r0)) segments"
	check_range "$1: splice_bytes_out (this connection)" $(($2 / 2)) $(($2 + $2 / 4)) "$sout"
	check_range "$1: relayed bytes_out (this connection)" 1 $(($2 / 2 - 1)) "$rout"
}

for ((i = 1; i <= RUNS; i++)); do
	step "GET /blob of $SIZE bytes, read as it comes ($i of $RUNS)"
	get "GET $i" "$SIZE" "$i"
done

step "the same with 5 ms of delay each way on the client's link"
modprobe sch_netem 2>/dev/null
in_cli tc qdisc add dev cli0 root netem delay 5ms || skip "tc netem not available"
in_lb tc qdisc add dev lbc0 root netem delay 5ms || fail "tc netem on lbc0"
get "GET, delayed" $((64 << 20)) 9
in_cli tc qdisc del dev cli0 root
in_lb tc qdisc del dev lbc0 root
RUNS=$((RUNS + 1))

step "the log"
wait_until "$RUNS connection records" 100 0.1 log_has $RUNS || fail "log: $(cat "$T/log.jsonl")"
cat "$T/log.jsonl"
check_eq "records saying SPLICE spliced, both sides closed" $RUNS \
	"$(jq -s '[.[] | select(.SPLICE == "spliced" and .END == "both sides closed (spliced)")] | length' "$T/log.jsonl")"

ctl service del web
ctl pool del app
check_eq "objects back to the baseline" "$objects0" "$(objects)"
mod_unload
pass
