"""A main window with the StreamFlow board, driven like a user (the factory is in tests/app/ui/conftest.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt


@pytest.fixture
def empty_window(make_window):
    return make_window()


def at(view, x: float, y: float) -> QPoint:
    """The viewport point showing the scene point (x, y)."""
    return view.mapFromScene(QPointF(x, y))


def drag(qtbot, view, start: QPoint, end: QPoint, steps: int = 6) -> None:
    """Press, move in steps with the button held, release: a real mouse drag."""
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, steps + 1):
        p = QPointF(start + (end - start) * (i / steps))
        event = QMouseEvent(QMouseEvent.Type.MouseMove, p, viewport.mapToGlobal(p), Qt.MouseButton.NoButton,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def hover(view, pos: QPoint) -> None:
    """Move the mouse over the canvas with no button held."""
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    viewport = view.viewport()
    p = QPointF(pos)
    QApplication.sendEvent(viewport, QMouseEvent(QMouseEvent.Type.MouseMove, p, viewport.mapToGlobal(p),
                                                 Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                                                 Qt.KeyboardModifier.NoModifier))


def drawn_ids(board) -> set[str]:
    from app.ui.canvas.scene import DRAWN

    return {e.id for c in DRAWN for e in board.items(c)}
