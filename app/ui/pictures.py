"""The board and each step's frame as SVG (and PNG) files, drawn by the
canvas offscreen so they look as on screen (see ``docs/export.md``).

Used by the written report and by ``export-all``. Which pictures a board
gets, and their names, is decided Qt-free in ``app.export.report.plan``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from app.export.report import plan
from models.document import BoardDocument

Cancelled = Callable[[], bool]


def ensure_app() -> object:
    """A QApplication for offscreen drawing (the window's own when there is one)."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["cascade-board"])


def render(document: BoardDocument, folder: Path, *, png: bool = False, theme: str = "light",
           cancelled: Cancelled | None = None) -> Iterator[Path]:
    """Write every planned picture into ``folder``; yields each file written.

    Stops early (between pictures) when ``cancelled()`` says so.
    """
    ensure_app()
    from PySide6.QtCore import QRectF

    from app.ui.canvas.scene import BoardScene
    from app.ui.render import MARGIN, export_png, export_svg
    from app.ui.theme import theme_named
    from models.board import Board

    board = Board(document)
    scene = BoardScene(board, theme=theme_named(theme))
    scene.set_theme(theme_named(theme))
    try:
        for picture in plan(document):
            if cancelled is not None and cancelled():
                return
            crop, step = None, None
            if picture.step is not None:
                step = document.steps[picture.step - 1].id
                frame = document.steps[picture.step - 1].frame
                if frame is not None:
                    crop = QRectF(frame.x, frame.y, frame.width, frame.height).adjusted(-MARGIN, -MARGIN,
                                                                                        MARGIN, MARGIN)
            svg = folder / f"{picture.stem}.svg"
            export_svg(scene, svg, title=picture.title, crop=crop, step=step)
            yield svg
            if png:
                image = folder / f"{picture.stem}.png"
                export_png(scene, image, 2.0, crop=crop, step=step)
                yield image
    finally:
        scene.detach()
