"""Palette drops, panning, wheel zoom, snapping, recent files and window state."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from app.ui.canvas.editors import guess_kind
from app.ui.canvas.view import KIND_MIME
from tests.app.ui.canvas.conftest import at, drag

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_dropping_a_palette_kind_adds_that_node(qtbot, empty_window):
    w = empty_window
    palette_item = w.palette_panel.item(3)
    kind = palette_item.data(Qt.ItemDataRole.UserRole)
    data = w.palette_panel.mimeData([palette_item])
    assert bytes(data.data(KIND_MIME)).decode() == kind == "cache"
    target = at(w.view, 560, 280)
    enter = QDragEnterEvent(target, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w.view.viewport(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(target), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(w.view.viewport(), drop)
    node = w.board.nodes[0]
    assert (node.kind, node.label) == ("cache", "Cache")
    assert abs(node.x - 560) < 2
    assert abs(node.y - 280) < 2
    assert w.view.label_editor.isVisible()
    w.view.label_editor.cancel()
    ignored = QMimeData()
    ignored.setData(KIND_MIME, QByteArray(b"nonsense"))
    QApplication.sendEvent(w.view.viewport(), QDropEvent(QPointF(target), Qt.DropAction.CopyAction, ignored,
                                                         Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    assert len(w.board.nodes) == 1


def test_middle_button_and_space_drag_pan(qtbot, window):
    view = window.view
    viewport = view.viewport()
    start = view.mapToScene(viewport.rect().center())
    qtbot.mousePress(viewport, Qt.MouseButton.MiddleButton, pos=QPoint(400, 300))
    QApplication.sendEvent(viewport, QMouseEvent(QMouseEvent.Type.MouseMove, QPointF(300, 250),
                                                 viewport.mapToGlobal(QPointF(300, 250)), Qt.MouseButton.NoButton,
                                                 Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier))
    qtbot.mouseRelease(viewport, Qt.MouseButton.MiddleButton, pos=QPoint(300, 250))
    moved = view.mapToScene(viewport.rect().center())
    assert moved.x() - start.x() == pytest.approx(100, abs=2)
    assert moved.y() - start.y() == pytest.approx(50, abs=2)
    before = window.board.document()
    view.setFocus()
    qtbot.keyPress(view, Qt.Key.Key_Space)
    drag(qtbot, view, QPoint(400, 300), QPoint(500, 300))
    qtbot.keyRelease(view, Qt.Key.Key_Space)
    assert view.mapToScene(viewport.rect().center()).x() == pytest.approx(moved.x() - 100, abs=2)
    assert window.board.document() == before  # panning never edits


def test_wheel_zooms_under_the_cursor(qtbot, window):
    view = window.view
    viewport = view.viewport()
    under = QPointF(300, 200)
    anchor = view.mapToScene(under.toPoint())
    event = QWheelEvent(under, viewport.mapToGlobal(under), QPoint(), QPoint(0, 240), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(viewport, event)
    assert view.zoom() > 1.3
    after = view.mapToScene(under.toPoint())
    assert abs(after.x() - anchor.x()) < 3
    assert abs(after.y() - anchor.y()) < 3


def test_snap_to_grid_applies_to_drags_and_new_nodes(qtbot, window):
    window.action_set["snap"].trigger()
    assert window.scene.snap_enabled
    assert "on" in window.snap_label.text()
    auth = window.board.node("auth")
    drag(qtbot, window.view, at(window.view, auth.x, auth.y), at(window.view, auth.x + 33, auth.y + 27))
    moved = window.board.node("auth")
    assert moved.x % 20 == 0
    assert moved.y % 20 == 0
    assert (moved.x, moved.y) != (auth.x, auth.y)
    node_id = window.view.add_node_at(QPointF(133, 77), "service", "Snapped")
    assert (window.board.node(node_id).x, window.board.node(node_id).y) == (140, 80)


def test_recent_files_and_window_state_are_remembered(make_window, board_copy):
    from app.ui.files import settings

    first = make_window(board_copy)
    first.files.fill_recent_menu()
    titles = [a.text() for a in first.files.recent_menu.actions()]
    assert titles[0].endswith("streamflow-ai.cboard")
    first.action_set["dark"].trigger()
    first.resize(1234, 777)
    first.close()
    assert settings().value("window/geometry") is not None
    second = make_window()
    assert second.theme.dark
    assert second.action_set["dark"].isChecked()
    assert str(board_copy.resolve()) in second.files.recent.paths()
    second.set_theme("light")


def test_status_bar_names_the_selection(window):
    window.selection.select(["engine", "llm", "e-engine-llm"])
    assert window.selection_label.text() == "Selected: 2 nodes, 1 edge"
    window.selection.clear()
    assert window.selection_label.text() == "13 nodes, 13 edges"


@pytest.mark.parametrize(("label", "kind"), [("Redis cache", "cache"), ("Postgres", "database"),
                                             ("Kafka events", "broker"), ("OpenAI GPT", "llm"),
                                             ("Billing", "service")])
def test_quick_add_guesses_kinds(label, kind):
    assert guess_kind(label) == kind


def test_hovering_a_loop_lights_up_its_members(qtbot, window):
    from tests.app.ui.canvas.conftest import hover

    view = window.view
    loop = window.board.get("loops", "loop-llm-rate-limit")
    hover(view, at(view, 100, 650))
    hover(view, at(view, loop.x, loop.y))
    lit = {i for i, item in window.scene.entity_items().items() if item._highlight is not None}
    assert lit == {*loop.nodes, *loop.edges}
    hover(view, at(view, 100, 650))
    assert not any(item._highlight for item in window.scene.entity_items().values())


def test_deleting_in_a_panel_prunes_the_selection(qtbot, window):
    window.selection.select(["cascade-retry-storm"])
    window.editor.delete(["cascade-retry-storm"])
    qtbot.waitUntil(lambda: window.selection.ids == [])


def test_dropping_a_board_file_opens_it(qtbot, empty_window, board_copy):
    from PySide6.QtCore import QUrl

    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(board_copy))])
    target = QPointF(200, 200)
    viewport = empty_window.view.viewport()
    QApplication.sendEvent(viewport, QDragEnterEvent(target.toPoint(), Qt.DropAction.CopyAction, data,
                                                     Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    QApplication.sendEvent(viewport, QDropEvent(target, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                                                Qt.KeyboardModifier.NoModifier))
    assert len(empty_window.board.nodes) == 13
    assert empty_window.path == str(board_copy.resolve())


def test_canvas_keys_leave_other_panels_alone(qtbot, window):
    window.selection.select(["cache"])
    window.palette_panel.setFocus()
    qtbot.keyClick(window.palette_panel, Qt.Key.Key_R)
    qtbot.keyClick(window.palette_panel, Qt.Key.Key_Delete)
    assert window.board.node("cache").health == "yellow"
    assert window.board.find("cache") is not None
    window.outline.tree.setFocus()
    qtbot.keyClick(window.outline.tree, Qt.Key.Key_R)
    assert window.board.node("cache").health == "red"
    qtbot.keyClick(window.outline.tree, Qt.Key.Key_Delete)
    assert window.board.find("cache") is None
