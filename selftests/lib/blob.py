#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The deterministic blobs of backend.py's /blob, shared with the clients.

    blob.py SIZE SEED             print the sha256 of the blob
    blob.py --write FILE SIZE SEED write the blob to FILE
"""

import hashlib
import random
import struct
import sys
import threading

BLOCK = 65536


def _base_block(seed):
    """64 KiB of pseudo-random bytes derived from the seed (Mersenne Twister: the
    same bytes on every python3 >= 3.9, and cheap under TCG)."""
    return random.Random(seed).randbytes(BLOCK)


def blob_chunks(size, seed):
    """Yield the blob: 64 KiB blocks, block i = 8-byte big-endian (i ^ seed) followed by
    the seed's base block, truncated to size. Cheap to make, and a lost, duplicated or
    reordered block changes the hash."""
    base = _base_block(seed)
    tail = base[8:]
    i = 0
    left = size
    while left > 0:
        blk = struct.pack(">Q", i ^ seed) + tail
        if left < BLOCK:
            blk = blk[:left]
        left -= len(blk)
        i += 1
        yield blk


_sums = {}
_sums_lock = threading.Lock()


def blob_sha256(size, seed):
    key = (size, seed)
    with _sums_lock:
        if key in _sums:
            return _sums[key]
    h = hashlib.sha256()
    for blk in blob_chunks(size, seed):
        h.update(blk)
    d = h.hexdigest()
    with _sums_lock:
        _sums[key] = d
    return d


def main(argv):
    if len(argv) == 4 and argv[0] == "--write":
        with open(argv[1], "wb") as f:
            for blk in blob_chunks(int(argv[2]), int(argv[3])):
                f.write(blk)
        return 0
    if len(argv) == 2:
        print(blob_sha256(int(argv[0]), int(argv[1])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
