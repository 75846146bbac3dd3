#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Server failures. Asserts:
#  - one of three servers refuses connections (its address has no listener):
#    60 requests on new connections all answered 200 by the other two, 0 errors;
#    the refusing server answered none, and its connect_fail counter (and the
#    service's connect_fail and retries) are > 0;
#  - a server that closes without a byte of response: 502, a body, Connection:
#    close, EOF, r502 = 1;
#  - a server that never answers the SYN (an address nobody owns, connect-timeout
#    500ms, retries 0): 504 after >= 0.4 s, r504 = 1;
#  - every server down: 503 with a body, Connection: close and EOF, r503 = 1,
#    after a bounded number of attempts (retries <= 3 more);
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"

N=60

require_root
require_splicer
topo_up 3
# s2's address (198.18.1.3) exists but nothing listens on it: connections refused
backends_start s1=198.18.1.2:8080 s3=198.18.1.4:8080
BACKENDS=$BG_PID
mod_load
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl server add app s2 198.18.1.3:8080
ctl server add app s3 198.18.1.4:8080
ctl service add web listen "$LB_IP:80" pool app

step "$N requests while s2 refuses connections"
out=$(httpc seq "$LB_IP" 80 "$N")
info "$out"
check_eq "requests answered 200 with a matching body" "$N" "$(jget "$out" .ok)"
check_eq "answered by s2" 0 "$(jget "$out" '.servers.s2 // 0')"
check_eq "s1 + s3" "$N" "$(jget "$out" '(.servers.s1 // 0) + (.servers.s3 // 0)')"
check_range "s2 connect_fail" 1 "$N" "$(proc_get servers connect_fail pool=app name=s2)"
check_eq "s2 requests" 0 "$(proc_get servers requests pool=app name=s2)"
check_range "service connect_fail" 1 "$N" "$(proc_get services connect_fail name=web)"
check_range "service retries" 1 "$N" "$(proc_get services retries name=web)"
check_eq "service r503" 0 "$(proc_get services r503 name=web)"

# check_generated JSON STATUS: a response splicer made up itself
check_generated() {
	check_eq "status" "$2" "$(jget "$1" .status)"
	check_match "a body explains it" '.' "$(jget "$1" .body)"
	check_match "Connection: close" '^close$' "$(jget "$1" '.headers.connection // ""')"
	check_eq "client sees EOF" true "$(jget "$1" .eof)"
}

step "a server that closes without answering -> 502"
out=$(httpc raw "$LB_IP" 80 --data 'GET /close HTTP/1.1\r\nHost: lb\r\n\r\n')
info "$out"
check_generated "$out" 502
check_eq "service r502" 1 "$(proc_get services r502 name=web)"

step "a server that never answers the SYN -> 504 (connect-timeout 500ms, retries 0)"
ctl pool add dead
ctl server add dead nobody 198.18.1.9:8080
ctl service add slow listen "$LB_IP:81" pool dead connect-timeout 500ms retries 0
out=$(httpc raw "$LB_IP" 81 --data 'GET / HTTP/1.1\r\nHost: lb\r\n\r\n')
info "$out"
check_generated "$out" 504
first=$(jget "$out" '.first_byte * 1000 | floor')
check_range "504 sent after the connect timeout (ms)" 400 5000 "$first"
check_eq "service slow r504" 1 "$(proc_get services r504 name=slow)"

step "every server down -> 503"
kill "$BACKENDS"
wait_until "backends to exit" 50 0.1 pid_gone "$BACKENDS"
fails0=$(proc_get services connect_fail name=web)
retries0=$(proc_get services retries name=web)
out=$(httpc raw "$LB_IP" 80 --data 'GET / HTTP/1.1\r\nHost: lb\r\n\r\n')
info "$out"
check_generated "$out" 503
check_eq "service r503" 1 "$(proc_get services r503 name=web)"
check_range "connect attempts for that request" 1 4 \
	$(($(proc_get services connect_fail name=web) - fails0))
check_range "retries for that request" 0 3 $(($(proc_get services retries name=web) - retries0))
check_eq "backends saw no request after the kill" "$N" \
	$(($(backend_requests s1) + $(backend_requests s3) - 1))

check_drained
mod_unload
pass
