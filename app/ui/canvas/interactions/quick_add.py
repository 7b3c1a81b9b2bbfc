"""Quick add: type a label in a box at the cursor, Enter places the node."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF
from PySide6.QtGui import QMouseEvent

from app.ui.canvas.interactions.base import Interaction

if TYPE_CHECKING:
    from app.ui.canvas.view import BoardView


class QuickAddInteraction(Interaction):
    """The quick-add box is open at ``at`` (scene coordinates). Enter adds the node
    there; with ``source`` it is also called by that node (one undo step). Esc in
    the box, or a press on the canvas, closes it without adding."""

    def __init__(self, view: BoardView, at: QPointF, source: str | None = None) -> None:
        super().__init__(view)
        self.at = QPointF(at)
        self.source = source

    def start(self) -> None:
        super().start()
        box = self.view.quick_add
        box.accepted.connect(self._accepted)
        box.dismissed.connect(self.cancel)
        box.open_at(self.view.mapFromScene(self.at))

    def cleanup(self) -> None:
        box = self.view.quick_add
        box.accepted.disconnect(self._accepted)
        box.dismissed.disconnect(self.cancel)
        if box.isVisible():
            box.hide()

    def mouse_press(self, event: QMouseEvent) -> bool:
        self.cancel()
        return False  # the press goes on to the tool

    def _accepted(self, label: str, kind: str) -> None:
        view, scene = self.view, self.scene
        view.setFocus()
        self.finish()
        if self.source is None or scene.board.find(self.source) is None:
            view.add_node_at(self.at, kind, label)
            return
        view.add_node_at(self.at, kind, label, called_by=self.source, snap=False,
                         undo_text=f"Add '{label}' called by '{scene.board.node(self.source).label}'")
