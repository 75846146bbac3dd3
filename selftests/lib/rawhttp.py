#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Raw HTTP/1.1 exchanges for the splicer selftests (python3 stdlib only):
byte-exact requests, one TCP connection each, every response parsed.

    rawhttp.py HOST FILE [--json OUT] [--timeout S]
               [--srv-dir DIR --srv [PORT=]NAME...] [--only NAME]

FILE holds one exchange a line ("#" comments and empty lines are skipped):

    NAME | PORT | EXPECT | DATA

  NAME    unique, no spaces
  PORT    the service port on HOST
  EXPECT  the statuses of every response, in order, interim ones included,
          comma-separated. A status followed by "H" answers a HEAD (no body
          whatever the head says). A status splicer generates (400 408 414
          431 501 502 503 504 505) must be splicer's own response: the exact
          status line, Connection: close, Content-Length matching a non-empty
          body, no X-Server (that only the test servers send), the last
          response, then EOF (not a reset, not a timeout). "400/body" is a
          400 for a request whose head was fine and was forwarded before its
          body proved bad. Any other final status must come from a test
          server (X-Server present). After a 101 nothing more is parsed.
          A last item "EOF": the connection must then be closed (EOF, not
          a reset, within the timeout).
  DATA    the bytes, with python escapes (\\r \\n \\t \\xHH \\\\) and directives:
            <rep N TEXT>  TEXT N times (escapes and <rep> allowed in it)
            <wait>        the Nth <wait> reads until N responses (interim ones
                          count) have arrived, before sending what follows
            <sleep S>     pause S seconds
            <shut>        shutdown(SHUT_WR)

After the last byte: if the last expected status is generated or EOF is
expected, read until EOF; else until the expected responses are in, then
0.5 s more (or EOF) to catch anything extra.

With --srv-dir and --srv (a rawsrv.py log directory, and the name of the
rawsrv.py server behind every port, or PORT=NAME for one port: repeatable),
also, for the exchanges on those ports:
  - every byte the server received during the exchange, and at the end of the
    run everything it ever received, must be free of "NOPE": put NOPE in
    whatever must never reach a server;
  - when the first expected status is generated for a request head (not
    "/body", not 502 or 504), the server must not have accepted a connection
    during the exchange;
  - the server must have received as many request heads during the exchange
    as there are final responses from it and 502s and 504s (plus at most one
    per "/body").

Prints one line per exchange (and each problem found), writes one JSON object
per exchange to OUT: name, port, expect, statuses, responses [{status, line,
headers (lowercase names, the last value), fields (every field line),
body (latin-1 text, at most 64 KiB), body_len, body_sha256}], eof, reset,
timeout, extra (bytes after the last response), elapsed, srv {conns,
requests, bytes}, ok, errors. Exit 0 when every exchange passed its checks.
"""

import argparse
import codecs
import hashlib
import json
import os
import re
import select
import socket
import sys
import time

GENERATED = {400: "Bad Request", 408: "Request Timeout", 414: "URI Too Long",
             431: "Request Header Fields Too Large", 501: "Not Implemented",
             502: "Bad Gateway", 503: "Service Unavailable",
             504: "Gateway Timeout", 505: "HTTP Version Not Supported"}

# splicer's answers about a server's response (or its absence): the request
# had been forwarded
ABOUT_RESPONSE = {502, 504}

DIRECTIVE = re.compile(r"<(wait|shut|sleep [0-9.]+)>")
REP = re.compile(r"<rep ([0-9]+) ([^<>]*)>")


def unescape(s):
    return codecs.escape_decode(s.encode("latin-1"))[0]


def parse_data(s):
    """DATA -> list of ("send", bytes) / ("wait",) / ("sleep", s) / ("shut",)."""
    while True:		# <rep> innermost first: they nest
        s, n = REP.subn(lambda m: m.group(2) * int(m.group(1)), s)
        if not n:
            break
    ops = []
    pos = 0
    for m in DIRECTIVE.finditer(s):
        if m.start() > pos:
            ops.append(("send", unescape(s[pos:m.start()])))
        pos = m.end()
        d = m.group(1)
        if d == "wait":
            ops.append(("wait",))
        elif d == "shut":
            ops.append(("shut",))
        else:
            ops.append(("sleep", float(d.split()[1])))
    if pos < len(s):
        ops.append(("send", unescape(s[pos:])))
    return ops


class Expect:
    def __init__(self, item):
        m = re.fullmatch(r"(\d{3})(H?)(/body)?", item.strip())
        if not m:
            raise ValueError("bad EXPECT item %r" % item)
        self.status = int(m.group(1))
        self.head = bool(m.group(2))
        self.body_error = bool(m.group(3))
        self.generated = self.status in GENERATED and not self.head
        # the request reached the server before splicer answered
        self.forwarded = self.body_error or self.status in ABOUT_RESPONSE


def load(path):
    out = []
    with open(path, encoding="latin-1") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split(" | ", 3)
            if len(parts) != 4:
                sys.exit("%s:%d: expected NAME | PORT | EXPECT | DATA" % (path, n))
            name, port, expect, data = parts
            items = [x.strip() for x in expect.split(",")]
            want_eof = items[-1] == "EOF"
            if want_eof:
                items.pop()
            out.append({"name": name.strip(), "port": int(port),
                        "expect": [Expect(x) for x in items], "eof": want_eof,
                        "expect_text": expect.strip(), "ops": parse_data(data)})
    return out


# ---------------------------------------------------------------- responses
class Reader:
    """Parses responses out of the bytes received so far."""

    def __init__(self, expect):
        self.buf = b""
        self.expect = expect
        self.responses = []
        self.error = None
        self.waiting_eof = False	# a body delimited by EOF is open
        self.tunnel = False		# after a 101: no more HTTP

    def _parse_one(self, eof):
        """Parse one response from self.buf if complete; True if one was."""
        i = self.buf.find(b"\r\n\r\n")
        if i < 0:
            return False
        head = self.buf[:i].decode("latin-1")
        lines = head.split("\r\n")
        m = re.fullmatch(r"HTTP/1\.[01] (\d{3})(?: (.*))?", lines[0])
        if not m:
            raise ValueError("bad status line %r" % lines[0][:100])
        status = int(m.group(1))
        fields = []
        hdrs = {}
        for ln in lines[1:]:
            k, sep, v = ln.partition(":")
            if not sep:
                raise ValueError("bad field line %r" % ln[:100])
            fields.append([k, v.strip(" \t")])
            hdrs[k.lower()] = v.strip(" \t")
        idx = len(self.responses)
        is_head = idx < len(self.expect) and self.expect[idx].head
        rest = self.buf[i + 4:]
        body = b""
        if is_head or 100 <= status < 200 or status in (204, 304):
            used = 0
        elif "chunked" in hdrs.get("transfer-encoding", "").lower():
            used, body = self._dechunk(rest)
            if used is None:
                return False
        elif "content-length" in hdrs:
            n = int(hdrs["content-length"])
            if len(rest) < n:
                return False
            used, body = n, rest[:n]
        else:
            if not eof:
                self.waiting_eof = True
                return False
            used, body = len(rest), rest
        self.buf = rest[used:]
        self.waiting_eof = False
        self.responses.append({
            "status": status, "line": lines[0], "headers": hdrs, "fields": fields,
            "body": body[:65536].decode("latin-1"), "body_len": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest()})
        return True

    @staticmethod
    def _dechunk(data):
        pos = 0
        body = b""
        while True:
            j = data.find(b"\r\n", pos)
            if j < 0:
                return None, None
            size = int(data[pos:j].split(b";", 1)[0].strip(), 16)
            pos = j + 2
            if size == 0:
                while True:
                    j = data.find(b"\r\n", pos)
                    if j < 0:
                        return None, None
                    if j == pos:
                        return j + 2, body
                    pos = j + 2
            if len(data) < pos + size + 2:
                return None, None
            body += data[pos:pos + size]
            if data[pos + size:pos + size + 2] != b"\r\n":
                raise ValueError("no CRLF after chunk data")
            pos += size + 2

    def feed(self, data, eof=False):
        self.buf += data
        try:
            while self.buf and not self.tunnel and self._parse_one(eof):
                if self.responses[-1]["status"] == 101:
                    self.tunnel = True
        except ValueError as e:
            self.error = str(e)


# ---------------------------------------------------------------- server records
class SrvView:
    def __init__(self, d, name):
        self.log = os.path.join(d, name + ".log")
        self.raw = os.path.join(d, name + ".raw")

    def snapshot(self):
        try:
            with open(self.log, encoding="latin-1") as f:
                log = f.read()
        except FileNotFoundError:
            log = ""
        try:
            raw_len = os.path.getsize(self.raw)
        except FileNotFoundError:
            raw_len = 0
        started = set(re.findall(r"(?m)^# conn (\d+) from ", log))
        return {"conns": len(started), "started": started,
                "ended": set(re.findall(r"(?m)^# conn (\d+) end: ", log)),
                "requests": len(re.findall(r"(?m)^[A-Za-z]+ \S+ HTTP/\S+$", log)),
                "raw_len": raw_len}

    def raw_since(self, off):
        try:
            with open(self.raw, "rb") as f:
                f.seek(off)
                return f.read()
        except FileNotFoundError:
            return b""


# ---------------------------------------------------------------- one exchange
def run_one(host, v, timeout):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    t0 = time.monotonic()
    deadline = t0 + timeout
    r = Reader(v["expect"])
    eof = reset = False
    send_error = None
    try:
        s.connect((host, v["port"]))
    except OSError as e:
        s.close()
        return {"responses": [], "eof": False, "reset": False, "timeout": False,
                "extra": "", "parse_error": None, "elapsed": 0.0,
                "send_error": "connect: %s: %s" % (type(e).__name__, e)}
    s.setblocking(False)

    def pump(wait):
        """Receive for at most `wait` seconds (one select); False at EOF."""
        nonlocal eof, reset
        if eof:
            return False
        rl, _, _ = select.select([s], [], [], max(0.0, wait))
        if not rl:
            return True
        try:
            d = s.recv(262144)
        except ConnectionResetError:
            reset = eof = True
            r.feed(b"", eof=True)
            return False
        except BlockingIOError:
            return True
        if not d:
            eof = True
            r.feed(b"", eof=True)
            return False
        r.feed(d)
        return True

    nwait = 0
    for op in v["ops"]:
        if op[0] == "send":
            data = op[1]
            sent = 0
            while sent < len(data) and send_error is None and time.monotonic() < deadline:
                try:
                    sent += s.send(data[sent:sent + 65536])
                except BlockingIOError:
                    _, wl, _ = select.select([], [s], [], 0.05)
                except OSError as e:
                    send_error = "%s: %s" % (type(e).__name__, e)
                pump(0)		# keep reading, the other side may be answering
        elif op[0] == "wait":
            nwait += 1
            want = nwait
            while len(r.responses) < want and time.monotonic() < deadline:
                if not pump(deadline - time.monotonic()):
                    break
        elif op[0] == "sleep":
            end = time.monotonic() + op[1]
            while time.monotonic() < end:
                pump(end - time.monotonic())
        elif op[0] == "shut":
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError as e:
                send_error = "%s: %s" % (type(e).__name__, e)

    exp = v["expect"]
    until_eof = v["eof"] or (bool(exp) and exp[-1].generated)
    while not eof and time.monotonic() < deadline:
        if not until_eof and len(r.responses) >= len(exp):
            grace = min(deadline, time.monotonic() + 0.5)
            while not eof and time.monotonic() < grace:
                pump(grace - time.monotonic())
            break
        pump(deadline - time.monotonic())
    elapsed = time.monotonic() - t0
    s.close()
    return {"responses": r.responses, "eof": eof, "reset": reset,
            "timeout": not eof and until_eof, "extra": r.buf.decode("latin-1")[:2000],
            "parse_error": r.error, "send_error": send_error,
            "elapsed": round(elapsed, 3)}


def check(v, out):
    errs = []
    exp = v["expect"]
    got = [x["status"] for x in out["responses"]]
    if got != [e.status for e in exp]:
        errs.append("statuses: expected [%s], got [%s]" %
                    (",".join(str(e.status) for e in exp), ",".join(map(str, got))))
    for i, (e, x) in enumerate(zip(exp, out["responses"])):
        if e.generated:
            want = "HTTP/1.1 %d %s" % (e.status, GENERATED[e.status])
            if x["line"] != want:
                errs.append("response %d: status line %r, expected %r" % (i + 1, x["line"], want))
            if x["headers"].get("connection", "").lower() != "close":
                errs.append("response %d: no Connection: close" % (i + 1))
            if "x-server" in x["headers"]:
                errs.append("response %d: came from a server (X-Server: %s), not splicer" %
                            (i + 1, x["headers"]["x-server"]))
            if x["headers"].get("content-length") != str(x["body_len"]) or not x["body_len"]:
                errs.append("response %d: Content-Length %s, body %d bytes" %
                            (i + 1, x["headers"].get("content-length"), x["body_len"]))
            if i != len(exp) - 1:
                errs.append("response %d: a generated response that is not the last expected" % (i + 1))
        elif "x-server" not in x["headers"] and not 100 <= x["status"] <= 199:
            errs.append("response %d (%s): no X-Server: not from a test server" % (i + 1, x["line"]))
    if v["eof"] or (exp and exp[-1].generated):
        last = exp[-1].status if exp else "connect"
        if out["reset"]:
            errs.append("connection reset instead of closed after the %s" % last)
        elif not out["eof"]:
            errs.append("no EOF after the %s within the timeout" % last)
    if len(out["responses"]) == len(exp) and out["extra"] and got[-1:] != [101]:
        errs.append("%d bytes after the last response: %r" % (len(out["extra"]), out["extra"][:200]))
    if out["parse_error"]:
        errs.append("unparsable response: %s" % out["parse_error"])
    if out["send_error"] and out["send_error"].startswith("connect"):
        errs.append(out["send_error"])
    return errs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("host")
    ap.add_argument("file")
    ap.add_argument("--json")
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--srv-dir")
    ap.add_argument("--srv", action="append", default=[])
    ap.add_argument("--only", action="append")
    a = ap.parse_args()
    vectors = load(a.file)
    if a.only:
        vectors = [v for v in vectors if v["name"] in a.only]
    names = [v["name"] for v in vectors]
    if len(set(names)) != len(names):
        sys.exit("duplicate exchange names in %s" % a.file)
    views = {}		# port (None: any) -> SrvView
    for spec in a.srv if a.srv_dir else []:
        port, sep, name = spec.rpartition("=")
        views[int(port) if sep else None] = SrvView(a.srv_dir, name)
    jf = open(a.json, "w") if a.json else None
    nfail = 0
    raw_start = {id(x): x.snapshot()["raw_len"] for x in views.values()}
    for v in vectors:
        srv = views.get(v["port"], views.get(None))
        before = srv.snapshot() if srv else None
        out = run_one(a.host, v, a.timeout)
        errs = check(v, out)
        if srv:
            exp = v["expect"]
            # What the server answered was logged before the answer left it.
            # A head forwarded before its body failed is not answered: wait
            # until the server is done with that connection (splicer resets
            # it), so that its records count for this exchange.
            after = srv.snapshot()
            settle = time.monotonic() + 3
            while any(e.body_error for e in exp) and time.monotonic() < settle:
                new = after["started"] - before["started"]
                if new and new <= after["ended"]:
                    break
                time.sleep(0.05)
                after = srv.snapshot()
            got = after["raw_len"] - before["raw_len"]
            d = {"conns": after["conns"] - before["conns"],
                 "requests": after["requests"] - before["requests"], "bytes": got}
            out["srv"] = d
            if b"NOPE" in srv.raw_since(before["raw_len"]):
                errs.append("the server received bytes marked NOPE")
            if exp and exp[0].generated and not exp[0].forwarded and (d["conns"] or got):
                errs.append("the server accepted %d connection(s) and received %d bytes" %
                            (d["conns"], got))
            # a head forwarded before its body failed may be cut off by the
            # reset that ends the server connection: it may or may not count
            lo = sum(1 for e in exp if (not e.generated and e.status >= 200) or
                     e.status == 101 or e.status in ABOUT_RESPONSE)
            hi = lo + sum(1 for e in exp if e.body_error)
            if not lo <= d["requests"] <= hi:
                errs.append("the server received %d request head(s), expected %s" %
                            (d["requests"], lo if lo == hi else "%d..%d" % (lo, hi)))
        out.update(name=v["name"], port=v["port"], expect=v["expect_text"],
                   statuses=[x["status"] for x in out["responses"]],
                   ok=not errs, errors=errs)
        summary = ",".join(str(x) for x in out["statuses"]) or "-"
        end = "EOF" if out["eof"] and not out["reset"] else ("RST" if out["reset"] else "open")
        print("  %s %s: %s -> %s, %s, %.2fs%s" % (
            "ok  " if not errs else "FAIL", v["name"], v["expect_text"], summary, end,
            out["elapsed"], "" if not srv else ", server +%d conn +%d req" %
            (out["srv"]["conns"], out["srv"]["requests"])), flush=True)
        for e in errs:
            print("         %s" % e, flush=True)
        if errs:
            nfail += 1
            for x in out["responses"]:
                print("         < %s %s" % (x["line"], json.dumps(x["body"][:160])))
        if jf:
            jf.write(json.dumps(out) + "\n")
            jf.flush()
    if views:
        time.sleep(1.0)		# anything forwarded late shows up by now
    for srv in views.values():
        late = srv.raw_since(raw_start[id(srv)])
        if b"NOPE" in late:
            i = late.find(b"NOPE")
            print("  FAIL the server received bytes marked NOPE: ...%r..." %
                  late[max(0, i - 200):i + 100])
            nfail += 1
    print("%d exchanges, %d failed" % (len(vectors), nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
