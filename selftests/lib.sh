# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for the splicer selftests. Source it from a test script:
#
#     . "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
#
# Topology (every name suffixed with the test's pid, $$):
#
#   ns cli-$$                ns lb-$$                                ns srv-$$
#  +--------------+        +-------------------------------+       +---------------------+
#  |              | cli0   | lbc0                     lbs0 |  srv0 | 198.18.1.2 (s1)     |
#  | 198.18.0.2/24|--------| 198.18.0.1/24   198.18.1.1/24 |-------| 198.18.1.3 (s2) ... |
#  |  curl, wrk,  |  veth  |  splicer.ko services          | veth  | /24, one address    |
#  |  httpc.py    |        |  (in-kernel listeners)        |       | per backend         |
#  | default via  |        |  ip_forward = 0: the only way |       | backend.py, nginx   |
#  |  198.18.0.1  |        |  from cli to srv is splicer   |       | default via .1.1    |
#  +--------------+        +-------------------------------+       +---------------------+
#
# Contract with the runner: a test runs as root inside the VM, cwd = repo top,
# SPLICER_TOP = repo top; exit 0 pass, 4 skip (missing prerequisite), else fail.
# Only the guest's /tmp and /run are writable; the checkout is read-only.
#
# Conventions: waits poll state with a bounded count; every background process is
# recorded and killed from the EXIT trap; fail() prints expected vs got, then the
# state dump (dmesg tail, /proc/net/splicer/*, splicerctl -j stats).
# Never call fail/ok from inside $(...): the exit would only leave the subshell.

# No "set -u": in bash an unbound variable aborts only the current compound
# command and the script carries on, so a check could be skipped silently;
# an empty value fails the check that uses it instead.

SPLICER_TOP=${SPLICER_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export SPLICER_TOP
TEST_NAME=$(basename "$0" .sh)
KO_SRC=
LIB=$SPLICER_TOP/selftests/lib
PY=/usr/bin/python3
KO=${SPLICER_KO:-$SPLICER_TOP/kmod/splicer.ko}
CTL=${SPLICERCTL:-$SPLICER_TOP/ctl/splicerctl}

NS_CLI=cli-$$
NS_LB=lb-$$
NS_SRV=srv-$$
CLI_IP=198.18.0.2
LB_IP=198.18.0.1          # the VIP side, towards cli
LB_SRV_IP=198.18.1.1      # towards srv
SRV_NET=198.18.1          # backends are $SRV_NET.2, .3, ...

T=$(mktemp -d "/tmp/splicer-$TEST_NAME.XXXXXX")
BG_PIDS=()
MOD_LOADED=0
TOPO_UP=0
DMESG_MARK=0
EXTRA_NS=()
T_START=$SECONDS

export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

# ------------------------------------------------------------------ output
log()  { printf '%s\n' "$*"; }
step() { printf '\n== %s  [%ds]\n' "$*" $((SECONDS - T_START)); }
ok()   { printf '  ok   %s\n' "$*"; }
info() { printf '  ..   %s\n' "$*"; }

skip() {
	printf 'SKIP %s: %s\n' "$TEST_NAME" "$*"
	exit 4
}

fail() {
	printf '\nFAIL %s: %s\n' "$TEST_NAME" "$*"
	dump_state
	exit 1
}

# pass: the last line of a successful test, with its duration
pass() {
	printf '\nPASS %s (%ds)\n' "$TEST_NAME" $((SECONDS - T_START))
	exit 0
}

# check_eq DESC EXPECTED GOT
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1 ($3)"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# check_range DESC LO HI GOT  (integers, inclusive)
check_range() {
	if [[ "$4" =~ ^-?[0-9]+$ ]] && [ "$4" -ge "$2" ] && [ "$4" -le "$3" ]; then
		ok "$1 ($4 in [$2, $3])"
	else
		fail "$1: expected a value in [$2, $3], got '$4'"
	fi
}

# check_match DESC EXTENDED-REGEX STRING
check_match() {
	if printf '%s' "$3" | grep -Eq -- "$2"; then
		ok "$1"
	else
		fail "$1: expected a match for /$2/, got: $3"
	fi
}

# jget JSON FILTER: a value from a JSON document with a jq filter
# (e.g. jget "$out" .ok); jq starts much faster than python under TCG
jget() {
	printf '%s' "$1" | jq -r "$2"
}

# ------------------------------------------------------------------ prerequisites
require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "command '$c' not found"
	done
}

require_root() {
	[ "$(id -u)" = 0 ] || skip "must run as root (inside the test VM)"
}

# The module and the CLI are the things under test: their absence is a failure,
# not a skip (a broken build must not pass the suite as "skipped").
require_splicer() {
	require_cmd jq
	[ -n "$KO_SRC" ] && return 0	# done already
	[ -f "$KO" ] || fail "module not built: $KO missing (run make)"
	[ -x "$CTL" ] || fail "CLI not built: $CTL missing (run make)"
	# Copies on the guest's tmpfs: the 9p mount has no page cache, and a test
	# may insmod and run splicerctl dozens of times.
	mkdir -p "$T/bin"
	cp "$KO" "$T/bin/splicer.ko" && cp "$CTL" "$T/bin/splicerctl" ||
		fail "cannot copy $KO and $CTL to $T/bin"
	KO_SRC=$KO CTL_SRC=$CTL
	KO=$T/bin/splicer.ko CTL=$T/bin/splicerctl
}

# ------------------------------------------------------------------ namespaces
in_cli() { ip netns exec "$NS_CLI" "$@"; }
in_lb()  { ip netns exec "$NS_LB" "$@"; }
in_srv() { ip netns exec "$NS_SRV" "$@"; }

# topo_up [NSRV]: build the three namespaces; srv gets NSRV addresses
# ($SRV_NET.2 .. $SRV_NET.(NSRV+1)), default 3.
topo_up() {
	local nsrv=${1:-3} i
	modprobe veth 2>/dev/null || true
	ip netns add "$NS_CLI" || fail "ip netns add $NS_CLI"
	ip netns add "$NS_LB" || fail "ip netns add $NS_LB"
	ip netns add "$NS_SRV" || fail "ip netns add $NS_SRV"
	TOPO_UP=1
	ip link add cli0 netns "$NS_CLI" type veth peer name lbc0 netns "$NS_LB" ||
		fail "veth cli0/lbc0"
	ip link add lbs0 netns "$NS_LB" type veth peer name srv0 netns "$NS_SRV" ||
		fail "veth lbs0/srv0"
	in_cli ip link set lo up
	in_lb ip link set lo up
	in_srv ip link set lo up
	in_cli ip addr add "$CLI_IP/24" dev cli0
	in_cli ip link set cli0 up
	in_cli ip route add default via "$LB_IP"
	in_lb ip addr add "$LB_IP/24" dev lbc0
	in_lb ip addr add "$LB_SRV_IP/24" dev lbs0
	in_lb ip link set lbc0 up
	in_lb ip link set lbs0 up
	in_lb sysctl -qw net.ipv4.ip_forward=0
	for ((i = 2; i < nsrv + 2; i++)); do
		in_srv ip addr add "$SRV_NET.$i/24" dev srv0
	done
	in_srv ip link set srv0 up
	in_srv ip route add default via "$LB_SRV_IP"
	wait_until "veth links up" 50 0.1 topo_links_up ||
		fail "veth links did not come up: $(in_lb ip -br link)"
}

topo_links_up() {
	in_cli ip -br link show cli0 | grep -q ' UP ' &&
		in_lb ip -br link show lbc0 | grep -q ' UP ' &&
		in_lb ip -br link show lbs0 | grep -q ' UP ' &&
		in_srv ip -br link show srv0 | grep -q ' UP '
}

# add_ns NAME: another namespace, deleted by cleanup; prints nothing
add_ns() {
	ip netns add "$1" || fail "ip netns add $1"
	EXTRA_NS+=("$1")
	ip netns exec "$1" ip link set lo up
}

# ------------------------------------------------------------------ polling
# wait_until DESC TRIES INTERVAL CMD...: run CMD until it succeeds, at most TRIES
# times INTERVAL seconds apart. Returns 1 if it never succeeded.
wait_until() {
	local desc=$1 tries=$2 ival=$3 i
	shift 3
	for ((i = 0; i < tries; i++)); do
		"$@" && return 0
		sleep "$ival"
	done
	info "timed out waiting for: $desc"
	return 1
}

# ------------------------------------------------------------------ background
# bg CMD...: run in the background, killed at cleanup; sets BG_PID
bg() {
	"$@" &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

kill_bg() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${BG_PIDS[@]}"; do
		# bounded: SIGKILL whatever is left after ~2 s
		wait_until "pid $p to exit" 20 0.1 pid_gone "$p" >/dev/null ||
			kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	BG_PIDS=()
}

pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# ------------------------------------------------------------------ backends
# backends_start [-n NS] NAME=ADDR:PORT...: one backend.py process (python starts
# slowly under TCG) serving every NAME on its ADDR:PORT, in NS (default srv).
# NAME's request log is $T/NAME.log (see backend_requests / backend_conns).
backends_start() {
	local ns=$NS_SRV spec args=() tag
	if [ "$1" = -n ]; then
		ns=$2
		shift 2
	fi
	for spec in "$@"; do
		args+=(--serve "$spec")
		: >>"$T/${spec%%=*}.log"
	done
	tag=backend-$#-$RANDOM
	bg ip netns exec "$ns" $PY "$LIB/backend.py" "${args[@]}" --log-dir "$T" \
		--ready "$T/$tag.ready" 2>>"$T/$tag.err"
	wait_until "backends ready" 600 0.05 test -e "$T/$tag.ready" ||
		fail "backends $* did not start: $(cat "$T/$tag.err")"
}

# backend_start NAME ADDR:PORT [NS]: a single backend
backend_start() {
	if [ $# -ge 3 ]; then
		backends_start -n "$3" "$1=$2"
	else
		backends_start "$1=$2"
	fi
}

backend_log() { printf '%s\n' "$T/$1.log"; }

# backend_requests NAME: how many request lines backend NAME has received
backend_requests() {
	grep -cE '^[A-Z]+ [^ ]+ HTTP/[0-9.]+$' "$T/$1.log" 2>/dev/null || true
}

# backend_conns NAME: how many connections backend NAME has accepted
backend_conns() {
	grep -c '^# conn from' "$T/$1.log" 2>/dev/null || true
}

# ------------------------------------------------------------------ module
mod_loaded() { [[ $'\n'$(</proc/modules) == *$'\n'"splicer "* ]]; }

# mod_load: insmod (removing a module an earlier test left behind). The first
# call notes where dmesg stands, for dump_state and mod_unload.
UNLOAD_RE='splicer: unload: conns alloc=([0-9]+) free=([0-9]+)'
UNLOADS_SEEN=
mod_load() {
	require_splicer
	if mod_loaded; then
		info "splicer already loaded (left by an earlier test): removing it"
		rmmod splicer || fail "rmmod of a leftover splicer failed"
	fi
	if [ -z "$UNLOADS_SEEN" ]; then
		DMESG_MARK=$(dmesg | wc -l)
		UNLOADS_SEEN=$(dmesg | grep -cE "$UNLOAD_RE")
	fi
	insmod "$KO" || fail "insmod $KO failed: $(dmesg | tail -5)"
	MOD_LOADED=1
}

# mod_unload: rmmod, then check that exactly one more unload line
# "splicer: unload: conns alloc=N free=M" appeared and that it shows N == M.
# Sets UNLOAD_LINE. (Few processes: it runs in loops, and every exec is slow
# under TCG.)
mod_unload() {
	local after=()
	rmmod splicer || fail "rmmod splicer failed"
	MOD_LOADED=0
	mapfile -t after <<<"$(dmesg | grep -oE "$UNLOAD_RE")"
	[ -n "${after[0]}" ] || after=()
	[ "${#after[@]}" = $((UNLOADS_SEEN + 1)) ] ||
		fail "expected one more 'splicer: unload: conns alloc=N free=M' line after rmmod: $UNLOADS_SEEN before, ${#after[@]} now"
	UNLOADS_SEEN=${#after[@]}
	UNLOAD_LINE=${after[-1]}
	[[ $UNLOAD_LINE =~ $UNLOAD_RE ]]
	[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] ||
		fail "connection leak at unload: $UNLOAD_LINE"
	ok "rmmod clean: $UNLOAD_LINE"
}

# ------------------------------------------------------------------ control
# ctl ARGS...: splicerctl in the lb namespace, echoing the command; must succeed.
# Output in CTL_OUT (also printed).
ctl() { ctl_ns "$NS_LB" "$@"; }

ctl_ns() {
	local ns=$1 rc
	shift
	printf '  + splicerctl %s\n' "$*"
	CTL_OUT=$(ip netns exec "$ns" "$CTL" "$@" 2>&1)
	rc=$?
	[ -n "$CTL_OUT" ] && printf '%s\n' "$CTL_OUT" | sed 's/^/    /'
	[ $rc = 0 ] || fail "splicerctl $* exited $rc: $CTL_OUT"
}

# ctl_try ARGS...: like ctl but may fail; sets CTL_RC, CTL_OUT (stdout+stderr)
ctl_try() {
	CTL_OUT=$(in_lb "$CTL" "$@" 2>&1)
	CTL_RC=$?
}

# ctlq ARGS...: quiet, stdout only, for reading state (e.g. ctlq -j stats)
ctlq() { in_lb "$CTL" "$@"; }

# splnl CMD [JSON]: raw netlink request from the lb namespace; prints the JSON
# result (see selftests/lib/splnl.py)
splnl() { in_lb $PY "$LIB/splnl.py" "$@"; }

# ------------------------------------------------------------------ procfs
# proc_get TABLE COLUMN KEY=VALUE...: one cell of /proc/net/splicer/TABLE in the
# lb namespace, from the row matching every KEY=VALUE (columns by header name).
# Prints nothing if no row matches.
proc_get() { proc_get_ns "$NS_LB" "$@"; }

proc_get_ns() {
	local ns=$1 table=$2 col=$3
	shift 3
	ip netns exec "$ns" cat "/proc/net/splicer/$table" 2>/dev/null |
		awk -v col="$col" -v keys="$*" '
		NR == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; nk = split(keys, kv, " "); next }
		{
			for (k = 1; k <= nk; k++) {
				split(kv[k], p, "=")
				if (!(p[1] in idx) || $(idx[p[1]]) != p[2]) next
			}
			if (col in idx) print $(idx[col])
			exit
		}'
}

# proc_rows TABLE: number of data rows in /proc/net/splicer/TABLE (lb namespace)
proc_rows() {
	in_lb cat "/proc/net/splicer/$1" 2>/dev/null | tail -n +2 | grep -c . || true
}

# conns_drained: no row left in /proc/net/splicer/conns (lb namespace)
conns_drained() { [ "$(proc_rows conns)" = 0 ]; }

# check_drained: every connection through the lb has ended, within ~10 s
check_drained() {
	wait_until "connections to drain" 100 0.1 conns_drained ||
		fail "connections left open: $(proc_rows conns) rows in /proc/net/splicer/conns, expected 0"
	ok "every connection closed (/proc/net/splicer/conns empty)"
}

# ------------------------------------------------------------------ HTTP helpers
# cli_curl ARGS...: curl from the client namespace, bounded in time
cli_curl() { in_cli curl -sS --max-time "${CURL_MAX_TIME:-30}" "$@"; }

# bash_get HOST PORT PATH COUNT: COUNT GET requests, one connection each, from
# the client namespace with bash's /dev/tcp (no curl or python start: cheap in
# loops under TCG); prints every response, CRs removed. Bounded by timeout(1).
bash_get() {
	in_cli timeout 30 bash -c '
		for ((i = 0; i < $4; i++)); do
			exec 3<>"/dev/tcp/$1/$2" || exit 1
			printf "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" "$3" "$1" >&3
			while IFS= read -r -u 3 line || [ -n "$line" ]; do
				printf "%s\n" "${line%$'"'"'\r'"'"'}"
			done
			exec 3<&-
		done' bash_get "$@"
}

# httpc MODE ARGS...: selftests/lib/httpc.py from the client namespace
httpc() { in_cli $PY "$LIB/httpc.py" "$@"; }

# ------------------------------------------------------------------ diagnostics
dump_state() {
	local f
	log "---- dmesg (since the test loaded the module, last 40 lines)"
	dmesg | tail -n +"$((DMESG_MARK + 1))" | tail -40
	if [ "$TOPO_UP" = 1 ] && ip netns list | grep -q "^$NS_LB\b"; then
		for f in /proc/net/splicer/services /proc/net/splicer/servers /proc/net/splicer/conns; do
			log "---- $f (ns $NS_LB)"
			in_lb head -50 "$f" 2>&1
		done
		if [ -x "$CTL" ] && mod_loaded; then
			log "---- splicerctl -j stats (ns $NS_LB)"
			in_lb timeout 10 "$CTL" -j stats 2>&1 | head -60
		fi
	fi
	for f in "$T"/*.log; do
		[ -e "$f" ] || continue
		log "---- tail of $f"
		tail -15 "$f"
	done
	for f in "$T"/*.err; do
		[ -s "$f" ] || continue
		log "---- $f"
		tail -15 "$f"
	done
	log "----"
}

cleanup() {
	local rc=$? ns
	trap - EXIT
	kill_bg
	if [ "$TOPO_UP" = 1 ]; then
		for ns in "$NS_CLI" "$NS_LB" "$NS_SRV"; do
			ip netns del "$ns" 2>/dev/null
		done
	fi
	for ns in "${EXTRA_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ "$MOD_LOADED" = 1 ] && mod_loaded; then
		# a test that failed half way: remove the module anyway (the runner
		# still watches the console for WARN/BUG)
		wait_until "splicer to unload" 30 0.2 rmmod splicer 2>/dev/null ||
			log "cleanup: rmmod splicer failed"
	fi
	rm -rf "$T"
	exit "$rc"
}

trap cleanup EXIT
trap 'exit 130' INT TERM
