"""Labels never collide (issue 14): one placement (app/labels.py) for the canvas, PNG/SVG and
the PDF. Overlapping label boxes are counted on StreamFlow (the whole board, and what each
build item of its step walk shows) and on every example board, with the canvas's fonts and
the handout's, and at the presentation scale 1.5 (issue 10: a long label's box grows with it)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF

from app.export.diagram import TopologyDiagram
from app.labels import Box, LabelInput, place_labels
from app.ui.canvas.items import EDGE_FONT, EdgeItem
from app.ui.canvas.marks import SMALL_BOLD, CascadeItem, FlowItem, LoopItem, QueueItem, pill_rect
from app.ui.canvas.scene import BoardScene
from models.catalog import default_catalog
from models.entities import Edge
from models.fileformat import load_board, load_path
from models.presenting import build_plan
from tests.conftest import EXAMPLE, ROOT

pytestmark = [pytest.mark.gui]

EXAMPLES = sorted((ROOT / "resources" / "examples").glob("*.cboard"))


def _box(rect: QRectF) -> Box:
    return Box(rect.left(), rect.top(), rect.width(), rect.height())


def drawn_labels(scene: BoardScene) -> dict[tuple[str, str, int], Box]:
    """Every label box as the canvas items draw it (not as the layout says)."""
    boxes: dict[tuple[str, str, int], Box] = {}
    for entity_id, item in scene.entity_items().items():
        if isinstance(item, EdgeItem) and not item.label_rect().isNull():
            boxes[("edge", entity_id, 0)] = _box(item.label_rect())
        elif isinstance(item, QueueItem):
            boxes[("queue", entity_id, 0)] = _box(pill_rect(item._text, item.pos() + item._pill_at, SMALL_BOLD))
        elif isinstance(item, LoopItem):
            boxes[("loop", entity_id, 0)] = _box(pill_rect(item.entity().name, item.pos() + item._name_at,
                                                           SMALL_BOLD))
        elif isinstance(item, CascadeItem) and item._segments:
            boxes[("cascade", entity_id, 0)] = _box(pill_rect(f"⚡ {item.entity().name}", item._label_at(),
                                                              SMALL_BOLD))
        elif isinstance(item, FlowItem):
            for index, (text, centre) in enumerate(item._pills):
                key = ("flow", entity_id, 0) if index == 0 else ("hop", entity_id, index - 1)
                boxes[key] = _box(pill_rect(text, centre, SMALL_BOLD))
    return boxes


def overlaps(boxes: dict[tuple[str, str, int], Box], fixed: dict[tuple[str, str, int], Box]) -> list[tuple]:
    pairs = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2)
             if box_a.overlap(box_b) > 0.5]
    pairs += [(a, b) for a, box_a in boxes.items() for b, box_b in fixed.items() if box_a.overlap(box_b) > 0.5]
    return pairs


@pytest.fixture(scope="module")
def streamflow_scene(qapp):
    board = load_board(EXAMPLE)
    scene = BoardScene(board)
    yield board, scene
    scene.detach()


def test_the_canvas_draws_every_label_where_the_placement_put_it(streamflow_scene):
    _board, scene = streamflow_scene
    layout = scene.label_layout()
    drawn = drawn_labels(scene)
    assert set(drawn) == set(layout.placed)
    for key, box in drawn.items():
        placed = layout.placed[key].box
        assert box.centre == pytest.approx(placed.centre, abs=0.6), key
        assert (box.width, box.height) == pytest.approx((placed.width, placed.height), abs=0.6), key


def test_no_label_overlaps_on_streamflow_whole_board_and_at_every_build_item(streamflow_scene):
    board, scene = streamflow_scene
    layout = scene.label_layout()
    assert len(layout.placed) >= 30  # edges, queues, loops, cascades, flows and their hops
    drawn = drawn_labels(scene)
    fixed = {k: b for k, b in layout.fixed.items() if k[0] in ("node", "queue-glyph", "loop-glyph")}
    assert overlaps(drawn, fixed) == []
    plan = build_plan(board, default_catalog())
    assert len(plan) > 10
    for build in plan:
        shown = build.drawn(board)
        visible = {k: b for k, b in drawn.items() if k[1] in shown}
        visible_fixed = {k: b for k, b in fixed.items() if k[1] in shown}
        assert overlaps(visible, visible_fixed) == [], (build.step_id, build.shown)


LOOP_NEAR = 8.0
"""A loop's name is this close to its circle's bounds (board units): beside it, ``GAP`` and the
circle box's margin apart."""


def test_each_loop_name_sits_beside_its_circle_and_no_circle_is_under_a_note(streamflow_scene):
    """Issue 10: "Retry loop" and "LLM rate limit loop" were placed away from their rings; the
    Retry loop's ring lay under step 1's "Infrastructure Team" note, so its name sat 18 units
    off (the placement is for every step at once, so it did so at every step)."""
    _board, scene = streamflow_scene
    layout = scene.label_layout()
    notes = {key[1]: box for key, box in layout.fixed.items() if key[0] == "note"}
    assert len(notes) == 6  # the four stakeholders', the premortem, the reflection
    loops = [(key[1], box) for key, box in layout.fixed.items() if key[0] == "loop-glyph"]
    assert len(loops) == 5
    for loop_id, glyph in loops:
        assert [note for note, box in notes.items() if box.overlap(glyph) > 0] == [], loop_id
        ring = glyph.grown(-4)  # the glyph box keeps 4 around the circle
        name = layout.placed[("loop", loop_id, 0)].box
        apart = max(ring.left - name.right, name.left - ring.right, ring.top - name.bottom, name.top - ring.bottom)
        assert apart <= LOOP_NEAR, (loop_id, apart)
    assert layout.collisions() == []


def test_the_cascade_arrow_no_longer_strikes_through_a_label(streamflow_scene):
    """The issue's three collisions: "similarity search · 200 ms" under the orange cascade,
    "check / store · 5 ms" against "Cache invalidation storm", the two flows' labels."""
    board, scene = streamflow_scene
    layout = scene.label_layout()
    by_text = {e.label: layout.placed[("edge", e.id, 0)].box for e in board.edges if e.label}
    storm = next(p.box for k, p in layout.placed.items() if k[0] == "cascade" and "invalidation" in p.text)
    assert by_text["check / store · 5 ms"].overlap(storm) == 0
    orange = next(c for c in board.items("cascades") if c.style == "orange")
    item = scene.item_for(orange.id)
    similarity = by_text["similarity search · 200 ms"]
    for a, b in item._segments:
        assert not similarity.crosses((a.x(), a.y()), (b.x(), b.y()))
    flows = [p.box for k, p in layout.placed.items() if k[0] in ("flow", "hop")]
    assert len(flows) >= 10
    assert not [pair for pair in itertools.combinations(flows, 2) if pair[0].overlap(pair[1]) > 0]
    # issue 10: a cascade's arrow is drawn over the labels, so none may run through one (the LLM
    # rate limit cascade struck "descriptions · 400 ms", "max 500" and the engine's "unbounded")
    assert struck_labels(scene) == []
    glyphs = [(k, box) for k, box in layout.fixed.items() if k[0] in ("queue-glyph", "loop-glyph")]
    assert [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(glyphs, 2) if box_a.overlap(box_b) > 0] == []


def struck_labels(scene: BoardScene) -> list[tuple[str, tuple]]:
    """The labels shown (the flows' layer is off) that a cascade's arrow runs through."""
    drawn = {key: box for key, box in drawn_labels(scene).items() if key[0] not in ("flow", "hop")}
    struck = []
    for cascade in scene.board.items("cascades"):
        for a, b in scene.item_for(cascade.id)._segments:
            struck += [(cascade.id, key) for key, box in drawn.items()
                       if key[1] != cascade.id and box.crosses((a.x(), a.y()), (b.x(), b.y()))]
    return struck


def test_no_edge_label_sits_on_another_edge_line_on_streamflow(streamflow_scene):
    """A label over another edge's line hides a piece of it, and the line reads as ending at the
    label ("descriptions · 400 ms" over the notify line): a crossing costs more than going eight
    places further along the label's own line."""
    board, scene = streamflow_scene
    layout = scene.label_layout()
    edges = {i: item for i, item in scene.entity_items().items() if isinstance(item, EdgeItem)}
    on_edge = {queue.id: queue.edge for queue in board.items("queues")}  # a queue's label sits on its edge
    crossed = []
    for key, placed in layout.placed.items():
        if key[0] not in ("edge", "queue"):
            continue
        for edge_id, item in edges.items():
            points = [item.point_at(i / 32) for i in range(33)]
            if edge_id not in (key[1], on_edge.get(key[1])) and any(placed.box.crosses((a.x(), a.y()), (b.x(), b.y()))
                                         for a, b in itertools.pairwise(points)):
                crossed.append((placed.text, edge_id))
    assert crossed == []


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_no_label_overlaps_on_every_example_in_the_canvas_and_the_pdf(qapp, path: Path):
    board = load_board(path)
    scene = BoardScene(board)
    try:
        layout = scene.label_layout()
        assert layout.collisions() == []
        fixed = {k: b for k, b in layout.fixed.items() if k[0] in ("node", "queue-glyph", "loop-glyph")}
        assert overlaps(drawn_labels(scene), fixed) == []
    finally:
        scene.detach()
    diagram = TopologyDiagram(load_path(path), 760.0, 420.0)  # the handout's topology page
    assert diagram.labels.placed or not any(e.label for e in board.edges)
    assert diagram.labels.collisions() == []
    # the summary page's small diagram draws only the queues' limits: placed too, off the nodes
    summary = TopologyDiagram(load_path(path), 520.0, 240.0, detail=False)
    assert {key[0] for key in summary.labels.placed} <= {"queue"}
    assert len(summary.labels.placed) == len(board.items("queues"))
    assert summary.labels.collisions() == []


def test_at_presentation_scale_long_edge_labels_grow_their_box_and_still_do_not_collide(qapp, streamflow_scene):
    """Issue 10: at 1.5× a long label was clipped by a box of the old size."""
    _board, scene = streamflow_scene
    before = {k: p.box for k, p in scene.label_layout().placed.items()}
    scene.set_text_scale(1.5)
    try:
        layout = scene.label_layout()
        assert layout.collisions() == []
        metrics = QFontMetricsF(EDGE_FONT)
        grown = 0
        for item in scene.entity_items().values():
            if isinstance(item, EdgeItem) and item.entity().label:
                rect = item.label_rect()
                needed = metrics.boundingRect(QRectF(rect), Qt.AlignmentFlag.AlignCenter, item._label_text)
                assert needed.width() <= rect.width(), item.entity().label
                assert needed.height() <= rect.height() + 1, item.entity().label
                assert "…" not in item._label_text
                grown += rect.width() > before[("edge", item.entity_id, 0)].width
        assert grown >= 10
        # a label pushed off all its places near its line looks a few rings further for one no
        # arrow runs through (the LLM rate limit cascade struck "similarity search · 200 ms")
        assert struck_labels(scene) == []
    finally:
        scene.set_text_scale(1.0)
    assert {k: p.box for k, p in scene.label_layout().placed.items()} == before


def test_moving_a_node_moves_the_labels_it_pushes_and_undo_brings_them_back(qapp):
    board = load_board(EXAMPLE)
    scene = BoardScene(board)
    try:
        before = {k: p.box for k, p in scene.label_layout().placed.items()}
        engine = board.node("engine")
        scene.item_for("engine").setPos(QPointF(engine.x, engine.y + 60))  # a drag, before the board knows
        moved = scene.label_layout()
        assert moved.collisions() == []
        assert overlaps(drawn_labels(scene), {k: b for k, b in moved.fixed.items() if k[0] == "node"}) == []
        scene.item_for("engine").setPos(QPointF(engine.x, engine.y))
        assert {k: p.box for k, p in scene.label_layout().placed.items()} == before
    finally:
        scene.detach()


def test_a_crowd_of_labels_between_two_nodes_is_spread_out_and_a_huge_word_is_cut():
    """The routine alone (Qt-free), with a fixed-width measure: ten edges between one pair of
    nodes, one of them a 500-character word."""

    class Fixed:
        scale = 1.0

        def width(self, text: str, role: str) -> float:
            return 6.0 * len(text)

        def box(self, lines, role):
            return max(6.0 * len(line) for line in lines) + 10, 16.0 * len(lines) + 2

    edges = [Edge(id=f"e{i}", source="a" if i % 2 else "b", target="b" if i % 2 else "a", label=f"call number {i}")
             for i in range(9)]
    edges.append(Edge(id="huge", source="a", target="b", label="x" * 500))  # the longest a label may be
    layout = place_labels(LabelInput(centres={"a": (0.0, 0.0), "b": (400.0, 0.0)}, edges=edges), Fixed())
    assert layout.collisions() == []
    huge = layout.placed[("edge", "huge", 0)]
    assert huge.lines[-1].endswith("…")
    assert huge.box.width <= 400


def test_a_label_with_no_room_near_its_line_stays_on_its_least_covered_place():
    """The routine alone (Qt-free): everything round a label's line is taken out to past the
    ``RINGS`` search; it takes the least covered of its own places, not a free spot far off that
    would read as another line's label (and the search no longer walks 29 rings for it)."""
    from app.labels import RINGS, _choose, _Index, _Request

    index = _Index()
    wall = 12 * RINGS * 2.0  # rings step by 12 (0.75 × the height): this covers every ring and more
    index.add_box(("node", "crowd", 0), Box(-wall, -wall, 2 * wall, 2 * wall - 40))  # a strip free at the bottom
    candidates = [(0.0, 0.0), (0.0, wall - 40.0)]  # the second one half in the free strip
    box = _choose(_Request(("edge", "e", 0), ("call",), (60.0, 16.0), candidates, "e"), index)
    assert box.centre == candidates[1]
    # a free place exists, beyond any label's reach
    far = Box.around((0.0, wall - 20.0), 60.0, 16.0)
    assert not index.touches(far)
