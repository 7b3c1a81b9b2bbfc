"""Scene items the simulation lays over the board's own items while a run is shown.

They draw what only a live run knows (glow, utilisation ring, queue bar,
counters, moving dots, flashes, breaker badges, the cascade wavefront) and
hold no board data: a node decoration follows its node item's position, an
edge decoration samples its edge item's path. None is selectable or movable,
so they never get in the way of editing, and removing them leaves the scene
as it was.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.sim.view import EdgeLook, NodeLook
from app.ui.animation import look as lk
from app.ui.canvas.geometry import arrow_head, offset_segment
from app.ui.canvas.items import EdgeItem, NodeItem
from app.ui.canvas.style import NODE_H, NODE_W, font

if TYPE_CHECKING:
    from app.ui.canvas.scene import BoardScene

NODE_RECT = QRectF(-NODE_W / 2, -NODE_H / 2, NODE_W, NODE_H)
DECORATION_RECT = NODE_RECT.adjusted(-lk.RING_RADIUS - 12, -34, 40, 44)
QUEUE_BAR = QRectF(NODE_RECT.left() + 4, NODE_RECT.bottom() + 5, NODE_RECT.width() - 8, lk.QUEUE_BAR_H)
"""Where a node's queue bar sits unless a label is there (``SimulationOverlay`` places it)."""
GLOW_STRENGTH = {"green": 1, "yellow": 2, "red": 4}
"""How many rings a node's halo has (and how far it spreads) for each health."""
GLOW_REACH = 3 + max(GLOW_STRENGTH.values()) * 3.5 + 2.0 + 2.0
"""The outermost ring's spread, half its 4 px pen and a pixel of antialiasing each side: the
halo's bounding rectangle must hold it all, or a stopped run leaves arcs of it behind."""
GLOW_RECT = NODE_RECT.adjusted(-GLOW_REACH, -GLOW_REACH, GLOW_REACH, GLOW_REACH)


class _Passive(QGraphicsItem):
    """Takes no mouse buttons and no focus: decorations are only looked at."""

    def __init__(self, z: float) -> None:
        super().__init__()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setZValue(z)


def _scale(painter: QPainter) -> float:
    """Device pixels per item unit, rounded so sprites are shared between nearby zooms."""
    transform = painter.worldTransform()
    return max(0.05, round(math.hypot(transform.m11(), transform.m12()), 2))


@functools.lru_cache(maxsize=128)
def _sprite(kind: str, colour: str, scale: float) -> QPixmap:
    """A small picture drawn once per colour and zoom and then blitted: a request dot
    (``dot``) or the dark disc behind a utilisation ring (``ring``)."""
    size = 12.0 if kind == "dot" else 2 * lk.RING_RADIUS + 8
    pixmap = QPixmap(max(1, math.ceil(size * scale)), max(1, math.ceil(size * scale)))
    pixmap.setDevicePixelRatio(scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre = QPointF(size / 2, size / 2)
        if kind == "dot":
            painter.setPen(QPen(QColor("#FFFFFF"), 1.5))
            painter.setBrush(QColor(colour))
            painter.drawEllipse(centre, EdgeDecoration.DOT_R, EdgeDecoration.DOT_R)
        else:
            r = lk.RING_RADIUS
            painter.setPen(QPen(QColor("#FFFFFF"), 1.5))
            painter.setBrush(QColor(colour))
            painter.drawEllipse(centre, r + 3, r + 3)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(255, 255, 255, 60), 4.0))
            painter.drawEllipse(centre, r, r)
    finally:
        painter.end()
    return pixmap


def blit(painter: QPainter, pixmap: QPixmap, centre: QPointF) -> None:
    size = pixmap.deviceIndependentSize()
    painter.drawPixmap(QPointF(centre.x() - size.width() / 2, centre.y() - size.height() / 2), pixmap)


def pill(painter: QPainter, text: str, centre: QPointF, fill: QColor, text_colour: QColor,
         text_font: QFont = lk.COUNTER_FONT) -> QRectF:
    """A rounded label centred on ``centre``."""
    metrics = QFontMetricsF(text_font)
    w = metrics.horizontalAdvance(text) + PILL_PAD
    h = metrics.height() + PILL_PAD_H
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
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.node_id = node_id
        self.look: NodeLook | None = None

    def set_look(self, look: NodeLook | None, repaint: bool = True) -> bool:
        """Take a new look; True if the glow's colour changed (repainted now unless ``repaint`` is False)."""
        if look is self.look:
            return False
        health_changed = (look.health if look else None) != (self.look.health if self.look else None)
        self.look = look
        if health_changed and repaint:
            self.update()
        return health_changed

    def boundingRect(self) -> QRectF:
        return GLOW_RECT

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self.look is None or self.look.health not in lk.HEALTH_GLOW:
            return
        glow = self.look.health
        strength = GLOW_STRENGTH[glow]
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if option.levelOfDetailFromTransform(painter.worldTransform()) < COARSE_LOD:
            # from afar the halo is a few pixels: one plain band instead of rounded rings
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            for _, colour, rect in coarse_glow(self.look):
                painter.fillRect(rect, colour)
            return
        for i in range(strength + 1):
            spread = 3 + i * 3.5
            painter.setPen(QPen(lk.colour(lk.HEALTH_GLOW[glow], 90 - i * 15), 4.0))
            painter.drawRoundedRect(NODE_RECT.adjusted(-spread, -spread, spread, spread), 8 + spread, 8 + spread)


COARSE_LOD = 0.5
"""Below this scale the numbers would be a few pixels high: decorations show colours only."""


def coarse_node_key(look: NodeLook) -> tuple[object, ...]:
    """What a node decoration shows from afar: health, utilisation and queue in tenths
    (``coarse_bars`` draws exactly this)."""
    return (look.health, round(look.utilisation * 10), round(lk.queue_share(look.queue_length, look.queue_limit) * 10),
            look.queue_limit is None, look.err_ps > 0, look.queue_length > 0)


BADGE_AT = QPointF(NODE_RECT.center().x() + 8, NODE_RECT.top() - 13)
"""Where a node's rate badge sits unless a label is there (``SimulationOverlay`` places it)."""
WIDEST_BADGE = "999 req/s · 999 err/s"
WIDEST_PILL = {"flash-429": "429 ×999/s", "flash-timeout": "timeout ×999/s",
               "flash-both": "429 ×999/s  timeout ×999/s", "breaker": "breaker half-open"}
"""The widest texts the badge and each form of an edge's pill show below 1,000 a second: their
boxes are placed once at this size, so changing numbers never move them."""


PILL_PAD, PILL_PAD_H = 14.0, 4.0
"""What a pill adds to its text's width and height (the same at every presentation scale)."""


def pill_size(text: str, text_font: QFont) -> tuple[float, float]:
    """The size of ``pill`` around ``text``."""
    metrics = QFontMetricsF(text_font)
    return metrics.horizontalAdvance(text) + PILL_PAD, metrics.height() + PILL_PAD_H


def badge_size(scaled: bool = True) -> tuple[float, float]:
    """The bound of a node's badge; ``scaled=False``: at 1x, whatever the presentation scale."""
    return pill_size(WIDEST_BADGE, lk.COUNTER_FONT if scaled else font(lk.COUNTER_PX, bold=True, scaled=False))


WIDEST_QUEUES = ("queue 8888 / 8888", "queue 8888 · no limit")
"""The widest texts of a queue bar below 10,000 queued (``NodeDecoration._queue``)."""


def queue_bar_size() -> tuple[float, float]:
    """The queue bar's box: as wide as the node under it, wider and taller when its numbers are
    (at a presentation scale over 1 they grew with the canvas fonts; drawn in the node's
    fixed box they ran over the badge above it)."""
    metrics = QFontMetricsF(lk.SMALL_FONT)
    text_w = max(metrics.horizontalAdvance(text) for text in WIDEST_QUEUES) + 10
    return max(QUEUE_BAR.width(), text_w), max(QUEUE_BAR.height(), metrics.height() + 2)


def shows_queue_bar(look: NodeLook | None) -> bool:
    """Whether a node with ``look`` shows its queue bar (a queue, or a limit to show it against)."""
    return look is not None and (look.queue_length > 0 or look.queue_limit is not None)


def queue_bar_centre() -> QPointF:
    """Where the queue bar sits unless a label is there: under the node, its top where it always was."""
    return QPointF(QUEUE_BAR.center().x(), QUEUE_BAR.top() + queue_bar_size()[1] / 2)


def edge_pill_size(form: str) -> tuple[float, float]:
    """The bound of an edge pill's box by its form (a key of ``WIDEST_PILL``)."""
    return pill_size(WIDEST_PILL[form], lk.SMALL_FONT)


def flash_form(look: EdgeLook) -> str:
    """Which flash pill ``look`` shows: 429s, timeouts or both."""
    if look.limited_ps > 0 and look.timeouts_ps > 0:
        return "flash-both"
    return "flash-429" if look.limited_ps > 0 else "flash-timeout"


def counter_text(look: NodeLook) -> str:
    """``61 req/s · 2.0 err/s``: what a node's badge says."""
    text = f"{lk.rate_text(look.rps)} req/s"
    if look.err_ps > 0:
        text += f" · {lk.rate_text(look.err_ps)} err/s"
    return text


def _around(centre: QPointF, size: tuple[float, float]) -> QRectF:
    return QRectF(centre.x() - size[0] / 2, centre.y() - size[1] / 2, size[0], size[1])


class NodeDecoration(_Passive):
    """Utilisation ring, live counters and the queue-depth bar of one node.

    In ``coarse`` mode (the view is zoomed far out) it repaints only when what
    can be seen from afar changes, and draws no text."""

    def __init__(self, node_id: str) -> None:
        super().__init__(3.0)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.node_id = node_id
        self.look: NodeLook | None = None
        self._key: object = None
        self.badge_at = QPointF(BADGE_AT)
        """The badge's centre, in the node's coordinates (``set_badge_at``)."""
        self.bar_at = queue_bar_centre()
        """The queue bar's centre, in the node's coordinates (``set_bar_at``)."""
        self._bar_size = queue_bar_size()
        self._bounds = QRectF(DECORATION_RECT)
        self._sizes: tuple[tuple[float, float], ...] = ()
        """The badge's and the bar's sizes the bounds were made for (the presentation scale's)."""

    def set_badge_at(self, centre: QPointF) -> None:
        """Move the rate badge (placed clear of the labels by the overlay)."""
        if centre != self.badge_at or self._sizes != (badge_size(), queue_bar_size()):
            self.badge_at = QPointF(centre)
            self._follow_places()

    def set_bar_at(self, centre: QPointF) -> None:
        """Move the queue bar (placed clear of the labels, such as the node's own queue glyph and
        its depth, by the overlay)."""
        if centre != self.bar_at or self._sizes != (badge_size(), queue_bar_size()):
            self.bar_at = QPointF(centre)
            self._follow_places()

    def _follow_places(self) -> None:
        self.prepareGeometryChange()
        self._bar_size = queue_bar_size()
        self._sizes = (badge_size(), self._bar_size)
        self._bounds = DECORATION_RECT.united(_around(self.badge_at, badge_size()).adjusted(-3, -3, 3, 3)) \
            .united(self._bar().adjusted(-2, -2, 2, 2))
        self.update()

    def _bar(self) -> QRectF:
        return _around(self.bar_at, self._bar_size)

    def bar_rect(self) -> QRectF:
        """The queue bar as drawn for the present look, in scene coordinates (empty when it shows none)."""
        if not shows_queue_bar(self.look):
            return QRectF()
        return self._bar().translated(self.pos())

    def badge_rect(self) -> QRectF:
        """The badge as drawn for the present look, in scene coordinates (empty without a look)."""
        if self.look is None:
            return QRectF()
        return _around(self.badge_at, pill_size(counter_text(self.look), lk.COUNTER_FONT)).translated(self.pos())

    def set_look(self, look: NodeLook | None, coarse: bool = False, repaint: bool = True) -> bool:
        """Take a new look; True if what shows changed (repainted now unless ``repaint`` is False)."""
        if look is self.look:
            return False
        self.look = look
        key = coarse_node_key(look) if coarse and look is not None else look
        if key == self._key:
            return False
        self._key = key
        if repaint:
            self.update()
        return True

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        look = self.look
        if look is None:
            return
        if option.levelOfDetailFromTransform(painter.worldTransform()) < COARSE_LOD:
            self._paint_coarse(painter, look)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._counters(painter, look, self.badge_at)
        self._ring(painter, look)
        self._queue(painter, look, self._bar())

    @staticmethod
    def _paint_coarse(painter: QPainter, look: NodeLook) -> None:
        """From afar: a utilisation bar over the node and the queue bar under it, no text."""
        for _, colour, rect in coarse_bars(look):
            painter.fillRect(rect, colour)

    @staticmethod
    def _ring(painter: QPainter, look: NodeLook) -> None:
        """A gauge at the node's top-left corner: the share of busy workers."""
        r = lk.RING_RADIUS
        centre = QPointF(NODE_RECT.left() - 2, NODE_RECT.top() + 2)
        box = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
        blit(painter, _sprite("ring", "#263238", _scale(painter)), centre)
        u = look.utilisation
        ring = lk.utilisation_colour(u)
        painter.setPen(QPen(QColor(ring), 4.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        painter.drawArc(box, 90 * 16, -round(360 * 16 * u))
        painter.setFont(lk.RING_FONT)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, f"{round(u * 100)}")

    @staticmethod
    def _counters(painter: QPainter, look: NodeLook, centre: QPointF) -> None:
        """``61/s · 2 err/s`` in a pill at ``centre`` (above the node unless a label is there)."""
        text = counter_text(look)
        fill = QColor(lk.ERROR) if look.err_ps > 0 and look.err_ps >= 0.1 * max(look.rps, 1e-9) else \
            QColor(38, 50, 56, 235)
        pill(painter, text, centre, fill, QColor("#FFFFFF"))

    @staticmethod
    def _queue(painter: QPainter, look: NodeLook, bar: QRectF) -> None:
        """A bar under the node (at ``bar``), filled by queue length against its limit, the numbers inside."""
        if not shows_queue_bar(look):
            return
        share = lk.queue_share(look.queue_length, look.queue_limit)
        painter.setPen(QPen(QColor(38, 50, 56, 200), 1.0))
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(bar, 4, 4)
        colour = lk.queue_colour(share)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(lk.colour(colour, 200))
        painter.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * share, bar.height()), 4, 4)
        limit = f" / {look.queue_limit}" if look.queue_limit is not None else " · no limit"
        painter.setFont(lk.SMALL_FONT)
        painter.setPen(QColor("#102027"))
        painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, f"queue {look.queue_length}{limit}")


def _glow_spread(health: str) -> float:
    return 3 + GLOW_STRENGTH[health] * 3.5


Shape = tuple[int, QColor, QRectF]
"""A plain rectangle drawn from afar: its layer (0 under 1), colour and place round the node's centre."""


def coarse_glow(look: NodeLook) -> tuple[Shape, ...]:
    """A node's halo from afar: one band round the box, as four rectangles (top, bottom, left, right)."""
    return _coarse_glow(look.health)


@functools.lru_cache(maxsize=8)
def _coarse_glow(health: str) -> tuple[Shape, ...]:
    if health not in lk.HEALTH_GLOW:
        return ()
    spread = _glow_spread(health)
    colour = lk.colour(lk.HEALTH_GLOW[health], 90 - GLOW_STRENGTH[health] * 8)
    outer = NODE_RECT.adjusted(-spread - 1, -spread - 1, spread + 1, spread + 1)
    inner = NODE_RECT.adjusted(1, 1, -1, -1)
    return ((0, colour, QRectF(outer.left(), outer.top(), outer.width(), inner.top() - outer.top())),
            (0, colour, QRectF(outer.left(), inner.bottom(), outer.width(), outer.bottom() - inner.bottom())),
            (0, colour, QRectF(outer.left(), inner.top(), inner.left() - outer.left(), inner.height())),
            (0, colour, QRectF(inner.right(), inner.top(), outer.right() - inner.right(), inner.height())))


def coarse_bars(look: NodeLook) -> tuple[Shape, ...]:
    """A node's decoration from afar: the utilisation bar over the box and the queue bar under it,
    each a background (layer 0) and its filled part (layer 1), in tenths (``coarse_node_key``)."""
    share = lk.queue_share(look.queue_length, look.queue_limit)
    return _coarse_bars(round(look.utilisation * 10), round(share * 10),
                        look.queue_length > 0 or look.queue_limit is not None)


@functools.lru_cache(maxsize=256)
def _coarse_bars(utilisation: int, queue: int, has_queue: bool) -> tuple[Shape, ...]:
    u = utilisation / 10
    top = QRectF(NODE_RECT.left(), NODE_RECT.top() - 14, NODE_RECT.width(), 10)
    ring = lk.utilisation_colour(u)
    rects: tuple[Shape, ...] = ((0, QColor(38, 50, 56, 200), top),
                                (1, QColor(ring), QRectF(top.left(), top.top(), top.width() * u, top.height())))
    if has_queue:
        share = queue / 10
        bar = QRectF(NODE_RECT.left(), NODE_RECT.bottom() + 5, NODE_RECT.width(), 12)
        colour = lk.queue_colour(share)
        rects += ((0, QColor(255, 255, 255, 230), bar),
                  (1, QColor(colour), QRectF(bar.left(), bar.top(), bar.width() * share, bar.height())))
    return rects


class FarNodeLooks(_Passive):
    """The glows (or the bars) of every node in a few fills, for a view zoomed out below
    ``COARSE_LOD``: there each is a few pixels, and visiting a thousand small items costs a
    repaint more than drawing them. The overlay shows this instead of the nodes' own glows
    and decorations while the view is that far out; the parts keep their looks. Each part's
    rectangles are kept, placed, in the group of their colour; when parts change
    (``invalidate(parts)``) only they move between groups, only the groups they left or
    joined are gathered again, and only around them is repainted, so a frame that changes
    a few nodes of a big board neither walks every node nor repaints the whole board."""

    def __init__(self, parts: Callable[[], list[NodeGlow] | list[NodeDecoration]], glows: bool) -> None:
        super().__init__(1.9 if glows else 3.0)
        self._parts = parts
        self._kind: type = NodeGlow if glows else NodeDecoration
        self._shapes = coarse_glow if glows else coarse_bars
        self._bounds = QRectF()
        self._fills: list[tuple[QColor, list[QRectF]]] | None = None
        self._all_stale = True
        self._stale: dict[int, NodeGlow | NodeDecoration] = {}
        self._placed: dict[int, tuple[tuple[Shape, ...], QPointF, list[tuple[tuple[int, int], QRectF]]]] = {}
        self._members: dict[tuple[int, int], dict[int, list[QRectF]]] = {}
        self._colours: dict[tuple[int, int], QColor] = {}
        self._flat: dict[tuple[int, int], list[QRectF]] = {}
        self._dirty: set[tuple[int, int]] = set()
        self.builds = 0
        """How many times the fills were gathered (tests count them)."""

    def fit(self) -> None:
        """Bounds around every part where it stands now."""
        bounds = QRectF()
        for part in self._parts():
            bounds = bounds.united(part.sceneBoundingRect())
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
        self.invalidate()

    def invalidate(self, parts: Iterable[QGraphicsItem] | None = None) -> None:
        """Gather the fills again before the next paint: of every part (``parts`` None), or
        only of ``parts`` that changed their look (others of ``parts`` are ignored)."""
        if parts is None:
            self._all_stale = True
            self._fills = None
            self.update()
            return
        area = QRectF()
        for part in parts:
            if isinstance(part, (NodeGlow, NodeDecoration)) and isinstance(part, self._kind):
                self._stale[id(part)] = part
                area = area.united(part.sceneBoundingRect())
        if not area.isEmpty():
            self._fills = None
            self.update(area)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _move(self, part: NodeGlow | NodeDecoration) -> None:
        """Take ``part``'s rectangles out of their groups and put its present ones in."""
        key = id(part)
        kept = self._placed.get(key)
        look = part.look
        shapes = self._shapes(look) if look is not None else ()  # shared tuples: the same look from afar is one object
        pos = part.pos()
        if kept is not None and kept[0] is shapes and kept[1] == pos:
            return
        if kept is not None:
            for group, _ in kept[2]:
                self._members[group].pop(key, None)
                self._dirty.add(group)
        placed = [((layer, colour.rgba()), rect.translated(pos)) for layer, colour, rect in shapes if rect.width() > 0]
        for layer, colour, _ in shapes:
            self._colours.setdefault((layer, colour.rgba()), colour)
        self._placed[key] = (shapes, pos, placed)
        mine: dict[tuple[int, int], list[QRectF]] = {}
        for group, rect in placed:
            mine.setdefault(group, []).append(rect)
        for group, rects in mine.items():
            self._members.setdefault(group, {})[key] = rects
            self._dirty.add(group)

    def _build(self) -> list[tuple[QColor, list[QRectF]]]:
        self.builds += 1
        if self._all_stale:
            self._placed, self._members, self._flat = {}, {}, {}
            self._dirty.clear()
            changed: Iterable[NodeGlow | NodeDecoration] = self._parts()
            self._all_stale = False
        else:
            changed = self._stale.values()
        for part in changed:
            self._move(part)
        self._stale = {}
        for group in self._dirty:
            members = self._members.get(group)
            if members:
                self._flat[group] = [rect for rects in members.values() for rect in rects]
            else:
                self._flat.pop(group, None)
        self._dirty.clear()
        return [(self._colours[group], self._flat[group]) for group in sorted(self._flat)]

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if option.levelOfDetailFromTransform(painter.worldTransform()) >= COARSE_LOD:
            for part in self._parts():  # an export at another zoom: each part as it draws itself
                if part.look is not None:
                    painter.save()
                    painter.translate(part.pos())
                    part.paint(painter, option, widget)
                    painter.restore()
            return
        if self._fills is None:
            self._fills = self._build()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        for colour, rects in self._fills:
            painter.setBrush(colour)
            painter.drawRects(rects)


class EdgeDecoration(_Passive):
    """Moving request dots, a flash on 429s and timeouts, and the breaker badge of one edge.

    The dots move many times a second, so moving them repaints only the small
    squares they leave and enter, never the whole edge."""

    DOT_SPEED = 0.45
    """Path lengths a dot travels per second of wall time."""
    DOT_R = 4.5
    FLASH_LEVELS = 4
    """The flash fades in this many steps, each one repaint of the edge."""

    def __init__(self, edge_item: EdgeItem) -> None:
        super().__init__(0.6)
        self.edge_item = edge_item
        self.edge_id = edge_item.entity_id
        self.look: EdgeLook | None = None
        self.phase = 0.0
        self.flash = 0.0
        """1 right after a frame with 429s or timeouts, fading to 0."""
        self._dots: list[tuple[QPointF, bool]] = []
        self._edge_bounds = QRectF()
        self._bounds = QRectF()
        self._coarse = False
        self._empty = True  # no look yet: nothing to draw
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self.placer: Callable[[EdgeDecoration, str], QRectF] | None = None
        """Where this edge's ``flash`` or ``breaker`` pill goes (``SimulationOverlay`` places them
        clear of the labels); None: the default places."""
        self._pills: dict[str, QRectF] = {}
        """Each pill's placed box (its size a bound on its texts), asked once."""
        self.under_finder: Callable[[EdgeDecoration], list[QRectF]] | None = None
        """Finds the labels the edge's line passes under (``SimulationOverlay._under_edge``)."""
        self._under: list[QRectF] | None = None

    @property
    def under(self) -> list[QRectF]:
        """The labels the edge's line passes under (scene coordinates): the flash and the dots
        leave them out, so the text stays readable. Found when first painted near (a run on a big
        board would otherwise look every edge up at once, most of them never shown close)."""
        if self._under is None:
            self._under = self.under_finder(self) if self.under_finder is not None else []
        return self._under

    def forget_under(self, finder: Callable[[EdgeDecoration], list[QRectF]] | None) -> None:
        """The labels moved: look them up again when next needed, with ``finder``."""
        self.under_finder = finder
        self._under = None

    def pill_box(self, kind: str) -> QRectF:
        """The placed box of a pill (``breaker`` or a form of the flash, see ``WIDEST_PILL``):
        the pill is centred in it."""
        box = self._pills.get(kind)
        if box is None:
            if self.placer is not None:
                box = self.placer(self, kind)
            elif kind == "breaker":
                box = _around(self.edge_item.midpoint() + QPointF(0, 22), edge_pill_size(kind))
            else:
                box = _around(self.edge_item.point_at(0.3) + QPointF(0, -16), edge_pill_size(kind))
            self._pills[kind] = box
            bounds = self.boundingRect()
            if not bounds.contains(box):
                self.prepareGeometryChange()
                self._bounds = bounds.united(box.adjusted(-3, -3, 3, 3))
        return box

    def forget_pills(self) -> None:
        """The labels moved: place the pills shown so far again."""
        kinds = list(self._pills)
        self._pills.clear()
        for kind in kinds:
            self.pill_box(kind)

    def pill_rects(self) -> list[tuple[str, QRectF]]:
        """The pills as drawn now (kind, scene rectangle): the flash's while it shows numbers, the breaker's."""
        look = self.look
        shown: list[tuple[str, QRectF]] = []
        if look is None:
            return shown
        if self._level() > 0 and (look.limited_ps > 0 or look.timeouts_ps > 0):
            size = pill_size(self._flash_text(look), lk.SMALL_FONT)
            shown.append(("flash", _around(self.pill_box(flash_form(look)).center(), size)))
        if look.breaker is not None:
            size = pill_size(lk.BREAKER_TEXT.get(look.breaker, look.breaker), lk.SMALL_FONT)
            shown.append(("breaker", _around(self.pill_box("breaker").center(), size)))
        return shown

    @staticmethod
    def _flash_text(look: EdgeLook) -> str:
        parts = []
        if look.limited_ps > 0:
            parts.append(f"429 ×{lk.rate_text(look.limited_ps)}/s")
        if look.timeouts_ps > 0:
            parts.append(f"timeout ×{lk.rate_text(look.timeouts_ps)}/s")
        return "  ".join(parts)

    def set_coarse(self, coarse: bool) -> None:
        """The view zoomed across ``COARSE_LOD``: from afar only a flash shows."""
        self._coarse = coarse
        self._follow_contents()

    def _follow_contents(self) -> None:
        """Mark the item empty while it draws nothing, so a repaint does not call ``paint``
        at all: zoomed out, a big board has a thousand of these with nothing to show."""
        look = self.look
        shows = look is not None and ((self.flash > 0 and (look.limited_ps > 0 or look.timeouts_ps > 0))
                                      or (not self._coarse and (look.flow_ps > 0 or look.breaker is not None)))
        if shows == self._empty:
            scene = self.scene()
            if not shows and scene is not None:
                scene.update(self.sceneBoundingRect())  # an empty item's own update repaints nothing
            self._empty = not shows
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, not shows)

    def set_look(self, look: EdgeLook | None, coarse: bool = False, repaint: bool = True) -> bool:
        """Take a new look; True if it needs a repaint (done now unless ``repaint`` is False)."""
        if look is self.look:
            return False
        before = self.look
        self.look = look
        self._coarse = coarse
        flashing = look is not None and (look.limited_ps > 0 or look.timeouts_ps > 0)
        if flashing and look is not None:
            self.flash = 1.0
            self.pill_box(flash_form(look))  # placed (and the bounds grown) before it is painted
        if look is not None and look.breaker is not None:
            self.pill_box("breaker")
        self._follow_contents()
        if coarse and before is not None and look is not None and not flashing \
                and before.breaker == look.breaker and (before.flow_ps > 0) == (look.flow_ps > 0):
            return False  # from afar the dots stand still and the numbers cannot be read
        self._dots = self._place_dots()
        if repaint:
            self.update()
        return True

    @property
    def moving(self) -> bool:
        return self.look is not None and self.look.flow_ps > 0

    def _level(self) -> int:
        return math.ceil(self.flash * self.FLASH_LEVELS)

    def advance_to(self, wall_s: float, fade: float) -> None:
        """Move the dots to where they are at ``wall_s`` and fade the flash by ``fade``."""
        level = self._level()
        self.flash = max(0.0, self.flash - fade)
        self.phase = (wall_s * self.DOT_SPEED) % 1.0
        if self._level() != level:
            self._follow_contents()
            self._dots = self._place_dots()
            self.update()
            return
        old, self._dots = self._dots, self._place_dots()
        r = self.DOT_R + 2
        for point, _ in (*old, *self._dots):
            self.update(QRectF(point.x() - r, point.y() - r, 2 * r, 2 * r))

    def _place_dots(self) -> list[tuple[QPointF, bool]]:
        look = self.look
        if look is None or look.flow_ps <= 0:
            return []
        count = max(1, min(8, round(1 + math.log2(1 + look.flow_ps))))
        reds = round(count * lk.error_share(look.flow_err_ps, look.flow_ps))
        item = self.edge_item
        return [(item.point_at((self.phase + k / count) % 1.0), k < reds) for k in range(count)]

    def boundingRect(self) -> QRectF:
        edge_bounds = self.edge_item.boundingRect()
        if edge_bounds != self._edge_bounds:
            self._edge_bounds = edge_bounds
            self._bounds = edge_bounds.adjusted(-30, -30, 30, 40)
            for box in self._pills.values():
                self._bounds = self._bounds.united(box.adjusted(-3, -3, 3, 3))
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        look = self.look
        if look is None:
            return
        coarse = option.levelOfDetailFromTransform(painter.worldTransform()) < COARSE_LOD
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, not coarse)
        item = self.edge_item
        level = self._level() / self.FLASH_LEVELS
        if level > 0 and (look.limited_ps > 0 or look.timeouts_ps > 0):
            path = QPainterPath(item.point_at(0.0))
            for i in range(1, 21):
                path.lineTo(item.point_at(i / 20))
            painter.save()
            if self.under and not coarse:
                clip = QPainterPath()
                clip.addRect(self.boundingRect())
                hole = QPainterPath()
                for rect in self.under:
                    hole.addRoundedRect(rect, 4, 4)
                painter.setClipPath(clip.subtracted(hole))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(lk.colour(lk.FLASH, int(40 + 150 * level)), 10 + 8 * level,
                                Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawPath(path)
            painter.restore()
            if coarse:
                return
            pill(painter, self._flash_text(look), self.pill_box(flash_form(look)).center(), QColor(lk.FLASH),
                 QColor("#FFFFFF"), lk.SMALL_FONT)
        if coarse:
            return
        if self._dots:
            scale = _scale(painter)
            blue, red = _sprite("dot", "#0D47A1", scale), _sprite("dot", lk.ERROR, scale)
            for point, failed in self._dots:
                if not any(rect.contains(point) for rect in self.under):  # it passes under a label
                    blit(painter, red if failed else blue, point)
        if look.breaker is not None:
            state = look.breaker
            pill(painter, lk.BREAKER_TEXT.get(state, state), self.pill_box("breaker").center(),
                 QColor(lk.BREAKER.get(state, lk.WARN)), QColor("#FFFFFF"), lk.SMALL_FONT)


class WaveArrow(NamedTuple):
    """One arrow of the wavefront: where it runs and where its step number sits (scene coordinates)."""

    start: QPointF
    end: QPointF
    number: QPointF


WAVE_SIDE = -16.0
"""How far beside the line between two nodes' centres an arrow runs unless labels are there."""
NUMBER_R = 16.0
"""The largest step number's radius (a fresh one grows to it)."""
WIDEST_RANK = "#13"
"""The widest rank a node shows (``WavefrontItem.MAX_NODES``): its box is placed at this size."""


def rank_size() -> tuple[float, float]:
    """The bound of a rank pill's box (``#13``)."""
    return QFontMetricsF(lk.SMALL_FONT).horizontalAdvance(WIDEST_RANK) + 10, 20.0


class WavefrontItem(_Passive):
    """The cascade as it happened: numbered arrows from each red node to the next one.

    The newest arrow glows for ``FRESH_S`` simulated seconds after its node
    turned red, so the eye follows the failure as it spreads. Where each arrow runs, where its
    number and each node's rank sit, and which boxes an arrow passes under are asked of the
    overlay's placement (``placer``, ``ranker``, ``under``: clear of the labels, badges and
    pills); without them, beside the line, at its middle and at the node's corner.
    """

    FRESH_S = 15.0
    FRESH_LEVELS = 5
    """The glow fades in this many steps (each one repaint)."""
    MAX_NODES = 13
    """The first nodes to turn red, 12 arrows: on a big board the rest is noise."""

    def __init__(self) -> None:
        super().__init__(4.0)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.order: tuple[tuple[str, float], ...] = ()
        self.t = 0.0
        self.centres: dict[str, QPointF] = {}
        self._bounds = QRectF()
        self._levels: tuple[int, ...] = ()
        self.placer: Callable[[str, str, QPointF, QPointF], WaveArrow] | None = None
        self.ranker: Callable[[str, QPointF], QPointF] | None = None
        self.under: Callable[[str, str, WaveArrow], list[QRectF]] | None = None
        """The boxes (labels, badges, pills) the arrow from one node to the next passes under."""
        self.arrows: list[tuple[str, str, WaveArrow]] = []
        self.ranks: list[tuple[str, QPointF]] = []
        """Each red node's rank pill centre, in order."""

    def freshness(self, turned_at: float) -> float:
        """1 when a node has just turned red, fading to 0 after ``FRESH_S``, in steps."""
        fresh = max(0.0, 1.0 - (self.t - turned_at) / self.FRESH_S)
        return math.ceil(fresh * self.FRESH_LEVELS) / self.FRESH_LEVELS

    def set_state(self, order: tuple[tuple[str, float], ...], t: float,
                  centres: Callable[[], dict[str, QPointF]]) -> None:
        """Show ``order`` at time ``t``; ``centres`` gives node positions (asked only on a change)."""
        order = order[: self.MAX_NODES]
        self.t = t
        levels = tuple(round(self.freshness(at) * self.FRESH_LEVELS) for _, at in order)
        if order == self.order:
            if levels != self._levels:
                self._levels = levels
                self.update()
            return
        self._levels = levels
        self.prepareGeometryChange()
        self.order = order
        self.centres = centres() if order else {}
        self._place()
        self.update()

    def place_again(self) -> None:
        """The placement was made anew (the labels moved): ask where everything goes again."""
        if self.order:
            self.prepareGeometryChange()
            self._place()
            self.update()

    def _place(self) -> None:
        placed = [(n, self.centres[n]) for n, _ in self.order if n in self.centres]
        self.arrows = []
        for (a_id, a), (b_id, b) in itertools.pairwise(placed):
            if self.placer is not None:
                arrow = self.placer(a_id, b_id, a, b)
            else:
                start, end = offset_segment(a, b, WAVE_SIDE)
                arrow = WaveArrow(start, end, (start + end) / 2)
            self.arrows.append((a_id, b_id, arrow))
        default = QPointF(NODE_W / 2 + 2, NODE_H / 2 - 2)
        self.ranks = [(n, self.ranker(n, c) if self.ranker is not None else c + default) for n, c in placed]
        w, h = rank_size()
        bounds = QRectF()
        for _, _, arrow in self.arrows:
            bounds = bounds.united(QRectF(arrow.start, arrow.end).normalized().adjusted(-24, -24, 24, 24))
            bounds = bounds.united(_around(arrow.number, (2 * NUMBER_R + 6, 2 * NUMBER_R + 6)))
        for _, centre in self.ranks:
            bounds = bounds.united(_around(centre, (w + 4, h + 4)))
        self._bounds = bounds

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if not self.ranks:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        turned = dict(self.order)
        for i, (a_id, b_id, arrow) in enumerate(self.arrows, start=1):
            fresh = self.freshness(turned[b_id])
            start, end = arrow.start, arrow.end
            painter.save()
            under = self.under(a_id, b_id, arrow) if self.under is not None else []
            if under:  # the arrow passes under the labels and marks it crosses: they stay readable
                clip = QPainterPath()
                clip.addRect(self._bounds)
                hole = QPainterPath()
                for rect in under:
                    hole.addRoundedRect(rect.adjusted(-2, -2, 2, 2), 4, 4)
                painter.setClipPath(clip.subtracted(hole))
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
            painter.restore()
            self._number(painter, arrow.number, str(i), fresh)
        for i, (_, centre) in enumerate(self.ranks, start=1):
            self._number(painter, centre, f"#{i}", 0.0, small=True)

    @staticmethod
    def _number(painter: QPainter, centre: QPointF, text: str, fresh: float, small: bool = False) -> None:
        r = 10.0 if small else NUMBER_R - 3 + 3 * fresh
        painter.setPen(QPen(QColor("#FFFFFF"), 2.0))
        painter.setBrush(QColor(lk.WAVE))
        if small:
            w = QFontMetricsF(lk.SMALL_FONT).horizontalAdvance(text) + 10
            painter.drawRoundedRect(QRectF(centre.x() - w / 2, centre.y() - r, w, 2 * r), r, r)
        else:
            painter.drawEllipse(centre, r, r)
        painter.setFont(lk.SMALL_FONT if small else lk.WAVE_FONT)
        painter.drawText(QRectF(centre.x() - 30, centre.y() - r, 60, 2 * r), Qt.AlignmentFlag.AlignCenter, text)


def node_items(scene: BoardScene) -> dict[str, NodeItem]:
    return {i: item for i, item in scene.entity_items().items() if isinstance(item, NodeItem)}


def edge_items(scene: BoardScene) -> dict[str, EdgeItem]:
    return {i: item for i, item in scene.entity_items().items() if isinstance(item, EdgeItem)}
