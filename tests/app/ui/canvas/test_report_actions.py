"""File → Export Report… and File → Export Everything…, through the window's real actions."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.ui.export_all import MANIFEST

pytestmark = pytest.mark.gui


def test_export_report_writes_the_board_as_it_is(window, tmp_path, monkeypatch):
    out = tmp_path / "case"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "HTML report, one file (*.html)")))
    window.editor.update("nodes", "cache", label="Edited before the report")
    action = window.action_set["export_report"]
    assert action in window.menu("file").actions()
    action.trigger()
    html = out.with_suffix(".html")
    assert "Edited before the report" in html.read_text(encoding="utf-8")
    assert "Exported" in window.statusBar().currentMessage()


def test_export_everything_asks_before_writing_into_a_full_folder(window, tmp_path, monkeypatch):
    full = tmp_path / "full"
    full.mkdir()
    (full / "mine.txt").write_text("keep", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(full)))
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No))
    action = window.action_set["export_all"]
    assert action in window.menu("file").actions()
    action.trigger()
    assert asked
    assert "not empty" in asked[0]
    assert sorted(p.name for p in full.iterdir()) == ["mine.txt"]


def test_export_everything_can_be_cancelled(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QProgressDialog

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(tmp_path / "out")))
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: self.value() > 20)
    window.action_set["export_all"].trigger()
    assert "cancelled" in window.statusBar().currentMessage()
    assert not (tmp_path / "out" / MANIFEST).exists()
