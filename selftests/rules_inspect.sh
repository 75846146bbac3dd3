#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Per-request switching (service INSPECT): on a keep-alive connection each
# request goes where the rules send it, not where the first request went.
# Pools a (a1, a2) and b (b1, b2), nginx backends; service web (pool main,
# main1) with rules prefix /a -> a, prefix /b -> b, path /old -> redirect.
# Skips (exit 4) only when the kernel refuses the INSPECT attribute.
# Asserts:
#  - without INSPECT (the default), the first request binds the connection:
#    /a then /b, /a, /b on one connection are all answered by pool a;
#  - SERVICE_SET INSPECT 1 is accepted and the service reports it;
#  - with INSPECT, 8 requests alternating /a and /b on one keep-alive
#    connection (curl, one after another): every one 200, in order (each
#    body names its own request), from pool a, b, a, b, ...; one client
#    connection; the service's REBINDS counter (when the kernel has it)
#    rose by 7;
#  - consecutive requests for the same pool stay on the same server;
#  - kept server connections: 8 requests alternating /a and /b on one
#    connection reach one server of each pool, over one server connection
#    each (nginx's X-Conn: 2 distinct server connections, not 8); the log's
#    decisions say "kept connection" for requests 3 to 8;
#  - the same 8 requests pipelined (written at once, the last with
#    Connection: close): 8 responses, in order, each from the right pool;
#  - the decision log: one request record per request of the connection,
#    all on one conn_id, request_no 1..8, each with the rule that decided
#    it (0 for /a, 1 for /b) and that rule's pool;
#  - a redirect rule in the middle of a keep-alive connection: the requests
#    before it answered by their pools, then splicer's 301 with its
#    Location;
#  - with splice on as well, switching still works (INSPECT connections are
#    not spliced: the spliced counter stays 0);
#  - no connection left open; rmmod clean.
# vm-timeout: 900
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/rules.sh"

N=8

require_root
require_splicer
require_cmd curl nginx
topo_up 5
rnginx_start main1=198.18.1.2:8080 a1=198.18.1.3:8080 a2=198.18.1.4:8080 \
	b1=198.18.1.5:8080 b2=198.18.1.6:8080
mod_load

step "configure: pools main (main1), a (a1 a2), b (b1 b2); service web; rules /a -> a, /b -> b, /old -> 301"
ctlb "pool add main" "server add main main1 198.18.1.2:8080" \
	"pool add a" "server add a a1 198.18.1.3:8080" "server add a a2 198.18.1.4:8080" \
	"pool add b" "server add b b1 198.18.1.5:8080" "server add b b2 198.18.1.6:8080" \
	"service add web listen $LB_IP:80 pool main" "rule add web prefix /a pool a" \
	"rule add web prefix /b pool b" "rule add web path /old redirect http://new.example/ status 301"

# alternate TAG: the N URLs /a?k=TAG-1, /b?k=TAG-2, ...
alternate() {
	local i
	for ((i = 1; i <= N; i++)); do
		if ((i % 2)); then
			echo "http://$LB_IP/a?k=$1-$i"
		else
			echo "http://$LB_IP/b?k=$1-$i"
		fi
	done
}

# ka TAG URL...: the URLs on one keep-alive connection, one after another;
# prints one line per response "STATUS CONNECTS X-SERVER BODY"
ka() {
	local tag=$1 i args=()
	shift
	for ((i = 1; i <= $#; i++)); do
		args+=(-o "$T/ka-$tag-$i")
	done
	in_cli curl -sS --max-time 30 "${args[@]}" \
		-w '%{http_code} %{num_connects} %header{x-server}\n' "$@" >"$T/ka-$tag.w" 2>"$T/ka-$tag.err"
	i=0
	while read -r code nc srv; do
		i=$((i + 1))
		printf '%s %s %s %s\n' "$code" "$nc" "$srv" "$(tr -d '\n' <"$T/ka-$tag-$i" 2>/dev/null)"
	done <"$T/ka-$tag.w"
}

step "without INSPECT: the first request binds the connection"
out=$(ka base "http://$LB_IP/a?k=base-1" "http://$LB_IP/b?k=base-2" \
	"http://$LB_IP/a?k=base-3" "http://$LB_IP/b?k=base-4")
printf '%s\n' "$out" | sed 's/^/    /'
check_eq "responses" 4 "$(printf '%s\n' "$out" | grep -c '^200 ')"
check_eq "connections" 1 "$(printf '%s\n' "$out" | awk '{ n += $2 } END { print n }')"
check_eq "pools that answered" "a a a a" \
	"$(printf '%s\n' "$out" | while read -r _ _ s _; do pool_of "$s"; done | xargs)"

step "INSPECT on (SERVICE_SET INSPECT 1)"
res=$(splnl SERVICE_SET '{"SERVICE": {"NAME": "web", "INSPECT": 1}}')
rc=$?
info "$res"
if [ $rc != 0 ]; then
	if [ "$(jget "$res" .errno)" = 22 ] &&
		{ [ "$(jget "$res" .bad_attr)" = SERVICE.INSPECT ] ||
		  jget "$res" '.extack // ""' | grep -qiE 'unsupported attribute|inspect'; }; then
		skip "the kernel refuses the INSPECT attribute (per-request switching not there yet)"
	fi
	fail "SERVICE_SET INSPECT 1 failed otherwise: $res"
fi
svc=$(splnl --dump SERVICE_GET)
check_eq "the service reports INSPECT" 1 \
	"$(jget "$svc" '.replies[].attrs.SERVICE | select(.NAME == "web") | .INSPECT')"
rebinds() {
	splnl --dump SERVICE_GET |
		jq -r '.replies[].attrs.SERVICE | select(.NAME == "web") | .STATS.REBINDS // "absent"'
}
rb0=$(rebinds)
rlog_start 80

# check_alternating OUT TAG: N lines "200 ... SERVER BODY", in order
check_alternating() {
	local out=$1 tag=$2 i=0 code nc srv body want pools="" wpools=""
	while read -r code nc srv body; do
		i=$((i + 1))
		((i % 2)) && want=a || want=b
		wpools+="$want "
		pools+="$(pool_of "$srv") "
		[ "$code" = 200 ] || fail "request $i: status '$code'"
		[[ $body == "server=$srv method=GET uri=/$want?k=$tag-$i" ]] ||
			fail "request $i (/$want?k=$tag-$i): the body is '$body'"
	done <<<"$out"
	check_eq "responses, each to its own request, in order" "$N" "$i"
	check_eq "pools that answered" "$wpools" "$pools"
}

step "INSPECT: $N requests alternating /a and /b on one keep-alive connection"
mapfile -t urls <<<"$(alternate seq)"
out=$(ka seq "${urls[@]}")
printf '%s\n' "$out" | sed 's/^/    /'
[ -s "$T/ka-seq.err" ] && info "curl: $(cat "$T/ka-seq.err")"
check_alternating "$out" seq
check_eq "client connections" 1 "$(printf '%s\n' "$out" | awk '{ n += $2 } END { print n }')"
rb=$(rebinds)
if [ "$rb" = absent ]; then
	info "no REBINDS counter in the service's STATS: not checked"
else
	check_eq "REBINDS counter: one per switch" $((rb0 + N - 1)) "$rb"
fi

step "INSPECT: consecutive requests for one pool stay on its server"
out=$(ka same "http://$LB_IP/a?k=same-1" "http://$LB_IP/a/x?k=same-2" \
	"http://$LB_IP/a?k=same-3" "http://$LB_IP/b?k=same-4" "http://$LB_IP/b/y?k=same-5")
printf '%s\n' "$out" | sed 's/^/    /'
check_eq "statuses" "200 200 200 200 200" "$(printf '%s\n' "$out" | awk '{ print $1 }' | xargs)"
read -r s1 s2 s3 s4 s5 <<<"$(printf '%s\n' "$out" | awk '{ print $3 }' | xargs)"
check_eq "the /a requests: one server of pool a" "a $s1 $s1" "$(pool_of "$s1") $s2 $s3"
check_eq "the /b requests: one server of pool b" "b $s4" "$(pool_of "$s4") $s5"

step "INSPECT: switching back to a pool reuses the kept server connection"
args=()
for ((i = 1; i <= N; i++)); do
	p=/a; ((i % 2)) || p=/b
	args+=(-o /dev/null "http://$LB_IP$p?k=kept-$i")
done
out=$(in_cli curl -sS --max-time 30 -w '%{http_code} %header{x-server} %header{x-conn}\n' "${args[@]}" 2>&1)
printf '%s\n' "$out" | sed 's/^/    /'
check_eq "statuses" "$(printf '200 %.0s' $(seq $N) | xargs)" "$(printf '%s\n' "$out" | awk '{ print $1 }' | xargs)"
check_eq "pools, alternating" "$(for ((i = 1; i <= N; i++)); do ((i % 2)) && echo a || echo b; done | xargs)" \
	"$(printf '%s\n' "$out" | while read -r _ s _; do pool_of "$s"; done | xargs)"
check_eq "servers: one of each pool" 2 "$(printf '%s\n' "$out" | awk '{ print $2 }' | sort -u | grep -c .)"
check_eq "server connections (server, X-Conn): one per pool" 2 \
	"$(printf '%s\n' "$out" | awk '{ print $2, $3 }' | sort -u | grep -c .)"
kept_logged() { [ "$(grep -F 'k=kept-' "$RLOG" | grep -c '^{"kind":"request"')" -ge "$N" ]; }
wait_until "the log to hold the $N requests" 100 0.1 kept_logged ||
	fail "$(grep -c 'k=kept-' "$RLOG") records of k=kept-*, expected $N"
kept=$(grep -F 'k=kept-' "$RLOG" | grep '^{"kind":"request"' |
	jq -r 'select(.decision | test("kept connection")) | .request_no' | sort -n | xargs)
check_eq "requests whose decision says kept connection" "$(seq 3 $N | xargs)" "$kept"

step "INSPECT: the same $N requests pipelined (written at once)"
resp=$(in_cli timeout 30 bash -c '
	exec 3<>"/dev/tcp/$1/80" || exit 1
	req=""
	for ((i = 1; i <= $2; i++)); do
		p=/a; ((i % 2)) || p=/b
		c=""; [ $i = $2 ] && c="Connection: close\r\n"
		req+="GET $p?k=pipe-$i HTTP/1.1\r\nHost: pipe.example\r\n$c\r\n"
	done
	printf "$req" >&3
	tr -d "\r" <&3' _ "$LB_IP" "$N")
out=$(printf '%s\n' "$resp" | awk '
	/^HTTP\/1\.1 / { code = $2 }
	/^X-Server: / { srv = $2 }
	/^server=/ { print code, 0, srv, $0 }')
printf '%s\n' "$out" | sed 's/^/    /'
check_alternating "$out" pipe

step "decision log: the records of the sequential connection"
seq_logged() { [ "$(grep -c 'k=seq-' "$RLOG")" -ge "$N" ]; }
wait_until "the log to hold the $N requests" 100 0.1 seq_logged ||
	fail "$(grep -c 'k=seq-' "$RLOG") records of k=seq-*, expected $N"
recs=$(grep -F 'k=seq-' "$RLOG" | grep '^{"kind":"request"' |
	jq -r '"\(.conn_id) \(.request_no) \(.rule) \(.pool) \(.target)"')
printf '%s\n' "$recs" | sed 's/^/    /'
check_eq "one conn_id" 1 "$(printf '%s\n' "$recs" | awk '{ print $1 }' | sort -u | grep -c .)"
want=$(for ((i = 1; i <= N; i++)); do
	if ((i % 2)); then echo "$i 0 a /a?k=seq-$i"; else echo "$i 1 b /b?k=seq-$i"; fi
done)
check_eq "request_no, rule, pool, target of each" "$want" \
	"$(printf '%s\n' "$recs" | cut -d' ' -f2- | sort -n)"

step "INSPECT: a redirect rule in the middle of a keep-alive connection"
out=$(in_cli curl -sS --max-time 30 -o /dev/null -o /dev/null -o /dev/null \
	-w '%{http_code} %header{x-server} %header{location}\n' \
	"http://$LB_IP/a?k=r-1" "http://$LB_IP/b?k=r-2" "http://$LB_IP/old?k=r-3" 2>&1)
printf '%s\n' "$out" | sed 's/^/    /'
read -r c1 s1 _ <<<"$(sed -n 1p <<<"$out")"
read -r c2 s2 _ <<<"$(sed -n 2p <<<"$out")"
read -r c3 l3 <<<"$(sed -n 3p <<<"$out")"
check_eq "/a, /b: 200 from a, b" "200 a 200 b" "$c1 $(pool_of "$s1") $c2 $(pool_of "$s2")"
check_eq "/old: splicer's 301 and its Location" "301 http://new.example/" "$c3 $l3"

step "INSPECT with splice on: still switched, never spliced"
ctl service set web splice on
spliced0=$(jget "$(ctlq -j stats)" '.stats.spliced // 0')
mapfile -t urls <<<"$(alternate spl)"
out=$(ka spl "${urls[@]}")
printf '%s\n' "$out" | sed 's/^/    /'
check_alternating "$out" spl
check_eq "spliced connections" "$spliced0" "$(jget "$(ctlq -j stats)" '.stats.spliced // 0')"

check_drained
kill "$RNGINX_PID"
mod_unload
pass
