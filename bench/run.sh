#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# splicer beside a direct connection, HAProxy and nginx, in a deterministic VM.
#
#   bench/run.sh            (make bench) every scenario; about 25 minutes of
#                           QEMU's CPU time (the wall time on an idle host; a
#                           busy host stretches it, not the figures); writes
#                           bench/results.json and, from it,
#                           Documentation/performance.md
#   bench/run.sh --quick    (make check) one short scenario; writes
#                           build/bench/quick.json and checks that every
#                           system produced figures (never how fast)
#
# Needs kmod/splicer.ko, ctl/splicerctl and (full) handshaked/splicer-
# handshaked built (make). Installs the packages it needs (scripts/deps.sh
# vm bench tls). The VM runs bench/guest.sh under selftests/vm/run.sh
# --bench; its console is build/bench/MODE.log. SPLICER_BENCH_TIMEOUT
# bounds the VM (seconds of wall time, default 10800 full, 1800 quick:
# generous, for busy hosts). For work on the benchmark itself,
# SPLICER_BENCH_POOLS ("1 10"), SPLICER_BENCH_SCENARIOS ("ka-1k ka-1m
# tls-close-1k rules-ka-1k"), SPLICER_BENCH_SYSTEMS ("splicer haproxy"),
# SPLICER_BENCH_RULES (rule counts, "1 1000") and SPLICER_BENCH_IDLE
# (connections, 0 for none) shrink a full run; its results then stay in
# build/bench/full.json. SPLICER_BENCH_TRACE=1 traces the guest script
# (set -x) on the console.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly TOP
readonly OUT=$TOP/build/bench

die() {
	echo "bench: $*" >&2
	exit 1
}

mode=full
case "${1:-}" in
"") ;;
--quick) mode=quick ;;
*) sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac

"$TOP/scripts/deps.sh" vm bench tls
[ -f "$TOP/kmod/splicer.ko" ] && [ -x "$TOP/ctl/splicerctl" ] ||
	die "kmod/splicer.ko or ctl/splicerctl missing: run make first"
[ $mode = quick ] || [ -x "$TOP/handshaked/splicer-handshaked" ] ||
	die "handshaked/splicer-handshaked missing (the TLS scenarios): run make first"
mkdir -p "$OUT"

log=$OUT/$mode.log
json=$OUT/$mode.json
if [ $mode = full ]; then
	timeout=${SPLICER_BENCH_TIMEOUT:-10800}
	echo "bench: every scenario in a deterministic VM (about 25 minutes of CPU); console: $log"
else
	timeout=${SPLICER_BENCH_TIMEOUT:-1800}
fi

# What is measured: the tree as the VM starts (others may commit meanwhile)
commit=$(git -C "$TOP" rev-parse HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$TOP" status --porcelain -- kmod ctl handshaked 2>/dev/null | awk '{ print $2 }' |
	paste -sd ' ')
start=$SECONDS
rc=0
# The console is long (kernel messages included): show the steps only, each
# with the wall time and QEMU's CPU time so far.
progress() {
	local line qemu="" p cpu=0 hz
	hz=$(getconf CLK_TCK)
	while IFS= read -r line; do
		line=${line%$'\r'}
		case "$line" in
		"== "* | "  .. "* | "  ok "* | FAIL* | PASS*) ;;
		*) continue ;;
		esac
		if [ -z "$qemu" ]; then
			for p in $(pgrep -f -- "file:$log"); do
				[ "$(cat "/proc/$p/comm" 2>/dev/null)" != qemu-system-x86 ] || qemu=$p
			done
		fi
		[ -z "$qemu" ] || cpu=$(awk -v hz="$hz" '{ printf "%d", ($14 + $15) / hz }' \
			"/proc/$qemu/stat" 2>/dev/null || echo "$cpu")
		printf '%4dm%02ds wall %4dm%02ds cpu %s\n' $(((SECONDS - start) / 60)) \
			$(((SECONDS - start) % 60)) $((cpu / 60)) $((cpu % 60)) "$line"
	done
}
rm -f "$log"
"$TOP/selftests/vm/run.sh" -q --bench --mem 3072 --timeout "$timeout" --log "$log" \
	"$TOP/bench/guest.sh" "$mode" 2>"$log.runner" &
vm=$!
if [ $mode = full ]; then
	tail -n +1 -F --pid=$vm "$log" 2>/dev/null | progress | tee "$OUT/$mode.steps" &
fi
wait $vm || rc=$?
wait	# for the progress display
wall=$((SECONDS - start))
# The CPU time QEMU used (children's, mostly its): the wall time on an idle
# host. On a busy one the wall time is longer, the figures the same.
times >"$OUT/$mode.times"	# not in a pipe: a subshell has its own times
cpu=$(awk 'END { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$OUT/$mode.times")
cat "$log.runner" >&2
[ "$rc" = 0 ] || {
	tr -d '\r' <"$log" | grep -a -v '^BENCH-' | tail -n 40 >&2
	die "the benchmark VM failed (exit $rc); console: $log"
}

python3 "$TOP/bench/report.py" collect --log "$log" --wall-seconds "$wall" --cpu-seconds "$cpu" \
	--command "$([ $mode = full ] && echo 'make bench' || echo 'bench/run.sh --quick')" \
	--qemu "$(qemu-system-x86_64 --version | head -n 1)" \
	--host-cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
	--commit "$commit" --dirty "$dirty" \
	>"$json"
python3 "$TOP/bench/report.py" check "$json"
partial=$(env | grep -E '^SPLICER_BENCH_(POOLS|SCENARIOS|SYSTEMS|RULES|IDLE)=' || true)
if [ $mode = full ] && [ -n "$partial" ]; then
	python3 "$TOP/bench/report.py" markdown "$json" >"$OUT/performance.md"
	echo "bench: a partial run ($(echo $partial)): $json, $OUT/performance.md"
elif [ $mode = full ]; then
	cp "$json" "$TOP/bench/results.json"
	python3 "$TOP/bench/report.py" markdown "$TOP/bench/results.json" \
		>"$TOP/Documentation/performance.md"
	echo "bench: wrote bench/results.json and Documentation/performance.md (${wall}s, ${cpu}s of CPU)"
else
	echo "bench: every system produced figures (${wall}s, ${cpu}s of CPU); $json"
fi
