#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Count the TCP options on one interface (python3 stdlib only, AF_PACKET):
what the splice selftests use to see that an option the receiver did not
negotiate never reaches it.

    tcpopts.py IFACE --ready FILE --stop FILE [--snap DIR]

Captures IPv4 TCP packets on IFACE in both directions ("in": received,
"out": sent) until the stop file exists (or SIGTERM), then prints one JSON
object. With --snap DIR, whenever DIR/req.N appears, it writes DIR/snap.N
with the same object for the packets since the previous snapshot (a test
takes one per case without starting python again). The object:

    {"in": {"pkts": N, "sack": N, "ts": N, "syn": [{"flags": "SA",
            "kinds": [2, 4, 8, 1, 3], "mss": 1460, "wscale": 7}, ...]},
     "out": {...}}

"sack" and "ts" count the packets other than SYNs that carry a SACK block
option (kind 5) or a timestamp option (kind 8); "syn" lists the options of
every SYN and SYN-ACK. A packet socket sees a GSO packet once: the counts
are of packets as the stack handles them, not of wire segments.
"""

import argparse
import json
import os
import signal
import socket
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
PACKET_OUTGOING = 4


def parse_opts(opt):
    kinds, mss, wscale = [], None, None
    i = 0
    while i < len(opt):
        k = opt[i]
        if k == 0:
            break
        if k == 1:
            i += 1
            continue
        if i + 1 >= len(opt) or opt[i + 1] < 2:
            kinds.append(-1)	# malformed
            break
        ln = opt[i + 1]
        kinds.append(k)
        if k == 2 and ln == 4:
            mss = opt[i + 2] << 8 | opt[i + 3]
        elif k == 3 and ln == 3:
            wscale = opt[i + 2]
        i += ln
    return kinds, mss, wscale


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iface")
    ap.add_argument("--ready", required=True)
    ap.add_argument("--stop", required=True)
    ap.add_argument("--snap")
    a = ap.parse_args()
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind((a.iface, 0))
    s.settimeout(0.2)
    def fresh():
        return {d: {"pkts": 0, "sack": 0, "ts": 0, "syn": []} for d in ("in", "out")}

    res = fresh()
    stop = []
    nsnap = 0
    last = time.monotonic()

    def on_term(*_):
        stop.append(1)
        s.close()

    signal.signal(signal.SIGTERM, on_term)
    with open(a.ready + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(a.ready + ".tmp", a.ready)
    while not stop and not os.path.exists(a.stop):
        if a.snap and time.monotonic() - last > 0.1:
            last = time.monotonic()
            req = os.path.join(a.snap, "req.%d" % (nsnap + 1))
            if os.path.exists(req):
                nsnap += 1
                out = os.path.join(a.snap, "snap.%d" % nsnap)
                with open(out + ".tmp", "w") as f:
                    f.write(json.dumps(res, sort_keys=True) + "\n")
                os.rename(out + ".tmp", out)
                res = fresh()
        try:
            data, addr = s.recvfrom(256)
        except socket.timeout:
            continue
        except OSError:
            break
        if addr[1] != ETH_P_IP or len(data) < 14 + 20:
            continue
        ip = data[14:]
        if ip[9] != socket.IPPROTO_TCP:
            continue
        ihl = (ip[0] & 0xf) * 4
        th = ip[ihl:]
        if len(th) < 20:
            continue
        doff = (th[12] >> 4) * 4
        flags = th[13]
        kinds, mss, wscale = parse_opts(th[20:doff])
        r = res["out" if addr[2] == PACKET_OUTGOING else "in"]
        r["pkts"] += 1
        if flags & 0x02:
            r["syn"].append({"flags": "SA" if flags & 0x10 else "S", "kinds": kinds,
                             "mss": mss, "wscale": wscale})
            continue
        if 5 in kinds:
            r["sack"] += 1
        if 8 in kinds:
            r["ts"] += 1
    print(json.dumps(res, sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
