#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build and run the libFuzzer harnesses of kmod/http.c, on the host.
#
#   selftests/fuzz/run.sh [SECONDS] [HARNESS...]   each HARNESS (default: all)
#                                                   for SECONDS (default 20)
#   selftests/fuzz/run.sh --list                    the harnesses' names
#
# `make check` runs each harness for 20 s as one result "fuzz-NAME"
# (SPLICER_FUZZ_SECONDS changes it); `make fuzz` runs them 300 s each
# (FUZZ_SECONDS). Packages: scripts/deps.sh fuzz (clang-14, libFuzzer).
#
# Harnesses (selftests/fuzz/NAME.c): request (request heads, whole and in
# random segments), response (response heads and the body after them),
# chunked (the body decoder against a reference decoder, in any
# segmentation), rewrite (request head rewriting), cookie (kmod/cookie.c:
# cookies, Set-Cookie, fields and parameters found and edited, against a
# reference, on every accepted head).
#
# Each starts from its seeds, selftests/fuzz/corpus/NAME/ (the KUnit
# vectors, written by gen-corpus.py: run it after changing the KUnit tables,
# this script refuses stale seeds), plus what earlier runs found in
# build/fuzz/corpus/NAME/, where new inputs go. A crash, a sanitizer report
# or a failed CHECK stops the harness: the input is saved under
# build/fuzz/artifacts/NAME/, its path printed, and the script exits 1.
# Reproduce with `build/fuzz/NAME PATH`; then copy the input to
# selftests/fuzz/corpus/NAME/crash-<what> and add a KUnit case for it.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly TOP
readonly HERE=$TOP/selftests/fuzz
readonly OUT=$TOP/build/fuzz

harnesses() {
	make -s -C "$HERE" list
}

# run_one NAME SECONDS: 0 when clean, 1 on a finding.
run_one() {
	local name=$1 secs=$2 log=$OUT/$1.log rc=0 crash
	mkdir -p "$OUT/corpus/$name" "$OUT/artifacts/$name"
	"$OUT/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=16384 -use_value_profile=1 -print_final_stats=1 \
		-dict="$HERE/http.dict" -artifact_prefix="$OUT/artifacts/$name/" \
		"$OUT/corpus/$name" "$HERE/corpus/$name" > "$log" 2>&1 || rc=$?
	if [ $rc = 0 ]; then
		echo "fuzz-$name: ok, $(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
			tail -n 1) runs" \
			"in ${secs}s, $(grep -a -o 'cov: [0-9]* ft: [0-9]* corp: [0-9/a-zA-Z]*' "$log" |
			tail -n 1)"
		return 0
	fi
	crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	echo "fuzz-$name: FAILED (exit $rc); log: $log"
	grep -a -E 'ERROR: |CHECK failed|runtime error|SUMMARY' "$log" | head -n 5 | sed 's/^/  /'
	echo "fuzz-$name: crashing input: ${crash:-(none written)}"
	echo "fuzz-$name: reproduce: $OUT/$name ${crash:-INPUT}"
	return 1
}

main() {
	if [ "${1:-}" = --list ]; then
		harnesses
		return
	fi
	local secs=${1:-20} failed=0 name
	[ $# = 0 ] || shift
	case $secs in
	'' | *[!0-9]*) echo "usage: $0 [SECONDS] [HARNESS...] | --list" >&2; return 2 ;;
	esac
	local -a names
	if [ $# -gt 0 ]; then names=("$@"); else read -r -a names < <(harnesses); fi

	"$TOP/scripts/deps.sh" fuzz
	make -s -C "$HERE" OUT="$OUT"
	python3 "$HERE/gen-corpus.py" --check
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	[ ! -x /usr/bin/llvm-symbolizer-14 ] ||
		export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-/usr/bin/llvm-symbolizer-14}
	for name in "${names[@]}"; do
		if [ ! -f "$HERE/$name.c" ]; then
			echo "fuzz-$name: no such harness ($(harnesses))" >&2
			failed=1
			continue
		fi
		run_one "$name" "$secs" || failed=1
	done
	return $failed
}

main "$@"
