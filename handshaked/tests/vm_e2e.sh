#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900
# splicer-handshaked against splicer.ko, in the selftests' VM topology
# (selftests/lib.sh: cli -- lb -- srv namespaces):
#
#   make -C handshaked vm-e2e     (or: selftests/vm/run.sh handshaked/tests/vm_e2e.sh)
#
# A service with "tls on" at 198.18.0.1:443, backend s1; the daemon in the lb
# namespace, as user nobody. Asserts:
#  - the daemon drops to nobody with CAP_NET_ADMIN only and finds the module;
#  - HTTPS requests through splicer with TLS 1.3 and 1.2 and every suite kTLS
#    takes: 200 from s1 (the kernel reads the request through kTLS receive
#    and writes the response through kTLS send), the tls_handshakes counter;
#  - two requests on one TLS connection (keep-alive);
#  - a 4 MB download and a 2 MB upload, checksums intact;
#  - a request sent in the same write as the client's Finished: answered
#    (the daemon read nothing of it);
#  - resumption, TLS 1.3 and 1.2 (tickets);
#  - SNI: a second certificate for other.example;
#  - ALPN: h2,http/1.1 gets http/1.1; h2 alone is refused (tls_failed);
#  - plain HTTP on the TLS port fails (tls_failed);
#  - 20 handshakes at once;
#  - SIGHUP with a new certificate: new connections get it;
#  - the module unloaded and loaded again under the running daemon: found
#    again, requests served;
#  - the daemon stopped: a TLS connection fails at once (no daemon);
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/../..}/selftests/lib.sh"

HS=$SPLICER_TOP/handshaked/splicer-handshaked
TLSC=$SPLICER_TOP/handshaked/tests/tlsclient.py
VIP=$LB_IP

require_root
require_splicer
require_cmd curl openssl
[ -x "$HS" ] || fail "splicer-handshaked not built: make -C handshaked"
topo_up 1
mod_load
modprobe tls 2>/dev/null
[ -e /proc/net/tls_stat ] || skip "no kTLS in this kernel (modprobe tls failed)"
backend_start s1 198.18.1.2:8080

configure() {
	ctl pool add app
	ctl server add app s1 198.18.1.2:8080
	# generous: 20 handshakes at once take seconds each in a TCG VM
	ctl service add web listen "$VIP:443" pool app tls on handshake-timeout 30s
}
configure

# certificates, readable by nobody for the reload
mkdir -p "$T/hs"
cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/hs/$1.key" \
		-out "$T/hs/$1.pem" -days 30 -subj "/CN=$2" -addext "subjectAltName=DNS:$2" 2>/dev/null ||
		fail "openssl req"
}
cert web web.example
cert other other.example
cert web2 web.example
chmod 755 "$T" "$T/hs"
chmod 644 "$T"/hs/*
cat > "$T/hs/h.conf" <<EOF
user nobody
workers 2
service web cert web.pem key web.key
service web cert other.pem key other.key sni other.example
EOF

HS_LOG=$T/handshaked.err
hs_start() {
	: > "$HS_LOG"
	# ip netns exec execs the daemon, which stays in the foreground: one pid
	bg ip netns exec "$NS_LB" "$HS" -f -v -c "$T/hs/h.conf" 2>>"$HS_LOG"
	HS_PID=$BG_PID
	wait_until "the daemon to take handshakes" 600 0.1 grep -q "taking handshakes" "$HS_LOG" ||
		fail "splicer-handshaked did not find the module: $(cat "$HS_LOG")"
}
hs_start
ok "daemon started"

step "privileges"
st=$(cat /proc/$HS_PID/status)
check_match "uid nobody" $'Uid:\t65534\t65534\t65534\t65534' "$st"
check_match "CAP_NET_ADMIN only (effective)" $'CapEff:\t0000000000001000' "$st"
check_match "CAP_NET_ADMIN only (bounding)" $'CapBnd:\t0000000000001000' "$st"
check_match "no_new_privs" $'NoNewPrivs:\t1' "$st"

tls_stat() { jget "$(ctlq -j stats)" ".stats.$1"; }
https() {	# curl options... : GET https://web.example/ through the VIP
	cli_curl -k --resolve "web.example:443:$VIP" --resolve "other.example:443:$VIP" "$@"
}

step "HTTPS through splicer: every version and suite"
n=0
for v in "--tlsv1.3 --tls13-ciphers TLS_AES_128_GCM_SHA256" \
	 "--tlsv1.3 --tls13-ciphers TLS_AES_256_GCM_SHA384" \
	 "--tlsv1.3 --tls13-ciphers TLS_CHACHA20_POLY1305_SHA256" \
	 "--tlsv1.2 --tls-max 1.2 --ciphers ECDHE-ECDSA-AES128-GCM-SHA256" \
	 "--tlsv1.2 --tls-max 1.2 --ciphers ECDHE-ECDSA-AES256-GCM-SHA384" \
	 "--tlsv1.2 --tls-max 1.2 --ciphers ECDHE-ECDSA-CHACHA20-POLY1305"; do
	# shellcheck disable=SC2086
	body=$(https $v https://web.example/) || fail "curl $v failed: $(tail -3 "$HS_LOG")"
	check_eq "$v" "server=s1" "$body"
	n=$((n + 1))
done
check_eq "tls_handshakes" "$n" "$(tls_stat tls_handshakes)"
check_eq "tls_failed" 0 "$(tls_stat tls_failed)"

step "keep-alive, big bodies"
out=$(https -o /dev/null -o /dev/null -w '%{num_connects}' https://web.example/ https://web.example/)
check_eq "two requests on one connection (connects per request)" 10 "$out"
want=$(in_cli $PY "$LIB/backend.py" --blobsum 4000000 7)
got=$(https "https://web.example/blob?size=4000000&seed=7" | sha256sum | cut -d' ' -f1)
check_eq "4 MB download through kTLS send" "$want" "$got"
head -c 2000000 /dev/urandom > "$T/up.bin"
want=$(sha256sum < "$T/up.bin" | cut -d' ' -f1)
got=$(https --data-binary "@$T/up.bin" -H 'Content-Type: application/octet-stream' \
	-H 'Expect:' https://web.example/sha256)
check_match "2 MB upload through kTLS receive" "sha256=$want length=2000000" "$got"

step "the request with the client's Finished"
for v in 1.3 1.2; do
	out=$(in_cli $PY "$TLSC" 443 --host "$VIP" --sni web.example --version $v --immediate \
		--expect "HTTP/1.1 200" --payload $'GET / HTTP/1.1\r\nHost: web.example\r\n\r\n' 2>&1) ||
		fail "TLS $v immediate: $out"
	ok "TLS $v: answered"
done

step "resumption"
for v in 1.3 1.2; do
	out=$(in_cli $PY "$TLSC" 443 --host "$VIP" --version $v --resume --immediate \
		--expect "HTTP/1.1 200" 2>&1) || fail "TLS $v resume: $out"
	check_match "TLS $v: resumed" "conn 1 ok=1 .*resumed=1 echo=1" "$out"
done

step "SNI"
# (stdin /dev/null: no stray newline for the kernel to answer 400 to)
cn() { in_cli sh -c "openssl s_client -connect $VIP:443 -servername $1 </dev/null 2>/dev/null" |
	sed -n 's/^subject=CN = //p'; }
check_eq "web.example" web.example "$(cn web.example)"
check_eq "other.example" other.example "$(cn other.example)"
body=$(https https://other.example/) || fail "curl other.example"
check_eq "other.example served" "server=s1" "$body"

step "ALPN and not TLS"
failed0=$(tls_stat tls_failed)
v=$(https --http2 -o /dev/null -w '%{http_version}' https://web.example/)
check_eq "h2,http/1.1 offered: HTTP/1.1" 1.1 "$v"
in_cli sh -c "openssl s_client -connect $VIP:443 -alpn h2 </dev/null >/dev/null 2>&1"
in_cli curl -sS --max-time 10 "http://$VIP:443/" >/dev/null 2>&1 &&
	fail "plain HTTP on the TLS port got an answer"
wait_until "tls_failed +2" 50 0.1 test "$(tls_stat tls_failed)" -ge $((failed0 + 2)) ||
	fail "tls_failed $(tls_stat tls_failed), want $((failed0 + 2))"
ok "h2 alone and plain HTTP failed (tls_failed $(tls_stat tls_failed))"
grep -q "EACCES" "$HS_LOG" && ok "daemon: ALPN refused (EACCES)" || fail "no EACCES in the daemon's log"
grep -q "EPROTO" "$HS_LOG" && ok "daemon: not TLS (EPROTO)" || fail "no EPROTO in the daemon's log"

step "20 at once"
out=$(in_cli $PY "$TLSC" 443 --host "$VIP" --parallel 20 --expect "HTTP/1.1 200" 2>&1) ||
	fail "parallel: $out"
ok "20 handshakes and requests"

step "reload"
cp "$T/hs/web2.pem" "$T/hs/web.pem"
cp "$T/hs/web2.key" "$T/hs/web.key"
a=$(openssl x509 -in "$T/hs/web2.pem" -noout -fingerprint -sha256)
kill -HUP "$HS_PID"
wait_until "reloaded" 100 0.1 grep -q "reloaded:" "$HS_LOG" || fail "no reload: $(tail -3 "$HS_LOG")"
b=$(in_cli sh -c "openssl s_client -connect $VIP:443 -servername web.example </dev/null 2>/dev/null" |
	openssl x509 -noout -fingerprint -sha256)
check_eq "the new certificate served" "$a" "$b"

step "the module reloaded under the daemon"
wait_until "connections drained" 100 0.1 conns_drained || fail "connections left"
rmmod splicer || fail "rmmod with the daemon running"
wait_until "the daemon to notice" 100 0.1 grep -q "went away" "$HS_LOG" ||
	fail "the daemon did not notice: $(tail -3 "$HS_LOG")"
insmod "$KO" || fail "insmod"
configure
wait_until "found again" 100 0.1 test "$(grep -c "taking handshakes" "$HS_LOG")" -ge 2 ||
	fail "not found again: $(tail -3 "$HS_LOG")"
body=$(https https://web.example/) || fail "curl after the module's reload: $(tail -3 "$HS_LOG")"
check_eq "served after the module's reload" "server=s1" "$body"

step "the daemon stopped"
kill -TERM "$HS_PID"
wait_until "the daemon to exit" 100 0.1 pid_gone "$HS_PID" || fail "the daemon did not exit"
grep -q "stopped" "$HS_LOG" && ok "daemon: stopped" || fail "no 'stopped' in its log"
failed0=$(tls_stat tls_failed)
https https://web.example/ >/dev/null 2>&1 && fail "an answer without a daemon"
check_eq "no daemon: tls_failed +1" $((failed0 + 1)) "$(tls_stat tls_failed)"

wait_until "connections drained" 100 0.1 conns_drained || fail "connections left"
ok "no connection left"
check_eq "no 400 (every request whole)" 0 "$(proc_get services r400 name=web)"
pass
