"""A real main window on the StreamFlow example, for the recording-mode tests."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app.ui.files import RecoveryStore


class FakeClock:
    """Seconds that only move when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, example_path, clock):
    from app.ui.files import settings
    from app.ui.main_window import MainWindow

    settings().clear()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    window = MainWindow(recovery=RecoveryStore(tmp_path / "recovery"))
    window.recording.session.clock = clock
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    assert window.files.open_path(str(example_path))
    yield window
    window.recording.walk.set_active(False)
    window.recording.notes.close()
    window.undo_stack.setClean()
    window.close()
    settings().clear()
