#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Byte-exact relay of large bodies in both directions. Asserts:
#  - GET of a 64 MiB blob: HTTP 200, exactly 67108864 bytes, sha256 equal to the
#    one the backend computed over what it sent (X-Blob-Sha256);
#  - POST of 16 MiB with Content-Length: the backend read 16777216 bytes whose
#    sha256 equals the client file's;
#  - POST of the same 16 MiB with Transfer-Encoding: chunked (the backend's log
#    shows the chunked header arrived, and no Content-Length): same check;
#  - the service's byte counters cover what was moved (bytes_out >= 64 MiB,
#    bytes_in >= 32 MiB); no connection left open; rmmod clean.
. "${SPLICER_TOP:-$(dirname "$0")/..}/selftests/lib.sh"

GET_SIZE=$((64 << 20))
POST_SIZE=$((16 << 20))
URL=http://$LB_IP:80

require_root
require_splicer
require_cmd curl sha256sum
topo_up 1
backends_start s1=198.18.1.2:8080
mod_load
ctl pool add app
ctl server add app s1 198.18.1.2:8080
ctl service add web listen "$LB_IP:80" pool app

step "GET /blob of $GET_SIZE bytes"
t0=$SECONDS
meta=$(cli_curl -D "$T/get.h" -o "$T/get.bin" -w '%{http_code} %{size_download}' \
	"$URL/blob?size=$GET_SIZE&seed=7") || fail "curl GET failed: $meta"
info "took $((SECONDS - t0))s"
check_eq "status and size" "200 $GET_SIZE" "$meta"
check_eq "size on disk" "$GET_SIZE" "$(stat -c %s "$T/get.bin")"
want=$(tr -d '\r' < "$T/get.h" | sed -n 's/^[Xx]-[Bb]lob-[Ss]ha256: //p')
got=$(sha256sum < "$T/get.bin" | cut -d' ' -f1)
check_match "backend announced a sha256" '^[0-9a-f]{64}$' "$want"
check_eq "sha256 of the body received = backend's" "$want" "$got"
rm -f "$T/get.bin"

step "POST /sha256 of $POST_SIZE bytes with Content-Length"
head -c "$POST_SIZE" /dev/urandom > "$T/post.bin"
want=$(sha256sum < "$T/post.bin" | cut -d' ' -f1)
t0=$SECONDS
got=$(cli_curl --data-binary "@$T/post.bin" -H 'Content-Type: application/octet-stream' \
	"$URL/sha256") || fail "curl POST failed: $got"
info "took $((SECONDS - t0))s"
check_eq "backend's sha256 and length" "sha256=$want length=$POST_SIZE" "$got"
check_match "backend saw Content-Length: $POST_SIZE" "^Content-Length: $POST_SIZE" \
	"$(grep -i '^content-length' "$(backend_log s1)" | tail -1)"

step "POST /sha256 of $POST_SIZE bytes, Transfer-Encoding: chunked"
t0=$SECONDS
got=$(cli_curl -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/octet-stream' \
	--data-binary "@$T/post.bin" "$URL/sha256") || fail "curl chunked POST failed: $got"
info "took $((SECONDS - t0))s"
check_eq "backend's sha256 and length" "sha256=$want length=$POST_SIZE" "$got"
last=$(awk '/^POST /{blk=""} {blk=blk $0 "\n"} END{printf "%s", blk}' "$(backend_log s1)")
check_match "backend saw Transfer-Encoding: chunked" '^Transfer-Encoding: chunked' "$(printf '%s' "$last" | grep -i '^transfer-encoding')"
if printf '%s' "$last" | grep -qi '^content-length'; then
	fail "the chunked request reached the backend with a Content-Length: $last"
fi

step "counters"
bin=$(proc_get services bytes_in name=web)
bout=$(proc_get services bytes_out name=web)
check_range "service bytes_out covers the GET" "$GET_SIZE" $((GET_SIZE * 2)) "$bout"
check_range "service bytes_in covers both POSTs" $((POST_SIZE * 2)) $((POST_SIZE * 3)) "$bin"
check_eq "requests" 3 "$(proc_get services requests name=web)"
check_drained
mod_unload
pass
