#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600
# Health checking: when probes must not run. Pools configured with
# splicerctl's "health" options (pool add ... health http ...). Asserts:
#  - maint: a server set to state maint runs no probe (its checks counter
#    does not move over 3 s, 10 intervals; its backend logs no probe request
#    after the command returned) and takes no traffic (20 requests, all to
#    the other server); set up again, its probes resume and it takes traffic;
#  - netns deletion: a second balancer namespace (lb2, its own veth to the
#    servers) probes m3 every 300 ms, and probes /hang, a path that never
#    answers, on 6 servers (timeout 29 s, interval 30 s: the first probe of
#    each comes at a random time within the interval, and once sent stays in
#    flight); as soon as one begins, `ip netns del lb2`: its objects are
#    freed (/sys/kernel/splicer/objects back to the count before lb2) well
#    before that probe's timeout (the probes were aborted), and
#    m3's log shows no probe from lb2's address after that while the main
#    namespace's probes of m3 go on;
#  - deleting everything (services, servers, pools): objects 0, and no probe
#    reaches any backend after it (2 s);
#  - rmmod with probes running, some in flight on /hang as above, one just
#    begun: rmmod returns well before its timeout, the unload line shows as
#    many connections freed as allocated, no WARN; no probe reaches any
#    backend after rmmod (2 s);
#  - maint is not a health change: no HEALTH record for m2 from its maint
#    to its return.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$LIB/health.sh"

NS_LB2=lb2-$$
LB2_IP=198.18.2.1
CHECK="health http interval 300ms timeout 280ms rise 2 fall 3 path /health"
HANG="health http interval 30s timeout 29s rise 2 fall 3 path /hang"
HANG_MS=29000
NHANG=6

require_root
require_splicer
topo_up 3
# lb2: another balancer, 198.18.2.1, reaching the servers through its own
# veth (the servers answer it on 198.18.2.2)
add_ns "$NS_LB2"
ip link add lb2s0 netns "$NS_LB2" type veth peer name srv1 netns "$NS_SRV" ||
	fail "veth lb2s0/srv1"
ip netns exec "$NS_LB2" ip addr add "$LB2_IP/24" dev lb2s0
ip netns exec "$NS_LB2" ip link set lb2s0 up
in_srv ip addr add 198.18.2.2/24 dev srv1
in_srv ip link set srv1 up
ip netns exec "$NS_LB2" ip route add "$SRV_NET.0/24" via 198.18.2.2
mod_load
hlog_spawn
flaky_start m1=198.18.1.2:8080 m2=198.18.1.3:8080 m3=198.18.1.4:8080
lb_watch
hlog_wait

# objects: what /sys/kernel/splicer/objects says
objects() { cat /sys/kernel/splicer/objects; }
objects_are() { [ "$(objects)" = "$1" ]; }

# absent_for MS DESC CMD...: CMD stays false for MS ms (polled every 100 ms);
# fail with DESC the moment it holds
absent_for() {
	local ms=$1 desc=$2 start i
	shift 2
	now_ms
	start=$NOW_MS
	for ((i = 0; i < 10000; i++)); do
		"$@" && fail "$desc"
		now_ms
		[ $((NOW_MS - start)) -ge "$ms" ] && return 0
		nap 0.1
	done
}

# probes_after NAME MS [ADDR]: probe requests NAME logged after MS (wall clock)
probes_after() {
	awk -v t="$2" -v a="${3:-}" '$1 == "req" && $7 == "splicer-health" &&
		(a == "" || $3 == a) && $2 * 1000 > t { n++ } END { print n + 0 }' "$T/$1.log"
}
any_probe_after() {
	local n
	for n in m1 m2 m3; do
		[ "$(probes_after "$n" "$1")" = 0 ] || return 0
	done
	return 1
}

# hang_from NAME ADDR SINCE: the time (ms) of the last /hang probe from ADDR
# that NAME logged after SINCE (ms), 0 none, into HANG_AT; HANGS = how many
# (each stays in flight for its timeout)
hang_from() {
	local out
	out=$(awk -v a="$2" -v s="$3" '$1 == "req" && $5 == "/hang" && $3 == a && $2 * 1000 > s {
			t = $2
			n++
		} END { printf "%.0f %d\n", t * 1000, n }' "$T/$1.log")
	HANG_AT=${out% *} HANGS=${out#* }
}
hang_since() { hang_from "$@" && [ "$HANGS" -gt 0 ]; }

# fresh_hang NAME ADDR: until a /hang probe from ADDR begins (from now on):
# one with nearly all its timeout ahead (bounded: NHANG servers begin one
# every ~interval / NHANG)
fresh_hang() {
	now_ms
	wait_until "a /hang probe from $2" 450 0.1 hang_since "$1" "$2" "$NOW_MS" ||
		fail "no /hang probe from $2 within 45 s"
}

# hang_pool NS POOL: a pool of NHANG servers on m3 probed on /hang
hang_pool() {
	local i
	# shellcheck disable=SC2086 # HANG is words on purpose
	ctl_ns "$1" pool add "$2" $HANG
	for ((i = 0; i < NHANG; i++)); do
		ctl_ns "$1" server add "$2" "h$i" 198.18.1.4:8080
	done
}

# ---------------------------------------------------------------- maint
step "pool app (m1, m2), http probes every 300 ms, through splicerctl"
# shellcheck disable=SC2086 # CHECK is words on purpose
ctl pool add app $CHECK
ctl server add app m1 198.18.1.2:8080
ctl server add app m2 198.18.1.3:8080
ctl service add web listen "$LB_IP:80" pool app
ctl pool show app
check_match "pool show: the health line" 'health http interval 300ms .*timeout 280ms rise 2 fall 3 .*path /health' "$CTL_OUT"
got=$(splnl POOL_GET '{"POOL": {"NAME": "app"}}')
check_eq "POOL_GET app: what the kernel holds" "2 300 280 2 3 /health" \
	"$(jget "$got" '.replies[0].attrs.POOL.HEALTH | "\(.TYPE) \(.INTERVAL) \(.TIMEOUT) \(.RISE) \(.FALL) \(.PATH)"')"
wait_checks app m2 3 15
mark
wait_health app m2 up 30000 || fail "m2 not up"
info "$(srv_show app m2)"

step "m2 in maint: no probe, no traffic"
ctl server set app m2 state maint
now_ms
MAINT_MS=$NOW_MS
srv_row app m2
check_eq "m2 state" maint "$R_STATE"
c0=$R_CHECKS req0=$R_REQUESTS hits0=$(flaky_hits m2)
get_n 80 20
check_eq "answered" 20 "$GOT_OK"
check_eq "all by m1" 20 "$(got_from m1)"
m2_probed() { srv_row app m2 && [ "$R_CHECKS" != "$c0" ]; }
now_ms
absent_for $((3000 - (NOW_MS - MAINT_MS))) "m2 probed in maint: $(srv_show app m2)" m2_probed
info "$(srv_show app m2)"
check_eq "m2 checks over 3 s in maint" "$c0" "$R_CHECKS"
check_eq "m2 requests" "$req0" "$R_REQUESTS"
check_eq "m2's log: no traffic" "$hits0" "$(flaky_hits m2)"
# a probe already answered when the command ran may be logged a little late
check_eq "m2's log: no probe later than 500 ms after maint" 0 \
	"$(probes_after m2 $((MAINT_MS + 500)))"

step "m2 up again: probes resume, traffic returns"
ctl server set app m2 state up
now_ms
UP_MS=$NOW_MS
wait_checks app m2 $((c0 + 2)) 15
mark
wait_health app m2 up 30000 || fail "m2 not up"
get_n 80 4
check_range "m2 takes traffic" 1 3 "$(got_from m2)"

# ---------------------------------------------------------------- netns
step "lb2: another namespace probing m3 on /health and on /hang (never answered)"
# shellcheck disable=SC2086
ctl pool add watch $CHECK
ctl server add watch m3 198.18.1.4:8080
objs0=$(objects)
# shellcheck disable=SC2086
ctl_ns "$NS_LB2" pool add app2 $CHECK
ctl_ns "$NS_LB2" server add app2 x3 198.18.1.4:8080
ctl_ns "$NS_LB2" service add web2 listen "$LB2_IP:80" pool app2
hang_pool "$NS_LB2" slow
info "objects: $objs0 before lb2, $(objects) with it"
check_range "lb2's objects: 2 pools, $((NHANG + 1)) servers, 1 service at least" \
	$((NHANG + 4)) 100 $(($(objects) - objs0))
lb2_probes() { [ "$(flaky_probes m3 "$LB2_IP")" -ge 3 ]; }
wait_until "probes from lb2" 150 0.1 lb2_probes ||
	fail "no probe from lb2 reached m3: $(tail -5 "$T/m3.log")"
fresh_hang m3 "$LB2_IP"
ip netns del "$NS_LB2" || fail "ip netns del $NS_LB2"
mark
wait_until "lb2's objects to be freed" 200 0.05 objects_are "$objs0" ||
	fail "objects: $(objects), expected $objs0 once lb2 is gone"
now_ms
GONE_MS=$NOW_MS
hang_from m3 "$LB2_IP" $((MARK_MS - HANG_MS))
info "lb2 freed $((GONE_MS - MARK_MS)) ms after ip netns del; $HANGS /hang probes in flight, the last sent $((MARK_MS - HANG_AT)) ms before"
check_range "freed well before its timeout (ms from its start)" 0 $((HANG_MS - 5000)) \
	$((GONE_MS - HANG_AT))
n2=$(flaky_probes m3 "$LB2_IP")
main0=$(flaky_probes m3 "$LB_SRV_IP")
main_goes_on() { [ "$(flaky_probes m3 "$LB_SRV_IP")" -ge $((main0 + 6)) ]; }
wait_until "6 more probes of m3 from the main namespace" 100 0.1 main_goes_on ||
	fail "the main namespace's probes of m3 stopped"
check_eq "probes from lb2 since" "$n2" "$(flaky_probes m3 "$LB2_IP")"
check_eq "probes from lb2 logged after it was freed" 0 "$(probes_after m3 "$GONE_MS" "$LB2_IP")"

# ---------------------------------------------------------------- delete all
step "delete everything: objects 0, no probe after"
check_drained
ctl service del web
ctl server del app m1
ctl server del app m2
ctl pool del app
ctl server del watch m3
ctl pool del watch
now_ms
DEL_MS=$NOW_MS
wait_until "objects 0" 100 0.05 objects_are 0 || fail "objects: $(objects), expected 0"
ok "/sys/kernel/splicer/objects: 0"
absent_for 2000 "a probe after everything was deleted" any_probe_after $((DEL_MS + 500))
ok "no probe reached a backend in the 2 s after"

# ---------------------------------------------------------------- rmmod
step "rmmod with probes running, some in flight on /hang (timeout 29 s)"
# shellcheck disable=SC2086
ctl pool add fin $CHECK
ctl server add fin m1 198.18.1.2:8080
hang_pool "$NS_LB" slow
p1=$(flaky_probes m1)
m1_probed() { [ "$(flaky_probes m1)" -ge $((p1 + 3)) ]; }
wait_until "probes of m1" 100 0.1 m1_probed || fail "m1 not probed"
hrecs true | sed 's/^/    /'
check_eq "no HEALTH record for m2 from maint to up" 0 \
	"$(nhrecs ".server == \"m2\" and .time / 1000000 >= $MAINT_MS and .time / 1000000 <= $UP_MS")"
no_overflow
hlog_stop
dmesg_at=$(dmesg | wc -l)
fresh_hang m3 "$LB_SRV_IP"
mark
mod_unload
now_ms
RMMOD_MS=$NOW_MS
hang_from m3 "$LB_SRV_IP" $((MARK_MS - HANG_MS))
info "rmmod took $((RMMOD_MS - MARK_MS)) ms; $HANGS /hang probes in flight, the last sent $((MARK_MS - HANG_AT)) ms before"
check_range "rmmod done well before its timeout (ms from its start)" 0 $((HANG_MS - 5000)) \
	$((RMMOD_MS - HANG_AT))
check_eq "no WARN or BUG" "" "$(dmesg | tail -n +$((dmesg_at + 1)) | grep -E 'WARNING|BUG|Oops')"
absent_for 2000 "a probe after rmmod" any_probe_after $((RMMOD_MS + 500))
ok "no probe reached a backend in the 2 s after rmmod"
pass
