#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The benchmark's results: from the VM's console to JSON, checked, and to
Documentation/performance.md.

    report.py collect --log CONSOLE [--wall-seconds S] [--command C] ...  > JSON
    report.py check JSON        every system has a figure for every scenario
    report.py markdown JSON     > Documentation/performance.md

bench/run.sh runs all three; `markdown` alone regenerates the page from
bench/results.json after a change to this script.
"""
import argparse
import datetime
import json
import sys

SYSTEMS = ["direct", "splicer", "splicer-splice", "haproxy", "nginx"]
BALANCERS = ["splicer", "splicer-splice", "haproxy", "nginx"]
SCENARIOS = ["ka-1k", "close-1k", "ka-1m", "stream-256m"]
TLS_SCENARIOS = ["tls-ka-1k", "tls-close-1k", "tls-ka-1m"]
TLS_SYSTEMS = ["direct", "splicer", "splicer-splice", "haproxy", "nginx"]
# The rule scenarios by shape of the rules (bench/guest.sh's header)
RULE_SHAPES = {"host": ["rules-ka-1k", "rules-close-1k"],
               "prefix": ["rules-prefix-ka-1k", "rules-prefix-close-1k"]}
RULE_SCENARIOS = [s for scns in RULE_SHAPES.values() for s in scns]


def die(msg):
    sys.exit(f"report.py: {msg}")


# ---------------------------------------------------------------- collect

def collect(args):
    meta, results = None, []
    with open(args.log, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            for tag in ("BENCH-META ", "BENCH-RESULT "):
                if line.startswith(tag):
                    try:
                        obj = json.loads(line[len(tag):])
                    except ValueError as e:
                        # A kernel message printed into the middle of the line.
                        die(f"{args.log}: a garbled line ({e}): {line[:120]}")
                    if tag == "BENCH-META ":
                        meta = obj
                    else:
                        results.append(obj)
    if meta is None:
        die(f"{args.log}: no BENCH-META line: did bench/guest.sh run?")
    doc = {
        "command": args.command,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "wall_seconds": args.wall_seconds,
        "cpu_seconds": args.cpu_seconds,
        "splicer_commit": args.commit,
        "splicer_uncommitted": args.dirty.split() if args.dirty else [],
        "host": {"qemu": args.qemu, "cpu": args.host_cpu},
        "vm": {"qemu_args": "-smp 1 -icount shift=0,sleep=off -cpu max",
               "mem_mb": 3072},
        "guest": meta,
        "results": results,
    }
    json.dump(doc, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


# ---------------------------------------------------------------- figures

def load(path):
    with open(path) as f:
        return json.load(f)


def throughput(r):
    """(requests/s, MB/s) of one wrk or curl result."""
    secs = r["duration_us"] / 1e6
    return r["requests"] / secs, r["bytes"] / secs / 1e6


def errors(r):
    return sum(r.get(k, 0) for k in
               ("err_connect", "err_read", "err_write", "err_status", "err_timeout"))


def index(doc):
    """{(scenario, system, servers): result}; n/a results under servers None.
    The rules results are in rules_index()."""
    idx = {}
    for r in doc["results"]:
        if r["scenario"] not in RULE_SCENARIOS:
            idx[(r["scenario"], r["system"], r.get("servers"))] = r
    return idx


def rules_index(doc):
    """{(scenario, number of rules): result}"""
    return {(r["scenario"], r["rules"]): r for r in doc["results"]
            if r["scenario"] in RULE_SCENARIOS and "rules" in r}


def tls_scenarios(doc):
    have = {r["scenario"] for r in doc["results"]}
    return [s for s in TLS_SCENARIOS if s in have]


def rule_counts(doc):
    return doc["guest"].get("rules", {}).get("counts", [])


def rule_scenarios(doc):
    """The rule scenarios the run was asked for (results from before the
    prefix shape: the host ones)."""
    return doc["guest"].get("rules", {}).get("scenarios", RULE_SHAPES["host"])


def pools(doc):
    return sorted({r["servers"] for r in doc["results"]
                   if r["system"] in BALANCERS and r["scenario"] in SCENARIOS
                   and r.get("servers") is not None})


def scenarios(doc):
    have = {r["scenario"] for r in doc["results"]}
    return [s for s in SCENARIOS if s in have]


# ---------------------------------------------------------------- check

def lookup(idx, scn, system, n):
    """The result of SYSTEM in SCN with N servers, or its n/a slot."""
    return idx.get((scn, system, n)) or idx.get((scn, system, None)) \
        or idx.get((scn, "all", n)) or idx.get((scn, "all", None))


def check(args):
    """Every slot has a figure (or says why not). A TLS run that failed, a
    TLS session other than intended and rule hits that do not add up are
    warnings: the run's figures are kept, and the page says so."""
    doc = load(args.json)
    idx = index(doc)
    bad, warn = [], []
    scns = scenarios(doc)
    if not scns and not tls_scenarios(doc) and not rule_counts(doc):
        bad.append("no scenario at all")
    for scn in scns:
        if not idx.get((scn, "direct", 1)):
            bad.append(f"{scn}: no figure for direct")
        for n in pools(doc):
            for system in BALANCERS:
                r = lookup(idx, scn, system, n)
                if not r:
                    bad.append(f"{scn}: no figure for {system} with {n} server(s)")
                elif r.get("failed"):
                    bad.append(f"{scn}: {system} with {n} server(s) failed: {r['failed']}")
                elif not r.get("na") and (r["requests"] <= 0 or r["duration_us"] <= 0):
                    bad.append(f"{scn}: {system} with {n} server(s) answered nothing")
    for scn in tls_scenarios(doc):
        for system in TLS_SYSTEMS:
            r = lookup(idx, scn, system, 1)
            if not r:
                bad.append(f"{scn}: no result for {system}")
            elif r.get("failed"):
                warn.append(f"{scn}: {system} failed: {r['failed']}")
            elif not r.get("na"):
                if r["requests"] <= 0 or r["duration_us"] <= 0:
                    bad.append(f"{scn}: {system} answered nothing")
                if not r.get("tls", {}).get("as_intended", False):
                    warn.append(f"{scn}: {system}: TLS not as intended: {r.get('tls')}")
    ridx = rules_index(doc)
    for n in rule_counts(doc):
        for scn in rule_scenarios(doc):
            r = ridx.get((scn, n))
            if not r:
                bad.append(f"{scn}: no figure with {n} rules")
            elif r["requests"] <= 0 or r["duration_us"] <= 0:
                bad.append(f"{scn}: nothing answered with {n} rules")
            elif not r.get("hits_ok", False):
                warn.append(f"{scn} with {n} rules: rule hits do not add up: last rule "
                            f"{r.get('hits_last')}, the others {r.get('hits_others')}, "
                            f"{r['requests']} requests")
    if doc["guest"].get("idle_conns"):
        for system in ("direct", "splicer", "haproxy"):
            if not idx.get(("idle", system, 1)):
                bad.append(f"idle: no figure for {system}")
    for w in warn:
        print(f"report.py: {args.json}: warning: {w}", file=sys.stderr)
    for b in bad:
        print(f"report.py: {args.json}: {b}", file=sys.stderr)
    if bad:
        sys.exit(1)


# ---------------------------------------------------------------- markdown

TITLES = {
    "ka-1k": ("Keep-alive, 1 KiB responses", "requests/s",
              "wrk, 16 connections kept alive, `GET /1k`"),
    "close-1k": ("A new connection per request, 1 KiB responses", "requests/s",
                 "wrk, 16 connections, `Connection: close` on every request"),
    "ka-1m": ("Keep-alive, 1 MiB responses", "MB/s",
              "wrk, 16 connections kept alive, `GET /1m`; MB = 10^6 bytes"),
    "stream-256m": ("One 256 MiB download", "MB/s",
                    "curl, one connection, `GET /256m`; MB = 10^6 bytes"),
}
TITLES.update({
    "tls-ka-1k": ("TLS, keep-alive, 1 KiB responses", "requests/s",
                  "wrk over TLS, 16 connections kept alive, `GET /1k`"),
    "tls-close-1k": ("TLS, a new connection and full handshake per request, 1 KiB",
                     "handshakes/s",
                     "wrk over TLS, 16 connections, `Connection: close` on every request: "
                     "a full handshake per request (no session ticket, no session cache)"),
    "tls-ka-1m": ("TLS, keep-alive, 1 MiB responses", "MB/s",
                  "wrk over TLS, 16 connections kept alive, `GET /1m`; MB = 10^6 bytes"),
    "rules-ka-1k": ("Keep-alive, 1 KiB, every request decided by the rules", "requests/s",
                    "wrk, 16 connections kept alive, `GET /1k`, `inspect on`"),
    "rules-close-1k": ("A new connection per request, 1 KiB", "requests/s",
                       "wrk, 16 connections, `Connection: close` on every request"),
})
TITLES["rules-prefix-ka-1k"] = TITLES["rules-ka-1k"]
TITLES["rules-prefix-close-1k"] = TITLES["rules-close-1k"]
RULE_LABELS = {"rules-ka-1k": "keep-alive (inspect)", "rules-close-1k": "a new connection per request"}
RULE_LABELS["rules-prefix-ka-1k"] = RULE_LABELS["rules-ka-1k"]
RULE_LABELS["rules-prefix-close-1k"] = RULE_LABELS["rules-close-1k"]
REF_LABELS = {"ka-1k": "keep-alive", "close-1k": "a new connection per request"}
NAMES = {"direct": "direct", "splicer": "splicer relay", "splicer-splice": "splicer splice",
         "haproxy": "HAProxy", "nginx": "nginx"}


def figure(scn, r):
    rps, mbps = throughput(r)
    return mbps if TITLES[scn][1] == "MB/s" else rps


def usable(r):
    """A result with a figure (not n/a, not failed)."""
    return r is not None and not r.get("na") and not r.get("failed")


def fmt(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"


def cell(scn, r, direct, haproxy, system):
    if r is None:
        return "missing"
    if r.get("na"):
        return "n/a"
    if r.get("failed"):
        return "**failed**"
    v = figure(scn, r)
    text = fmt(v)
    ratios = []
    if system != "direct" and usable(direct):
        ratios.append(f"{v / figure(scn, direct):.2f}×")
    if system not in ("direct", "haproxy") and usable(haproxy):
        ratios.append(f"{v / figure(scn, haproxy):.2f}×")
    if ratios:
        text += " (" + " / ".join(ratios) + ")"
    e = errors(r)
    if e:
        text += f" ⚠ {e:,} errors"
    c = r.get("splicer")
    if system == "splicer-splice" and c:
        text += f" [{c['spliced']:,}/{c['conns']:,} spliced]"
    return text


KERNEL_FIELDS = ("Slab", "KernelStack", "PageTables", "VmallocUsed", "Percpu")


def kernel_kb(snap):
    """Memory the kernel holds for itself: slab (with the pages of large
    kmalloc() calls, which /proc/meminfo counts there and /proc/slabinfo
    does not), stacks, page tables, vmalloc and per-CPU areas."""
    m = snap["meminfo_kb"]
    return sum(m.get(k, 0) for k in KERNEL_FIELDS)


def rss_kb(snap, pids):
    return sum(snap["rss_kb"].get(str(p), {}).get("VmRSS", 0) for p in pids)


def memory_rows(doc):
    rows = {}
    for r in doc["results"]:
        if r["scenario"] != "idle" or r.get("na"):
            continue
        b, a, n = r["before"], r["after"], r["conns"]
        pids = r["balancer_pids"]
        slab = sum(a["slab_bytes"].get(k, 0) - v for k, v in b["slab_bytes"].items()) / n
        kern = (kernel_kb(a) - kernel_kb(b)) * 1024 / n
        rss = (rss_kb(a, pids) - rss_kb(b, pids)) * 1024 / n if pids else None
        caches = sorted(((a["slab_bytes"].get(k, 0) - v) / n, k)
                        for k, v in b["slab_bytes"].items())
        caches = [(d, k) for d, k in reversed(caches) if d >= 16][:6]
        rows[r["system"]] = {"n": n, "slab": slab, "kernel": kern, "rss": rss,
                             "caches": caches}
    return rows


def kib(v):
    return "—" if v is None else f"{v / 1024:.2f} KiB"


def markdown(args):
    doc = load(args.json)
    idx = index(doc)
    g = doc["guest"]
    out = []
    w = out.append
    mins = doc["wall_seconds"] / 60
    w("# Performance")
    w("")
    w("<!-- Generated by bench/report.py from bench/results.json: do not edit.")
    w("     `make bench` measures and regenerates both; after a change to the")
    w("     script alone: python3 bench/report.py markdown bench/results.json")
    w("     > Documentation/performance.md -->")
    w("")
    w("splicer beside a direct connection, HAProxy and nginx, all in one QEMU VM "
      "whose clock counts instructions. Produced by "
      f"`{doc['command']}` on {doc['date']} at splicer commit "
      f"`{doc['splicer_commit'][:12]}`" +
      (f" (with uncommitted changes to {', '.join(doc['splicer_uncommitted'])})"
       if doc["splicer_uncommitted"] else "") +
      f"; the run took {mins:.0f} minutes of wall time"
      + (f" and {doc['cpu_seconds'] / 60:.0f} minutes of QEMU's CPU time (the wall time "
         "on an idle host)" if doc.get("cpu_seconds") else "")
      + ". Every figure below is in "
      "[bench/results.json](../bench/results.json) (raw wrk, curl and memory counters).")
    w("")
    w("## How it is measured")
    w("")
    w(f"- **Machine**: `selftests/vm/run.sh --bench`: QEMU TCG, `{doc['vm']['qemu_args']}`, "
      f"{doc['vm']['mem_mb']} MiB. Guest time counts executed instructions (one per "
      "nanosecond: a 1 GHz CPU doing one instruction per cycle, with no cache or memory "
      "latency modelled), so a rerun gives the same figures within about 0.5 %, whatever "
      "else the host is doing. The figures compare the systems with each other; they say "
      "nothing about absolute speed on real hardware, where caches, memory bandwidth and "
      "several cores change the picture.")
    w("- **One CPU for everything**: the client, the system under test and the backend "
      "share it, so a figure is the cost of the whole path. A system that spends as many "
      "instructions per request as the client and the backend together halves the figure.")
    w("- **Topology** (`selftests/lib.sh`): namespaces `cli` (198.18.0.2) — `lb` "
      "(198.18.0.1, 198.18.1.1) — `srv` (198.18.1.2), joined by veth pairs. Every system "
      "under test runs in `lb` and listens on 198.18.0.1:80; for **direct** the client "
      "connects to the backend itself through `lb` with `ip_forward=1`, the same hops "
      "without a proxy: the ceiling.")
    w("- **Backend**: one nginx (1 worker, `sendfile`) in `srv` serving files from the "
      "guest's tmpfs. Server *i* of a pool of *N* is 198.18.(4 + *i*/256).(*i* % 256):8080: "
      "`srv` routes 198.18.4.0/22 to itself, so 1, 10, 100 or 1000 servers are that one "
      "nginx behind as many addresses.")
    w("- **splicer relay**: `splicer.ko`, pool `balance roundrobin`, the servers added with "
      "one `splicerctl -b` batch, `persist web cookie`. **splicer splice**: the same with "
      "`splice on` ([splice.md](splice.md)): once the first response head has passed, the "
      "two TCP flows are joined in the network layer and splicer's sockets leave the path; "
      "later requests on the connection are not parsed. A cell says how many of the "
      "connections were spliced; one with `Connection: close` on its request never is.")
    w(f"- **HAProxy** ({g['packages'].get('haproxy', '?')}): `nbthread 1`, `mode http`, "
      "`option forwardfor`, `balance roundrobin`, `cookie SERVERID insert`; defaults "
      "otherwise (keep-alive both sides, `http-reuse safe`).")
    w(f"- **nginx** ({g['packages'].get('nginx', '?')}): 1 worker, `proxy_pass` to an "
      "`upstream` (round robin) with `keepalive 32`, `proxy_http_version 1.1`, "
      "`X-Forwarded-For`, `proxy_max_temp_file_size 0`. nginx has no cookie persistence "
      "(that is nginx Plus): it balances without.")
    w(f"- **Client**: wrk {g['wrk']['threads']} thread, {g['wrk']['conns']} connections, "
      f"{g['wrk']['seconds']} s of guest time per figure (after 64 warm-up requests), or "
      "curl. wrk sends no cookie back, so every request of splicer and HAProxy is balanced "
      "and gets a `Set-Cookie`. Direct has no pool: its one figure per scenario is the "
      "ceiling of every row.")
    w("- Cells: the figure, then (× direct / × HAProxy).")
    w("")
    w("## Throughput")
    pl = pools(doc)
    for scn in scenarios(doc):
        title, unit, how = TITLES[scn]
        w("")
        w(f"### {title} ({unit})")
        w("")
        w(f"{how}.")
        w("")
        w("| servers | " + " | ".join(NAMES[s] for s in SYSTEMS) + " |")
        w("| ---: | " + " | ".join("---:" for _ in SYSTEMS) + " |")
        direct = idx.get((scn, "direct", 1))
        skipped = {}
        for n in pl:
            na = idx.get((scn, "all", n))
            if na and na.get("na"):
                skipped.setdefault(na["na"], []).append(n)
                continue
            haproxy = idx.get((scn, "haproxy", n))
            cells = []
            for s in SYSTEMS:
                r = direct if s == "direct" else lookup(idx, scn, s, n)
                cells.append(cell(scn, r, direct, haproxy, s))
            w(f"| {n} | " + " | ".join(cells) + " |")
        for why, ns in skipped.items():
            w("")
            w(f"Not measured with {' or '.join(str(n) for n in ns)} servers: {why}.")
    tls_section(doc, idx, w)
    rules_section(doc, idx, w)
    mem = memory_rows(doc)
    if mem:
        n = next(iter(mem.values()))["n"]
        w("")
        w("## Memory per idle connection")
        w("")
        w(f"{n:,} connections opened through each system by `bench/idle_conns.py` "
          "(python3, selectors), sending nothing, one server in the pool. Before and after: "
          "`/proc/meminfo`, `/proc/slabinfo` and the balancer's `VmRSS`. **Kernel** is the "
          "growth of " + ", ".join(f"`{k}`" for k in KERNEL_FIELDS) + " in /proc/meminfo, "
          "for the whole path: the client's sockets too, and the server side's. "
          "**Slab caches** is the growth of the caches of /proc/slabinfo; the rest of "
          "the kernel figure is mostly pages of kmalloc() calls above 8 KiB, which "
          "/proc/meminfo counts as `Slab` and /proc/slabinfo does not show. Direct's row "
          "is the path without a proxy (the client's socket and the backend's), so "
          "**above direct** is what the system under test costs: its kernel memory "
          "beyond direct's plus its own resident memory. Per connection; "
          "1 KiB = 1024 bytes.")
        w("")
        w("| system | kernel | of it slab caches | the rest | process RSS | above direct |")
        w("| --- | ---: | ---: | ---: | ---: | ---: |")
        base = mem.get("direct")
        for s in SYSTEMS:
            na = [r["na"] for r in doc["results"]
                  if r["scenario"] == "idle" and r["system"] == s and r.get("na")]
            if na:
                w(f"| {NAMES[s]} | n/a: {na[0]} | | | | |")
                continue
            m = mem.get(s)
            if not m:
                continue
            above = "—"
            if base and s != "direct":
                above = kib(m["kernel"] - base["kernel"] + (m["rss"] or 0))
            rss = m["rss"] if s not in ("direct", "splicer") else None
            w(f"| {NAMES[s]} | {kib(m['kernel'])} | {kib(m['slab'])} | "
              f"{kib(m['kernel'] - m['slab'])} | {kib(rss)} | {above} |")
        w("")
        w("The slab caches that grew most, in bytes per connection:")
        w("")
        for s in SYSTEMS:
            m = mem.get(s)
            if m:
                w(f"- {NAMES[s]}: " + ", ".join(f"`{k}` {d:,.0f}" for d, k in m["caches"]))
    w("")
    w("## In short")
    w("")
    for line in summary(doc, idx, pl, mem):
        w(f"- {line}")
    w("")
    w("## Versions")
    w("")
    w(f"- Guest kernel: {g['kernel']} ({g['kernel_build']})")
    for p, v in sorted(g["packages"].items()):
        w(f"- `{p}` {v}")
    w(f"- {doc['host']['qemu']}, host CPU: {doc['host']['cpu']}")
    w("")
    sys.stdout.write("\n".join(out))


def tls_section(doc, idx, w):
    scns = tls_scenarios(doc)
    if not scns:
        return
    g = doc["guest"]
    t = g.get("tls", {})
    w("")
    w("## TLS")
    w("")
    w("One server in the pool; the same client, backend and balancer settings as above, "
      "with TLS between the client and the system under test: the balancers speak plain "
      "HTTP to the backend; for direct, the backend itself terminates TLS.")
    w("")
    if t:
        w(f"- **The same TLS for every system**: {t['protocol']}, "
          f"`{t['ciphersuite']}`, key exchange {t['group']}, one {t['certificate']} "
          "certificate made with openssl at the start of the run. The clients (wrk, curl "
          "for the warm-up, `openssl s_client` for the check) get an `OPENSSL_CONF` that "
          "offers only that; the servers issue no session ticket and keep no session cache, "
          "so every new connection is a full handshake (an X25519 exchange and an ECDSA "
          "signature). `openssl s_client` checked, per system, what was negotiated and "
          "that a second connection could not resume the first's session (below).")
    w("- **direct**: the backend nginx terminating TLS itself (`listen 8443 ssl`, "
      "`ssl_protocols TLSv1.3`, `ssl_conf_command Ciphersuites` and `NumTickets 0`, "
      "`ssl_session_tickets off`, `ssl_session_cache off`), reached through `lb`: one TLS "
      "termination and no proxy, the ceiling.")
    w("- **splicer relay**: a second service, `tls on`, on 198.18.0.1:443, "
      "`splicer-handshaked` (1 worker, `ticket-lifetime 0`) in `lb` "
      "([tls.md](tls.md)): the daemon does the handshake with OpenSSL in user space and "
      "installs kTLS both ways, then splicer relays the plaintext in the kernel; kTLS "
      "encrypts with the kernel's AES-GCM"
      + (f" (`{t['kernel_gcm_aes']}`)" if t.get("kernel_gcm_aes") else "") + ". "
      "**splicer splice** does not apply: a kTLS leg stays on the relay.")
    w("- **HAProxy** (`bind 198.18.0.1:443 ssl crt`, `ssl-min-ver TLSv1.3`, "
      "`ssl-default-bind-ciphersuites`, `no-tls-tickets`, `tune.ssl.cachesize 0`, and "
      "`NumTickets 0` through `OPENSSL_CONF`: with `no-tls-tickets` and no cache OpenSSL "
      "still sends a TLS 1.3 ticket, which clients then offer in vain) and **nginx** (`listen 198.18.0.1:443 ssl`, the backend's "
      "TLS settings): OpenSSL in user space"
      + (f" ({' '.join(t['openssl'].split()[:2])})" if t.get("openssl") else "") +
      ", no kTLS.")
    hs = g["wrk"].get("seconds_handshakes")
    if hs and hs != g["wrk"]["seconds"]:
        w(f"- wrk runs {hs} s of guest time for the handshake figure ({g['wrk']['seconds']} s "
          f"for the others): its {g['wrk']['conns']} connections start their handshakes at "
          "once and those still in flight at the end are lost, which weighs less in a "
          "longer run.")
    w("")
    systems = [s for s in TLS_SYSTEMS]
    w("| scenario | " + " | ".join(NAMES[s] for s in systems) + " |")
    w("| --- | " + " | ".join("---:" for _ in systems) + " |")
    fails = []
    for scn in scns:
        title, unit, _ = TITLES[scn]
        direct = lookup(idx, scn, "direct", 1)
        haproxy = lookup(idx, scn, "haproxy", 1)
        cells = []
        for s in systems:
            r = lookup(idx, scn, s, 1)
            cells.append(cell(scn, r, direct, haproxy, s))
            if r and r.get("failed"):
                fails.append(f"{NAMES[s]}, {title}: {r['failed']}")
        w(f"| {title} ({unit}) | " + " | ".join(cells) + " |")
    w("")
    w("Cells: the figure, then (× direct / × HAProxy). " +
      "; ".join(f"{TITLES[scn][0]}: {TITLES[scn][2]}" for scn in scns) + ".")
    nas = {r["na"] for scn in scns for r in [lookup(idx, scn, "splicer-splice", 1)]
           if r and r.get("na")}
    if nas:
        w(f"splicer splice n/a: {'; '.join(sorted(nas))}.")
    if fails:
        w("")
        w("**Failed** (the reason, as the run found it: splicer's counters, its decision "
          "log, the daemon's last log line; details in bench/results.json):")
        w("")
        for f in fails:
            w(f"- {f}")
    w("")
    w("What each system negotiated (`openssl s_client` with the clients' configuration):")
    w("")
    for s in systems:
        info = None
        for scn in scns:
            r = lookup(idx, scn, s, 1)
            if usable(r) and r.get("tls"):
                info = r["tls"]
                break
        if not info:
            continue
        text = (f"- {NAMES[s]}: {info['protocol']} `{info['cipher']}`, {info['group']}, "
                f"{info['signature']} signature, resumption: {info['resumption']}")
        if info.get("splicer_log"):
            text += ("; splicer's log of the warm-up connections: " +
                     ", ".join(f"`{x}`" for x in info["splicer_log"] if x))
        if not info.get("as_intended"):
            text += " ⚠ **not the intended TLS**"
        w(text + ".")
    r = lookup(idx, "tls-close-1k", "splicer", 1)
    if usable(r) and r.get("splicer"):
        c = r["splicer"]
        w("")
        w(f"splicer's counters over the handshake run: {c.get('tls_handshakes', 0):,} "
          f"handshakes completed, {c.get('tls_failed', 0):,} failed, "
          f"{c.get('tls_refused', 0):,} refused, for {r['requests']:,} requests answered "
          "(wrk counts the answers within its time; handshakes still in flight at the end "
          "count in splicer only).")
        why = r.get("tls_failed_why")
        if why:
            reasons = why.get("reasons", {})
            text = (f"The same run again, not measured, with splicer's decision log read: "
                    f"{why['tls_handshakes']:,} handshakes completed, {why['tls_failed']:,} "
                    f"failed, {why['logged_failures']:,} of them logged, as " +
                    ", ".join(f"`{k}` × {v:,}" for k, v in reasons.items()) + ".")
            if reasons and all("reset by the client" in k for k in reasons) \
                    and why["tls_failed"] <= g["wrk"]["conns"]:
                text += (f" At most one per wrk connection ({g['wrk']['conns']}), each reset "
                         "by the client: consistent with the handshakes wrk still had open "
                         "when its time was up.")
            w("")
            w(text)


def rule_shape_text(doc, shape):
    """What the rules of SHAPE are and what the request is, in words."""
    g = doc["guest"]["rules"]
    if shape == "prefix":
        prefix = g.get("prefix", "?")
        return ("rule *i* < *N* − 1 is `prefix /pNNNN/ pool app`, the last "
                f"`prefix {prefix} pool app`, and every request is `GET {prefix}1k` (the same "
                "length as the others' prefixes; no rule names a host)")
    host = g.get("host", "?")
    return ("rule *i* < *N* − 1 is `host hNNNN.bench.example pool app`, the last "
            f"`host {host} pool app`, and every request carries `Host: {host}` (the same "
            "length as the others' hosts)")


def rules_section(doc, idx, w):
    ridx = rules_index(doc)
    counts = [n for n in rule_counts(doc) if any((s, n) in ridx for s in RULE_SCENARIOS)]
    if not counts:
        return
    shapes = [(shape, [s for s in scns if any((s, n) in ridx for n in counts)])
              for shape, scns in RULE_SHAPES.items()]
    shapes = [(shape, scns) for shape, scns in shapes if scns]
    w("")
    w("## Content rules: the cost of a long rule list")
    w("")
    w("splicer relay, one server, `persist web cookie`, `inspect on`, and *N* content rules "
      "([content-switching.md](content-switching.md)) of which the request matches only "
      "the last. Evaluated one by one in order, each decision would compare the request "
      "with all *N*: the worst case; content-switching.md (*The cost of a decision*) says "
      "which rules an index finds without that. With `inspect on` "
      "every request of a keep-alive connection is decided; with a new connection per "
      "request, each request is its connection's one decision. The rules were added with "
      "one `splicerctl -b` batch; the hits were checked after each run (only the last rule "
      "counts any). Cells: the figure, then × the figure with 1 rule.")
    for shape, scns in shapes:
        w("")
        w(f"**{shape.capitalize()} rules**: {rule_shape_text(doc, shape)}.")
        w("")
        w("| rules | " + " | ".join(f"{TITLES[s][0]} ({TITLES[s][1]})" for s in scns) + " |")
        w("| ---: | " + " | ".join("---:" for _ in scns) + " |")
        for n in counts:
            cells = []
            for s in scns:
                r = ridx.get((s, n))
                base = ridx.get((s, 1))
                if not r:
                    cells.append("missing")
                    continue
                v = figure(s, r)
                text = fmt(v)
                if base and n != 1:
                    text += f" ({v / figure(s, base):.2f}×)"
                e = errors(r)
                if e:
                    text += f" ⚠ {e:,} errors"
                if not r.get("hits_ok", False):
                    text += (f" ⚠ hits: last rule {r.get('hits_last')}, "
                             f"others {r.get('hits_others')}")
                cells.append(text)
            w(f"| {n:,} | " + " | ".join(cells) + " |")
    ref = [(s, idx.get((s, "splicer", 1))) for s in ("ka-1k", "close-1k")]
    ref = [(s, r) for s, r in ref if usable(r)]
    if ref:
        w("")
        w("For comparison, splicer relay with one server, no rules and no `inspect` "
          "(Throughput above): " +
          ", ".join(f"{REF_LABELS[s]} {fmt(figure(s, r))} {TITLES[s][1]}"
                    for s, r in ref) + ".")


def span(vals):
    lo, hi = min(vals), max(vals)
    return f"{lo:.2f}×" if f"{lo:.2f}" == f"{hi:.2f}" else f"{lo:.2f}–{hi:.2f}×"


def summary(doc, idx, pl, mem):
    """Plain sentences computed from the figures: ranges over the pool sizes,
    and every place where splicer is behind HAProxy or nginx."""
    lines = []
    for scn in scenarios(doc):
        title = TITLES[scn][0]
        direct = idx.get((scn, "direct", 1))
        parts, behind = [], {}
        for system in ("splicer", "splicer-splice"):
            rs = [(n, idx.get((scn, system, n))) for n in pl]
            rs = [(n, r) for n, r in rs if r and not r.get("na")]
            if not rs or not direct:
                continue
            vd = [figure(scn, r) / figure(scn, direct) for _, r in rs]
            text = f"{NAMES[system]} {span(vd)} of direct"
            vh = []
            for n, r in rs:
                for other in ("haproxy", "nginx"):
                    o = idx.get((scn, other, n))
                    if not o:
                        continue
                    ratio = figure(scn, r) / figure(scn, o)
                    if other == "haproxy":
                        vh.append(ratio)
                    if ratio < 0.95:
                        behind.setdefault((system, other), []).append((n, ratio))
            if vh:
                text += f", {span(vh)} of HAProxy"
            c = [r["splicer"] for _, r in rs if r.get("splicer")]
            if system == "splicer-splice" and c:
                text += (f" ({sum(x['spliced'] for x in c):,} of "
                         f"{sum(x['conns'] for x in c):,} connections spliced)")
            parts.append(text)
        if not parts:
            continue
        line = f"{title}: " + "; ".join(parts) + "."
        if behind:
            line += " **Behind**: " + "; ".join(
                f"{NAMES[system]} {span([r for _, r in nr])} of {NAMES[other]} with "
                f"{', '.join(str(n) for n, _ in nr)} server{'s' if len(nr) > 1 or nr[0][0] > 1 else ''}"
                for (system, other), nr in behind.items()) + "."
        lines.append(line)
    for scn in tls_scenarios(doc):
        title = TITLES[scn][0]
        r = lookup(idx, scn, "splicer", 1)
        if r and r.get("failed"):
            lines.append(f"{title}: **splicer failed**: {r['failed']}.")
            continue
        if not usable(r):
            continue
        parts, behind = [], []
        for other in ("direct", "haproxy", "nginx"):
            o = lookup(idx, scn, other, 1)
            if usable(o):
                ratio = figure(scn, r) / figure(scn, o)
                parts.append(f"{ratio:.2f}× {NAMES[other]}")
                if other != "direct" and ratio < 0.95:
                    behind.append(f"{ratio:.2f}× {NAMES[other]}")
        line = f"{title}: splicer relay {fmt(figure(scn, r))} {TITLES[scn][1]}"
        if parts:
            line += ", " + ", ".join(parts)
        if behind:
            line += ". **Behind**: " + ", ".join(behind)
        lines.append(line + ".")
    ridx = rules_index(doc)
    counts = rule_counts(doc)
    if counts and max(counts) > 1:
        n = max(counts)
        for shape, scns in RULE_SHAPES.items():
            parts = []
            for scn in scns:
                r, base = ridx.get((scn, n)), ridx.get((scn, 1))
                if r and base:
                    parts.append(f"{RULE_LABELS[scn]} {figure(scn, r) / figure(scn, base):.2f}×")
            if parts:
                lines.append(f"{n:,} content rules ({shape}), the request matching the last, "
                             "against 1 rule: " + ", ".join(parts) + ".")
    if mem.get("splicer") and mem.get("haproxy") and mem.get("direct"):
        b = mem["direct"]["kernel"]
        sp = mem["splicer"]["kernel"] - b
        ha = mem["haproxy"]["kernel"] - b + (mem["haproxy"]["rss"] or 0)
        text = (f"An idle connection costs {kib(sp)} above direct through splicer, all of it "
                f"kernel memory, and {kib(ha)} through HAProxy (kernel and resident memory): "
                f"{sp / ha:.1f}× HAProxy's.")
        if sp > ha * 1.05:
            text = "**splicer uses more memory than HAProxy**: " + text[0].lower() + text[1:]
        lines.append(text)
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="verb", required=True)
    c = sub.add_parser("collect")
    c.add_argument("--log", required=True)
    c.add_argument("--wall-seconds", type=int, default=0)
    c.add_argument("--cpu-seconds", type=int, default=0)
    c.add_argument("--command", default="make bench")
    c.add_argument("--qemu", default="")
    c.add_argument("--host-cpu", default="")
    c.add_argument("--commit", default="")
    c.add_argument("--dirty", default="")
    k = sub.add_parser("check")
    k.add_argument("json")
    m = sub.add_parser("markdown")
    m.add_argument("json")
    args = ap.parse_args()
    {"collect": collect, "check": check, "markdown": markdown}[args.verb](args)


if __name__ == "__main__":
    main()
