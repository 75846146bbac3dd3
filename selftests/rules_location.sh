#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Location rewriting: a Location or Content-Location that names the server
# that answered (http:// or https://, its ip:port or its bare ip) reaches the
# client as the client's scheme and the Host it sent. nginx backends web1
# and web2 (pool app, service web) and alt1 (pool alt, chosen by a rule on
# Host alt.example) answer /redir/self with 302, Location:
# http://<own ip>:8080/login?x=1 and Content-Location: http://<own ip>/other
# (see selftests/lib/rules.sh for the other endpoints). Asserts:
#  - rewriting on (the default): Location http://<Host>/login?x=1 and
#    Content-Location http://<Host>/other for Host www.example, the Host's
#    port kept (www.example:8081), Host the VIP; a HEAD; https://
#    naming the server becomes http:// (the client's scheme); a 201's
#    Location and a 200's Content-Location too; on a server chosen by a
#    rule (alt1, Host alt.example) too; on every response of a keep-alive
#    connection (framing intact: both transfers complete on one connection);
#  - never rewritten: a Location naming another host (other.example:8080),
#    the server's address with another port, another server's address, a
#    relative Location, a request without Host (HTTP/1.0);
#  - splicerctl service set web location-rewrite off: service show says so,
#    every Location and Content-Location arrives exactly as the server sent
#    it; on again: rewritten again;
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

step "configure: pool app (web1, web2), pool alt (alt1), service web; rule host alt.example -> alt"
ctlb "pool add app" "server add app web1 198.18.1.2:8080" "server add app web2 198.18.1.3:8080" \
	"pool add alt" "server add alt alt1 198.18.1.4:8080" \
	"service add web listen $LB_IP:80 pool app" "rule add web host alt.example pool alt"
check_eq "location_rewrite by default" true \
	"$(ctlq -j service show web | jq -r '.. | objects | select(has("location_rewrite")) | .location_rewrite' | head -1)"

# loc DESC STATUS LOCATION CONTENT-LOCATION [rq OPTIONS...] PATH: queue a
# request; "@" in an expected value is the answering server's own address,
# "-" an absent field. loc_run: send the queue, check every answer.
declare -A EXP LDESC
NL=0
loc() {
	NL=$((NL + 1))
	LDESC[$NL]=$1
	EXP[$NL]="$2|$3|$4"
	shift 4
	rq "$NL" "$@"
}
loc_run() {
	local i srv want code l cl
	rq_run
	for ((i = 1; i <= NL; i++)); do
		[ -n "${LDESC[$i]}" ] || continue
		srv=${RS_SERVER[$i]}
		[ "$srv" != - ] && [ -n "$srv" ] ||
			fail "${LDESC[$i]}: no X-Server (status '${RS_STATUS[$i]}') ${RS_ERR[$i]}"
		want=${EXP[$i]//@/${IP[$srv]}}
		IFS='|' read -r code l cl <<<"$want"
		check_eq "${LDESC[$i]} ($srv): status" "$code" "${RS_STATUS[$i]}"
		check_eq "${LDESC[$i]}: Location" "$l" "${RS_LOC[$i]}"
		check_eq "${LDESC[$i]}: Content-Location" "$cl" "${RS_CLOC[$i]}"
		LDESC[$i]=
	done
}

step "rewritten: Location and Content-Location naming the server"
loc "Host www.example" 302 http://www.example/login?x=1 http://www.example/other \
	-H 'Host: www.example' /redir/self
loc "Host www.example (the other server)" 302 http://www.example/login?x=1 http://www.example/other \
	-H 'Host: www.example' /redir/self
loc "Host www.example:8081: the port stays" 302 http://www.example:8081/login?x=1 \
	http://www.example:8081/other -H 'Host: www.example:8081' /redir/self
loc "Host $LB_IP" 302 "http://$LB_IP/login?x=1" "http://$LB_IP/other" -H "Host: $LB_IP" /redir/self
loc "https://<server>/secure: the client's scheme" 302 http://www.example/secure - \
	-H 'Host: www.example' /redir/https
loc "201 Created, Location" 201 http://www.example/items/1 - -H 'Host: www.example' /created
loc "200, Content-Location" 200 - http://www.example/cl/canonical -H 'Host: www.example' /cl
loc "a server chosen by a rule (Host alt.example -> alt1)" 302 http://alt.example/login?x=1 \
	http://alt.example/other -H 'Host: alt.example' /redir/self
loc "HEAD, Host www.example" 302 http://www.example/login?x=1 http://www.example/other \
	-X HEAD -H 'Host: www.example' /redir/self

step "left alone: Locations that do not name the server that answered, a request without Host"
loc "another host" 302 http://other.example:8080/x - -H 'Host: www.example' /redir/other
loc "the server's address, another port" 302 http://@:9999/x - -H 'Host: www.example' /redir/port
loc "another server's address" 302 http://198.18.1.250:8080/x - -H 'Host: www.example' /redir/peer
loc "a relative Location" 302 /relative - -H 'Host: www.example' /redir/rel
loc "HTTP/1.0 without Host" 302 "http://@:8080/login?x=1" "http://@/other" \
	--http10 --nohost /redir/self
loc_run

step "keep-alive: every response of the connection is rewritten"
out=$(in_cli curl -sS --max-time 20 -H 'Host: ka.example' -o /dev/null -o /dev/null -o /dev/null \
	-w '%{http_code} %{num_connects} %header{location}|%header{content-location}\n' \
	"http://$LB_IP/redir/self" "http://$LB_IP/created" "http://$LB_IP/redir/self?again")
printf '%s\n' "$out" | sed 's/^/    /'
check_eq "three responses, one connection, each rewritten" \
	"302 1 http://ka.example/login?x=1|http://ka.example/other
201 0 http://ka.example/items/1|
302 0 http://ka.example/login?x=1|http://ka.example/other" "$out"

step "location-rewrite off: everything as the server sent it"
ctl service set web location-rewrite off
check_eq "service show: location_rewrite" false \
	"$(ctlq -j service show web | jq -r '.. | objects | select(has("location_rewrite")) | .location_rewrite' | head -1)"
loc "Host www.example" 302 "http://@:8080/login?x=1" "http://@/other" \
	-H 'Host: www.example' /redir/self
loc "Host www.example (the other server)" 302 "http://@:8080/login?x=1" "http://@/other" \
	-H 'Host: www.example' /redir/self
loc "https://<server>" 302 "https://@:8080/secure" - -H 'Host: www.example' /redir/https
loc "201 Created" 201 "http://@:8080/items/1" - -H 'Host: www.example' /created
loc "200, Content-Location" 200 - "http://@:8080/cl/canonical" -H 'Host: www.example' /cl
loc "a server chosen by a rule" 302 "http://@:8080/login?x=1" "http://@/other" \
	-H 'Host: alt.example' /redir/self
loc_run

step "location-rewrite on again"
ctl service set web location-rewrite on
loc "Host www.example" 302 http://www.example/login?x=1 http://www.example/other \
	-H 'Host: www.example' /redir/self
loc_run

check_drained
kill "$RNGINX_PID"
mod_unload
pass
