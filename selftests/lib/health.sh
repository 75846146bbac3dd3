# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of the health-checking selftests (selftests/health_*.sh), sourced
# after selftests/lib.sh:
#
#   health_set POOL JSON     the pool's HEALTH nest (POOL_SET through
#                            selftests/lib/splnl.py: the kernel ABI itself)
#   lb_watch                 a process in the lb namespace whose /proc/PID/net
#                            is the lb's: srv_row reads it without an exec
#   srv_row POOL NAME        one row of /proc/net/splicer/servers into R_*
#                            (R_HEALTH, R_CHECKS, R_CHECKS_FAILED, R_DOWNS,
#                            R_PASSIVE, R_FAILS, R_LAST (last_check, spaces
#                            kept), R_STATE, R_CONNS, R_REQUESTS, R_LATENCY)
#   wait_health POOL NAME up|down MAX_MS
#                            poll (bounded by MAX_MS) until the server's health
#                            is that; WAITED_MS = ms from MARK_MS (set by mark)
#   mark                     MARK_MS = now, the start of a measurement
#   now_ms                   NOW_MS = the wall clock in ms (no subshell)
#   hlog_start / hlog_stop   selftests/lib/healthlog.py following the decision
#                            log in the lb namespace into $HLOG (JSON lines);
#                            hlog_spawn + hlog_wait: the same in two halves
#   hrecs JQ-COND            the HEALTH records where COND holds
#   get_n PORT N            N requests through the lb with bash; GOT_OK,
#                            got_from NAME
#   flaky_start NAME=ADDR:PORT...
#                            one selftests/lib/flaky.py serving them (pid in
#                            FLAKY_PID); flaky_set NAME WORDS rewrites NAME's
#                            control file; flaky_probes NAME [ADDR] counts
#                            probe requests (User-Agent splicer-health) in its
#                            access log, flaky_hits NAME those of traffic (GET
#                            /), flaky_last_probe NAME [ADDR] the time of the
#                            last probe

HLOG=$T/hlog.log	# *.log: dump_state shows its tail

# nap SECONDS: sleep without a process (read's timeout on a FIFO nobody
# writes): polls stay fast when the VM is busy
mkfifo "$T/nap.fifo" && exec {NAP_FD}<>"$T/nap.fifo" || fail "mkfifo $T/nap.fifo"
nap() { read -r -t "$1" -u "$NAP_FD" _; }

health_set() {
	local out
	out=$(splnl POOL_SET "{\"POOL\": {\"NAME\": \"$1\", \"HEALTH\": $2}}") ||
		fail "POOL_SET $1 HEALTH $2 refused: $out"
	info "pool $1: health $2"
}

in_ns_inode() { [ "$(stat -L -c %i "/proc/$1/ns/net" 2>/dev/null)" = "$2" ]; }

lb_watch() {
	local want
	bg ip netns exec "$NS_LB" sleep 100000
	LB_WATCH=$BG_PID
	want=$(stat -L -c %i "/run/netns/$NS_LB")
	wait_until "the watcher to enter $NS_LB" 600 0.05 in_ns_inode "$LB_WATCH" "$want" ||
		fail "the watcher did not enter $NS_LB"
	LB_PROC=/proc/$LB_WATCH/net/splicer
}

srv_row() {
	local pool name addr port weight maxconn state conns active requests bin bout cfail
	local health fails checks cfailed latency downs passive last data
	# the whole file in one pass of reads: read line by line, bash seeks back
	# after each line, and the kernel makes the text again for each seek
	# (counters moving in between would shift the lines)
	IFS= read -r -d '' data <"$LB_PROC/servers"
	while read -r pool name addr port weight maxconn state conns active requests bin bout \
		cfail health fails checks cfailed latency downs passive last; do
		[ "$pool" = "$1" ] && [ "$name" = "$2" ] || continue
		R_STATE=$state R_CONNS=$conns R_REQUESTS=$requests R_HEALTH=$health R_FAILS=$fails
		R_CHECKS=$checks R_CHECKS_FAILED=$cfailed R_LATENCY=$latency R_DOWNS=$downs
		R_PASSIVE=$passive R_LAST=$last
		return 0
	done <<<"$data"
	R_HEALTH=missing R_STATE= R_CONNS= R_REQUESTS= R_FAILS= R_CHECKS= R_CHECKS_FAILED=
	R_LATENCY= R_DOWNS= R_PASSIVE= R_LAST=
	return 1
}

# srv_show POOL NAME: the row, in words, for info lines
srv_show() {
	srv_row "$1" "$2"
	printf '%s/%s: state %s health %s checks %s failed %s fails-in-a-row %s downs %s passive %s latency %sus last "%s"' \
		"$1" "$2" "$R_STATE" "$R_HEALTH" "$R_CHECKS" "$R_CHECKS_FAILED" "$R_FAILS" \
		"$R_DOWNS" "$R_PASSIVE" "$R_LATENCY" "$R_LAST"
}

now_ms() {
	local t=${EPOCHREALTIME/./}
	NOW_MS=$((10#$t / 1000))
}

mark() {
	now_ms
	MARK_MS=$NOW_MS
}

wait_health() {
	local pool=$1 name=$2 want=$3 max=$4 i
	for ((i = 0; i < 100000; i++)); do
		srv_row "$pool" "$name"
		now_ms
		WAITED_MS=$((NOW_MS - MARK_MS))
		[ "$R_HEALTH" = "$want" ] && return 0
		[ "$WAITED_MS" -gt "$max" ] && break
		nap 0.05
	done
	info "timed out after ${WAITED_MS} ms waiting for $pool/$name to be $want: $(srv_show "$pool" "$name")"
	return 1
}

# wait_checks POOL NAME N MAX_S: until the server has run at least N probes
checks_at_least() { srv_row "$1" "$2" && [ "$R_CHECKS" -ge "$3" ]; }
wait_checks() {
	wait_until "$1/$2 to run $3 probes" $(($4 * 10)) 0.1 checks_at_least "$1" "$2" "$3" ||
		fail "$1/$2 ran fewer than $3 probes in $4 s: $(srv_show "$1" "$2")"
}

hlog_start() {
	hlog_spawn
	hlog_wait
}

# hlog_spawn, then hlog_wait: the slow start of python overlaps other work
hlog_spawn() {
	bg ip netns exec "$NS_LB" $PY "$LIB/healthlog.py" --ready "$T/hlog.ready" \
		>"$HLOG" 2>"$T/hlog.err"
	HLOG_PID=$BG_PID
}

hlog_wait() {
	wait_until "the log reader to join" 600 0.05 test -e "$T/hlog.ready" ||
		fail "healthlog.py did not join the log group: $(cat "$T/hlog.err")"
}

hlog_stop() {
	kill "$HLOG_PID" 2>/dev/null
	wait_until "the log reader to exit" 50 0.1 pid_gone "$HLOG_PID"
}

hrecs() { jq -c "select(.kind == \"health\" and ($1))" "$HLOG" 2>/dev/null; }
nhrecs() { hrecs "$1" | grep -c .; }
has_hrecs() { [ "$(nhrecs "$2")" -ge "$1" ]; }

# wait_hrec DESC COND: until a HEALTH record matching COND is in (bounded);
# HREC = the last such record
wait_hrec() {
	wait_until "$1" 100 0.1 has_hrecs 1 "$2" ||
		fail "$1: no HEALTH record where $2 in the log: $(grep -c . "$HLOG") records; $(tail -3 "$HLOG")"
	HREC=$(hrecs "$2" | tail -n 1)
	info "log: $HREC"
}

# hrec_ms: HREC's time, in ms after MARK_MS, into HREC_MS
hrec_ms() {
	HREC_MS=$(($(jget "$HREC" '.time / 1000000 | floor') - MARK_MS))
}

# wait_change POOL NAME up|down BOUND_MS: the server's health becomes that;
# its HEALTH record is logged within BOUND_MS of MARK_MS (the kernel's own
# time of the change: the measurement), and /proc shows it within BOUND_MS +
# LAG_MS (what polling from a busy VM adds). Prints both; sets HREC, HREC_MS,
# WAITED_MS.
LAG_MS=${LAG_MS:-2000}
wait_change() {
	local pool=$1 name=$2 want=$3 bound=$4
	wait_health "$pool" "$name" "$want" $((bound + LAG_MS)) ||
		fail "$pool/$name not $want within $((bound + LAG_MS)) ms"
	wait_hrec "$pool/$name $want record" \
		".pool == \"$pool\" and .server == \"$name\" and .health == \"$want\" and .time / 1000000 >= $MARK_MS"
	hrec_ms
	info "$pool/$name $want ${HREC_MS} ms after the mark by the decision log's time; seen in /proc after ${WAITED_MS} ms"
	check_range "$pool/$name $want: ms from the mark to the change (bound $bound)" 0 "$bound" "$HREC_MS"
}

# check_log_matches POOL/NAME...: every change of each server is in the log:
# its HEALTH records go down, up, down, ... as many downs as its downs
# counter, ending where its health is now; and every HEALTH record gives a
# cause in words
CAUSE_RE='^([0-9]+ probes? (failed|passed) in a row \\(last: .+\\)|passive: [0-9]+ errors within [0-9]+ ms \\(last: .+\\))$'
check_log_matches() {
	local ps want i n
	for ps in "$@"; do
		srv_row "${ps%/*}" "${ps#*/}" || fail "no server $ps"
		want=
		for ((i = 0; i < R_DOWNS; i++)); do
			want+=" down up"
		done
		[ "$R_HEALTH" = down ] && want=${want% up}
		check_eq "$ps: HEALTH records, against downs $R_DOWNS and health $R_HEALTH now" \
			"${want# }" \
			"$(hrecs ".pool == \"${ps%/*}\" and .server == \"${ps#*/}\"" | jq -r .health | xargs)"
	done
	n=$(nhrecs true)
	check_eq "HEALTH records with a cause in words" "$n" \
		"$(hrecs ".reason | test(\"$CAUSE_RE\")" | grep -c .)"
}

# no_overflow: the reader lost nothing
no_overflow() {
	! grep -q '"kind": "overflow"' "$HLOG" ||
		fail "the log reader lost records (ENOBUFS): cannot tell every change was logged"
}

# get_n PORT N: N GETs of / on the lb, a new connection each, with bash (no
# python to start); GOT_OK = how many were answered 200; got_from NAME: how
# many NAME answered (its X-Server)
get_n() {
	GOT_OUT=$(bash_get "$LB_IP" "$1" / "$2")
	GOT_OK=$(grep -c '^HTTP/1.1 200 ' <<<"$GOT_OUT")
	info "$GOT_OK of $2 answered 200: $(sed -n 's/^X-Server: //p' <<<"$GOT_OUT" | sort | uniq -c | xargs)"
}
got_from() { grep -c "^X-Server: $1\$" <<<"$GOT_OUT"; }

flaky_start() {
	flaky_spawn "$@"
	flaky_wait "$FLAKY_TAG"
}

# flaky_spawn NAME=ADDR:PORT...: start one without waiting (FLAKY_PID,
# FLAKY_TAG); flaky_wait TAG: until it listens
flaky_spawn() {
	local spec args=()
	for spec in "$@"; do
		args+=(--serve "$spec")
		: >>"$T/${spec%%=*}.log"
	done
	FLAKY_TAG=flaky-$RANDOM
	bg ip netns exec "$NS_SRV" $PY "$LIB/flaky.py" "${args[@]}" --dir "$T" \
		--ready "$T/$FLAKY_TAG.ready" 2>>"$T/$FLAKY_TAG.err"
	FLAKY_PID=$BG_PID
}

flaky_wait() {
	wait_until "flaky backends ready" 600 0.05 test -e "$T/$1.ready" ||
		fail "flaky.py did not start: $(cat "$T/$1.err")"
}

flaky_set() {
	printf '%s\n' "$2" >"$T/$1.ctl.tmp" && mv -f "$T/$1.ctl.tmp" "$T/$1.ctl" ||
		fail "cannot write $T/$1.ctl"
	info "backend $1: $2"
}

flaky_probes() {
	awk -v a="${2:-}" '$1 == "req" && $7 == "splicer-health" && (a == "" || $3 == a) { n++ }
		END { print n + 0 }' "$T/$1.log"
}

flaky_hits() {
	awk '$1 == "req" && $5 == "/" { n++ } END { print n + 0 }' "$T/$1.log"
}

flaky_last_probe() {
	awk -v a="${2:-}" '$1 == "req" && $7 == "splicer-health" && (a == "" || $3 == a) { t = $2 }
		END { print t + 0 }' "$T/$1.log"
}
