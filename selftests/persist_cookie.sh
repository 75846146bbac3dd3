#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600 (a bound for loaded hosts; about 60-90 s on an idle one)
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
#    token's server id changed) and expired ones (maxidle 2s, maxlife 2s, a
#    hit before, then 3.6 s of silence) are ignored: a new Set-Cookie,
#    logged "cookie forged", "cookie altered", "cookie expired (maxidle)",
#    "cookie expired (maxlife)"; persist_invalid counts each;
#  - key rotation: a cookie issued under the service's first key still works
#    after `key K1` (hit, same server, cart intact; `persist show`: keys 2,
#    another key-id), but not after `key K2` ("cookie altered", a new
#    cookie); a cookie issued under K1 still works after `key K2`;
#  - a second node decides the same: the service deleted and added again
#    with the same names and `key K2` (the same key-id) accepts a cookie
#    issued under K2 (hit, same server, cart intact, no new cookie) and
#    refuses one issued under K1 ("cookie altered", a new cookie);
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
plog_start 80

# req_vals JSON: R_STATUS R_RID R_SERVER R_NITEMS R_NEW R_SC (our
# Set-Cookie, whole, "" if none) of a req result
req_vals() {
	jset "$1" R_STATUS=.status R_RID=.rid R_SERVER=.server R_NITEMS='.items | length' \
		R_NEW=.new_session R_SC='[.set_cookie[] | select(startswith("SPLICERID="))][0] // ""'
}
# key_id SERVICE: "KEY-ID KEYS" from splicerctl -j persist SERVICE show
key_id() { jq -r '"\(.key_id) \(.keys)"' <<<"$(ctlq -j persist "$1" show)"; }

# ---------------------------------------------------------------- one user
step "user A: 12 add-to-cart requests and a read, each on a new connection"
new0=$(svc_stat web persist_new)
hits0=$(svc_stat web persist_hits)
A=$T/a.json
out=$(cart 80 --jar "$A" --steps 12)
info "$(brief "$out")"
cart_vals "$out"
check_eq "every request answered 200" true "$U_OK"
check_eq "every request on one server" true "$U_STICKY"
SA=$U_SERVER
check_eq "the cart is intact (12 items)" "true 12" "$U_INTACT $U_NITEMS"
check_eq "one application session" 1 "$U_NEW"
check_eq "one SPLICERID Set-Cookie, on the first response" "1 1" "$U_OURS $U_OURS0"
check_match "Set-Cookie: SPLICERID=<42 hex>; Path=/; HttpOnly; SameSite=Lax" "$SC_RE\$" "$U_SC"
TOKA=$(cookie_of "$U_SC")
check_eq "no Cache-Control added without nocache" null "$U_CC0"
check_match "the application saw SPLICERID (not indirect)" "SPLICERID=$TOKA" "$U_SEEN"
check_eq "log: first request" "cookie none" "$(plog_persist "$U_R0")"
check_eq "log: second request" "cookie hit" "$(plog_persist "$U_R1")"
check_eq "log: last request" "cookie hit" "$(plog_persist "$U_RLAST")"
check_eq "persist_new +1" 1 $(($(svc_stat web persist_new) - new0))
check_eq "persist_hits +12" 12 $(($(svc_stat web persist_hits) - hits0))

step "user A from a second client address ($CLI_IP2)"
out=$(cart 80 --jar "$A" --steps 5 --source "$CLI_IP2")
info "$(brief "$out")"
cart_vals "$out"
check_eq "every request answered 200" true "$U_OK"
check_eq "every request on A's server" "true $SA" "$U_STICKY $U_SERVER"
check_eq "the cart is intact (17 items)" "true 17" "$U_INTACT $U_NITEMS"
check_eq "no new application session" 0 "$U_NEW"
check_eq "no Set-Cookie at all" 0 "$U_NSET"
check_eq "log: from $CLI_IP2" "cookie hit" "$(plog_persist "$U_R0")"

step "three more users, taking turns"
out=$(cart 80 --users 3 --jar-dir "$T/more" --steps 4)
info "$(brief "$out")"
jset "$out" ok=.ok sticky=.sticky intact=.intact nsrv='.servers | length'
check_eq "every request answered 200" true "$ok"
check_eq "each stayed on one server, cart intact" "3 3" "$sticky $intact"
check_eq "three users on three servers" 3 "$nsrv"

# ---------------------------------------------------------------- indirect
step "indirect nocache secure (service ind)"
out=$(cart 81 --jar "$T/ind.json" --steps 6)
info "$(brief "$out")"
cart_vals "$out"
check_eq "every request answered 200" true "$U_OK"
check_eq "every request on one server, the cart intact" "true true" "$U_STICKY $U_INTACT"
check_eq "one SPLICERID Set-Cookie, on the first response" "1 1" "$U_OURS $U_OURS0"
check_match "it says Secure" "$SC_RE; Secure\$" "$U_SC"
check_eq "Cache-Control: private with it (nocache)" private "$U_CC0"
check_match "the client sent SPLICERID" 'SPLICERID=' "$U_SENT"
check_eq "the application never saw SPLICERID (indirect)" 0 "$(grep -c SPLICERID <<<"$U_SEEN")"
check_match "it saw its own JSESSIONID" 'JSESSIONID=[0-9a-f]{32}' "$U_SEEN"

# ---------------------------------------------------------------- invalid
step "expired cookies: users on idle (maxidle 2s) and life (maxlife 2s)"
outi=$(cart 82 --jar "$T/idle.json" --steps 2)
info "$(brief "$outi")"
outl=$(cart 83 --jar "$T/life.json" --steps 2)
info "$(brief "$outl")"
t_issued=$(date +%s%N)	# both tokens were last signed before this
cart_vals "$outi"
check_eq "idle: answered, one server" "true true" "$U_OK $U_STICKY"
check_eq "idle: a hit before it expires" "cookie hit" "$(plog_persist "$U_R1")"
cart_vals "$outl"
check_eq "life: answered, one server" "true true" "$U_OK $U_STICKY"
check_eq "life: a hit before it expires" "cookie hit" "$(plog_persist "$U_R1")"
check_match "life: the cookie says Max-Age=2" "$SC_RE; Max-Age=2\$" "$U_SC"
TOKI=$(jq -r .cookies.SPLICERID "$T/idle.json")
TOKL=$(jq -r .cookies.SPLICERID "$T/life.json")

step "a forged and an altered cookie on web"
inv0=$(svc_stat web persist_invalid)
r=$(req 80 "SPLICERID=s1")
info "$r"
req_vals "$r"
check_eq "forged: answered" 200 "$R_STATUS"
check_match "forged: a new cookie" "$SC_RE\$" "$R_SC"
check_eq "forged: logged" "cookie forged" "$(plog_persist "$R_RID")"
# one digit of the server id field (hex digits 3..10) changed
d=${TOKA:9:1}
case $d in 0) d=1 ;; *) d=0 ;; esac
ALT=${TOKA:0:9}$d${TOKA:10}
info "altered $TOKA -> $ALT"
r=$(req 80 "SPLICERID=$ALT")
info "$r"
req_vals "$r"
check_eq "altered: answered" 200 "$R_STATUS"
check_match "altered: a new cookie" "$SC_RE\$" "$R_SC"
check_eq "altered: logged" "cookie altered" "$(plog_persist "$R_RID")"
check_eq "web: persist_invalid +2" 2 $(($(svc_stat web persist_invalid) - inv0))

step "the expired cookies, 3.6 s after they were last signed"
# 3.6 s: whole seconds of age > 2 whatever the rounding
left_ms=$((3600 - ($(date +%s%N) - t_issued) / 1000000))
[ $left_ms -le 0 ] || sleep "$((left_ms / 1000)).$(printf '%03d' $((left_ms % 1000)))"
r=$(req 82 "SPLICERID=$TOKI")
info "$r"
req_vals "$r"
check_eq "maxidle: answered" 200 "$R_STATUS"
check_match "maxidle: a new cookie" "$SC_RE\$" "$R_SC"
check_eq "maxidle: logged" "cookie expired (maxidle)" "$(plog_persist "$R_RID")"
check_eq "idle: persist_invalid" 1 "$(svc_stat idle persist_invalid)"
r=$(req 83 "SPLICERID=$TOKL")
info "$r"
req_vals "$r"
check_eq "maxlife: answered" 200 "$R_STATUS"
check_match "maxlife: a new cookie" "$SC_RE; Max-Age=2\$" "$R_SC"
check_eq "maxlife: logged" "cookie expired (maxlife)" "$(plog_persist "$R_RID")"
check_eq "life: persist_invalid" 1 "$(svc_stat life persist_invalid)"
check_eq "splicerctl -j stats: persist_invalid in all" 4 "$(pstat persist_invalid)"

# ---------------------------------------------------------------- keys
step "key rotation: key K1; A's cookie (first key) still works"
read -r kid0 nkeys <<<"$(key_id web)"
check_eq "one key at first" 1 "$nkeys"
ctl persist web key "$K1"
ctl persist web show
read -r kid1 nkeys <<<"$(key_id web)"
check_eq "persist show: two keys accepted" 2 "$nkeys"
check_eq "persist show: another key-id" yes "$([ "$kid1" != "$kid0" ] && echo yes)"
JA=$(jq -r .cookies.JSESSIONID "$A")
r=$(req 80 "JSESSIONID=$JA; SPLICERID=$TOKA")
info "$r"
req_vals "$r"
check_eq "A: answered by A's server" "200 $SA" "$R_STATUS $R_SERVER"
check_eq "A's cart intact" "17 false" "$R_NITEMS $R_NEW"
check_eq "log" "cookie hit" "$(plog_persist "$R_RID")"
# user R1 gets a cookie signed with K1
out=$(cart 80 --users 1 --jar-dir "$T/rot" --steps 2)
info "$(brief "$out")"
cart_vals "$out" 0
check_eq "R1 answered, on one server" "true true" "$U_OK $U_STICKY"
SR1=$U_SERVER

step "key K2: A's cookie (first key) is void, R1's (K1) still works; R2 gets one signed with K2"
cp "$T/rot/u1.json" "$T/r1-k1.json"	# R1 with its K1 cookie, for later
ctl persist web key "$K2"
ctl persist web show
inv0=$(svc_stat web persist_invalid)
r=$(req 80 "JSESSIONID=$JA; SPLICERID=$TOKA")
info "$r"
req_vals "$r"
check_eq "A answered" 200 "$R_STATUS"
check_eq "A's cookie: logged" "cookie altered" "$(plog_persist "$R_RID")"
check_match "A gets a new cookie" "$SC_RE\$" "$R_SC"
check_eq "persist_invalid +1" 1 $(($(svc_stat web persist_invalid) - inv0))
out=$(cart 80 --users 2 --jar-dir "$T/rot" --steps 2)
info "$(brief "$out")"
check_eq "R1, R2 answered, each on one server" "true 2" "$(jq -r '"\(.ok) \(.sticky)"' <<<"$out")"
cart_vals "$out" 0
check_eq "R1 (K1 cookie): still on its server" "$SR1" "$U_SERVER"
check_eq "R1: cart intact (4 items)" "true 4" "$U_INTACT $U_NITEMS"
check_eq "R1: logged" "cookie hit" "$(plog_persist "$U_R0")"
info "R1's cookie signed anew with K2: $U_OURS0"
cart_vals "$out" 1
SR2=$U_SERVER
read -r kid2 _ <<<"$(key_id web)"

step "a second node: web deleted and added again with the same names, key K2"
ctl service del web
ctl service add web listen "$LB_IP:80" pool app
ctl persist web cookie
ctl persist web key "$K2"
read -r kid _ <<<"$(key_id web)"
check_eq "persist show: the same key-id as the first node's" "$kid2" "$kid"
out=$(cart 80 --users 2 --jar-dir "$T/rot" --steps 1)
info "$(brief "$out")"
check_eq "answered" true "$(jq -r .ok <<<"$out")"
cart_vals "$out" 1
check_eq "R2 (K2 cookie): on its server" "$SR2" "$U_SERVER"
check_eq "R2: cart intact (3 items)" "true 3" "$U_INTACT $U_NITEMS"
check_eq "R2: logged" "cookie hit" "$(plog_persist "$U_R0")"
check_eq "R2: no new cookie" 0 "$U_OURS"
cart_vals "$out" 0
info "R1 (its cookie as the K2 step left it): $(plog_persist "$U_R0")"
r=$(req 80 "SPLICERID=$(jq -r .cookies.SPLICERID "$T/r1-k1.json")")
info "$r"
req_vals "$r"
check_eq "R1's K1 cookie (a key this node never had): logged" "cookie altered" \
	"$(plog_persist "$R_RID")"
check_match "R1's K1 cookie: a new cookie" "$SC_RE\$" "$R_SC"

check_drained
mod_unload
pass
