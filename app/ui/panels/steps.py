"""The step navigator: the board's HUMMBL steps, one at a time.

Each step shows its model's code, name and guiding question (from the
catalog) and the board section it fills. Going to a step is view state (the
``RecordingSession``): it never marks the board modified nor goes on the undo
stack. The list below adds steps from the catalog, removes and reorders them.
The recording timer stamps each step you go to while it runs; stopping it
keeps those times in the steps as one undoable edit (docs/recording.md).
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.panels.base import EntityTablePanel
from app.ui.panels.context import PanelContext, accent, subscribe, tool_button
from app.ui.panels.forms import FormField
from app.ui.panels.table import Column
from app.ui.session import RecordingSession
from models.entities import Step
from models.errors import BoardError

NEXT_SHORTCUT = "Alt+Right"
PREVIOUS_SHORTCUT = "Alt+Left"
TIMER_SHORTCUT = "Ctrl+Alt+T"


def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


class StepsTable(EntityTablePanel):
    """The steps as a list: add from the catalog, remove, reorder, edit notes."""

    collection = "steps"
    title = "Steps"
    hint = "Double-click a step (or press Enter) to go to it. Add models from the catalog after the selected step."
    prefix = "step"

    current_id: str | None = None
    """The navigator's current step, marked in the list."""
    stamps: dict[str, float] = {}  # noqa: RUF012 - replaced by the navigator, never mutated here
    """This recording's step times, shown before they are kept in the steps."""

    catalog_loaded = Signal()
    """A user's catalog file was merged into the catalog."""

    def columns(self) -> list[Column]:
        return [
            Column("Code", lambda s: ("▶ " if s.id == self.current_id else "") + s.code,
                   color=lambda s: accent("blue") if s.id == self.current_id else None),
            Column("Model", lambda s: s.name, stretch=True),
            Column("Segment", lambda s: f"{s.segment_start}–{s.segment_end}" if s.segment_start else ""),
            Column("Recorded", lambda s: clock(self.stamps.get(s.id, s.recorded_at_s)), align_right=True),
        ]

    def add_tools(self, toolbar: QHBoxLayout) -> None:
        self.catalog_box = QComboBox()
        self.catalog_box.setToolTip("A model from the catalog to add as a step")
        self.catalog_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.catalog_box.setMinimumContentsLength(14)
        self.fill_catalog_box()
        toolbar.insertWidget(0, self.catalog_box)
        self.catalog_button = tool_button("Catalog…", "Add models from your own catalog file (JSON); a model "
                                          "with a known code replaces the shipped one", self.open_catalog_file,
                                          "fa5s.book", icon_only=True)
        toolbar.insertWidget(1, self.catalog_button)
        if self.context.catalog_messages:
            self.show_error("; ".join(self.context.catalog_messages))

    def fill_catalog_box(self) -> None:
        chosen = self.catalog_box.currentData()
        self.catalog_box.clear()
        for model in self.context.catalog:
            self.catalog_box.addItem(f"{model.code}  {model.name}", model.code)
            self.catalog_box.setItemData(self.catalog_box.count() - 1, model.question, Qt.ItemDataRole.ToolTipRole)
        self.catalog_box.setCurrentIndex(max(0, self.catalog_box.findData(chosen)))

    def open_catalog_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add a model catalog", "", "Model catalogs (*.json)")
        if not path:
            return
        added = self.context.add_catalog_file(path)
        self.show_error("; ".join(self.context.catalog_messages))
        if added:
            self.fill_catalog_box()
            self.catalog_loaded.emit()

    def add_entity(self) -> str | None:
        """Add the model picked in the catalog box after the current step."""
        code = self.catalog_box.currentData()
        model = self.context.catalog.get(code) if code else None
        board = self.context.board
        if model is None:
            self.show_error("pick a model from the catalog first")
            return None
        current = self.current_entity()
        index = board.index_of("steps", current.id) + 1 if current is not None else None
        step = Step(id=board.new_id(f"step-{code.lower()}"), code=model.code, name=model.name)
        new_id = self.run(lambda: self.context.editor.add("steps", step, index))
        if new_id:
            self.select_entity(new_id)
        return str(new_id) if new_id else None

    def detail_fields(self) -> list[FormField]:
        return [FormField("Notes", "text", lambda s: s.notes, lambda s, t: {"notes": t}, height=60)]


class StepNavigator(QWidget):
    """Previous / next through the steps, the current step's model, the timer."""

    section_requested = Signal(str)
    """The board section of the step just gone to (so its panel can be raised)."""

    def __init__(self, context: PanelContext, parent: QWidget | None = None,
                 clock_source: Callable[[], float] = time.monotonic,
                 session: RecordingSession | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel-steps")
        self.context = context
        self.session = session or RecordingSession(context.board, clock_source, self)

        self.position = QLabel()
        self.timer_label = QLabel()
        self.timer_label.setObjectName("timer")
        self.record_button = QPushButton("Start recording")
        self.record_button.setCheckable(True)
        self.record_button.setToolTip(f"Start or stop recording ({TIMER_SHORTCUT}): t = 0 now; each step you go "
                                      "to is stamped with its start, and stopping keeps the times (undoable)")
        self.record_button.toggled.connect(self.set_recording)
        top = QHBoxLayout()
        top.addWidget(self.position)
        top.addStretch(1)
        top.addWidget(self.timer_label)
        top.addWidget(self.record_button)

        self.model_label = QLabel()
        self.model_label.setObjectName("model")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.model_label.setFont(font)
        self.model_label.setWordWrap(True)
        self.model_label.setTextFormat(Qt.TextFormat.PlainText)
        self.question_label = QLabel()
        self.question_label.setObjectName("question")
        self.question_label.setWordWrap(True)
        self.question_label.setTextFormat(Qt.TextFormat.RichText)
        self.section_label = QLabel()
        self.section_label.setObjectName("section")
        self.section_label.setWordWrap(True)
        self.section_label.setTextFormat(Qt.TextFormat.RichText)

        self.previous_button = tool_button("Previous", f"Previous step ({PREVIOUS_SHORTCUT})",
                                           self.previous, "fa5s.chevron-left")
        self.next_button = tool_button("Next", f"Next step ({NEXT_SHORTCUT})", self.next, "fa5s.chevron-right")
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)

        self.steps = StepsTable(context)
        self.steps.catalog_loaded.connect(self.refresh)
        self.steps.table.doubleClicked.connect(lambda index: self.go_to_row(index.row()))
        self.steps.table.activate = self.go_to_row

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.model_label)
        layout.addWidget(self.question_label)
        layout.addWidget(self.section_label)
        layout.addLayout(buttons)
        self.present_tools = QHBoxLayout()
        layout.addLayout(self.present_tools)
        layout.addWidget(self.steps, 1)

        self.next_action = self._action("Next step", NEXT_SHORTCUT, self.next)
        self.previous_action = self._action("Previous step", PREVIOUS_SHORTCUT, self.previous)
        self.timer_action = self._action("Start/stop recording", TIMER_SHORTCUT, self.record_button.toggle)

        self.ticker = QTimer(self)
        self.ticker.setInterval(500)
        self.ticker.timeout.connect(self._tick)
        subscribe(self, context.board.events.changed, self.refresh)
        self.session.step_changed.connect(self._step_changed)
        self.session.stamped.connect(lambda *_: self.steps.table.viewport().update())
        self.session.recording_changed.connect(self._recording_changed)
        self._step_changed(self.session.current_id or "")

    def _action(self, text: str, shortcut: str, slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda *_: slot())
        self.addAction(action)
        return action

    def add_tool_actions(self, actions: list[QAction]) -> None:
        """Buttons for presenting actions (frame, reveal) under the step's model."""
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.present_tools.addWidget(button)
        self.present_tools.addStretch(1)

    def actions_for_menu(self) -> list[QAction]:
        return [self.previous_action, self.next_action, self.timer_action]

    # --- where we are ---------------------------------------------------------------

    @property
    def current_id(self) -> str | None:
        return self.session.current_id

    @property
    def started_at(self) -> float | None:
        return self.session.started_at

    def step_ids(self) -> list[str]:
        return [s.id for s in self.context.board.items("steps")]

    def current_index(self) -> int:
        return self.session.current_index()

    def current_step(self) -> Step | None:
        return self.session.current_step()

    def refresh(self) -> None:
        ids = self.step_ids()
        self.steps.stamps = self.session.stamps
        if self.steps.current_id != self.current_id:
            self.steps.current_id = self.current_id
            self.steps.table.viewport().update()
        step = self.current_step()
        index = self.current_index()
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(0 <= index < len(ids) - 1)
        if step is None:
            self.position.setText("No steps yet")
            self.model_label.setText("Add a model from the catalog below")
            self.question_label.setText("")
            self.section_label.setText("")
            return
        self.position.setText(f"Step {index + 1} of {len(ids)}")
        self.model_label.setText(f"{step.code} · {step.name}")
        model = self.context.catalog.get(step.code)
        if model is None:
            self.question_label.setText("<i>This model is not in the catalog.</i>")
            self.section_label.setText("")
            return
        self.question_label.setText(f"<i>{html.escape(model.question)}</i>")
        layers = html.escape(", ".join(model.layers) or "none")
        self.section_label.setText(f"Fills: <b>{html.escape(model.section_title)}</b> · Layers: {layers}")

    # --- moving ----------------------------------------------------------------------

    def next(self) -> None:
        self.go_to_row(self.current_index() + 1)

    def previous(self) -> None:
        self.go_to_row(self.current_index() - 1)

    def go_to_row(self, row: int) -> None:
        ids = self.step_ids()
        if 0 <= row < len(ids):
            self.go_to(ids[row])

    def go_to(self, step_id: str) -> None:
        """Make a step current (view state: the board and the undo stack are untouched)."""
        try:
            self.session.go_to(step_id)
        except BoardError as error:
            self.steps.show_error(str(error))

    def _step_changed(self, step_id: str) -> None:
        if step_id:
            self.steps.select_entity(step_id, publish=False)
        self.refresh()
        step = self.current_step()
        model = self.context.catalog.get(step.code) if step is not None else None
        if model is not None:
            self.section_requested.emit(model.section)

    # --- recording -------------------------------------------------------------------------

    def elapsed(self) -> float | None:
        return self.session.elapsed() if self.session.recording else None

    def set_recording(self, on: bool) -> None:
        """Start recording (t = 0), or stop it and keep the step times in the board (one undo step)."""
        if on == self.session.recording:
            return
        if on:
            self.session.start()
            return
        stamps = self.session.stop()
        try:
            self.context.editor.keep_recording_times(stamps)
        except BoardError as error:
            self.steps.show_error(str(error))

    def _recording_changed(self, on: bool) -> None:
        self.record_button.setText("Stop recording" if on else "Start recording")
        if self.record_button.isChecked() != on:
            self.record_button.setChecked(on)
        if on:
            self.ticker.start()
        else:
            self.ticker.stop()
        self.refresh()
        self._tick()

    def _tick(self) -> None:
        elapsed = self.elapsed()
        self.timer_label.setText("" if elapsed is None else f"● {clock(elapsed)}")
        self.timer_label.setStyleSheet(f"color: {accent('red')}; font-weight: bold;" if elapsed is not None else "")
