"""Canvas performance: open a board and build its scene, and repaint the full
view after a zoom, on a generated 500-node / 1,000-edge board and on the
StreamFlow example.

    .venv/bin/python benchmarks/bench_canvas.py [--repeat N] [--baseline REV]

Offscreen Qt, software rendering into a 1600×1000 image (what a laptop
without GPU acceleration does). Prints milliseconds; ``--baseline REV`` measures
commit REV's code in the same run and prints both side by side. Not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import targets  # (benchmarks/targets.py: the code measured; puts that code first on sys.path)

import app.ui  # noqa: F401  (guards None's refcount before Qt runs)
from models.document import BoardDocument
from models.entities import NODE_KINDS, Edge, Node, Queue
from models.fileformat import load_path, save_path

EXAMPLE = Path(__file__).resolve().parent.parent / "resources" / "examples" / "streamflow-ai.cboard"
VIEW_W, VIEW_H = 1600, 1000


def generated_board(nodes: int = 500, edges: int = 1000, seed: int = 1) -> BoardDocument:
    """Layers of services calling the next layers, a grid of positions."""
    rng = random.Random(seed)
    columns = 25
    made = [Node(id=f"n{i}", label=f"Service {i}", kind=rng.choice(NODE_KINDS),
                 x=(i % columns) * 240.0, y=(i // columns) * 130.0,
                 health=rng.choice(("none", "none", "none", "yellow", "red"))) for i in range(nodes)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        a = rng.randrange(nodes - 1)
        b = min(nodes - 1, a + rng.randint(1, 40))
        if a != b:
            pairs.add((a, b))
    links = [Edge(id=f"e{a}-{b}", source=f"n{a}", target=f"n{b}", label=f"call {a}" if (a + b) % 3 == 0 else "",
                  style="dashed" if (a * b) % 7 == 0 else "solid", marks=("critical",) if a % 11 == 0 else ())
             for a, b in sorted(pairs)]
    queues = [Queue(id=f"q{i}", name=f"queue {i}", node=f"n{i}", depth_limit=1000 if i % 2 else None)
              for i in range(0, nodes, 10)]
    return BoardDocument(nodes=tuple(made), edges=tuple(links), queues=tuple(queues))


def measure(name: str, path: Path, repeat: int) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    from app.ui.canvas.scene import BoardScene
    from app.ui.canvas.view import BoardView
    from app.ui.editor import BoardEditor
    from app.ui.selection import SelectionModel
    from models.board import Board

    opens = []
    for _ in range(repeat):
        start = time.perf_counter()
        board = Board(load_path(path))
        scene = BoardScene(board, BoardEditor(board), SelectionModel())
        opens.append(time.perf_counter() - start)
        scene.detach()
    board = Board(load_path(path))
    scene = BoardScene(board, BoardEditor(board), SelectionModel())
    view = BoardView(scene)
    view.resize(VIEW_W, VIEW_H)
    view.show()
    image = QImage(VIEW_W, VIEW_H, QImage.Format.Format_ARGB32_Premultiplied)

    def repaint() -> float:
        painter = QPainter(image)
        try:
            painter.setRenderHints(view.renderHints())
            t = time.perf_counter()
            view.render(painter, QRectF(0, 0, VIEW_W, VIEW_H), view.viewport().rect())
            return time.perf_counter() - t
        finally:
            painter.end()

    results, firsts = {}, {}
    for label, zoom in (("fit (whole board)", None), ("100 %", 1.0), ("250 %", 2.5)):
        cold = []
        for _ in range(repeat):
            view.set_zoom(0.5 if zoom != 0.5 else 1.0)
            repaint()
            if zoom is None:
                view.zoom_to_fit()
            else:
                view.set_zoom(zoom, scene.content_rect().center())
            cold.append(repaint())  # the first frame after the zoom: item caches are cold
        firsts[label] = cold
        results[label] = [repaint() for _ in range(repeat)]
    n, e = len(board.nodes), len(board.edges)
    print(f"{name}: {n} nodes, {e} edges, {len(scene.entity_items())} items")
    targets.report(f"{name}: open + build scene (median)", statistics.median(opens) * 1000, "ms",
                   higher_is_better=False, note=f"best {min(opens) * 1000:.1f}")
    for label, times in results.items():
        cold = firsts[label]
        targets.report(f"{name}: zoom to {label}, first frame (median)", statistics.median(cold) * 1000, "ms",
                       higher_is_better=False, note=f"best {min(cold) * 1000:.1f}")
        targets.report(f"{name}: zoom to {label}, next frames (median)", statistics.median(times) * 1000, "ms",
                       higher_is_better=False, note=f"best {min(times) * 1000:.1f}")
    print(f"  (view {VIEW_W}×{VIEW_H}, software rendering, median of {repeat})")
    view.close()
    scene.detach()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    targets.add_baseline_option(parser)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "generated-500.cboard"
        save_path(generated_board(), big, backup=False)
        measure("generated", big, args.repeat)
    measure("StreamFlow", EXAMPLE, args.repeat)
    targets.finish(args, [str(Path(__file__).resolve()), *sys.argv[1:]])
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
