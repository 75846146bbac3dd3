#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 200 client connections at once. Asserts:
#  - all 200 connections are open together: /proc/net/splicer/conns has 200
#    rows and the service shows active = 200 before any request is sent;
#  - then each connection sends 2 keep-alive requests at the same moment
#    ("/" and a 16 KiB /blob whose sha256 the client checks): all 400 answered
#    200 with the right body, no connection error;
#  - the service counted 200 connections, no generated error response (r4xx,
#    r5xx), no connect failure; the backends accepted 200 connections in all;
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"

C=200
R=2

require_root
require_splicer
topo_up 3
backends_start s1=198.18.1.2:8080 s2=198.18.1.3:8080 s3=198.18.1.4:8080
mod_load
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl server add app s2 198.18.1.3:8080
ctl server add app s3 198.18.1.4:8080
# The connections are opened first and held idle until all are open, which
# under TCG can take longer than the default header timeout; and 200 requests
# at once queue for tens of seconds at python backends. Neither is what this
# test is about, so both timeouts are generous.
ctl service add web listen "$LB_IP:80" pool app header-timeout 2m server-timeout 2m

step "open $C connections, hold them"
bg httpc conc "$LB_IP" 80 "$C" "$R" --blob 16384 --timeout 90 \
	--opened-file "$T/opened" --hold-file "$T/go" > "$T/conc.json"
CONC=$BG_PID
wait_until "$C connections open" 1200 0.1 test -s "$T/opened" ||
	fail "the client did not report its connections open"
check_eq "client connections open" "$C" "$(cat "$T/opened")"
active_is() { [ "$(proc_get services active name=web)" = "$1" ]; }
wait_until "service active = $C" 100 0.1 active_is "$C"
check_eq "service active" "$C" "$(proc_get services active name=web)"
check_eq "rows in /proc/net/splicer/conns" "$C" "$(proc_rows conns)"

step "$R requests on each, all at once"
touch "$T/go"
wait_until "the client to finish" 1800 0.1 pid_gone "$CONC" ||
	fail "the client did not finish in 180 s"
out=$(cat "$T/conc.json")
info "$(printf '%s' "$out" | jq -c .)"
check_eq "responses correct" $((C * R)) "$(jget "$out" .ok)"
check_eq "client errors" 0 "$(jget "$out" .nerrors)"

step "counters"
check_eq "service conns" "$C" "$(proc_get services conns name=web)"
for col in connect_fail r400 r408 r431 r502 r503 r504; do
	check_eq "service $col" 0 "$(proc_get services "$col" name=web)"
done
total=0
for s in s1 s2 s3; do
	n=$(backend_conns "$s")
	info "$s accepted $n connections"
	total=$((total + n))
done
check_eq "backend connections in all" "$C" "$total"
check_drained
mod_unload
pass
