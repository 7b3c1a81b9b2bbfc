"""Scene items the simulation lays over the board's own items while a run is shown.

They draw what only a live run knows (glow, utilisation ring, queue bar,
counters, moving dots, flashes, breaker badges, the cascade wavefront) and
hold no board data: a node decoration follows its node item's position, an
edge decoration samples its edge item's path. None is selectable or movable,
so they never get in the way of editing, and removing them leaves the scene
as it was.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.sim.view import EdgeLook, NodeLook
from app.ui.animation import look as lk
from app.ui.canvas.geometry import arrow_head, offset_segment
from app.ui.canvas.items import EdgeItem, NodeItem
from app.ui.canvas.style import NODE_H, NODE_W

NODE_RECT = QRectF(-NODE_W / 2, -NODE_H / 2, NODE_W, NODE_H)


class _Passive(QGraphicsItem):
    """Takes no mouse buttons and no focus: decorations are only looked at."""

    def __init__(self, z: float) -> None:
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setZValue(z)


def pill(painter: QPainter, text: str, centre: QPointF, fill: QColor, text_colour: QColor,
         text_font=lk.COUNTER_FONT) -> QRectF:
    """A rounded label centred on ``centre``."""
    metrics = QFontMetricsF(text_font)
    w = metrics.horizontalAdvance(text) + 14
    h = metrics.height() + 4
    rect = QRectF(centre.x() - w / 2, centre.y() - h / 2, w, h)
    painter.setPen(QPen(QColor(255, 255, 255, 230), 1.5))
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, h / 2, h / 2)
    painter.setFont(text_font)
    painter.setPen(text_colour)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    return rect


class NodeGlow(_Passive):
    """A soft halo in the node's health colour, under the node's box."""

    def __init__(self, node_id: str) -> None:
        super().__init__(1.9)
        self.node_id = node_id
        self.look: NodeLook | None = None

    def set_look(self, look: NodeLook | None) -> None:
        if look != self.look:
            health_changed = (look.health if look else None) != (self.look.health if self.look else None)
            self.look = look
            if health_changed:
                self.update()

    def boundingRect(self) -> QRectF:
        return NODE_RECT.adjusted(-18, -18, 18, 18)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self.look is None or self.look.health not in lk.HEALTH_GLOW:
            return
        glow = self.look.health
        strength = {"green": 1, "yellow": 2, "red": 4}[glow]
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for i in range(strength + 1):
            spread = 3 + i * 3.5
            painter.setPen(QPen(lk.colour(lk.HEALTH_GLOW[glow], 90 - i * 15), 4.0))
            painter.drawRoundedRect(NODE_RECT.adjusted(-spread, -spread, spread, spread), 8 + spread, 8 + spread)


class NodeDecoration(_Passive):
    """Utilisation ring, live counters and the queue-depth bar of one node."""

    def __init__(self, node_id: str) -> None:
        super().__init__(3.0)
        self.node_id = node_id
        self.look: NodeLook | None = None

    def set_look(self, look: NodeLook | None) -> None:
        if look != self.look:
            self.look = look
            self.update()

    def boundingRect(self) -> QRectF:
        return NODE_RECT.adjusted(-lk.RING_RADIUS - 12, -34, 40, 44)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        look = self.look
        if look is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._counters(painter, look)
        self._ring(painter, look)
        self._queue(painter, look)

    @staticmethod
    def _ring(painter: QPainter, look: NodeLook) -> None:
        """A gauge at the node's top-left corner: the share of busy workers."""
        r = lk.RING_RADIUS
        centre = QPointF(NODE_RECT.left() - 2, NODE_RECT.top() + 2)
        box = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
        painter.setPen(QPen(QColor("#FFFFFF"), 1.5))
        painter.setBrush(QColor(38, 50, 56, 235))
        painter.drawEllipse(box.adjusted(-3, -3, 3, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(255, 255, 255, 60), 4.0))
        painter.drawEllipse(box)
        u = look.utilisation
        ring = lk.HEALTH_BORDER["red"] if u >= 0.97 else lk.HEALTH_GLOW["yellow"] if u >= 0.8 else "#66BB6A"
        painter.setPen(QPen(QColor(ring), 4.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        painter.drawArc(box, 90 * 16, -round(360 * 16 * u))
        painter.setFont(lk.RING_FONT)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, f"{round(u * 100)}")

    @staticmethod
    def _counters(painter: QPainter, look: NodeLook) -> None:
        """``61/s · 2 err/s`` in a pill above the node."""
        centre = QPointF(NODE_RECT.center().x() + 8, NODE_RECT.top() - 13)
        text = f"{lk.rate_text(look.rps)} req/s"
        if look.err_ps > 0:
            text += f" · {lk.rate_text(look.err_ps)} err/s"
        fill = QColor(lk.ERROR) if look.err_ps > 0 and look.err_ps >= 0.1 * max(look.rps, 1e-9) else \
            QColor(38, 50, 56, 235)
        pill(painter, text, centre, fill, QColor("#FFFFFF"))

    @staticmethod
    def _queue(painter: QPainter, look: NodeLook) -> None:
        """A bar under the node, filled by queue length against its limit, the numbers inside."""
        if look.queue_length <= 0 and look.queue_limit is None:
            return
        bar = QRectF(NODE_RECT.left() + 4, NODE_RECT.bottom() + 5, NODE_RECT.width() - 8, lk.QUEUE_BAR_H)
        share = lk.queue_share(look.queue_length, look.queue_limit)
        painter.setPen(QPen(QColor(38, 50, 56, 200), 1.0))
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(bar, 4, 4)
        colour = lk.ERROR if share >= 0.8 else lk.WARN if share >= 0.4 else lk.FLOW
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(lk.colour(colour, 200))
        painter.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * share, bar.height()), 4, 4)
        limit = f" / {look.queue_limit}" if look.queue_limit is not None else " · no limit"
        painter.setFont(lk.SMALL_FONT)
        painter.setPen(QColor("#102027"))
        painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, f"queue {look.queue_length}{limit}")


class EdgeDecoration(_Passive):
    """Moving request dots, a flash on 429s and timeouts, and the breaker badge of one edge."""

    DOT_SPEED = 0.45
    """Path lengths a dot travels per second of wall time."""

    def __init__(self, edge_item: EdgeItem) -> None:
        super().__init__(0.6)
        self.edge_item = edge_item
        self.edge_id = edge_item.entity_id
        self.look: EdgeLook | None = None
        self.phase = 0.0
        self.flash = 0.0
        """1 right after a frame with 429s or timeouts, fading to 0."""

    def set_look(self, look: EdgeLook | None) -> None:
        if look != self.look:
            self.look = look
            if look is not None and (look.limited_ps > 0 or look.timeouts_ps > 0):
                self.flash = 1.0
            self.update()

    @property
    def moving(self) -> bool:
        return self.look is not None and self.look.calls_ps > 0

    def advance_to(self, wall_s: float, fade: float) -> None:
        """Move the dots to where they are at ``wall_s`` and fade the flash by ``fade``."""
        self.phase = (wall_s * self.DOT_SPEED) % 1.0
        self.flash = max(0.0, self.flash - fade)
        self.update()

    def boundingRect(self) -> QRectF:
        return self.edge_item.boundingRect().adjusted(-30, -30, 30, 40)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        look = self.look
        if look is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        item = self.edge_item
        if self.flash > 0 and (look.limited_ps > 0 or look.timeouts_ps > 0):
            path = QPainterPath(item.point_at(0.0))
            for i in range(1, 21):
                path.lineTo(item.point_at(i / 20))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(lk.colour(lk.FLASH, int(40 + 150 * self.flash)), 10 + 8 * self.flash,
                                Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawPath(path)
            parts = []
            if look.limited_ps > 0:
                parts.append(f"429 ×{lk.rate_text(look.limited_ps)}/s")
            if look.timeouts_ps > 0:
                parts.append(f"timeout ×{lk.rate_text(look.timeouts_ps)}/s")
            pill(painter, "  ".join(parts), item.point_at(0.3) + QPointF(0, -16), QColor(lk.FLASH),
                 QColor("#FFFFFF"), lk.SMALL_FONT)
        if look.calls_ps > 0:
            count = max(1, min(8, round(1 + math.log2(1 + look.calls_ps))))
            share = lk.error_share(look.err_ps, look.calls_ps)
            reds = round(count * share)
            painter.setPen(QPen(QColor("#FFFFFF"), 1.5))
            for k in range(count):
                at = (self.phase + k / count) % 1.0
                painter.setBrush(QColor(lk.ERROR) if k < reds else QColor("#0D47A1"))
                painter.drawEllipse(item.point_at(at), 4.5, 4.5)
        if look.breaker is not None:
            state = look.breaker
            pill(painter, lk.BREAKER_TEXT.get(state, state), item.midpoint() + QPointF(0, 22),
                 QColor(lk.BREAKER.get(state, lk.WARN)), QColor("#FFFFFF"), lk.SMALL_FONT)


class WavefrontItem(_Passive):
    """The cascade as it happened: numbered arrows from each red node to the next one.

    The newest arrow glows for ``FRESH_S`` simulated seconds after its node
    turned red, so the eye follows the failure as it spreads.
    """

    FRESH_S = 15.0

    def __init__(self) -> None:
        super().__init__(4.0)
        self.order: tuple[tuple[str, float], ...] = ()
        self.t = 0.0
        self.centres: dict[str, QPointF] = {}
        self._bounds = QRectF()

    def set_state(self, order: tuple[tuple[str, float], ...], t: float, centres: dict[str, QPointF]) -> None:
        if order == self.order and (not order or t - order[-1][1] > self.FRESH_S + 1):
            self.t = t
            return
        self.prepareGeometryChange()
        self.order, self.t, self.centres = order, t, centres
        bounds = QRectF()
        for node_id, _ in order:
            centre = centres.get(node_id)
            if centre is not None:
                bounds = bounds.united(QRectF(centre.x() - NODE_W, centre.y() - NODE_H, 2 * NODE_W, 2 * NODE_H))
        self._bounds = bounds
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        placed = [(n, t, self.centres[n]) for n, t in self.order if n in self.centres]
        if not placed:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for i in range(1, len(placed)):
            (_, _, a), (_, t, b) = placed[i - 1], placed[i]
            start, end = offset_segment(a, b, -16.0)
            fresh = max(0.0, 1.0 - (self.t - t) / self.FRESH_S)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(lk.colour("#FFFFFF", 230), 9 + 6 * fresh, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap))
            painter.drawLine(start, end)
            if fresh > 0:
                painter.setPen(QPen(lk.colour(lk.FLASH, int(120 * fresh)), 16 + 10 * fresh,
                                    Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
                painter.drawLine(start, end)
            painter.setPen(QPen(QColor(lk.WAVE), 5.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
            painter.drawLine(start, end)
            painter.setPen(QPen(QColor(lk.WAVE), 1))
            painter.setBrush(QBrush(QColor(lk.WAVE)))
            painter.drawPolygon(arrow_head(end, end - start, 18.0))
            self._number(painter, (start + end) / 2, str(i), fresh)
        for i, (_, _, centre) in enumerate(placed, start=1):
            self._number(painter, centre + QPointF(NODE_W / 2 + 2, NODE_H / 2 - 2), f"#{i}", 0.0, small=True)

    @staticmethod
    def _number(painter: QPainter, centre: QPointF, text: str, fresh: float, small: bool = False) -> None:
        r = 10.0 if small else 13.0 + 3 * fresh
        painter.setPen(QPen(QColor("#FFFFFF"), 2.0))
        painter.setBrush(QColor(lk.WAVE))
        if small:
            w = QFontMetricsF(lk.SMALL_FONT).horizontalAdvance(text) + 10
            painter.drawRoundedRect(QRectF(centre.x() - w / 2, centre.y() - r, w, 2 * r), r, r)
        else:
            painter.drawEllipse(centre, r, r)
        painter.setFont(lk.SMALL_FONT if small else lk.WAVE_FONT)
        painter.drawText(QRectF(centre.x() - 30, centre.y() - r, 60, 2 * r), Qt.AlignmentFlag.AlignCenter, text)


def node_items(scene: object) -> dict[str, NodeItem]:
    items = scene.entity_items()
    return {i: item for i, item in items.items() if isinstance(item, NodeItem)}


def edge_items(scene: object) -> dict[str, EdgeItem]:
    items = scene.entity_items()
    return {i: item for i, item in items.items() if isinstance(item, EdgeItem)}
