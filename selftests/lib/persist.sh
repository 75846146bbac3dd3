# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of the persistence selftests (persist_*.sh), sourced after lib.sh:
#
#     . "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
#     . "$SPLICER_TOP/selftests/lib/persist.sh"
#
# - carts_start [-n NS] [-c COOKIE] NAME=ADDR:PORT...: the cart application
#   (selftests/lib/cartapp.py), one process serving every NAME, in NS
#   (default srv); its pid in CART_PID. NAME's log is $T/NAME.log, in
#   backend.py's format (backend_requests and backend_conns count it).
# - cart PORT ARGS...: selftests/lib/cartclient.py against $LB_IP:PORT from
#   the client namespace; prints its JSON (see cartclient.py).
# - plog_start PORT: `splicerctl -j log` in the lb namespace, into $PLOG,
#   returning once it receives (requests to $LB_IP:PORT until a record of
#   them shows up); plog_persist RID: the "persist" field of the request
#   record of request id RID (cartclient.py's "rids", req's "rid"; waits
#   for it; "MISSING" if there is none, "ERROR..." if there are several);
#   plog_rec RID: the record.
# - pstat COUNTER: a counter of `splicerctl -j stats`.
# - TOKEN_RE: what a token looks like (42 lower-case hex digits).
# - cookie_of SET-COOKIE: the value of a Set-Cookie ("N=V; attrs": V).

TOKEN_RE='[0-9a-f]{42}'
PLOG=$T/persist-log.jsonl
CART_PID=

carts_start() {
	local ns=$NS_SRV cookie=JSESSIONID spec args=() tag
	while [ $# -gt 0 ]; do
		case "$1" in
		-n) ns=$2; shift 2 ;;
		-c) cookie=$2; shift 2 ;;
		*) break ;;
		esac
	done
	for spec in "$@"; do
		args+=(--serve "$spec")
		: >>"$T/${spec%%=*}.log"
	done
	tag=cartapp-$RANDOM
	bg ip netns exec "$ns" $PY "$LIB/cartapp.py" "${args[@]}" --cookie "$cookie" \
		--log-dir "$T" --ready "$T/$tag.ready" 2>>"$T/$tag.err"
	CART_PID=$BG_PID
	wait_until "cartapp ready" 600 0.05 test -e "$T/$tag.ready" ||
		fail "cartapp $* did not start: $(cat "$T/$tag.err")"
}

# nginx_start NAME=ADDR:PORT...: nginx in the srv namespace (much faster
# than python under TCG), every NAME answering any request with 200
# "server=NAME" and X-Server: NAME; its pid in NGINX_PID
nginx_start() {
	local spec name addr d=$T/nginx
	mkdir -p "$d"
	{
		echo "daemon off; worker_processes 1; error_log $d/error.log; pid $d/nginx.pid;"
		echo "events { worker_connections 1024; }"
		echo "http { access_log off; client_body_temp_path $d; proxy_temp_path $d;"
		echo "  fastcgi_temp_path $d; uwsgi_temp_path $d; scgi_temp_path $d;"
		for spec in "$@"; do
			name=${spec%%=*} addr=${spec#*=}
			echo "  server { listen $addr; location / { add_header X-Server $name always;"
			echo "    return 200 \"server=$name\\n\"; } }"
		done
		echo "}"
	} >"$d/nginx.conf"
	bg ip netns exec "$NS_SRV" nginx -c "$d/nginx.conf" -p "$d" 2>>"$d/stderr"
	NGINX_PID=$BG_PID
	wait_until "nginx to listen" 100 0.1 test -s "$d/nginx.pid" ||
		fail "nginx did not start: $(cat "$d/stderr" "$d/error.log" 2>/dev/null)"
	for spec in "$@"; do
		addr=${spec#*=}
		wait_until "nginx on $addr" 100 0.1 \
			in_srv bash -c "exec 3<>/dev/tcp/${addr%:*}/${addr##*:}" 2>/dev/null ||
			fail "nginx does not listen on $addr: $(cat "$d/error.log")"
	done
}

cart() {
	local port=$1
	shift
	in_cli $PY "$LIB/cartclient.py" "$LB_IP" "$port" "$@"
}

# ---------------------------------------------------------------- the log
# (grep, not jq: jq reading the whole log for every request is slow under
# TCG). Requests are found by their request id: every target cartclient.py
# and req send carries "rid=ID" (client ports get reused).
plog_lines() { grep -F "rid=$1" "$PLOG" 2>/dev/null | grep '^{"kind":"request",'; }
plog_has_rid() { plog_lines "$1" >/dev/null; }
plog_any() { grep -q '^{"kind":"request"' "$PLOG" 2>/dev/null; }

plog_start() {
	local port=$1 i synced=0
	bg ip netns exec "$NS_LB" "$CTL" -j log >"$PLOG" 2>"$T/persist-log.err"
	# there is no history: it has joined once a request's record shows up
	for ((i = 0; i < 20 && !synced; i++)); do
		bash_get "$LB_IP" "$port" /health 1 >/dev/null
		wait_until "the log reader to see a record" 30 0.1 plog_any && synced=1
	done
	[ $synced = 1 ] || fail "splicerctl -j log printed nothing: $(cat "$T/persist-log.err")"
}

plog_rec() {
	local r n
	wait_until "the request record of request id $1" 100 0.1 plog_has_rid "$1" >/dev/null
	r=$(plog_lines "$1")
	n=$(printf '%s' "$r" | grep -c .)
	case $n in
	0) echo MISSING ;;
	1) printf '%s\n' "$r" ;;
	*) echo "ERROR: $n request records for request id $1" ;;
	esac
}

plog_persist() {
	local r re='"persist":"([^"]*)"'
	r=$(plog_rec "$1")
	case "$r" in
	MISSING | ERROR*) printf '%s\n' "$r" ;;
	*) if [[ $r =~ $re ]]; then printf '%s\n' "${BASH_REMATCH[1]}"; else echo NONE; fi ;;
	esac
}

pstat() { jget "$(ctlq -j stats)" ".stats.$1 // \"none\""; }

cookie_of() {
	local v=${1%%;*}
	printf '%s\n' "${v#*=}"
}

# req PORT COOKIE [PATH [SOURCE]]: one GET PATH (default /cart) on a new
# connection from the client namespace (from SOURCE if given), with
# "Cookie: COOKIE" unless COOKIE is empty, and a request id (?rid=...);
# prints one JSON object: status, port (the client's), rid, set_cookie
# (every value), cache_control, server, session, items and new_session
# (from the application's JSON; null otherwise)
req() {
	local args=() w rid path=${3:-/cart}
	[ -z "$2" ] || args+=(-H "Cookie: $2")
	[ -z "$4" ] || args+=(--interface "$4")
	rid=c$(date +%s%N)
	case "$path" in
	*\?*) path+="&rid=$rid" ;;
	*) path+="?rid=$rid" ;;
	esac
	: >"$T/req.body"
	w=$(cli_curl -o "$T/req.body" "${args[@]}" \
		-w '{"status":%{http_code},"port":%{local_port},"h":%{header_json}}' \
		"http://$LB_IP:$1$path")
	jq -c -n --argjson w "${w:-null}" --rawfile b "$T/req.body" --arg rid "$rid" '
		($b | fromjson? // {}) as $app
		| {status: $w.status, port: $w.port, rid: $rid,
		   set_cookie: ($w.h["set-cookie"] // []),
		   cache_control: (($w.h["cache-control"] // [null])[0]),
		   server: ($app.server // $w.h["x-server"][0]),
		   session: $app.session, items: $app.items,
		   new_session: $app.new_session}'
}

# jc JSON FILTER: like jget, compact JSON out
jc() { printf '%s' "$1" | jq -c "$2"; }

# jset JSON VAR=FILTER...: one jq run for many values (jq's start is slow
# under TCG): sets each VAR to FILTER's first value, a string as it is,
# anything else as compact JSON ("null" when FILTER gives nothing)
jset() {
	local json=$1 prog="" spec names=() vals=() i
	shift
	for spec in "$@"; do
		names+=("${spec%%=*}")
		prog+="([${spec#*=}][0] | if type == \"string\" then . else tojson end),"
	done
	# (no process substitution: the test VM has no /dev/fd)
	mapfile -t vals <<<"$(printf '%s' "$json" | jq -r "${prog%,}" 2>/dev/null)"
	for i in "${!names[@]}"; do
		printf -v "${names[i]}" '%s' "${vals[i]}"
	done
}

# svc_stat SERVICE COUNTER: a counter of /proc/net/splicer/services
# (cheaper than splicerctl -j stats and jq)
svc_stat() { proc_get services "$2" name="$1"; }

# cart_vals JSON [I]: what the tests check of a cartclient result (of user I
# of a --users run), in one jq run:
#   U_OK U_STICKY U_SERVER U_INTACT U_NITEMS (items in the cart) U_NEW (new
#   application sessions) U_SESSION U_STATUSES ("200 200 ...") U_SERVERS
#   (distinct servers, "s1 s2") U_NSET (Set-Cookie fields) U_OURS (of them,
#   those of cookie $OURS, default SPLICERID) U_OURS0 (those on the first
#   response) U_SC (the first of ours, whole) U_CC0 (Cache-Control of the
#   first response) U_SEEN (Cookie fields the application received,
#   " | "-joined) U_SENT (Cookie fields sent) U_R0 U_R1 U_RLAST (request
#   ids of the first, second and last request)
cart_vals() {
	local u=. ours=${OURS:-SPLICERID}
	[ -z "$2" ] || u=".users[$2]"
	jset "$(jq -c "$u" <<<"$1")" U_OK=.ok U_STICKY=.sticky U_SERVER=.server \
		U_INTACT=.intact U_NITEMS='.items | length' U_NEW=.new_sessions \
		U_SESSION=.session U_STATUSES='.statuses | map(tostring) | join(" ")' \
		U_SERVERS='.servers | unique | join(" ")' U_NSET='.set_cookie | length' \
		U_OURS="[.set_cookie[] | select(startswith(\"$ours=\"))] | length" \
		U_OURS0="[.requests[0].set_cookie[] | select(startswith(\"$ours=\"))] | length" \
		U_SC="[.set_cookie[] | select(startswith(\"$ours=\"))][0] // \"\"" \
		U_CC0='.requests[0].cache_control' U_SEEN='.cookie_headers | join(" | ")' \
		U_SENT='.sent_cookies | join(" | ")' U_R0='.rids[0]' U_R1='.rids[1]' \
		U_RLAST='.rids[-1]'
}

# brief JSON: what a cartclient run saw, on one line (for the log)
brief() {
	jq -c 'if .users then {ok, servers, sticky, intact,
		users: [.users[] | {server, statuses, items: (.items | length), new_sessions}]}
		else {ok, servers, statuses, items, new_sessions, set_cookie, errors} end' \
		<<<"$1" 2>/dev/null || printf '%s\n' "$1"
}

# users_load JSON: per user of a cartclient --users result, in one jq run,
# arrays indexed by user (0-based): US_SERVER ("-" when not one server)
# US_OK US_STICKY US_INTACT US_NITEMS US_NEW US_OURS (Set-Cookies of
# SPLICERID) US_OURS0 (on the first response) US_NSET (Set-Cookies)
# US_STATUSES ("200 200 ...") US_R0 (request id of the first request);
# NUSERS
users_load() {
	local i srv ok st in ni nw o o0 ns sts p0
	US_SERVER=() US_OK=() US_STICKY=() US_INTACT=() US_NITEMS=() US_NEW=()
	US_OURS=() US_OURS0=() US_NSET=() US_STATUSES=() US_R0=() NUSERS=0
	while read -r i srv ok st in ni nw o o0 ns sts p0; do
		[ -n "$i" ] || continue
		US_SERVER[i]=$srv US_OK[i]=$ok US_STICKY[i]=$st US_INTACT[i]=$in
		US_NITEMS[i]=$ni US_NEW[i]=$nw US_OURS[i]=$o US_OURS0[i]=$o0
		US_NSET[i]=$ns US_STATUSES[i]=${sts//,/ } US_R0[i]=$p0
		NUSERS=$((i + 1))
	done <<<"$(jq -r '.users | to_entries[] | .key as $i | .value |
		[$i, (.server // "-"), .ok, .sticky, .intact, (.items // [] | length),
		 .new_sessions,
		 ([.set_cookie[] | select(startswith("SPLICERID="))] | length),
		 ([.requests[0].set_cookie[] | select(startswith("SPLICERID="))] | length),
		 (.set_cookie | length), (.statuses | map(tostring) | join(",")),
		 (.rids[0] // "-")] | map(tostring) | join(" ")' <<<"$1")"
}
