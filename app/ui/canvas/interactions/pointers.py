"""The pointers of ink mode, painted over the canvas only (never on the board,
never in an export): a laser whose trail fades in about a second, a
spotlight that dims everything but one element or the selection, and a lens
that magnifies around the pointer. See docs/recording.md, "Ink"."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap, QRadialGradient, QRegion

from app.ui.canvas.items import BoardItem
from app.ui.canvas.marks import AnnotationItem

if TYPE_CHECKING:
    from app.ui.canvas.view import BoardView

LASER_FADE_S = 0.9
"""How long a point of the laser's trail stays (it fades over this time)."""
LASER_COLOUR = QColor("#FF1744")
LASER_WIDTH = 6.0
LASER_DOT = 9.0
LASER_SHADES = 6
LASER_PIECE = 4
"""Trail points per repainted rectangle."""
"""The trail is drawn in this many steps of fading (one polyline each)."""
SPOTLIGHT_DIM = QColor(0, 0, 0, 150)
SPOTLIGHT_PAD = 18.0
LENS_RADIUS = 150.0
LENS_FACTORS = (2.0, 2.5, 3.0, 3.5, 4.0)
"""The lens magnifies by one of these (the wheel steps through them)."""


class LaserTrail:
    """Where the laser was in the last ``LASER_FADE_S`` seconds (board units, so the trail
    stays on what it pointed at if the camera moves); ``clock`` in seconds, injectable."""

    def __init__(self, view: BoardView, clock: Callable[[], float]) -> None:
        self.view, self.clock = view, clock
        self.points: list[tuple[float, QPointF]] = []

    def add(self, pos: QPoint | QPointF) -> None:
        self.points.append((self.clock(), self.view.mapToScene(QPointF(pos).toPoint())))
        self.view.update_foreground(self._rect(self.points[-3:]))

    def clear(self) -> None:
        if self.points:
            self.view.update_foreground(self._rect(self.points))
        self.points = []

    def tick(self) -> bool:
        """Drop what has faded and repaint the trail; False when it is gone."""
        if not self.points:
            return False
        now = self.clock()
        region = self._region(self.points)
        self.points = [(t, p) for t, p in self.points if now - t < LASER_FADE_S]
        self.view.viewport().update(region)
        return bool(self.points)

    def _region(self, points: list[tuple[float, QPointF]]) -> QRegion:
        """Where the trail is, piece by piece (a repaint of its bounding box would redraw far more canvas)."""
        region = QRegion()
        for index in range(0, len(points), LASER_PIECE):
            region += self._rect(points[max(0, index - 1):index + LASER_PIECE]).toAlignedRect()
        return region

    def _rect(self, points: list[tuple[float, QPointF]]) -> QRectF:
        to_view = self.view.viewportTransform()
        rect = QRectF()
        for _, point in points:
            at = to_view.map(point)
            rect = rect.united(QRectF(at.x() - 1, at.y() - 1, 2, 2))
        pad = LASER_DOT * 2 + 2
        return rect.adjusted(-pad, -pad, pad, pad)

    def paint(self, painter: QPainter) -> None:
        """The trail as a few polylines, older ones fainter and thinner, and a glowing dot at its head."""
        if not self.points:
            return
        now, to_view = self.clock(), self.view.viewportTransform()
        shown = [(1.0 - (now - t) / LASER_FADE_S, to_view.map(p)) for t, p in self.points]
        buckets: list[list[QPointF]] = [[] for _ in range(LASER_SHADES)]
        for (_, a), (life, b) in itertools.pairwise(shown):
            if life > 0:
                shade = buckets[min(LASER_SHADES - 1, int(life * LASER_SHADES))]
                shade += (a, b)
        for index, lines in enumerate(buckets):
            if lines:
                life = (index + 1) / LASER_SHADES
                colour = QColor(LASER_COLOUR)
                colour.setAlphaF(life)
                painter.setPen(QPen(colour, LASER_WIDTH * (0.4 + 0.6 * life), Qt.PenStyle.SolidLine,
                                    Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
                painter.drawLines(lines)
        life, head = shown[-1]
        if life > 0:
            painter.setOpacity(min(1.0, life))
            glow = laser_dot()
            painter.drawPixmap(head - QPointF(glow.width(), glow.height()) / (2 * glow.devicePixelRatio()), glow)
            painter.setOpacity(1.0)


@functools.cache
def laser_dot() -> QPixmap:
    """The laser's glowing dot, drawn once."""
    size = round(LASER_DOT * 4)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre = QPointF(size / 2, size / 2)
        glow = QRadialGradient(centre, size / 2)
        glow.setColorAt(0.0, QColor(255, 255, 255))
        glow.setColorAt(0.3, LASER_COLOUR)
        fade = QColor(LASER_COLOUR)
        fade.setAlpha(0)
        glow.setColorAt(1.0, fade)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(glow)
        painter.drawEllipse(centre, size / 2, size / 2)
    finally:
        painter.end()
    return pixmap


class Spotlight:
    """Dims the canvas except the selection, or the element under the pointer when
    nothing is selected; a click picks (or, on empty canvas, clears) the selection."""

    def __init__(self, view: BoardView) -> None:
        self.view = view
        self.hovered: str | None = None

    def _entity_at(self, pos: QPoint) -> BoardItem | None:
        """The element under ``pos``; ink drawn over an element does not hide it from the spotlight."""
        found = [item for item in self.view.items(pos) if isinstance(item, BoardItem) and item.entity_id
                 and item.isVisible()]
        for item in found:
            if not isinstance(item, AnnotationItem) or item.entity().kind not in ("ink", "highlight"):
                return item
        return found[0] if found else None

    def hover(self, pos: QPoint) -> None:
        item = self._entity_at(pos)
        hovered = item.entity_id if item is not None else None
        if hovered != self.hovered:
            self.hovered = hovered
            if not self.view.board_scene.selected_ids():
                self.view.viewport().update()

    def pick(self, pos: QPoint) -> None:
        selection = self.view.board_scene.selection
        if selection is None:
            return
        item = self._entity_at(pos)
        selection.select([item.entity_id] if item is not None else [])
        self.view.viewport().update()

    def lit_ids(self) -> list[str]:
        """What the spotlight shows: the selection, else what the pointer is over."""
        selected = self.view.board_scene.selected_ids()
        if selected:
            return list(selected)
        return [self.hovered] if self.hovered is not None else []

    def paint(self, painter: QPainter) -> None:
        dark = QPainterPath()
        dark.addRect(QRectF(self.view.viewport().rect()))
        holes = QPainterPath()
        to_view = self.view.viewportTransform()
        for entity_id in self.lit_ids():
            item = self.view.board_scene.item_for(entity_id)
            if item is None or not item.isVisible():
                continue
            rect = to_view.mapRect(item.sceneBoundingRect()).adjusted(-SPOTLIGHT_PAD, -SPOTLIGHT_PAD,
                                                                      SPOTLIGHT_PAD, SPOTLIGHT_PAD)
            holes.addRoundedRect(rect, SPOTLIGHT_PAD, SPOTLIGHT_PAD)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(SPOTLIGHT_DIM)
        painter.drawPath(dark.subtracted(holes.simplified()) if not holes.isEmpty() else dark)


class Lens:
    """A round magnifier following the pointer, ``factor`` × the current zoom."""

    def __init__(self, view: BoardView) -> None:
        self.view = view
        self.factor = LENS_FACTORS[0]
        self.at: QPointF | None = None

    def _rect(self) -> QRectF:
        if self.at is None:
            return QRectF()
        return QRectF(self.at.x() - LENS_RADIUS, self.at.y() - LENS_RADIUS, 2 * LENS_RADIUS, 2 * LENS_RADIUS)

    def move_to(self, pos: QPoint | QPointF) -> None:
        old, self.at = self._rect(), QPointF(pos)
        self.view.update_foreground(old.united(self._rect()).adjusted(-4, -4, 4, 4))

    def change_factor(self, delta: int) -> None:
        """One step up (``delta`` > 0) or down the ``LENS_FACTORS``."""
        index = LENS_FACTORS.index(self.factor) + (1 if delta > 0 else -1 if delta < 0 else 0)
        self.factor = LENS_FACTORS[max(0, min(len(LENS_FACTORS) - 1, index))]
        self.view.status_message.emit(f"Lens {self.factor:g}×")
        self.view.update_foreground(self._rect().adjusted(-4, -4, 4, 4))

    def paint(self, painter: QPainter) -> None:
        if self.at is None:
            return
        target = self._rect()
        centre = self.view.mapToScene(self.at.toPoint())
        half = LENS_RADIUS / (self.view.zoom() * self.factor)
        source = QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half)
        scene = self.view.board_scene
        painter.save()
        clip = QPainterPath()
        clip.addEllipse(target)
        painter.setClipPath(clip, Qt.ClipOperation.IntersectClip)
        painter.fillRect(target, QColor(scene.theme.background))
        scene.render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)
        painter.restore()
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(0, 0, 0, 90), 7))
        painter.drawEllipse(target)
        painter.setPen(QPen(QColor(scene.theme.selection), 3))
        painter.drawEllipse(target)
        painter.setPen(QPen(QColor(LASER_COLOUR), 2))
        painter.drawLine(QLineF(self.at - QPointF(6, 0), self.at + QPointF(6, 0)))
        painter.drawLine(QLineF(self.at - QPointF(0, 6), self.at + QPointF(0, 6)))
