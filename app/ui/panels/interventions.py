"""The intervention list: ranked fixes with impact, effort, tier, targets and
the simulation change each stands for; a 2 × 2 matrix view; "Measure", which
simulates the baseline and the intervention (N replications from the run
settings, the same seeds for both) and stores the measured change on the
intervention, and "Measure all". Measuring goes through the window's
background-run service (``app.ui.runs.service``): out of process, cancelled
by an edit of the board, with progress and Cancel in the status bar.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QTabWidget, QVBoxLayout, QWidget

from app.ui.panels.base import EntityTablePanel
from app.ui.panels.context import PanelContext, accent, describe_ref, subscribe, tool_button
from app.ui.panels.forms import FormField, split_lines
from app.ui.panels.matrix import ImpactEffortMatrix
from app.ui.panels.table import Column
from app.ui.runs.measure import Measured, measurements, measuring_variants
from app.ui.runs.service import RunRequest
from models.errors import BoardError
from models.runs.jobs import board_text
from models.runs.replicate import RunsResult
from models.runs.seeds import DEFAULT_SEED

LEVELS = [("low", "low"), ("medium", "medium"), ("high", "high")]


def auto_tier(impact: str, effort: str) -> str:
    return f"{impact.capitalize()} impact, {effort} effort"


def measured_text(item: Any) -> str:
    m = item.measured
    if m is None:
        return ""
    return (f"p99 {m.p99_before_ms:.0f}→{m.p99_after_ms:.0f} ms, "
            f"errors {m.error_rate_before:.1%}→{m.error_rate_after:.1%}")


def format_changes(changes: tuple[Any, ...]) -> str:
    return "\n".join(f"{c.target} {c.path} = {json.dumps(c.value)}" for c in changes)


def parse_changes(text: str) -> list[dict[str, Any]]:
    """``e-engine-llm call.timeout_ms = 800`` a line (the value is JSON)."""
    changes = []
    for line in split_lines(text):
        left, equals, value = line.partition("=")
        parts = left.split()
        if not equals or len(parts) != 2:
            raise BoardError(f"changes: write each as 'target field.path = value' (not {line!r})")
        try:
            parsed = json.loads(value.strip())
        except json.JSONDecodeError:
            parsed = value.strip()
        changes.append({"target": parts[0], "path": parts[1], "value": parsed})
    return changes


class InterventionsPanel(EntityTablePanel):
    collection = "interventions"
    title = "Interventions"
    hint = "The prioritised fixes. Up/Down re-rank; Measure simulates a fix against the baseline."
    prefix = "intervention"

    def __init__(self, context: PanelContext, parent: Any = None) -> None:
        self._measuring: set[str] = set()
        """The interventions being measured now."""
        self.duration_s: float | None = None
        """Simulated seconds of each run; None runs the scenario's whole duration (tests shorten it)."""
        super().__init__(context, parent)

    def _level(self, field: str) -> Callable[[Any, Any], dict[str, Any]]:
        def commit(item: Any, value: Any) -> dict[str, Any]:
            changes: dict[str, Any] = {field: value}
            if not item.tier or item.tier == auto_tier(item.impact, item.effort):
                levels = {"impact": item.impact, "effort": item.effort, field: value}
                changes["tier"] = auto_tier(levels["impact"], levels["effort"])
            return changes
        return commit

    def columns(self) -> list[Column]:
        board = self.context.board

        def target_names(item: Any) -> str:
            return ", ".join(describe_ref(board, target) for target in item.targets)

        return [
            Column("#", lambda i: str(i.rank), align_right=True),
            Column("Intervention", lambda i: i.title, commit=lambda i, v: {"title": v}, stretch=True),
            Column("Impact", lambda i: i.impact, commit=self._level("impact"), choices=LEVELS),
            Column("Effort", lambda i: i.effort, commit=self._level("effort"), choices=LEVELS),
            Column("Tier", lambda i: i.tier, commit=lambda i, v: {"tier": v}),
            Column("Targets", target_names),
            Column("Measured", measured_text, color=lambda i: accent("green") if i.measured else None),
        ]

    def related_ids(self, entity: Any) -> list[str]:
        return list(entity.targets)

    def new_fields(self) -> dict[str, Any]:
        ranks = [i.rank for i in self.context.board.items("interventions")]
        targets = [i for i in self.context.selection.ids if self.context.board.find(i)]
        return {"title": "New intervention", "rank": max(ranks, default=0) + 1, "targets": targets,
                "impact": "high", "effort": "medium", "tier": auto_tier("high", "medium")}

    def detail_fields(self) -> list[FormField]:
        return [
            FormField("Description", "text", lambda i: i.description, lambda i, t: {"description": t}, height=46),
            FormField("Simulation changes", "lines", lambda i: format_changes(i.changes),
                      lambda i, t: {"changes": parse_changes(t)}, "e-engine-llm call.timeout_ms = 800",
                      height=60),
        ]

    # --- ranking ------------------------------------------------------------------------

    def reorder(self, entity_id: str, index: int) -> None:
        order = [i.id for i in self.context.board.items("interventions")]
        order.remove(entity_id)
        order.insert(index, entity_id)
        self.apply_order(order, "Re-rank interventions")

    def apply_order(self, order: list[str], text: str) -> None:
        """Put the interventions in ``order`` and number their ranks 1, 2, 3 …"""
        editor, board = self.context.editor, self.context.board
        with editor.macro(text):
            for index, entity_id in enumerate(order):
                editor.reorder("interventions", entity_id, index)
            for rank, entity_id in enumerate(order, start=1):
                if board.get("interventions", entity_id).rank != rank:
                    editor.update("interventions", entity_id, rank=rank)

    def rank_by_measured(self) -> None:
        """Measured interventions first, the biggest p99 reduction first."""
        items = list(self.context.board.items("interventions"))
        measured = [(i, i.measured) for i in items if i.measured is not None]
        if not measured:
            self.show_error("measure some interventions first")
            return
        measured.sort(key=lambda pair: (pair[1].p99_after_ms - pair[1].p99_before_ms,
                                        pair[1].error_rate_after - pair[1].error_rate_before))
        order = [i.id for i, _ in measured] + [i.id for i in items if i.measured is None]
        self.run(lambda: self.apply_order(order, "Rank interventions by measured impact"))

    # --- tools, matrix and measuring -----------------------------------------------------

    def add_tools(self, toolbar: QHBoxLayout) -> None:
        self.targets_button = tool_button("Targets from selection",
                                          "Set the intervention's targets to what is selected on the canvas",
                                          self.targets_from_selection, "fa5s.crosshairs")
        toolbar.addWidget(self.targets_button)

    def targets_from_selection(self) -> None:
        item = self.current_entity()
        own = {i.id for i in self.context.board.items("interventions")}
        targets = [i for i in self.context.selection.ids if i not in own and self.context.board.find(i)]

        def update() -> None:
            if item is None:
                raise BoardError("pick an intervention first")
            if not targets:
                raise BoardError("select the nodes, calls or queues it targets on the canvas first")
            self.context.editor.update("interventions", item.id, targets=targets)

        self.run(update)

    def details_widget(self) -> QWidget | None:
        """Tabs under the list: the selected intervention with "Measure", and the matrix."""
        self.scenario_box = QComboBox()
        self.scenario_box.setToolTip("The simulation scenario to measure with")
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 2_147_483_647)
        self.seed_box.setValue(DEFAULT_SEED)
        self.seed_box.setToolTip("The same seed is used for the baseline and the intervention")
        self.measure_button = tool_button("Measure", "", self.measure_current, "fa5s.stopwatch")
        self.measure_all_button = tool_button(
            "Measure all", "Measure every intervention on the scenario (same seeds), in the background",
            self.measure_all, "fa5s.tasks")
        self.rank_button = tool_button("Rank by measured", "Order by the measured p99 reduction",
                                       self.rank_by_measured, "fa5s.sort-amount-down")
        self.measure_button.setToolTip("Simulate the scenario without and with this intervention (N replications "
                                       "from Simulation → Run Settings, same seeds) and store the change in p99 "
                                       "and error rate")
        scenario_row = QHBoxLayout()
        scenario_row.addWidget(QLabel("Scenario"))
        scenario_row.addWidget(self.scenario_box, 1)
        scenario_row.addWidget(QLabel("Seed"))
        scenario_row.addWidget(self.seed_box)
        measure_row = QHBoxLayout()
        measure_row.addWidget(self.measure_button)
        measure_row.addWidget(self.measure_all_button)
        measure_row.addWidget(self.rank_button)
        measure_row.addStretch(1)
        details = QWidget()
        box = QVBoxLayout(details)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.form)
        box.addLayout(scenario_row)
        box.addLayout(measure_row)
        box.addStretch(1)
        self.matrix = ImpactEffortMatrix(self.select_entity)
        self.detail_tabs = QTabWidget()
        self.detail_tabs.addTab(details, "Details && measure")
        self.detail_tabs.addTab(self.matrix, "Impact × effort")
        self.detail_tabs.currentChanged.connect(self._tab_changed)
        subscribe(self, self.context.board.events.changed, self.refresh_extras)
        self.refresh_extras()
        return self.detail_tabs

    def _tab_changed(self, index: int) -> None:
        """The matrix needs room: give the tabs most of the height while it shows."""
        total = sum(self.splitter.sizes())
        share = 0.65 if self.detail_tabs.widget(index) is self.matrix else 0.4
        self.splitter.setSizes([int(total * (1 - share)), int(total * share)])

    def refresh_extras(self) -> None:
        board = self.context.board
        current = self.current_entity()
        self.matrix.show_interventions(board.items("interventions"), current.id if current else None)
        scenarios = [(s.id, s.name) for s in board.items("scenarios")]
        shown = [self.scenario_box.itemData(i) for i in range(self.scenario_box.count())]
        if shown != [s for s, _ in scenarios]:
            chosen = self.scenario_box.currentData()
            self.scenario_box.clear()
            for scenario_id, name in scenarios:
                self.scenario_box.addItem(name, scenario_id)
            wanted = chosen if chosen in shown else "peak"
            self.scenario_box.setCurrentIndex(max(0, self.scenario_box.findData(wanted)))

    def measure_current(self) -> None:
        item = self.current_entity()
        if self._can_measure(item is not None, "pick an intervention and a scenario first") and item is not None:
            self._start([item.id], f"'{item.title}'")

    def measure_all(self) -> None:
        """Measure every intervention not already being measured against one baseline run;
        each result is stored (one undoable step each) as it comes in."""
        ids = [i.id for i in self.context.board.items("interventions") if i.id not in self._measuring]
        missing = "add an intervention and pick a scenario first"
        if self._can_measure(bool(ids) or bool(self._measuring), missing) and ids:
            self._start(ids, f"{len(ids)} interventions")

    def _can_measure(self, have_items: bool, missing: str) -> bool:
        if not have_items or self.scenario_box.currentData() is None:
            self.show_error(missing)
            return False
        return True

    def _start(self, intervention_ids: list[str], what: str) -> None:
        ids = [i for i in intervention_ids if i not in self._measuring]
        if not ids:
            return
        self._measuring.update(ids)
        service = self.context.service
        scenario = self.scenario_box.currentData()
        plan = service.plan(board_text(self.context.board.document()), scenario, self.seed_box.value(),
                            self.duration_s)
        label = f"Measuring {what} on {self.scenario_box.currentText()}"
        self.status.setStyleSheet("color: palette(text);")
        self.status.setText(f"{label} ({service.settings.describe()}) …")

        def finished() -> None:
            self._measuring.difference_update(ids)

        def failed(message: str) -> None:
            finished()
            self.show_error(f"Measuring failed: {message}")

        def cancelled() -> None:
            finished()
            self.status.setText("Measuring cancelled (the board changed, or Cancel)")

        def done(result: RunsResult) -> None:
            finished()
            self._store(measurements(result), result)

        service.submit(RunRequest(label, plan, measuring_variants(ids)), on_done=done, on_error=failed,
                       on_cancelled=cancelled)

    def _store(self, outcomes: list[Measured], result: RunsResult) -> None:
        """Store every measured change in one undoable step (the service's own edit, which cancels nothing)."""
        stored = [o for o in outcomes if o.measurement is not None and self.context.board.find(o.intervention_id)]
        text = "Store measured change" if len(stored) == 1 else "Store measured changes"
        if stored:
            with self.context.service.storing():
                self.run(lambda: self._update_all(stored, text))
        failures = [f"{o.intervention_id}: {o.error}" for o in outcomes if o.measurement is None]
        if failures:
            self.show_error("Measuring failed: " + "; ".join(failures))
            return
        n = result.replications
        spread = "one run each" if n == 1 else f"means of N = {n} replications"
        self.status.setText(f"Measured {len(stored)} on {result.plan.scenario}: {spread}, base seed "
                            f"{result.plan.base_seed}, on {result.where}")

    def _update_all(self, stored: list[Measured], text: str) -> None:
        with self.context.editor.macro(text):
            for outcome in stored:
                self.context.editor.update("interventions", outcome.intervention_id, measured=outcome.measurement)

    def current_changed(self, entity: Any) -> None:
        if hasattr(self, "matrix"):
            self.refresh_extras()
