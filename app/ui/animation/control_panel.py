"""The simulation dock: scenario, play / pause / step / restart / stop, speed,
the timeline, interventions, live failures, and the cascade hypothesis check."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.sim.controller import SPEEDS, SimulationController
from app.sim.hypothesis import check_cascade
from app.sim.live import LIVE_FAILURES, LiveFailure
from app.sim.view import FrameView
from app.ui.plain import plain_tooltip
from models.entities import Cascade

STATE_TEXT = {
    "idle": "Stopped — the board shows as drawn.", "running": "Running", "paused": "Paused",
    "finished": "Run complete — scrub the timeline, or Stop to clear.", "error": "The simulation failed",
}
VERDICT_COLOURS = {"agrees": "#2E7D32", "out of order": "#E65100", "never red": "#6D4C41",
                   "not in the chain": "#6A1B9A"}


class SimulationPanel(QWidget):
    """Drives one ``SimulationController``; reads the board, never edits it."""

    message = Signal(str)
    """Something to tell the user (a live failure that cannot apply, an error)."""

    def __init__(self, controller: SimulationController, selection: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.selection = selection
        self._syncing = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._build_run_box())
        layout.addWidget(self._build_interventions_box())
        layout.addWidget(self._build_live_box())
        layout.addWidget(self._build_hypothesis_box(), 1)
        controller.state_changed.connect(self._state_changed)
        controller.progressed.connect(self._progressed)
        controller.displayed.connect(self._displayed)
        controller.errored.connect(self._errored)
        controller.board.events.changed.connect(self._board_changed)
        controller.settings_changed.connect(self._settings_changed)
        self.refresh_from_board()
        self._state_changed(controller.state)

    # --- building -----------------------------------------------------------------

    def _build_run_box(self) -> QGroupBox:
        box = QGroupBox("Run")
        grid = QGridLayout(box)
        self.scenario = QComboBox()
        self.scenario.currentIndexChanged.connect(self._scenario_picked)
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.seed.valueChanged.connect(self._seed_changed)
        self.speed = QComboBox()
        for text, value in SPEEDS:
            self.speed.addItem(text, value)
        self.speed.setCurrentIndex([v for _, v in SPEEDS].index(self.controller.speed))
        self.speed.currentIndexChanged.connect(self._speed_picked)
        grid.addWidget(QLabel("Scenario"), 0, 0)
        grid.addWidget(self.scenario, 0, 1, 1, 3)
        grid.addWidget(QLabel("Speed"), 1, 0)
        grid.addWidget(self.speed, 1, 1)
        grid.addWidget(QLabel("Seed"), 1, 2)
        grid.addWidget(self.seed, 1, 3)
        buttons = QHBoxLayout()
        self.play_button = QPushButton("▶ Play")
        self.play_button.setToolTip("Play / pause (F5)")
        self.play_button.clicked.connect(self.controller.toggle)
        self.step_button = QPushButton("⏭ Step")
        self.step_button.setToolTip("One frame (F6)")
        self.step_button.clicked.connect(self.controller.step)
        self.restart_button = QPushButton("↺ Restart")
        self.restart_button.setToolTip("Again from the start, same seed (Ctrl+F5)")
        self.restart_button.clicked.connect(self.controller.restart)
        self.stop_button = QPushButton("■ Stop")
        self.stop_button.setToolTip("Stop and show the board as drawn (Shift+F5)")
        self.stop_button.clicked.connect(self.controller.stop)
        for button in (self.play_button, self.step_button, self.restart_button, self.stop_button):
            buttons.addWidget(button)
        grid.addLayout(buttons, 2, 0, 1, 4)
        self.timeline = QSlider(Qt.Orientation.Horizontal)
        self.timeline.setRange(0, 0)
        self.timeline.valueChanged.connect(self._scrubbed)
        self.live_button = QPushButton("Live")
        self.live_button.setToolTip("Follow the newest frame again")
        self.live_button.clicked.connect(self.controller.follow_live)
        grid.addWidget(self.timeline, 3, 0, 1, 3)
        grid.addWidget(self.live_button, 3, 3)
        self.position = QLabel("")
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        grid.addWidget(self.position, 4, 0, 1, 4)
        grid.addWidget(self.status, 5, 0, 1, 4)
        return box

    def _build_interventions_box(self) -> QGroupBox:
        box = QGroupBox("Interventions (re-run with the same seed)")
        self.interventions_layout = QVBoxLayout(box)
        self.intervention_boxes: dict[str, QCheckBox] = {}
        return box

    def _build_live_box(self) -> QGroupBox:
        box = QGroupBox("Live failures (number keys)")
        grid = QGridLayout(box)
        self.live_buttons: dict[str, QPushButton] = {}
        for i, failure in enumerate(LIVE_FAILURES):
            button = QPushButton(f"{failure.key}  {failure.text}")
            button.setStyleSheet("text-align: left; padding: 3px 6px;")
            button.clicked.connect(lambda _c=False, f=failure: self.fire(f))
            grid.addWidget(button, i // 2, i % 2)
            self.live_buttons[failure.key] = button
        return box

    def _build_hypothesis_box(self) -> QGroupBox:
        box = QGroupBox("Cascade hypothesis check")
        layout = QVBoxLayout(box)
        self.cascade = QComboBox()
        self.cascade.currentIndexChanged.connect(lambda _i: self.update_hypothesis())
        layout.addWidget(self.cascade)
        self.hypothesis = QTableWidget(0, 4)
        self.hypothesis.setHorizontalHeaderLabels(["analyst's chain", "simulated", "turned red at", "verdict"])
        self.hypothesis.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.hypothesis.verticalHeader().setVisible(False)
        self.hypothesis.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.hypothesis, 1)
        self.hypothesis_summary = QLabel("Run the cascade's scenario to check it.")
        self.hypothesis_summary.setWordWrap(True)
        self.hypothesis_summary.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.hypothesis_summary)
        return box

    # --- board → widgets ------------------------------------------------------------

    def _board_changed(self) -> None:
        self.refresh_from_board()

    def refresh_from_board(self) -> None:
        board = self.controller.board
        self._syncing = True
        try:
            current = self.controller.scenario_id
            self.scenario.clear()
            for scenario in board.items("scenarios"):
                self.scenario.addItem(scenario.name, scenario.id)
            index = self.scenario.findData(current)
            self.scenario.setCurrentIndex(max(0, index))
            if self.scenario.count():
                self.controller.scenario_id = self.scenario.currentData()
            for checkbox in self.intervention_boxes.values():
                self.interventions_layout.removeWidget(checkbox)
                checkbox.deleteLater()
            self.intervention_boxes.clear()
            for intervention in sorted(board.items("interventions"), key=lambda i: i.rank):
                checkbox = QCheckBox(f"{intervention.rank}. {intervention.title}")
                checkbox.setToolTip(plain_tooltip(f"{intervention.impact} impact, {intervention.effort} effort\n"
                                                  f"{intervention.description}"))
                checkbox.setChecked(intervention.id in self.controller.interventions)
                checkbox.toggled.connect(self._interventions_toggled)
                self.interventions_layout.addWidget(checkbox)
                self.intervention_boxes[intervention.id] = checkbox
            cascade = self.cascade.currentData()
            self.cascade.clear()
            for item in board.items("cascades"):
                self.cascade.addItem(item.name, item.id)
            self.cascade.setCurrentIndex(max(0, self.cascade.findData(cascade)))
        finally:
            self._syncing = False
        self._pick_cascade_for_scenario()
        self.update_hypothesis()

    # --- widgets → controller ----------------------------------------------------------

    def _speed_picked(self, index: int) -> None:
        if not self._syncing:
            self.controller.set_speed(float(self.speed.itemData(index)))

    def _scenario_picked(self, _index: int) -> None:
        if not self._syncing and self.scenario.currentData() is not None:
            self.controller.set_scenario(self.scenario.currentData())
            self._pick_cascade_for_scenario()

    def _pick_cascade_for_scenario(self) -> None:
        scenario = self.controller.scenario_id
        for cascade in self.controller.board.items("cascades"):
            if cascade.scenario == scenario:
                self.cascade.setCurrentIndex(self.cascade.findData(cascade.id))
                return

    def _seed_changed(self, value: int) -> None:
        if not self._syncing:
            self.controller.set_seed(value)

    def _settings_changed(self) -> None:
        """The controller's scenario, interventions, speed or seed changed: show them."""
        controller = self.controller
        self._syncing = True
        try:
            index = self.scenario.findData(controller.scenario_id)
            if index >= 0:
                self.scenario.setCurrentIndex(index)
            speeds = [v for _, v in SPEEDS]
            if controller.speed in speeds:
                self.speed.setCurrentIndex(speeds.index(controller.speed))
            self.seed.setValue(controller.seed)
            for intervention_id, box in self.intervention_boxes.items():
                box.setChecked(intervention_id in controller.interventions)
        finally:
            self._syncing = False
        self._pick_cascade_for_scenario()

    def _interventions_toggled(self) -> None:
        if self._syncing:
            return
        self.controller.set_interventions([i for i, box in self.intervention_boxes.items() if box.isChecked()])

    def _scrubbed(self, value: int) -> None:
        if not self._syncing:
            self.controller.seek(value)

    def fire(self, failure: LiveFailure) -> bool:
        """Inject a live failure into the running simulation; explains when it cannot."""
        document = self.controller.board.document()
        selection = list(self.selection.ids) if self.selection is not None else []
        made = failure.make(document, selection)
        if isinstance(made, str):
            self._say(made)
            return False
        if not self.controller.inject(made):
            self._say("Start a run first (F5): live failures go into a running simulation.")
            return False
        self._say(f"Injected: {failure.text.lower()} ({made.kind} on {made.target}).")
        return True

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)

    # --- controller → widgets -----------------------------------------------------------

    def _state_changed(self, state: str) -> None:
        self.play_button.setText("⏸ Pause" if state == "running" else "▶ Play")
        self.status.setStyleSheet("")
        self.status.setText(STATE_TEXT.get(state, state))
        if state == "idle":
            self._progressed(0)

    def _errored(self, message: str) -> None:
        self.status.setStyleSheet("color: white; background: #C62828; padding: 4px; border-radius: 3px;")
        self.status.setText(f"The simulation failed: {message}")
        self.message.emit(f"The simulation failed: {message}")

    def _progressed(self, count: int) -> None:
        self._syncing = True
        try:
            self.timeline.setRange(0, max(0, count - 1))
            if self.controller.following:
                self.timeline.setValue(max(0, count - 1))
        finally:
            self._syncing = False

    def _displayed(self, frame: FrameView | None) -> None:
        if frame is None:
            self.position.setText("")
            self.update_hypothesis()
            return
        self._syncing = True
        try:
            self.timeline.setValue(frame.index)
        finally:
            self._syncing = False
        self.position.setText(f"{frame.label} · t = {frame.t:.0f} s · frame {frame.index + 1} of "
                              f"{len(self.controller.history)}")
        self.update_hypothesis(frame)

    def update_hypothesis(self, frame: FrameView | None = None) -> None:
        frame = frame or self.controller.shown
        cascade_id = self.cascade.currentData()
        found = self.controller.board.find(cascade_id) if cascade_id else None
        self.hypothesis.setRowCount(0)
        if found is None or not isinstance(found[1], Cascade):
            self.hypothesis_summary.setText("This board has no cascade to check.")
            return
        cascade = found[1]
        if frame is None:
            self.hypothesis_summary.setText(
                f"Run “{cascade.scenario or 'a scenario'}” to check the chain {' → '.join(cascade.path)}.")
            return
        check = check_cascade(cascade.path, frame.red_order)
        self.hypothesis.setRowCount(len(check.rows))
        for row, item in enumerate(check.rows):
            cells = [
                f"{item.analyst_position}. {item.node}" if item.analyst_position else "—",
                f"{item.simulated_position}. {item.node}" if item.simulated_position else "never red",
                f"{item.t:.0f} s" if item.t is not None else "",
                ("✓ " if item.verdict == "agrees" else "✗ ") + item.verdict,
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 3:
                    cell.setForeground(Qt.GlobalColor.white)
                    cell.setBackground(QColor(VERDICT_COLOURS[item.verdict]))
                self.hypothesis.setItem(row, column, cell)
        self.hypothesis_summary.setText(check.summary())
