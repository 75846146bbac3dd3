#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Open N idle TCP connections and hold them (bench/guest.sh's memory figure).

    idle_conns.py HOST PORT N STATE_FILE

Connects with at most 256 handshakes in flight (a listen backlog of 1024
never overflows), sends nothing, and writes "open N" to STATE_FILE once all
N are established. Then it holds them until SIGTERM, when it resets every
one (SO_LINGER 0: no TIME_WAIT left behind to blur the next measurement) and
exits. A connection the server closes meanwhile is counted: the state file
then says "open M closed K". Exits 1 if a connection fails.
"""
import errno
import os
import resource
import selectors
import signal
import socket
import struct
import sys

INFLIGHT = 256
LINGER0 = struct.pack("ii", 1, 0)


def write_state(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text + "\n")
    os.rename(tmp, path)


def main():
    host, port, n, state = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    want = n + 64
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, want))

    sel = selectors.DefaultSelector()
    pending = 0
    started = 0
    established = []
    while len(established) < n:
        while pending < INFLIGHT and started < n:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER0)
            s.setblocking(False)
            rc = s.connect_ex((host, port))
            if rc not in (0, errno.EINPROGRESS):
                sys.exit(f"connect #{started}: {os.strerror(rc)}")
            sel.register(s, selectors.EVENT_WRITE)
            pending += 1
            started += 1
        for key, _ in sel.select(timeout=60):
            s = key.fileobj
            sel.unregister(s)
            pending -= 1
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                sys.exit(f"connect #{len(established)}: {os.strerror(err)}")
            established.append(s)

    # Hold: a readable socket is one the server closed (or answered).
    for s in established:
        sel.register(s, selectors.EVENT_READ)
    stop = False

    def on_term(*_):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    closed = 0
    write_state(state, f"open {n}")
    while not stop:
        events = sel.select(timeout=1)
        for key, _ in events:
            sel.unregister(key.fileobj)
            closed += 1
        if events:
            write_state(state, f"open {n - closed} closed {closed}")
    for s in established:
        s.close()


if __name__ == "__main__":
    main()
