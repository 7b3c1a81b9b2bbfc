"""The visual language shared by the canvas and the PDF diagram (Qt-free).

One place for what a board looks like everywhere: box sizes, kind captions,
health, cascade and loop colours, and line widths in board units. The canvas
(``app.ui``) and the handout (``app.export``) both read these, so a diagram
looks the same on screen and on paper.
"""

from __future__ import annotations

from collections.abc import Callable

NODE_W = 150.0
NODE_H = 56.0
"""A node's box in board units; ``Node.x``/``Node.y`` are its centre."""

KIND_NAMES = {
    "gateway": "Gateway", "service": "Service", "database": "Database", "cache": "Cache",
    "vector_store": "Vector store", "llm": "LLM / API", "broker": "Broker / queue", "pipeline": "Pipeline",
    "users": "Users", "external": "External",
}
"""Captions of node kinds."""

HEALTH_FILL = {"yellow": "#FFF3B0", "red": "#FFD6D6"}
HEALTH_BORDER = {"yellow": "#E0A800", "red": "#D32F2F"}
CASCADE_COLOURS = {"red": "#D32F2F", "orange": "#F57C00", "dashed": "#8E24AA"}
LOOP_COLOURS = {"reinforcing": "#C62828", "balancing": "#2E7D32"}

EDGE_W, CRITICAL_W, CASCADE_W = 1.6, 3.2, 2.6
HEALTH_W = {"none": 1.5, "yellow": 2.5, "red": 3.5}
"""Line widths in board units."""


def wrap_words(text: str, max_width: float, measure: Callable[[str], float], max_lines: int = 2) -> list[str]:
    """Break ``text`` at spaces into lines no wider than ``max_width`` by ``measure``;
    words past ``max_lines`` join the last line (the caller elides it its own way)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if measure(trial) <= max_width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1:])]
    return lines
