"""How the window replicates its runs and where they run: N replications or a
half-width stopping rule with a cap, and an optional Dask scheduler address.

These are view settings of the program, kept with ``QSettings`` like the
theme: changing them never touches the board or its undo stack. See
docs/runs.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.ui.files import settings
from models.errors import BoardError
from models.runs.replicate import DEFAULT_MAX_REPLICATIONS, MAX_REPLICATIONS, RunPlan

DEFAULT_WINDOW_REPLICATIONS = 5
"""The window's default N: five StreamFlow replications of a scenario take a few
seconds on a laptop's cores, and t(4) already gives usable intervals."""
KEYS = {"replications": "runs/replications", "half_width": "runs/half_width_pct",
        "cap": "runs/max_replications", "scheduler": "runs/scheduler"}


@dataclass(frozen=True)
class RunSettings:
    """``replications`` is N; with ``half_width_pct`` set, replicate until the 95 %
    half-width of p99 and of the error rate is within it, at most ``cap`` times."""

    replications: int = DEFAULT_WINDOW_REPLICATIONS
    half_width_pct: float | None = None
    cap: int = DEFAULT_MAX_REPLICATIONS
    scheduler: str = ""

    def check(self) -> None:
        """A ``BoardError`` naming the setting that is out of range."""
        if not 1 <= self.replications <= MAX_REPLICATIONS:
            raise BoardError(f"Replications: between 1 and {MAX_REPLICATIONS}, not {self.replications}")
        if self.half_width_pct is not None:
            if math.isnan(self.half_width_pct) or not 0.0 < self.half_width_pct < 100.0:
                raise BoardError(f"Half-width target: a percentage above 0 and below 100, not {self.half_width_pct:g}")
            if not 2 <= self.cap <= MAX_REPLICATIONS:
                raise BoardError(f"At most: between 2 and {MAX_REPLICATIONS} replications, not {self.cap}")
        if self.scheduler and any(c.isspace() for c in self.scheduler.strip()):
            raise BoardError(f"Dask scheduler: {self.scheduler!r} is not an address (tcp://host:8786)")

    def plan(self, board: str, scenario: str, base_seed: int, duration_s: float | None = None,
             replications: int | None = None) -> RunPlan:
        """The run plan for one scenario; ``replications`` overrides N (the Sweep panel's own count)."""
        if self.half_width_pct is not None and replications is None:
            return RunPlan(board, scenario, base_seed, self.cap, self.half_width_pct / 100.0, duration_s)
        return RunPlan(board, scenario, base_seed, replications or self.replications, None, duration_s)

    def describe(self) -> str:
        """``N = 5`` or ``until ±5 % (at most 30)``, and where."""
        count = (f"until ±{self.half_width_pct:g} % (at most {self.cap})" if self.half_width_pct is not None
                 else f"N = {self.replications}")
        return f"{count}, on {self.scheduler.strip() or 'this computer'}"


def load_run_settings() -> RunSettings:
    """The stored settings; anything unreadable or out of range falls back to the default."""
    stored = settings()
    default = RunSettings()
    try:
        half = str(stored.value(KEYS["half_width"], "")).strip()
        loaded = RunSettings(
            replications=int(str(stored.value(KEYS["replications"], default.replications))),
            half_width_pct=float(half) if half not in ("", "None") else None,
            cap=int(str(stored.value(KEYS["cap"], default.cap))),
            scheduler=str(stored.value(KEYS["scheduler"], "") or ""),
        )
        loaded.check()
    except (TypeError, ValueError, BoardError):
        return default
    return loaded


def save_run_settings(chosen: RunSettings) -> None:
    stored = settings()
    stored.setValue(KEYS["replications"], chosen.replications)
    stored.setValue(KEYS["half_width"], "" if chosen.half_width_pct is None else chosen.half_width_pct)
    stored.setValue(KEYS["cap"], chosen.cap)
    stored.setValue(KEYS["scheduler"], chosen.scheduler.strip())


class RunSettingsDialog(QDialog):
    """Simulation → Run Settings: replications or a stopping rule, and the Dask scheduler."""

    def __init__(self, current: RunSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runSettingsDialog")
        self.setWindowTitle("Run Settings")
        self.setMinimumWidth(460)
        self.fixed = QRadioButton("A fixed number of replications")
        self.rule = QRadioButton("Until the 95 % half-width of p99 and errors is within")
        group = QButtonGroup(self)
        group.addButton(self.fixed)
        group.addButton(self.rule)
        self.replications = QSpinBox()
        self.replications.setRange(1, MAX_REPLICATIONS)
        self.replications.setValue(current.replications)
        self.half_width = QDoubleSpinBox()
        self.half_width.setRange(0.5, 99.0)
        self.half_width.setSuffix(" %")
        self.half_width.setValue(current.half_width_pct or 5.0)
        self.cap = QSpinBox()
        self.cap.setRange(2, MAX_REPLICATIONS)
        self.cap.setValue(current.cap)
        self.scheduler = QLineEdit(current.scheduler)
        self.scheduler.setPlaceholderText("empty: this computer's cores; or tcp://host:8786")
        (self.rule if current.half_width_pct is not None else self.fixed).setChecked(True)
        self.error = QLabel("")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.fixed)
        form.addRow("Replications", self.replications)
        form.addRow(self.rule)
        form.addRow("Half-width target", self.half_width)
        form.addRow("At most", self.cap)
        form.addRow("Dask scheduler", self.scheduler)
        note = QLabel("Each replication i runs with a seed derived from the base seed; the results are the same "
                      "wherever they run. An unreachable scheduler falls back to this computer, with a notice.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.fixed.toggled.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        fixed = self.fixed.isChecked()
        self.replications.setEnabled(fixed)
        self.half_width.setEnabled(not fixed)
        self.cap.setEnabled(not fixed)

    def chosen(self) -> RunSettings:
        return RunSettings(self.replications.value(),
                           None if self.fixed.isChecked() else self.half_width.value(),
                           self.cap.value(), self.scheduler.text().strip())

    def accept(self) -> None:
        try:
            self.chosen().check()
        except BoardError as error:
            self.error.setText(str(error))
            return
        super().accept()
