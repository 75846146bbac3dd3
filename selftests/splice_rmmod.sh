#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rmmod while spliced transfers are in flight. Asserts:
#  - 8 slow downloads (/drip) and 2 large GETs (1 GiB from /drip with no
#    pause, read as fast as it comes) all spliced (procfs) and moving data;
#  - rmmod succeeds, with no oops or WARN (the VM runner fails on any) and
#    an unload line showing as many connections freed as allocated;
#  - every client sees its connection reset (ECONNRESET), none hangs: the
#    clients are done within 10 s of the rmmod; the server namespace keeps
#    no established connection (the servers were reset too);
#  - the module loads again and relays a request (the hooks are gone).
# vm-timeout: 480
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/splice.sh"

NDRIP=8
NBLOB=2
DRIP="/drip?size=104857600&chunk=2048&interval=50"
BIG="/drip?size=$((1 << 30))&chunk=65536&interval=0"	# as fast as it goes

require_root
require_splicer
topo_up 1
backends_start s1=198.18.1.2:8080
mod_load
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add web listen "$LB_IP:80" pool app
splice_set web 1

step "$NDRIP slow downloads and $NBLOB large GETs, spliced"
bg httpc stream "$LB_IP" 80 "$NDRIP" "$DRIP" --ready-file "$T/streams" --timeout 120 > "$T/stream.json"
STREAM=$BG_PID
BLOBS=()
for ((i = 0; i < NBLOB; i++)); do
	bg in_cli $PY "$SPLPEER" get "$LB_IP" 80 "$BIG" --timeout 120 > "$T/blob$i.json"
	BLOBS+=("$BG_PID")
done
wait_until "the streams to receive data" 900 0.1 test -s "$T/streams" ||
	fail "the streams did not start: $(cat "$T/stream.json")"
check_eq "streams receiving" "$NDRIP" "$(cat "$T/streams")"
all_spliced() { [ "$(spliced_rows)" = $((NDRIP + NBLOB)) ]; }
wait_until "every connection spliced" 300 0.1 all_spliced ||
	fail "$(spliced_rows) of $((NDRIP + NBLOB)) spliced: $(in_lb cat /proc/net/splicer/conns)"
ok "$((NDRIP + NBLOB)) connections spliced"
# pkts: packets the splices forwarded, both ways, summed over the rows
pkts() {
	in_lb cat /proc/net/splicer/conns | awk '
		{ for (i = 1; i <= NF; i++) if ($i ~ /^pkts=/) { split($i, p, "[=/]"); s += p[2] + p[3] } }
		END { print s + 0 }'
}
b0=$(pkts)
moving() { [ "$(pkts)" -gt $((b0 + 50)) ]; }
wait_until "data to move" 100 0.1 moving || fail "the spliced connections do not move data"
in_lb cat /proc/net/splicer/conns
check_range "established in the server namespace" $((NDRIP + NBLOB)) $((NDRIP + NBLOB)) \
	"$(in_srv ss -Htn state established | grep -c .)"

step "rmmod"
t0=$SECONDS
mod_unload
info "rmmod took $((SECONDS - t0)) s"
wait_until "the clients to finish" 100 0.1 pid_gone "$STREAM" ||
	fail "httpc stream still running 10 s after rmmod: $(in_cli ss -tn)"
for p in "${BLOBS[@]}"; do
	wait_until "the GETs to finish" 100 0.1 pid_gone "$p" ||
		fail "a GET still running 10 s after rmmod: $(in_cli ss -tn)"
done
out=$(cat "$T/stream.json")
info "streams: $out"
check_eq "streams ended by a reset" "{\"reset\":$NDRIP}" "$(jget "$out" '.ends | tojson')"
for ((i = 0; i < NBLOB; i++)); do
	out=$(cat "$T/blob$i.json")
	info "GET $i: $out"
	check_eq "GET $i ended by a reset" reset "$(jget "$out" .end)"
done
no_srv_conns() { [ "$(in_srv ss -Htn state established | grep -c .)" = 0 ]; }
wait_until "the server ends to go" 50 0.1 no_srv_conns ||
	fail "server connections left after rmmod: $(in_srv ss -tn)"
ok "no established connection left in the server namespace"

step "load again"
mod_load
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add web listen "$LB_IP:80" pool app
out=$(httpc seq "$LB_IP" 80 3)
check_eq "requests answered" 3 "$(jget "$out" .ok)"
check_drained
mod_unload
pass
