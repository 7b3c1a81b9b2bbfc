"""Every place the window shows user text shows it as text (issue 16): a board whose
labels, names, titles and notes all start with markup is opened, every dock is shown,
and no label, tooltip or table tooltip hands that markup to Qt's rich-text guess."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QLabel, QMessageBox, QWidget

from app.ui.plain import plain_markup

pytestmark = pytest.mark.gui

MARK = "<b>X</b>"
KEYS = {"label", "name", "title", "notes", "description", "text", "summary", "trigger", "effect", "wants"}


def marked(value):
    if isinstance(value, dict):
        return {k: MARK + v if k in KEYS and isinstance(v, str) else marked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [marked(v) for v in value]
    return value


def rows(model, parent=None):
    parent = QModelIndex() if parent is None else parent
    try:
        count, columns = model.rowCount(parent), model.columnCount(parent)
    except TypeError:  # models whose parent-taking overloads are private
        count, columns = (0, 0) if parent.isValid() else (model.rowCount(), 1)
    for row in range(min(count, 60)):
        for column in range(columns):
            yield model.index(row, column, parent)


def taken_as_markup(text: object, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> bool:
    """Whether Qt would render the user's markup in ``text`` (tooltips are AutoText)."""
    if not isinstance(text, str) or MARK not in text or text_format == Qt.TextFormat.PlainText:
        return False
    return text_format == Qt.TextFormat.RichText or Qt.mightBeRichText(text)


def raw_markup(window) -> set[tuple[str, str]]:
    found = set()
    for widget in window.findChildren(QWidget):
        if taken_as_markup(widget.toolTip()):
            found.add(("tooltip", type(widget).__name__))
        if isinstance(widget, QLabel) and taken_as_markup(widget.text(), widget.textFormat()):
            found.add(("label", type(widget.parent()).__name__))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            for index in rows(widget.model()):
                if taken_as_markup(index.data(Qt.ItemDataRole.ToolTipRole)):
                    found.add(("table tooltip", type(widget.model()).__name__))
    found |= {("canvas tooltip", type(item).__name__) for item in window.scene.items()
              if taken_as_markup(item.toolTip())}
    return found


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_no_widget_takes_user_text_as_markup(qtbot, make_window, example_path, tmp_path):
    path = tmp_path / "marked.cboard"
    path.write_text(json.dumps(marked(json.loads(example_path.read_text(encoding="utf-8")))), encoding="utf-8")
    window = make_window(path)
    assert window.board.node("llm").label.startswith(MARK)
    for dock in window.findChildren(QDockWidget):  # a panel fills its labels when shown
        dock.show()
        dock.raise_()
        qtbot.wait(1)
    window.selection.select(["llm"])
    qtbot.wait(1)
    found = raw_markup(window)
    window.selection.select([window.board.edges[0].id])
    qtbot.wait(1)
    assert found | raw_markup(window) == set()


def test_message_boxes_show_file_names_as_typed(empty_window, monkeypatch, tmp_path):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text: shown.append(text)))
    missing = tmp_path / "<img src='x.png'>.cboard"
    empty_window.files._open_recent(str(missing))
    assert shown == [plain_markup(f"{missing} no longer exists.")]
    document = QTextDocument()
    document.setHtml(shown[0])
    assert document.toPlainText() == f"{missing} no longer exists."
