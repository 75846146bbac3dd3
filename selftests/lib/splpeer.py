#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Clients and a server for the packet splice selftests (python3 stdlib only).

    splpeer.py get HOST PORT PATH [--pause-at N --ready F --go F]
                                  [--reset-at N] [--timeout S]
        GET PATH (keep-alive), read the response (Content-Length), sha256
        the body as it arrives. --pause-at N: after N body bytes write F
        and stop reading until G exists (the transfer stalls on a full
        window in the middle: a test looks at the load balancer then).
        --reset-at N: after N body bytes (and the pause, if any) close with
        SO_LINGER 0, a reset, and report.
    splpeer.py post HOST PORT SIZE SEED [--path /sha256] [--pause-at N
                                  --ready F --go F] [--reset-at N]
        POST the blob of blob.py (SIZE, SEED) with Content-Length, streamed
        from memory 64 KiB at a time (nothing on disk), and read the answer.
        --pause-at N: after N body bytes write F and send nothing more until
        G exists.
    splpeer.py ka HOST PORT PATH... [--ready F --go F]
        One keep-alive connection, GET each PATH in turn; with --ready,
        after the first response write F and wait for G before the next
        request. Prints "responses": [{"status", "body"}...] (bodies as
        text), "end".
    splpeer.py many HOST PORT COUNT [--workers W] [--path /] [--close]
        COUNT requests, a new connection each, W at a time (default 1);
        the client closes once it has the response (with --close it also
        sends Connection: close). Counts the 200 answers whose body is
        "server=X\\n" with X its X-Server header.
    splpeer.py serve ADDR:PORT --result F [--ready F] [--size N]
                   [--pause-at N --paused F --go F] [--reset-at N] [--conns C]
        A server for resets: for each of C connections (default 1), read a
        request head and answer 200 with Content-Length N (default 1 GiB),
        sending as fast as the client takes it. --pause-at N: after N body
        bytes write the paused file and wait for the go file. --reset-at N:
        after N body bytes (and the pause) close with SO_LINGER 0.
        Otherwise it sends until done or an error. Appends one JSON line per
        connection to the result file: "sent", "end" ("done", "reset" for
        ECONNRESET/EPIPE, "reset-sent", or the error), "t_end" (when a reset
        was sent or the error seen, seconds since the epoch), "peer".

Every client prints one JSON object: "status", "length" (body bytes read),
"sha256", "x_blob_sha256" (get), "body" (post), "end" ("done", "reset"
(ECONNRESET), "eof" (EOF before the end), "timeout", "reset-sent" or the
error), "t_end" (get: when a reset was sent or the error seen, seconds
since the epoch), "secs". Exit status 0 when "end" is "done" or "reset-sent".
"""

import argparse
import hashlib
import json
import os
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blob import blob_chunks  # noqa: E402

CHUNK = 65536


def touch(path, text=""):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.rename(path + ".tmp", path)


def wait_file(path, timeout):
    t0 = time.monotonic()
    while not os.path.exists(path):
        if time.monotonic() - t0 > timeout:
            raise TimeoutError("no %s after %ss" % (path, timeout))
        time.sleep(0.05)


def reset_close(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def end_of(e):
    if isinstance(e, (ConnectionResetError, BrokenPipeError)):
        return "reset"
    if isinstance(e, socket.timeout):
        return "timeout"
    if isinstance(e, EOFError):
        return "eof"
    return "%s: %s" % (type(e).__name__, e)


def parse_head(head):
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    hdrs = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs


def read_head(s, buf=b""):
    while b"\r\n\r\n" not in buf:
        d = s.recv(CHUNK)
        if not d:
            raise EOFError("EOF in the response head")
        buf += d
    head, _, rest = buf.partition(b"\r\n\r\n")
    return head, rest


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


# ---------------------------------------------------------------- get
def cmd_get(a):
    out = {"status": 0, "length": 0, "sha256": None, "x_blob_sha256": None}
    t0 = time.monotonic()
    h = hashlib.sha256()
    s = socket.socket(family_of(a.host), socket.SOCK_STREAM)
    s.settimeout(a.timeout)
    if a.rcvbuf:
        # a fixed receive buffer: a paused reader takes in little more
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    paused = a.pause_at is None
    try:
        s.connect((a.host, a.port))
        s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (a.path, a.host)).encode())
        head, body = read_head(s)
        out["status"], hdrs = parse_head(head)
        out["x_blob_sha256"] = hdrs.get("x-blob-sha256")
        out["set_cookie"] = hdrs.get("set-cookie")
        want = int(hdrs.get("content-length", "0"))
        while True:
            if body:
                h.update(body)
                out["length"] += len(body)
                body = b""
            if not paused and out["length"] >= a.pause_at:
                # stop reading: the window closes, the sender stalls
                touch(a.ready, "%d\n" % out["length"])
                wait_file(a.go, max(a.timeout, 300))
                paused = True
            if a.reset_at is not None and out["length"] >= a.reset_at:
                reset_close(s)
                s = None
                out["end"] = "reset-sent"
                out["t_end"] = time.time()
                break
            if out["length"] >= want:
                out["end"] = "done"
                break
            body = s.recv(min(CHUNK, want - out["length"]) if want else CHUNK)
            if not body:
                raise EOFError()
    except (OSError, EOFError, ValueError, IndexError, TimeoutError) as e:
        out["end"] = end_of(e)
        out["t_end"] = time.time()
    if s is not None:
        s.close()
    out["sha256"] = h.hexdigest()
    out["secs"] = round(time.monotonic() - t0, 3)
    print(json.dumps(out, sort_keys=True), flush=True)
    return 0 if out["end"] in ("done", "reset-sent") else 1


# ---------------------------------------------------------------- post
def cmd_post(a):
    out = {"status": 0, "length": 0, "body": None}
    t0 = time.monotonic()
    h = hashlib.sha256()
    s = socket.socket(family_of(a.host), socket.SOCK_STREAM)
    s.settimeout(a.timeout)
    paused = a.pause_at is None
    try:
        s.connect((a.host, a.port))
        s.sendall(("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/octet-stream"
                   "\r\nContent-Length: %d\r\n\r\n" % (a.path, a.host, a.size)).encode())
        for blk in blob_chunks(a.size, a.seed):
            if not paused and out["length"] + len(blk) > a.pause_at:
                k = a.pause_at - out["length"]
                s.sendall(blk[:k])
                h.update(blk[:k])
                out["length"] += k
                blk = blk[k:]
                touch(a.ready, "%d\n" % out["length"])
                wait_file(a.go, max(a.timeout, 300))
                paused = True
            if a.reset_at is not None and out["length"] + len(blk) > a.reset_at:
                raise StopIteration
            s.sendall(blk)
            h.update(blk)
            out["length"] += len(blk)
        head, rest = read_head(s)
        out["status"], hdrs = parse_head(head)
        n = int(hdrs.get("content-length", "0"))
        while len(rest) < n:
            d = s.recv(CHUNK)
            if not d:
                raise EOFError()
            rest += d
        out["body"] = rest[:n].decode("latin-1").strip()
        out["end"] = "done"
    except StopIteration:
        reset_close(s)
        s = None
        out["end"] = "reset-sent"
    except (OSError, EOFError, ValueError, IndexError, TimeoutError) as e:
        out["end"] = end_of(e)
    if s is not None:
        s.close()
    out["sha256"] = h.hexdigest()
    out["secs"] = round(time.monotonic() - t0, 3)
    print(json.dumps(out, sort_keys=True), flush=True)
    return 0 if out["end"] in ("done", "reset-sent") else 1


# ---------------------------------------------------------------- ka
def cmd_ka(a):
    out = {"responses": []}
    t0 = time.monotonic()
    s = socket.socket(family_of(a.host), socket.SOCK_STREAM)
    s.settimeout(a.timeout)
    try:
        s.connect((a.host, a.port))
        rest = b""
        for i, path in enumerate(a.paths):
            if i == 1 and a.ready:
                touch(a.ready, "1\n")
                wait_file(a.go, max(a.timeout, 300))
            s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (path, a.host)).encode())
            head, rest = read_head(s, rest)
            status, hdrs = parse_head(head)
            n = int(hdrs.get("content-length", "0"))
            while len(rest) < n:
                d = s.recv(CHUNK)
                if not d:
                    raise EOFError()
                rest += d
            out["responses"].append({"status": status,
                                     "body": rest[:n].decode("latin-1")})
            rest = rest[n:]
        out["end"] = "done"
    except (OSError, EOFError, ValueError, IndexError, TimeoutError) as e:
        out["end"] = end_of(e)
    s.close()
    out["secs"] = round(time.monotonic() - t0, 3)
    print(json.dumps(out, sort_keys=True), flush=True)
    return 0 if out["end"] == "done" else 1


# ---------------------------------------------------------------- many
def cmd_many(a):
    lock = threading.Lock()
    st = {"ok": 0, "next": 0, "errors": [], "nerrors": 0, "statuses": {}}
    req = ("GET %s HTTP/1.1\r\nHost: %s\r\n%s\r\n"
           % (a.path, a.host, "Connection: close\r\n" if a.close else "")).encode()

    def one():
        s = socket.socket(family_of(a.host), socket.SOCK_STREAM)
        s.settimeout(a.timeout)
        try:
            s.connect((a.host, a.port))
            s.sendall(req)
            head, body = read_head(s)
            status, hdrs = parse_head(head)
            n = int(hdrs.get("content-length", "0"))
            while len(body) < n:
                d = s.recv(CHUNK)
                if not d:
                    raise EOFError("EOF in the body")
                body += d
            name = hdrs.get("x-server", "")
            good = status == 200 and name and body[:n] == ("server=%s\n" % name).encode()
            return status, None if good else "status %d x-server %r body %r" % (
                status, name, body[:80])
        except (OSError, EOFError, ValueError, IndexError) as e:
            return "error", "%s: %s" % (type(e).__name__, e)
        finally:
            s.close()

    def worker():
        while True:
            with lock:
                if st["next"] >= a.count:
                    return
                i = st["next"]
                st["next"] += 1
            status, err = one()
            with lock:
                st["statuses"][str(status)] = st["statuses"].get(str(status), 0) + 1
                if err:
                    st["nerrors"] += 1
                    if len(st["errors"]) < 20:
                        st["errors"].append("request %d: %s" % (i, err))
                else:
                    st["ok"] += 1

    t0 = time.monotonic()
    ts = [threading.Thread(target=worker) for _ in range(a.workers)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out = {"total": a.count, "ok": st["ok"], "statuses": st["statuses"],
           "nerrors": st["nerrors"], "errors": st["errors"],
           "secs": round(time.monotonic() - t0, 3)}
    print(json.dumps(out, sort_keys=True), flush=True)
    return 0 if st["ok"] == a.count else 1


# ---------------------------------------------------------------- serve
def serve_one(a, c, peer):
    res = {"peer": peer[0], "sent": 0}
    paused = a.pause_at is None
    c.settimeout(a.timeout)
    try:
        read_head(c)
        c.sendall(b"HTTP/1.1 200 OK\r\nX-Server: splpeer\r\nContent-Type: "
                  b"application/octet-stream\r\nContent-Length: %d\r\n\r\n" % a.size)
        blk = b"s" * CHUNK
        while res["sent"] < a.size:
            n = min(CHUNK, a.size - res["sent"])
            if not paused and res["sent"] + n > a.pause_at:
                n = max(a.pause_at - res["sent"], 0)
                c.sendall(blk[:n])
                res["sent"] += n
                touch(a.paused, "%d\n" % res["sent"])
                wait_file(a.go, max(a.timeout, 300))
                paused = True
                continue
            if a.reset_at is not None and res["sent"] + n > a.reset_at:
                reset_close(c)
                c = None
                res["end"] = "reset-sent"
                res["t_end"] = time.time()
                break
            c.sendall(blk[:n])
            res["sent"] += n
        else:
            res["end"] = "done"
    except (OSError, EOFError, ValueError, IndexError, TimeoutError) as e:
        res["end"] = end_of(e)
        res["t_end"] = time.time()
    if c is not None:
        c.close()
    with open(a.result, "a") as f:
        f.write(json.dumps(res, sort_keys=True) + "\n")


def cmd_serve(a):
    host, _, port = a.listen.rpartition(":")
    fam = socket.AF_INET6 if host.startswith("[") else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host.strip("[]"), int(port)))
    ls.listen(64)
    if a.ready:
        touch(a.ready, "%d\n" % os.getpid())
    ts = []
    for _ in range(a.conns):
        c, peer = ls.accept()
        t = threading.Thread(target=serve_one, args=(a, c, peer))
        t.start()
        ts.append(t)
    for t in ts:
        t.join()
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)

    def pause_opts(p):
        p.add_argument("--pause-at", type=int)
        p.add_argument("--ready")
        p.add_argument("--go")
        p.add_argument("--reset-at", type=int)
        p.add_argument("--timeout", type=float, default=120)

    p = sub.add_parser("get")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("path")
    p.add_argument("--rcvbuf", type=int, help="SO_RCVBUF (no autotuning)")
    pause_opts(p)
    p = sub.add_parser("post")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("size", type=int)
    p.add_argument("seed", type=int)
    p.add_argument("--path", default="/sha256")
    pause_opts(p)
    p = sub.add_parser("ka")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("paths", nargs="+")
    p.add_argument("--ready")
    p.add_argument("--go")
    p.add_argument("--timeout", type=float, default=30)
    p = sub.add_parser("many")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("count", type=int)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--path", default="/")
    p.add_argument("--close", action="store_true")
    p.add_argument("--timeout", type=float, default=30)
    p = sub.add_parser("serve")
    p.add_argument("listen")
    p.add_argument("--result", required=True)
    p.add_argument("--ready")
    p.add_argument("--size", type=int, default=1 << 30)
    p.add_argument("--pause-at", type=int)
    p.add_argument("--paused")
    p.add_argument("--go")
    p.add_argument("--reset-at", type=int)
    p.add_argument("--conns", type=int, default=1)
    p.add_argument("--timeout", type=float, default=120)
    a = ap.parse_args()
    if getattr(a, "pause_at", None) is not None:
        need = ("paused", "go") if a.cmd == "serve" else ("ready", "go")
        if not all(getattr(a, k) for k in need):
            ap.error("--pause-at needs --%s and --%s" % need)
    if a.cmd == "ka" and bool(a.ready) != bool(a.go):
        ap.error("--ready and --go go together")
    return {"get": cmd_get, "post": cmd_post, "ka": cmd_ka, "many": cmd_many,
            "serve": cmd_serve}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
