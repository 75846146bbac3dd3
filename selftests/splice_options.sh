#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The packet splice between flows that negotiated different TCP options.
# For each case, a GET of /blob and a POST to /sha256 of 4 MiB through a
# spliced connection, sha256-exact, and the spliced counter up by 2 with no
# fallback. Each transfer pauses after 256 KiB until it is spliced; then tc
# netem goes on on both outer links, 2 % loss and 10 % duplication, so that a
# receiver with SACK sends SACK blocks (D-SACK for the duplicates: a lost
# TSO packet may be the whole window, leaving nothing out of order; a server
# without window scaling sends 4 MiB in some 64 packets, hence 10 %; the
# GET's client has a fixed receive buffer so that most of it comes after
# the pause, through netem). Two
# sniffers (lib/tcpopts.py, on cli0 and srv0) count the options each way.
# The cases:
#  - the client without SACK, timestamps and window scaling (sysctls
#    net.ipv4.tcp_sack, tcp_timestamps, tcp_window_scaling = 0 in its
#    namespace), the server with them: the SYN-ACKs show the mismatch; the
#    server sent SACK blocks and timestamps, and not one packet reaching the
#    client carries either (NOPed out);
#  - the reverse: the server without them, the client with them; no SACK
#    block or timestamp reaches the server;
#  - the client without SACK only: no SACK block reaches it, its
#    timestamps do (the NOPs sit beside a translated timestamp);
#  (a server MSS smaller than the client's: splice_mss.sh)
#  - every connection freed within the linger; rmmod clean.
# vm-timeout: 900
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/splice.sh"

SIZE=$((4 << 20))
NETEM="loss 2% duplicate 10%"

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
SPLICED=0
SEED=1

# the sniffers run for the whole test (python is slow to start under TCG);
# sniff_snap takes the counts since the previous snapshot into CLI and SRV
SNAP=0
sniff_start() {
	mkdir -p "$T/snap/cli" "$T/snap/srv"
	bg in_cli $PY "$LIB/tcpopts.py" cli0 --ready "$T/cli.ready" --stop "$T/sniff.stop" \
		--snap "$T/snap/cli" > "$T/cli.opts" 2>"$T/cli.err"
	bg in_srv $PY "$LIB/tcpopts.py" srv0 --ready "$T/srv.ready" --stop "$T/sniff.stop" \
		--snap "$T/snap/srv" > "$T/srv.opts" 2>"$T/srv.err"
	wait_until "the sniffers" 600 0.05 test -e "$T/cli.ready" -a -e "$T/srv.ready" ||
		fail "tcpopts.py did not start: $(cat "$T/cli.err" "$T/srv.err")"
}

sniff_snap() {
	SNAP=$((SNAP + 1))
	touch "$T/snap/cli/req.$SNAP" "$T/snap/srv/req.$SNAP"
	wait_until "the sniffers' snapshot" 300 0.1 \
		test -s "$T/snap/cli/snap.$SNAP" -a -s "$T/snap/srv/snap.$SNAP" ||
		fail "no snapshot from the sniffers: $(cat "$T/cli.err" "$T/srv.err")"
	CLI=$(cat "$T/snap/cli/snap.$SNAP")
	SRV=$(cat "$T/snap/srv/snap.$SNAP")
}

# syn_opt JSON DIR EXPR: EXPR over every SYN-ACK seen in direction DIR
# (e.g. '.kinds | index(4) != null' -> "true true")
syn_opt() {
	jget "$1" "[.$2.syn[] | select(.flags == \"SA\") | $3] | unique | map(tostring) | join(\" \")"
}

netem_on() {
	in_cli tc qdisc add dev cli0 root netem $NETEM || fail "tc netem on cli0"
	in_srv tc qdisc add dev srv0 root netem $NETEM || fail "tc netem on srv0"
}

netem_off() {
	in_cli tc qdisc del dev cli0 root
	in_srv tc qdisc del dev srv0 root
}

# one WHAT ARGS...: splpeer.py ARGS, paused after 256 KiB until the
# connection is spliced, then with netem's loss on until it is done
one() {
	local what=$1 pid
	shift
	rm -f "$T/paused" "$T/go"
	bg in_cli $PY "$SPLPEER" "$@" --pause-at $((256 << 10)) --ready "$T/paused" \
		--go "$T/go" --timeout 90 > "$T/out.json"
	pid=$BG_PID
	wait_until "$what: 256 KiB" 900 0.1 test -e "$T/paused" || fail "$what: $(cat "$T/out.json")"
	wait_until "$what: spliced" 100 0.1 conn_is spliced ||
		fail "$what: not spliced: $(in_lb cat /proc/net/splicer/conns)"
	netem_on
	touch "$T/go"
	wait_until "$what: the transfer" 900 0.1 pid_gone $pid || fail "$what: still running"
	wait $pid
	netem_off
	OUT=$(cat "$T/out.json")
	info "$what: $(jget "$OUT" '"\(.end) \(.status) \(.length) \(.secs) s"')"
}

# transfers: a GET and a POST of SIZE bytes, both spliced and exact
transfers() {
	local st
	SEED=$((SEED + 1))
	# a fixed 256 KiB receive buffer: paused, the client cannot take in
	# most of the GET before netem goes on (autotuned, it may grow to MiBs)
	one GET get "$LB_IP" 80 "/blob?size=$SIZE&seed=$SEED" --rcvbuf $((256 << 10))
	check_eq "GET: end, status, length" "done 200 $SIZE" "$(jget "$OUT" '"\(.end) \(.status) \(.length)"')"
	check_eq "GET: sha256 = X-Blob-Sha256" "$(jget "$OUT" .x_blob_sha256)" "$(jget "$OUT" .sha256)"
	one POST post "$LB_IP" 80 "$SIZE" "$SEED"
	check_eq "POST: end, status, length" "done 200 $SIZE" "$(jget "$OUT" '"\(.end) \(.status) \(.length)"')"
	check_eq "POST: the backend's sha256" "sha256=$(jget "$OUT" .sha256) length=$SIZE" "$(jget "$OUT" .body)"
	SPLICED=$((SPLICED + 2))
	st=$(svc_stats web)
	check_eq "spliced, fallback" "$SPLICED 0" "$(jget "$st" '"\(.SPLICED) \(.SPLICE_FALLBACK)"')"
}

# case_run NS SYSCTL...: each SYSCTL=0 in NS (cli or srv), the transfers,
# the sniffers' counts, the SYSCTLs back to 1
case_run() {
	local ns=$1 k
	shift
	for k in "$@"; do
		in_$ns sysctl -qw "$k=0" || fail "sysctl $k=0 in $ns"
	done
	sniff_snap	# what came before
	transfers
	sniff_snap
	for k in "$@"; do
		in_$ns sysctl -qw "$k=1"
	done
	info "client link: $(jget "$CLI" '{in: (.in | del(.syn)), out: (.out | del(.syn))}' | tr -d ' \n')"
	info "server link: $(jget "$SRV" '{in: (.in | del(.syn)), out: (.out | del(.syn))}' | tr -d ' \n')"
}

sniff_start

step "client without SACK, timestamps and window scaling; the server with them"
case_run cli net.ipv4.tcp_sack net.ipv4.tcp_timestamps net.ipv4.tcp_window_scaling
check_eq "client's SYN-ACK: SACK-permitted, timestamps, wscale" "false false null" \
	"$(syn_opt "$CLI" in '.kinds | index(4) != null') $(syn_opt "$CLI" in '.kinds | index(8) != null') $(syn_opt "$CLI" in '.wscale')"
check_match "server's SYN-ACK: SACK-permitted, timestamps, wscale" '^true true [0-9]+$' \
	"$(syn_opt "$SRV" out '.kinds | index(4) != null') $(syn_opt "$SRV" out '.kinds | index(8) != null') $(syn_opt "$SRV" out '.wscale')"
check_range "server sent SACK blocks" 1 1000000000 "$(jget "$SRV" .out.sack)"
check_range "server sent timestamps" 1 1000000000 "$(jget "$SRV" .out.ts)"
check_eq "packets reaching the client with SACK blocks, with timestamps" "0 0" \
	"$(jget "$CLI" '"\(.in.sack) \(.in.ts)"')"

step "server without SACK, timestamps and window scaling; the client with them"
case_run srv net.ipv4.tcp_sack net.ipv4.tcp_timestamps net.ipv4.tcp_window_scaling
check_eq "server's SYN-ACK: SACK-permitted, timestamps, wscale" "false false null" \
	"$(syn_opt "$SRV" out '.kinds | index(4) != null') $(syn_opt "$SRV" out '.kinds | index(8) != null') $(syn_opt "$SRV" out '.wscale')"
check_match "client's SYN-ACK: SACK-permitted, timestamps, wscale" '^true true [0-9]+$' \
	"$(syn_opt "$CLI" in '.kinds | index(4) != null') $(syn_opt "$CLI" in '.kinds | index(8) != null') $(syn_opt "$CLI" in '.wscale')"
check_range "client sent SACK blocks" 1 1000000000 "$(jget "$CLI" .out.sack)"
check_range "client sent timestamps" 1 1000000000 "$(jget "$CLI" .out.ts)"
check_eq "packets reaching the server with SACK blocks, with timestamps" "0 0" \
	"$(jget "$SRV" '"\(.in.sack) \(.in.ts)"')"

step "client without SACK only: its timestamps translated, SACK blocks NOPed beside them"
case_run cli net.ipv4.tcp_sack
check_eq "client's SYN-ACK: SACK-permitted, timestamps" "false true" \
	"$(syn_opt "$CLI" in '.kinds | index(4) != null') $(syn_opt "$CLI" in '.kinds | index(8) != null')"
check_range "server sent SACK blocks" 1 1000000000 "$(jget "$SRV" .out.sack)"
check_eq "packets reaching the client with SACK blocks" 0 "$(jget "$CLI" .in.sack)"
check_range "packets reaching the client with timestamps" 1 1000000000 "$(jget "$CLI" .in.ts)"

touch "$T/sniff.stop"
check_drained_within 8
mod_unload
pass
