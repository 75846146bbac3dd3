#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The control plane: generic netlink requests, good and bad. Asserts:
#  - bad requests sent raw (selftests/lib/splnl.py, so the CLI's own checks do
#    not hide the kernel's): unknown pool, duplicate pool/server/service name,
#    a second service on the same ADDR:PORT, port 0, FAMILY/ADDR length
#    mismatch both ways, unknown family, weight 0 / 1001 (add and set), bad
#    state, names with bad characters / empty / 32 bytes / no NUL, server add
#    to an unknown pool, pool del while a service uses it, a missing PORT:
#    each refused with the expected errno and a non-empty extack message that
#    names the attribute or the value, and the configuration (splicerctl -j
#    service/pool/server show) byte-for-byte unchanged afterwards;
#  - the same through splicerctl: a kernel refusal exits 1 and prints the
#    kernel's message, a usage error exits 2 with a usage line;
#  - callers without CAP_NET_ADMIN (capsh --drop, or uid 65534 via setpriv)
#    get EPERM on every mutating command and change nothing; reading works;
#  - add/set/del round trips: every field set is shown back by splicerctl -j
#    and by a raw SERVICE_GET, pool servers/servers_up follow server states,
#    deleted objects are gone;
#  - objects live in their own network namespace only;
#  - a service listening on [::1]:8080 in the lb namespace answers, and
#    forwards X-Forwarded-For: ::1.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"

require_root
require_splicer
require_cmd setpriv curl
topo_up 1
backends_start s1=198.18.1.2:8080
mod_load

step "initial configuration"
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add web listen "$LB_IP:80" pool app

# snapshot: the configuration as splicerctl -j shows it, counters left out
snapshot() {
	printf '%s\n' "$(ctlq -j service show)" "$(ctlq -j pool show)" "$(ctlq -j server show)" |
		jq -c 'if type == "array" then map(del(.stats)) else del(.stats) end'
}
BASE=$(snapshot)
check_match "snapshot shows service web" '"name":"web"' "$BASE"

# unchanged DESC: the configuration is still $BASE
unchanged() {
	local now
	now=$(snapshot)
	[ "$now" = "$BASE" ] || fail "$1: configuration changed.
expected: $BASE
got:      $now"
	ok "$1: configuration unchanged"
}

# reject_nl DESC ERRNOS REGEX ATTR CMD JSON: queue a raw request that the kernel
# must refuse with one of ERRNOS (e.g. "EINVAL|ERANGE"), an extack message
# matching REGEX (case-insensitive) and, unless ATTR is "-", the extack offset
# pointing at attribute ATTR (e.g. SERVICE.PORT); the configuration must be
# unchanged after it. run_rejects sends the queue through one splnl.py
# process (python starts slowly under TCG), which dumps the whole
# configuration after every request; every case is checked and reported
# before the test fails, so one module bug does not hide the others.
R_DESC=() R_ERRS=() R_RE=() R_ATTR=() R_REQ=()
reject_nl() {
	R_DESC+=("$1") R_ERRS+=("$2") R_RE+=("$3") R_ATTR+=("$4")
	R_REQ+=("$1"$'\t'"$5"$'\t'"$6")
}

run_rejects() {
	local i out results fails=() err msg bad same why
	out=$(printf '%s\n' "${R_REQ[@]}" | in_lb $PY "$LIB/splnl.py" --batch) ||
		fail "splnl.py --batch failed: $out"
	mapfile -t results <<<"$(printf '%s\n' "$out" | jq -r '[.error, (.extack // ""), (.bad_attr // "-"), .config_unchanged] | @tsv')"
	[ "${#results[@]}" = "${#R_DESC[@]}" ] ||
		fail "splnl.py answered ${#results[@]} of ${#R_DESC[@]} requests: $out"
	for i in "${!R_DESC[@]}"; do
		IFS=$'\t' read -r err msg bad same <<<"${results[$i]}"
		info "${R_DESC[$i]}: $err \"$msg\" (bad attribute: $bad)"
		why=""
		if ! printf '%s' "$err" | grep -Eqx -- "${R_ERRS[$i]}"; then
			why="expected errno ${R_ERRS[$i]}, got $err"
		elif [ -z "$msg" ]; then
			why="$err without an extack message"
		elif ! printf '%s' "$msg" | grep -Eqi -- "${R_RE[$i]}"; then
			why="extack message \"$msg\" does not name /${R_RE[$i]}/"
		elif [ "${R_ATTR[$i]}" != - ] && [ "$bad" != "${R_ATTR[$i]}" ]; then
			why="extack offset points at $bad, expected ${R_ATTR[$i]}"
		elif [ "$same" != true ]; then
			why="the configuration changed: $(printf '%s\n' "$out" | sed -n "$((i + 1))p")"
		fi
		if [ -n "$why" ]; then
			printf '  FAIL %s: %s\n       request: %s\n' "${R_DESC[$i]}" "$why" \
				"$(printf '%s' "${R_REQ[$i]}" | cut -f2-)"
			fails+=("${R_DESC[$i]}: $why")
		else
			ok "${R_DESC[$i]}: refused, $err, message and offset name it, configuration unchanged"
		fi
	done
	unchanged "after ${#R_DESC[@]} bad requests (splicerctl view)"
	if [ "${#fails[@]}" != 0 ]; then
		for why in "${fails[@]}"; do
			printf '  failed: %s\n' "$why"
		done
		fail "${#fails[@]} of ${#R_DESC[@]} bad requests not refused as expected (listed above)"
	fi
}

A_LB=c6120001			# 198.18.0.1
A_SRV=c6120102			# 198.18.1.2
A_V6=00000000000000000000000000000001	# ::1
svc() {	# svc NAME FAMILY ADDRHEX PORT POOL -> SERVICE nest JSON
	printf '{"SERVICE": {"NAME": "%s", "FAMILY": %s, "ADDR": ["bin", "%s"], "PORT": %s, "POOL": "%s"}}' "$@"
}
srv() {	# srv POOL NAME FAMILY ADDRHEX PORT [EXTRA-JSON-MEMBERS]
	printf '{"SERVER": {"POOL": "%s", "NAME": "%s", "FAMILY": %s, "ADDR": ["bin", "%s"], "PORT": %s%s}}' \
		"$1" "$2" "$3" "$4" "$5" "${6:+, $6}"
}

step "bad requests, raw netlink"
reject_nl "service with an unknown pool" ENOENT 'nosuch|pool' SERVICE.POOL \
	SERVICE_NEW "$(svc web2 2 $A_LB 81 nosuch)"
reject_nl "duplicate pool name" EEXIST 'name|app|exist' POOL.NAME POOL_NEW '{"POOL": {"NAME": "app"}}'
reject_nl "duplicate server name" EEXIST 'name|s1|exist' SERVER.NAME SERVER_NEW "$(srv app s1 2 $A_SRV 8081)"
reject_nl "duplicate service name" EEXIST 'name|web|exist' SERVICE.NAME SERVICE_NEW "$(svc web 2 $A_LB 81 app)"
reject_nl "second service on the same address and port" 'EADDRINUSE|EEXIST' 'addr|port|listen|use' - \
	SERVICE_NEW "$(svc web2 2 $A_LB 80 app)"
reject_nl "port 0" 'EINVAL|ERANGE' 'port' SERVICE.PORT SERVICE_NEW "$(svc web2 2 $A_LB 0 app)"
reject_nl "server port 0" 'EINVAL|ERANGE' 'port' SERVER.PORT SERVER_NEW "$(srv app s2 2 $A_SRV 0)"
reject_nl "AF_INET with a 16-byte address" EINVAL 'addr|family' - \
	SERVICE_NEW "$(svc web2 2 $A_V6 81 app)"
reject_nl "AF_INET6 with a 4-byte address" EINVAL 'addr|family' - \
	SERVICE_NEW "$(svc web2 10 $A_LB 81 app)"
reject_nl "server AF_INET with a 16-byte address" EINVAL 'addr|family' - \
	SERVER_NEW "$(srv app s2 2 $A_V6 8080)"
reject_nl "unknown address family 7" 'EINVAL|EAFNOSUPPORT|ERANGE' 'family' SERVICE.FAMILY \
	SERVICE_NEW "$(svc web2 7 $A_LB 81 app)"
reject_nl "weight 0" 'EINVAL|ERANGE' 'weight' SERVER.WEIGHT SERVER_NEW "$(srv app s2 2 $A_SRV 8080 '"WEIGHT": 0')"
reject_nl "weight 1001" 'EINVAL|ERANGE' 'weight' SERVER.WEIGHT SERVER_NEW "$(srv app s2 2 $A_SRV 8080 '"WEIGHT": 1001')"
reject_nl "server set weight 5000" 'EINVAL|ERANGE' 'weight' SERVER.WEIGHT \
	SERVER_SET '{"SERVER": {"POOL": "app", "NAME": "s1", "WEIGHT": 5000}}'
reject_nl "server set state 9" 'EINVAL|ERANGE' 'state' SERVER.STATE \
	SERVER_SET '{"SERVER": {"POOL": "app", "NAME": "s1", "STATE": 9}}'
reject_nl "pool name with a space" 'EINVAL|ERANGE' 'name' POOL.NAME POOL_NEW '{"POOL": {"NAME": "a b"}}'
reject_nl "pool name with a slash" 'EINVAL|ERANGE' 'name' POOL.NAME POOL_NEW '{"POOL": {"NAME": "a/b"}}'
reject_nl "empty pool name" 'EINVAL|ERANGE' 'name' POOL.NAME POOL_NEW '{"POOL": {"NAME": ""}}'
reject_nl "32-byte pool name" 'EINVAL|ERANGE' 'name' POOL.NAME \
	POOL_NEW '{"POOL": {"NAME": "abcdefghijklmnopqrstuvwxyz012345"}}'
reject_nl "pool name without its NUL" 'EINVAL|ERANGE' 'name' POOL.NAME POOL_NEW '{"POOL": {"NAME": ["strn", "abc"]}}'
reject_nl "service name with a newline" 'EINVAL|ERANGE' 'name' SERVICE.NAME \
	SERVICE_NEW "$(svc 'we\nb' 2 $A_LB 81 app)"
reject_nl "server add to an unknown pool" ENOENT 'nosuch|pool' SERVER.POOL SERVER_NEW "$(srv nosuch s2 2 $A_SRV 8080)"
reject_nl "pool del while service web uses it" EBUSY 'app|web|use' - POOL_DEL '{"POOL": {"NAME": "app"}}'
reject_nl "service without a PORT" EINVAL 'port|missing' - \
	SERVICE_NEW "{\"SERVICE\": {\"NAME\": \"web2\", \"FAMILY\": 2, \"ADDR\": [\"bin\", \"$A_LB\"], \"POOL\": \"app\"}}"
reject_nl "service set to an unknown pool" ENOENT 'nosuch|pool' SERVICE.POOL \
	SERVICE_SET '{"SERVICE": {"NAME": "web", "POOL": "nosuch"}}'
reject_nl "server del of an unknown server" ENOENT 'nope|server|name' - \
	SERVER_DEL '{"SERVER": {"POOL": "app", "NAME": "nope"}}'
run_rejects

step "bad requests through splicerctl"
# reject_ctl DESC RC REGEX ARGS...: splicerctl ARGS exits RC (a regex: 1, [12]),
# its output matches REGEX, and the configuration is unchanged
reject_ctl() {
	local desc=$1 rc=$2 re=$3
	shift 3
	ctl_try "$@"
	info "splicerctl $*: exit $CTL_RC: $CTL_OUT"
	[[ $CTL_RC =~ ^($rc)$ ]] || fail "$desc: splicerctl $* exited $CTL_RC, expected $rc: $CTL_OUT"
	printf '%s' "$CTL_OUT" | grep -Eqi -- "$re" ||
		fail "$desc: splicerctl's message does not name /$re/: $CTL_OUT"
	ok "$desc: exit $CTL_RC, message names it"
	unchanged "$desc"
}
reject_ctl "unknown pool (kernel message)" 1 'POOL.*no such pool' \
	service add web2 listen "$LB_IP:81" pool nosuch
reject_ctl "pool in use (kernel message)" 1 'in use' pool del app
reject_ctl "duplicate server (kernel message)" 1 'exist' server add app s1 198.18.1.2:8081
reject_ctl "weight 0" '[12]' 'weight' server add app s2 198.18.1.2:8080 weight 0
reject_ctl "port 0" '[12]' 'port' service add web2 listen "$LB_IP:0" pool app
reject_ctl "unknown object: usage" 2 'usage' frobnicate add x
reject_ctl "missing arguments: usage" 2 'usage' service add web2

step "callers without CAP_NET_ADMIN"
# nonadmin_nl DESC CMD JSON: uid 65534 without capabilities gets EPERM
nonadmin_nl() {
	local desc=$1 out
	shift
	out=$(in_lb setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		$PY "$LIB/splnl.py" "$@")
	check_eq "uid 65534: $desc" EPERM "$(jget "$out" .error)"
	unchanged "uid 65534: $desc"
}
nonadmin_nl "pool add" POOL_NEW '{"POOL": {"NAME": "zz"}}'
nonadmin_nl "service del" SERVICE_DEL '{"SERVICE": {"NAME": "web"}}'
nonadmin_nl "server set" SERVER_SET '{"SERVER": {"POOL": "app", "NAME": "s1", "WEIGHT": 9}}'
out=$(in_lb setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	$PY "$LIB/splnl.py" --dump SERVICE_GET)
check_eq "uid 65534: service dump allowed" OK "$(jget "$out" .error)"
check_eq "uid 65534: dump shows web" web "$(jget "$out" '.replies[0].attrs.SERVICE.NAME')"
if command -v capsh >/dev/null; then
	out=$(in_lb capsh --drop=cap_net_admin -- -c "exec $CTL pool add zz" 2>&1)
	rc=$?
	info "root without cap_net_admin: splicerctl pool add zz: exit $rc: $out"
	check_eq "root without cap_net_admin: exit status" 1 "$rc"
	check_match "root without cap_net_admin: message" 'not permitted|EPERM|CAP_NET_ADMIN' "$out"
	unchanged "root without cap_net_admin"
else
	info "capsh not installed (libcap2-bin): the root-without-capability case is not checked"
fi

step "round trips: pool"
ctl pool add lc balance leastconn
check_eq "pool lc balance" leastconn "$(jget "$(ctlq -j pool show lc)" '(if type == "array" then .[0] else . end).balance')"
ctl pool set lc balance roundrobin
check_eq "pool lc balance after set" roundrobin "$(jget "$(ctlq -j pool show)" '.[] | select(.name == "lc") | .balance')"

step "round trips: server"
ctl server add lc a1 198.18.1.2:8080 weight 5 maxconn 10 state drain
sj=$(ctlq -j server show lc a1)
sj=$(jget "$sj" 'if type == "array" then .[0] else . end')
check_eq "a1 as added" "lc a1 inet 198.18.1.2 8080 5 10 drain" \
	"$(jget "$sj" '"\(.pool) \(.name) \(.family) \(.addr) \(.port) \(.weight) \(.maxconn) \(.state)"')"
check_eq "pool lc servers/servers_up" "1 0" \
	"$(jget "$(ctlq -j pool show)" '.[] | select(.name == "lc") | "\(.servers) \(.servers_up)"')"
ctl server set lc a1 weight 7 maxconn 0 state up
sj=$(jget "$(ctlq -j server show)" '.[] | select(.pool == "lc" and .name == "a1")')
check_eq "a1 after set" "7 0 up" "$(jget "$sj" '"\(.weight) \(.maxconn) \(.state)"')"
check_eq "pool lc servers/servers_up" "1 1" \
	"$(jget "$(ctlq -j pool show)" '.[] | select(.name == "lc") | "\(.servers) \(.servers_up)"')"
check_eq "/proc/net/splicer/servers row" "7 0 up" \
	"$(proc_get servers weight pool=lc name=a1) $(proc_get servers maxconn pool=lc name=a1) $(proc_get servers state pool=lc name=a1)"
ctl server set lc a1 state maint
check_eq "a1 state maint" maint \
	"$(jget "$(ctlq -j server show)" '.[] | select(.pool == "lc" and .name == "a1") | .state')"

step "round trips: service"
ctl service add rt listen "$LB_IP:8081" pool lc head-max 8192 header-timeout 3s connect-timeout 500ms server-timeout 5s retries 2
vj=$(jget "$(ctlq -j service show)" '.[] | select(.name == "rt")')
check_eq "rt as added" "inet 198.18.0.1 8081 lc 8192 3000 500 5000 2" \
	"$(jget "$vj" '"\(.family) \(.addr) \(.port) \(.pool) \(.head_max) \(.header_timeout) \(.connect_timeout) \(.server_timeout) \(.retries)"')"
ctl service set rt pool app retries 1 header-timeout 4s head-max 4096
out=$(splnl SERVICE_GET '{"SERVICE": {"NAME": "rt"}}')
check_eq "rt after set, raw SERVICE_GET" "$A_LB 8081 app 4096 4000 500 5000 1" \
	"$(jget "$out" '.replies[0].attrs.SERVICE | "\(.ADDR) \(.PORT) \(.POOL) \(.HEAD_MAX) \(.HEADER_TIMEOUT) \(.CONNECT_TIMEOUT) \(.SERVER_TIMEOUT) \(.RETRIES)"')"
check_eq "/proc/net/splicer/services row" "198.18.0.1 8081 app" \
	"$(proc_get services addr name=rt) $(proc_get services port name=rt) $(proc_get services pool name=rt)"
out=$(cli_curl "http://$LB_IP:8081/") || fail "curl through rt: $out"
check_eq "rt serves (pool app after set)" "server=s1" "$out"

step "round trips: delete"
ctl service del rt
ctl_try -j service show rt
[ "$CTL_RC" != 0 ] || fail "service show rt after del: exit 0: $CTL_OUT"
ok "service show rt after del: exit $CTL_RC"
check_eq "rt gone from the list" "" "$(jget "$(ctlq -j service show)" '.[] | select(.name == "rt") | .name')"
check_eq "rt gone from /proc" "" "$(proc_get services name name=rt)"
ctl server del lc a1
check_eq "a1 gone" "" "$(jget "$(ctlq -j server show)" '.[] | select(.name == "a1") | .name')"
ctl pool del lc
check_eq "lc gone" "" "$(jget "$(ctlq -j pool show)" '.[] | select(.name == "lc") | .name')"
unchanged "after the round trips"

step "objects live in their own namespace"
check_eq "services seen from $NS_SRV" "[]" "$(ip netns exec "$NS_SRV" "$CTL" -j service show | jq -c .)"
check_eq "rows in $NS_SRV's /proc/net/splicer/services" 0 \
	"$(ip netns exec "$NS_SRV" cat /proc/net/splicer/services | tail -n +2 | grep -c .)"
ctl_ns "$NS_SRV" pool add app
ok "the same pool name in another namespace is no duplicate"
ctl_ns "$NS_SRV" pool del app
unchanged "after add/del in $NS_SRV"

step "IPv6 listener on [::1]:8080 in $NS_LB"
ctl service add v6 listen '[::1]:8080' pool app
check_eq "v6 family and address" "inet6 ::1 8080" \
	"$(jget "$(ctlq -j service show)" '.[] | select(.name == "v6") | "\(.family) \(.addr) \(.port)"')"
check_eq "/proc/net/splicer/services addr" "::1" "$(proc_get services addr name=v6)"
out=$(in_lb curl -sS --max-time 20 -g 'http://[::1]:8080/headers') || fail "curl [::1]:8080: $out"
info "$(printf '%s' "$out" | tr -d '\r' | tr '\n' '|')"
check_match "answered by s1 through [::1]:8080" '^GET /headers HTTP/1.1' "$out"
check_match "X-Forwarded-For: ::1" '^X-Forwarded-For: ::1.?$' "$(printf '%s\n' "$out" | grep -i '^x-forwarded-for')"
check_eq "v6 requests" 1 "$(proc_get services requests name=v6)"

check_drained
mod_unload
pass
