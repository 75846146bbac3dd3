#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""WebSocket echo server and client for the splicer selftests, on Debian's
python3-websockets (10.x, asyncio API).

    wsecho.py server ADDR:PORT --log FILE [--ready FILE]
        Accepts WebSocket connections; sends "welcome" first, then echoes
        every message (text or binary) back as it came. FILE gets one JSON
        object a line: {"event": "open", "path", "headers": [[name, value]...]},
        {"event": "message", "type": "text"|"binary", "len"} and
        {"event": "close", "code", "reason", "messages"}.
    wsecho.py client URI [--timeout S]
        Connects (the 101 handshake), expects "welcome", then sends and expects
        back, one at a time: short and long text (one of 70000 characters),
        binary of 1, 65535, 65536 and 200000 bytes, a ping (its pong), then 8
        messages sent at once and their 8 echoes in order; then closes (1000).
        Prints one JSON object: ok, errors, sizes (what was echoed, in order),
        close_code, response_headers; exits 0 if ok.
"""

import argparse
import asyncio
import json
import os
import sys
import time

import websockets

MAX = 8 << 20


def log_line(f, obj):
    f.write(json.dumps(obj) + "\n")
    f.flush()


async def serve(a):
    host, _, port = a.listen.rpartition(":")
    logf = open(a.log, "a")

    async def handler(ws, path=None):
        log_line(logf, {"event": "open", "path": ws.path,
                        "remote": str(ws.remote_address[0]),
                        "headers": [[k, v] for k, v in ws.request_headers.raw_items()]})
        n = 0
        try:
            await ws.send("welcome")
            async for msg in ws:
                n += 1
                log_line(logf, {"event": "message", "len": len(msg),
                                "type": "text" if isinstance(msg, str) else "binary"})
                await ws.send(msg)
        except websockets.ConnectionClosed:
            pass
        finally:
            log_line(logf, {"event": "close", "code": ws.close_code,
                            "reason": ws.close_reason, "messages": n})

    async with websockets.serve(handler, host, int(port), max_size=MAX,
                                compression=None, ping_interval=None):
        if a.ready:
            with open(a.ready + ".tmp", "w") as f:
                f.write("%d\n" % os.getpid())
            os.rename(a.ready + ".tmp", a.ready)
        await asyncio.Future()


def describe(m):
    kind = "text" if isinstance(m, str) else "binary"
    return "%s:%d" % (kind, len(m))


async def client(a):
    out = {"ok": False, "errors": [], "sizes": [], "close_code": None,
           "response_headers": []}
    errs = out["errors"]
    t0 = time.monotonic()
    msgs = ["hello", "é unicode ✓", "t" * 70000, os.urandom(1), os.urandom(65535),
            os.urandom(65536), os.urandom(200000)]
    burst = [("burst-%d-" % i) * (i * 1000 + 1) if i % 2 else os.urandom(i * 20000 + 7)
             for i in range(8)]
    try:
        async with websockets.connect(a.uri, max_size=MAX, compression=None,
                                      open_timeout=a.timeout, close_timeout=a.timeout,
                                      ping_interval=None) as ws:
            out["response_headers"] = [[k, v] for k, v in ws.response_headers.raw_items()]
            w = await asyncio.wait_for(ws.recv(), a.timeout)
            if w != "welcome":
                errs.append("first message %r, expected 'welcome'" % (w[:50],))
            for m in msgs:
                await ws.send(m)
                e = await asyncio.wait_for(ws.recv(), a.timeout)
                if e != m:
                    errs.append("echo of %s came back as %s (%s)" % (
                        describe(m), describe(e), "same length, other bytes"
                        if len(e) == len(m) else "other length"))
                out["sizes"].append(describe(e))
            pong = await ws.ping(b"are you there")
            await asyncio.wait_for(pong, a.timeout)
            out["sizes"].append("pong")
            for m in burst:
                await ws.send(m)
            for m in burst:
                e = await asyncio.wait_for(ws.recv(), a.timeout)
                if e != m:
                    errs.append("burst: echo of %s came back as %s" % (describe(m), describe(e)))
                out["sizes"].append(describe(e))
            await ws.close(1000, "done")
            out["close_code"] = ws.close_code
            out["close_reason"] = ws.close_reason
    except Exception as e:  # noqa: BLE001 - reported, not hidden
        errs.append("%s: %s" % (type(e).__name__, e))
    out["elapsed"] = round(time.monotonic() - t0, 3)
    if out["close_code"] != 1000 and not errs:
        errs.append("close code %s, expected 1000" % out["close_code"])
    out["ok"] = not errs
    print(json.dumps(out))
    return 0 if out["ok"] else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("server")
    s.add_argument("listen")
    s.add_argument("--log", required=True)
    s.add_argument("--ready")
    c = sub.add_parser("client")
    c.add_argument("uri")
    c.add_argument("--timeout", type=float, default=30.0)
    a = ap.parse_args()
    if a.cmd == "server":
        asyncio.run(serve(a))
        return 0
    return asyncio.run(client(a))


if __name__ == "__main__":
    sys.exit(main())
