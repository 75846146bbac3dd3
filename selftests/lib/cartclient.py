#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A shopper of cartapp.py for the persistence selftests (python3 stdlib
only): one user, or several interleaved, each with a cookie jar, adding
items to a cart through the load balancer and reading the cart back.

    cartclient.py HOST PORT [--jar FILE] [--steps N] [--reads N] [--source ADDR]
                  [--keepalive] [--carry cookie|path|query|none] [--no-store]
                  [--param NAME] [--cookie NAME=VALUE]... [--drop NAME]...
                  [--header 'K: V']... [--item TAG] [--timeout S]
    cartclient.py HOST PORT --users N --jar-dir DIR [the same options]

Each user makes N add-to-cart requests (GET and POST alternately,
/cart/add?item=TAGk, k counting on from what the jar says was added
before), then --reads (default 1) GET /cart; every target also carries a
random request id, "rid=<12 hex>" (the application ignores it; a test
finds the request's log records by it); a new TCP connection each
(--keepalive: one connection, opened again only if the other side closed
it), from --source if given. With --users, the users take turns request by request (user 1's
first, user 2's first, ..., user 1's second, ...), so their connections
interleave as real users' would; user i's jar is DIR/u<i>.json and its
items are named u<i>-k unless --item says otherwise.

How the session travels (--carry):
  cookie  a cookie jar: every Set-Cookie is kept (a Max-Age <= 0 deletes
          the cookie; no other expiry is applied, so the load balancer's
          own checks are what is tested) and sent back in one Cookie field;
  path    URL rewriting: no Cookie field at all; the session id of the
          "url_session" the application last returned is appended to the
          path of every request as ";jsessionid=ID" (--param NAME: ";NAME="),
          as a JSP page's links would have it;
  query   the same id as a query parameter (&jsessionid=ID, --param NAME);
  none    nothing: every request looks like a new user.
--cookie NAME=VALUE puts (or replaces) a cookie in the jar before the run
(a forged or altered value), --drop NAME removes one. --no-store replays
the jar as it was: nothing received is kept (Set-Cookie, url_session,
items) and the jar file is not written back.

The jar file (JSON) holds "cookies" (name -> value), "attrs" (name -> the
attributes of the Set-Cookie that set it), "url_session", "items" (what
the cart should hold: every item this user added since the application
last gave it a new session, in order), "lost" (items added before that),
"server" (the last that answered) and "source"; it is read before and
written after the run, so a test can continue the same user later, from
another address.

Output: one JSON object. For a single user:
  ok          every response was 200 with the application's JSON
  statuses, servers   per request (server: the application's "server",
                      else X-Server, else null; status 0: no response)
  server      the one server that answered every request, else null
  sticky      every request reached the same server
  items       the cart as the last GET /cart returned it
  expected    what the cart should hold (the jar's "items" after the run)
  intact      items == expected
  session     the application's final session id; sessions: every id seen
  new_sessions        responses that opened a new application session
  set_cookie          every Set-Cookie value received, in order
  set_cookie_responses  how many responses carried one
  cache_control       the Cache-Control values of responses with a Set-Cookie
                      (null where there was none)
  cookie_headers      every distinct Cookie field the application received
  sent_cookies        every distinct Cookie field this client sent
  cookies     the jar after the run; errors: what went wrong, per request
  lost        items the application lost so far (a new session while adding)
  ports       the local port of each request
  rids        the request id of each request (to find its log records)
  requests    per request: status, port, rid, server, set_cookie, cache_control,
              new_session, session
With --users: {"users": [one such object each], "ok", "servers" (server ->
users whose every request it answered), "sticky" (users that stayed on one
server), "intact" (users whose cart was intact)}.
Exit status 0 when every response was a 200 from the application.
"""

import argparse
import json
import os
import secrets
import socket
import sys
import time
import urllib.parse


# ---------------------------------------------------------------- HTTP
class Conn:
    """A client connection: new per request, or kept alive."""

    def __init__(self, host, port, source, timeout):
        self.host, self.port, self.source, self.timeout = host, port, source, timeout
        self.sock = None
        self.buf = b""
        self.lport = None  # the local port of the last request

    def close(self):
        if self.sock:
            self.sock.close()
        self.sock = None
        self.buf = b""

    def _connect(self):
        fam = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self.lport = None
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        if self.source:
            s.bind((self.source, 0))
        s.connect((self.host, self.port))
        self.sock = s
        self.buf = b""

    def _recv(self):
        d = self.sock.recv(65536)
        if not d:
            raise EOFError("EOF after %d bytes" % len(self.buf))
        self.buf += d

    def request(self, method, target, headers, body=b"", keepalive=False):
        """One exchange. Returns (status, [(name, value)], body)."""
        if self.sock is None:
            self._connect()
        head = "%s %s HTTP/1.1\r\nHost: %s\r\n" % (method, target, self.host)
        for k, v in headers:
            head += "%s: %s\r\n" % (k, v)
        if body:
            head += "Content-Type: application/x-www-form-urlencoded\r\n"
            head += "Content-Length: %d\r\n" % len(body)
        if not keepalive:
            head += "Connection: close\r\n"
        self.lport = self.sock.getsockname()[1]
        self.sock.sendall(head.encode("latin-1") + b"\r\n" + body)
        while b"\r\n\r\n" not in self.buf:
            self._recv()
        raw, _, self.buf = self.buf.partition(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        hdrs = []
        for ln in lines[1:]:
            k, _, v = ln.partition(":")
            hdrs.append((k.strip().lower(), v.strip()))
        h = dict(hdrs)
        close = "close" in h.get("connection", "").lower() or not keepalive
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            n = 0
        elif "content-length" in h:
            n = int(h["content-length"])
        elif "chunked" in h.get("transfer-encoding", "").lower():
            return status, hdrs, self._chunked(close)
        else:
            n = None  # until EOF
        if n is None:
            try:
                while True:
                    self._recv()
            except EOFError:
                pass
            data, self.buf = self.buf, b""
            close = True
        else:
            while len(self.buf) < n:
                self._recv()
            data, self.buf = self.buf[:n], self.buf[n:]
        if close:
            self.close()
        return status, hdrs, data

    def _chunked(self, close):
        out = b""
        while True:
            while b"\r\n" not in self.buf:
                self._recv()
            line, _, self.buf = self.buf.partition(b"\r\n")
            size = int(line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while b"\r\n\r\n" not in b"\r\n" + self.buf:
                    self._recv()
                _, _, self.buf = (b"\r\n" + self.buf).partition(b"\r\n\r\n")
                break
            while len(self.buf) < size + 2:
                self._recv()
            out += self.buf[:size]
            self.buf = self.buf[size + 2:]
        if close:
            self.close()
        return out


# ---------------------------------------------------------------- a user
def parse_set_cookie(value):
    """'N=V; A; B=C' -> (N, V, {a: value})"""
    parts = [p.strip() for p in value.split(";")]
    name, _, val = parts[0].partition("=")
    attrs = {}
    for p in parts[1:]:
        k, sep, v = p.partition("=")
        attrs[k.strip().lower()] = v.strip() if sep else True
    return name.strip(), val.strip(), attrs


class User:
    def __init__(self, a, jar_path, tag):
        self.a = a
        self.jar_path = jar_path
        self.tag = tag
        self.jar = {"cookies": {}, "attrs": {}, "url_session": None, "items": [],
                    "server": None, "source": None}
        if jar_path and os.path.exists(jar_path):
            with open(jar_path) as f:
                self.jar.update(json.load(f))
        for spec in a.cookie:
            name, _, value = spec.partition("=")
            self.jar["cookies"][name] = value
        for name in a.drop:
            self.jar["cookies"].pop(name, None)
            self.jar["attrs"].pop(name, None)
        self.conn = Conn(a.host, a.port, a.source, a.timeout)
        self.reqs = []
        self.errors = []
        self.cart = None
        self.todo = ["add"] * a.steps + ["cart"] * a.reads

    def _target(self, path, query, rid):
        a, j = self.a, self.jar
        # a request id the target carries (the application ignores it): a
        # test finds the request's log records by it
        query = (query + "&" if query else "") + "rid=" + rid
        if a.carry == "path" and j["url_session"]:
            path += ";%s=%s" % (a.param, j["url_session"].partition("=")[2])
        if a.carry == "query" and j["url_session"]:
            sid = j["url_session"].partition("=")[2]
            query = (query + "&" if query else "") + "%s=%s" % (a.param, sid)
        return path + ("?" + query if query else "")

    def step(self, i):
        """Request number i of this user's run."""
        a, j = self.a, self.jar
        kind = self.todo[i]
        rid = secrets.token_hex(6)
        body = b""
        method = "GET"
        if kind == "add":
            item = "%s%d" % (self.tag, len(j["items"]) + 1)
            query = "item=" + urllib.parse.quote(item)
            if i % 2 == 1:  # every other add is a form POST
                method, body, query = "POST", query.encode(), ""
            target = self._target("/cart/add", query, rid)
        else:
            item = None
            target = self._target("/cart", "", rid)
        headers = list(a.headers)
        sent_cookie = None
        if a.carry == "cookie" and j["cookies"]:
            sent_cookie = "; ".join("%s=%s" % kv for kv in j["cookies"].items())
            headers.append(("Cookie", sent_cookie))
        rec = {"status": 0, "port": None, "rid": rid, "server": None, "set_cookie": [],
               "cache_control": None,
               "new_session": None, "session": None, "target": target,
               "sent_cookie": sent_cookie}
        self.reqs.append(rec)
        try:
            status, hdrs, data = self.conn.request(method, target, headers, body,
                                                   a.keepalive)
        except (OSError, EOFError, ValueError, IndexError) as e:
            rec["port"] = self.conn.lport
            self.conn.close()
            self.errors.append("request %d (%s %s): %s: %s"
                               % (i + 1, method, target, type(e).__name__, e))
            return
        rec["status"] = status
        rec["port"] = self.conn.lport
        h = dict(hdrs)
        rec["server"] = h.get("x-server")
        rec["set_cookie"] = [v for k, v in hdrs if k == "set-cookie"]
        if rec["set_cookie"]:
            rec["cache_control"] = ", ".join(v for k, v in hdrs if k == "cache-control") \
                or None
        if a.carry == "cookie" and not a.no_store:
            for sc in rec["set_cookie"]:
                name, value, attrs = parse_set_cookie(sc)
                ma = attrs.get("max-age")
                if isinstance(ma, str) and ma.lstrip("-").isdigit() and int(ma) <= 0:
                    j["cookies"].pop(name, None)
                    j["attrs"].pop(name, None)
                else:
                    j["cookies"][name] = value
                    j["attrs"][name] = attrs
        doc = None
        if status == 200:
            try:
                doc = json.loads(data)
            except ValueError:
                self.errors.append("request %d: not JSON: %r" % (i + 1, data[:100]))
        else:
            self.errors.append("request %d (%s %s): status %d: %r"
                               % (i + 1, method, target, status, data[:100]))
        if doc is None:
            return
        rec["server"] = doc.get("server", rec["server"])
        rec["new_session"] = doc.get("new_session")
        rec["session"] = doc.get("session")
        rec["cookie_header"] = doc.get("cookie_header")
        if kind != "add":
            self.cart = doc
        if a.no_store:
            return
        j["url_session"] = doc.get("url_session")
        j["server"] = rec["server"]
        if kind == "add":
            if doc.get("new_session"):
                # the application lost the cart (or never had one): what
                # this user can expect from now on is what it adds to the
                # new one
                j["lost"] = j.get("lost", 0) + len(j["items"])
                j["items"] = []
            j["items"].append(item)

    def result(self):
        j = self.jar
        if self.jar_path and not self.a.no_store:
            j["source"] = self.a.source
            with open(self.jar_path + ".tmp", "w") as f:
                json.dump(j, f, sort_keys=True)
            os.rename(self.jar_path + ".tmp", self.jar_path)
        self.conn.close()
        servers = [r["server"] for r in self.reqs]
        ok = bool(self.reqs) and all(r["status"] == 200 for r in self.reqs) \
            and not self.errors
        items = self.cart["items"] if self.cart else None
        sessions = []
        for r in self.reqs:
            if r["session"] and r["session"] not in sessions:
                sessions.append(r["session"])

        def distinct(key):
            out = []
            for r in self.reqs:
                v = r.get(key)
                if v is not None and v not in out:
                    out.append(v)
            return out
        return {
            "ok": ok,
            "statuses": [r["status"] for r in self.reqs],
            "servers": servers,
            "server": servers[0] if servers and len(set(servers)) == 1 else None,
            "sticky": bool(servers) and len(set(servers)) == 1 and servers[0] is not None,
            "items": items,
            "expected": j["items"],
            "intact": items is not None and items == j["items"],
            "session": self.cart["session"] if self.cart else None,
            "sessions": sessions,
            "new_sessions": sum(1 for r in self.reqs if r["new_session"]),
            "set_cookie": [v for r in self.reqs for v in r["set_cookie"]],
            "set_cookie_responses": sum(1 for r in self.reqs if r["set_cookie"]),
            "cache_control": [r["cache_control"] for r in self.reqs if r["set_cookie"]],
            "cookie_headers": distinct("cookie_header"),
            "sent_cookies": distinct("sent_cookie"),
            "lost": j.get("lost", 0),
            "cookies": j["cookies"],
            "url_session": j["url_session"],
            "errors": self.errors[:20],
            "ports": [r["port"] for r in self.reqs],
            "rids": [r["rid"] for r in self.reqs],
            "requests": [{k: r[k] for k in ("status", "port", "rid", "server", "set_cookie",
                                           "cache_control", "new_session", "session")}
                         for r in self.reqs],
        }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--jar", help="the user's state, read before and written after")
    ap.add_argument("--users", type=int, default=0, help="N users taking turns")
    ap.add_argument("--jar-dir", help="with --users: DIR/u<i>.json")
    ap.add_argument("--steps", type=int, default=5, help="add-to-cart requests")
    ap.add_argument("--reads", type=int, default=1, help="GET /cart requests at the end")
    ap.add_argument("--no-store", action="store_true",
                    help="replay the jar as it is: keep nothing, write nothing back")
    ap.add_argument("--source", help="bind to this address")
    ap.add_argument("--keepalive", action="store_true")
    ap.add_argument("--carry", choices=("cookie", "path", "query", "none"),
                    default="cookie")
    ap.add_argument("--param", default="jsessionid",
                    help="the parameter name for --carry path and query")
    ap.add_argument("--cookie", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--drop", action="append", default=[], metavar="NAME")
    ap.add_argument("--header", action="append", default=[], metavar="'K: V'")
    ap.add_argument("--item", help="item name prefix")
    ap.add_argument("--timeout", type=float, default=15)
    a = ap.parse_args()
    a.headers = []
    for h in a.header:
        k, sep, v = h.partition(":")
        if not sep:
            ap.error("--header 'Name: value', not %r" % h)
        a.headers.append((k.strip(), v.strip()))
    if a.users:
        if not a.jar_dir:
            ap.error("--users needs --jar-dir")
        os.makedirs(a.jar_dir, exist_ok=True)
        users = [User(a, os.path.join(a.jar_dir, "u%d.json" % i),
                      a.item or "u%d-" % i) for i in range(1, a.users + 1)]
    else:
        tag = a.item or (os.path.basename(a.jar).split(".")[0] + "-" if a.jar else "item")
        users = [User(a, a.jar, tag)]
    t0 = time.monotonic()
    for i in range(a.steps + a.reads):
        for u in users:
            u.step(i)
    res = [u.result() for u in users]
    if not a.users:
        out = res[0]
    else:
        servers = {}
        for r in res:
            if r["server"]:
                servers[r["server"]] = servers.get(r["server"], 0) + 1
        out = {"users": res, "ok": all(r["ok"] for r in res), "servers": servers,
               "sticky": sum(1 for r in res if r["sticky"]),
               "intact": sum(1 for r in res if r["intact"])}
    out["elapsed"] = round(time.monotonic() - t0, 3)
    print(json.dumps(out, sort_keys=True))
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
