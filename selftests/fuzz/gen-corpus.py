#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the fuzzers' seed corpus from the KUnit tables.

    selftests/fuzz/gen-corpus.py          write selftests/fuzz/corpus/<harness>/
    selftests/fuzz/gen-corpus.py --check  exit 1 if the committed seeds are stale

Every table in kmod/tests/http_test.c preceded by a comment
"/* fuzz-corpus: HARNESS */" gives one seed per entry: the entry's V("...")
vector, in a file named after its table and its first string (the case name),
"kunit-<table>-<name>". EXTRA below adds seeds no table holds (whole
exchanges: a head and its body; the cookie harness's inputs, which start
with what to look for). Files named otherwise (crash-*: inputs a fuzzer
found, kept as regression seeds) are left alone.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(HERE, "..", "..", "kmod", "tests", "http_test.c")
CORPUS = os.path.join(HERE, "corpus")
HARNESSES = ("request", "response", "chunked", "cookie")
GENERATED = ("kunit-", "extra-")

NEXT = b"GET /next HTTP/1.1\r\nHost: a\r\n\r\n"


def cookie(name, msg, plen=2, sep=b"~", lines=False):
    """An input of selftests/fuzz/cookie.c: name length (and bit 7: add
    lines), prefix length, separator, name, then the head and what follows."""
    return bytes([len(name) | (0x80 if lines else 0), plen]) + sep + name + msg


def req(fields, target=b"/"):
    return b"GET " + target + b" HTTP/1.1\r\nHost: a\r\n" + fields + b"\r\n"


EXTRA = {
    "request": {
        "http2-preface-whole": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        "post-then-pipelined": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello" + NEXT,
        "expect-continue": b"PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\n",
        "websocket-upgrade": b"GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                             b"Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                             b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    },
    "response": {
        "chunked-body": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        b"5;a=b\r\nhello\r\n0\r\nX-T: v\r\n\r\n" + NEXT,
        "cl-body": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 204 \r\n\r\n",
        "eof-body": b"HTTP/1.0 200 OK\r\nServer: x\r\n\r\nto the end\r\n\r\n",
        "continue-then-final": b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"
                               b"Content-Length: 2\r\n\r\nok",
        "switching": b"HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\n"
                     b"Upgrade: websocket\r\n\r\n\x81\x05hello",
    },
    "cookie": {
        "pairs": cookie(b"SID", req(b"Cookie: a=1; SID=s1~abc; b=2\r\nCookie: SID=s2~d\r\n")),
        "quoted-look-alikes": cookie(b"ID", req(b"Cookie: SID=\"s1~x\"; ID=\"s1~y\"; IDX=3\r\n")),
        "messy-separators": cookie(b"SID", req(b"Cookie: ; SID=1 ;  a=2;;SID = s1~3 ;\r\n"
                                               b"cookie:\r\nCOOKIE: SID\r\n")),
        # a separator that could be read just past a value of the prefix's length
        "sep-semicolon": cookie(b"SID", req(b"Cookie: SID=s1; SID=s2 ;a=1\r\n"), sep=b";"),
        "sep-dquote": cookie(b"SID", req(b"Cookie: SID=\"s1\"; SID=\"s2\"\r\n"), sep=b"\""),
        "only-pair-and-body": cookie(b"SID", b"POST / HTTP/1.1\r\nHost: a\r\nCookie: SID=s1~z\r\n"
                                     b"Content-Length: 4\r\n\r\nBODY" + NEXT),
        "params": cookie(b"jsessionid", req(b"X-Session: \t v \r\n",
                                            b"/cart;x=1;JSESSIONID=ab/c;jsessionid=d?a=1&jsessionid=e;b#f")),
        "header": cookie(b"X-Session", req(b"X-Session-Id: 1\r\nx-session:  v w \r\n")),
        "set-cookie": cookie(b"SID", b"HTTP/1.1 200 OK\r\nSet-Cookie: SID=abc; Path=/\r\n"
                             b"Set-Cookie: a=1; SID=2\r\nset-cookie: SID=\"q\"\r\n"
                             b"Content-Length: 5\r\n\r\nhello", plen=3, sep=b".", lines=True),
        "set-cookie-no-fields": cookie(b"SID", b"HTTP/1.1 204 No Content\r\n\r\n", lines=True),
        "set-cookie-odd": cookie(b"SID", b"HTTP/1.1 200 OK\r\nSet-Cookie:SID = ; x\r\n"
                                 b"Set-Cookie: SID\r\nSet-Cookie: =1\r\nCookie: SID=1\r\n\r\n", plen=0),
    },
    "chunked": {
        "many-chunks": b"".join(b"%x\r\n%s\r\n" % (n, b"x" * n) for n in range(1, 20)) + b"0\r\n\r\n",
        "quoted-ext-trailers": b"3;a=\"x\\\"y\";b=c\r\nabc\r\n0;z\r\nA: 1\r\nB: 2\r\n\r\n" + NEXT,
        # the bounds: 256 bytes of chunk-ext, 64 trailers, 8192 bytes of trailers
        "ext-256": b"1;" + b"e" * 255 + b"\r\nx\r\n0\r\n\r\n",
        "ext-257": b"1;" + b"e" * 256 + b"\r\nx\r\n0\r\n\r\n",
        "trailers-64": b"0\r\n" + b"T: v\r\n" * 64 + b"\r\n",
        "trailers-65": b"0\r\n" + b"T: v\r\n" * 65 + b"\r\n",
        "trailer-bytes-8192": b"0\r\nT: " + b"v" * 8185 + b"\r\n\r\n",
        "trailer-bytes-8193": b"0\r\nT: " + b"v" * 8186 + b"\r\n\r\n",
    },
}

ESCAPES = {"n": 10, "r": 13, "t": 9, "\\": 92, '"': 34, "'": 39, "?": 63,
           "a": 7, "b": 8, "f": 12, "v": 11, "e": 27}


def c_string(body):
    """The bytes of a C string literal's body (between the quotes)."""
    out, i = bytearray(), 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        c = body[i + 1]
        if c == "x":
            m = re.match(r"[0-9a-fA-F]+", body[i + 2:])
            out.append(int(m.group(0), 16) & 0xff)
            i += 2 + len(m.group(0))
        elif c in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(int(m.group(0), 8))
            i += 1 + len(m.group(0))
        else:
            out.append(ESCAPES[c])
            i += 2
    return bytes(out)


LITERAL = r'"((?:[^"\\]|\\.)*)"'


def expand_macros(src):
    """#define NAME(arg) "..." arg "..." macros of the file, as (name, before, after)."""
    macros = {}
    for m in re.finditer(r'#define\s+(\w+)\((\w+)\)\s+((?:"(?:[^"\\]|\\.)*"\s*)*)(\w+)\s*'
                         r'((?:"(?:[^"\\]|\\.)*"\s*)*)\n', src):
        name, arg, before, used, after = m.groups()
        if used == arg:
            macros[name] = (before, after)
    for m in re.finditer(r'#define\s+(\w+)\s+((?:"(?:[^"\\]|\\.)*"\s*)+)\n', src):
        macros[m.group(1)] = (m.group(2), None)
    return macros


def literal_bytes(expr, macros):
    """The bytes of a concatenation of literals and the file's string macros."""
    out, i = b"", 0
    expr = expr.strip()
    while i < len(expr):
        if expr[i].isspace():
            i += 1
            continue
        m = re.match(LITERAL, expr[i:])
        if m:
            out += c_string(m.group(1))
            i += m.end()
            continue
        m = re.match(r"(\w+)", expr[i:])
        if not m or m.group(1) not in macros:
            raise ValueError("cannot read vector expression: %r" % expr)
        before, after = macros[m.group(1)]
        i += m.end()
        if after is None:           # a plain string macro
            out += literal_bytes(before, macros)
            continue
        # NAME( inner ): find the matching parenthesis
        assert expr[i] == "("
        depth, j = 0, i
        while True:
            if expr[j] == '"':
                j += re.match(LITERAL, expr[j:]).end()
                continue
            depth += expr[j] == "("
            depth -= expr[j] == ")"
            j += 1
            if depth == 0:
                break
        out += literal_bytes(before, macros) + literal_bytes(expr[i + 1:j - 1], macros) + \
            literal_bytes(after, macros)
        i = j
    return out


def table_vectors(src):
    """{harness: {file name: bytes}} from the marked tables."""
    macros = expand_macros(src)
    seeds = {h: {} for h in HARNESSES}
    for m in re.finditer(r"/\* fuzz-corpus: (\w+) \*/\s*static const struct \w+ (\w+)\[\] = \{", src):
        harness, table = m.groups()
        end = src.index("\n};", m.end())
        region = src[m.end():end]
        prefix = table.replace("_cases", "")
        for e in re.finditer(r"\{\s*" + LITERAL + r"\s*,\s*V\(", region):
            name = c_string(e.group(1)).decode()
            # the V( argument, up to its matching parenthesis
            i, depth = e.end(), 1
            while depth:
                if region[i] == '"':
                    i += re.match(LITERAL, region[i:]).end()
                    continue
                depth += region[i] == "("
                depth -= region[i] == ")"
                i += 1
            vec = literal_bytes(region[e.end():i - 1], macros)
            fname = "kunit-%s-%s" % (prefix, re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))
            if fname in seeds[harness]:
                raise ValueError("two cases named %r in %s" % (name, table))
            seeds[harness][fname] = vec
    return seeds


def main():
    check = sys.argv[1:] == ["--check"]
    with open(TESTS) as f:
        seeds = table_vectors(f.read())
    for harness, extra in EXTRA.items():
        for name, vec in extra.items():
            seeds[harness]["extra-" + name] = vec
    stale = []
    for harness in HARNESSES:
        d = os.path.join(CORPUS, harness)
        want = seeds[harness]
        have = {}
        if os.path.isdir(d):
            for n in os.listdir(d):
                if n.startswith(GENERATED):
                    with open(os.path.join(d, n), "rb") as f:
                        have[n] = f.read()
        for n in sorted(set(have) | set(want)):
            if have.get(n) == want.get(n):
                continue
            stale.append("%s/%s" % (harness, n))
            if check:
                continue
            os.makedirs(d, exist_ok=True)
            if n in want:
                with open(os.path.join(d, n), "wb") as f:
                    f.write(want[n])
            else:
                os.unlink(os.path.join(d, n))
    total = sum(len(v) for v in seeds.values())
    if check:
        if stale:
            print("gen-corpus: stale seeds (run selftests/fuzz/gen-corpus.py and commit "
                  "selftests/fuzz/corpus/): " + " ".join(stale))
            return 1
        print("gen-corpus: %d seeds up to date" % total)
        return 0
    print("gen-corpus: %d seeds, %d written or removed" % (total, len(stale)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
