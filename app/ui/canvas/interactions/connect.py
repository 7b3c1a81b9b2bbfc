"""Connecting: drag from a node's rim to another node, or to empty canvas for a new callee."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPen
from PySide6.QtWidgets import QGraphicsLineItem

from app.ui.canvas.interactions.base import Interaction
from models.errors import BoardError

if TYPE_CHECKING:
    from app.ui.canvas.items import NodeItem
    from app.ui.canvas.view import BoardView

NEW_NODE_DISTANCE = 120.0
"""A drop nearer the source than this (Manhattan length) on empty canvas adds nothing."""


class ConnectInteraction(Interaction):
    """A dashed line follows the mouse from ``source``; the node under the mouse lights
    up. Released on another node: an edge. Released on empty canvas: a new node
    there, called by the source (one undo step). Esc cancels."""

    def __init__(self, view: BoardView, source: NodeItem) -> None:
        super().__init__(view)
        self.source = source.entity_id
        self._line: QGraphicsLineItem | None = None
        self._target: NodeItem | None = None

    def start(self) -> None:
        super().start()
        source = self.scene.item_for(self.source)
        line = QGraphicsLineItem()
        line.setPen(QPen(QColor(self.scene.theme.selection), 2, Qt.PenStyle.DashLine))
        line.setZValue(50)
        if source is not None:
            line.setLine(source.pos().x(), source.pos().y(), source.pos().x(), source.pos().y())
        self.scene.addItem(line)
        self._line = line
        self.view.status_message.emit("Drop on another node to connect (Esc cancels)")

    def cleanup(self) -> None:
        if self._line is not None:
            self.scene.removeItem(self._line)
        if self._target is not None:
            self._target.set_highlight(None)
        self._line = None
        self._target = None

    def mouse_press(self, event: QMouseEvent) -> bool:
        return True

    def mouse_move(self, event: QMouseEvent) -> bool:
        pos = event.position().toPoint()
        source = self.scene.item_for(self.source)
        if source is None or self._line is None:
            self.cancel()
            return True
        target = self.view.node_at(pos)
        if target is not None and target.entity_id == self.source:
            target = None
        if target is not self._target:
            if self._target is not None:
                self._target.set_highlight(None)
            if target is not None:
                target.set_highlight(QColor(self.scene.theme.selection))
            self._target = target
        end = target.pos() if target is not None else self.view.mapToScene(pos)
        self._line.setLine(source.pos().x(), source.pos().y(), end.x(), end.y())
        return True

    def mouse_release(self, event: QMouseEvent) -> bool:
        self.finish()
        self._drop(event.position().toPoint())
        return True

    def _drop(self, pos: QPoint) -> None:
        view = self.view
        target = view.node_at(pos)
        if target is None and view.itemAt(pos) is None:
            self._connect_to_new_node(view.mapToScene(pos))
            return
        if target is None or target.entity_id == self.source:
            return
        try:
            edge_id = view.editor.connect(self.source, target.entity_id)
        except BoardError as error:
            view.status_message.emit(str(error))
            return
        if self.scene.selection is not None:
            self.scene.selection.select([edge_id])

    def _connect_to_new_node(self, pos: QPointF) -> None:
        """Dropped on empty canvas: a new node there, called by the source (one undo step)."""
        scene, view = self.scene, self.view
        item = scene.item_for(self.source)
        if item is None or (item.pos() - pos).manhattanLength() < NEW_NODE_DISTANCE:
            return
        kind = scene.board.node(self.source).kind
        view.add_node_at(pos, kind if kind != "users" else "gateway", "New service", edit=True, called_by=self.source,
                         undo_text="Add and connect node")
