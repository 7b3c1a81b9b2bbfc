"""Fixtures for the simulation's GUI tests."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QMessageBox

from app.ui.files import RecoveryStore


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, example_path):
    """The main window with StreamFlow open and the simulation installed."""
    from app.ui.files import settings
    from app.ui.main_window import MainWindow

    settings().clear()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    window = MainWindow(recovery=RecoveryStore(tmp_path / "recovery"))
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    board_file = tmp_path / "streamflow.cboard"
    shutil.copyfile(example_path, board_file)
    original = board_file.read_bytes()
    assert window.files.open_path(str(board_file))
    yield window
    window.simulation.controller.shutdown()
    window.undo_stack.setClean()
    window.close()
    settings().clear()
    assert board_file.read_bytes() == original, "a run must never write the board file"
