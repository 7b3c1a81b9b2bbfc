"""The step navigator: the board's HUMMBL steps, one at a time.

Each step shows its model's code, name and guiding question (from the
catalog) and the board section it fills; going to a step switches the canvas
layers that belong to it. The list below adds steps from the catalog,
removes and reorders them. A segment timer for screen recordings stamps
``recorded_at_s`` on each step you go to while it runs (undoably).
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.panels.base import EntityTablePanel
from app.ui.panels.context import PanelContext, accent, subscribe, tool_button
from app.ui.panels.forms import FormField
from app.ui.panels.table import Column
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

    catalog_loaded = Signal()
    """A user's catalog file was merged into the catalog."""

    def columns(self) -> list[Column]:
        return [
            Column("Code", lambda s: ("▶ " if s.id == self.current_id else "") + s.code,
                   color=lambda s: accent("blue") if s.id == self.current_id else None),
            Column("Model", lambda s: s.name, stretch=True),
            Column("Segment", lambda s: f"{s.segment_start}–{s.segment_end}" if s.segment_start else ""),
            Column("Recorded", lambda s: clock(s.recorded_at_s), align_right=True),
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
                 clock_source: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setObjectName("panel-steps")
        self.context = context
        self.clock_source = clock_source
        self.current_id: str | None = None
        self.started_at: float | None = None

        self.position = QLabel()
        self.timer_label = QLabel()
        self.timer_label.setObjectName("timer")
        self.record_button = QPushButton("Start timer")
        self.record_button.setCheckable(True)
        self.record_button.setToolTip(f"Start or stop the segment timer ({TIMER_SHORTCUT}); while it runs, "
                                      "each step you go to is stamped with the time")
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
        layout.addWidget(self.steps, 1)

        self.next_action = self._action("Next step", NEXT_SHORTCUT, self.next)
        self.previous_action = self._action("Previous step", PREVIOUS_SHORTCUT, self.previous)
        self.timer_action = self._action("Start/stop segment timer", TIMER_SHORTCUT, self.record_button.toggle)

        self.ticker = QTimer(self)
        self.ticker.setInterval(500)
        self.ticker.timeout.connect(self._tick)
        subscribe(self, context.board.events.changed, self.refresh)
        subscribe(self, context.board.events.reset, self._board_reset)
        self._board_reset()

    def _action(self, text: str, shortcut: str, slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda *_: slot())
        self.addAction(action)
        return action

    def actions_for_menu(self) -> list[QAction]:
        return [self.previous_action, self.next_action, self.timer_action]

    # --- where we are ---------------------------------------------------------------

    def step_ids(self) -> list[str]:
        return [s.id for s in self.context.board.items("steps")]

    def current_index(self) -> int:
        ids = self.step_ids()
        return ids.index(self.current_id) if self.current_id in ids else -1

    def current_step(self) -> Step | None:
        index = self.current_index()
        return self.context.board.items("steps")[index] if index >= 0 else None

    def _board_reset(self) -> None:
        ids = self.step_ids()
        self.current_id = ids[0] if ids else None
        if self.current_id:
            self.steps.select_entity(self.current_id, publish=False)
        self.refresh()

    def refresh(self) -> None:
        ids = self.step_ids()
        if self.current_id not in ids:
            self.current_id = ids[0] if ids else None
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
        layers = ", ".join(model.layers) or "none"
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
        """Make a step current: switch its layers and, while recording, stamp it."""
        board, editor = self.context.board, self.context.editor
        step = board.get("steps", step_id)
        self.current_id = step_id
        model = self.context.catalog.get(step.code)
        layers = model.layer_settings() if model else None
        change_layers = layers is not None and board.layers.model_dump() != layers
        stamp = self.elapsed()
        try:
            if change_layers or stamp is not None:
                with editor.macro(f"Go to step {step.code} {step.name}"):
                    if change_layers and layers is not None:
                        editor.set_layers(**layers)
                    if stamp is not None:
                        editor.update("steps", step_id, recorded_at_s=round(stamp, 1))
        except BoardError as error:
            self.steps.show_error(str(error))
        self.steps.select_entity(step_id, publish=False)
        self.refresh()
        if model is not None:
            self.section_requested.emit(model.section)

    # --- the segment timer ---------------------------------------------------------------

    def elapsed(self) -> float | None:
        return None if self.started_at is None else max(0.0, self.clock_source() - self.started_at)

    def set_recording(self, on: bool) -> None:
        if on == (self.started_at is not None):
            return
        if on:
            self.started_at = self.clock_source()
            self.record_button.setText("Stop timer")
            self.ticker.start()
            step = self.current_step()
            if step is not None:
                self.go_to(step.id)
        else:
            self.started_at = None
            self.record_button.setText("Start timer")
            self.ticker.stop()
        if self.record_button.isChecked() != on:
            self.record_button.setChecked(on)
        self._tick()

    def _tick(self) -> None:
        elapsed = self.elapsed()
        self.timer_label.setText("" if elapsed is None else f"● {clock(elapsed)}")
        self.timer_label.setStyleSheet(f"color: {accent('red')}; font-weight: bold;" if elapsed is not None else "")
