"""File → Export PDF Handout, through the window's real action and dialog."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from models.fileformat import load_path

pytestmark = pytest.mark.gui


def test_menu_exports_the_board_as_it_is_and_reports_the_page_count(window, tmp_path, monkeypatch, qtbot):
    out = tmp_path / "handout.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out.with_suffix("")), "")))
    told = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda _w, title, text: told.append(text)))
    window.editor.update("nodes", "cache", label="Edited before export")
    file_menu = window.menu("file")
    action = window.action_set["export_pdf"]
    assert action in file_menu.actions()
    action.trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=30_000)
    assert out.exists()
    assert "pages" in told[0]
    assert told[0].startswith("handout.pdf: ")
    assert load_path(out) == window.board.document()
    assert "pages" in window.statusBar().currentMessage()


def test_refuses_to_overwrite_the_board_file(window, monkeypatch, board_copy):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _w, _t, text: warned.append(text)))
    assert window.pdf.start(str(board_copy)) is None
    assert warned
    assert "overwrite the board file" in warned[0]
    assert load_path(board_copy) == window.board.document()


def test_opening_a_handout_opens_its_board_untitled_and_unsaved(make_window, board_copy, tmp_path):
    from app.export import export_pdf

    handout = tmp_path / "handout.pdf"
    export_pdf(load_path(board_copy), str(handout))
    before = handout.read_bytes()
    window = make_window(handout)
    assert window.board.document() == load_path(board_copy)
    assert window.path is None
    assert window.files.is_modified()
    assert handout.read_bytes() == before
