#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A decision log reader that joins the splicer "log" multicast group and
never reads (python3 stdlib only): the slow reader of selftests/log.sh.

    lognl.py [--rcvbuf BYTES] [--broadcast-error] [--ready FILE] [--seconds S]

Resolves the family and the group id with nlctrl (CTRL_CMD_GETFAMILY,
CTRL_ATTR_MCAST_GROUPS), joins the group (NETLINK_ADD_MEMBERSHIP: needs
CAP_NET_ADMIN), writes FILE with the group id once it is a member, then
sleeps S seconds (default: until killed) without reading anything.
--broadcast-error sets NETLINK_BROADCAST_ERROR, with which a record this
socket cannot take makes the sender's multicast fail with ENOBUFS. At the
end it reports what was waiting in its socket: one JSON line with "group",
"queued" (records readable without blocking) and "overflowed" (whether the
kernel reported ENOBUFS: records were lost to it).
"""

import argparse
import errno
import json
import os
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from splnl import (GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME,  # noqa: E402
                   CTRL_ATTR_FAMILY_ID, SOL_NETLINK, Genl, align4)

CTRL_ATTR_MCAST_GROUPS = 7
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_BROADCAST_ERROR = 4


def attrs(data):
    """(type, payload) of each attribute in data."""
    i = 0
    while i + 4 <= len(data):
        ln, at = struct.unpack_from("=HH", data, i)
        if ln < 4:
            break
        yield at & 0x3fff, data[i + 4:i + ln]
        i += align4(ln)


def resolve(g, family, group):
    """(family id, group id) from nlctrl; None for what is missing."""
    def req(_off):
        p = family.encode() + b"\0"
        a = struct.pack("=HH", 4 + len(p), CTRL_ATTR_FAMILY_NAME) + p
        return a + b"\0" * (align4(len(a)) - len(a))

    err, _, _, _, _, replies = g.transact(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, req)
    if err:
        return None, None
    fid = gid = None
    for _, body in replies:
        for t, p in attrs(body[4:]):
            if t == CTRL_ATTR_FAMILY_ID:
                fid = struct.unpack_from("=H", p)[0]
            elif t == CTRL_ATTR_MCAST_GROUPS:
                for _, grp in attrs(p):
                    name = gid_here = None
                    for gt, gp in attrs(grp):
                        if gt == CTRL_ATTR_MCAST_GRP_NAME:
                            name = gp.split(b"\0", 1)[0].decode()
                        elif gt == CTRL_ATTR_MCAST_GRP_ID:
                            gid_here = struct.unpack_from("=I", gp)[0]
                    if name == group:
                        gid = gid_here
    return fid, gid


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", default="splicer")
    ap.add_argument("--group", default="log")
    ap.add_argument("--rcvbuf", type=int, default=0,
                    help="SO_RCVBUF (default: the system's)")
    ap.add_argument("--broadcast-error", action="store_true",
                    help="set NETLINK_BROADCAST_ERROR on the socket")
    ap.add_argument("--ready", help="written with the group id once joined")
    ap.add_argument("--seconds", type=float, default=0, help="0: until killed")
    a = ap.parse_args()

    g = Genl()
    fid, gid = resolve(g, a.family, a.group)
    if fid is None or gid is None:
        print("lognl: family %s or its group %s not found" % (a.family, a.group),
              file=sys.stderr)
        return 1
    sk = g.sk
    if a.rcvbuf:
        sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, a.rcvbuf)
    if a.broadcast_error:
        sk.setsockopt(SOL_NETLINK, NETLINK_BROADCAST_ERROR, 1)
    try:
        sk.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, gid)
    except OSError as e:
        print("lognl: joining group %d: %s" % (gid, e), file=sys.stderr)
        return 1
    if a.ready:
        with open(a.ready + ".tmp", "w") as f:
            f.write("%d\n" % gid)
        os.rename(a.ready + ".tmp", a.ready)

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    t0 = time.monotonic()
    while not stop and (not a.seconds or time.monotonic() - t0 < a.seconds):
        time.sleep(0.2)

    # what the kernel managed to queue, and whether it had to drop
    queued, overflowed = 0, False
    sk.setblocking(False)
    while True:
        try:
            if not sk.recv(1 << 16):
                break
            queued += 1
        except BlockingIOError:
            break
        except OSError as e:
            if e.errno == errno.ENOBUFS:
                overflowed = True
                continue
            break
    print(json.dumps({"group": gid, "queued": queued, "overflowed": overflowed}),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
