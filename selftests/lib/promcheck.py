#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check `splicerctl stats prometheus` output (python3 stdlib only).

    promcheck.py PROM_FILE [JSON_FILE] [--netns NAME]

Parses PROM_FILE strictly as the Prometheus text exposition format 0.0.4,
the format node_exporter's textfile collector reads:
  - "# HELP NAME TEXT" and "# TYPE NAME TYPE" at most once per family, TYPE
    before the family's first sample, TYPE one of counter gauge histogram
    summary untyped;
  - samples NAME{LABEL="VALUE",...} VALUE [TIMESTAMP], names and label names
    by the format's character sets, label values with only \\\\ \\" \\n
    escapes, values as floats;
  - a family's samples contiguous, no series twice;
and this tool's conventions: counter families end in _total, others do not;
counter values are not negative.

With JSON_FILE (the output of `splicerctl -j stats`), also checks that the
samples are exactly the JSON's counters: splicer_* for "stats",
splicer_service_*{service} for "services", splicer_server_*{pool,server} for
"servers", resp_NNN as generated_responses_total{code="NNN"}, every value
equal; with --netns every sample carries netns="NAME" too.

Prints one JSON object: {"families": N, "samples": N, "compared": N,
"errors": [...]}; exit status 0 when there is no error.
"""

import json
import math
import re
import sys

NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")

# counter name in splicerctl -j stats -> metric name after the scope prefix
NAMES = {
    "conns": "connections_total",
    "active": "active_connections",
    "requests": "requests_total",
    "bytes_in": "bytes_in_total",
    "bytes_out": "bytes_out_total",
    "connect_fail": "connect_failures_total",
    "retries": "retries_total",
    "log_drops": "log_drops_total",
    "persist_hits": "persist_hits_total",
    "persist_new": "persist_new_total",
    "persist_redispatch": "persist_redispatch_total",
    "persist_invalid": "persist_invalid_total",
    "stick_evictions": "stick_evictions_total",
    "rebinds": "rebinds_total",
    "spliced": "spliced_connections_total",
    "splice_bytes_in": "splice_bytes_in_total",
    "splice_bytes_out": "splice_bytes_out_total",
    "splice_fallback": "splice_fallbacks_total",
    "tls_handshakes": "tls_handshakes_total",
    "tls_failed": "tls_handshake_failures_total",
    "tls_refused": "tls_refused_total",
}


def parse_value(s):
    if s in ("NaN", "+Inf", "-Inf", "Inf"):
        return float(s.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", s):
        raise ValueError("bad value %r" % s)
    return float(s)


def parse_labels(s, i):
    """Parse {a="b",...} at s[i] == '{'. Returns (dict, index after '}')."""
    labels = {}
    i += 1
    while True:
        if i < len(s) and s[i] == "}":
            return labels, i + 1
        m = LABEL_RE.match(s, i)
        if not m:
            raise ValueError("bad label name at column %d" % (i + 1))
        name = m.group(0)
        i = m.end()
        if s[i:i + 2] != '="':
            raise ValueError("expected =\" after label %s" % name)
        i += 2
        val = []
        while True:
            if i >= len(s):
                raise ValueError("unterminated label value")
            c = s[i]
            if c == "\\":
                nxt = s[i + 1:i + 2]
                if nxt not in ("\\", '"', "n"):
                    raise ValueError("bad escape \\%s in a label value" % nxt)
                val.append("\n" if nxt == "n" else nxt)
                i += 2
            elif c == '"':
                i += 1
                break
            else:
                val.append(c)
                i += 1
        if name in labels:
            raise ValueError("label %s twice" % name)
        labels[name] = "".join(val)
        if i < len(s) and s[i] == ",":
            i += 1
        elif i < len(s) and s[i] == "}":
            continue
        else:
            raise ValueError("expected , or } after label %s" % name)


def parse(text):
    """Returns (families {name: {"type", "help", "samples": [(labels, value)]}}, errors)."""
    fams = {}
    errors = []
    order = []          # family of each sample line, to check contiguity
    series = set()
    for ln, line in enumerate(text.split("\n"), 1):
        if line == "":
            continue
        try:
            if line.startswith("#"):
                parts = line.split(" ", 3)
                if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                    name = parts[2]
                    if not NAME_RE.fullmatch(name):
                        raise ValueError("bad metric name %r" % name)
                    f = fams.setdefault(name, {"type": None, "help": None, "samples": []})
                    key = parts[1].lower()
                    if f[key] is not None:
                        raise ValueError("second %s for %s" % (parts[1], name))
                    if key == "type":
                        if len(parts) != 4 or parts[3] not in TYPES:
                            raise ValueError("bad TYPE line")
                        if f["samples"]:
                            raise ValueError("TYPE of %s after its samples" % name)
                        f["type"] = parts[3]
                    else:
                        f["help"] = parts[3] if len(parts) == 4 else ""
                continue
            m = NAME_RE.match(line)
            if not m:
                raise ValueError("bad metric name")
            name = m.group(0)
            i = m.end()
            labels = {}
            if i < len(line) and line[i] == "{":
                labels, i = parse_labels(line, i)
            rest = line[i:]
            if not rest.startswith(" "):
                raise ValueError("expected a space before the value")
            fields = rest.split()
            if len(fields) not in (1, 2):
                raise ValueError("expected VALUE [TIMESTAMP]")
            value = parse_value(fields[0])
            if len(fields) == 2 and not re.fullmatch(r"-?\d+", fields[1]):
                raise ValueError("bad timestamp")
            f = fams.setdefault(name, {"type": None, "help": None, "samples": []})
            if f["type"] is None:
                raise ValueError("sample of %s before its TYPE" % name)
            if order and order[-1] != name and name in order:
                raise ValueError("samples of %s are not contiguous" % name)
            order.append(name)
            key = (name, tuple(sorted(labels.items())))
            if key in series:
                raise ValueError("series %s%s twice" % (name, labels))
            series.add(key)
            if f["type"] == "counter":
                if not name.endswith("_total"):
                    raise ValueError("counter %s does not end in _total" % name)
                if value < 0 or math.isnan(value):
                    raise ValueError("counter %s = %s" % (name, value))
            elif name.endswith("_total"):
                raise ValueError("%s %s ends in _total" % (f["type"], name))
            f["samples"].append((labels, value))
        except (ValueError, IndexError) as e:
            errors.append("line %d: %s: %s" % (ln, e, line))
    for name, f in fams.items():
        if f["help"] is None:
            errors.append("family %s has no HELP" % name)
        if f["type"] is None:
            errors.append("family %s has no TYPE" % name)
    return fams, errors


def expected(stats, netns):
    """{(metric name, sorted label items): value} from splicerctl -j stats."""
    out = {}

    def add(prefix, counters, labels):
        for k, v in counters.items():
            lab = dict(labels)
            if netns is not None:
                lab["netns"] = netns
            if k.startswith("resp_"):
                name = "generated_responses_total"
                lab["code"] = k[len("resp_"):]
            elif k in NAMES:
                name = NAMES[k]
            elif k.startswith("cnt_"):
                name = "counter_" + k[len("cnt_"):]
            else:
                name = k
            out[(prefix + name, tuple(sorted(lab.items())))] = v

    add("splicer_", stats.get("stats", {}), {})
    for s in stats.get("services", []):
        add("splicer_service_", s.get("stats", {}), {"service": s["name"]})
    for s in stats.get("servers", []):
        add("splicer_server_", s.get("stats", {}), {"pool": s["pool"], "server": s["name"]})
    return out


def main(argv):
    args = list(argv)
    netns = None
    if "--netns" in args:
        i = args.index("--netns")
        netns = args[i + 1]
        del args[i:i + 2]
    if not 1 <= len(args) <= 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(args[0]) as f:
        text = f.read()
    fams, errors = parse(text)
    if text and not text.endswith("\n"):
        errors.append("the last line does not end in a newline")
    got = {(name, tuple(sorted(lab.items()))): v
           for name, f in fams.items() for lab, v in f["samples"]}
    compared = 0
    if len(args) == 2:
        with open(args[1]) as f:
            want = expected(json.load(f), netns)
        for k, v in sorted(want.items()):
            if k not in got:
                errors.append("missing %s%s (JSON value %s)" % (k[0], dict(k[1]), v))
            elif got[k] != float(v):
                errors.append("%s%s = %s, JSON says %s" % (k[0], dict(k[1]), got[k], v))
            else:
                compared += 1
        for k in sorted(set(got) - set(want)):
            errors.append("extra sample %s%s" % (k[0], dict(k[1])))
    print(json.dumps({"families": len(fams), "samples": len(got), "compared": compared,
                      "errors": errors[:30], "nerrors": len(errors)}, sort_keys=True))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
