"""Exporters. ``export_pdf`` writes the PDF handout of a board (Qt-free)."""

from __future__ import annotations

from app.export.handout import SECTION_TITLES, Handout, build_pdf, export_pdf

__all__ = ["SECTION_TITLES", "Handout", "build_pdf", "export_pdf"]
