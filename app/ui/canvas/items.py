"""Node and edge items. The scene pushes each its entity (``set_entity``) and
answers geometry through the item's ``host`` (``host.ItemHost``); items never
read the board. ``overlay`` (see ``style.Overlay``) and ``highlight`` change how
an item looks without changing the board."""

from __future__ import annotations

import functools
import math
from typing import Any, NamedTuple

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPixmap,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.ui.canvas.geometry import arrow_head, arrow_path
from app.ui.canvas.host import ItemHost
from app.ui.canvas.style import (
    ICON_SOURCE,
    KIND_NAMES,
    NODE_H,
    NODE_W,
    Overlay,
    draw_icon,
    draw_queue_glyph,
    font,
    icon_pixmap,
    kind_icon,
    snap_point,
    stroke,
    with_alpha,
)
from app.ui.plain import plain_tooltip
from app.ui.theme import HEALTH_BORDER, HEALTH_FILL, Theme
from app.visual import CRITICAL_W, EDGE_W, HEALTH_W, wrap_words

LABEL_FONT = font(12.5, bold=True, scaled=False)  # inside the node's box: it must still fit
KIND_FONT = font(9, scaled=False)
EDGE_FONT = font(10.5)
BADGE_FONT = font(11, bold=True)
CONNECT_ZONE = 9.0
"""How close to a node's border a press starts a connection instead of a move."""
FAR_LOD = 0.4
"""Below this scale edges drop their labels and antialiasing: they are a pixel or two wide."""


class BoardItem(QGraphicsItem):
    """What every item drawing one entity has: its id, an overlay, a highlight."""

    collection = ""

    def __init__(self, entity_id: str, host: ItemHost) -> None:
        super().__init__()
        self.entity_id = entity_id
        self.host = host
        self._entity: Any = None
        self._overlay: Overlay | None = None
        self._highlight: QColor | None = None

    def entity(self) -> Any:
        """The entity as the scene last pushed it."""
        return self._entity

    def set_entity(self, entity: Any) -> None:
        """The scene's push of the board's version of the entity; ``sync`` then draws it."""
        self._entity = entity

    @property
    def overlay(self) -> Overlay | None:
        return self._overlay

    @overlay.setter
    def overlay(self, value: Overlay | None) -> None:
        if value != self._overlay:
            self._overlay = value
            opacity = value.opacity if value else 1.0
            if opacity != self.opacity():
                self.setOpacity(opacity)
            self.restyle()

    def restyle(self) -> None:
        """Recompute the look (pens, colours) from the board, theme and overlay.

        A look never changes an item's bounds (``sync`` does), so no
        ``prepareGeometryChange``: it would re-index the item on every colour change."""
        self.update()

    def set_highlight(self, colour: QColor | None) -> None:
        if colour != self._highlight:
            self._highlight = colour
            self.update()

    def sync(self) -> None:
        """Catch up with the board's version of the entity."""
        self.update()

    def decorated(self) -> bool:
        """Selection and hover marks are drawn on screen, not in exports."""
        return self.scene() is not None and not self.host.printing


def wrap_label(text: str, width: float, lines: int = 2, font_: Any = None) -> list[str]:
    """Word-wrap ``text`` into at most ``lines`` lines, eliding the last."""
    metrics = QFontMetricsF(font_ or LABEL_FONT)
    out = wrap_words(text, width, metrics.horizontalAdvance, lines)
    return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in out] or [""]


class NodeLook(NamedTuple):
    """How a node is drawn after health, theme and overlay (``NodeItem.restyle``)."""

    pen: QPen
    fill: QBrush
    text: QColor
    muted: QColor
    border: QColor
    inset: QRectF
    health: str
    caption: str
    icon: tuple[str, str]
    """Kind and colour (#AARRGGBB) of the kind icon."""


class NodeItem(BoardItem):
    """A service or resource: a box in its health colours with kind icon and label."""

    collection = "nodes"
    RECT = QRectF(-NODE_W / 2, -NODE_H / 2, NODE_W, NODE_H)
    BOUNDS = RECT.adjusted(-12, -22, 14, 12)
    """Qt asks a node's bounds a few times per repaint (1,500 calls a frame on a 500-node board):
    one rectangle for all nodes, not a new one a call. Qt copies it; Python code calling
    ``boundingRect()`` gets this very object and must not change it in place."""

    def __init__(self, entity_id: str, host: ItemHost, editable: bool = True) -> None:
        super().__init__(entity_id, host)
        self._syncing = False
        self._lines: list[str] = []
        self._label_text = ""
        self._look: NodeLook | None = None
        self._hover_connect = False
        self.hovered = False
        flag = QGraphicsItem.GraphicsItemFlag
        flags = flag.ItemIsSelectable | flag.ItemSendsGeometryChanges
        if editable:
            flags |= QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            self.setAcceptHoverEvents(True)
        self.setFlags(flags)
        self.setZValue(2)
        # nodes are the busiest paint; a device-resolution cache makes hover, selection and
        # drags repaint cheaply (exports switch it off so SVG stays vector, see render.py)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def sync(self) -> None:
        node = self.entity()
        self._lines = wrap_label(node.label, NODE_W - 14)
        self._label_text = "\n".join(self._lines)
        self.restyle()
        self.setToolTip(plain_tooltip(f"{node.label} ({KIND_NAMES.get(node.kind, node.kind)})"
                                      + (f"\n{node.notes}" if node.notes else "")))
        self._syncing = True
        try:
            self.setPos(node.x, node.y)
        finally:
            self._syncing = False

    def restyle(self) -> None:
        if self.scene() is None:
            return
        node = self.entity()
        fill, border, width, text = self.colours()
        overlay = self._overlay
        if overlay is None or not overlay.width:  # a live run's widths are bold already
            width = stroke(width)
        muted = QColor(text)
        muted.setAlphaF(0.72)
        self._look = NodeLook(
            pen=QPen(border, width), fill=QBrush(fill), text=text, muted=muted, border=border,
            inset=self.RECT.adjusted(width / 2, width / 2, -width / 2, -width / 2),
            health=node.health if self.host.layers.health and not (overlay and overlay.hide_marks) else "none",
            caption=overlay.caption if overlay and overlay.caption else KIND_NAMES.get(node.kind, node.kind).upper(),
            icon=(node.kind, muted.name(QColor.NameFormat.HexArgb)),
        )
        self.update()

    def boundingRect(self) -> QRectF:
        return self.BOUNDS

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.RECT, 8, 8)
        return path

    def in_connect_zone(self, local: QPointF) -> bool:
        """Is a point (item coordinates) on the node's rim, where a drag connects?"""
        inner = self.RECT.adjusted(CONNECT_ZONE, CONNECT_ZONE, -CONNECT_ZONE, -CONNECT_ZONE)
        handle = QPointF(self.RECT.right(), 0)
        near_handle = (local - handle).manhattanLength() <= 12
        return near_handle or (self.RECT.adjusted(-2, -2, 2, 2).contains(local) and not inner.contains(local))

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        in_scene = self.scene() is not None
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and in_scene \
                and not self._syncing and self.host.snap_enabled:
            return snap_point(value, self.host.grid_size)
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged and in_scene:
            self.host.node_geometry_changed(self.entity_id)
        # returning the value as is (not through the base class) avoids a PySide
        # reference-count bug with None values (ItemSceneChange on removal)
        return value

    def hoverEnterEvent(self, event: Any) -> None:
        self.hovered = True
        self.update()
        super().hoverEnterEvent(event)

    def hoverMoveEvent(self, event: Any) -> None:
        connect = self.in_connect_zone(event.pos())
        if connect != self._hover_connect:
            self._hover_connect = connect
            self.setCursor(Qt.CursorShape.CrossCursor if connect else Qt.CursorShape.ArrowCursor)
        super().hoverMoveEvent(event)

    def hoverLeaveEvent(self, event: Any) -> None:
        self.hovered = False
        self._hover_connect = False
        self.unsetCursor()
        self.update()
        super().hoverLeaveEvent(event)

    def colours(self) -> tuple[QColor, QColor, float, QColor]:
        """Fill, border, border width and text colour, after health and overlay."""
        theme, node = self.host.theme, self.entity()
        health = node.health if self.host.layers.health else "none"
        if health in HEALTH_FILL:
            fill, border = QColor(HEALTH_FILL[health]), QColor(HEALTH_BORDER[health])
            width, text = HEALTH_W[health], QColor(theme.health_text)
        else:
            fill, border, width, text = theme.colour("node_fill"), theme.colour("node_border"), HEALTH_W["none"], \
                theme.colour("node_text")
        overlay = self._overlay
        if overlay is not None:
            if overlay.fill:
                fill = QColor(overlay.fill)
                text = QColor("#1F2A30") if fill.lightnessF() > 0.55 else QColor("#FFFFFF")
            if overlay.border:
                border = QColor(overlay.border)
            if overlay.width:
                width = overlay.width
        return fill, border, width, text

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        look = self._look
        if look is None:
            return
        theme = self.host.theme
        rect = self.RECT
        decorated = self.decorated()
        if decorated and self.isSelected():
            painter.setPen(QPen(theme.colour("selection"), 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-5, -5, 5, 5), 11, 11)
        if self._highlight is not None:
            painter.setPen(QPen(with_alpha(self._highlight, 150), 7))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 10, 10)
        painter.setPen(look.pen)
        painter.setBrush(look.fill)
        painter.drawRoundedRect(look.inset, 8, 8)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < 0.32:
            # far away: a box in its colours, its label only if still legible
            if lod >= 0.18:
                painter.setFont(LABEL_FONT)
                painter.setPen(look.text)
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._label_text)
            return
        # kind icon and caption
        icon_rect = QRectF(rect.left() + 8, rect.top() + 5, 16, 16)
        if decorated:
            painter.drawPixmap(icon_rect, icon_pixmap(*look.icon, lod), ICON_SOURCE)
        else:
            draw_icon(painter, kind_icon(*look.icon), icon_rect)
        painter.setFont(KIND_FONT)
        painter.setPen(look.muted)
        painter.drawText(QRectF(rect.left() + 28, rect.top() + 5, rect.width() - 50, 16),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, look.caption)
        # label
        painter.setFont(LABEL_FONT)
        painter.setPen(look.text)
        painter.drawText(QRectF(rect.left() + 7, rect.top() + 21, rect.width() - 14, rect.height() - 24),
                         Qt.AlignmentFlag.AlignCenter, self._label_text)
        if look.health == "red":
            self._badge_red(painter, QPointF(rect.right() - 3, rect.top() + 3))
        elif look.health == "yellow":
            self._badge_yellow(painter, QPointF(rect.right() - 3, rect.top() + 3))
        if self._overlay and self._overlay.badge:
            self._pill(painter, self._overlay.badge, QPointF(rect.center().x(), rect.top() - 11), look.border)
        if decorated and self.hovered:
            painter.setPen(QPen(theme.colour("background"), 1.5))
            painter.setBrush(theme.colour("selection"))
            painter.drawEllipse(QPointF(rect.right(), 0), 5.5, 5.5)

    @staticmethod
    def _badge_red(painter: QPainter, centre: QPointF) -> None:
        painter.setPen(QPen(QColor("#FFFFFF"), 1.5))
        painter.setBrush(QColor(HEALTH_BORDER["red"]))
        painter.drawEllipse(centre, 9, 9)
        painter.setFont(BADGE_FONT)
        painter.drawText(QRectF(centre.x() - 9, centre.y() - 9, 18, 18), Qt.AlignmentFlag.AlignCenter, "!")

    @staticmethod
    def _badge_yellow(painter: QPainter, centre: QPointF) -> None:
        triangle = QPolygonF([QPointF(centre.x(), centre.y() - 9), QPointF(centre.x() + 9.5, centre.y() + 7.5),
                              QPointF(centre.x() - 9.5, centre.y() + 7.5)])
        painter.setPen(QPen(QColor("#FFFFFF"), 1.2))
        painter.setBrush(QColor(HEALTH_BORDER["yellow"]))
        painter.drawPolygon(triangle)
        painter.setPen(QColor("#1F2A30"))
        painter.setFont(font(10, bold=True))
        painter.drawText(QRectF(centre.x() - 9, centre.y() - 5, 18, 13), Qt.AlignmentFlag.AlignCenter, "!")

    @staticmethod
    def _pill(painter: QPainter, text: str, centre: QPointF, colour: QColor) -> None:
        painter.setFont(BADGE_FONT)
        w = QFontMetricsF(BADGE_FONT).horizontalAdvance(text) + 12
        rect = QRectF(centre.x() - w / 2, centre.y() - 9, w, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, 9, 9)
        painter.setPen(QColor("#FFFFFF") if colour.lightnessF() < 0.6 else QColor("#1F2A30"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


class EdgeItem(BoardItem):
    """A dependency arrow: solid or dashed, thicker on the critical path, with
    its label; bent apart from other edges between the same two nodes."""

    collection = "edges"

    def __init__(self, entity_id: str, host: ItemHost) -> None:
        super().__init__(entity_id, host)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(0)
        self._path = QPainterPath()
        self._head = QPolygonF()
        self._mid = QPointF()
        self._label_rect = QRectF()
        self._label = ""
        self._label_text = ""
        self._bounds = QRectF()
        self._line: QLineF | None = None
        self._elided = ""
        self._missing_glyph = False
        self._look: EdgeLook | None = None
        self.hovered = False

    def sync(self) -> None:
        scene = self.host
        edge = self.entity()
        a, b = scene.node_centre(edge.source), scene.node_centre(edge.target)
        self.prepareGeometryChange()
        if a is None or b is None:
            self._path, self._head, self._bounds, self._line = QPainterPath(), QPolygonF(), QRectF(), None
            scene.edges_changed(self, geometry=True)
            return
        bend = scene.edge_bend(self.entity_id)
        path, mid, direction = arrow_path(a, b, bend)
        self._path, self._mid = path, mid
        # a straight edge is drawn as a line: the raster engine's fast path for plain pens
        self._line = QLineF(path.elementAt(0).x, path.elementAt(0).y, path.currentPosition().x(),
                            path.currentPosition().y()) if path.elementCount() == 2 else None
        self._head = arrow_head(path.currentPosition(), direction, stroke(12.0 if self.is_critical() else 10.0))
        self._label = edge.label
        self._label_rect = QRectF()
        self._label_text = edge.label
        # where the label goes, and its lines, come from the scene's one placement (app/labels.py)
        placed = scene.placed_label("edge", self.entity_id) if edge.label else None
        if placed is not None:
            box = placed.box
            self._label_rect = QRectF(box.left, box.top, box.width, box.height)
            self._label_text = placed.text
        self._bounds = path.boundingRect().united(self._head.boundingRect()).united(self._label_rect) \
            .adjusted(-10, -10, 10, 10)
        self._elided = self._label_text if "\n" in self._label_text else QFontMetricsF(EDGE_FONT).elidedText(
            self._label_text, Qt.TextElideMode.ElideRight, max(0.0, self._label_rect.width() - 8))
        # a missing queue marked on the edge but not (yet) described as a queue of the board
        self._missing_glyph = "missing_queue" in edge.marks and scene.layers.queues \
            and not scene.queues_on_edge(self.entity_id)
        tip = f"{edge.source} → {edge.target}" + (f": {edge.label}" if edge.label else "")
        self.setToolTip(plain_tooltip(tip))
        scene.edges_changed(self, geometry=True)
        self.restyle()

    def is_critical(self) -> bool:
        return "critical" in self.entity().marks and self.host.layers.critical

    def queue_point(self) -> QPointF:
        """Where a queue on this edge is drawn."""
        length = self._path.length()
        if self._label and length > 150:
            return self._path.pointAtPercent(self._path.percentAtLength(length / 2 + 10))
        return QPointF(self._mid)

    def label_rect(self) -> QRectF:
        return QRectF(self._label_rect)

    def midpoint(self) -> QPointF:
        return QPointF(self._mid)

    def point_at(self, t: float) -> QPointF:
        return self._path.pointAtPercent(max(0.0, min(1.0, t)))

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(12)
        shape = stroker.createStroke(self._path)
        shape.addPolygon(self._head)
        if not self._label_rect.isNull():
            shape.addRect(self._label_rect)
        return shape

    def hoverEnterEvent(self, event: Any) -> None:
        self.hovered = True
        self.update()
        self.host.edges_changed(self)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: Any) -> None:
        self.hovered = False
        self.update()
        self.host.edges_changed(self)
        super().hoverLeaveEvent(event)

    def set_highlight(self, colour: QColor | None) -> None:
        if colour != self._highlight:
            super().set_highlight(colour)
            self.host.edges_changed(self)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged and self.scene() is not None:
            self.host.edges_changed(self)
        return value  # as is: see NodeItem.itemChange

    def _blit_label_box(self, painter: QPainter, transform: QTransform, look: EdgeLook) -> None:
        """The label's rounded box from a picture drawn once per size, colour, zoom and
        quarter-pixel offset: an antialiased rounded box is the slowest thing on a busy board."""
        device = transform.mapRect(self._label_rect)
        x, y = math.floor(device.left()) - 1, math.floor(device.top()) - 1
        rect = self._label_rect
        sprite = _label_box(round(rect.width(), 2), round(rect.height(), 2), look.label_pen.color().rgba(),
                            look.label_fill.color().rgba(), round(transform.m11(), 4),
                            round((device.left() - x) * 4) / 4, round((device.top() - y) * 4) / 4)
        painter.setWorldTransform(QTransform())
        painter.drawPixmap(x, y, sprite)
        painter.setWorldTransform(transform)

    # --- drawn all together when zoomed far out (see far.py) ----------------------------

    def far_look(self) -> tuple[QPen, QColor, float, bool] | None:
        """Pen, colour, width and dash of the line, or None when there is nothing to draw."""
        look = self._look
        if look is None or self._path.isEmpty() or not self.isVisible():
            return None
        return look.pen, look.colour, look.width, look.dashed

    def far_path(self) -> QPainterPath:
        return self._path

    def far_line(self) -> QLineF | None:
        """The edge as a line when it is straight (drawn in one batch with the others)."""
        return self._line

    def far_head(self) -> QPolygonF:
        return self._head

    def far_glow(self, theme: Theme) -> QColor | None:
        """The colour of a wide line under the edge: selected, hovered or highlighted."""
        if self.isSelected():
            return theme.colour("selection")
        if self.hovered:
            return theme.colour("hover")
        return self._highlight

    def restyle(self) -> None:
        if self.scene() is None:
            return
        theme, edge = self.host.theme, self.entity()
        critical = self.is_critical()
        colour = theme.colour("critical") if critical else theme.colour("edge")
        width = stroke(CRITICAL_W if critical else EDGE_W)  # a live run's widths (overlay) are bold already
        dashed = edge.style == "dashed" or "missing_queue" in edge.marks
        overlay = self._overlay
        if overlay is not None:
            colour = QColor(overlay.border) if overlay.border else colour
            width = overlay.width or width
            dashed = dashed if overlay.dashed is None else overlay.dashed
        self._look = _edge_look(colour.rgba(), width, dashed, theme.label_fill, theme.node_text)
        self.update()
        self.host.edges_changed(self)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        look = self._look
        if look is None:
            return
        decorated = self.decorated()
        if decorated and option.levelOfDetailFromTransform(painter.worldTransform()) < FAR_LOD:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # a line a pixel or two wide
        if decorated and (self.isSelected() or self.hovered):
            theme = self.host.theme
            glow = theme.colour("selection") if self.isSelected() else theme.colour("hover")
            painter.setPen(QPen(with_alpha(glow, 110), look.width + 7, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap))
            painter.drawPath(self._path)
        if self._highlight is not None:
            painter.setPen(QPen(with_alpha(self._highlight, 140), look.width + 8, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap))
            painter.drawPath(self._path)
        painter.setPen(look.pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        painter.setPen(look.head_pen)
        painter.setBrush(look.head)
        painter.drawPolygon(self._head)
        if decorated and option.levelOfDetailFromTransform(painter.worldTransform()) < FAR_LOD:
            return  # labels are unreadable this far out; exports keep them
        if self._label and not self._label_rect.isNull():
            transform = painter.worldTransform()
            if decorated and transform.type().value <= QTransform.TransformationType.TxScale.value:
                self._blit_label_box(painter, transform, look)
            else:
                painter.setPen(look.label_pen)
                painter.setBrush(look.label_fill)
                painter.drawRoundedRect(self._label_rect, 8, 8)
            painter.setFont(EDGE_FONT)
            painter.setPen(look.text)
            painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self._elided)
        if self._missing_glyph:
            theme = self.host.theme
            draw_queue_glyph(painter, self.queue_point(), theme.colour("queue"), theme.colour("label_fill"), False)
        if self._overlay is not None and self._overlay.badge:
            NodeItem._pill(painter, self._overlay.badge, self._mid + QPointF(0, 20), look.colour)


class EdgeLook(NamedTuple):
    """Pens and brushes of an edge (see ``_edge_look``)."""

    colour: QColor
    width: float
    pen: QPen
    head_pen: QPen
    head: QBrush
    label_pen: QPen
    label_fill: QBrush
    text: QColor
    dashed: bool


@functools.lru_cache(maxsize=256)
def _edge_look(rgba: int, width: float, dashed: bool, label_fill: str, text: str) -> EdgeLook:
    """Pens and brushes of an edge, shared by every edge that looks the same (a simulation
    restyles hundreds of edges a second with a handful of looks)."""
    colour = QColor.fromRgba(rgba)
    pen = QPen(colour, width, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine,
               Qt.PenCapStyle.FlatCap, Qt.PenJoinStyle.RoundJoin)
    if dashed:
        pen.setDashPattern([4.0, 2.5] if width > 2 else [6.0, 4.0])
    return EdgeLook(colour=colour, width=width, pen=pen, head_pen=QPen(colour, 1.0), head=QBrush(colour),
                    label_pen=QPen(with_alpha(colour, 90), 1.0), label_fill=QBrush(QColor(label_fill)),
                    text=QColor(text), dashed=dashed)


@functools.lru_cache(maxsize=512)
def _label_box(w: float, h: float, pen: int, fill: int, scale: float, dx: float, dy: float) -> QPixmap:
    """An edge label's box as drawn at ``scale``, its top left ``dx, dy`` device pixels into the picture."""
    pixmap = QPixmap(math.ceil(w * scale + dx) + 2, math.ceil(h * scale + dy) + 2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(dx, dy)
        painter.scale(scale, scale)
        painter.setPen(QPen(QColor.fromRgba(pen), 1.0))
        painter.setBrush(QColor.fromRgba(fill))
        painter.drawRoundedRect(QRectF(0, 0, w, h), 8, 8)
    finally:
        painter.end()
    return pixmap
