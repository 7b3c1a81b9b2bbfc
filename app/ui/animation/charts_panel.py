"""The charts dock: end-to-end latency, errors and goodput, the selected node,
and the baseline-versus-interventions comparison (same seed)."""

from __future__ import annotations

from collections.abc import Callable
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

from app.sim.controller import RunKey, SimulationController
from app.sim.view import FrameView
from app.ui.animation.chart import LineChart, Marker, Series
from models.simulation import SimulationResult

REFRESH_MS = 150
"""Charts redraw at most this often during a run."""

MARKED_EVENTS = {
    "failure_started": "#C62828", "failure_ended": "#2E7D32", "breaker_open": "#6A1B9A", "node_red": "#EF6C00",
}

COMPARED: tuple[tuple[str, Callable[[SimulationResult], float | None], bool], ...] = (
    ("p50 (ms)", lambda summary: summary.latency.p50_ms, False),
    ("p95 (ms)", lambda summary: summary.latency.p95_ms, False),
    ("p99 (ms)", lambda summary: summary.latency.p99_ms, False),
    ("error rate (%)", lambda summary: 100.0 * summary.error_rate, False),
    ("goodput (req/s)", lambda summary: summary.goodput_rps, True),
)
"""Row label, how to read it from a summary (None: no answer), and whether more is better."""


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

    def __init__(self, controller: SimulationController, selection: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
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
        self.compare_button.setToolTip("Runs the scenario without and with the checked interventions, same seed")
        self.compare_button.clicked.connect(self.compare)
        self.compare_status = QLabel("")
        self.compare_status.setTextFormat(Qt.TextFormat.PlainText)
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
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        controller.progressed.connect(lambda _n: self._schedule())
        controller.displayed.connect(self._cursor)
        controller.summarised.connect(lambda _k, _d: self.show_comparison())
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

    def compare(self) -> None:
        started = self.controller.compare()
        self.compare_status.setText("running…" if started else "")
        self.show_comparison()

    def keys(self) -> tuple[RunKey, RunKey]:
        return self.controller.run_key(()), self.controller.run_key()

    def show_comparison(self) -> None:
        baseline_key, with_key = self.keys()
        results = self.controller.results
        baseline, improved = results.get(baseline_key), results.get(with_key)
        if baseline is not None and improved is not None:
            names = ", ".join(with_key[1]) or "none"
            self.compare_status.setText(f"{with_key[0]}, seed {with_key[2]}; with: {names}")
        for row, (_label, read, more_is_better) in enumerate(COMPARED):
            before = read(baseline) if baseline else None
            after = read(improved) if improved else None
            self._cell(row, 0, before)
            self._cell(row, 1, after)
            delta_item = QTableWidgetItem("")
            if before is not None and after is not None:
                delta = after - before
                share = f" ({delta / before:+.0%})" if before else ""
                delta_item.setText(f"{delta:+.1f}{share}")
                better = delta > 0 if more_is_better else delta < 0
                if abs(delta) > 1e-9:
                    delta_item.setForeground(Qt.GlobalColor.darkGreen if better else Qt.GlobalColor.red)
            self.table.setItem(row, 2, delta_item)

    def _cell(self, row: int, column: int, value: float | None) -> None:
        self.table.setItem(row, column, QTableWidgetItem("" if value is None else f"{value:.1f}"))
