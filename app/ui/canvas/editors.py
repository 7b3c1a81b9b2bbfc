"""The small editors that float over the canvas: the quick-add box (type a
label, pick a kind, Enter) and the in-place label editor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLineEdit, QWidget

from app.ui.canvas.style import KIND_NAMES, kind_icon
from models.entities import NODE_KINDS

KIND_WORDS = {
    "gateway": ("gateway", "proxy", "ingress", "load balancer", "lb"),
    "database": ("db", "database", "postgres", "mysql", "sql", "mongo", "profile store"),
    "cache": ("cache", "redis", "memcache"),
    "vector_store": ("vector", "embedding", "pinecone", "faiss"),
    "llm": ("llm", "gpt", "openai", "model api", "claude", "anthropic"),
    "broker": ("queue", "kafka", "rabbit", "broker", "sqs", "pubsub", "notification"),
    "pipeline": ("pipeline", "etl", "batch", "stream"),
    "users": ("user", "client", "browser", "mobile"),
    "external": ("external", "third party", "3rd party", "partner", "stripe"),
}


def guess_kind(label: str) -> str:
    """The node kind a label suggests ("Redis cache" → cache), else service."""
    text = label.lower()
    for kind, words in KIND_WORDS.items():
        if any(word in text for word in words):
            return kind
    return "service"


class QuickAddBox(QFrame):
    """Type a label, pick a kind (guessed from the label), Enter places it."""

    accepted = Signal(str, str)
    dismissed = Signal()
    """Closed with Esc, nothing added."""

    def __init__(self, parent: Any) -> None:
        super().__init__(parent)
        self.setObjectName("quickAdd")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Label, then Enter…")
        self.edit.setMinimumWidth(200)
        self.kind = QComboBox()
        for kind in NODE_KINDS:
            self.kind.addItem(kind_icon(kind, "#455A64"), KIND_NAMES[kind], kind)
        layout.addWidget(self.edit)
        layout.addWidget(self.kind)
        self._kind_chosen = False
        self.edit.textEdited.connect(self._guess)
        self.kind.activated.connect(self._chosen)
        self.edit.returnPressed.connect(self._accept)
        self.hide()

    def open_at(self, pos: QPoint) -> None:
        self.edit.clear()
        self._kind_chosen = False
        self.kind.setCurrentIndex(NODE_KINDS.index("service"))
        self.adjustSize()
        parent = self.parentWidget()
        if parent is not None:
            pos = QPoint(max(0, min(pos.x(), parent.width() - self.width())),
                         max(0, min(pos.y(), parent.height() - self.height())))
        x, y = pos.x(), pos.y()
        self.move(x, y)
        self.show()
        self.raise_()
        self.edit.setFocus()

    def _guess(self, text: str) -> None:
        if not self._kind_chosen:
            self.kind.setCurrentIndex(NODE_KINDS.index(guess_kind(text)))

    def _chosen(self, _index: int) -> None:
        self._kind_chosen = True
        self.edit.setFocus()

    def _accept(self) -> None:
        label = self.edit.text().strip()
        if label:
            self.hide()
            self.accepted.emit(label, self.kind.currentData())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            _focus(self.parentWidget())
            self.dismissed.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # the line edit has accepted; the view must not see this Enter
            return
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            self.kind.setCurrentIndex((self.kind.currentIndex() + step) % self.kind.count())
            self._kind_chosen = True
            return
        super().keyPressEvent(event)


class LabelEditor(QLineEdit):
    """A line edit over a node's or an edge's label; Enter commits, Esc cancels."""

    def __init__(self, parent: Any, commit: Callable[[str, str], None]) -> None:
        super().__init__(parent)
        self._commit = commit
        self.entity_id = ""
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hide()

    def start(self, entity_id: str, text: str, rect: QRectF) -> None:
        self.entity_id = entity_id
        self.setText(text)
        self.selectAll()
        r = rect.toRect()
        self.setGeometry(r.adjusted(0, 0, 0, 0) if r.height() >= 24 else r.adjusted(0, -(24 - r.height()) // 2, 0,
                                                                                      (24 - r.height() + 1) // 2))
        self.show()
        self.raise_()
        self.setFocus()

    def finish(self) -> None:
        if self.isVisible():
            entity_id, text = self.entity_id, self.text()
            self.hide()
            self.entity_id = ""
            self._focus_view()
            self._commit(entity_id, text)

    def cancel(self) -> None:
        self.entity_id = ""
        self.hide()
        self._focus_view()

    def _focus_view(self) -> None:
        """Give the keyboard back to the view (the editor sits on its viewport)."""
        viewport = self.parentWidget()
        _focus(viewport.parentWidget() if viewport is not None else None)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # handled here, so the key does not travel on to the view (where Enter starts editing)
            self.finish()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        if self.isVisible() and event.reason() != Qt.FocusReason.PopupFocusReason:
            self.finish()


def _focus(widget: QWidget | None) -> None:
    if widget is not None:
        widget.setFocus()
