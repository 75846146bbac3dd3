# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of the TLS selftests (tls_*.sh), sourced after lib.sh:
#
#     . "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
#     . "$SPLICER_TOP/selftests/lib/tls.sh"
#
# - tls_require: the daemon built, openssl and curl there, the kernel's tls
#   module loaded (modprobe tls; a kernel without kTLS is a skip).
# - tls_certs: a CA and two ECDSA (P-256) server certificates signed by it, in
#   $TLS_DIR (mode 0755/0644: the daemon reads them as user nobody):
#   ca.pem, shop.pem/shop.key (CN and subjectAltName shop.example) and
#   pay.pem/pay.key (CN pay.example, subjectAltName pay.example and
#   *.pay.example).
# - tls_conf [-w WORKERS] SERVICE...: $TLS_DIR/h.conf, for each SERVICE the
#   shop certificate as its default and the pay certificate for the SNI
#   names pay.example and *.pay.example.
# - hs_start [NS]: splicer-handshaked -f -v in NS (default the lb namespace)
#   in the background, its stderr in $HS_LOG, its pid in HS_PID; returns
#   once it takes handshakes. hs_kill [SIGNAL]: signal it (default KILL)
#   and wait for it to exit. hs_fds: how many descriptors it has open.
#   hs_accepted: how many handshakes it has taken so far (its -v log);
#   hs_accepted_ge N: at least N (for wait_until).
# - https ARGS...: curl from the client namespace with the CA, shop.example
#   and pay.example (and www.pay.example) resolved to $LB_IP:443.
# - tls_stat COUNTER [SERVICE]: a TLS counter (tls_handshakes, tls_failed,
#   tls_refused) of `splicerctl -j stats`, or of one service;
#   tls_stat_ge COUNTER N [SERVICE]: it is at least N (for wait_until).
# - ktls_stat FIELD: a counter of /proc/net/tls_stat in the lb namespace
#   (TlsCurrTxSw, TlsRxSw, ...); ktls_idle: no kTLS socket open there
#   (TlsCurrTxSw and TlsCurrRxSw 0).
# - tprobe ARGS...: selftests/lib/tlsprobe.py from the client namespace.
# - tlog_start PORT: `splicerctl -j log` in the lb namespace into $TLOG,
#   returning once it receives (a plain HTTP request to $LB_IP:PORT until
#   a record shows up); tlog_conn PORT: the conn record of the client
#   connection from local port PORT (waits for it; "MISSING" if none);
#   tlog_field JSON KEY: one string field of a record; tlog_join PROBE-JSON
#   (a tlsprobe.py result): one line per connection, "MODE PORT|TLS|END" of
#   its conn record ("MISSING" for TLS and END if there is none yet; one
#   jq run for them all). (Never wait_until with "$(...)" in its command:
#   that is expanded once, before the first try; these helpers are
#   functions for that reason.)
# - lb_sockets PORT: the TCP sockets on local port PORT in the lb namespace,
#   but the listener and TIME-WAIT ("STATE local peer" lines; empty when
#   nothing is left).

HS=$SPLICER_TOP/handshaked/splicer-handshaked
TLS_DIR=$T/tls
HS_LOG=$T/handshaked.err
HS_PID=
TLOG=$T/tls-log.jsonl

tls_require() {
	require_cmd openssl curl ss
	[ -x "$HS" ] || fail "splicer-handshaked not built: $HS missing (make handshaked)"
	modprobe tls 2>/dev/null
	[ -e /proc/net/tls_stat ] || skip "no kTLS in this kernel (modprobe tls failed)"
	mkdir -p "$T/bin"
	cp "$HS" "$T/bin/splicer-handshaked" || fail "cannot copy $HS"
	HS=$T/bin/splicer-handshaked
}

# tls_cert NAME CN SAN: a P-256 key and a certificate signed by the CA (EC
# rather than RSA: keys and signatures are far cheaper under TCG)
tls_cert() {
	local d=$TLS_DIR
	printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' \
		"$3" >"$d/$1.ext"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$d/$1.key" -out "$d/$1.csr" \
		-subj "/CN=$2" 2>>"$d/openssl.err" &&
		openssl x509 -req -in "$d/$1.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
			-CAcreateserial -days 30 -extfile "$d/$1.ext" -out "$d/$1.pem" \
			2>>"$d/openssl.err" ||
		fail "openssl: cannot make the certificate $1: $(tail -3 "$d/openssl.err")"
}

tls_certs() {
	mkdir -p "$TLS_DIR"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem" -days 30 \
		-subj "/CN=splicer selftest CA" 2>>"$TLS_DIR/openssl.err" ||
		fail "openssl: cannot make the CA: $(tail -3 "$TLS_DIR/openssl.err")"
	tls_cert shop shop.example "DNS:shop.example"
	tls_cert pay pay.example "DNS:pay.example,DNS:*.pay.example"
	chmod 755 "$T" "$TLS_DIR"
	chmod 644 "$TLS_DIR"/*
}

tls_conf() {
	local workers=2 s
	if [ "$1" = -w ]; then
		workers=$2
		shift 2
	fi
	{
		echo "user nobody"
		echo "workers $workers"
		for s in "$@"; do
			echo "service $s cert shop.pem key shop.key"
			echo "service $s cert pay.pem key pay.key sni pay.example *.pay.example"
		done
	} >"$TLS_DIR/h.conf"
	chmod 644 "$TLS_DIR/h.conf"
}

hs_start() {
	local ns=${1:-$NS_LB} n0
	n0=$(grep -c "taking handshakes" "$HS_LOG" 2>/dev/null)
	# ip netns exec execs the daemon, which stays in the foreground: one pid
	bg ip netns exec "$ns" "$HS" -f -v -c "$TLS_DIR/h.conf" 2>>"$HS_LOG"
	HS_PID=$BG_PID
	wait_until "the daemon to take handshakes" 600 0.1 hs_taking "$((${n0:-0} + 1))" ||
		fail "splicer-handshaked did not start: $(tail -5 "$HS_LOG")"
	ok "splicer-handshaked $HS_PID takes handshakes (ns $ns)"
}

hs_taking() {
	kill -0 "$HS_PID" 2>/dev/null || return 1
	[ "$(grep -c "taking handshakes" "$HS_LOG")" -ge "$1" ]
}

hs_kill() {
	kill "-${1:-KILL}" "$HS_PID" 2>/dev/null
	wait_until "the daemon to exit" 100 0.1 pid_gone "$HS_PID" ||
		fail "splicer-handshaked $HS_PID did not exit on SIG${1:-KILL}"
	wait "$HS_PID" 2>/dev/null
}

hs_fds() { find "/proc/$HS_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

hs_accepted() { grep -c " accepted (fd " "$HS_LOG"; }
hs_accepted_ge() { [ "$(hs_accepted)" -ge "$1" ]; }

https() {
	in_cli curl -sS --max-time "${CURL_MAX_TIME:-30}" --cacert "$TLS_DIR/ca.pem" \
		--resolve "shop.example:443:$LB_IP" --resolve "pay.example:443:$LB_IP" \
		--resolve "www.pay.example:443:$LB_IP" "$@"
}

tls_stat() {
	if [ -n "$2" ]; then
		jget "$(ctlq -j service show "$2")" ".stats.$1"
	else
		jget "$(ctlq -j stats)" ".stats.$1"
	fi
}

tls_stat_ge() { [ "$(tls_stat "$1" "$3")" -ge "$2" ]; }

ktls_stat() { in_lb awk -v k="$1" '$1 == k { print $2 }' /proc/net/tls_stat; }

ktls_idle() {
	[ "$(in_lb awk '$1 == "TlsCurrTxSw" || $1 == "TlsCurrRxSw" { s += $2 } END { print s + 0 }' \
		/proc/net/tls_stat)" = 0 ]
}

tprobe() { in_cli $PY "$LIB/tlsprobe.py" "$@"; }

tlog_any() { grep -q '^{"kind":' "$TLOG" 2>/dev/null; }

tlog_start() {
	local port=$1 i synced=0
	bg ip netns exec "$NS_LB" "$CTL" -j log >"$TLOG" 2>"$T/tls-log.err"
	for ((i = 0; i < 20 && !synced; i++)); do
		bash_get "$LB_IP" "$port" / 1 >/dev/null
		wait_until "the log reader to see a record" 30 0.1 tlog_any && synced=1
	done
	[ $synced = 1 ] || fail "splicerctl -j log printed nothing: $(cat "$T/tls-log.err")"
}

tlog_conn_lines() { grep -F "\"client_port\":$1," "$TLOG" 2>/dev/null | grep '^{"kind":"conn"'; }
tlog_has_conn() { tlog_conn_lines "$1" >/dev/null; }

tlog_conn() {
	local r
	wait_until "the conn record of client port $1" 100 0.1 tlog_has_conn "$1" >/dev/null
	r=$(tlog_conn_lines "$1" | tail -1)
	printf '%s\n' "${r:-MISSING}"
}

tlog_field() {
	local re="\"$2\":\"([^\"]*)\""
	if [[ $1 =~ $re ]]; then printf '%s\n' "${BASH_REMATCH[1]}"; else echo NONE; fi
}

tlog_join() {
	grep '^{"kind":"conn"' "$TLOG" >"$T/tlog-conns.jsonl" 2>/dev/null
	jq -r --slurpfile recs "$T/tlog-conns.jsonl" '
		($recs | map({key: (.client_port | tostring), value: .}) | from_entries) as $by
		| .conns[] | . as $c | $by[$c.port | tostring] as $r
		| "\($c.mode) \($c.port)|\($r.tls // "MISSING")|\($r.end // "MISSING")"' <<<"$1"
}

# tlog_has_all PROBE-JSON: every connection of it has its conn record
tlog_has_all() { ! tlog_join "$1" | grep -q '|MISSING|'; }

lb_sockets() {
	in_lb ss -tanH "( sport = :$1 )" | awk '$1 != "LISTEN" && $1 != "TIME-WAIT" { print $1, $4, $5 }'
}
