#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the raw data of bench/guest.sh into bench/results/.

    report.py RAW_DIR RESULTS_DIR [--scale FILE]

latest.json: per scenario, per algorithm, the median and every repetition
of the scenario's metrics, with the kernel and the date.  latest.md: the
medians, dacc's ratio to the best peer, the targets.  PNG plots (gnuplot)
of throughput and cwnd over time for S2, S3 and S6 (first repetition).
"""
import json
import os
import re
import statistics
import subprocess
import sys

WIRE = 1514.0       # bytes on the wire per full segment (netem's rate counts them)
PAYLOAD = 1448.0

# metric, higher is better?, scenario
METRICS = {
    "S1": [("fct_over_ideal", False)],
    "S2": [("jain", True), ("utilisation", True)],
    "S3": [("inflation_ms_p50", False), ("inflation_ms_p99", False), ("utilisation", True)],
    "S4": [("goodput_frac", True)],
    "S5": [("busbw_mbps", True), ("busbw_frac", True)],
    "S5L": [("busbw_mbps", True), ("busbw_frac", True)],
    "S6": [("share_dacc", None)],
}


def load(path):
    with open(path) as f:
        return json.load(f)


def goodput_bps(flow, t0, t1, interval_ms):
    """Mean goodput of a flow between t0 and t1 seconds after its connect()."""
    s = flow["series_bytes"]
    a, b = int(t0 * 1000 / interval_ms), int(t1 * 1000 / interval_ms)
    b = min(b, len(s))
    if b <= a:
        return 0.0
    return sum(s[a:b]) * 8 / ((b - a) * interval_ms / 1000.0)


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return None
    k = (len(xs) - 1) * p / 100.0
    i = int(k)
    return xs[i] if i + 1 >= len(xs) else xs[i] + (xs[i + 1] - xs[i]) * (k - i)


def metrics(scen, d, meta):
    rate = meta["rate_mbit"] * 1e6
    if scen == "S1":
        f = load(os.path.join(d, "srv.json"))["flows"][0]
        # The bottleneck carries the headers too: the bytes take
        # bytes x 8 / goodput capacity, as S2-S5 count the link.
        ideal = 0.100 + (meta["s1_bytes"] + 16) * 8 / (rate * PAYLOAD / WIRE) + 0.050
        return {"fct_over_ideal": f["fct_s"] / ideal, "fct_s": f["fct_s"], "ideal_s": ideal}
    if scen == "S2":
        far = load(os.path.join(d, "srv.json"))
        near = load(os.path.join(d, "near", "srv.json"))
        t1 = meta["s2_secs"]
        x = [goodput_bps(near["flows"][0], 4, t1, near["interval_ms"]),
             goodput_bps(far["flows"][0], 4, t1, far["interval_ms"])]
        jain = sum(x) ** 2 / (len(x) * sum(v * v for v in x)) if sum(x) else 0.0
        return {"jain": jain, "utilisation": sum(x) / (rate * PAYLOAD / WIRE),
                "near_mbps": x[0] / 1e6, "far_mbps": x[1] / 1e6}
    if scen == "S3":
        srv = load(os.path.join(d, "srv.json"))
        base = float(open(os.path.join(d, "base_ms")).read().strip())
        samples = []
        t_first = None
        for line in open(os.path.join(d, "ping.txt")):
            # busybox ping: "... seq=N ttl=64 time=X ms", one every 50 ms
            m = re.search(r"seq=([0-9]+).*time=([0-9.]+)", line)
            if not m:
                continue
            t, rtt = int(m.group(1)) * 0.05, float(m.group(2))
            t_first = t if t_first is None else t_first
            if t - t_first >= 2.0:
                samples.append(rtt - base)
        g = goodput_bps(srv["flows"][0], 2, meta["s3_secs"], srv["interval_ms"])
        return {"inflation_ms_p50": pct(samples, 50), "inflation_ms_p99": pct(samples, 99),
                "utilisation": g / (rate * PAYLOAD / WIRE), "base_ms": base}
    if scen == "S4":
        srv = load(os.path.join(d, "srv.json"))
        g = goodput_bps(srv["flows"][0], 2, meta["s4_secs"], srv["interval_ms"])
        return {"goodput_frac": g / (rate * PAYLOAD / WIRE), "goodput_mbps": g / 1e6}
    if scen in ("S5", "S5L"):
        r = load(os.path.join(d, "ring.json"))
        # Over the WAN's goodput capacity, as S2-S4: headers are not data.
        return {"busbw_mbps": r["busbw_mbps"],
                "busbw_frac": r["busbw_mbps"] * 1e6 / (rate * PAYLOAD / WIRE),
                "time_s": r["time_s"], "rank0_time_s": r.get("rank0_time_s")}
    if scen == "S6":
        srv = load(os.path.join(d, "srv.json"))
        by_id = {f["id"]: f for f in srv["flows"]}
        t1 = meta["s6_secs"]
        a = goodput_bps(by_id[0], 4, t1, srv["interval_ms"])
        b = goodput_bps(by_id[1], 4, t1, srv["interval_ms"])
        return {"share_dacc": a / (a + b) if a + b else 0.0,
                "utilisation": (a + b) / (rate * PAYLOAD / WIRE)}
    raise ValueError(scen)


def plot(scen, raw, meta, outdir, ccs):
    """Throughput and cwnd over time, first repetition, up to three algorithms."""
    show = [c for c in ("dacc", "cubic", "bbr") if c in ccs] or ccs[:3]
    dat = os.path.join(outdir, ".plot-%s" % scen)
    os.makedirs(dat, exist_ok=True)
    tp, cw = [], []
    for cc in show:
        d = os.path.join(raw, "raw", scen, cc, "1")
        parts = [("", "")] + ([("near", " near")] if scen == "S2" else [])
        for sub, label in parts:
            p = os.path.join(d, sub, "srv.json")
            if not os.path.exists(p):
                continue
            srv = load(p)
            for f in srv["flows"]:
                name = "%s%s" % (cc, label)
                if scen == "S2" and not sub:
                    name = cc + " far"
                if scen == "S6":
                    name = "%s (vs cubic)" % cc if f["id"] == 0 else "cubic (vs %s)" % cc
                fn = os.path.join(dat, "tp-%s-%s-%d.dat" % (cc, sub or "main", f["id"]))
                with open(fn, "w") as o:
                    iv = srv["interval_ms"] / 1000.0
                    for i, b in enumerate(f["series_bytes"]):
                        o.write("%.2f %.3f\n" % (i * iv, b * 8 / iv / 1e6))
                tp.append((fn, name))
                cli = os.path.join(d, sub, "cli%d.txt" % f["id"])
                if os.path.exists(cli):
                    cw.append((cli, name))
    if not tp:
        return None
    png = os.path.join(outdir, "%s.png" % scen.lower())
    titles = {"S2": "S2 RTT fairness: 2 ms and 100 ms flows share %g Mbit/s",
              "S3": "S3 queueing: one flow to a 20 ms site, 3000-packet buffer, %g Mbit/s",
              "S6": "S6 coexistence: each algorithm against cubic, 20 ms, %g Mbit/s"}
    g = ["set terminal pngcairo size 1000,750 font ',10'", "set output '%s'" % png,
         "set multiplot layout 2,1 title '%s'" % (titles[scen] % meta["rate_mbit"]),
         "set grid", "set key outside right", "set xlabel 'time (s)'",
         "set ylabel 'goodput (Mbit/s, per 100 ms)'",
         "plot " + ", ".join("'%s' using 1:2 with lines title '%s'" % (f, n) for f, n in tp),
         "set ylabel 'cwnd (packets)'",
         "plot " + ", ".join("'%s' using 1:2 with lines title '%s'" % (f, n) for f, n in cw)
         if cw else "plot 0 notitle",
         "unset multiplot"]
    r = subprocess.run(["gnuplot"], input="\n".join(g) + "\n", text=True,
                       capture_output=True)
    for f in os.listdir(dat):
        os.unlink(os.path.join(dat, f))
    os.rmdir(dat)
    if r.returncode:
        sys.stderr.write("report: gnuplot: %s\n" % r.stderr)
        return None
    return os.path.basename(png)


TARGETS = [
    ("S1", "fct_over_ideal", lambda v: v <= 1.15, "FCT <= 1.15 x ideal"),
    ("S2", "jain", lambda v: v >= 0.95, "Jain >= 0.95"),
    ("S2", "utilisation", lambda v: v >= 0.90, "utilisation >= 90%"),
    ("S3", "inflation_ms_p50", lambda v: v <= 2.0, "RTT inflation p50 <= 2 ms"),
    ("S3", "utilisation", lambda v: v >= 0.93, "utilisation >= 93%"),
    ("S4", "goodput_frac", lambda v: v >= 0.90, "goodput >= 90% of the link"),
    ("S5", "busbw_frac", lambda v: v >= 0.95, "bus bandwidth >= 95% of the WAN (goodput capacity)"),
    ("S6", "share_dacc", lambda v: 0.30 <= v <= 0.70, "share against cubic 30%..70%"),
]


def main():
    args = sys.argv[1:]
    scale = None
    if "--scale" in args:
        i = args.index("--scale")
        scale = args[i + 1]
        del args[i:i + 2]
    raw, outdir = args
    meta = load(os.path.join(raw, "meta.json"))
    os.makedirs(outdir, exist_ok=True)
    res = {"kernel": meta["kernel"], "date": meta["date"], "params": meta, "scenarios": {}}
    failures = []
    for scen in meta["scenarios"]:
        res["scenarios"][scen] = {}
        for cc in meta["ccs"]:
            reps = []
            for rep in range(1, meta["reps"] + 1):
                d = os.path.join(raw, "raw", scen, cc, str(rep))
                try:
                    reps.append(metrics(scen, d, meta))
                except (OSError, ValueError, KeyError, IndexError, ZeroDivisionError) as e:
                    failures.append("%s %s rep %d: %s" % (scen, cc, rep, e))
            entry = {"reps": reps}
            for m, _ in METRICS[scen]:
                vals = [r[m] for r in reps if r.get(m) is not None]
                entry[m] = {"median": statistics.median(vals) if vals else None, "all": vals}
            res["scenarios"][scen][cc] = entry
    if failures:
        res["failures"] = failures

    # S5L: the targets are ratios to cubic and bbr.
    s5l = res["scenarios"].get("S5L", {})
    med = lambda s, cc, m: (res["scenarios"].get(s, {}).get(cc, {}).get(m) or {}).get("median")
    ratios = {}
    d5 = med("S5L", "dacc", "busbw_mbps")
    for peer in ("cubic", "bbr"):
        p = med("S5L", peer, "busbw_mbps")
        if d5 is not None and p:
            ratios[peer] = d5 / p
    if s5l:
        res["s5l_dacc_over"] = ratios

    plots = {}
    for scen in ("S2", "S3", "S6"):
        if scen in meta["scenarios"]:
            p = plot(scen, raw, meta, outdir, meta["ccs"])
            if p:
                plots[scen] = p
    res["plots"] = plots
    with open(os.path.join(outdir, "latest.json"), "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
        f.write("\n")

    # The Markdown table: medians, and dacc's ratio to the best peer.
    cols = [(s, m, hib) for s in meta["scenarios"] for m, hib in METRICS[s]]
    fmt = lambda v: "-" if v is None else ("%.3f" % v if abs(v) < 100 else "%.1f" % v)
    L = ["# dacc benchmark: latest run" +
         (" without profiles (BENCH_NOPROFILE=1)" if meta.get("noprofile") else ""), "",
         "Kernel %s, %s; bottleneck %g Mbit/s; %d repetition(s); medians%s." % (
             meta["kernel"], meta["date"], meta["rate_mbit"], meta["reps"],
             "; tcp_dacc.ko loaded with `%s`" % meta["dacc_params"]
             if meta.get("dacc_params") else ""), "",
         "| algorithm | " + " | ".join("%s %s" % (s, m) for s, m, _ in cols) + " |",
         "| --- |" + " ---: |" * len(cols)]
    for cc in meta["ccs"]:
        L.append("| %s | " % cc + " | ".join(fmt(med(s, cc, m)) for s, m, _ in cols) + " |")
    row = []
    for s, m, hib in cols:
        dv = med(s, "dacc", m)
        peers = [med(s, cc, m) for cc in meta["ccs"] if cc != "dacc"]
        peers = [p for p in peers if p is not None]
        if dv is None or not peers:
            row.append("-")
            continue
        if hib is None:         # a share: the best is the closest to one half
            best = min(peers, key=lambda p: abs(p - 0.5))
        else:
            best = max(peers) if hib else min(peers)
        row.append("%.2f" % (dv / best) if best else "-")
    if "dacc" in meta["ccs"]:
        L.append("| **dacc / best peer** | " + " | ".join(row) + " |")
    L += ["", "Columns: `fct_over_ideal` (completion at the receiver over handshake RTT + "
          "bytes/goodput capacity + one-way delay), `jain` and `utilisation` (goodput over the link's "
          "goodput capacity, %g%% of its rate), `inflation_ms_*` (ping RTT during the flow "
          "minus the idle path's), `goodput_frac`, `busbw_mbps` (nccl-tests bus bandwidth) and "
          "`busbw_frac` (over the WAN's goodput capacity; an iteration lasts from the first "
          "rank's start to the last rank's end), `share_dacc` (the algorithm's share against "
          "one cubic flow). For the `dacc / best peer` row the best peer is the highest, the lowest "
          "for FCT and inflation, the closest to 0.5 for the share." % (100 * PAYLOAD / WIRE), ""]
    if "dacc" in meta["ccs"]:
        L += ["## Targets (dacc medians)", "", "| scenario | target | dacc | met |",
              "| --- | --- | ---: | --- |"]
        for s, m, ok, text in TARGETS:
            v = med(s, "dacc", m)
            if s in meta["scenarios"]:
                L.append("| %s | %s | %s | %s |" % (s, text, fmt(v),
                                                   "-" if v is None else ("yes" if ok(v) else "**no**")))
        if "S5L" in meta["scenarios"]:
            for peer, need in (("cubic", 1.9), ("bbr", 1.0)):
                v = ratios.get(peer)
                L.append("| S5L | bus bandwidth >= %.1f x %s | %s | %s |" % (
                    need, peer, "-" if v is None else "%.2f x" % v,
                    "-" if v is None else ("yes" if v >= need else "**no**")))
        L.append("")
    if plots:
        L += ["## Plots", ""] + ["![%s](%s)" % (s, p) for s, p in sorted(plots.items())] + [""]
    if scale and os.path.exists(scale):
        L += ["## Control plane scale (bench/profile_scale.sh)", "", "```"] + \
             open(scale).read().rstrip().split("\n") + ["```", ""]
    if failures:
        L += ["## Runs that produced no data", ""] + ["- " + f for f in failures] + [""]
    with open(os.path.join(outdir, "latest.md"), "w") as f:
        f.write("\n".join(L))
    print("\n".join(L))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
