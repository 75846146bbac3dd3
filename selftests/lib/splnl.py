#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Raw generic netlink client for the splicer family (python3 stdlib only).

Builds requests the CLI would refuse to build, and shows exactly what the kernel
answers: errno, the extack message, and the attribute the extack offset points at.

    splnl.py [--header H] [--dump] CMD [JSON]
    splnl.py [--header H] --batch < FILE

--batch reads lines "DESC<TAB>CMD<TAB>JSON", sends each and prints one result
line for each, with "config_unchanged": whether every service, pool and server
(counters aside) is as it was before the first request.

CMD is a command of enum splicer_cmd without its prefix (SERVICE_NEW, POOL_GET,
...). JSON is the message's attributes, by the names of kmod/uapi/linux/splicer.h
without their prefixes:

    splnl.py SERVICE_NEW '{"SERVICE": {"NAME": "web", "FAMILY": 2,
        "ADDR": ["bin", "c6120001"], "PORT": 80, "POOL": "app"}}'

The type of each attribute comes from the comment beside it in the header
(string, u8, u16, u32, u64, binary, nest); force another with [TYPE, VALUE],
TYPE one of str (NUL-terminated), strn (no NUL), u8, u16, u32, u64, bin (hex
string), nest. A key that is a number is taken as the raw attribute type.

Prints one JSON object: {"errno": 0, "error": "OK", "extack": null,
"bad_attr": null, "bad_attr_offset": null, "replies": [...]}. Exit status 0 when
the kernel accepted the request, 1 when it rejected it, 2 on a usage error.
The enum values are parsed from the header at run time.
"""

import errno as errno_mod
import json
import os
import re
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLA_F_NESTED = 0x8000
NLA_TYPE_MASK = 0x3fff
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5
NLMSGERR_ATTR_MISS_NEST = 6

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_HEADER = os.path.join(
    os.environ.get("SPLICER_TOP", os.path.join(HERE, "..", "..")),
    "kmod", "uapi", "linux", "splicer.h")


def align4(n):
    return (n + 3) & ~3


# ------------------------------------------------------------------ header
class Uapi:
    """Enums, defines and attribute types parsed from the uapi header."""

    def __init__(self, path):
        with open(path) as f:
            text = f.read()
        self.defines = {}
        for m in re.finditer(r"^#define[ \t]+(\w+)[ \t]+(\S.*?)[ \t]*(?:/\*.*)?$", text, re.M):
            v = m.group(2).strip()
            if v.startswith('"'):
                self.defines[m.group(1)] = v.strip('"')
            else:
                try:
                    self.defines[m.group(1)] = int(v, 0)
                except ValueError:
                    pass
        # enum name -> list of (member, value, comment)
        self.enums = {}
        for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\};", text, re.S):
            members = []
            val = -1
            known = {}
            for line in m.group(2).split("\n"):
                mm = re.match(r"\s*(\w+)\s*(?:=\s*([^,/]+?))?\s*,?\s*(?:/\*\s*(.*?)\s*\*/)?\s*$",
                              line)
                if not mm or not mm.group(1):
                    continue
                name, expr, comment = mm.group(1), mm.group(2), mm.group(3) or ""
                if expr is not None:
                    expr = expr.strip()
                    if re.match(r"^-?(0x[0-9a-fA-F]+|\d+)$", expr):
                        val = int(expr, 0)
                    else:  # e.g. __X_MAX - 1
                        val = eval(expr, {}, dict(known))  # noqa: S307 (our own header)
                else:
                    val += 1
                known[name] = val
                members.append((name, val, comment))
            self.enums[m.group(1)] = members

    def prefix(self, enum):
        names = [n for n, _, _ in self.enums[enum] if not n.startswith("__")]
        p = os.path.commonprefix(names)
        return p[:p.rfind("_") + 1] if "_" in p else p

    def table(self, enum):
        """short name -> (value, type, nested enum) for the members of an attr enum."""
        p = self.prefix(enum)
        out = {}
        for name, val, comment in self.enums[enum]:
            if name.startswith("__") or name == p + "MAX" or not name.startswith(p):
                continue
            short = name[len(p):]
            typ, nest = None, None
            c = comment.lower()
            m = re.match(r"nest\s*,\s*enum\s+(\w+)", c)
            if m:
                typ, nest = "nest", m.group(1)
            elif c.startswith("string"):
                typ = "str"
            elif c.startswith("binary"):
                typ = "bin"
            else:
                m = re.match(r"(u8|u16|u32|u64)\b", c)
                if m:
                    typ = m.group(1)
            if enum == "splicer_cnt" and typ is None and short not in ("UNSPEC", "PAD"):
                typ = "u64"
            out[short] = (val, typ, nest)
        return out

    def cmds(self):
        p = self.prefix("splicer_cmd")
        return {n[len(p):]: v for n, v, _ in self.enums["splicer_cmd"]
                if not n.startswith("__") and n != p + "MAX"}


# ------------------------------------------------------------------ encoding
def encode_value(typ, v):
    if typ in ("str", None) and isinstance(v, str):
        return v.encode() + b"\0"
    if typ == "strn":
        return v.encode()
    if typ == "bin":
        return bytes.fromhex(v)
    fmt = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q"}.get(typ)
    if fmt is None and typ is None and isinstance(v, int):
        fmt = "=I"
    if fmt is None:
        raise ValueError("cannot encode %r as %s" % (v, typ))
    return struct.pack(fmt, v)


class Builder:
    """Encodes nested attributes, remembering where each one starts (for extack)."""

    def __init__(self, uapi, base):
        self.uapi = uapi
        self.base = base          # offset of the attributes in the whole message
        self.where = {}           # offset -> "SERVICE.ADDR"

    def attrs(self, enum, obj, off, path):
        tbl = self.uapi.table(enum) if enum else {}
        out = b""
        for key, v in obj.items():
            if re.match(r"^\d+$", key):
                atype, typ, nest = int(key), None, None
            else:
                if key not in tbl:
                    raise ValueError("unknown attribute %s in %s" % (key, enum))
                atype, typ, nest = tbl[key]
            if isinstance(v, list) and len(v) == 2 and isinstance(v[0], str):
                typ, v = v
            here = off + len(out)
            self.where[here] = path + key
            if typ == "nest" or isinstance(v, dict):
                payload = self.attrs(nest, v, here + 4, path + key + ".")
                atype |= NLA_F_NESTED
            else:
                payload = encode_value(typ, v)
            a = struct.pack("=HH", 4 + len(payload), atype) + payload
            out += a + b"\0" * (align4(len(a)) - len(a))
        return out


def decode_attrs(uapi, enum, data):
    tbl = uapi.table(enum) if enum else {}
    rev = {v[0]: (k, v[1], v[2]) for k, v in tbl.items()}
    out = {}
    i = 0
    while i + 4 <= len(data):
        ln, at = struct.unpack_from("=HH", data, i)
        if ln < 4:
            break
        payload = data[i + 4:i + ln]
        at &= NLA_TYPE_MASK
        name, typ, nest = rev.get(at, (str(at), None, None))
        if name == "PAD":
            pass
        elif typ == "nest":
            out[name] = decode_attrs(uapi, nest, payload)
        else:
            out[name] = decode_value(typ, payload)
        i += align4(ln)
    return out


def decode_value(typ, p):
    if typ == "str":
        return p.split(b"\0", 1)[0].decode(errors="replace")
    if typ == "bin":
        return p.hex()
    fmt = {1: "=B", 2: "=H", 4: "=I", 8: "=Q"}
    if typ in ("u8", "u16", "u32", "u64") and len(p) in fmt:
        return struct.unpack(fmt[len(p)], p)[0]
    if typ is None:
        if p.endswith(b"\0") and all(32 <= c < 127 for c in p[:-1]):
            return p[:-1].decode()
        if len(p) in fmt:
            return struct.unpack(fmt[len(p)], p)[0]
    return p.hex()


# ------------------------------------------------------------------ socket
class Genl:
    def __init__(self):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sk.bind((0, 0))
        self.sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.seq = 1

    def transact(self, ftype, cmd, version, attrs_fn, dump=False):
        """Send one request; returns (errno, extack, offset, miss, request, replies)."""
        self.seq += 1
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        attrs = attrs_fn(16 + 4)
        msg = struct.pack("=IHHII", 16 + 4 + len(attrs), ftype, flags, self.seq, 0)
        msg += struct.pack("=BBH", cmd, version, 0) + attrs
        self.sk.send(msg)
        replies = []
        while True:
            data = self.sk.recv(1 << 20)
            i = 0
            while i + 16 <= len(data):
                ln, mtype, mflags, seq, _ = struct.unpack_from("=IHHII", data, i)
                body = data[i + 16:i + ln]
                i += align4(ln)
                if seq != self.seq:
                    continue
                if mtype in (NLMSG_ERROR, NLMSG_DONE):
                    err = struct.unpack_from("=i", body)[0] if len(body) >= 4 else 0
                    ext, off, miss = None, None, None
                    if mflags & NLM_F_ACK_TLVS:
                        if mtype == NLMSG_ERROR:
                            olen = 16 if (mflags & NLM_F_CAPPED) else \
                                struct.unpack_from("=I", body, 4)[0]
                            tlvs = body[4 + align4(olen):]
                        else:
                            tlvs = body[4:]
                        j = 0
                        while j + 4 <= len(tlvs):
                            tl, tt = struct.unpack_from("=HH", tlvs, j)
                            if tl < 4:
                                break
                            tp = tlvs[j + 4:j + tl]
                            if tt == NLMSGERR_ATTR_MSG:
                                ext = tp.split(b"\0", 1)[0].decode(errors="replace")
                            elif tt == NLMSGERR_ATTR_OFFS:
                                off = struct.unpack("=I", tp[:4])[0]
                            elif tt == NLMSGERR_ATTR_MISS_TYPE:
                                miss = struct.unpack("=I", tp[:4])[0]
                            j += align4(tl)
                    if mtype == NLMSG_DONE and not dump:
                        continue
                    return -err, ext, off, miss, msg, replies
                replies.append((mtype, body))

    def family(self, name):
        def attrs(_off):
            p = name.encode() + b"\0"
            a = struct.pack("=HH", 4 + len(p), CTRL_ATTR_FAMILY_NAME) + p
            return a + b"\0" * (align4(len(a)) - len(a))
        err, ext, _, _, _, replies = self.transact(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, attrs)
        if err:
            return None, err, ext
        for _, body in replies:
            a = body[4:]
            j = 0
            while j + 4 <= len(a):
                tl, tt = struct.unpack_from("=HH", a, j)
                if tt == CTRL_ATTR_FAMILY_ID:
                    return struct.unpack_from("=H", a, j + 4)[0], 0, None
                j += align4(tl)
        return None, errno_mod.ENOENT, None


def errname(e):
    return "OK" if e == 0 else errno_mod.errorcode.get(e, str(e))


class Client:
    """One netlink socket, the family resolved once."""

    def __init__(self, header=DEFAULT_HEADER):
        self.uapi = Uapi(header)
        self.cmds = self.uapi.cmds()
        self.rev = {v: k for k, v in self.cmds.items()}
        self.g = Genl()
        self.fam, self.err, self.ext = self.g.family(
            self.uapi.defines.get("SPLICER_FAMILY_NAME", "splicer"))

    def request(self, cmd, obj=None, dump=False):
        """Send one request. Returns the result dict that the command line prints."""
        if cmd not in self.cmds:
            raise ValueError("unknown command %s (have %s)" % (cmd, ", ".join(self.cmds)))
        if self.fam is None:
            return {"errno": self.err, "error": errname(self.err), "extack": self.ext,
                    "bad_attr": None, "bad_attr_offset": None, "miss_type": None,
                    "replies": [], "note": "family not registered (module not loaded?)"}
        b = Builder(self.uapi, 20)
        err, ext, off, miss, _, replies = self.g.transact(
            self.fam, self.cmds[cmd], self.uapi.defines.get("SPLICER_FAMILY_VERSION", 1),
            lambda o: b.attrs("splicer_attr", obj or {}, o, ""), dump=dump)
        dec = [{"cmd": self.rev.get(body[0], body[0]),
                "attrs": decode_attrs(self.uapi, "splicer_attr", body[4:])}
               for _, body in replies]
        return {"errno": err, "error": errname(err), "extack": ext,
                "bad_attr_offset": off,
                "bad_attr": b.where.get(off) if off is not None else None,
                "miss_type": miss, "replies": dec}

    def config(self):
        """Every service, pool and server (dumps), counters left out."""
        out = []
        for cmd in ("SERVICE_GET", "POOL_GET", "SERVER_GET"):
            r = self.request(cmd, dump=True)
            for rep in r["replies"]:
                for obj in rep["attrs"].values():
                    if isinstance(obj, dict):
                        obj.pop("STATS", None)
                out.append(rep["attrs"])
            if r["errno"]:
                out.append({"dump_error": r["error"]})
        return out


def request(cmd, obj=None, dump=False, header=DEFAULT_HEADER):
    return Client(header).request(cmd, obj, dump)


def batch(header, lines):
    """Each line "DESC<TAB>CMD<TAB>JSON": send it, then compare the whole
    configuration with what it was before the first request. One JSON result
    per line, with "desc" and "config_unchanged" added."""
    c = Client(header)
    before = c.config()
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            continue
        desc, cmd, js = (line.split("\t", 2) + ["", ""])[:3]
        res = c.request(cmd, json.loads(js) if js else {})
        now = c.config()
        res["desc"] = desc
        res["config_unchanged"] = now == before
        if now != before:
            res["config_before"] = before
            res["config_after"] = now
        print(json.dumps(res, sort_keys=True), flush=True)


def main(argv):
    header = DEFAULT_HEADER
    dump = False
    args = list(argv)
    while args and args[0].startswith("--"):
        o = args.pop(0)
        if o == "--header" and args:
            header = args.pop(0)
        elif o == "--dump":
            dump = True
        elif o == "--batch":
            try:
                batch(header, sys.stdin)
            except (ValueError, json.JSONDecodeError) as e:
                print("splnl: %s" % e, file=sys.stderr)
                return 2
            return 0
        else:
            print(__doc__, file=sys.stderr)
            return 2
    if not args or len(args) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        obj = json.loads(args[1]) if len(args) > 1 else {}
        res = request(args[0], obj, dump=dump, header=header)
    except (ValueError, json.JSONDecodeError) as e:
        print("splnl: %s" % e, file=sys.stderr)
        return 2
    print(json.dumps(res, sort_keys=True))
    return 0 if res["errno"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
