"""A run's marks at a presentation scale over 1 (issue 10): the queue bar grows with its numbers
instead of spilling them over the badge above; a badge above its node keeps the left end it has
at 1x (its first figures stay clear of the node's gauge); a node whose queue never shows takes
no room for a bar, so badges stay beside their own nodes."""

from __future__ import annotations

import itertools
import math

import pytest
from PySide6.QtGui import QFontMetricsF

import app.ui.animation.look as lk
from app.labels import GAUGE_R, Box
from app.sim.view import FrameView, NodeLook, Overall
from app.ui.animation.items import NODE_RECT, QUEUE_BAR, WIDEST_QUEUES, NodeDecoration, queue_bar_size
from app.ui.animation.overlay import SimulationOverlay
from app.ui.canvas.scene import BoardScene
from models.fileformat import load_board
from tests.app.ui.animation.test_overlay_labels import overlay_boxes, shown_labels
from tests.conftest import EXAMPLE

pytestmark = [pytest.mark.gui]

SCALE = 1.5


def queued_frame(scene: BoardScene, t: float, queued: set[str]) -> FrameView:
    """Every node busy; only ``queued`` with a queue (and its limit) to show."""
    nodes = {n.id: NodeLook(health="yellow", rps=999.0, err_ps=999.0, utilisation=0.9,
                            queue_length=446 if n.id in queued else 0, queue_limit=1000 if n.id in queued else None)
             for n in scene.board.nodes}
    return FrameView(index=int(t), t=t, clock="19:00", phase="peak", nodes=nodes, edges={}, overall=Overall())


def decorations(scene: BoardScene) -> dict[str, NodeDecoration]:
    return {item.node_id: item for item in scene.items() if isinstance(item, NodeDecoration)}


@pytest.fixture
def scaled(qapp):
    scene = BoardScene(load_board(EXAMPLE))
    scene.set_text_scale(SCALE)
    overlay = SimulationOverlay(scene, None, animate=False)
    try:
        yield scene, overlay
    finally:
        overlay.apply(None)
        scene.set_text_scale(1.0)  # the scale is the canvas fonts': other tests draw at 1x
        scene.detach()


def test_the_queue_bar_holds_its_numbers_and_no_mark_covers_another(scaled):
    scene, overlay = scaled
    overlay.apply(queued_frame(scene, 60, {"engine"}))
    width, height = queue_bar_size()
    metrics = QFontMetricsF(lk.SMALL_FONT)
    assert width >= max(metrics.horizontalAdvance(text) for text in WIDEST_QUEUES)
    assert height >= metrics.height()
    assert width > QUEUE_BAR.width()  # grown past the node's width with the fonts
    engine = decorations(scene)["engine"]
    bar, badge = engine.bar_rect(), engine.badge_rect()
    assert bar.width() == width
    assert not bar.intersects(badge)
    shown = overlay_boxes(scene)
    shown[("queue-bar", "engine")] = Box(bar.left(), bar.top(), bar.width(), bar.height())
    hits = [(a, b) for a, box in shown.items() for b, other in shown_labels(scene).items() if box.overlap(other) > 0.5]
    hits += [(a, b) for (a, box), (b, other) in itertools.combinations(shown.items(), 2) if box.overlap(other) > 0.5]
    assert hits == []


def test_a_badge_grows_rightwards_from_where_it_starts_at_1x(qapp):
    scene = BoardScene(load_board(EXAMPLE))
    overlay = SimulationOverlay(scene, None, animate=False)
    try:
        overlay.apply(queued_frame(scene, 60, set()))
        at_1x = decorations(scene)["auth"].badge_rect()
        overlay.apply(None)
        scene.set_text_scale(SCALE)
        overlay.apply(queued_frame(scene, 61, set()))
        grown = decorations(scene)["auth"].badge_rect()
    finally:
        overlay.apply(None)
        scene.set_text_scale(1.0)
        scene.detach()
    assert grown.width() > at_1x.width()
    assert grown.left() == pytest.approx(at_1x.left(), abs=0.5)
    assert grown.bottom() == pytest.approx(at_1x.bottom(), abs=0.5)


def test_only_a_shown_queue_takes_room_and_badges_stay_by_their_nodes(scaled):
    scene, overlay = scaled
    overlay.apply(queued_frame(scene, 60, {"engine"}))
    placed = overlay._placer.placed
    assert [key[1] for key in placed if key[0] == "queue-bar"] == ["engine"]
    items = scene.entity_items()
    for node_id, deco in decorations(scene).items():
        centre, node = deco.badge_rect().center(), items[node_id].pos()
        # beside its node: at most a badge's height past the place above it, never across the board
        assert math.hypot(centre.x() - node.x(), centre.y() - node.y()) < 140, node_id
    # a queue that grows later gets its bar then, clear of the badges already placed
    overlay.apply(queued_frame(scene, 61, {"engine", "vectordb"}))
    vectordb = decorations(scene)["vectordb"]
    assert ("queue-bar", "vectordb", 0) in placed
    assert not vectordb.bar_rect().isEmpty()
    assert not vectordb.bar_rect().intersects(vectordb.badge_rect())


def test_no_gauge_covers_a_label(scaled):
    """A run's utilisation gauge sits on its node's top-left corner, half outside: the labels keep
    off that corner ("content metadata" under the Content Service's at 1.5×)."""
    scene, overlay = scaled
    overlay.apply(queued_frame(scene, 60, {"engine"}))
    assert GAUGE_R == lk.RING_RADIUS + 2  # the Qt-free placement's copy of the gauge's reach
    r = lk.RING_RADIUS
    gauges = {}
    for node_id, deco in decorations(scene).items():
        x, y = deco.pos().x() + NODE_RECT.left() - 2, deco.pos().y() + NODE_RECT.top() + 2  # as drawn
        gauges[node_id] = Box(x - r, y - r, 2 * r, 2 * r)
    labels = shown_labels(scene, ())
    assert gauges
    assert [(node, key) for node, gauge in gauges.items() for key, box in labels.items()
            if gauge.overlap(box) > 0.5] == []
