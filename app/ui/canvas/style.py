"""How items look: sizes, fonts, kind icons, and the live overlay hook.

``Overlay`` is how something other than the board (the simulation's frames,
a presentation) changes how an item looks without touching the board: set
``item.overlay`` (or call ``BoardScene.set_overlays``) and the item's
``paint`` draws the overlay's fill, border, width and badge on top of what
the board says. ``None`` means "as the board says".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPaintEngine, QPainter, QPixmap

from app.visual import KIND_NAMES as KIND_NAMES  # re-exported to the canvas
from app.visual import NODE_H as NODE_H
from app.visual import NODE_W as NODE_W

GRID = 20.0
FONT_FAMILY = "DejaVu Sans"

KIND_ICONS = {
    "gateway": "mdi6.router-network", "service": "mdi6.cog-outline", "database": "mdi6.database",
    "cache": "mdi6.lightning-bolt", "vector_store": "mdi6.database-search", "llm": "mdi6.brain",
    "broker": "mdi6.tray-full", "pipeline": "mdi6.pipe", "users": "mdi6.account-group",
    "external": "mdi6.cloud-outline",
}


@dataclass(frozen=True)
class Overlay:
    """A temporary look laid over an item by a live source (never saved).

    ``fill``/``border`` replace the health colours, ``width`` the border or
    line width, ``badge`` is a short text in a pill at the top right (a queue
    length, "429"), ``caption`` a line under a node's label, ``dashed``
    forces an edge's dash, ``opacity`` fades the item. ``hide_marks`` hides
    the analyst's health badges ("!", the warning triangle) while the overlay
    colours the item itself (a simulation shows its own health).
    """

    fill: str | None = None
    border: str | None = None
    width: float | None = None
    badge: str | None = None
    caption: str | None = None
    dashed: bool | None = None
    opacity: float = 1.0
    hide_marks: bool = False


_TEXT_SCALE = [1.0]
"""The presentation scale (view state, ``set_text_scale``): canvas text is this much larger."""


_FONTS: dict[tuple[float, bool], QFont] = {}


def font(pixel_size: float, bold: bool = False, scaled: bool = True) -> QFont:
    """The canvas font of ``pixel_size`` at the presentation scale. One shared object per size:
    ``set_text_scale`` resizes them all at once; callers never change it. ``scaled=False``:
    text inside a box of fixed size (a node's label, a sticky note), which must still fit."""
    if not scaled:
        fixed = QFont(FONT_FAMILY)
        fixed.setPixelSize(max(1, round(pixel_size)))
        fixed.setBold(bold)
        return fixed
    made = _FONTS.get((pixel_size, bold))
    if made is None:
        made = _FONTS[(pixel_size, bold)] = QFont(FONT_FAMILY)
        made.setPixelSize(max(1, round(pixel_size * _TEXT_SCALE[0])))
        made.setBold(bold)
    return made


def text_scale() -> float:
    return _TEXT_SCALE[0]


def stroke(width: float) -> float:
    """A line width (an edge, a node's frame, a loop's ring, an arrow head) at the presentation
    scale: lines grow with the text, so a 1.5× label never sits on a hairline."""
    return width * _TEXT_SCALE[0]


def set_text_scale(factor: float) -> None:
    """Enlarge every canvas font (labels, badges, the HUD) by ``factor``; the board is untouched.
    The scene re-measures its items afterwards (``BoardScene.set_text_scale``)."""
    _TEXT_SCALE[0] = factor
    for (pixel_size, _bold), made in _FONTS.items():
        made.setPixelSize(max(1, round(pixel_size * factor)))


@functools.cache
def kind_icon(kind: str, colour: str) -> QIcon:
    """The qtawesome icon of a node kind (a QApplication must exist)."""
    import qtawesome

    icon: QIcon = qtawesome.icon(KIND_ICONS.get(kind, "mdi6.cog-outline"), color=colour)
    return icon


ICON_PIXELS = 64
ICON_SOURCE = QRectF(0, 0, ICON_PIXELS, ICON_PIXELS)


@functools.cache
def _icon_pixmap(kind: str, colour: str) -> QPixmap:
    return kind_icon(kind, colour).pixmap(ICON_PIXELS, ICON_PIXELS)


def icon_pixmap(kind: str, colour: str, _lod: float = 1.0) -> QPixmap:
    """A cached 64-pixel rendering of a kind icon: sharp up to 4x zoom, cheap to blit."""
    return _icon_pixmap(kind, colour)


def draw_icon(painter: QPainter, icon: QIcon, rect: QRectF) -> None:
    """Crisp on screen at any zoom; a pixmap where the device cannot draw glyph fonts (SVG)."""
    engine = painter.paintEngine()
    if engine is not None and engine.type() == QPaintEngine.Type.SVG:
        pixmap = icon.pixmap(int(rect.width() * 4), int(rect.height() * 4))
        painter.drawPixmap(rect, pixmap, QRectF(pixmap.rect()))
    else:
        icon.paint(painter, rect.toAlignedRect(), Qt.AlignmentFlag.AlignCenter)


def with_alpha(colour: str | QColor, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


def snap(value: float, step: float = GRID) -> float:
    return round(value / step) * step


def snap_point(point: QPointF, step: float = GRID) -> QPointF:
    return QPointF(snap(point.x(), step), snap(point.y(), step))


QUEUE_W, QUEUE_H = 34.0, 18.0


def draw_queue_glyph(painter: QPainter, centre: QPointF, colour: QColor, fill: QColor, exists: bool) -> QRectF:
    """A queue as a box of three slots; dashed and pale when the queue is missing."""
    from PySide6.QtGui import QPen

    box = QRectF(centre.x() - QUEUE_W / 2, centre.y() - QUEUE_H / 2, QUEUE_W, QUEUE_H)
    pen = QPen(colour, 1.8, Qt.PenStyle.SolidLine if exists else Qt.PenStyle.DashLine)
    if not exists:
        pen.setDashPattern([3.0, 2.0])
    painter.setPen(pen)
    painter.setBrush(fill)
    painter.drawRoundedRect(box, 3, 3)
    slots = QColor(colour)
    slots.setAlpha(200 if exists else 70)
    for i in range(3):
        painter.fillRect(QRectF(box.left() + 4 + i * 9.5, box.top() + 4, 6.5, QUEUE_H - 8), slots)
    return box
