"""Opening a big board keeps the window responsive (issue 16): the canvas builds its items in
steps from the event loop, edits made meanwhile land and undo exactly, labels are placed off the
GUI thread, the outline lists rows lazily and the critical path comes from a job. The timing
is measured by benchmarks/bench_open.py; here only the behaviour."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QRectF, QTimer
from PySide6.QtWidgets import QGraphicsScene

from app.ui.canvas.scene import BIG_BOARD, BoardScene
from app.ui.docks.outline import BATCH
from app.ui.panels.topology import SHOWN_HOPS
from models.board import Board
from models.fileformat import document_from_data
from models.synthetic import board_data

pytestmark = pytest.mark.gui

NODES = 800


def test_a_big_board_is_built_in_steps_and_edits_meanwhile_land_and_undo(qtbot, make_window, tmp_path):
    path = tmp_path / "big.cboard"
    path.write_text(json.dumps(board_data("chain", NODES)), encoding="utf-8")
    window = make_window()
    scene, board, editor = window.scene, window.board, window.editor
    steps: list[tuple[int, int]] = []
    scene.build_progress.connect(lambda done, total: steps.append((done, total)))
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(scene.building))
    timer.start(5)

    assert window.files.open_path(str(path), ask=False)
    total = len(board.nodes) + len(board.edges)
    assert scene.building
    assert len(scene.entity_items()) < total  # nothing drawn yet: the open returned at once
    qtbot.waitUntil(lambda: len(scene.entity_items()) > 300, timeout=600_000)
    assert scene.building, "the board was built in one go"
    # edits while the canvas is still being built: on an item already drawn, on one still to come
    original = board.node("n700")
    editor.update("nodes", "n1", label="Renamed mid-build")
    editor.move_nodes({"n700": (9000.0, 9000.0)})
    editor.delete(["e500-501"])
    editor.update("edges", "e3-4", label="a label placed off the GUI thread")
    qtbot.waitUntil(lambda: not scene.building, timeout=600_000)

    assert sum(1 for building in ticks if building) >= 3  # the event loop turned during the build
    assert len({done for done, _ in steps}) >= 3
    assert steps[-1][0] == steps[-1][1]
    ids = {e.id for e in board.nodes} | {e.id for e in board.edges}
    assert set(scene.entity_items()) == ids
    assert scene.item_for("n1").entity().label == "Renamed mid-build"
    assert (scene.item_for("n700").pos().x(), scene.item_for("n700").pos().y()) == (9000.0, 9000.0)
    assert scene.item_for("e500-501") is None
    edge = scene.item_for("e499-500")
    assert edge is not None
    assert edge.boundingRect().width() > 0
    qtbot.waitUntil(lambda: not scene.item_for("e3-4").label_rect().isEmpty(), timeout=600_000)

    for _ in range(4):
        window.undo_stack.undo()
    assert board.node("n1").label == "Node 1"
    assert scene.item_for("n1").entity().label == "Node 1"
    assert board.node("n700") == original
    assert (scene.item_for("n700").pos().x(), scene.item_for("n700").pos().y()) == (original.x, original.y)
    assert scene.item_for("e500-501") is not None
    assert window.undo_stack.isClean()
    qtbot.waitUntil(lambda: scene.item_for("e3-4").label_rect().isEmpty(), timeout=600_000)

    # the outline lists every node, but gives the view a batch of rows at a time
    outline = window.outline
    assert len(outline.row_ids("nodes")) == NODES + 1
    nodes_group = outline.model.group_index("nodes")
    assert BATCH <= outline.model.rowCount(nodes_group) < NODES + 1
    outline.select_rows(["n700"])  # a row past the batch is fetched when it is picked
    assert window.selection.ids == ["n700"]
    assert scene.item_for("n700").isSelected()

    # the critical path of a big board comes from a job and is shortened for the label
    window.panels.docks["topology"].show()
    window.panels.docks["topology"].raise_()
    topology = window.panels.widgets["topology"]
    qtbot.waitUntil(lambda: "mean work" in topology.critical_label.text(), timeout=600_000)
    assert "more" in topology.critical_label.text()
    assert len(topology.path_nodes) > SHOWN_HOPS  # Select critical path still selects all of it


def test_reopening_a_big_board_keeps_the_index_it_was_given(qapp):
    """The old items leave a big board's scene without an index (removing them from it one by one
    was most of a re-open); afterwards the index is Qt's BSP tree again, at the depth set for the
    board, and finds the new items."""
    board = Board(document_from_data(board_data("chain", BIG_BOARD // 2 + 10)))  # nodes and edges: over BIG_BOARD
    scene = BoardScene(board, chunked=True)
    scene.build_all()
    depth = scene.bspTreeDepth()
    assert depth >= 5
    scene.rebuild()  # as a revert or a re-open does
    assert scene.itemIndexMethod() == QGraphicsScene.ItemIndexMethod.BspTreeIndex
    assert scene.bspTreeDepth() == depth
    scene.build_all()
    assert set(scene.entity_items()) == {n.id for n in board.nodes} | {e.id for e in board.edges}
    node = scene.item_for("n300")
    centre = node.sceneBoundingRect().center()
    assert node in scene.items(QRectF(centre.x() - 1, centre.y() - 1, 2, 2))
    scene.detach()
