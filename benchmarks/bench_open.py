"""Opening big boards in the window (issue 16): time, peak memory, responsiveness.

Generated boards of 1,000, 5,000 and 20,000 nodes (chains, stars, binary
trees, and DAGs where each node calls the next three, at most 20,000 edges as
in bench_analysis.py) are opened through the window's real file controller
on the offscreen platform, each in a fresh process:

- read: reading and validating the file (``load_path``), which the open does first;
- open stall: what ``FileController.open_path`` does once the file is read
  (``_load_document``: the board's contents replaced, scene, outline, panels):
  how long the GUI thread is held after the read;
- longest gap: from the open's return until the canvas has every item (a big
  board's items are built in steps, ``BoardScene.building``) and two seconds
  more, the longest time the GUI thread went without serving a 10 ms timer
  (a frozen window shows here); built: when the canvas had every item;
- each stall also as the GUI thread's CPU time (``time.thread_time``), which the
  machine's other load does not inflate: wall time on a loaded machine is
  several times the CPU time;
- peak: the process's peak resident memory minus its size before opening;
- the exponent k of a least-squares fit cost ∝ nᵏ (bench_analysis.exponent).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_open.py [--quick] [--shapes chain,star] [--baseline REV]``
(``--sizes 5000,20000`` picks sizes). Target (issue 16): the window opens any board ``validate``
accepts and stays responsive: no GUI stall over ~0.2 s after the file is read.

Measured 2026-12-01 on the shared 2-core machine, load average 10-13 (times
are 3-5x an idle laptop's; the exponents hold). Before this work a 1,000-node
chain took 37 s to open (19 s of it fitting table columns over every row, and
the bottleneck hints on the GUI thread); now:

    chain   1000/5000/20000 nodes:  5.4/35.1/112.7 s,  32/135/522 MiB, longest gap after 0.9/9.2/9.3 s
    star    1000/5000/20000 nodes:  7.3/30.4/181.2 s,  33/146/567 MiB, longest gap after 0.8/3.9/19.1 s
    tree    1000/5000/20000 nodes:  8.7/39.5/141.9 s,  31/131/495 MiB, longest gap after 0.7/2.1/23.1 s
    dag     1000/5000/6666 nodes:  20.0/90.7/115.9 s,  49/223/300 MiB, longest gap after 1.6/8.4/12.4 s
    fitted exponents (time, memory): chain 1.02, 0.93; star 1.07, 0.95; tree 0.93, 0.93; dag 0.93, 0.95

Every board opens and the cost grows linearly, but big boards are still slow
and the window is not yet responsive after opening one: the first round of
events after the open (first paint of every item at zoom-to-fit, the scene's
index, the outline and the panels' refreshes) blocks for seconds.

After the chunked build (docs/LIMITS.md, "Big boards in the window"), measured
2026-12-01 on the same machine at load average 18-20 (wall times there are ten
times the CPU times; compare the GUI thread's CPU), chain boards:

    --sizes 5000 --baseline dcb2942 (old → new), GUI-thread CPU:
      stall after the read 3.8 → 0.07 s, longest turn after 2.0 → 0.32 s
    --sizes 20000 (new, before the collector freeze): stall after the read 0.39 s,
      longest turn 1.1 s of CPU (the build had not finished in 600 s of wall time)
    --sizes 5000 (final code): stall after the read 0.10 s, longest turn 0.20 s of CPU
      (wall 0.26 s and 1.05 s), every item built 23.6 s after the open

An instrumented run at 3,000 nodes gives a longest turn of 0.1 s of CPU; the
turns left over 0.1 s are the far drawing of the edges regrouping every edge
(``far.FarEdges``, a quarter of the board at a time) and Qt's repaint of the
node items.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_analysis import SIZES, exponent, node_count
from benchmarks.targets import ROOT, add_baseline_option, finish, report

STALL_S = 0.2
"""The longest the GUI thread may be held after the file is read (issue 16)."""

CHILD_OPEN = """
import json, os, resource, sys, tempfile, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QStandardPaths, QTimer
QStandardPaths.setTestModeEnabled(True)
from PySide6.QtWidgets import QApplication
import psutil
from models.fileformat import load_path
from models.synthetic import board_data
app = QApplication([])
from app.ui.main_window import MainWindow
window = MainWindow()
window.show()
app.processEvents()
shape, n, fan = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
folder = tempfile.mkdtemp()
path = os.path.join(folder, "board.cboard")
with open(path, "w", encoding="utf-8") as handle:
    json.dump(board_data(shape, n, fan), handle)
started, started_cpu = time.perf_counter(), time.thread_time()
load_path(path)
read, read_cpu = time.perf_counter() - started, time.thread_time() - started_cpu
before = psutil.Process().memory_info().rss
loading = []
load_document = window.files._load_document
def timed_load(*args, **kwargs):  # what the open does once the file is read
    at, at_cpu = time.perf_counter(), time.thread_time()
    load_document(*args, **kwargs)
    loading.append((time.perf_counter() - at, time.thread_time() - at_cpu))
window.files._load_document = timed_load
started, started_cpu = time.perf_counter(), time.thread_time()
opened = window.files.open_path(path, ask=False)
seconds, open_cpu = time.perf_counter() - started, time.thread_time() - started_cpu
gaps, cpu_gaps, last, last_cpu = [0.0], [0.0], [time.perf_counter()], [time.thread_time()]
def tick():
    now, cpu = time.perf_counter(), time.thread_time()
    gaps.append(now - last[0])
    cpu_gaps.append(cpu - last_cpu[0])
    last[0], last_cpu[0] = now, cpu
timer = QTimer()
timer.timeout.connect(tick)
timer.start(10)
opened_at = last[0] = time.perf_counter()
last_cpu[0] = time.thread_time()
built = None
end = opened_at + 2.0
while time.perf_counter() < end or (built is None and time.perf_counter() < opened_at + 600):
    app.processEvents()
    if built is None and not getattr(window.scene, "building", False):
        built = time.perf_counter() - opened_at
        end = time.perf_counter() + 2.0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
print(json.dumps({"opened": opened, "seconds": seconds, "read": read, "peak": peak, "gap": max(gaps),
                  "cpu_gap": max(cpu_gaps),
                  "stall": loading[0][0], "stall_cpu": loading[0][1], "read_cpu": read_cpu,
                  "built": built, "items": len(window.scene.items())}), flush=True)
os._exit(0)
"""


def child(*args: object) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", CHILD_OPEN, *map(str, args)], capture_output=True, text=True,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the two smaller sizes")
    parser.add_argument("--sizes", default="", help="comma-separated board sizes (default 1000,5000,20000)")
    parser.add_argument("--shapes", default="chain,star,tree,dag")
    add_baseline_option(parser)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else SIZES[:2] if args.quick else SIZES
    results = []
    print("window open: read s, open stall after the read s, longest GUI gap after s, built after s, peak MiB")
    for shape in args.shapes.split(","):
        ns, times, peaks = [], [], []
        for size in sizes:
            n = node_count(shape, size)
            measured = child(shape, n, 3)
            ns.append(n + 1)
            times.append(float(measured["seconds"]))  # type: ignore[arg-type]
            peaks.append(max(float(measured["peak"]), 1.0))  # type: ignore[arg-type]
            read, stall = float(measured["read"]), float(measured["stall"])  # type: ignore[arg-type]
            stall_cpu = float(measured["stall_cpu"])  # type: ignore[arg-type]
            gap, built = float(measured["gap"]), float(measured["built"] or 0.0)  # type: ignore[arg-type]
            gap_cpu = float(measured["cpu_gap"])  # type: ignore[arg-type]
            print(f"  {shape:<6} {n + 1:>6} nodes  read {read:6.2f} s  open stall {stall:6.2f} s "
                  f"(CPU {stall_cpu:5.2f})  longest gap {gap:6.2f} s (CPU {gap_cpu:5.2f})  "
                  f"built after {built:6.2f} s  {peaks[-1] / 2**20:7.1f} MiB  items {measured['items']}", flush=True)
            name = f"{shape} {n + 1}"
            report(f"{name}: open stall after the read, wall", stall, "s", STALL_S, higher_is_better=False)
            report(f"{name}: open stall after the read, GUI CPU", stall_cpu, "s", STALL_S, higher_is_better=False)
            report(f"{name}: longest GUI gap after, wall", gap, "s", STALL_S, higher_is_better=False)
            report(f"{name}: longest GUI gap after, GUI CPU", gap_cpu, "s", STALL_S, higher_is_better=False)
            report(f"{name}: every item built after, wall", built, "s", higher_is_better=False)
        if len(ns) > 1:
            line = f"  {shape:<6} fitted exponent: time {exponent(ns, times):.2f}, memory {exponent(ns, peaks):.2f}"
            results.append(line)
            print(line, flush=True)
    print("RESULTS")
    print("\n".join(results))
    finish(args, sys.argv)


if __name__ == "__main__":
    main()
