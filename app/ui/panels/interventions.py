"""The intervention list: ranked fixes with impact, effort, tier, targets and
the simulation change each stands for; a 2 × 2 matrix view; "Measure", which
measures the selected intervention on the scenarios it names (or the scenario
chosen here when it names none), each against a baseline over the same seeds
(N or the half-width rule from Simulation → Run Settings), and stores its row
of the intervention × scenario matrix, every figure with its 95 % interval,
the paired change and the verdict; and "Measure all", the same for every
intervention, as ``export-pdf --measure`` does. Measuring goes through the
window's background-run service (``app.ui.runs.measure``): out of process,
cancelled by an edit of the board, with progress and Cancel in the status
bar. See docs/runs.md.
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
from app.ui.panels.measurements import MeasurementsView, matrix_text, ranking_key, row, summary_text
from app.ui.panels.table import Column
from app.ui.runs.measure import MatrixResult, MatrixRun
from models.errors import BoardError
from models.runs.matrix import matrix_plan
from models.runs.seeds import DEFAULT_SEED

LEVELS = [("low", "low"), ("medium", "medium"), ("high", "high")]


def auto_tier(impact: str, effort: str) -> str:
    return f"{impact.capitalize()} impact, {effort} effort"


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
    hint = "The prioritised fixes. Up/Down re-rank; Measure simulates a fix on its scenarios against the baseline."
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
            Column("Measured", summary_text, tooltip=matrix_text, color=lambda i: accent("green") if row(i) else None,
                   stretch=True),
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
        """Measured interventions first, the biggest p99 reduction (mean over its scenarios) first."""
        items = list(self.context.board.items("interventions"))
        measured = [i for i in items if row(i)]
        if not measured:
            self.show_error("measure some interventions first")
            return
        measured.sort(key=ranking_key)
        order = [i.id for i in measured] + [i.id for i in items if not row(i)]
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
        """Tabs under the list: the selected intervention with "Measure", its measured
        row of the matrix, and the impact × effort matrix."""
        self.scenario_box = QComboBox()
        self.scenario_box.setToolTip("Where an intervention that names no scenario of its own is measured")
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 2_147_483_647)
        self.seed_box.setValue(DEFAULT_SEED)
        self.seed_box.setToolTip("The base seed: every replication's seed derives from it, the same with and "
                                 "without the intervention")
        self.measure_button = tool_button("Measure", "", self.measure_current, "fa5s.stopwatch")
        self.measure_all_button = tool_button(
            "Measure all", "Measure every intervention on the scenarios it names (same seeds), in the background",
            self.measure_all, "fa5s.tasks")
        self.rank_button = tool_button("Rank by measured", "Order by the measured p99 reduction",
                                       self.rank_by_measured, "fa5s.sort-amount-down")
        self.measure_button.setToolTip("Simulate each scenario the intervention names without and with it (N "
                                       "replications or the half-width rule from Simulation → Run Settings, "
                                       "same seeds) and store every figure with its 95 % interval and the verdict")
        scenario_row = QHBoxLayout()
        scenario_row.addWidget(QLabel("Scenario if none named"))
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
        self.measured_view = MeasurementsView()
        self.matrix = ImpactEffortMatrix(self.select_entity)
        self.detail_tabs = QTabWidget()
        self.detail_tabs.addTab(details, "Details && measure")
        self.detail_tabs.addTab(self.measured_view, "Measured")
        self.detail_tabs.addTab(self.matrix, "Impact × effort")
        self.detail_tabs.currentChanged.connect(self._tab_changed)
        subscribe(self, self.context.board.events.changed, self.refresh_extras)
        self.refresh_extras()
        return self.detail_tabs

    def _tab_changed(self, index: int) -> None:
        """The matrix and the measurements need room: give the tabs most of the height while they show."""
        total = sum(self.splitter.sizes())
        share = 0.4 if index == 0 else 0.65
        self.splitter.setSizes([int(total * (1 - share)), int(total * share)])

    def refresh_extras(self) -> None:
        board = self.context.board
        current = self.current_entity()
        self.matrix.show_interventions(board.items("interventions"), current.id if current else None)
        self.measured_view.show_intervention(current, {s.id: s.name for s in board.items("scenarios")})
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
        if item is None:
            self.show_error("pick an intervention first")
            return
        self._start([item.id], f"'{item.title}'")

    def measure_all(self) -> None:
        """Measure every intervention not already being measured, each on its scenarios: one
        baseline per scenario for all of them, and the results stored in one undoable step."""
        ids = [i.id for i in self.context.board.items("interventions") if i.id not in self._measuring]
        if not ids and not self._measuring:
            self.show_error("add an intervention first")
            return
        if ids:
            self._start(ids, f"{len(ids)} interventions")

    def _start(self, intervention_ids: list[str], what: str) -> None:
        ids = [i for i in intervention_ids if i not in self._measuring]
        if not ids:
            return
        document = self.context.board.document()
        try:
            plan = matrix_plan(document, ids=ids, unplaced=self.scenario_box.currentData())
        except BoardError as error:
            self.show_error(f"Cannot measure: {error}")
            return
        self._measuring.update(ids)
        service = self.context.service
        measuring = MatrixRun(service, document, plan, self.seed_box.value(), self.duration_s, f"Measuring {what}")
        scenarios = len(plan.cells)
        self.status.setStyleSheet("color: palette(text);")
        self.status.setText(f"Measuring {what} on {scenarios} scenario{'s' if scenarios != 1 else ''} "
                            f"({service.settings.describe()}) …")

        def finished() -> None:
            self._measuring.difference_update(ids)

        def failed(message: str) -> None:
            finished()
            self.show_error(f"Measuring failed: {message}")

        def cancelled() -> None:
            finished()
            self.status.setText("Measuring cancelled (the board changed, or Cancel)")

        def done(result: MatrixResult) -> None:
            finished()
            self._store(result)

        measuring.start(on_done=done, on_error=failed, on_cancelled=cancelled)

    def _store(self, result: MatrixResult) -> None:
        """Store each intervention's row in one undoable step (the service's own edit, which cancels nothing)."""
        stored = {i: cells for i, cells in result.rows.items() if self.context.board.find(i)}
        text = "Store measured change" if len(stored) == 1 else "Store measured changes"
        if stored:
            with self.context.service.storing():
                self.run(lambda: self._update_all(stored, text))
        cells = sum(len(cells) for cells in stored.values())
        self.status.setStyleSheet("color: palette(text);")
        self.status.setText(f"Measured {len(stored)} intervention{'s' if len(stored) != 1 else ''} in {cells} "
                            f"cell{'s' if cells != 1 else ''} {result.describe()}")

    def _update_all(self, stored: dict[str, list[Any]], text: str) -> None:
        with self.context.editor.macro(text):
            for intervention_id, cells in stored.items():
                self.context.editor.update("interventions", intervention_id, measurements=tuple(cells),
                                           measured=None)

    def current_changed(self, entity: Any) -> None:
        if hasattr(self, "matrix"):
            self.refresh_extras()
