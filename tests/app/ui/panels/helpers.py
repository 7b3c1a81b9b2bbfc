"""Driving panel widgets like a user: edit cells, tick boxes, click rows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit


def column_of(panel, header):
    return next(i for i, c in enumerate(panel.model.columns) if c.header == header)


def row_of(panel, entity_id):
    return panel.model.row_of(entity_id)


def cell_text(panel, entity_id, header):
    return panel.model.index(row_of(panel, entity_id), column_of(panel, header)).data()


def edit_cell(qtbot, table, index, text=None, choice=None):
    """Open the cell's editor like a user, type or pick, and press Enter."""
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.indexWidget(index)
    if choice is not None:
        assert isinstance(editor, QComboBox), "no combo box editor opened"
        position = editor.findData(choice)
        assert position >= 0, f"{choice!r} is not offered"
        editor.setCurrentIndex(position)
    else:
        assert isinstance(editor, QLineEdit), "no line editor opened"
        editor.selectAll()
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
        qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on a queued call
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def edit(qtbot, panel, entity_id, header, text=None, choice=None):
    index = panel.model.index(row_of(panel, entity_id), column_of(panel, header))
    edit_cell(qtbot, panel.table, index, text, choice)


def toggle_check(qtbot, panel, entity_id, header):
    """Tick or untick a checkbox cell with the space bar."""
    index = panel.model.index(row_of(panel, entity_id), column_of(panel, header))
    panel.table.setCurrentIndex(index)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Space)


def click_row(qtbot, panel, entity_id, column=0):
    """Click a row like a user (selects it)."""
    table = panel.table
    rect = table.visualRect(panel.model.index(row_of(panel, entity_id), column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def highlighted(panel):
    return panel.selected_ids()


def check_undo_redo(editor, before, after_check):
    """do → undo → redo, the board compared each time."""
    after = editor.board.document()
    after_check()
    editor.stack.undo()
    assert editor.board.document() == before
    editor.stack.redo()
    assert editor.board.document() == after


OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"
"""The offscreen platform says this whenever a window with a layout is shown."""
