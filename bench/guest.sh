#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmark, inside the VM: bench/run.sh boots it with
# selftests/vm/run.sh --bench (one CPU, guest time counts instructions).
#
#   bench/guest.sh full | quick
#
# Systems, each in the lb namespace of selftests/lib.sh's topology, each
# measured by the same client (cli namespace) against the same backend
# (one nginx in the srv namespace serving files from this guest's tmpfs):
#
#   direct          the client talks to the backend itself, forwarded by the
#                   lb namespace (ip_forward=1): the same hops, no proxy
#   splicer         splicer.ko, relay (the only mode so far), roundrobin,
#                   persist cookie
#   splicer-splice  the same with "splice on" (Documentation/splice.md):
#                   after the first response head, the packet splice joins
#                   the two TCP flows; n/a with a module that lacks it
#   haproxy         Debian's HAProxy, roundrobin, cookie insert
#   nginx           Debian's nginx, proxy_pass to a keepalive upstream
#
# Backends: server i of a pool of N is 198.18.(4 + i / 256).(i % 256):8080,
# i = 1..N, all of them the one nginx (the srv namespace routes
# 198.18.4.0/22 to itself, "ip route add local", and nginx listens on
# *:8080). The balancers listen on 198.18.0.1:80.
#
# Scenarios (wrk -t1 -c16 -dDURs, or curl; every figure in guest time):
#   ka-1k       keep-alive, 1 KiB responses            requests/s
#   close-1k    a connection per request, 1 KiB       requests/s
#               (wrk -H "Connection: close")
#   ka-1m       keep-alive, 1 MiB responses            MB/s
#   stream-256m one 256 MiB download (curl)            MB/s
#   with 1, 10, 100 and 1000 servers in the pool (direct: once, it has no
#   pool). TLS scenarios: n/a until splicer terminates TLS.
#   idle        kernel memory per open idle connection, 10,000 connections
#               held by bench/idle_conns.py: /proc/meminfo and /proc/slabinfo
#               before and after, and the balancer's resident memory
#
# Output, on the console: "BENCH-META {json}" once, then one line
# "BENCH-RESULT {json}" per figure; bench/report.py collects them.
# quick (make check): ka-1k with one server for every system, 1 s each;
# exits 1 unless every system produced requests without errors. Speed is
# never asserted.

. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"

MODE=${1:-full}
[ -z "${SPLICER_BENCH_TRACE:-}" ] || set -x
BENCH=$SPLICER_TOP/bench
SYSTEMS=(splicer splicer-splice haproxy nginx)
case "$MODE" in
full)
	POOLS=(1 10 100 1000)
	SCENARIOS=(ka-1k close-1k ka-1m stream-256m)
	DUR=1 IDLE_CONNS=10000
	;;
quick)
	POOLS=(1)
	SCENARIOS=(ka-1k)
	DUR=1 IDLE_CONNS=0
	;;
*) fail "usage: bench/guest.sh full|quick" ;;
esac
# Smaller runs while working on the benchmark itself (bench/run.sh then
# keeps the results in build/bench/ only).
[ -z "${SPLICER_BENCH_POOLS:-}" ] || read -r -a POOLS <<<"$SPLICER_BENCH_POOLS"
[ -z "${SPLICER_BENCH_SCENARIOS:-}" ] || read -r -a SCENARIOS <<<"$SPLICER_BENCH_SCENARIOS"
[ -z "${SPLICER_BENCH_SYSTEMS:-}" ] || read -r -a SYSTEMS <<<"$SPLICER_BENCH_SYSTEMS"
IDLE_CONNS=${SPLICER_BENCH_IDLE:-$IDLE_CONNS}
CONNS=16
VIP=$LB_IP:80
SRV_PORT=8080
WWW=$T/www
PIDS=()			# the running balancer's pids

require_root
require_splicer
require_cmd wrk curl haproxy nginx ss jq
[ "${SPLICER_BENCH:-0}" = 1 ] ||
	info "not in deterministic mode (selftests/vm/run.sh --bench): figures are noise"

# ------------------------------------------------------------------ output
result() {	# result JSON: one figure (compact JSON, one line)
	printf 'BENCH-RESULT %s\n' "$1"
}

na() {	# na SCENARIO SYSTEM REASON
	result "$(jq -cn --arg s "$1" --arg y "$2" --arg r "$3" \
		'{scenario: $s, system: $y, na: $r}')"
}

# ------------------------------------------------------------------ setup
# servers N: "I ADDR:PORT" for each server I of a pool of N, server I being
# 198.18.(4 + I / 256).(I % 256):8080. One awk, not a fork per server:
# forks are slow here.
servers() {
	awk -v n="$1" -v port=$SRV_PORT 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "%d 198.18.%d.%d:%d\n", i, 4 + int(i / 256), i % 256, port
	}'
}

setup_net() {
	local ns
	topo_up 1
	# The pool's addresses are all the srv namespace's own.
	in_srv ip route add local 198.18.4.0/22 dev lo
	in_lb ip route add 198.18.4.0/22 via "$SRV_NET.2"
	for ns in "$NS_CLI" "$NS_LB" "$NS_SRV"; do
		ip netns exec "$ns" sysctl -qw net.core.somaxconn=4096 \
			net.ipv4.ip_local_port_range="1024 65535" \
			net.ipv4.tcp_tw_reuse=1 net.ipv4.tcp_max_syn_backlog=4096
	done
}

# The files the backend serves, on this guest's tmpfs.
setup_www() {
	mkdir -p "$WWW"
	head -c 1024 /dev/urandom >"$WWW/1k"
	head -c 1048576 /dev/urandom >"$WWW/1m"
	[ "$MODE" = full ] && head -c 268435456 /dev/zero >"$WWW/256m"
	true
}

# nginx's temp paths default under /var/lib/nginx, read-only here.
nginx_common() {
	local d=$1
	echo "daemon off; user root; worker_processes 1; worker_rlimit_nofile 65536;"
	echo "error_log $d.log; pid $d/nginx.pid;"
	echo "events { worker_connections 40000; }"
	echo "http { access_log off; client_body_temp_path $d; proxy_temp_path $d;"
	echo "  fastcgi_temp_path $d; uwsgi_temp_path $d; scgi_temp_path $d;"
	echo "  keepalive_timeout 1h; keepalive_requests 1000000; client_header_timeout 1h;"
}

# listening NS ADDR:PORT: something listens there
listening() {
	[ -n "$(ip netns exec "$1" ss -Hltn "src ${2%:*} and sport = :${2##*:}")" ]
}

start_backend() {
	local d=$T/backend
	mkdir -p "$d"
	{
		nginx_common "$d"
		echo "  sendfile on; tcp_nopush on;"
		echo "  server { listen $SRV_PORT backlog=4096; root $WWW; } }"
	} >"$d/nginx.conf"
	# bg with ip netns exec itself, not in_srv: a shell function would run in
	# a subshell of its own, and BG_PID would not be the server's pid.
	bg ip netns exec "$NS_SRV" nginx -c "$d/nginx.conf" -p "$d"
	BACKEND_PID=$BG_PID
	wait_until "the backend to listen" 300 0.1 listening "$NS_SRV" "0.0.0.0:$SRV_PORT" ||
		fail "backend nginx did not start: $(cat "$d.log")"
}

# ------------------------------------------------------------------ systems
# start_SYSTEM N: the system in front of a pool of N servers, listening on
# $VIP (direct: forwarding on). stop_SYSTEM undoes it. target_SYSTEM: where
# the client connects.

target_direct() { echo "198.18.4.1:$SRV_PORT"; }
start_direct() { in_lb sysctl -qw net.ipv4.ip_forward=1; }
stop_direct() { in_lb sysctl -qw net.ipv4.ip_forward=0; }

target_splicer() { echo "$VIP"; }
start_splicer() { splicer_up "$1" ""; }
stop_splicer() {
	check_drained
	mod_unload
}

target_splicer-splice() { echo "$VIP"; }
start_splicer-splice() { splicer_up "$1" " splice on"; }
stop_splicer-splice() { stop_splicer; }

# splicer_up N SERVICE-OPTIONS
splicer_up() {
	local n=$1 i a f=$T/splicer.batch
	mod_load
	{
		echo "pool add app balance roundrobin"
		while read -r i a; do
			echo "server add app s$i $a"
		done <<<"$(servers "$n")"
		echo "service add web listen $VIP pool app header-timeout 1h idle-timeout 1h$2"
		echo "persist web cookie"
	} >"$f"
	in_lb "$CTL" -b "$f" >/dev/null || fail "splicerctl -b $f failed"
	PIDS=()
}

# splicer's counters of the namespace, for a result: how many connections
# were spliced (and how many fell back to the relay)
splicer_counters() {
	ctlq -j stats | jq -c '.stats | {conns, requests, spliced, splice_fallback}'
}

target_haproxy() { echo "$VIP"; }
start_haproxy() {
	local n=$1 i a d=$T/haproxy
	mkdir -p "$d"
	{
		echo "global"
		echo "    maxconn 40000"
		echo "    nbthread 1"
		echo "defaults"
		echo "    mode http"
		echo "    option forwardfor"
		echo "    timeout connect 5s"
		echo "    timeout client 1h"
		echo "    timeout server 1h"
		echo "frontend web"
		echo "    bind $VIP"
		echo "    default_backend app"
		echo "backend app"
		echo "    balance roundrobin"
		echo "    cookie SERVERID insert"
		while read -r i a; do
			echo "    server s$i $a cookie s$i"
		done <<<"$(servers "$n")"
	} >"$d/haproxy.cfg"
	bg ip netns exec "$NS_LB" haproxy -db -f "$d/haproxy.cfg"
	PIDS=("$BG_PID")
	wait_until "haproxy to listen" 300 0.1 listening "$NS_LB" "$VIP" ||
		fail "haproxy did not start"
}
stop_haproxy() { stop_pids; }

target_nginx() { echo "$VIP"; }
start_nginx() {
	local n=$1 i a d=$T/nginx-lb
	mkdir -p "$d"
	{
		nginx_common "$d"
		echo "  upstream app {"
		while read -r i a; do
			echo "    server $a;"
		done <<<"$(servers "$n")"
		echo "    keepalive 32; keepalive_requests 1000000; keepalive_timeout 1h;"
		echo "  }"
		echo "  server { listen $VIP backlog=4096; location / {"
		echo "    proxy_pass http://app; proxy_http_version 1.1;"
		echo "    proxy_set_header Connection \"\";"
		echo "    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
		echo "    proxy_max_temp_file_size 0; } } }"
	} >"$d/nginx.conf"
	bg ip netns exec "$NS_LB" nginx -c "$d/nginx.conf" -p "$d"
	PIDS=("$BG_PID")
	wait_until "nginx to listen" 300 0.1 listening "$NS_LB" "$VIP" ||
		fail "nginx (balancer) did not start: $(cat "$d.log")"
}
stop_nginx() {
	stop_pids
	# what went wrong, if anything did (its error log, level error and up)
	[ ! -s "$T/nginx-lb.log" ] || info "nginx's error log: $(tail -n 3 "$T/nginx-lb.log")"
	rm -f "$T/nginx-lb.log"
}

stop_pids() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait_until "pid $p to exit" 100 0.1 pid_gone "$p" || kill -9 "$p"
	done
	PIDS=()
}

# ------------------------------------------------------------------ scenarios
# wrk_run SCENARIO SYSTEM N PATH [WRK ARGS...]
wrk_run() {
	local scn=$1 sys=$2 n=$3 path=$4 out out2 line reqs errs
	shift 4
	out=$(in_cli wrk -t1 -c$CONNS -d${DUR}s -s "$BENCH/wrk-report.lua" "$@" \
		"http://$(target_"$sys")$path" 2>&1)
	line=$(sed -n 's/^WRK //p' <<<"$out")
	[ -n "$line" ] || fail "$scn $sys $n: wrk printed no report: $out"
	# one jq (every exec costs under TCG): the result, then "requests errors"
	out2=$(jq -c --arg s "$scn" --arg y "$sys" --argjson n "$n" \
		'({scenario: $s, system: $y, servers: $n} + .),
		 "\(.requests) \(.err_connect + .err_read + .err_write + .err_status + .err_timeout)"' \
		<<<"$line") || fail "$scn $sys $n: bad wrk report: $line"
	RES=${out2%%$'\n'*}
	line=${out2#*$'\n'}
	read -r reqs errs <<<"${line//\"/}"
	info "$reqs requests, $errs errors"
	[ "$reqs" -gt 0 ] || fail "$scn $sys $n: no request answered: $out"
	[ "$MODE" = full ] || [ "$errs" = 0 ] || fail "$scn $sys $n: $errs errors: $out"
}

# warm SYSTEM: 64 requests over 16 connections first (connection pools,
# caches, page faults), cheaper than a wrk run
warm() {
	local i urls=()
	for ((i = 0; i < 64; i++)); do
		urls+=(-o /dev/null "http://$(target_"$1")/1k")
	done
	in_cli curl -s --parallel --parallel-max $CONNS "${urls[@]}" 2>/dev/null ||
		fail "$1 does not answer"
}

stream_run() {	# stream_run SYSTEM N
	local sys=$1 n=$2 out code size secs
	# --max-time in guest time: a stall leaps to it at no wall-clock cost
	out=$(in_cli curl -sS -o /dev/null --max-time 300 \
		-w '%{http_code} %{size_download} %{time_total}' "http://$(target_"$sys")/256m" 2>&1)
	read -r code size secs <<<"$out"
	[ "$code" = 200 ] && [ "$size" = 268435456 ] ||
		fail "stream-256m $sys $n: curl said: $out"
	RES=$(jq -cn --arg y "$sys" --argjson n "$n" --argjson b "$size" --argjson t "$secs" \
		'{scenario: "stream-256m", system: $y, servers: $n, requests: 1, bytes: $b,
		  duration_us: ($t * 1e6 | floor)}')
	info "256 MiB in $secs s"
}

# run_scenarios SYSTEM N: every scenario, one result each (RES, set by
# wrk_run and stream_run); for splicer with its counters' growth
run_scenarios() {
	local sys=$1 n=$2 scn c0 c1
	warm "$sys"
	for scn in "${SCENARIOS[@]}"; do
		step "$scn, $sys, $n server(s)"
		[ "${sys#splicer}" = "$sys" ] || c0=$(splicer_counters)
		case $scn in
		ka-1k) wrk_run "$scn" "$sys" "$n" /1k ;;
		close-1k) wrk_run "$scn" "$sys" "$n" /1k -H "Connection: close" ;;
		ka-1m) wrk_run "$scn" "$sys" "$n" /1m ;;
		stream-256m) stream_run "$sys" "$n" ;;
		esac
		if [ "${sys#splicer}" != "$sys" ]; then
			c1=$(splicer_counters)
			RES=$(jq -c --argjson a "$c0" --argjson b "$c1" \
				'. + {splicer: ($b | with_entries(.value -= ($a[.key] // 0)))}' <<<"$RES")
		fi
		result "$RES"
	done
}

# ------------------------------------------------------------------ memory
# mem_snap PID...: the counters the memory figure needs, as one JSON
# object (meminfo in kB, slab caches in bytes, VmRSS and RssAnon in kB of
# each PID and its children)
mem_snap() {
	local p
	{
		awk '{ sub(":", "", $1); printf "M %s %s\n", $1, $2 }' /proc/meminfo
		# a cache's footprint: slabs * pages per slab * page size
		awk 'NR > 2 { printf "S %s %d\n", $1, $15 * $6 * 4096 }' /proc/slabinfo
		for p in "$@" $(pgrep -d ' ' -P "$(IFS=,; echo "$*")"); do
			awk -v p="$p" '/^(VmRSS|RssAnon):/ { sub(":", "", $1); printf "P %s %s %s\n", p, $1, $2 }' \
				"/proc/$p/status" 2>/dev/null
		done
	} | jq -Rsc 'split("\n") | map(select(length > 0) | split(" ")) |
		{meminfo_kb: (map(select(.[0] == "M") | {(.[1]): (.[2] | tonumber)}) | add),
		 slab_bytes: (map(select(.[0] == "S") | {(.[1]): (.[2] | tonumber)}) | add),
		 rss_kb: (map(select(.[0] == "P") | {(.[1]): {(.[2]): (.[3] | tonumber)}}) |
			reduce .[] as $x ({}; . * $x))}'
}

idle_state() {	# (read, not cat: no exec while the client is busy connecting)
	local l=
	{ IFS= read -r l <"$T/idle.state"; } 2>/dev/null
	printf '%s' "$l"
}
idle_ready() { [ "$(idle_state)" = "open $IDLE_CONNS" ]; }
accept_queue_empty() {	# NS ADDR:PORT: nothing waits in the listener's accept queue
	[ "$(ip netns exec "$1" ss -Hltn "src ${2%:*} and sport = :${2##*:}" |
		awk '{ print $2 }')" = 0 ]
}

# idle_run SYSTEM: open IDLE_CONNS idle connections through SYSTEM (one
# server) and record the memory before and after.
idle_run() {
	local sys=$1 target ns=$NS_LB listen before after pid pids
	target=$(target_"$sys")
	listen=$target
	[ "$sys" = direct ] && ns=$NS_SRV listen=0.0.0.0:$SRV_PORT
	step "idle, $sys: $IDLE_CONNS idle connections"
	pids=("${PIDS[@]}" "$BACKEND_PID")
	in_cli curl -sS -o /dev/null "http://$target/1k" || fail "$sys does not answer"
	# What the previous system freed settles first (RCU, reclaimable
	# caches); idle guest time costs no wall time.
	sleep 2
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
	before=$(mem_snap "${pids[@]}")
	rm -f "$T/idle.state"
	bg ip netns exec "$NS_CLI" $PY "$BENCH/idle_conns.py" "${target%:*}" "${target##*:}" "$IDLE_CONNS" \
		"$T/idle.state"
	pid=$BG_PID
	wait_until "$IDLE_CONNS connections" 6000 0.1 idle_ready ||
		fail "$sys: idle connections not established: $(idle_state)"
	wait_until "the accept queue to empty" 600 0.1 accept_queue_empty "$ns" "$listen" ||
		fail "$sys: connections left in the accept queue"
	sleep 2
	after=$(mem_snap "${pids[@]}")
	idle_ready || fail "$sys: idle connections closed by the server: $(idle_state)"
	if [ "$sys" = splicer ]; then
		check_eq "splicer's open connections" "$IDLE_CONNS" "$(cat /sys/kernel/splicer/active)"
	fi
	kill "$pid"
	wait_until "the idle client to exit" 600 0.1 pid_gone "$pid" || fail "idle_conns.py hangs"
	result "$(jq -cn --arg y "$sys" --argjson c "$IDLE_CONNS" --argjson b "$before" \
		--argjson a "$after" --argjson p "$(printf '%s\n' "${PIDS[@]}" | jq -sc .)" \
		--argjson bp "$BACKEND_PID" \
		'{scenario: "idle", system: $y, servers: 1, conns: $c, balancer_pids: $p,
		  backend_pid: $bp, before: $b, after: $a}')"
	info "Slab $(jq -rn --argjson b "$before" --argjson a "$after" \
		'($a.meminfo_kb.Slab - $b.meminfo_kb.Slab)') kB more"
}

# ------------------------------------------------------------------ main
meta() {
	local pkgs
	pkgs=$(dpkg-query -W -f='${Package} ${Version}\n' "linux-image-$(uname -r)" \
		haproxy nginx nginx-light wrk curl python3 iproute2 2>/dev/null |
		jq -Rsc 'split("\n") | map(select(length > 0) | split(" ") | {(.[0]): .[1]}) | add')
	printf 'BENCH-META %s\n' "$(jq -cn --arg m "$MODE" --arg k "$(uname -r)" \
		--arg kv "$(uname -v)" --argjson p "$pkgs" \
		--arg h "$(haproxy -v | head -n 1)" --arg n "$(nginx -v 2>&1)" \
		--arg cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
		--argjson ncpu "$(nproc)" --argjson mem "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)" \
		--argjson bench "${SPLICER_BENCH:-0}" --argjson dur "$DUR" --argjson c "$CONNS" \
		--argjson idle "$IDLE_CONNS" \
		'{mode: $m, kernel: $k, kernel_build: $kv, packages: $p, haproxy: $h, nginx: $n,
		  cpu: $cpu, cpus: $ncpu, mem_kb: $mem, deterministic: ($bench == 1),
		  wrk: {threads: 1, conns: $c, seconds: $dur}, idle_conns: $idle}')"
}

meta
setup_net
setup_www
start_backend

# The slots without figures yet.
if ! "$CTL" help 2>&1 | grep -q 'splice on|off'; then
	SYSTEMS=("${SYSTEMS[@]/splicer-splice}")
	for scn in "${SCENARIOS[@]}"; do
		na "$scn" splicer-splice "packet splice not implemented"
	done
fi
if [ "$MODE" = full ]; then
	for scn in tls-ka-1k tls-close-1k tls-ka-1m; do
		na "$scn" all "TLS scenarios not benchmarked yet"
	done
fi

# Memory first, on a fresh guest: no TIME_WAIT or pooled memory from the
# throughput runs around yet.
if [ "$IDLE_CONNS" -gt 0 ]; then
	for sys in direct splicer haproxy; do
		start_"$sys" 1
		idle_run "$sys"
		stop_"$sys"
	done
	na idle splicer-splice "a connection that sent no request is never spliced: as relay"
fi

start_direct
run_scenarios direct 1
stop_direct
for n in "${POOLS[@]}"; do
	for sys in "${SYSTEMS[@]}"; do
		[ -n "$sys" ] || continue
		start_"$sys" "$n"
		run_scenarios "$sys" "$n"
		stop_"$sys"
	done
done

step "done"
pass
