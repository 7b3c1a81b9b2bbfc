"""Fonts for the handout, shipped with the program, with per-character fallback.

ReportLab has no automatic font fallback: a character the font lacks prints
as an empty box. The handout therefore sets text in DejaVu Sans and wraps
every run of characters DejaVu lacks (emoji such as ✅) in a span of the
fallback font (Symbola 2.60). Both ship in ``resources/fonts`` with their
licences (``resources/fonts/README.md``), so the handout is byte-identical on
every laptop: no system font is consulted. A user who wants other files for
these faces names folders in ``CASCADE_BOARD_FONT_DIRS`` (``os.pathsep``
separated); they are searched before the shipped folder.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.resources import resource_path

SANS = "CB-Sans"
SANS_BOLD = "CB-Sans-Bold"
SANS_ITALIC = "CB-Sans-Oblique"
SANS_BOLD_ITALIC = "CB-Sans-BoldOblique"
SYMBOLS = "CB-Symbols"

_FACES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
_SYMBOL_FILES = ("Symbola_hint.ttf", "Symbola.ttf")

FONT_DIRS_VARIABLE = "CASCADE_BOARD_FONT_DIRS"


def font_dirs() -> tuple[Path, ...]:
    """The user's folders from ``CASCADE_BOARD_FONT_DIRS``, then the shipped ``resources/fonts``."""
    user = [Path(p) for p in os.environ.get(FONT_DIRS_VARIABLE, "").split(os.pathsep) if p]
    return (*user, resource_path("fonts"))


FONT_DIRS: tuple[Path, ...] = font_dirs()
"""Where fonts are looked for, first match wins."""

_INVISIBLE = {0x200D, 0xFE0E, 0xFE0F}
"""Joiners and variation selectors stay with the character before them."""


class FontError(RuntimeError):
    """The handout's text font is not installed."""


def _find(name: str) -> Path | None:
    for folder in FONT_DIRS:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class FontSet:
    """The registered fonts and what the main font can draw."""

    coverage: frozenset[int]
    symbols: frozenset[int]

    def font_for(self, char: str, base: str) -> str:
        code = ord(char)
        if code in self.coverage or code not in self.symbols:
            return base
        return SYMBOLS


@functools.cache
def register_fonts() -> FontSet:
    """Register the handout fonts once per process and describe their coverage."""
    for name, filename in _FACES.items():
        path = _find(filename)
        if path is None:
            looked = ", ".join(str(folder) for folder in FONT_DIRS)
            raise FontError(
                f"the font {filename} is missing: it ships in resources/fonts; looked in {looked} "
                "(reinstall Cascade Board)"
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD_ITALIC
    )
    for bold, italic, face in ((0, 0, SANS), (1, 0, SANS_BOLD), (0, 1, SANS_ITALIC), (1, 1, SANS_BOLD_ITALIC)):
        addMapping(SANS, bold, italic, face)
    coverage = frozenset(pdfmetrics.getFont(SANS).face.charToGlyph)
    symbols: frozenset[int] = frozenset()
    symbol_path = next((p for p in map(_find, _SYMBOL_FILES) if p is not None), None)
    if symbol_path is not None:
        font = TTFont(SYMBOLS, str(symbol_path))
        pdfmetrics.registerFont(font)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(SYMBOLS, bold, italic, SYMBOLS)
        symbols = frozenset(font.face.charToGlyph)
    return FontSet(coverage, symbols)


def runs(text: str, base: str = SANS) -> Iterator[tuple[str, str]]:
    """Split ``text`` into ``(font name, substring)`` runs by glyph coverage."""
    fonts = register_fonts()
    current = base
    start = 0
    for index, char in enumerate(text):
        font = current if ord(char) in _INVISIBLE else fonts.font_for(char, base)
        if font != current:
            if index > start:
                yield current, text[start:index]
            current, start = font, index
    if start < len(text):
        yield current, text[start:]


def markup(text: object) -> str:
    """User text as safe Paragraph markup: escaped, with fallback-font spans."""
    parts = []
    for font, chunk in runs(str(text)):
        safe = escape(chunk).replace("\n", "<br/>")
        parts.append(safe if font == SANS else f'<font name="{font}">{safe}</font>')
    return "".join(parts)


def string_width(text: str, size: float, base: str = SANS) -> float:
    """The width of ``text`` set with fallback, in points."""
    return float(sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in runs(text, base)))
