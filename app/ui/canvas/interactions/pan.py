"""Panning: drag with the middle button, or with the left button while Space is held."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent

from app.ui.canvas.interactions.base import Interaction

if TYPE_CHECKING:
    from app.ui.canvas.view import BoardView

PAN_BUTTONS = (Qt.MouseButton.LeftButton, Qt.MouseButton.MiddleButton)


class PanInteraction(Interaction):
    """Scrolls the view with the mouse. ``hold_key``: started by pressing Space,
    lasts until Space is released (any number of drags); otherwise one
    middle-button drag from ``at``."""

    def __init__(self, view: BoardView, hold_key: bool = False, at: QPoint | None = None) -> None:
        super().__init__(view)
        self.hold_key = hold_key
        self._from = at

    def start(self) -> None:
        super().start()
        self._set_cursor()

    def _set_cursor(self) -> None:
        self.view.viewport().setCursor(Qt.CursorShape.ClosedHandCursor if self._from is not None
                                       else Qt.CursorShape.OpenHandCursor)

    def mouse_press(self, event: QMouseEvent) -> bool:
        if event.button() not in PAN_BUTTONS:
            return False
        self._from = event.position().toPoint()
        self._set_cursor()
        return True

    def mouse_move(self, event: QMouseEvent) -> bool:
        if self._from is None:
            return False
        pos = event.position().toPoint()
        delta, self._from = pos - self._from, pos
        for bar, step in ((self.view.horizontalScrollBar(), delta.x()), (self.view.verticalScrollBar(), delta.y())):
            bar.setValue(bar.value() - step)
        return True

    def mouse_release(self, event: QMouseEvent) -> bool:
        if self._from is None or event.button() not in PAN_BUTTONS:
            return False
        self._from = None
        if self.hold_key:
            self._set_cursor()
        else:
            self.finish()
        return True

    def key_press(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Space:
            return True  # auto-repeat while held
        return super().key_press(event)

    def key_release(self, event: QKeyEvent) -> bool:
        if self.hold_key and event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.finish()
            return True
        return False

    def cleanup(self) -> None:
        self._from = None
        self.view.viewport().unsetCursor()
