"""Files: save, open, broken files, unsaved changes, revert, recent files,
autosave and recovery."""

from __future__ import annotations

import os
import time

import pytest
from PySide6.QtWidgets import QMessageBox

from app.ui.files import RecoveryStore
from models.fileformat import load_path, save_path

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_title_shows_file_and_unsaved_state(window, tmp_path):
    assert window.windowTitle().startswith("streamflow-ai.cboard[*]")
    assert not window.isWindowModified()
    window.editor.update("nodes", "cache", label="Redis")
    assert window.isWindowModified()
    target = tmp_path / "mine.cboard"
    assert window.files.save_to(str(target))
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("mine.cboard[*]")
    assert load_path(target).nodes == window.board.document().nodes
    window.undo_stack.undo()
    assert window.isWindowModified()
    window.undo_stack.redo()
    assert not window.isWindowModified()
    assert str(target.resolve()) == window.files.recent.paths()[0]


def test_broken_file_shows_the_loader_message_and_changes_nothing(window, tmp_path, monkeypatch):
    broken = tmp_path / "broken.cboard"
    broken.write_text('{"format_version": 1, "nodes": [{"id": "a", "label": "A", "x": "left"}]}')
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _parent, title, text: shown.append(text)))
    before, path = window.board.document(), window.path
    assert not window.files.open_path(str(broken))
    assert "nodes[0].x" in shown[0]
    assert window.board.document() == before
    assert window.path == path
    assert broken.read_text().startswith('{"format_version"')


def test_closing_with_unsaved_changes_asks(window, monkeypatch, tmp_path):
    window.editor.update("nodes", "cache", label="Redis")
    asked = []

    def cancel(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", staticmethod(cancel))
    assert not window.close()
    assert window.isVisible()
    assert "Save the changes to streamflow-ai.cboard" in asked[0]
    window.files.path = str(tmp_path / "copy.cboard")
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Save))
    assert window.close()
    assert load_path(tmp_path / "copy.cboard").nodes[6].label == "Redis"


def test_new_and_revert(window, example_path, monkeypatch, tmp_path):
    copy = tmp_path / "copy.cboard"
    save_path(load_path(example_path), copy)
    assert window.files.open_path(str(copy))
    board = window.board
    window.editor.delete(["engine"])
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    window.files.revert()
    assert board.find("engine") is not None
    assert window.board is board
    assert window.undo_stack.count() == 0
    assert not window.isWindowModified()
    window.files.new_board()
    assert window.board is board
    assert board.nodes == ()
    assert window.path is None
    assert window.scene.entity_items() == {}


def test_autosave_writes_a_recovery_copy_only_when_modified(window, recovery):
    assert window.files.autosave() is None
    window.editor.update("nodes", "cache", label="Redis")
    written = window.files.autosave()
    assert written is not None
    assert written.parent == recovery.directory
    assert load_path(written).nodes[6].label == "Redis"
    window.files.save_to(window.path)
    assert not written.exists()


def test_focus_loss_autosaves(window, recovery):
    from PySide6.QtCore import Qt

    window.editor.update("nodes", "cache", label="Redis")
    window._application_state_changed(Qt.ApplicationState.ApplicationInactive)
    assert recovery.path_for(window.path).exists()


def test_recovery_newer_than_the_saved_file_is_offered_at_start(make_window, tmp_path, example_path, monkeypatch):
    saved = tmp_path / "work.cboard"
    save_path(load_path(example_path), saved)
    store = RecoveryStore(tmp_path / "recovery")
    crashed = make_window(saved, store)
    crashed.editor.update("nodes", "cache", label="Recovered cache")
    recovery_file = crashed.files.autosave()
    assert recovery_file is not None
    old = time.time() - 3600
    os.utime(saved, (old, old))  # the saved file is older than the recovery copy
    crashed._teardown()  # a crash: no clean close, the recovery copy stays

    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes))
    fresh = make_window(None, RecoveryStore(tmp_path / "recovery"))
    assert fresh.files.offer_recovery()
    assert str(saved.resolve()) in asked[0]
    assert fresh.board.node("cache").label == "Recovered cache"
    assert fresh.path == str(saved.resolve())
    assert fresh.isWindowModified()
    assert load_path(saved).nodes[6].label == "Cache"  # the file itself is untouched until saved


def test_recovery_older_than_the_saved_file_is_dropped(make_window, tmp_path, example_path, monkeypatch):
    saved = tmp_path / "work.cboard"
    save_path(load_path(example_path), saved)
    store = RecoveryStore(tmp_path / "recovery")
    written = store.write(load_path(example_path), str(saved))
    old = time.time() - 3600
    os.utime(written, (old, old))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: pytest.fail("nothing to offer")))
    fresh = make_window(None, RecoveryStore(tmp_path / "recovery"))
    assert not fresh.files.offer_recovery()
    assert not written.exists()


def test_recovery_of_an_unsaved_board(make_window, tmp_path, monkeypatch):
    store = RecoveryStore(tmp_path / "recovery")
    first = make_window(None, store)
    first.editor.add_node("cache", "Scratch cache", 0, 0)
    assert first.files.autosave() is not None
    first._teardown()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    second = make_window(None, RecoveryStore(tmp_path / "recovery"))
    assert second.files.offer_recovery()
    assert [n.label for n in second.board.nodes] == ["Scratch cache"]
    assert second.path is None
