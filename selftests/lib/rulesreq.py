#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A batch HTTP/1.1 client for the content-rule selftests (python3 stdlib
only): many requests from one process (a process start costs seconds
under TCG).

    rulesreq.py HOST PORT < SPEC

SPEC: one JSON object a line, either one request on a connection of its
own:
    {"id": "7", "method": "GET", "path": "/x?t=7", "src": "198.18.0.130",
     "headers": {"Host": "api.example", "X-Beta": "1"}, "body": "a=b",
     "http10": false}
(everything but "id" and "path" optional; Host defaults to HOST unless
"headers" names it or "nohost" is true; a body gets Content-Length), or
several requests on one keep-alive connection:
    {"conn": [REQUEST, ...], "pipeline": false, "src": ADDR}
sent one after another (each once the previous response is complete), or
all written at once with "pipeline": true. A connection's last request
does not ask to close it; the client closes after the last response.

Output: one JSON object a line per request, in SPEC order: "id",
"status" (null: no response), "server" (X-Server), "location",
"content_location", "body" (text, latin-1), "conn" (the local port of its
connection), "error" (null or what went wrong). Exit status 0 when every
request got a response.
"""

import json
import socket
import sys

TIMEOUT = 20


def build(req, host):
    method = req.get("method", "GET")
    version = "HTTP/1.0" if req.get("http10") else "HTTP/1.1"
    headers = dict(req.get("headers", {}))
    lower = {k.lower() for k in headers}
    lines = ["%s %s %s" % (method, req["path"], version)]
    if "host" not in lower and not req.get("nohost"):
        lines.append("Host: %s" % host)
    for k, v in headers.items():
        lines.append("%s: %s" % (k, v))
    body = req.get("body", "").encode()
    if body or method in ("POST", "PUT"):
        lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Reader:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.eof = False

    def fill(self):
        d = self.sock.recv(65536)
        if not d:
            self.eof = True
            return False
        self.buf += d
        return True

    def response(self, method):
        """One response: (status, headers dict lower-case, body bytes)."""
        while b"\r\n\r\n" not in self.buf:
            if not self.fill():
                raise EOFError("connection closed before a response head")
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        hdrs = {}
        for ln in lines[1:]:
            k, _, v = ln.partition(":")
            hdrs.setdefault(k.strip().lower(), v.strip())
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return status, hdrs, b""
        if "content-length" in hdrs:
            n = int(hdrs["content-length"])
            while len(self.buf) < n:
                if not self.fill():
                    raise EOFError("connection closed in the body")
            body, self.buf = self.buf[:n], self.buf[n:]
            return status, hdrs, body
        if "chunked" in hdrs.get("transfer-encoding", "").lower():
            body = b""
            while True:
                while b"\r\n" not in self.buf:
                    if not self.fill():
                        raise EOFError("connection closed in a chunk size")
                line, self.buf = self.buf.split(b"\r\n", 1)
                size = int(line.split(b";")[0], 16)
                while len(self.buf) < size + 2:
                    if not self.fill():
                        raise EOFError("connection closed in a chunk")
                body += self.buf[:size]
                self.buf = self.buf[size + 2:]
                if size == 0:
                    return status, hdrs, body
        while self.fill():
            pass
        body, self.buf = self.buf, b""
        return status, hdrs, body


def result(req, port, status=None, hdrs=None, body=b"", error=None):
    hdrs = hdrs or {}
    return {"id": req.get("id"), "status": status, "server": hdrs.get("x-server"),
            "location": hdrs.get("location"),
            "content_location": hdrs.get("content-location"),
            "body": body.decode("latin-1"), "conn": port, "error": error}


def connection(host, port, reqs, src, pipeline):
    out = []
    try:
        s = socket.create_connection((host, port), timeout=TIMEOUT,
                                     source_address=(src, 0) if src else None)
    except OSError as e:
        return [result(r, None, error="connect: %s" % e) for r in reqs]
    lport = s.getsockname()[1]
    rd = Reader(s)
    try:
        if pipeline:
            s.sendall(b"".join(build(r, host) for r in reqs))
        for r in reqs:
            if not pipeline:
                s.sendall(build(r, host))
            try:
                st, h, b = rd.response(r.get("method", "GET"))
                out.append(result(r, lport, st, h, b))
            except (EOFError, OSError, ValueError) as e:
                out.append(result(r, lport, error=str(e)))
                break
    finally:
        s.close()
    for r in reqs[len(out):]:
        out.append(result(r, lport, error="not answered: the connection ended"))
    return out


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    ok = True
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        spec = json.loads(line)
        if "conn" in spec:
            res = connection(host, port, spec["conn"], spec.get("src"),
                             spec.get("pipeline", False))
        else:
            res = connection(host, port, [spec], spec.get("src"), False)
        for r in res:
            ok = ok and r["status"] is not None
            print(json.dumps(r, sort_keys=True), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
