#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The decision log. `splicerctl -j log` follows it in the lb namespace from
# before the first request; each path the module decides on is driven once
# and its records are checked field by field (each request's client port
# identifies its records). Asserts:
#  - plain success: a request record with status 200, not generated, the
#    server that answered (its X-Server), decision "roundrobin -> sN",
#    retries 0, end "answered", method/target/host as sent, client address
#    and port, request_no 1, the four timings (t_response <= t_total), a
#    time within a minute of now; then a conn record with bytes_in = what
#    curl sent + the X-Forwarded-For and X-Forwarded-Proto lines splicer
#    added, bytes_out = what curl received;
#  - a refused server then a retry: decision "roundrobin -> dead (refused);
#    roundrobin -> s1", retries 1, status 200 from s1;
#  - every server refused: 503 generated, decision "roundrobin -> dead
#    (refused); no server available"; an empty pool: 503 generated, decision
#    "no server available", no server, method and target kept;
#  - a connect attempt that times out: 504 generated, decision "roundrobin
#    -> ghost (timed out)", t_head short (the head came at once) and t_total
#    at least the connect timeout;
#  - leastconn: decision "leastconn -> s2"; plain `splicerctl log service lc
#    count 2` prints only that service's two records, in words, and exits;
#  - malformed requests: 400 generated with REASON "bare LF or NUL in the
#    head" and "HTTP/1.1 request without Host" (the conn record says the same);
#    a head that does not complete in header-timeout: 408 generated, REASON
#    "request head timeout";
#  - a server that closes without answering: 502 generated, REASON "server
#    closed without a response", the server and decision that led there;
#  - keep-alive: two requests on one connection give request records with
#    request_no 1 and 2 on one conn_id, then one conn record with requests
#    2 whose bytes equal the service's byte counters and what curl counted;
#  - joining the log needs CAP_NET_ADMIN (nobody gets EPERM);
#  - readers that stop reading do not slow or stop traffic: with a python
#    socket that joins the group and never reads, and a `splicerctl -j log`
#    whose output nobody reads, 500 requests all succeed, at most 3x (+50 ms)
#    the time per request of 100 without them; the python reader was told
#    it lost records (ENOBUFS); log_drops rises above 0 in `splicerctl -j
#    stats` and in /sys/kernel/splicer/log_drops (the same value: one
#    namespace): splicerctl sets NETLINK_BROADCAST_ERROR, so its losses
#    count (a reader without it loses records uncounted, as documented);
#    the reader that does read got every record or said it lost some;
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"

LOGF=$T/log.jsonl
XFF_ADDED=$((${#CLI_IP} + 19 + 25))	# "X-Forwarded-For: IP\r\n" "X-Forwarded-Proto: http\r\n"
NBASE=100
NSLOW=500	# 1000 records: more than a stalled splicerctl holds (rmem_max, pipe)

require_root
require_splicer
require_cmd curl socat
topo_up 3
# 198.18.1.4 belongs to srv but nothing listens there (refused);
# 198.18.1.9 belongs to nobody (the SYN is never answered)
backends_start s1=198.18.1.2:8080 s2=198.18.1.3:8080
mod_load

step "configure"
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl server add app s2 198.18.1.3:8080
ctl service add web listen "$LB_IP:80" pool app
ctl pool add flaky
ctl server add flaky dead 198.18.1.4:8080	# first in the list: picked first
ctl server add flaky s1 198.18.1.2:8080
ctl service add retry listen "$LB_IP:81" pool flaky retries 1
ctl pool add empty
ctl service add none listen "$LB_IP:82" pool empty
ctl pool add lc balance leastconn
ctl server add lc s2 198.18.1.3:8080
ctl service add lc listen "$LB_IP:83" pool lc
ctl pool add nobody
ctl server add nobody ghost 198.18.1.9:8080
ctl service add slow listen "$LB_IP:84" pool nobody connect-timeout 500ms retries 0
ctl service add strict listen "$LB_IP:85" pool app header-timeout 1s
ctl service add ka listen "$LB_IP:86" pool app
ctl pool add deadonly
ctl server add deadonly dead 198.18.1.4:8080
ctl service add refused listen "$LB_IP:87" pool deadonly retries 2

# ---------------------------------------------------------------- helpers
# recs COND: the records (one compact JSON object a line) where jq COND holds
recs() { jq -c "select($1)" "$LOGF" 2>/dev/null; }
nrecs() { recs "$1" | grep -c . ; }
has_recs() { [ "$(nrecs "$2")" -ge "$1" ]; }

# wait_recs DESC N COND: until at least N records match (bounded)
wait_recs() {
	wait_until "$1" 300 0.1 has_recs "$2" "$3" ||
		fail "$1: expected $2 records where $3, got $(nrecs "$3"); log: $(tail -5 "$LOGF")"
}

# rec PORT KIND: the one record of that kind for the client port
rec() {
	local r n
	r=$(recs ".client_port == $1 and .kind == \"$2\"")
	n=$(printf '%s' "$r" | grep -c .)
	[ "$n" = 1 ] || { printf 'ERROR: %s %s records for port %s\n' "$n" "$2" "$1"; return; }
	printf '%s\n' "$r"
}

# want REC FIELD EXPECTED: one field of a record (jq -r; absent prints "null")
want() { check_eq "$2" "$3" "$(jget "$1" ".$2")"; }

# curl_one PORT LPORT PATH [HOST]: one request from local port LPORT; prints
# "status size_request size_header size_download", the body in $T/body
curl_one() {
	cli_curl --local-port "$2" -H "Host: ${4:-lb.example}" -o "$T/body" \
		-w '%{http_code} %{size_request} %{size_header} %{size_download}' \
		"http://$LB_IP:$1$3"
}

# raw_one PORT LPORT DATA [HOLD]: DATA (printf format) from local port LPORT
# with socat, keeping the connection open HOLD seconds (default 0) before
# half-closing; prints the response
raw_one() {
	# shellcheck disable=SC2059 # DATA is a printf format on purpose
	{ printf "$3"; sleep "${4:-0}"; } |
		in_cli timeout 20 socat -t 10 - "TCP:$LB_IP:$1,sourceport=$2,reuseaddr"
}

# check_timings REC: the four timings are there and consistent
check_timings() {
	local t
	for t in t_head t_connect t_response t_total; do
		check_match "$t present (us)" '^[0-9]+$' "$(jget "$1" ".$t")"
	done
	check_eq "t_response <= t_total" true "$(jget "$1" '.t_response <= .t_total')"
}

# check_generated REC STATUS: a response splicer wrote itself
check_generated() {
	want "$1" status "$2"
	want "$1" generated true
	want "$1" end "answered by splicer"
}

# ---------------------------------------------------------------- the reader
step "splicerctl -j log in the lb namespace, before any traffic"
bg ip netns exec "$NS_LB" "$CTL" -j log >"$LOGF" 2>"$T/log.err"
LOG_PID=$BG_PID
# and a plain one for service lc only, that stops after two records
bg ip netns exec "$NS_LB" "$CTL" log service lc count 2 >"$T/plain.txt" 2>&1
PLAIN_PID=$BG_PID
# It has joined when a request's record shows up (there is no history).
synced=0
for ((i = 0; i < 20 && !synced; i++)); do
	curl_one 80 $((39000 + i)) / >/dev/null
	wait_until "the reader to see a record" 30 0.1 has_recs 1 '.service == "web"' && synced=1
done
[ $synced = 1 ] || fail "splicerctl log printed nothing: $(cat "$T/log.err")"
ok "the reader is receiving ($(nrecs true) records so far)"

# ---------------------------------------------------------------- plain
step "plain success: GET /?q=plain Host lb.example on web"
P=40001
read -r code sreq shdr sdl <<<"$(curl_one 80 $P '/?q=plain')"
check_eq "curl status" 200 "$code"
srv=$(sed -n 's/^server=//p' "$T/body")
wait_recs "request and conn records" 2 ".client_port == $P"
r=$(rec $P request)
info "$r"
want "$r" kind request
want "$r" service web
want "$r" status 200
want "$r" generated false
want "$r" pool app
want "$r" server "$srv"
want "$r" decision "roundrobin -> $srv"
want "$r" retries 0
want "$r" request_no 1
want "$r" end answered
want "$r" method GET
want "$r" target '/?q=plain'
want "$r" host lb.example
want "$r" client_family inet
want "$r" client_addr "$CLI_IP"
want "$r" client_port "$P"
want "$r" reason null
check_timings "$r"
check_range "time: seconds from now" -60 60 \
	$(($(jget "$r" '.time / 1000000000 | floor') - $(date +%s)))
c=$(rec $P conn)
info "$c"
want "$c" kind conn
want "$c" conn_id "$(jget "$r" .conn_id)"
want "$c" request_no 1
want "$c" server "$srv"
want "$c" generated false
check_match "end in words" '[a-z]' "$(jget "$c" .end)"
want "$c" bytes_in $((sreq + XFF_ADDED))
want "$c" bytes_out $((shdr + sdl))

# ---------------------------------------------------------------- retry
step "a refused server, then a retry (pool flaky: dead, s1; retries 1)"
P=40002
read -r code _ <<<"$(curl_one 81 $P /)"
check_eq "curl status" 200 "$code"
wait_recs "request record" 1 ".client_port == $P and .kind == \"request\""
r=$(rec $P request)
info "$r"
want "$r" decision "roundrobin -> dead (refused); roundrobin -> s1"
want "$r" retries 1
want "$r" server s1
want "$r" status 200
want "$r" generated false
want "$r" end answered
check_eq "service retry: retries counter" 1 "$(proc_get services retries name=retry)"

# ---------------------------------------------------------------- 503
step "every server refused (pool deadonly, retries 2) -> 503"
P=40003
read -r code _ <<<"$(curl_one 87 $P /)"
check_eq "curl status" 503 "$code"
wait_recs "request record" 1 ".client_port == $P and .kind == \"request\""
r=$(rec $P request)
info "$r"
check_generated "$r" 503
want "$r" decision "roundrobin -> dead (refused); no server available"
want "$r" server null
want "$r" retries 0

step "an empty pool -> 503"
P=40004
read -r code _ <<<"$(curl_one 82 $P /nothing)"
check_eq "curl status" 503 "$code"
wait_recs "request and conn records" 2 ".client_port == $P"
r=$(rec $P request)
info "$r"
check_generated "$r" 503
want "$r" decision "no server available"
want "$r" server null
want "$r" pool empty
want "$r" method GET
want "$r" target /nothing
c=$(rec $P conn)
info "$c"
want "$c" status 503
want "$c" generated true
want "$c" end "closed after splicer's response"

# ---------------------------------------------------------------- 504
step "a connect attempt that times out (ghost, connect-timeout 500ms) -> 504"
P=40005
read -r code _ <<<"$(curl_one 84 $P /)"
check_eq "curl status" 504 "$code"
wait_recs "request record" 1 ".client_port == $P and .kind == \"request\""
r=$(rec $P request)
info "$r"
check_generated "$r" 504
want "$r" decision "roundrobin -> ghost (timed out)"
want "$r" server null
# the head came at once; the 500 ms went into the connect attempt
check_range "t_head (us): accept to head, not to the answer" 0 499999 "$(jget "$r" .t_head)"
check_range "t_total (us): head to the end, the connect timeout included" 450000 60000000 \
	"$(jget "$r" .t_total)"

# ---------------------------------------------------------------- leastconn
step "leastconn; the plain reader started with the JSON one (service lc, count 2)"
P=40006
read -r code _ <<<"$(curl_one 80 40106 /)"	# another service: filtered out
read -r code _ <<<"$(curl_one 83 $P /)"
check_eq "curl status" 200 "$code"
wait_recs "request record" 1 ".client_port == $P and .kind == \"request\""
r=$(rec $P request)
info "$r"
want "$r" decision "leastconn -> s2"
want "$r" server s2
wait_until "splicerctl log count 2 to exit" 100 0.1 pid_gone "$PLAIN_PID" ||
	fail "splicerctl log count 2 still running: $(cat "$T/plain.txt")"
sed 's/^/    /' "$T/plain.txt"
check_eq "plain lines" 2 "$(grep -c . "$T/plain.txt")"
check_eq "every line is of service lc" 2 "$(grep -c ' service lc ' "$T/plain.txt")"
check_match "request line in words" \
	"request service lc conn [0-9]+ client $CLI_IP:$P request_no 1 method GET target / host lb.example server lc s2 decision \"leastconn -> s2\" status 200 end answered t_head" \
	"$(sed -n 1p "$T/plain.txt")"
check_match "conn line in words" "conn service lc conn [0-9]+ client $CLI_IP:$P requests 1 .*bytes_in [0-9]+ bytes_out [0-9]+\$" \
	"$(sed -n 2p "$T/plain.txt")"

# ---------------------------------------------------------------- 400
step "malformed requests -> 400 with a reason"
P=40007
resp=$(raw_one 80 $P 'GET / HTTP/1.1\nHost: x\n\n')
check_match "client got 400" '^HTTP/1.1 400 ' "$resp"
wait_recs "request and conn records" 2 ".client_port == $P"
r=$(rec $P request)
info "$r"
check_generated "$r" 400
want "$r" reason "bare LF or NUL in the head"
want "$r" server null
c=$(rec $P conn)
want "$c" status 400
want "$c" reason "bare LF or NUL in the head"
P=40008
resp=$(raw_one 80 $P 'GET / HTTP/1.1\r\n\r\n')
check_match "client got 400" '^HTTP/1.1 400 ' "$resp"
wait_recs "request record" 1 ".client_port == $P and .kind == \"request\""
r=$(rec $P request)
info "$r"
check_generated "$r" 400
want "$r" reason "HTTP/1.1 request without Host"

# ---------------------------------------------------------------- 408
step "a head that never completes (header-timeout 1s) -> 408"
P=40009
resp=$(raw_one 85 $P 'GET / HTTP/1.1\r\nHost: x\r\n' 4)
check_match "client got 408" '^HTTP/1.1 408 ' "$resp"
wait_recs "request record" 1 ".client_port == $P and .kind == \"request\""
r=$(rec $P request)
info "$r"
check_generated "$r" 408
want "$r" reason "request head timeout"
want "$r" service strict

# ---------------------------------------------------------------- 502
step "a server that closes without answering -> 502"
P=40010
read -r code _ <<<"$(curl_one 80 $P /close)"
check_eq "curl status" 502 "$code"
wait_recs "request record" 1 ".client_port == $P and .kind == \"request\""
r=$(rec $P request)
info "$r"
check_generated "$r" 502
want "$r" reason "server closed without a response"
srv=$(jget "$r" .server)
check_match "the server that closed" '^s[12]$' "$srv"
want "$r" decision "roundrobin -> $srv"
want "$r" method GET
want "$r" target /close

# ---------------------------------------------------------------- keep-alive
step "keep-alive: two requests on one connection (service ka)"
P=40011
out=$(cli_curl --local-port $P -H 'Host: ka.example' -o /dev/null -o /dev/null \
	-w '%{http_code} %{num_connects} %{size_request} %{size_header} %{size_download}\n' \
	"http://$LB_IP:86/" "http://$LB_IP:86/?two")
printf '%s\n' "$out" | sed 's/^/    /'
check_eq "both answered 200" "200 200" "$(printf '%s\n' "$out" | awk '{ print $1 }' | xargs)"
check_eq "one connection" 1 "$(printf '%s\n' "$out" | awk '{ n += $2 } END { print n }')"
sent=$(printf '%s\n' "$out" | awk '{ n += $3 } END { print n }')
got=$(printf '%s\n' "$out" | awk '{ n += $4 + $5 } END { print n }')
wait_recs "two request records and a conn record" 3 ".client_port == $P"
recs ".client_port == $P" | sed 's/^/    /'
check_eq "request_no of the request records" "1 2" \
	"$(recs ".client_port == $P and .kind == \"request\"" | jq -r .request_no | xargs)"
check_eq "targets in order" "/ /?two" \
	"$(recs ".client_port == $P and .kind == \"request\"" | jq -r .target | xargs)"
check_eq "one conn_id" 1 "$(recs ".client_port == $P" | jq -r .conn_id | sort -u | grep -c .)"
c=$(rec $P conn)
want "$c" request_no 2
check_drained
want "$c" bytes_in "$(proc_get services bytes_in name=ka)"
want "$c" bytes_out "$(proc_get services bytes_out name=ka)"
want "$c" bytes_in $((sent + 2 * XFF_ADDED))
want "$c" bytes_out "$got"

# ---------------------------------------------------------------- permission
step "joining the log needs CAP_NET_ADMIN"
if command -v setpriv >/dev/null; then
	out=$(in_lb timeout 10 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$CTL" log count 1 2>&1)
	rc=$?
	info "exit $rc: $out"
	check_eq "exit status" 1 "$rc"
	check_match "refused" 'Operation not permitted|not permitted' "$out"
else
	info "setpriv missing: not checked"
fi

# ---------------------------------------------------------------- slow reader
step "baseline: $NBASE requests, no stalled reader"
drops0=$(jget "$(ctlq -j stats)" .stats.log_drops)
info "log_drops before: $drops0"
base=$(httpc seq "$LB_IP" 80 "$NBASE")
info "$base"
check_eq "answered" "$NBASE" "$(jget "$base" .ok)"

step "readers that never read: a python socket, a splicerctl whose output nobody reads; $NSLOW requests"
# splicerctl writes into a FIFO this shell holds open and never reads: once
# the pipe is full it blocks and stops reading its socket
mkfifo "$T/stall" || fail "mkfifo"
exec 7<>"$T/stall"
bg ip netns exec "$NS_LB" "$CTL" -j log >"$T/stall" 2>"$T/stall.err"
STALL_PID=$BG_PID
# the python reader starts far more slowly than splicerctl joins
bg ip netns exec "$NS_LB" $PY "$LIB/lognl.py" --ready "$T/lognl.ready" \
	>"$T/lognl.out" 2>"$T/lognl.err"
LOGNL_PID=$BG_PID
wait_until "the python reader to join" 600 0.05 test -e "$T/lognl.ready" ||
	fail "lognl.py did not join: $(cat "$T/lognl.err")"
info "joined group $(cat "$T/lognl.ready")"
n0=$(nrecs '.kind == "request"')
req0=$(proc_get services requests name=web)
slow=$(httpc seq "$LB_IP" 80 "$NSLOW")
info "$slow"
check_eq "answered with the stalled readers attached" "$NSLOW" "$(jget "$slow" .ok)"
check_eq "service web: requests counted" "$NSLOW" $(($(proc_get services requests name=web) - req0))
per_base=$(jget "$base" ".elapsed * 1000 / $NBASE | floor")
per_slow=$(jget "$slow" ".elapsed * 1000 / $NSLOW | floor")
check_range "ms per request with them ($per_base without)" 0 $((3 * per_base + 50)) "$per_slow"
kill "$LOGNL_PID"
wait_until "lognl.py to report" 100 0.1 pid_gone "$LOGNL_PID"
info "python reader: $(cat "$T/lognl.out") of $((2 * NSLOW)) records sent"
check_eq "the python reader was told it lost records (ENOBUFS)" true \
	"$(jget "$(cat "$T/lognl.out")" .overflowed)"
check_eq "the stalled splicerctl is still there (blocked, not failed)" yes \
	"$(pid_gone "$STALL_PID" || echo yes)"
kill "$STALL_PID"
exec 7<&-
drops=$(jget "$(ctlq -j stats)" .stats.log_drops)
check_range "splicerctl -j stats: log_drops rose" 1 $((2 * NSLOW)) $((drops - drops0))
check_eq "/sys/kernel/splicer/log_drops (one namespace: the same)" "$drops" \
	"$(cat /sys/kernel/splicer/log_drops)"
wait_until "the reading reader to catch up" 100 0.1 \
	has_recs $((n0 + NSLOW)) '.kind == "request"'
got=$(($(nrecs '.kind == "request"') - n0))
if grep -q 'records were lost' "$T/log.err"; then
	info "splicerctl log fell behind too and said so: $got of $NSLOW records"
else
	check_eq "splicerctl log (reading) got every request record" "$NSLOW" "$got"
fi

check_drained
kill "$LOG_PID"
mod_unload
pass
