#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A small shopping-cart web application for the persistence selftests
(python3 stdlib only). Its carts live in its own process memory, keyed by
its own session ids, so a user only keeps a cart while every request of his
reaches the same server: exactly what persistence is for.

    cartapp.py --listen ADDR:PORT --name NAME [--cookie JSESSIONID]
               [--log FILE] [--ready FILE]
    cartapp.py --serve NAME=ADDR:PORT [--serve ...] [--cookie NAME]
               [--log-dir DIR] [--ready FILE]
                      several servers in one process (python starts slowly
                      under TCG), each with its own sessions; NAME's log in
                      DIR/NAME.log

Endpoints (HTTP/1.1 keep-alive, Content-Length on every response, every
response carries X-Server: NAME):
  GET /cart                  200 JSON {"server", "session", "items",
                             "url_session", "cookie_header", "new_session",
                             "session_from"}
  GET|POST /cart/add?item=X  adds X (POST: also an item=X form body), then
                             answers like GET /cart
  GET /health                200 "ok"
  anything else              404

Sessions: the id (32 hex digits, random) is taken from the cookie NAME
(--cookie, default JSESSIONID; PHPSESSID and others work alike), else from a
path parameter ";name=ID" (JSP-style URL rewriting: /cart;jsessionid=ID),
else from a query parameter name=ID; parameter names compare without regard
to case. A request without a known id gets a new, empty session and
"Set-Cookie: NAME=ID; Path=/" ("new_session": true; "session_from" says
where a known id came from: cookie, path or query). "url_session" is the
";name=ID" path parameter for links (lower-case name, as JSP writes it), and
"cookie_header" is the Cookie field as this server received it (several
fields joined with "; "; "" when there was none), so a test can tell what
the load balancer removed or rewrote.

The log (one per server) gets each request line and its header block,
flushed at once, in the format of backend.py (so backend_requests and
backend_conns in lib.sh count them), followed by a line
"# session ID new|known".
"""

import argparse
import http.server
import json
import os
import secrets
import socket
import socketserver
import sys
import threading
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cartapp"
    sys_version = ""

    def log_message(self, fmt, *args):  # quiet on stderr
        pass

    def _log(self, text):
        srv = self.server
        with srv.log_lock:
            if srv.logf:
                srv.logf.write(text)
                srv.logf.flush()

    def _send(self, code, body, ctype="text/plain", extra=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(code)
        self.send_header("X-Server", self.server.name)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    # ------------------------------------------------------------ session id
    def _cookie_header(self):
        return "; ".join(self.headers.get_all("Cookie") or [])

    def _from_cookie(self, header):
        """The value of our cookie in the Cookie fields (the first one)."""
        for pair in header.split(";"):
            name, sep, value = pair.strip().partition("=")
            if sep and name == self.server.cookie:
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] == '"':
                    value = value[1:-1]
                return value
        return None

    def _from_path(self, path):
        """;name=ID in the path (any segment), the name in any case."""
        want = self.server.cookie.lower()
        for seg in path.split("/"):
            for param in seg.split(";")[1:]:
                name, sep, value = param.partition("=")
                if sep and name.lower() == want:
                    return value
        return None

    def _from_query(self, query):
        want = self.server.cookie.lower()
        for pair in query.replace(";", "&").split("&"):
            name, sep, value = pair.partition("=")
            if sep and urllib.parse.unquote_plus(name).lower() == want:
                return urllib.parse.unquote_plus(value)
        return None

    def _session(self, path, query):
        """(id, session dict, new?, where the id came from)"""
        srv = self.server
        cookie_header = self._cookie_header()
        found = [("cookie", self._from_cookie(cookie_header)),
                 ("path", self._from_path(path)),
                 ("query", self._from_query(query))]
        with srv.lock:
            for where, sid in found:
                if sid and sid in srv.sessions:
                    return sid, srv.sessions[sid], False, where
            sid = secrets.token_hex(16)
            sess = {"items": []}
            srv.sessions[sid] = sess
            return sid, sess, True, None

    # ------------------------------------------------------------ requests
    def _handle(self, body=b""):
        self._log(self.requestline + "\n" + str(self.headers))
        u = urllib.parse.urlsplit(self.path)
        # the path without its parameters names the endpoint
        plain = "/".join(seg.split(";", 1)[0] for seg in u.path.split("/"))
        if plain == "/health":
            self._send(200, "ok\n")
            return
        if plain not in ("/cart", "/cart/add"):
            self._send(404, "not found\n")
            return
        sid, sess, new, where = self._session(u.path, u.query)
        self._log("# session %s %s\n" % (sid, "new" if new else "known"))
        if plain == "/cart/add":
            q = urllib.parse.parse_qs(u.query)
            items = q.get("item", [])
            if body:
                items += urllib.parse.parse_qs(body.decode("latin-1")).get("item", [])
            if not items:
                self._send(400, "item missing\n")
                return
            with self.server.lock:
                sess["items"].extend(items)
        with self.server.lock:
            items = list(sess["items"])
        doc = {"server": self.server.name, "session": sid, "items": items,
               "url_session": ";%s=%s" % (self.server.cookie.lower(), sid),
               "cookie_header": self._cookie_header(),
               "new_session": new, "session_from": where}
        extra = []
        if new:
            extra.append(("Set-Cookie", "%s=%s; Path=/" % (self.server.cookie, sid)))
        self._send(200, json.dumps(doc, sort_keys=True) + "\n",
                   "application/json", extra)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        try:
            self._handle()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_POST(self):
        try:
            n = int(self.headers.get("Content-Length", "0") or "0")
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                self.close_connection = True
                self._send(411, "Content-Length required\n",
                           extra=[("Connection", "close")])
                return
            body = self.rfile.read(n) if n > 0 else b""
            self._handle(body)
        except (BrokenPipeError, ConnectionResetError, ValueError):
            self.close_connection = True


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def __init__(self, addr, family, name, cookie, logf):
        self.address_family = family
        self.name = name
        self.cookie = cookie
        self.logf = logf
        self.log_lock = threading.Lock()
        self.lock = threading.Lock()
        self.sessions = {}
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
    ap.add_argument("--cookie", default="JSESSIONID",
                    help="the session cookie's name (default JSESSIONID)")
    ap.add_argument("--log")
    ap.add_argument("--serve", action="append", default=[], metavar="NAME=ADDR:PORT")
    ap.add_argument("--log-dir")
    ap.add_argument("--ready", help="file created once every server listens")
    a = ap.parse_args()
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
        servers.append(Server(addr, family, name, a.cookie, logf))
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
