"""Helpers the section builders share."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, Spacer

from app.export.template import Heading


def section(title: str) -> list[Flowable]:
    """A new top-level section: a page break if little room is left, then its heading."""
    return [CondPageBreak(160), Heading(title, 0)]


def subsection(title: str) -> list[Flowable]:
    return [CondPageBreak(90), Heading(title, 1)]


def gap(height: float = 6) -> Spacer:
    return Spacer(1, height)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"
