#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A spliced flow keeps its local port. The lb namespace gets two ephemeral
# ports, net.ipv4.ip_local_port_range "40000 40001" (per netns; what
# connect() of splicer's kernel sockets draws from), and one server,
# s1 198.18.1.2:8080, behind two services: web (splice on) and web2 (splice
# off, relayed). Asserts:
#  - a GET of 32 MiB through web, held open (the client stops reading at
#    4 MiB): spliced, with its offsets; its server-side port P_L (the
#    server's ss) is one of the two; the lb namespace shows its parked
#    socket there (ss: ESTAB 198.18.1.1:P_L -> 198.18.1.2:8080);
#  - while it is held, 20 short GETs with Connection: close through web2
#    (relayed), one at a time, then 12 keep-alive GETs through web
#    (spliced, each parking the other port through its linger), 3 at a
#    time: each answered 200 with the right body or a clean 503 (splicer's
#    own, the log saying "no local address": a connect() that found P_L
#    taken), at least one 200 each, never a 504, a timeout or a wrong body;
#    ss sampled all along: on the lb side no socket but the parked one ever
#    has port P_L, and the parked one is there in every sample; on the
#    server's side the long flow is the only connection from P_L,
#    established;
#  - a second held GET (H) takes the other port, P_H, parked the same way;
#    with both ports held, 3 requests get 503 at once ("no local address");
#  - the long GET resumes: HTTP 200, 33554432 bytes, sha256 = the backend's
#    X-Blob-Sha256; polled from its go on: its parked socket stays while
#    the flow runs and lingers (ss read before /proc/net/splicer/conns:
#    never gone while the row still shows the splice's offsets), the row
#    shows " closing" at least once, and the socket goes with the flow:
#    L's log record (written as it is released) comes 4.5 to 15 s after
#    the client closed (the linger is 5 s from both FINs); a request made
#    while the row shows " closing" gets 503 (H holds the other port), or,
#    if answered, the linger was over by then (the row without the splice);
#  - the port is given back: a third held GET (L2), started once it is
#    free, is answered 200 and is parked on P_L, the only free port;
#  - H and L2 complete with the right sha256; every connection freed; no
#    504 in /proc/net/splicer/services, no 504 log record, every 503 record
#    says "no local address", their counts match the clients'; no splice
#    fallback; rmmod clean.
# Why it fails on the old behaviour (the server-side socket closed in repair
# mode at the splice): P_L is free at once; connect() scans the two ports
# in a fixed order (6.1's __inet_hash_connect: with two ports its first
# pass tries only the low one, 40000, the second 40001), so the first
# short request gets P_L while the long flow is spliced on it: its SYN
# meets the server's established flow and never completes; the sampler
# sees that SYN-SENT socket on P_L and fails ("another connection on the
# spliced flow's port 40000 in the lb namespace (ss): SYN-SENT
# 198.18.1.2:8080", seen with a module whose try_splice() retires the
# server socket again), and the request ends in a 504 after
# connect-timeout.
# Even without the collision, the parked socket's absence, the 503s while
# both ports are "held" and L2's port fail the checks above. (Two sockets
# from one lb port cannot both be established on one server address: the
# collision shows on the lb side, not as a duplicate in the server's ss.)
# net.ipv4.tcp_tw_reuse=1 in the lb namespace: a relayed connection the lb
# closes first leaves a TIME-WAIT on the other port; reuse lets the next
# connect() take it after a second instead of 60 s.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/splice.sh"

LO=40000
HI=40001
SIZE=$((32 << 20))
PAUSE=$((4 << 20))
HSIZE=$((8 << 20))
HPAUSE=$((1 << 20))
S1=198.18.1.2:8080
PARKED="ESTAB $S1"	# lb_on's line for a parked socket
N_CLOSE=20
N_KA=12

require_root
require_splicer
require_cmd ss
topo_up 1
in_lb sysctl -qw net.ipv4.ip_local_port_range="$LO $HI" ||
	fail "cannot set net.ipv4.ip_local_port_range in the lb namespace"
in_lb sysctl -qw net.ipv4.tcp_tw_reuse=1
check_eq "lb namespace's ephemeral ports" "$LO"$'\t'"$HI" "$(in_lb sysctl -n net.ipv4.ip_local_port_range)"
backends_start s1=$S1
mod_load
ctl pool add app
ctl server add app s1 $S1
# idle-timeout: the held GET sits on a zero window while the rest runs
ctl service add web listen "$LB_IP:80" pool app idle-timeout 10m
ctl service add web2 listen "$LB_IP:81" pool app idle-timeout 10m
splice_on web
log_start

# lb_on PORT: the lb namespace's TCP sockets on local port PORT towards the
# servers, "STATE PEER" each
lb_on() { in_lb ss -Htan | awk -v a="$LB_SRV_IP:$1" '$4 == a { print $1, $5 }'; }

# srv_from PORT: the server namespace's TCP sockets whose peer is the lb's
# PORT, "STATE LOCAL" each
srv_from() { in_srv ss -Htan | awk -v a="$LB_SRV_IP:$1" '$5 == a { print $1, $4 }'; }

# srv_ports: the lb ports of the server's established connections to s1
srv_ports() {
	in_srv ss -Htan | awk -v l="$S1" -v p="$LB_SRV_IP:" \
		'$1 == "ESTAB" && $4 == l && index($5, p) == 1 { sub(/.*:/, "", $5); print $5 }'
}

# conn_row ID: the row of web's connection ID (ids are per service) in
# /proc/net/splicer/conns, or nothing
conn_row() { in_lb awk -v id="$1" 'NR > 1 && $1 == id && $2 == "web"' /proc/net/splicer/conns; }

# row_spliced ID / row_gone ID: ID's row shows state spliced / is gone
row_spliced() { [[ "$(conn_row "$1")" == *" spliced "* ]]; }
row_gone() { [ -z "$(conn_row "$1")" ]; }

# newest_conn: web's highest connection id in /proc/net/splicer/conns
newest_conn() { in_lb awk 'NR > 1 && $2 == "web" && $1 > m { m = $1 } END { print m }' /proc/net/splicer/conns; }

# held_get NAME SIZE PAUSE SEED: a GET through web that stops reading at
# PAUSE; waits for the pause; NAME's pid in NAME_PID, its row id in NAME_ID
held_get() {
	local pid
	bg in_cli $PY "$SPLPEER" get "$LB_IP" 80 "/blob?size=$2&seed=$4" --pause-at "$3" \
		--ready "$T/$1.paused" --go "$T/$1.go" --timeout 120 > "$T/$1.json"
	pid=$BG_PID
	wait_until "$1 to read $3 bytes" 1200 0.1 held_or_gone "$1" $pid
	[ -e "$T/$1.paused" ] || { wait $pid; fail "$1 did not reach $3 bytes: $(cat "$T/$1.json")"; }
	printf -v "$1_PID" %s $pid
	printf -v "$1_ID" %s "$(newest_conn)"
}
held_or_gone() { [ -e "$T/$1.paused" ] || pid_gone "$2"; }

# held_spliced NAME: NAME's connection is spliced, with its offsets
held_spliced() {
	local id=${1}_ID row
	id=${!id}
	wait_until "$1 to be spliced" 100 0.1 row_spliced "$id" ||
		fail "$1 (conn $id) is not spliced: $(in_lb cat /proc/net/splicer/conns)"
	row=$(conn_row "$id")
	info "$row"
	check_match "$1: spliced, with its seq/ack offsets" \
		' spliced .* seq_c2s=[-+][0-9]+ ack_c2s=[-+][0-9]+ seq_s2c=[-+][0-9]+ ack_s2c=[-+][0-9]+' "$row"
}

# release NAME SIZE: let NAME read on, wait for it, check_l it
release() {
	local pid=${1}_PID
	pid=${!pid}
	touch "$T/$1.go"
	wait_until "$1 to complete" 1800 0.1 pid_gone "$pid" || fail "$1 still running after 180 s"
	wait "$pid"
	check_l "$1" "$2"
}

# check_l NAME SIZE: NAME's GET ended with 200, SIZE bytes, the sha256 the
# backend announced
check_l() {
	local out
	out=$(cat "$T/$1.json")
	info "$1: $out"
	check_eq "$1: end, status, length" "done 200 $2" "$(jget "$out" '"\(.end) \(.status) \(.length)"')"
	check_match "$1: the backend announced a sha256" '^[0-9a-f]{64}$' "$(jget "$out" .x_blob_sha256)"
	check_eq "$1: sha256 of the body = X-Blob-Sha256" "$(jget "$out" .x_blob_sha256)" "$(jget "$out" .sha256)"
}

# sample_ports PID WHAT: while PID runs (at most 3000 samples), no lb socket
# but the parked one has port P_L, and the server sees only the long flow
# from P_L; sets SAMPLES and PARKED_SEEN (samples with the parked socket)
sample_ports() {
	local lb srv
	SAMPLES=0 PARKED_SEEN=0
	while ! pid_gone "$1" && [ $SAMPLES -lt 3000 ]; do
		lb=$(lb_on "$P_L")
		srv=$(srv_from "$P_L")
		if [ -n "$lb" ] && [ "$lb" != "$PARKED" ]; then
			fail "$2: another connection on the spliced flow's port $P_L in the lb namespace (ss): $(printf '%s; ' "$lb")"
		fi
		[ "$lb" = "$PARKED" ] && PARKED_SEEN=$((PARKED_SEEN + 1))
		[ "$srv" = "ESTAB $S1" ] ||
			fail "$2: the server's sockets from $LB_SRV_IP:$P_L: expected only the long flow's 'ESTAB $S1', got '$srv'"
		SAMPLES=$((SAMPLES + 1))
	done
	info "$2: $SAMPLES samples of ss in the lb and server namespaces"
	check_eq "$2: samples with the parked socket on $P_L (and nothing else there)" "$SAMPLES" "$PARKED_SEEN"
}

# shorts NAME PORT COUNT WORKERS [--close]: COUNT short GETs through PORT,
# sampled; each 200 with the right body or 503; sets N503 (503s, added to
# the expected log records) and checks at least one 200
N503=0
declare -A R503=([web]=0 [web2]=0)
shorts() {
	local name=$1 port=$2 n=$3 w=$4 out bad ok c503 svc
	shift 4
	svc=web
	[ "$port" = 81 ] && svc=web2
	bg in_cli $PY "$SPLPEER" many "$LB_IP" "$port" "$n" --workers "$w" --timeout 30 "$@" \
		> "$T/$name.json"
	local pid=$BG_PID
	sample_ports $pid "$name"
	wait $pid
	out=$(cat "$T/$name.json")
	info "$name: $(jget "$out" '{statuses, secs, errors: .errors[:2]}' | tr -d '\n')"
	info "$name: lb sockets towards the server now: $(in_lb ss -Htan |
		awk -v p="$LB_SRV_IP:" 'index($4, p) == 1 { print $1, $4 }' | sort | uniq -c | paste -sd ';')"
	bad=$(jget "$out" '[.statuses | to_entries[] | select(.key != "200" and .key != "503")] | map("\(.key) x\(.value)") | join(", ")')
	check_eq "$name: answers other than 200 and 503 (504, timeouts, resets)" "" "$bad"
	ok=$(jget "$out" .ok)
	c503=$(jget "$out" '.statuses["503"] // 0')
	check_eq "$name: every 200 with the right body" "$(jget "$out" '.statuses["200"] // 0')" "$ok"
	check_eq "$name: 200s + 503s" "$n" "$((ok + c503))"
	check_range "$name: answered 200 (the other port)" 1 "$n" "$ok"
	N503=$((N503 + c503))
	R503[$svc]=$((R503[$svc] + c503))
}

# only_l_left: L is the only connection, and the lb namespace has no socket
# towards the servers but L's parked one (TIME-WAIT aside)
only_l_left() {
	[ "$(proc_rows conns)" = 1 ] && [ -n "$(conn_row "$L_ID")" ] &&
		[ "$(in_lb ss -Htan | awk -v p="$LB_SRV_IP:" 'index($4, p) == 1 && $1 != "TIME-WAIT"')" = \
		  "$(in_lb ss -Htan | awk -v a="$LB_SRV_IP:$P_L" '$4 == a')" ]
}

# get503 COUNT WHAT: COUNT requests through web, each answered 503
get503() {
	local out
	out=$(bash_get "$LB_IP" 80 / "$1")
	check_eq "$2: requests answered 503" "$1" "$(grep -c '^HTTP/1.1 503 ' <<<"$out")"
	N503=$((N503 + $1))
	R503[web]=$((R503[web] + $1))
}

step "the long GET (L): $SIZE bytes, held at $PAUSE"
held_get L $SIZE $PAUSE 7
held_spliced L
ports=$(srv_ports)
check_eq "the server's connections from the lb" 1 "$(grep -c . <<<"$ports")"
P_L=$ports
check_match "L's port $P_L is of the lb's range" "^($LO|$HI)\$" "$P_L"
P_OTHER=$((P_L == LO ? HI : LO))
info "lb namespace: $(in_lb ss -Htan | tr -s ' ' | paste -sd ';')"

step "short requests while L is spliced on port $P_L"
shorts close 81 $N_CLOSE 1 --close
check_eq "lb socket on $P_L: L's parked socket" "$PARKED" "$(lb_on "$P_L")"
shorts keepalive 80 $N_KA 3
check_eq "L still spliced" spliced "$(conn_row "$L_ID" | awk '{ print $5 }')"

step "a second held GET (H) takes port $P_OTHER"
wait_until "the short connections to end" 200 0.1 only_l_left ||
	fail "connections left besides L: $(in_lb cat /proc/net/splicer/conns; in_lb ss -Htan)"
held_get H $HSIZE $HPAUSE 8
held_spliced H
ports=$(srv_ports)
check_eq "the server's connections from the lb (L, H)" "$(printf '%s\n' $LO $HI)" "$(sort <<<"$ports")"
check_eq "lb socket on $P_OTHER: H's parked socket" "$PARKED" "$(lb_on $P_OTHER)"
check_eq "lb socket on $P_L: L's parked socket" "$PARKED" "$(lb_on "$P_L")"

step "both ports held"
get503 3 "both ports held"

step "L completes; its port is held through the linger"
# Polled from the go on, while L runs: the guest may be slow (a loaded
# host), and the linger's 5 s are counted from the FINs. ss is read before
# the row: the socket is released only after the splice has left the row,
# so an empty ss followed by a row that still shows the splice is a port
# given back while the flow is hashed.
touch "$T/L.go"
freed= closing=0 probes=0
t0=$SECONDS
while [ $((SECONDS - t0)) -lt 240 ]; do
	lb=$(lb_on "$P_L")
	row=$(conn_row "$L_ID")
	if [ -z "$lb" ]; then
		[[ $row == *seq_c2s=* ]] &&
			fail "port $P_L given back while L's flow is still spliced: $row"
		freed=1
		pid_gone "$L_PID" || fail "port $P_L given back while L still runs: $row"
		break
	fi
	[ "$lb" = "$PARKED" ] || fail "another connection on port $P_L while L ends: $lb"
	if [[ $row == *" closing"* ]]; then
		closing=$((closing + 1))
		if [ $probes = 0 ]; then
			# H holds the other port: a request now finds none
			probes=1
			out=$(bash_get "$LB_IP" 80 / 1 | head -1)
			row=$(conn_row "$L_ID")
			if [[ $out == "HTTP/1.1 503 "* ]]; then
				N503=$((N503 + 1))
				R503[web]=$((R503[web] + 1))
				ok "a request during L's linger: 503 (both ports still held)"
			elif [[ $row == *seq_c2s=* ]]; then
				fail "a request during L's linger was answered '$out': port $P_L given back while the flow is spliced: $row"
			else
				info "a request at the end of L's linger: '$out' (the linger ended meanwhile)"
			fi
		fi
	fi
	sleep 0.05
done
[ -n "$freed" ] || fail "port $P_L still held $((SECONDS - t0)) s after the go: $(lb_on "$P_L"); $row"
wait "$L_PID"
check_l L $SIZE
check_range "polls of L's row showing ' closing' (the linger) while the port was held" 1 100000 "$closing"
wait_until "L's row to go" 50 0.1 row_gone "$L_ID" ||
	fail "L's row left after its socket: $(conn_row "$L_ID")"
ok "L's row gone"
# How long the port stayed held after the client closed, in the guest's
# clock: from the client's result (written right after its close) to L's
# log record, which spl_conn_finish() writes right after releasing the
# parked socket. (command stat: lib/splice.sh has a function stat.)
l_record() {
	jq -c --argjson id "$L_ID" 'select(.SERVICE == "web" and .CONN_ID == $id)' "$T/log.jsonl"
}
l_recorded() { [ -n "$(l_record)" ]; }
wait_until "L's connection record" 100 0.1 l_recorded ||
	fail "no log record of L: $(cat "$T/log.jsonl")"
rec=$(l_record)
check_eq "L's record: END, SPLICE" "both sides closed (spliced) spliced" "$(jget "$rec" '"\(.END) \(.SPLICE)"')"
ms=$(jq -n --argjson r "$rec" --argjson t "$(command stat -c %.9Y "$T/L.json")" '(($r.TIME / 1e6) - $t * 1000) | floor')
check_range "ms from L's client closing to its port given back (the linger, 5 s, from both FINs)" 4500 15000 "$ms"

step "the port is given back: a third held GET (L2)"
held_get L2 $HSIZE $HPAUSE 9
held_spliced L2
check_eq "lb socket on $P_L: L2's parked socket" "$PARKED" "$(lb_on "$P_L")"
check_eq "lb socket on $P_OTHER: still H's" "$PARKED" "$(lb_on $P_OTHER)"
check_eq "the server's connection from $P_L (L2's)" "ESTAB $S1" "$(srv_from "$P_L")"

step "H and L2 complete"
release H $HSIZE
release L2 $HSIZE
check_drained_within 12
check_eq "lb sockets towards the servers (TIME-WAIT aside)" "" \
	"$(in_lb ss -Htan | awk -v p="$LB_SRV_IP:" 'index($4, p) == 1 && $1 != "TIME-WAIT"')"

step "counters and the log"
for svc in web web2; do
	check_eq "$svc: r504" 0 "$(proc_get services r504 name=$svc)"
	check_eq "$svc: r503 (the clients' 503s)" "${R503[$svc]}" "$(proc_get services r503 name=$svc)"
done
st=$(svc_stats web)
info "web: $st"
check_range "web: spliced (L, H, L2 and the spliced short ones)" 3 $((3 + N_KA)) "$(stat "$st" SPLICED)"
check_eq "web: splice_fallback" 0 "$(stat "$st" SPLICE_FALLBACK)"
nconns=$((3 + N_CLOSE + N_KA + 3 + probes))
wait_until "$nconns connection records" 300 0.1 log_has $nconns ||
	info "only $(log_count) connection records of $nconns"
info "DECISION of the 503s: $(jq -r 'select(.STATUS == 503) | .DECISION' "$T/log.jsonl" | sort | uniq -c | tr -s ' ' | paste -sd ';')"
check_eq "connection records" "$nconns" "$(log_count)"
check_eq "records with STATUS 504" 0 "$(jq -s '[.[] | select(.STATUS == 504)] | length' "$T/log.jsonl")"
check_eq "records with STATUS 503" "$N503" "$(jq -s '[.[] | select(.STATUS == 503)] | length' "$T/log.jsonl")"
check_eq "503 records saying 'no local address'" "$N503" \
	"$(jq -s '[.[] | select(.STATUS == 503 and (.DECISION | test("no local address")))] | length' "$T/log.jsonl")"

step "no leaks"
kill_bg
ctl service del web
ctl service del web2
ctl pool del app
mod_unload
pass
