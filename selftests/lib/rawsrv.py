#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Scripted HTTP/1.1 test server that records every byte it receives
(python3 stdlib only). For the tests that need exact control of the
response framing, or proof of what reached the server.

    rawsrv.py --serve NAME=ADDR:PORT [--serve ...] --log-dir DIR [--ready FILE]

Records, for each NAME:
  DIR/NAME.log  "# conn N from ADDR" per accepted connection, every request
                head as received (request line, then its field lines, then an
                empty line: the format of backend.py's log, so lib.sh's
                backend_requests/backend_conns count it), "# conn N end: WHY,
                B bytes" when it ends
  DIR/NAME.raw  every byte received on any connection, in arrival order

It never closes a connection on its own (a client's "Connection: close" is
ignored on purpose: what the load balancer does about it is under test), except
where an endpoint says so. Request bodies are read by Content-Length (the first
member of a list) or chunked (trailers included); "Expect: 100-continue" gets
"HTTP/1.1 100 Continue" before the body is read.

Endpoints (every response carries X-Server: NAME, X-Conn: N and X-Req: the
request's number on its connection; HEAD gets the GET head without the body):
  /                        200 "path=TARGET\\n" (any unknown path too)
  /headers                 200, the request head exactly as received
  /sha256                  200 "sha256=HEX length=N trailers=NAME,NAME\\n" of the
                           request body (any method)
  /len?n=N                 200 with N bytes of body
  /status?code=C[&cl=N]    status C; 204 and 304 with no body, and with
                           "Content-Length: N" only if cl is given (a 304 may
                           announce the length of the representation); other
                           codes "path=TARGET\\n"
  /interim?codes=C,C       one interim head per code (e.g. 100, 103), then 200
                           "path=TARGET\\n"
  /chunked                 200 "path=TARGET\\n" in chunks with extensions, and a
                           trailer field
  /close                   200 "path=TARGET\\n" with Connection: close, then the
                           server closes (FIN) and drains
  /eof                     200 without Content-Length, body "path=TARGET\\n",
                           delimited by the server closing
  /u101                    101 Switching Protocols (Upgrade: websocket) whatever
                           the request asked, then "LEAK-AFTER-101\\r\\n", then
                           echoes every byte until EOF
"""

import argparse
import hashlib
import os
import socket
import socketserver
import sys
import threading
import time
import urllib.parse

REASONS = {100: "Continue", 101: "Switching Protocols", 102: "Processing",
           103: "Early Hints", 200: "OK", 204: "No Content",
           304: "Not Modified", 404: "Not Found"}


class Bad(Exception):
    pass


class Closed(Exception):
    pass


class Conn:
    """Buffered reader over the client socket; every byte received is recorded."""

    def __init__(self, sock, srv, n):
        self.sock = sock
        self.srv = srv
        self.n = n
        self.buf = b""
        self.nbytes = 0
        self.nreq = 0

    def fill(self):
        try:
            d = self.sock.recv(65536)
        except (ConnectionResetError, TimeoutError, socket.timeout) as e:
            raise Closed("reset" if isinstance(e, ConnectionResetError) else "timeout")
        if not d:
            raise Closed("eof")
        self.srv.record_raw(d)
        self.nbytes += len(d)
        self.buf += d

    def read_until(self, sep, maxlen):
        while True:
            i = self.buf.find(sep)
            if i >= 0:
                out = self.buf[:i + len(sep)]
                self.buf = self.buf[i + len(sep):]
                return out
            if len(self.buf) > maxlen:
                raise Bad("no %r within %d bytes" % (sep, maxlen))
            self.fill()

    def read_n(self, n):
        while len(self.buf) < n:
            self.fill()
        out = self.buf[:n]
        self.buf = self.buf[n:]
        return out

    def send(self, data):
        self.sock.sendall(data)


def header(headers, name):
    """All values of field NAME (lowercase), in order."""
    return [v for k, v in headers if k.lower() == name]


def read_head(c):
    while True:
        while len(c.buf) < 2:
            c.fill()
        if c.buf.startswith(b"\r\n"):
            c.buf = c.buf[2:]		# empty lines before a request
            continue
        break
    head = c.read_until(b"\r\n\r\n", 1 << 20)
    lines = head[:-4].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3:
        raise Bad("request line %r" % lines[0][:100])
    hdrs = []
    for ln in lines[1:]:
        k, sep, v = ln.partition(":")
        if not sep:
            raise Bad("field line %r" % ln[:100])
        hdrs.append((k, v.strip(" \t")))
    return head, lines, parts, hdrs


def read_body(c, hdrs, h):
    """Read the request body into hash h. Returns (length, trailer names)."""
    te = ",".join(header(hdrs, "transfer-encoding")).lower()
    if "chunked" in te:
        n = 0
        while True:
            line = c.read_until(b"\r\n", 70000)
            size = int(line[:-2].split(b";", 1)[0].strip(), 16)
            if size == 0:
                names = []
                while True:
                    t = c.read_until(b"\r\n", 70000)
                    if t == b"\r\n":
                        return n, names
                    names.append(t.decode("latin-1").partition(":")[0])
            h.update(c.read_n(size))
            n += size
            if c.read_n(2) != b"\r\n":
                raise Bad("no CRLF after chunk data")
    cl = header(hdrs, "content-length")
    if cl:
        n = int(cl[0].split(",")[0].strip())
        left = n
        while left:
            d = c.read_n(min(left, 65536))
            h.update(d)
            left -= len(d)
        return n, []
    return 0, []


def has_body(hdrs):
    if "chunked" in ",".join(header(hdrs, "transfer-encoding")).lower():
        return True
    cl = header(hdrs, "content-length")
    return bool(cl) and int(cl[0].split(",")[0].strip() or "0") > 0


def response(c, code, extra=(), body=b"", cl=True, send_body=True):
    out = ["HTTP/1.1 %d %s" % (code, REASONS.get(code, "Whatever")),
           "X-Server: %s" % c.srv.name, "X-Conn: %d" % c.n, "X-Req: %d" % c.nreq]
    out += list(extra)
    if cl:
        out.append("Content-Length: %d" % len(body))
    data = ("\r\n".join(out) + "\r\n\r\n").encode("latin-1")
    if send_body:
        data += body
    c.send(data)


def close_gracefully(c):
    """FIN, then read (and record) what still comes, for at most 3 s."""
    try:
        c.sock.shutdown(socket.SHUT_WR)
        c.sock.settimeout(3)
        while True:
            c.fill()
    except (Closed, OSError):
        pass
    raise Closed("server closed after /close or /eof")


def serve_one(c, head, lines, parts, hdrs):
    method, target, _ = parts
    u = urllib.parse.urlsplit(target)
    path = u.path
    q = {k: v[-1] for k, v in urllib.parse.parse_qs(u.query).items()}
    is_head = method == "HEAD"
    h = hashlib.sha256()
    if has_body(hdrs) and any(v.lower() == "100-continue" for v in header(hdrs, "expect")):
        c.send(b"HTTP/1.1 100 Continue\r\n\r\n")
    length, trailers = read_body(c, hdrs, h)
    text = ("path=%s\n" % target).encode("latin-1")

    if path == "/sha256":
        body = ("sha256=%s length=%d trailers=%s\n" %
                (h.hexdigest(), length, ",".join(trailers))).encode()
        response(c, 200, body=body, send_body=not is_head)
    elif path == "/headers":
        response(c, 200, ["Content-Type: text/plain"], body=head,
                 send_body=not is_head)
    elif path == "/len":
        n = int(q.get("n", "0"))
        body = (b"0123456789abcdef" * (n // 16 + 1))[:n]
        response(c, 200, body=body, send_body=not is_head)
    elif path == "/status":
        code = int(q.get("code", "200"))
        if code in (204, 304):
            extra = ["Content-Length: %s" % q["cl"]] if "cl" in q else []
            if code == 304:
                extra.append('ETag: "v1"')
            response(c, code, extra, cl=False)
        else:
            response(c, code, body=text, send_body=not is_head)
    elif path == "/interim":
        for code in q.get("codes", "103").split(","):
            code = int(code)
            extra = "Link: </style.css>; rel=preload\r\n" if code == 103 else ""
            c.send(("HTTP/1.1 %d %s\r\nX-Interim: %d\r\n%s\r\n" %
                    (code, REASONS.get(code, "Interim"), code, extra)).encode())
        response(c, 200, body=text, send_body=not is_head)
    elif path == "/chunked":
        response(c, 200, ["Transfer-Encoding: chunked", "Trailer: X-Trailer"],
                 cl=False)
        if not is_head:
            pieces = [text[:5], text[5:-1], text[-1:]]
            data = b""
            for i, p in enumerate(pieces):
                ext = [b";ext=%d" % i, b';q="a \\" b"', b""][i]
                data += b"%x%s\r\n%s\r\n" % (len(p), ext, p)
            data += b"0\r\nX-Trailer: yes\r\n\r\n"
            c.send(data)
    elif path == "/close":
        response(c, 200, ["Connection: close"], body=text, send_body=not is_head)
        close_gracefully(c)
    elif path == "/eof":
        response(c, 200, ["Connection: close"], cl=False)
        if not is_head:
            c.send(text)
        close_gracefully(c)
    elif path == "/u101":
        c.send(b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
               b"Upgrade: websocket\r\nX-Server: " + c.srv.name.encode() +
               b"\r\n\r\nLEAK-AFTER-101\r\n")
        if c.buf:
            c.send(c.buf)
            c.buf = b""
        while True:
            c.fill()
            c.send(c.buf)
            c.buf = b""
    else:
        response(c, 200, body=text, send_body=not is_head)


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        srv = self.server
        sock = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with srv.lock:
            srv.nconn += 1
            n = srv.nconn
            srv.logf.write("# conn %d from %s\n" % (n, self.client_address[0]))
            srv.logf.flush()
        c = Conn(sock, srv, n)
        why = "?"
        try:
            while True:
                head, lines, parts, hdrs = read_head(c)
                c.nreq += 1
                srv.record("\n".join(lines) + "\n\n")
                serve_one(c, head, lines, parts, hdrs)
        except Closed as e:
            why = str(e)
        except (Bad, ValueError) as e:
            why = "bad request: %s" % e
        except OSError as e:
            why = "%s: %s" % (type(e).__name__, e)
        srv.record("# conn %d end: %s, %d bytes\n" % (n, why, c.nbytes))


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, addr, family, name, log_dir):
        self.address_family = family
        self.name = name
        self.lock = threading.Lock()
        self.nconn = 0
        self.logf = open(os.path.join(log_dir, name + ".log"), "a")
        self.rawf = open(os.path.join(log_dir, name + ".raw"), "ab")
        super().__init__(addr, Handler)

    def record(self, text):
        with self.lock:
            self.logf.write(text)
            self.logf.flush()

    def record_raw(self, data):
        with self.lock:
            self.rawf.write(data)
            self.rawf.flush()


def parse_listen(s):
    host, _, port = s.rpartition(":")
    if host.startswith("["):
        return socket.AF_INET6, (host[1:-1], int(port))
    return socket.AF_INET, (host, int(port))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--serve", action="append", required=True, metavar="NAME=ADDR:PORT")
    ap.add_argument("--log-dir", required=True)
    ap.add_argument("--ready", help="file created once every server listens")
    a = ap.parse_args()
    servers = []
    for spec in a.serve:
        name, sep, listen = spec.partition("=")
        if not sep or not name:
            ap.error("--serve NAME=ADDR:PORT, not %r" % spec)
        family, addr = parse_listen(listen)
        servers.append(Server(addr, family, name, a.log_dir))
    for srv in servers[1:]:
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.2},
                         daemon=True).start()
    if a.ready:
        with open(a.ready + ".tmp", "w") as f:
            f.write("%d\n" % os.getpid())
        os.rename(a.ready + ".tmp", a.ready)
    try:
        servers[0].serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
