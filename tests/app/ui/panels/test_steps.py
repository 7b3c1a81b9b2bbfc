"""The step navigator: walking the StreamFlow steps, the timer, editing the list."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.panels.steps import NEXT_SHORTCUT, StepNavigator
from models.catalog import default_catalog
from tests.app.ui.panels.helpers import OFFSCREEN_NOISE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_walk_the_streamflow_steps_is_view_state(qtbot, make, context):
    navigator = make(StepNavigator)
    catalog = default_catalog()
    steps = context.board.items("steps")
    assert navigator.position.text() == "Step 1 of 10"
    assert not navigator.previous_button.isEnabled()
    layers = context.board.layers
    navigator.go_to_row(0)
    for number, step in enumerate(steps, start=1):
        if number > 1:
            qtbot.mouseClick(navigator.next_button, Qt.MouseButton.LeftButton)
        model = catalog.get(step.code)
        assert navigator.position.text() == f"Step {number} of 10"
        assert navigator.model_label.text() == f"{step.code} · {step.name}"
        assert model.question in navigator.question_label.text().replace("&#x27;", "'")
        assert model.section_title.replace("&", "&amp;") in navigator.section_label.text()
    assert not navigator.next_button.isEnabled()
    # going to a step is view state: the board's layers stay, nothing goes on the undo stack
    assert context.board.layers == layers
    assert context.editor.stack.count() == 0


def test_step_shortcuts_leave_the_undo_stack_alone(qtbot, make, context):
    navigator = make(StepNavigator)
    assert navigator.next_action.shortcut().toString() == NEXT_SHORTCUT
    before = context.board.document()
    navigator.next_action.trigger()
    assert navigator.current_step().code == "DE07"
    assert context.editor.stack.count() == 0
    assert context.board.document() == before
    navigator.previous_action.trigger()
    assert navigator.current_step().code == "P02"


def test_going_to_a_step_raises_its_section(qtbot, make):
    navigator = make(StepNavigator)
    with qtbot.waitSignal(navigator.section_requested) as signal:
        navigator.go_to_row(2)
    assert signal.args == ["failure_modes"]


def test_recording_stamps_steps_and_stopping_keeps_them_in_one_undo_step(qtbot, make, context):
    clock = FakeClock()
    navigator = make(StepNavigator, clock_source=clock)
    before = context.board.document()
    qtbot.mouseClick(navigator.record_button, Qt.MouseButton.LeftButton)
    assert navigator.record_button.isChecked()
    assert navigator.session.stamps == {"step-p02": 0.0}
    clock.now += 185.0
    navigator._tick()
    assert navigator.timer_label.text() == "● 03:05"
    navigator.next()
    row = navigator.steps.model.row_of("step-de07")
    assert navigator.steps.model.index(row, 3).data() == "03:05"
    # while recording, the times are view state: the board is untouched
    assert context.board.document() == before
    assert context.editor.stack.count() == 0
    navigator.timer_action.trigger()
    assert not navigator.record_button.isChecked()
    assert navigator.timer_label.text() == ""
    assert context.board.get("steps", "step-de07").recorded_at_s == 185.0
    assert context.editor.stack.count() == 1
    assert context.editor.stack.undoText() == "Keep recording times of 2 steps"
    clock.now += 60
    navigator.next()
    assert context.board.get("steps", "step-de06").recorded_at_s is None
    context.editor.stack.undo()
    assert context.board.document() == before


def test_add_reorder_and_remove_steps_from_the_catalog(qtbot, make, context):
    navigator = make(StepNavigator)
    table = navigator.steps
    table.select_entity("step-de06")
    box = table.catalog_box
    box.setCurrentIndex(box.findData("IN02"))
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    codes = [s.code for s in context.board.items("steps")]
    assert codes[2:4] == ["DE06", "IN02"]
    assert navigator.position.text() == "Step 1 of 11"
    qtbot.mouseClick(table.up_button, Qt.MouseButton.LeftButton)
    assert [s.code for s in context.board.items("steps")][2:4] == ["IN02", "DE06"]
    qtbot.mouseClick(table.delete_button, Qt.MouseButton.LeftButton)
    assert "IN02" not in [s.code for s in context.board.items("steps")]
    context.editor.stack.undo()
    context.editor.stack.undo()
    context.editor.stack.undo()
    assert [s.code for s in context.board.items("steps")][2:4] == ["DE06", "DE08"]


def test_double_click_goes_to_a_step_and_notes_edit(qtbot, make, context):
    navigator = make(StepNavigator)
    table = navigator.steps
    rect = table.table.visualRect(table.model.index(table.model.row_of("step-re06"), 0))
    qtbot.mouseClick(table.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert navigator.current_step().code == "RE06"
    table.table.setCurrentIndex(table.model.index(table.model.row_of("step-de08"), 0))
    qtbot.keyClick(table.table, Qt.Key.Key_Return)
    assert navigator.current_step().code == "DE08"
    navigator.go_to("step-re06")
    notes = table.form.widgets["Notes"]
    notes.setFocus()
    qtbot.keyClick(notes, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(notes, " More.")
    assert context.board.get("steps", "step-re06").notes.endswith("More.")
    assert context.editor.stack.undoText() == "Change notes of step 'Feedback Loops'"


def test_board_changes_show_in_the_navigator(qtbot, make, context):
    navigator = make(StepNavigator)
    context.editor.update("steps", "step-p02", name="Stakeholders first")
    assert navigator.model_label.text() == "P02 · Stakeholders first"
    document = context.board.document()
    context.board.replace_document(document.model_copy(update={"steps": document.steps[3:]}))
    assert navigator.position.text() == "Step 1 of 7"
    assert navigator.current_step().code == "DE08"


def test_a_users_catalog_file_adds_and_overrides_models(qtbot, make, context, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    good = tmp_path / "team.json"
    good.write_text('{"models": [{"code": "P02", "name": "Stakeholder Mapping", "question": "Whose pain?",'
                    ' "section": "stakeholders"}, {"code": "XY01", "name": "Latency Budget",'
                    ' "question": "Where do the milliseconds go?", "section": "flows", "layers": ["flows"]}]}',
                    encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{"models": [{"code": "nope", "name": "x", "question": "y"}]}', encoding="utf-8")
    navigator = make(StepNavigator)
    table = navigator.steps
    chosen = iter([str(bad), str(good)])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (next(chosen), "")))
    qtbot.mouseClick(table.catalog_button, Qt.MouseButton.LeftButton)
    assert "bad.json" in table.status.text()
    assert "models[0].code" in table.status.text()
    assert table.catalog_box.findData("XY01") < 0
    qtbot.mouseClick(table.catalog_button, Qt.MouseButton.LeftButton)
    assert "P02 overrides" in table.status.text()
    assert "Whose pain?" in navigator.question_label.text()
    table.catalog_box.setCurrentIndex(table.catalog_box.findData("XY01"))
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    navigator.go_to_row(1)
    assert navigator.model_label.text() == "XY01 · Latency Budget"
    assert "Layers: flows" in navigator.section_label.text()
