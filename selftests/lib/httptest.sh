# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the HTTP conformance selftests (http_vectors, http_keepalive,
# websocket), sourced after selftests/lib.sh:
#
#     . "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
#     . "$LIB/httptest.sh"

# rawsrv_start [-b] NAME=ADDR:PORT...: one selftests/lib/rawsrv.py process in
# the srv namespace serving every NAME; NAME's request log is $T/NAME.log
# (lib.sh's backend_requests/backend_conns count it), every byte it received
# $T/NAME.raw. -b: return at once, rawsrv_wait waits until it listens (python
# starts slowly under TCG: start the other servers meanwhile).
RAWSRV_READY=()
rawsrv_start() {
	local spec args=() tag nowait=0
	if [ "$1" = -b ]; then
		nowait=1
		shift
	fi
	for spec in "$@"; do
		args+=(--serve "$spec")
		: >>"$T/${spec%%=*}.log"
		: >>"$T/${spec%%=*}.raw"
	done
	tag=rawsrv-$#-$RANDOM
	bg ip netns exec "$NS_SRV" $PY "$LIB/rawsrv.py" "${args[@]}" --log-dir "$T" \
		--ready "$T/$tag.ready" 2>>"$T/$tag.err"
	RAWSRV_READY+=("$tag")
	[ $nowait = 1 ] || rawsrv_wait
}

rawsrv_wait() {
	local tag
	for tag in "${RAWSRV_READY[@]}"; do
		wait_until "rawsrv ready" 600 0.05 test -e "$T/$tag.ready" ||
			fail "rawsrv did not start: $(cat "$T/$tag.err")"
	done
	RAWSRV_READY=()
}

# rawhttp FILE JSON [ARGS...]: run the exchanges of FILE (selftests/lib/rawhttp.py)
# from the client namespace against $LB_IP, one JSON line per exchange in JSON.
# Prints its report; returns its exit status (0: every exchange passed).
rawhttp() {
	local file=$1 json=$2
	shift 2
	in_cli $PY "$LIB/rawhttp.py" "$LB_IP" "$file" --json "$json" "$@"
}

# xget JSON NAME FILTER: FILTER (jq) applied to exchange NAME's result in JSON
xget() {
	jq -r --arg n "$2" "select(.name == \$n) | $3" "$1"
}

# expected_count JSON PORT STATUS: how many responses of STATUS the exchanges
# on PORT expect (from their EXPECT, not from what they got)
expected_count() {
	jq -s --argjson p "$2" --arg s "$3" \
		'[.[] | select(.port == $p) | .expect | split(",")[] | sub("/body$"; "") |
		  select(. == $s)] | length' "$1"
}
