#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Connection lifetimes: keep-alive, pipelining and half-close through splicer.
# Asserts:
#  - 10 requests on one client connection (curl reuses it): every one answered
#    200, curl opened exactly 1 connection, the first request reached the backend
#    with "X-Forwarded-For: 198.18.0.2", all 10 reached the same backend over one
#    backend connection, and the service counted 1 connection;
#  - two requests pipelined in one segment: both answered in order, then EOF
#    (the second asked for Connection: close);
#  - a client that half-closes (SHUT_WR) right after its request still gets the
#    whole response, then EOF;
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"

N=10
URL=http://$LB_IP:80

require_root
require_splicer
require_cmd curl
topo_up 2
backends_start s1=198.18.1.2:8080 s2=198.18.1.3:8080
mod_load
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl server add app s2 198.18.1.3:8080
ctl service add web listen "$LB_IP:80" pool app

step "$N requests on one connection (curl with $N URLs)"
urls=("$URL/headers")
for ((i = 1; i < N; i++)); do urls+=("$URL/"); done
out=$(cli_curl -w '\n#%{http_code} %{num_connects}\n' "${urls[@]}") || fail "curl failed: $out"
printf '%s\n' "$out" | sed 's/^/    /'
check_eq "responses with status 200" "$N" "$(printf '%s\n' "$out" | grep -c '^#200 ')"
check_eq "connections curl opened" 1 \
	"$(printf '%s\n' "$out" | awk '/^#/ { n += $2 } END { print n + 0 }')"
check_match "first request carried X-Forwarded-For: $CLI_IP" "^X-Forwarded-For: $CLI_IP\$" \
	"$(printf '%s\n' "$out" | tr -d '\r' | grep -i '^x-forwarded-for')"
names=$(printf '%s\n' "$out" | sed -n 's/^server=//p' | sort | uniq -c | awk '{ print $2 ":" $1 }')
check_match "the other $((N - 1)) answered by one server" "^s[12]:$((N - 1))\$" "$names"
srv=${names%%:*}
check_eq "$srv: requests in its log" "$N" "$(backend_requests "$srv")"
check_eq "$srv: connections in its log" 1 "$(backend_conns "$srv")"
other=s1
[ "$srv" = s1 ] && other=s2
check_eq "$other: connections in its log" 0 "$(backend_conns "$other")"
check_eq "service conns" 1 "$(proc_get services conns name=web)"

step "two pipelined requests in one write"
out=$(httpc raw "$LB_IP" 80 --data 'GET / HTTP/1.1\r\nHost: lb\r\n\r\nGET /headers HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n')
info "$out"
check_eq "first status" 200 "$(jget "$out" .status)"
body=$(jget "$out" .body)
check_match "first body, then the second response" '^server=s[12]' "$body"
check_match "second response is the /headers echo" 'GET /headers HTTP/1.1' "$body"
check_eq "second response status" 1 "$(printf '%s\n' "$body" | grep -c '^HTTP/1.1 200')"
check_eq "EOF after the second response" true "$(jget "$out" .eof)"

step "half-close: request, then shutdown(SHUT_WR)"
out=$(httpc raw "$LB_IP" 80 --shut-wr --data 'GET /blob?size=100000&seed=3 HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n')
info "$(printf '%s' "$out" | jq -c 'del(.body)')"
check_eq "status" 200 "$(jget "$out" .status)"
check_eq "whole body arrived" 100000 "$(jget "$out" '.body | length')"
check_eq "EOF" true "$(jget "$out" .eof)"

check_drained
mod_unload
pass
