"""A main window with the StreamFlow board, driven like a user."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
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
def make_window(qtbot, recovery, monkeypatch):
    """Build main windows; any unexpected question is answered Discard, so closing never blocks."""
    from app.ui.main_window import MainWindow

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    windows = []

    def make(path=None, store=None):
        window = MainWindow(recovery=store or recovery)
        qtbot.addWidget(window)
        window.resize(1400, 900)
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
def board_copy(example_path, tmp_path):
    """A private copy of the example: tests save, and must never touch the shipped file."""
    import shutil

    copy = tmp_path / "streamflow-ai.cboard"
    shutil.copyfile(example_path, copy)
    return copy


@pytest.fixture
def window(make_window, board_copy):
    return make_window(board_copy)


@pytest.fixture
def empty_window(make_window):
    return make_window()


def at(view, x: float, y: float) -> QPoint:
    """The viewport point showing the scene point (x, y)."""
    return view.mapFromScene(QPointF(x, y))


def drag(qtbot, view, start: QPoint, end: QPoint, steps: int = 6) -> None:
    """Press, move in steps with the button held, release: a real mouse drag."""
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, steps + 1):
        p = QPointF(start + (end - start) * (i / steps))
        event = QMouseEvent(QMouseEvent.Type.MouseMove, p, viewport.mapToGlobal(p), Qt.MouseButton.NoButton,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def hover(view, pos: QPoint) -> None:
    """Move the mouse over the canvas with no button held."""
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    viewport = view.viewport()
    p = QPointF(pos)
    QApplication.sendEvent(viewport, QMouseEvent(QMouseEvent.Type.MouseMove, p, viewport.mapToGlobal(p),
                                                 Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                                                 Qt.KeyboardModifier.NoModifier))


def drawn_ids(board) -> set[str]:
    from app.ui.canvas.scene import DRAWN

    return {e.id for c in DRAWN for e in board.items(c)}
