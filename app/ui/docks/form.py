"""A form generated from a pydantic model: one widget per field, nested
models as groups (optional ones checkable), validated as you type.

The form never changes the board: each edit calls ``commit(path, value)``,
which goes through the editor and raises ``BoardError`` with the reason, shown
under the field. ``refresh(model)`` shows the board's value again.
"""

from __future__ import annotations

import enum
import json
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from models.errors import BoardError

Commit = Callable[[tuple[str, ...], Any], None]
LONG_TEXT = 20_000
DEFAULTS_FOR_REQUIRED = {"rate_per_s": 10.0, "kind": "latency", "target": "", "rank": 1}


def unwrap(annotation: Any) -> tuple[Any, bool]:
    """``(inner type, optional)`` of ``X | None``."""
    optional = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            annotation, optional = args[0], True
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation, optional


def tuple_item(annotation: Any) -> Any:
    """The item type of ``tuple[X, ...]`` without its ``Annotated`` constraints."""
    item = typing.get_args(annotation)[0]
    if typing.get_origin(item) is typing.Annotated:
        item = typing.get_args(item)[0]
    return item


def choices(annotation: Any) -> tuple[str, ...] | None:
    """The allowed strings of a ``Literal`` or of a closed set (``models.kinds``); None for other types."""
    if typing.get_origin(annotation) is Literal:
        return typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return tuple(member.value for member in annotation)
    return None


def is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def default_instance(cls: type[BaseModel]) -> dict[str, Any]:
    """Data for a fresh optional sub-model (e.g. a rate limit being switched on)."""
    data = {}
    for name, info in cls.model_fields.items():
        if info.is_required():
            data[name] = DEFAULTS_FOR_REQUIRED.get(name, 1)
    return cls.model_validate(data).model_dump()


NAMES = {"sim": "Simulation", "call": "Call", "x": "X", "y": "Y", "cv": "CV (spread)", "id": "Id"}


def pretty(name: str) -> str:
    if name in NAMES:
        return NAMES[name]
    return name.replace("_ms", " (ms)").replace("_s", " (s)").replace("_per_s", " /s").replace("_", " ").capitalize() \
        if not name.endswith("_per_s") else name.replace("_per_s", "").replace("_", " ").capitalize() + " (/s)"


class FieldError(QLabel):
    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setStyleSheet("color: #D32F2F; font-size: 11px;")
        self.hide()

    def show_error(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))


class ModelForm(QWidget):
    """Widgets for every field of ``cls`` (except ``skip``), committing through ``commit``."""

    def __init__(self, cls: type[BaseModel], commit: Commit, skip: tuple[str, ...] = ("id",),
                 prefix: tuple[str, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cls, self.commit, self.prefix = cls, commit, prefix
        self._refreshers: list[Callable[[Any], None]] = []
        self._updating = False
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for name, info in cls.model_fields.items():
            if name in skip:
                continue
            self._add_field(layout, name, info)

    # --- building ---------------------------------------------------------------------

    def _send(self, name: str, value: Any, error: FieldError) -> None:
        if self._updating:
            return
        try:
            self.commit((*self.prefix, name), value)
        except BoardError as problem:
            error.show_error(str(problem))
        else:
            error.show_error(None)

    def _add_field(self, layout: QFormLayout, name: str, info: Any) -> None:
        annotation, optional = unwrap(info.annotation)
        metadata = info.metadata
        error = FieldError()
        label = pretty(name)
        if is_model(annotation):
            self._add_group(layout, name, annotation, optional)
            return
        origin = typing.get_origin(annotation)
        options = choices(annotation)
        widget: QWidget
        if options is not None:
            combo = widget = QComboBox()
            if optional:
                combo.addItem("(none)", None)
            for option in options:
                combo.addItem(str(option).replace("_", " "), option)
            combo.activated.connect(lambda _i: self._send(name, combo.currentData(), error))
            self._refreshers.append(lambda m: combo.setCurrentIndex(max(0, combo.findData(getattr(m, name)))))
        elif annotation is bool:
            check = widget = QCheckBox()
            check.toggled.connect(lambda checked: self._send(name, checked, error))
            self._refreshers.append(lambda m: check.setChecked(bool(getattr(m, name))))
        elif annotation in (int, float):
            number = widget = QLineEdit()
            number.setPlaceholderText("none" if optional else "")
            number.setAlignment(Qt.AlignmentFlag.AlignRight)

            def parse(text: str, kind: Any = annotation, opt: bool = optional) -> Any:
                text = text.strip().replace(",", "").replace("_", "")
                if not text:
                    if opt:
                        return None
                    raise BoardError("a number is needed")
                try:
                    return kind(float(text)) if kind is int and float(text).is_integer() else kind(text)
                except ValueError:
                    raise BoardError(f"{text!r} is not {'a whole number' if kind is int else 'a number'}") from None

            def edited(text: str, err: FieldError = error) -> None:
                try:
                    value = parse(text)
                except BoardError as problem:
                    err.show_error(str(problem))
                    return
                self._send(name, value, err)

            number.textEdited.connect(edited)
            self._refreshers.append(lambda m: self._set_text(number, "" if getattr(m, name) is None
                                                             else f"{getattr(m, name):g}"))
        elif annotation is str:
            max_length = next((getattr(m, "max_length", None) for m in metadata if getattr(m, "max_length", None)),
                              None)
            if max_length == LONG_TEXT or name in ("notes", "description", "summary", "goal"):
                long_text = widget = QPlainTextEdit()
                long_text.setFixedHeight(64)
                long_text.textChanged.connect(lambda: self._send(name, long_text.toPlainText(), error))
                self._refreshers.append(lambda m: self._set_plain(long_text, getattr(m, name) or ""))
            else:
                text_line = widget = QLineEdit()
                text_line.textEdited.connect(lambda text: self._send(name, None if optional and not text else text,
                                                                     error))
                self._refreshers.append(lambda m: self._set_text(text_line, getattr(m, name) or ""))
        elif origin is tuple and choices(tuple_item(annotation)) is not None:
            widget = QWidget()
            row = QHBoxLayout(widget)
            row.setContentsMargins(0, 0, 0, 0)
            boxes: dict[Any, QCheckBox] = {}
            for option in choices(tuple_item(annotation)) or ():
                box = QCheckBox(str(option).replace("_", " "))
                boxes[option] = box
                row.addWidget(box)
                box.toggled.connect(lambda _c, b=boxes: self._send(name, tuple(o for o, x in b.items()
                                                                              if x.isChecked()), error))
            row.addStretch()

            def refresh_marks(m: Any, b: dict[Any, QCheckBox] = boxes) -> None:
                for option, box in b.items():
                    box.setChecked(option in getattr(m, name))

            self._refreshers.append(refresh_marks)
        elif origin is tuple and tuple_item(annotation) is str:
            words = widget = QLineEdit()
            words.setPlaceholderText("comma-separated")
            words.textEdited.connect(lambda text: self._send(
                name, tuple(p.strip() for p in text.split(",") if p.strip()), error))
            self._refreshers.append(lambda m: self._set_text(words, ", ".join(getattr(m, name))))
        else:
            json_text = widget = QPlainTextEdit()
            json_text.setFixedHeight(90)
            json_text.setPlaceholderText("JSON")

            def json_changed(w: QPlainTextEdit = json_text, err: FieldError = error) -> None:
                try:
                    value = json.loads(w.toPlainText() or "null")
                except ValueError as problem:
                    err.show_error(f"not valid JSON: {problem}")
                    return
                self._send(name, value, err)

            json_text.textChanged.connect(json_changed)

            def refresh_json(m: Any, w: QPlainTextEdit = json_text) -> None:
                value = getattr(m, name)
                data = [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value] \
                    if isinstance(value, tuple) else value
                self._set_plain(w, json.dumps(data, indent=1, ensure_ascii=False))

            self._refreshers.append(refresh_json)
        widget.setObjectName(f"field_{'.'.join((*self.prefix, name))}")
        widget.setToolTip(info.description or name)
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        column.addWidget(error)
        layout.addRow(label, cell)

    def _add_group(self, layout: QFormLayout, name: str, cls: type[BaseModel], optional: bool) -> None:
        group = QGroupBox(pretty(name))
        group.setObjectName(f"group_{'.'.join((*self.prefix, name))}")
        inner = QVBoxLayout(group)
        inner.setContentsMargins(6, 4, 6, 4)
        sub = ModelForm(cls, self.commit, skip=(), prefix=(*self.prefix, name))
        inner.addWidget(sub)
        error = FieldError()
        inner.addWidget(error)
        if optional:
            group.setCheckable(True)

            def switched(on: bool) -> None:
                sub.setVisible(on)
                self._send(name, default_instance(cls) if on else None, error)

            group.toggled.connect(switched)

        def refresh(m: Any) -> None:
            value = getattr(m, name)
            if optional:
                group.setChecked(value is not None)
                sub.setVisible(value is not None)
            if value is not None:
                sub.refresh(value)

        self._refreshers.append(refresh)
        layout.addRow(group)

    # --- showing the board's values ---------------------------------------------------------

    @staticmethod
    def _set_text(widget: QLineEdit, text: str) -> None:
        if not widget.hasFocus() and widget.text() != text:
            widget.setText(text)

    @staticmethod
    def _set_plain(widget: QPlainTextEdit, text: str) -> None:
        if not widget.hasFocus() and widget.toPlainText() != text:
            widget.setPlainText(text)

    def refresh(self, model: Any) -> None:
        self._updating = True
        try:
            for refresher in self._refreshers:
                refresher(model)
        finally:
            self._updating = False
