"""Export everything at once (``export-all``, File → Export Everything): the
handout PDF, the report (Markdown and HTML), a PNG and an SVG per step frame,
the chapters when steps are stamped, the animation GIF of the main scenario,
the board itself, and a ``MANIFEST`` of what was written (see
``docs/export.md``).

Work is split into parts; after each part (and each picture or animation
frame) ``progress`` is told how far it got and may return False to cancel.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from models.document import BoardDocument
from models.fileformat import save_path, write_atomically
from models.params import SimScenario

Progress = Callable[[str, float], bool]
"""Called with (what is being written, fraction done 0–1); False cancels."""
MANIFEST = "MANIFEST"
CANCELLED = "export cancelled; the files finished so far stay in the folder, with no MANIFEST"
ANIMATION_FRAMES = 60
ANIMATION_WIDTH = 960


class ExportAllError(Exception):
    """The folder cannot be used, or a part failed; the message says which."""


class CancelledError(ExportAllError):
    """The user cancelled; what was finished stays, and no manifest is written."""


@dataclass(frozen=True)
class Written:
    """One file ``export-all`` wrote, relative to its folder, and what it is."""

    path: str
    what: str


def main_scenario(document: BoardDocument) -> SimScenario | None:
    """The scenario the animation shows: the one the most interventions address (their
    ``scenarios``), then the one with the highest peak rate (the first of equals). StreamFlow's
    is ``peak``, which five of its nine interventions address, not its short gateway burst."""
    if not document.scenarios:
        return None
    addressed = Counter(s for intervention in document.interventions for s in intervention.scenarios)
    return max(document.scenarios,
               key=lambda s: (addressed[s.id], max(s.traffic.peak_rps, s.traffic.base_rps)))


def check_folder(folder: Path, force: bool) -> None:
    """Refuse a file, or a non-empty folder unless ``force``."""
    if folder.exists() and not folder.is_dir():
        raise ExportAllError(f"{folder}: is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise ExportAllError(f"{folder}: the folder is not empty; choose an empty one or give --force")
    if not folder.parent.is_dir():
        raise ExportAllError(f"{folder}: the folder {folder.parent} does not exist")


def _name(document: BoardDocument) -> str:
    title = "".join(c if c.isalnum() or c in "-_" else "-" for c in document.meta.title).strip("-")
    return "-".join(part for part in title.split("-") if part)[:60] or "board"


def export_all(document: BoardDocument, folder: str | Path, *, date: str | None = None, force: bool = False,
               progress: Progress | None = None, animation: bool = True) -> list[Written]:
    """Write every artefact of ``document`` into ``folder``; return what was written (the manifest's lines)."""
    from app.export.handout import export_pdf
    from app.ui.pictures import render
    from app.ui.report_files import export_report
    from models.chapters import ChapterError, chapters
    from models.chapters import render as render_chapters

    out = Path(folder)
    check_folder(out, force)
    out.mkdir(exist_ok=True)
    name = _name(document)
    written: list[Written] = []
    steps_total = 7.0
    current: list[tuple[str, float]] = [("", 0.0)]

    def tell(what: str, part: float) -> None:
        current[0] = (what, min(1.0, part / steps_total))
        if cancelled():
            raise CancelledError(CANCELLED)

    def cancelled() -> bool:
        return progress is not None and not progress(*current[0])

    tell("board", 0)
    save_path(document, out / f"{name}.cboard", backup=False)
    written.append(Written(f"{name}.cboard", "the board"))
    tell("handout PDF", 1)
    export_pdf(document, out / f"{name}.pdf", date=date)
    written.append(Written(f"{name}.pdf", "the PDF handout"))
    tell("report (Markdown)", 2)
    for path in export_report(document, out / f"{name}.md", date, cancelled):
        written.append(Written(path.relative_to(out).as_posix(), "the report" if path.suffix == ".md"
                               else "a picture of the Markdown report"))
    tell("report (HTML)", 3)
    export_report(document, out / f"{name}.html", date, cancelled)
    written.append(Written(f"{name}.html", "the report as one HTML page"))
    tell("pictures", 4)
    frames = out / "pictures"
    frames.mkdir(exist_ok=True)
    for path in render(document, frames, png=True, cancelled=cancelled):
        written.append(Written(path.relative_to(out).as_posix(), f"a picture ({path.suffix[1:].upper()})"))
    tell("chapters", 5)
    try:
        items = chapters(document.steps)
    except ChapterError:
        items = []  # no step is stamped: there are no chapters to write
    for fmt, suffix in (("youtube", ".txt"), ("vtt", ".vtt"), ("json", ".json")):
        if items:
            write_atomically(render_chapters(items, fmt).encode("utf-8"), out / f"chapters{suffix}")
            written.append(Written(f"chapters{suffix}", f"chapters ({fmt})"))
    scenario = main_scenario(document)
    if animation and scenario is not None and document.nodes:
        tell(f"animation of {scenario.name}", 6)
        _animation(document, scenario, out / f"{name}-{scenario.id}.gif", progress, steps_total)
        written.append(Written(f"{name}-{scenario.id}.gif", f"the animation of {scenario.name}"))
    tell("manifest", 7)
    _manifest(out, written)
    return written


def _animation(document: BoardDocument, scenario: SimScenario, path: Path, progress: Progress | None,
               steps_total: float) -> None:
    from app.ui.pictures import ensure_app

    ensure_app()
    from app.ui.animation.export import AnimationError, ExportSettings, export_animation

    stopped: list[bool] = []

    def frame(done: int, total: int) -> bool:
        going = progress is None or progress("animation", (6 + done / max(1, total)) / steps_total)
        if not going:
            stopped.append(True)
        return going

    settings = ExportSettings(scenario_id=scenario.id, frames=ANIMATION_FRAMES, width=ANIMATION_WIDTH)
    try:
        export_animation(document, path, settings, frame)
    except AnimationError as error:
        if stopped:
            raise CancelledError(CANCELLED) from None
        raise ExportAllError(f"animation: {error}") from None


def _manifest(out: Path, written: list[Written]) -> None:
    lines = ["# Written by Cascade Board export-all: SHA-256, bytes, path, what it is"]
    for item in written:
        data = (out / item.path).read_bytes()
        lines.append(f"{hashlib.sha256(data).hexdigest()}  {len(data):>9}  {item.path}  ({item.what})")
    write_atomically(("\n".join(lines) + "\n").encode("utf-8"), out / MANIFEST)
