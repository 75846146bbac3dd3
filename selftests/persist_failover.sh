#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600 (a bound for loaded hosts; about 60-90 s on an idle one)
# Cookie persistence when the server a user persists on goes away. Three
# servers (s1 and s2 in one cartapp.py process, s3 in its own so it can be
# killed), round-robin; service web (cookie) and service strict (cookie
# strict) on the same pool; users take turns, a new connection per
# request. Asserts:
#  - 9 users on web, 6 on strict, 6 more (group D) on web: spread over the
#    three servers (2 to 4, resp. 1 to 3, users each), each sticky with an
#    intact cart;
#  - s3's process killed, s3 still "up": web's s1/s2 users keep their
#    servers and carts, no Set-Cookie; s3's users are answered 200 by
#    another server (connect error, retried: s3's connect_fail rises), get
#    a new cookie on that first response, a new (empty, as expected) cart,
#    logged "cookie server down, redispatched", and stay on that server:
#    the next run is sticky and intact without any Set-Cookie ("cookie
#    hit");
#  - s3 set maint as well: group D's s3 users are redispatched: logged
#    "cookie server down, redispatched", persist_redispatch counts each, a
#    new cookie; afterwards sticky on their new server; D's other users:
#    hits, carts intact;
#  - strict: strict's s3 users get 503 on every request ("cookie server
#    down, strict"), its other users 200 with their carts;
#  - drain (s2): web's original s2 users keep reaching s2 with their carts
#    ("cookie hit"); 6 new users never reach s2 (s1 only: s3 is in maint);
#  - s3 deleted from the pool: a cookie naming it is "cookie unknown
#    server, redispatched" and gets a new cookie;
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/persist.sh"

require_root
require_splicer
require_cmd curl
topo_up 3
carts_start s1=198.18.1.2:8080 s2=198.18.1.3:8080
carts_start s3=198.18.1.4:8080
S3_PID=$CART_PID
mod_load

step "configure: pool app s1 s2 s3; services web (cookie) and strict (cookie strict)"
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl server add app s2 198.18.1.3:8080
ctl server add app s3 198.18.1.4:8080
ctl service add web listen "$LB_IP:80" pool app retries 2
ctl persist web cookie
ctl service add strict listen "$LB_IP:81" pool app retries 2
ctl persist strict cookie strict
plog_start 80

W=$T/web D=$T/d S=$T/strict

# spread RESULT N: every user sticky with an intact cart, about N/3 a
# server; ON[s] lists the users (indexes) on server s
declare -A ON
spread() {
	local s i
	users_load "$1"
	check_eq "every request answered 200" true "$(jq -r .ok <<<"$1")"
	check_eq "each user on one server, cart intact" "$2 $2" "$(jq -r '"\(.sticky) \(.intact)"' <<<"$1")"
	ON=([s1]="" [s2]="" [s3]="")
	for ((i = 0; i < NUSERS; i++)); do
		ON[${US_SERVER[i]}]+=" $i"
	done
	for s in s1 s2 s3; do
		check_range "users on $s" $(($2 / 3 - 1)) $(($2 / 3 + 1)) "$(wc -w <<<"${ON[$s]}")"
	done
}

step "9 users on web, 6 on strict, 6 more on web (group D)"
out=$(cart 80 --users 9 --jar-dir "$W" --steps 3)
info "$(brief "$out")"
spread "$out" 9
W_S3=${ON[s3]} W_S2=${ON[s2]} W_S12="${ON[s1]} ${ON[s2]}"
WSRV=("${US_SERVER[@]}")
out=$(cart 81 --users 6 --jar-dir "$S" --steps 2)
info "$(brief "$out")"
spread "$out" 6
S_S3=${ON[s3]} S_S12="${ON[s1]} ${ON[s2]}"
out=$(cart 80 --users 6 --jar-dir "$D" --steps 2)
info "$(brief "$out")"
spread "$out" 6
D_S3=${ON[s3]} D_S12="${ON[s1]} ${ON[s2]}"
cp -r "$D" "$T/d0"	# their cookies as they are now, for the end
info "on s3: web users$W_S3, strict users$S_S3, group D users$D_S3"

# ---------------------------------------------------------------- killed
step "s3's process killed (s3 still up in the pool): web's users, 2 more items each"
kill "$S3_PID"
wait_until "s3 to exit" 50 0.1 pid_gone "$S3_PID" || fail "s3 (pid $S3_PID) did not exit"
fail0=$(proc_get servers connect_fail pool=app name=s3)
red0=$(svc_stat web persist_redispatch)
out=$(cart 80 --users 9 --jar-dir "$W" --steps 2)
info "$(brief "$out")"
users_load "$out"
check_eq "every request answered 200" true "$(jq -r .ok <<<"$out")"
check_eq "each user on one server" 9 "$(jq -r .sticky <<<"$out")"
for i in $W_S12; do
	check_eq "user $i: still on ${WSRV[i]}, cart intact (5 items), no new session, no Set-Cookie" \
		"${WSRV[i]} true 5 0 0" \
		"${US_SERVER[i]} ${US_INTACT[i]} ${US_NITEMS[i]} ${US_NEW[i]} ${US_NSET[i]}"
done
for i in $W_S3; do
	check_match "user $i (was on s3): now on s1 or s2" '^s[12]$' "${US_SERVER[i]}"
	check_eq "user $i: a new cookie, on the first response" "1 1" "${US_OURS[i]} ${US_OURS0[i]}"
	check_eq "user $i: a new cart (what it added since)" "1 2" "${US_NEW[i]} ${US_NITEMS[i]}"
	check_eq "user $i: logged" "cookie server down, redispatched" "$(plog_persist "${US_R0[i]}")"
	WSRV[i]=${US_SERVER[i]}
done
check_range "s3 connect_fail rose" 1 100 $(($(proc_get servers connect_fail pool=app name=s3) - fail0))
check_eq "web: persist_redispatch, one per s3 user" "$(wc -w <<<"$W_S3")" \
	$(($(svc_stat web persist_redispatch) - red0))
out=$(cart 80 --users 9 --jar-dir "$W" --steps 1)
info "$(brief "$out")"
users_load "$out"
check_eq "next run: every request answered 200" true "$(jq -r .ok <<<"$out")"
check_eq "next run: each user on one server, cart intact, no Set-Cookie" "9 9 0" \
	"$(jq -r '"\(.sticky) \(.intact) \([.users[].set_cookie[]] | length)"' <<<"$out")"
for i in $W_S3; do
	check_eq "user $i (was on s3): stays on its new server" "${WSRV[i]}" "${US_SERVER[i]}"
	check_eq "user $i: logged" "cookie hit" "$(plog_persist "${US_R0[i]}")"
done

# ---------------------------------------------------------------- maint
step "s3 set maint as well: group D, 2 more items each"
ctl server set app s3 state maint
red0=$(svc_stat web persist_redispatch)
out=$(cart 80 --users 6 --jar-dir "$D" --steps 2)
info "$(brief "$out")"
users_load "$out"
check_eq "every request answered 200" true "$(jq -r .ok <<<"$out")"
check_eq "each user on one server" 6 "$(jq -r .sticky <<<"$out")"
DSRV=("${US_SERVER[@]}")
for i in $D_S3; do
	check_match "user $i (was on s3): now on s1 or s2" '^s[12]$' "${US_SERVER[i]}"
	check_eq "user $i: logged" "cookie server down, redispatched" "$(plog_persist "${US_R0[i]}")"
	check_eq "user $i: a new cookie, on the first response" "1 1" "${US_OURS[i]} ${US_OURS0[i]}"
	check_eq "user $i: a new cart" "1 2" "${US_NEW[i]} ${US_NITEMS[i]}"
done
for i in $D_S12; do
	check_eq "user $i: cart intact (4 items), no Set-Cookie" "true 4 0" \
		"${US_INTACT[i]} ${US_NITEMS[i]} ${US_NSET[i]}"
	check_eq "user $i: logged" "cookie hit" "$(plog_persist "${US_R0[i]}")"
done
check_eq "persist_redispatch: one per redispatched user" "$(wc -w <<<"$D_S3")" \
	$(($(svc_stat web persist_redispatch) - red0))
out=$(cart 80 --users 6 --jar-dir "$D" --steps 1)
info "$(brief "$out")"
users_load "$out"
check_eq "next run: every request answered 200, each user on one server, cart intact, no Set-Cookie" \
	"true 6 6 0" "$(jq -r '"\(.ok) \(.sticky) \(.intact) \([.users[].set_cookie[]] | length)"' <<<"$out")"
for i in $D_S3; do
	check_eq "user $i: stays on its new server" "${DSRV[i]}" "${US_SERVER[i]}"
done

# ---------------------------------------------------------------- strict
step "strict: s3 in maint"
out=$(cart 81 --users 6 --jar-dir "$S" --steps 1)
info "$(brief "$out")"
users_load "$out"
for i in $S_S3; do
	check_eq "user $i (on s3): 503 on every request" "503 503" "${US_STATUSES[i]}"
	check_eq "user $i: logged" "cookie server down, strict" "$(plog_persist "${US_R0[i]}")"
done
for i in $S_S12; do
	check_eq "user $i: answered, cart intact (3 items)" "true true 3" \
		"${US_OK[i]} ${US_INTACT[i]} ${US_NITEMS[i]}"
done
check_eq "strict: r503 (2 requests a user on s3)" $(($(wc -w <<<"$S_S3") * 2)) "$(svc_stat strict r503)"

# ---------------------------------------------------------------- drain
step "drain s2: its users stay, new users never come"
ctl server set app s2 state drain
out=$(cart 80 --users 9 --jar-dir "$W" --steps 1)
info "$(brief "$out")"
users_load "$out"
check_eq "every request answered 200, each user on one server, cart intact" "true 9 9" \
	"$(jq -r '"\(.ok) \(.sticky) \(.intact)"' <<<"$out")"
for i in $W_S2; do
	check_eq "user $i: still on s2" s2 "${US_SERVER[i]}"
	check_eq "user $i: logged" "cookie hit" "$(plog_persist "${US_R0[i]}")"
done
out=$(cart 80 --users 6 --jar-dir "$T/new" --steps 1)
info "$(brief "$out")"
check_eq "new users: every request answered 200" true "$(jq -r .ok <<<"$out")"
check_eq "new users: all on s1 (s2 drains, s3 in maint)" '{"s1":6}' "$(jq -c .servers <<<"$out")"

# ---------------------------------------------------------------- gone
step "s3 deleted: a cookie naming it"
ctl server del app s3
read -r i _ <<<"$D_S3"	# a user of group D that was on s3
tok=$(jq -r .cookies.SPLICERID "$T/d0/u$((i + 1)).json")
r=$(req 80 "SPLICERID=$tok")
info "$r"
jset "$r" st=.status rid=.rid sc='[.set_cookie[] | select(startswith("SPLICERID="))] | length'
check_eq "answered, with a new cookie" "200 1" "$st $sc"
check_eq "logged" "cookie unknown server, redispatched" "$(plog_persist "$rid")"

check_drained
mod_unload
pass
