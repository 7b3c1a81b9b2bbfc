"""Write the report (``app.export.report``) with its pictures: Markdown with
a ``<name>_files`` folder beside it, or one HTML file with them inlined."""

from __future__ import annotations

import tempfile
from pathlib import Path

from app.export.report import chart_svgs, html, markdown
from app.ui.pictures import Cancelled, render
from models.catalog import Catalog, CatalogError, default_catalog
from models.document import BoardDocument
from models.fileformat import write_atomically
from models.files import export_date

SUFFIXES = (".md", ".html")


class ExportCancelledError(Exception):
    """The user stopped the export; nothing but finished pictures was written."""


def _catalog() -> Catalog | None:
    try:
        return default_catalog()
    except (CatalogError, OSError):
        return None


def pictures_folder(out: Path) -> Path:
    """Where a Markdown report's pictures go: ``<name>_files`` beside it."""
    return out.with_name(f"{out.stem}_files")


def export_report(document: BoardDocument, out: str | Path, date: str | None = None,
                  cancelled: Cancelled | None = None) -> list[Path]:
    """Write the report to ``out`` (``.md`` or ``.html``); return every file written, the report first."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{path.name}: a report ends in .md or .html")
    shown = date or document.meta.date or export_date().isoformat()
    catalog = _catalog()
    if suffix == ".md":
        folder = pictures_folder(path)
        folder.mkdir(exist_ok=True)
        written = list(render(document, folder, cancelled=cancelled))
        if cancelled is not None and cancelled():
            raise ExportCancelledError
        for stem, data in chart_svgs(document).items():
            write_atomically(data, folder / f"{stem}.svg")
            written.append(folder / f"{stem}.svg")
        write_atomically(markdown(document, folder.name, shown, catalog).encode("utf-8"), path)
        return [path, *written]
    with tempfile.TemporaryDirectory(prefix="cascade-report-") as scratch:
        files = list(render(document, Path(scratch), cancelled=cancelled))
        if cancelled is not None and cancelled():
            raise ExportCancelledError
        svgs = {file.stem: file.read_bytes() for file in files} | chart_svgs(document)
    write_atomically(html(document, svgs, shown, catalog).encode("utf-8"), path)
    return [path]
