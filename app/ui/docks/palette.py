"""The palette: node kinds with their icons; drag one onto the canvas, or
double-click it to add one in the middle of the view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from app.ui.canvas.style import kind_icon
from app.ui.canvas.view import KIND_MIME
from app.visual import KIND_NAMES
from models.entities import NODE_KINDS


class Palette(QListWidget):
    """Node kinds; emits ``kind_activated`` on double-click or Enter."""

    kind_activated = Signal(str)

    def __init__(self, icon_colour: str = "#455A64", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("palette")
        self.setDragEnabled(True)
        self.setIconSize(QSize(22, 22))
        self.setSpacing(1)
        self.set_icon_colour(icon_colour)
        self.itemActivated.connect(lambda item: self.kind_activated.emit(item.data(Qt.ItemDataRole.UserRole)))

    def set_icon_colour(self, colour: str) -> None:
        self.clear()
        for kind in NODE_KINDS:
            item = QListWidgetItem(kind_icon(kind, colour), KIND_NAMES[kind])
            item.setData(Qt.ItemDataRole.UserRole, kind)
            item.setToolTip(f"Drag onto the canvas to add a {KIND_NAMES[kind].lower()} node")
            self.addItem(item)

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(KIND_MIME, QByteArray(items[0].data(Qt.ItemDataRole.UserRole).encode()))
        return data

    def startDrag(self, actions: Any) -> None:
        item = self.currentItem()
        if item is None:
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData([item]))
        drag.setPixmap(item.icon().pixmap(32, 32))
        drag.exec(Qt.DropAction.CopyAction)
