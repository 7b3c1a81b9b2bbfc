"""The one main-window factory of the GUI tests, and the one way settings are isolated."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QMessageBox

from app.ui.files import RecoveryStore


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path, monkeypatch):
    """Every test has its own settings file: no saved layout, no recent files,
    and nothing shared with other test runs going on at the same time."""
    from app.ui import files

    monkeypatch.setattr(files, "SETTINGS_FILE", str(tmp_path / "settings.ini"))


@pytest.fixture
def recovery(tmp_path):
    return RecoveryStore(tmp_path / "recovery")


@pytest.fixture
def board_copy(example_path, tmp_path):
    """A private copy of the example: tests save, and must never touch the shipped file."""
    copy = tmp_path / "streamflow-ai.cboard"
    shutil.copyfile(example_path, copy)
    return copy


@pytest.fixture
def make_window(qtbot, recovery, monkeypatch):
    """Build shown main windows, optionally on a file, at zoom 1; any unexpected question is
    answered Discard, so closing never blocks. Windows are closed clean at the end."""
    from app.ui.main_window import MainWindow

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    windows = []

    def make(path=None, store=None, size=(1400, 900)):
        window = MainWindow(recovery=store or recovery)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.view.width() > 600)
        if path is not None:
            assert window.files.open_path(str(path))
        qtbot.wait(5)  # let the pending zoom-to-fit run before fixing the zoom
        window.view.set_zoom(1.0, QPointF(600, 300))
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.undo_stack.setClean()
        window.close()


@pytest.fixture
def window(make_window, board_copy):
    """A main window on a private copy of the StreamFlow example."""
    return make_window(board_copy)
