"""What a shown run costs the canvas, counted rather than timed (docs/recording.md, "Performance"):
a frame that changes nothing repaints nothing, a frame that changes one node repaints only
around it, the far-out batches regroup to what a fresh build draws, and the pictures items
are drawn from during a run never show an edit late."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QApplication

from app.sim.stepper import ViewStepper
from app.ui.animation.items import FarNodeLooks, NodeGlow
from app.ui.animation.overlay import SimulationOverlay
from app.ui.canvas.far import FarEdges
from app.ui.canvas.marks import LoopItem
from app.ui.canvas.scene import BoardScene
from app.ui.canvas.view import BoardView
from app.ui.editor import BoardEditor
from models.fileformat import load_board
from models.simulation import Simulation

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


EXAMPLE = Path(__file__).resolve().parents[4] / "resources" / "examples" / "streamflow-ai.cboard"


@pytest.fixture(scope="module")
def frames():
    """Frames of the rate-limit cascade on StreamFlow, computed once for the module."""
    board = load_board(EXAMPLE)
    stepper = ViewStepper(Simulation(board.document(), "llm-rate-limit"))
    return [stepper.step(1.0) for _ in range(40)]


@pytest.fixture
def shown(qapp, qtbot, example_path):
    """StreamFlow on a shown 900×600 view at 100 %, with an editor."""
    board = load_board(example_path)
    scene = BoardScene(board, BoardEditor(board))
    view = BoardView(scene)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.set_zoom(1.0, scene.item_for("engine").scenePos())
    qtbot.waitExposed(view)
    yield scene, view
    scene.detach()


class Repaints(QObject):
    """The viewport's paint events and the rectangles they covered."""

    def __init__(self, viewport) -> None:
        super().__init__()
        self.rects: list[QRect] = []
        viewport.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.region().boundingRect())
        return False


def settle(qtbot) -> None:
    """Let the overlay's repaint throttle (``FINE_S``) pass and every repaint happen."""
    qtbot.wait(130)
    QApplication.processEvents()


def test_a_frame_that_changes_nothing_repaints_nothing(qtbot, shown, frames):
    scene, view = shown
    overlay = SimulationOverlay(scene, view, animate=False)  # no dots: only frames repaint
    frame = frames[20]
    overlay.apply(frame)
    settle(qtbot)
    overlay.apply(frame)  # what the throttle held is drawn now
    settle(qtbot)
    repaints = Repaints(view.viewport())
    same = dataclasses.replace(frame)  # a new frame object whose looks are all the same objects
    overlay.apply(same)
    settle(qtbot)
    overlay.apply(same)
    settle(qtbot)
    assert repaints.rects == []
    overlay.apply(None)


def test_a_frame_that_changes_one_node_repaints_only_around_it(qtbot, shown, frames):
    scene, view = shown
    overlay = SimulationOverlay(scene, None, animate=False)  # no clock, no update mode of its own
    frame = frames[20]
    overlay.apply(frame)
    settle(qtbot)
    overlay.apply(frame)
    settle(qtbot)
    repaints = Repaints(view.viewport())
    look = frame.nodes["engine"]
    changed = dataclasses.replace(frame, nodes={**frame.nodes,
                                                "engine": look._replace(rps=look.rps + 40.0)})
    overlay.apply(changed)
    settle(qtbot)
    overlay.apply(changed)
    settle(qtbot)
    assert repaints.rects, "the node's counters changed: they must be repainted"
    around = view.mapFromScene(scene.item_for("engine").sceneBoundingRect()).boundingRect().adjusted(-80, -60, 80, 60)
    assert all(around.contains(rect) for rect in repaints.rects), (repaints.rects, around)
    overlay.apply(None)


def _drawn(far: FarEdges) -> list[tuple[int, float, tuple[tuple[float, ...], ...]]]:
    """What the far edges draw: per pen, its straight lines, in a comparable order."""
    far._regroup()
    return sorted((pen.color().rgba(), pen.widthF(), tuple(sorted((a.x1(), a.y1(), a.x2(), a.y2()) for a in lines)))
                  for pen, lines, _curved in far._lines)


def test_far_edges_regroup_changed_edges_to_what_a_fresh_build_draws(qapp, example_path, frames):
    board = load_board(example_path)
    scene = BoardScene(board)
    scene.set_far(True)
    overlay = SimulationOverlay(scene, None, animate=False)
    try:
        for frame in frames[:30:3]:  # edges change colour and width frame by frame
            overlay.apply(frame)
            kept = _drawn(scene.far_edges)
            fresh = FarEdges(scene._edge_items, lambda: scene.theme)
            assert kept == _drawn(fresh)
        overlay.apply(None)
        fresh = FarEdges(scene._edge_items, lambda: scene.theme)
        assert _drawn(scene.far_edges) == _drawn(fresh)
    finally:
        scene.detach()


def test_far_node_looks_reuse_rectangles_only_while_a_look_holds(qtbot, shown, frames):
    scene, view = shown
    view.set_zoom(0.3)
    overlay = SimulationOverlay(scene, view, animate=False)
    try:
        for frame in frames[5:35:5]:
            overlay._held_until = 0.0  # the throttle is wall time: here every frame is flushed
            overlay.apply(frame)
            for far in overlay._far or ():
                assert isinstance(far, FarNodeLooks)
                kept = far._build()  # only the parts that changed moved between the groups
                fresh = FarNodeLooks(far._parts, glows=far._kind is NodeGlow)._build()
                assert [(c.rgba(), sorted((r.x(), r.y(), r.width(), r.height()) for r in rects)) for c, rects in kept] \
                    == [(c.rgba(), sorted((r.x(), r.y(), r.width(), r.height()) for r in rects)) for c, rects in fresh]
    finally:
        overlay.apply(None)


SHADE = 8
"""Channels this close are the same colour rounded differently (blended through a pixmap or not)."""


def shade_apart(p: int, q: int) -> bool:
    return any(abs(((p >> s) & 255) - ((q >> s) & 255)) > SHADE for s in (0, 8, 16, 24))


def test_an_edit_during_a_run_shows_at_once_on_a_cached_item(qtbot, shown, frames):
    scene, view = shown
    overlay = SimulationOverlay(scene, view, animate=False)
    overlay.apply(frames[10])
    loop_item = scene.item_for("loop-retry")
    assert isinstance(loop_item, LoopItem)
    view.centerOn(loop_item)
    settle(qtbot)
    assert loop_item.cacheMode() != loop_item.CacheMode.NoCache  # drawn from a picture while the run shows
    box = view.mapFromScene(loop_item.sceneBoundingRect()).boundingRect().intersected(view.viewport().rect())
    before = view.viewport().grab(box).toImage()
    scene.editor.update("loops", "loop-retry", name="Retry storm, renamed for the camera")
    settle(qtbot)
    box = view.mapFromScene(loop_item.sceneBoundingRect()).boundingRect().intersected(view.viewport().rect())
    shown_now = view.viewport().grab(box).toImage()
    mode = loop_item.cacheMode()
    loop_item.setCacheMode(loop_item.CacheMode.NoCache)  # the loop as it draws itself now
    settle(qtbot)
    drawn = view.viewport().grab(box).toImage()
    loop_item.setCacheMode(mode)
    assert shown_now != before  # the new name shows
    # a translucent pill blended into the item's pixmap and then onto the view rounds a shade
    # (1 of 255) off the same pill drawn straight onto the view: where the scene places the
    # renamed loop's pill (app/labels.py), over the board's lines, hundreds of such pixels;
    # the old name, or a stale picture, differs by far more than SHADE
    differing = sum(shade_apart(shown_now.pixel(x, y), drawn.pixel(x, y))
                    for x in range(0, box.width(), 2) for y in range(0, box.height(), 2))
    assert differing <= box.width() * box.height() // 4 // 50  # antialiasing at most, never the old name
    overlay.apply(None)
