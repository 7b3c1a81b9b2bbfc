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
    from collections.abc import Callable, Iterable

    from app.ui.canvas.items import EdgeItem
    from app.ui.theme import Theme


REPAINT_MARGIN = 2.0
"""Scene units around an edge's bounds (already padded for its glow) repainted when it changes."""

CULL_SHARE = 0.25
"""A repaint smaller than this share of the edges' bounds draws only the straight lines that cross it."""

Entry = tuple[tuple[int, float, bool], QPen, "QLineF | QPainterPath", QPolygonF, "QColor | None"]
"""One edge as drawn from afar: its group (colour, width, dash), pen, line (or curve),
head and the colour of its selection or highlight glow."""
Box = tuple[float, float, float, float]


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
        self._glow_of: dict[EdgeItem, tuple[QPen, QLineF | QPainterPath]] = {}
        """The glowing edges (selected, hovered, highlighted), kept as they change: few on any board."""
        self._drawn: dict[EdgeItem, QRectF] = {}
        """Where each edge was when last grouped: a change repaints there and where it is now, not the board."""
        self._boxes: list[list[Box]] = []
        """Each straight line's bounding box, per group of ``_lines``, to skip lines outside a small repaint."""
        self._lines: list[tuple[QPen, list[QLineF], list[QPainterPath]]] = []
        self._heads: list[tuple[QPen, QPainterPath]] = []
        self._members: dict[tuple[int, float, bool], dict[EdgeItem, tuple[Entry, Box | None]]] = {}
        """The edges of each group (colour, width, dash) and a straight one's box, kept between regroupings."""
        self._head_members: dict[int, dict[EdgeItem, QPolygonF]] = {}
        self._groups: dict[tuple[int, float, bool], tuple[QPen, list[QLineF], list[QPainterPath], list[Box]]] = {}
        self._head_paths: dict[int, tuple[QPen, QPainterPath]] = {}
        self._dirty_groups: set[tuple[int, float, bool]] = set()
        self._dirty_heads: set[int] = set()

    def invalidate(self, item: EdgeItem | None = None, geometry: bool = False) -> None:
        """``item`` (every edge if None) changed its look, selection or highlight
        (``geometry``: its place too, or it came or went): regroup before the next paint,
        and repaint where the edge was and where it is (a selection on a 20,000-edge board
        repainted every node of it)."""
        if item is None:
            self._all_stale = True
        else:
            self._stale.add(item)
        self._groups_stale = True
        if geometry and item is not None:
            self.grow(item.boundingRect())
        if not self.isVisible():
            return
        if item is None or self._all_stale:
            self.update()
            return
        where = item.boundingRect()
        before = self._drawn.get(item)
        if before is not None:
            where = where.united(before)
        scene = self.scene()
        if not where.isEmpty() and scene is not None:
            # (through the scene: Qt repaints an item's whole bounds for ``update(rect)``)
            scene.update(where.adjusted(-REPAINT_MARGIN, -REPAINT_MARGIN, REPAINT_MARGIN, REPAINT_MARGIN))

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
        """Move the changed edges between their groups; only groups that gained or lost an
        edge gather their lines (and heads) again, so a run that recolours some edges of a
        big board does not walk all of them on every repaint."""
        theme = self._theme()
        if self._all_stale:
            self._entries, self._members, self._head_members = {}, {}, {}
            self._dirty_groups, self._dirty_heads = set(), set()
            self._groups, self._head_paths = {}, {}
            self._glow_of, self._drawn = {}, {}
            gone: list[EdgeItem] = []
            changed: Iterable[EdgeItem] = self._edges()
            self._all_stale = False
        else:
            # Only the edges said to have changed are looked at (walking every edge of a big board
            # on each selection stalled it). A removed edge has left the scene; a rebuild that
            # throws every item away says so with ``invalidate()``.
            scene = self.scene()
            gone = [i for i in self._stale if i.scene() is not scene]
            changed = [i for i in self._stale if i.scene() is scene]
        for item in gone:
            self._place(item, None, remove=True)
        for item in changed:
            self._place(item, self._entry(item, theme))
        self._stale.clear()
        for key in self._dirty_groups:
            members = self._members.get(key)
            if not members:
                self._groups.pop(key, None)
                continue
            pen = next(iter(members.values()))[0][1]
            lines: list[QLineF] = []
            boxes: list[Box] = []
            curved: list[QPainterPath] = []
            for entry, box in members.values():
                line = entry[2]
                if isinstance(line, QLineF) and box is not None:
                    lines.append(line)
                    boxes.append(box)
                elif isinstance(line, QPainterPath):
                    curved.append(line)
            self._groups[key] = (pen, lines, curved, boxes)
        for rgba in self._dirty_heads:
            heads = self._head_members.get(rgba)
            if not heads:
                self._head_paths.pop(rgba, None)
                continue
            path = QPainterPath()
            for head in heads.values():
                path.addPolygon(head)
            self._head_paths[rgba] = (QPen(QColor.fromRgba(rgba), 1.0), path)
        self._dirty_groups.clear()
        self._dirty_heads.clear()
        self._glows = list(self._glow_of.values())
        ordered = [self._groups[key] for key in sorted(self._groups, key=lambda k: (k[1], k[0], k[2]))]  # wide on top
        self._lines = [(pen, straight, curved) for pen, straight, curved, _ in ordered]
        self._boxes = [boxes for _, _, _, boxes in ordered]
        self._heads = list(self._head_paths.values())
        self._groups_stale = False

    def _place(self, item: EdgeItem, entry: Entry | None, remove: bool = False) -> None:
        """Take ``item`` out of its group and (unless ``remove``) put it in the group of ``entry``."""
        old = self._entries.pop(item, None)
        self._glow_of.pop(item, None)
        self._drawn.pop(item, None)
        if not remove:
            self._entries[item] = entry
            self._drawn[item] = QRectF(item.boundingRect())
            if entry is not None and entry[4] is not None:
                self._glow_of[item] = (QPen(with_alpha(entry[4], 140), entry[0][1] + 8), entry[2])
        if old is not None and entry is not None and old[0] == entry[0] and old[2] is entry[2] and old[3] is entry[3]:
            members = self._members[old[0]]
            members[item] = (entry, members[item][1])  # the same line in the same group: only its glow may differ
            return
        if old is not None:
            self._members[old[0]].pop(item, None)
            self._dirty_groups.add(old[0])
            if not old[3].isEmpty():
                self._head_members[old[0][0]].pop(item, None)
                self._dirty_heads.add(old[0][0])
        if entry is None or remove:
            return
        key = entry[0]
        line = entry[2]
        box = (min(line.x1(), line.x2()), min(line.y1(), line.y2()), max(line.x1(), line.x2()),
               max(line.y1(), line.y2())) if isinstance(line, QLineF) else None
        self._members.setdefault(key, {})[item] = (entry, box)
        self._dirty_groups.add(key)
        if not entry[3].isEmpty():
            self._head_members.setdefault(key[0], {})[item] = entry[3]
            self._dirty_heads.add(key[0])

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
