#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad request heads are answered by splicer itself and never reach a server.
# Asserts, for each case: the exact status, a body, Connection: close, and the
# client sees EOF:
#  - malformed request line, header line without a colon, Content-Length with
#    Transfer-Encoding, two different Content-Lengths -> 400 each;
#  - a head larger than 16 KiB (the default head-max) -> 431;
#  - a head sent one byte per second (slowloris) -> 408 once the 2 s
#    header-timeout is over: not before 1.8 s, and although bytes keep coming;
#  - the service's r400/r431/r408 counters match; the backend accepted no
#    connection and logged no request for any of these; afterwards a good
#    request is still served (200) and is the backend's only one;
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"

require_root
require_splicer
topo_up 1
backends_start s1=198.18.1.2:8080
mod_load
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add web listen "$LB_IP:80" pool app header-timeout 2s

# expect_generated DESC STATUS HTTPC-RAW-ARGS...
expect_generated() {
	local desc=$1 status=$2 out
	shift 2
	step "$desc -> $status"
	out=$(httpc raw "$LB_IP" 80 "$@")
	info "$(printf '%s' "$out" | jq -c .)"
	check_eq "status" "$status" "$(jget "$out" .status)"
	check_match "a body explains it" '.' "$(jget "$out" .body)"
	check_match "Connection: close" '^close$' "$(jget "$out" '.headers.connection // ""')"
	check_eq "client sees EOF" true "$(jget "$out" .eof)"
	LAST=$out
}

expect_generated "malformed request line" 400 --data 'HELLO\r\n\r\n'
expect_generated "header line without a colon" 400 \
	--data 'GET / HTTP/1.1\r\nHost lb\r\n\r\n'
expect_generated "Content-Length and Transfer-Encoding together" 400 \
	--data 'POST /sha256 HTTP/1.1\r\nHost: lb\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
expect_generated "two different Content-Lengths" 400 \
	--data 'POST /sha256 HTTP/1.1\r\nHost: lb\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!'
check_eq "service r400" 4 "$(proc_get services r400 name=web)"

{
	printf 'GET / HTTP/1.1\r\nHost: lb\r\nX-Pad: '
	head -c 17000 /dev/zero | tr '\0' a
	printf '\r\n\r\n'
} > "$T/big-head"
expect_generated "a $(stat -c %s "$T/big-head")-byte head (head-max 16384)" 431 --file "$T/big-head"
check_eq "service r431" 1 "$(proc_get services r431 name=web)"

expect_generated "a head at one byte per second (header-timeout 2s)" 408 \
	--data 'GET / HTTP/1.1\r\nHost: lb\r\nUser-Agent: slowloris\r\n\r\n' --byte-delay 1 --timeout 15
check_range "408 not before the header timeout (ms)" 1800 6000 \
	"$(jget "$LAST" '.first_byte * 1000 | floor')"
check_range "bytes the client had sent by then" 2 10 "$(jget "$LAST" .sent)"
check_eq "service r408" 1 "$(proc_get services r408 name=web)"

step "the backend received nothing"
check_eq "backend connections" 0 "$(backend_conns s1)"
check_eq "backend requests" 0 "$(backend_requests s1)"
check_eq "service requests forwarded" 0 "$(proc_get services requests name=web)"

step "a good request afterwards"
out=$(cli_curl "http://$LB_IP/") || fail "curl: $out"
check_eq "body" "server=s1" "$out"
check_eq "backend connections" 1 "$(backend_conns s1)"
check_eq "backend requests" 1 "$(backend_requests s1)"

check_drained
mod_unload
pass
