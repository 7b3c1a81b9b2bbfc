"""What every gesture and tool on the canvas is: an ``Interaction`` the view
hands its mouse, key and wheel events to, one class per gesture (the idea of
orange-canvas-core's ``UserInteraction``).

The view (``BoardView``) has two slots:

- the **tool**, installed with ``view.set_tool(interaction)``; it stays until it
  is cancelled (Esc, or ``view.set_tool(None)``), then the default
  ``SelectTool`` is back. ``view.tool_changed`` is emitted with the new tool.
- the **gesture**, one press-drag-release (or key-hold) in progress that a tool
  started with ``view.start_gesture(interaction)``; it gets events first and
  ends itself with ``finish()`` or ``cancel()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QWheelEvent

if TYPE_CHECKING:
    from app.ui.canvas.scene import BoardScene
    from app.ui.canvas.view import BoardView


class Interaction:
    """One gesture or tool on a ``BoardView``.

    Each ``mouse_*``, ``key_*`` and ``wheel`` hook returns True when it has
    handled the event; False lets the view's own (``QGraphicsView``) handling
    run: item selection, item drags, scrolling. ``paint_foreground`` draws
    over the scene in view coordinates (never in exports); call
    ``view.update_foreground(rect)`` when what it draws changes. Temporary
    scene items an interaction adds are removed in ``cleanup``.
    """

    cursor: Qt.CursorShape | None = None
    """The viewport's cursor while this interaction runs (None: leave it)."""

    def __init__(self, view: BoardView) -> None:
        self.view = view
        self.running = False

    @property
    def scene(self) -> BoardScene:
        return self.view.board_scene

    # --- life ----------------------------------------------------------------------

    def start(self) -> None:
        """Called by the view when the interaction is installed."""
        self.running = True
        if self.cursor is not None:
            self.view.viewport().setCursor(self.cursor)

    def cleanup(self) -> None:
        """Remove what the interaction drew or set up (temporary items, highlights)."""

    def finish(self) -> None:
        """End normally: clean up and leave the view."""
        self._leave()

    def cancel(self) -> None:
        """End without doing anything (Esc, another tool chosen): clean up and leave."""
        self._leave()

    def _leave(self) -> None:
        if not self.running:
            return
        self.running = False
        self.cleanup()
        if self.cursor is not None:
            self.view.viewport().unsetCursor()
        self.view.interaction_ended(self)

    # --- events --------------------------------------------------------------------

    def mouse_press(self, event: QMouseEvent) -> bool:
        return False

    def mouse_move(self, event: QMouseEvent) -> bool:
        return False

    def mouse_release(self, event: QMouseEvent) -> bool:
        return False

    def mouse_double_click(self, event: QMouseEvent) -> bool:
        return False

    def key_press(self, event: QKeyEvent) -> bool:
        """Esc cancels by default."""
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return True
        return False

    def key_release(self, event: QKeyEvent) -> bool:
        return False

    def claims_key(self, event: QKeyEvent) -> bool:
        """True: this key goes to ``key_press`` even when a window shortcut uses it
        (ink mode's single keys); asked on Qt's ``ShortcutOverride``."""
        return False

    def wheel(self, event: QWheelEvent) -> bool:
        return False

    def paint_foreground(self, painter: QPainter, rect: QRectF) -> None:
        """Draw over the scene; ``painter`` is in viewport coordinates, ``rect`` the exposed part."""
