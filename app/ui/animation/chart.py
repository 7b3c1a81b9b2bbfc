"""A small line chart drawn with QPainter (QtCharts is not in PySide6-Essentials).

Series share the time axis (simulated seconds) and one value axis scaled to
their maximum; events are marked as labelled vertical lines and the frame
shown on the canvas as a cursor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.ui.canvas.style import font

TITLE_FONT = font(11, bold=True)
AXIS_FONT = font(9)
MARK_FONT = font(8.5, bold=True)


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Marker:
    t: float
    text: str
    colour: str = "#C62828"


def nice_ceiling(value: float) -> float:
    """The next 1, 2 or 5 × 10ⁿ at or above ``value``."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return float(candidate)
    return float(10 ** (exponent + 1))


class LineChart(QWidget):
    """Time series over simulated seconds, with event markers and a cursor."""

    def __init__(self, title: str, unit: str = "", parent: QWidget | None = None,
                 fixed_max: float | None = None) -> None:
        super().__init__(parent)
        self.fixed_max = fixed_max
        self.title = title
        self.unit = unit
        self.times: tuple[float, ...] = ()
        self.series: tuple[Series, ...] = ()
        self.markers: tuple[Marker, ...] = ()
        self.cursor_t: float | None = None
        self.duration = 0.0
        self.setMinimumHeight(96)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(360, 130)

    def set_data(self, times: Sequence[float], series: Sequence[Series], markers: Sequence[Marker] = (),
                 duration: float = 0.0) -> None:
        self.times, self.series, self.markers = tuple(times), tuple(series), tuple(markers)
        self.duration = duration
        self.update()

    def set_cursor(self, t: float | None) -> None:
        if t != self.cursor_t:
            self.cursor_t = t
            self.update()

    def value_max(self) -> float:
        if self.fixed_max is not None:
            return self.fixed_max
        top = max((max(s.values, default=0.0) for s in self.series), default=0.0)
        return nice_ceiling(top * 1.05)

    def plot_rect(self) -> QRectF:
        return QRectF(44, 22, max(10, self.width() - 54), max(10, self.height() - 40))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self.draw(painter)
        finally:
            painter.end()

    def draw(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.windowText().color()
        muted = QColor(text)
        muted.setAlpha(140)
        plot = self.plot_rect()
        painter.fillRect(plot, palette.base())
        painter.setFont(TITLE_FONT)
        painter.setPen(text)
        painter.drawText(QRectF(4, 0, self.width() - 8, 20), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self.title + (f" ({self.unit})" if self.unit else ""))
        x = self._legend(painter, self.width() - 6)
        del x
        top = self.value_max()
        end = max(self.duration, self.times[-1] if self.times else 0.0, 1.0)
        painter.setFont(AXIS_FONT)
        steps = 4 if plot.height() >= 90 else 2
        for i in range(steps + 1):
            value = top * i / steps
            y = plot.bottom() - plot.height() * i / steps
            painter.setPen(QPen(muted, 0.5, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(muted)
            label = f"{value:g}" if value < 10_000 else f"{value / 1000:g}k"
            painter.drawText(QRectF(0, y - 7, plot.left() - 4, 14), Qt.AlignmentFlag.AlignRight, label)
        for i in range(5):
            t = end * i / 4
            x_at = plot.left() + plot.width() * i / 4
            painter.drawText(QRectF(x_at - 30, plot.bottom() + 2, 60, 14), Qt.AlignmentFlag.AlignCenter, f"{t:.0f}s")

        def point(t: float, v: float) -> QPointF:
            return QPointF(plot.left() + plot.width() * t / end, plot.bottom() - plot.height() * min(v, top) / top)

        label_end = -1e9
        mark_metrics = QFontMetricsF(MARK_FONT)
        painter.setFont(MARK_FONT)
        for marker in self.markers:
            p = point(marker.t, 0)
            painter.setPen(QPen(QColor(marker.colour), 1.0, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(p.x(), plot.top()), QPointF(p.x(), plot.bottom()))
            if p.x() > label_end:  # a label only where it does not run into the last one
                painter.setPen(QColor(marker.colour))
                painter.drawText(QRectF(p.x() + 2, plot.top(), 140, 12), Qt.AlignmentFlag.AlignLeft, marker.text)
                label_end = p.x() + mark_metrics.horizontalAdvance(marker.text) + 8
        for series in self.series:
            if not series.values:
                continue
            line = QPolygonF([point(t, v) for t, v in zip(self.times, series.values, strict=False)])
            painter.setPen(QPen(QColor(series.colour), 1.8))
            painter.drawPolyline(line)
        if self.cursor_t is not None:
            p = point(self.cursor_t, 0)
            painter.setPen(QPen(text, 1.2))
            painter.drawLine(QPointF(p.x(), plot.top()), QPointF(p.x(), plot.bottom()))
        painter.setPen(QPen(muted, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(plot)

    def _legend(self, painter: QPainter, right: float) -> float:
        painter.setFont(AXIS_FONT)
        metrics = QFontMetricsF(AXIS_FONT)
        x = right
        for series in reversed(self.series):
            w = metrics.horizontalAdvance(series.name)
            x -= w
            painter.setPen(QColor(series.colour))
            painter.drawText(QRectF(x, 3, w + 2, 16), Qt.AlignmentFlag.AlignLeft, series.name)
            x -= 14
            painter.fillRect(QRectF(x, 9, 10, 3), QColor(series.colour))
            x -= 8
        return x
