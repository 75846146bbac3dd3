#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Rule changes under load. Two wrk clients run against service web,
# each alternating GET /a and GET /b: one on 8 keep-alive connections, one
# with "Connection: close" (a new connection, so a new rule decision, per
# request) on 4, until the test stops them (SIGINT) two seconds after the
# last of nine rule changes (insertions at the
# front and the end, deletions at the front and the middle, a catch-all
# rule added and removed); after each change, new requests to /a and /b
# (curl, new connections) go where the new rules say. Pools: main (main1, the
# service's), a (a1, a2), b (b1, b2); nginx backends. Asserts:
#  - every change was made while both loads ran;
#  - after each change, /a and /b go to the pools the rules name, or to
#    main when no rule matches;
#  - both loads: zero socket errors (connect, read, write, timeout), zero
#    responses other than 200 (wrk's count and the script's own), every
#    response from a backend (X-Server present); the closing load saw all
#    three pools;
#  - the keep-alive connections were not cut: the 8 connections open
#    before the changes (by client port) are still open after them; the
#    service counted about as many connections as the curls, the closing
#    load's requests and the 8 (a few more: the closing load's last ones,
#    cut by the stop); no connect failure;
#  - after the load, the final rules hold for new connections, and the rule
#    table is what the changes left;
#  - no connection left open; rmmod clean.
# vm-timeout: 900
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/rules.sh"

DUR=600	# the longest; SIGINT stops both loads once the changes are done
C_KA=8
C_CLOSE=4

require_root
require_splicer
require_cmd curl nginx wrk
topo_up 5
rnginx_start main1=198.18.1.2:8080 a1=198.18.1.3:8080 a2=198.18.1.4:8080 \
	b1=198.18.1.5:8080 b2=198.18.1.6:8080
mod_load

step "configure: pools main (main1), a (a1 a2), b (b1 b2); service web (pool main); rule prefix /a -> a"
ctlb "pool add main" "server add main main1 198.18.1.2:8080" \
	"pool add a" "server add a a1 198.18.1.3:8080" "server add a a2 198.18.1.4:8080" \
	"pool add b" "server add b b1 198.18.1.5:8080" "server add b b2 198.18.1.6:8080" \
	"service add web listen $LB_IP:80 pool main" "rule add web prefix /a pool a"

# expect DESC POOL_OF_A POOL_OF_B: /a and /b, each on a new connection
# (Connection: close: curl connects again for the second)
expect() {
	local out
	out=$(in_cli curl -sS --max-time 20 -H 'Connection: close' -o /dev/null -o /dev/null \
		-w '%{http_code} %{num_connects} %header{x-server}\n' \
		"http://$LB_IP/a" "http://$LB_IP/b" 2>&1)
	NCURL=$((NCURL + 2))
	read -r ca na sa cb nb sb <<<"$(printf '%s\n' "$out" | xargs)"
	[ "$ca $na $(pool_of "$sa") $cb $nb $(pool_of "$sb")" = "200 1 $2 200 1 $3" ] ||
		fail "$1: expected /a -> 200 from pool $2, /b -> 200 from pool $3, each on a new connection; got: $out"
	ok "$1: /a -> $sa, /b -> $sb"
}
expect "before the load" a main

# wrk's script: alternate /a and /b, count statuses and servers per thread,
# print one RESULT line at the end
cat >"$T/alt.lua" <<'EOF'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) n = 0; bad = 0; noserver = 0; pools = {} end
function request()
	n = n + 1
	return wrk.format("GET", (n % 2 == 0) and "/a" or "/b")
end
function response(status, headers, body)
	if status ~= 200 then bad = bad + 1 end
	local s = headers["X-Server"]
	if s == nil then
		noserver = noserver + 1
	else
		local p = string.gsub(s, "%d+$", "")
		pools[p] = (pools[p] or 0) + 1
	end
end
function done(summary, latency, requests)
	local b, ns, agg = 0, 0, {}
	for _, t in ipairs(threads) do
		b = b + t:get("bad")
		ns = ns + t:get("noserver")
		for k, v in pairs(t:get("pools")) do agg[k] = (agg[k] or 0) + v end
	end
	local e = summary.errors
	local ps = {}
	for k, v in pairs(agg) do table.insert(ps, k .. ":" .. v) end
	table.sort(ps)
	io.write(string.format("RESULT requests=%d connect=%d read=%d write=%d timeout=%d status=%d bad=%d noserver=%d pools=%s\n",
		summary.requests, e.connect, e.read, e.write, e.timeout, e.status, b, ns,
		table.concat(ps, ",")))
end
EOF

conns0=$(proc_get services conns name=web)
NCURL=0
step "load: wrk, $C_KA keep-alive connections + $C_CLOSE with Connection: close"
bg ip netns exec "$NS_CLI" wrk -t1 -c"$C_KA" -d"${DUR}s" --timeout 10s -s "$T/alt.lua" \
	"http://$LB_IP/" >"$T/wrk-ka.out" 2>&1
WRK_KA=$BG_PID
bg ip netns exec "$NS_CLI" wrk -t1 -c"$C_CLOSE" -d"${DUR}s" --timeout 10s -s "$T/alt.lua" \
	-H 'Connection: close' "http://$LB_IP/" >"$T/wrk-close.out" 2>&1
WRK_CLOSE=$BG_PID
# both are running once the service counts their connections
loads_connected() {
	[ "$(proc_get services conns name=web)" -ge $((conns0 + C_KA + C_CLOSE + 4)) ]
}
wait_until "the loads to connect" 300 0.1 loads_connected ||
	fail "the loads did not start: $(cat "$T"/wrk-*.out)"
sleep 1
# the client ports of the open connections (the keep-alive ones among them)
conn_ports() {
	in_lb cat /proc/net/splicer/conns | awk 'NR > 1 { n = split($3, a, ":"); print a[n] }' | sort
}
conn_ports >"$T/ports.before"

step "rule changes while the loads run"
change() {
	ctl rule "$@"
}
change add web prefix /b pool b
expect "rules /a->a /b->b" a b
change add web at 0 prefix / pool b
expect "catch-all / -> b at position 0" b b
change del web 0
expect "catch-all deleted" a b
change del web 0
expect "/a -> a deleted" main b
change add web at 0 prefix /a pool b
expect "/a -> b at position 0" b b
change del web 1
expect "/b -> b deleted (position 1)" b main
change add web prefix /b pool a
expect "/b -> a appended" b a
change del web 0
expect "/a -> b deleted" main a
change add web at 0 prefix /a pool a
expect "/a -> a at position 0" a a
pid_gone "$WRK_KA" && fail "the keep-alive load ended early: $(cat "$T/wrk-ka.out")"
pid_gone "$WRK_CLOSE" && fail "the closing load ended early: $(cat "$T/wrk-close.out")"
ok "nine changes made while both loads ran"
conn_ports >"$T/ports.after"
check_eq "connections open before and after the changes (the $C_KA keep-alive ones: none was cut)" \
	"$C_KA" "$(comm -12 "$T/ports.before" "$T/ports.after" | grep -c .)"
sleep 2

step "the loads' results (stopped with SIGINT: wrk reports then)"
kill -INT "$WRK_KA" "$WRK_CLOSE"
wait_until "wrk (keep-alive) to finish" 300 0.1 pid_gone "$WRK_KA" ||
	fail "wrk (keep-alive) did not finish"
wait_until "wrk (close) to finish" 300 0.1 pid_gone "$WRK_CLOSE" ||
	fail "wrk (close) did not finish"
for w in ka close; do
	sed 's/^/    /' "$T/wrk-$w.out"
	res=$(grep '^RESULT ' "$T/wrk-$w.out")
	[ -n "$res" ] || fail "wrk ($w) printed no RESULT line"
	declare -A R=()
	for kv in ${res#RESULT }; do R[${kv%%=*}]=${kv#*=}; done
	check_range "$w: requests" 20 100000000 "${R[requests]}"
	for k in connect read write timeout status bad noserver; do
		check_eq "$w: $k errors" 0 "${R[$k]}"
	done
done
res=$(grep '^RESULT ' "$T/wrk-close.out")
for p in a b main; do
	check_match "close: pool $p answered" "pools=(.*,)?$p:[0-9]+" "$res"
done
close_reqs=$(sed -n 's/^RESULT requests=\([0-9]*\) .*/\1/p' "$T/wrk-close.out")

step "connections"
check_drained
conns=$(($(proc_get services conns name=web) - conns0))
info "connections: $conns; curl $NCURL, closing load $close_reqs requests, keep-alive $C_KA"
check_range "connections the service counted (the closing load's last ones may be open at the stop)" \
	$((NCURL + close_reqs + C_KA)) $((NCURL + close_reqs + C_KA + 4 * C_CLOSE)) "$conns"
check_eq "service web: connect failures" 0 "$(proc_get services connect_fail name=web)"

step "after the load: the final rules"
expect "new connections" a a
ctl rule show web
check_eq "rules left" "/a:a /b:a" \
	"$(ctlq -j rule show web | jq -r '[.[] | "\(.path_prefix):\(.pool)"] | join(" ")')"

check_drained
kill "$RNGINX_PID"
mod_unload
pass
