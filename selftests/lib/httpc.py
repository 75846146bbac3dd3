#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Small HTTP test clients for the splicer selftests (python3 stdlib only).

    httpc.py seq  HOST PORT COUNT [--path /]
        COUNT requests one after another, a new TCP connection each. Checks every
        answer is 200 with body "server=X\\n" matching its X-Server header.
    httpc.py conc HOST PORT CONNS REQS [--blob SIZE]
        CONNS connections opened together and all held open, then REQS keep-alive
        requests on each (alternating "/" and /blob?size=SIZE&seed=k, checked by
        sha256 when --blob is given). Checks status and body of every response.
        --opened-file F: write F once every connection is open; --hold-file F:
        wait for F to exist before the first request (lets a test look at
        the load balancer while all connections are open).
    httpc.py stream HOST PORT CONNS PATH [--ready-file F] [--timeout S]
        CONNS connections each sending GET PATH and reading until the server
        side ends it; F is written once every connection has received data.
        Reports how the connections ended (eof, reset, open at the timeout).
    httpc.py raw  HOST PORT [--data STR | --hex HEX | --file F] [--byte-delay S]
                 [--timeout S]
        Sends the bytes (one byte every S seconds with --byte-delay; then
        shutdown(SHUT_WR) with --shut-wr), reads the answer until EOF or
        timeout. STR understands \\r \\n escapes.

Every mode prints one JSON object on stdout. seq and conc exit 0 when every
response was correct, 1 otherwise; raw exits 0 when it got a parsable answer.
"""

import argparse
import hashlib
import json
import os
import select
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blob import blob_sha256  # noqa: E402


def parse_head(data):
    """Parse b"HTTP/1.1 200 OK\\r\\nK: V\\r\\n\\r\\n" -> (status, reason, headers)."""
    lines = data.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    status = int(parts[1])
    reason = parts[2] if len(parts) > 2 else ""
    hdrs = {}
    for ln in lines[1:]:
        if not ln:
            continue
        k, _, v = ln.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, reason, hdrs


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


# ---------------------------------------------------------------- seq
def read_response(sock, buf=b""):
    """Blocking read of one response with Content-Length. Returns (status, hdrs, body, rest)."""
    while b"\r\n\r\n" not in buf:
        d = sock.recv(65536)
        if not d:
            raise EOFError("EOF before end of response head (got %r)" % buf[:200])
        buf += d
    head, _, buf = buf.partition(b"\r\n\r\n")
    status, _, hdrs = parse_head(head)
    n = int(hdrs.get("content-length", "0"))
    while len(buf) < n:
        d = sock.recv(65536)
        if not d:
            raise EOFError("EOF in body (%d of %d)" % (len(buf), n))
        buf += d
    return status, hdrs, buf[:n], buf[n:]


def cmd_seq(a):
    servers = {}
    errors = []
    ok = 0
    t0 = time.monotonic()
    for i in range(a.count):
        try:
            s = socket.socket(family_of(a.host), socket.SOCK_STREAM)
            s.settimeout(a.timeout)
            s.connect((a.host, a.port))
            s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                       % (a.path, a.host)).encode())
            status, hdrs, body, _ = read_response(s)
            s.close()
            name = hdrs.get("x-server", "")
            if status != 200 or body != ("server=%s\n" % name).encode() or not name:
                errors.append("request %d: status %d x-server %r body %r"
                              % (i, status, name, body[:100]))
                continue
            servers[name] = servers.get(name, 0) + 1
            ok += 1
        except (OSError, EOFError, ValueError, IndexError) as e:
            errors.append("request %d: %s: %s" % (i, type(e).__name__, e))
    out = {"total": a.count, "ok": ok, "servers": servers,
           "errors": errors[:20], "nerrors": len(errors),
           "elapsed": round(time.monotonic() - t0, 3)}
    print(json.dumps(out, sort_keys=True))
    return 0 if ok == a.count else 1


# ---------------------------------------------------------------- conc
asyncio = None


async def conc_one(a, idx, opened, go, stats):
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection(a.host, a.port), a.timeout)
    except (OSError, asyncio.TimeoutError) as e:
        stats["errors"].append("conn %d: connect: %s %s" % (idx, type(e).__name__, e))
        opened.append(idx)
        return
    opened.append(idx)
    stats["connected"] += 1
    await go.wait()
    try:
        for j in range(a.reqs):
            if a.blob and j % 2 == 1:
                seed = idx * 1000 + j
                path = "/blob?size=%d&seed=%d" % (a.blob, seed)
            else:
                seed = None
                path = "/"
            w.write(("GET %s HTTP/1.1\r\nHost: lb\r\n\r\n" % path).encode())
            await w.drain()
            head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), a.timeout)
            status, _, hdrs = parse_head(head[:-4])
            body = await asyncio.wait_for(
                r.readexactly(int(hdrs.get("content-length", "0"))), a.timeout)
            name = hdrs.get("x-server", "")
            if status != 200:
                raise ValueError("status %d" % status)
            if seed is None:
                if body != ("server=%s\n" % name).encode() or not name:
                    raise ValueError("body %r for x-server %r" % (body[:80], name))
            else:
                got = hashlib.sha256(body).hexdigest()
                if got != blob_sha256(a.blob, seed):
                    raise ValueError("blob seed %d: sha256 %s, expected %s"
                                     % (seed, got, blob_sha256(a.blob, seed)))
            stats["ok"] += 1
            stats["servers"][name] = stats["servers"].get(name, 0) + 1
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError,
            asyncio.LimitOverrunError, ValueError, IndexError) as e:
        stats["errors"].append("conn %d: %s: %s" % (idx, type(e).__name__, e))
    finally:
        w.close()
        try:
            await w.wait_closed()
        except OSError:
            pass


async def conc_main(a):
    stats = {"ok": 0, "servers": {}, "errors": [], "connected": 0}
    opened = []
    go = asyncio.Event()
    tasks = [asyncio.ensure_future(conc_one(a, i, opened, go, stats)) for i in range(a.conns)]
    t0 = time.monotonic()
    # let every connection open before any request: they are all concurrent
    while len(opened) < a.conns and time.monotonic() - t0 < a.timeout:
        await asyncio.sleep(0.05)
    stats["open_together"] = stats["connected"]
    if a.opened_file:
        with open(a.opened_file, "w") as f:
            f.write("%d\n" % stats["connected"])
    if a.hold_file:
        while not os.path.exists(a.hold_file) and time.monotonic() - t0 < a.timeout:
            await asyncio.sleep(0.05)
    go.set()
    await asyncio.gather(*tasks)
    stats["elapsed"] = round(time.monotonic() - t0, 3)
    return stats


def cmd_conc(a):
    global asyncio
    import asyncio  # slow to import under TCG: only here
    if a.blob:
        for i in range(a.conns):  # warm the sha256 cache outside the timed part
            for j in range(1, a.reqs, 2):
                blob_sha256(a.blob, i * 1000 + j)
    stats = asyncio.run(conc_main(a))
    expected = a.conns * a.reqs
    out = {"conns": a.conns, "reqs_per_conn": a.reqs, "expected": expected,
           "ok": stats["ok"], "open_together": stats["open_together"],
           "servers": stats["servers"], "nerrors": len(stats["errors"]),
           "errors": stats["errors"][:20], "elapsed": stats["elapsed"]}
    print(json.dumps(out, sort_keys=True))
    return 0 if stats["ok"] == expected else 1


# ---------------------------------------------------------------- stream
def cmd_stream(a):
    """N connections each downloading PATH; reports how each one ended."""
    import selectors
    sel = selectors.DefaultSelector()
    conns = []
    errors = []
    t0 = time.monotonic()
    for i in range(a.conns):
        try:
            s = socket.create_connection((a.host, a.port), timeout=a.timeout)
        except OSError as e:
            errors.append("conn %d: connect: %s" % (i, e))
            continue
        s.sendall(("GET %s HTTP/1.1\r\nHost: lb\r\n\r\n" % a.path).encode())
        s.setblocking(False)
        c = {"i": i, "sock": s, "bytes": 0, "end": None}
        conns.append(c)
        sel.register(s, selectors.EVENT_READ, c)
    ready_written = False
    live = len(conns)
    while live and time.monotonic() - t0 < a.timeout:
        for key, _ in sel.select(timeout=0.2):
            c = key.data
            try:
                d = c["sock"].recv(65536)
            except BlockingIOError:
                continue
            except OSError as e:
                d = None
                c["end"] = "reset" if isinstance(e, ConnectionResetError) else str(e)
            if d:
                c["bytes"] += len(d)
                continue
            if c["end"] is None:
                c["end"] = "eof"
            sel.unregister(c["sock"])
            c["sock"].close()
            live -= 1
        if not ready_written and a.ready_file and \
                all(c["bytes"] > 0 or c["end"] for c in conns):
            with open(a.ready_file, "w") as f:
                f.write("%d\n" % sum(1 for c in conns if c["bytes"] > 0 and not c["end"]))
            ready_written = True
    ends = {}
    for c in conns:
        e = c["end"] or "open"
        ends[e] = ends.get(e, 0) + 1
    out = {"conns": a.conns, "connected": len(conns), "ends": ends,
           "bytes": sum(c["bytes"] for c in conns),
           "min_bytes": min([c["bytes"] for c in conns] or [0]),
           "errors": errors[:10], "elapsed": round(time.monotonic() - t0, 3)}
    print(json.dumps(out, sort_keys=True))
    return 0 if not errors and "open" not in ends else 1


# ---------------------------------------------------------------- raw
def cmd_raw(a):
    if a.hex is not None:
        data = bytes.fromhex(a.hex)
    elif a.file is not None:
        with open(a.file, "rb") as f:
            data = f.read()
    else:
        data = (a.data or "").encode("latin-1").decode("unicode_escape").encode("latin-1")
    s = socket.socket(family_of(a.host), socket.SOCK_STREAM)
    s.settimeout(a.timeout)
    t0 = time.monotonic()
    s.connect((a.host, a.port))
    s.setblocking(False)
    sent = 0
    resp = b""
    eof = False
    reset = False
    send_error = None
    first_byte = None
    deadline = t0 + a.timeout
    step = 1 if a.byte_delay else len(data)
    next_send = time.monotonic()
    shut = False
    while time.monotonic() < deadline and not eof:
        now = time.monotonic()
        if sent < len(data) and now >= next_send and send_error is None:
            try:
                sent += s.send(data[sent:sent + step])
            except BlockingIOError:
                pass
            except OSError as e:
                send_error = "%s: %s" % (type(e).__name__, e)
            next_send = now + (a.byte_delay or 0)
        if a.shut_wr and sent == len(data) and not shut:
            s.shutdown(socket.SHUT_WR)
            shut = True
        wait = deadline - now
        if sent < len(data) and send_error is None:
            wait = max(0.0, min(wait, next_send - now))
        rl, _, _ = select.select([s], [], [], wait)
        if rl:
            try:
                d = s.recv(65536)
            except ConnectionResetError:
                reset = True
                eof = True
                break
            if not d:
                eof = True
                break
            if first_byte is None:
                first_byte = time.monotonic() - t0
            resp += d
    elapsed = time.monotonic() - t0
    s.close()
    out = {"sent": sent, "len": len(data), "eof": eof, "reset": reset,
           "send_error": send_error, "elapsed": round(elapsed, 3),
           "first_byte": None if first_byte is None else round(first_byte, 3),
           "bytes": len(resp), "status": None, "headers": {}, "body": ""}
    if b"\r\n\r\n" in resp:
        head, _, body = resp.partition(b"\r\n\r\n")
        try:
            out["status"], out["reason"], out["headers"] = parse_head(head)
        except (ValueError, IndexError):
            pass
        out["body"] = body.decode("latin-1")
    else:
        out["raw"] = resp[:500].decode("latin-1")
    print(json.dumps(out, sort_keys=True))
    return 0 if out["status"] is not None else 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("seq")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("count", type=int)
    p.add_argument("--path", default="/")
    p.add_argument("--timeout", type=float, default=10)
    p = sub.add_parser("conc")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("conns", type=int)
    p.add_argument("reqs", type=int)
    p.add_argument("--blob", type=int, default=0)
    p.add_argument("--opened-file", help="written (with the count) once all are connected")
    p.add_argument("--hold-file", help="send no request before this file exists")
    p.add_argument("--timeout", type=float, default=60)
    p = sub.add_parser("stream")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("conns", type=int)
    p.add_argument("path")
    p.add_argument("--ready-file", help="written once every connection got data")
    p.add_argument("--timeout", type=float, default=60)
    p = sub.add_parser("raw")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("--data")
    p.add_argument("--hex")
    p.add_argument("--file")
    p.add_argument("--byte-delay", type=float, default=0)
    p.add_argument("--shut-wr", action="store_true", help="shutdown(SHUT_WR) once all is sent")
    p.add_argument("--timeout", type=float, default=10)
    a = ap.parse_args()
    return {"seq": cmd_seq, "conc": cmd_conc, "stream": cmd_stream,
            "raw": cmd_raw}[a.mode](a)


if __name__ == "__main__":
    sys.exit(main())
