"""Cost of ``analyze`` and of loading/validating as boards and lists grow (issue 16).

1. ``analyze`` on generated boards of 1,000, 5,000 and 20,000 nodes: chains,
   stars, binary trees and DAGs (each node calls the next three; a board may
   hold 20,000 edges, so the largest DAG has 6,666 nodes). CPU time and
   peak traced memory of the analysis, each in a fresh process, and the
   exponent k of a least-squares fit cost ∝ nᵏ (1 is linear; n log n fits
   about 1.1 over this range).
2. Loading (what ``validate`` does) a board holding a list of 10k, 40k and
   400k entries: ink points (valid), and empty findings (every one an error;
   above 20,000 entries the list is refused before validation).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_analysis.py [--quick]``.
Target (issue 16): k at most about 1.1 for time and memory; validate linear.

Measured 2026-11-30 on the shared 2-core build machine under a load average
of about 11 (so absolute times are 2-4x an idle laptop's; the exponents hold):

    chain  1000/5000/20000 nodes: 0.31/1.73/10.89 s, 4.4/21.6/104.9 MiB: k time 1.18, memory 1.06
    star   1000/5000/20000 nodes: 0.21/1.38/6.96 s,  4.3/17.1/79.7 MiB:  k time 1.17, memory 0.97
    tree   1000/5000/20000 nodes: 0.25/1.96/8.93 s,  4.6/17.7/90.1 MiB:  k time 1.20, memory 0.99
    dag    1000/5000/6666 nodes:  0.44/3.00/4.17 s,  6.3/30.5/42.1 MiB:  k time 1.19, memory 0.99
    points 10k/40k/400k entries: 0.03/0.13/1.27 s: k 1.05 (valid)
    findings 10k/40k/400k: 0.10/0.06/0.67 s: 500 problems listed, then counted; above 20,000 refused at once

Before this work a 26-node DAG took over 35 s, chains of 1,000 raised
RecursionError, and 40,000 empty findings took 35 s.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SIZES = (1_000, 5_000, 20_000)
DAG_FAN_OUT = 3
LIST_SIZES = (10_000, 40_000, 400_000)

CHILD_ANALYZE = """
import json, sys, time, tracemalloc
from models.analysis import analyze
from models.fileformat import document_from_data
from models.synthetic import board_data
shape, n, fan = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
document = document_from_data(board_data(shape, n, fan))
started = time.process_time()
result = analyze(document)
seconds = time.process_time() - started
document = document_from_data(board_data(shape, n, fan))  # a new document: nothing cached
tracemalloc.start()
analyze(document)
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({"seconds": seconds, "peak": peak, "limits": result["limits"]}))
"""

CHILD_LOAD = """
import json, sys, time
from models.errors import BoardLoadError
from models.fileformat import load_bytes
kind, n = sys.argv[1], int(sys.argv[2])
if kind == "points":
    data = {"format_version": 1, "annotations": [{"id": "ink", "kind": "ink", "points": [[1.0, 1.5]] * n}]}
else:
    data = {"format_version": 1, "findings": [{}] * n}
raw = json.dumps(data).encode()
started = time.process_time()
try:
    load_bytes(raw, "bench")
    outcome = "ok"
except BoardLoadError as error:
    outcome = f"{len(error.problems)} problems listed, first: {error.problems[0]}"
print(json.dumps({"seconds": time.process_time() - started, "bytes": len(raw), "outcome": outcome}))
"""


def child(script: str, *args: object) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT)}, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def exponent(sizes: list[int], costs: list[float]) -> float:
    """The slope of log(cost) against log(size), least squares."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(c, 1e-9)) for c in costs]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def node_count(shape: str, size: int) -> int:
    """Service nodes for a board of ``size`` nodes (one is the users node), edges within the limit."""
    if shape == "dag":
        return min(size, 20_000 // DAG_FAN_OUT) - 1
    return size - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the two smaller sizes")
    args = parser.parse_args()
    sizes = SIZES[:2] if args.quick else SIZES
    print("analyze: CPU seconds and peak traced MiB of one analysis")
    for shape in ("chain", "star", "tree", "dag"):
        ns, times, peaks = [], [], []
        for size in sizes:
            n = node_count(shape, size)
            measured = child(CHILD_ANALYZE, shape, n, DAG_FAN_OUT)
            ns.append(n + 1)
            times.append(float(measured["seconds"]))  # type: ignore[arg-type]
            peaks.append(float(measured["peak"]))  # type: ignore[arg-type]
            limits = "; ".join(str(text).split(":")[0] for text in measured["limits"]) or "none"  # type: ignore[attr-defined]
            print(f"  {shape:<6} {n + 1:>6} nodes  {times[-1]:7.2f} s  {peaks[-1] / 2**20:7.1f} MiB  limits: {limits}")
        print(f"  {shape:<6} fitted exponent: time {exponent(ns, times):.2f}, memory {exponent(ns, peaks):.2f}")
    print("load/validate: CPU seconds")
    for kind in ("points", "findings"):
        lengths, times = [], []
        for n in LIST_SIZES:
            measured = child(CHILD_LOAD, kind, n)
            lengths.append(n)
            times.append(float(measured["seconds"]))  # type: ignore[arg-type]
            print(f"  {kind:<8} {n:>7} entries  {measured['bytes']:>9} bytes  {times[-1]:6.2f} s"
                  f"  {measured['outcome']}")
        print(f"  {kind:<8} fitted exponent: time {exponent(lengths, times):.2f}")


if __name__ == "__main__":
    main()
