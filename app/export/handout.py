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

from app import __version__
from app.desktop import APP_ID
from app.export.context import Context
from app.export.sections import (
    analysis,
    appendix,
    closing,
    dynamics,
    flow,
    overview,
    results,
    steps,
    summary,
    topology,
)
from app.export.template import HandoutTemplate
from models.catalog import Catalog, CatalogError, default_catalog
from models.document import BoardDocument
from models.fileformat import PDF_ATTACHMENT_NAME, dumps, write_atomically
from models.files import export_date

Builder = Callable[[Context], list[Flowable]]

STEP_SECTIONS: dict[str, tuple[Builder, ...]] = {
    "SY01": (topology.build_topology,),
    "P02": (analysis.build_stakeholders,),
    "DE07": (analysis.build_bottlenecks,),
    "DE06": (analysis.build_failure_modes,),
    "DE08": (flow.build_flows,),
    "CO03": (flow.build_stages,),
    "CO12": (flow.build_queues,),
    "RE06": (dynamics.build_loops,),
    "SY04": (dynamics.build_cascades,),
}
"""The analysis section each HUMMBL model produces; in this order when the board has no such step."""

CLOSING: tuple[Builder, ...] = (results.build_interventions, results.build_measured, closing.build_reflection,
                                appendix.build_appendix)
"""After the analysis: the full intervention list, then what measured it, the reflection, the appendix."""


def analysis_builders(document: BoardDocument) -> list[Builder]:
    """The analysis sections in the order of the board's HUMMBL steps, then any the steps did not reach."""
    order = [code for code in (step.code for step in document.steps) if code in STEP_SECTIONS]
    order += [code for code in STEP_SECTIONS if code not in order]
    return [builder for code in dict.fromkeys(order) for builder in STEP_SECTIONS[code]]


def builders(document: BoardDocument) -> list[Builder]:
    """Every section in print order: summary (pages 1–2), contents, analysis, the steps' own notes
    and ink (when a step has some), closing, appendix."""
    return [summary.build_summary, overview.build_contents, *analysis_builders(document), steps.build_steps,
            *CLOSING]


SECTION_TITLES: tuple[str, ...] = (
    summary.TITLES["summary"],
    summary.TITLES["priorities"],
    overview.TITLES["contents"],
    topology.TITLES["topology"],
    analysis.TITLES["stakeholders"],
    analysis.TITLES["bottlenecks"],
    analysis.TITLES["failure_modes"],
    flow.TITLES["flows"],
    flow.TITLES["stages"],
    flow.TITLES["queues"],
    dynamics.TITLES["loops"],
    dynamics.TITLES["cascades"],
    results.TITLES["interventions"],
    results.TITLES["matrix"],
    results.TITLES["measured"],
    closing.TITLES["reflection"],
    *appendix.TITLES.values(),
)
"""Every section heading a handout has, whatever the board holds (analysis in the default order)."""


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
        creator=f"Cascade Board {__version__} ({APP_ID})",  # the identity of the window and desktop files
        keywords=["Cascade Board", "systems analysis", "HUMMBL"],
        lang="en",
    )
    width, height = template.portrait_frame_size
    wide_width, wide_height = template.landscape_frame_size
    ctx = Context(document, date, width, height, wide_width, wide_height, catalog)
    story: list[Flowable] = []
    for builder in builders(document):
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
