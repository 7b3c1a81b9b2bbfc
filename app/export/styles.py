"""Colours, paragraph styles and table styles shared by the handout sections.

Node and edge colours match the canvas (docs/ARCHITECTURE.md, "Colours"): health none is white with
a grey border, yellow is #FFF3B0 with #E0A800, red is #FFD6D6 with #D32F2F.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from app import visual
from app.export.fonts import SANS, SANS_BOLD, markup, register_fonts, string_width

INK = colors.HexColor("#1F2A30")
MUTED = colors.HexColor("#5F6B73")
ACCENT = colors.HexColor("#1E4E79")
ACCENT_LIGHT = colors.HexColor("#E8EFF6")
RULE = colors.HexColor("#C9D1D6")
ZEBRA = colors.HexColor("#F4F6F8")
WHITE = colors.white

HEALTH_FILL = {"none": colors.white, **{k: colors.HexColor(v) for k, v in visual.HEALTH_FILL.items()}}
HEALTH_BORDER = {"none": colors.HexColor("#9E9E9E"), **{k: colors.HexColor(v) for k, v in visual.HEALTH_BORDER.items()}}
EDGE = colors.HexColor("#455A64")
CRITICAL = colors.HexColor("#1F2A30")
CASCADE = {k: colors.HexColor(v) for k, v in visual.CASCADE_COLOURS.items()}
LOOP = {k: colors.HexColor(v) for k, v in visual.LOOP_COLOURS.items()}
QUEUE = colors.HexColor("#1565C0")
SEVERITY = {
    5: colors.HexColor("#F8C9C9"),
    4: colors.HexColor("#FCDDB8"),
    3: colors.HexColor("#FFF3B0"),
    2: colors.HexColor("#E3EEDA"),
    1: colors.HexColor("#EEF2F4"),
}
LEVEL_TEXT = {"low": "Low", "medium": "Medium", "high": "High"}


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, created once (fonts must be registered first)."""
    register_fonts()
    body = ParagraphStyle("body", fontName=SANS, bulletFontName=SANS, fontSize=9.5, leading=13, textColor=INK,
                          spaceAfter=4)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, spaceAfter=0),
        "label": ParagraphStyle("label", parent=body, fontName=SANS_BOLD, spaceBefore=4, spaceAfter=2,
                                keepWithNext=1),
        "small_label": ParagraphStyle("small_label", parent=body, fontName=SANS_BOLD, fontSize=8, leading=10.5,
                                      spaceBefore=2, spaceAfter=1, keepWithNext=1),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=SANS_BOLD, fontSize=8, leading=10,
                                    spaceAfter=0),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8, leading=10, spaceAfter=0,
                                     alignment=TA_RIGHT),
        "cell_center": ParagraphStyle("cell_center", parent=body, fontSize=8, leading=10, spaceAfter=0,
                                      alignment=TA_CENTER),
        "head": ParagraphStyle("head", parent=body, fontName=SANS_BOLD, fontSize=8, leading=10,
                               textColor=WHITE, spaceAfter=0),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=12, bulletIndent=2, spaceAfter=2),
        "h1": ParagraphStyle("h1", parent=body, fontName=SANS_BOLD, fontSize=17, leading=21,
                             textColor=ACCENT, spaceBefore=4, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=body, fontName=SANS_BOLD, fontSize=11.5, leading=15,
                             textColor=INK, spaceBefore=10, spaceAfter=4),
        "caption": ParagraphStyle("caption", parent=body, fontSize=8, leading=10, textColor=MUTED,
                                  spaceBefore=2, spaceAfter=8),
        "cover_title": ParagraphStyle("cover_title", parent=body, fontName=SANS_BOLD, fontSize=28,
                                      leading=34, textColor=INK, alignment=TA_LEFT, spaceAfter=10),
        "cover_sub": ParagraphStyle("cover_sub", parent=body, fontSize=14, leading=19, textColor=ACCENT,
                                    spaceAfter=18),
        "cover_meta": ParagraphStyle("cover_meta", parent=body, fontSize=11, leading=16, textColor=INK),
        "cover_summary": ParagraphStyle("cover_summary", parent=body, fontSize=11, leading=15.5, textColor=INK),
        "stat_number": ParagraphStyle("stat_number", parent=body, fontName=SANS_BOLD, fontSize=20,
                                      leading=24, textColor=ACCENT, alignment=TA_CENTER, spaceAfter=0),
        "stat_label": ParagraphStyle("stat_label", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED,
                                     alignment=TA_CENTER, spaceAfter=0),
        "toc1": ParagraphStyle("toc1", parent=body, fontSize=10.5, leading=16, leftIndent=6),
        "toc2": ParagraphStyle("toc2", parent=body, fontSize=9, leading=12, leftIndent=22, textColor=MUTED),
    }


def para(text: object, style: str = "body") -> Paragraph:
    """A paragraph of user text (escaped, with emoji fallback)."""
    return Paragraph(markup(text), styles()[style])


def rich(fragments: str, style: str = "body") -> Paragraph:
    """A paragraph of markup the caller built from ``markup()`` pieces."""
    return Paragraph(fragments, styles()[style])


def bullets(items: Sequence[object], style: str = "bullet") -> list[Paragraph]:
    return [Paragraph(markup(item), styles()[style], bulletText="•") for item in items]


class FlowTable(Table):  # type: ignore[misc]  # reportlab is untyped
    """A table that moves a short row to the next page whole, and splits only a tall one.

    ReportLab's ``splitInRow`` splits any row that does not fit the rest of
    the page; a row of a few lines cut in two looks broken, but a row taller
    than a page (a 20,000-character note) must split or the export fails.
    """

    TALL_ROW = 260.0
    """Rows taller than this (points) may split across pages."""

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        self.splitInRow = 0
        try:
            parts: list[Any] = super().split(avail_width, avail_height)
        finally:
            self.splitInRow = 1
        if parts:
            return parts
        heights = self._rowHeights
        first = heights[self.repeatRows] if len(heights) > self.repeatRows else 0.0
        if first < self.TALL_ROW:
            return []
        result: list[Any] = super().split(avail_width, avail_height)
        return result


def grid(data: Sequence[Sequence[Any]], widths: Sequence[float], commands: Sequence[tuple[Any, ...]] = (),
         repeat_rows: int = 0) -> Table:
    """A layout table in the handout font (ReportLab's default would pull in Helvetica)."""
    result = FlowTable([list(row) for row in data], colWidths=list(widths), repeatRows=repeat_rows, hAlign="LEFT",
                       splitInRow=1)
    result.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), SANS, 8), *commands]))
    return result


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A zebra table with a dark header row that repeats on every page.

    Plain strings in ``rows`` are user text and are escaped; flowables pass through.
    """
    cell = styles()["cell"]
    widths = fit_headers(header, widths)
    data: list[list[Any]] = [[Paragraph(markup(h), styles()["head"]) for h in header]]
    for row in rows:
        data.append([Paragraph(markup(value), cell) if isinstance(value, str | int | float) else value
                     for value in row])
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    commands += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(data), 2)]
    commands += list(extra)
    return grid(data, widths, commands, repeat_rows=1)


HEAD_PADDING = 8.5
"""A header cell's left and right padding, and a hair more."""


def fit_headers(header: Sequence[str], widths: Sequence[float]) -> list[float]:
    """Column widths in which no header word breaks ("Likelihoo / d"): a column too narrow for its
    longest header word takes the missing room from the column with the most to spare."""
    head = styles()["head"]
    fitted = list(widths)
    need = [max((string_width(word, head.fontSize, head.fontName) for word in h.split()), default=0.0) + HEAD_PADDING
            for h in header]
    for index, wanted in enumerate(need):
        short = wanted - fitted[index]
        if short <= 0 or len(fitted) < 2:
            continue
        donor = max((j for j in range(len(fitted)) if j != index), key=lambda j: fitted[j] - need[j])
        give = min(short, max(0.0, fitted[donor] - need[donor]))
        fitted[donor] -= give
        fitted[index] += give
    return fitted


def fmt_ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 or value == int(value) else f"{value:.1f} ms"


def fmt_rate(value: float) -> str:
    return f"{value * 100:.2f} %"


def rich_bullet(fragments: str) -> Paragraph:
    return Paragraph(fragments, styles()["bullet"], bulletText="•")
