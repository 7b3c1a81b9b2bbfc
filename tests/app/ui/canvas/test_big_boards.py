"""Big boards in the panels: column fitting reads a bounded number of rows, and the
bottleneck hints of a big board are computed off the GUI thread (issue 16). Opening
a 1,000-node chain in the window is replayed by tests/test_fuzz.py."""

from __future__ import annotations

import pytest

from app.ui.editor import BoardEditor
from app.ui.panels.bottlenecks import SYNC_ITEMS, BottlenecksPanel
from app.ui.panels.context import PanelContext
from app.ui.panels.table import EntityTableModel, FittedTable
from app.ui.selection import SelectionModel
from models.board import Board
from models.fileformat import document_from_data
from models.synthetic import board_data

pytestmark = pytest.mark.gui


def test_a_big_board_fits_columns_on_a_few_rows_and_analyses_off_the_gui_thread(qtbot, monkeypatch):
    board = Board(document_from_data(board_data("chain", 450)))
    assert len(board.nodes) + len(board.edges) > SYNC_ITEMS
    rows_read: set[int] = set()
    data = EntityTableModel.data

    def counting(model, index, role=0):
        rows_read.add(index.row())
        return data(model, index, role)

    monkeypatch.setattr(EntityTableModel, "data", counting)  # before the model exists: Qt caches overrides
    panel = BottlenecksPanel(PanelContext(board, BoardEditor(board), SelectionModel()))
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    node = board.node("n200")
    assert panel.hint_value(node, "fan_in") == ""  # not computed on the GUI thread ...
    qtbot.waitUntil(lambda: panel.hint_value(node, "fan_in") == "1", timeout=30_000)  # ... but in a job
    assert panel.load_text(node).endswith("%")
    rows_read.clear()
    panel.table.fit()
    assert panel.table.horizontalHeader().resizeContentsPrecision() == FittedTable.FIT_ROWS
    assert 0 < len(rows_read) <= FittedTable.FIT_ROWS + 60  # and the rows in view, of 450
    board.update("nodes", "n200", label="Renamed")  # a change drops the hints and asks again
    assert panel.hint_value(node, "fan_in") == ""
    qtbot.waitUntil(lambda: panel.hint_value(node, "fan_in") == "1", timeout=30_000)
