#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Follow the splicer decision log and print every record, all attributes
decoded by their uapi names (python3 stdlib only): what the splice
selftests read the SPLICE attribute from, whether or not splicerctl knows it.

    spllog.py --ready FILE [--kind conn|request|all]

Joins the "log" multicast group of the current network namespace, writes
FILE once a member, then prints one JSON object per record, e.g.
{"KIND": 1, "SERVICE": "web", "END": "...", "SPLICE": "spliced", ...},
flushed at once, until killed (SIGTERM: a clean exit). --kind conn
(default) prints only connection records.
"""

import argparse
import json
import os
import signal
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from splnl import (DEFAULT_HEADER, SOL_NETLINK, Genl, Uapi,  # noqa: E402
                   align4, decode_attrs)
from lognl import NETLINK_ADD_MEMBERSHIP, resolve  # noqa: E402

KINDS = {"request": 0, "conn": 1}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ready", required=True)
    ap.add_argument("--kind", default="conn", choices=["conn", "request", "all"])
    a = ap.parse_args()

    uapi = Uapi(DEFAULT_HEADER)
    g = Genl()
    fid, gid = resolve(g, "splicer", "log")
    if fid is None or gid is None:
        print("spllog: the splicer family or its log group is missing", file=sys.stderr)
        return 1
    sk = g.sk
    sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sk.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, gid)
    with open(a.ready + ".tmp", "w") as f:
        f.write("%d\n" % gid)
    os.rename(a.ready + ".tmp", a.ready)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    want = KINDS.get(a.kind)
    while True:
        try:
            data = sk.recv(1 << 20)
        except OSError as e:
            print(json.dumps({"error": str(e)}), flush=True)
            continue
        i = 0
        while i + 16 <= len(data):
            ln, mtype, _, _, _ = struct.unpack_from("=IHHII", data, i)
            body = data[i + 16:i + ln]
            i += align4(ln)
            if mtype != fid or len(body) < 4:
                continue
            rec = decode_attrs(uapi, "splicer_attr", body[4:]).get("LOG")
            if not isinstance(rec, dict):
                continue
            if want is not None and rec.get("KIND") != want:
                continue
            print(json.dumps(rec, sort_keys=True), flush=True)


if __name__ == "__main__":
    sys.exit(main())
