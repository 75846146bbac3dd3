#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Test HTTP backend for the splicer selftests (python3 stdlib only).

    backend.py --name NAME --listen ADDR:PORT [--log FILE] [--ready FILE]
    backend.py --serve NAME=ADDR:PORT [--serve ...] --log-dir DIR [--ready FILE]
                                        several servers in one process (python
                                        starts slowly under TCG), NAME's log in
                                        DIR/NAME.log
    backend.py --blobsum SIZE SEED      print the sha256 of /blob?size=SIZE&seed=SEED

Endpoints (HTTP/1.1, keep-alive):
  GET  /                      200 "server=NAME\\n", header X-Server: NAME
  GET  /blob?size=N&seed=S    N deterministic bytes (see blob_chunks), Content-Length,
                              X-Blob-Sha256 header
  GET  /blobsum?size=N&seed=S the sha256 hex of that blob
  GET  /drip?size=N&chunk=B&interval=MS
                              N bytes sent B at a time, one write every MS ms
                              (keeps a connection open and moving data)
  GET  /headers               the request head exactly as received (text/plain)
  GET  /status?code=C         an empty response with status C
  GET  /close                 closes the connection without answering
  POST /sha256                reads the body (Content-Length or chunked) and answers
                              "sha256=HEX length=N\\n"
Every response carries X-Server: NAME. Every request line and header block is
appended to the log file (flushed at once), so a test can tell what this server
received, and that it received nothing; every accepted connection is logged as a
"# conn from ADDR" line. An IPv6 ADDR goes in brackets: [::1]:8080.
"""

import argparse
import hashlib
import http.server
import os
import socket
import socketserver
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from blob import BLOCK, blob_chunks, blob_sha256  # noqa: E402


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "splicer-test-backend"
    sys_version = ""

    def log_message(self, fmt, *args):  # quiet on stderr
        pass

    def _log_request(self):
        srv = self.server
        with srv.log_lock:
            if srv.logf:
                srv.logf.write(self.requestline + "\n")
                srv.logf.write(str(self.headers))  # ends with an empty line
                srv.logf.flush()

    def _qs(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        return u.path, {k: v[-1] for k, v in q.items()}

    def _send(self, code, body, ctype="text/plain", extra=None):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(code)
        self.send_header("X-Server", self.server.name)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self._log_request()
        path, q = self._qs()
        try:
            if path == "/":
                self._send(200, "server=%s\n" % self.server.name)
            elif path == "/blob":
                size, seed = int(q.get("size", "0")), int(q.get("seed", "0"))
                digest = blob_sha256(size, seed)
                self.send_response(200)
                self.send_header("X-Server", self.server.name)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(size))
                self.send_header("X-Blob-Sha256", digest)
                self.end_headers()
                if self.command != "HEAD":
                    for blk in blob_chunks(size, seed):
                        self.wfile.write(blk)
            elif path == "/blobsum":
                size, seed = int(q.get("size", "0")), int(q.get("seed", "0"))
                self._send(200, blob_sha256(size, seed) + "\n")
            elif path == "/drip":
                size = int(q.get("size", "1048576"))
                chunk = int(q.get("chunk", "1024"))
                interval = int(q.get("interval", "100")) / 1000.0
                self.send_response(200)
                self.send_header("X-Server", self.server.name)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(size))
                self.end_headers()
                left = size
                while left > 0:
                    n = min(chunk, left)
                    self.wfile.write(b"d" * n)
                    self.wfile.flush()
                    left -= n
                    if left:
                        time.sleep(interval)
            elif path == "/headers":
                head = self.requestline + "\r\n" + "".join(
                    "%s: %s\r\n" % (k, v) for k, v in self.headers.items())
                self._send(200, head)
            elif path == "/close":
                self.close_connection = True  # close without a byte of response
            elif path == "/status":
                code = int(q.get("code", "200"))
                self._send(code, "")
            else:
                self._send(404, "not found\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _read_chunked(self, h):
        n = 0
        while True:
            line = self.rfile.readline(65537)
            if not line:
                raise ValueError("EOF in chunk size")
            size = int(line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                # trailers up to the empty line
                while True:
                    t = self.rfile.readline(65537)
                    if t in (b"\r\n", b"\n", b""):
                        return n
            left = size
            while left:
                d = self.rfile.read(min(left, BLOCK))
                if not d:
                    raise ValueError("EOF in chunk")
                h.update(d)
                left -= len(d)
                n += len(d)
            self.rfile.readline(3)  # CRLF after the chunk

    def do_POST(self):
        self._log_request()
        path, _ = self._qs()
        h = hashlib.sha256()
        n = 0
        try:
            te = self.headers.get("Transfer-Encoding", "")
            if "chunked" in te.lower():
                n = self._read_chunked(h)
            else:
                left = int(self.headers.get("Content-Length", "0"))
                while left:
                    d = self.rfile.read(min(left, BLOCK))
                    if not d:
                        raise ValueError("EOF in body")
                    h.update(d)
                    left -= len(d)
                    n += len(d)
        except (ValueError, ConnectionResetError) as e:
            self.close_connection = True
            try:
                self._send(400, "bad body: %s\n" % e, extra={"Connection": "close"})
            except OSError:
                pass
            return
        if path == "/sha256":
            self._send(200, "sha256=%s length=%d\n" % (h.hexdigest(), n))
        else:
            self._send(404, "not found\n")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def __init__(self, addr, family, name, logf):
        self.address_family = family
        self.name = name
        self.logf = logf
        self.log_lock = threading.Lock()
        super().__init__(addr, Handler)

    def server_bind(self):
        if self.address_family == socket.AF_INET6:
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.name
        self.server_port = self.server_address[1]

    def process_request(self, request, client_address):
        with self.log_lock:
            if self.logf:
                self.logf.write("# conn from %s\n" % (client_address[0],))
                self.logf.flush()
        super().process_request(request, client_address)


def parse_listen(s):
    host, _, port = s.rpartition(":")
    if host.startswith("["):
        return socket.AF_INET6, (host[1:-1], int(port))
    return socket.AF_INET, (host, int(port))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--name")
    ap.add_argument("--listen")
    ap.add_argument("--log")
    ap.add_argument("--serve", action="append", default=[], metavar="NAME=ADDR:PORT")
    ap.add_argument("--log-dir")
    ap.add_argument("--ready", help="file created once every server listens")
    ap.add_argument("--blobsum", nargs=2, type=int, metavar=("SIZE", "SEED"))
    a = ap.parse_args()
    if a.blobsum:
        print(blob_sha256(*a.blobsum))
        return 0
    todo = []
    if a.name or a.listen:
        if not a.name or not a.listen:
            ap.error("--name and --listen go together")
        todo.append((a.name, a.listen, a.log))
    for spec in a.serve:
        name, sep, listen = spec.partition("=")
        if not sep or not name:
            ap.error("--serve NAME=ADDR:PORT, not %r" % spec)
        todo.append((name, listen,
                     os.path.join(a.log_dir, name + ".log") if a.log_dir else None))
    if not todo:
        ap.error("nothing to serve: --name/--listen or --serve")
    servers = []
    for name, listen, log in todo:
        family, addr = parse_listen(listen)
        logf = open(log, "a") if log else None
        servers.append(Server(addr, family, name, logf))
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
