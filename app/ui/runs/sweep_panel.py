"""The Sweep panel: what-if analysis in the window. Pick a numeric parameter
of the board, a range FROM..TO:STEP, a scenario, interventions and N; every
point is replicated through the background-run service and p50, p99, error
rate and goodput are plotted against the parameter with their 95 %
confidence intervals as error bars (the same pyqtgraph figure as
``cascade-board sweep -o OUT.png``). The plot exports as PNG, SVG or CSV.
See docs/runs.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.export.sweep_chart import export_sweep_chart, sweep_chart
from app.ui.runs.service import RunRequest, RunService, RunTicket
from models.board import Board
from models.document import BoardDocument
from models.errors import BoardError
from models.fileformat import write_atomically
from models.interventions import FIXED_FIELDS
from models.runs.jobs import OVERRIDE_COLLECTIONS, board_text
from models.runs.replicate import MAX_REPLICATIONS, RunsResult
from models.runs.seeds import DEFAULT_SEED
from models.runs.sweep import Sweep, check_sweep, parse_range, sweep_csv

LAYOUT_FIELDS = frozenset({"x", "y"})
"""Where a node is drawn: numbers, but nothing the simulation reads."""
EXPORT_FILTERS = {"PNG image (*.png)": ".png", "SVG drawing (*.svg)": ".svg", "CSV table (*.csv)": ".csv"}


def _numbers(value: Any, path: str) -> Iterator[tuple[str, float | int]]:
    fields = getattr(type(value), "model_fields", None)
    if fields is None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            yield path, value
        return
    for name in fields:
        yield from _numbers(getattr(value, name), f"{path}.{name}")


def numeric_parameters(document: BoardDocument) -> list[tuple[str, float | int]]:
    """Every number of the board a sweep can vary (``nodes.engine.sim.workers``), with its value now;
    positions and other fields an intervention may not change are left out."""
    found: list[tuple[str, float | int]] = []
    for collection in OVERRIDE_COLLECTIONS:
        for entity in getattr(document, collection):
            for name in type(entity).model_fields:
                if name not in FIXED_FIELDS | LAYOUT_FIELDS:
                    found.extend(_numbers(getattr(entity, name), f"{collection}.{entity.id}.{name}"))
    return found


def suggested_range(value: float | int) -> str:
    """A first range around the current value: from it to twice it, in four steps."""
    if isinstance(value, int):
        low = max(1, value) if value >= 1 else 0
        return f"{low}..{max(low + 4, 2 * low)}:{max(1, low // 4)}"
    if value == 0:
        return "0..1:0.25"
    return f"{value:g}..{2 * value:g}:{value / 4:g}"


class SweepPanel(QWidget):
    """See the module docstring; ``result`` and ``sweep`` hold the last finished sweep."""

    def __init__(self, board: Board, service: RunService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sweepPanel")
        self.board, self.service = board, service
        self.result: RunsResult | None = None
        self.sweep: Sweep | None = None
        self.chart: QWidget | None = None
        self.ticket: RunTicket | None = None
        self._values: dict[str, float | int] = {}
        self.parameter = QComboBox()
        self.parameter.setEditable(True)
        self.parameter.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.parameter.setToolTip("The board's number to vary, as COLLECTION.ID.FIELD (type to filter)")
        self.parameter.currentTextChanged.connect(self._parameter_chosen)
        self.range = QLineEdit()
        self.range.setPlaceholderText("FROM..TO:STEP, for example 8..32:4")
        self.scenario = QComboBox()
        self.interventions = QListWidget()
        self.interventions.setMaximumHeight(88)
        self.interventions.setToolTip("Interventions applied at every point of the sweep")
        self.replications = QSpinBox()
        self.replications.setRange(1, MAX_REPLICATIONS)
        self.replications.setValue(service.settings.replications)
        self.replications.setToolTip("Replications of every point (the same seeds at every point)")
        self.run_button = QPushButton("Run sweep")
        self.run_button.clicked.connect(self.run)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the plot as PNG or SVG, or the figures as CSV")
        self.export_button.clicked.connect(self.export_dialog)
        self.export_button.setEnabled(False)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Parameter", self.parameter)
        form.addRow("Range", self.range)
        form.addRow("Scenario", self.scenario)
        form.addRow("Interventions", self.interventions)
        form.addRow("Replications", self.replications)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        self.plot_area = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addLayout(self.plot_area, 1)
        self._stale = True
        self._refresh_timer = QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self.refresh)
        board.events.changed.connect(self._board_changed)
        self.destroyed.connect(lambda *_: board.events.changed.disconnect(self._board_changed))
        self.refresh()

    # --- the board's choices -------------------------------------------------------------

    def _board_changed(self, *_args: object) -> None:
        """Catch up once after a burst of edits, and only while shown (a hidden panel catches up when shown)."""
        self._stale = True
        if self.isVisible():
            self._refresh_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self, *_args: object) -> None:
        """Follow the board: its numbers, scenarios and interventions (keeping what was chosen)."""
        self._stale = False
        document = self.board.document()
        self._values = dict(numeric_parameters(document))
        chosen = self.parameter.currentText()
        self.parameter.blockSignals(True)
        self.parameter.clear()
        self.parameter.addItems(list(self._values))
        self.parameter.setCurrentText(chosen if chosen in self._values else "")
        self.parameter.blockSignals(False)
        scenario = self.scenario.currentData()
        self.scenario.clear()
        for item in document.scenarios:
            self.scenario.addItem(item.name, item.id)
        index = self.scenario.findData(scenario if scenario is not None else "peak")
        self.scenario.setCurrentIndex(max(0, index))
        checked = set(self.checked_interventions())
        self.interventions.clear()
        for intervention in document.interventions:
            row = QListWidgetItem(intervention.title)
            row.setData(Qt.ItemDataRole.UserRole, intervention.id)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if intervention.id in checked else Qt.CheckState.Unchecked)
            self.interventions.addItem(row)

    def _parameter_chosen(self, path: str) -> None:
        if path in self._values and not self.range.text().strip():
            self.range.setText(suggested_range(self._values[path]))

    def choose(self, path: str, text: str) -> None:
        """Set the parameter and range as a user would (tests, and a later "sweep this" action)."""
        self.parameter.setCurrentText(path)
        self.range.setText(text)

    def checked_interventions(self) -> tuple[str, ...]:
        rows = (self.interventions.item(i) for i in range(self.interventions.count()))
        return tuple(str(r.data(Qt.ItemDataRole.UserRole)) for r in rows if r.checkState() == Qt.CheckState.Checked)

    # --- running ---------------------------------------------------------------------------

    def run(self) -> RunTicket | None:
        """Check the inputs (a message names what is wrong), then run the sweep in the background."""
        document = self.board.document()
        path = self.parameter.currentText().strip()
        scenario = self.scenario.currentData()
        interventions = self.checked_interventions()
        try:
            if not path:
                raise BoardError("Parameter: choose the number to vary")
            if scenario is None:
                raise BoardError("Scenario: this board has no simulation scenario")
            sweep = Sweep((parse_range(f"{path}={self.range.text().strip()}"),))
            check_sweep(document, sweep, interventions)
        except BoardError as error:
            self.status.setText(str(error))
            return None
        if self.ticket is not None:
            self.ticket.cancel()
        plan = self.service.plan(board_text(document), scenario, DEFAULT_SEED, replications=self.replications.value())
        points = len(sweep.points())
        self.status.setText(f"Sweeping {path} over {points} points on {scenario}, N = {plan.replications} each …")
        self.ticket = self.service.submit(
            RunRequest(f"Sweeping {path} ({points} points)", plan, tuple(sweep.variants(interventions))),
            on_done=lambda result: self.show_result(result, sweep), on_error=self._failed,
            on_cancelled=lambda: self.status.setText("Sweep cancelled (the board changed, or Cancel)"))
        return self.ticket

    def _failed(self, message: str) -> None:
        self.ticket = None
        self.status.setText(f"The sweep failed: {message}")

    def show_result(self, result: RunsResult, sweep: Sweep) -> None:
        """Plot a finished sweep (replacing the last plot)."""
        self.ticket = None
        self.result, self.sweep = result, sweep
        if self.chart is not None:
            self.plot_area.removeWidget(self.chart)
            self.chart.deleteLater()
        self.chart = sweep_chart(result, sweep)
        self.chart.setMinimumHeight(360)
        self.plot_area.addWidget(self.chart)
        self.export_button.setEnabled(True)
        n = result.replications
        self.status.setText(f"{len(result.variants)} points, N = {n} replications each, base seed "
                            f"{result.plan.base_seed}; bars are 95 % confidence intervals (Student t, {n - 1} df); "
                            f"ran on {result.where}")

    # --- export ----------------------------------------------------------------------------

    def export(self, path: Path) -> None:
        """Write the last sweep to ``path`` (.png, .svg or .csv); ``BoardError`` says what is wrong."""
        if self.result is None or self.sweep is None:
            raise BoardError("run a sweep first")
        suffix = path.suffix.lower()
        try:
            if suffix == ".csv":
                write_atomically(sweep_csv(self.result, self.sweep).encode("utf-8"), path)
            elif suffix in (".png", ".svg"):
                export_sweep_chart(self.result, self.sweep, path)
            else:
                raise BoardError(f"{path.name}: save as .png, .svg or .csv")
        except OSError as error:
            raise BoardError(f"{path}: cannot be written ({error})") from None

    def export_dialog(self) -> None:
        name, chosen = QFileDialog.getSaveFileName(self, "Export sweep", str(Path.home() / "sweep.png"),
                                                   ";;".join(EXPORT_FILTERS))
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in EXPORT_FILTERS.values():
            path = path.with_suffix(EXPORT_FILTERS.get(chosen, ".png"))
        try:
            self.export(path)
        except BoardError as error:
            self.status.setText(str(error))
            return
        self.status.setText(f"Exported {path}")
