"""The handout's page templates: cover, portrait pages and a landscape page.

Headers and footers are drawn ``onPage``; every ``Heading`` flowable becomes a
table-of-contents entry and a PDF bookmark in ``afterFlowable``. The page
count of the previous ``multiBuild`` pass gives the "of N" in the footer.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from app.export.fonts import SANS, SANS_BOLD, markup, runs, string_width
from app.export.styles import ACCENT, MUTED, RULE, styles

MARGIN = 18 * mm
HEADER = 12 * mm
PORTRAIT = A4
LANDSCAPE = landscape(A4)


class Heading(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A section heading: listed in the contents and bookmarked."""

    def __init__(self, text: str, level: int = 0) -> None:
        super().__init__(markup(text), styles()["h1" if level == 0 else "h2"])
        self.plain = text
        self.level = level


def draw_text(canvas: Canvas, x: float, y: float, text: str, size: float, base: str = SANS,
              align: str = "left") -> None:
    """Draw a line of user text with per-character font fallback."""
    pieces = list(runs(text, base))
    width = sum(stringWidth(chunk, font, size) for font, chunk in pieces)
    if align == "right":
        x -= width
    elif align == "center":
        x -= width / 2
    for font, chunk in pieces:
        canvas.setFont(font, size)
        canvas.drawString(x, y, chunk)
        x += stringWidth(chunk, font, size)


def _clip(text: str, width: float, size: float, base: str = SANS) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` points."""
    if string_width(text, size, base) <= width:
        return text
    while text and string_width(text + "…", size, base) > width:
        text = text[: max(0, len(text) - max(1, len(text) // 8))]
    return text + "…"


class HandoutTemplate(BaseDocTemplate):  # type: ignore[misc]  # reportlab is untyped
    """A4 handout with a cover, portrait pages and landscape pages."""

    def __init__(self, target: Any, *, title: str, header: str, footer: str, **kwargs: Any) -> None:
        super().__init__(target, pagesize=PORTRAIT, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN + HEADER, bottomMargin=MARGIN, invariant=True, initialFontName=SANS,
                         title=title, **kwargs)
        self.header_text = header
        self.footer_text = footer
        self.pages_last_pass = 0
        self._pages_this_pass = 0
        self._bookmarks = 0
        width, height = PORTRAIT
        portrait_frame = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN - HEADER, id="body")
        cover_frame = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN, id="cover")
        lw, lh = LANDSCAPE
        landscape_frame = Frame(MARGIN, MARGIN, lw - 2 * MARGIN, lh - 2 * MARGIN - HEADER, id="wide")
        self.addPageTemplates([
            PageTemplate("cover", [cover_frame], onPage=self._cover_page, pagesize=PORTRAIT),
            PageTemplate("normal", [portrait_frame], onPage=self._normal_page, pagesize=PORTRAIT),
            PageTemplate("landscape", [landscape_frame], onPage=self._normal_page, pagesize=LANDSCAPE),
        ])
        self.landscape_frame_size = (landscape_frame._width, landscape_frame._height)
        self.portrait_frame_size = (portrait_frame._width, portrait_frame._height)

    # --- passes ---------------------------------------------------------

    def beforeDocument(self) -> None:
        self._bookmarks = 0
        if self._pages_this_pass:
            self.pages_last_pass = self._pages_this_pass
        self._pages_this_pass = 0

    def afterPage(self) -> None:
        self._pages_this_pass = self.page

    def afterFlowable(self, flowable: Any) -> None:
        if not isinstance(flowable, Heading):
            return
        self._bookmarks += 1
        key = f"section-{self._bookmarks}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.plain, key, level=flowable.level, closed=flowable.level > 0)
        self.notify("TOCEntry", (flowable.level, markup(flowable.plain), self.page, key))

    # --- decoration -----------------------------------------------------

    def _cover_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height - 16 * mm, width, 16 * mm, stroke=0, fill=1)
        canvas.rect(0, 0, width, 6 * mm, stroke=0, fill=1)
        canvas.restoreState()

    def _normal_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        top = height - MARGIN
        canvas.setFillColor(ACCENT)
        room = width - 2 * MARGIN
        draw_text(canvas, MARGIN, top - 4, _clip(self.header_text, room * 0.72, 8.5, SANS_BOLD), 8.5, base=SANS_BOLD)
        canvas.setFillColor(MUTED)
        draw_text(canvas, width - MARGIN, top - 4, "Cascade Board handout", 8, align="right")
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, top - 8, width - MARGIN, top - 8)
        canvas.line(MARGIN, MARGIN - 10, width - MARGIN, MARGIN - 10)
        canvas.setFillColor(MUTED)
        draw_text(canvas, MARGIN, MARGIN - 20, _clip(self.footer_text, room * 0.75, 7.5), 7.5)
        total = self.pages_last_pass
        page = f"Page {doc.page} of {total}" if total >= doc.page else f"Page {doc.page}"
        draw_text(canvas, width - MARGIN, MARGIN - 20, page, 7.5, align="right")
        canvas.restoreState()
