"""Charts: measured before/after bars and the impact/effort matrix."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect
from reportlab.lib import colors

from app.export import shapes
from app.export.fonts import SANS, SANS_BOLD
from app.export.styles import ACCENT, ACCENT_LIGHT, INK, MUTED, RULE, WHITE
from models.entities import Intervention

BEFORE = colors.HexColor("#B0BEC5")
AFTER = colors.HexColor("#1E4E79")
QUADRANTS = {
    ("high", "low"): ("Quick wins", colors.HexColor("#E3F1E0")),
    ("high", "high"): ("Major projects", colors.HexColor("#E8EFF6")),
    ("low", "low"): ("Fill-ins", colors.HexColor("#F4F6F8")),
    ("low", "high"): ("Avoid for now", colors.HexColor("#FBEAEA")),
}
POSITION = {"low": 1 / 6, "medium": 1 / 2, "high": 5 / 6}


def before_after_chart(title: str, names: Sequence[str], before: Sequence[float], after: Sequence[float],
                       width: float, height: float, unit: str) -> Drawing:
    """Grouped bars, before (grey) and after (blue), one group per intervention."""
    drawing = shapes.new_drawing(width, height)
    drawing.add(shapes.text(0, height - 10, title, 9, INK, base=SANS_BOLD, anchor="start"))
    chart = VerticalBarChart()
    chart.x, chart.y = 36, 30
    chart.width, chart.height = width - 50, height - 62
    chart.data = [list(before), list(after)]
    chart.bars[0].fillColor = BEFORE
    chart.bars[1].fillColor = AFTER
    chart.bars.strokeColor = None
    chart.groupSpacing = 6
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = SANS
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.labelTextFormat = "%g" + unit
    chart.categoryAxis.categoryNames = [f"#{name}" for name in names]
    chart.categoryAxis.labels.fontName = SANS
    chart.categoryAxis.labels.fontSize = 7
    drawing.add(chart)
    legend_y = height - 24
    for index, (label, color) in enumerate((("before", BEFORE), ("after", AFTER))):
        x = width - 110 + index * 55
        drawing.add(Rect(x, legend_y, 9, 7, fillColor=color, strokeColor=None))
        drawing.add(shapes.text(x + 12, legend_y, label, 7, MUTED, anchor="start"))
    return drawing


def impact_effort_matrix(interventions: Sequence[Intervention], width: float, height: float) -> Drawing:
    """A 2 × 2 matrix: effort across, impact up, each intervention a numbered dot."""
    drawing = shapes.new_drawing(width, height)
    left, bottom = 62.0, 34.0
    plot_w, plot_h = width - left - 8, height - bottom - 8
    for (impact, effort), (name, fill) in QUADRANTS.items():
        x = left + (0 if effort == "low" else plot_w / 2)
        y = bottom + (0 if impact == "low" else plot_h / 2)
        drawing.add(Rect(x, y, plot_w / 2, plot_h / 2, fillColor=fill, strokeColor=WHITE, strokeWidth=2))
        name_y = y + plot_h / 2 - 14 if impact == "low" else y + 6
        drawing.add(shapes.text(x + 6, name_y, name, 9, MUTED, base=SANS_BOLD, anchor="start"))
    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=INK, strokeWidth=0.8))
    drawing.add(Line(left, bottom, left, bottom + plot_h, strokeColor=INK, strokeWidth=0.8))
    for level, share in POSITION.items():
        drawing.add(shapes.text(left + plot_w * share, bottom - 12, level.capitalize(), 7.5, MUTED))
        drawing.add(shapes.text(left - 5, bottom + plot_h * share - 2.5, level.capitalize(), 7.5, MUTED,
                                anchor="end"))
    drawing.add(shapes.text(left + plot_w / 2, 4, "Effort →", 8.5, INK, base=SANS_BOLD))
    axis = shapes.text(0, 0, "Impact →", 8.5, INK, base=SANS_BOLD)
    axis.transform = (0, 1, -1, 0, 14, bottom + plot_h / 2)
    drawing.add(axis)
    cells: dict[tuple[str, str], list[Intervention]] = {}
    for item in sorted(interventions, key=lambda i: i.rank):
        cells.setdefault((item.impact, item.effort), []).append(item)
    radius = 9.0
    for (impact, effort), items in cells.items():
        cx = left + plot_w * POSITION[effort]
        cy = bottom + plot_h * POSITION[impact]
        per_row = max(1, int((plot_w / 3 - 8) // (2 * radius + 4)))
        rows = (len(items) + per_row - 1) // per_row
        for index, item in enumerate(items):
            row, column = divmod(index, per_row)
            in_row = min(per_row, len(items) - row * per_row)
            x = cx + (column - (in_row - 1) / 2) * (2 * radius + 4)
            y = cy + ((rows - 1) / 2 - row) * (2 * radius + 4)
            drawing.add(Circle(x, y, radius, fillColor=ACCENT, strokeColor=WHITE, strokeWidth=1))
            drawing.add(shapes.text(x, y - 3, str(item.rank), 8, WHITE, base=SANS_BOLD))
    drawing.add(Rect(left, bottom, plot_w, plot_h, fillColor=None, strokeColor=ACCENT_LIGHT, strokeWidth=0.5))
    return drawing
