#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Content rules and Location rewriting at their edges. nginx backends web1,
# web2 (pool app), alt1 (pool alt); service web (pool app) on :80, service
# sp (pool app, splice on) on :81. Asserts:
#  - the request record of a request a rule answered (403) carries its
#    method, target, host and request_no like any other;
#  - a fixed-status rule with a redirect status and no REDIRECT (raw
#    netlink: splicerctl refuses to send it) is refused by the kernel, or
#    answered without a Location field: never a Location made of whatever
#    the kernel had at hand;
#  - a Host longer than the log's copy of it (78 characters): a rewritten
#    Location and Content-Location carry the whole Host, or are left as the
#    server sent them; never a truncated Host;
#  - a service with splice on rewrites Location like any other (the first
#    response of each connection: Location rewriting is on by default);
#  - a keep-alive connection bound to pool alt by a rule survives the rule's
#    deletion and then the pool's (its server's socket stays open): the next
#    request on it is answered by alt1, or the connection ends cleanly; no
#    kernel problem (the runner watches the console);
#  - no connection left open; rmmod clean.
# vm-timeout: 900
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/rules.sh"

require_root
require_splicer
require_cmd curl nginx
topo_up 3
rnginx_start web1=198.18.1.2:8080 web2=198.18.1.3:8080 alt1=198.18.1.4:8080
mod_load

declare -A IP=([web1]=198.18.1.2 [web2]=198.18.1.3 [alt1]=198.18.1.4)

# Each part goes on after a failed check (they are independent): soft_eq
# and soft_fail note the failure, the test fails at the end naming them all.
SOFT=()
soft_fail() {
	printf '  FAIL %s\n' "$*"
	SOFT+=("$*")
}
soft_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1 ($3)"
	else
		soft_fail "$1: expected '$2', got '$3'"
	fi
}
LONG=$(printf 'h%.0s' {1..70}).example

step "configure"
ctlb "pool add app" "server add app web1 198.18.1.2:8080" "server add app web2 198.18.1.3:8080" \
	"pool add alt" "server add alt alt1 198.18.1.4:8080" \
	"service add web listen $LB_IP:80 pool app" "rule add web host alt.example pool alt" \
	"service add sp listen $LB_IP:81 pool app splice on"
ctl rule add web prefix /deny status 403
ctl_try rule add web path /st302 status 302
info "splicerctl rule add web path /st302 status 302: exit $CTL_RC: $CTL_OUT"

rlog_start 80

step "the log record of a request a rule answered names the request"
rq deny -H 'Host: deny.example' '/deny/x?t=1'
rq_run
check_eq "GET /deny/x: status, X-Server" "403 -" "${RS_STATUS[deny]} ${RS_SERVER[deny]}"
wait_until "its record" 100 0.1 grep -q '"reason":"answered by a rule"' "$RLOG" ||
	fail "no request record with reason \"answered by a rule\""
r=$(grep -m1 '"reason":"answered by a rule"' "$RLOG")
info "$r"
check_eq "rule, status, generated" "1 403 true" "$(jget "$r" '"\(.rule) \(.status) \(.generated)"')"
soft_eq "method, target, host, request_no" "GET /deny/x?t=1 deny.example 1" \
	"$(jget "$r" '"\(.method) \(.target) \(.host) \(.request_no)"')"

step "a redirect status without REDIRECT (raw RULE_NEW)"
res302=$(splnl RULE_NEW '{"RULE": {"SERVICE": "web", "PATH": "/st302", "STATUS": 302}}')
rc302=$?
info "STATUS 302 alone: $res302"
res301=$(splnl RULE_NEW '{"RULE": {"SERVICE": "web", "PATH_PREFIX": "/st301", "STATUS": 301}}')
rc301=$?
info "STATUS 301 alone: $res301"

# the queue: 5 requests each (fresh connections, fresh stacks)
for i in 1 2 3 4 5; do
	rq "st302-$i" "/st302?i=$i"
	rq "st301-$i" "/st301/x?i=$i"
done
rq long -H "Host: $LONG" /redir/self
rq long2 -H "Host: $LONG:8081" /redir/self
rq_run
for r in 302 301; do
	rc=rc$r
	if [ "${!rc}" != 0 ]; then
		ok "STATUS $r without REDIRECT: refused by the kernel"
		continue
	fi
	for i in 1 2 3 4 5; do
		soft_eq "STATUS $r rule, request $i: status, Location, X-Server" "$r - -" \
			"${RS_STATUS[st$r-$i]} ${RS_LOC[st$r-$i]} ${RS_SERVER[st$r-$i]}"
	done
done

step "a Host of ${#LONG} characters"
for id in long long2; do
	srv=${RS_SERVER[$id]}
	host=$LONG
	[ $id = long2 ] && host=$LONG:8081
	info "Location: ${RS_LOC[$id]}; Content-Location: ${RS_CLOC[$id]}"
	case "${RS_LOC[$id]}" in
	"http://$host/login?x=1") ok "$id: Location rewritten with the whole Host" ;;
	"http://${IP[$srv]}:8080/login?x=1") ok "$id: Location left as the server sent it" ;;
	*) soft_fail "$id: Location with a Host of ${#host} characters is '${RS_LOC[$id]}': neither http://$host/login?x=1 nor the server's own" ;;
	esac
	case "${RS_CLOC[$id]}" in
	"http://$host/other" | "http://${IP[$srv]}/other") ok "$id: Content-Location whole or untouched" ;;
	*) soft_fail "$id: Content-Location '${RS_CLOC[$id]}' is neither http://$host/other nor the server's own" ;;
	esac
done

step "splice on (service sp): Location rewritten too"
for i in 1 2 3 4 5 6; do
	rq "sp-$i" -H 'Host: www.example' "/redir/self?i=$i"
done
rq_run 81
n=0
for i in 1 2 3 4 5 6; do
	info "sp-$i: ${RS_STATUS[sp-$i]} from ${RS_SERVER[sp-$i]}: Location ${RS_LOC[sp-$i]}, Content-Location ${RS_CLOC[sp-$i]}"
	[ "${RS_STATUS[sp-$i]} ${RS_LOC[sp-$i]} ${RS_CLOC[sp-$i]}" = \
		"302 http://www.example/login?x=1 http://www.example/other" ] && n=$((n + 1))
done
info "spliced connections so far: $(jget "$(ctlq -j stats)" '.stats.spliced // "?"')"
soft_eq "responses with Location and Content-Location rewritten, of 6" 6 "$n"

step "a keep-alive connection bound by a rule outlives the rule and its pool"
# one connection: a request, then wait for $T/go, then another request
bg ip netns exec "$NS_CLI" timeout 60 bash -c '
	exec 3<>"/dev/tcp/$1/80" || exit 1
	printf "GET /k?n=1 HTTP/1.1\r\nHost: alt.example\r\n\r\n" >&3
	while IFS= read -r -t 20 -u 3 l; do
		l=${l//[[:cntrl:]]/}
		printf "%s\n" "$l"
		case "$l" in server=*) break ;; esac
	done
	: >"$2.first"
	for ((i = 0; i < 300; i++)); do [ -e "$2.go" ] && break; sleep 0.1; done
	printf "GET /k?n=2 HTTP/1.1\r\nHost: alt.example\r\nConnection: close\r\n\r\n" >&3
	tr -d "\r" <&3
	echo "END"' _ "$LB_IP" "$T/ka" >"$T/ka.out" 2>&1
KA_PID=$BG_PID
wait_until "the first response" 300 0.1 test -e "$T/ka.first" ||
	fail "no first response: $(cat "$T/ka.out")"
check_match "first request answered by alt1" '^server=alt1 ' "$(grep '^server=' "$T/ka.out")"
ctl rule del web 0
ctl server del alt alt1
ctl pool del alt
: >"$T/ka.go"
wait_until "the client to finish" 300 0.1 pid_gone "$KA_PID" ||
	fail "the client did not finish: $(cat "$T/ka.out")"
sed 's/^/    /' "$T/ka.out"
second=$(sed -n '/^END$/q; p' "$T/ka.out" | grep -c '^server=alt1 method=GET uri=/k?n=2$')
if [ "$second" = 1 ]; then
	ok "the second request on the connection: answered by alt1"
else
	check_eq "the connection ended without a second response (and no garbage)" 1 \
		"$(grep -c '^server=' "$T/ka.out")"
fi

check_drained
kill "$RNGINX_PID"
mod_unload
[ ${#SOFT[@]} = 0 ] || fail "${#SOFT[@]} checks failed: $(printf '%s; ' "${SOFT[@]}")"
pass
