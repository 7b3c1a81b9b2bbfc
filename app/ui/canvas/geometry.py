"""Plain geometry for arrows between boxes (no items, no board)."""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QPainterPath, QPolygonF

from app.ui.canvas.style import NODE_H, NODE_W


def node_rect(centre: QPointF) -> QRectF:
    return QRectF(centre.x() - NODE_W / 2, centre.y() - NODE_H / 2, NODE_W, NODE_H)


def border_point(centre: QPointF, toward: QPointF, half_w: float = NODE_W / 2,
                 half_h: float = NODE_H / 2, gap: float = 3.0) -> QPointF:
    """Where the line from a box's centre toward a point leaves the box (plus ``gap``)."""
    dx, dy = toward.x() - centre.x(), toward.y() - centre.y()
    if dx == 0 and dy == 0:
        return QPointF(centre)
    factor = 1.0 / max(abs(dx) / (half_w + gap), abs(dy) / (half_h + gap))
    return QPointF(centre.x() + dx * factor, centre.y() + dy * factor)


def normal(a: QPointF, b: QPointF) -> QPointF:
    """The unit normal (left of a→b), or (0, -1) for a point."""
    dx, dy = b.x() - a.x(), b.y() - a.y()
    length = math.hypot(dx, dy)
    if length < 1e-9:
        return QPointF(0.0, -1.0)
    return QPointF(-dy / length, dx / length)


def arrow_path(a: QPointF, b: QPointF, bend: float) -> tuple[QPainterPath, QPointF, QPointF]:
    """A straight or bent arrow between box centres ``a`` and ``b``.

    Returns the path (without its head), its midpoint and the direction at
    its end; ``bend`` pushes the middle sideways (left of a→b when positive).
    """
    path = QPainterPath()
    if abs(bend) < 0.5:
        start, end = border_point(a, b), border_point(b, a)
        path.moveTo(start)
        path.lineTo(end)
        return path, (start + end) / 2, end - start
    n = normal(a, b)
    control = (a + b) / 2 + n * (2 * bend)
    start, end = border_point(a, control), border_point(b, control)
    path.moveTo(start)
    path.quadTo(control, end)
    return path, path.pointAtPercent(0.5), end - control


def arrow_head(tip: QPointF, direction: QPointF, size: float = 11.0) -> QPolygonF:
    line = QLineF(QPointF(0, 0), direction)
    if line.length() < 1e-9:
        return QPolygonF()
    unit = line.unitVector()
    ux, uy = unit.dx(), unit.dy()
    back = QPointF(tip.x() - ux * size, tip.y() - uy * size)
    side = QPointF(-uy * size * 0.45, ux * size * 0.45)
    return QPolygonF([tip, back + side, back - side])


def offset_segment(a: QPointF, b: QPointF, offset: float) -> tuple[QPointF, QPointF]:
    """The segment between two box borders, shifted sideways by ``offset``."""
    n = normal(a, b) * offset
    return border_point(a, b, gap=8.0) + n, border_point(b, a, gap=10.0) + n
