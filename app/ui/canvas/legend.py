"""The legend: what the canvas's colours, lines and glyphs mean (layer "legend")."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.ui.canvas.geometry import arrow_head
from app.ui.canvas.style import FONT_FAMILY, with_alpha
from app.ui.theme import HEALTH_BORDER, HEALTH_FILL, Theme


def _font(pixel_size: int, bold: bool = False) -> QFont:
    """The legend's own fonts: it grows with the presentation scale as a whole (``setScale``)."""
    made = QFont(FONT_FAMILY)
    made.setPixelSize(pixel_size)
    made.setBold(bold)
    return made


SMALL_FONT = _font(10)
SMALL_BOLD = _font(10, bold=True)
TITLE_FONT = _font(11, bold=True)
ROWS = 13
"""Health (3), lines (3), cascades (3), queues (2), loops (2): ``H`` must hold them all, or the
rows past it are painted outside the bounding rectangle and left behind when the legend moves."""
ROW_H = 22.0
FIRST_ROW_Y = 36.0


class LegendItem(QGraphicsItem):
    """What the marks mean, drawn on the canvas (layer "legend")."""

    entity_id = ""
    W, H = 250.0, FIRST_ROW_Y + (ROWS - 1) * ROW_H + 18.0

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        """Set by the scene when its theme changes."""
        self.setZValue(6)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.W, self.H)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        theme = self.theme
        painter.setPen(QPen(theme.colour("node_border"), 1))
        painter.setBrush(theme.colour("legend_fill"))
        painter.drawRoundedRect(self.boundingRect(), 8, 8)
        painter.setFont(TITLE_FONT)
        painter.setPen(theme.colour("node_text"))
        painter.drawText(QRectF(12, 8, 200, 18), Qt.AlignmentFlag.AlignLeft, "Legend")
        y = 36.0
        text = theme.colour("node_text")

        def row(label: str) -> None:
            painter.setFont(SMALL_FONT)
            painter.setPen(text)
            painter.drawText(QRectF(72, y - 8, 170, 16), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             label)

        for health, label in (("none", "healthy"), ("yellow", "YELLOW: at risk"), ("red", "RED: failing")):
            fill = QColor(HEALTH_FILL.get(health, theme.node_fill))
            border = QColor(HEALTH_BORDER.get(health, theme.node_border))
            painter.setPen(QPen(border, {"none": 1.5, "yellow": 2.5, "red": 3.5}[health]))
            painter.setBrush(fill)
            painter.drawRoundedRect(QRectF(14, y - 8, 46, 16), 4, 4)
            row(label)
            y += 22
        lines = (
            ("edge", 1.6, False, "calls (dependency)"),
            ("edge", 1.6, True, "dashed: async / missing queue"),
            ("critical", 3.2, False, "critical path"),
        )
        for colour_name, width, dashed, label in lines:
            colour = theme.colour(colour_name)
            painter.setPen(QPen(colour, width, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine))
            painter.drawLine(QPointF(14, y), QPointF(52, y))
            painter.setPen(QPen(colour, 1))
            painter.setBrush(colour)
            painter.drawPolygon(arrow_head(QPointF(60, y), QPointF(1, 0), 9))
            row(label)
            y += 22
        for style, label in (("red", "cascade (red)"), ("orange", "cascade (orange)"), ("dashed", "cascade (dashed)")):
            colour = QColor(theme.cascade[style])
            pen = QPen(colour, 2.6, Qt.PenStyle.DashLine if style == "dashed" else Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(14, y), QPointF(52, y))
            painter.setPen(QPen(colour, 1))
            painter.setBrush(colour)
            painter.drawPolygon(arrow_head(QPointF(60, y), QPointF(1, 0), 10))
            row(label)
            y += 22
        for exists, label in ((True, "queue with depth limit"), (False, "missing queue (proposed)")):
            colour = theme.colour("queue")
            pen = QPen(colour, 1.8, Qt.PenStyle.SolidLine if exists else Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(theme.colour("label_fill"))
            box = QRectF(20, y - 8, 30, 16)
            painter.drawRoundedRect(box, 3, 3)
            for i in range(3):
                painter.fillRect(QRectF(box.left() + 4 + i * 8, box.top() + 4, 5, 8),
                                 with_alpha(colour, 200 if exists else 70))
            row(label)
            y += 22
        for kind, label in (("reinforcing", "R: reinforcing loop"), ("balancing", "B: balancing loop")):
            colour = QColor(theme.loop[kind])
            painter.setPen(QPen(colour, 2.4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawArc(QRectF(28, y - 9, 18, 18), 60 * 16, 290 * 16)
            painter.setFont(SMALL_BOLD)
            painter.drawText(QRectF(28, y - 9, 18, 18), Qt.AlignmentFlag.AlignCenter, label[0])
            row(label)
            y += 22
