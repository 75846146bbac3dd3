#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 1200 (a bound for loaded hosts; about 2-3 minutes on an idle one)
# The shopping cart across the switch from HTTP to HTTPS, with cookie
# insert persistence and a key. Three cart servers (cartapp.py: carts in
# each server's memory), real users (cartclient.py; over TLS tlscart.py,
# which is cartclient.py with python's ssl module).
#
# A persistence token's MAC covers the name of the pool its server is in
# (kmod/token.c), not the service's: every service in front of the pool
# with the same key honours it. So the site's HTTP service "web" (:80) and
# its HTTPS service "webtls" (:443, tls on), both pool app and key K, keep
# a user on his server across the switch, on one node; and two nodes with
# the same pool, servers and key do it across nodes.
#
# Asserts:
#  - over HTTP (lb, web :80, cookie, key K): a user's requests all on one
#    server, the cart intact, SPLICERID set once, without Secure;
#  - one node, webtls :443 (tls on, same pool, same key): the same user
#    goes on over HTTPS from another client address (198.18.0.3): every
#    request on his server, the cart intact (6 items), no new application
#    session, no Set-Cookie, logged "cookie hit", webtls persist_hits +3 and
#    persist_invalid 0; a new user on webtls gets a SPLICERID with Secure
#    (no `secure` option: TLS);
#  - two nodes: a user who filled his cart over HTTP on lb continues over
#    HTTPS on lb2 from another client address (198.18.2.2): every request
#    on his server, the cart intact, no new application session, no
#    Set-Cookie at all (lb2: persist_hits +4, persist_new 0,
#    persist_invalid 0); a new user over HTTPS on lb2 gets SPLICERID with
#    Secure;
#  - the switch on one node: web re-created on :443 with tls on and the
#    same key: the first user, from another client address (198.18.0.3),
#    finds his cart on his server (8 items), no Set-Cookie, logged "cookie
#    hit";
#  - no connection left in either namespace; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/persist.sh"
. "$SPLICER_TOP/selftests/lib/tls.sh"

K=00112233445566778899aabbccddeeff
CLI_IP2=198.18.0.3
NS_LB2=lb2-$$
LB2_IP=198.18.2.1	# lb2's VIP, towards cli (cli is 198.18.2.2 there)
SC_RE="^SPLICERID=($TOKEN_RE); Path=/; HttpOnly; SameSite=Lax"

require_root
require_splicer
tls_require
topo_up 3
carts_start s1=198.18.1.2:8080 s2=198.18.1.3:8080 s3=198.18.1.4:8080
mod_load
in_cli ip addr add "$CLI_IP2/24" dev cli0 || fail "cannot add $CLI_IP2 to cli0"
tls_certs
tls_conf webtls web

# tcart HOST PORT ARGS...: a cart user over TLS (shop.example, checked
# against the CA) from the client namespace
tcart() {
	local host=$1 port=$2
	shift 2
	in_cli $PY "$LIB/tlscart.py" --cafile "$TLS_DIR/ca.pem" --sni shop.example \
		"$host" "$port" "$@"
}
# pool_app NS: pool app with s1 s2 s3 in namespace NS
pool_app() {
	ctl_ns "$1" pool add app
	ctl_ns "$1" server add app s1 198.18.1.2:8080
	ctl_ns "$1" server add app s2 198.18.1.3:8080
	ctl_ns "$1" server add app s3 198.18.1.4:8080
}

step "configure lb: pool app s1 s2 s3; web on :80 and webtls on :443 (tls on), both cookie key K"
pool_app "$NS_LB"
ctl service add web listen "$LB_IP:80" pool app
ctl persist web cookie key $K
ctl service add webtls listen "$LB_IP:443" pool app tls on
ctl persist webtls cookie key $K
plog_start 80
hs_start

# ---------------------------------------------------------------- HTTP
step "user A fills a cart over HTTP (lb, web :80)"
A=$T/a.json
out=$(cart 80 --jar "$A" --steps 4)
info "$(brief "$out")"
cart_vals "$out"
check_eq "every request answered 200" true "$U_OK"
check_eq "every request on one server, the cart intact (4 items)" "true true 4" "$U_STICKY $U_INTACT $U_NITEMS"
SA=$U_SERVER
check_eq "one SPLICERID Set-Cookie, on the first response" "1 1" "$U_OURS $U_OURS0"
check_match "over HTTP it has no Secure" "$SC_RE\$" "$U_SC"

# ---------------------------------------------------------------- one node, two services
step "one node: A goes on over HTTPS on webtls (same pool, same key) from $CLI_IP2"
hits0=$(svc_stat webtls persist_hits)
out=$(tcart "$LB_IP" 443 --jar "$A" --steps 2 --source "$CLI_IP2")
info "$(brief "$out")"
cart_vals "$out"
check_eq "every request answered 200 over TLS" true "$U_OK"
check_eq "every request on A's server" "true $SA" "$U_STICKY $U_SERVER"
check_eq "the cart intact (6 items)" "true 6" "$U_INTACT $U_NITEMS"
check_eq "no new application session, no Set-Cookie" "0 0" "$U_NEW $U_NSET"
check_eq "logged: web's token is good on webtls" "cookie hit" "$(plog_persist "$U_R0")"
check_eq "webtls: persist_hits +3, persist_invalid" "3 0" \
	"$(($(svc_stat webtls persist_hits) - hits0)) $(svc_stat webtls persist_invalid)"

step "one node: a new user D on webtls gets a SPLICERID with Secure"
out=$(tcart "$LB_IP" 443 --jar "$T/d.json" --steps 1)
info "$(brief "$out")"
cart_vals "$out"
check_eq "answered, the cart intact" "true true" "$U_OK $U_INTACT"
check_match "a SPLICERID with Secure (TLS, no secure option)" "$SC_RE; Secure\$" "$U_SC"

# ---------------------------------------------------------------- two nodes
step "a second node, lb2: web on $LB2_IP:443 (tls on), cookie key K, the same servers"
add_ns "$NS_LB2"
ip link add cli1 netns "$NS_CLI" type veth peer name lb2c0 netns "$NS_LB2" || fail "veth cli1/lb2c0"
ip link add lb2s0 netns "$NS_LB2" type veth peer name srv1 netns "$NS_SRV" || fail "veth lb2s0/srv1"
in_cli ip addr add 198.18.2.2/24 dev cli1
in_cli ip link set cli1 up
ip netns exec "$NS_LB2" ip addr add "$LB2_IP/24" dev lb2c0
ip netns exec "$NS_LB2" ip addr add 198.18.3.1/24 dev lb2s0
ip netns exec "$NS_LB2" ip link set lb2c0 up
ip netns exec "$NS_LB2" ip link set lb2s0 up
ip netns exec "$NS_LB2" sysctl -qw net.ipv4.ip_forward=0
in_srv ip addr add 198.18.3.2/24 dev srv1
in_srv ip link set srv1 up
ip netns exec "$NS_LB2" ip route add "$SRV_NET.0/24" via 198.18.3.2 || fail "lb2: no route to the servers"
pool_app "$NS_LB2"
ctl_ns "$NS_LB2" service add web listen "$LB2_IP:443" pool app tls on
ctl_ns "$NS_LB2" persist web cookie key $K
hs_start "$NS_LB2"
lb2_stat() { proc_get_ns "$NS_LB2" services "$1" name=web; }

step "user B fills a cart over HTTP on lb, then goes on over HTTPS on lb2 from 198.18.2.2"
B=$T/b.json
out=$(cart 80 --jar "$B" --steps 3)
info "$(brief "$out")"
cart_vals "$out"
check_eq "HTTP: answered, one server, the cart intact (3 items)" "true true true 3" \
	"$U_OK $U_STICKY $U_INTACT $U_NITEMS"
SB=$U_SERVER
hits0=$(lb2_stat persist_hits)
out=$(tcart "$LB2_IP" 443 --jar "$B" --steps 3)
info "$(brief "$out")"
cart_vals "$out"
check_eq "HTTPS on lb2: every request answered 200" true "$U_OK"
check_eq "HTTPS on lb2: every request on B's server" "true $SB" "$U_STICKY $U_SERVER"
check_eq "HTTPS on lb2: the cart intact (6 items)" "true 6" "$U_INTACT $U_NITEMS"
check_eq "HTTPS on lb2: no new application session" 0 "$U_NEW"
check_eq "HTTPS on lb2: no Set-Cookie at all" 0 "$U_NSET"
check_eq "lb2: persist_hits +4, persist_new, persist_invalid" "4 0 0" \
	"$(($(lb2_stat persist_hits) - hits0)) $(lb2_stat persist_new) $(lb2_stat persist_invalid)"
check_eq "lb2: the TLS handshakes" "4 0" \
	"$(jget "$(ip netns exec "$NS_LB2" "$CTL" -j stats)" '"\(.stats.tls_handshakes) \(.stats.tls_failed)"')"

step "a new user C over HTTPS on lb2: SPLICERID with Secure"
out=$(tcart "$LB2_IP" 443 --jar "$T/c.json" --steps 2)
info "$(brief "$out")"
cart_vals "$out"
check_eq "answered, one server, the cart intact" "true true true" "$U_OK $U_STICKY $U_INTACT"
check_eq "one SPLICERID Set-Cookie, on the first response" "1 1" "$U_OURS $U_OURS0"
check_match "it carries Secure (TLS, no secure option)" "$SC_RE; Secure\$" "$U_SC"

# ---------------------------------------------------------------- the switch on one node
step "one node switches to HTTPS: web re-created on $LB_IP:443 with tls on, the same key"
ctl service del webtls
ctl service del web
ctl service add web listen "$LB_IP:443" pool app tls on
ctl persist web cookie key $K
hits0=$(svc_stat web persist_hits)
out=$(tcart "$LB_IP" 443 --jar "$A" --steps 2 --source "$CLI_IP2")
info "$(brief "$out")"
cart_vals "$out"
check_eq "every request answered 200" true "$U_OK"
check_eq "every request on A's server" "true $SA" "$U_STICKY $U_SERVER"
check_eq "the cart intact (8 items)" "true 8" "$U_INTACT $U_NITEMS"
check_eq "no new application session, no Set-Cookie" "0 0" "$U_NEW $U_NSET"
check_eq "logged" "cookie hit" "$(plog_persist "$U_R0")"
check_eq "persist_hits +3" 3 $(($(svc_stat web persist_hits) - hits0))

check_drained
lb2_drained() { [ "$(ip netns exec "$NS_LB2" tail -n +2 /proc/net/splicer/conns | grep -c .)" = 0 ]; }
wait_until "lb2's connections to drain" 100 0.1 lb2_drained || fail "connections left in $NS_LB2"
ok "no connection left in $NS_LB2"
mod_unload
pass
