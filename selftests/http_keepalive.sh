#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 400
# Keep-alive and message framing through splicer, byte-exact
# (selftests/lib/rawhttp.py) against a server that records every byte it
# receives (selftests/lib/rawsrv.py), and against backend.py. Asserts:
#  - 5 requests one after the other on one connection, 6 pipelined in one write
#    (one with a 300 KB response) and 40 pipelined in one write (more than the
#    16 splicer keeps in flight): every response in order with its own body,
#    all on one server connection (X-Conn) with consecutive request numbers;
#    the 40 are sent once followed by a half-close (SHUT_WR), once with
#    Connection: close on the last;
#  - request bodies framed by Content-Length (11 bytes; 300 KB; one that holds
#    a request head) and chunked (chunk extensions with quoted strings, trailer
#    fields; 200 KB in 40 KB chunks; split at awkward places over several
#    writes), each followed by another request on the connection: the server
#    gets the exact body (sha256 and length) and the trailers, and the next
#    request is answered intact;
#  - responses without a body: HEAD (Content-Length 50000, and Transfer-
#    Encoding: chunked), 204 (with and without Content-Length: 0), 304 with
#    Content-Length: 12345, 1xx (100 and 103 before a 200), pipelined and one
#    by one: none takes a body, the Content-Length/ETag of the head pass
#    through, and the next response on the connection is intact; the same with
#    backend.py's HEAD/204/304; a chunked response and one delimited by the
#    server's close arrive whole;
#  - Expect: 100-continue: the 100 reaches the client before it sends the body
#    (raw, Content-Length and chunked), and curl's 2 MiB upload to backend.py
#    sees "HTTP/1.1 100 Continue" and the right sha256;
#  - Connection: close from the client (pipelined with a request after it,
#    after an earlier request, HTTP/1.0 without keep-alive, HTTP/1.0 keep-alive
#    then one without): the response, then EOF from splicer though the server
#    keeps its connection open; nothing after it reaches the server;
#  - Connection: close from the server (with a request pipelined after it):
#    the response, then EOF;
#  - X-Forwarded-For appended to a client's (one value, a list, an empty one)
#    and the client's X-Forwarded-Proto (two of them, any case) replaced by
#    "X-Forwarded-Proto: http", on every request of a keep-alive connection
#    (backend.py's /headers);
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$LIB/httptest.sh"

require_root
require_splicer
require_cmd curl sha256sum
topo_up 2
rawsrv_start -b ka=198.18.1.2:8080
backends_start py=198.18.1.3:8080
rawsrv_wait
mod_load
ctl pool add raw
ctl server add raw ka 198.18.1.2:8080
ctl pool add pyp
ctl server add pyp py 198.18.1.3:8080
ctl service add web listen "$LB_IP:80" pool raw
ctl service add pyweb listen "$LB_IP:81" pool pyp

G='HTTP/1.1\r\nHost: lb\r\n\r\n'	# the end of a plain GET
{
	printf '# NAME | PORT | EXPECT | DATA   (see selftests/lib/rawhttp.py)\n'
	# one after the other, then SHUT_WR
	printf 'seq5 | 80 | 200,200,200,200,200,EOF | '
	for i in 1 2 3 4 5; do printf 'GET /seq-%d %s<wait>' $i "$G"; done
	printf '<shut>\n'
	# pipelined in one write
	printf 'pipe6 | 80 | 200,200,200,200,200,200,EOF | '
	printf 'GET /p6-a %sGET /len?n=300000 %sGET /p6-c %s' "$G" "$G" "$G"
	printf 'GET /p6-d?x=1 %sPOST /p6-e %sGET /p6-f %s<shut>\n' "$G" "$G" "$G"
	printf 'pipe40 | 80 | '
	for i in $(seq 1 40); do printf '200,'; done
	printf 'EOF | '
	for i in $(seq -w 1 40); do printf 'GET /p40-%s %s' "$i" "$G"; done
	printf '<shut>\n'
	# the same without the half-close: the last one says Connection: close
	printf 'pipe40-close | 80 | '
	for i in $(seq 1 40); do printf '200,'; done
	printf 'EOF | '
	for i in $(seq -w 1 39); do printf 'GET /p40c-%s %s' "$i" "$G"; done
	printf 'GET /p40c-40 %s\n' 'HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\n'
} >"$T/ka"
cat >>"$T/ka" <<'EOF'
# ---- request bodies, then another request on the connection
body-cl | 80 | 200,200,EOF | POST /sha256 HTTP/1.1\r\nHost: lb\r\nContent-Length: 11\r\n\r\nhello worldGET /after-cl HTTP/1.1\r\nHost: lb\r\n\r\n<shut>
body-cl-holds-a-head | 80 | 200,200,EOF | POST /sha256 HTTP/1.1\r\nHost: lb\r\nContent-Length: 35\r\n\r\nGET /in-body HTTP/1.1\r\nHost: lb\r\n\r\nGET /after-clh HTTP/1.1\r\nHost: lb\r\n\r\n<shut>
body-cl-300k | 80 | 200,200,EOF | POST /sha256 HTTP/1.1\r\nHost: lb\r\nContent-Length: 300000\r\n\r\n<rep 300000 z>GET /after-cl-big HTTP/1.1\r\nHost: lb\r\n\r\n<shut>
body-chunked | 80 | 200,200,EOF | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n6;q="quoted \\" ; str";flag\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\nGET /after-chunked HTTP/1.1\r\nHost: lb\r\n\r\n<shut>
body-chunked-200k | 80 | 200,200,EOF | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n<rep 5 9c40;i=x\r\n<rep 40000 y>\r\n>0\r\n\r\nGET /after-chunked-big HTTP/1.1\r\nHost: lb\r\n\r\n<shut>
body-chunked-split | 80 | 200,200,EOF | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n5\r<sleep 0.2>\nhel<sleep 0.2>lo\r<sleep 0.2>\n6;a=<sleep 0.2>"b"\r\n world\r\n0\r\nX-T<sleep 0.2>: 1\r\n\r<sleep 0.2>\nGET /after-split HTTP/1.1\r\n<sleep 0.2>Host: lb\r\n\r\n<shut>
body-one-by-one | 80 | 200,200,200,EOF | POST /sha256 HTTP/1.1\r\nHost: lb\r\nContent-Length: 5\r\n\r\nhello<wait>POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n<wait>GET /after-both HTTP/1.1\r\nHost: lb\r\n\r\n<wait><shut>
# ---- responses without a body
nobody-pipelined | 80 | 200H,204,304,103,200,204,200H,100,103,200,200,EOF | HEAD /len?n=50000 HTTP/1.1\r\nHost: lb\r\n\r\nGET /status?code=204 HTTP/1.1\r\nHost: lb\r\n\r\nGET /status?code=304&cl=12345 HTTP/1.1\r\nHost: lb\r\n\r\nGET /interim?codes=103 HTTP/1.1\r\nHost: lb\r\n\r\nGET /status?code=204&cl=0 HTTP/1.1\r\nHost: lb\r\n\r\nHEAD /chunked HTTP/1.1\r\nHost: lb\r\n\r\nGET /interim?codes=100,103 HTTP/1.1\r\nHost: lb\r\n\r\nGET /final HTTP/1.1\r\nHost: lb\r\n\r\n<shut>
nobody-one-by-one | 80 | 200H,304,204,200,EOF | HEAD /len?n=50000 HTTP/1.1\r\nHost: lb\r\n\r\n<wait>GET /status?code=304&cl=12345 HTTP/1.1\r\nHost: lb\r\n\r\n<wait>GET /status?code=204 HTTP/1.1\r\nHost: lb\r\n\r\n<wait>GET /final-1 HTTP/1.1\r\nHost: lb\r\n\r\n<wait><shut>
nobody-backend-py | 81 | 200H,204,304,200,EOF | HEAD / HTTP/1.1\r\nHost: lb\r\n\r\nGET /status?code=204 HTTP/1.1\r\nHost: lb\r\n\r\nGET /status?code=304 HTTP/1.1\r\nHost: lb\r\n\r\nGET / HTTP/1.1\r\nHost: lb\r\n\r\n<shut>
resp-chunked | 80 | 200,200,EOF | GET /chunked HTTP/1.1\r\nHost: lb\r\n\r\nGET /after-resp-chunked HTTP/1.1\r\nHost: lb\r\n\r\n<shut>
resp-until-close | 80 | 200,EOF | GET /eof HTTP/1.1\r\nHost: lb\r\n\r\n
# ---- Expect: 100-continue
expect-cl | 80 | 100,200,EOF | POST /sha256 HTTP/1.1\r\nHost: lb\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n<wait>hello<wait><shut>
expect-chunked | 80 | 100,200,200,EOF | POST /sha256 HTTP/1.1\r\nHost: lb\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n<wait>5\r\nhello\r\n0\r\n\r\nGET /after-expect HTTP/1.1\r\nHost: lb\r\n\r\n<shut>
# ---- Connection: close from the client (the server keeps its side open)
cc-pipelined | 80 | 200,EOF | GET /cc-1 HTTP/1.1\r\nHost: lb\r\nConnection: close\r\n\r\nGET /NOPE-after-close HTTP/1.1\r\nHost: lb\r\n\r\n
cc-second | 80 | 200,200,EOF | GET /cc-2a HTTP/1.1\r\nHost: lb\r\n\r\n<wait>GET /cc-2b HTTP/1.1\r\nHost: lb\r\nConnection: keep-alive, close\r\n\r\n<wait>GET /NOPE-after-close-2 HTTP/1.1\r\nHost: lb\r\n\r\n
cc-http10 | 80 | 200,EOF | GET /cc-3 HTTP/1.0\r\n\r\nGET /NOPE-after-http10 HTTP/1.0\r\n\r\n
cc-http10-keepalive | 80 | 200,200,EOF | GET /cc-4a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n<wait>GET /cc-4b HTTP/1.0\r\n\r\nGET /NOPE-after-http10-2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n
# ---- Connection: close from the server (it closes after its response)
sc-close | 80 | 200,EOF | GET /close HTTP/1.1\r\nHost: lb\r\n\r\n
sc-close-pipelined | 80 | 200,EOF | GET /close HTTP/1.1\r\nHost: lb\r\n\r\nGET /after-server-close HTTP/1.1\r\nHost: lb\r\n\r\n
# ---- X-Forwarded-For / X-Forwarded-Proto on every request (backend.py /headers)
xff | 81 | 200,200,200,200,EOF | GET /headers HTTP/1.1\r\nHost: lb\r\n\r\nGET /headers HTTP/1.1\r\nHost: lb\r\nX-Forwarded-For: 198.19.7.7\r\nX-Forwarded-Proto: https\r\n\r\nGET /headers HTTP/1.1\r\nHost: lb\r\nX-Forwarded-For: 198.19.7.7, 198.19.8.8\r\nx-forwarded-proto: https\r\nX-FORWARDED-PROTO: wss\r\n\r\nGET /headers HTTP/1.1\r\nHost: lb\r\nX-Forwarded-For:\r\n\r\n<shut>
EOF

nex=$(grep -v '^#' "$T/ka" | grep -c ' | ')
step "$nex exchanges"
J=$T/results.json
rc=0
rawhttp "$T/ka" "$J" --srv-dir "$T" --srv 80=ka --timeout 15 || rc=$?
check_eq "exchanges run" "$nex" "$(wc -l <"$J")"
# A failed exchange fails the test at the end; the checks below skip it, so
# that one run reports everything else too.
failed_x=$(jq -r 'select(.ok | not) | .name' "$J" | paste -sd' ')
if [ -n "$failed_x" ]; then
	jq -r 'select(.ok | not) | "\(.name): \(.errors | join("; "))"' "$J" | sed 's/^/  FAILED /'
else
	ok "every exchange: the expected statuses, in order, framed as expected"
fi
[ "$rc" = 0 ] || [ -n "$failed_x" ] || failed_x="(rawhttp.py exited $rc)"

# xq NAME DESC EXPECTED FILTER: queue a check of a value of exchange NAME's
# result; xrun runs the queued ones with a single jq (each jq costs under TCG).
XQ=()
xq() { XQ+=("$1" "$2" "$3" "$4"); }
xrun() {
	local prog='(map({key: .name, value: .}) | from_entries) as $x | ' sep='' i got=()
	for ((i = 0; i < ${#XQ[@]}; i += 4)); do
		prog+="$sep(try (\$x[\"${XQ[i]}\"] | (${XQ[i + 3]}) | tostring | gsub(\"\\n\"; \"\\\\n\")) catch \"jq error: \\(.)\")"
		sep=', '
	done
	jq -rs "$prog" "$J" >"$T/xq.out"	# (no /dev/fd for <(...) in the VM)
	mapfile -t got <"$T/xq.out"
	for ((i = 0; i < ${#XQ[@]}; i += 4)); do
		if [[ " $failed_x " == *" ${XQ[i]} "* ]]; then
			info "${XQ[i]}: ${XQ[i + 1]}: not checked (the exchange failed)"
		else
			check_eq "${XQ[i]}: ${XQ[i + 1]}" "${XQ[i + 2]}" "${got[i / 4]}"
		fi
	done
	XQ=()
}
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
sha_of_rep() { head -c "$1" /dev/zero | tr '\0' "$2" | sha256sum | cut -d' ' -f1; }
S_HELLO=$(sha hello)
S_HW=$(sha 'hello world')
B0='.responses[0].body | rtrimstr("\n")'
B1='.responses[1].body | rtrimstr("\n")'

step "in order, one server connection"
xq seq5 bodies "path=/seq-1 path=/seq-2 path=/seq-3 path=/seq-4 path=/seq-5" \
	'[.responses[].body | rtrimstr("\n")] | join(" ")'
xq seq5 "request numbers on one server connection" "1 2 3 4 5 / 1" \
	'"\([.responses[].headers["x-req"]] | join(" ")) / \([.responses[].headers["x-conn"]] | unique | length)"'
xq seq5 "server connections" 1 .srv.conns
xq pipe6 bodies "path=/p6-a|300000|path=/p6-c|path=/p6-d?x=1|path=/p6-e|path=/p6-f" \
	'[.responses[] | if .body_len > 1000 then (.body_len | tostring) else (.body | rtrimstr("\n")) end] | join("|")'
xq pipe6 "the 300 KB body" "$(printf '0123456789abcdef%.0s' $(seq 1 18750) | sha256sum | cut -d' ' -f1)" \
	'.responses[1].body_sha256'
xq pipe6 "request numbers on one server connection" "1 2 3 4 5 6 / 1" \
	'"\([.responses[].headers["x-req"]] | join(" ")) / \([.responses[].headers["x-conn"]] | unique | length)"'
xq pipe40 bodies "$(for i in $(seq -w 1 40); do printf 'path=/p40-%s ' "$i"; done)" \
	'[.responses[].body | rtrimstr("\n") + " "] | join("")'
xq pipe40 "request numbers" "$(seq 1 40 | tr '\n' ' ')" \
	'[.responses[].headers["x-req"] + " "] | join("")'
xq pipe40 "server connections" 1 .srv.conns
xq pipe40-close bodies "$(for i in $(seq -w 1 40); do printf 'path=/p40c-%s ' "$i"; done)" \
	'[.responses[].body | rtrimstr("\n") + " "] | join("")'
xq pipe40-close "server connections" 1 .srv.conns
xrun

step "request bodies"
xq body-cl "sha256 of the body" "sha256=$S_HW length=11 trailers=" "$B0"
xq body-cl "next request" "path=/after-cl" "$B1"
xq body-cl-holds-a-head "body untouched" \
	"sha256=$(printf 'GET /in-body HTTP/1.1\r\nHost: lb\r\n\r\n' | sha256sum | cut -d' ' -f1) length=35 trailers=" "$B0"
xq body-cl-holds-a-head "next request" "path=/after-clh" "$B1"
xq body-cl-holds-a-head "server request heads (the body is no request)" 2 .srv.requests
xq body-cl-300k "sha256 of the body" "sha256=$(sha_of_rep 300000 z) length=300000 trailers=" "$B0"
xq body-cl-300k "next request" "path=/after-cl-big" "$B1"
xq body-chunked "decoded body and trailers" "sha256=$S_HW length=11 trailers=X-Checksum,X-Other" "$B0"
xq body-chunked "next request" "path=/after-chunked" "$B1"
xq body-chunked-200k "sha256 of the body" "sha256=$(sha_of_rep 200000 y) length=200000 trailers=" "$B0"
xq body-chunked-200k "next request" "path=/after-chunked-big" "$B1"
xq body-chunked-split "sha256 of the body" "sha256=$S_HW length=11 trailers=X-T" "$B0"
xq body-chunked-split "next request" "path=/after-split" "$B1"
xq body-one-by-one "bodies" "sha256=$S_HELLO length=5 trailers=|sha256=$S_HELLO length=5 trailers=|path=/after-both" \
	'[.responses[].body | rtrimstr("\n")] | join("|")'
xrun
check_match "body-chunked: chunk extensions and trailers reached the server verbatim" \
	'6;q="quoted \\" ; str";flag' "$(grep -a 'quoted' "$T/ka.raw")"

step "responses without a body"
xq nobody-pipelined "bodies" "||||path=/interim?codes=103|||||path=/interim?codes=100,103|path=/final" \
	'[.responses[] | .body | rtrimstr("\n")] | join("|")'
xq nobody-pipelined "HEAD: Content-Length passed on" 50000 '.responses[0].headers["content-length"]'
xq nobody-pipelined "304: Content-Length and ETag passed on" '12345 "v1"' \
	'"\(.responses[2].headers["content-length"]) \(.responses[2].headers.etag)"'
xq nobody-pipelined "204 without Content-Length" null '.responses[1].headers["content-length"]'
xq nobody-pipelined "103's Link passed on" "</style.css>; rel=preload" '.responses[3].headers.link'
xq nobody-pipelined "HEAD of a chunked response: Transfer-Encoding passed on" chunked \
	'.responses[6].headers["transfer-encoding"]'
xq nobody-pipelined "final responses' request numbers" "1 2 3 4 5 6 7 8" \
	'[.responses[] | select(.status >= 200) | .headers["x-req"]] | join(" ")'
xq nobody-pipelined "interim responses" "103 100 103" \
	'[.responses[] | select(.status < 200) | .headers["x-interim"]] | join(" ")'
xq nobody-one-by-one "bodies" "|||path=/final-1" '[.responses[] | .body | rtrimstr("\n")] | join("|")'
xq nobody-backend-py "HEAD: no body, Content-Length passed on" "0 10" \
	'"\(.responses[0].body_len) \(.responses[0].headers["content-length"])"'
xq nobody-backend-py "after them" "server=py" '.responses[3].body | rtrimstr("\n")'
xq resp-chunked "decoded body" "path=/chunked" "$B0"
xq resp-chunked "next response" "path=/after-resp-chunked" "$B1"
xq resp-until-close "body to the server's close" "path=/eof" "$B0"
xrun

step "Expect: 100-continue"
xq expect-cl "the body after the 100" "sha256=$S_HELLO length=5 trailers=" "$B1"
xq expect-chunked "the body after the 100" "sha256=$S_HELLO length=5 trailers=" "$B1"
xq expect-chunked "next request" "path=/after-expect" '.responses[2].body | rtrimstr("\n")'
xrun
head -c 2097152 /dev/urandom >"$T/upload"
want=$(sha256sum <"$T/upload" | cut -d' ' -f1)
out=$(CURL_MAX_TIME=90 cli_curl -v --expect100-timeout 60 -H 'Expect: 100-continue' \
	--data-binary "@$T/upload" "http://$LB_IP:81/sha256" 2>"$T/curl.err") ||
	fail "curl upload failed: $(tail -5 "$T/curl.err")"
check_match "curl saw the 100 Continue" '^< HTTP/1.1 100 Continue' "$(tr -d '\r' <"$T/curl.err")"
check_eq "upload's sha256 at backend.py" "sha256=$want length=2097152" "$out"

step "Connection: close from the client: splicer closes (the server does not)"
for x in cc-pipelined cc-second cc-http10 cc-http10-keepalive; do
	xq $x "EOF from splicer, not a reset" "true false" '"\(.eof) \(.reset)"'
done
xq cc-pipelined "server requests" 1 .srv.requests
xq cc-second "bodies" "path=/cc-2a path=/cc-2b" '[.responses[].body | rtrimstr("\n")] | join(" ")'
xq cc-http10-keepalive "bodies" "path=/cc-4a path=/cc-4b" '[.responses[].body | rtrimstr("\n")] | join(" ")'
xrun
check_eq "nothing after the close reached the server" 0 "$(grep -c NOPE "$T/ka.raw")"

step "Connection: close from the server"
xq sc-close "response, then EOF" "path=/close true false" '"\(.responses[0].body | rtrimstr("\n")) \(.eof) \(.reset)"'
xq sc-close-pipelined "one response, then EOF" "path=/close true false" \
	'"\(.responses[0].body | rtrimstr("\n")) \(.eof) \(.reset)"'
xrun

step "X-Forwarded-For appended, X-Forwarded-Proto replaced, on every request"
# fv N NAME: a filter for the values of field NAME in the head backend.py echoed to request N
fv() { printf '.responses[%d].body | split("\\r\\n") | map(select(ascii_downcase | startswith("%s:")) | sub("^[^:]*: *"; "")) | join("|")' "$1" "$2"; }
xq xff "1: X-Forwarded-For" "$CLI_IP" "$(fv 0 x-forwarded-for)"
xq xff "1: X-Forwarded-Proto" http "$(fv 0 x-forwarded-proto)"
xq xff "2: X-Forwarded-For appended" "198.19.7.7, $CLI_IP" "$(fv 1 x-forwarded-for)"
xq xff "2: X-Forwarded-Proto replaced" http "$(fv 1 x-forwarded-proto)"
xq xff "3: X-Forwarded-For list appended" "198.19.7.7, 198.19.8.8, $CLI_IP" "$(fv 2 x-forwarded-for)"
xq xff "3: both X-Forwarded-Proto replaced by one" http "$(fv 2 x-forwarded-proto)"
xq xff "4: empty X-Forwarded-For filled" "$CLI_IP" "$(fv 3 x-forwarded-for)"
xrun

[ -z "$failed_x" ] || fail "exchanges failed: $failed_x (see above)"

check_drained
mod_unload
pass
