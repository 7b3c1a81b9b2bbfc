"""File → Import…, dropping files on the canvas, and File → Export Diagram…: an import runs off the GUI
thread and lands as one undoable step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from models.interop.importer import import_paths
from tests.app.ui.canvas.conftest import at
from tests.models.interop.helpers import CORPUS

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def _drop(window, paths: list[Path]) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    target = at(window.view, 500, 300)
    enter = QDragEnterEvent(target, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window.view.viewport(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window.view.viewport(), QDropEvent(QPointF(target), Qt.DropAction.CopyAction, data,
                                                              Qt.MouseButton.LeftButton,
                                                              Qt.KeyboardModifier.NoModifier))


def test_dropping_a_trace_imports_it_as_one_undoable_step(qtbot, empty_window) -> None:
    w = empty_window
    _drop(w, [CORPUS / "zipkin-yelp.json", CORPUS / "jaeger-architecture.mmd"])
    qtbot.waitUntil(lambda: len(w.board.nodes) > 0, timeout=10_000)
    expected = import_paths([CORPUS / "zipkin-yelp.json", CORPUS / "jaeger-architecture.mmd"]).document
    assert len(w.board.nodes) == len(expected.nodes)
    assert len(w.board.edges) == len(expected.edges)
    assert w.undo_stack.count() == 1
    assert w.undo_stack.undoText().startswith("Import zipkin-yelp.json")
    assert w.interop.notices
    w.undo_stack.undo()
    assert len(w.board.nodes) == 0
    w.undo_stack.redo()
    assert len(w.board.nodes) == len(expected.nodes)


def test_a_bad_file_is_reported_and_changes_nothing(qtbot, empty_window, tmp_path, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text: shown.append(text)))
    bad = tmp_path / "bad.mmd"
    bad.write_text("flowchart LR\n  A --> \n", encoding="utf-8")
    job = empty_window.interop.import_files([str(bad)])
    assert job is not None
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "line 2" in shown[0]
    assert empty_window.undo_stack.count() == 0
    assert len(empty_window.board.nodes) == 0


def test_export_diagram_and_the_menu_items(qtbot, window, tmp_path) -> None:
    assert window.action_set["import"].shortcut().toString() == "Ctrl+Shift+I"
    file_menu = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "&Import…" in file_menu
    out = tmp_path / "board"
    assert window.interop.export_to(str(out), "drawio")
    back = import_paths([tmp_path / "board.drawio"]).document
    assert len(back.nodes) == len(window.board.nodes)
    assert not window.files.is_modified()
