"""The flows panel: a path picked on the canvas, per-hop latency, the total."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.panels.flows import FlowsPanel
from models.analysis import flow_total_ms
from tests.app.ui.panels.helpers import OFFSCREEN_NOISE, cell_text, check_undo_redo, edit_cell, highlighted

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def test_hop_latency_edits_change_the_total(qtbot, make, context):
    panel = make(FlowsPanel)
    board, editor = context.board, context.editor
    assert cell_text(panel, "flow-happy", "Total (ms)") == "75"
    assert cell_text(panel, "flow-cache-miss", "Total (ms)") == "835"
    panel.select_entity("flow-cache-miss")
    assert panel.hops_model.rowCount() == 10
    assert "total 835 ms" in panel.total_label.text()
    before = board.document()
    llm_row = [h.node for h in board.get("flows", "flow-cache-miss").hops].index("llm")
    edit_cell(qtbot, panel.hops, panel.hops_model.index(llm_row, 1), "200")
    flow = board.get("flows", "flow-cache-miss")
    check_undo_redo(editor, before, lambda: flow.hops[llm_row].latency_ms == 200.0)
    assert flow_total_ms(flow) == 635.0
    assert cell_text(panel, "flow-cache-miss", "Total (ms)") == "635"
    assert "total 635 ms" in panel.total_label.text()
    edit_cell(qtbot, panel.hops, panel.hops_model.index(llm_row, 1), "fast")
    assert "not a number" in panel.status.text()
    # board → widget: a parallel group makes two hops cost their slowest
    hops = [h.model_dump() for h in board.get("flows", "flow-cache-miss").hops]
    hops[5]["parallel_group"] = hops[6]["parallel_group"] = "lookup"
    editor.update("flows", "flow-cache-miss", hops=hops)
    assert panel.hops_model.index(5, 3).data() == "lookup"
    assert cell_text(panel, "flow-cache-miss", "Total (ms)") == "435"


def test_flow_from_selection_and_selection_both_ways(qtbot, make, context):
    panel = make(FlowsPanel)
    board, editor = context.board, context.editor
    before = board.document()
    context.selection.select(["gateway", "engine", "llm"])
    qtbot.mouseClick(panel.from_selection_button, Qt.MouseButton.LeftButton)
    flow = board.items("flows")[-1]
    assert [(h.node, h.edge) for h in flow.hops] == [
        ("gateway", None), ("engine", "e-gateway-engine"), ("llm", "e-engine-llm")]
    assert flow.name == "API Gateway → LLM Service"
    assert panel.current_entity().id == flow.id
    check_undo_redo(editor, before, lambda: True)
    # a row selects its nodes and edges
    panel.select_entity("flow-happy")
    assert context.selection.ids[:3] == ["flow-happy", "gateway", "auth"]
    # a hop selects its node and call, the flow stays current
    panel.hops.selectRow(1)
    assert context.selection.ids == ["flow-happy", "auth", "e-gateway-auth"]
    assert panel.current_entity().id == "flow-happy"
    # canvas → panel
    context.selection.select(["vectordb"])
    assert highlighted(panel) == ["flow-cache-miss"]
    context.selection.clear()
    qtbot.mouseClick(panel.from_selection_button, Qt.MouseButton.LeftButton)
    assert "select the flow's nodes" in panel.status.text()
