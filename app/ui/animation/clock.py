"""The HUD in the corner of the canvas: the simulated clock and traffic phase (``21:14 · peak traffic``)
and, beside them, the system's health (error rate, the worst node), so that a viewer never
reads a green "steady" while a queue is nearly full. See docs/recording.md."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from app.ui.animation import look as lk

PHASE_COLOURS = {"peak": "#D32F2F", "ramp-up": "#F57C00", "ramp-down": "#F57C00", "burst": "#D32F2F"}
HEALTH_COLOURS = {"red": "#EF5350", "yellow": "#FFB300", "green": "#66BB6A", "idle": "#90A4AE"}
"""The health line's colour and the panel's accent, by the worst node's health."""


def clock_size(label: str, sub: str, health: str = "") -> QSize:
    big, small = QFontMetricsF(lk.CLOCK_FONT), QFontMetricsF(lk.CLOCK_SUB_FONT)
    w = max(big.horizontalAdvance(label), small.horizontalAdvance(sub), small.horizontalAdvance(health)) + 36
    lines = 2 if health else 1
    return QSize(int(w), int(big.height() + lines * small.height() + 22 + (4 if health else 0)))


def paint_clock(painter: QPainter, top_left: QPointF, label: str, sub: str, phase: str = "",
                health: str = "", level: str = "") -> QRectF:
    """A dark panel with the clock in large type, the health line (coloured by ``level``, the
    worst node's health) and the simulated time under it; returns its rect. The accent bar
    follows the health when there is one, else the traffic phase."""
    size = clock_size(label, sub, health)
    rect = QRectF(top_left, size.toSizeF())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(27, 31, 36, 225))
    painter.drawRoundedRect(rect, 10, 10)
    accent = QColor(HEALTH_COLOURS.get(level, "#43A047") if health else PHASE_COLOURS.get(phase, "#43A047"))
    painter.setBrush(accent)
    painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 8, rect.height()), 4, 4)
    big = QFontMetricsF(lk.CLOCK_FONT)
    painter.setFont(lk.CLOCK_FONT)
    painter.setPen(QColor("#FFFFFF"))
    painter.drawText(QRectF(rect.left() + 20, rect.top() + 6, rect.width() - 24, big.height()),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
    painter.setFont(lk.CLOCK_SUB_FONT)
    small = QFontMetricsF(lk.CLOCK_SUB_FONT)
    top = rect.top() + 8 + big.height()
    if health:
        painter.setPen(QColor(HEALTH_COLOURS.get(level, "#FFFFFF")))
        painter.drawText(QRectF(rect.left() + 20, top, rect.width() - 24, small.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, health)
        top += small.height() + 4
    painter.setPen(QColor("#CFD8DC"))
    painter.drawText(QRectF(rect.left() + 20, top, rect.width() - 24, small.height()),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, sub)
    painter.restore()
    return rect


class ClockBadge(QWidget):
    """The clock as a small widget over the canvas's top-left corner; clicks go through.

    It is a child of the view, not of its viewport: scrolling the viewport
    would scroll its children along."""

    MARGIN = 12

    def __init__(self, view: QAbstractScrollArea) -> None:
        super().__init__(view)
        self.view = view
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.label = ""
        self.sub = ""
        self.phase = ""
        self.health = ""
        self.level = ""
        self.hide()

    def set_text(self, label: str, sub: str, phase: str, health: str = "", level: str = "") -> None:
        if (label, sub, phase, health, level) != (self.label, self.sub, self.phase, self.health, self.level):
            self.label, self.sub, self.phase, self.health, self.level = label, sub, phase, health, level
            self.resize(clock_size(label, sub, health))
            self.update()
        corner = self.view.viewport().geometry().topLeft()
        self.move(corner.x() + self.MARGIN, corner.y() + self.MARGIN)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            paint_clock(painter, QPointF(0, 0), self.label, self.sub, self.phase, self.health, self.level)
        finally:
            painter.end()
