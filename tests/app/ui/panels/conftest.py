"""Panels are tested standalone: a real board, editor and selection, no main window."""

from __future__ import annotations

import pytest

from app.ui.editor import BoardEditor
from app.ui.panels.context import PanelContext
from app.ui.selection import SelectionModel
from models.board import Board
from models.fileformat import load_path


@pytest.fixture
def context(example_path):
    board = Board(load_path(example_path))
    return PanelContext(board, BoardEditor(board), SelectionModel())


@pytest.fixture
def make(qtbot, context):
    """Build a panel on the StreamFlow board and show it."""

    def build(panel_class, **kwargs):
        panel = panel_class(context, **kwargs)
        qtbot.addWidget(panel)
        panel.resize(900, 700)
        panel.show()
        qtbot.waitExposed(panel)
        return panel

    return build
