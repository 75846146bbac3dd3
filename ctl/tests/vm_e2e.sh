#!/usr/bin/env bash
# End-to-end test of splicerctl against splicer.ko, run inside the VM:
#
#   make -C ctl vm-test
#   (or: make -C ctl all tests/splicerctl-noretry &&
#        selftests/vm/run.sh ctl/tests/vm_e2e.sh)
#
# Loads kmod/splicer.ko, then drives every command in a network namespace
# (via -n and via ip netns exec), checks plain and JSON output, exit
# statuses, the kernel's extack messages, CAP_NET_ADMIN refusal, netns
# isolation, and dumps racing with changes. Writes only under /tmp.
set -u

top=${SPLICER_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
ctl=$top/ctl/splicerctl
noretry=$top/ctl/tests/splicerctl-noretry
ns=splctl$$ ns2=splctl2$$
pass=0 fail=0
out=/tmp/splctl.out err=/tmp/splctl.err

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; sed 's/^/     | /' "$out" "$err"; }

# run WANT_RC ARGS...: splicerctl in the test netns, output in $out/$err
run() {
	local want=$1 rc
	shift
	"$ctl" -n "$ns" "$@" >"$out" 2>"$err"
	rc=$?
	if [ "$rc" = "$want" ]; then ok "[$rc] splicerctl $*"; else bad "[$rc, want $want] splicerctl $*"; fi
}
# expect FILE REGEX: the file matches
expect() {
	if grep -Eq -- "$2" "$1"; then ok "  ${1##*/} ~ $2"; else bad "  ${1##*/} !~ $2"; fi
}
json() {
	if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" 2>>"$err"; then
		ok "  valid JSON"
	else
		bad "  invalid JSON"
	fi
}
# py_is EXPR VALUE: the Python expression EXPR over d (the JSON document
# in $out), printed as compact JSON, is VALUE
py_is() {
	local got
	got=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps(eval(sys.argv[2]), separators=(",", ":")))' "$out" "$1" 2>&1)
	if [ "$got" = "$2" ]; then ok "  $1 = $2"; else bad "  $1 = $got, want $2"; fi
}
# keys K...: a Python expression picking keys K of d, in that order
keys() {
	local k list=
	for k in "$@"; do list="$list\"$k\","; done
	echo "{k: d[k] for k in [$list]}"
}

[ -x "$ctl" ] || { echo "SKIP: build $ctl first (make -C ctl)"; exit 4; }

cleanup() {
	[ -n "${churn:-}" ] && kill "$churn" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	ip netns del "$ns2" 2>/dev/null
}
trap cleanup EXIT

# Before the module: the plain message.
"$ctl" service show >"$out" 2>"$err"
[ $? = 1 ] && grep -q "module is not loaded" "$err" && ok "not loaded" || bad "not loaded"

insmod "$top/kmod/splicer.ko" || { echo "cannot insmod"; exit 1; }

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" addr add 198.18.0.1/32 dev lo
ip -n "$ns" addr add 2001:db8::1/128 dev lo nodad

# ---- pools
run 0 pool add app
run 0 pool add api balance leastconn
run 1 pool add app
expect "$err" '^splicerctl: pool add "app": .*File exists$'
run 0 pool show
expect "$out" '^pool app balance roundrobin servers 0 servers-up 0$'
expect "$out" '^pool api balance leastconn'
run 0 pool set app balance leastconn
run 0 pool show app
expect "$out" '^pool app balance leastconn'
run 0 pool set app balance roundrobin
run 1 pool show nope
expect "$err" '^splicerctl: pool show "nope": .*: No such file or directory$'
run 0 -j pool show
json
py_is '[x["name"] for x in d]' '["app","api"]'
py_is 'd[0]' '{"name":"app","balance":"roundrobin","servers":0,"servers_up":0}'
run 0 -j pool show api
json
py_is 'd["balance"]' '"leastconn"'

# ---- servers
run 0 server add app s1 198.18.1.2:8080 weight 10 maxconn 100
run 0 server add app s2 '[2001:db8::2]:80' state drain
run 0 server add api a1 198.18.1.3:80
run 1 server add nope s1 198.18.1.2:80
expect "$err" '^splicerctl: server add "nope" "s1": .*POOL.*: No such file or directory$'
run 1 server add app s1 198.18.1.9:80
expect "$err" 'File exists'
run 0 server show
expect "$out" '^server app s1 198.18.1.2:8080 weight 10 maxconn 100 state up( health unchecked)?$'
expect "$out" '^server app s2 \[2001:db8::2\]:80 weight 1 maxconn unlimited state drain( health unchecked)?$'
expect "$out" '^server api a1 '
run 0 server show app
[ "$(wc -l <"$out")" = 2 ] && ok "  two servers in app" || bad "  two servers in app"
run 0 server show app s2
expect "$out" '^server app s2 '
run 1 server show app s9
expect "$err" 'No such file or directory'
run 1 server show nope
expect "$err" '^splicerctl: server show "nope": .*: No such file or directory$'
run 0 server set app s1 weight 20 state maint
run 0 server show app s1
expect "$out" 'weight 20 maxconn 100 state maint'
run 0 server set app s1 state up maxconn unlimited
run 0 -j server show app s1
json
py_is "$(keys pool name family addr port weight maxconn state)" \
	'{"pool":"app","name":"s1","family":"inet","addr":"198.18.1.2","port":8080,"weight":20,"maxconn":0,"state":"up"}'
py_is 'len(d["stats"]) > 0' 'true'
run 0 -j server show
json
py_is 'len(d)' '3'
py_is 'd[1]["family"]' '"inet6"'
run 0 -s server show app s1
expect "$out" '^    conns [0-9]+ '

# ---- services
run 0 service add web listen 198.18.0.1:8080 pool app header-timeout 5s connect-timeout 1500ms server-timeout 2m idle-timeout 30s retries 2 head-max 32k max-line 4k max-headers 64
run 0 service add web6 listen '[2001:db8::1]:8080' pool api
run 1 service add web listen 198.18.0.1:8081 pool app
expect "$err" 'File exists'
run 1 service add web2 listen 198.18.0.1:8082 pool nope
expect "$err" '^splicerctl: service add "web2": .*POOL.*: No such file or directory$'
run 0 service show
expect "$out" '^service web listen 198.18.0.1:8080 pool app head-max 32768 max-line 4096 max-headers 64 header-timeout 5s connect-timeout 1500ms server-timeout 2m idle-timeout 30s retries 2 splice off tls off handshake-timeout 10s location-rewrite on( inspect off)? rules 0$'
expect "$out" '^service web6 listen \[2001:db8::1\]:8080 pool api '
run 0 service set web pool api retries 0
run 0 service show web
expect "$out" 'pool api .*retries 0 splice off'
run 0 -j service show web
json
py_is "$(keys name family addr port pool head_max max_line max_headers header_timeout connect_timeout server_timeout idle_timeout retries)" \
	'{"name":"web","family":"inet","addr":"198.18.0.1","port":8080,"pool":"api","head_max":32768,"max_line":4096,"max_headers":64,"header_timeout":5000,"connect_timeout":1500,"server_timeout":120000,"idle_timeout":30000,"retries":0}'
run 0 -j service show
json
py_is '[x["name"] for x in d]' '["web","web6"]'

# Something listens now: a bad request through the listener gets a 400
# from splicer itself, moves counters and writes two log records.
bad_request() {
	ip netns exec "$ns" python3 -c 'import socket
s = socket.create_connection(("198.18.0.1", 8080), timeout=5)
s.sendall(b"BAD\r\n\r\n")
s.settimeout(5)
try:
    while s.recv(1000):
        pass
except Exception as e:
    print(e)' >/dev/null 2>&1
}

# ---- the decision log
"$ctl" -n "$ns" log count 2 >/tmp/log.out 2>"$err" &
logpid=$!
timeout 20 "$ctl" -n "$ns" -j log service web count 2 >/tmp/log.json 2>>"$err" &
jlogpid=$!
timeout 15 "$ctl" -n "$ns" log service web6 >/tmp/log6.out 2>>"$err" &
log6pid=$!
sleep 4			# every reader has joined the group
bad_request
( sleep 20; kill $logpid 2>/dev/null ) &
wait $logpid && ok "log count 2 ended by itself" || bad "log count 2"
wait $jlogpid && ok "log -j ended by itself" || bad "log -j"
wait $log6pid
[ $? = 124 ] && [ ! -s /tmp/log6.out ] && ok "log service web6 saw nothing" || bad "log filter"
cp /tmp/log.out "$out"
expect /tmp/log.out '^[0-9-]+T[0-9:.]+Z request service web conn [0-9]+ client 198.18.0.1:[0-9]+ .*status 400 generated reason '
expect /tmp/log.out '^[0-9-]+T[0-9:.]+Z conn service web conn [0-9]+ .* end '
[ "$(wc -l </tmp/log.out)" = 2 ] && ok "  two records" || bad "  two records"
if python3 -c 'import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 2, recs
assert {r["kind"] for r in recs} == {"request", "conn"}, recs
req = [r for r in recs if r["kind"] == "request"][0]
assert req["status"] == 400 and req["generated"] is True, req
assert req["service"] == "web" and req["client_family"] == "inet", req
assert isinstance(req["time"], int) and isinstance(req["conn_id"], int), req
' /tmp/log.json 2>>"$err"; then ok "  log -j: one JSON object a line"; else cp /tmp/log.json "$out"; bad "  log -j"; fi

# ---- stats
run 0 stats
expect "$out" '^total$'
expect "$out" '^service web$'
expect "$out" '^server app s1$'
expect "$out" '^    conns [0-9]+ active [0-9]+ '
run 0 -j stats
json
py_is 'sorted(d)' '["servers","services","stats"]'
py_is '"conns" in d["stats"]' 'true'
py_is '[x["name"] for x in d["services"]]' '["web","web6"]'
py_is 'len(d["servers"])' '3'
py_is 'sorted({type(v).__name__ for v in d["stats"].values()})' '["int"]'
"$ctl" -n "$ns" -j service show web >"$out" 2>"$err"
python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["stats"]["conns"] < 1)' "$out" &&
	ok "  a connection was counted" || bad "  a connection was counted"

# ---- service switches
run 0 service show web
expect "$out" ' splice off tls off handshake-timeout 10s location-rewrite on( inspect off)? rules 0$'
run 0 service set web splice on location-rewrite off handshake-timeout 5s
run 0 service show web
expect "$out" ' splice on tls off handshake-timeout 5s location-rewrite off( inspect off)? rules 0$'
run 0 -j service show web
json
py_is "$(keys splice tls handshake_timeout location_rewrite rules)" \
	'{"splice":true,"tls":false,"handshake_timeout":5000,"location_rewrite":false,"rules":0}'
run 1 service set web handshake-timeout 50
expect "$err" '^splicerctl: service set "web": HANDSHAKE_TIMEOUT: out of range 100 ms - 1 h: Numerical result out of range$'
run 2 service set web splice yes
expect "$err" 'splice "yes": expected on or off'
run 0 service set web splice off location-rewrite on handshake-timeout 10s
run 0 service show web
expect "$out" ' splice off tls off handshake-timeout 10s location-rewrite on( inspect off)? rules 0$'

# ---- content rules (web's pool is api; the rules send some requests to app)
run 0 rule show web
[ ! -s "$out" ] && ok "  no rules yet" || bad "  no rules yet"
run 0 rule add web host api.example.com pool app
run 0 rule add web path /old redirect https://www.example.com/new status 301
run 0 rule add web src 198.18.0.0/16 method DELETE status 403
run 0 rule add web at 0 host '*.example.org' prefix /static/ pool app
run 0 rule add web header X-Canary value on pool app
run 1 rule add nope host a pool app
expect "$err" '^splicerctl: rule add "nope": SERVICE: no such service: No such file or directory$'
run 1 rule add web host a pool nope
expect "$err" '^splicerctl: rule add "web": POOL: no such pool: No such file or directory$'
run 1 rule del web 9
expect "$err" '^splicerctl: rule del "web" 9: POSITION: no rule there: No such file or directory$'
run 1 rule show nope
expect "$err" 'SERVICE: no such service'
run 2 rule add web pool app
expect "$err" 'a rule needs a match'
run 0 rule show web
expect "$out" '^POS +MATCH +ACTION +HITS$'
expect "$out" '^0 +host \*\.example\.org prefix /static/ +pool app +0$'
expect "$out" '^1 +host api\.example\.com +pool app +0$'
expect "$out" '^2 +path /old +redirect https://www\.example\.com/new status 301 +0$'
expect "$out" '^3 +method DELETE src 198\.18\.0\.0/16 +status 403 +0$'
expect "$out" '^4 +header X-Canary value on +pool app +0$'
run 0 service show web
expect "$out" ' rules 5$'
run 0 -j rule show web
json
py_is 'd[2]' '{"position":2,"path":"/old","action":"redirect","redirect":"https://www.example.com/new","status":301,"hits":0}'
py_is 'd[3]' '{"position":3,"method":"DELETE","src":"198.18.0.0/16","src_family":"inet","src_addr":"198.18.0.0","src_prefix":16,"action":"status","status":403,"hits":0}'
py_is '[x["position"] for x in d]' '[0,1,2,3,4]'
# A pool a rule names is in use.
run 1 pool del app
expect "$err" 'in use'

# Requests: the rules answer (no server needed) or choose the pool, and
# the log names the rule by its position.
timeout 150 "$ctl" -n "$ns" log service web count 6 >/tmp/rlog.out 2>"$err" &
rlogpid=$!
timeout 150 "$ctl" -n "$ns" -j log service web count 6 >/tmp/rlog.json 2>>"$err" &
rjlogpid=$!
sleep 4
c() { ip netns exec "$ns" curl -s -m 10 -o /dev/null "$@"; }
got=$(c -w '%{http_code} %{redirect_url}' http://198.18.0.1:8080/old)
[ "$got" = "301 https://www.example.com/new" ] && ok "  /old: $got" || bad "  /old: $got"
got=$(c -w '%{http_code}' -X DELETE http://198.18.0.1:8080/x)
[ "$got" = 403 ] && ok "  DELETE: 403" || bad "  DELETE: $got"
got=$(c -w '%{http_code}' -H 'Host: api.example.com' http://198.18.0.1:8080/)
[ "$got" -ge 500 ] && ok "  api.example.com to app, no server there: $got" ||
	bad "  api.example.com: $got"
wait $rlogpid && ok "log count 6 ended by itself" || {
	cp /tmp/rlog.out "$out"; "$ctl" -n "$ns" -j stats >>"$out" 2>&1; bad "log count 6"; }
wait $rjlogpid
cp /tmp/rlog.out "$out"
# (a request a rule answers is logged without its method and target)
expect /tmp/rlog.out '^[0-9-]+T[0-9:.]+Z request service web .* rule 2 decision "[^"]*" status 301 generated reason '
expect /tmp/rlog.out '^[0-9-]+T[0-9:.]+Z request service web .* rule 3 decision "[^"]*" status 403 generated reason '
expect /tmp/rlog.out ' host api\.example\.com (server app s[12]|pool app) rule 1 '
if python3 -c 'import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
reqs = {r["rule"]: r for r in recs if r["kind"] == "request"}
assert reqs[2]["status"] == 301 and reqs[2]["generated"], reqs
assert reqs[3]["status"] == 403 and reqs[3]["generated"], reqs
assert reqs[1]["pool"] == "app" and reqs[1]["target"] == "/", reqs
assert all(r["rule"] in (1, 2, 3) for r in recs), recs
' /tmp/rlog.json 2>>"$err"; then ok "  log -j: rule"; else cp /tmp/rlog.json "$out"; bad "  log -j: rule"; fi
run 0 -j rule show web
py_is '[x["hits"] for x in d]' '[0,1,1,1,0]'
run 0 rule del web 0
run 0 rule del web 3
run 0 rule show web
expect "$out" '^0 +host api\.example\.com +pool app +1$'
[ "$(grep -c '^[0-9]' "$out")" = 3 ] && ok "  three rules left" || bad "  three rules left"
run 0 rule add web at 1 header X-Env value 'stage one' pool app
run 0 rule show web
expect "$out" '^1 +header X-Env value "stage one" +pool app +0$'
run 0 dump
expect "$out" '^# rule add web: rule 1: the value "stage one" has a blank'
expect "$err" 'rule 1 not dumped'
run 0 rule del web 1

# ---- the packet splice, with a server of our own
ip netns exec "$ns" python3 -m http.server --bind 198.18.0.1 9000 --directory /tmp \
	>/dev/null 2>&1 &
httpd=$!
run 0 pool add be
run 0 server add be b1 198.18.0.1:9000
run 0 service add sp listen 198.18.0.1:8090 pool be splice on
sleep 2
timeout 120 "$ctl" -n "$ns" log service sp count 2 >/tmp/slog.out 2>"$err" &
slogpid=$!
sleep 4
got=$(c -w '%{http_code}' http://198.18.0.1:8090/)
[ "$got" = 200 ] && ok "  through the splice-on service: 200" || bad "  splice-on service: $got"
wait $slogpid
cp /tmp/slog.out "$out"
expect /tmp/slog.out ' conn service sp .* splice (spliced|"[^"]+"|[a-z]+)'
run 0 -j service show sp
py_is 'd["splice"]' 'true'
py_is 'd["stats"]["spliced"] + d["stats"]["splice_fallback"] >= 0' 'true'
py_is 'sorted(k for k in d["stats"] if k.startswith(("splice", "tls")))' \
	'["splice_bytes_in","splice_bytes_out","splice_fallback","spliced","tls_failed","tls_handshakes","tls_refused"]'
run 0 -s service show sp
expect "$out" '^    spliced [0-9]+ splice_bytes_in [0-9]+ splice_bytes_out [0-9]+ splice_fallback [0-9]+$'
expect "$out" '^    tls_handshakes [0-9]+ tls_failed [0-9]+ tls_refused [0-9]+$'
run 0 stats prometheus
expect "$out" '^splicer_service_spliced_connections_total\{netns="[^"]+",service="sp"\} [0-9]+$'
expect "$out" '^# TYPE splicer_tls_handshake_failures_total counter$'

# ---- TLS without a handshake daemon: the connection fails, counted
run 0 service add tl listen 198.18.0.1:8443 pool be tls on handshake-timeout 2s
run 0 service show tl
expect "$out" ' tls on handshake-timeout 2s '
timeout 120 "$ctl" -n "$ns" log service tl count 1 >/tmp/tlog.out 2>"$err" &
tlogpid=$!
sleep 4
ip netns exec "$ns" python3 -c 'import socket
s = socket.create_connection(("198.18.0.1", 8443), timeout=5)
s.sendall(b"\x16\x03\x01\x00\x05hello")
s.settimeout(5)
try:
    while s.recv(1000):
        pass
except Exception:
    pass' >/dev/null 2>&1
wait $tlogpid
cp /tmp/tlog.out "$out"
expect /tmp/tlog.out ' conn service tl .* tls '
run 0 -j service show tl
py_is 'd["stats"]["tls_failed"] >= 1' 'true'
run 0 service del tl
run 0 service del sp
kill $httpd 2>/dev/null; wait $httpd 2>/dev/null
run 0 server del be b1
run 0 pool del be

# ---- ip netns exec, isolation
ip netns exec "$ns" "$ctl" pool show app >"$out" 2>"$err" && grep -q '^pool app' "$out" &&
	ok "ip netns exec" || bad "ip netns exec"
"$ctl" pool show >"$out" 2>"$err" && [ ! -s "$out" ] &&
	ok "init netns sees nothing" || bad "init netns sees nothing"
"$ctl" -j pool show >"$out" 2>"$err" && [ "$(cat "$out")" = "[]" ] &&
	ok "empty JSON dump is []" || bad "empty JSON dump is []"

# ---- no CAP_NET_ADMIN
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	"$ctl" pool add x >"$out" 2>"$err"
[ $? = 1 ] && grep -q 'CAP_NET_ADMIN' "$err" && ok "EPERM names CAP_NET_ADMIN" ||
	bad "EPERM names CAP_NET_ADMIN"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	"$ctl" pool show >"$out" 2>"$err"
[ $? = 0 ] && ok "show needs no privilege" || bad "show needs no privilege"

# ---- usage errors never reach the kernel
run 2 server add app s3 198.18.1.2:0
expect "$err" '^Usage: splicerctl server add POOL NAME ADDR:PORT'
run 2 server set app s1 weight 1001
expect "$err" 'weight "1001": out of range \(1..1000\)'
run 2 service set web listen 198.18.0.1:1

# ---- batches
printf 'pool add b1\n# comment\n\npool add b2 balance leastconn\npool add b3 bogus 1\n' >/tmp/bad.batch
run 2 -b /tmp/bad.batch
expect "$err" 'bad.batch:5: in "pool add b3 bogus 1"; nothing was changed'
run 1 pool show b1
printf 'pool add b1\npool add b1\npool add b2\n' >/tmp/fail.batch
run 1 -b /tmp/fail.batch
expect "$err" 'fail.batch:2: stopped at "pool add b1"'
run 0 pool show b1
run 1 pool show b2
printf 'pool del b1\n' | "$ctl" -n "$ns" -b - && ok "batch from stdin" || bad "batch from stdin"

# ---- dump, and apply it to another namespace
ip netns add "$ns2"
ip -n "$ns2" link set lo up
ip -n "$ns2" addr add 198.18.0.1/32 dev lo
ip -n "$ns2" addr add 2001:db8::1/128 dev lo nodad
run 0 dump
cp "$out" /tmp/config
expect /tmp/config '^pool add app balance roundrobin$'
expect /tmp/config '^server add app s2 \[2001:db8::2\]:80 weight 1 maxconn unlimited state drain$'
expect /tmp/config '^service add web listen 198.18.0.1:8080 pool api head-max 32768 max-line 4096 max-headers 64 header-timeout 5s connect-timeout 1500ms server-timeout 2m idle-timeout 30s retries 0 splice off tls off handshake-timeout 10s location-rewrite on( inspect off)?$'
expect /tmp/config '^rule add web host api\.example\.com pool app$'
[ "$(grep -A3 '^service add web ' /tmp/config | grep -c '^rule add web ')" = 3 ] &&
	ok "  the three rules of web follow it" || bad "  the three rules of web follow it"
expect /tmp/config '^rule add web src 198\.18\.0\.0/16 method DELETE status 403$|^rule add web method DELETE src 198\.18\.0\.0/16 status 403$'
"$ctl" -n "$ns2" apply -f /tmp/config >"$out" 2>"$err" && ok "apply -f" || bad "apply -f"
"$ctl" -n "$ns2" dump >/tmp/config2 2>"$err"
cmp -s /tmp/config /tmp/config2 && ok "  dump of the copy is identical" || bad "  dump of the copy differs"
run 0 -j dump
json
py_is 'sorted(d)' '["pools","rules","servers","services"]'
py_is 'any("stats" in x for x in d["servers"])' 'false'
py_is '[(x["service"], x["position"]) for x in d["rules"]]' '[["web",0],["web",1],["web",2]]'
py_is 'any("hits" in x for x in d["rules"])' 'false'
ip netns del "$ns2"

# ---- dumps racing with changes
# 150 more servers, added by one batch. Then a second batch rotates the
# pool: every server in turn is deleted and added again (to the end), so
# every change shifts the position of all the others, which is what makes
# an interrupted dump that carries on skip or repeat entries.
nb=150
for i in $(seq 1 $nb); do
	echo "server add app b$i 198.18.2.$((i % 250 + 1)):$((1000 + i)) weight 3"
done >/tmp/add.batch
run 0 -b /tmp/add.batch
total=$((nb + 2))
[ "$("$ctl" -n "$ns" server show app | wc -l)" = $total ] && ok "$total servers" || bad "$total servers"
run 0 server show app s1
s1_line=$(sed 's/^server app s1 //; s/ health [a-z]*$//' "$out")
run 0 server show app s2
s2_line=$(sed 's/^server app s2 //; s/ health [a-z]*$//' "$out")
for r in $(seq 1 20); do
	echo "server del app s1"; echo "server add app s1 $s1_line"
	echo "server del app s2"; echo "server add app s2 $s2_line"
	for i in $(seq 1 $nb); do
		echo "server del app b$i"
		echo "server add app b$i 198.18.2.$((i % 250 + 1)):$((1000 + i)) weight 3"
	done
done >/tmp/churn.batch
(
	trap 'kill $c 2>/dev/null; exit 0' TERM
	while :; do
		"$ctl" -n "$ns" -b /tmp/churn.batch >/dev/null 2>/tmp/churn.err &
		c=$!
		wait $c || exit 1
	done
) &
churn=$!

# consistent FILE: a snapshot has every server once; one may be missing
# (between its del and its add).
consistent() {
	local n dup
	n=$(grep -c '^server app ' "$1")
	dup=$(sort "$1" | uniq -d | wc -l)
	[ "$dup" = 0 ] && { [ "$n" = $total ] || [ "$n" = $((total - 1)) ]; }
}
good=0 badn=0 warned=0 nr_bad=0 nr_warned=0 rounds=0
while kill -0 "$churn" 2>/dev/null && [ $rounds -lt 15 ]; do
	rounds=$((rounds + 1))
	"$ctl" -n "$ns" server show app >"$out" 2>"$err" || badn=$((badn + 1))
	grep -q 'may be inconsistent' "$err" && warned=$((warned + 1))
	if consistent "$out" || grep -q 'may be inconsistent' "$err"; then
		good=$((good + 1))
	else
		badn=$((badn + 1))
		echo "     | inconsistent dump: $(grep -c . "$out") lines"
	fi
	[ -x "$noretry" ] || continue
	"$noretry" -n "$ns" server show app >"$out" 2>"$err"
	grep -q 'may be inconsistent' "$err" && nr_warned=$((nr_warned + 1))
	consistent "$out" || nr_bad=$((nr_bad + 1))
done
if kill -0 "$churn" 2>/dev/null; then
	ok "churn ran throughout"
else
	bad "churn stopped early: $(cat /tmp/churn.err)"
fi
kill "$churn" 2>/dev/null; wait "$churn" 2>/dev/null; churn=
echo "     | $rounds rounds: restarting build $good consistent, $warned gave up; " \
	"single-attempt build $nr_warned interrupted, $nr_bad inconsistent"
[ $badn = 0 ] && ok "dumps under churn are consistent (or say they may not be)" ||
	bad "dumps under churn: $badn inconsistent without a warning"
if [ ! -x "$noretry" ]; then
	echo "note: no $noretry (make -C ctl tests/splicerctl-noretry): comparison skipped"
elif [ $nr_warned -gt 0 ]; then
	ok "the kernel flagged interrupted dumps ($nr_warned of $rounds)"
else
	echo "note: no dump was interrupted; the restart path was not exercised"
fi

# ---- deletes
run 1 pool del api
expect "$err" '^splicerctl: pool del "api": .*in use.*: Device or resource busy$'
run 0 service del web
run 0 service del web6
run 1 service del web
expect "$err" 'No such file or directory'
"$ctl" -n "$ns" server show | sed 's/^server \([^ ]*\) \([^ ]*\) .*/server del \1 \2/' |
	"$ctl" -n "$ns" -b - && ok "delete every server in one batch" || bad "batch delete"
run 0 server show
[ ! -s "$out" ] && ok "  no servers left" || bad "  no servers left"
run 0 pool del app
run 0 pool del api
run 0 -j stats
py_is '[len(d["services"]), len(d["servers"])]' '[0,0]'

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
