"""File → New from Example…: the gallery lists every shipped example with a
thumbnail, its one-liner and its source, and opens an untitled copy."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel

from app.examples import examples, find
from app.ui.gallery import ExampleGallery, ThumbnailCache
from models.fileformat import load_path

pytestmark = pytest.mark.gui


def _texts(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def test_the_gallery_shows_every_example_with_thumbnail_one_liner_and_source(qtbot, tmp_path):
    cache = ThumbnailCache(tmp_path / "thumbs")
    dialog = ExampleGallery(cache=cache)
    qtbot.addWidget(dialog)
    shipped = examples()
    assert dialog.list.count() == len(shipped) >= 7
    for row, example in enumerate(shipped):
        widget = dialog.list.itemWidget(dialog.list.item(row))
        texts = _texts(widget)
        assert example.title in texts
        assert example.one_liner in texts
        assert f"Source: {example.source}" in texts
        thumbnail = widget.findChild(QLabel, "thumbnail")
        assert not thumbnail.pixmap().isNull()
        assert thumbnail.pixmap().width() <= 240
        assert thumbnail.pixmap().height() <= 150
    assert cache.drawn == len(shipped)
    # a second gallery reads the thumbnails from the cache folder instead of drawing them again
    again = ThumbnailCache(tmp_path / "thumbs")
    qtbot.addWidget(ExampleGallery(cache=again))
    assert again.drawn == 0
    assert len(list((tmp_path / "thumbs").glob("*.png"))) == len(shipped)


def test_new_from_example_opens_an_untitled_copy_that_saves_elsewhere(make_window, qtbot, tmp_path, monkeypatch):
    from app.ui import gallery

    monkeypatch.setattr(gallery, "ThumbnailCache", lambda: ThumbnailCache(tmp_path / "thumbs"))
    window = make_window()
    action = next(a for a in window.menu("file").actions() if a.objectName() == "action_new_from_example")
    file_actions = [a.text() for a in window.menu("file").actions()]
    assert file_actions.index(action.text()) == file_actions.index("&New Board") + 1

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExampleGallery)
        dialog.select("retry-storm")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Open), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, choose)
    action.trigger()
    shipped = find("retry-storm").path
    assert window.board.document() == load_path(shipped)
    assert window.files.path is None  # untitled: a copy, not the shipped file
    assert not window.files.is_modified()
    target = tmp_path / "mine.cboard"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert window.files.save()  # Save asks for a path
    assert load_path(target) == load_path(shipped)
    assert window.files.path == str(target)


def test_cancelling_the_gallery_changes_nothing(make_window, qtbot, tmp_path, monkeypatch, board_copy):
    from app.ui import gallery

    monkeypatch.setattr(gallery, "ThumbnailCache", lambda: ThumbnailCache(tmp_path / "thumbs"))
    window = make_window(board_copy)
    before = window.board.document()

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExampleGallery)
        dialog.reject()

    QTimer.singleShot(0, cancel)
    gallery.new_from_example(window)
    assert window.board.document() == before
    assert window.files.path == str(board_copy.resolve())
