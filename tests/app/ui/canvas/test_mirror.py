"""The scene mirrors the board: after any command, undo or redo, there is
exactly one item per drawable entity, and items sit where the board says."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPointF

from app.ui.canvas.items import EdgeItem, NodeItem
from app.ui.canvas.scene import BEND, BoardScene
from app.ui.canvas.style import Overlay
from app.ui.editor import BoardEditor
from app.ui.selection import SelectionModel
from models.board import Board
from models.errors import BoardError
from models.fileformat import load_path
from tests.app.ui.canvas.conftest import drawn_ids

pytestmark = pytest.mark.gui


def assert_mirrors(scene: BoardScene) -> None:
    board = scene.board
    assert set(scene.entity_items()) == drawn_ids(board)
    for node in board.nodes:
        item = scene.item_for(node.id)
        assert isinstance(item, NodeItem)
        assert (item.pos().x(), item.pos().y()) == (node.x, node.y)
    for edge in board.edges:
        item = scene.item_for(edge.id)
        assert isinstance(item, EdgeItem)
        start = item._path.pointAtPercent(0)
        source = scene.item_for(edge.source).sceneBoundingRect()
        assert source.adjusted(-30, -30, 30, 30).contains(start)


VERBS = ["add", "connect", "delete", "move", "rename", "queue", "loop", "cascade", "layers", "paste", "align",
         "layout", "undo", "redo", "reset"]
ACTIONS = st.lists(st.tuples(st.sampled_from(VERBS), st.integers(0, 1000), st.integers(0, 1000)),
                   min_size=1, max_size=30)


@settings(max_examples=35, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_random_command_sequences_keep_the_scene_mirroring_the_board(qapp, example_path, actions):
    board = Board(load_path(example_path))
    editor = BoardEditor(board)
    selection = SelectionModel()
    scene = BoardScene(board, editor, selection)
    stack = editor.stack
    start = board.document()
    try:
        for verb, a, b in actions:
            nodes = board.nodes
            pick = nodes[a % len(nodes)].id if nodes else None
            other = nodes[b % len(nodes)].id if nodes else None
            try:
                if verb == "add":
                    editor.add_node("service", f"Node {a}", float(a), float(b))
                elif verb == "connect" and pick and other:
                    editor.connect(pick, other)
                elif verb == "delete" and pick:
                    selection.select([pick])
                    editor.delete([pick])
                elif verb == "move" and pick:
                    editor.move_nodes({pick: (float(a), float(b))}, nudge=bool(b % 2))
                elif verb == "rename" and pick:
                    editor.update("nodes", pick, label=f"Renamed {b}")
                elif verb == "queue" and board.edges:
                    edge = board.edges[a % len(board.edges)]
                    editor.create("queues", f"q-{edge.id}", name="q", edge=edge.id, exists=bool(b % 2))
                elif verb == "loop" and pick and other:
                    editor.create("loops", "loop", name="loop", nodes=(pick, other), x=None if b % 2 else 5.0,
                                  y=None if b % 2 else 5.0)
                elif verb == "cascade" and pick and other:
                    editor.create("cascades", "cascade", name="c", trigger="t", path=(pick, other),
                                  style=("red", "orange", "dashed")[b % 3])
                elif verb == "layers":
                    name = ("queues", "loops", "cascades", "flows", "stages", "health", "legend")[a % 7]
                    editor.set_layers(**{name: not getattr(board.layers, name)})
                elif verb == "paste" and pick:
                    editor.paste(editor.copy_fragment([pick, other]), (float(a % 50), 10.0))
                elif verb == "align" and len(nodes) > 2:
                    editor.align([n.id for n in nodes[:3]], ("left", "top", "hcenter")[b % 3])
                elif verb == "layout" and nodes:
                    editor.layout("layered" if b % 2 else "force")
                elif verb == "undo" and stack.canUndo():
                    stack.undo()
                elif verb == "redo" and stack.canRedo():
                    stack.redo()
                elif verb == "reset":
                    board.replace_document(load_path(example_path))
                    stack.clear()
                    start = board.document()
            except BoardError:
                pass
            assert_mirrors(scene)
            assert set(selection.ids) <= drawn_ids(board)
        end, end_index = board.document(), stack.index()
        while stack.canUndo():
            stack.undo()
            assert_mirrors(scene)
        assert board.document() == start
        while stack.index() < end_index:
            stack.redo()
        assert board.document() == end
        assert_mirrors(scene)
    finally:
        scene.detach()
        scene.deleteLater()


def test_opposite_edges_between_a_pair_never_overlap(qapp):
    board = Board()
    editor = BoardEditor(board)
    scene = BoardScene(board, editor)
    a = editor.add_node("service", "A", 0, 0)
    b = editor.add_node("service", "B", 400, 0)
    there = editor.connect(a, b)
    back = editor.connect(b, a)
    first, second = scene.item_for(there), scene.item_for(back)
    # a bend is measured against the edge's own direction: the same bend on opposite directions
    assert scene.edge_bend(there) == scene.edge_bend(back) == -BEND / 2
    # the two curves' midpoints are on opposite sides of the straight line y = 0
    assert first.midpoint().y() * second.midpoint().y() < 0
    assert abs(first.midpoint().y() - second.midpoint().y()) >= 20
    editor.stack.undo()
    assert scene.edge_bend(there) == 0.0
    assert abs(scene.item_for(there).midpoint().y()) < 0.5
    scene.detach()


def test_overlays_change_the_look_never_the_board(qapp, example_path):
    board = Board(load_path(example_path))
    scene = BoardScene(board)
    before = board.document()
    scene.set_overlays({"engine": Overlay(fill="#D32F2F", badge="q 812"), "e-engine-llm": Overlay(width=6)})
    assert scene.item_for("engine").overlay.badge == "q 812"
    fill, _border, _width, text = scene.item_for("engine").colours()
    assert fill.name() == "#d32f2f"
    assert text.name() == "#ffffff"
    scene.clear_overlays()
    assert scene.item_for("engine").overlay is None
    assert board.document() == before
    scene.detach()


def test_loop_hover_lights_up_its_members(qapp, example_path):
    board = Board(load_path(example_path))
    scene = BoardScene(board, BoardEditor(board))
    loop = board.get("loops", "loop-cache-miss")
    scene.item_for(loop.id).hoverEnterEvent(None) if False else scene.set_highlight(
        [*loop.nodes, *loop.edges], scene.item_for(loop.id).colour())
    lit = {i for i, item in scene.entity_items().items() if item._highlight is not None}
    assert lit == {*loop.nodes, *loop.edges}
    scene.set_highlight([], None)
    assert not any(item._highlight for item in scene.entity_items().values())
    scene.detach()


def test_layers_hide_and_show_their_items(qapp, example_path):
    board = Board(load_path(example_path))
    editor = BoardEditor(board)
    scene = BoardScene(board, editor)
    assert scene.item_for("q-engine").isVisible()
    editor.set_layers(queues=False, cascades=False, flows=True)
    assert not scene.item_for("q-engine").isVisible()
    assert not scene.item_for("cascade-retry-storm").isVisible()
    assert scene.item_for("flow-happy").isVisible()
    editor.stack.undo()
    assert scene.item_for("q-engine").isVisible()
    editor.set_layers(legend=True)
    assert scene.legend.isVisible()
    assert scene.legend.pos().x() > max(n.x for n in board.nodes)
    scene.detach()


def test_scene_follows_a_replaced_document(qapp, example_path):
    board = Board()
    scene = BoardScene(board)
    assert scene.entity_items() == {}
    board.replace_document(load_path(example_path))
    assert set(scene.entity_items()) == drawn_ids(board)
    assert scene.content_rect().contains(QPointF(board.node("engine").x, board.node("engine").y))
    scene.detach()
