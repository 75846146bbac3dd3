#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Cookie persistence when the server a user persists on goes away. Three
# servers (s1 and s2 in one cartapp.py process, s3 in its own so it can be
# killed), round-robin; service web (cookie) and service strict (cookie
# strict) on the same pool; users take turns, a new connection per
# request. Asserts:
#  - 9 users on web, 6 on strict, 6 more (group D) on web: spread over the
#    three servers (2 to 4 users each), each sticky with an intact cart;
#  - s3's process killed, s3 still "up": web's s1/s2 users keep their
#    servers and carts, no Set-Cookie; s3's users are answered 200 by
#    another server (connect error, retried), get a new cookie and a new
#    (empty, as expected) cart, and stay on that server: the next run is
#    sticky and intact without any Set-Cookie;
#  - s3 set maint too: group D's s3 users are redispatched: logged "cookie
#    server down, redispatched", persist_redispatch counts each, a new
#    cookie; afterwards sticky on their new server; D's other users: hits;
#  - strict: strict's s3 users get 503 on every request ("cookie server
#    down, strict"), its other users 200 with their carts;
#  - drain (s2): web's existing s2 users keep reaching s2 with their carts
#    ("cookie hit"); 6 new users never reach s2 (s1 only: s3 is in maint);
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/persist.sh"

require_root
require_splicer
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

# users_on RESULT SERVER: indexes (0-based) of the users whose every request
# SERVER answered
users_on() { jget "$1" "[.users | to_entries[] | select(.value.server == \"$2\") | .key] | join(\" \")"; }
# check_spread RESULT N: every user sticky and intact, 2..N-2 users a server
check_spread() {
	local s
	check_eq "every request answered 200" true "$(jget "$1" .ok)"
	check_eq "each user on one server" "$2" "$(jget "$1" .sticky)"
	check_eq "each cart intact" "$2" "$(jget "$1" .intact)"
	for s in s1 s2 s3; do
		check_range "users on $s" $(($2 / 3 - 1)) $(($2 / 3 + 1)) "$(jget "$1" ".servers.$s // 0")"
	done
}
# user RESULT I FILTER: jq FILTER on user I's result
user() { jget "$1" ".users[$2] | $3"; }
ncookies() { user "$1" "$2" '[.set_cookie[] | select(startswith("SPLICERID="))] | length'; }

step "9 users on web, 6 on strict, 6 more on web (group D)"
out=$(cart 80 --users 9 --jar-dir "$W" --steps 3)
info "$(jc "$out" '{ok, servers, sticky, intact}')"
check_spread "$out" 9
W_S3=$(users_on "$out" s3)
W_S12="$(users_on "$out" s1) $(users_on "$out" s2)"
W_S2=$(users_on "$out" s2)
declare -A WSRV
for i in $W_S12; do WSRV[$i]=$(user "$out" "$i" .server); done
out=$(cart 81 --users 6 --jar-dir "$S" --steps 2)
info "$(jc "$out" '{ok, servers, sticky, intact}')"
check_spread "$out" 6
S_S3=$(users_on "$out" s3)
S_S12="$(users_on "$out" s1) $(users_on "$out" s2)"
out=$(cart 80 --users 6 --jar-dir "$D" --steps 2)
info "$(jc "$out" '{ok, servers, sticky, intact}')"
check_spread "$out" 6
D_S3=$(users_on "$out" s3)
D_S12="$(users_on "$out" s1) $(users_on "$out" s2)"
info "web users on s3: $W_S3; strict: $S_S3; group D: $D_S3"

# ---------------------------------------------------------------- killed
step "s3's process killed (s3 still up in the pool): web's users, 2 more items each"
kill "$S3_PID"
wait_until "s3 to exit" 50 0.1 pid_gone "$S3_PID" || fail "s3 (pid $S3_PID) did not exit"
fail0=$(proc_get servers connect_fail pool=app name=s3)
out=$(cart 80 --users 9 --jar-dir "$W" --steps 2)
info "$(jc "$out" '{ok, servers, sticky, intact}')"
check_eq "every request answered 200" true "$(jget "$out" .ok)"
check_eq "each user on one server" 9 "$(jget "$out" .sticky)"
for i in $W_S12; do
	check_eq "user $i: still on ${WSRV[$i]}" "${WSRV[$i]}" "$(user "$out" "$i" .server)"
	check_eq "user $i: cart intact (5 items), no new session" "true 5 0" \
		"$(user "$out" "$i" '"\(.intact) \(.items | length) \(.new_sessions)"')"
	check_eq "user $i: no Set-Cookie" 0 "$(user "$out" "$i" '.set_cookie | length')"
done
for i in $W_S3; do
	check_match "user $i (was on s3): now on s1 or s2" '^s[12]$' "$(user "$out" "$i" .server)"
	check_eq "user $i: a new cookie, on the first response" "1 1" \
		"$(user "$out" "$i" '"\([.set_cookie[] | select(startswith("SPLICERID="))] | length) \([.requests[0].set_cookie[] | select(startswith("SPLICERID="))] | length)"')"
	check_eq "user $i: a new cart (what it added since)" "1 2" \
		"$(user "$out" "$i" '"\(.new_sessions) \(.items | length)"')"
	WSRV[$i]=$(user "$out" "$i" .server)
	info "user $i: log $(plog_persist "$(user "$out" "$i" '.ports[0]')")"
done
check_range "s3 connect_fail rose" 1 100 $(($(proc_get servers connect_fail pool=app name=s3) - fail0))
out=$(cart 80 --users 9 --jar-dir "$W" --steps 1)
info "$(jc "$out" '{ok, servers, sticky, intact}')"
check_eq "next run: every request answered 200" true "$(jget "$out" .ok)"
check_eq "next run: each user on one server, cart intact" "9 9" "$(jget "$out" '"\(.sticky) \(.intact)"')"
check_eq "next run: no Set-Cookie for anyone" 0 "$(jget "$out" '[.users[].set_cookie[]] | length')"
for i in $W_S3; do
	check_eq "user $i (was on s3): stays on its new server" "${WSRV[$i]}" "$(user "$out" "$i" .server)"
	check_eq "user $i: logged" "cookie hit" "$(plog_persist "$(user "$out" "$i" '.ports[0]')")"
done

# ---------------------------------------------------------------- maint
step "s3 set maint as well: group D, 2 more items each"
ctl server set app s3 state maint
red0=$(pstat persist_redispatch)
out=$(cart 80 --users 6 --jar-dir "$D" --steps 2)
info "$(jc "$out" '{ok, servers, sticky, intact}')"
check_eq "every request answered 200" true "$(jget "$out" .ok)"
check_eq "each user on one server" 6 "$(jget "$out" .sticky)"
nred=0
for i in $D_S3; do
	nred=$((nred + 1))
	check_match "user $i (was on s3): now on s1 or s2" '^s[12]$' "$(user "$out" "$i" .server)"
	check_eq "user $i: logged" "cookie server down, redispatched" \
		"$(plog_persist "$(user "$out" "$i" '.ports[0]')")"
	check_eq "user $i: a new cookie" 1 "$(ncookies "$out" "$i")"
	check_eq "user $i: a new cart" "1 2" "$(user "$out" "$i" '"\(.new_sessions) \(.items | length)"')"
done
for i in $D_S12; do
	check_eq "user $i: cart intact (5 items)" "true 5" "$(user "$out" "$i" '"\(.intact) \(.items | length)"')"
	check_eq "user $i: logged" "cookie hit" "$(plog_persist "$(user "$out" "$i" '.ports[0]')")"
done
check_eq "persist_redispatch: one per redispatched user" "$nred" $(($(pstat persist_redispatch) - red0))
prev=$out
out=$(cart 80 --users 6 --jar-dir "$D" --steps 1)
info "$(jc "$out" '{ok, servers, sticky, intact}')"
check_eq "next run: each user on one server, cart intact" "true 6 6" "$(jget "$out" '"\(.ok) \(.sticky) \(.intact)"')"
check_eq "next run: no Set-Cookie for anyone" 0 "$(jget "$out" '[.users[].set_cookie[]] | length')"
for i in $D_S3; do
	check_eq "user $i: stays on its new server" "$(user "$prev" "$i" .server)" "$(user "$out" "$i" .server)"
done

# ---------------------------------------------------------------- strict
step "strict: s3 in maint"
out=$(cart 81 --users 6 --jar-dir "$S" --steps 1)
info "$(jc "$out" '{ok, servers, sticky, intact}')"
for i in $S_S3; do
	check_eq "user $i (on s3): 503 on every request" "503 503" \
		"$(user "$out" "$i" '.statuses | map(tostring) | join(" ")')"
	check_eq "user $i: logged" "cookie server down, strict" \
		"$(plog_persist "$(user "$out" "$i" '.ports[0]')")"
done
for i in $S_S12; do
	check_eq "user $i: answered, cart intact (4 items)" "true true 4" \
		"$(user "$out" "$i" '"\(.ok) \(.intact) \(.items | length)"')"
done

# ---------------------------------------------------------------- drain
step "drain s2: its users stay, new users never come"
ctl server set app s2 state drain
out=$(cart 80 --users 9 --jar-dir "$W" --steps 1)
info "$(jc "$out" '{ok, servers, sticky, intact}')"
check_eq "every request answered 200" true "$(jget "$out" .ok)"
check_eq "each user on one server, cart intact" "9 9" "$(jget "$out" '"\(.sticky) \(.intact)"')"
for i in $W_S2; do
	check_eq "user $i: still on s2" s2 "$(user "$out" "$i" .server)"
	check_eq "user $i: logged" "cookie hit" "$(plog_persist "$(user "$out" "$i" '.ports[0]')")"
done
out=$(cart 80 --users 6 --jar-dir "$T/new" --steps 1)
info "$(jc "$out" '{ok, servers, sticky, intact}')"
check_eq "new users: every request answered 200" true "$(jget "$out" .ok)"
check_eq "new users: all on s1 (s2 drains, s3 in maint)" '{"s1":6}' "$(jc "$out" .servers)"

check_drained
mod_unload
pass
