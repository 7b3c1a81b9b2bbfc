"""Regressions of the handout's small faults (issue 14): a header word broken across lines
("Likelihoo / d"), a last page holding a few stray rows."""

from __future__ import annotations

import io

from pypdf import PdfReader

from app.export.fonts import string_width
from app.export.styles import HEAD_PADDING, fit_headers, styles


def test_no_table_header_word_is_broken(streamflow_pages):
    headed = [page for page in streamflow_pages if "Severity" in page]  # the matrix, its header on each page
    assert headed
    for page in headed:
        assert "Likelihood" in page.split()


def test_a_narrow_column_takes_room_from_the_roomiest_and_the_total_stays():
    head = styles()["head"]
    word = string_width("Likelihood", head.fontSize, head.fontName) + HEAD_PADDING
    widths = fit_headers(["Component", "Effect", "Likelihood"], [100.0, 300.0, 40.0])
    assert widths[2] >= word
    assert widths[0] == 100.0
    assert sum(widths) == 440.0
    assert fit_headers(["Likelihood"], [20.0]) == [20.0]  # nothing to take from


def test_the_last_page_is_not_a_few_stray_rows(streamflow_handout):
    """The body of the last page reaches at least a quarter of the way down."""
    reader = PdfReader(io.BytesIO(streamflow_handout.data))
    page = reader.pages[-1]
    height = float(page.mediabox.height)
    ys: list[float] = []

    def visit(text, cm, tm, font, size):
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and 0.1 * height < y < 0.9 * height:  # not the running header or footer
            ys.append(y)

    page.extract_text(visitor_text=visit)
    assert ys
    body_top, body_bottom = 0.9 * height, 0.1 * height
    filled = (body_top - min(ys)) / (body_top - body_bottom)
    assert filled >= 0.25, f"the last page is only {filled:.0%} full"
