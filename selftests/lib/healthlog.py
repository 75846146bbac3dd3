#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Decision log reader that prints every record, HEALTH records included
(python3 stdlib only).

    healthlog.py [--ready FILE] [--kind KIND]

Joins the splicer "log" multicast group in the current network namespace
(needs CAP_NET_ADMIN), writes FILE once it is a member, then prints each
record as one JSON object a line, flushed at once: the attributes of enum
splicer_log_attr by their names without the prefix, in lower case ("kind",
"time", "pool", "server", "health", "reason", ...), "kind" in words
(request, conn, health; a number if unknown), "time" in ns since the epoch.
--kind prints only records of that kind (e.g. health). The names and types
come from kmod/uapi/linux/splicer.h at run time (selftests/lib/splnl.py).

Its socket takes a large receive buffer (SO_RCVBUFFORCE, 8 MiB) so that
traffic's records do not push HEALTH records out; if the kernel still drops
records for it (ENOBUFS), it prints {"kind": "overflow"}, so a test can
tell a record it waits for may have been lost.
"""

import argparse
import errno
import json
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from splnl import Genl, Uapi, DEFAULT_HEADER, SOL_NETLINK, decode_attrs  # noqa: E402
from lognl import resolve, NETLINK_ADD_MEMBERSHIP  # noqa: E402

SO_RCVBUFFORCE = 33
NLMSG_HDRLEN = 16
GENL_HDRLEN = 4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ready", help="written with the group id once joined")
    ap.add_argument("--kind", help="print only records of this kind")
    ap.add_argument("--header", default=DEFAULT_HEADER)
    a = ap.parse_args()

    uapi = Uapi(a.header)
    kinds = {}
    for name, val, _ in uapi.enums["splicer_log_kind"]:
        kinds[val] = name[len("SPLICER_LOG_"):].lower()
    g = Genl()
    fid, gid = resolve(g, "splicer", "log")
    if fid is None or gid is None:
        print("healthlog: family splicer or its group log not found", file=sys.stderr)
        return 1
    sk = g.sk
    try:
        sk.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    except OSError:
        pass
    sk.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, gid)
    if a.ready:
        with open(a.ready + ".tmp", "w") as f:
            f.write("%d\n" % gid)
        os.rename(a.ready + ".tmp", a.ready)

    while True:
        try:
            data = sk.recv(1 << 20)
        except OSError as e:
            if e.errno == errno.ENOBUFS:
                print(json.dumps({"kind": "overflow"}), flush=True)
                continue
            raise
        if not data:
            break
        i = 0
        while i + NLMSG_HDRLEN <= len(data):
            ln, mtype, _, _, _ = struct.unpack_from("=IHHII", data, i)
            if ln < NLMSG_HDRLEN:
                break
            body = data[i + NLMSG_HDRLEN:i + ln]
            i += (ln + 3) & ~3
            if mtype != fid or len(body) < GENL_HDRLEN:
                continue
            top = decode_attrs(uapi, "splicer_attr", body[GENL_HDRLEN:])
            rec = top.get("LOG")
            if not isinstance(rec, dict):
                continue
            out = {k.lower(): v for k, v in rec.items()}
            if isinstance(out.get("kind"), int):
                out["kind"] = kinds.get(out["kind"], out["kind"])
            if a.kind and out.get("kind") != a.kind:
                continue
            print(json.dumps(out, sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
