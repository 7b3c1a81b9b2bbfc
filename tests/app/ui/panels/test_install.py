"""install_panels on a window: docks, shortcuts, and a board replaced by opening a file."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QMainWindow

from app.ui.editor import BoardEditor
from app.ui.jobs import JobRunner
from app.ui.panels import SECTION_PANELS, install_panels
from app.ui.runs.service import RunService
from app.ui.selection import SelectionModel
from models.board import Board
from models.fileformat import load_path
from tests.app.ui.panels.helpers import OFFSCREEN_NOISE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


class FakeWindow(QMainWindow):
    """The part of the ``WindowHost`` the panels use."""

    def __init__(self, board):
        super().__init__()
        self.board = board
        self.editor = BoardEditor(board)
        self.undo_stack = self.editor.stack
        self.selection = SelectionModel()
        self.jobs = JobRunner(self)
        self.runs = SimpleNamespace(service=RunService(board, parent=self))
        self.added = []

    def widget(self):
        return self

    def add_dock(self, dock, area, menu_text, shortcut=None):
        self.addDockWidget(area, dock)
        self.added.append((menu_text, shortcut))


@pytest.fixture
def window(qtbot, example_path):
    window = FakeWindow(Board(load_path(example_path)))
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    return window


def test_every_section_gets_a_dock_with_a_shortcut(window):
    panels = install_panels(window)
    assert set(panels.docks) == {"steps", *(section for section, *_ in SECTION_PANELS)}
    shortcuts = [s for _, s in window.added]
    assert len(set(shortcuts)) == len(shortcuts) == 13
    assert panels.navigator.position.text() == "Step 1 of 10"


def test_going_to_a_step_raises_its_panel(qtbot, window):
    panels = install_panels(window)
    panels.navigator.go_to_row(6)  # RE06
    qtbot.waitUntil(lambda: not panels.docks["loops"].visibleRegion().isEmpty())


def test_opening_another_board_rebuilds_every_panel(qtbot, window, example_path):
    panels = install_panels(window)
    document = load_path(example_path)
    smaller = document.model_copy(update={
        "stakeholders": document.stakeholders[:1], "interventions": document.interventions[:2],
        "steps": document.steps[:3], "failure_modes": document.failure_modes[:4],
    })
    window.board.replace_document(smaller)
    assert panels.widgets["stakeholders"].model.rowCount() == 1
    assert panels.widgets["interventions"].model.rowCount() == 2
    assert panels.widgets["failure_modes"].model.rowCount() == 4
    assert panels.navigator.position.text() == "Step 1 of 3"
    assert panels.widgets["reflection"].used.text().startswith("Models used (3)")


def test_catalog_files_in_the_users_folder_are_merged(window):
    from app.ui.panels.context import PanelContext, user_catalog_folder

    folder = user_catalog_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mine.json"
    path.write_text('{"models": [{"code": "XY02", "name": "Mine", "question": "Why?"}]}', encoding="utf-8")
    try:
        context = PanelContext.from_host(window)
        assert context.catalog.get("XY02").name == "Mine"
        assert context.catalog_files == [path]
    finally:
        path.unlink()
