#!/usr/bin/env bash
# End-to-end test of splicer-handshaked's code through tests/harness (local
# listeners instead of the module's TLS_ACCEPT; see harness.c):
#
#   make -C handshaked check      on the host (kTLS checks skipped when the
#                                 host cannot load the tls module)
#   make -C handshaked vm-test    in a VM (selftests/vm/run.sh): kTLS too
#
# Covers: every kTLS suite in TLS 1.2 and 1.3 (the harness echoes through
# kTLS: the kernel decrypts and encrypts), a request sent with the client's
# last handshake flight (nothing read past the handshake), resumption with
# tickets (1.2 and 1.3) and their expiry, SNI (explicit names, names from
# the certificate, wildcards, the default), ALPN (http/1.1 only, h2
# refused), versions and ciphers refused, not-TLS, silent and vanishing
# clients (deadline), unknown services, max_fragment_length, many
# handshakes at once, SIGHUP reloads (in-flight handshakes keep their
# certificate; a broken reload keeps the old set), graceful and immediate
# stops, and for every handshake: exactly one DONE, the descriptor closed
# before it, the open file's flags restored. Writes only under /tmp.
# vm-timeout: 900
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=${SPLICER_TOP:-$(cd "$here/../.." && pwd)}
harness=$top/handshaked/tests/harness
client=$here/tlsclient.py
work=$(mktemp -d /tmp/hs-test.XXXXXX)
out=$work/harness.out
err=$work/harness.err
pass=0 fail=0 skipped=0
hpid=

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
skip() { skipped=$((skipped + 1)); echo "skip $*"; }

cleanup() {
	[ -n "$hpid" ] && kill -KILL "$hpid" 2>/dev/null
	[ -n "${HS_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

for t in openssl python3; do
	command -v $t >/dev/null || { echo "harness_test: $t is missing (scripts/deps.sh tls)"; exit 4; }
done
[ -x "$harness" ] || { echo "harness_test: build it first: make -C handshaked tests"; exit 1; }

# the tls module is loaded in a test VM only (SPLICER_VM), never on the host
[ "${SPLICER_VM:-0}" = 1 ] && modprobe tls 2>/dev/null
if [ -e /proc/net/tls_stat ]; then
	ktls=1 want_ok=OK
	echo "# kTLS available: full checks"
else
	ktls=0 want_ok=EOPNOTSUPP
	echo "# kTLS not available here (the tls module is not loaded; the test loads it only in"
	echo "# a VM): handshakes end in EOPNOTSUPP, echo checks skipped"
fi

# ---- certificates and configuration ---------------------------------------

cd "$work" || exit 1
cert() {	# NAME CN KEYTYPE [SAN]
	local args=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
	[ "$3" = rsa ] && args=(-newkey rsa:2048)
	openssl req -x509 "${args[@]}" -nodes -keyout "$1.key" -out "$1.pem" -days 30 \
		-subj "/CN=$2" ${4:+-addext "subjectAltName=$4"} 2>/dev/null ||
		{ echo "harness_test: openssl req failed"; exit 1; }
}
cert web web.example ec "DNS:web.example"
cert alt alt.example rsa "DNS:alt.example,DNS:*.alt.example"
cert special special.example ec
cert web2 web2.example ec "DNS:web.example"
cat > h.conf <<EOF
# the default first, then by SNI: alt by its certificate's names
workers 2
ticket-lifetime 300
service web cert web.pem key web.key
service web cert alt.pem key alt.key
service web cert special.pem key special.key sni special.example *.special.example
EOF

start() {	# [extra harness args]
	[ -e "$err" ] && cat "$err" >> "$work/harness.all.err"
	: > "$out"
	"$harness" -c h.conf -l 0=web -l 0=nosuch -l 0=web:3000 -t 30000 -v "$@" \
		> "$out" 2> "$err" &
	hpid=$!
	local i
	for i in $(seq 1800); do
		grep -q "started:" "$err" && break
		kill -0 "$hpid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q "started:" "$err"; then
		echo "harness did not start:"; cat "$err"; exit 1
	fi
	port=$(awk '$1=="LISTEN" && $3=="web" && $4==30000 {print $2}' "$out")
	port_nosuch=$(awk '$1=="LISTEN" && $3=="nosuch" {print $2}' "$out")
	port_short=$(awk '$1=="LISTEN" && $4==3000 {print $2}' "$out")
}

# ---- DONE lines -------------------------------------------------------------

base=0
mark() { base=$(grep -c '^DONE' "$out"); }
new_done() { awk -v b="$base" '/^DONE/ { if (++n > b) print }' "$out"; }
wait_done() {	# N: until N DONE lines since the mark (60 s at most)
	local i
	for i in $(seq 600); do
		[ "$(new_done | wc -l)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
# expect_done WHAT N PATTERN...: N new DONE lines, each matching every PATTERN
# (no process substitution: the VM has no /dev/fd)
expect_done() {
	local what=$1 n=$2 p line good=1 seen=0
	shift 2
	if ! wait_done "$n"; then
		bad "$what: $(new_done | wc -l) DONE line(s), want $n"
		tail -5 "$err" | sed 's/^/     | /'
		return
	fi
	new_done | head -n "$n" > "$work/done.tmp"
	while read -r line; do
		seen=$((seen + 1))
		for p in "$@"; do
			if ! grep -Eq -- "$p" <<<"$line"; then
				good=0
				bad "$what: DONE !~ $p"
				echo "     | $line"
			fi
		done
	done < "$work/done.tmp"
	[ "$seen" = "$n" ] || { good=0; bad "$what: read $seen DONE line(s), want $n"; }
	[ $good = 1 ] && ok "$what: DONE ~ $*"
}
# client output checks
expect_out() {	# WHAT FILE PATTERN
	if grep -Eq -- "$3" "$2"; then ok "$1: ~ $3"; else bad "$1: client !~ $3"; sed 's/^/     | /' "$2"; fi
}
tc() { timeout 90 python3 "$client" "$port" "$@"; }
# handshakes the daemon took so far (its -v log), and waiting for more
accepted() { grep -c " accepted (fd " "$err"; }
wait_accepted() {
	local i
	for i in $(seq 600); do
		[ "$(accepted)" -ge "$1" ] && return 0
		sleep 0.1
	done
	bad "no handshake $1 accepted"
}

start

# ---- every suite, both versions, the echo through kTLS -----------------------

suite() {	# VERSION-FLAG CIPHER-OPTION NAME
	local flag=$1 opt=$2 name=$3
	mark
	(printf 'hello-%s\n' "$name"; sleep 2) |
		timeout 60 openssl s_client -connect "127.0.0.1:$port" "$flag" "$opt" "$name" \
			-quiet > "$work/sc.out" 2>&1
	expect_done "suite $name" 1 "status=[0-9]+\($want_ok\)" "cipher=$name" "fdclosed=1" "flags=restored"
	if [ $ktls = 1 ]; then
		expect_done "suite $name" 1 "ktls=tx\+rx"
		expect_out "suite $name echo" "$work/sc.out" "^hello-$name\$"
	fi
}
suite -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256
suite -tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384
suite -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256
suite -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256
suite -tls1_2 -cipher ECDHE-ECDSA-AES256-GCM-SHA384
suite -tls1_2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305
# an RSA certificate (alt, by SNI) with ECDHE-RSA
mark
(printf 'hello-rsa\n'; sleep 2) | timeout 60 openssl s_client -connect "127.0.0.1:$port" \
	-tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384 -servername alt.example -quiet > "$work/sc.out" 2>&1
expect_done "rsa" 1 "status=[0-9]+\($want_ok\)" "cipher=ECDHE-RSA-AES256-GCM-SHA384" "sni=alt.example"
[ $ktls = 1 ] && expect_out "rsa echo" "$work/sc.out" "^hello-rsa\$"

# ---- nothing read past the handshake -----------------------------------------

for v in 1.3 1.2; do
	mark
	tc --version $v --immediate --repeat 200 > "$work/c.out" 2>&1
	expect_done "immediate $v" 1 "status=[0-9]+\($want_ok\)" "version=TLSv$v"
	[ $ktls = 1 ] && expect_out "immediate $v: request sent with the Finished, echoed whole" \
		"$work/c.out" "conn 0 ok=1 .* echo=1"
done

# ---- resumption ---------------------------------------------------------------

for v in 1.3 1.2; do
	if [ $ktls = 0 ] && [ $v = 1.3 ]; then
		# the tickets come after the Finished; with no kTLS the daemon's
		# close resets the connection before the client reads them
		skip "resume $v: needs kTLS"
		continue
	fi
	mark
	tc --version $v --resume --immediate > "$work/c.out" 2>&1
	expect_done "resume $v (first)" 1 "resumed=0"
	base=$((base + 1))
	expect_done "resume $v (second)" 1 "resumed=1" "status=[0-9]+\($want_ok\)"
	if [ $ktls = 1 ]; then
		expect_out "resume $v: client resumed" "$work/c.out" "conn 1 ok=1 .*resumed=1 echo=1"
	fi
done

# ---- SNI -------------------------------------------------------------------------

sni() {	# SNI WANT-CN
	mark
	tc ${1:+--sni "$1"} > "$work/c.out" 2>&1
	expect_done "sni '${1:-}'" 1 "sni=${1:--}( |$)" "status=[0-9]+\($want_ok\)"
	expect_out "sni '${1:-}' -> $2" "$work/c.out" "cn=$2 "
}
sni "" web.example
sni unknown.example web.example
sni alt.example alt.example
sni WWW.Alt.Example alt.example
sni a.b.alt.example web.example
sni special.example special.example
sni x.special.example special.example
sni web.example web.example

# ---- ALPN ------------------------------------------------------------------------

mark
tc --alpn h2 --expect-fail > "$work/c.out" 2>&1
expect_done "alpn h2 only" 1 "status=13\(EACCES\)"
mark
tc --alpn h2,http/1.1 > "$work/c.out" 2>&1
expect_done "alpn h2,http/1.1" 1 "status=[0-9]+\($want_ok\)"
expect_out "alpn h2,http/1.1 -> http/1.1" "$work/c.out" "alpn=http/1.1 "

# ---- refused -----------------------------------------------------------------------

mark
echo | timeout 60 openssl s_client -connect "127.0.0.1:$port" -tls1_1 \
	-cipher 'DEFAULT@SECLEVEL=0' > /dev/null 2>&1
expect_done "TLS 1.1" 1 "status=71\(EPROTO\)"
mark
echo | timeout 60 openssl s_client -connect "127.0.0.1:$port" -tls1_2 -cipher AES128-SHA256 > /dev/null 2>&1
expect_done "CBC only" 1 "status=71\(EPROTO\)"
mark
tc --raw > "$work/c.out" 2>&1
expect_done "plain HTTP" 1 "status=71\(EPROTO\)"
mark
echo | timeout 60 openssl s_client -connect "127.0.0.1:$port" -maxfraglen 512 > /dev/null 2>&1
expect_done "max_fragment_length" 1 "status=95\(EOPNOTSUPP\)"
mark
timeout 60 python3 "$client" "$port_nosuch" --expect-fail > "$work/c.out" 2>&1
expect_done "unknown service" 1 "status=2\(ENOENT\)" "service=nosuch"

# ---- the deadline and vanishing clients ---------------------------------------------

mark
t0=$(date +%s)
timeout 90 python3 "$client" "$port_short" --raw --idle > /dev/null 2>&1
expect_done "silent client" 1 "status=110\(ETIMEDOUT\)"
el=$(( $(date +%s) - t0 ))
if [ $el -le 20 ]; then ok "silent client ended in ${el}s (deadline 3s)"; else bad "silent client took ${el}s"; fi
mark
timeout 90 python3 "$client" "$port_short" --raw --partial > /dev/null 2>&1
expect_done "half a ClientHello" 1 "status=110\(ETIMEDOUT\)"
mark
timeout 90 python3 "$client" "$port_short" --pause 10 --expect-fail > /dev/null 2>&1
expect_done "client silent after its ClientHello" 1 "status=110\(ETIMEDOUT\)"
mark
python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1', int(sys.argv[1]))); s.send(b'\x16\x03\x01'); s.close()" "$port"
expect_done "client gone" 1 "status=104\(ECONNRESET\)"

# ---- many at once -------------------------------------------------------------------

mark
tc --parallel 40 > "$work/c.out" 2>&1
expect_done "40 in parallel" 40 "status=[0-9]+\($want_ok\)" "fdclosed=1"
if [ $ktls = 1 ]; then
	n=$(grep -c "ok=1 .*echo=1" "$work/c.out")
	if [ "$n" = 40 ]; then ok "40 in parallel: 40 echoes"; else bad "40 in parallel: $n echoes"; fi
fi

# ---- reload ---------------------------------------------------------------------------

mark
n=$(accepted)
tc --pause 4 > "$work/slow.out" 2>&1 &
slow=$!
wait_accepted $((n + 1))
cp web2.pem web.pem
cp web2.key web.key
kill -HUP "$hpid"
for i in $(seq 300); do grep -q "reloaded:" "$err" && break; sleep 0.1; done
grep -q "reloaded:" "$err" && ok "SIGHUP: reloaded" || bad "SIGHUP: no reload in the log"
tc > "$work/c.out" 2>&1
expect_out "after the reload: the new certificate" "$work/c.out" "cn=web2.example "
wait "$slow"
expect_out "in flight over the reload: the old certificate, done" "$work/slow.out" "cn=web.example "
[ $ktls = 1 ] && expect_out "in flight over the reload: echo" "$work/slow.out" "ok=1 .*echo=1"
expect_done "reload" 2 "status=[0-9]+\($want_ok\)"

echo "service web cert missing.pem" >> h.conf
kill -HUP "$hpid"
for i in $(seq 300); do grep -q "reload failed" "$err" && break; sleep 0.1; done
grep -q "reload failed" "$err" && ok "broken reload refused" || bad "broken reload: no message"
mark
tc > "$work/c.out" 2>&1
expect_out "after a broken reload: the set before it" "$work/c.out" "cn=web2.example "
expect_done "after a broken reload" 1 "status=[0-9]+\($want_ok\)"

# ---- tickets expire (lifetime 2 s after a reload) ----------------------------------------

sed -i '/missing.pem/d; s/^ticket-lifetime .*/ticket-lifetime 2/' h.conf
kill -HUP "$hpid"
sleep 1
mark
tc --resume --resume-after 7 > "$work/c.out" 2>&1
expect_done "expired ticket (first)" 1 "resumed=0"
base=$((base + 1))
expect_done "expired ticket: full handshake" 1 "resumed=0"

# ---- graceful stop: the handshake in flight finishes -------------------------------------

mark
n=$(accepted)
tc --pause 3 > "$work/slow.out" 2>&1 &
slow=$!
wait_accepted $((n + 1))
kill -TERM "$hpid"
wait "$slow"
expect_done "graceful stop: in flight finished" 1 "status=[0-9]+\($want_ok\)"
[ $ktls = 1 ] && expect_out "graceful stop: echo" "$work/slow.out" "ok=1 .*echo=1"
wait "$hpid"
rc=$?
hpid=
[ $rc = 0 ] && ok "graceful stop: exit 0" || bad "graceful stop: exit $rc"
expect_out "every handshake had one DONE" "$out" "^SUMMARY .* missing=0 duplicate=0$"
n=$(grep '^DONE' "$out" | grep -cv "fdclosed=1 flags=restored")
[ "$n" = 0 ] && ok "every DONE after the close, flags restored" || bad "$n DONE(s) before the close or with changed flags"
grep -q "^DUPLICATE\|^BADID" "$out" && bad "duplicate or unknown DONE" || ok "no duplicate DONE"

# ---- stop now: in flight ends with ESHUTDOWN ---------------------------------------------

start
mark
tc --pause 8 > "$work/slow.out" 2>&1 &
slow=$!
wait_accepted 1
kill -TERM "$hpid"
sleep 0.5
kill -TERM "$hpid"
expect_done "stop now" 1 "status=108\(ESHUTDOWN\)"
wait "$hpid"
hpid=
wait "$slow"
expect_out "stop now: one DONE" "$out" "^SUMMARY accepted=1 done=1 missing=0 duplicate=0$"

# a sanitizer build (make CFLAGS=-fsanitize=...) reports here
cat "$err" >> "$work/harness.all.err"
if grep -Eq "AddressSanitizer|LeakSanitizer|runtime error:" "$work/harness.all.err"; then
	bad "sanitizer reports:"
	grep -E -A12 "AddressSanitizer|LeakSanitizer|runtime error:" "$work/harness.all.err" | head -60
else
	ok "no sanitizer report"
fi

echo "harness_test: $pass passed, $fail failed, $skipped skipped"
[ $fail = 0 ]
