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
#   pool).
#   tls-ka-1k, tls-close-1k, tls-ka-1m: the same over TLS, one server:
#               direct is the backend nginx terminating TLS itself (port
#               8443), splicer a service with "tls on" (443) and
#               splicer-handshaked in the lb namespace, HAProxy "bind ...
#               ssl crt", nginx "listen ... ssl"; splicer-splice is n/a
#               (a kTLS leg stays on the relay). One ECDSA P-256
#               certificate made here with openssl; the client (wrk, curl,
#               openssl s_client, all through OPENSSL_CONF) offers TLS 1.3,
#               TLS_AES_128_GCM_SHA256 and X25519 only, and every server
#               issues no session ticket and keeps no session cache, so
#               every new connection is a full handshake; openssl s_client
#               checks both (protocol, cipher, no resumption) per system.
#               A system whose TLS fails gets "failed" results with the
#               reason (its logs, counters, dmesg), not an abort.
#   rules-ka-1k, rules-close-1k: splicer (relay, one server, persist
#               cookie, inspect on: every request of a keep-alive
#               connection is decided by the rules) with 1, 100 and 1000
#               content rules where the request matches only the last
#               one: rule i < N-1 is "host hNNNN.bench.example", the last
#               "host www00.bench.example" (the request's Host; the same
#               length, compared to the end of the list). The hits of the
#               rules are checked.
#   rules-prefix-ka-1k, rules-prefix-close-1k: the same with path-prefix
#               rules: rule i < N-1 is "prefix /pNNNN/", the last "prefix
#               /www00/" (the same length), the request "GET /www00/1k"
#               (a copy of /1k), with no rule naming a host.
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
	SCENARIOS=(ka-1k close-1k ka-1m stream-256m tls-ka-1k tls-close-1k tls-ka-1m
		rules-ka-1k rules-close-1k rules-prefix-ka-1k rules-prefix-close-1k)
	RULE_COUNTS=(1 100 1000)
	DUR=1 IDLE_CONNS=10000
	# handshakes: 16 of them at once in ~130 a second, so the start and
	# the end of a run (handshakes cut off) weigh: 2 s
	DUR_HS=2
	;;
quick)
	POOLS=(1)
	SCENARIOS=(ka-1k)
	RULE_COUNTS=()
	DUR=1 DUR_HS=1 IDLE_CONNS=0
	;;
*) fail "usage: bench/guest.sh full|quick" ;;
esac
# Smaller runs while working on the benchmark itself (bench/run.sh then
# keeps the results in build/bench/ only).
[ -z "${SPLICER_BENCH_POOLS:-}" ] || read -r -a POOLS <<<"$SPLICER_BENCH_POOLS"
[ -z "${SPLICER_BENCH_SCENARIOS:-}" ] || read -r -a SCENARIOS <<<"$SPLICER_BENCH_SCENARIOS"
[ -z "${SPLICER_BENCH_SYSTEMS:-}" ] || read -r -a SYSTEMS <<<"$SPLICER_BENCH_SYSTEMS"
[ -z "${SPLICER_BENCH_RULES:-}" ] || read -r -a RULE_COUNTS <<<"$SPLICER_BENCH_RULES"
IDLE_CONNS=${SPLICER_BENCH_IDLE:-$IDLE_CONNS}
# The scenarios by kind: plain HTTP with every pool size, TLS, rules.
TLS_SCN=() RULE_SCN=() all=("${SCENARIOS[@]}")
SCENARIOS=()
for scn in "${all[@]}"; do
	case $scn in
	tls-*) TLS_SCN+=("$scn") ;;
	rules-*) RULE_SCN+=("$scn") ;;
	*) SCENARIOS+=("$scn") ;;
	esac
done
CONNS=16
VIP=$LB_IP:80
SRV_PORT=8080
WWW=$T/www
PIDS=()			# the running balancer's pids
# TLS: the balancers on $LB_IP:443, the backend itself on 8443
TLS_VIP=$LB_IP:443
SRV_TLS_PORT=8443
TLS_DIR=$T/tls
CCONF=$TLS_DIR/client.cnf	# OPENSSL_CONF of the clients
SCONF=$TLS_DIR/server.cnf	# OPENSSL_CONF of HAProxy and nginx
TLS_SUITE=TLS_AES_128_GCM_SHA256
TLS_GROUP=X25519
HS=$SPLICER_TOP/handshaked/splicer-handshaked
HS_PID=
SRV_ENV=(env)		# how HAProxy and nginx are started
[ ${#TLS_SCN[@]} = 0 ] || SRV_ENV=(env OPENSSL_CONF="$SCONF")
TLS_ON=0		# start_SYSTEM: with its TLS listener too
# rules: the Host of the requests, matched by the last rule only; the
# prefix of their path, likewise (rules-prefix-*)
RULE_HOST=www00.bench.example
RULE_PREFIX=/www00/

require_root
require_splicer
require_cmd wrk curl haproxy nginx ss jq
[ ${#TLS_SCN[@]} = 0 ] || require_cmd openssl
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

# failed SCENARIO SYSTEM N REASON [DETAILS-JSON]: a run that should have
# given a figure and did not, with why
failed() {
	result "$(jq -cn --arg s "$1" --arg y "$2" --argjson n "$3" --arg r "$4" \
		--argjson d "${5:-null}" \
		'{scenario: $s, system: $y, servers: $n, failed: $r} +
		 (if $d == null then {} else {details: $d} end)')"
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
	mkdir -p "$WWW$RULE_PREFIX"
	cp "$WWW/1k" "$WWW${RULE_PREFIX}1k"
	[ "$MODE" = full ] && head -c 268435456 /dev/zero >"$WWW/256m"
	true
}

# setup_tls: the kernel's tls and AES-NI modules (the guest loads none by
# itself; the handshake daemon would load tls, not the crypto drivers), one
# ECDSA P-256 certificate for every server, and the OpenSSL configurations:
# the clients offer TLS 1.3, $TLS_SUITE and $TLS_GROUP only; the servers
# (HAProxy, nginx; splicer-handshaked has "ticket-lifetime 0") send no
# session ticket, so that every new connection is a full handshake.
setup_tls() {
	local ssl m
	for m in tls aesni_intel ghash_clmulni_intel gcm; do
		modprobe "$m" 2>/dev/null || info "modprobe $m failed"
	done
	[ -e /proc/net/tls_stat ] || info "no kTLS in this kernel (modprobe tls failed)"
	mkdir -p "$TLS_DIR"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$TLS_DIR/key.pem" -out "$TLS_DIR/cert.pem" -days 30 \
		-subj "/CN=bench.example" \
		-addext "subjectAltName=DNS:bench.example,IP:$LB_IP,IP:198.18.4.1" \
		2>"$TLS_DIR/openssl.err" ||
		fail "openssl: cannot make the certificate: $(tail -3 "$TLS_DIR/openssl.err")"
	cat "$TLS_DIR/cert.pem" "$TLS_DIR/key.pem" >"$TLS_DIR/both.pem"
	ssl="MinProtocol = TLSv1.3
MaxProtocol = TLSv1.3
Ciphersuites = $TLS_SUITE
Groups = $TLS_GROUP"
	printf 'openssl_conf = bench_init\n[bench_init]\nssl_conf = bench_ssl\n[bench_ssl]\nsystem_default = bench_tls\n[bench_tls]\n%s\n' \
		"$ssl" >"$CCONF"
	printf 'openssl_conf = bench_init\n[bench_init]\nssl_conf = bench_ssl\n[bench_ssl]\nsystem_default = bench_tls\n[bench_tls]\n%s\nNumTickets = 0\n' \
		"$ssl" >"$SCONF"
	# the daemon reads the key as user nobody
	chmod 755 "$T" "$TLS_DIR"
	chmod 644 "$TLS_DIR"/*
}

# The TLS directives of an nginx server block (the backend's and the
# balancer's): the same suite, no tickets, no session cache.
nginx_tls() {
	echo "    ssl_certificate $TLS_DIR/cert.pem; ssl_certificate_key $TLS_DIR/key.pem;"
	echo "    ssl_protocols TLSv1.3; ssl_ecdh_curve $TLS_GROUP;"
	echo "    ssl_session_cache off; ssl_session_tickets off;"
	echo "    ssl_conf_command Ciphersuites $TLS_SUITE; ssl_conf_command NumTickets 0;"
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
		echo "  server { listen $SRV_PORT backlog=4096; root $WWW; }"
		if [ ${#TLS_SCN[@]} -gt 0 ]; then
			echo "  server { listen $SRV_TLS_PORT ssl backlog=4096; root $WWW;"
			nginx_tls
			echo "  }"
		fi
		echo "}"
	} >"$d/nginx.conf"
	# bg with ip netns exec itself, not in_srv: a shell function would run in
	# a subshell of its own, and BG_PID would not be the server's pid.
	bg ip netns exec "$NS_SRV" "${SRV_ENV[@]}" nginx -c "$d/nginx.conf" -p "$d"
	BACKEND_PID=$BG_PID
	wait_until "the backend to listen" 300 0.1 listening "$NS_SRV" "0.0.0.0:$SRV_PORT" ||
		fail "backend nginx did not start: $(cat "$d.log")"
}

# ------------------------------------------------------------------ systems
# start_SYSTEM N: the system in front of a pool of N servers, listening on
# $VIP (direct: forwarding on), and with TLS_ON=1 on $TLS_VIP too, over
# TLS. stop_SYSTEM undoes it. target_SYSTEM and tls_target_SYSTEM: where
# the client connects.

target_direct() { echo "198.18.4.1:$SRV_PORT"; }
tls_target_direct() { echo "198.18.4.1:$SRV_TLS_PORT"; }
start_direct() { in_lb sysctl -qw net.ipv4.ip_forward=1; }
stop_direct() { in_lb sysctl -qw net.ipv4.ip_forward=0; }

target_splicer() { echo "$VIP"; }
tls_target_splicer() { echo "$TLS_VIP"; }
start_splicer() { splicer_up "$1" ""; }
stop_splicer() {
	hs_stop
	check_drained
	mod_unload
}

target_splicer-splice() { echo "$VIP"; }
start_splicer-splice() { splicer_up "$1" " splice on"; }
stop_splicer-splice() { stop_splicer; }

# splicer_up N SERVICE-OPTIONS [RULES [SHAPE]]: the service web on $VIP (and
# with TLS_ON=1 webtls on $TLS_VIP, "tls on", with splicer-handshaked); RULES
# content rules on web, SHAPE host (default) or prefix (see the header)
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
		if [ "$TLS_ON" = 1 ]; then
			echo "service add webtls listen $TLS_VIP pool app header-timeout 1h idle-timeout 1h tls on$2"
			echo "persist webtls cookie"
		fi
		awk -v n="${3:-0}" -v shape="${4:-host}" -v host="$RULE_HOST" \
			-v prefix="$RULE_PREFIX" 'BEGIN {
			for (i = 1; i < n; i++)
				if (shape == "prefix")
					printf "rule add web prefix /p%04d/ pool app\n", i
				else
					printf "rule add web host h%04d.bench.example pool app\n", i
			if (n > 0 && shape == "prefix")
				printf "rule add web prefix %s pool app\n", prefix
			else if (n > 0)
				printf "rule add web host %s pool app\n", host
		}'
	} >"$f"
	in_lb "$CTL" -b "$f" >/dev/null || fail "splicerctl -b $f failed"
	PIDS=()
	[ "$TLS_ON" = 0 ] || hs_start
}

# hs_start: splicer-handshaked in the lb namespace, for the service webtls,
# one worker (one CPU), no session tickets; returns once it takes
# handshakes. A daemon that does not start is noted in HS_FAILED (the TLS
# results then say so), not a failure of the whole run.
hs_start() {
	local c=$TLS_DIR/handshaked.conf
	HS_FAILED=
	{
		echo "user nobody"
		echo "workers 1"
		echo "ticket-lifetime 0"
		echo "service webtls cert $TLS_DIR/cert.pem key $TLS_DIR/key.pem"
	} >"$c"
	chmod 644 "$c"
	if [ ! -x "$HS" ]; then
		HS_FAILED="splicer-handshaked not built ($HS missing)"
		return
	fi
	: >"$T/handshaked.err"
	bg ip netns exec "$NS_LB" "$HS" -f -c "$c" 2>>"$T/handshaked.err"
	HS_PID=$BG_PID
	wait_until "splicer-handshaked to take handshakes" 600 0.1 hs_taking ||
		HS_FAILED="splicer-handshaked did not start: $(tail -n 3 "$T/handshaked.err" | tr '\n' ' ')"
}
hs_taking() {
	kill -0 "$HS_PID" 2>/dev/null && grep -q "taking handshakes" "$T/handshaked.err"
}
hs_stop() {
	[ -n "$HS_PID" ] || return 0
	kill "$HS_PID" 2>/dev/null
	wait_until "splicer-handshaked to exit" 100 0.1 pid_gone "$HS_PID" ||
		kill -9 "$HS_PID" 2>/dev/null
	HS_PID=
}

# splicer's counters of the namespace, for a result: how many connections
# were spliced (and how many fell back to the relay), TLS handshakes
splicer_counters() {
	ctlq -j stats | jq -c '.stats | {conns, requests, spliced, splice_fallback,
		tls_handshakes: (.tls_handshakes // 0), tls_failed: (.tls_failed // 0),
		tls_refused: (.tls_refused // 0)}'
}

target_haproxy() { echo "$VIP"; }
tls_target_haproxy() { echo "$TLS_VIP"; }
start_haproxy() {
	local n=$1 i a d=$T/haproxy
	mkdir -p "$d"
	{
		echo "global"
		echo "    maxconn 40000"
		echo "    nbthread 1"
		if [ "$TLS_ON" = 1 ]; then
			echo "    tune.ssl.cachesize 0"
			echo "    ssl-default-bind-ciphersuites $TLS_SUITE"
			echo "    ssl-default-bind-options ssl-min-ver TLSv1.3 no-tls-tickets"
		fi
		echo "defaults"
		echo "    mode http"
		echo "    option forwardfor"
		echo "    timeout connect 5s"
		echo "    timeout client 1h"
		echo "    timeout server 1h"
		echo "frontend web"
		echo "    bind $VIP"
		[ "$TLS_ON" = 0 ] || echo "    bind $TLS_VIP ssl crt $TLS_DIR/both.pem curves $TLS_GROUP"
		echo "    default_backend app"
		echo "backend app"
		echo "    balance roundrobin"
		echo "    cookie SERVERID insert"
		while read -r i a; do
			echo "    server s$i $a cookie s$i"
		done <<<"$(servers "$n")"
	} >"$d/haproxy.cfg"
	bg ip netns exec "$NS_LB" "${SRV_ENV[@]}" haproxy -db -f "$d/haproxy.cfg"
	PIDS=("$BG_PID")
	wait_until "haproxy to listen" 300 0.1 listening "$NS_LB" "$VIP" ||
		fail "haproxy did not start"
}
stop_haproxy() { stop_pids; }

target_nginx() { echo "$VIP"; }
tls_target_nginx() { echo "$TLS_VIP"; }
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
		echo "  server { listen $VIP backlog=4096;"
		if [ "$TLS_ON" = 1 ]; then
			echo "    listen $TLS_VIP ssl backlog=4096;"
			nginx_tls
		fi
		echo "    location / {"
		echo "    proxy_pass http://app; proxy_http_version 1.1;"
		echo "    proxy_set_header Connection \"\";"
		echo "    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
		echo "    proxy_max_temp_file_size 0; } } }"
	} >"$d/nginx.conf"
	bg ip netns exec "$NS_LB" "${SRV_ENV[@]}" nginx -c "$d/nginx.conf" -p "$d"
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
# wrk_run SCENARIO SYSTEM N URL [WRK ARGS...]: one wrk run from the client
# namespace (with WRK_ENV, e.g. the clients' OpenSSL configuration), its
# result in RES. Returns 1 with the reason in WHY when there is no figure
# (and, in quick mode, when a request failed).
WRK_ENV=(env)
wrk_run() {
	local scn=$1 sys=$2 n=$3 url=$4 out out2 line reqs errs
	shift 4
	WHY=
	out=$(in_cli "${WRK_ENV[@]}" wrk -t1 -c$CONNS -d"${WRK_DUR:-$DUR}s" \
		-s "$BENCH/wrk-report.lua" "$@" "$url" 2>&1)
	line=$(sed -n 's/^WRK //p' <<<"$out")
	if [ -z "$line" ]; then
		WHY="wrk printed no report: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
		return 1
	fi
	# one jq (every exec costs under TCG): the result, then "requests errors"
	out2=$(jq -c --arg s "$scn" --arg y "$sys" --argjson n "$n" \
		'({scenario: $s, system: $y, servers: $n} + .),
		 "\(.requests) \(.err_connect + .err_read + .err_write + .err_status + .err_timeout)"' \
		<<<"$line") || fail "$scn $sys $n: bad wrk report: $line"
	RES=${out2%%$'\n'*}
	line=${out2#*$'\n'}
	read -r reqs errs <<<"${line//\"/}"
	info "$reqs requests, $errs errors"
	if [ "$reqs" -le 0 ]; then
		WHY="no request answered ($errs errors: $(jq -r '"connect \(.err_connect), read \(.err_read), write \(.err_write), status \(.err_status), timeout \(.err_timeout)"' <<<"$RES"))"
		return 1
	fi
	if [ "$MODE" != full ] && [ "$errs" != 0 ]; then
		WHY="$errs errors: $out"
		return 1
	fi
}

# warm SYSTEM [URL]: 64 requests over 16 connections first (connection
# pools, caches, page faults), cheaper than a wrk run;
# returns 1 with WHY if a request failed
warm() {
	local i urls=() url=${2:-http://$(target_"$1")/1k} out
	for ((i = 0; i < 64; i++)); do
		urls+=(-o /dev/null "$url")
	done
	# TLS: the certificate on tmpfs (it names the addresses), not the
	# system's CA bundle over 9p (see tls_probe)
	out=$(in_cli "${WRK_ENV[@]}" curl -sS --cacert "$TLS_DIR/cert.pem" --capath "$TLS_DIR" \
		--max-time 600 --parallel --parallel-max $CONNS "${urls[@]}" 2>&1) || {
		WHY="curl: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
		return 1
	}
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

# with_counters C0: RES plus the growth of splicer's counters since C0
with_counters() {
	local c1
	c1=$(splicer_counters)
	RES=$(jq -c --argjson a "$1" --argjson b "$c1" \
		'. + {splicer: ($b | with_entries(.value -= ($a[.key] // 0)))}' <<<"$RES")
}

# run_scenarios SYSTEM N: every scenario, one result each (RES, set by
# wrk_run and stream_run); for splicer with its counters' growth
run_scenarios() {
	local sys=$1 n=$2 scn c0 url
	url=http://$(target_"$sys")
	warm "$sys" || fail "$sys does not answer: $WHY"
	for scn in "${SCENARIOS[@]}"; do
		step "$scn, $sys, $n server(s)"
		[ "${sys#splicer}" = "$sys" ] || c0=$(splicer_counters)
		case $scn in
		ka-1k) wrk_run "$scn" "$sys" "$n" "$url/1k" ;;
		close-1k) wrk_run "$scn" "$sys" "$n" "$url/1k" -H "Connection: close" ;;
		ka-1m) wrk_run "$scn" "$sys" "$n" "$url/1m" ;;
		stream-256m) stream_run "$sys" "$n" ;;
		esac || fail "$scn $sys $n: $WHY"
		[ "${sys#splicer}" = "$sys" ] || with_counters "$c0"
		result "$RES"
	done
}

# ------------------------------------------------------------------ TLS
# tls_probe SYSTEM: two openssl s_client connections with the clients'
# configuration, each a HEAD request: what was negotiated, and whether the
# second could resume the first's session (it must not: full handshakes
# only). Sets TLS_INFO (JSON); returns 1 with WHY if no response came.
tls_probe() {
	local t out1 out2="" rc sess=$TLS_DIR/sess-$1 proto="" suite="" group="" sig="" resumed=none
	local req=$'HEAD /1k HTTP/1.1\r\nHost: bench.example\r\nConnection: close\r\n\r\n'
	t=$(tls_target_"$1")
	rm -f "$sess"
	# -CAfile: the certificate on tmpfs, not the system's CA paths, which
	# s_client would read over 9p in the middle of the handshake (the guest's
	# clock leaps while it waits for the host: enough to set off "timeout")
	out1=$(printf '%s' "$req" | in_cli env OPENSSL_CONF="$CCONF" timeout 600 \
		openssl s_client -connect "$t" -servername bench.example -CAfile "$TLS_DIR/cert.pem" \
		-sess_out "$sess" -ign_eof 2>&1)
	rc=$?
	if [[ $out1 != *"HTTP/1.1 200"* ]]; then
		WHY="openssl s_client got no response (exit $rc): $(grep -v '^ *$' <<<"$out1" | tail -n 3 | tr '\n' ' ')"
		return 1
	fi
	[[ $out1 =~ (New|Reused),\ (TLSv[0-9.]+),\ Cipher\ is\ ([A-Za-z0-9_-]+) ]] &&
		proto=${BASH_REMATCH[2]} suite=${BASH_REMATCH[3]}
	[[ $out1 =~ Server\ Temp\ Key:\ ([A-Za-z0-9_-]+) ]] && group=${BASH_REMATCH[1]}
	[[ $out1 =~ Peer\ signature\ type:\ ([A-Za-z0-9_-]+) ]] && sig=${BASH_REMATCH[1]}
	# No session ticket: s_client has no session to write, nothing to resume.
	if [ -s "$sess" ]; then
		out2=$(printf '%s' "$req" | in_cli env OPENSSL_CONF="$CCONF" timeout 600 \
			openssl s_client -connect "$t" -servername bench.example \
			-CAfile "$TLS_DIR/cert.pem" -sess_in "$sess" -ign_eof 2>&1)
		case $out2 in
		*$'\n'"Reused, "*) resumed=true ;;
		*$'\n'"New, "*) resumed=false ;;
		*) resumed=unknown ;;
		esac
	fi
	TLS_INFO=$(jq -cn --arg p "$proto" --arg c "$suite" --arg g "$group" --arg s "$sig" \
		--arg r "$resumed" --arg wc "$TLS_SUITE" --arg wg "$TLS_GROUP" \
		'{protocol: $p, cipher: $c, group: $g, signature: $s,
		  resumption: (if $r == "none" then "no session ticket issued"
			       elif $r == "false" then "refused" elif $r == "true" then "resumed"
			       else "unknown" end),
		  as_intended: ($p == "TLSv1.3" and $c == $wc and $g == $wg and $r != "true")}')
	info "s_client: $proto $suite $group $sig, resumption: $(jq -r .resumption <<<"$TLS_INFO")"
}

# tlog_start / tlog_stop: splicer's decision log of the service webtls
# (its conn records name the TLS version and cipher, or why the handshake
# failed), from before the probe to after the warm-up
tlog_start() {	# [COUNT]
	: >"$T/tls-log.json"
	bg ip netns exec "$NS_LB" "$CTL" -j log service webtls count "${1:-400}" \
		>"$T/tls-log.json" 2>/dev/null
	TLOG_PID=$BG_PID
	sleep 0.5	# joined before the first connection (guest time: free)
}
tlog_stop() {	# [SECONDS to wait for the last records]
	[ -n "${TLOG_PID:-}" ] || return 0
	sleep "${1:-0.5}"	# guest time: free while idle
	kill "$TLOG_PID" 2>/dev/null
	wait_until "the log reader to exit" 100 0.1 pid_gone "$TLOG_PID" || kill -9 "$TLOG_PID"
	TLOG_PID=
}

# tls_diag SYSTEM: what went wrong, as JSON (TLS counters, the tls and end
# of splicer's conn records, the daemon's last words, the kernel's);
# TLS_DIAG_TEXT the gist in one line
tls_diag() {
	local sys=$1 c="{}" logs="[]" hs="" dm
	dm=$(dmesg | grep -E 'splicer: |tls|BUG|WARNING' | tail -n 8)
	if [ "$sys" = splicer ]; then
		c=$(splicer_counters 2>/dev/null || echo '{}')
		logs=$(grep '^{.*}$' "$T/tls-log.json" 2>/dev/null |
			jq -sc '[.[] | select(.kind == "conn") | {tls, end}] | unique' || echo '[]')
		hs=$(tail -n 5 "$T/handshaked.err" 2>/dev/null)
	elif [ "$sys" = nginx ]; then
		hs=$(tail -n 5 "$T/nginx-lb.log" 2>/dev/null)
	elif [ "$sys" = direct ]; then
		hs=$(tail -n 5 "$T/backend.log" 2>/dev/null)
	fi
	TLS_DIAG=$(jq -cn --argjson c "$c" --argjson l "$logs" --arg h "$hs" --arg d "$dm" \
		'{counters: $c, log: $l, daemon_or_error_log: ($h | split("\n")),
		  dmesg: ($d | split("\n"))}')
	TLS_DIAG_TEXT=$(jq -r '[
		(.counters | select(has("tls_handshakes")) |
			"tls_handshakes \(.tls_handshakes), tls_failed \(.tls_failed), tls_refused \(.tls_refused)"),
		(.log | map("\(.tls // "-"): \(.end // "-")") | .[:3] | select(length > 0) |
			"log: " + join("; ")),
		(.daemon_or_error_log | map(select(length > 0)) | .[-1:] | .[] | "last log line: " + .)
		] | join("; ")' <<<"$TLS_DIAG")
}

# tls_fail SCENARIO SYSTEM WHY: a failed result with the diagnosis
tls_fail() {
	tls_diag "$2"
	info "$1 $2 failed: $3; $TLS_DIAG_TEXT"
	failed "$1" "$2" 1 "$3${TLS_DIAG_TEXT:+ ($TLS_DIAG_TEXT)}" "$TLS_DIAG"
}

# run_tls SYSTEM: the TLS scenarios through SYSTEM (started with TLS_ON=1,
# one server)
run_tls() {
	local sys=$1 t scn c0 why="" ns=$NS_LB
	t=$(tls_target_"$sys")
	step "TLS, $sys ($t): openssl s_client, warm-up"
	[ "$sys" != direct ] || ns=$NS_SRV
	[ "$sys" != splicer ] || why=$HS_FAILED
	# splicer's listener is the kernel's, there once "service add" returns
	if [ -z "$why" ] && [ "$sys" != splicer ]; then
		wait_until "TLS on $t" 300 0.1 listening "$ns" "${t/198.18.4.1/0.0.0.0}" ||
			why="nothing listens on $t"
	fi
	[ -n "$why" ] || [ "$sys" != splicer ] || tlog_start
	[ -n "$why" ] || tls_probe "$sys" || why=$WHY
	WRK_ENV=(env OPENSSL_CONF="$CCONF")
	[ -n "$why" ] || warm "$sys" "https://$t/1k" || why="warm-up: $WHY"
	[ "$sys" != splicer ] || tlog_stop
	if [ -z "$why" ] && [ "$sys" = splicer ]; then
		# (a record cut by the kill is left out: one JSON document a line)
		TLS_INFO=$(grep '^{.*}$' "$T/tls-log.json" | jq -sc --argjson i "$TLS_INFO" \
			'$i + {splicer_log: (map(select(.kind == "conn") | .tls) | unique)}') ||
			fail "cannot read splicer's log of the TLS warm-up"
	fi
	for scn in "${TLS_SCN[@]}"; do
		step "$scn, $sys"
		if [ -n "$why" ]; then
			tls_fail "$scn" "$sys" "$why"
			continue
		fi
		[ "$sys" != splicer ] || c0=$(splicer_counters)
		case $scn in
		tls-ka-1k) wrk_run "$scn" "$sys" 1 "https://$t/1k" ;;
		tls-close-1k) WRK_DUR=$DUR_HS wrk_run "$scn" "$sys" 1 "https://$t/1k" \
			-H "Connection: close" ;;
		tls-ka-1m) wrk_run "$scn" "$sys" 1 "https://$t/1m" ;;
		esac || {
			tls_fail "$scn" "$sys" "$WHY"
			continue
		}
		RES=$(jq -c --argjson i "$TLS_INFO" '. + {tls: $i}' <<<"$RES")
		if [ "$sys" = splicer ]; then
			with_counters "$c0"
			[ "$(jq .splicer.tls_failed <<<"$RES")" = 0 ] || tls_failed_why "$scn" "$t"
		fi
		result "$RES"
	done
	WRK_ENV=(env)
}

# tls_failed_why SCENARIO TARGET: the run of RES counted failed handshakes
# in splicer; the same run again, not measured, with splicer's decision log
# read (a reader would cost the measured run): how its failed handshakes
# ended, added to RES
tls_failed_why() {
	local res=$RES args=() c0 why
	[ "$1" = tls-close-1k ] && args=(-H "Connection: close")
	step "$1, splicer: failed handshakes counted; again with the log read"
	c0=$(splicer_counters)
	tlog_start 5000
	[ "$1" = tls-close-1k ] && WRK_DUR=$DUR_HS
	wrk_run "$1" splicer 1 "https://$2/${1##*-}" "${args[@]}" || true
	WRK_DUR=
	tlog_stop 2
	with_counters "$c0"
	why=$(grep '^{.*}$' "$T/tls-log.json" | jq -sc --argjson r "$RES" '
		map(select(.kind == "conn" and .end == "TLS handshake failed")) |
		{run: "the same wrk run again, not measured, with splicer'"'"'s decision log read",
		 requests: $r.requests, tls_handshakes: $r.splicer.tls_handshakes,
		 tls_failed: $r.splicer.tls_failed, logged_failures: length,
		 reasons: (group_by(.tls) | map({key: (.[0].tls // "?"), value: length}) |
			from_entries)}')
	RES=$(jq -c --argjson w "$why" '. + {tls_failed_why: $w}' <<<"$res")
	info "failed handshakes: $(jq -c .reasons <<<"$why")"
}

# ------------------------------------------------------------------ rules
# rule_hits: "[HITS OF THE LAST RULE, HITS OF ALL THE OTHERS]" of web
rule_hits() {
	ctlq -j rule show web | jq -c '[(.[-1].hits // 0),
		(((map(.hits) | add) // 0) - (.[-1].hits // 0))]'
}

# run_rules: splicer with each RULE_COUNTS number of rules of each shape
# whose scenarios run (see the header)
run_rules() {
	local n scn h0 shape url scns req
	for shape in host prefix; do
		scns=()
		for scn in "${RULE_SCN[@]}"; do
			case $shape:$scn in
			host:rules-prefix-*) ;;
			host:* | prefix:rules-prefix-*) scns+=("$scn") ;;
			esac
		done
		[ ${#scns[@]} -gt 0 ] || continue
		if [ $shape = prefix ]; then
			url=http://$VIP${RULE_PREFIX}1k req=()
		else
			url=http://$VIP/1k req=(-H "Host: $RULE_HOST")
		fi
		for n in "${RULE_COUNTS[@]}"; do
			step "rules: $n $shape rule(s) on web (inspect on), the request matching the last"
			splicer_up 1 " inspect on" "$n" $shape
			check_eq "rules on web" "$n" "$(ctlq -j rule show web | jq length)"
			warm splicer "$url" || fail "splicer with $n rules does not answer: $WHY"
			check_eq "status of ${url#http://"$VIP"}" 200 \
				"$(in_cli curl -s -o /dev/null -w '%{http_code}' "${req[@]}" "$url")"
			for scn in "${scns[@]}"; do
				step "$scn, splicer, $n rule(s)"
				h0=$(rule_hits)
				case $scn in
				*-ka-1k) wrk_run "$scn" splicer 1 "$url" "${req[@]}" ;;
				*-close-1k) wrk_run "$scn" splicer 1 "$url" "${req[@]}" \
					-H "Connection: close" ;;
				esac || fail "$scn with $n rules: $WHY"
				# Hits count decisions that bind a server: one per connection
				# (keep-alive: later requests to the same pool are evaluated,
				# not counted); none but the last rule's.
				RES=$(jq -c --argjson n "$n" --argjson a "$h0" --argjson b "$(rule_hits)" \
					'. + {rules: $n, hits_last: ($b[0] - $a[0]), hits_others: ($b[1] - $a[1])} |
					 . + {hits_ok: (.hits_others == 0 and
						(.rules == 0 or (.hits_last > 0 and
						 ((.scenario | endswith("-close-1k") | not) or
						  .hits_last >= .requests))))}' <<<"$RES")
				info "hits: $(jq -r '"last rule \(.hits_last), the others \(.hits_others)"' <<<"$RES")"
				result "$RES"
			done
			stop_splicer
		done
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
	local pkgs gcm="" openssl_v="" rules=()
	pkgs=$(dpkg-query -W -f='${Package} ${Version}\n' "linux-image-$(uname -r)" \
		haproxy nginx nginx-light wrk curl python3 iproute2 openssl libssl3 2>/dev/null |
		jq -Rsc 'split("\n") | map(select(length > 0) | split(" ") | {(.[0]): .[1]}) | add')
	if [ ${#TLS_SCN[@]} -gt 0 ]; then
		openssl_v=$(openssl version)
		# the kernel's gcm(aes) of the highest priority: kTLS's
		gcm=$(awk -F' *: ' '$1 == "name" { n = $2 } $1 == "driver" { d = $2 }
			$1 == "priority" && n == "gcm(aes)" && $2 > p { p = $2; best = d }
			END { print best }' /proc/crypto)
	fi
	[ ${#RULE_SCN[@]} = 0 ] || rules=("${RULE_COUNTS[@]}")
	printf 'BENCH-META %s\n' "$(jq -cn --arg m "$MODE" --arg k "$(uname -r)" \
		--arg kv "$(uname -v)" --argjson p "$pkgs" \
		--arg h "$(haproxy -v | head -n 1)" --arg n "$(nginx -v 2>&1)" \
		--arg cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
		--argjson ncpu "$(nproc)" --argjson mem "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)" \
		--argjson bench "${SPLICER_BENCH:-0}" --argjson dur "$DUR" --argjson c "$CONNS" \
		--argjson durhs "$DUR_HS" \
		--argjson idle "$IDLE_CONNS" --argjson tls "${#TLS_SCN[@]}" --arg ov "$openssl_v" \
		--arg suite "$TLS_SUITE" --arg group "$TLS_GROUP" --arg gcm "$gcm" \
		--argjson rules "$(printf '%s\n' "${rules[@]}" | jq -sc .)" \
		--arg rhost "$RULE_HOST" --arg rprefix "$RULE_PREFIX" \
		--argjson rscn "$(printf '%s\n' "${RULE_SCN[@]}" | jq -Rsc 'split("\n") | map(select(length > 0))')" \
		'{mode: $m, kernel: $k, kernel_build: $kv, packages: $p, haproxy: $h, nginx: $n,
		  cpu: $cpu, cpus: $ncpu, mem_kb: $mem, deterministic: ($bench == 1),
		  wrk: {threads: 1, conns: $c, seconds: $dur, seconds_handshakes: $durhs},
		  idle_conns: $idle}
		 + (if $tls > 0 then {tls: {openssl: $ov, protocol: "TLSv1.3", ciphersuite: $suite,
			group: $group, certificate: "ECDSA P-256, self-signed", tickets: false,
			kernel_gcm_aes: $gcm}} else {} end)
		 + (if ($rules | length) > 0 then {rules: {counts: $rules, host: $rhost, prefix: $rprefix,
			scenarios: $rscn}} else {} end)')"
}

[ ${#TLS_SCN[@]} = 0 ] || setup_tls
meta
setup_net
setup_www
start_backend

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

if [ ${#SCENARIOS[@]} -gt 0 ]; then
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
fi

if [ ${#TLS_SCN[@]} -gt 0 ]; then
	TLS_ON=1
	for sys in direct "${SYSTEMS[@]}"; do
		case $sys in
		"") continue ;;
		splicer-splice)
			for scn in "${TLS_SCN[@]}"; do
				na "$scn" splicer-splice "a TLS connection stays on the relay (kTLS): as splicer relay"
			done
			continue
			;;
		esac
		start_"$sys" 1
		run_tls "$sys"
		stop_"$sys"
	done
	TLS_ON=0
fi

[ ${#RULE_SCN[@]} = 0 ] || [ ${#RULE_COUNTS[@]} = 0 ] || run_rules

step "done"
pass
