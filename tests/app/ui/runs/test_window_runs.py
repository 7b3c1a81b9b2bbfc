"""The background-run service in the main window: the run settings are view
state, the Sweep panel runs a tiny sweep through the service and plots it
with confidence bars, and its keys are in the shortcut sheet."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from app.ui.files import settings
from app.ui.runs.handout import OWN_SCENARIOS
from app.ui.runs.install import SWEEP_SHORTCUT
from app.ui.runs.settings import RunSettingsDialog, load_run_settings
from app.ui.runs.sweep_panel import numeric_parameters, suggested_range
from models.entities import Intervention
from models.fileformat import dumps, load_path
from tests.models.simulation.boards import board, exponential

pytestmark = pytest.mark.gui

SMALL = board({"api": {"workers": 2, "service_time": exponential(80.0)}}, rate=12.0, duration_s=20.0)
SMALL = SMALL.model_copy(update={"interventions": (Intervention.model_validate({
    "id": "more-workers", "title": "More workers", "rank": 1, "scenarios": ["s"],
    "changes": [{"target": "api", "path": "sim.workers", "value": 4}]}),)})


@pytest.fixture
def small_window(make_window, tmp_path):
    path = tmp_path / "small.cboard"
    path.write_text(dumps(SMALL), encoding="utf-8")
    return make_window(path)


def test_run_settings_are_view_state_and_the_run_keys_are_listed(qtbot, small_window):
    window = small_window
    depth = window.undo_stack.count()
    window.runs.actions["run_settings"].trigger()
    dialog = window.findChild(RunSettingsDialog)
    assert dialog is not None
    assert dialog.isVisible()
    dialog.scheduler.setText("tcp://host with spaces")
    dialog.accept()
    assert dialog.isVisible()
    assert "Dask scheduler" in dialog.error.text()
    assert window.runs.service.settings == load_run_settings()
    dialog.scheduler.setText("")
    qtbot.mouseClick(dialog.rule, Qt.MouseButton.LeftButton)
    dialog.half_width.setValue(4.0)
    dialog.cap.setValue(12)
    dialog.accept()
    chosen = window.runs.service.settings
    assert (chosen.half_width_pct, chosen.cap) == (4.0, 12)
    assert load_run_settings() == chosen  # kept in QSettings, read back as the same settings
    assert str(settings().value("runs/half_width_pct")) == "4.0"
    plan = chosen.plan("{}", "s", 0)
    assert (plan.replications, plan.half_width) == (12, 0.04)
    assert not window.files.is_modified()
    assert not window.isWindowModified()
    assert window.undo_stack.count() == depth


def test_the_sweep_panel_plots_a_tiny_sweep_and_exports_it(qtbot, small_window, tmp_path):
    window = small_window
    panel, dock = window.runs.sweep, window.runs.sweep_dock
    assert dock.isHidden()
    qtbot.keySequence(window, QKeySequence(SWEEP_SHORTCUT))  # the keys open it
    qtbot.waitUntil(dock.isVisible)
    assert "nodes.api.sim.workers" in [panel.parameter.itemText(i) for i in range(panel.parameter.count())]
    assert not any(p.endswith((".x", ".y")) for p, _ in numeric_parameters(SMALL))
    assert suggested_range(2) == "2..6:1"
    panel.replications.setValue(2)
    panel.choose("nodes.api.sim.workers", "3..1:1")
    assert panel.run() is None
    assert "wrong sign" in panel.status.text()
    panel.choose("nodes.api.sim.nothing", "1..3")
    assert panel.run() is None
    assert "names no parameter" in panel.status.text()
    panel.choose("nodes.api.sim.workers", "1..3:1")
    with qtbot.waitSignal(window.runs.service.idle, timeout=30_000):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
        assert window.runs.progress.isVisible()  # the status bar's progress with Cancel
    assert panel.result is not None
    assert panel.result.replications == 2
    assert "N = 2 replications" in panel.status.text()
    plots = [item for item in panel.chart.ci.items if isinstance(item, pg.PlotItem)]
    assert [p.titleLabel.text for p in plots] == ["p50 latency", "p99 latency", "error rate", "goodput"]
    bars = [item for item in plots[1].items if isinstance(item, pg.ErrorBarItem)]
    assert bars
    assert len(bars[0].opts["x"]) == 3
    assert not window.runs.progress.isVisible()
    assert window.runs.service.active() == []
    for suffix in (".png", ".svg", ".csv"):
        panel.export(tmp_path / f"sweep{suffix}")
        assert (tmp_path / f"sweep{suffix}").stat().st_size > 200
    rows = list(csv.DictReader(io.StringIO((tmp_path / "sweep.csv").read_text())))
    assert [row["nodes.api.sim.workers"] for row in rows] == ["1", "2", "3"]
    assert {row["replications"] for row in rows} == {"2"}
    assert not window.files.is_modified()
    look = os.environ.get("CASCADE_LOOK_DIR")  # set it to keep a picture of the panel to look at
    if look:
        dock.resize(1000, 900)
        QApplication.processEvents()
        dock.grab().save(str(Path(look) / "sweep-panel.png"))


def test_the_measured_handout_measures_through_the_service_and_leaves_the_board_alone(
        qtbot, small_window, tmp_path, monkeypatch):
    window = small_window
    out = tmp_path / "measured.pdf"
    offered: list[list[str]] = []

    def pick_first(_w, _t, _l, items, *a):
        offered.append(list(items))
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick_first))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda _w, _title, text: told.append(text)))
    window.runs.service.settings = window.runs.service.settings.__class__(replications=2)
    action = window.runs.actions["export_measured_pdf"]
    file_actions = window.menu("file").actions()
    assert file_actions.index(action) == file_actions.index(window.action_set["export_pdf"]) + 1
    action.trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=60_000)
    assert offered == [[OWN_SCENARIOS, "Every intervention on s"]]  # export-pdf --measure [SCENARIO]
    row = load_path(out).interventions[0].measurements  # the matrix: each on the scenarios it names
    assert [(m.scenario, m.seed, m.replications) for m in row] == [("s", 0, 2)]
    assert row[0].p99_after_ms < row[0].p99_before_ms  # four workers instead of two
    assert row[0].figure("p99_ms").after.half_width is not None
    assert window.board.get("interventions", "more-workers").measurements == ()
    assert not window.files.is_modified()
