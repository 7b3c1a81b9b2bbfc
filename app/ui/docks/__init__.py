"""The editor's own docks: palette, inspector, layers and outline; and
``scrolling``, which every feature's dock content goes through."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QWidget


def scrolling(widget: QWidget) -> QScrollArea:
    """A dock's content in a scroll area, so no dock forces the window taller than the screen."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area
