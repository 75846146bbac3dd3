#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module and namespace lifetimes with traffic in flight. Asserts:
#  - rmmod with 100 client connections open and moving data (slow downloads):
#    rmmod succeeds, the unload line shows alloc == free, and every one of the
#    100 client connections is ended (EOF or reset), none left hanging;
#  - 20 cycles of insmod / configure / 3 requests / rmmod, the configuration
#    deleted first on even cycles and left in place on odd ones: every request
#    answered, every unload line shows alloc == free == 3;
#  - deleting a network namespace that holds a service with 20 open
#    connections: no oops, the module keeps serving in the lb namespace, and
#    rmmod afterwards shows alloc == free.
# (The runner fails the run on any kernel WARN/BUG/oops in the console.)
# vm-timeout: 600
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"

DRIP="/drip?size=1000000000&chunk=4096&interval=200"

require_root
require_splicer
topo_up 2
# s9 on every address of srv, for the namespace-exit part
backends_start s1=198.18.1.2:8080 s2=198.18.1.3:8080 s9=0.0.0.0:8090

# configure: pool app (s1, s2), service web on $LB_IP:80 in lb, quietly
configure() {
	"$CTL" -n "$NS_LB" pool add app &&
		"$CTL" -n "$NS_LB" server add app s1 198.18.1.2:8080 &&
		"$CTL" -n "$NS_LB" server add app s2 198.18.1.3:8080 &&
		"$CTL" -n "$NS_LB" service add web listen "$LB_IP:80" pool app
}

# ---------------------------------------------------------------- rmmod under load
step "rmmod with 100 connections moving data"
mod_load
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl server add app s2 198.18.1.3:8080
ctl service add web listen "$LB_IP:80" pool app
bg httpc stream "$LB_IP" 80 100 "$DRIP" --ready-file "$T/streams" --timeout 150 > "$T/stream.json"
STREAM=$BG_PID
wait_until "100 streams receiving" 600 0.1 test -s "$T/streams" ||
	fail "the streams did not all start: $(cat "$T/stream.json")"
check_eq "streams receiving data" 100 "$(cat "$T/streams")"
check_eq "rows in /proc/net/splicer/conns" 100 "$(proc_rows conns)"
b0=$(proc_get services bytes_out name=web)
bytes_grew() { [ "$(proc_get services bytes_out name=web)" -gt "$b0" ]; }
wait_until "bytes to move" 50 0.1 bytes_grew || fail "bytes_out stuck at $b0"
ok "data moving (bytes_out $b0 -> $(proc_get services bytes_out name=web))"
mod_unload
wait_until "the client to see every connection end" 300 0.1 pid_gone "$STREAM" ||
	fail "client connections still open 30 s after rmmod: $(in_cli ss -tn | head)"
out=$(cat "$T/stream.json")
info "$out"
check_eq "client connections that had been open" 100 "$(jget "$out" .connected)"
check_eq "client connections left open" 0 "$(jget "$out" '.ends.open // 0')"
check_eq "client connections ended by EOF or reset" 100 \
	"$(jget "$out" '(.ends.eof // 0) + (.ends.reset // 0)')"

# ---------------------------------------------------------------- 20 cycles
step "20 cycles of insmod / configure / traffic / rmmod"
cycles=0
for ((i = 1; i <= 20; i++)); do
	mod_load
	configure || fail "cycle $i: configuration failed"
	out=$(bash_get "$LB_IP" 80 / 3) || fail "cycle $i: requests failed: $out"
	[ "$(printf '%s\n' "$out" | grep -c '^server=s[12]$')" = 3 ] ||
		fail "cycle $i: expected 3 answers, got: $out"
	if ((i % 2 == 0)); then
		"$CTL" -n "$NS_LB" service del web && "$CTL" -n "$NS_LB" pool del app ||
			fail "cycle $i: deleting the configuration failed: service del / pool del"
	fi
	mod_unload >/dev/null
	[ "$UNLOAD_LINE" = "splicer: unload: conns alloc=3 free=3" ] ||
		fail "cycle $i: expected 'splicer: unload: conns alloc=3 free=3', got '$UNLOAD_LINE'"
	info "cycle $i: 3 answers, $UNLOAD_LINE$( ((i % 2 == 0)) && echo ' (config deleted first)')"
	cycles=$((cycles + 1))
done
check_eq "cycles completed" 20 "$cycles"

# ---------------------------------------------------------------- netns exit
# A namespace of its own for the doomed service, wired to cli and srv:
#   cli: cli1 198.18.2.2/24 -- dc0 198.18.2.1/24 :doomed: ds0 198.18.3.1/24 -- srv1 198.18.3.2/24 :srv
# (deleting lb itself would take srv0 and the backends' addresses with it)
step "delete a namespace holding a service and 20 open connections"
DOOMED=doomed-$$
add_ns "$DOOMED"
ip link add cli1 netns "$NS_CLI" type veth peer name dc0 netns "$DOOMED" || fail "veth cli1/dc0"
ip link add ds0 netns "$DOOMED" type veth peer name srv1 netns "$NS_SRV" || fail "veth ds0/srv1"
in_cli ip addr add 198.18.2.2/24 dev cli1
in_cli ip link set cli1 up
ip -n "$DOOMED" addr add 198.18.2.1/24 dev dc0
ip -n "$DOOMED" addr add 198.18.3.1/24 dev ds0
ip -n "$DOOMED" link set dc0 up
ip -n "$DOOMED" link set ds0 up
in_srv ip addr add 198.18.3.2/24 dev srv1
in_srv ip link set srv1 up
mod_load
configure || fail "configuration in $NS_LB failed"
ctl_ns "$DOOMED" pool add app
ctl_ns "$DOOMED" server add app s9 198.18.3.2:8090
ctl_ns "$DOOMED" service add web listen 198.18.2.1:80 pool app
bg httpc stream 198.18.2.1 80 20 "$DRIP" --ready-file "$T/streams2" --timeout 120 > "$T/stream2.json"
STREAM=$BG_PID
wait_until "20 streams receiving" 600 0.1 test -s "$T/streams2" ||
	fail "the streams did not all start: $(cat "$T/stream2.json")"
check_eq "rows in /proc/net/splicer/conns of $DOOMED" 20 \
	"$(ip netns exec "$DOOMED" cat /proc/net/splicer/conns | tail -n +2 | grep -c .)"
ip netns del "$DOOMED" || fail "ip netns del $DOOMED"
ok "ip netns del $DOOMED"
# the client's peer went with the namespace: nothing will end its sockets
kill "$STREAM"

step "the module still serves in $NS_LB"
out=$(cli_curl "http://$LB_IP/") || fail "curl: $out"
check_match "answer through $NS_LB" '^server=s[12]$' "$out"
check_drained
mod_unload
pass
