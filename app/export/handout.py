"""Build the handout PDF from a board: the story, the build, the attachment.

``build_pdf`` returns the bytes; ``export_pdf`` writes them atomically. The
output is reproducible: ReportLab's invariant mode fixes the file id, the
date is a day (``models.files.export_date``: ``--date``, ``SOURCE_DATE_EPOCH``
or today), the board is attached with pypdf, and the final ``/ID`` is a
hash of the content, so two exports of one board are byte-identical.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject
from reportlab.platypus import Flowable

from app.export.context import Context
from app.export.sections import analysis, closing, dynamics, flow, overview, results, topology
from app.export.template import HandoutTemplate
from models.catalog import Catalog, CatalogError, default_catalog
from models.document import BoardDocument
from models.fileformat import PDF_ATTACHMENT_NAME, dumps, write_atomically
from models.files import export_date

Builder = Callable[[Context], list[Flowable]]

BUILDERS: tuple[Builder, ...] = (
    overview.build_cover,
    overview.build_contents,
    overview.build_key_findings,
    topology.build_topology,
    analysis.build_stakeholders,
    analysis.build_bottlenecks,
    analysis.build_failure_modes,
    flow.build_flows,
    flow.build_stages,
    flow.build_queues,
    dynamics.build_loops,
    dynamics.build_cascades,
    results.build_measured,
    results.build_interventions,
    closing.build_reflection,
    closing.build_steps,
)
"""The sections in the order they are printed."""

SECTION_TITLES: tuple[str, ...] = (
    overview.TITLES["contents"],
    overview.TITLES["findings"],
    topology.TITLES["topology"],
    analysis.TITLES["stakeholders"],
    analysis.TITLES["bottlenecks"],
    analysis.TITLES["failure_modes"],
    flow.TITLES["flows"],
    flow.TITLES["stages"],
    flow.TITLES["queues"],
    dynamics.TITLES["loops"],
    dynamics.TITLES["cascades"],
    results.TITLES["measured"],
    results.TITLES["interventions"],
    results.TITLES["matrix"],
    closing.TITLES["reflection"],
    closing.TITLES["steps"],
)
"""Every section heading a handout has, whatever the board holds."""


@dataclass(frozen=True)
class Handout:
    """A built handout: the PDF bytes and how many pages it has."""

    data: bytes
    page_count: int


def _render(document: BoardDocument, date: str, catalog: Catalog | None) -> tuple[bytes, int]:
    meta = document.meta
    buffer = io.BytesIO()
    footer = " · ".join(part for part in (meta.system, meta.analyst, date) if part)
    template = HandoutTemplate(
        buffer,
        title=meta.title,
        header=meta.title,
        footer=footer,
        author=meta.analyst,
        subject=meta.system or meta.summary[:200],
        creator="Cascade Board",
        keywords=["Cascade Board", "systems analysis", "HUMMBL"],
        lang="en",
    )
    width, height = template.portrait_frame_size
    wide_width, wide_height = template.landscape_frame_size
    ctx = Context(document, date, width, height, wide_width, wide_height, catalog)
    story: list[Flowable] = []
    for builder in BUILDERS:
        story += builder(ctx)
    template.multiBuild(story, maxPasses=6)
    return buffer.getvalue(), template.page


def _pdf_date(text: str | None) -> str:
    """The PDF date of the export: an ISO ``text``, else ``SOURCE_DATE_EPOCH``, else today."""
    return f"D:{export_date(text):%Y%m%d}000000Z"


def _attach(pdf: bytes, board_text: str, date: str | None) -> bytes:
    """Attach the board as ``board.cboard`` and fix the file id to the content hash.

    The document's date is the user's ``date`` when it is an ISO date, else
    ``SOURCE_DATE_EPOCH`` when set, else today: one day, so two exports of a
    board on one day (or with one fixed date) are byte-identical.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    stamp = _pdf_date(date)
    writer.add_metadata({"/CreationDate": stamp, "/ModDate": stamp})
    payload = board_text.encode("utf-8")
    writer.add_attachment(PDF_ATTACHMENT_NAME, payload)
    digest = hashlib.md5(pdf + payload, usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _shipped_catalog() -> Catalog | None:
    try:
        return default_catalog()
    except (CatalogError, OSError):
        return None  # the handout is still complete without the models' questions


def build_pdf(document: BoardDocument, date: str | None = None, catalog: Catalog | None = None) -> Handout:
    """The handout for ``document``.

    ``date`` overrides ``meta.date`` on the cover; ``catalog`` (default: the
    shipped HUMMBL catalog) gives each step its guiding question and the
    reflection its suggested next models.
    """
    shown_date = document.meta.date if date is None else date
    pdf, pages = _render(document, shown_date, catalog if catalog is not None else _shipped_catalog())
    return Handout(_attach(pdf, dumps(document), shown_date or None), pages)


def export_pdf(document: BoardDocument, path: str | os.PathLike[str], date: str | None = None,
               catalog: Catalog | None = None) -> int:
    """Write the handout PDF for ``document`` to ``path`` atomically; return its page count."""
    handout = build_pdf(document, date, catalog)
    write_atomically(handout.data, Path(path))
    return handout.page_count
