#!/usr/bin/env bash
# Guest side of the KUnit run (inside the VM, via selftests/vm/run.sh):
#
#   selftests/vm/run.sh selftests/kunit/run-guest.sh [FILTER]
#
# Loads build/kunit/<kver>/kunit.ko and kmod/tests/splicer_kunit.ko (its
# module_init runs the suites; FILTER is "SUITE_GLOB" or
# "SUITE_GLOB.CASE_GLOB"), unloads it again, reads the KTAP output from the
# kernel log and prints one line per case:
#   KUNIT-RESULT: ok|not ok|skip <suite>.<case>
# with the failing cases' diagnostics before them. Exits 1 if any case or suite
# failed or nothing ran, 0 otherwise.
set -euo pipefail

top=${SPLICER_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
filter=${1:-}
kunit_ko=$top/build/kunit/$(uname -r)/kunit.ko
tests_ko=$top/kmod/tests/splicer_kunit.ko

for ko in "$kunit_ko" "$tests_ko"; do
	[ -f "$ko" ] || { echo "kunit: $ko missing: run 'make kunit'"; exit 1; }
done

# KTAP as 6.1's KUnit prints it for suites registered by a module:
#       KTAP version 1
#       # Subtest: <suite>
#       1..<cases>
#       # <case>: EXPECTATION FAILED at ...       (diagnostics, any indentation)
#       ok|not ok <n> <case>[ # SKIP <why>]
#   ok|not ok <n> <suite>
# Prints a result line per case, after the diagnostics of failed ones; the
# exit status says whether all passed.
parse_ktap() {
	awk '
	function flush_diag() { printf "%s", diag; diag = "" }
	/^    # Subtest: / { suite = $3; diag = ""; next }
	/^ *KTAP version / || /^    1\.\.[0-9]+$/ { next }
	/^    (ok|not ok) [0-9]+ / {
		line = substr($0, 5)
		ok = (line ~ /^ok /)
		sub(/^(ok|not ok) [0-9]+ /, "", line)
		name = line; sub(/ # SKIP.*/, "", name)
		status = !ok ? "not ok" : (line ~ / # SKIP/ ? "skip" : "ok")
		if (!ok) { flush_diag(); failed++ }
		diag = ""
		printf "KUNIT-RESULT: %s %s.%s%s\n", status, suite, name,
			(status == "skip" ? substr(line, length(name) + 1) : "")
		cases++
		next
	}
	/^not ok [0-9]+ / { flush_diag(); print "kunit: suite failed: " $0; failed++; next }
	/^ok [0-9]+ / { diag = ""; next }
	{ diag = diag "  | " $0 "\n" }
	END {
		if (cases == 0) { print "kunit: no test case ran"; exit 1 }
		exit failed > 0
	}'
}

main() {
	local rc=0 log=/tmp/kunit.dmesg
	dmesg -C
	insmod "$kunit_ko"
	# shellcheck disable=SC2086 # no filter: no argument
	insmod "$tests_ko" ${filter:+"filter=$filter"} || rc=$?
	if [ $rc = 0 ]; then
		rmmod splicer_kunit || rc=$?
	else
		echo "kunit: insmod splicer_kunit.ko ${filter:+filter=$filter} failed ($rc):"
		dmesg --notime | grep -a 'splicer_kunit' || true
	fi
	rmmod kunit || true
	dmesg --notime > "$log"
	parse_ktap < "$log" || rc=1
	return $rc
}

main
