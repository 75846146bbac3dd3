#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""TLS clients for handshaked/tests/harness_test.sh.

Each connection does a TLS handshake with the harness (the daemon's code),
then sends PAYLOAD and expects it back: the harness echoes it through kTLS
(the kernel decrypts what it reads and encrypts what it sends). With
--immediate the payload leaves in the same write as the client's last
handshake flight (TLS 1.3, and TLS 1.2 resumed), so any byte the daemon
read past its handshake would be missing from the echo.

Prints one line per connection:
  conn N ok=0|1 version=V cipher=C alpn=A resumed=0|1 echo=0|1 cn=NAME error=...
and exits 0 if every connection got its echo (or, with --expect, an answer
starting so; with --expect-fail, if every connection failed).
"""
import argparse
import re
import socket
import ssl
import sys
import threading
import time

VERSIONS = {
    "1.1": ssl.TLSVersion.TLSv1_1,
    "1.2": ssl.TLSVersion.TLSv1_2,
    "1.3": ssl.TLSVersion.TLSv1_3,
}


def context(args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if args.version:
        ctx.minimum_version = VERSIONS[args.version]
        ctx.maximum_version = VERSIONS[args.version]
    if args.cipher:
        ctx.set_ciphers(args.cipher)
    if args.alpn:
        ctx.set_alpn_protocols(args.alpn.split(","))
    return ctx


def common_name(der):
    # the subject's CN, good enough for our self-signed test certificates
    if not der:
        return "-"
    names = []
    for m in re.finditer(rb"\x06\x03\x55\x04\x03[\x0c\x13]", der):
        n = der[m.end()]
        names.append(der[m.end() + 1:m.end() + 1 + n].decode(errors="replace"))
    return names[-1] if names else "-"


class Conn:
    def __init__(self, args, ctx, session=None):
        self.args = args
        self.ctx = ctx
        self.session = session
        self.result = {"ok": 0, "version": "-", "cipher": "-", "alpn": "-",
                       "resumed": 0, "echo": 0, "cn": "-", "error": "-"}
        self.new_session = None

    def run(self):
        a = self.args
        sock = socket.create_connection((a.host, a.port), timeout=a.timeout)
        try:
            self._run(sock)
        except (OSError, ssl.SSLError) as e:
            self.result["error"] = type(e).__name__ + ":" + str(e).replace(" ", "_")[:120]
        finally:
            sock.close()

    def _flush(self, sock, out):
        data = out.read()
        if data:
            sock.sendall(data)

    def _run(self, sock):
        a = self.args
        inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = self.ctx.wrap_bio(inc, out, server_hostname=a.sni or None,
                                session=self.session)
        first = True
        while True:
            try:
                obj.do_handshake()
                break
            except ssl.SSLWantReadError:
                self._flush(sock, out)
                if first and a.pause:
                    time.sleep(a.pause)	# the ClientHello is out; hold on
                first = False
                data = sock.recv(65536)
                if not data:
                    raise ConnectionResetError("server closed during the handshake")
                inc.write(data)
        r = self.result
        r["version"] = obj.version() or "-"
        r["cipher"] = (obj.cipher() or ("-",))[0]
        r["alpn"] = obj.selected_alpn_protocol() or "-"
        r["resumed"] = int(obj.session_reused)
        r["cn"] = common_name(obj.getpeercert(binary_form=True))
        payload = a.payload.encode() * a.repeat
        if a.immediate:
            # the last handshake flight and the request in one write
            obj.write(payload)
            self._flush(sock, out)
        else:
            self._flush(sock, out)
            time.sleep(0.05)
            obj.write(payload)
            self._flush(sock, out)
        want = len(payload) if a.expect is None else len(a.expect)
        got = b""
        deadline = time.time() + a.timeout
        while len(got) < want and time.time() < deadline:
            try:
                chunk = obj.read(65536)
                if not chunk:
                    break
                got += chunk
                continue
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLZeroReturnError:
                break
            data = sock.recv(65536)
            if not data:
                break
            inc.write(data)
        if a.expect is None:
            r["echo"] = int(got == payload)
        else:
            r["echo"] = int(got.startswith(a.expect.encode()))
        r["ok"] = 1
        if not r["echo"]:
            r["error"] = "mismatch:%d/%d_bytes:%r" % (len(got), want, got[:40])
        # TLS 1.3 tickets came with the echo
        self.new_session = obj.session
        try:
            obj.unwrap()
            self._flush(sock, out)
        except (ssl.SSLError, OSError):
            pass


def raw(args):
    """Not TLS: a plain HTTP request, or nothing at all (--idle)."""
    sock = socket.create_connection((args.host, args.port), timeout=args.timeout)
    if args.partial:
        sock.sendall(b"\x16\x03\x01")
    elif not args.idle:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    try:
        data = sock.recv(4096)
        print("raw: got %d bytes" % len(data))
    except OSError as e:
        print("raw: %s" % e)
    sock.close()
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("port", type=int)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--version", choices=sorted(VERSIONS))
    p.add_argument("--cipher")
    p.add_argument("--alpn")
    p.add_argument("--sni")
    p.add_argument("--payload", default="GET / HTTP/1.1\r\nHost: example\r\n\r\n")
    p.add_argument("--repeat", type=int, default=1, help="payload repeated N times")
    p.add_argument("--immediate", action="store_true")
    p.add_argument("--resume", action="store_true", help="a second connection resuming the first")
    p.add_argument("--resume-after", type=float, default=0.0)
    p.add_argument("--parallel", type=int, default=1)
    p.add_argument("--pause", type=float, default=0.0, help="after the ClientHello")
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--expect-fail", action="store_true")
    p.add_argument("--expect", help="the answer starts so (instead of the echo), e.g. 'HTTP/1.1 200'")
    p.add_argument("--raw", action="store_true")
    p.add_argument("--idle", action="store_true")
    p.add_argument("--partial", action="store_true")
    args = p.parse_args()

    if args.raw:
        return raw(args)
    ctx = context(args)
    conns = []
    if args.resume:
        first = Conn(args, ctx)
        first.run()
        conns.append(first)
        time.sleep(args.resume_after)
        second = Conn(args, ctx, session=first.new_session)
        second.run()
        conns.append(second)
    else:
        conns = [Conn(args, ctx) for _ in range(args.parallel)]
        threads = [threading.Thread(target=c.run) for c in conns]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    good = 0
    for i, c in enumerate(conns):
        r = c.result
        good += r["ok"] and r["echo"]
        print("conn %d ok=%d version=%s cipher=%s alpn=%s resumed=%d echo=%d cn=%s error=%s"
              % (i, r["ok"], r["version"], r["cipher"], r["alpn"], r["resumed"], r["echo"],
                 r["cn"], r["error"]))
    sys.stdout.flush()
    if args.expect_fail:
        return 0 if good == 0 else 1
    return 0 if good == len(conns) else 1


if __name__ == "__main__":
    sys.exit(main())
