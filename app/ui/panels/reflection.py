"""SY19: the meta-model reflection: the models used (the steps), which were
most useful, and what comes next, with the catalog's suggestions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.ui.panels.context import PanelContext, accent, subscribe, tool_button
from app.ui.panels.forms import DetailForm, FormField, split_lines
from models.entities import Reflection
from models.errors import BoardError

LIST_FIELDS = (
    ("Most useful", "most_useful"),
    ("Next models", "next_models"),
    ("Insights", "insights"),
    ("Worked well", "worked_well"),
    ("Felt heavy", "felt_heavy"),
    ("Surprises", "surprises"),
)


class _ReflectionView:
    """The reflection as the form's "entity" (it has no id of its own)."""

    id = "reflection"

    def __init__(self, reflection: Reflection) -> None:
        self.reflection = reflection

    def __getattr__(self, name: str) -> Any:
        return getattr(self.reflection, name)


def _lines_field(label: str, key: str) -> FormField:
    return FormField(label, "lines", lambda r: "\n".join(getattr(r, key)),
                     lambda r, t: {key: split_lines(t)}, "one a line", height=58)


class ReflectionPanel(QWidget):
    """Models used, most useful, what next (and the catalog's suggestions)."""

    title = "Reflection"

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel-reflection")
        self.context = context
        self.used = QLabel()
        self.used.setObjectName("models-used")
        self.used.setWordWrap(True)
        self.suggestions = QListWidget()
        self.suggestions.setWordWrap(True)
        self.suggestions.setMaximumHeight(170)
        self.adopt_button = tool_button("Add to next models", "Add the suggested model to 'Next models'",
                                        self.adopt_suggestion, "fa5s.plus")
        fields = [_lines_field(label, key) for label, key in LIST_FIELDS]
        fields.append(FormField("Time saved", "line", lambda r: r.time_saved, lambda r, t: {"time_saved": t}))
        self.form = DetailForm(fields, self._commit)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setStyleSheet(f"color: {accent('red')};")
        self.status.setWordWrap(True)

        row = QHBoxLayout()
        row.addWidget(QLabel("<b>What the catalog suggests next</b>"))
        row.addStretch(1)
        row.addWidget(self.adopt_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.used)
        layout.addLayout(row)
        layout.addWidget(self.suggestions)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.status)
        subscribe(self, context.board.events.changed, self.refresh)
        self.refresh()

    def used_codes(self) -> list[str]:
        return [step.code for step in self.context.board.items("steps")]

    def refresh(self) -> None:
        steps = self.context.board.items("steps")
        names = ", ".join(f"{s.code} {s.name}" for s in steps) or "none yet"
        self.used.setText(f"Models used ({len(steps)}): {names}")
        self.used.setTextFormat(Qt.TextFormat.PlainText)
        self.form.show_entity(_ReflectionView(self.context.board.reflection))
        suggested = self.context.catalog.suggest_next(self.used_codes())
        shown = [self.suggestions.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.suggestions.count())]
        if shown != [m.code for m in suggested]:
            self.suggestions.clear()
            for model in suggested:
                item = QListWidgetItem(f"{model.code} ({model.name}): {model.question}")
                item.setData(Qt.ItemDataRole.UserRole, model.code)
                self.suggestions.addItem(item)
        self.adopt_button.setEnabled(bool(suggested))

    def _commit(self, form_field: FormField, text: str) -> None:
        try:
            changes = form_field.commit(self.context.board.reflection, text)
            self.context.editor.set_reflection(merge=True, **changes)
        except BoardError as error:
            self.status.setText(str(error))
            return
        self.status.setText("")

    def adopt_suggestion(self) -> None:
        item = self.suggestions.currentItem() or self.suggestions.item(0)
        model = self.context.catalog.get(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None
        if model is None:
            return
        entry = f"{model.code} ({model.name}): {model.question}"
        current = self.context.board.reflection.next_models
        if any(line.startswith(model.code) for line in current):
            self.status.setText(f"{model.code} is already among the next models")
            return
        try:
            self.context.editor.set_reflection(next_models=(*current, entry))
        except BoardError as error:
            self.status.setText(str(error))
