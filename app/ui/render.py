"""Render a board scene to a PNG (with a scale factor) or an SVG, the whole
board or only some items; used by File → Export Image and by
``cascade-board export-image``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem

from app.ui.canvas.scene import BoardScene
from models.presenting import exported_annotations

MARGIN = 30.0
MAX_PIXELS = 400_000_000
"""Refuse images larger than this (width × height) rather than run out of memory."""


class _Printing:
    """Hide selection and hover marks (and items not exported) while rendering."""

    def __init__(self, scene: BoardScene, ids: Iterable[str] | None, step: str | None = None) -> None:
        self.scene = scene
        self.ids = set(ids) if ids is not None else None
        self.step = step
        self.hidden: list[object] = []
        self.notes: dict[QGraphicsItem, bool] = {}

    def __enter__(self) -> _Printing:
        self.scene.printing = True
        self.cached = [item for item in self.scene.entity_items().values()
                       if item.cacheMode() != QGraphicsItem.CacheMode.NoCache]
        for item in self.cached:
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        if self.ids is not None:
            for entity_id, item in self.scene.entity_items().items():
                if entity_id not in self.ids and item.isVisible():
                    item.setVisible(False)
                    self.hidden.append(item)
            if self.scene.legend.isVisible():
                self.scene.legend.setVisible(False)
                self.hidden.append(self.scene.legend)
        else:
            self.notes = show_exported_annotations(self.scene, self.step)
        return self

    def __exit__(self, *exc: object) -> None:
        for item in self.hidden:
            item.setVisible(True)  # type: ignore[attr-defined]
        for note, shown in self.notes.items():
            note.setVisible(shown)
        for item in self.cached:
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.scene.printing = False


def hide_unexported_annotations(scene: BoardScene, step: str | None = None) -> list[QGraphicsItem]:
    """Hide the annotation items a picture of the board (of step ``step``) does not draw
    (``models.presenting.exported_annotations``); the items hidden, to show again."""
    notes = scene.board.items("annotations")
    dropped = {note.id for note in notes} - {note.id for note in exported_annotations(notes, step)}
    items = scene.entity_items()
    hidden: list[QGraphicsItem] = [items[i] for i in dropped if i in items and items[i].isVisible()]
    for item in hidden:
        item.setVisible(False)
    return hidden


def show_exported_annotations(scene: BoardScene, step: str | None = None) -> dict[QGraphicsItem, bool]:
    """Show exactly the annotation items a picture of the board (of step ``step``) draws: the
    others hidden, and the exported ones the editing view's step filter hides shown (not those a
    reveal walk hides). Returns each item's visibility before, to put back."""
    notes = scene.board.items("annotations")
    exported = {note.id for note in exported_annotations(notes, step)}
    items = scene.entity_items()
    before: dict[QGraphicsItem, bool] = {}
    for note in notes:
        item = items.get(note.id)
        if item is None:
            continue
        before[item] = item.isVisible()
        filtered = not scene.annotation_shown(note.step)
        item.setVisible(scene.layers.annotations and note.id in exported and (item.isVisible() or filtered))
    return before


def export_rect(scene: BoardScene, ids: Iterable[str] | None = None) -> QRectF:
    ids = list(ids) if ids is not None else None
    rect = scene.content_rect(ids)
    if rect.isNull():
        rect = QRectF(0, 0, 200, 120)
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def render_image(scene: BoardScene, scale: float = 1.0, ids: Iterable[str] | None = None,
                 crop: QRectF | None = None, step: str | None = None) -> QImage:
    """The board (or the items ``ids``, or the board rectangle ``crop``) as an image, ``scale`` pixels
    per unit; the annotations drawn are those of no step, and step ``step``'s when given."""
    ids = list(ids) if ids is not None else None
    with _Printing(scene, ids, step):
        rect = crop if crop is not None else export_rect(scene, ids)
        width, height = max(1, round(rect.width() * scale)), max(1, round(rect.height() * scale))
        if width * height > MAX_PIXELS:
            raise ValueError(f"the image would be {width}×{height} pixels; use a smaller scale")
        image = QImage(QSize(width, height), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor(scene.theme.background))
        painter = QPainter(image)
        try:
            painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                                   | QPainter.RenderHint.SmoothPixmapTransform)
            scene.render(painter, QRectF(0, 0, width, height), rect, Qt.AspectRatioMode.KeepAspectRatio)
        finally:
            painter.end()
    return image


def export_png(scene: BoardScene, path: str | Path, scale: float = 2.0, ids: Iterable[str] | None = None,
               crop: QRectF | None = None, step: str | None = None) -> None:
    image = render_image(scene, scale, ids, crop, step)
    if not image.save(str(path)):  # the suffix says PNG
        raise OSError(f"cannot write {path}")


def export_svg(scene: BoardScene, path: str | Path, ids: Iterable[str] | None = None, title: str = "",
               crop: QRectF | None = None, step: str | None = None) -> None:
    ids = list(ids) if ids is not None else None
    with _Printing(scene, ids, step):
        _write_svg(scene, path, crop if crop is not None else export_rect(scene, ids), title)


def _write_svg(scene: BoardScene, path: str | Path, rect: QRectF, title: str) -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(round(rect.width()), round(rect.height())))
    generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    generator.setTitle(title or "Cascade Board")
    generator.setDescription("Exported by Cascade Board")
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(f"cannot write {path}")
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(QRectF(0, 0, rect.width(), rect.height()), QColor(scene.theme.background))
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    finally:
        painter.end()
    if not Path(path).exists():
        raise OSError(f"cannot write {path}")
