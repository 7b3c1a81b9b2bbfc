"""The charts dock: end-to-end latency, errors and goodput, the selected node,
and the baseline-versus-interventions comparison: N replications of each
(the same seeds), run through the window's background-run service
(``app.ui.runs.service``), every figure as mean ± 95 % half-width and the
change as the paired difference ± its half-width (errors in pp)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.sim.controller import SimulationController
from app.sim.view import FrameView
from app.ui.animation.chart import LineChart, Marker, Series
from app.ui.animation.compare_chart import ComparisonBars
from app.ui.runs.service import RunRequest, RunService, RunTicket
from models.runs.jobs import board_text
from models.runs.replicate import RunsResult, Variant, paired_difference
from models.runs.stats import Estimate

REFRESH_MS = 150
"""Charts redraw at most this often during a run."""

MARKED_EVENTS = {
    "failure_started": "#C62828", "failure_ended": "#2E7D32", "breaker_open": "#6A1B9A", "node_red": "#EF6C00",
}

COMPARED: tuple[tuple[str, str, float, str, bool], ...] = (
    ("p50 (ms)", "p50_ms", 1.0, "", False),
    ("p95 (ms)", "p95_ms", 1.0, "", False),
    ("p99 (ms)", "p99_ms", 1.0, "", False),
    ("error rate (%)", "error_rate", 100.0, " pp", False),
    ("goodput (req/s)", "goodput_rps", 1.0, "", True),
)
"""Row label, the metric (``models.runs.metrics``), its scale, the unit of a change, and whether more is better."""


def estimate_text(found: Estimate | None, scale: float, sign: str = "") -> str:
    """``2400.0 ± 310.2``, or the mean alone for one replication."""
    if found is None:
        return "-"
    mean = f"{found.mean * scale:{sign}.1f}"
    return mean if found.half_width is None else f"{mean} ± {found.half_width * scale:.1f}"


def markers_of(frames: list[FrameView]) -> list[Marker]:
    marks: list[Marker] = []
    for frame in frames:
        for event in frame.events:
            if event.kind in MARKED_EVENTS:
                text = event.target if event.kind == "node_red" else event.kind.replace("_", " ")
                if event.kind == "node_red" and any(m.text == text for m in marks):
                    continue
                marks.append(Marker(event.t, text, MARKED_EVENTS[event.kind]))
    return marks


class ChartsPanel(QWidget):
    """Follows a controller's history; the selected node comes from the selection."""

    def __init__(self, controller: SimulationController, selection: Any = None, service: RunService | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.service = service
        self.comparison: RunsResult | None = None
        self.ticket: RunTicket | None = None
        self.duration_s: float | None = None
        """Simulated seconds of each comparison run; None runs the scenario's whole duration."""
        self.node_id: str | None = None
        self.latency = LineChart("End-to-end latency", "ms")
        self.errors = LineChart("Error rate", "%")
        self.goodput = LineChart("Goodput", "req/s")
        self.node_queue = LineChart("Selected node: queue", "requests")
        self.node_util = LineChart("Selected node: utilisation", "%", fixed_max=100.0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for chart in self.charts():
            layout.addWidget(chart, 1)
        row = QHBoxLayout()
        self.compare_button = QPushButton("Compare baseline ↔ interventions")
        self.compare_button.setToolTip("Runs the scenario without and with the checked interventions, N replications "
                                       "each with the same seeds (Simulation → Run Settings)")
        self.compare_button.clicked.connect(self.compare)
        self.compare_status = QLabel("")
        self.compare_status.setTextFormat(Qt.TextFormat.PlainText)
        self.compare_status.setWordWrap(True)
        row.addWidget(self.compare_button)
        row.addWidget(self.compare_status, 1)
        layout.addLayout(row)
        self.table = QTableWidget(len(COMPARED), 3)
        self.table.setHorizontalHeaderLabels(["baseline", "with interventions", "change"])
        self.table.setVerticalHeaderLabels([row[0] for row in COMPARED])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setFixedHeight(24 * len(COMPARED) + self.table.horizontalHeader().sizeHint().height() + 6)
        layout.addWidget(self.table)
        self.bars = ComparisonBars()
        """The same comparison as bars with 95 % confidence whiskers."""
        layout.addWidget(self.bars)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        controller.progressed.connect(lambda _n: self._schedule())
        controller.displayed.connect(self._cursor)
        if selection is not None:
            selection.changed.connect(self._selection_changed)

    def charts(self) -> tuple[LineChart, ...]:
        return (self.latency, self.errors, self.goodput, self.node_queue, self.node_util)

    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _selection_changed(self, ids: list[str]) -> None:
        board = self.controller.board
        node = next((i for i in ids if board.is_node(i)), None)
        if node is not None and node != self.node_id:
            self.node_id = node
            self.refresh()

    def _cursor(self, frame: FrameView | None) -> None:
        for chart in self.charts():
            chart.set_cursor(frame.t if frame is not None else None)

    def refresh(self) -> None:
        frames = self.controller.history.frames()
        times = [f.t for f in frames]
        marks = markers_of(frames)
        duration = frames[-1].duration_s if frames else 0.0
        latency = [Series("p50", "#1E88E5", tuple(f.overall.p50_ms for f in frames))]
        if any(f.overall.p95_ms for f in frames):
            latency.append(Series("p95", "#F57C00", tuple(f.overall.p95_ms for f in frames)))
        latency.append(Series("p99", "#C62828", tuple(f.overall.p99_ms for f in frames)))
        self.latency.set_data(times, latency, marks, duration)
        self.errors.set_data(times, [Series("errors", "#C62828", tuple(100 * f.overall.error_rate for f in frames))],
                             marks, duration)
        self.goodput.set_data(times, [Series("goodput", "#2E7D32", tuple(f.overall.goodput for f in frames)),
                                      Series("offered", "#90A4AE", tuple(f.overall.rps for f in frames))],
                              marks, duration)
        node = self.node_id
        label = node or "select a node"
        self.node_queue.title = f"{label}: queue"
        self.node_util.title = f"{label}: utilisation"
        looks = [f.nodes.get(node) if node else None for f in frames]
        self.node_queue.set_data(times, [Series("queue", "#6A1B9A", tuple(
            float(look.queue_length) if look else 0.0 for look in looks))], marks, duration)
        self.node_util.set_data(times, [Series("busy workers", "#00897B", tuple(
            100 * look.utilisation if look else 0.0 for look in looks))], marks, duration)

    # --- comparison ---------------------------------------------------------------------

    def compare(self) -> RunTicket | None:
        """Run the baseline and the checked interventions in the background (replaces any comparison running)."""
        scenarios = [scenario_id for scenario_id, _name in self.controller.scenarios()]
        if self.service is None or not scenarios:
            self.compare_status.setText("This board has no simulation scenario to compare on.")
            return None
        scenario = self.controller.scenario_id if self.controller.scenario_id in scenarios else scenarios[0]
        board = self.controller.board
        known = {i.id for i in board.items("interventions")}
        interventions = tuple(i for i in self.controller.interventions if i in known)
        if self.ticket is not None:
            self.ticket.cancel()
        plan = self.service.plan(board_text(board.document()), scenario, self.controller.seed, self.duration_s)
        variants = (Variant("baseline"), Variant("with interventions", interventions))
        self.comparison = None
        self.show_comparison()
        self.compare_status.setText(f"running on {scenario} ({self.service.settings.describe()})…")
        self.ticket = self.service.submit(
            RunRequest(f"Comparing on {scenario}", plan, variants), on_done=self._compared, on_error=self._failed,
            on_cancelled=lambda: self.compare_status.setText("comparison cancelled (the board changed, or Cancel)"))
        return self.ticket

    def _compared(self, result: RunsResult) -> None:
        self.ticket = None
        self.comparison = result
        self.show_comparison()

    def _failed(self, message: str) -> None:
        self.ticket = None
        self.compare_status.setText(f"comparison failed: {message}")

    def show_comparison(self) -> None:
        result = self.comparison
        self.bars.show_result(result)
        if result is not None:
            n = result.replications
            names = ", ".join(result.variants[1].variant.interventions) or "none"
            spread = "one run each" if n == 1 else f"mean ± 95 % half-width of N = {n}"
            self.compare_status.setText(f"{result.plan.scenario}, base seed {result.plan.base_seed}, {spread}; "
                                        f"with: {names}")
        for row, (_label, key, scale, change_unit, more_is_better) in enumerate(COMPARED):
            base = result.variants[0] if result else None
            improved = result.variants[1] if result else None
            self._cell(row, 0, estimate_text(base.estimate(key), scale) if base else "")
            self._cell(row, 1, estimate_text(improved.estimate(key), scale) if improved else "")
            delta_item = QTableWidgetItem("")
            change = paired_difference(improved, base, key) if base and improved else None
            if change is not None:
                delta_item.setText(estimate_text(change, scale, "+") + change_unit)
                better = change.mean > 0 if more_is_better else change.mean < 0
                clear = change.half_width is None or abs(change.mean) > change.half_width
                if abs(change.mean) > 1e-9 and clear:
                    delta_item.setForeground(Qt.GlobalColor.darkGreen if better else Qt.GlobalColor.red)
            self.table.setItem(row, 2, delta_item)

    def _cell(self, row: int, column: int, text: str) -> None:
        self.table.setItem(row, column, QTableWidgetItem(text))
