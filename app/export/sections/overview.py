"""The contents page, and the number cards the executive summary shows."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, PageBreak, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from app.export.context import Context
from app.export.fonts import SANS
from app.export.styles import ACCENT_LIGHT, RULE, WHITE, grid, para, rich, styles

TITLES = {"contents": "Contents"}


def build_contents(ctx: Context) -> list[Flowable]:
    toc = TableOfContents()
    toc.levelStyles = [styles()["toc1"], styles()["toc2"]]
    toc.dotsMinLevel = 0
    toc.tableStyle = TableStyle([("FONT", (0, 0), (-1, -1), SANS, 9), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    return [rich(TITLES["contents"], "h1"), toc, PageBreak()]


def stat_cards(stats: list[tuple[str, str]], width: float) -> Flowable:
    """Numbers in cards, four to a row."""
    columns = 4
    cells: list[Any] = [[para(value, "stat_number"), para(label, "stat_label")] for value, label in stats]
    rows: list[list[Any]] = []
    for start in range(0, len(cells), columns):
        row = cells[start:start + columns]
        row += [""] * (columns - len(row))
        rows.append(row)
    return grid(rows, [width / columns] * columns, [
        ("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("INNERGRID", (0, 0), (-1, -1), 2, WHITE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ])
