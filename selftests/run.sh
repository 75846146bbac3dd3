#!/usr/bin/env bash
# The `make check` driver.
#
#   selftests/run.sh [NAME]       (make check [T=NAME])
#
# Builds everything (make all kunit), then runs the KUnit suites in one VM and
# every selftests/*.sh (except lib*.sh and this file) in a VM of its own.
# Prints a TAP-like line per test -- each KUnit case counts as one:
#   ok N name | not ok N name | ok N name # SKIP
# and at the end "N passed, N failed[, N skipped]". Exits 1 on any failure.
#
# splicerctl's unit tests (ctl/tests, on the host) run too, "ctl-NAME" each.
# The fuzzers (selftests/fuzz/run.sh, on the host) run too, one result
# "fuzz-HARNESS" each, SPLICER_FUZZ_SECONDS (default 20) each; NAME=fuzz runs
# only them, NAME=fuzz-HARNESS only that one.
#
# NAME runs only selftests/NAME.sh if it exists, else only the KUnit suites
# matching NAME ("SUITE_GLOB" or "SUITE_GLOB.CASE_GLOB"); NAME=kunit runs all
# KUnit suites and no selftest.
#
# A selftest exits 0 (pass), 4 (skip) or anything else (fail); its VM is
# bounded by SPLICER_TEST_TIMEOUT seconds (default 600), or by a line
# "# vm-timeout: SECONDS" in the test itself. Logs: build/vm/logs/<name>.log.
# Selftests run SPLICER_JOBS VMs at a time (default: the number of CPUs).
# Last, the benchmark's short scenario (bench/run.sh --quick), one result
# "bench": every system produced figures, never how fast; NAME=bench runs
# only it.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly TOP
readonly LOGS=$TOP/build/vm/logs
readonly VM=$TOP/selftests/vm/run.sh
readonly EXIT_SKIP=4

n=0 passed=0 failed=0 skipped=0

# report ok|fail|skip NAME [DETAIL]
report() {
	n=$((n + 1))
	case "$1" in
	ok) passed=$((passed + 1)); echo "ok $n $2" ;;
	skip) skipped=$((skipped + 1)); echo "ok $n $2 # SKIP${3:+ $3}" ;;
	*) failed=$((failed + 1)); echo "not ok $n $2" ;;
	esac
}

# The end of a failed test's log, indented so it cannot pass for a result line.
show_log() {
	local log=$1
	echo "# log: $log"
	tr -d '\r' < "$log" | tail -n "${SPLICER_LOG_LINES:-40}" | sed 's/^/#   /'
}

build() {
	local log=$LOGS/build.log
	if make -C "$TOP" --no-print-directory all kunit > "$log" 2>&1; then
		return 0
	fi
	report fail build
	show_log "$log"
	return 1
}

# Run the KUnit suites in one VM; one result per case.
run_kunit() {
	local filter=$1 log=$LOGS/kunit.log rc=0 line status name
	local -a args=()
	[ -z "$filter" ] || args=("$filter")
	"$VM" -q --timeout "${SPLICER_TEST_TIMEOUT:-300}" --log "$log" \
		"$TOP/selftests/kunit/run-guest.sh" "${args[@]}" > "$log.runner" 2>&1 || rc=$?
	local results=0 case_failed=0
	while read -r line; do
		line=${line#KUNIT-RESULT: }
		case "$line" in
		"not ok "*) status=fail; name=${line#not ok } ;;
		"skip "*) status=skip; name=${line#skip } ;;
		"ok "*) status=ok; name=${line#ok } ;;
		*) continue ;;
		esac
		results=$((results + 1))
		if [ $status = skip ]; then
			report skip "kunit.${name%% # SKIP*}" "${name#* # SKIP }"
		else
			report $status "kunit.$name"
			[ $status = ok ] || case_failed=1
		fi
	done < <(tr -d '\r' < "$log" | grep -a '^KUNIT-RESULT: ')
	# The run as a whole fails too when no failed case explains it: nothing
	# ran, or a crash, a timeout or a load failure.
	if [ $results = 0 ] || { [ $rc != 0 ] && { [ $case_failed = 0 ] || [ $rc -ge 124 ]; }; }; then
		report fail "kunit (exit $rc)"
		sed 's/^/# /' "$log.runner"
	fi
	[ $rc = 0 ] && return
	if [ $rc -lt 124 ]; then
		# The guest script's own lines: diagnostics and failed results.
		echo "# log: $log"
		tr -d '\r' < "$log" | grep -a -E '^(  \| |kunit: |KUNIT-RESULT: not ok|insmod)' |
			sed 's/^/#   /'
	else
		show_log "$log"
	fi
}

# Run one selftests/NAME.sh in its own VM; its exit status goes to NAME.rc.
run_vm() {
	local test=$1 name log rc=0 limit
	name=$(basename "$test" .sh)
	log=$LOGS/$name.log
	limit=$(sed -n 's/^# *vm-timeout: *\([0-9][0-9]*\).*/\1/p' "$test" | head -n 1)
	"$VM" -q --timeout "${limit:-${SPLICER_TEST_TIMEOUT:-600}}" --log "$log" "$test" \
		> "$log.runner" 2>&1 || rc=$?
	echo $rc > "$LOGS/$name.rc"
}

# Report a test run_vm() ran.
report_selftest() {
	local name log rc
	name=$(basename "$1" .sh)
	log=$LOGS/$name.log
	rc=$(cat "$LOGS/$name.rc" 2>/dev/null || echo 126)
	case $rc in
	0) report ok "$name" ;;
	"$EXIT_SKIP") report skip "$name" ;;
	*)
		report fail "$name (exit $rc)"
		show_log "$log"
		sed 's/^/# /' "$log.runner"
		;;
	esac
}

run_selftest() {
	run_vm "$1"
	report_selftest "$1"
}

# Every selftest, SPLICER_JOBS VMs at a time (default: one per CPU; each
# VM is one TCG vCPU). Results are reported in the usual order.
run_selftests() {
	local jobs=${SPLICER_JOBS:-$(nproc)} t
	local -a tests
	mapfile -t tests < <(list_selftests)
	for t in "${tests[@]}"; do
		rm -f "$LOGS/$(basename "$t" .sh).rc"
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n || true
		done
		run_vm "$t" &
	done
	wait
	for t in "${tests[@]}"; do
		report_selftest "$t"
	done
}

# The libFuzzer harnesses on the host (pure user-space code): one result each.
run_fuzz() {
	local only=$1 name log rc found=0
	for name in $("$TOP/selftests/fuzz/run.sh" --list); do
		[ -z "$only" ] || [ "$only" = "$name" ] || continue
		found=1
		log=$LOGS/fuzz-$name.log
		rc=0
		"$TOP/selftests/fuzz/run.sh" "${SPLICER_FUZZ_SECONDS:-20}" "$name" > "$log" 2>&1 || rc=$?
		if [ $rc = 0 ]; then
			report ok "fuzz-$name"
		else
			report fail "fuzz-$name (exit $rc)"
			show_log "$log"
		fi
	done
	[ $found = 1 ] || report fail "fuzz-$only (no such harness)"
}

# splicerctl's unit tests on the host (ctl/tests/*_test.c): one result each.
run_ctl_unit() {
	local t log rc
	make -s -C "$TOP/ctl" $(cd "$TOP/ctl" && ls tests/*_test.c | sed 's/\.c$//') \
		> "$LOGS/ctl-build.log" 2>&1 || { report fail "ctl-unit (build)"; show_log "$LOGS/ctl-build.log"; return; }
	for t in "$TOP"/ctl/tests/*_test.c; do
		t=$(basename "$t" .c)
		log=$LOGS/ctl-$t.log
		rc=0
		(cd "$TOP/ctl" && "./tests/$t") > "$log" 2>&1 || rc=$?
		if [ $rc = 0 ]; then
			report ok "ctl-$t"
		else
			report fail "ctl-$t (exit $rc)"
			show_log "$log"
		fi
	done
}

# The benchmark's short scenario in its deterministic VM: one result.
run_bench() {
	local log=$LOGS/bench.log rc=0
	"$TOP/bench/run.sh" --quick > "$log" 2>&1 || rc=$?
	if [ $rc = 0 ]; then
		report ok bench
	else
		report fail "bench (exit $rc)"
		show_log "$log"
	fi
}

# selftests/*.sh but lib*.sh and this driver.
list_selftests() {
	local t
	for t in "$TOP"/selftests/*.sh; do
		[ -f "$t" ] || continue
		case "$(basename "$t")" in
		lib*.sh | run.sh) continue ;;
		esac
		echo "$t"
	done
}

main() {
	local only=${1:-} t
	mkdir -p "$LOGS"
	cd "$TOP"
	if build; then
		if [ -n "$only" ] && [ -f "$TOP/selftests/$only.sh" ]; then
			run_selftest "$TOP/selftests/$only.sh"
		elif [ "$only" = fuzz ]; then
			run_fuzz ""
		elif [ "$only" = bench ]; then
			run_bench
		elif [ "${only#fuzz-}" != "$only" ]; then
			run_fuzz "${only#fuzz-}"
		else
			[ "$only" = kunit ] && only=""
			run_kunit "$only"
			if [ -z "${1:-}" ]; then
				run_ctl_unit
				make -s -C "$TOP/handshaked" check > "$LOGS/handshaked.log" 2>&1 && report ok handshaked || { report fail handshaked; show_log "$LOGS/handshaked.log"; }
				run_fuzz ""
				run_selftests
				run_bench
			fi
		fi
	fi
	local summary="$passed passed, $failed failed"
	[ $skipped = 0 ] || summary+=", $skipped skipped"
	echo "$summary"
	[ $failed = 0 ]
}

main "$@"
