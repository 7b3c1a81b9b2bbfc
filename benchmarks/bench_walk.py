"""Walking a big board zoomed far out (issue 16): what one step repaints, and re-opening it.

A generated chain is drawn in a 1600×900 view fitted to the whole board with the edges drawn
together (``BoardScene.set_far``), on the offscreen platform. Each step (select an edge, select
a node, highlight three items, clear the highlight) is timed in GUI-thread CPU
(``time.thread_time``, which the machine's other load inflates far less than wall time) until
the events it caused are processed, with the node items Qt painted again for it; then the
scene's items are thrown away as a re-open does (``BoardScene._clear_items``).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_walk.py [--nodes 2000] [--baseline REV]``.
Measured 2026-12-01 (2,000 nodes, 39a6a52 → this code): see docs/LIMITS.md ("Big boards in
the window").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.targets import ROOT, add_baseline_option, finish, report

CHILD = """
import json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QGraphicsView
from models.board import Board
from models.fileformat import document_from_data
from models.synthetic import board_data
app = QApplication([])
from app.ui.canvas import items as canvas_items
from app.ui.canvas.scene import BoardScene
board = Board(document_from_data(board_data("chain", int(sys.argv[1]) - 1)))
scene = BoardScene(board)
view = QGraphicsView(scene)
view.resize(1600, 900)
view.show()
view.fitInView(scene.itemsBoundingRect())
scene.set_far(True)
painted = [0]
paint = canvas_items.NodeItem.paint
def counting(self, *args):
    painted[0] += 1
    return paint(self, *args)
canvas_items.NodeItem.paint = counting
app.processEvents()
app.processEvents()
found = scene.entity_items()
results = {}
for name, step in (("select an edge", lambda: found["e5-6"].setSelected(True)),
                   ("select a node", lambda: found["n7"].setSelected(True)),
                   ("highlight 3 items", lambda: scene.set_highlight(["n1", "e1-2", "n2"],
                                                                    scene.palette().highlight().color())),
                   ("clear the highlight", lambda: scene.set_highlight([], None))):
    painted[0] = 0
    started = time.thread_time()
    step()
    app.processEvents()
    app.processEvents()
    results[name] = (time.thread_time() - started, painted[0])
started = time.thread_time()
scene._clear_items()
results["re-open: old items removed"] = (time.thread_time() - started, 0)
print(json.dumps(results), flush=True)
os._exit(0)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    add_baseline_option(parser)
    args = parser.parse_args()
    out = subprocess.run([sys.executable, "-c", CHILD, str(args.nodes)], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}, check=True)
    results = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"chain of {args.nodes} nodes, zoomed far out: GUI-thread CPU per step, node items painted again")
    for name, (cpu, painted) in results.items():
        report(f"{name}: GUI CPU", cpu, "s", 0.1, higher_is_better=False)
        if name.startswith(("select", "highlight", "clear")):
            report(f"{name}: nodes repainted", painted, "nodes", higher_is_better=False)
    finish(args, sys.argv)


if __name__ == "__main__":
    main()
