"""A run's badges and pills take part in label placement (issue 10): on StreamFlow mid-run no
node badge or edge pill covers a label, a node or another badge or pill; they are placed once
and stay put while their numbers change; zoomed far out a frame's looks wait for the next
flush instead of being worked out for every frame."""

from __future__ import annotations

import itertools
import math

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


def shown_labels(scene: BoardScene, fixed_kinds: tuple[str, ...] = ("node",)) -> dict[tuple, Box]:
    """The placed labels, and the fixed boxes of ``fixed_kinds`` (nodes at their drawn size), whose
    items the canvas shows (StreamFlow hides its flows' layer: their pills take no room in a run)."""
    layout = scene.label_layout()
    items = scene.entity_items()

    def shown(key: tuple) -> bool:
        item = items.get(key[1])
        return item is None or item.isVisible()

    boxes = {key: placed.box for key, placed in layout.placed.items() if shown(key)}
    boxes |= {key: box.grown(-2) if key[0] == "node" else box for key, box in layout.fixed.items()
              if key[0] in fixed_kinds and shown(key)}
    assert not [key for key in layout.placed if key[0] == "hop" and key in boxes]  # hidden, as the board says
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
    hits = [(a, b) for a, box in shown.items() for b, other in shown_labels(scene).items() if box.overlap(other) > 0.5]
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
        half = overlay_module.COARSE_S / len(overlay_module.HALVES)
        overlay.apply(first)  # the nodes' half of the first frame is worked out at once
        decorations = [deco for _glow, deco in overlay._nodes.values()]
        edges = overlay._edges
        assert all(d.look is first.nodes[d.node_id] for d in decorations)
        assert edges["e-gateway-engine"].look is None
        assert overlay._pending is first
        clock.now += half
        overlay._tick()  # the edges' half at the next flush
        assert edges["e-gateway-engine"].look is first.edges["e-gateway-engine"]
        assert overlay._pending is None
        clock.now += 0.05
        overlay.apply(second)  # within the flush interval: only the HUD and the flashes follow
        assert overlay._pending is second
        assert all(d.look is first.nodes[d.node_id] for d in decorations)
        assert edges["e-engine-llm"].look is second.edges["e-engine-llm"]  # its flash starts at once
        assert edges["e-gateway-engine"].look is first.edges["e-gateway-engine"]
        clock.now += half
        overlay._tick()  # the nodes' half of the newest frame
        assert all(d.look is second.nodes[d.node_id] for d in decorations)
        assert edges["e-gateway-engine"].look is first.edges["e-gateway-engine"]
        clock.now += 0.05
        overlay._tick()  # not yet due
        assert edges["e-gateway-engine"].look is first.edges["e-gateway-engine"]
        clock.now += half
        overlay._tick()  # then its edges' half
        assert edges["e-gateway-engine"].look is second.edges["e-gateway-engine"]
        assert overlay._pending is None
    finally:
        overlay.apply(None)


# --- a real run, mid-cascade: the queue bars and the wavefront take part too -------------------

MID_RUN_S = 140
"""Simulated seconds into StreamFlow's llm-rate-limit run (as benchmarks/screenshots.py shows it):
the LLM, the engine and the gateway red in that order, the engine's queue near full, 429s and
timeouts on three edges."""


@pytest.fixture(scope="module")
def mid_run(qapp):
    """StreamFlow's llm-rate-limit run applied frame by frame (every fifth) up to ``MID_RUN_S``
    on a scene of its own, as the window shows it (one frame a simulated second), and the frame
    after it."""
    from app.sim.view import ViewBuilder
    from models.fileformat import load_path
    from models.runs.seeds import DEFAULT_SEED
    from models.simulation import Simulation

    scene = BoardScene(load_board(EXAMPLE))
    overlay = SimulationOverlay(scene, None, animate=False)
    simulation = Simulation(load_path(EXAMPLE), "llm-rate-limit", seed=DEFAULT_SEED, duration_s=MID_RUN_S + 10)
    build = ViewBuilder(simulation.duration_s)
    views = [build(simulation.run_until(float(t))) for t in range(1, MID_RUN_S + 2)]
    for view in views[4:-1:5]:
        overlay.apply(view)
    overlay.apply(views[-2])
    yield scene, overlay, views[-1]
    overlay.apply(None)
    scene.detach()


def wave_boxes(overlay: SimulationOverlay) -> dict[tuple[str, str], Box]:
    """The wavefront's numbers (as circles of their largest size) and ranks, as drawn."""
    from app.ui.animation.items import NUMBER_R, rank_size

    wave = overlay._wave
    assert wave is not None
    boxes = {("wave-step", f"{a}>{b}"): Box.around((arrow.number.x(), arrow.number.y()), 2 * NUMBER_R - 4,
                                                   2 * NUMBER_R - 4) for a, b, arrow in wave.arrows}
    w, h = rank_size()
    boxes |= {("wave-rank", node): Box.around((centre.x(), centre.y()), w, h) for node, centre in wave.ranks}
    return boxes


def run_boxes(scene: BoardScene, overlay: SimulationOverlay) -> dict[tuple[str, str], Box]:
    boxes = overlay_boxes(scene) | wave_boxes(overlay)
    for item in scene.items():
        if isinstance(item, NodeDecoration) and not item.bar_rect().isEmpty():
            boxes[("queue-bar", item.node_id)] = _box(item.bar_rect())
    return boxes


def test_mid_run_no_queue_bar_wave_number_rank_badge_or_pill_covers_a_label_or_another(mid_run):
    scene, overlay, _later = mid_run
    wave = overlay._wave
    assert [node for node, _ in wave.order] == ["llm", "engine", "gateway"]  # the cascade under way
    shown = run_boxes(scene, overlay)
    kinds = [key[0] for key in shown]
    assert ("queue-bar", "engine") in shown
    assert (kinds.count("flash"), kinds.count("wave-step"), kinds.count("wave-rank")) == (3, 2, 3)
    labels = shown_labels(scene, ("node", "queue-glyph", "loop-glyph", "note"))
    hits = [(a, b) for a, box in shown.items() for b, other in labels.items() if box.overlap(other) > 0.5]
    hits += [(a, b) for (a, box), (b, other) in itertools.combinations(shown.items(), 2) if box.overlap(other) > 0.5]
    assert hits == []
    nodes = {n.id: (n.x, n.y) for n in scene.board.nodes}
    for (kind, node_id), box in shown.items():  # a node's own marks stay beside it
        if kind in ("queue-bar", "wave-rank"):
            x, y = nodes[node_id]
            apart = max(abs(box.centre[0] - x) - (box.width + NODE_RECT.width()) / 2,
                        abs(box.centre[1] - y) - (box.height + NODE_RECT.height()) / 2)
            assert apart <= 40, (kind, node_id, apart)


def _distance(point: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.dist(point, (a[0] + dx * t, a[1] + dy * t))


def test_mid_run_the_wavefront_passes_under_every_label_it_crosses(mid_run):
    """Issue 10: the arrows struck through "recommend" and "descriptions · 400 ms". Each runs on
    the side of its line that crosses the fewest labels; its number sits on it; what it still
    crosses is left out of its stroke (drawn under), as the flashes and dots leave out the labels
    on their edges."""
    from app.ui.animation.items import NUMBER_R

    scene, overlay, _later = mid_run
    wave = overlay._wave
    layout = scene.label_layout()
    for a_id, b_id, arrow in wave.arrows:
        start, end = (arrow.start.x(), arrow.start.y()), (arrow.end.x(), arrow.end.y())
        assert _distance((arrow.number.x(), arrow.number.y()), start, end) <= NUMBER_R - 2
        under = [_box(rect) for rect in wave.under(a_id, b_id, arrow)]
        crossed = [key for key, box in shown_labels(scene).items() if key[0] != "node" and box.crosses(start, end)]
        for key in crossed:
            assert layout.placed[key].box in under, (a_id, b_id, key)
    labels = {key: box for key, box in shown_labels(scene).items() if key[0] != "node"}
    flashing = [item for item in scene.items() if isinstance(item, EdgeDecoration) and item.pill_rects()]
    assert len(flashing) == 3
    for deco in flashing:  # its flash and dots leave out every label on its line ("recommend" among them)
        path = [deco.edge_item.point_at(i / 16) for i in range(17)]
        on_line = [box for box in labels.values()
                   if any(box.crosses((a.x(), a.y()), (b.x(), b.y())) for a, b in itertools.pairwise(path))]
        under = [_box(rect) for rect in deco.under]
        assert [box for box in on_line if box not in under] == [], deco.edge_id
    recommend = next(e.id for e in scene.board.edges if e.label == "recommend")
    gateway_engine = next(d for d in flashing if d.edge_id == recommend)
    assert layout.placed[("edge", recommend, 0)].box in [_box(rect) for rect in gateway_engine.under]


def test_mid_run_the_run_marks_stay_put_as_the_numbers_change(mid_run):
    scene, overlay, later = mid_run
    before = {key: box for key, box in run_boxes(scene, overlay).items() if key[0] in ("queue-bar", "wave-step",
                                                                                        "wave-rank", "badge")}
    routes = dict(overlay._placer.routes)
    overlay.apply(later)
    after = run_boxes(scene, overlay)
    for key, box in before.items():
        assert after[key].centre == pytest.approx(box.centre), key
    assert overlay._placer.routes == routes
