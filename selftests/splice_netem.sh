#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The packet splice over bad links: tc netem on both outer links (cli0 in the
# client namespace, srv0 in the server namespace: every packet reaches the
# splice through one of them) with 5 ms delay, 1 % loss, 1 % duplication and
# 5 % reordering. 32 MiB each way, not 256: under TCG the loss keeps TCP at
# about 1 MB/s. Each transfer pauses after 1 MiB until its connection is
# spliced, and netem goes on then (with netem from the start, the first
# attempts to splice meet unacknowledged data and the relay keeps the
# connection: that is not what is tested here). Asserts:
#  - GET /blob of 32 MiB: 200, every byte, sha256 = X-Blob-Sha256;
#  - POST of 32 MiB to /sha256: the backend read every byte, sha256 equal;
#  - netem did its work: its qdiscs dropped packets on both links during
#    each transfer;
#  - counters: spliced = 2, splice_fallback = 0, splice_bytes_out >= 32 MiB,
#    relayed bytes_out < 64 KiB, splice_bytes_in + relayed bytes_in >= 32 MiB;
#  - every connection freed within the linger; rmmod clean.
# vm-timeout: 600
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/splice.sh"

SIZE=$((32 << 20))
NETEM="delay 5ms loss 1% duplicate 1% reorder 5%"

require_root
require_splicer
require_cmd tc
topo_up 1
modprobe sch_netem 2>/dev/null
in_cli tc qdisc add dev cli0 root netem $NETEM || skip "tc netem not available"
in_cli tc qdisc del dev cli0 root
backends_start s1=198.18.1.2:8080
mod_load
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add web listen "$LB_IP:80" pool app
splice_set web 1

netem_on() {
	in_cli tc qdisc add dev cli0 root netem $NETEM || fail "tc netem on cli0"
	in_srv tc qdisc add dev srv0 root netem $NETEM || fail "tc netem on srv0"
}

# netem_off WHAT: remove both qdiscs, checking first that they dropped,
# duplicated and delayed packets of the transfer
netem_off() {
	local l q
	for l in "cli cli0" "srv srv0"; do
		set -- $l
		q=$(in_$1 tc -s qdisc show dev "$2")
		info "$2: $(printf '%s' "$q" | tr '\n' ' ' | tr -s ' ')"
		check_match "$WHAT: netem on $2 dropped packets" 'dropped [1-9]' "$q"
		in_$1 tc qdisc del dev "$2" root
	done
}

# transfer WHAT ARGS...: splpeer.py ARGS with a pause at 1 MiB; netem goes
# on once the connection is spliced, off when the transfer is over
transfer() {
	WHAT=$1
	shift
	rm -f "$T/paused" "$T/go"
	bg in_cli $PY "$SPLPEER" "$@" --pause-at $((1 << 20)) --ready "$T/paused" --go "$T/go" \
		--timeout 200 > "$T/out.json"
	local pid=$BG_PID t0=$SECONDS
	wait_until "$WHAT: 1 MiB" 900 0.1 test -e "$T/paused" || fail "$WHAT: $(cat "$T/out.json")"
	wait_until "$WHAT: spliced" 100 0.1 conn_is spliced ||
		fail "$WHAT: not spliced: $(in_lb cat /proc/net/splicer/conns)"
	ok "$WHAT: spliced; netem on"
	netem_on
	touch "$T/go"
	wait_until "$WHAT: the transfer" 2000 0.1 pid_gone $pid || fail "$WHAT: still running"
	wait $pid
	OUT=$(cat "$T/out.json")
	info "$WHAT: took $((SECONDS - t0)) s: $OUT"
	in_lb cat /proc/net/splicer/conns | tail -n +2
	netem_off
}

step "GET /blob of $SIZE bytes"
transfer GET get "$LB_IP" 80 "/blob?size=$SIZE&seed=3"
check_eq "GET: end, status, length" "done 200 $SIZE" "$(jget "$OUT" '"\(.end) \(.status) \(.length)"')"
check_eq "GET: sha256 of the body = X-Blob-Sha256" "$(jget "$OUT" .x_blob_sha256)" "$(jget "$OUT" .sha256)"
check_drained_within 8

step "POST /sha256 of $SIZE bytes"
transfer POST post "$LB_IP" 80 "$SIZE" 5
check_eq "POST: end, status, bytes sent" "done 200 $SIZE" "$(jget "$OUT" '"\(.end) \(.status) \(.length)"')"
check_eq "POST: the backend's sha256 and length" \
	"sha256=$(jget "$OUT" .sha256) length=$SIZE" "$(jget "$OUT" .body)"
check_drained_within 8

step "counters"
st=$(svc_stats web)
info "$st"
check_eq "spliced" 2 "$(stat "$st" SPLICED)"
check_eq "splice_fallback" 0 "$(stat "$st" SPLICE_FALLBACK)"
check_range "splice_bytes_out (GET, retransmissions and duplicates included)" "$SIZE" $((SIZE * 2)) \
	"$(stat "$st" SPLICE_BYTES_OUT)"
check_range "relayed bytes_out" 0 65535 "$(stat "$st" BYTES_OUT)"
check_range "splice_bytes_in + relayed bytes_in" "$SIZE" $((SIZE * 2)) \
	$(($(stat "$st" SPLICE_BYTES_IN) + $(stat "$st" BYTES_IN)))

mod_unload
pass
