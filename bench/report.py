#!/usr/bin/env python3
"""Turns the measurements of bench/compare.sh into Markdown tables.

    python3 bench/report.py RESULTS.tsv SIZES.txt
    python3 bench/report.py same NAGARE_RUN.json PEER_OUTPUT.json   (exit 0 when equal)

RESULTS.tsv has one line a measurement, tab-separated:
    section workload size tool status runs median_us min_us max_us median_kb user_us sys_us
(status `ok`, or what went wrong; times in microseconds of wall time, the
median of the counted runs; memory the median of each run's peak RSS in KiB;
user and system CPU time the medians of each run's, as the kernel accounts them).
Prints the tables with the ratios peer/nagare and a PASS/MISS line for each
target of issue 8.
"""

import sys
from collections import namedtuple

Row = namedtuple("Row", "section workload size tool status runs median_us min_us max_us median_kb user_us sys_us")

LABELS = {
    "chain": "Pass chain (states)",
    "loop": "Pass/Choice loop (transitions)",
    "map": "Map (items)",
    "parallel": "Parallel (branches)",
    "retry": "retry-heavy Task (failures)",
}
UNITS = {"chain": "state", "loop": "transition", "map": "item", "parallel": "branch", "retry": "retry"}


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 12:
                continue
            row = Row(parts[0], parts[1], int(parts[2]), parts[3], parts[4], *map(int, parts[5:]))
            rows[(row.section, row.workload, row.size, row.tool)] = row
    return rows


def sizes_of(path):
    sizes = {}
    with open(path) as f:
        for line in f:
            name, *rest = line.split()
            sizes[name] = rest
    return sizes


def secs(row):
    return row.median_us / 1e6


def mb(row):
    return row.median_kb * 1024 / 1e6


def cell(row):
    """`0.123 s, 45 MB`, or why there is no figure."""
    if row is None:
        return "not run"
    if row.status != "ok":
        return f"ERROR ({row.status[:60].strip()}…)"
    s = secs(row)
    text = f"{s:.4f} s" if s < 0.1 else f"{s:.3f} s" if s < 10 else f"{s:.1f} s"
    return f"{text}, {mb(row):.0f} MB"


def ratio(peer, base, what="time"):
    if peer is None or base is None or peer.status != "ok" or base.status != "ok":
        return "—"
    if what == "time":
        return f"{secs(peer) / secs(base):.1f}x"
    return f"{mb(peer) / mb(base):.1f}x"


def spread(row):
    """The fastest and slowest of the counted runs."""
    if row is None or row.status != "ok":
        return ""
    return f"{row.min_us / 1e6:.3f}–{row.max_us / 1e6:.3f} s"


def cpu(row):
    """The user and system CPU seconds."""
    if row is None or row.status != "ok":
        return ""
    return f"{row.user_us / 1e6:.2f} + {row.sys_us / 1e6:.2f}"


def table(header, lines):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in line) + " |" for line in lines]
    return "\n".join(out)


def verdict(ok):
    return "PASS" if ok else "**MISS**"


def same(nagare_out, peer_out):
    """Whether a peer's output (JSON on stdout) is the `output` of nagare's JSON result."""
    import json
    with open(nagare_out) as f:
        ours = json.load(f).get("output")
    with open(peer_out) as f:
        theirs = json.load(f)
    return ours == theirs


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "same":
        sys.exit(0 if same(sys.argv[2], sys.argv[3]) else 1)
    rows = load(sys.argv[1])
    sizes = sizes_of(sys.argv[2])
    get = rows.get
    targets = []  # (target, measured, verdict)

    # --- validation: ASL definitions -------------------------------------------------
    print("## Validation: ASL definitions (Pass chains)\n")
    print("`nagare check FILE` vs `asl-validator --json-path FILE` vs `statelint FILE`; "
          "whole process, median wall time and median peak RSS.\n")
    lines = []
    for n in map(int, sizes["validate"]):
        nag = get(("validate", "asl", n, "nagare"))
        asl = get(("validate", "asl", n, "asl-validator"))
        stl = get(("validate", "asl", n, "statelint"))
        peers = [p for p in (asl, stl) if p is not None and p.status == "ok"]
        fastest = min(peers, key=secs) if peers else None
        lines.append([f"{n:,}", cell(nag), cell(asl), cell(stl), ratio(asl, nag), ratio(stl, nag),
                      ratio(asl, nag, "mem"), ratio(stl, nag, "mem")])
        if fastest is not None and nag is not None and nag.status == "ok":
            r = secs(fastest) / secs(nag)
            targets.append((f"check of a {n:,}-state definition >= 20x faster than the fastest validator "
                            f"({fastest.tool})", f"{r:.1f}x", verdict(r >= 20)))
    print(table(["states", "nagare check", "asl-validator", "statelint", "asl-validator/nagare time",
                 "statelint/nagare time", "asl-validator/nagare mem", "statelint/nagare mem"], lines))

    # --- validation: flows -----------------------------------------------------------
    print("\n## Flows: `nagare check` and `nagare compile` of a chain of stages\n")
    print('Each stage `task sN after sN-1 { run lambda "f" }`; `compile` writes the ASL to /dev/null.\n')
    lines = []
    for n in map(int, sizes["validate"]):
        chk = get(("validate", "flow-check", n, "nagare"))
        cmp_ = get(("validate", "flow-compile", n, "nagare"))
        lines.append([f"{n:,}", cell(chk), cell(cmp_)])
    print(table(["stages", "nagare check", "nagare compile"], lines))
    full = int(sizes["validate"][-1])
    chk = get(("validate", "flow-check", full, "nagare"))
    if chk is not None and chk.status == "ok":
        targets.append((f"check of a {full:,}-stage flow < 0.3 s and < 200 MB", cell(chk),
                        verdict(secs(chk) < 0.3 and mb(chk) < 200)))
    cmp_ = get(("validate", "flow-compile", full, "nagare"))
    if cmp_ is not None and cmp_.status == "ok":
        targets.append((f"compile of a {full:,}-stage flow < 0.5 s", cell(cmp_), verdict(secs(cmp_) < 0.5)))

    # --- execution -------------------------------------------------------------------
    print("\n## Execution and growth: `nagare run` vs aws-local-stepfunctions\n")
    print("`nagare run DEF --input IN --format json --max-transitions 100000000 > /dev/null` vs "
          "`node bench/als_run.mjs DEF IN` (aws-local-stepfunctions, default validation on, output "
          "printed as JSON); whole process. Each workload at 1/8, 1/4, 1/2 and its full size (in bold; "
          "the targets are judged there); per-unit figures are nagare's median wall time divided by the "
          "size. The retry workload is answered by a mock configuration in nagare (`--mock-config`, "
          "calls 0..N-1 throw `Flaky`, call N returns) and by a local task handler in "
          "aws-local-stepfunctions (`taskResourceLocalHandlers`, retry interval overridden to 0 ms); "
          "nagare's clock is simulated, so neither sleeps.\n")
    one_n = get(("exec", "one", 1, "nagare"))
    one_a = get(("exec", "one", 1, "als"))
    lines = [["one Pass state (start-up)", "1", cell(one_n), spread(one_n), cpu(one_n), "", cell(one_a),
              ratio(one_a, one_n), ratio(one_a, one_n, "mem")]]
    for kind in LABELS:
        for i, text in enumerate(sizes[kind][:4]):
            n = int(text)
            nag = get(("exec", kind, n, "nagare"))
            als = get(("exec", kind, n, "als"))
            per = f"{secs(nag) / n * 1e6:.2f} µs" if nag is not None and nag.status == "ok" else ""
            size = f"**{n:,}**" if i == 3 else f"{n:,}"
            lines.append([LABELS[kind] if i == 0 else "", size, cell(nag), spread(nag), cpu(nag), per,
                          cell(als), ratio(als, nag), ratio(als, nag, "mem")])
    print(table(["workload", "size", "nagare", "nagare min–max", "nagare CPU user + sys s",
                 "nagare per unit", "aws-local-stepfunctions", "als/nagare time", "als/nagare mem"], lines))

    if one_n is not None and one_n.status == "ok" and one_a is not None and one_a.status == "ok":
        r = secs(one_a) / secs(one_n)
        targets.append(("`nagare run` of a one-state machine >= 10x faster than aws-local-stepfunctions",
                        f"{r:.1f}x", verdict(r >= 10)))
    for kind in LABELS:
        n = int(sizes[kind][3])
        nag = get(("exec", kind, n, "nagare"))
        als = get(("exec", kind, n, "als"))
        if nag is not None and als is not None and nag.status == "ok" and als.status == "ok":
            r = secs(als) / secs(nag)
            targets.append((f"{LABELS[kind].split(' (')[0]} of {n:,} >= 10x faster than aws-local-stepfunctions",
                            f"{r:.1f}x", verdict(r >= 10)))
    if one_n is not None and one_n.status == "ok":
        targets.append(("`nagare run` of a one-state machine < 20 ms", f"{secs(one_n) * 1000:.1f} ms",
                        verdict(secs(one_n) < 0.020)))
    n = int(sizes["loop"][3])
    loop = get(("exec", "loop", n, "nagare"))
    if loop is not None and loop.status == "ok":
        targets.append((f"Pass/Choice loop of {n:,} transitions < 0.2 s (--format json)",
                        f"{secs(loop):.3f} s ({n / secs(loop):,.0f} transitions/s)", verdict(secs(loop) < 0.2)))
    n = int(sizes["map"][3])
    mp = get(("exec", "map", n, "nagare"))
    if mp is not None and mp.status == "ok":
        targets.append((f"Map of {n:,} items < 0.6 s and < 300 MB", cell(mp),
                        verdict(secs(mp) < 0.6 and mb(mp) < 300)))

    # --- moto ------------------------------------------------------------------------
    print("\n## moto's executor, at the sizes it can run\n")
    print("`python bench/moto_run.py DEF IN`: moto 5 in process (`mock_aws`, `execute_state_machine`), "
          "one process per execution, polled every 10 ms; whole process, including about 1.5 s of "
          "importing boto3 and moto (the one-state row shows it). The retry workload is not run: "
          "moto's Task states invoke a real Lambda in Docker.\n")
    lines = [["one Pass state (start-up)", "1", cell(get(("exec", "one", 1, "moto"))), cell(one_n),
              ratio(get(("exec", "one", 1, "moto")), one_n), cell(one_a),
              ratio(get(("exec", "one", 1, "moto")), one_a)]]
    for kind in LABELS:
        if sizes[kind][4] == "-":
            continue
        n = int(sizes[kind][4])
        moto = get(("exec", kind, n, "moto"))
        nag = get(("exec", kind, n, "nagare"))
        als = get(("exec", kind, n, "als"))
        lines.append([LABELS[kind], f"{n:,}", cell(moto), cell(nag), ratio(moto, nag), cell(als), ratio(moto, als)])
    print(table(["workload", "size", "moto", "nagare", "moto/nagare time", "aws-local-stepfunctions",
                 "moto/als time"], lines))

    # --- targets ---------------------------------------------------------------------
    print("\n## Targets (issue 8)\n")
    print(table(["target", "measured", "verdict"], targets))
    missed = sum(1 for t in targets if t[2] != "PASS")
    print(f"\n{len(targets) - missed} of {len(targets)} targets met.")


if __name__ == "__main__":
    main()
