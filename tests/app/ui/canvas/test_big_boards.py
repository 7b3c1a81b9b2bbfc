"""The window opens big boards: column fitting reads a bounded number of rows, and the
bottleneck hints of a big board are computed off the GUI thread (issue 16)."""

from __future__ import annotations

import json

import pytest

from app.ui.panels.bottlenecks import SYNC_ITEMS, BottlenecksPanel
from app.ui.panels.table import EntityTableModel, FittedTable
from models.synthetic import board_data

pytestmark = pytest.mark.gui


def test_a_big_chain_opens_with_bounded_fitting_and_hints_off_the_gui_thread(
        qtbot, empty_window, tmp_path, monkeypatch):
    path = tmp_path / "chain.cboard"
    path.write_text(json.dumps(board_data("chain", 450)))
    rows_read: dict[int, set[int]] = {}
    data = EntityTableModel.data

    def counting(model, index, role=0):
        rows_read.setdefault(id(model), set()).add(index.row())
        return data(model, index, role)

    monkeypatch.setattr(EntityTableModel, "data", counting)
    window = empty_window
    assert window.files.open_path(str(path), ask=False)
    assert len(window.board.nodes) == 451
    assert window.scene.item_for("n449") is not None
    tables = window.findChildren(FittedTable)
    assert tables
    for table in tables:
        assert table.horizontalHeader().resizeContentsPrecision() == FittedTable.FIT_ROWS
    assert max(len(rows) for rows in rows_read.values()) <= FittedTable.FIT_ROWS + 100  # + the rows in view
    assert len(window.board.nodes) + len(window.board.edges) > SYNC_ITEMS
    panel = next(p for p in window.findChildren(BottlenecksPanel))
    node = window.board.node("n200")
    panel.board_changed()
    assert panel.hint_value(node, "fan_in") == ""  # not computed on the GUI thread ...
    qtbot.waitUntil(lambda: panel.hint_value(node, "fan_in") == "1", timeout=30_000)  # ... but in a job
    assert panel.load_text(node).endswith("%")
