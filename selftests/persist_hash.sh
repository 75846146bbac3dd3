#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 900 (a bound for loaded hosts; about 75 s on an idle one)
# Consistent hashing (Maglev) persistence: where distinct keys land, and
# what moves when a server leaves. Four backends (nginx: python is too slow
# under TCG for thousands of connections), s1 weight 2, s2..s4 weight 1;
# service h hashes header X-User, service p the query parameter "user".
# Each request is a connection of its own (curl), X-Server says which
# server answered. Asserts:
#  - 2000 keys (X-User: u1..u2000): every request answered 200; shares by
#    weight: s1 ~40 %, s2..s4 ~20 % each, within 5 % of all keys (+-100);
#  - the first 300 keys again: every key on the same server;
#  - s4 set maint, the 2000 keys again: s4 gets none; the keys that moved
#    are exactly the keys s4 had (every moved key was on s4, every s4 key
#    moved), at most 1/4 + 5 % of all; log: "hash hit" for a key that
#    stayed, "hash server down, redispatched" or "hash hit" for one that
#    moved (printed, not asserted: it depends on how the kernel words it);
#  - s4 back up: the first 300 keys back where they were first;
#  - 150 keys as ?user=kN (service p): same key, same server over two
#    passes; the keys spread over all four servers;
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/persist.sh"

N=2000
NS=300	# the subset passes
NP=150
TOL=$((N * 5 / 100))

require_root
require_splicer
require_cmd curl
topo_up 4
require_cmd nginx
nginx_start s1=198.18.1.2:8080 s2=198.18.1.3:8080 s3=198.18.1.4:8080 s4=198.18.1.5:8080
mod_load

step "configure: pool app s1 (weight 2) s2 s3 s4; service h (hash header X-User), p (hash param user)"
ctl pool add app
ctl server add app s1 198.18.1.2:8080 weight 2
ctl server add app s2 198.18.1.3:8080
ctl server add app s3 198.18.1.4:8080
ctl server add app s4 198.18.1.5:8080
ctl service add h listen "$LB_IP:80" pool app
ctl persist h hash header X-User
ctl service add p listen "$LB_IP:81" pool app
ctl persist p hash param user

# keys_cfg PORT KIND N: a curl config with one transfer per key, each on
# a connection of its own (Connection: close), printing "KEY SERVER STATUS"
keys_cfg() {
	local port=$1 kind=$2 n=$3
	awk -v lb="$LB_IP:$port" -v kind="$kind" -v n="$n" 'BEGIN {
		for (k = 1; k <= n; k++) {
			if (kind == "header") {
				printf "url = \"http://%s/\"\n", lb
				printf "header = \"X-User: u%d\"\n", k
			} else {
				printf "url = \"http://%s/?user=k%d\"\n", lb, k
			}
			printf "header = \"Connection: close\"\n"
			printf "output = \"/dev/null\"\n"
			printf "write-out = \"%s%d %%header{x-server} %%{http_code}\\n\"\n", \
				(kind == "header" ? "u" : "k"), k
			if (k < n)
				printf "next\n"
		}
	}'
}

# pass_keys CFG OUT: run the transfers (one at a time: faster than
# several under TCG); OUT gets "KEY SERVER" lines sorted by key; prints how
# many were answered 200 with an X-Server
pass_keys() {
	in_cli timeout 500 curl -s --max-time 30 -K "$1" >"$2.raw" 2>"$2.err"
	awk '$3 == 200 && $2 != "" { print $1, $2 }' "$2.raw" | LC_ALL=C sort >"$2"
	grep -c . "$2"
}

# share FILE SERVER: keys on SERVER
share() { awk -v s="$2" '$2 == s' "$1" | grep -c . ; }
# moved A B: keys whose server differs between the two maps
moved() { LC_ALL=C join "$1" "$2" | awk '$2 != $3' ; }
# common A B: keys in both maps
common() { LC_ALL=C join "$1" "$2" | grep -c . ; }

keys_cfg 80 header "$N" >"$T/h.cfg"
keys_cfg 80 header "$NS" >"$T/hs.cfg"

step "$N keys (X-User: u1..u$N), one connection each"
t0=$SECONDS
check_eq "answered 200 by a server" "$N" "$(pass_keys "$T/h.cfg" "$T/a")"
info "$((SECONDS - t0)) s"
check_eq "keys (distinct)" "$N" "$(awk '{ print $1 }' "$T/a" | sort -u | grep -c .)"
for s in s1:2 s2:1 s3:1 s4:1; do
	name=${s%%:*} w=${s##*:}
	exp=$((N * w / 5))
	check_range "$name (weight $w): ~$exp keys" $((exp - TOL)) $((exp + TOL)) "$(share "$T/a" "$name")"
done

step "the first $NS keys again: nothing moves"
check_eq "answered 200 by a server" "$NS" "$(pass_keys "$T/hs.cfg" "$T/a2")"
check_eq "keys found in both passes" "$NS" "$(common "$T/a" "$T/a2")"
check_eq "keys on another server than the first time" 0 "$(moved "$T/a" "$T/a2" | grep -c .)"

step "s4 in maint: only s4's keys move"
ctl server set app s4 state maint
check_eq "answered 200 by a server" "$N" "$(pass_keys "$T/h.cfg" "$T/b")"
check_eq "s4's keys now" 0 "$(share "$T/b" s4)"
on4=$(share "$T/a" s4)
moved "$T/a" "$T/b" >"$T/moved"
nmoved=$(grep -c . "$T/moved")
info "$nmoved keys moved; s4 had $on4"
check_eq "moved keys that were not on s4" 0 "$(awk '$2 != "s4"' "$T/moved" | grep -c .)"
check_eq "every key s4 had moved" "$on4" "$nmoved"
check_range "moved at most 1/4 + 5 % of the keys" 0 $((N / 4 + TOL)) "$nmoved"
# what the log says of a key that stayed, and of one that moved
plog_start 80
k=$(LC_ALL=C join "$T/a" "$T/b" | awk '$2 == $3 { print $1; exit }')
rid=c$(date +%s%N)
cli_curl -o /dev/null -H "X-User: $k" -H 'Connection: close' "http://$LB_IP:80/?rid=$rid"
check_eq "log of $k (stayed)" "hash hit" "$(plog_persist "$rid")"
k=$(awk '{ print $1; exit }' "$T/moved")
rid=c$(date +%s%N)
cli_curl -o /dev/null -H "X-User: $k" -H 'Connection: close' "http://$LB_IP:80/?rid=$rid"
info "log of $k (moved): $(plog_persist "$rid")"

step "s4 up again: the first $NS keys back where they were"
ctl server set app s4 state up
check_eq "answered 200 by a server" "$NS" "$(pass_keys "$T/hs.cfg" "$T/c")"
check_eq "keys found in both passes" "$NS" "$(common "$T/a" "$T/c")"
check_eq "keys not where they were first" 0 "$(moved "$T/a" "$T/c" | grep -c .)"

step "$NP keys as a query parameter (?user=k1..k$NP), two passes"
keys_cfg 81 param "$NP" >"$T/p.cfg"
check_eq "answered 200 by a server" "$NP" "$(pass_keys "$T/p.cfg" "$T/p1")"
check_eq "answered 200 by a server (again)" "$NP" "$(pass_keys "$T/p.cfg" "$T/p2")"
check_eq "keys on another server the second time" 0 "$(moved "$T/p1" "$T/p2" | grep -c .)"
check_eq "servers the keys spread over" 4 "$(awk '{ print $2 }' "$T/p1" | sort -u | grep -c .)"

check_drained
mod_unload
pass
