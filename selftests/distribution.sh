#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Smooth weighted round-robin: three backends weighted 1:2:3, 600 requests, each
# on a new connection. Asserts:
#  - all 600 answered 200 by a backend (body "server=X" matches its X-Server);
#  - each server's share within 5 % of all requests (+-30) of its weight share:
#    s1 100, s2 200, s3 300;
#  - each server's "requests" counter in /proc/net/splicer/servers equals what
#    that backend logged, and the service counted 600 connections and requests;
#  - no connection left open; rmmod clean (alloc == free).
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"

N=600
TOL=30	# 5 % of $N

require_root
require_splicer
topo_up 3
backends_start s1=198.18.1.2:8080 s2=198.18.1.3:8080 s3=198.18.1.4:8080
mod_load

step "configure: pool app, s1/s2/s3 weights 1/2/3, service web on $LB_IP:80"
ctl pool add app balance roundrobin
ctl server add app s1 198.18.1.2:8080 weight 1
ctl server add app s2 198.18.1.3:8080 weight 2
ctl server add app s3 198.18.1.4:8080 weight 3
ctl service add web listen "$LB_IP:80" pool app

step "$N requests from $CLI_IP, one connection each"
out=$(httpc seq "$LB_IP" 80 "$N")
info "$out"
check_eq "requests answered 200 with a matching body" "$N" "$(jget "$out" .ok)"

step "shares (weight share of $N, tolerance +-$TOL = 5 % of $N)"
for s in s1:1 s2:2 s3:3; do
	name=${s%%:*}
	w=${s##*:}
	exp=$((N * w / 6))
	got=$(jget "$out" ".servers.$name // 0")
	check_range "$name (weight $w) answered ~$exp" $((exp - TOL)) $((exp + TOL)) "$got"
done

step "counters agree with what the backends saw"
for name in s1 s2 s3; do
	seen=$(backend_requests "$name")
	answered=$(jget "$out" ".servers.$name // 0")
	check_eq "$name: backend log = responses the client got" "$answered" "$seen"
	check_eq "$name: /proc servers requests = backend log" "$seen" \
		"$(proc_get servers requests pool=app name="$name")"
	check_eq "$name: /proc servers conns = backend connections" "$(backend_conns "$name")" \
		"$(proc_get servers conns pool=app name="$name")"
done
check_eq "service web: conns" "$N" "$(proc_get services conns name=web)"
check_eq "service web: requests" "$N" "$(proc_get services requests name=web)"
check_eq "service web: connect failures" 0 "$(proc_get services connect_fail name=web)"
check_eq "splicerctl -j stats: total requests" "$N" "$(jget "$(ctlq -j stats)" .stats.requests)"

check_drained
check_eq "service web: active after the run" 0 "$(proc_get services active name=web)"
mod_unload
pass
