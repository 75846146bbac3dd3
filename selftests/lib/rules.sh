# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of the content-rule selftests (rules*.sh), sourced after lib.sh:
#
#     . "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
#     . "$SPLICER_TOP/selftests/lib/rules.sh"
#
# - rnginx_start NAME=ADDR:PORT...: nginx in the srv namespace (fast under
#   TCG; python backends start in seconds), one server block per NAME. Every
#   server answers any method and path with 200
#   "server=NAME method=M uri=URI", X-Server: NAME and X-Conn: the number
#   nginx gave the connection it came on, and logs each request
#   line to $T/NAME.log (lib.sh's backend_requests counts them). Endpoints
#   of NAME listening on IP:PORT, each with X-Server: NAME too:
#     /redir/self    302, Location: http://IP:PORT/login?x=1 and
#                    Content-Location: http://IP/other (the bare address)
#     /redir/https   302, Location: https://IP:PORT/secure
#     /redir/other   302, Location: http://other.example:8080/x
#     /redir/port    302, Location: http://IP:9999/x (its address, not its port)
#     /redir/peer    302, Location: http://198.18.1.250:8080/x (another host)
#     /redir/rel     302, Location: /relative
#     /created       201, Location: http://IP:PORT/items/1
#     /cl            200, Content-Location: http://IP:PORT/cl/canonical
#   Its pid in RNGINX_PID.
# - hreq [CURL ARGS...] PATH: one request from the client namespace to
#   $LB_IP:${PORT:-80} on a connection of its own; prints
#   "STATUS|X-SERVER|LOCATION|CONTENT-LOCATION|BODY" (one line, the body's
#   newline removed; a field absent is empty).
# - pool_of SERVER: the pool a server of these tests belongs to (its name
#   without the trailing digits: main1 -> main).
# - rlog_start PORT: `splicerctl -j log` in the lb namespace into $RLOG,
#   returning once it receives; rlog_table: one line per request record,
#   "T<TAB>RULE<TAB>DECISION<TAB>POOL<TAB>STATUS<TAB>GENERATED<TAB>REASON"
#   where T is the target's t=N query parameter ("-" without one, or without
#   a target: a request splicer answered before forwarding it) and RULE
#   the record's rule (splicerctl prints the position; "none" if absent).
# - rule_hits SERVICE: the HITS of each rule, in order, space separated,
#   from `splicerctl -j rule show` (a RULE_GET dump).

RLOG=$T/rules-log.jsonl
RNGINX_PID=

rnginx_start() {
	local spec name addr ip port d=$T/nginx
	mkdir -p "$d"
	{
		echo "daemon off; worker_processes 1; error_log $d/error.log; pid $d/nginx.pid;"
		echo "events { worker_connections 4096; }"
		echo "http { client_body_temp_path $d; proxy_temp_path $d;"
		echo "  fastcgi_temp_path $d; uwsgi_temp_path $d; scgi_temp_path $d;"
		echo "  keepalive_requests 1000000; keepalive_timeout 60s;"
		echo "  absolute_redirect off; server_tokens off;"
		echo "  log_format reqline '\$request';"
		for spec in "$@"; do
			name=${spec%%=*} addr=${spec#*=}
			ip=${addr%:*} port=${addr##*:}
			cat <<-EOF
			  server { listen $addr; access_log $T/$name.log reqline;
			    location / { add_header X-Server $name always;
			      add_header X-Conn \$connection always;
			      return 200 "server=$name method=\$request_method uri=\$request_uri\\n"; }
			    location = /redir/self { add_header X-Server $name always;
			      add_header Content-Location "http://$ip/other" always;
			      return 302 "http://$ip:$port/login?x=1"; }
			    location = /redir/https { add_header X-Server $name always;
			      return 302 "https://$ip:$port/secure"; }
			    location = /redir/other { add_header X-Server $name always;
			      return 302 "http://other.example:8080/x"; }
			    location = /redir/port { add_header X-Server $name always;
			      return 302 "http://$ip:9999/x"; }
			    location = /redir/peer { add_header X-Server $name always;
			      return 302 "http://198.18.1.250:8080/x"; }
			    location = /redir/rel { add_header X-Server $name always;
			      return 302 /relative; }
			    location = /created { add_header X-Server $name always;
			      add_header Location "http://$ip:$port/items/1" always;
			      return 201 "created\\n"; }
			    location = /cl { add_header X-Server $name always;
			      add_header Content-Location "http://$ip:$port/cl/canonical" always;
			      return 200 "server=$name canonical\\n"; }
			  }
			EOF
			: >>"$T/$name.log"
		done
		echo "}"
	} >"$d/nginx.conf"
	bg ip netns exec "$NS_SRV" nginx -c "$d/nginx.conf" -p "$d" 2>>"$d/stderr"
	RNGINX_PID=$BG_PID
	wait_until "nginx to start" 100 0.1 test -s "$d/nginx.pid" ||
		fail "nginx did not start: $(cat "$d/stderr" "$d/error.log" 2>/dev/null)"
	for spec in "$@"; do
		addr=${spec#*=}
		wait_until "nginx on $addr" 100 0.1 \
			in_srv bash -c "exec 3<>/dev/tcp/${addr%:*}/${addr##*:}" 2>/dev/null ||
			fail "nginx does not listen on $addr: $(cat "$d/error.log")"
	done
}

hreq() {
	local out
	out=$(in_cli curl -sS --max-time "${CURL_MAX_TIME:-20}" -o "$T/hreq.body" \
		-w '%{http_code}|%header{x-server}|%header{location}|%header{content-location}' \
		"${@:1:$#-1}" "http://$LB_IP:${PORT:-80}${*: -1}" 2>"$T/hreq.err")
	printf '%s|%s\n' "$out" "$(tr -d '\r\n' <"$T/hreq.body" 2>/dev/null)"
}

pool_of() {
	local s=$1
	while [[ $s == *[0-9] ]]; do s=${s%?}; done
	printf '%s\n' "$s"
}

rlog_any() { grep -q '^{"kind":"request"' "$RLOG" 2>/dev/null; }

rlog_start() {
	local port=$1 i synced=0
	bg ip netns exec "$NS_LB" "$CTL" -j log >"$RLOG" 2>"$T/rules-log.err"
	# there is no history: it has joined once a request's record shows up
	for ((i = 0; i < 20 && !synced; i++)); do
		bash_get "$LB_IP" "$port" /sync 1 >/dev/null
		wait_until "the log reader to see a record" 30 0.1 rlog_any && synced=1
	done
	[ $synced = 1 ] || fail "splicerctl -j log printed nothing: $(cat "$T/rules-log.err")"
}

rlog_count() { grep -c '^{"kind":"request"' "$RLOG" 2>/dev/null || true; }

rlog_table() {
	jq -r 'select(.kind == "request") |
		[((.target // "" | capture("[?&]t=(?<t>[0-9]+)") | .t) // "-"),
		 (if .rule == null then "none" else (.rule | tostring) end),
		 (.decision // "-"), (.pool // "-"), (.status | tostring),
		 (.generated | tostring), (.reason // "-")] | @tsv' "$RLOG"
}

rule_hits() {
	ctlq -j rule show "$1" | jq -r '[.[].hits | tostring] | join(" ")'
}

# ---------------------------------------------------------------- batches
# (every process start costs under TCG: configure with one splicerctl -b and
# send many requests from one rulesreq.py)

# ctlb LINE...: the splicerctl commands (one per argument, without
# "splicerctl") in one `splicerctl -b`, in the lb namespace; must succeed
ctlb() {
	local f=$T/ctlb.$RANDOM l
	printf '%s\n' "$@" >"$f"
	for l in "$@"; do printf '  + splicerctl %s\n' "$l"; done
	CTL_OUT=$(in_lb "$CTL" -b "$f" 2>&1) ||
		fail "splicerctl -b failed: $CTL_OUT"
	[ -z "$CTL_OUT" ] || printf '%s\n' "$CTL_OUT" | sed 's/^/    /'
}

# rq_reset: an empty batch of requests; rq ID [-X METHOD] [-H 'Name: value']...
# [-d BODY] [--src ADDR] [--http10] [--nohost] PATH: one more request (a
# connection of its own; HTTP/1.0, without Host);
# rq_run [PORT]: send the batch (rulesreq.py, one process) to $LB_IP:PORT
# (default 80) and load the answers into RS_STATUS, RS_SERVER, RS_LOC,
# RS_CLOC, RS_BODY, RS_ERR (by ID; "-" for absent, "(empty)" for empty)
RQ_SPEC=
rq_reset() { RQ_SPEC=; }

rq() {
	local id=$1 method=GET src="" body="" hdrs="" sep="" flags=""
	shift
	while [ $# -gt 1 ]; do
		case "$1" in
		-X) method=$2; shift ;;
		-H) hdrs+="$sep\"${2%%:*}\": \"${2#*: }\""; sep=", "; shift ;;
		-d) body=$2; shift ;;
		--src) src=$2; shift ;;
		--http10) flags+=", \"http10\": true" ;;
		--nohost) flags+=", \"nohost\": true" ;;
		*) fail "rq: unknown option $1" ;;
		esac
		shift
	done
	RQ_SPEC+="{\"id\": \"$id\", \"method\": \"$method\", \"path\": \"$1\"$flags"
	[ -z "$src" ] || RQ_SPEC+=", \"src\": \"$src\""
	[ -z "$body" ] || RQ_SPEC+=", \"body\": \"$body\""
	RQ_SPEC+=", \"headers\": {$hdrs}}"$'\n'
}

declare -A RS_STATUS RS_SERVER RS_LOC RS_CLOC RS_BODY RS_ERR
rq_run() {
	local id st srv loc cloc body err
	printf '%s' "$RQ_SPEC" >"$T/rq.spec"
	in_cli $PY "$LIB/rulesreq.py" "$LB_IP" "${1:-80}" <"$T/rq.spec" >"$T/rq.out" 2>"$T/rq.err"
	# read splits on tabs but skips empty fields: none may be empty
	jq -r 'def f: if . == null then "-" elif . == "" then "(empty)" else . end;
		[.id, (.status | f | tostring), (.server | f), (.location | f),
		 (.content_location | f), (.body | gsub("[\t\r\n]+"; " ") | rtrimstr(" ") | f),
		 (.error | f)] | @tsv' "$T/rq.out" >"$T/rq.tsv"
	while IFS=$'\t' read -r id st srv loc cloc body err; do
		RS_STATUS[$id]=$st RS_SERVER[$id]=$srv RS_LOC[$id]=$loc RS_CLOC[$id]=$cloc
		RS_BODY[$id]=$body RS_ERR[$id]=$err
	done <"$T/rq.tsv"
	[ -s "$T/rq.err" ] && info "rulesreq.py: $(tail -3 "$T/rq.err")"
	RQ_SPEC=
}
