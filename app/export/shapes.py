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

Point = tuple[float, float]


def new_drawing(width: float, height: float) -> Drawing:
    """An empty drawing whose default font is the handout's (not Helvetica)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = SANS
    return drawing


def arrow(start: Point, end: Point, color: Color, width: float, dashed: bool = False,
          head: float = 6.0) -> Group:
    """A straight arrow from ``start`` to ``end`` with a filled head at ``end``."""
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    head = min(head, length * 0.45)
    bx, by = x2 - ux * head, y2 - uy * head
    group = Group()
    line = Line(x1, y1, bx, by, strokeColor=color, strokeWidth=width)
    if dashed:
        line.strokeDashArray = [4 * max(1.0, width * 0.8), 3 * max(1.0, width * 0.8)]
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
    words = value.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if string_width(trial, size, base) <= max_width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1:])]
    last = lines[-1] if lines else ""
    while lines and string_width(last, size, base) > max_width and len(last) > 1:
        last = last[:-2] + "…"
        lines[-1] = last
    return lines


def label_box(x: float, y: float, value: str | Sequence[str], size: float, color: Color,
              background: Color) -> Group:
    """Text (one line or several) centred on ``(x, y)`` on a plain background, as edge labels are."""
    lines = [value] if isinstance(value, str) else list(value)
    width = max((string_width(line, size) for line in lines), default=0.0)
    leading = size * 1.2
    height = leading * len(lines)
    group = Group()
    group.add(Rect(x - width / 2 - 2, y - height / 2 - size * 0.05, width + 4, height + size * 0.1,
                   fillColor=background, strokeColor=None, strokeWidth=0))
    top = y + height / 2 - leading
    for index, line in enumerate(lines):
        group.add(text(x, top - index * leading + size * 0.28, line, size, color))
    return group


def queue_glyph(x: float, y: float, unit: float, color: Color, missing: bool, limit: str,
                background: Color, label_size: float | None = None) -> Group:
    """A small stack of three bars with the depth limit beside it; dashed when missing."""
    group = Group()
    bar_w, bar_h, gap = unit * 1.6, unit * 0.42, unit * 0.18
    total_h = 3 * bar_h + 2 * gap
    group.add(Rect(x - bar_w / 2 - gap, y - total_h / 2 - gap, bar_w + 2 * gap, total_h + 2 * gap,
                   fillColor=background, strokeColor=None, strokeWidth=0))
    for index in range(3):
        bar = Rect(x - bar_w / 2, y - total_h / 2 + index * (bar_h + gap), bar_w, bar_h,
                   fillColor=None if missing else color, strokeColor=color, strokeWidth=max(0.4, unit * 0.1))
        if missing:
            bar.strokeDashArray = [unit * 0.25, unit * 0.18]
        group.add(bar)
    size = label_size or unit * 1.1
    group.add(label_box(x + bar_w / 2 + gap + string_width(limit, size) / 2 + 1, y, limit, size, color,
                        background))
    return group


def loop_glyph(x: float, y: float, radius: float, color: Color, sign: str, name: str, dashed: bool,
               background: Color) -> Group:
    """A circular arrow with its R/B sign inside and its name below."""
    group = Group()
    points: list[float] = []
    start, sweep = math.radians(110), math.radians(300)
    steps = 28
    for index in range(steps + 1):
        angle = start - sweep * index / steps
        points += [x + radius * math.cos(angle), y + radius * math.sin(angle)]
    width = max(0.6, radius * 0.12)
    line = PolyLine(points, strokeColor=color, strokeWidth=width, fillColor=None)
    if dashed:
        line.strokeDashArray = [radius * 0.25, radius * 0.2]
    group.add(Circle(x, y, radius * 0.7, fillColor=background, strokeColor=None, strokeWidth=0))
    group.add(line)
    end = start - sweep
    ex, ey = x + radius * math.cos(end), y + radius * math.sin(end)
    tx, ty = math.sin(end), -math.cos(end)  # clockwise tangent
    head = radius * 0.55
    group.add(Polygon([ex + tx * head * 0.6, ey + ty * head * 0.6,
                       ex - ty * head * 0.45 - tx * head * 0.4, ey + tx * head * 0.45 - ty * head * 0.4,
                       ex + ty * head * 0.45 - tx * head * 0.4, ey - tx * head * 0.45 - ty * head * 0.4],
                      fillColor=color, strokeColor=color, strokeWidth=0.3))
    group.add(text(x, y - radius * 0.35, sign, radius * 0.95, color, base="CB-Sans-Bold"))
    size = max(radius * 0.55, 3.0)
    if name:
        lines = wrap(name, size, radius * 9, 2)
        group.add(label_box(x, y - radius - size * 0.5 - size * 0.6 * len(lines), lines, size, color, background))
    return group


def polyline_points(points: Sequence[Point]) -> list[float]:
    return [coordinate for point in points for coordinate in point]
