"""Items for what is drawn on top of nodes and edges: queues, feedback
loops, cascade paths, flows, pipeline stages, annotations and the legend."""

from __future__ import annotations

import itertools
import math
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.ui.canvas.geometry import arrow_head, node_rect, offset_segment
from app.ui.canvas.host import ItemHost
from app.ui.canvas.items import FAR_LOD, BoardItem
from app.ui.canvas.style import NODE_H, NODE_W, QUEUE_H, QUEUE_W, draw_queue_glyph, font, stroke, with_alpha
from app.ui.plain import plain_tooltip
from app.ui.theme import FLOW_COLOURS
from app.visual import CASCADE_W

SMALL_FONT = font(10)
SMALL_BOLD = font(10, bold=True)
SIGN_FONT = font(15, bold=True)
TITLE_FONT = font(11, bold=True)
HIGHLIGHT_ALPHA = 110
HIGHLIGHT_SCALE = 4
"""A highlighter stroke is drawn this many times its width, this opaque (of 255)."""


def ink_pen(colour: str | QColor, width: float, highlight: bool) -> QPen:
    """The pen of an ink (or highlighter) stroke of ``width``."""
    alpha, scale = (HIGHLIGHT_ALPHA, HIGHLIGHT_SCALE) if highlight else (255, 1)
    return QPen(with_alpha(colour, alpha), width * scale, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                Qt.PenJoinStyle.RoundJoin)


def note_font(note: Any) -> QFont:
    """A text note's font: ``TITLE_FONT``, or for ink text (a text that belongs to a step)
    the size it was written at, ``width`` board units, when that is larger."""
    if note.step is not None and note.width > TITLE_FONT.pixelSize():
        return font(note.width, bold=True)
    return TITLE_FONT


def text_wrap(note: Any) -> QRectF:
    """Where a text note's words wrap: 320 board units at the title size, wider for larger ink text."""
    return QRectF(0, 0, 320 * note_font(note).pixelSize() / TITLE_FONT.pixelSize(), 2000)


def pill_rect(text: str, centre: QPointF, text_font: Any = SMALL_FONT) -> QRectF:
    """Where ``_pill_text`` draws: items put it inside their bounding rectangle."""
    metrics = QFontMetricsF(text_font)
    w = metrics.horizontalAdvance(text) + 10
    h = max(17.0, metrics.height() + 2)
    return QRectF(centre.x() - w / 2, centre.y() - h / 2, w, h)


def _pill_text(painter: QPainter, text: str, centre: QPointF, fill: QColor, border: QColor,
               colour: QColor, text_font: Any = SMALL_FONT) -> QRectF:
    painter.setFont(text_font)
    rect = pill_rect(text, centre, text_font)
    painter.setPen(QPen(border, 1.0))
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    painter.setPen(colour)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    return rect


class QueueItem(BoardItem):
    """A queue glyph (a box of slots) with its depth limit, on a node or an
    edge; dashed when the queue is missing (proposed)."""

    collection = "queues"

    def __init__(self, entity_id: str, host: ItemHost) -> None:
        super().__init__(entity_id, host)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(3)
        self._text = ""
        self._bounds = QRectF()
        self._pill_at = QPointF()

    def sync(self) -> None:
        scene = self.host
        queue = self.entity()
        self.prepareGeometryChange()
        self._text = "unbounded" if queue.depth_limit is None else f"max {queue.depth_limit:,}"
        shown = self._overlay.badge if self._overlay and self._overlay.badge else self._text
        w = QFontMetricsF(SMALL_BOLD).horizontalAdvance(shown) + 10
        anchor = scene.queue_anchor(self.entity_id)
        self.setVisible(anchor is not None and scene.layers.queues)
        if anchor is not None:
            self.setPos(anchor)
        # the depth pill where the scene placed it (app/labels.py), else right of the glyph
        placed = scene.placed_label("queue", self.entity_id)
        self._pill_at = QPointF(*placed.box.centre) - self.pos() if placed is not None and anchor is not None \
            else QPointF(QUEUE_W / 2 + 3 + w / 2, 0)
        glyph = QRectF(-QUEUE_W / 2 - 4, -QUEUE_H / 2 - 4, QUEUE_W + 8, QUEUE_H + 8)
        self._bounds = glyph.united(pill_rect(shown, self._pill_at, SMALL_BOLD).adjusted(-3, -3, 3, 3))
        state = "missing (proposed)" if not queue.exists else "existing"
        self.setToolTip(plain_tooltip(f"{queue.name}\n{state}, depth limit: {self._text}"
                                      + (f"\n{queue.notes}" if queue.notes else "")))
        self.update()

    def restyle(self) -> None:
        self.sync()  # the overlay's badge replaces the depth text, so the bounds follow it

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        scene = self.host
        theme, queue = scene.theme, self.entity()
        colour = theme.colour("queue")
        if self._overlay and self._overlay.border:
            colour = QColor(self._overlay.border)
        if self.decorated() and self.isSelected():
            painter.setPen(QPen(theme.colour("selection"), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(-QUEUE_W / 2 - 3, -QUEUE_H / 2 - 3, QUEUE_W + 6, QUEUE_H + 6), 4, 4)
        draw_queue_glyph(painter, QPointF(0, 0), colour, theme.colour("label_fill"), queue.exists)
        if self.decorated() and option.levelOfDetailFromTransform(painter.worldTransform()) < FAR_LOD:
            return  # the depth text is unreadable this far out; exports keep it
        text = self._overlay.badge if self._overlay and self._overlay.badge else self._text
        text_font = SMALL_BOLD if queue.exists else SMALL_FONT
        _pill_text(painter, text, self._pill_at, with_alpha(theme.colour("label_fill"), 235),
                   with_alpha(colour, 120), colour, text_font)


class LoopItem(BoardItem):
    """A feedback loop: a circular arrow with R or B and its name; hovering it
    lights up its nodes and edges. Drag it to move it (one undo step)."""

    collection = "loops"
    RADIUS = 17.0

    def __init__(self, entity_id: str, host: ItemHost, editable: bool = True) -> None:
        super().__init__(entity_id, host)
        flags = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
        if editable:
            flags |= QGraphicsItem.GraphicsItemFlag.ItemIsMovable
        self.setFlags(flags)
        self.setAcceptHoverEvents(True)
        self.setZValue(4)
        self._name_width = 0.0
        self._name_at = QPointF(0, self.RADIUS + 12)

    def sync(self) -> None:
        scene = self.host
        loop = self.entity()
        self.prepareGeometryChange()
        self._name_width = QFontMetricsF(SMALL_BOLD).horizontalAdvance(loop.name) + 12
        self.setPos(scene.loop_centre(self.entity_id))
        placed = scene.placed_label("loop", self.entity_id)  # the name's pill (app/labels.py)
        self._name_at = QPointF(*placed.box.centre) - self.pos() if placed is not None \
            else QPointF(0, self.RADIUS + 12)
        self.setVisible(scene.layers.loops)
        kind = "Reinforcing (R)" if loop.kind == "reinforcing" else "Balancing (B)"
        extra = "" if loop.implemented else ", not implemented"
        chain = " → ".join(loop.chain)
        self.setToolTip(plain_tooltip(f"{loop.name}\n{kind}, growth {loop.growth}{extra}"
                                      + (f"\n{chain}" if chain else "")))
        self.update()

    def colour(self) -> QColor:
        loop = self.entity()
        return QColor(self.host.theme.loop[loop.kind])

    def boundingRect(self) -> QRectF:
        r = self.RADIUS + 8
        name = pill_rect(self.entity().name, self._name_at, SMALL_BOLD) if self.entity() is not None else QRectF()
        return QRectF(-r, -r, 2 * r, 2 * r).united(name.adjusted(-2, -2, 2, 2))

    def hoverEnterEvent(self, event: Any) -> None:
        loop = self.entity()
        self.host.set_highlight([*loop.nodes, *loop.edges], self.colour())
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: Any) -> None:
        self.host.set_highlight([], None)
        super().hoverLeaveEvent(event)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        scene = self.host
        loop, theme = self.entity(), scene.theme
        colour = self.colour()
        r = self.RADIUS
        if self.decorated() and self.isSelected():
            painter.setPen(QPen(theme.colour("selection"), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), r + 6, r + 6)
        painter.setBrush(with_alpha(theme.colour("label_fill"), 235))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QPointF(0, 0), r + 3, r + 3)
        pen = QPen(colour, stroke(3.0), Qt.PenStyle.SolidLine if loop.implemented else Qt.PenStyle.DashLine,
                   Qt.PenCapStyle.FlatCap)
        if not loop.implemented:
            pen.setDashPattern([3.0, 2.0])
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = QRectF(-r, -r, 2 * r, 2 * r)
        start, span = 60.0, 290.0
        painter.drawArc(rect, int(start * 16), int(span * 16))
        end = math.radians(start + span)
        tip = QPointF(r * math.cos(end), -r * math.sin(end))
        tangent = QPointF(math.sin(end), math.cos(end))
        painter.setPen(QPen(colour, 1))
        painter.setBrush(colour)
        painter.drawPolygon(arrow_head(tip + tangent * 4, tangent, stroke(10.0)))
        painter.setFont(SIGN_FONT)
        painter.setPen(colour)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "R" if loop.kind == "reinforcing" else "B")
        _pill_text(painter, loop.name, self._name_at, with_alpha(theme.colour("label_fill"), 235),
                   with_alpha(colour, 140), colour, SMALL_BOLD)


class CascadeItem(BoardItem):
    """A cascade path: red, orange or dashed arrows beside the dependency
    edges, hop by hop along ``cascade.path``."""

    collection = "cascades"

    def __init__(self, entity_id: str, host: ItemHost) -> None:
        super().__init__(entity_id, host)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(1)
        self._segments: list[tuple[QPointF, QPointF]] = []
        self._bounds = QRectF()

    def sync(self) -> None:
        scene = self.host
        cascade = self.entity()
        self.prepareGeometryChange()
        offset = 22.0 + 9.0 * scene.cascade_rank(self.entity_id)
        centres = [scene.node_centre(n) for n in cascade.path]
        self._segments = [offset_segment(a, b, offset) for a, b in itertools.pairwise(centres)
                          if a is not None and b is not None and a != b]
        bounds = QRectF()
        for a, b in self._segments:
            bounds = bounds.united(QRectF(a, b).normalized())
        bounds = bounds.adjusted(-14, -14, 14, 14)
        if self._segments:  # the name's pill reaches past the arrows: a repaint must cover it
            bounds = bounds.united(pill_rect(f"⚡ {cascade.name}", self._label_at(), SMALL_BOLD).adjusted(-2, -2, 2, 2))
        self._bounds = bounds
        self.setVisible(scene.layers.cascades)
        self.setToolTip(plain_tooltip(f"Cascade: {cascade.name}\nTrigger: {cascade.trigger}"
                                      + "".join(f"\n{e.order}: {e.text}" for e in cascade.effects)))
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        for a, b in self._segments:
            path.moveTo(a)
            path.lineTo(b)
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(path)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        scene = self.host
        cascade = self.entity()
        colour = QColor(scene.theme.cascade[cascade.style])
        if self._overlay and self._overlay.border:
            colour = QColor(self._overlay.border)
        if self.decorated() and self.isSelected():
            painter.setPen(QPen(with_alpha(scene.theme.colour("selection"), 120), 9, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap))
            for a, b in self._segments:
                painter.drawLine(a, b)
        style = Qt.PenStyle.DashLine if cascade.style == "dashed" else Qt.PenStyle.SolidLine
        pen = QPen(colour, stroke(CASCADE_W), style, Qt.PenCapStyle.FlatCap)
        if cascade.style == "dashed":
            pen.setDashPattern([3.0, 2.0])
        for a, b in self._segments:
            painter.setPen(pen)
            painter.drawLine(a, b)
            painter.setPen(QPen(colour, 1))
            painter.setBrush(colour)
            painter.drawPolygon(arrow_head(b, b - a, stroke(11.0)))
        if self._segments:
            a, b = self._segments[0]
            painter.setFont(SMALL_BOLD)
            painter.setPen(colour)
            _pill_text(painter, f"⚡ {cascade.name}", self._label_at(),
                       with_alpha(scene.theme.colour("label_fill"), 230), colour, colour, SMALL_BOLD)

    def _label_at(self) -> QPointF:
        """The centre of the name's pill, as the scene placed it (app/labels.py); else a little
        along the first segment."""
        placed = self.host.placed_label("cascade", self.entity_id)
        if placed is not None:
            return QPointF(*placed.box.centre)
        a, b = self._segments[0]
        n = b - a
        length = math.hypot(n.x(), n.y()) or 1.0
        return a + QPointF(n.x() / length, n.y() / length) * 8


class FlowItem(BoardItem):
    """A request path overlay: a coloured route through its hops, numbered,
    with each hop's latency."""

    collection = "flows"

    def __init__(self, entity_id: str, host: ItemHost) -> None:
        super().__init__(entity_id, host)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(2.5)  # above the nodes, so the numbered hops stay visible
        self._points: list[QPointF] = []
        self._route = QPainterPath()
        self._bounds = QRectF()
        self._pills: list[tuple[str, QPointF]] = []

    def sync(self) -> None:
        scene = self.host
        flow = self.entity()
        self.prepareGeometryChange()
        rank = scene.flow_rank(self.entity_id)
        shift = QPointF(-12.0 + 10.0 * rank, -8.0 + 8.0 * rank)
        self._points = [c + shift for c in (scene.node_centre(h.node) for h in flow.hops) if c is not None]
        bounds = QRectF()
        for p in self._points:
            bounds = bounds.united(QRectF(p.x() - 20, p.y() - 20, 40, 40))
        bounds = bounds.adjusted(-NODE_W, -NODE_H - 30, NODE_W, NODE_H)
        # the pills, where the scene placed them (app/labels.py)
        self._pills = []
        placed = scene.placed_label("flow", self.entity_id)
        if placed is not None:
            self._pills.append((placed.text, QPointF(*placed.box.centre)))
        for index in range(len(self._points)):
            placed = scene.placed_label("hop", self.entity_id, index)
            if placed is not None:
                self._pills.append((placed.text, QPointF(*placed.box.centre)))
        for text, at in self._pills:
            bounds = bounds.united(pill_rect(text, at, SMALL_BOLD).adjusted(-2, -2, 2, 2))
        self._bounds = bounds
        self._route = QPainterPath()
        if len(self._points) > 1 and scene.layers.flows:
            line = QPainterPath(self._points[0])
            for p in self._points[1:]:
                line.lineTo(p)
            stroker = QPainterPathStroker()
            stroker.setWidth(6)
            stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
            stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            route = stroker.createStroke(line)
            boxes = QPainterPath()
            for node_id in scene.node_ids():
                centre = scene.node_centre(node_id)
                if centre is not None and route.intersects(node_rect(centre)):
                    boxes.addRoundedRect(node_rect(centre), 8, 8)
            # the route runs between the boxes, never over a node's label
            self._route = route.subtracted(boxes).simplified()
        self.setVisible(scene.layers.flows)
        total = sum(h.latency_ms for h in flow.hops)
        self.setToolTip(plain_tooltip(f"Flow: {flow.name} ({total:g} ms)"))
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        scene = self.host
        colour = QColor(FLOW_COLOURS[scene.flow_rank(self.entity_id) % len(FLOW_COLOURS)])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(with_alpha(colour, 130))
        painter.drawPath(self._route)
        # the flow's name and a numbered pill per hop with its latency, where the scene placed them
        for text, centre in self._pills:
            _pill_text(painter, text, centre, colour, QColor("#FFFFFF"), QColor("#FFFFFF"), SMALL_BOLD)


class StageItem(BoardItem):
    """A pipeline stage: a tinted box around its nodes with its name."""

    collection = "stages"

    def __init__(self, entity_id: str, host: ItemHost) -> None:
        super().__init__(entity_id, host)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(-10)
        self._rect = QRectF()

    def sync(self) -> None:
        scene = self.host
        stage = self.entity()
        self.prepareGeometryChange()
        rect = QRectF()
        for node_id in stage.nodes:
            centre = scene.node_centre(node_id)
            if centre is not None:
                rect = rect.united(node_rect(centre))
        self._rect = rect.adjusted(-14, -30, 14, 14) if not rect.isNull() else QRectF()
        self.setVisible(scene.layers.stages and not self._rect.isNull())
        self.setToolTip(plain_tooltip(f"Stage: {stage.name} ({stage.mode})"))
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-3, -3, 3, 3)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(QRectF(self._rect.left(), self._rect.top(), self._rect.width(), 26))
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        scene = self.host
        stage, theme = self.entity(), scene.theme
        pen = QPen(theme.colour("selection") if self.decorated() and self.isSelected()
                   else theme.colour("stage_border"), 1.4, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(with_alpha(theme.stage_fill, 150))
        painter.drawRoundedRect(self._rect, 12, 12)
        painter.setFont(SMALL_BOLD)
        painter.setPen(theme.colour("muted_text"))
        index = scene.stage_number(self.entity_id)
        mode = "∥ parallel" if stage.mode == "parallel" else "serial"
        painter.drawText(self._rect.adjusted(10, 6, -8, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         f"{index}. {stage.name}  ·  {mode}")


class AnnotationItem(BoardItem):
    """Ink, a highlighter stroke, a text or a sticky note."""

    collection = "annotations"
    STICKY = QRectF(0, 0, 170, 110)

    def __init__(self, entity_id: str, host: ItemHost, editable: bool = True) -> None:
        super().__init__(entity_id, host)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self._editable = editable
        self.setZValue(5)
        self._bounds = QRectF()

    def sync(self) -> None:
        scene = self.host
        note = self.entity()
        self.prepareGeometryChange()
        movable = self._editable and note.kind in ("text", "sticky")
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, movable)
        if note.kind in ("ink", "highlight"):
            self.setPos(0, 0)
            path = self._stroke()
            self._bounds = path.boundingRect().adjusted(-note.width * 3, -note.width * 3, note.width * 3,
                                                        note.width * 3)
        else:
            self.setPos(note.x, note.y)
            if note.kind == "sticky":
                self._bounds = self.STICKY.adjusted(-4, -4, 6, 6)
            else:
                metrics = QFontMetricsF(note_font(note))
                r = metrics.boundingRect(text_wrap(note), Qt.TextFlag.TextWordWrap, note.text or " ")
                self._bounds = r.adjusted(-6, -4, 6, 4)
        self.setVisible(scene.layers.annotations and scene.annotation_shown(note.step))
        self.update()

    def _stroke(self) -> QPainterPath:
        note = self.entity()
        path = QPainterPath()
        if note.points:
            path.moveTo(*note.points[0])
            for x, y in note.points[1:]:
                path.lineTo(x, y)
        return path

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        scene = self.host
        note, theme = self.entity(), scene.theme
        selected = self.decorated() and self.isSelected()
        if note.kind in ("ink", "highlight"):
            pen = ink_pen(note.color, note.width, note.kind == "highlight")
            if selected:
                painter.setPen(QPen(with_alpha(theme.selection, 90), pen.widthF() + 6, Qt.PenStyle.SolidLine,
                                    Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
                painter.drawPath(self._stroke())
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._stroke())
            return
        if note.kind == "sticky":
            painter.setPen(QPen(QColor(note.color).darker(130), 1.0))
            painter.setBrush(QColor(note.color))
            painter.drawRect(self.STICKY)
            painter.setPen(QColor("#1F2A30"))
            painter.setFont(font(12, scaled=False))  # the note keeps its size: its text must fit
            painter.drawText(self.STICKY.adjusted(8, 8, -8, -8), Qt.TextFlag.TextWordWrap, note.text)
        else:
            # text written with the ink tool belongs to a step and keeps its ink colour
            painter.setPen(QColor(note.color) if note.step is not None else theme.colour("node_text"))
            painter.setFont(note_font(note))
            painter.drawText(text_wrap(note), Qt.TextFlag.TextWordWrap, note.text)
        if selected:
            painter.setPen(QPen(theme.colour("selection"), 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self._bounds.adjusted(2, 2, -2, -2))


def centroid(points: list[QPointF]) -> QPointF:
    if not points:
        return QPointF(0, 0)
    return QPointF(sum(p.x() for p in points) / len(points), sum(p.y() for p in points) / len(points))


def queue_slot(centre: QPointF, slot: int) -> QPointF:
    """Where the ``slot``-th queue of a node sits: along its bottom edge."""
    return QPointF(centre.x() - NODE_W / 2 + 22 + slot * 96, centre.y() + NODE_H / 2 + 12)


__all__ = [
    "HIGHLIGHT_ALPHA", "HIGHLIGHT_SCALE", "AnnotationItem", "CascadeItem", "FlowItem", "LoopItem", "QueueItem",
    "StageItem", "centroid", "ink_pen", "note_font", "queue_slot", "text_wrap",
]
