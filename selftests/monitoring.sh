#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What an operator watches: procfs, sysfs, Prometheus, tracepoints, max_conns.
# Asserts:
#  - /proc/net/splicer tables match what the client did: 20 requests on new
#    connections, each server's requests = what its backend logged = what
#    curl got from it; the service's conns and requests are 20; its bytes_in
#    is exactly what curl sent plus the X-Forwarded-For and X-Forwarded-Proto
#    lines splicer adds to each head, its bytes_out exactly what curl
#    received; the servers' bytes add up to the service's; a refused server
#    shows connect_fail 1 and the service retries 1; a malformed request r400;
#  - /sys/kernel/splicer counters are module-wide: each equals the sum of
#    the two namespaces' `splicerctl -j stats` totals (a second namespace has
#    a service of its own), objects counts every service (and its stick table), pool and server;
#  - /proc/net/splicer/conns shows a live slow download (state relay, its
#    server, client address and port, bytes moving, age growing) and a client
#    that has not finished its head (state head, server "-", no bytes);
#  - max_conns: set to 1 while that download is open, a second connection is
#    reset, conns_refused rises by 1 and the service does not count it; the
#    download goes on; restored, new connections are served;
#  - `splicerctl stats prometheus` (and its spelling `stats --prometheus`,
#    the same bytes) parses as the text exposition format (HELP and TYPE once
#    and first, families contiguous, counters in _total) and holds exactly the
#    values of `splicerctl -j stats`; with -n every sample has netns="...";
#  - tracepoints: splicer:splicer_conn_state, splicer_decision and
#    splicer_response exist; enabled in a tracefs instance they show a
#    request's conn going head -> connect -> relay -> done with its decision,
#    and a 503 with its state change to linger;
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"

N=20
XFF_ADDED=$((${#CLI_IP} + 19 + 25))	# "X-Forwarded-For: IP\r\n" "X-Forwarded-Proto: http\r\n"
NS2=mon2-$$
PARAM=/sys/module/splicer/parameters/max_conns
SYSFS=/sys/kernel/splicer

require_root
require_splicer
require_cmd curl socat
topo_up 3
# 198.18.1.4 belongs to srv but nothing listens there: refused
backends_start s1=198.18.1.2:8080 s2=198.18.1.3:8080
mod_load

step "configure"
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl server add app s2 198.18.1.3:8080
# header-timeout 60s: the unfinished head below stays in state head
ctl service add web listen "$LB_IP:80" pool app header-timeout 60s
ctl pool add flaky
ctl server add flaky dead 198.18.1.4:8080
ctl server add flaky s1 198.18.1.2:8080
ctl service add retry listen "$LB_IP:81" pool flaky retries 1
add_ns "$NS2"
ctl_ns "$NS2" pool add p
ctl_ns "$NS2" service add w listen 127.0.0.1:80 pool p

# snap TABLE: read /proc/net/splicer/TABLE (lb namespace) once into a file;
# sget TABLE COLUMN KEY=VALUE...: a cell of that snapshot, as proc_get does
# (one read, so the cells of a row agree and the test runs fewer processes)
snap() { in_lb cat "/proc/net/splicer/$1" >"$T/$1.snap"; }
sget() {
	local table=$1 col=$2
	shift 2
	awk -v col="$col" -v keys="$*" '
		NR == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; nk = split(keys, kv, " "); next }
		{
			for (k = 1; k <= nk; k++) {
				split(kv[k], p, "=")
				if (!(p[1] in idx) || $(idx[p[1]]) != p[2]) next
			}
			if (col in idx) print $(idx[col])
			exit
		}' "$T/$table.snap"
}

# ---------------------------------------------------------------- procfs
step "$N requests, a new connection each, with bash's /dev/tcp"
# One bash for all (a process per request is slow under TCG); it knows
# exactly what it sent and received: it reads the head line by line and the
# body by its Content-Length, then closes. No Connection field: what splicer
# adds to each head is X-Forwarded-For and X-Forwarded-Proto, nothing else.
# Per request: "#STATUS SENT RECEIVED SERVER".
out=$(in_cli env LC_ALL=C timeout 60 bash -c 'printf -v nl "\n"; printf -v cr "\r"
	for ((i = 0; i < $1; i++)); do
	printf -v req "GET /?n=%d HTTP/1.1\r\nHost: lb.example\r\n\r\n" $i
	exec 3<>"/dev/tcp/$0/80" || exit 1
	printf "%s" "$req" >&3
	resp= clen=0 body=
	while IFS= read -r -u 3 line; do
		resp+=$line$nl
		[[ ${line,,} =~ ^content-length:\ *([0-9]+) ]] && clen=${BASH_REMATCH[1]}
		[ "$line" = "$cr" ] && break
	done
	[ "$clen" -gt 0 ] && IFS= read -r -N "$clen" -u 3 body
	resp+=$body
	exec 3<&-
	[[ $resp =~ ^HTTP/1.1\ ([0-9]+) ]] && st=${BASH_REMATCH[1]} || st=none
	[[ $body =~ ^server=([a-z0-9]+) ]] && srv=${BASH_REMATCH[1]} || srv=none
	printf "#%s %d %d %s\n" $st ${#req} ${#resp} $srv
	done' "$LB_IP" "$N") || fail "the requests failed: $out"
check_eq "answered 200" "$N" "$(printf '%s\n' "$out" | grep -c '^#200 ')"
sent=$(printf '%s\n' "$out" | awk '{ n += $2 } END { print n + 0 }')
got=$(printf '%s\n' "$out" | awk '{ n += $3 } END { print n + 0 }')
info "sent $sent bytes, received $got"
check_drained

step "/proc/net/splicer/services and servers against the client and the backends"
snap services
snap servers
sed 's/^/    /' "$T/services.snap" "$T/servers.snap"
total=0
for s in s1 s2; do
	answered=$(printf '%s\n' "$out" | grep -c " $s\$")
	total=$((total + answered))
	check_eq "$s: backend log = responses curl got from it" "$answered" "$(backend_requests "$s")"
	check_eq "$s: /proc servers requests" "$answered" "$(sget servers requests pool=app name="$s")"
	check_eq "$s: /proc servers conns (connect attempts)" "$answered" \
		"$(sget servers conns pool=app name="$s")"
	check_eq "$s: /proc servers active" 0 "$(sget servers active pool=app name="$s")"
done
check_eq "every response came from s1 or s2" "$N" "$total"
check_eq "service conns" "$N" "$(sget services conns name=web)"
check_eq "service requests" "$N" "$(sget services requests name=web)"
check_eq "service active" 0 "$(sget services active name=web)"
check_eq "service bytes_in = the requests + $XFF_ADDED per head" \
	$((sent + N * XFF_ADDED)) "$(sget services bytes_in name=web)"
check_eq "service bytes_out = what the client received" "$got" "$(sget services bytes_out name=web)"
for col in bytes_in bytes_out; do
	check_eq "servers' $col add up to the service's" "$(sget services $col name=web)" \
		$(($(sget servers $col pool=app name=s1) + $(sget servers $col pool=app name=s2)))
done

step "a refused server, a malformed request"
code=$(cli_curl -o /dev/null -w '%{http_code}' "http://$LB_IP:81/")
check_eq "answered by s1 after dead refused" 200 "$code"
resp=$(printf 'GET / HTTP/1.1\nHost: x\n\n' | in_cli timeout 20 socat -t 10 - "TCP:$LB_IP:80")
check_match "400 for a bare LF" '^HTTP/1.1 400 ' "$resp"
snap services
snap servers
check_eq "server dead: connect_fail" 1 "$(sget servers connect_fail pool=flaky name=dead)"
check_eq "server dead: conns (attempts)" 1 "$(sget servers conns pool=flaky name=dead)"
check_eq "server dead: requests" 0 "$(sget servers requests pool=flaky name=dead)"
check_eq "service retry: connect_fail" 1 "$(sget services connect_fail name=retry)"
check_eq "service retry: retries" 1 "$(sget services retries name=retry)"
check_eq "service web: r400" 1 "$(sget services r400 name=web)"

# ---------------------------------------------------------------- sysfs
step "/sys/kernel/splicer: module-wide, the sum of both namespaces"
codes=$(ip netns exec "$NS2" curl -sS --max-time 30 -o /dev/null -o /dev/null -o /dev/null \
	-w '%{http_code} ' http://127.0.0.1/ http://127.0.0.1/ http://127.0.0.1/)
check_eq "namespace 2: an empty pool answers 503" "503 503 503" "$(echo $codes)"
check_drained
wait_until "namespace 2 drained" 100 0.1 \
	test "$(ip netns exec "$NS2" tail -n +2 /proc/net/splicer/conns | grep -c .)" = 0
j1=$(ctlq -j stats)
j2=$(ip netns exec "$NS2" "$CTL" -j stats)
info "namespace 2 totals: $(jget "$j2" -c .stats)"
# every counter of the totals, summed over both namespaces, in one jq
sums=$(jq -rn --argjson a "$j1" --argjson b "$j2" \
	'$a.stats | keys_unsorted[] as $k | "\($k) \($a.stats[$k] + $b.stats[$k])"')
check_range "counters in the totals" 17 64 "$(printf '%s\n' "$sums" | grep -c .)"
while read -r f sum; do
	check_eq "$SYSFS/$f" "$sum" "$(<"$SYSFS/$f")"
done <<<"$sums"
check_eq "namespace 2 counted its own 503s" 3 "$(jget "$j2" .stats.resp_503)"
check_eq "$SYSFS/objects: 3 pools, 4 servers, 3 services and their 3 stick tables" 13 "$(cat "$SYSFS/objects")"
check_eq "$SYSFS/conns_refused" 0 "$(cat "$SYSFS/conns_refused")"

# ---------------------------------------------------------------- prometheus
step "splicerctl stats prometheus: parses, equals -j stats"
ctlq -j stats >"$T/stats.json" || fail "splicerctl -j stats failed"
ctlq stats prometheus >"$T/prom.txt" || fail "splicerctl stats prometheus failed"
head -12 "$T/prom.txt" | sed 's/^/    /'
info "... $(wc -l <"$T/prom.txt") lines"
res=$($PY "$LIB/promcheck.py" "$T/prom.txt" "$T/stats.json")
info "$res"
check_eq "parse and compare errors" 0 "$(jget "$res" .nerrors)"
check_range "samples compared with the JSON" 40 1000 "$(jget "$res" .compared)"
ctlq stats --prometheus >"$T/prom2.txt" || fail "splicerctl stats --prometheus failed"
check_eq "stats --prometheus: the same output" "" "$(cmp "$T/prom.txt" "$T/prom2.txt" 2>&1)"
"$CTL" -n "$NS_LB" stats prometheus >"$T/promn.txt" || fail "splicerctl -n $NS_LB stats prometheus failed"
sed -E "s/^(splicer_[a-z0-9_]+)\\{/\\1{netns=\"$NS_LB\",/; s/^(splicer_[a-z0-9_]+) /\\1{netns=\"$NS_LB\"} /" \
	"$T/prom.txt" >"$T/promn.want"
check_eq "-n $NS_LB: the same with netns=\"$NS_LB\" first on every sample" "" \
	"$(diff "$T/promn.want" "$T/promn.txt" 2>&1 | head -5)"
check_match "a server sample" \
	"^splicer_server_requests_total\\{pool=\"app\",server=\"s1\"\\} $(proc_get servers requests pool=app name=s1)\$" \
	"$(grep '^splicer_server_requests_total{pool="app",server="s1"}' "$T/prom.txt")"
check_match "generated responses by code" '^splicer_service_generated_responses_total\{service="web",code="400"\} 1$' \
	"$(grep 'service="web",code="400"' "$T/prom.txt")"
ctl_try -j stats prometheus
check_eq "-j with prometheus: a usage error" 2 "$CTL_RC"

# ---------------------------------------------------------------- conns
step "/proc/net/splicer/conns: a slow download and an unfinished head"
PD=41001
# a download of 1000 bytes/s for 200 s: open until the test ends it
bg ip netns exec "$NS_CLI" curl -sS --max-time 300 --local-port $PD -o /dev/null \
	"http://$LB_IP/drip?size=200000&chunk=100&interval=100"
DRIP=$BG_PID
# half a head on a connection held open until killed
bg ip netns exec "$NS_CLI" bash -c 'exec 3<>"/dev/tcp/$0/80" || exit 1
	printf "GET / HTTP/1.1\r\nHost: x\r\n" >&3
	exec sleep 120' "$LB_IP"
HEADC=$BG_PID
# both rows in one snapshot, the download having moved bytes
both_rows() {
	snap conns
	[ "$(sget conns bytes_out client="$CLI_IP:$PD")" -gt 0 ] 2>/dev/null &&
		[ -n "$(sget conns client state=head)" ]
}
wait_until "both connections to show in conns" 300 0.1 both_rows ||
	fail "no relay row for $CLI_IP:$PD or no head row: $(cat "$T/conns.snap")"
snap services
active=$(cat "$SYSFS/active")
sed 's/^/    /' "$T/conns.snap"
check_eq "download: service" web "$(sget conns service client="$CLI_IP:$PD")"
check_eq "download: state" relay "$(sget conns state client="$CLI_IP:$PD")"
check_match "download: its server" '^s[12]$' "$(sget conns server client="$CLI_IP:$PD")"
check_range "download: bytes_in (the forwarded head)" 50 1000 \
	"$(sget conns bytes_in client="$CLI_IP:$PD")"
b1=$(sget conns bytes_out client="$CLI_IP:$PD")
a1=$(sget conns age_ms client="$CLI_IP:$PD")
check_match "unfinished head: the client" "^$CLI_IP:[0-9]+\$" "$(sget conns client state=head)"
check_eq "unfinished head: service" web "$(sget conns service state=head)"
check_eq "unfinished head: server" - "$(sget conns server state=head)"
check_eq "unfinished head: bytes" "0 0" \
	"$(sget conns bytes_in state=head) $(sget conns bytes_out state=head)"
check_eq "service active: both" 2 "$(sget services active name=web)"
check_eq "$SYSFS/active: both" 2 "$active"
sleep 1
snap conns
sed 's/^/    /' "$T/conns.snap"
check_range "download: bytes_out grows" $((b1 + 1)) 200200 "$(sget conns bytes_out client="$CLI_IP:$PD")"
check_range "download: age_ms grows" $((a1 + 500)) $((a1 + 60000)) "$(sget conns age_ms client="$CLI_IP:$PD")"

# ---------------------------------------------------------------- max_conns
step "max_conns 1 while the download is open: the next connection is reset"
kill "$HEADC"
no_head() { snap conns; [ -z "$(sget conns client state=head)" ]; }
wait_until "the unfinished head to end" 100 0.1 no_head ||
	fail "the unfinished head is still there: $(cat "$T/conns.snap")"
check_eq "rows left: the download" "$CLI_IP:$PD" "$(tail -n +2 "$T/conns.snap" | awk '{ print $3 }' | xargs)"
orig=$(cat "$PARAM")
info "max_conns was $orig"
echo 1 >"$PARAM" || fail "cannot write $PARAM"
refused0=$(cat "$SYSFS/conns_refused")
conns0=$(proc_get services conns name=web)
out=$(in_cli curl -sS --max-time 20 -o /dev/null -w '%{http_code}' "http://$LB_IP/" 2>&1)
rc=$?
info "curl exit $rc: $out"
# reset right after the handshake: curl reports it as a failed connect, or
# as a failed send or receive when its request went out first
check_match "the second connection failed without an answer" \
	'reset by peer|Empty reply|Recv failure|Send failure|Failed to connect' "$out"
check_eq "conns_refused rose by one" $((refused0 + 1)) "$(cat "$SYSFS/conns_refused")"
check_eq "the service did not count it" "$conns0" "$(proc_get services conns name=web)"
echo "$orig" >"$PARAM"
check_eq "max_conns restored" "$orig" "$(cat "$PARAM")"
snap conns
b2=$(sget conns bytes_out client="$CLI_IP:$PD")
drip_grew() { snap conns; [ "$(sget conns bytes_out client="$CLI_IP:$PD")" -gt "$b2" ] 2>/dev/null; }
wait_until "the download to move on" 100 0.1 drip_grew ||
	fail "the download stopped at $b2 bytes: $(cat "$T/conns.snap")"
ok "the download goes on untouched ($(sget conns bytes_out client="$CLI_IP:$PD") bytes)"
kill "$DRIP"
check_drained
check_eq "a new connection after the restore" 200 \
	"$(cli_curl -o /dev/null -w '%{http_code}' "http://$LB_IP/")"

# ---------------------------------------------------------------- tracepoints
step "tracepoints"
TR=/sys/kernel/tracing
[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null ||
	mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
[ -d $TR/events ] || TR=/sys/kernel/debug/tracing
[ -d $TR/events ] || fail "no tracefs at /sys/kernel/tracing or /sys/kernel/debug/tracing"
for e in splicer_conn_state splicer_decision splicer_response; do
	check_eq "event splicer:$e exists" yes "$([ -d "$TR/events/splicer/$e" ] && echo yes)"
done
INST=$TR/instances/splicer-$$
mkdir "$INST" || fail "cannot create the trace instance $INST"
echo 1 >"$INST/events/splicer/enable" || fail "cannot enable the splicer events"
check_eq "a request through the traced instance" 200 \
	"$(cli_curl -o /dev/null -w '%{http_code}' "http://$LB_IP/")"
check_eq "a 503 in namespace 2" 503 \
	"$(ip netns exec "$NS2" curl -sS --max-time 30 -o /dev/null -w '%{http_code}' http://127.0.0.1/)"
check_drained
wait_until "namespace 2 drained" 100 0.1 \
	test "$(ip netns exec "$NS2" tail -n +2 /proc/net/splicer/conns | grep -c .)" = 0
echo 0 >"$INST/events/splicer/enable"
grep -v '^#' "$INST/trace" >"$T/trace.txt"
sed 's/^/    /' "$T/trace.txt"
dec=$(grep -oE 'splicer_decision: service=web conn=[0-9]+ roundrobin -> s[12]$' "$T/trace.txt")
check_match "a decision for web" 'roundrobin -> s[12]$' "$dec"
id=$(printf '%s' "$dec" | sed -E 's/.*conn=([0-9]+).*/\1/')
check_eq "its conn's state changes, in order" \
	"head -> connect|connect -> relay|relay -> done" \
	"$(sed -nE "s/.*splicer_conn_state: service=web conn=$id (.*)\$/\\1/p" "$T/trace.txt" | paste -sd'|')"
check_match "the 503 in namespace 2" 'splicer_response: service=w conn=[0-9]+ status=503 reason=' \
	"$(cat "$T/trace.txt")"
check_match "and its conn went to linger" 'splicer_conn_state: service=w conn=[0-9]+ head -> linger' \
	"$(cat "$T/trace.txt")"
rmdir "$INST"

check_drained
mod_unload
pass
