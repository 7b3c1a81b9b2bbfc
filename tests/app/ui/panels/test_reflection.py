"""The SY19 reflection: models used, most useful, the catalog's suggestions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.panels.reflection import ReflectionPanel
from tests.app.ui.panels.helpers import OFFSCREEN_NOISE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def test_models_used_and_suggestions_follow_the_steps(make, context):
    panel = make(ReflectionPanel)
    assert panel.used.text().startswith("Models used (10): P02 Stakeholder Mapping, DE07")
    codes = [panel.suggestions.item(i).data(Qt.ItemDataRole.UserRole) for i in range(panel.suggestions.count())]
    assert codes[:5] == ["SY13", "RE10", "DE01", "IN04", "CO01"]
    context.editor.delete(["step-sy19"])
    assert panel.used.text().startswith("Models used (9)")
    assert panel.suggestions.item(0).data(Qt.ItemDataRole.UserRole) == "SY19"


def test_typing_most_useful_is_one_undo_step(qtbot, make, context):
    panel = make(ReflectionPanel)
    board, editor = context.board, context.editor
    before = board.document()
    field = panel.form.widgets["Most useful"]
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.keyClicks(field, "CO03 showed the parallel lookups")
    assert board.reflection.most_useful[-1] == "CO03 showed the parallel lookups"
    editor.stack.undo()
    assert board.document() == before
    # board → widget
    editor.set_reflection(time_saved="About four hours")
    assert panel.form.widgets["Time saved"].text() == "About four hours"


def test_adopt_a_suggestion(qtbot, make, context):
    panel = make(ReflectionPanel)
    board = context.board
    panel.suggestions.setCurrentRow(5)
    code = panel.suggestions.currentItem().data(Qt.ItemDataRole.UserRole)
    assert code == "IN02"
    qtbot.mouseClick(panel.adopt_button, Qt.MouseButton.LeftButton)
    assert board.reflection.next_models[-1].startswith("IN02 (Premortem): ")
    panel.suggestions.setCurrentRow(0)
    qtbot.mouseClick(panel.adopt_button, Qt.MouseButton.LeftButton)
    assert "already" in panel.status.text()
