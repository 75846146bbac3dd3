#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A client that sends requests one after another until told to stop
(python3 stdlib only): traffic across a server's failure in the health
selftests.

    loopc.py HOST PORT --stop FILE [--ready FILE] [--max-seconds S]
             [--path /] [--timeout S] [--pause S]

Sends GET PATH on a new connection each (Connection: close, no cookie: no
persistence), one after another, until FILE exists (then finishes the
request in progress and stops) or S seconds (default 120) have passed.
--ready FILE is written after the first answered request. --pause S waits S
seconds between requests (default 0).

Prints one JSON object: "total", "ok" (status 200 with body "server=X\\n"
matching X-Server), "statuses" (count per status, "error" for no answer),
"servers" (count per X-Server of the good ones), "bad" (the first 20 bad
answers: time, status or error), "first" and "last" (wall-clock times of
the first and last request), "stopped" (true if FILE stopped it). Exit
status 0 when every request was ok.
"""

import argparse
import json
import os
import socket
import sys
import time


def one(host, port, path, timeout):
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                   % (path, host)).encode())
        buf = b""
        while True:
            d = s.recv(65536)
            if not d:
                break
            buf += d
    finally:
        s.close()
    head, sep, body = buf.partition(b"\r\n\r\n")
    if not sep:
        raise EOFError("no complete response head (%d bytes)" % len(buf))
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    hdrs = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs.get("x-server", ""), body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--stop", required=True)
    ap.add_argument("--ready")
    ap.add_argument("--max-seconds", type=float, default=120)
    ap.add_argument("--path", default="/")
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--pause", type=float, default=0)
    a = ap.parse_args()

    total = ok = 0
    statuses, servers, bad = {}, {}, []
    first = last = None
    stopped = False
    t0 = time.monotonic()
    while time.monotonic() - t0 < a.max_seconds:
        if os.path.exists(a.stop):
            stopped = True
            break
        now = time.time()
        first = first if first is not None else now
        last = now
        total += 1
        try:
            status, srv, body = one(a.host, a.port, a.path, a.timeout)
            key = str(status)
            if status == 200 and srv and body == ("server=%s\n" % srv).encode():
                ok += 1
                servers[srv] = servers.get(srv, 0) + 1
            elif len(bad) < 20:
                bad.append({"time": round(now, 6), "status": status, "server": srv})
        except (OSError, EOFError, ValueError, IndexError) as e:
            key = "error"
            if len(bad) < 20:
                bad.append({"time": round(now, 6), "error": "%s: %s" % (type(e).__name__, e)})
        statuses[key] = statuses.get(key, 0) + 1
        if a.ready and ok and not os.path.exists(a.ready):
            with open(a.ready, "w") as f:
                f.write("1\n")
        if a.pause:
            time.sleep(a.pause)
    print(json.dumps({"total": total, "ok": ok, "statuses": statuses, "servers": servers,
                      "bad": bad, "first": first, "last": last, "stopped": stopped},
                     sort_keys=True), flush=True)
    return 0 if ok == total else 1


if __name__ == "__main__":
    sys.exit(main())
