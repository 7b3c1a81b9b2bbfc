"""Painting many frames needs ``None`` kept alive under PySide6 6.12 on CPython 3.11."""

from __future__ import annotations

from app.sim.none_guard import protect_none

protect_none()

import pytest  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from app.ui.files import RecoveryStore  # noqa: E402


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, example_path):
    """The main window with StreamFlow open and the simulation installed."""
    from app.sim import install_simulation
    from app.ui.files import settings
    from app.ui.main_window import MainWindow

    settings().clear()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    window = MainWindow(recovery=RecoveryStore(tmp_path / "recovery"))
    qtbot.addWidget(window)
    if getattr(window, "simulation", None) is None:
        install_simulation(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_path(str(example_path))
    yield window
    window.simulation.controller.shutdown()
    window.undo_stack.setClean()
    window.close()
    settings().clear()
