"""Ink geometry: every shape is one polyline of board points."""

from __future__ import annotations

import math

import pytest

from models.ink import ELLIPSE_SEGMENTS, InkShape, is_mark, shape_points, thin_points


def test_line_and_rectangle():
    assert shape_points(InkShape.LINE, (0, 0), (10.04, 5)) == [(0, 0), (10.0, 5)]
    assert shape_points(InkShape.RECTANGLE, (0, 0), (10, 5)) == [(0, 0), (10, 0), (10, 5), (0, 5), (0, 0)]


def test_arrow_is_shaft_then_head_through_the_tip():
    points = shape_points(InkShape.ARROW, (0, 0), (100, 0), width=4)
    assert points[:2] == [(0, 0), (100, 0)]
    left, tip, right = points[2:]
    assert tip == (100, 0)
    assert left[0] < 100
    assert right[0] < 100
    assert left[1] == pytest.approx(-right[1])
    assert math.dist(left, tip) == pytest.approx(18, abs=0.1)  # 4.5 widths


def test_ellipse_is_closed_and_inside_its_box():
    points = shape_points(InkShape.ELLIPSE, (0, 0), (200, 100))
    assert len(points) == ELLIPSE_SEGMENTS + 1
    assert points[0] == points[-1] == (200, 50)
    assert all(-0.1 <= x <= 200.1 and -0.1 <= y <= 100.1 for x, y in points)


def test_thinning_keeps_both_ends_and_drops_jitter():
    raw = [(0, 0), (0.2, 0.1), (0.4, 0.3), (5, 5), (5.1, 5.0), (9, 9)]
    assert thin_points(raw) == [(0, 0), (5, 5), (9, 9)]
    assert thin_points([(0, 0), (3, 3)]) == [(0, 0), (3, 3)]


def test_a_click_is_not_a_mark():
    assert not is_mark([(1, 1)])
    assert not is_mark([(1, 1), (1.5, 1.2)])
    assert is_mark([(1, 1), (1, 9)])
