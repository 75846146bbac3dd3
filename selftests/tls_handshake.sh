#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900 (a bound for loaded hosts; about 2 minutes on an idle one)
# TLS termination: what a client negotiates through splicer-handshaked and
# splicer.ko. A service "web" on 198.18.0.1:443 with tls on, the daemon in
# the lb namespace with two ECDSA certificates of one CA (shop.example, the
# default; pay.example and *.pay.example by SNI). Asserts:
#  - every suite kTLS carries, TLS 1.3 (TLS_AES_128_GCM_SHA256,
#    TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256) and TLS 1.2
#    (ECDHE-ECDSA-AES128-GCM-SHA256, ECDHE-ECDSA-AES256-GCM-SHA384,
#    ECDHE-ECDSA-CHACHA20-POLY1305), by curl: 200, curl says it negotiated
#    that version and suite, the backend received X-Forwarded-Proto: https
#    (once: the client's own X-Forwarded-Proto: http removed), the
#    connection's log record says "VERSION SUITE sni=shop.example";
#    tls_handshakes +6, and kTLS did the work: /proc/net/tls_stat TlsTxSw
#    and TlsRxSw +6 each;
#  - suites and versions kTLS cannot carry are refused: TLS 1.2 AES-CBC
#    (curl ECDHE-ECDSA-AES128-SHA256, openssl s_client
#    ECDHE-ECDSA-AES256-SHA), TLS 1.3
#    TLS_AES_128_CCM_SHA256, TLS 1.1: the client fails, tls_failed +4, the
#    log says "handshake failed (protocol error)", the backend sees nothing;
#  - SNI picks the certificate: s_client sees subject CN shop.example for
#    shop.example, pay.example for pay.example and www.pay.example (a
#    wildcard of the sni list), shop.example (the default) without SNI and
#    for an unknown name; curl verifies pay.example against the CA and the
#    name; the log says sni=pay.example;
#  - ALPN: curl --http2 gets HTTP/1.1; s_client offering h2,http/1.1 gets
#    http/1.1; h2 alone is refused (tls_failed +1, "handshake failed
#    (refused)");
#  - session resumption with tickets, TLS 1.3 and 1.2: openssl s_client
#    -sess_out then -sess_in says "New" then "Reused", both answered 200;
#    the log says "resumed";
#  - 20 python ssl clients at once, TLS 1.2 and 1.3: all answered 200;
#  - no connection left open, no kTLS socket left (TlsCurrTxSw and
#    TlsCurrRxSw 0), no socket on :443 but the listener; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/tls.sh"

require_root
require_splicer
tls_require
topo_up 1
backends_start s1=198.18.1.2:8080
mod_load
tls_certs
tls_conf web

ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add plain listen "$LB_IP:80" pool app
ctl service add web listen "$LB_IP:443" pool app tls on handshake-timeout 30s
tlog_start 80
hs_start

# s_client ARGS...: openssl s_client from the client namespace, stdin empty
s_client() {
	in_cli timeout 30 openssl s_client -connect "$LB_IP:443" -CAfile "$TLS_DIR/ca.pem" "$@" \
		</dev/null 2>&1
}
# subject_of ARGS...: the CN of the certificate s_client was shown
subject_of() { s_client "$@" | sed -n 's/^subject=.*CN = //p' | head -1; }

# ---------------------------------------------------------------- suites
step "every suite kTLS carries, TLS 1.3 and 1.2"
hs0=$(tls_stat tls_handshakes)
tx0=$(ktls_stat TlsTxSw)
rx0=$(ktls_stat TlsRxSw)
reqs0=$(backend_requests s1)
n=0
for spec in "TLSv1.3 TLS_AES_128_GCM_SHA256" "TLSv1.3 TLS_AES_256_GCM_SHA384" \
	"TLSv1.3 TLS_CHACHA20_POLY1305_SHA256" "TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256" \
	"TLSv1.2 ECDHE-ECDSA-AES256-GCM-SHA384" "TLSv1.2 ECDHE-ECDSA-CHACHA20-POLY1305"; do
	read -r ver suite <<<"$spec"
	if [ "$ver" = TLSv1.3 ]; then
		opts=(--tlsv1.3 --tls13-ciphers "$suite")
	else
		opts=(--tlsv1.2 --tls-max 1.2 --ciphers "$suite")
	fi
	: >"$T/body"
	w=$(https -v "${opts[@]}" -H 'X-Forwarded-Proto: http' -o "$T/body" \
		-w '%{http_code} %{local_port}' https://shop.example/headers 2>"$T/curl.err")
	read -r code port <<<"$w"
	[ "$code" = 200 ] || fail "$spec: curl got '$w': $(grep -v '^[<>{}]' "$T/curl.err" | tail -5)"
	check_match "$spec: curl negotiated it, 200" "SSL connection using $ver / $suite\$" \
		"$(grep 'SSL connection using' "$T/curl.err" | tr -d '\r')"
	xfp=$(tr -d '\r' <"$T/body" | grep -i '^X-Forwarded-Proto:' | tr '\n' '|')
	check_eq "$spec: the backend saw X-Forwarded-Proto: https, once" "X-Forwarded-Proto: https|" "$xfp"
	rec=$(tlog_conn "$port")
	check_eq "$spec: the log's tls" "$ver $suite sni=shop.example" "$(tlog_field "$rec" tls)"
	n=$((n + 1))
done
check_eq "tls_handshakes +$n" "$n" $(($(tls_stat tls_handshakes) - hs0))
check_eq "kTLS transmit sockets +$n (TlsTxSw)" "$n" $(($(ktls_stat TlsTxSw) - tx0))
check_eq "kTLS receive sockets +$n (TlsRxSw)" "$n" $(($(ktls_stat TlsRxSw) - rx0))
check_eq "the backend got $n requests" "$n" $(($(backend_requests s1) - reqs0))

# ---------------------------------------------------------------- refused
step "suites and versions kTLS cannot carry are refused"
f0=$(tls_stat tls_failed)
reqs0=$(backend_requests s1)
for opts in "--tlsv1.2 --tls-max 1.2 --ciphers ECDHE-ECDSA-AES128-SHA256" \
	"--tlsv1.3 --tls13-ciphers TLS_AES_128_CCM_SHA256"; do
	# shellcheck disable=SC2086
	w=$(https $opts -o /dev/null -w '%{local_port}' https://shop.example/ 2>"$T/curl.err")
	rc=$?
	[ $rc != 0 ] || fail "curl $opts succeeded"
	check_eq "curl $opts: refused in the handshake (curl exit 35)" 35 "$rc"
	rec=$(tlog_conn "$w")
	check_eq "curl $opts: the log's tls" "handshake failed (protocol error)" "$(tlog_field "$rec" tls)"
	check_eq "curl $opts: the log's end" "TLS handshake failed" "$(tlog_field "$rec" end)"
done
out=$(s_client -servername shop.example -tls1_2 -cipher ECDHE-ECDSA-AES256-SHA)
check_match "s_client -tls1_2 -cipher ECDHE-ECDSA-AES256-SHA: no cipher" "handshake failure|alert|no ciphers" "$out"
check_match "  ... and no session" "Cipher is \(NONE\)|Cipher    : 0000|no peer certificate" "$out"
out=$(s_client -servername shop.example -tls1_1 -cipher 'DEFAULT@SECLEVEL=0')
check_match "s_client -tls1_1: refused" "alert|no protocols available|wrong version" "$out"
check_match "  ... and no session" "Cipher is \(NONE\)|no peer certificate" "$out"
wait_until "tls_failed +4" 50 0.1 tls_stat_ge tls_failed $((f0 + 4))
check_eq "tls_failed +4" 4 $(($(tls_stat tls_failed) - f0))
check_eq "the backend got nothing" 0 $(($(backend_requests s1) - reqs0))

# ---------------------------------------------------------------- SNI
step "SNI picks the certificate"
check_eq "SNI shop.example" shop.example "$(subject_of -servername shop.example)"
check_eq "SNI pay.example" pay.example "$(subject_of -servername pay.example)"
check_eq "SNI www.pay.example (the sni list's wildcard)" pay.example "$(subject_of -servername www.pay.example)"
check_eq "no SNI: the default" shop.example "$(subject_of -noservername)"
check_eq "an unknown name: the default" shop.example "$(subject_of -servername other.example)"
out=$(s_client -servername pay.example -verify_hostname pay.example -verify_return_error)
check_match "pay.example verifies against the CA and the name" "Verify return code: 0 \(ok\)" "$out"
w=$(https -o "$T/body" -w '%{http_code} %{local_port}' https://pay.example/) ||
	fail "curl https://pay.example/: $w"
read -r code port <<<"$w"
check_eq "curl https://pay.example/ (certificate and name checked)" "200 server=s1" "$code $(cat "$T/body")"
check_match "the log's sni" " sni=pay\.example$" "$(tlog_field "$(tlog_conn "$port")" tls)"

# ---------------------------------------------------------------- ALPN
step "ALPN: http/1.1 only"
v=$(https --http2 -o /dev/null -w '%{http_version}' https://shop.example/)
check_eq "curl --http2 (offers h2,http/1.1): HTTP/1.1" 1.1 "$v"
out=$(s_client -servername shop.example -alpn h2,http/1.1)
check_match "s_client -alpn h2,http/1.1: http/1.1 selected" "ALPN protocol: http/1.1" "$out"
f0=$(tls_stat tls_failed)
out=$(s_client -servername shop.example -alpn h2)
check_match "s_client -alpn h2: refused (no_application_protocol)" "no application protocol|alert number 120" "$out"
if printf '%s' "$out" | grep -q "ALPN protocol: h2"; then
	fail "h2 was selected: $out"
fi
wait_until "tls_failed +1" 50 0.1 tls_stat_ge tls_failed $((f0 + 1))
check_eq "tls_failed +1" 1 $(($(tls_stat tls_failed) - f0))
check_match "the daemon refused it (EACCES)" "EACCES" "$(grep 'failed after' "$HS_LOG" | tail -1)"

# ---------------------------------------------------------------- resumption
step "session resumption (tickets), TLS 1.3 and 1.2"
REQ=$'GET / HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n'
# resume VERSION-FLAG FILE IN|OUT: a request with s_client, keeping or
# offering the session
resume() {
	printf '%s' "$REQ" | in_cli timeout 30 openssl s_client -connect "$LB_IP:443" \
		-servername shop.example -CAfile "$TLS_DIR/ca.pem" "$1" -ign_eof "-sess_$3" "$2" 2>&1
}
for v in 1.3 1.2; do
	flag=-tls${v/./_}
	out=$(resume "$flag" "$T/sess$v" out)
	check_match "TLS $v first connection: a new session" "^New, TLSv$v, Cipher is" "$out"
	check_match "TLS $v first connection: answered" "HTTP/1.1 200" "$out"
	[ -s "$T/sess$v" ] || fail "TLS $v: s_client wrote no session: $out"
	out=$(resume "$flag" "$T/sess$v" in)
	check_match "TLS $v second connection: Reused" "^Reused, TLSv$v, Cipher is" "$out"
	check_match "TLS $v second connection: answered" "HTTP/1.1 200" "$out"
done
check_eq "the log says resumed (twice)" 2 "$(grep '^{"kind":"conn"' "$TLOG" | grep -c 'sni=shop.example resumed"')"

# ---------------------------------------------------------------- python
step "python ssl: 20 at once, TLS 1.3 and 1.2"
pids=()
for v in 1.3 1.2; do
	tprobe "$LB_IP" 443 ok --count 10 --parallel --version $v --sni pay.example \
		--cafile "$TLS_DIR/ca.pem" --wait 60 >"$T/py$v.json" 2>"$T/py$v.err" &
	pids+=($!)
done
wait "${pids[@]}"
for v in 1.3 1.2; do
	out=$(cat "$T/py$v.json")
	[ -n "$out" ] || fail "tlsprobe $v: $(cat "$T/py$v.err")"
	check_eq "TLS $v: 10 answered" '{"ok":10}' "$(jq -c .outcomes <<<"$out")"
	check_eq "TLS $v: status, version, certificate" "200 TLSv$v pay.example" \
		"$(jq -r '[.conns[] | "\(.status) \(.version) \(.subject)"] | unique | join(",")' <<<"$out")"
done

step "the end"
check_drained
wait_until "kTLS sockets to close" 50 0.1 ktls_idle
check_eq "no kTLS socket left (TlsCurrTxSw TlsCurrRxSw)" "0 0" "$(ktls_stat TlsCurrTxSw) $(ktls_stat TlsCurrRxSw)"
check_eq "no socket on :443 but the listener" "" "$(lb_sockets 443)"
check_eq "tls_refused" 0 "$(tls_stat tls_refused)"
mod_unload
pass
