#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Persistence on what the application itself hands out (learn, prefix) and
# on the client address (source), with the stick tables' commands. The cart
# application (cartapp.py) keeps carts in each server's own memory; three
# servers, round-robin. Asserts:
#  - learn (JSESSIONID): a user with a cookie jar adds 10 items on new
#    connections: one server, the cart intact, one application session; log
#    "learn none" then "learn hit"; /proc/net/splicer/stick and `stick
#    show` hold the session id with that server;
#  - the same with URL rewriting only (";jsessionid=ID" path parameter, no
#    Cookie field at all), and with a query parameter spelt "JsessionID"
#    (names compare without regard to case): sticky, intact;
#  - `stick export` lists "session ID SERVER IDLE"; after `stick flush` the
#    table is empty and the first user's next request (its cookie replayed)
#    is balanced as a new user's ("learn none"); after `stick import` of
#    the export its requests (6) all reach its server again and the cart is
#    intact ("learn hit");
#  - a table of size 2: 4 new users evict at least 2 entries
#    (stick_evictions), the table never holds more than 2;
#  - prefix: the browser's JSESSIONID is "<42 hex>~ID", the application
#    receives the plain "JSESSIONID=ID", sticky, intact; log "prefix none"
#    then "prefix hit";
#  - source: 8 requests without any session from 198.18.0.2 reach one
#    server (log "source hit"), the table holds 198.18.0.2/32 with it; an
#    imported "source 198.18.0.3/32 S 0" sends 198.18.0.3 to S; with mask4
#    24, 198.18.0.2 and .3 share one entry (198.18.0.0/24) and one server;
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

brief() { printf '%s' "$1" | jq -c '{ok, servers, statuses, items, new_sessions, set_cookie, errors}' 2>/dev/null ||
	printf '%s\n' "$1"; }
# stick_rows SERVICE: rows of /proc/net/splicer/stick of that service
stick_rows() { in_lb cat /proc/net/splicer/stick | awk -v s="$1" 'NR > 1 && $1 == s' | grep -c . ; }

# ---------------------------------------------------------------- learn
step "learn: a user with a cookie jar, 10 add-to-cart requests, new connections"
L1=$T/l1.json
out=$(cart 80 --jar "$L1" --steps 10)
info "$(brief "$out")"
check_eq "every request answered 200" true "$(jget "$out" .ok)"
check_eq "every request on one server" true "$(jget "$out" .sticky)"
S1=$(jget "$out" .server)
check_eq "the cart is intact (10 items)" "true 10" "$(jget "$out" '"\(.intact) \(.items | length)"')"
check_eq "one application session" 1 "$(jget "$out" .new_sessions)"
ID1=$(jget "$out" .session)
check_match "the session id" "^$HEX32\$" "$ID1"
check_eq "no cookie of splicer's own" 0 "$(jget "$out" '[.set_cookie[] | select(startswith("JSESSIONID=") | not)] | length')"
check_eq "log: first request" "learn none" "$(plog_persist "$(jget "$out" '.ports[0]')")"
check_eq "log: second request" "learn hit" "$(plog_persist "$(jget "$out" '.ports[1]')")"
in_lb cat /proc/net/splicer/stick | sed 's/^/    /'
check_eq "/proc/net/splicer/stick: the id's server" "$S1" \
	"$(proc_get stick server service=learn key="$ID1")"
check_eq "/proc/net/splicer/stick: kind" session "$(proc_get stick kind service=learn key="$ID1")"
ctl stick show learn
check_match "stick show: the id and its server" "$ID1.*$S1" "$CTL_OUT"

step "learn: URL rewriting only (;jsessionid=ID, no Cookie field)"
out=$(cart 80 --jar "$T/l2.json" --steps 8 --carry path)
info "$(brief "$out")"
check_eq "every request answered 200" true "$(jget "$out" .ok)"
check_eq "every request on one server" true "$(jget "$out" .sticky)"
check_eq "the cart is intact (8 items)" "true 8" "$(jget "$out" '"\(.intact) \(.items | length)"')"
check_eq "one application session" 1 "$(jget "$out" .new_sessions)"
check_eq "no Cookie field ever sent" "0 0" "$(jget "$out" '"\(.sent_cookies | length) \([.cookie_headers[] | select(. != "")] | length)"')"
check_eq "log: second request" "learn hit" "$(plog_persist "$(jget "$out" '.ports[1]')")"

step "learn: query parameter JsessionID=ID"
out=$(cart 80 --jar "$T/l3.json" --steps 8 --carry query --param JsessionID)
info "$(brief "$out")"
check_eq "every request answered 200" true "$(jget "$out" .ok)"
check_eq "every request on one server" true "$(jget "$out" .sticky)"
check_eq "the cart is intact (8 items)" "true 8" "$(jget "$out" '"\(.intact) \(.items | length)"')"
check_eq "one application session" 1 "$(jget "$out" .new_sessions)"
check_eq "log: second request" "learn hit" "$(plog_persist "$(jget "$out" '.ports[1]')")"

step "stick export, flush, import"
EXP=$T/learn.export
ctlq stick export learn >"$EXP" || fail "splicerctl stick export learn failed"
sed 's/^/    /' "$EXP"
check_eq "export: the first user's line" 1 \
	"$(grep -cE "^session $ID1 $S1 [0-9]+\$" "$EXP")"
check_eq "export: three sessions" 3 "$(grep -c '^session ' "$EXP")"
ctl stick flush learn
check_eq "/proc/net/splicer/stick: no learn row" 0 "$(stick_rows learn)"
ctl stick show learn
check_eq "stick show: nothing left of the first user" 0 "$(printf '%s\n' "$CTL_OUT" | grep -c "$ID1")"
out=$(cart 80 --jar "$L1" --steps 0 --no-store)
info "$(brief "$out")"
check_eq "after the flush: the first user is new again" "learn none" \
	"$(plog_persist "$(jget "$out" '.ports[0]')")"
ctl stick import learn "$EXP"
check_eq "/proc/net/splicer/stick: the id's server again" "$S1" \
	"$(proc_get stick server service=learn key="$ID1")"
out=$(cart 80 --jar "$L1" --steps 0 --reads 6 --no-store)
info "$(brief "$out")"
check_eq "after the import: every request answered 200" true "$(jget "$out" .ok)"
check_eq "after the import: all on the first server" "true $S1" "$(jget "$out" '"\(.sticky) \(.server)"')"
check_eq "the cart is intact (10 items)" "true 10" "$(jget "$out" '"\(.intact) \(.items | length)"')"
check_eq "log" "learn hit" "$(plog_persist "$(jget "$out" '.ports[0]')")"

step "a table of size 2: 4 new users"
ev0=$(pstat stick_evictions)
out=$(cart 81 --users 4 --jar-dir "$T/small" --steps 0)
info "$(jc "$out" '{ok, servers}')"
check_eq "answered" true "$(jget "$out" .ok)"
check_range "stick_evictions" 2 4 $(($(pstat stick_evictions) - ev0))
check_range "rows of service small" 1 2 "$(stick_rows small)"

# ---------------------------------------------------------------- prefix
step "prefix: JSESSIONID=<token>~ID in the browser, the plain id at the server"
out=$(cart 82 --jar "$T/p.json" --steps 8)
info "$(brief "$out")"
check_eq "every request answered 200" true "$(jget "$out" .ok)"
check_eq "every request on one server" true "$(jget "$out" .sticky)"
check_eq "the cart is intact (8 items)" "true 8" "$(jget "$out" '"\(.intact) \(.items | length)"')"
check_eq "one application session" 1 "$(jget "$out" .new_sessions)"
ID=$(jget "$out" .session)
check_match "the Set-Cookie the browser saw" "^JSESSIONID=$TOKEN_RE~$ID; Path=/\$" \
	"$(jget "$out" '.set_cookie | join(" | ")')"
check_match "the browser's jar" "^$TOKEN_RE~$ID\$" "$(jget "$out" .cookies.JSESSIONID)"
check_eq "what the application received" "JSESSIONID=$ID" \
	"$(jget "$out" '[.cookie_headers[] | select(. != "")] | unique | join(" | ")')"
check_eq "log: first request" "prefix none" "$(plog_persist "$(jget "$out" '.ports[0]')")"
check_eq "log: second request" "prefix hit" "$(plog_persist "$(jget "$out" '.ports[1]')")"

# ---------------------------------------------------------------- source
step "source: 8 requests without a session from $CLI_IP"
out=$(cart 83 --jar "$T/src.json" --steps 7 --carry none)
info "$(brief "$out")"
check_eq "every request answered 200" true "$(jget "$out" .ok)"
check_eq "every request on one server" true "$(jget "$out" .sticky)"
SS=$(jget "$out" .server)
check_eq "(no session carried: 8 application sessions)" 8 "$(jget "$out" .new_sessions)"
check_eq "log: second request" "source hit" "$(plog_persist "$(jget "$out" '.ports[1]')")"
check_eq "/proc/net/splicer/stick: $CLI_IP/32" "$SS" \
	"$(proc_get stick server service=src key="$CLI_IP/32")"
ctlq stick export src >"$T/src.export" || fail "splicerctl stick export src failed"
sed 's/^/    /' "$T/src.export"
check_eq "export: the source line" 1 "$(grep -cE "^source $CLI_IP/32 $SS [0-9]+\$" "$T/src.export")"
# an entry for the second address, imported, on a server it would not get next
other=$(printf 's1\ns2\ns3\n' | grep -vx "$SS" | head -1)
printf 'source %s/32 %s 0\n' "$CLI_IP2" "$other" >"$T/src.import"
ctl stick import src "$T/src.import"
check_eq "/proc/net/splicer/stick: $CLI_IP2/32 imported" "$other" \
	"$(proc_get stick server service=src key="$CLI_IP2/32")"
servers=""
for i in 1 2 3; do
	r=$(req 83 "" /cart "$CLI_IP2")
	servers+="$(jget "$r" .server) "
done
check_eq "$CLI_IP2: three requests on the imported server" "$other $other $other " "$servers"

step "source mask4 24: $CLI_IP and $CLI_IP2 share one entry"
servers=""
for src in "$CLI_IP" "$CLI_IP2" "$CLI_IP" "$CLI_IP2"; do
	r=$(req 84 "" /cart "$src")
	servers+="$(jget "$r" .server) "
done
info "servers: $servers"
check_eq "one server for both" 1 "$(printf '%s\n' $servers | sort -u | grep -c .)"
check_eq "/proc/net/splicer/stick: 198.18.0.0/24" "${servers%% *}" \
	"$(proc_get stick server service=net key=198.18.0.0/24)"
check_eq "rows of service net" 1 "$(stick_rows net)"

check_drained
mod_unload
pass
