"""Each gesture of ``app.ui.canvas.interactions`` driven with real mouse and
keys, asserting on the board, the scene and the view's interaction slots."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsLineItem

from app.ui.canvas.interactions import (
    ConnectInteraction,
    Interaction,
    MoveInteraction,
    PanInteraction,
    QuickAddInteraction,
    RubberBandInteraction,
    SelectTool,
)
from app.ui.canvas.style import NODE_H, NODE_W
from tests.app.ui.canvas.conftest import at, drag

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def move(view, pos: QPoint, buttons=Qt.MouseButton.LeftButton) -> None:
    """A mouse move over the viewport with ``buttons`` held."""
    viewport = view.viewport()
    p = QPointF(pos)
    QApplication.sendEvent(viewport, QMouseEvent(QMouseEvent.Type.MouseMove, p, viewport.mapToGlobal(p),
                                                 Qt.MouseButton.NoButton, buttons, Qt.KeyboardModifier.NoModifier))


def dashed_lines(scene) -> list[QGraphicsLineItem]:
    return [i for i in scene.items() if isinstance(i, QGraphicsLineItem)]


def test_the_select_tool_is_installed_and_nothing_runs_at_rest(window):
    assert isinstance(window.view.tool(), SelectTool)
    assert window.view.gesture() is None


def test_esc_cancels_a_connection_mid_drag(qtbot, window):
    view, board, scene = window.view, window.board, window.scene
    auth, content = board.node("auth"), board.node("content")
    edges_before = len(board.edges)
    rim = at(view, auth.x + NODE_W / 2 - 3, auth.y)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=rim)
    gesture = view.gesture()
    assert isinstance(gesture, ConnectInteraction)
    assert gesture.source == "auth"
    for step in range(1, 5):
        move(view, rim + (at(view, content.x, content.y) - rim) * step / 4)
    line = dashed_lines(scene)[0]
    assert line.line().p2() == QPointF(content.x, content.y)  # snapped to the target's centre
    assert scene.item_for("content")._highlight == QColor(scene.theme.selection)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.gesture() is None
    assert dashed_lines(scene) == []
    assert scene.item_for("content")._highlight is None
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, content.x, content.y))
    assert len(board.edges) == edges_before
    assert window.undo_stack.count() == 0


def test_a_connection_dropped_next_to_its_source_adds_nothing(qtbot, window):
    view, board = window.view, window.board
    content = board.node("content")
    rim = at(view, content.x + NODE_W / 2 - 3, content.y)
    nodes_before = len(board.nodes)
    drag(qtbot, view, rim, at(view, content.x + 40, content.y + NODE_H / 2 + 20))  # Manhattan 92 from the centre
    assert len(board.nodes) == nodes_before
    assert window.undo_stack.count() == 0
    assert view.gesture() is None


def test_rubber_band_draws_then_selects_and_ctrl_extends(qtbot, window):
    view, board = window.view, window.board
    start, end = at(view, 330, 520), at(view, 880, 610)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    band = view.gesture()
    assert isinstance(band, RubberBandInteraction)
    move(view, end)
    assert band.rect.topLeft() == start
    assert band.rect.bottomRight() == end
    assert {"content", "analytics", "notification"} <= set(window.selection.ids)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert view.gesture() is None
    assert band.rect.isNull()
    selected = set(window.selection.ids)
    assert "engine" not in selected
    engine = board.node("engine")
    around_engine = at(view, engine.x - NODE_W, engine.y - 50), at(view, engine.x + NODE_W, engine.y + 50)
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, around_engine[0])
    move(view, around_engine[1])
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, around_engine[1])
    assert set(window.selection.ids) >= selected | {"engine"}
    assert window.undo_stack.count() == 0


def test_esc_puts_dragged_nodes_back_without_an_undo_step(qtbot, window):
    view, board, scene = window.view, window.board, window.scene
    auth = board.node("auth")
    grab = at(view, auth.x - 20, auth.y + 5)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=grab)
    assert isinstance(view.gesture(), MoveInteraction)
    assert window.selection.ids == ["auth"]
    for step in range(1, 5):
        move(view, grab + QPoint(30, 10) * step)
    assert scene.item_for("auth").pos() != QPointF(auth.x, auth.y)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.gesture() is None
    assert scene.item_for("auth").pos() == QPointF(auth.x, auth.y)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=grab + QPoint(120, 40))
    assert board.node("auth") == auth
    assert window.undo_stack.count() == 0
    # the next drag moves again, as one command
    drag(qtbot, view, grab, grab + QPoint(0, 60))
    assert window.undo_stack.count() == 1
    assert board.node("auth").y != auth.y


def test_space_holds_a_pan_until_released_and_esc_ends_it(qtbot, window):
    view = window.view
    view.setFocus()
    qtbot.keyPress(view, Qt.Key.Key_Space)
    pan = view.gesture()
    assert isinstance(pan, PanInteraction)
    assert view.viewport().cursor().shape() == Qt.CursorShape.OpenHandCursor
    centre = view.mapToScene(view.viewport().rect().center())
    drag(qtbot, view, QPoint(400, 300), QPoint(400, 360))
    assert view.gesture() is pan  # two drags with one Space
    drag(qtbot, view, QPoint(400, 300), QPoint(400, 340))
    assert view.mapToScene(view.viewport().rect().center()).y() == pytest.approx(centre.y() - 100, abs=2)
    qtbot.keyRelease(view, Qt.Key.Key_Space)
    assert view.gesture() is None
    qtbot.keyPress(view, Qt.Key.Key_Space)
    assert isinstance(view.gesture(), PanInteraction)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.gesture() is None
    assert window.undo_stack.count() == 0
    assert not window.files.is_modified()  # panning never edits


def test_quick_add_closes_on_esc_or_a_press_and_adds_nothing(qtbot, window):
    view, board = window.view, window.board
    nodes_before = len(board.nodes)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert isinstance(view.gesture(), QuickAddInteraction)
    qtbot.keyClicks(view.quick_add.edit, "Redis")
    qtbot.keyClick(view.quick_add.edit, Qt.Key.Key_Escape)
    assert view.gesture() is None
    assert not view.quick_add.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert view.quick_add.isVisible()
    view.centerOn(-400, -300)
    empty = at(view, -400, -300)
    assert view.itemAt(empty) is None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=empty)
    assert view.gesture() is None
    assert not view.quick_add.isVisible()
    assert len(board.nodes) == nodes_before
    assert window.undo_stack.count() == 0


class StampTool(Interaction):
    """A tool for the test: each click adds a cache node; draws a ring at the cursor; eats the wheel."""

    cursor = Qt.CursorShape.CrossCursor

    def __init__(self, view) -> None:
        super().__init__(view)
        self.pointer = QPoint()
        self.painted = 0

    def mouse_press(self, event) -> bool:
        return event.button() == Qt.MouseButton.LeftButton

    def mouse_move(self, event) -> bool:
        self.view.update_foreground(QRectF(self.pointer.x() - 12, self.pointer.y() - 12, 24, 24))
        self.pointer = event.position().toPoint()
        self.view.update_foreground(QRectF(self.pointer.x() - 12, self.pointer.y() - 12, 24, 24))
        return False

    def mouse_release(self, event) -> bool:
        self.view.add_node_at(self.view.mapToScene(event.position().toPoint()), "cache", "Stamped")
        return True

    def wheel(self, event) -> bool:
        return True

    def paint_foreground(self, painter: QPainter, rect: QRectF) -> None:
        self.painted += 1
        painter.setPen(QColor("#FF0000"))
        painter.drawEllipse(QPointF(self.pointer), 10, 10)


def test_a_tool_gets_the_events_until_esc_brings_back_select(qtbot, window):
    view, board = window.view, window.board
    changes: list[Interaction] = []
    view.tool_changed.connect(changes.append)
    tool = StampTool(view)
    view.set_tool(tool)
    assert view.tool() is tool
    assert changes == [tool]
    assert view.viewport().cursor().shape() == Qt.CursorShape.CrossCursor
    view.centerOn(-300, -200)  # empty canvas in the middle of the view
    spot = at(view, -300, -200)
    assert view.itemAt(spot) is None
    move(view, spot, Qt.MouseButton.NoButton)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    stamped = board.nodes[-1]
    assert (stamped.label, stamped.kind) == ("Stamped", "cache")
    assert (stamped.x, stamped.y) == pytest.approx((-300, -200), abs=1)
    assert view.gesture() is None  # no rubber band, no move: the tool took the press
    # the tool draws over the canvas: a red ring around the pointer
    image = view.viewport().grab().toImage()
    assert tool.painted > 0
    assert image.pixelColor(spot + QPoint(10, 0)).red() > 200
    zoom = view.zoom()
    QApplication.sendEvent(view.viewport(), _wheel(view, spot))
    assert view.zoom() == zoom  # the tool ate the wheel
    view.setFocus()
    qtbot.keyPress(view, Qt.Key.Key_Space)  # Space pans over any tool, then the tool is back
    assert isinstance(view.gesture(), PanInteraction)
    qtbot.keyRelease(view, Qt.Key.Key_Space)
    assert view.tool() is tool
    assert view.viewport().cursor().shape() == Qt.CursorShape.CrossCursor
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert isinstance(view.tool(), SelectTool)
    assert isinstance(changes[-1], SelectTool)
    assert not tool.running
    assert view.viewport().cursor().shape() == Qt.CursorShape.ArrowCursor
    QApplication.sendEvent(view.viewport(), _wheel(view, spot))
    assert view.zoom() > zoom


def test_choosing_a_tool_cancels_the_gesture_in_progress(qtbot, window):
    view, board, scene = window.view, window.board, window.scene
    auth = board.node("auth")
    rim = at(view, auth.x + NODE_W / 2 - 3, auth.y)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=rim)
    assert isinstance(view.gesture(), ConnectInteraction)
    view.set_tool(StampTool(view))
    assert view.gesture() is None
    assert dashed_lines(scene) == []
    view.set_tool(None)
    assert isinstance(view.tool(), SelectTool)


def _wheel(view, pos: QPoint):
    from PySide6.QtGui import QWheelEvent

    return QWheelEvent(QPointF(pos), view.viewport().mapToGlobal(QPointF(pos)), QPoint(), QPoint(0, 120),
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
