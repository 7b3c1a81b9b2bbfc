"""Opening big boards in the window (issue 16): time, peak memory, responsiveness.

Generated boards of 1,000, 5,000 and 20,000 nodes (chains, stars, binary
trees, and DAGs where each node calls the next three, at most 20,000 edges as
in bench_analysis.py) are opened through the window's real file controller
on the offscreen platform, each in a fresh process:

- open: ``FileController.open_path`` until the first round of events is done
  (scene, panels, outline);
- peak: the process's peak resident memory minus its size before opening;
- longest gap: for two seconds after the open, the longest time the GUI
  thread went without serving a 10 ms timer (a frozen window shows here);
- the exponent k of a least-squares fit cost ∝ nᵏ (bench_analysis.exponent).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_open.py [--quick] [--shapes chain,star]``.
Target: the window opens any board ``validate`` accepts, stays responsive
after, and the cost grows about linearly (k near 1).

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
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_analysis import SIZES, exponent, node_count  # noqa: E402

CHILD_OPEN = """
import json, os, resource, sys, tempfile, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QStandardPaths, QTimer
QStandardPaths.setTestModeEnabled(True)
from PySide6.QtWidgets import QApplication
import psutil
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
before = psutil.Process().memory_info().rss
started = time.perf_counter()
opened = window.files.open_path(path, ask=False)
app.processEvents()
seconds = time.perf_counter() - started
gaps, last = [], [time.perf_counter()]
def tick():
    now = time.perf_counter()
    gaps.append(now - last[0])
    last[0] = now
timer = QTimer()
timer.timeout.connect(tick)
timer.start(10)
end = time.perf_counter() + 2.0
while time.perf_counter() < end:
    app.processEvents()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
print(json.dumps({"opened": opened, "seconds": seconds, "peak": peak, "gap": max(gaps),
                  "items": len(window.scene.items())}), flush=True)
os._exit(0)
"""


def child(*args: object) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", CHILD_OPEN, *map(str, args)], capture_output=True, text=True,
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the two smaller sizes")
    parser.add_argument("--shapes", default="chain,star,tree,dag")
    args = parser.parse_args()
    sizes = SIZES[:2] if args.quick else SIZES
    results = []
    print("window open: seconds to open, peak MiB over the window before, longest GUI gap in the 2 s after")
    for shape in args.shapes.split(","):
        ns, times, peaks = [], [], []
        for size in sizes:
            n = node_count(shape, size)
            measured = child(shape, n, 3)
            ns.append(n + 1)
            times.append(float(measured["seconds"]))  # type: ignore[arg-type]
            peaks.append(max(float(measured["peak"]), 1.0))  # type: ignore[arg-type]
            print(f"  {shape:<6} {n + 1:>6} nodes  {times[-1]:7.2f} s  {peaks[-1] / 2**20:7.1f} MiB  "
                  f"longest gap {float(measured['gap']):.2f} s  items {measured['items']}  "  # type: ignore[arg-type]
                  f"opened {measured['opened']}", flush=True)
        line = f"  {shape:<6} fitted exponent: time {exponent(ns, times):.2f}, memory {exponent(ns, peaks):.2f}"
        results.append(line)
        print(line, flush=True)
    print("RESULTS")
    print("\n".join(results))


if __name__ == "__main__":
    main()
