#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600 (a bound for loaded hosts; about 60-90 s on an idle one)
# Persistence on what the application itself hands out (learn, prefix) and
# on the client address (source), with the stick tables' commands. The cart
# application (cartapp.py) keeps carts in each server's own memory; three
# servers, round-robin. Asserts:
#  - learn (JSESSIONID): a user with a cookie jar adds 10 items on new
#    connections: one server, the cart intact, one application session, no
#    cookie of splicer's own; log "learn none" then "learn hit";
#    /proc/net/splicer/stick and `stick show` hold the session id with
#    that server;
#  - the same with URL rewriting only (";jsessionid=ID" path parameter, no
#    Cookie field at all), and with a query parameter spelt "JsessionID"
#    (names compare without regard to case): sticky, intact;
#  - `stick export` lists "session ID SERVER IDLE" for the three users;
#    after `stick flush` the table is empty and the first user's next
#    request (its cookie replayed) is balanced as a new user's ("learn
#    none"); after `stick import` of the export its requests (6) all reach
#    its server again and the cart is intact ("learn hit");
#  - a table of size 2: 4 new users evict at least 2 entries
#    (stick_evictions), the table never holds more than 2;
#  - prefix: the browser's JSESSIONID is "<42 hex>~ID", the application
#    receives the plain "JSESSIONID=ID", sticky, intact; log "prefix none"
#    then "prefix hit";
#  - source: 8 requests without any session from 198.18.0.2 reach one
#    server (log "source hit"), the table holds 198.18.0.2/32 with it,
#    export lists it; an imported "source 198.18.0.3/32 S 0" sends
#    198.18.0.3 to S; with mask4 24, 198.18.0.2 and .3 share one entry
#    (198.18.0.0/24) and one server;
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/persist.sh"

CLI_IP2=198.18.0.3
HEX32='[0-9a-f]{32}'

require_root
require_splicer
require_cmd curl
topo_up 3
carts_start s1=198.18.1.2:8080 s2=198.18.1.3:8080 s3=198.18.1.4:8080
mod_load
in_cli ip addr add "$CLI_IP2/24" dev cli0 || fail "cannot add $CLI_IP2 to cli0"

step "configure: pool app s1 s2 s3; services learn, small (learn size 2), pfx (prefix), src (source), net (source mask4 24)"
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl server add app s2 198.18.1.3:8080
ctl server add app s3 198.18.1.4:8080
ctl service add learn listen "$LB_IP:80" pool app
ctl persist learn learn
ctl service add small listen "$LB_IP:81" pool app
ctl persist small learn size 2
ctl service add pfx listen "$LB_IP:82" pool app
ctl persist pfx prefix
ctl service add src listen "$LB_IP:83" pool app
ctl persist src source
ctl service add net listen "$LB_IP:84" pool app
ctl persist net source mask4 24
plog_start 80

# stick_rows SERVICE: rows of /proc/net/splicer/stick of that service
stick_rows() { in_lb cat /proc/net/splicer/stick | awk -v s="$1" 'NR > 1 && $1 == s' | grep -c . ; }
# servers_of PORT SOURCE PATH COOKIE N: the servers of N requests, one line
servers_of() {
	local i out=""
	for ((i = 0; i < $5; i++)); do
		out+="$(jq -r .server <<<"$(req "$1" "$4" "$3" "$2")") "
	done
	printf '%s\n' "${out% }"
}

# ---------------------------------------------------------------- learn
step "learn: a user with a cookie jar, 10 add-to-cart requests, new connections"
L1=$T/l1.json
out=$(cart 80 --jar "$L1" --steps 10)
info "$(brief "$out")"
OURS=JSESSIONID cart_vals "$out"
check_eq "every request answered 200" true "$U_OK"
check_eq "every request on one server" true "$U_STICKY"
S1=$U_SERVER
check_eq "the cart is intact (10 items)" "true 10" "$U_INTACT $U_NITEMS"
check_eq "one application session" 1 "$U_NEW"
ID1=$U_SESSION
check_match "the session id" "^$HEX32\$" "$ID1"
check_eq "no cookie of splicer's own" "$U_OURS" "$U_NSET"
check_eq "log: first request" "learn none" "$(plog_persist "$U_R0")"
check_eq "log: second request" "learn hit" "$(plog_persist "$U_R1")"
in_lb cat /proc/net/splicer/stick | sed 's/^/    /'
check_eq "/proc/net/splicer/stick: the id's kind and server" "session $S1" \
	"$(proc_get stick kind service=learn key="$ID1") $(proc_get stick server service=learn key="$ID1")"
ctl stick show learn
check_match "stick show: the id and its server" "session +$ID1 +$S1 " "$CTL_OUT"

step "learn: URL rewriting only (;jsessionid=ID, no Cookie field)"
out=$(cart 80 --jar "$T/l2.json" --steps 8 --carry path)
info "$(brief "$out")"
cart_vals "$out"
check_eq "every request answered 200" true "$U_OK"
check_eq "every request on one server" true "$U_STICKY"
check_eq "the cart is intact (8 items)" "true 8" "$U_INTACT $U_NITEMS"
check_eq "one application session" 1 "$U_NEW"
check_eq "no Cookie field ever sent or received" "|" "$U_SENT|$U_SEEN"
check_eq "log: second request" "learn hit" "$(plog_persist "$U_R1")"

step "learn: query parameter JsessionID=ID"
out=$(cart 80 --jar "$T/l3.json" --steps 8 --carry query --param JsessionID)
info "$(brief "$out")"
cart_vals "$out"
check_eq "every request answered 200" true "$U_OK"
check_eq "every request on one server" true "$U_STICKY"
check_eq "the cart is intact (8 items)" "true 8" "$U_INTACT $U_NITEMS"
check_eq "one application session" 1 "$U_NEW"
check_eq "no Cookie field ever sent" "" "$U_SENT"
check_eq "log: second request" "learn hit" "$(plog_persist "$U_R1")"

step "stick export, flush, import"
EXP=$T/learn.export
ctlq stick export learn >"$EXP" || fail "splicerctl stick export learn failed"
sed 's/^/    /' "$EXP"
check_eq "export: the first user's line" 1 "$(grep -cE "^session $ID1 $S1 [0-9]+\$" "$EXP")"
check_eq "export: three sessions" 3 "$(grep -c '^session ' "$EXP")"
ctl stick flush learn
check_eq "/proc/net/splicer/stick: no learn row" 0 "$(stick_rows learn)"
ctl stick show learn
check_eq "stick show: nothing left of the first user" 0 "$(grep -c "$ID1" <<<"$CTL_OUT")"
JL1="JSESSIONID=$ID1"
r=$(req 80 "$JL1")
info "$r"
check_eq "after the flush: the first user is new again" "learn none" \
	"$(plog_persist "$(jq -r .rid <<<"$r")")"
ctl stick import learn "$EXP"
check_eq "/proc/net/splicer/stick: the id's server again" "$S1" \
	"$(proc_get stick server service=learn key="$ID1")"
out=$(cart 80 --jar "$L1" --steps 0 --reads 6 --no-store)
info "$(brief "$out")"
cart_vals "$out"
check_eq "after the import: every request answered 200" true "$U_OK"
check_eq "after the import: all on the first server" "true $S1" "$U_STICKY $U_SERVER"
check_eq "the cart is intact (10 items)" "true 10" "$U_INTACT $U_NITEMS"
check_eq "log" "learn hit" "$(plog_persist "$U_R0")"

step "a table of size 2: 4 new users"
out=$(cart 81 --users 4 --jar-dir "$T/small" --steps 0)
info "$(brief "$out")"
check_eq "answered" true "$(jq -r .ok <<<"$out")"
check_range "stick_evictions" 2 4 "$(svc_stat small stick_evictions)"
check_range "rows of service small" 1 2 "$(stick_rows small)"

# ---------------------------------------------------------------- prefix
step "prefix: JSESSIONID=<token>~ID in the browser, the plain id at the server"
out=$(cart 82 --jar "$T/p.json" --steps 8)
info "$(brief "$out")"
OURS=JSESSIONID cart_vals "$out"
check_eq "every request answered 200" true "$U_OK"
check_eq "every request on one server" true "$U_STICKY"
check_eq "the cart is intact (8 items)" "true 8" "$U_INTACT $U_NITEMS"
check_eq "one application session" 1 "$U_NEW"
ID=$U_SESSION
check_match "the Set-Cookie the browser saw" "^JSESSIONID=$TOKEN_RE~$ID; Path=/\$" "$U_SC"
check_eq "only that one" "1 1" "$U_NSET $U_OURS0"
check_match "the browser's jar" "^$TOKEN_RE~$ID\$" "$(jq -r .cookies.JSESSIONID "$T/p.json")"
check_match "what the browser sent" "^JSESSIONID=$TOKEN_RE~$ID\$" "$U_SENT"
check_eq "what the application received" "JSESSIONID=$ID" "${U_SEEN#" | "}"
check_eq "log: first request" "prefix none" "$(plog_persist "$U_R0")"
check_eq "log: second request" "prefix hit" "$(plog_persist "$U_R1")"

# ---------------------------------------------------------------- source
step "source: 8 requests without a session from $CLI_IP"
out=$(cart 83 --jar "$T/src.json" --steps 7 --carry none)
info "$(brief "$out")"
cart_vals "$out"
check_eq "every request answered 200" true "$U_OK"
check_eq "every request on one server" true "$U_STICKY"
SS=$U_SERVER
check_eq "(no session carried: 8 application sessions)" 8 "$U_NEW"
check_eq "log: second request" "source hit" "$(plog_persist "$U_R1")"
check_eq "/proc/net/splicer/stick: $CLI_IP/32" "source $SS" \
	"$(proc_get stick kind service=src key="$CLI_IP/32") $(proc_get stick server service=src key="$CLI_IP/32")"
ctlq stick export src >"$T/src.export" || fail "splicerctl stick export src failed"
sed 's/^/    /' "$T/src.export"
check_eq "export: the source line" 1 "$(grep -cE "^source $CLI_IP/32 $SS [0-9]+\$" "$T/src.export")"
# an entry for the second address, imported, naming a server that is not
# the first address's
other=$(printf 's1\ns2\ns3\n' | grep -vx "$SS" | head -1)
printf '# imported by hand\nsource %s/32 %s 0\n' "$CLI_IP2" "$other" >"$T/src.import"
ctl stick import src "$T/src.import"
check_eq "/proc/net/splicer/stick: $CLI_IP2/32 imported" "$other" \
	"$(proc_get stick server service=src key="$CLI_IP2/32")"
check_eq "$CLI_IP2: three requests on the imported server" "$other $other $other" \
	"$(servers_of 83 "$CLI_IP2" /health "" 3)"

step "source mask4 24: $CLI_IP and $CLI_IP2 share one entry"
s=$(servers_of 84 "$CLI_IP" /health "" 1)
s+=" $(servers_of 84 "$CLI_IP2" /health "" 2)"
s+=" $(servers_of 84 "$CLI_IP" /health "" 1)"
check_eq "one server for both" "${s%% *} ${s%% *} ${s%% *} ${s%% *}" "$s"
check_eq "/proc/net/splicer/stick: 198.18.0.0/24" "${s%% *}" \
	"$(proc_get stick server service=net key=198.18.0.0/24)"
check_eq "rows of service net" 1 "$(stick_rows net)"

check_drained
mod_unload
pass
