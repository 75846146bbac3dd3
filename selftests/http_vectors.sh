#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 400
# Every request rule of issue 3, sent raw through the service, one TCP
# connection per vector (selftests/lib/rawhttp.py), to a server that records
# every byte it receives (selftests/lib/rawsrv.py). Asserts, per vector:
#  - the exact responses: splicer's own 400/414/431/501/505 with its exact status
#    line, Connection: close, a body, then EOF (no reset, no timeout);
#  - whatever must not reach a server (marked NOPE) never does; a head refused
#    before binding opens no server connection at all; the server received
#    exactly the requests it answered;
# for these rules:
#  - Content-Length with Transfer-Encoding (either order), differing Content-
#    Lengths (two fields, a list), malformed Content-Length, Transfer-Encoding
#    not ending in chunked, repeated chunked, with parameters, in HTTP/1.0 -> 400;
#    unknown codings -> 501;
#  - obs-fold, whitespace before the colon, bare CR, bare LF, NUL and other
#    control bytes in names, values, target and method -> 400;
#  - missing Host in HTTP/1.1, repeated Host, invalid Host -> 400;
#  - HTTP/0.9 ("GET /\r\n\r\n", and a lone "GET /\r\n" answered at once, not at
#    the header timeout) -> 400; HTTP/0.9, 1.2, 2.0, 3.0 in the version -> 505;
#    malformed versions -> 400; the HTTP/2 preface, alone and with a SETTINGS
#    frame -> 505 and close;
#  - limits, default service: a request line of 8190 bytes passes, 8191 -> 414,
#    one that never ends within head-max -> 414; 128 fields pass, 129 -> 431; a
#    20 KB head of few fields -> 431. A second service with max-line 256,
#    max-headers 4, head-max 1024: 256 passes, 257 -> 414; 4 fields pass, 5 ->
#    431; a 1100-byte head -> 431; the same requests pass on the default service;
#  - chunked body errors (bad size, 17 digits, whitespace or bare LF after the
#    size, chunk-ext too long or malformed, no CRLF after the data, forbidden or
#    malformed trailers), the head having been forwarded -> 400 and close, and
#    nothing after the bad chunk reaches the server (also when the good chunks
#    before it were forwarded first);
#  - the same bad requests as the second (or third) request of a keep-alive
#    connection, pipelined in one write or sent after the first response: the
#    server's 200 first, then splicer's 4xx/505 and close, the server having
#    received only the good requests;
#  - a request line of 8190 bytes as the second request, pipelined or sent
#    after the first response, passes (the buffer grows past its first 4 KiB);
#  - positive controls: leading empty lines, HTTP/1.0 without Host, a
#    Content-Length list of equal values are forwarded;
#  - the services' r400/r414/r431/r501/r505 counters match the answers, the
#    requests counter the vectors;
#  - no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$LIB/httptest.sh"

require_root
require_splicer
topo_up 1
rawsrv_start s1=198.18.1.2:8080
mod_load
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add web listen "$LB_IP:80" pool app header-timeout 4s
ctl service add tight listen "$LB_IP:81" pool app header-timeout 4s \
	head-max 1024 max-line 256 max-headers 4

# NAME | PORT | EXPECT | DATA   (see selftests/lib/rawhttp.py)
# Request line lengths: "GET " + target + " HTTP/1.1" is 13 + the target.
cat >"$T/vectors" <<'EOF'
# ---- positive controls: forwarded as they are
ok-plain | 80 | 200 | GET /ok-plain HTTP/1.1\r\nHost: lb\r\n\r\n
ok-leading-crlf | 80 | 200 | \r\n\r\nGET /ok-leading-crlf HTTP/1.1\r\nHost: lb\r\n\r\n
ok-http10-no-host | 80 | 200 | GET /ok-http10 HTTP/1.0\r\n\r\n
ok-cl-list-same | 80 | 200 | POST /sha256 HTTP/1.1\r\nHost: lb\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\nhello

# ---- Content-Length and Transfer-Encoding
te-then-cl | 80 | 400 | POST /NOPE-te-cl HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n
cl0-and-te | 80 | 400 | POST /NOPE-cl0-te HTTP/1.1\r\nHost: lb\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n
cl-and-te-gzip-chunked | 80 | 400 | POST /NOPE-cl-te2 HTTP/1.1\r\nHost: lb\r\nContent-Length: 3\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n
cl-two-fields-differ | 80 | 400 | POST /NOPE-cl2 HTTP/1.1\r\nHost: lb\r\nContent-Length: 3\r\nContent-Length: 30\r\n\r\nabc
cl-list-differ | 80 | 400 | POST /NOPE-cl-list HTTP/1.1\r\nHost: lb\r\nContent-Length: 5, 6\r\n\r\nhello!
cl-list-differ-last | 80 | 400 | POST /NOPE-cl-list3 HTTP/1.1\r\nHost: lb\r\nContent-Length: 5,5,50\r\n\r\nhello
cl-plus | 80 | 400 | POST /NOPE-cl-plus HTTP/1.1\r\nHost: lb\r\nContent-Length: +5\r\n\r\nhello
cl-negative | 80 | 400 | POST /NOPE-cl-neg HTTP/1.1\r\nHost: lb\r\nContent-Length: -1\r\n\r\nhello
cl-hex | 80 | 400 | POST /NOPE-cl-hex HTTP/1.1\r\nHost: lb\r\nContent-Length: 0x5\r\n\r\nhello
cl-two-numbers | 80 | 400 | POST /NOPE-cl-sp HTTP/1.1\r\nHost: lb\r\nContent-Length: 1 2\r\n\r\nhello
cl-empty | 80 | 400 | POST /NOPE-cl-empty HTTP/1.1\r\nHost: lb\r\nContent-Length: \r\n\r\nhello
cl-overflow | 80 | 400 | POST /NOPE-cl-big HTTP/1.1\r\nHost: lb\r\nContent-Length: 99999999999999999999\r\n\r\nhello
te-chunked-then-gzip | 80 | 400 | POST /NOPE-te-cg HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n
te-gzip-only | 80 | 400 | POST /NOPE-te-g HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: gzip\r\n\r\nhello
te-two-fields-gzip-last | 80 | 400 | POST /NOPE-te-2f HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n
te-chunked-twice | 80 | 400 | POST /NOPE-te-cc HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n
te-parameters | 80 | 400 | POST /NOPE-te-par HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n
te-http10 | 80 | 400 | POST /NOPE-te-10 HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n
te-unknown-then-chunked | 80 | 501 | POST /NOPE-te-foo HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: foo, chunked\r\n\r\n0\r\n\r\n
te-unknown-xchunked | 80 | 501 | POST /NOPE-te-x HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n
te-identity | 80 | 501 | POST /NOPE-te-id HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: identity\r\n\r\nhello

# ---- field syntax
obs-fold-sp | 80 | 400 | GET /NOPE-fold HTTP/1.1\r\nHost: lb\r\nX-Fold: a\r\n b\r\n\r\n
obs-fold-tab | 80 | 400 | GET /NOPE-fold-tab HTTP/1.1\r\nHost: lb\r\nX-Fold: a\r\n\tb\r\n\r\n
obs-fold-first-line | 80 | 400 | GET /NOPE-fold1 HTTP/1.1\r\n Host: lb\r\n\r\n
obs-fold-content-length | 80 | 400 | POST /NOPE-fold-cl HTTP/1.1\r\nHost: lb\r\nContent-Length:\r\n 5\r\n\r\nhello
ws-before-colon | 80 | 400 | GET /NOPE-wsc HTTP/1.1\r\nHost : lb\r\n\r\n
tab-before-colon | 80 | 400 | GET /NOPE-tabc HTTP/1.1\r\nHost: lb\r\nX-A\t: 1\r\n\r\n
ws-before-colon-cl | 80 | 400 | POST /NOPE-wsc-cl HTTP/1.1\r\nHost: lb\r\nContent-Length : 5\r\n\r\nhello
ws-before-colon-te | 80 | 400 | POST /NOPE-wsc-te HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n
empty-name | 80 | 400 | GET /NOPE-noname HTTP/1.1\r\nHost: lb\r\n: v\r\n\r\n
bare-cr-in-value | 80 | 400 | GET /NOPE-cr HTTP/1.1\r\nHost: lb\r\nX-A: a\rb\r\n\r\n
bare-cr-before-crlf | 80 | 400 | GET /NOPE-crcr HTTP/1.1\r\nHost: lb\r\nX-A: a\r\r\n\r\n
bare-cr-in-name | 80 | 400 | GET /NOPE-crn HTTP/1.1\r\nHost: lb\r\nX-\rA: 1\r\n\r\n
bare-cr-request-line | 80 | 400 | GET /NOPE-crl\r HTTP/1.1\r\nHost: lb\r\n\r\n
bare-lf-field | 80 | 400 | GET /NOPE-lf HTTP/1.1\r\nHost: lb\nX-A: 1\r\n\r\n
bare-lf-everywhere | 80 | 400 | GET /NOPE-lf2 HTTP/1.1\nHost: lb\n\n
nul-in-name | 80 | 400 | GET /NOPE-nul-n HTTP/1.1\r\nHost: lb\r\nX-A\x00B: 1\r\n\r\n
nul-in-value | 80 | 400 | GET /NOPE-nul-v HTTP/1.1\r\nHost: lb\r\nX-A: a\x00b\r\n\r\n
nul-in-target | 80 | 400 | GET /NOPE-nul-t\x00 HTTP/1.1\r\nHost: lb\r\n\r\n
ctl-01-in-name | 80 | 400 | GET /NOPE-c1n HTTP/1.1\r\nHost: lb\r\nX-A\x01: 1\r\n\r\n
del-in-name | 80 | 400 | GET /NOPE-deln HTTP/1.1\r\nHost: lb\r\nX-\x7f: 1\r\n\r\n
high-byte-in-name | 80 | 400 | GET /NOPE-hin HTTP/1.1\r\nHost: lb\r\nX-\xe9: 1\r\n\r\n
ctl-01-in-value | 80 | 400 | GET /NOPE-c1v HTTP/1.1\r\nHost: lb\r\nX-A: a\x01b\r\n\r\n
esc-in-value | 80 | 400 | GET /NOPE-escv HTTP/1.1\r\nHost: lb\r\nX-A: \x1b[31mred\r\n\r\n
vt-in-value | 80 | 400 | GET /NOPE-vtv HTTP/1.1\r\nHost: lb\r\nX-A: a\x0bb\r\n\r\n
ff-in-value | 80 | 400 | GET /NOPE-ffv HTTP/1.1\r\nHost: lb\r\nX-A: a\x0cb\r\n\r\n
del-in-value | 80 | 400 | GET /NOPE-delv HTTP/1.1\r\nHost: lb\r\nX-A: a\x7fb\r\n\r\n
ctl-in-host | 80 | 400 | GET /NOPE-c1h HTTP/1.1\r\nHost: l\x01b\r\n\r\n
ctl-in-target | 80 | 400 | GET /NOPE-c1t\x01x HTTP/1.1\r\nHost: lb\r\n\r\n
del-in-target | 80 | 400 | GET /NOPE-delt\x7fx HTTP/1.1\r\nHost: lb\r\n\r\n
ctl-in-method | 80 | 400 | G\x01T /NOPE-c1m HTTP/1.1\r\nHost: lb\r\n\r\n
space-in-target | 80 | 400 | GET /NOPE-sp ace HTTP/1.1\r\nHost: lb\r\n\r\n
leading-space | 80 | 400 |  GET /NOPE-lsp HTTP/1.1\r\nHost: lb\r\n\r\n

# ---- Host
host-missing | 80 | 400 | GET /NOPE-nohost HTTP/1.1\r\nX-A: 1\r\n\r\n
host-missing-no-fields | 80 | 400 | GET /NOPE-nohost2 HTTP/1.1\r\n\r\n
host-repeated-same | 80 | 400 | GET /NOPE-2host HTTP/1.1\r\nHost: lb\r\nHost: lb\r\n\r\n
host-repeated-differ | 80 | 400 | GET /NOPE-2hostd HTTP/1.1\r\nHost: lb\r\nX-A: 1\r\nhost: other\r\n\r\n
host-with-slash | 80 | 400 | GET /NOPE-hslash HTTP/1.1\r\nHost: lb/evil\r\n\r\n
host-with-space | 80 | 400 | GET /NOPE-hsp HTTP/1.1\r\nHost: l b\r\n\r\n

# ---- versions
http09 | 80 | 400 | GET /NOPE-09\r\n\r\n
http09-lone-line | 80 | 400 | GET /NOPE-09-lone\r\n
version-0.9 | 80 | 505 | GET /NOPE-v09 HTTP/0.9\r\nHost: lb\r\n\r\n
version-1.2 | 80 | 505 | GET /NOPE-v12 HTTP/1.2\r\nHost: lb\r\n\r\n
version-2.0 | 80 | 505 | GET /NOPE-v20 HTTP/2.0\r\nHost: lb\r\n\r\n
version-3.0 | 80 | 505 | GET /NOPE-v30 HTTP/3.0\r\nHost: lb\r\n\r\n
version-lowercase | 80 | 400 | GET /NOPE-vlc http/1.1\r\nHost: lb\r\n\r\n
version-two-digit-minor | 80 | 400 | GET /NOPE-v110 HTTP/1.10\r\nHost: lb\r\n\r\n
version-no-minor | 80 | 400 | GET /NOPE-v1 HTTP/1\r\nHost: lb\r\n\r\n
h2-preface | 80 | 505 | PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n
h2-preface-settings | 80 | 505 | PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x0c\x04\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x64\x00\x04\x00\x00\xff\xffNOPE

# ---- limits, default service: max-line 8190, max-headers 128, head-max 16384
line-8190-passes | 80 | 200 | GET /ok-line-8190-<rep 8163 a> HTTP/1.1\r\nHost: lb\r\n\r\n
line-8191 | 80 | 414 | GET /NOPE-line-8191-<rep 8162 a> HTTP/1.1\r\nHost: lb\r\n\r\n
line-unterminated | 80 | 414 | GET /NOPE-line-<rep 17000 a>
headers-128-pass | 80 | 200 | GET /ok-h128 HTTP/1.1\r\nHost: lb\r\n<rep 127 X-H: 1\r\n>\r\n
headers-129 | 80 | 431 | GET /NOPE-h129 HTTP/1.1\r\nHost: lb\r\n<rep 128 X-H: 1\r\n>\r\n
head-20k | 80 | 431 | GET /NOPE-head20k HTTP/1.1\r\nHost: lb\r\n<rep 100 X-Pad: <rep 190 a>\r\n>\r\n
# ---- limits, service "tight": max-line 256, max-headers 4, head-max 1024
t-line-256-passes | 81 | 200 | GET /ok-line-256-<rep 230 a> HTTP/1.1\r\nHost: lb\r\n\r\n
t-line-257 | 81 | 414 | GET /NOPE-line-257-<rep 229 a> HTTP/1.1\r\nHost: lb\r\n\r\n
t-line-unterminated | 81 | 414 | GET /NOPE-tline-<rep 1100 a>
t-headers-4-pass | 81 | 200 | GET /ok-h4 HTTP/1.1\r\nHost: lb\r\n<rep 3 X-H: 1\r\n>\r\n
t-headers-5 | 81 | 431 | GET /NOPE-h5 HTTP/1.1\r\nHost: lb\r\n<rep 4 X-H: 1\r\n>\r\n
t-head-1100 | 81 | 431 | GET /NOPE-head1100 HTTP/1.1\r\nHost: lb\r\nX-Pad: <rep 1050 a>\r\n\r\n
# what "tight" refuses, the default service forwards
t-line-257-on-default | 80 | 200 | GET /ok-line-257-<rep 231 a> HTTP/1.1\r\nHost: lb\r\n\r\n
t-headers-5-on-default | 80 | 200 | GET /ok-h5 HTTP/1.1\r\nHost: lb\r\n<rep 4 X-H: 1\r\n>\r\n
t-head-1100-on-default | 80 | 200 | GET /ok-head1100 HTTP/1.1\r\nHost: lb\r\nX-Pad: <rep 1050 a>\r\n\r\n

# ---- chunked body errors: the head is fine and forwarded; nothing after the bad chunk
chunk-size-not-hex | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nNOPE\r\n0\r\n\r\n
chunk-size-17-digits | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000004\r\nNOPE\r\n0\r\n\r\n
chunk-size-negative | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n-4\r\nNOPE\r\n0\r\n\r\n
chunk-size-0x | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n0x4\r\nNOPE\r\n0\r\n\r\n
chunk-size-space-before-crlf | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n4 \r\nNOPE\r\n0\r\n\r\n
chunk-size-bare-lf | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n4\nNOPE\r\n0\r\n\r\n
chunk-size-empty | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n\r\nNOPE\r\n0\r\n\r\n
chunk-data-no-crlf | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloNOPE\r\n0\r\n\r\n
chunk-data-longer-than-size | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhelloNOPE\r\n0\r\n\r\n
chunk-ext-too-long | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n4;<rep 300 x>\r\nNOPE\r\n0\r\n\r\n
chunk-ext-many-params | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n4<rep 100 ;a=b>\r\nNOPE\r\n0\r\n\r\n
chunk-ext-no-name | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n4;=v\r\nNOPE\r\n0\r\n\r\n
chunk-ext-unterminated-quote | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n4;a="b\r\nNOPE\r\n0\r\n\r\n
chunk-ext-junk-after-quote | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n4;a="b"c\r\nNOPE\r\n0\r\n\r\n
chunk-ext-space-in-value | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n4;a=b c\r\nNOPE\r\n0\r\n\r\n
chunk-ext-trailing-space | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n4;a=b \r\nNOPE\r\n0\r\n\r\n
chunk-ext-nul | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n4;a\x00\r\nNOPE\r\n0\r\n\r\n
chunk-ext-bare-cr | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n4;a\rb\r\nNOPE\r\n0\r\n\r\n
trailer-content-length | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nContent-Length: 4\r\n\r\nNOPE
trailer-transfer-encoding | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nNOPE\r\n0\r\n\r\n
trailer-host | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nhost: other\r\n\r\nGET /NOPE-trh HTTP/1.1\r\nHost: lb\r\n\r\n
trailer-obs-fold | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: a\r\n b\r\n\r\nGET /NOPE-trf HTTP/1.1\r\nHost: lb\r\n\r\n
trailer-ws-before-colon | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T : a\r\n\r\nGET /NOPE-trw HTTP/1.1\r\nHost: lb\r\n\r\n
trailer-bare-lf | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: a\n\r\nGET /NOPE-trl HTTP/1.1\r\nHost: lb\r\n\r\n
trailer-nul | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: a\x00\r\n\r\nGET /NOPE-trn HTTP/1.1\r\nHost: lb\r\n\r\n
chunk-bad-after-good-forwarded | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n<sleep 0.5>zz\r\nNOPE\r\n0\r\n\r\n
chunk-ext-bad-after-good-forwarded | 80 | 400/body | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n<sleep 0.5>4;a="b\r\nNOPE\r\n0\r\n\r\n

# ---- the same, as a later request on a keep-alive connection (pipelined in one write unless <wait>)
ka-cl-and-te | 80 | 200,400 | GET /ka-1 HTTP/1.1\r\nHost: lb\r\n\r\nPOST /NOPE-ka-clte HTTP/1.1\r\nHost: lb\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n
ka-cl-list-differ | 80 | 200,400 | GET /ka-2 HTTP/1.1\r\nHost: lb\r\n\r\nPOST /NOPE-ka-cl HTTP/1.1\r\nHost: lb\r\nContent-Length: 5, 6\r\n\r\nhello!
ka-cl-two-fields-differ | 80 | 200,400 | GET /ka-3 HTTP/1.1\r\nHost: lb\r\n\r\nPOST /NOPE-ka-cl2 HTTP/1.1\r\nHost: lb\r\nContent-Length: 6\r\nContent-Length: 5\r\n\r\nhello!
ka-te-not-chunked-last | 80 | 200,400 | GET /ka-4 HTTP/1.1\r\nHost: lb\r\n\r\nPOST /NOPE-ka-te HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n
ka-te-unknown | 80 | 200,501 | GET /ka-5 HTTP/1.1\r\nHost: lb\r\n\r\nPOST /NOPE-ka-te-foo HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: foo, chunked\r\n\r\n0\r\n\r\n
ka-obs-fold | 80 | 200,400 | GET /ka-6 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-fold HTTP/1.1\r\nHost: lb\r\nX-F: a\r\n b\r\n\r\n
ka-ws-before-colon | 80 | 200,400 | GET /ka-7 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-wsc HTTP/1.1\r\nHost : lb\r\n\r\n
ka-bare-cr | 80 | 200,400 | GET /ka-8 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-cr HTTP/1.1\r\nHost: lb\r\nX-A: a\rb\r\n\r\n
ka-bare-lf | 80 | 200,400 | GET /ka-9 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-lf HTTP/1.1\r\nHost: lb\nX-A: 1\r\n\r\n
ka-nul-in-value | 80 | 200,400 | GET /ka-10 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-nul HTTP/1.1\r\nHost: lb\r\nX-A: a\x00b\r\n\r\n
ka-ctl-in-name | 80 | 200,400 | GET /ka-11 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-ctl HTTP/1.1\r\nHost: lb\r\nX-\x01: 1\r\n\r\n
ka-host-missing | 80 | 200,400 | GET /ka-12 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-nohost HTTP/1.1\r\nX-A: 1\r\n\r\n
ka-host-repeated | 80 | 200,400 | GET /ka-13 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-2host HTTP/1.1\r\nHost: lb\r\nHost: other\r\n\r\n
ka-http09 | 80 | 200,400 | GET /ka-14 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-09\r\n\r\n
ka-version-1.2 | 80 | 200,505 | GET /ka-15 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-v12 HTTP/1.2\r\nHost: lb\r\n\r\n
ka-h2-preface | 80 | 200,505 | GET /ka-16 HTTP/1.1\r\nHost: lb\r\n\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\nNOPE
ka-line-8191 | 80 | 200,414 | GET /ka-17 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-line-<rep 8164 a> HTTP/1.1\r\nHost: lb\r\n\r\n
ka-line-unterminated | 80 | 200,414 | GET /ka-18 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-line-<rep 17000 a>
ka-headers-129 | 80 | 200,431 | GET /ka-19 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-h129 HTTP/1.1\r\nHost: lb\r\n<rep 128 X-H: 1\r\n>\r\n
ka-head-20k | 80 | 200,431 | GET /ka-20 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-head HTTP/1.1\r\nHost: lb\r\n<rep 100 X-Pad: <rep 190 a>\r\n>\r\n
ka-after-cl-body | 80 | 200,400 | POST /sha256 HTTP/1.1\r\nHost: lb\r\nContent-Length: 5\r\n\r\nhelloGET /NOPE-ka-acl HTTP/1.1\r\nHost: lb\r\nHost: lb\r\n\r\n
ka-after-chunked-body | 80 | 200,400 | POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nX-T: 1\r\n\r\nGET /NOPE-ka-ach HTTP/1.1\r\nHost: lb\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab
ka-third | 80 | 200,200,400 | GET /ka-21a HTTP/1.1\r\nHost: lb\r\n\r\nGET /ka-21b HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-ka-third HTTP/1.1\r\nHost: lb\r\nX-A\x00: 1\r\n\r\n
ka-wait-cl-and-te | 80 | 200,400 | GET /ka-22 HTTP/1.1\r\nHost: lb\r\n\r\n<wait>POST /NOPE-ka-w-clte HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n
ka-wait-obs-fold | 80 | 200,400 | GET /ka-23 HTTP/1.1\r\nHost: lb\r\n\r\n<wait>GET /NOPE-ka-w-fold HTTP/1.1\r\nHost: lb\r\nX-F: a\r\n\tb\r\n\r\n
ka-wait-version-2.0 | 80 | 200,505 | GET /ka-24 HTTP/1.1\r\nHost: lb\r\n\r\n<wait>GET /NOPE-ka-w-v20 HTTP/2.0\r\nHost: lb\r\n\r\n
ka-wait-headers-129 | 80 | 200,431 | GET /ka-25 HTTP/1.1\r\nHost: lb\r\n\r\n<wait>GET /NOPE-ka-w-h129 HTTP/1.1\r\nHost: lb\r\n<rep 128 X-H: 1\r\n>\r\n
ka-wait-bad-chunk | 80 | 200,400/body | GET /ka-26 HTTP/1.1\r\nHost: lb\r\n\r\n<wait>POST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nNOPE\r\n0\r\n\r\n
ka-pipelined-bad-chunk | 80 | 200,400/body | GET /ka-27 HTTP/1.1\r\nHost: lb\r\n\r\nPOST /sha256 HTTP/1.1\r\nHost: lb\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nNOPE\r\n0\r\n\r\n
t-ka-line-257 | 81 | 200,414 | GET /ka-28 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-tka-line-<rep 229 a> HTTP/1.1\r\nHost: lb\r\n\r\n
t-ka-headers-5 | 81 | 200,431 | GET /ka-29 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-tka-h5 HTTP/1.1\r\nHost: lb\r\n<rep 4 X-H: 1\r\n>\r\n
t-ka-head-1100 | 81 | 200,431 | GET /ka-30 HTTP/1.1\r\nHost: lb\r\n\r\nGET /NOPE-tka-head HTTP/1.1\r\nHost: lb\r\nX-Pad: <rep 1050 a>\r\n\r\n
# a later head larger than the buffer a request starts with (4 KiB) grows it
ka-line-8190-passes | 80 | 200,200 | GET /ka-31 HTTP/1.1\r\nHost: lb\r\n\r\nGET /ok-ka-line-8190-<rep 8160 a> HTTP/1.1\r\nHost: lb\r\n\r\n
ka-wait-line-8190-passes | 80 | 200,200 | GET /ka-32 HTTP/1.1\r\nHost: lb\r\n\r\n<wait>GET /ok-ka-w-line-8190-<rep 8158 a> HTTP/1.1\r\nHost: lb\r\n\r\n
EOF

nvec=$(grep -v '^#' "$T/vectors" | grep -c ' | ')
step "$nvec vectors, one connection each"
rc=0
rawhttp "$T/vectors" "$T/results.json" --srv-dir "$T" --srv s1 --timeout 10 || rc=$?
R=$T/results.json
check_eq "exchanges run" "$nvec" "$(wc -l <"$R")"
# A failed vector fails the test at the end, after the checks below (so that
# one run reports everything).
failed=$(jq -r 'select(.ok | not) | .name' "$R" | paste -sd' ')
if [ -n "$failed" ]; then
	jq -r 'select(.ok | not) | "\(.name): \(.errors | join("; "))"' "$R" | sed 's/^/  FAILED /'
elif [ "$rc" != 0 ]; then
	failed="(rawhttp.py exited $rc)"
else
	ok "every vector answered as expected"
fi

step "the services' counters match the answers"
for port in 80 81; do
	name=web
	[ $port = 81 ] && name=tight
	for st in 400 414 431 501 505; do
		check_eq "$name r$st" "$(jq -s --argjson p $port --argjson s $st \
			'[.[] | select(.port == $p) | .statuses[] | select(. == $s)] | length' "$R")" \
			"$(proc_get services r$st name=$name)"
	done
	# forwarded requests: every answer from the server, and every head whose body failed
	if [ -z "$failed" ]; then
		check_eq "$name requests" "$(jq -s --argjson p $port \
			'[.[] | select(.port == $p) | .expect | split(",")[] |
			  select(test("^(1|2|3)|/body$"))] | length' "$R")" \
			"$(proc_get services requests name=$name)"
	fi
done

step "the server: only the good requests"
check_eq "NOPE never reached the server" 0 "$(grep -c NOPE "$T/s1.raw")"
check_eq "request heads the server got" \
	"$(jq -s '[.[] | .srv.requests] | add' "$R")" "$(backend_requests s1)"

check_drained
mod_unload
[ -z "$failed" ] || fail "vectors failed: $failed (see above)"
pass
