#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TLS clients, good and bad, for the TLS selftests (python3 stdlib only):
many connections from one process (python starts slowly under TCG), each
watched until the other side closes it.

    tlsprobe.py HOST PORT MODE[,MODE...] [--count N] [--parallel] [--wait S]
                [--sni NAME] [--cafile FILE] [--version 1.2|1.3]
                [--path PATH] [--ready FILE] [--source ADDR]

MODE, what each connection does:
  ok         a whole handshake (the certificate checked against --cafile
             and the name --sni, when given), then GET PATH (default /)
             with Connection: close; reads the response to its end
  silent     connects and sends nothing
  garbage    512 bytes that are not TLS (0xff, then random bytes)
  http       a plain HTTP request
  partial    the first half of a real ClientHello, then nothing
  truncated  the first half of a real ClientHello, then its write side
             closed (FIN)
  hello      a whole ClientHello, then reads what the server sends but
             never answers it (a client stalled mid-handshake)
  hello-close  a whole ClientHello, and once the server's first bytes are
             in, its write side closed (FIN): a handshake cut short
  alpn-h2    a whole handshake offering ALPN h2 only

Several modes, comma-separated: --count connections of each.

Every connection but "ok" then waits, at most --wait seconds (default 30),
for the other side to close: "reset" (ECONNRESET), "eof" (a FIN), or
"open" (still open at the end of the wait). "ok" ends "ok" (status 200
or any response read to its end), or with the error that ended it:
"reset", "eof", "tls-error" (an alert or a bad record), "timeout".

--parallel starts every connection at once (threads), else one after the
other. --ready FILE is created once every connection has sent what its
mode sends (hello: and received the server's first bytes), for a test
that acts on connections in flight.

Output: one JSON object: "n", "outcomes" (outcome -> count), "by_mode"
(mode -> outcome -> count), "elapsed" (the largest time from connect to
the end, seconds), "conns": per connection "mode", "outcome", "port" (local), "t_connect" and "t_end" (wall-clock
seconds, time.time(); t_connect is taken just before connect()), "elapsed",
"rx" (bytes received), and for "ok"
"status", "version", "cipher", "subject" (the peer certificate's CN),
"alpn", "resumed", "error".
"""

import argparse
import json
import os
import socket
import ssl
import sys
import threading
import time


MODES = ("ok", "silent", "garbage", "http", "partial", "truncated", "hello",
         "hello-close", "alpn-h2")


def client_hello(a, alpn=None):
    """The bytes of a real ClientHello (python's, through a memory BIO)."""
    ctx = make_ctx(a, alpn)
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname=a.sni or None)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def make_ctx(a, alpn=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if a.cafile:
        ctx.load_verify_locations(a.cafile)
        ctx.check_hostname = bool(a.sni)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if a.version == "1.2":
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    elif a.version == "1.3":
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_3
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


class Probe:
    def __init__(self, a, mode, sent):
        self.a, self.mode, self.sent = a, mode, sent
        self.r = {"mode": mode, "outcome": None, "port": None, "rx": 0, "t_connect": None,
                  "t_end": None, "elapsed": None}

    def _connect(self):
        a = self.a
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # bound first: the local port is known even if connect() fails
        s.bind((a.source or "0.0.0.0", 0))
        self.r["port"] = s.getsockname()[1]
        s.settimeout(10)
        self.r["t_connect"] = time.time()
        try:
            s.connect((a.host, a.port))
        except OSError:
            s.close()
            raise
        return s

    def _end(self, outcome):
        self.r["outcome"] = outcome
        self.r["t_end"] = time.time()
        if self.r["t_connect"]:
            self.r["elapsed"] = round(self.r["t_end"] - self.r["t_connect"], 3)

    def _watch(self, s, deadline, first_rx=None):
        """Read until the other side closes or the deadline passes."""
        while True:
            left = deadline - time.time()
            if left <= 0:
                self._end("open")
                return
            s.settimeout(left)
            try:
                d = s.recv(65536)
            except ConnectionResetError:
                self._end("reset")
                return
            except socket.timeout:
                self._end("open")
                return
            except OSError as e:
                self._end("error:%s" % e.__class__.__name__)
                return
            if not d:
                self._end("eof")
                return
            self.r["rx"] += len(d)
            if first_rx:
                first_rx()
                first_rx = None

    def run(self):
        a = self.a
        try:
            s = self._connect()
        except ConnectionResetError:
            # a reset that came before connect() returned (a loaded machine):
            # the server closed it at once
            self._end("reset")
            self.sent()
            return self.r
        except OSError as e:
            self._end("connect-error:%s" % e.__class__.__name__)
            self.sent()
            return self.r
        try:
            if self.mode in ("ok", "alpn-h2"):
                self._tls(s)
            else:
                self._bad(s)
        except (ConnectionResetError, BrokenPipeError):
            # closed by the other side before all was sent
            self._end("reset")
            self.sent()
        except OSError as e:
            self._end("error:%s" % e.__class__.__name__)
            self.sent()
        finally:
            s.close()
        return self.r

    def _bad(self, s):
        a = self.a
        deadline = time.time() + a.wait
        first_rx = None
        mode = self.mode
        if mode == "silent":
            pass
        elif mode == "garbage":
            s.sendall(b"\xff" + os.urandom(511))
        elif mode == "http":
            s.sendall(b"GET / HTTP/1.1\r\nHost: shop.example\r\n\r\n")
        elif mode in ("partial", "truncated"):
            ch = client_hello(a)
            s.sendall(ch[:len(ch) // 2])
            if mode == "truncated":
                s.shutdown(socket.SHUT_WR)
        elif mode == "hello":
            s.sendall(client_hello(a))
            first_rx = self.sent
        elif mode == "hello-close":
            s.sendall(client_hello(a))

            def first_rx():
                s.shutdown(socket.SHUT_WR)
                self.sent()
        if first_rx is None:
            self.sent()
        self._watch(s, deadline, first_rx)
        if first_rx is not None and not self.r["rx"]:
            self.sent()

    def _tls(self, s):
        a = self.a
        ctx = make_ctx(a, ["h2"] if self.mode == "alpn-h2" else None)
        s.settimeout(a.wait)
        try:
            t = ctx.wrap_socket(s, server_hostname=a.sni or None)
        except ssl.SSLError as e:
            self.r["error"] = str(e)
            self._end("tls-error")
            self.sent()
            return
        except ConnectionResetError:
            self._end("reset")
            self.sent()
            return
        except socket.timeout:
            self._end("timeout")
            self.sent()
            return
        except OSError as e:
            self.r["error"] = str(e)
            self._end("eof" if "EOF" in str(e) else "error:%s" % e.__class__.__name__)
            self.sent()
            return
        self.sent()
        r = self.r
        r["version"] = t.version()
        r["cipher"] = (t.cipher() or [None])[0]
        r["alpn"] = t.selected_alpn_protocol()
        r["resumed"] = t.session_reused
        cert = t.getpeercert() if a.cafile else None
        if cert:
            for rdn in cert.get("subject", ()):
                for k, v in rdn:
                    if k == "commonName":
                        r["subject"] = v
        try:
            host = a.sni or a.host
            t.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                       % (a.path, host)).encode())
            data = b""
            while True:
                d = t.recv(65536)
                if not d:
                    break
                data += d
            r["rx"] = len(data)
            line = data.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split(" ")
            r["status"] = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            self._end("ok" if r["status"] else "eof")
        except ssl.SSLError as e:
            r["error"] = str(e)
            self._end("tls-error")
        except ConnectionResetError:
            self._end("reset")
        except socket.timeout:
            self._end("timeout")
        except OSError as e:
            r["error"] = str(e)
            self._end("error:%s" % e.__class__.__name__)
        try:
            t.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("mode", help="MODE[,MODE...]")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--parallel", action="store_true")
    ap.add_argument("--wait", type=float, default=30)
    ap.add_argument("--sni")
    ap.add_argument("--cafile")
    ap.add_argument("--version", choices=("1.2", "1.3"))
    ap.add_argument("--path", default="/")
    ap.add_argument("--ready")
    ap.add_argument("--source")
    a = ap.parse_args()
    modes = a.mode.split(",")
    for m in modes:
        if m not in MODES:
            ap.error("unknown mode %r (one of %s)" % (m, ", ".join(MODES)))

    lock = threading.Lock()
    left = [a.count * len(modes)]

    def sent():
        with lock:
            left[0] -= 1
            if left[0] == 0 and a.ready:
                with open(a.ready + ".tmp", "w") as f:
                    f.write("%d\n" % os.getpid())
                os.rename(a.ready + ".tmp", a.ready)

    probes = [Probe(a, m, sent) for m in modes for _ in range(a.count)]
    if a.parallel:
        threads = [threading.Thread(target=p.run, daemon=True) for p in probes]
        for t in threads:
            t.start()
        for t in threads:
            t.join(a.wait + 30)
    else:
        for p in probes:
            p.run()
    conns = [p.r for p in probes]
    outcomes, by_mode = {}, {}
    for r in conns:
        outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
        bm = by_mode.setdefault(r["mode"], {})
        bm[r["outcome"]] = bm.get(r["outcome"], 0) + 1
    el = [r["elapsed"] for r in conns if r["elapsed"] is not None]
    print(json.dumps({"n": len(conns), "outcomes": outcomes, "by_mode": by_mode,
                      "elapsed": max(el) if el else None, "conns": conns},
                     sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
