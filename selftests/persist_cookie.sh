#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Cookie insert persistence with a real session application (cartapp.py:
# carts in each server's own memory) and real users (cartclient.py: a
# cookie jar, a new connection per request). Three servers, round-robin.
# The decision log's "persist" field is read for each request that
# matters. Asserts:
#  - a user adds 12 items on 12 new connections and reads the cart back:
#    every request on one server, the cart intact, one application session;
#    the first response (only) sets "SPLICERID=<42 hex>; Path=/; HttpOnly;
#    SameSite=Lax" (no Cache-Control added without nocache), the
#    application sees the cookie (not indirect); log: "cookie none" then
#    "cookie hit"; persist_new +1, persist_hits +12;
#  - the same user from a second client address (198.18.0.3): same server,
#    the cart intact (17 items), no Set-Cookie at all;
#  - three more users, interleaved: each sticky with an intact cart, on
#    three different servers (new users are balanced, not all stuck on one);
#  - indirect nocache secure: the application never sees SPLICERID (it does
#    see its JSESSIONID), the response that sets it carries Cache-Control:
#    private and "; Secure"; the cart is intact;
#  - maxlife 2s: the Set-Cookie carries "; Max-Age=2";
#  - a forged cookie (SPLICERID=s1), an altered one (one hex digit of a real
#    token changed) and expired ones (maxidle 2s, maxlife 2s, a hit before,
#    then 3.5 s of silence) are ignored: a new Set-Cookie, logged "cookie
#    forged", "cookie altered", "cookie expired (maxidle)", "cookie expired
#    (maxlife)"; persist_invalid +4;
#  - key rotation: a cookie issued under the service's first key still works
#    after `key K1` (hit, same server, cart intact), but not after `key K2`
#    ("cookie altered", a new cookie); a cookie issued under K1 still works
#    after `key K2`;
#  - a second node decides the same: the service deleted and added again
#    with the same names and `key K2` accepts a cookie issued under K2
#    (hit, same server, cart intact) and refuses one issued under K1 only;
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/persist.sh"

K1=00112233445566778899aabbccddeeff
K2=0f1e2d3c4b5a69788796a5b4c3d2e1f0
CLI_IP2=198.18.0.3
SC_RE="^SPLICERID=($TOKEN_RE); Path=/; HttpOnly; SameSite=Lax"

require_root
require_splicer
require_cmd curl
topo_up 3
carts_start s1=198.18.1.2:8080 s2=198.18.1.3:8080 s3=198.18.1.4:8080
mod_load
in_cli ip addr add "$CLI_IP2/24" dev cli0 || fail "cannot add $CLI_IP2 to cli0"

step "configure: pool app s1 s2 s3; services web (cookie), ind (indirect nocache secure), idle (maxidle 2s), life (maxlife 2s)"
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl server add app s2 198.18.1.3:8080
ctl server add app s3 198.18.1.4:8080
ctl service add web listen "$LB_IP:80" pool app
ctl persist web cookie
ctl service add ind listen "$LB_IP:81" pool app
ctl persist ind cookie indirect nocache secure
ctl service add idle listen "$LB_IP:82" pool app
ctl persist idle cookie maxidle 2s
ctl service add life listen "$LB_IP:83" pool app
ctl persist life cookie maxlife 2s
ctl persist web show
plog_start 80

# ours JSON: the SPLICERID values of a cartclient result's Set-Cookies
ours() { jget "$1" '[.set_cookie[] | select(startswith("SPLICERID="))]'; }
nours() { jget "$1" '[.set_cookie[] | select(startswith("SPLICERID="))] | length'; }
# brief JSON: what a cartclient run saw, on one line
brief() { printf '%s' "$1" | jq -c '{ok, servers, statuses, items, new_sessions, set_cookie, errors}' 2>/dev/null ||
	printf '%s\n' "$1"; }

# ---------------------------------------------------------------- one user
step "user A: 12 add-to-cart requests and a read, each on a new connection"
new0=$(pstat persist_new)
hits0=$(pstat persist_hits)
A=$T/a.json
out=$(cart 80 --jar "$A" --steps 12)
info "$(brief "$out")"
check_eq "every request answered 200" true "$(jget "$out" .ok)"
check_eq "every request on one server" true "$(jget "$out" .sticky)"
SA=$(jget "$out" .server)
check_eq "the cart is intact (12 items)" "true 12" "$(jget "$out" '"\(.intact) \(.items | length)"')"
check_eq "one application session" 1 "$(jget "$out" .new_sessions)"
check_eq "one SPLICERID Set-Cookie" 1 "$(nours "$out")"
check_eq "on the first response" 1 \
	"$(jget "$out" '[.requests[0].set_cookie[] | select(startswith("SPLICERID="))] | length')"
sc=$(jget "$out" '[.set_cookie[] | select(startswith("SPLICERID="))][0]')
check_match "Set-Cookie: SPLICERID=<42 hex>; Path=/; HttpOnly; SameSite=Lax" "$SC_RE\$" "$sc"
TOKA=$(cookie_of "$sc")
check_eq "no Cache-Control added without nocache" null "$(jget "$out" '.requests[0].cache_control')"
check_match "the application saw SPLICERID (not indirect)" "SPLICERID=$TOKA" \
	"$(jget "$out" '.cookie_headers | join(" | ")')"
check_eq "log: first request" "cookie none" "$(plog_persist "$(jget "$out" '.ports[0]')")"
check_eq "log: second request" "cookie hit" "$(plog_persist "$(jget "$out" '.ports[1]')")"
check_eq "log: last request" "cookie hit" "$(plog_persist "$(jget "$out" '.ports[12]')")"
check_eq "persist_new +1" 1 $(($(pstat persist_new) - new0))
check_eq "persist_hits +12" 12 $(($(pstat persist_hits) - hits0))

step "user A from a second client address ($CLI_IP2)"
out=$(cart 80 --jar "$A" --steps 5 --source "$CLI_IP2")
info "$(brief "$out")"
check_eq "every request answered 200" true "$(jget "$out" .ok)"
check_eq "the same server as before" "$SA" "$(jget "$out" .server)"
check_eq "the cart is intact (17 items)" "true 17" "$(jget "$out" '"\(.intact) \(.items | length)"')"
check_eq "no new application session" 0 "$(jget "$out" .new_sessions)"
check_eq "no Set-Cookie at all" 0 "$(jget "$out" '.set_cookie | length')"
check_eq "log: from $CLI_IP2" "cookie hit" "$(plog_persist "$(jget "$out" '.ports[0]')")"

step "three more users, taking turns"
out=$(cart 80 --users 3 --jar-dir "$T/more" --steps 4)
info "$(jc "$out" '{ok, servers, sticky, intact}')"
check_eq "every request answered 200" true "$(jget "$out" .ok)"
check_eq "each stayed on one server" 3 "$(jget "$out" .sticky)"
check_eq "each cart intact" 3 "$(jget "$out" .intact)"
check_eq "three users on three servers" 3 "$(jget "$out" '.servers | length')"

# ---------------------------------------------------------------- indirect
step "indirect nocache secure (service ind)"
out=$(cart 81 --jar "$T/ind.json" --steps 6)
info "$(brief "$out")"
check_eq "every request answered 200" true "$(jget "$out" .ok)"
check_eq "every request on one server" true "$(jget "$out" .sticky)"
check_eq "the cart is intact" true "$(jget "$out" .intact)"
check_eq "one SPLICERID Set-Cookie" 1 "$(nours "$out")"
check_match "it says Secure" "$SC_RE; Secure\$" \
	"$(jget "$out" '[.set_cookie[] | select(startswith("SPLICERID="))][0]')"
check_eq "Cache-Control: private with it (nocache)" private "$(jget "$out" '.requests[0].cache_control')"
check_eq "the client sent SPLICERID" true \
	"$(jget "$out" '[.sent_cookies[] | select(contains("SPLICERID="))] | length > 0')"
check_eq "the application never saw SPLICERID (indirect)" 0 \
	"$(jget "$out" '[.cookie_headers[] | select(contains("SPLICERID"))] | length')"
check_eq "it saw its own JSESSIONID" true \
	"$(jget "$out" '[.cookie_headers[] | select(test("^JSESSIONID=[0-9a-f]{32}$"))] | length > 0')"

# ---------------------------------------------------------------- invalid
step "expired cookies: users on idle (maxidle 2s) and life (maxlife 2s)"
outi=$(cart 82 --jar "$T/idle.json" --steps 2)
info "$(brief "$outi")"
t_issued=$SECONDS
outl=$(cart 83 --jar "$T/life.json" --steps 2)
info "$(brief "$outl")"
check_eq "idle: answered, one server" "true true" "$(jget "$outi" '"\(.ok) \(.sticky)"')"
check_eq "idle: a hit before it expires" "cookie hit" "$(plog_persist "$(jget "$outi" '.ports[1]')")"
check_eq "life: answered, one server" "true true" "$(jget "$outl" '"\(.ok) \(.sticky)"')"
check_eq "life: a hit before it expires" "cookie hit" "$(plog_persist "$(jget "$outl" '.ports[1]')")"
check_match "life: the cookie says Max-Age=2" "$SC_RE; Max-Age=2\$" \
	"$(jget "$outl" '[.set_cookie[] | select(startswith("SPLICERID="))][0]')"
TOKI=$(jget "$(cat "$T/idle.json")" .cookies.SPLICERID)
TOKL=$(jget "$(cat "$T/life.json")" .cookies.SPLICERID)

step "a forged and an altered cookie on web"
inv0=$(pstat persist_invalid)
r=$(req 80 "SPLICERID=s1")
info "$r"
check_eq "forged: answered" 200 "$(jget "$r" .status)"
check_match "forged: a new cookie" "$SC_RE" "$(jget "$r" '.set_cookie | join(" | ")')"
check_eq "forged: logged" "cookie forged" "$(plog_persist "$(jget "$r" .port)")"
# one digit of the server id field (hex digits 3..10) changed
d=${TOKA:9:1}
case $d in 0) d=1 ;; *) d=0 ;; esac
ALT=${TOKA:0:9}$d${TOKA:10}
info "altered $TOKA -> $ALT"
r=$(req 80 "SPLICERID=$ALT")
info "$r"
check_eq "altered: answered" 200 "$(jget "$r" .status)"
check_match "altered: a new cookie" "$SC_RE" "$(jget "$r" '.set_cookie | join(" | ")')"
check_eq "altered: logged" "cookie altered" "$(plog_persist "$(jget "$r" .port)")"
check_eq "persist_invalid +2" 2 $(($(pstat persist_invalid) - inv0))

step "the expired cookies, 3.5 s after they were last used"
wait_s=$((4 - (SECONDS - t_issued)))
[ $wait_s -le 0 ] || sleep "$wait_s"
sleep 0.5
r=$(req 82 "SPLICERID=$TOKI")
info "$r"
check_eq "maxidle: answered" 200 "$(jget "$r" .status)"
check_match "maxidle: a new cookie" "$SC_RE" "$(jget "$r" '.set_cookie | join(" | ")')"
check_eq "maxidle: logged" "cookie expired (maxidle)" "$(plog_persist "$(jget "$r" .port)")"
r=$(req 83 "SPLICERID=$TOKL")
info "$r"
check_eq "maxlife: answered" 200 "$(jget "$r" .status)"
check_match "maxlife: a new cookie" "$SC_RE" "$(jget "$r" '.set_cookie | join(" | ")')"
check_eq "maxlife: logged" "cookie expired (maxlife)" "$(plog_persist "$(jget "$r" .port)")"
check_eq "persist_invalid +4 in all" 4 $(($(pstat persist_invalid) - inv0))

# ---------------------------------------------------------------- keys
step "key rotation: key K1; A's cookie (first key) still works"
ctl persist web key "$K1"
ctl persist web show
out=$(cart 80 --jar "$A" --steps 0 --no-store)
info "$(brief "$out")"
check_eq "answered by A's server" "true $SA" "$(jget "$out" '"\(.ok) \(.server)"')"
check_eq "A's cart intact" "true 17" "$(jget "$out" '"\(.intact) \(.items | length)"')"
check_eq "log" "cookie hit" "$(plog_persist "$(jget "$out" '.ports[0]')")"
# user R1 gets a cookie signed with K1
out=$(cart 80 --users 1 --jar-dir "$T/rot" --steps 2)
info "$(jc "$out" '[.users[] | {server, items, set_cookie}]')"
check_eq "R1 answered, on one server" "true 1" "$(jget "$out" '"\(.ok) \(.sticky)"')"
SR1=$(jget "$out" .users[0].server)

step "key K2: A's cookie (first key) is void, R1's (K1) still works; R2 gets one signed with K2"
ctl persist web key "$K2"
ctl persist web show
inv0=$(pstat persist_invalid)
out=$(cart 80 --jar "$A" --steps 0 --no-store)
info "$(brief "$out")"
check_eq "A answered" true "$(jget "$out" .ok)"
check_eq "A's cookie: logged" "cookie altered" "$(plog_persist "$(jget "$out" '.ports[0]')")"
check_eq "A gets a new cookie" 1 "$(nours "$out")"
check_eq "persist_invalid +1" 1 $(($(pstat persist_invalid) - inv0))
out=$(cart 80 --users 2 --jar-dir "$T/rot" --steps 2)
info "$(jc "$out" '[.users[] | {server, items, set_cookie}]')"
check_eq "R1, R2 answered, each on one server" "true 2" "$(jget "$out" '"\(.ok) \(.sticky)"')"
check_eq "R1 (K1 cookie): still on its server" "$SR1" "$(jget "$out" .users[0].server)"
check_eq "R1: cart intact (4 items)" "true 4" "$(jget "$out" '.users[0] | "\(.intact) \(.items | length)"')"
check_eq "R1: logged" "cookie hit" "$(plog_persist "$(jget "$out" '.users[0].ports[0]')")"
SR2=$(jget "$out" .users[1].server)

step "a second node: web deleted and added again with the same names, key K2"
ctl service del web
ctl service add web listen "$LB_IP:80" pool app
ctl persist web cookie
ctl persist web key "$K2"
out=$(cart 80 --users 2 --jar-dir "$T/rot" --steps 1)
info "$(jc "$out" '[.users[] | {server, items, set_cookie}]')"
check_eq "answered" true "$(jget "$out" .ok)"
check_eq "R2 (K2 cookie): on its server" "$SR2" "$(jget "$out" .users[1].server)"
check_eq "R2: cart intact (3 items)" "true 3" "$(jget "$out" '.users[1] | "\(.intact) \(.items | length)"')"
check_eq "R2: logged" "cookie hit" "$(plog_persist "$(jget "$out" '.users[1].ports[0]')")"
check_eq "R2: no new cookie" 0 "$(jget "$out" '[.users[1].set_cookie[] | select(startswith("SPLICERID="))] | length')"
check_eq "R1 (K1 cookie, not on this node): logged" "cookie altered" \
	"$(plog_persist "$(jget "$out" '.users[0].ports[0]')")"
check_eq "R1: a new cookie" 1 "$(jget "$out" '[.users[0].set_cookie[] | select(startswith("SPLICERID="))] | length')"

check_drained
mod_unload
pass
