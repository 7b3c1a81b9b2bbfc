"""Drawing with real mouse and keyboard input: add, connect, rename, move,
delete and undo, asserting on the board and on the scene's items."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.canvas.items import EdgeItem, NodeItem
from app.ui.canvas.style import NODE_W
from tests.app.ui.canvas.conftest import at, drag, drawn_ids, hover

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_double_click_adds_a_node_then_typing_names_it(qtbot, empty_window):
    w = empty_window
    view = w.view
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, 100, 100))
    assert len(w.board.nodes) == 1
    node = w.board.nodes[0]
    assert isinstance(w.scene.item_for(node.id), NodeItem)
    assert view.label_editor.isVisible()
    qtbot.keyClicks(view.label_editor, "Checkout API")
    qtbot.keyClick(view.label_editor, Qt.Key.Key_Return)
    assert w.board.node(node.id).label == "Checkout API"
    assert not view.label_editor.isVisible()
    assert w.undo_stack.undoText() == "Rename node 'Checkout API'"
    assert w.windowTitle().startswith("Untitled[*]")
    assert w.isWindowModified()
    w.undo_stack.undo()
    assert w.board.node(node.id).label == "New service"
    w.undo_stack.undo()
    assert w.board.nodes == ()
    assert w.scene.entity_items() == {}


def test_drag_from_a_nodes_rim_connects_it(qtbot, window):
    view, board = window.view, window.board
    auth, content = board.node("auth"), board.node("content")
    assert not [e for e in board.edges if (e.source, e.target) == ("auth", "content")]
    rim = at(view, auth.x + NODE_W / 2 - 3, auth.y)
    drag(qtbot, view, rim, at(view, content.x, content.y))
    edge = next(e for e in board.edges if (e.source, e.target) == ("auth", "content"))
    assert isinstance(window.scene.item_for(edge.id), EdgeItem)
    assert window.selection.ids == [edge.id]
    window.undo_stack.undo()
    assert board.find(edge.id) is None
    assert window.scene.item_for(edge.id) is None


def test_dragging_a_node_is_one_undo_step(qtbot, window):
    view, board = window.view, window.board
    before = board.document()
    auth = board.node("auth")
    drag(qtbot, view, at(view, auth.x - 20, auth.y + 5), at(view, auth.x + 100, auth.y + 45), steps=8)
    moved = board.node("auth")
    assert (moved.x, moved.y) == (auth.x + 120, auth.y + 40)
    assert window.scene.item_for("auth").pos().x() == moved.x
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Move node 'Auth Service'"
    window.undo_stack.undo()
    assert board.document() == before
    assert window.scene.item_for("auth").pos().x() == auth.x


def test_arrow_keys_move_the_selection_and_merge(qtbot, window):
    view, board = window.view, window.board
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, board.node("cache").x, 80))
    assert window.selection.ids == ["cache"]
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert (board.node("cache").x, board.node("cache").y) == (990.0, 81.0)
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert (board.node("cache").x, board.node("cache").y) == (960.0, 80.0)


def test_delete_key_removes_a_node_with_its_edges_and_undo_restores(qtbot, window):
    view, board = window.view, window.board
    before = board.document()
    llm = board.node("llm")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, llm.x, llm.y))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert board.find("llm") is None
    assert not [e for e in board.edges if "llm" in (e.source, e.target)]
    assert set(window.scene.entity_items()) == drawn_ids(board)
    assert window.action_set["undo"].text() == "&Undo Delete node 'LLM Service'"
    window.undo_stack.undo()
    assert board.document() == before
    assert set(window.scene.entity_items()) == drawn_ids(board)
    window.undo_stack.redo()
    assert board.find("llm") is None


def test_rubber_band_ctrl_click_and_select_all(qtbot, window):
    view, board = window.view, window.board
    # a band around the bottom row: content, analytics, notification
    drag(qtbot, view, at(view, 330, 520), at(view, 880, 610))
    assert {"content", "analytics", "notification"} <= set(window.selection.ids)
    assert "engine" not in window.selection.ids
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     at(view, board.node("analytics").x, board.node("analytics").y))
    assert "analytics" not in window.selection.ids
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert set(window.selection.ids) == drawn_ids(board)


def test_quick_add_box_places_a_guessed_kind_at_the_cursor(qtbot, empty_window):
    w = empty_window
    view = w.view
    view.setFocus()
    hover(view, at(view, 500, 260))
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert view.quick_add.isVisible()
    qtbot.keyClicks(view.quick_add.edit, "Redis cache")
    assert view.quick_add.kind.currentData() == "cache"
    qtbot.keyClick(view.quick_add.edit, Qt.Key.Key_Return)
    node = w.board.nodes[0]
    assert (node.label, node.kind) == ("Redis cache", "cache")
    assert abs(node.x - 500) < 2
    assert abs(node.y - 260) < 2
    assert w.selection.ids == [node.id]
    assert not view.quick_add.isVisible()
    assert not view.label_editor.isVisible()


def test_connect_key_links_two_selected_nodes_in_selection_order(qtbot, window):
    view, board = window.view, window.board
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, 420, 560))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     at(view, 600, 560))
    assert window.selection.ids == ["content", "analytics"]
    qtbot.keyClick(view, Qt.Key.Key_C)
    edge = board.edges[-1]
    assert (edge.source, edge.target) == ("content", "analytics")
    assert window.scene.item_for(edge.id) is not None


def test_rename_in_place_with_f2(qtbot, window):
    view, board = window.view, window.board
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, 420, 40))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert view.label_editor.isVisible()
    assert view.label_editor.text() == "Auth Service"
    view.label_editor.selectAll()
    qtbot.keyClicks(view.label_editor, "Identity")
    qtbot.keyClick(view.label_editor, Qt.Key.Key_Return)
    assert board.node("auth").label == "Identity"
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.keyClicks(view.label_editor, "ignored")
    qtbot.keyClick(view.label_editor, Qt.Key.Key_Escape)
    assert board.node("auth").label == "Identity"


def test_health_keys_and_edge_marks(qtbot, window):
    view, board = window.view, window.board
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, 420, 560))
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert board.node("content").health == "red"
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert board.node("content").health == "none"
    window.selection.select(["e-gateway-content"])
    qtbot.keyClick(view, Qt.Key.Key_D)
    assert board.edge("e-gateway-content").style == "dashed"
    qtbot.keyClick(view, Qt.Key.Key_P)
    assert "critical" in board.edge("e-gateway-content").marks


def test_zoom_keys_wheel_and_fit(qtbot, window):
    view = window.view
    view.setFocus()
    start = view.zoom()
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() > start
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(1.0)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() < 1.0
    qtbot.keyClick(view, Qt.Key.Key_Home)
    rect = window.scene.content_rect()
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(rect)
    assert "Zoom" in window.zoom_label.text()


def test_sticky_note_is_added_and_edited_in_place(qtbot, window):
    view = window.view
    from tests.app.ui.canvas.conftest import hover

    hover(view, at(view, 200, 650))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_N)
    note_id = window.selection.ids[0]
    note = window.board.get("annotations", note_id)
    assert note.kind == "sticky"
    item = window.scene.item_for(note_id)
    centre = view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert view.label_editor.isVisible()
    view.label_editor.selectAll()
    qtbot.keyClicks(view.label_editor, "Ask about the SLA")
    qtbot.keyClick(view.label_editor, Qt.Key.Key_Return)
    assert window.board.get("annotations", note_id).text == "Ask about the SLA"
    drag(qtbot, view, centre, centre + (at(view, 300, 700) - at(view, 200, 650)))
    moved = window.board.get("annotations", note_id)
    assert (moved.x - note.x, moved.y - note.y) == (100, 50)


def test_context_menu_offers_what_applies(window):
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QMenu

    from app.ui.actions import fill_context_menu

    menu = QMenu()
    fill_context_menu(window, menu, window.scene.item_for("engine"), QPointF())
    texts = [a.text() for a in menu.actions()]
    assert "&Rename" in texts
    assert "Health" in texts
    edge_menu = QMenu()
    fill_context_menu(window, edge_menu, window.scene.item_for("e-engine-llm"), QPointF())
    assert "Toggle Edge &Dashed" in [a.text() for a in edge_menu.actions()]
    empty = QMenu()
    fill_context_menu(window, empty, None, QPointF(10, 10))
    add = empty.actions()[0].menu()
    add.actions()[2].trigger()
    assert window.board.nodes[-1].kind == "database"


def test_dropping_a_connection_on_empty_canvas_adds_the_callee(qtbot, window):
    view, board = window.view, window.board
    content = board.node("content")
    rim = at(view, content.x + NODE_W / 2 - 3, content.y)
    drag(qtbot, view, rim, at(view, content.x + 200, content.y + 120))
    new = board.nodes[-1]
    assert (new.x, new.y) == pytest.approx((content.x + 200, content.y + 120), abs=1.5)
    edge = board.edges[-1]
    assert (edge.source, edge.target) == ("content", new.id)
    assert view.label_editor.isVisible()
    qtbot.keyClicks(view.label_editor, "Thumbnails")
    qtbot.keyClick(view.label_editor, Qt.Key.Key_Return)
    assert board.node(new.id).label == "Thumbnails"
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert board.find(new.id) is None
    assert board.find(edge.id) is None


def test_shift_a_adds_a_called_node_beside_the_selected_one(qtbot, window):
    view, board = window.view, window.board
    window.selection.select(["pipeline"])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
    assert view.quick_add.isVisible()
    qtbot.keyClicks(view.quick_add.edit, "Kafka topic")
    qtbot.keyClick(view.quick_add.edit, Qt.Key.Key_Return)
    new = board.nodes[-1]
    assert (new.label, new.kind) == ("Kafka topic", "broker")
    assert new.x == board.node("pipeline").x + 260
    edge = board.edges[-1]
    assert (edge.source, edge.target) == ("pipeline", new.id)
    assert window.undo_stack.undoText() == "Add 'Kafka topic' called by 'Content Pipeline'"
    window.undo_stack.undo()
    assert board.find(new.id) is None
