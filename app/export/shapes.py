"""Small vector shapes for the diagram: arrows, rich text, glyphs.

All functions take page coordinates (points, y up) and return reportlab
graphics shapes; none of them knows about the board.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import Color

from app.export.fonts import SANS, runs, string_width
from app.visual import wrap_words

Point = tuple[float, float]


def new_drawing(width: float, height: float) -> Drawing:
    """An empty drawing whose default font is the handout's (not Helvetica)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = SANS
    return drawing


def arrow(start: Point, end: Point, color: Color, width: float, dash: Sequence[float] | None = None,
          head: float = 6.0) -> Group:
    """A straight arrow from ``start`` to ``end`` with a filled head at ``end``.

    ``dash`` is a dash pattern in multiples of the line width, as Qt's pens take it.
    """
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    head = min(head, length * 0.45)
    bx, by = x2 - ux * head, y2 - uy * head
    group = Group()
    line = Line(x1, y1, bx, by, strokeColor=color, strokeWidth=width)
    if dash:
        line.strokeDashArray = [value * width for value in dash]
    group.add(line)
    half = head * 0.45
    group.add(Polygon([x2, y2, bx - uy * half, by + ux * half, bx + uy * half, by - ux * half],
                      fillColor=color, strokeColor=color, strokeWidth=0.3))
    return group


def text(x: float, y: float, value: str, size: float, color: Color, base: str = SANS,
         anchor: str = "middle") -> Group:
    """A line of user text with per-character font fallback."""
    width = string_width(value, size, base)
    if anchor == "middle":
        x -= width / 2
    elif anchor == "end":
        x -= width
    group = Group()
    for font, chunk in runs(value, base):
        group.add(String(x, y, chunk, fontName=font, fontSize=size, fillColor=color))
        x += string_width(chunk, size, font)
    return group


def wrap(value: str, size: float, max_width: float, max_lines: int = 2, base: str = SANS) -> list[str]:
    """Break ``value`` into at most ``max_lines`` lines no wider than ``max_width``."""
    lines = wrap_words(value, max_width, lambda text: string_width(text, size, base), max_lines)
    last = lines[-1] if lines else ""
    while lines and string_width(last, size, base) > max_width and len(last) > 1:
        last = last[:-2] + "…"
        lines[-1] = last
    return lines


def label_box(x: float, y: float, value: str | Sequence[str], size: float, color: Color,
              background: Color, border: Color | None = None) -> Group:
    """Text (one line or several) centred on ``(x, y)`` on a rounded pill, as canvas labels are."""
    lines = [value] if isinstance(value, str) else list(value)
    width = max((string_width(line, size) for line in lines), default=0.0)
    leading = size * 1.2
    height = leading * len(lines) + size * 0.35
    pad = size * 0.55
    group = Group()
    radius = min(height / 2, size)
    group.add(Rect(x - width / 2 - pad, y - height / 2, width + 2 * pad, height, rx=radius, ry=radius,
                   fillColor=background, strokeColor=border, strokeWidth=0.5 if border is not None else 0))
    top = y + leading * len(lines) / 2 - leading
    for index, line in enumerate(lines):
        group.add(text(x, top - index * leading + size * 0.28, line, size, color))
    return group


def pill_width(value: str, size: float) -> float:
    return string_width(value, size) + 2 * size * 0.55


def queue_glyph(x: float, y: float, unit: float, color: Color, missing: bool, limit: str,
                background: Color, label_size: float | None = None, label_at: Point | None = None) -> Group:
    """The canvas's queue: a small box of three slots, then a pill with the depth limit.

    ``unit`` is one board unit in points; the glyph is 34 × 18 board units
    centred on ``(x, y)``; a missing (proposed) queue is dashed and pale. The
    pill is centred on ``label_at`` when given (the label placement's), else right of the box.
    """
    group = Group()
    box_w, box_h = 34 * unit, 18 * unit
    left, bottom = x - box_w / 2, y - box_h / 2
    box = Rect(left, bottom, box_w, box_h, rx=3 * unit, ry=3 * unit, fillColor=background, strokeColor=color,
               strokeWidth=1.8 * unit)
    if missing:
        box.strokeDashArray = [3 * unit, 2 * unit]
    group.add(box)
    slot_fill = Color(color.red, color.green, color.blue, alpha=0.3 if missing else 0.8)
    for index in range(3):
        group.add(Rect(left + (4 + index * 9.5) * unit, bottom + 4 * unit, 6.5 * unit, box_h - 8 * unit,
                       fillColor=slot_fill, strokeColor=None, strokeWidth=0))
    size = label_size or 9.5 * unit
    centre = label_at or (x + box_w / 2 + 3 * unit + pill_width(limit, size) / 2, y)
    group.add(label_box(centre[0], centre[1], limit, size, color, background,
                        border=Color(color.red, color.green, color.blue, alpha=0.47)))
    return group


def loop_glyph(x: float, y: float, radius: float, color: Color, sign: str, name: str, dashed: bool,
               background: Color, name_size: float | None = None) -> Group:
    """The canvas's loop: a circular arrow (290°) with its R/B sign inside and its name on a pill below."""
    group = Group()
    group.add(Circle(x, y, radius * 1.18, fillColor=background, strokeColor=None, strokeWidth=0))
    start, sweep = 60.0, 290.0
    steps = 36
    points: list[float] = []
    for index in range(steps + 1):
        angle = math.radians(start + sweep * index / steps)
        points += [x + radius * math.cos(angle), y + radius * math.sin(angle)]
    width = radius * 3.0 / 17.0
    line = PolyLine(points, strokeColor=color, strokeWidth=width, fillColor=None)
    if dashed:
        line.strokeDashArray = [radius * 3 / 17, radius * 2 / 17]
    group.add(line)
    end = math.radians(start + sweep)
    tx, ty = -math.sin(end), math.cos(end)  # counter-clockwise tangent (y up)
    tip_x, tip_y = x + radius * math.cos(end) + tx * radius * 4 / 17, y + radius * math.sin(end) + ty * radius * 4 / 17
    head = radius * 10 / 17
    back_x, back_y = tip_x - tx * head, tip_y - ty * head
    side_x, side_y = -ty * head * 0.45, tx * head * 0.45
    group.add(Polygon([tip_x, tip_y, back_x + side_x, back_y + side_y, back_x - side_x, back_y - side_y],
                      fillColor=color, strokeColor=color, strokeWidth=0.3))
    group.add(text(x, y - radius * 0.36, sign, radius * 15 / 17, color, base="CB-Sans-Bold"))
    if name:
        size = name_size or radius * 10 / 17
        lines = wrap(name, size, radius * 10, 2, base="CB-Sans-Bold")
        height = size * 1.2 * len(lines) + size * 0.35
        group.add(label_box(x, y - radius - 12 * radius / 17 - (height - size * 1.55) / 2, lines, size, color,
                            background, border=Color(color.red, color.green, color.blue, alpha=0.55)))
    return group


def badge(x: float, y: float, health: str, unit: float, fill: Color) -> Group:
    """The canvas's health badge at a node's top-right corner: a red "!" disc or a yellow "!" triangle."""
    group = Group()
    r = 9 * unit
    if health == "red":
        group.add(Circle(x, y, r, fillColor=fill, strokeColor=Color(1, 1, 1), strokeWidth=1.5 * unit))
        group.add(text(x, y - r * 0.42, "!", r * 1.25, Color(1, 1, 1), base="CB-Sans-Bold"))
    else:
        group.add(Polygon([x, y + r, x + 9.5 * unit, y - 7.5 * unit, x - 9.5 * unit, y - 7.5 * unit],
                          fillColor=fill, strokeColor=Color(1, 1, 1), strokeWidth=1.2 * unit))
        group.add(text(x, y - r * 0.62, "!", r * 1.05, Color(0.12, 0.16, 0.19), base="CB-Sans-Bold"))
    return group


def polyline_points(points: Sequence[Point]) -> list[float]:
    return [coordinate for point in points for coordinate in point]
