"""The section panels built on the shared entity table: widget → board,
undo, board → widget, and the selection both ways."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.panels.bottlenecks import BottlenecksPanel
from app.ui.panels.cascades import CascadesPanel
from app.ui.panels.failure_modes import FailureModesPanel
from app.ui.panels.loops import LoopsPanel
from app.ui.panels.queues import QueuesPanel
from app.ui.panels.stages import StagesPanel
from app.ui.panels.stakeholders import StakeholdersPanel
from app.ui.panels.topology import TopologyPanel
from tests.app.ui.panels.helpers import (
    OFFSCREEN_NOISE,
    cell_text,
    check_undo_redo,
    click_row,
    edit,
    highlighted,
    toggle_check,
)

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def test_stakeholders_edit_undo_and_follow_the_board(qtbot, make, context):
    panel = make(StakeholdersPanel)
    board, editor = context.board, context.editor
    assert panel.model.rowCount() == 4
    before = board.document()
    edit(qtbot, panel, "sh-product", "Wants", "Engagement that lasts")
    check_undo_redo(editor, before,
                    lambda: board.get("stakeholders", "sh-product").wants == "Engagement that lasts")
    editor.update("stakeholders", "sh-users", name="Viewers")
    assert cell_text(panel, "sh-users", "Stakeholder") == "Viewers"


def test_stakeholder_success_criteria_form(qtbot, make, context):
    panel = make(StakeholdersPanel)
    panel.select_entity("sh-infra")
    targets = panel.form.widgets["Measurable targets"]
    targets.setFocus()
    qtbot.keyClick(targets, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(targets, Qt.Key.Key_Return)
    qtbot.keyClicks(targets, "p99_ms < 500")
    assert [(t.metric, t.max) for t in context.board.get("stakeholders", "sh-infra").targets] == [
        ("error_rate", 0.001), ("p99_ms", 500.0)]
    qtbot.keyClick(targets, Qt.Key.Key_Return)
    qtbot.keyClicks(targets, "nonsense")
    assert "metric < value" in panel.status.text()
    assert len(context.board.get("stakeholders", "sh-infra").targets) == 2


def test_bottleneck_health_hints_and_selection(qtbot, make, context):
    panel = make(BottlenecksPanel)
    board, editor = context.board, context.editor
    assert "users" not in panel.model.ids
    assert "over limit" in cell_text(panel, "llm", "Utilisation")
    assert float(cell_text(panel, "engine", "Betweenness")) > 0
    assert cell_text(panel, "vectordb", "Fan-in") == "2"
    before = board.document()
    edit(qtbot, panel, "auth", "Health", choice="yellow")
    check_undo_redo(editor, before, lambda: board.node("auth").health == "yellow")
    # canvas → panel
    context.selection.select(["vectordb", "cache"])
    assert sorted(highlighted(panel)) == ["cache", "vectordb"]
    before = board.document()
    qtbot.mouseClick(panel.mark_buttons["red"], Qt.MouseButton.LeftButton)
    assert board.node("cache").health == board.node("vectordb").health == "red"
    assert editor.stack.undoText() == "Mark 2 components red"
    editor.stack.undo()
    assert board.document() == before
    # panel → canvas
    click_row(qtbot, panel, "profile")
    assert context.selection.ids == ["profile"]
    # the hints follow the board
    editor.update("nodes", "llm", sim=board.node("llm").sim.model_copy(update={"rate_limit": None}).model_dump())
    assert "over limit" not in cell_text(panel, "llm", "Utilisation")


def test_failure_mode_matrix(qtbot, make, context):
    panel = make(FailureModesPanel)
    board, editor = context.board, context.editor
    assert panel.model.rowCount() == len(board.items("failure_modes"))
    assert cell_text(panel, "fm-llm-timeout", "Component") == "LLM Service"
    before = board.document()
    edit(qtbot, panel, "fm-llm-timeout", "Effect", "Times out after 30 s")
    check_undo_redo(editor, before, lambda: board.get("failure_modes", "fm-llm-timeout").effect
                    == "Times out after 30 s")
    edit(qtbot, panel, "fm-llm-timeout", "Sev.", choice="2")
    assert board.get("failure_modes", "fm-llm-timeout").severity == 2
    edit(qtbot, panel, "fm-llm-timeout", "Component", choice="engine")
    assert board.get("failure_modes", "fm-llm-timeout").node == "engine"
    # board → widget, including a removal
    editor.update("failure_modes", "fm-llm-timeout", likelihood=1)
    assert cell_text(panel, "fm-llm-timeout", "Lik.") == "1"
    editor.delete(["fm-llm-timeout"])
    assert panel.model.row_of("fm-llm-timeout") == -1
    editor.stack.undo()
    assert cell_text(panel, "fm-llm-timeout", "Component") == "Recommendation Engine"
    # a node selected on the canvas highlights its failure modes
    context.selection.select(["cache"])
    assert sorted(highlighted(panel)) == sorted(f.id for f in board.items("failure_modes") if f.node == "cache")
    # add one for the selected node
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    added = board.items("failure_modes")[-1]
    assert (added.node, added.name) == ("cache", "New failure mode")
    assert context.selection.ids == [added.id, "cache"]


def test_stages_serial_parallel_and_nodes(qtbot, make, context):
    panel = make(StagesPanel)
    board, editor = context.board, context.editor
    before = board.document()
    edit(qtbot, panel, "stage-discovery", "Mode", choice="parallel")
    check_undo_redo(editor, before, lambda: board.get("stages", "stage-discovery").mode == "parallel")
    toggle_check(qtbot, panel, "stage-auth", "Parallelisable")
    assert board.get("stages", "stage-auth").parallelisable is True
    panel.select_entity("stage-enrichment")
    context.selection.select(["llm", "cache"])
    qtbot.mouseClick(panel.nodes_button, Qt.MouseButton.LeftButton)
    assert board.get("stages", "stage-enrichment").nodes == ("llm", "cache")
    assert cell_text(panel, "stage-enrichment", "Nodes") == "LLM Service, Cache"
    # board → widget
    editor.update("stages", "stage-caching", name="Store and return")
    assert cell_text(panel, "stage-caching", "Stage") == "Store and return"
    editor.create("stages", "stage", name="Post-processing")
    assert panel.model.rowCount() == 7


def test_queues_current_and_missing(qtbot, make, context):
    panel = make(QueuesPanel)
    board, editor = context.board, context.editor
    assert cell_text(panel, "q-gateway-engine", "Status") == "missing"
    assert cell_text(panel, "q-gateway-engine", "Where") == "API Gateway → Recommendation Engine"
    before = board.document()
    edit(qtbot, panel, "q-engine", "Depth limit", "250")
    check_undo_redo(editor, before, lambda: board.get("queues", "q-engine").depth_limit == 250)
    edit(qtbot, panel, "q-engine", "Depth limit", "lots")
    assert "not a whole number" in panel.status.text()
    assert board.get("queues", "q-engine").depth_limit == 250
    edit(qtbot, panel, "q-engine", "Depth limit", "")
    assert board.get("queues", "q-engine").depth_limit is None
    assert panel.status.text() == ""
    edit(qtbot, panel, "q-engine-llm", "Status", choice="current")
    assert board.get("queues", "q-engine-llm").exists is True
    # board → widget
    editor.update("queues", "q-notification", depth_limit=5000)
    assert cell_text(panel, "q-notification", "Depth limit") == "5000"
    editor.update("nodes", "notification", label="Notifier")
    assert cell_text(panel, "q-notification", "Where") == "in Notifier"
    # a missing queue on a selected call
    context.selection.select(["e-engine-analytics"])
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    added = board.items("queues")[-1]
    assert (added.edge, added.exists) == ("e-engine-analytics", False)
    context.selection.clear()
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert "select the node or the call" in panel.status.text()


def test_loops_classify_and_adopt_a_suggested_cycle(qtbot, make, context):
    panel = make(LoopsPanel)
    board, editor = context.board, context.editor
    before = board.document()
    edit(qtbot, panel, "loop-scaling", "R/B", choice="reinforcing")
    check_undo_redo(editor, before, lambda: board.get("loops", "loop-scaling").kind == "reinforcing")
    edit(qtbot, panel, "loop-scaling", "Growth", choice="exponential")
    toggle_check(qtbot, panel, "loop-scaling", "Implemented")
    loop = board.get("loops", "loop-scaling")
    assert (loop.growth, loop.implemented) == ("exponential", True)
    # a new cycle in the graph is offered as a suggestion
    assert not panel.adopt_button.isEnabled()
    editor.connect("vectordb", "pipeline")
    qtbot.waitUntil(lambda: panel.adopt_button.isEnabled())
    assert panel.suggestions.count() == 1
    assert "Vector DB" in panel.suggestions.item(0).text()
    qtbot.mouseClick(panel.adopt_button, Qt.MouseButton.LeftButton)
    adopted = board.items("loops")[-1]
    assert set(adopted.nodes) == {"vectordb", "pipeline"}
    assert len(adopted.edges) == 2
    qtbot.waitUntil(lambda: not panel.adopt_button.isEnabled())
    # selecting the row selects the loop's nodes and edges
    click_row(qtbot, panel, "loop-llm-rate-limit")
    assert context.selection.ids == ["loop-llm-rate-limit", "engine", "llm", "e-engine-llm"]


def test_cascades_effects_and_path(qtbot, make, context):
    panel = make(CascadesPanel)
    board, editor = context.board, context.editor
    assert cell_text(panel, "cascade-llm-rate-limit", "Path") == "LLM Service → Recommendation Engine → " \
                                                              "API Gateway → Users"
    before = board.document()
    edit(qtbot, panel, "cascade-retry-storm", "Trigger", "Any timeout")
    check_undo_redo(editor, before, lambda: board.get("cascades", "cascade-retry-storm").trigger == "Any timeout")
    panel.select_entity("cascade-retry-storm")
    effects = panel.form.widgets["Effects"]
    effects.setFocus()
    qtbot.keyClick(effects, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    count = editor.stack.count()
    qtbot.keyClick(effects, Qt.Key.Key_Return)
    qtbot.keyClicks(effects, "third: Pager fatigue")
    cascade = board.get("cascades", "cascade-retry-storm")
    assert (cascade.effects[-1].order, cascade.effects[-1].text) == ("third", "Pager fatigue")
    assert editor.stack.count() == count + 1  # typing merged into one step
    context.selection.select(["gateway", "engine", "llm"])
    qtbot.mouseClick(panel.path_button, Qt.MouseButton.LeftButton)
    assert board.get("cascades", "cascade-retry-storm").path == ("gateway", "engine", "llm")
    # canvas → panel: a node on a cascade path highlights the cascades through it
    context.selection.select(["vectordb"])
    assert highlighted(panel) == ["cascade-cache-invalidation"]


def test_topology_critical_path_and_marks(qtbot, make, context):
    panel = make(TopologyPanel)
    board, editor = context.board, context.editor
    assert "Critical path" in panel.critical_label.text()
    assert "API Gateway" in panel.critical_label.text()
    before = board.document()
    toggle_check(qtbot, panel, "e-engine-analytics", "Critical")
    check_undo_redo(editor, before, lambda: "critical" in board.edge("e-engine-analytics").marks)
    toggle_check(qtbot, panel, "e-gateway-engine", "Missing queue")
    assert board.edge("e-gateway-engine").marks == ("critical",)
    qtbot.mouseClick(panel.select_path_button, Qt.MouseButton.LeftButton)
    assert panel.path_nodes[0] in context.selection.ids
    assert any(i.startswith("e-") for i in context.selection.ids)
    editor.update("nodes", "llm", label="OpenAI")
    qtbot.waitUntil(lambda: "OpenAI" in panel.critical_label.text())
    assert cell_text(panel, "e-engine-llm", "To") == "OpenAI"


def test_a_hidden_panel_catches_up_when_shown(qtbot, make, context):
    panel = make(TopologyPanel)
    panel.hide()
    context.editor.update("nodes", "engine", label="Ranker")
    qtbot.wait(10)
    assert "Ranker" not in panel.critical_label.text()
    panel.show()
    qtbot.waitUntil(lambda: "Ranker" in panel.critical_label.text())


def test_a_panel_that_lists_no_columns_shows_each_entity_by_name(qtbot, make, context):
    from app.ui.panels.base import EntityTablePanel

    class ScenarioList(EntityTablePanel):
        collection = "scenarios"
        title = "Scenarios"
        prefix = "scenario"

    panel = make(ScenarioList)
    assert cell_text(panel, "peak", "Name") == "Peak (8-11 PM)"
    context.editor.update("scenarios", "peak", name="Evening peak")
    assert cell_text(panel, "peak", "Name") == "Evening peak"
