"""Presenting performance: how soon an ink stroke is on screen after the
pointer moves (p50/p95), on StreamFlow and on the generated 500-node board,
and how many frames per second the laser trail paints on StreamFlow.

    .venv/bin/python benchmarks/bench_ink.py [--moves N] [--seconds S] [--baseline REV]

Offscreen Qt, software rendering, a 1600×1000 view at the zoom that fits the
board (what a presenter sees). Each measurement is a function of its own;
prints milliseconds and frames per second beside their targets (docs/recording.md,
"Performance"); ``--baseline REV`` measures commit REV's code in the same run. Not a test.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import targets  # (benchmarks/targets.py: the code measured, the targets; puts that code first on sys.path)
from bench_canvas import EXAMPLE, VIEW_H, VIEW_W, generated_board

import app.ui  # noqa: F401  (guards None's refcount before Qt runs)
from models.document import BoardDocument
from models.fileformat import load_path
from models.ink import Point

INK_P95_MS = {"StreamFlow": 16.0, "500 nodes": 33.0}
LASER_FPS = 60.0
"""Targets of issue 10 (docs/recording.md, "Performance")."""


class EditorTarget:
    """Kept ink straight into the editor (what the window's ink controller does, without a window)."""

    def __init__(self, editor: Any) -> None:
        self.editor = editor
        self.count = 0

    def keep_stroke(self, kind: str, points: list[Point], colour: str, width: float) -> None:
        from models.entities import Annotation

        self.count += 1
        self.editor.draw_ink(Annotation(id=f"ink-bench-{self.count}", kind=kind, points=tuple(points), color=colour,
                                        width=width))

    def keep_text(self, at: Point, text: str, colour: str, size: float) -> None:
        """The benchmark measures strokes; a text typed in it would be dropped."""

    def erase_step(self) -> None:
        """The benchmark's strokes belong to no step: there is nothing of a step's to erase."""

    def changed(self, style: Any) -> None:
        """Nothing follows the style here."""


def open_view(document: BoardDocument) -> tuple[Any, Any, Any]:
    """A shown view of ``document`` fitted to 1600×1000, in ink mode."""
    from PySide6.QtWidgets import QApplication

    from app.ui.canvas.interactions.ink import InkMode, InkStyle
    from app.ui.canvas.scene import BoardScene
    from app.ui.canvas.view import BoardView
    from app.ui.editor import BoardEditor
    from app.ui.selection import SelectionModel
    from models.board import Board

    board = Board(document)
    editor = BoardEditor(board)
    scene = BoardScene(board, editor, SelectionModel())
    view = BoardView(scene)
    view.resize(VIEW_W, VIEW_H)
    view.show()
    QApplication.processEvents()
    view.zoom_to_fit()
    QApplication.processEvents()
    mode = InkMode(view, InkStyle(), EditorTarget(editor))
    view.set_tool(mode)
    QApplication.processEvents()
    return scene, view, mode


def _send(view: Any, kind: Any, x: float, y: float, buttons: Any) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    viewport, p = view.viewport(), QPointF(x, y)
    button = Qt.MouseButton.LeftButton if kind != QMouseEvent.Type.MouseMove else Qt.MouseButton.NoButton
    QApplication.sendEvent(viewport, QMouseEvent(kind, p, viewport.mapToGlobal(p), button, buttons,
                                                 Qt.KeyboardModifier.NoModifier))


def ink_latency(name: str, document: BoardDocument, moves: int, target_ms: float | None = None) -> None:
    """Pointer move → the stroke's new segment painted (event handled, dirty region repainted)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    scene, view, _mode = open_view(document)
    painted = [0]
    original = view.drawForeground

    def counting(painter: Any, rect: Any) -> None:
        painted[0] += 1
        original(painter, rect)

    view.drawForeground = counting  # type: ignore[method-assign]
    held = Qt.MouseButton.LeftButton
    latencies, strokes, missed = [], 0, 0
    while len(latencies) < moves:
        cx, cy = 300 + (strokes % 5) * 240, 250 + (strokes // 5 % 3) * 220
        _send(view, QMouseEvent.Type.MouseButtonPress, cx, cy, held)
        QApplication.processEvents()
        for i in range(1, 61):
            x, y = cx + i * 3.0, cy + 40 * math.sin(i / 6)
            before = painted[0]
            start = time.perf_counter()
            _send(view, QMouseEvent.Type.MouseMove, x, y, held)
            QApplication.processEvents()
            latencies.append(time.perf_counter() - start)
            missed += painted[0] == before
        _send(view, QMouseEvent.Type.MouseButtonRelease, cx + 180, cy, Qt.MouseButton.NoButton)
        QApplication.processEvents()
        strokes += 1
    ms = sorted(1000 * t for t in latencies)
    p95 = ms[min(len(ms) - 1, round(0.95 * len(ms)))]
    print(f"{name}: ink pointer move → painted stroke over {len(ms)} moves ({strokes} kept strokes): "
          f"p50 {statistics.median(ms):.2f} ms, max {ms[-1]:.2f} ms"
          f"{f', {missed} moves not painted' if missed else ''}")
    targets.report(f"{name}: ink move → painted, p95", p95, "ms", target_ms, False)
    view.set_tool(None)
    scene.detach()


def laser_fps(name: str, document: BoardDocument, seconds: float) -> None:
    """The laser moving continuously (a move every 8 ms) while the trail animates:
    trail frames painted per second and the time one frame's paint takes."""
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from app.ui.canvas.interactions.ink import InkTool

    scene, view, mode = open_view(document)
    mode.set_tool(InkTool.LASER)
    frames: list[float] = []
    original = mode.paint_foreground

    def timed(painter: Any, rect: Any) -> None:
        start = time.perf_counter()
        original(painter, rect)
        frames.append(time.perf_counter() - start)

    mode.paint_foreground = timed  # type: ignore[method-assign]
    clock = QElapsedTimer()
    clock.start()
    mover = QTimer()
    mover.setInterval(8)

    def move() -> None:
        t = clock.elapsed() / 1000
        _send(view, QMouseEvent.Type.MouseMove, 800 + 500 * math.cos(t * 2.2), 500 + 300 * math.sin(t * 3.1),
              Qt.MouseButton.NoButton)

    mover.timeout.connect(move)
    mover.start()
    end = time.perf_counter() + seconds
    cpu = time.thread_time()
    while time.perf_counter() < end:
        QApplication.processEvents()
        time.sleep(0.001)
    cpu = time.thread_time() - cpu
    mover.stop()
    moving = len(frames)
    start_fade = time.perf_counter()
    while mode.timer.isActive() and time.perf_counter() - start_fade < 3:
        QApplication.processEvents()
        time.sleep(0.001)
    faded_in = time.perf_counter() - start_fade
    print(f"{name}: laser trail while moving ({seconds:g} s), paint of the trail "
          f"{1000 * statistics.mean(frames):.2f} ms mean; trail gone {faded_in:.2f} s after the pointer stopped")
    targets.report(f"{name}: laser trail, wall", moving / seconds, "frames/s", LASER_FPS)
    if moving:
        # the pointer's moves, their repaints and the trail's, per painted frame, in the GUI thread
        targets.report(f"{name}: laser trail, frames/s the GUI CPU allows", moving / cpu, "frames/s", LASER_FPS,
                       note=f"{1000 * cpu / moving:.1f} ms CPU a frame")
    view.set_tool(None)
    scene.detach()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=3.0)
    targets.add_baseline_option(parser)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    streamflow = load_path(EXAMPLE)
    ink_latency("StreamFlow", streamflow, args.moves, INK_P95_MS["StreamFlow"])
    ink_latency("500 nodes", generated_board(), args.moves, INK_P95_MS["500 nodes"])
    laser_fps("StreamFlow", streamflow, args.seconds)
    targets.finish(args, [str(Path(__file__).resolve()), *sys.argv[1:]])
    del app


if __name__ == "__main__":
    main()
