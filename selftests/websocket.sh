#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# WebSocket through splicer: the 101 turns the connection into a tunnel.
# Asserts:
#  - a real WebSocket client and server (python3-websockets): the handshake
#    succeeds through the service, "welcome" from the server arrives, text and
#    binary messages echo back identical one at a time (70000 characters of
#    text; 65535, 65536 and 200000 bytes of binary: 16- and 64-bit frame
#    lengths), a ping gets its pong, 8 messages sent at once echo back in
#    order, and the close handshake ends with 1000 on both sides;
#  - the server got the Upgrade request with Upgrade: websocket, Connection:
#    Upgrade, the Sec-WebSocket-Key, X-Forwarded-For: the client and
#    X-Forwarded-Proto: http; the service counted 1 connection, 1 request;
#  - raw: a 101 to a request that asked for the upgrade is a tunnel both ways
#    (what the server sends after the 101 arrives, what the client sends is
#    echoed back, a half-close passes through);
#    and a request pipelined after the upgrade request is not parsed as one:
#    it reaches the server after the 101 as tunnel data, untouched;
#  - raw: a 101 to a request that did not ask for an upgrade (no Connection:
#    upgrade; Upgrade without the Connection option) is refused with splicer's
#    502 and close, and nothing the server sent after its 101 reaches the
#    client;
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$LIB/httptest.sh"

require_root
require_splicer
$PY -c 'import websockets' 2>/dev/null || skip "python3-websockets not installed (scripts/deps.sh vm)"
topo_up 2
: >"$T/ws.log"
bg ip netns exec "$NS_SRV" $PY "$LIB/wsecho.py" server 198.18.1.2:8080 \
	--log "$T/ws.log" --ready "$T/ws.ready" 2>>"$T/ws.err"
rawsrv_start -b u=198.18.1.3:8080
rawsrv_wait
wait_until "WebSocket server ready" 600 0.05 test -e "$T/ws.ready" ||
	fail "wsecho.py server did not start: $(cat "$T/ws.err")"
mod_load
ctl pool add wsp
ctl server add wsp ws 198.18.1.2:8080
ctl pool add rawp
ctl server add rawp u 198.18.1.3:8080
ctl service add ws listen "$LB_IP:80" pool wsp
ctl service add raw listen "$LB_IP:81" pool rawp

step "a WebSocket session through splicer"
out=$(in_cli timeout 120 $PY "$LIB/wsecho.py" client "ws://$LB_IP:80/chat" --timeout 60)
info "$(printf '%s' "$out" | jq -c 'del(.response_headers)')"
check_eq "client: every echo identical, clean close" true "$(jget "$out" .ok)"
check_eq "echoed, in order" \
	"text:5 text:11 text:70000 binary:1 binary:65535 binary:65536 binary:200000 pong binary:7 text:8008 binary:40007 text:24008 binary:80007 text:40008 binary:120007 text:56008" \
	"$(jget "$out" '.sizes | join(" ")')"
check_eq "client's close code" 1000 "$(jget "$out" .close_code)"
check_match "the 101 came from the server (Sec-WebSocket-Accept)" '"Sec-WebSocket-Accept"' \
	"$(jget "$out" '.response_headers | tostring')"

step "what the WebSocket server saw"
wait_until "the server to log the close" 100 0.1 grep -q '"event": "close"' "$T/ws.log" ||
	fail "the server never logged the end of the session: $(tail -3 "$T/ws.log")"
open=$(grep '"event": "open"' "$T/ws.log")
check_eq "sessions" 1 "$(grep -c '"event": "open"' "$T/ws.log")"
# hv NAME: the values of request field NAME (any case) the server got, |-joined
hv() { printf '%s' "$open" | jq -r --arg n "$1" '[.headers[] | select(.[0] | ascii_downcase == $n) | .[1]] | join("|")'; }
check_eq "path" /chat "$(printf '%s' "$open" | jq -r .path)"
check_eq "Upgrade" websocket "$(hv upgrade)"
check_match "Connection names upgrade" '(^|[ ,])[Uu]pgrade($|[ ,])' "$(hv connection)"
check_match "Sec-WebSocket-Key" '^[A-Za-z0-9+/]{22}==$' "$(hv sec-websocket-key)"
check_eq "Sec-WebSocket-Version" 13 "$(hv sec-websocket-version)"
check_eq "X-Forwarded-For" "$CLI_IP" "$(hv x-forwarded-for)"
check_eq "X-Forwarded-Proto" http "$(hv x-forwarded-proto)"
check_eq "messages the server echoed" 15 "$(grep -c '"event": "message"' "$T/ws.log")"
check_eq "server's close" "1000 done" "$(grep '"event": "close"' "$T/ws.log" | jq -r '"\(.code) \(.reason)"')"
check_eq "service ws: connections" 1 "$(proc_get services conns name=ws)"
check_eq "service ws: requests" 1 "$(proc_get services requests name=ws)"

step "raw 101: a tunnel when asked for, splicer's 502 when not"
cat >"$T/u101" <<'EOF'
asked | 81 | 101,EOF | GET /u101 HTTP/1.1\r\nHost: lb\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n<wait><sleep 0.3>client-bytes \x00\x01\r\n\r\nGET /not-http HTTP/1.1\r\n\r\n<sleep 0.5><shut>
asked-pipelined | 81 | 101,EOF | GET /u101 HTTP/1.1\r\nHost: lb\r\nConnection: keep-alive, upgrade\r\nUpgrade: websocket\r\n\r\nGET /after HTTP/1.1\r\nHost: lb\r\n\r\n<sleep 0.5><shut>
not-asked | 81 | 502 | GET /u101 HTTP/1.1\r\nHost: lb\r\n\r\n
upgrade-without-connection-option | 81 | 502 | GET /u101 HTTP/1.1\r\nHost: lb\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n\r\n
EOF
rc=0
rawhttp "$T/u101" "$T/u101.json" --srv-dir "$T" --srv 81=u --timeout 20 || rc=$?
[ "$rc" = 0 ] || fail "raw 101 exchanges failed (see above)"
check_eq "asked: after the 101, the server's bytes and the echo of the client's" \
	'"LEAK-AFTER-101\r\nclient-bytes \u0000\u0001\r\n\r\nGET /not-http HTTP/1.1\r\n\r\n"' \
	"$(xget "$T/u101.json" asked '.extra | tojson')"
check_eq "asked-pipelined: the bytes after the upgrade request are tunnel data, untouched" \
	'"LEAK-AFTER-101\r\nGET /after HTTP/1.1\r\nHost: lb\r\n\r\n"' \
	"$(xget "$T/u101.json" asked-pipelined '.extra | tojson')"
for x in not-asked upgrade-without-connection-option; do
	check_eq "$x: nothing after the 101 reached the client" '""' \
		"$(xget "$T/u101.json" $x '.extra | tojson')"
done
check_eq "service raw: r502" 2 "$(proc_get services r502 name=raw)"

check_drained
mod_unload
pass
