"""No lost work: autosave soon after editing, recovery offered whenever it differs, temp files cleaned."""

from __future__ import annotations

import os
import time

from PySide6.QtWidgets import QMessageBox

from app.ui.autosave import CEILING_MS, IDLE_MS
from app.ui.files import RecoveryStore
from models.fileformat import load_path, save_path


def test_an_edit_is_autosaved_a_few_seconds_after_editing_stops(qtbot, window, recovery):
    assert IDLE_MS <= 5_000
    assert CEILING_MS <= 10_000
    window.idle_autosave.idle.setInterval(50)
    target = recovery.path_for(window.path)
    window.editor.update("nodes", "cache", label="Redis")
    assert not target.exists()
    qtbot.waitUntil(target.exists, timeout=3_000)
    assert load_path(target).nodes[6].label == "Redis"
    assert not window.idle_autosave.due


def test_editing_that_goes_on_is_still_saved_by_the_ceiling(qtbot, window, recovery):
    window.idle_autosave.idle.setInterval(60_000)
    window.idle_autosave.ceiling.setInterval(50)
    target = recovery.path_for(window.path)
    window.editor.update("nodes", "cache", label="Redis")
    qtbot.waitUntil(target.exists, timeout=3_000)


def test_a_recovery_copy_older_than_its_touched_file_is_still_offered(make_window, tmp_path, example_path,
                                                                      monkeypatch):
    saved = tmp_path / "work.cboard"
    save_path(load_path(example_path), saved)
    crashed = make_window(saved, RecoveryStore(tmp_path / "recovery"))
    crashed.editor.update("nodes", "cache", label="Recovered cache")
    copy = crashed.files.autosave()
    assert copy is not None
    crashed._teardown()
    old = time.time() - 3600
    os.utime(copy, (old, old))
    saved.touch()  # the file was touched after the crash: newer than the copy, same content as before

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    store = RecoveryStore(tmp_path / "recovery")
    assert [c.recovery_path for c in store.candidates()] == [copy]
    fresh = make_window(None, store)
    assert not fresh.files.offer_recovery()  # "No": kept for later, never deleted unasked
    assert copy.exists()
    assert [c.recovery_path for c in RecoveryStore(tmp_path / "recovery").candidates()] == [copy]


def test_temp_files_of_interrupted_saves_are_cleaned_at_start(make_window, tmp_path, example_path, monkeypatch):
    saved = tmp_path / "work.cboard"
    save_path(load_path(example_path), saved)
    store = RecoveryStore(tmp_path / "recovery")
    crashed = make_window(saved, store)
    crashed.editor.update("nodes", "cache", label="Changed")
    assert crashed.files.autosave() is not None
    crashed._teardown()
    orphans = [tmp_path / ".work.cboard.x1y2z3.tmp", store.directory / f".{store.path_for(str(saved)).name}.q.tmp"]
    old = time.time() - 3600
    for orphan in orphans:
        orphan.write_bytes(b"half")
        os.utime(orphan, (old, old))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    make_window(None, RecoveryStore(tmp_path / "recovery")).files.offer_recovery()
    assert not any(orphan.exists() for orphan in orphans)
