#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""cartclient.py over TLS: the same shopper (cookie jar, carts, JSON
output; see cartclient.py), its every connection wrapped in TLS with
python's ssl module.

    tlscart.py [--cafile FILE] [--sni NAME] [--tls-version 1.2|1.3]
               HOST PORT [cartclient.py's options]

--cafile checks the server's certificate against FILE and the name --sni
(without it the certificate is not checked); --sni is the name the client
asks for (default: none). Every request's Host field is the --sni name
when there is one, else HOST.
"""

import argparse
import os
import ssl
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cartclient  # noqa: E402


def main():
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--cafile")
    ap.add_argument("--sni")
    ap.add_argument("--tls-version", choices=("1.2", "1.3"))
    a, rest = ap.parse_known_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if a.cafile:
        ctx.load_verify_locations(a.cafile)
        ctx.check_hostname = bool(a.sni)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if a.tls_version == "1.2":
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    elif a.tls_version == "1.3":
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_3

    plain_connect = cartclient.Conn._connect
    plain_request = cartclient.Conn.request

    def tls_connect(self):
        named = self.host
        self.host = getattr(self, "addr_host", named)   # connect to the address
        try:
            plain_connect(self)
        finally:
            self.host = named
        self.sock = ctx.wrap_socket(self.sock, server_hostname=a.sni or None)

    def request(self, *args, **kw):
        # the Host field names what the client asked for (SNI); the
        # connection goes to the address
        self.addr_host = getattr(self, "addr_host", self.host)
        if a.sni:
            self.host = a.sni
        try:
            return plain_request(self, *args, **kw)
        finally:
            self.host = self.addr_host

    cartclient.Conn._connect = tls_connect
    cartclient.Conn.request = request
    sys.argv = [sys.argv[0]] + rest
    return cartclient.main()


if __name__ == "__main__":
    sys.exit(main())
