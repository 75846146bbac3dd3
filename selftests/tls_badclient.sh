#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900 (a bound for loaded hosts; about 2 minutes on an idle one)
# TLS clients that never finish a handshake, and no handshake daemon at
# all. A service "web" on 198.18.0.1:443 with tls on. Asserts:
#  - no daemon (handshake-timeout 30s): a TLS connection is closed at
#    once (within 5 s, long before the handshake timeout), curl fails
#    (reset), the log says "no handshake daemon listening" (end
#    "TLS handshake failed"), tls_failed counts it;
#  - with the daemon and handshake-timeout 2s, four connections each, all
#    at once, of: 512 bytes of garbage, a plain HTTP request, half a
#    ClientHello then FIN, a whole ClientHello then FIN once the server's
#    flight is in (a truncated handshake), half a ClientHello then
#    silence, nothing at all, a whole ClientHello then silence (stalled
#    mid-handshake): every one is closed by splicer (reset or FIN), none
#    after the handshake timeout (plus slack for the VM), the silent ones
#    not before it; the log gives each its reason (protocol error for
#    garbage and HTTP, reset by the client for the cut ones, timed out for
#    the silent ones); tls_failed counts all 28, tls_handshakes none; the
#    backend sees nothing;
#  - nothing leaked: no connection left in /proc/net/splicer/conns, no TCP
#    socket on :443 in the lb namespace but the listener, no kTLS socket
#    (TlsCurrTxSw/TlsCurrRxSw 0), the daemon holds as many descriptors as
#    before the batch;
#  - a good client is served afterwards (handshake-timeout 30s again: a
#    real handshake may take more than 2 s in a loaded TCG guest); rmmod
#    clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/tls.sh"

TIMEOUT=2
SLACK=6		# seconds a loaded TCG guest may add to the timeout
N=4

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
# a long handshake timeout first: "no daemon" must close at once, not at
# the deadline
ctl service add web listen "$LB_IP:443" pool app tls on handshake-timeout 30s
tlog_start 80
reqs0=$(backend_requests s1)

# ---------------------------------------------------------------- no daemon
step "no handshake daemon at all"
out=$(tprobe "$LB_IP" 443 hello,ok --wait 20)
info "$(jq -c '[.conns[] | {mode, outcome, elapsed}]' <<<"$out")"
check_match "both closed by splicer (reset or FIN)" '^(reset|eof|tls-error)$' \
	"$(jq -r '[.conns[].outcome] | unique | .[]' <<<"$out")"
el=$(jq -r '.elapsed * 1000 | floor' <<<"$out")
check_range "closed at once (ms; the handshake timeout is 30000)" 0 5000 "$el"
wait_until "the log records" 100 0.1 tlog_has_all "$out"
check_eq "the log: tls and end of both" \
	"no handshake daemon listening|TLS handshake failed no handshake daemon listening|TLS handshake failed" \
	"$(tlog_join "$out" | cut -d'|' -f2- | tr '\n' ' ' | sed 's/ $//')"
https -o /dev/null https://shop.example/ 2>"$T/curl.err"
rc=$?
# 35: reset in the handshake; 7: the reset came before connect() returned
check_match "curl fails at once (exit 35 or 7: reset)" '^(35|7)$' "$rc"
check_eq "tls_failed" 3 "$(tls_stat tls_failed web)"
check_eq "tls_handshakes" 0 "$(tls_stat tls_handshakes web)"

# ---------------------------------------------------------------- bad clients
step "clients that never finish a handshake: $N of each kind, all at once"
ctl service set web handshake-timeout ${TIMEOUT}s
hs_start
check_drained
fds0=$(hs_fds)
f0=$(tls_stat tls_failed web)
MODES=garbage,http,truncated,hello-close,partial,silent,hello
out=$(tprobe "$LB_IP" 443 "$MODES" --count $N --parallel --wait $((TIMEOUT + SLACK + 10)) --sni shop.example)
printf '%s' "$out" >"$T/bad.json"
info "$(jq -c .by_mode <<<"$out")"
check_eq "all $((N * 7)) connections ended" $((N * 7)) "$(jq '[.conns[] | select(.outcome == "reset" or .outcome == "eof")] | length' <<<"$out")"
max=$(jq -r '.elapsed * 1000 | floor' <<<"$out")
check_range "none after the handshake timeout (largest ms from connect to close)" 0 $(((TIMEOUT + SLACK) * 1000)) "$max"
min=$(jq -r '[.conns[] | select(.mode == "partial" or .mode == "silent" or .mode == "hello") | .elapsed] | min * 1000 | floor' <<<"$out")
check_range "the silent ones not before it (smallest ms)" $((TIMEOUT * 1000 - 200)) $(((TIMEOUT + SLACK) * 1000)) "$min"
check_eq "the stalled ones got the server's flight" "$N" \
	"$(jq '[.conns[] | select(.mode == "hello" and .rx > 0)] | length' <<<"$out")"

# the reason each one is logged with (one jq run for all the records)
wait_until "the log records of all $((N * 7))" 100 0.1 tlog_has_all "$out" ||
	fail "conn records missing: $(tlog_join "$out" | grep MISSING)"
declare -A said
while IFS='|' read -r mp tls end; do
	mode=${mp%% *}
	case $mode in
	garbage | http) re='^handshake failed \(protocol error\)$' ;;
	truncated | hello-close) re='^handshake failed \((reset by the client|protocol error)\)$' ;;
	*) re='^(handshake failed \(timed out\)|handshake timeout)$' ;;
	esac
	[[ $tls =~ $re ]] || fail "$mode, client port ${mp#* }: the log's tls '$tls' !~ /$re/"
	[ "$end" = "TLS handshake failed" ] || fail "$mode, client port ${mp#* }: the log's end '$end'"
	said[$mode]+="${said[$mode]:+, }$tls"
done <<<"$(tlog_join "$out")"
for mode in ${MODES//,/ }; do
	ok "$mode: the log says $(tr ',' '\n' <<<"${said[$mode]}" | sed 's/^ //' | sort -u | paste -sd'/')"
done
wait_until "tls_failed +$((N * 7))" 50 0.1 tls_stat_ge tls_failed $((f0 + N * 7)) web
check_eq "tls_failed +$((N * 7))" $((N * 7)) $(($(tls_stat tls_failed web) - f0))
check_eq "tls_handshakes" 0 "$(tls_stat tls_handshakes web)"
check_eq "the backend saw nothing" 0 $(($(backend_requests s1) - reqs0))

step "nothing leaked"
check_drained
check_eq "no socket on :443 but the listener" "" "$(lb_sockets 443)"
check_eq "no kTLS socket (TlsCurrTxSw TlsCurrRxSw)" "0 0" "$(ktls_stat TlsCurrTxSw) $(ktls_stat TlsCurrRxSw)"
check_eq "the daemon's descriptors: as many as before" "$fds0" "$(hs_fds)"

step "a good client afterwards"
# (a TCG guest under load can take more than 2 s for a real handshake)
ctl service set web handshake-timeout 30s
body=$(https https://shop.example/) || fail "curl after the bad clients: $body"
check_eq "curl https://shop.example/" "server=s1" "$body"
check_eq "tls_handshakes" 1 "$(tls_stat tls_handshakes web)"
check_drained
mod_unload
pass
