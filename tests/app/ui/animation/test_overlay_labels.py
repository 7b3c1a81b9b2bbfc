"""A run's badges and pills take part in label placement (issue 10): on StreamFlow mid-run no
node badge or edge pill covers a label, a node or another badge or pill; they are placed once
and stay put while their numbers change; zoomed far out a frame's looks wait for the next
flush instead of being worked out for every frame."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsView

import app.ui.animation.overlay as overlay_module
from app.labels import Box
from app.sim.view import EdgeLook, FrameView, NodeLook, Overall
from app.ui.animation.items import BADGE_AT, NODE_RECT, EdgeDecoration, NodeDecoration
from app.ui.animation.overlay import SimulationOverlay
from app.ui.canvas.scene import BoardScene
from models.fileformat import load_board
from tests.conftest import EXAMPLE

pytestmark = [pytest.mark.gui]


def frame(scene: BoardScene, t: float, rate: float, breaker: str | None = "half_open",
          flashing: str | None = None) -> FrameView:
    """Mid-run with everything showing: every node red with errors, every edge (or only
    ``flashing``) with 429s and timeouts, and a breaker, at ``rate`` a second (999: the widest
    numbers the boxes allow)."""
    board = scene.board
    nodes = {n.id: NodeLook(health="red", rps=rate, err_ps=rate, utilisation=0.9, queue_length=50, queue_limit=100)
             for n in board.nodes}
    edges = {}
    for e in board.edges:
        failing = rate if flashing in (None, e.id) else 0.0
        edges[e.id] = EdgeLook(calls_ps=rate, err_ps=rate, timeouts_ps=failing, limited_ps=failing, breaker=breaker,
                               flow_ps=rate, flow_err_ps=rate / 2)
    return FrameView(index=int(t), t=t, clock="19:00", phase="peak", nodes=nodes, edges=edges, overall=Overall())


def _box(rect: QRectF) -> Box:
    return Box(rect.left(), rect.top(), rect.width(), rect.height())


def overlay_boxes(scene: BoardScene) -> dict[tuple[str, str], Box]:
    boxes: dict[tuple[str, str], Box] = {}
    for item in scene.items():
        if isinstance(item, NodeDecoration) and item.look is not None:
            boxes[("badge", item.node_id)] = _box(item.badge_rect())
        elif isinstance(item, EdgeDecoration):
            for kind, rect in item.pill_rects():
                boxes[(kind, item.edge_id)] = _box(rect)
    return boxes


@pytest.fixture(scope="module")
def scene(qapp):
    scene = BoardScene(load_board(EXAMPLE))
    yield scene
    scene.detach()


@pytest.fixture(scope="module")
def streamflow(scene):
    """StreamFlow with a run's overlay (no view, every frame drawn in full), shared: the
    badges and pills are placed once."""
    overlay = SimulationOverlay(scene, None, animate=False)
    yield scene, overlay
    overlay.apply(None)


def test_no_badge_or_pill_covers_a_label_a_node_or_each_other_mid_run(streamflow):
    scene, overlay = streamflow
    overlay.apply(frame(scene, 60, 999.0))
    shown = overlay_boxes(scene)
    assert len([k for k in shown if k[0] == "badge"]) == len(scene.board.nodes)
    assert len([k for k in shown if k[0] == "flash"]) == len([k for k in shown if k[0] == "breaker"]) \
        == len(scene.board.edges)
    layout = scene.label_layout()
    labels = {key: placed.box for key, placed in layout.placed.items()}
    nodes = {key: Box.around(box.centre, NODE_RECT.width(), NODE_RECT.height())
             for key, box in layout.fixed.items() if key[0] == "node"}
    hits = [(a, b) for a, box in shown.items() for b, other in (labels | nodes).items() if box.overlap(other) > 0.5]
    hits += [(a, b) for (a, box), (b, other) in itertools.combinations(shown.items(), 2) if box.overlap(other) > 0.5]
    assert hits == []
    # where nothing is in the way the badge is where it always was, above its node
    auth = next(i for i in scene.items() if isinstance(i, NodeDecoration) and i.node_id == "auth")
    assert auth.badge_at == BADGE_AT


def test_badges_and_pills_stay_put_while_their_numbers_change(streamflow):
    scene, overlay = streamflow
    overlay.apply(frame(scene, 61, 999.0))
    placer = overlay._placer
    wide = overlay_boxes(scene)
    overlay.apply(frame(scene, 62, 3.0))
    narrow = overlay_boxes(scene)
    assert overlay._placer is placer  # the placement is kept while the labels stay where they are
    assert set(wide) == set(narrow)
    for key, box in wide.items():
        assert narrow[key].centre == pytest.approx(box.centre), key
        assert narrow[key].width <= box.width
    overlay.apply(frame(scene, 63, 3.0, breaker=None))
    assert not [k for k in overlay_boxes(scene) if k[0] == "breaker"]


def test_far_out_a_frame_waits_for_the_next_flush(qtbot, scene, monkeypatch):
    view = QGraphicsView(scene)
    qtbot.addWidget(view)
    view.scale(0.3, 0.3)

    class Clock:
        now = 100.0

        def monotonic(self) -> float:
            return self.now

    clock = Clock()
    monkeypatch.setattr(overlay_module, "time", clock)
    overlay = SimulationOverlay(scene, view)
    try:
        first, second = frame(scene, 1, 5.0, None, "e-engine-llm"), frame(scene, 2, 7.0, None, "e-engine-llm")
        overlay.apply(first)  # the first frame is worked out at once
        decorations = [deco for _glow, deco in overlay._nodes.values()]
        assert all(d.look is first.nodes[d.node_id] for d in decorations)
        clock.now += 0.05
        overlay.apply(second)  # within the flush interval: only the HUD and the flashes follow
        assert overlay._pending is second
        assert all(d.look is first.nodes[d.node_id] for d in decorations)
        edges = overlay._edges
        assert edges["e-engine-llm"].look is second.edges["e-engine-llm"]  # its flash starts at once
        assert edges["e-gateway-engine"].look is first.edges["e-gateway-engine"]
        clock.now += overlay_module.COARSE_S
        overlay._tick()
        assert overlay._pending is None
        assert all(d.look is second.nodes[d.node_id] for d in decorations)
    finally:
        overlay.apply(None)
