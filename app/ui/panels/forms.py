"""A small form for the fields of the current row that do not fit a cell:
lists (one item a line), long text and single lines. Typing commits at
once (merged into one undo step per field); board changes refresh the form
without disturbing the field being typed in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPlainTextEdit, QSizePolicy, QWidget


def split_lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@dataclass
class FormField:
    """``kind``: ``line`` (one line of text), ``lines`` (a tuple, one item a
    line) or ``text`` (free text). ``show`` gives the text for an entity;
    ``commit(entity, text)`` returns the field changes for the editor."""

    label: str
    kind: str
    show: Callable[[Any], str]
    commit: Callable[[Any, str], dict[str, Any]]
    placeholder: str = ""
    height: int = 70


class DetailForm(QWidget):
    """Edits the current entity's long fields."""

    def __init__(self, fields: list[FormField], commit: Callable[[FormField, str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self._commit = commit
        self._entity_id: str | None = None
        self._loading = False
        self.widgets: dict[str, QLineEdit | QPlainTextEdit] = {}
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setColumnStretch(1, 1)
        for row, form_field in enumerate(fields):
            widget: QLineEdit | QPlainTextEdit
            if form_field.kind == "line":
                widget = QLineEdit()
                widget.textEdited.connect(lambda text, f=form_field: self._edited(f, text))
            else:
                widget = QPlainTextEdit()
                widget.setTabChangesFocus(True)
                widget.setMinimumHeight(form_field.height)
                widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
                widget.textChanged.connect(lambda f=form_field, w=widget: self._edited(f, w.toPlainText()))
                layout.setRowStretch(row, 1)
            widget.setPlaceholderText(form_field.placeholder)
            self.widgets[form_field.label] = widget
            label = QLabel(form_field.label)
            label.setBuddy(widget)
            top = Qt.AlignmentFlag.AlignTop if form_field.kind != "line" else Qt.AlignmentFlag.AlignVCenter
            layout.addWidget(label, row, 0, Qt.AlignmentFlag.AlignLeft | top)
            layout.addWidget(widget, row, 1)
        self.setEnabled(False)

    def _edited(self, form_field: FormField, text: str) -> None:
        if not self._loading:
            self._commit(form_field, text)

    @staticmethod
    def _text(widget: QLineEdit | QPlainTextEdit) -> str:
        return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()

    def show_entity(self, entity: Any) -> None:
        """Show an entity's fields; a field whose text already means the same
        value (the one being typed in) is left alone."""
        self.setEnabled(entity is not None)
        new_id = None if entity is None else entity.id
        switched = new_id != self._entity_id
        self._entity_id = new_id
        self._loading = True
        try:
            for form_field in self.fields:
                widget = self.widgets[form_field.label]
                wanted = "" if entity is None else form_field.show(entity)
                current = self._text(widget)
                same = (split_lines(current) == split_lines(wanted)) if form_field.kind == "lines" \
                    else current.strip() == wanted.strip()
                if switched or not same:
                    if isinstance(widget, QLineEdit):
                        widget.setText(wanted)
                    else:
                        widget.setPlainText(wanted)
        finally:
            self._loading = False
