"""Colours, sizes and fonts of the live simulation look, the same on screen and in exports.

Chosen to read on a compressed screen recording: saturated borders, light
fills that keep the label legible, bold numbers at least 11 px.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QColor

from app.ui.canvas.style import font

HEALTH_FILL = {"green": "#DDF3E0", "yellow": "#FFF1B8", "red": "#FFD0CC"}
HEALTH_BORDER = {"green": "#2E7D32", "yellow": "#E0A800", "red": "#D32F2F"}
HEALTH_GLOW = {"green": "#43A047", "yellow": "#FFB300", "red": "#F4511E"}
IDLE_BORDER = "#90A4AE"

FLOW = "#1E88E5"
"""An edge carrying healthy traffic."""
ERROR = "#D32F2F"
WARN = "#F57C00"
FLASH = "#FF6F00"
WAVE = "#C62828"
BREAKER = {"closed": "#2E7D32", "half_open": "#F57C00", "open": "#C62828"}
BREAKER_TEXT = {"closed": "breaker closed", "half_open": "breaker half-open", "open": "breaker OPEN"}

COUNTER_PX = 11.5
COUNTER_FONT = font(COUNTER_PX, bold=True)
SMALL_FONT = font(10, bold=True)
RING_FONT = font(9.5, bold=True)
WAVE_FONT = font(13, bold=True)
CLOCK_FONT = font(26, bold=True)
CLOCK_SUB_FONT = font(13)

RING_RADIUS = 15.0
QUEUE_BAR_H = 15.0
UNBOUNDED_QUEUE_SCALE = 1000
"""An unbounded queue's bar is drawn on a log scale up to this depth."""


BUSY, SATURATED = 0.8, 0.97
"""Utilisation (share of busy workers) at which the gauge turns amber, then red."""
QUEUE_FILLING, QUEUE_FULL = 0.4, 0.8
"""Queue fill (see ``queue_share``) at which the bar turns orange, then red."""


def utilisation_colour(utilisation: float) -> str:
    """The utilisation gauge's colour: green, amber when busy, red when saturated."""
    if utilisation >= SATURATED:
        return HEALTH_BORDER["red"]
    return HEALTH_GLOW["yellow"] if utilisation >= BUSY else "#66BB6A"


def queue_colour(share: float) -> str:
    """The queue bar's colour: blue, orange as it fills, red when nearly full."""
    if share >= QUEUE_FULL:
        return ERROR
    return WARN if share >= QUEUE_FILLING else FLOW


def colour(name: str, alpha: int = 255) -> QColor:
    c = QColor(name)
    c.setAlpha(alpha)
    return c


EDGE_WIDTHS = ((1.0, 2.5), (10.0, 4.0), (50.0, 6.0), (200.0, 8.0), (1000.0, 10.0))
"""Line width by throughput, in a few steps (calls/s below the bound → width): a width
that changed with every fluctuation would repaint every edge every frame."""


def edge_width(calls_ps: float) -> float:
    """1.6 px idle, then 2.5 to 12 px in steps of throughput."""
    if calls_ps <= 0:
        return 1.6
    for bound, width in EDGE_WIDTHS:
        if calls_ps < bound:
            return width
    return 12.0


def error_share(errors: float, total: float) -> float:
    return min(1.0, errors / total) if total > 0 else 0.0


def edge_colour(calls_ps: float, err_ps: float) -> str:
    """Blue with traffic, orange with some errors, red when one call in ten fails."""
    share = error_share(err_ps, calls_ps)
    if share >= 0.10:
        return ERROR
    if share >= 0.01:
        return WARN
    return FLOW if calls_ps > 0 else IDLE_BORDER


def queue_share(length: int, limit: int | None) -> float:
    """How full the bar is: against the limit, or on a log scale when there is none."""
    if length <= 0:
        return 0.0
    if limit:
        return min(1.0, length / limit)
    return min(1.0, math.log10(1 + length) / math.log10(1 + UNBOUNDED_QUEUE_SCALE))


def rate_text(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    if value >= 10 or value == 0:
        return f"{value:.0f}"
    return f"{value:.1f}"


STICKY = 1.3
"""An edge keeps its width and colour until its flow moves this factor past the step."""
FAR_STICKY = 2.5
"""Zoomed far out, where one width step is a fraction of a pixel, an edge keeps its width until
its flow moves this factor past the step: a big board's edges near a step would otherwise
regroup the far drawing every batch for a change nobody can see."""


def sticky_edge_style(flow_ps: float, err_ps: float, previous: tuple[str, float] | None,
                      width_sticky: float = STICKY) -> tuple[str, float]:
    """(colour, width) for an edge, keeping ``previous`` while the flow hovers near a step
    (``width_sticky``: how far past a step the flow must move to change the width), so noise
    around a threshold does not repaint the edge every frame."""
    style = (edge_colour(flow_ps, err_ps), edge_width(flow_ps))
    if previous is None or style == previous:
        return style
    colour, width = style
    if flow_ps > 0 and (edge_width(flow_ps * width_sticky) == previous[1]
                        or edge_width(flow_ps / width_sticky) == previous[1]):
        width = previous[1]
    if flow_ps > 0 and (edge_colour(flow_ps, err_ps * STICKY) == previous[0]
                        or edge_colour(flow_ps, err_ps / STICKY) == previous[0]):
        colour = previous[0]
    return colour, width
