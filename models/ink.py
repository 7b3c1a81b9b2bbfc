"""Ink geometry, Qt-free: how a drag becomes the points of a stroke.

Every ink shape (pen, highlighter, straight line, arrow, rectangle, ellipse)
is stored as an ``ink`` or ``highlight`` annotation whose ``points`` are one
polyline, so the file format, the canvas and every exporter draw all of them
the same way. See docs/recording.md, "Ink".
"""

from __future__ import annotations

import math
from enum import Enum

Point = tuple[float, float]

ELLIPSE_SEGMENTS = 48
"""Straight pieces of an ellipse's outline."""
ARROW_HEAD = 4.5
"""An arrow head's length in stroke widths (never shorter than ``MIN_HEAD``)."""
MIN_HEAD = 12.0
ARROW_ANGLE = math.radians(28)
"""Half the opening of an arrow head."""
MIN_STEP = 1.5
"""Pen points nearer than this (board units) to the last kept one are dropped."""


class InkShape(Enum):
    """What a drag draws."""

    FREEHAND = "freehand"
    LINE = "line"
    ARROW = "arrow"
    RECTANGLE = "rectangle"
    ELLIPSE = "ellipse"


def _rounded(point: Point) -> Point:
    return (round(point[0], 1), round(point[1], 1))


def shape_points(shape: InkShape, start: Point, end: Point, width: float = 3.0) -> list[Point]:
    """The polyline of a line, an arrow (shaft then head, one path), a rectangle or
    an ellipse dragged from ``start`` to ``end`` (board units)."""
    (x0, y0), (x1, y1) = start, end
    if shape is InkShape.RECTANGLE:
        points = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    elif shape is InkShape.ELLIPSE:
        cx, cy, rx, ry = (x0 + x1) / 2, (y0 + y1) / 2, abs(x1 - x0) / 2, abs(y1 - y0) / 2
        points = [(cx + rx * math.cos(2 * math.pi * i / ELLIPSE_SEGMENTS),
                   cy + ry * math.sin(2 * math.pi * i / ELLIPSE_SEGMENTS)) for i in range(ELLIPSE_SEGMENTS + 1)]
    elif shape is InkShape.ARROW:
        points = [start, end, *arrow_head(start, end, width)]
    else:
        points = [start, end]
    return [_rounded(p) for p in points]


def arrow_head(start: Point, end: Point, width: float) -> list[Point]:
    """The two barbs at ``end``, as the path ``barb, end, barb`` that follows the shaft."""
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    length = max(MIN_HEAD, ARROW_HEAD * width)
    left = (end[0] - length * math.cos(angle - ARROW_ANGLE), end[1] - length * math.sin(angle - ARROW_ANGLE))
    right = (end[0] - length * math.cos(angle + ARROW_ANGLE), end[1] - length * math.sin(angle + ARROW_ANGLE))
    return [left, end, right]


def thin_points(points: list[Point], min_step: float = MIN_STEP) -> list[Point]:
    """A freehand stroke without the points that add nothing (nearer than ``min_step`` to
    the last kept one); the last point always stays, so the stroke ends where the pen did."""
    if len(points) < 3:
        return [_rounded(p) for p in points]
    kept = [points[0]]
    for point in points[1:-1]:
        if math.dist(point, kept[-1]) >= min_step:
            kept.append(point)
    kept.append(points[-1])
    return [_rounded(p) for p in kept]


def is_mark(points: list[Point], min_size: float = 2.0) -> bool:
    """True when the points span at least ``min_size`` (a click without a drag draws nothing)."""
    if len(points) < 2:
        return False
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return max(xs) - min(xs) >= min_size or max(ys) - min(ys) >= min_size
