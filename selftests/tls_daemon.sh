#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900 (a bound for loaded hosts; about 2-3 minutes on an idle one)
# splicer-handshaked killed (SIGKILL) with handshakes in flight, then
# started again. A service "web" on 198.18.0.1:443 with tls on and
# handshake-timeout 30s (long, so that a close by the daemon's death is
# told apart from the deadline, even in a loaded TCG guest). Asserts:
#  - 6 clients stalled mid-handshake (a whole ClientHello, the server's
#    flight received, no answer), all taken by the daemon: SIGKILL closes
#    every one of them at once (a reset or FIN within 5 s of the kill, long
#    before their deadline), the log says "the handshake daemon went
#    away", tls_failed +6; no WARN (the VM runner checks the console);
#  - while it is dead, a new TLS connection is closed at once ("no
#    handshake daemon listening");
#  - 30 python clients handshaking at once, the daemon killed after the
#    first few were taken and started again at once: every client ends
#    (served, or closed by splicer) before its deadline, none hangs;
#    tls_handshakes counts the served ones and tls_failed the others;
#  - the restarted daemon serves new clients (curl);
#  - no leak: no connection left, no TCP socket on :443 in the lb
#    namespace but the listener, no kTLS socket left; the new daemon's
#    descriptor count is the same before and after 40 more handshakes
#    and 14 failed ones (garbage, stalled);
#  - rmmod clean (alloc == free).
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/tls.sh"

TIMEOUT=30
NSTALL=6
NPAR=30

require_root
require_splicer
tls_require
topo_up 1
backends_start s1=198.18.1.2:8080
mod_load
tls_certs
tls_conf -w 2 web

ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add plain listen "$LB_IP:80" pool app
ctl service add web listen "$LB_IP:443" pool app tls on handshake-timeout ${TIMEOUT}s
tlog_start 80
hs_start

now() { date +%s.%N; }
# ms_since T: milliseconds from wall-clock T to now
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }

# ---------------------------------------------------------------- stalled
step "SIGKILL with $NSTALL handshakes stalled in the daemon"
f0=$(tls_stat tls_failed)
acc0=$(hs_accepted)
rm -f "$T/stall.ready"
tprobe "$LB_IP" 443 hello --count $NSTALL --parallel --wait 40 --sni shop.example \
	--ready "$T/stall.ready" >"$T/stall.json" 2>"$T/stall.err" &
probe=$!
wait_until "the stalled clients to get the server's flight" 600 0.1 test -e "$T/stall.ready" ||
	fail "the stalled clients did not get going: $(cat "$T/stall.err")"
wait_until "the daemon to take all $NSTALL" 100 0.1 hs_accepted_ge $((acc0 + NSTALL)) ||
	fail "the daemon took $(($(hs_accepted) - acc0)) of $NSTALL"
check_eq "$NSTALL connections in state handshake" "$NSTALL" \
	"$(in_lb awk '$5 == "handshake"' /proc/net/splicer/conns | wc -l)"
t_kill=$(now)
hs_kill KILL
ok "splicer-handshaked killed"
wait "$probe"
out=$(cat "$T/stall.json")
[ -n "$out" ] || fail "tlsprobe: $(cat "$T/stall.err")"
info "$(jq -c .by_mode <<<"$out")"
check_eq "every stalled client closed by splicer (reset or FIN)" "$NSTALL" \
	"$(jq '[.conns[] | select(.outcome == "reset" or .outcome == "eof")] | length' <<<"$out")"
check_eq "every one had the server's flight" "$NSTALL" "$(jq '[.conns[] | select(.rx > 0)] | length' <<<"$out")"
last=$(jq -r '[.conns[].t_end] | max' <<<"$out")
check_range "closed within 5 s of the kill (ms)" -1000 5000 "$(ms_between "$t_kill" "$last")"
check_range "long before the deadline (largest ms from connect to close; the deadline is ${TIMEOUT}000)" \
	0 $((TIMEOUT * 1000 - 5000)) "$(jq -r '.elapsed * 1000 | floor' <<<"$out")"
wait_until "the log records" 100 0.1 tlog_has_all "$out"
check_eq "the log of each: tls and end" "$NSTALL hello the handshake daemon went away|TLS handshake failed" \
	"$(tlog_join "$out" | sed 's/^hello [0-9]*|/hello /' | sort | uniq -c | sed 's/^ *//')"
check_eq "tls_failed +$NSTALL" "$NSTALL" $(($(tls_stat tls_failed) - f0))
check_drained

step "no daemon: a new connection is closed at once"
out=$(tprobe "$LB_IP" 443 ok --wait 20 --sni shop.example)
check_match "closed by splicer" '^(reset|eof|tls-error)$' "$(jq -r '.conns[0].outcome' <<<"$out")"
check_range "at once (ms; the deadline is ${TIMEOUT}000)" 0 5000 "$(jq -r '.elapsed * 1000 | floor' <<<"$out")"
check_eq "the log's tls" "no handshake daemon listening" \
	"$(tlog_field "$(tlog_conn "$(jq -r '.conns[0].port' <<<"$out")")" tls)"

# ---------------------------------------------------------------- parallel
step "SIGKILL during $NPAR parallel handshakes, restarted at once"
hs_start
h0=$(tls_stat tls_handshakes)
f0=$(tls_stat tls_failed)
acc0=$(hs_accepted)
tprobe "$LB_IP" 443 ok --count $NPAR --parallel --wait 40 --sni shop.example \
	--cafile "$TLS_DIR/ca.pem" >"$T/par.json" 2>"$T/par.err" &
probe=$!
wait_until "the daemon to take a few" 600 0.05 hs_accepted_ge $((acc0 + 3)) ||
	fail "the daemon took no handshake: $(cat "$T/par.err")"
hs_kill KILL
info "killed after $(($(hs_accepted) - acc0)) taken"
hs_start
wait "$probe"
out=$(cat "$T/par.json")
[ -n "$out" ] || fail "tlsprobe: $(cat "$T/par.err")"
info "$(jq -c .outcomes <<<"$out")"
nok=$(jq '[.conns[] | select(.outcome == "ok" and .status == 200)] | length' <<<"$out")
nbad=$(jq '[.conns[] | select(.outcome == "reset" or .outcome == "eof" or .outcome == "tls-error")] | length' <<<"$out")
check_eq "every client served (200) or closed by splicer, none hanging" "$NPAR" $((nok + nbad))
check_range "none past its deadline (largest ms from connect to the end)" 0 $(((TIMEOUT + 5) * 1000)) \
	"$(jq -r '.elapsed * 1000 | floor' <<<"$out")"
check_drained
check_eq "tls_handshakes: the served ones" "$nok" $(($(tls_stat tls_handshakes) - h0))
check_eq "tls_failed: the others" "$nbad" $(($(tls_stat tls_failed) - f0))

step "the restarted daemon serves new clients"
body=$(https https://shop.example/) || fail "curl after the restart: $body $(tail -3 "$HS_LOG")"
check_eq "curl https://shop.example/" "server=s1" "$body"

# ---------------------------------------------------------------- leaks
step "no leak: sockets, kTLS, the daemon's descriptors"
check_drained
check_eq "no socket on :443 but the listener" "" "$(lb_sockets 443)"
wait_until "kTLS sockets to close" 50 0.1 ktls_idle
check_eq "no kTLS socket (TlsCurrTxSw TlsCurrRxSw)" "0 0" "$(ktls_stat TlsCurrTxSw) $(ktls_stat TlsCurrRxSw)"
fds0=$(hs_fds)
h0=$(tls_stat tls_handshakes)
tprobe "$LB_IP" 443 ok --count 40 --parallel --wait 40 --sni pay.example \
	--cafile "$TLS_DIR/ca.pem" >"$T/many.json" 2>"$T/many.err" &
p1=$!
tprobe "$LB_IP" 443 garbage,hello --count 7 --parallel --wait 40 >"$T/bad.json" 2>"$T/bad.err" &
p2=$!
wait "$p1" "$p2"
check_eq "40 more handshakes, all served" '{"ok":40}' "$(jq -c .outcomes "$T/many.json")"
check_eq "14 bad clients, all closed" 14 "$(jq '[.conns[] | select(.outcome == "reset" or .outcome == "eof")] | length' "$T/bad.json")"
check_eq "tls_handshakes +40" 40 $(($(tls_stat tls_handshakes) - h0))
check_drained
check_eq "the daemon's descriptors: as many as before ($fds0)" "$fds0" "$(hs_fds)"
check_eq "no socket on :443 but the listener" "" "$(lb_sockets 443)"
check_eq "no kTLS socket (TlsCurrTxSw TlsCurrRxSw)" "0 0" "$(ktls_stat TlsCurrTxSw) $(ktls_stat TlsCurrRxSw)"
mod_unload
pass
