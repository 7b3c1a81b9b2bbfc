"""Every edge in one paint, for a view zoomed far out.

Far out a board shows hundreds of edges a pixel or two wide. Painting each
one through its own item costs a call into Python per edge per repaint,
which is most of a repaint's time; here the edges' lines are grouped by pen
(and their heads by colour) into a few paths, built once after a change and
drawn without antialiasing. The scene switches this on below ``FAR_LOD``
(``BoardScene.set_far``), and off for exports, where edges paint themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from app.ui.canvas.style import with_alpha

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.ui.canvas.items import EdgeItem
    from app.ui.theme import Theme


CULL_SHARE = 0.25
"""A repaint smaller than this share of the edges' bounds draws only the straight lines that cross it."""

Entry = tuple[tuple[int, float, bool], QPen, "QLineF | QPainterPath", QPolygonF, "QColor | None"]
"""One edge as drawn from afar: its group (colour, width, dash), pen, line (or curve),
head and the colour of its selection or highlight glow."""


class FarEdges(QGraphicsItem):
    """Draws the edges ``edges()`` returns, grouped by pen; takes no input."""

    def __init__(self, edges: Callable[[], list[EdgeItem]], theme: Callable[[], Theme]) -> None:
        super().__init__()
        self._edges = edges
        self._theme = theme
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)  # paint learns the exposed rect
        self.setZValue(0)
        self._bounds = QRectF()
        self._entries: dict[EdgeItem, Entry | None] = {}
        self._stale: set[EdgeItem] = set()
        self._all_stale = True
        self._groups_stale = True
        self._glows: list[tuple[QPen, QLineF | QPainterPath]] = []
        self._boxes: list[list[tuple[float, float, float, float]]] = []
        """Each straight line's bounding box, per group of ``_lines``, to skip lines outside a small repaint."""
        self._lines: list[tuple[QPen, list[QLineF], list[QPainterPath]]] = []
        self._heads: list[tuple[QPen, QPainterPath]] = []

    def invalidate(self, item: EdgeItem | None = None, geometry: bool = False) -> None:
        """``item`` (every edge if None) changed its look, selection or highlight
        (``geometry``: its place too, or it came or went): regroup before the next paint."""
        if item is None:
            self._all_stale = True
        else:
            self._stale.add(item)
        self._groups_stale = True
        if geometry and item is not None:
            self.grow(item.boundingRect())
        if self.isVisible():
            self.update()

    def grow(self, rect: QRectF) -> None:
        """Bounds only grow (until ``fit``): cheap, and never changed behind the index's back."""
        if not rect.isEmpty() and not self._bounds.contains(rect):
            self.prepareGeometryChange()
            self._bounds = self._bounds.united(rect)

    def fit(self) -> None:
        """Bounds around every edge now (when far drawing starts)."""
        bounds = QRectF()
        for item in self._edges():
            bounds = bounds.united(item.boundingRect())
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds

    def _entry(self, item: EdgeItem, theme: Theme) -> Entry | None:
        look = item.far_look()
        if look is None:
            return None
        pen, colour, width, dashed = look
        return (colour.rgba(), width, dashed), pen, item.far_line() or item.far_path(), item.far_head(), \
            item.far_glow(theme)

    def _regroup(self) -> None:
        theme = self._theme()
        if self._all_stale:
            self._entries = {item: self._entry(item, theme) for item in self._edges()}
            self._all_stale = False
        else:
            live = set(self._edges())
            for item in [i for i in self._entries if i not in live]:
                del self._entries[item]  # removed, or thrown away by a rebuild of the scene
            for item in self._stale & live:
                self._entries[item] = self._entry(item, theme)
        self._stale.clear()
        glows: list[tuple[QPen, QLineF | QPainterPath]] = []
        lines: dict[tuple[int, float, bool], tuple[QPen, list[QLineF], list[QPainterPath]]] = {}
        heads: dict[int, tuple[QPen, QPainterPath]] = {}
        for entry in self._entries.values():
            if entry is None:
                continue
            key, pen, line, head, glow = entry
            if glow is not None:
                glows.append((QPen(with_alpha(glow, 140), key[1] + 8), line))
            group = lines.get(key)
            if group is None:
                group = lines[key] = (pen, [], [])
            if isinstance(line, QLineF):
                group[1].append(line)
            else:
                group[2].append(line)
            if not head.isEmpty():
                arrows = heads.get(key[0])
                if arrows is None:
                    arrows = heads[key[0]] = (QPen(QColor.fromRgba(key[0]), 1.0), QPainterPath())
                arrows[1].addPolygon(head)
        self._glows, self._lines, self._heads = glows, list(lines.values()), list(heads.values())
        self._boxes = [[(min(a.x1(), a.x2()), min(a.y1(), a.y2()), max(a.x1(), a.x2()), max(a.y1(), a.y2()))
                        for a in straight] for _, straight, _ in self._lines]
        self._groups_stale = False

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self._groups_stale:
            self._regroup()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for pen, glow in self._glows:
            painter.setPen(pen)
            if isinstance(glow, QLineF):
                painter.drawLine(glow)
            else:
                painter.drawPath(glow)
        clip = option.exposedRect
        area = self._bounds.width() * self._bounds.height()
        cull = not clip.isEmpty() and clip.width() * clip.height() < CULL_SHARE * area
        for (pen, straight, curved), boxes in zip(self._lines, self._boxes, strict=True):
            painter.setPen(pen)
            if cull:  # a small repaint (ink, the laser, a hover): only the lines whose box meets it
                pad = pen.widthF() + 2
                left, top, right, bottom = clip.left() - pad, clip.top() - pad, clip.right() + pad, clip.bottom() + pad
                straight = [line for line, (x0, y0, x1, y1) in zip(straight, boxes, strict=True)
                            if x0 <= right and x1 >= left and y0 <= bottom and y1 >= top]
            if straight:
                painter.drawLines(straight)
            for path in curved:
                painter.drawPath(path)
        for pen, path in self._heads:
            painter.setPen(pen)
            painter.setBrush(pen.color())
            painter.drawPath(path)
