#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 256 MiB each way through the packet splice. Asserts:
#  - GET /blob of 256 MiB (the client stops reading at 64 MiB, so the
#    transfer stalls in the middle): the connection is "spliced" in
#    /proc/net/splicer/conns, with seq/ack offsets, and the lb namespace has
#    no TCP socket but the listener and the parked server-side socket
#    (ss -tan: the client's socket is gone; the server's stays open, silent,
#    to keep its port, see Documentation/splice.md): after it resumes,
#    samples taken while it runs show the same, and the parked socket's
#    segs_in, segs_out and bytes_received (ss -ti) did not move while 192
#    MiB went by: no packet of the flow reached it; HTTP 200, 268435456
#    bytes, sha256 = the backend's X-Blob-Sha256;
#  - POST of a 256 MiB deterministic stream (generated as it is sent, nothing
#    on tmpfs) to /sha256, paused at 64 MiB the same way: spliced, the same
#    checks of the lb namespace's sockets; the backend read 268435456 bytes
#    with the sha256 of what the client sent;
#  - each connection is freed within the splice's linger (5 s) of the close;
#  - counters (service STATS by netlink): spliced = 2, splice_fallback = 0,
#    splice_bytes_out >= 256 MiB with relayed bytes_out < 64 KiB,
#    splice_bytes_in + relayed bytes_in >= 256 MiB with relayed bytes_in
#    under 16 MiB (the relay carries the upload until both sockets are quiet);
#  - the log's connection records say SPLICE "spliced", END "both sides
#    closed (spliced)", and count the spliced bytes;
#  - a second request on a spliced keep-alive connection reaches the server
#    unparsed: the first carries X-Forwarded-For, the second does not, on the
#    same server connection;
#  - /sys/kernel/splicer/objects back to its baseline; rmmod clean.
# vm-timeout: 600
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/splice.sh"

SIZE=$((256 << 20))
PAUSE=$((64 << 20))

require_root
require_splicer
topo_up 1
backends_start s1=198.18.1.2:8080
mod_load
objects0=$(objects)
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add web listen "$LB_IP:80" pool app
splice_set web 1
log_start

# parked_counters: segs_in, segs_out and bytes_received of the lb
# namespace's socket towards the server (ss -ti)
parked_counters() {
	in_lb ss -Htin dst 198.18.1.2 | grep -oE '(segs_in|segs_out|bytes_received):[0-9]+' |
		sort | tr '\n' ' '
}

# paused_checks WHAT: the connection is spliced; the lb namespace has one
# TCP socket besides the listener, the parked one towards the server
paused_checks() {
	wait_until "the connection to be spliced" 100 0.1 conn_is spliced ||
		fail "$1: the connection is not spliced: $(in_lb cat /proc/net/splicer/conns)"
	local row
	row=$(in_lb cat /proc/net/splicer/conns | tail -n +2)
	info "$row"
	check_match "$1: spliced, with its seq/ack offsets" \
		' spliced .* seq_c2s=[-+][0-9]+ ack_c2s=[-+][0-9]+ seq_s2c=[-+][0-9]+ ack_s2c=[-+][0-9]+' "$row"
	PARKED=$(lb_tcp)
	check_match "$1: TCP sockets in the lb namespace besides the listener (ss -tan): the parked one only" \
		'^ESTAB +0 +0 +198\.18\.1\.1:[0-9]+ +198\.18\.1\.2:8080 *$' "$PARKED"
	PARKED_COUNTERS=$(parked_counters)
	info "$1: parked socket: $PARKED_COUNTERS"
}

# sample_while PID WHAT: while PID runs, the lb namespace has no TCP socket
# but the listener and the parked one, whose counters do not move
sample_while() {
	local n=0 socks
	while ! pid_gone "$1" && [ $n -lt 1000 ]; do
		socks=$(lb_tcp)
		[ "$socks" = "$PARKED" ] || ! kill -0 "$1" 2>/dev/null ||
			fail "$2: another socket in the lb namespace during the transfer: $socks"
		n=$((n + 1))
	done
	info "$2: $n samples of ss -tan while the transfer ran, none with another socket"
	# the flow lingers 5 s after its close: the parked socket is still there
	check_eq "$2: the parked socket's counters after the transfer (ss -ti)" \
		"$PARKED_COUNTERS" "$(parked_counters)"
}

step "GET /blob of $SIZE bytes, stalled at $PAUSE"
bg in_cli $PY "$SPLPEER" get "$LB_IP" 80 "/blob?size=$SIZE&seed=7" --pause-at "$PAUSE" \
	--ready "$T/get.paused" --go "$T/get.go" --timeout 170 > "$T/get.json"
GET_PID=$BG_PID
t0=$SECONDS
wait_until "the GET to reach $PAUSE bytes" 1500 0.1 test -e "$T/get.paused" ||
	fail "the GET did not get $PAUSE bytes: $(cat "$T/get.json")"
paused_checks GET
touch "$T/get.go"
sample_while $GET_PID GET
wait $GET_PID
out=$(cat "$T/get.json")
info "took $((SECONDS - t0)) s: $out"
check_eq "GET: end, status, length" "done 200 $SIZE" "$(jget "$out" '"\(.end) \(.status) \(.length)"')"
check_match "backend announced a sha256" '^[0-9a-f]{64}$' "$(jget "$out" .x_blob_sha256)"
check_eq "GET: sha256 of the body = X-Blob-Sha256" "$(jget "$out" .x_blob_sha256)" "$(jget "$out" .sha256)"
check_drained_within 8

step "POST /sha256 of $SIZE bytes, stalled at $PAUSE"
bg in_cli $PY "$SPLPEER" post "$LB_IP" 80 "$SIZE" 9 --pause-at "$PAUSE" \
	--ready "$T/post.paused" --go "$T/post.go" --timeout 170 > "$T/post.json"
POST_PID=$BG_PID
t0=$SECONDS
wait_until "the POST to send $PAUSE bytes" 1500 0.1 test -e "$T/post.paused" ||
	fail "the POST did not send $PAUSE bytes: $(cat "$T/post.json")"
paused_checks POST
touch "$T/post.go"
sample_while $POST_PID POST
wait $POST_PID
out=$(cat "$T/post.json")
info "took $((SECONDS - t0)) s: $out"
check_eq "POST: end, status, bytes sent" "done 200 $SIZE" "$(jget "$out" '"\(.end) \(.status) \(.length)"')"
check_eq "POST: the backend's sha256 and length" \
	"sha256=$(jget "$out" .sha256) length=$SIZE" "$(jget "$out" .body)"
check_drained_within 8

step "counters"
st=$(svc_stats web)
info "$st"
check_eq "spliced" 2 "$(stat "$st" SPLICED)"
check_eq "splice_fallback" 0 "$(stat "$st" SPLICE_FALLBACK)"
check_range "splice_bytes_out (GET, retransmissions included)" "$SIZE" $((SIZE + SIZE / 4)) \
	"$(stat "$st" SPLICE_BYTES_OUT)"
check_range "relayed bytes_out" 0 65535 "$(stat "$st" BYTES_OUT)"
bin=$(stat "$st" BYTES_IN)
check_range "relayed bytes_in (head, start of the upload)" 1 $((16 << 20)) "$bin"
check_range "splice_bytes_in + relayed bytes_in" "$SIZE" $((SIZE + SIZE / 4)) \
	$(($(stat "$st" SPLICE_BYTES_IN) + bin))

step "the log"
wait_until "2 connection records" 100 0.1 log_has 2 || fail "log: $(cat "$T/log.jsonl")"
cat "$T/log.jsonl"
check_eq "records saying SPLICE spliced, both sides closed" 2 \
	"$(jq -s '[.[] | select(.SPLICE == "spliced" and .END == "both sides closed (spliced)")] | length' "$T/log.jsonl")"
check_range "GET record: BYTES_OUT" "$SIZE" $((SIZE + SIZE / 4)) \
	"$(jq -s '.[0].BYTES_OUT' "$T/log.jsonl")"
check_range "POST record: BYTES_IN" "$SIZE" $((SIZE + SIZE / 4)) \
	"$(jq -s '.[1].BYTES_IN' "$T/log.jsonl")"

step "keep-alive: a second request after the splice is not parsed"
conns0=$(backend_conns s1)
bg in_cli $PY "$SPLPEER" ka "$LB_IP" 80 /headers /headers \
	--ready "$T/ka.ready" --go "$T/ka.go" > "$T/ka.json"
KA_PID=$BG_PID
wait_until "the first response" 600 0.1 test -e "$T/ka.ready" ||
	fail "no first response: $(cat "$T/ka.json")"
wait_until "the connection to be spliced" 100 0.1 conn_is spliced ||
	fail "not spliced: $(in_lb cat /proc/net/splicer/conns)"
touch "$T/ka.go"
wait_until "the second response" 300 0.1 pid_gone $KA_PID
out=$(cat "$T/ka.json")
info "$out"
check_eq "both answered" "done 200 200" "$(jget "$out" '"\(.end) \(.responses[0].status) \(.responses[1].status)"')"
check_match "first request: X-Forwarded-For added" "X-Forwarded-For: $CLI_IP" \
	"$(jget "$out" '.responses[0].body')"
if jget "$out" '.responses[1].body' | grep -qi '^x-forwarded-for'; then
	fail "second request (spliced) has X-Forwarded-For: $(jget "$out" '.responses[1].body')"
fi
ok "second request: no X-Forwarded-For (not parsed after the splice)"
check_eq "one server connection for both" $((conns0 + 1)) "$(backend_conns s1)"
check_drained_within 8
check_eq "spliced" 3 "$(stat "$(svc_stats web)" SPLICED)"

ctl service del web
ctl pool del app
check_eq "objects back to the baseline" "$objects0" "$(objects)"
mod_unload
pass
