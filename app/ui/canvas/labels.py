"""The canvas's text measure for the shared label placement (``app.labels``): the canvas
fonts at the current presentation scale, and the boxes the items draw around them
(docs/export.md, "Label placement")."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QFont, QFontMetricsF

from app.ui.canvas.style import font, text_scale


def role_font(role: str) -> QFont:
    """The font a label of ``role`` is drawn in: edge labels in the edge font, pills in small bold."""
    return font(10.5) if role == "edge" else font(10, bold=True)


class CanvasMetrics:
    """``app.labels.TextMetrics`` through ``QFontMetricsF``, in board units (one unit is one
    pixel at 100 % zoom)."""

    def __init__(self) -> None:
        self.scale = text_scale()
        self._metrics = {role: QFontMetricsF(role_font(role)) for role in ("edge", "pill")}

    def _of(self, role: str) -> QFontMetricsF:
        return self._metrics["edge" if role == "edge" else "pill"]

    def width(self, text: str, role: str) -> float:
        return self._of(role).horizontalAdvance(text)

    def box(self, lines: Sequence[str], role: str) -> tuple[float, float]:
        metrics = self._of(role)
        width = max((metrics.horizontalAdvance(line) for line in lines), default=0.0) + 10
        if role == "edge":
            # what EdgeItem draws: 18 high for one line, 16 a line (more at a larger scale) for several
            line_h = max(16.0, metrics.lineSpacing() + 3)
            return width, (line_h * len(lines) + 2 if len(lines) > 1 else max(18.0, line_h + 2))
        return width, max(17.0, metrics.height() + 2)  # marks.pill_rect
