#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 1200 (a bound for loaded hosts; about 1-2 minutes on an idle one)
# Byte-exact relay of large bodies over TLS (kTLS both ways on the client
# leg), in both directions, by sha256. A service "web" on 198.18.0.1:443
# with tls on. Asserts:
#  - GET of a 64 MiB blob over TLS 1.3 TLS_AES_128_GCM_SHA256 (kTLS sends):
#    HTTP 200, exactly 67108864 bytes, sha256 equal to the one the backend
#    computed over what it sent (X-Blob-Sha256);
#  - POST of 64 MiB of random bytes with Content-Length over TLS 1.2
#    ECDHE-ECDSA-CHACHA20-POLY1305 (kTLS receives): the backend read
#    67108864 bytes whose sha256 equals the client file's;
#  - the log names each connection's version and suite; tls_handshakes 2,
#    tls_failed 0; kTLS saw no bad record (TlsDecryptError 0);
#  - the service's byte counters cover what was moved (bytes_out >= 64 MiB,
#    bytes_in >= 64 MiB); no connection and no kTLS socket left; rmmod
#    clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"
. "$SPLICER_TOP/selftests/lib/tls.sh"

SIZE=$((64 << 20))
CURL_MAX_TIME=900

require_root
require_splicer
require_cmd sha256sum
tls_require
topo_up 1
backends_start s1=198.18.1.2:8080
mod_load
tls_certs
tls_conf web
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add plain listen "$LB_IP:80" pool app
ctl service add web listen "$LB_IP:443" pool app tls on
tlog_start 80
hs_start
# the upload's bytes, made while nothing else runs
head -c "$SIZE" /dev/urandom >"$T/post.bin"
want_post=$(sha256sum <"$T/post.bin" | cut -d' ' -f1)

step "GET /blob of $SIZE bytes, TLS 1.3 TLS_AES_128_GCM_SHA256"
t0=$SECONDS
meta=$(https --tlsv1.3 --tls13-ciphers TLS_AES_128_GCM_SHA256 -D "$T/get.h" -o "$T/get.bin" \
	-w '%{http_code} %{size_download} %{local_port}' \
	"https://shop.example/blob?size=$SIZE&seed=7") || fail "curl GET failed: $meta"
info "took $((SECONDS - t0))s"
read -r code size port <<<"$meta"
check_eq "status and size" "200 $SIZE" "$code $size"
check_eq "size on disk" "$SIZE" "$(stat -c %s "$T/get.bin")"
want=$(tr -d '\r' <"$T/get.h" | sed -n 's/^[Xx]-[Bb]lob-[Ss]ha256: //p')
got=$(sha256sum <"$T/get.bin" | cut -d' ' -f1)
check_match "the backend announced a sha256" '^[0-9a-f]{64}$' "$want"
check_eq "sha256 of the body received = the backend's" "$want" "$got"
rm -f "$T/get.bin"
check_eq "the log's tls" "TLSv1.3 TLS_AES_128_GCM_SHA256 sni=shop.example" \
	"$(tlog_field "$(tlog_conn "$port")" tls)"

step "POST /sha256 of $SIZE bytes with Content-Length, TLS 1.2 ECDHE-ECDSA-CHACHA20-POLY1305"
t0=$SECONDS
: >"$T/post.out"
port=$(https --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-ECDSA-CHACHA20-POLY1305 \
	--data-binary "@$T/post.bin" -H 'Content-Type: application/octet-stream' -H 'Expect:' \
	-o "$T/post.out" -w '%{local_port}' "https://shop.example/sha256") ||
	fail "curl POST failed: $(cat "$T/post.out")"
info "took $((SECONDS - t0))s"
check_eq "the backend's sha256 and length" "sha256=$want_post length=$SIZE" "$(cat "$T/post.out")"
check_match "the backend saw Content-Length: $SIZE" "^Content-Length: $SIZE" \
	"$(grep -i '^content-length' "$(backend_log s1)" | tail -1)"
check_eq "the log's tls" "TLSv1.2 ECDHE-ECDSA-CHACHA20-POLY1305 sni=shop.example" \
	"$(tlog_field "$(tlog_conn "$port")" tls)"

step "counters"
check_eq "tls_handshakes tls_failed" "2 0" "$(tls_stat tls_handshakes web) $(tls_stat tls_failed web)"
check_eq "kTLS: no record failed to decrypt (TlsDecryptError)" 0 "$(ktls_stat TlsDecryptError)"
check_range "service bytes_out covers the GET" "$SIZE" $((SIZE * 2)) "$(proc_get services bytes_out name=web)"
check_range "service bytes_in covers the POST" "$SIZE" $((SIZE * 2)) "$(proc_get services bytes_in name=web)"
check_eq "requests" 2 "$(proc_get services requests name=web)"
check_drained
wait_until "kTLS sockets to close" 50 0.1 ktls_idle
check_eq "no kTLS socket left (TlsCurrTxSw TlsCurrRxSw)" "0 0" "$(ktls_stat TlsCurrTxSw) $(ktls_stat TlsCurrRxSw)"
mod_unload
pass
