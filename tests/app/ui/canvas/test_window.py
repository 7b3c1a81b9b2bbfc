"""The window: inspector edits (merged, validated), arranging, clipboard,
layers, shortcuts sheet and the docks contract."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDockWidget, QLabel, QLineEdit, QTableWidget

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def field(window, name):
    widget = window.inspector.findChild(QLineEdit, f"field_{name}")
    assert widget is not None, name
    return widget


def test_typing_in_the_inspector_is_one_undo_step(qtbot, window):
    window.selection.select(["cache"])
    label = field(window, "label")
    label.selectAll()
    qtbot.keyClicks(label, "Redis")
    assert window.board.node("cache").label == "Redis"
    assert window.undo_stack.count() == 1
    assert window.action_set["undo"].text() == "&Undo Change label of node 'Cache'"
    window.undo_stack.undo()
    assert window.board.node("cache").label == "Cache"
    qtbot.waitUntil(lambda: label.text() == "Cache")  # the form follows the board


def test_simulation_parameters_are_validated_as_you_type(qtbot, window):
    window.selection.select(["engine"])
    workers = field(window, "sim.workers")
    workers.setFocus()
    workers.selectAll()
    qtbot.keyClicks(workers, "0")
    error = next(label for label in window.inspector.findChildren(QLabel)
                 if label.isVisible() and "at least 1" in label.text())
    assert "workers" in error.text()
    assert window.undo_stack.count() == 0
    qtbot.keyClick(workers, Qt.Key.Key_Backspace)
    qtbot.keyClicks(workers, "4")
    assert window.board.node("engine").sim.workers == 4
    assert not error.isVisible()
    mean = field(window, "sim.service_time.mean_ms")
    mean.selectAll()
    qtbot.keyClicks(mean, "abc")
    assert window.board.node("engine").sim.service_time.mean_ms != "abc"


def test_board_changes_show_in_the_inspector(window):
    window.selection.select(["cache"])
    window.editor.update("nodes", "cache", label="Memcached")
    window.inspector.refresh()
    assert field(window, "label").text() == "Memcached"


def test_align_distribute_and_layout_are_undoable(window):
    board = window.board
    window.selection.select(["content", "analytics", "notification"])
    window.action_set["align_top"].trigger()
    assert len({board.node(n).y for n in ("content", "analytics", "notification")}) == 1
    window.action_set["distribute_x"].trigger()
    xs = sorted(board.node(n).x for n in ("content", "analytics", "notification"))
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])
    before = board.document()
    window.selection.clear()
    window.action_set["layout_layered"].trigger()
    assert window.undo_stack.undoText() == "Layered layout of board"
    assert board.node("users").x < board.node("gateway").x < board.node("engine").x < board.node("llm").x
    window.action_set["layout_force"].trigger()
    positions = {(n.x, n.y) for n in board.nodes}
    assert len(positions) == len(board.nodes)
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert board.document() == before


def test_copy_paste_duplicate_cut(qtbot, window):
    board = window.board
    window.selection.select(["engine", "llm"])
    window.action_set["copy"].trigger()
    window.action_set["paste"].trigger()
    pasted = window.selection.ids
    assert len(pasted) == 2
    assert board.node(pasted[0]).label == "Recommendation Engine"
    copied_edge = [e for e in board.edges if (e.source, e.target) == (pasted[0], pasted[1])]
    assert len(copied_edge) == 1
    assert [q for q in board.items("queues") if q.edge == copied_edge[0].id]
    assert window.undo_stack.undoText() == "Paste 2 nodes"
    window.action_set["duplicate"].trigger()
    assert len(board.nodes) == 17
    window.action_set["cut"].trigger()
    assert len(board.nodes) == 15
    window.undo_stack.undo()
    assert len(board.nodes) == 17


def test_layer_shortcuts_and_panel(qtbot, window):
    assert window.scene.item_for("q-engine").isVisible()
    window.action_set["layer_queues"].trigger()
    assert not window.board.layers.queues
    assert not window.scene.item_for("q-engine").isVisible()
    box = window.layers_panel.findChild(QCheckBox, "layer_queues")
    assert not box.isChecked()
    box.setChecked(True)
    assert window.board.layers.queues
    assert window.undo_stack.count() == 2


def test_insert_queue_loop_and_cascade(window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    board = window.board
    window.selection.select(["e-engine-cache"])
    window.edits.add_queue(exists=False)
    queue = board.get("queues", window.selection.ids[0])
    assert (queue.edge, queue.exists) == ("e-engine-cache", False)
    assert "missing_queue" in board.edge("e-engine-cache").marks
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Hot key loop", True)))
    window.selection.select(["engine", "cache"])
    window.edits.add_loop()
    loop = board.get("loops", window.selection.ids[0])
    assert loop.nodes == ("engine", "cache")
    assert loop.edges == ("e-engine-cache",)
    window.selection.select(["cache", "engine", "gateway"])
    window.edits.add_cascade()
    cascade = board.get("cascades", window.selection.ids[0])
    assert cascade.path == ("cache", "engine", "gateway")
    assert window.scene.item_for(cascade.id) is not None


def test_shortcuts_sheet_lists_the_frequent_actions(window):
    dialog = window.show_shortcuts()
    table = dialog.findChild(QTableWidget)
    rows = {table.item(r, 1).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert rows["Connect Selected Nodes"] == "C"
    assert rows["Quick Add Node…"] == "A"
    assert rows["Undo"] == "Ctrl+Z"
    assert rows["Redo"] == "Ctrl+Shift+Z, Ctrl+Y"
    assert "Del" in rows["Delete"]
    assert rows["Zoom to Fit"] == "Shift+1, Home"
    assert rows["Zoom to Selection"] == "Shift+2, Z"
    dialog.close()


def test_docks_contract(window):
    from app.ui.canvas.scene import BoardScene

    for name in ("board", "editor", "selection", "undo_stack", "scene", "view"):
        assert getattr(window, name) is not None
    assert isinstance(window.scene, BoardScene)
    extra = QDockWidget("Extra")
    action = window.add_dock(extra, Qt.DockWidgetArea.BottomDockWidgetArea, "Extra panel", "Ctrl+Alt+X")
    assert action in window.docks_menu.actions()
    assert action.shortcut().toString() == "Ctrl+Alt+X"
    titles = {a.text() for a in window.docks_menu.actions()}
    assert {"Palette", "Inspector", "Layers", "Outline"} <= titles


def test_outline_search_selects_on_the_canvas(qtbot, window):
    outline = window.outline
    qtbot.keyClicks(outline.filter, "vector")
    outline.rebuild()
    assert "vectordb" in outline.row_ids("nodes")
    outline.select_rows(["vectordb"])
    assert window.selection.ids == ["vectordb"]
    assert window.scene.item_for("vectordb").isSelected()


def test_optional_parameters_switch_on_and_off(qtbot, window):
    from PySide6.QtWidgets import QGroupBox

    window.selection.select(["vectordb"])
    group = window.inspector.findChild(QGroupBox, "group_sim.rate_limit")
    assert group is not None
    assert not group.isChecked()
    group.setChecked(True)
    assert window.board.node("vectordb").sim.rate_limit is not None
    assert window.undo_stack.undoText() == "Change sim rate limit of node 'Vector DB'"
    limit = field(window, "sim.queue_limit")
    limit.setFocus()
    limit.selectAll()
    qtbot.keyClicks(limit, "250")
    assert window.board.node("vectordb").sim.queue_limit == 250
    limit.selectAll()
    qtbot.keyClick(limit, Qt.Key.Key_Delete)
    assert window.board.node("vectordb").sim.queue_limit is None
    window.selection.select(["e-engine-llm"])
    timeout = field(window, "call.timeout_ms")
    timeout.selectAll()
    qtbot.keyClicks(timeout, "800")
    assert window.board.edge("e-engine-llm").call.timeout_ms == 800.0
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    assert window.board.node("vectordb").sim.rate_limit is None


def test_the_inspector_shows_every_kind_of_entity(window):
    from models.document import COLLECTIONS

    for collection in COLLECTIONS:
        entities = window.board.items(collection)
        if not entities:
            continue
        window.selection.select([entities[0].id])
        assert window.inspector.form is not None, collection
        assert window.inspector.title.text().endswith(entities[0].id)
    window.selection.select(["engine", "cache"])
    assert window.inspector.title.text() == "2 items selected"
    window.selection.clear()
    assert window.inspector.title.text() == "Board"
