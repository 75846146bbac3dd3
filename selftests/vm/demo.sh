#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: splicer in a VM, start to finish, narrated. Runs inside the guest
# (selftests/vm/run.sh selftests/vm/demo.sh): builds the selftests' topology,
# loads the module, configures a service over three real backends (weights
# 1, 1, 2) with splicerctl, sends 12 requests and shows who answered, shows the
# counters and /proc/net/splicer/*, one malformed request, then cleans up.
. "${SPLICER_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/selftests/lib.sh"

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
show() {	# show CMD...: print "$ CMD" then its indented output
	printf '  $ %s\n' "$*"
	"$@" 2>&1 | sed 's/^/    /'
}

require_root
require_splicer
require_cmd curl

cat <<EOF

  splicer: a Layer-7 HTTP load balancer inside the Linux kernel

    client (ns $NS_CLI)            load balancer (ns $NS_LB)           backends (ns $NS_SRV)
    198.18.0.2  ---- veth ---->  198.18.0.1:80  splicer.ko  ---- veth ---->  198.18.1.2:8080 s1
                                 (in-kernel listener)                 198.18.1.3:8080 s2
                                                                      198.18.1.4:8080 s3
EOF

say "1. Network namespaces and three backends (python, selftests/lib/backend.py)"
topo_up 3
backends_start s1=198.18.1.2:8080 s2=198.18.1.3:8080 s3=198.18.1.4:8080
info "cli, lb and srv namespaces up; s1, s2, s3 listening"

say "2. Load the module"
mod_load
show modinfo -F description "$KO_SRC"
info "insmod $KO_SRC: done ($(grep -c '^splicer ' /proc/modules) module loaded)"

say "3. Configure it with splicerctl (in the lb namespace)"
ctl pool add app balance roundrobin
ctl server add app s1 198.18.1.2:8080 weight 1
ctl server add app s2 198.18.1.3:8080 weight 1
ctl server add app s3 198.18.1.4:8080 weight 2
ctl service add web listen "$LB_IP:80" pool app
ctl service show
ctl server show

say "4. Twelve requests from the client, a new connection each"
printf '  $ curl http://%s/   (x12)\n' "$LB_IP"
urls=()
for ((i = 0; i < 12; i++)); do urls+=("http://$LB_IP/"); done
# each body is "server=NAME\n"; -w adds the status on the next line
out=$(cli_curl -H 'Connection: close' -w '%{http_code}\n' "${urls[@]}") || fail "curl: $out"
n=0
while read -r body && read -r code; do
	n=$((n + 1))
	printf '    request %2d: HTTP %s, answered by %s\n' "$n" "$code" "${body#server=}"
done <<<"$out"
info "smooth weighted round-robin, weights 1:1:2 -> $(printf '%s\n' "$out" |
	sed -n 's/^server=\(s[0-9]\).*/\1/p' | sort | uniq -c | awk '{ printf "%s%s %d", sep, $2, $1; sep = ", " }')"

say "5. What the backend sees: the request head, with X-Forwarded-For added"
printf '  $ curl http://%s/headers\n' "$LB_IP"
cli_curl "http://$LB_IP/headers" | tr -d '\r' | sed 's/^/    /'

say "6. Counters"
ctl stats
for f in services servers conns; do
	printf '  $ cat /proc/net/splicer/%s\n' "$f"
	in_lb cat "/proc/net/splicer/$f" | column -t | sed 's/^/    /'
done

say "7. A malformed request is answered by splicer itself and never reaches a server"
printf '  $ printf '"'"'HELLO\\r\\n\\r\\n'"'"' > /dev/tcp/%s/80\n' "$LB_IP"
in_cli timeout 10 bash -c '
	exec 3<>"/dev/tcp/$1/80" || exit 1
	printf "HELLO\r\n\r\n" >&3
	while IFS= read -r -u 3 line || [ -n "$line" ]; do
		printf "    %s\n" "${line%$'"'"'\r'"'"'}"
	done' demo "$LB_IP"
info "r400 counter of service web: $(proc_get services r400 name=web)"

say "8. Clean up"
ctl service del web
ctl pool del app
mod_unload
info "namespaces and backends go with the exit trap"
say "Done."
pass
