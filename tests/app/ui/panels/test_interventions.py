"""The intervention list: editing, re-ranking, the 2 × 2 matrix and "Measure"."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

from app.ui.panels.interventions import InterventionsPanel
from models.interventions import apply_interventions
from models.runs.seeds import DEFAULT_SEED
from tests.app.ui.panels.helpers import OFFSCREEN_NOISE, cell_text, check_undo_redo, click_row, edit

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def fake_engine(document, scenario_id, interventions, seed):
    """A stand-in for the simulation: the LLM timeout halves p99 and errors."""
    patched = apply_interventions(document, interventions)
    timeout = {e.id: e for e in patched.edges}["e-engine-llm"].call.timeout_ms
    return SimpleNamespace(latency=SimpleNamespace(p99_ms=2400.0 if timeout is None else 1200.0),
                           error_rate=0.05 if timeout is None else 0.02)


@pytest.fixture
def panel(make):
    panel = make(InterventionsPanel)
    panel.engine = fake_engine
    return panel


def ranks(board):
    return [(i.rank, i.id) for i in board.items("interventions")]


def test_edit_impact_updates_the_automatic_tier_and_the_matrix(qtbot, panel, context):
    board, editor = context.board, context.editor
    assert panel.matrix.titles("high", "low") == [
        "1. Add timeout and fallback for LLM Service", "2. Implement circuit breakers", "3. Add queue limits"]
    assert len(panel.matrix.titles("high", "high")) == 6
    before = board.document()
    edit(qtbot, panel, "queue-limits", "Impact", choice="low")
    item = board.get("interventions", "queue-limits")
    check_undo_redo(editor, before, lambda: (item.impact, item.tier) == ("low", "Low impact, low effort"))
    assert panel.matrix.titles("low", "low") == ["3. Add queue limits"]
    edit(qtbot, panel, "queue-limits", "Intervention", "Bound the engine queue")
    assert cell_text(panel, "queue-limits", "Intervention") == "Bound the engine queue"
    # board → widget
    editor.update("interventions", "profile-read-replicas", effort="low")
    assert "7. Add read replicas for User Profile DB" in panel.matrix.titles("high", "low")


def test_reorder_renumbers_ranks_in_one_step(qtbot, panel, context):
    board, editor = context.board, context.editor
    before = board.document()
    panel.select_entity("circuit-breakers")
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    assert ranks(board)[:3] == [(1, "circuit-breakers"), (2, "llm-timeout-fallback"), (3, "queue-limits")]
    assert editor.stack.undoText() == "Re-rank interventions"
    assert panel.current_entity().id == "circuit-breakers"
    assert cell_text(panel, "circuit-breakers", "#") == "1"
    check_undo_redo(editor, before, lambda: True)


def test_matrix_click_selects_the_intervention_and_its_targets(qtbot, panel, context):
    panel.detail_tabs.setCurrentWidget(panel.matrix)
    listing = panel.matrix.lists[("high", "low")]
    item = listing.item(1)
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(item).center())
    assert panel.current_entity().id == "circuit-breakers"
    assert context.selection.ids[0] == "circuit-breakers"
    assert "e-engine-llm" in context.selection.ids
    click_row(qtbot, panel, "gradual-cache-invalidation")
    assert context.selection.ids == ["gradual-cache-invalidation", "cache"]
    context.selection.select(["profile"])
    assert panel.selected_ids() == ["profile-read-replicas"]


def test_targets_and_changes(qtbot, panel, context):
    board = context.board
    panel.select_entity("queue-limits")
    context.selection.select(["engine", "q-engine", "e-gateway-engine"])
    qtbot.mouseClick(panel.targets_button, Qt.MouseButton.LeftButton)
    assert board.get("interventions", "queue-limits").targets == ("engine", "q-engine", "e-gateway-engine")
    assert "API Gateway → Recommendation Engine" in cell_text(panel, "queue-limits", "Targets")
    panel.select_entity("queue-limits")
    changes = panel.form.widgets["Simulation changes"]
    assert changes.toPlainText().splitlines()[0] == "engine sim.queue_limit = 200"
    changes.setFocus()
    qtbot.keyClick(changes, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(changes, Qt.Key.Key_Backspace)
    qtbot.keyClick(changes, Qt.Key.Key_Backspace)
    qtbot.keyClicks(changes, "50")
    assert board.get("interventions", "queue-limits").changes[1].value == 250
    qtbot.keyClick(changes, Qt.Key.Key_Return)
    qtbot.keyClicks(changes, "engine sim.workers = 0")
    assert "workers" in panel.status.text()
    assert len(board.get("interventions", "queue-limits").changes) == 2


def test_measure_stores_the_measured_change_and_ranks_by_it(qtbot, panel, context):
    board, editor = context.board, context.editor
    assert panel.measure_button.isEnabled()
    assert panel.scenario_box.currentData() == "peak"
    panel.select_entity("circuit-breakers")
    qtbot.mouseClick(panel.measure_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: board.get("interventions", "circuit-breakers").measured is not None, timeout=5000)
    panel.select_entity("llm-timeout-fallback")
    qtbot.mouseClick(panel.measure_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: board.get("interventions", "llm-timeout-fallback").measured is not None, timeout=5000)
    measured = board.get("interventions", "llm-timeout-fallback").measured
    assert (measured.scenario, measured.seed) == ("peak", DEFAULT_SEED)
    assert (measured.p99_before_ms, measured.p99_after_ms) == (2400.0, 1200.0)
    assert (measured.error_rate_before, measured.error_rate_after) == (0.05, 0.02)
    assert cell_text(panel, "llm-timeout-fallback", "Measured") == "p99 2400→1200 ms, errors 5.0%→2.0%"
    assert editor.stack.undoText() == "Store measured change"
    panel.select_entity("queue-limits")
    qtbot.mouseClick(panel.rank_button, Qt.MouseButton.LeftButton)
    assert ranks(board)[:3] == [(1, "llm-timeout-fallback"), (2, "circuit-breakers"), (3, "queue-limits")]
    editor.stack.undo()
    assert ranks(board)[:2] == [(1, "llm-timeout-fallback"), (2, "circuit-breakers")]
    editor.stack.undo()
    assert board.get("interventions", "llm-timeout-fallback").measured is None


def test_measure_all_measures_every_intervention_one_undo_step_each(qtbot, panel, context):
    board, editor = context.board, context.editor
    count = len(board.items("interventions"))
    runs: list[tuple[str, ...]] = []

    def counting(document, scenario_id, interventions, seed):
        runs.append(tuple(interventions))
        return fake_engine(document, scenario_id, interventions, seed)

    panel.engine = counting
    assert panel.measure_all_button.isEnabled()
    panel.scenario_box.setCurrentIndex(panel.scenario_box.findData("off-peak"))
    qtbot.mouseClick(panel.measure_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(i.measured is not None for i in board.items("interventions")), timeout=10_000)
    measured = {(i.measured.scenario, i.measured.seed) for i in board.items("interventions")}
    assert measured == {("off-peak", DEFAULT_SEED)}
    assert board.get("interventions", "llm-timeout-fallback").measured.p99_after_ms == 1200.0
    assert board.get("interventions", "queue-limits").measured.p99_after_ms == 2400.0
    assert cell_text(panel, "circuit-breakers", "Measured").startswith("p99 2400→")
    assert runs.count(()) == 1  # one baseline for all of them
    assert sorted(runs[1:]) == sorted((i.id,) for i in board.items("interventions"))
    for _ in range(count):
        assert editor.stack.undoText() == "Store measured change"
        editor.stack.undo()
    assert board_unmeasured(context)


def test_measure_failure_is_a_message(qtbot, make, context):
    def broken(*args):
        raise RuntimeError("engine exploded")

    panel = make(InterventionsPanel)
    panel.engine = broken
    panel.select_entity("queue-limits")
    qtbot.mouseClick(panel.measure_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "engine exploded" in panel.status.text(), timeout=5000)
    assert board_unmeasured(context)


def board_unmeasured(context):
    return all(i.measured is None for i in context.board.items("interventions"))


def test_measure_with_the_real_engine(qtbot, make, context):
    panel = make(InterventionsPanel)
    panel.select_entity("llm-timeout-fallback")
    panel.scenario_box.setCurrentIndex(panel.scenario_box.findData("off-peak"))
    qtbot.mouseClick(panel.measure_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: context.board.get("interventions", "llm-timeout-fallback").measured is not None,
                    timeout=120_000)  # a generous bound: CI machines are shared
    measured = context.board.get("interventions", "llm-timeout-fallback").measured
    assert (measured.scenario, measured.seed) == ("off-peak", DEFAULT_SEED)
    assert measured.p99_before_ms > 0
