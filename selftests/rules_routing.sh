#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Content rules: routing to pools, redirects and fixed statuses, order, the
# default pool, hit counters, the log's rule field, pools held by rules.
# Three pools of two nginx backends each (main1/2, api1/2, shop1/2, X-Server
# names the one that answered); service web's own pool is main. Each request
# is on a connection of its own and carries t=N in its query. Asserts:
#  - each match routes to its pool, and a near miss does not: exact path
#    (query ignored; /exact/ misses), path prefix (a plain string prefix:
#    /apix matches /api; case-sensitive: /API misses), exact host
#    (case-insensitive, port ignored; a subdomain misses), wildcard host
#    (any depth of subdomain; the bare domain and evilshop.example miss),
#    header presence, header with a value (name case-insensitive, the value
#    exact), method, source prefix (198.18.0.128/25: the client's second
#    address 198.18.0.130 matches, 198.18.0.2 does not);
#  - no rule matched: the service's pool main;
#  - the first rule that matches wins: requests matching two rules go to the
#    earlier one (host *.shop.example + /api -> api; DELETE /api -> api;
#    src .130 + Host api.example -> api; DELETE /admin -> shop, not 403); a
#    rule inserted at position 0 takes over, deleting it gives the request
#    back to the rule that matched before;
#  - every response came from a server of the expected pool, and the
#    backends' own logs count the same requests per pool (both backends of
#    each pool served);
#  - the HITS of every rule (splicerctl -j rule show, and the raw RULE_GET
#    dump) equal the requests it decided;
#  - the decision log: each request record's rule is the position of the
#    rule that decided (absent when none did), its decision starts with
#    "rule N; " (N the same position) or "no rule matched; ", its pool is the
#    one that answered;
#  - a redirect rule answers 301 (or the default 302) with exactly the
#    configured Location, a status rule answers 403 / 404; splicer generates
#    these (log: generated, reason "redirected by a rule" / "answered by a
#    rule") and no backend saw any of them;
#  - a rule naming a missing pool is refused; a pool a rule uses cannot be
#    deleted (splicerctl pool del fails saying it is in use) until the rule
#    is deleted, or the service;
#  - 4096 rules per service, the 4097th refused; a request matching only the
#    last of them is routed by it;
#  - no connection left open; rmmod clean.
# vm-timeout: 900
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/rules.sh"

CLI_IP2=198.18.0.130

require_root
require_splicer
require_cmd curl nginx
topo_up 6
in_cli ip addr add "$CLI_IP2/24" dev cli0 || fail "cannot add $CLI_IP2"
rnginx_start main1=198.18.1.2:8080 main2=198.18.1.3:8080 api1=198.18.1.4:8080 \
	api2=198.18.1.5:8080 shop1=198.18.1.6:8080 shop2=198.18.1.7:8080
mod_load

step "configure: pools main, api, shop (two servers each); service web (pool main); rules"
ctlb "pool add main" "server add main main1 198.18.1.2:8080" "server add main main2 198.18.1.3:8080" \
	"pool add api" "server add api api1 198.18.1.4:8080" "server add api api2 198.18.1.5:8080" \
	"pool add shop" "server add shop shop1 198.18.1.6:8080" "server add shop shop2 198.18.1.7:8080" \
	"service add web listen $LB_IP:80 pool main" \
	"rule add web path /exact pool api" \
	"rule add web prefix /api pool api" \
	"rule add web host api.example pool api" \
	"rule add web host *.shop.example pool shop" \
	"rule add web header X-Beta value 1 pool shop" \
	"rule add web header X-Canary pool api" \
	"rule add web method DELETE pool shop" \
	"rule add web src 198.18.0.128/25 pool shop" \
	"rule add web path /old redirect https://new.example/ status 301" \
	"rule add web prefix /moved redirect http://other.example/elsewhere" \
	"rule add web prefix /admin status 403" \
	"rule add web path /gone status 404"
NRULES=12
ctl rule show web
check_eq "rules in the dump" "$NRULES" "$(ctlq -j rule show web | jq length)"
check_eq "hits before any request" "0 0 0 0 0 0 0 0 0 0 0 0" "$(rule_hits web)"
rlog_start 80

# ---------------------------------------------------------------- helpers
# Requests are queued (route, answer) and sent in one batch (routes_run);
# t=N in the query names each.
declare -A EXP_RULE EXP_POOL EXP_STATUS EXP_LOC EXP_REASON EXP_DESC POOL_N
declare -a HITS QUEUED
for ((i = 0; i < NRULES; i++)); do HITS[i]=0; done
NT=0

# queue WANT RULE [rq OPTIONS...] PATH: t=N added to PATH's query
queue() {
	local path sep='?'
	path=${*: -1}
	[[ $path == *'?'* ]] && sep='&'
	NT=$((NT + 1))
	rq "$NT" "${@:1:$#-1}" "$path${sep}t=$NT"
	QUEUED+=("$NT")
}

# route DESC POOL RULE [rq OPTIONS...] PATH: answered 200 by a server of
# POOL, decided by rule RULE (a position, or "none")
route() {
	local desc=$1 want=$2 rule=$3
	shift 3
	queue "$@"
	EXP_DESC[$NT]=$desc EXP_RULE[$NT]=$rule EXP_POOL[$NT]=$want EXP_STATUS[$NT]=200
	POOL_N[$want]=$((${POOL_N[$want]:-0} + 1))
	[ "$rule" = none ] || HITS[rule]=$((HITS[rule] + 1))
}

# answer DESC STATUS LOCATION RULE REASON [rq OPTIONS...] PATH: splicer
# answers STATUS itself (with exactly LOCATION, "-" for none)
answer() {
	local desc=$1 want=$2 wloc=$3 rule=$4 reason=$5
	shift 5
	queue "$@"
	EXP_DESC[$NT]=$desc EXP_RULE[$NT]=$rule EXP_POOL[$NT]=- EXP_STATUS[$NT]=$want
	EXP_LOC[$NT]=$wloc EXP_REASON[$NT]=$reason
	HITS[rule]=$((HITS[rule] + 1))
	GEN_TS+=("$NT")
}

# routes_run [PORT]: send what is queued, check every answer
routes_run() {
	local t srv want
	rq_run "$@"
	for t in "${QUEUED[@]}"; do
		srv=${RS_SERVER[$t]}
		if [ "${EXP_POOL[$t]}" != - ]; then
			want=${EXP_POOL[$t]}
			[ "${RS_STATUS[$t]}" = 200 ] && [ "$(pool_of "$srv")" = "$want" ] &&
				[[ ${RS_BODY[$t]} == "server=$srv "* ]] ||
				fail "${EXP_DESC[$t]} (t=$t): expected 200 from pool $want, got '${RS_STATUS[$t]}' from '$srv': ${RS_BODY[$t]} ${RS_ERR[$t]}"
			ok "${EXP_DESC[$t]} -> $srv (pool $want, rule ${EXP_RULE[$t]})"
		else
			[ "${RS_STATUS[$t]} ${RS_LOC[$t]} $srv" = "${EXP_STATUS[$t]} ${EXP_LOC[$t]} -" ] ||
				fail "${EXP_DESC[$t]} (t=$t): expected '${EXP_STATUS[$t]}' with Location '${EXP_LOC[$t]}' from no server, got '${RS_STATUS[$t]}' Location '${RS_LOC[$t]}' from '$srv' ${RS_ERR[$t]}"
			ok "${EXP_DESC[$t]}: ${RS_STATUS[$t]} Location ${RS_LOC[$t]}, from splicer"
		fi
	done
	QUEUED=()
}

# ---------------------------------------------------------------- routing
step "every match, near misses, the default pool, first match wins, answers"
route "GET /exact (rule 0)" api 0 /exact
route "GET /exact?q=1: the query is not the path" api 0 '/exact?q=1'
route "GET /exact/: not the exact path" main none /exact/
route "GET /api (rule 1)" api 1 /api
route "GET /api/v1/users" api 1 /api/v1/users
route "GET /apix: a plain string prefix" api 1 /apix
route "GET /API: paths are case-sensitive" main none /API
route "Host api.example (rule 2)" api 2 -H 'Host: api.example' /
route "Host API.Example:80: case and port ignored" api 2 -H 'Host: API.Example:80' /
route "Host www.api.example: a subdomain is not the host" main none -H 'Host: www.api.example' /
route "Host a.shop.example (rule 3)" shop 3 -H 'Host: a.shop.example' /
route "Host x.y.shop.example: any depth" shop 3 -H 'Host: x.y.shop.example' /
route "Host shop.example: the bare domain does not match" main none -H 'Host: shop.example' /
route "Host evilshop.example: not a subdomain" main none -H 'Host: evilshop.example' /
route "X-Beta: 1 (rule 4)" shop 4 -H 'X-Beta: 1' /
route "x-beta: 1 (field names are case-insensitive)" shop 4 -H 'x-beta: 1' /
route "X-Beta: 2: another value" main none -H 'X-Beta: 2' /
route "X-Canary: anything (rule 5)" api 5 -H 'X-Canary: anything' /
route "DELETE /thing (rule 6)" shop 6 -X DELETE /thing
route "POST /thing" main none -X POST -d x=1 /thing
route "from $CLI_IP2 (rule 7)" shop 7 --src "$CLI_IP2" /
route "from $CLI_IP" main none --src "$CLI_IP" /
route "GET /: no rule matched" main none /
route "GET /static/app.js: no rule matched" main none /static/app.js
route "Host a.shop.example GET /api/x: rule 1 before rule 3" api 1 -H 'Host: a.shop.example' /api/x
route "DELETE /api/x: rule 1 before rule 6" api 1 -X DELETE /api/x
route "from $CLI_IP2 with Host api.example: rule 2 before rule 7" api 2 \
	--src "$CLI_IP2" -H 'Host: api.example' /
route "DELETE /admin: rule 6 (pool shop) before rule 10 (403)" shop 6 -X DELETE /admin
GEN_TS=()
answer "GET /old (rule 8)" 301 https://new.example/ 8 "redirected by a rule" /old
answer "GET /old?from=x (rule 8)" 301 https://new.example/ 8 "redirected by a rule" '/old?from=x'
answer "GET /moved/deep (rule 9, default status)" 302 http://other.example/elsewhere 9 \
	"redirected by a rule" /moved/deep
answer "POST /moved (rule 9)" 302 http://other.example/elsewhere 9 \
	"redirected by a rule" -X POST -d a=b /moved
answer "GET /admin (rule 10)" 403 - 10 "answered by a rule" /admin
answer "GET /admin/users (rule 10)" 403 - 10 "answered by a rule" /admin/users
answer "GET /gone (rule 11)" 404 - 11 "answered by a rule" /gone
routes_run
re=$(IFS='|'; echo "${GEN_TS[*]}")
check_eq "backend log lines of the requests splicer answered (t in ${GEN_TS[*]})" 0 \
	"$(cat "$T"/main?.log "$T"/api?.log "$T"/shop?.log | grep -cE "[?&]t=($re) HTTP/")"

# ---------------------------------------------------------------- counters
step "backends: requests per pool as the clients saw them"
for p in main api shop; do
	n1=$(grep -c 't=' "$T/${p}1.log")
	n2=$(grep -c 't=' "$T/${p}2.log")
	check_eq "pool $p: requests in ${p}1 + ${p}2's logs" "${POOL_N[$p]}" $((n1 + n2))
	check_range "${p}1 served" 1 1000 "$n1"
	check_range "${p}2 served" 1 1000 "$n2"
done

step "rule hits"
ctl rule show web
check_eq "splicerctl -j rule show web: hits by position" "${HITS[*]}" "$(rule_hits web)"
raw=$(splnl --dump RULE_GET '{"RULE": {"SERVICE": "web"}}')
check_eq "RULE_GET dump: HITS by POSITION" "${HITS[*]}" \
	"$(jget "$raw" '[.replies[].attrs.RULE | "\(.HITS)"] | join(" ")')"
check_eq "RULE_GET dump: POSITION 0..$((NRULES - 1))" "$(seq -s ' ' 0 $((NRULES - 1)))" \
	"$(jget "$raw" '[.replies[].attrs.RULE.POSITION | tostring] | join(" ")')"

step "decision log: one request record per request, its rule, decision and pool"
log_complete() { [ "$(rlog_count)" -ge $((NT + 1)) ]; }
wait_until "the log to hold every request" 100 0.1 log_complete ||
	fail "$(rlog_count) request records, expected at least $((NT + 1))"
declare -A GOT
while IFS=$'\t' read -r t rule decision pool status gen reason; do
	[ "$t" = - ] && continue
	[ -z "${GOT[$t]}" ] || fail "two request records for t=$t"
	GOT[$t]="$rule|$decision|$pool|$status|$gen|$reason"
done <<<"$(rlog_table)"
bad=0
for ((t = 1; t <= NT; t++)); do
	[ "${EXP_POOL[$t]}" = - ] && continue	# below: their records have no target
	IFS='|' read -r rule decision pool status gen reason <<<"${GOT[$t]}"
	want=${EXP_RULE[$t]}
	if [ "$want" = none ]; then
		wdec="no rule matched; "
	else
		wdec="rule $want; "
	fi
	[ -n "${GOT[$t]}" ] && [ "$rule" = "$want" ] && [[ $decision == "$wdec"* ]] &&
		[ "$status" = 200 ] && [ "$pool" = "${EXP_POOL[$t]}" ] && [ "$gen" = false ] &&
		continue
	info "t=$t: expected rule $want, decision '$wdec...', pool ${EXP_POOL[$t]}, 200; got '${GOT[$t]}'"
	bad=$((bad + 1))
done
check_eq "records of the requests servers answered that disagree with what was sent" 0 "$bad"
info "e.g.: $(grep -m1 -F 't=1"' "$RLOG")"
# the requests splicer answered: by their rule, status and reason
want=$(for t in "${GEN_TS[@]}"; do
	printf '%s rule %d; %s %s\n' "${EXP_RULE[$t]}" "${EXP_RULE[$t]}" "${EXP_STATUS[$t]}" "${EXP_REASON[$t]}"
done | sort)
got=$(jq -r 'select(.kind == "request" and .generated and .rule != null) |
	"\(.rule) \(.decision | sub("; .*"; ";")) \(.status) \(.reason)"' "$RLOG" | sort)
check_eq "records of the requests splicer answered: rule, decision, status, reason" "$want" "$got"
info "e.g.: $(grep -m1 -F '"reason":"redirected by a rule"' "$RLOG")"

# ---------------------------------------------------------------- order
step "order: a rule inserted at position 0 takes over; deleting it gives the request back"
ctl rule add web at 0 host '*.shop.example' prefix /api pool shop
route "Host a.shop.example GET /api/x: the new rule 0" shop 0 -H 'Host: a.shop.example' /api/x
route "Host b.shop.example GET /: rule 3 is rule 4 now" shop 4 -H 'Host: b.shop.example' /
routes_run
check_eq "hits of the new rule 0 and of the old rule 3 (position 4 now)" \
	"1 $((HITS[3] + 1))" "$(ctlq -j rule show web | jq -r '"\(.[0].hits) \(.[4].hits)"')"
ctl rule del web 0
route "Host a.shop.example GET /api/x: rule 1 again" api 1 -H 'Host: a.shop.example' /api/x
routes_run
check_eq "rules after the delete" "$NRULES" "$(ctlq -j rule show web | jq length)"
check_eq "the rule at position 0 is /exact again" /exact \
	"$(ctlq -j rule show web | jq -r '.[0].path')"

# ---------------------------------------------------------------- pools
step "pools held by rules"
ctl_try rule add web path /nowhere pool nosuch
info "rule add ... pool nosuch: exit $CTL_RC: $CTL_OUT"
check_eq "a rule naming a missing pool: refused" 1 "$((CTL_RC != 0))"
check_match "... saying so" 'no such pool' "$CTL_OUT"
ctl pool add spare
ctl server add spare spare1 198.18.1.2:8080
ctl rule add web path /spare pool spare
ctl_try pool del spare
info "pool del spare: exit $CTL_RC: $CTL_OUT"
check_eq "pool del of a pool a rule uses: refused" 1 "$((CTL_RC != 0))"
check_match "... saying it is in use" 'in use' "$CTL_OUT"
ctl pool show spare
ctl rule del web "$NRULES"
ctl pool del spare
ok "deleting the rule released the pool"
ctl_try pool del api
info "pool del api: exit $CTL_RC: $CTL_OUT"
check_eq "pool del api (used by rules only): refused" 1 "$((CTL_RC != 0))"
check_match "... saying it is in use" 'in use' "$CTL_OUT"
ctl_try pool del shop
check_eq "pool del shop (used by rules only): refused" 1 "$((CTL_RC != 0))"
ctl service show web

# ---------------------------------------------------------------- limit
step "4096 rules on one service, the 4097th refused"
ctl service add big listen "$LB_IP:81" pool main
for ((i = 1; i <= 4096; i++)); do
	echo "rule add big path /r$i pool api"
done >"$T/big.batch"
in_lb "$CTL" -b "$T/big.batch" >"$T/big.out" 2>&1 || fail "splicerctl -b: $(tail -3 "$T/big.out")"
check_eq "rules of big" 4096 "$(ctlq -j rule show big | jq length)"
ctl_try rule add big path /r4097 pool api
info "the 4097th: exit $CTL_RC: $CTL_OUT"
check_eq "the 4097th rule: refused" 1 "$((CTL_RC != 0))"
check_match "... saying why" '4096' "$CTL_OUT"
route "GET /r4096 on big: decided by the last rule" api 4095 /r4096
route "GET /r4097 on big: no rule" main none /r4097
routes_run 81
check_eq "hits of big's last rule" 1 "$(ctlq -j rule show big | jq -r '.[4095].hits')"

step "deleting the services releases the pools"
ctl service del big
ctl service del web
ctl pool del api
ctl pool del shop
ctl pool del main

check_drained
kill "$RNGINX_PID"
mod_unload
pass
