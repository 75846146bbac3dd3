#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""An HTTP backend whose health a test switches at run time (python3 stdlib
only): the servers of the health-checking selftests.

    flaky.py --serve NAME=ADDR:PORT [--serve ...] --dir DIR [--ready FILE]

Each NAME is one listening socket in this one process (python starts slowly
under TCG), all served by one thread with non-blocking sockets (threads
answer late in a busy VM, and a late answer is a failed probe). Its
behaviour comes from the control file DIR/NAME.ctl, read again for every
connection and every request, so a test changes it with one write (write a
temporary file and rename it over, so that no reader sees it half
written). The file holds words KEY=VALUE; absent keys take the defaults:

    mode=ok         answer every request (default)
    mode=reset      read the request head (at most 2 s), then reset the
                    connection (SO_LINGER 0, close): every connection, probes
                    and traffic alike, accepted and reset without a response
    health=CODE     GET /health answers CODE (default 200)
    health=alt      GET /health answers 200, 500, 200, 500, ... (one counter
                    per NAME, starting with 200)
    health=hang     GET /health never answers (the connection stays open 60 s)

Endpoints while not reset:
    GET /           200 "server=NAME\\n", header X-Server: NAME (what
                    httpc.py seq checks)
    GET /health     as health= says, body "health=CODE\\n"
    GET /hang       never answers (a probe in flight for as long as its timeout)
    anything else   404
Keep-alive unless the request says Connection: close.

SIGTERM stops it as a real server stops: the connections the kernel has
completed are accepted, then every listening socket is closed (new
connections are refused), requests are answered, connections without a
complete head get 1 s to complete it; then it exits.

The access log DIR/NAME.log gets one line per event, flushed at once:
    conn TIME ADDR                         a connection accepted
    req TIME ADDR METHOD TARGET STATUS UA  a request answered; STATUS "-"
                                           for one never answered (hang),
                                           logged when its head came; UA
                                           the User-Agent ("-" if none,
                                           spaces as _)
    reset TIME ADDR                        a connection reset on purpose
TIME is the wall clock (time.time(), seconds, 6 decimals), comparable with
date +%s.%N or bash's EPOCHREALTIME in the same machine. FILE (--ready) is
written once every socket listens.
"""

import argparse
import os
import selectors
import signal
import socket
import struct
import sys
import time

READ_MAX = 65536
HEAD_MAX = 65536
RESET_WAIT = 2.0
HANG = 60.0
IDLE = 30.0
STOP_GRACE = 1.0
REASONS = {200: "OK", 404: "Not Found", 500: "Internal Server Error",
           503: "Service Unavailable"}


class Site:
    """One NAME: its listening socket, control file, log and counter."""

    def __init__(self, name, addr, ctl, logpath):
        self.name = name
        self.ctl = ctl
        self.logf = open(logpath, "a")
        self.alt = 0
        fam = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
        self.sk = socket.socket(fam, socket.SOCK_STREAM)
        self.sk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sk.bind(addr)
        self.sk.listen(1024)
        self.sk.setblocking(False)

    def log(self, *words):
        self.logf.write(" ".join(str(w) for w in words) + "\n")
        self.logf.flush()

    def config(self):
        cfg = {"mode": "ok", "health": "200"}
        try:
            with open(self.ctl) as f:
                for w in f.read().split():
                    k, sep, v = w.partition("=")
                    if sep:
                        cfg[k] = v
        except OSError:
            pass
        return cfg


class Conn:
    def __init__(self, site, sk, peer):
        self.site = site
        self.sk = sk
        self.peer = peer
        self.buf = b""
        self.out = b""
        self.close_after = False
        self.reset_mode = site.config()["mode"] == "reset"
        self.deadline = time.monotonic() + (RESET_WAIT if self.reset_mode else IDLE)
        self.hanging = False
        self.answered = 0       # requests answered on it


class Server:
    def __init__(self, sites):
        self.sites = sites
        self.sel = selectors.DefaultSelector()
        self.conns = set()
        self.stopping = None    # monotonic time of the stop
        self.stop_req = False   # SIGTERM came (handled in the loop)
        for s in sites:
            self.sel.register(s.sk, selectors.EVENT_READ, s)

    def now(self):
        return "%.6f" % time.time()

    def close(self, c, reset=False):
        if c not in self.conns:
            return
        self.conns.discard(c)
        try:
            self.sel.unregister(c.sk)
        except (KeyError, ValueError):
            pass
        if reset:
            try:
                c.sk.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        c.sk.close()

    def accept(self, site):
        while True:
            try:
                sk, peer = site.sk.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            sk.setblocking(False)
            site.log("conn", self.now(), peer[0])
            c = Conn(site, sk, peer[0])
            self.conns.add(c)
            self.sel.register(sk, selectors.EVENT_READ, c)

    def readable(self, c):
        try:
            d = c.sk.recv(READ_MAX)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            d = b""
        if not d:
            if c.reset_mode:
                c.site.log("reset", self.now(), c.peer)
                self.close(c, reset=True)
            else:
                self.close(c)
            return
        if c.hanging:
            return          # whatever comes after a hanging request: ignored
        c.buf += d
        if len(c.buf) > HEAD_MAX and b"\r\n\r\n" not in c.buf:
            self.close(c, reset=True)
            return
        while b"\r\n\r\n" in c.buf and not c.hanging and c in self.conns:
            head, _, c.buf = c.buf.partition(b"\r\n\r\n")
            if c.reset_mode or c.site.config()["mode"] == "reset":
                c.site.log("reset", self.now(), c.peer)
                self.close(c, reset=True)
                return
            self.respond(c, head.decode("latin-1"))

    def respond(self, c, head):
        site = c.site
        lines = head.split("\r\n")
        parts = lines[0].split(" ")
        method = parts[0] or "-"
        target = parts[1] if len(parts) > 1 else "-"
        hdrs = {}
        for ln in lines[1:]:
            k, _, v = ln.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        ua = hdrs.get("user-agent", "").replace(" ", "_") or "-"
        close = hdrs.get("connection", "").lower() == "close"
        path = target.split("?", 1)[0]
        if path == "/":
            status, body = 200, "server=%s\n" % site.name
        elif path in ("/health", "/hang"):
            h = site.config()["health"] if path == "/health" else "hang"
            if h == "hang":
                site.log("req", self.now(), c.peer, method, target, "-", ua)
                c.hanging = True
                c.deadline = time.monotonic() + HANG
                return
            if h == "alt":
                status = 200 if site.alt % 2 == 0 else 500
                site.alt += 1
            else:
                try:
                    status = int(h)
                except ValueError:
                    status = 500
            body = "health=%d\n" % status
        else:
            status, body = 404, "not found\n"
        data = body.encode()
        resp = ("HTTP/1.1 %d %s\r\nX-Server: %s\r\nContent-Type: text/plain\r\n"
                "Content-Length: %d\r\n%s\r\n" % (
                    status, REASONS.get(status, "Status"), site.name, len(data),
                    "Connection: close\r\n" if close else "")).encode()
        if method != "HEAD":
            resp += data
        c.close_after = close or self.stopping is not None
        c.answered += 1
        c.deadline = time.monotonic() + IDLE
        self.send(c, resp)
        site.log("req", self.now(), c.peer, method, target, status, ua)

    def send(self, c, data):
        c.out += data
        try:
            n = c.sk.send(c.out)
            c.out = c.out[n:]
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            self.close(c)
            return
        if c.out:
            self.sel.modify(c.sk, selectors.EVENT_READ | selectors.EVENT_WRITE, c)
        elif c.close_after:
            self.close(c)

    def writable(self, c):
        try:
            n = c.sk.send(c.out)
            c.out = c.out[n:]
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self.close(c)
            return
        if not c.out:
            if c.close_after:
                self.close(c)
            else:
                self.sel.modify(c.sk, selectors.EVENT_READ, c)

    def sigterm(self, *_):
        self.stop_req = True

    def stop(self):
        # what the kernel has accepted already is taken and answered (a
        # close would reset it), then the listeners close
        for s in self.sites:
            self.accept(s)
        self.stopping = time.monotonic()
        for s in self.sites:
            try:
                self.sel.unregister(s.sk)
            except (KeyError, ValueError):
                pass
            s.sk.close()
        # idle keep-alive connections end now; the others get a grace
        for c in list(self.conns):
            if c.answered and not c.buf and not c.out:
                self.close(c)

    def run(self):
        while True:
            if self.stop_req and self.stopping is None:
                self.stop()
            now = time.monotonic()
            if self.stopping is not None and (
                    not self.conns or now - self.stopping > STOP_GRACE):
                return
            for key, ev in self.sel.select(timeout=0.2):
                obj = key.data
                if isinstance(obj, Site):
                    if self.stopping is None:
                        self.accept(obj)
                    continue
                if self.stopping is not None and obj in self.conns and \
                        obj.answered and not obj.buf and not obj.out:
                    self.close(obj)     # kept alive while stopping: ends
                    continue
                if ev & selectors.EVENT_WRITE and obj in self.conns:
                    self.writable(obj)
                if ev & selectors.EVENT_READ and obj in self.conns:
                    self.readable(obj)
            now = time.monotonic()
            for c in [c for c in self.conns if now > c.deadline]:
                if c.reset_mode:
                    c.site.log("reset", self.now(), c.peer)
                self.close(c, reset=c.reset_mode)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--serve", action="append", required=True, metavar="NAME=ADDR:PORT")
    ap.add_argument("--dir", required=True, help="control files and logs")
    ap.add_argument("--ready", help="written once every socket listens")
    a = ap.parse_args()
    sites = []
    for spec in a.serve:
        name, sep, listen = spec.partition("=")
        host, _, port = listen.rpartition(":")
        if not sep or not name or not host:
            ap.error("--serve NAME=ADDR:PORT, not %r" % spec)
        host = host.strip("[]")
        sites.append(Site(name, (host, int(port)), os.path.join(a.dir, name + ".ctl"),
                          os.path.join(a.dir, name + ".log")))
    srv = Server(sites)
    signal.signal(signal.SIGTERM, srv.sigterm)
    if a.ready:
        with open(a.ready + ".tmp", "w") as f:
            f.write("%d\n" % os.getpid())
        os.rename(a.ready + ".tmp", a.ready)
    try:
        srv.run()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
