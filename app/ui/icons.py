"""Toolbar and menu icons from qtawesome, drawn once per size.

qtawesome's icons paint their glyph anew every time a button is painted; a window
that shows its toolbars again (leaving presenter mode, a workspace switch) repaints
dozens at once. ``icon`` keeps each size, mode and state it has drawn. See
docs/recording.md, "Presenter mode".
"""

from __future__ import annotations

from typing import Any

import qtawesome
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap


class CachedIconEngine(QIconEngine):
    """Draws ``source`` once for each size, mode and state asked, then reuses the pixmap."""

    def __init__(self, source: QIcon) -> None:
        super().__init__()
        self.source = source
        self.drawn: dict[tuple[int, int, QIcon.Mode, QIcon.State], QPixmap] = {}

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        key = (size.width(), size.height(), mode, state)
        drawn = self.drawn.get(key)
        if drawn is None:
            drawn = self.drawn[key] = self.source.pixmap(size, mode, state)
        return drawn

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.drawPixmap(rect, self.pixmap(rect.size(), mode, state))

    def clone(self) -> QIconEngine:
        return CachedIconEngine(self.source)


def icon(name: str, **options: Any) -> QIcon:
    """``qtawesome.icon(name, **options)``, drawn once per size (a QApplication must exist)."""
    return QIcon(CachedIconEngine(qtawesome.icon(name, **options)))
