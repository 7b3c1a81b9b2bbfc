"""Measure and Measure all in the Interventions panel produce the intervention ×
scenario matrix of ``export-pdf --measure``: each intervention on the scenarios
it names, every figure with its interval, stored in one undo step, saved and
loaded; a measurement stored by an older version still loads and shows."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.ui.panels.interventions import InterventionsPanel
from app.ui.panels.measurements import LEGACY_NOTE
from app.ui.runs.service import RunService
from app.ui.runs.settings import RunSettings
from models.entities import Intervention
from models.fileformat import document_from_data, dumps, load_path
from models.kinds import MeasuredMetric
from models.params import SimScenario, TrafficProfile
from models.runs.executors import InProcess
from models.runs.matrix import matrix_plan, measure_matrix
from tests.app.ui.panels.helpers import OFFSCREEN_NOISE, cell_text, check_undo_redo, column_of, row_of
from tests.models.simulation.boards import PATIENT, board, exponential

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

N = 3
BASE = board({"api": {"workers": 2, "service_time": exponential(80.0)}}, rate=12.0, duration_s=8.0)
BUSY = SimScenario(id="busy", name="Busy", duration_s=8.0, users=PATIENT,
                   traffic=TrafficProfile(kind="constant", base_rps=23.0))


def _intervention(intervention_id: str, rank: int, workers: int, scenarios: tuple[str, ...]) -> Intervention:
    return Intervention.model_validate({
        "id": intervention_id, "title": intervention_id, "rank": rank, "scenarios": list(scenarios),
        "changes": [{"target": "api", "path": "sim.workers", "value": workers}]})


SMALL = BASE.model_copy(update={
    "scenarios": (*BASE.scenarios, BUSY),
    "interventions": (_intervention("more-workers", 1, 4, ("s", "busy")), _intervention("three", 2, 3, ("busy",)),
                      _intervention("unplaced", 3, 5, ())),
})
LEGACY = {"scenario": "s", "seed": 1, "p99_before_ms": 2400.0, "p99_after_ms": 1200.0,
          "error_rate_before": 0.05, "error_rate_after": 0.02}
"""``measured`` as the panel stored it before it kept intervals: means only."""


@pytest.fixture
def example_path(tmp_path) -> Path:
    """The panels' ``context`` fixture opens this small board with two scenarios."""
    path = tmp_path / "small.cboard"
    path.write_text(dumps(SMALL), encoding="utf-8")
    return path


@pytest.fixture
def panel(make, context):
    context.runs = RunService(context.board, lambda _scheduler: InProcess())
    context.runs.settings = RunSettings(replications=N)
    made = make(InterventionsPanel)
    made.scenario_box.setCurrentIndex(made.scenario_box.findData("busy"))  # where "unplaced" is measured
    return made


def rows(board):
    return {i.id: [m.scenario for m in i.measurements] for i in board.items("interventions")}


def test_measure_all_stores_the_matrix_with_intervals_in_one_undo_step(qtbot, panel, context):
    board, editor = context.board, context.editor
    before = board.document()
    qtbot.mouseClick(panel.measure_all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(i.measurements for i in board.items("interventions")), timeout=20_000)
    assert rows(board) == {"more-workers": ["s", "busy"], "three": ["busy"], "unplaced": ["busy"]}
    assert editor.stack.undoText() == "Store measured changes"
    assert panel.status.text() == ("Measured 3 interventions in 4 cells on 2 scenarios: means of N = 3 paired "
                                   "replications, base seed 0, on this process")
    # the same matrix as export-pdf --measure, with the interventions that name none on the chosen scenario
    cli = measure_matrix(before, matrix_plan(before, unplaced="busy"), InProcess(), 0, N)
    assert {i.id: i.measurements for i in cli.interventions} == {
        i.id: i.measurements for i in board.items("interventions")}
    cell = board.get("interventions", "more-workers").measurements[1]
    assert (cell.scenario, cell.seed, cell.replications) == ("busy", 0, N)
    assert f"(N = {N})" in cell.verdict
    for metric in (MeasuredMetric.P50_MS, MeasuredMetric.P99_MS, MeasuredMetric.ERROR_RATE,
                   MeasuredMetric.GOODPUT_RPS):
        figure = cell.figure(metric)
        assert figure.before.n == figure.after.n == figure.change.n == N
        assert figure.after.half_width is not None
    assert cell.figure("p99_ms").after.mean < cell.figure("p99_ms").before.mean  # four workers instead of two
    # the list, its tooltip and the Measured tab show each scenario's figures as mean ± half-width
    p99 = cell.figure("p99_ms").after
    line = cell_text(panel, "more-workers", "Measured")
    assert line.startswith("s: p99 ")
    assert f"busy: p99 {p99.mean:,.0f} ± {p99.half_width:,.0f} ms, errors " in line
    assert line.endswith(" pp")
    index = panel.model.index(row_of(panel, "more-workers"), column_of(panel, "Measured"))
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "busy (N = 3, base seed 0)" in tip
    assert cell.verdict in tip
    panel.select_entity("more-workers")
    panel.detail_tabs.setCurrentWidget(panel.measured_view)
    shown = panel.measured_view.texts()
    assert shown[0] == ["s (N = 3, base seed 0)"]  # the scenario's name
    assert shown[1][0] == "p50"
    busy = shown.index(["Busy (N = 3, base seed 0)"])
    assert shown[busy + 2][:3] == ["p99", f"{cell.figure('p99_ms').before.mean:,.0f} ± "
                                   f"{cell.figure('p99_ms').before.half_width:,.0f} ms", f"{p99.mean:,.0f} ± "
                                   f"{p99.half_width:,.0f} ms"]
    assert shown[busy + 3][3].endswith(" pp")  # the error rate's change
    assert [cell.verdict, "", "", ""] in shown
    look = os.environ.get("CASCADE_LOOK_DIR")  # set it to keep a picture of the panel to look at
    if look:
        panel.resize(900, 800)
        QApplication.processEvents()
        panel.grab().save(str(Path(look) / "interventions-measured.png"))
    # the file keeps every figure's interval and N
    text = dumps(board.document())
    assert '"n": 3' in text
    assert document_from_data(json.loads(text), "saved") == board.document()
    check_undo_redo(editor, before, lambda: True)
    editor.stack.undo()
    assert rows(board) == {"more-workers": [], "three": [], "unplaced": []}
    assert context.service.active() == []


def test_an_older_single_measurement_loads_shows_and_is_replaced_by_the_matrix(qtbot, make, context, tmp_path):
    data = json.loads(dumps(SMALL))
    data["interventions"][2]["measured"] = LEGACY
    older = tmp_path / "older.cboard"
    older.write_text(json.dumps(data), encoding="utf-8")
    document = load_path(older)
    assert document.interventions[2].measured.p99_after_ms == 1200.0
    assert document.interventions[2].measurements == ()
    context.board.replace_document(document)
    context.runs = RunService(context.board, lambda _scheduler: InProcess())
    context.runs.settings = RunSettings(half_width_pct=50.0, cap=5)  # the stopping rule of Run Settings
    panel = make(InterventionsPanel)
    assert cell_text(panel, "unplaced", "Measured") == "s: p99 1,200 ms, errors -3.00 pp"
    panel.select_entity("unplaced")
    assert panel.measured_view.texts() == [
        ["s (older measurement, seed 1)"], ["p99", "2,400 ms", "1,200 ms", "-1,200 ms"],
        ["errors", "5.00 %", "2.00 %", "-3.00 pp"], [LEGACY_NOTE, "", "", ""]]
    before = context.board.document()
    panel.scenario_box.setCurrentIndex(panel.scenario_box.findData("s"))
    qtbot.mouseClick(panel.measure_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(context.board.get("interventions", "unplaced").measurements), timeout=20_000)
    item = context.board.get("interventions", "unplaced")
    assert item.measured is None
    assert [m.scenario for m in item.measurements] == ["s"]
    assert 3 <= item.measurements[0].replications <= 5
    assert context.editor.stack.undoText() == "Store measured change"
    context.editor.stack.undo()
    assert context.board.document() == before  # the older measurement is back


def test_an_edit_cancels_every_scenario_of_a_measure_all(qtbot, panel, context):
    qtbot.mouseClick(panel.measure_all_button, Qt.MouseButton.LeftButton)
    assert len(context.service.active()) == 2  # a request per scenario
    context.editor.update("interventions", "three", title="Three workers")
    assert panel.status.text() == "Measuring cancelled (the board changed, or Cancel)"
    assert context.service.active() == []
    qtbot.waitUntil(lambda: context.service._runner.running() == 0, timeout=10_000)
    assert rows(context.board) == {"more-workers": [], "three": [], "unplaced": []}
    qtbot.mouseClick(panel.measure_all_button, Qt.MouseButton.LeftButton)  # nothing is left marked as measuring
    assert len(context.service.active()) == 2
    context.service.cancel_all()
    qtbot.waitUntil(lambda: context.service._runner.running() == 0, timeout=10_000)


def test_recovery_says_how_many_runs_never_recovered_and_a_figure_its_own_n():
    from app.ui.panels.measurements import figure_cells
    from models.entities import MeasuredFigure, MeasuredValue, Measurement

    cell = Measurement(scenario="s", seed=0, p99_before_ms=900.0, p99_after_ms=300.0, error_rate_before=0.1,
                       error_rate_after=0.0, replications=3, not_recovered_before=3, not_recovered_after=1)
    recovery = MeasuredFigure(metric="recover_s", after=MeasuredValue(mean=12.3, half_width=2.1, n=2))
    assert figure_cells(cell, recovery) == ("3 of 3 never recovered", "12 ± 2 s (n = 2) (1 of 3 never)", "-")
