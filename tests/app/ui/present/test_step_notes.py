"""The editing view shows the notes of no step and of the current step only (view state)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.app.ui.panels.helpers import OFFSCREEN_NOISE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
STAKEHOLDER_NOTES = {"note-users", "note-product", "note-infra", "note-business"}  # step P02's
PREMORTEM, REFLECTION = "note-premortem", "note-reflection"  # steps DE06 and SY19


def shown_notes(window) -> set[str]:
    items = window.scene.entity_items()
    return {note.id for note in window.board.items("annotations") if items[note.id].isVisible()}


def test_the_canvas_shows_the_current_steps_notes(qtbot, window):
    session, undo = window.recording.session, window.undo_stack
    window.activateWindow()
    window.view.setFocus()
    depth = undo.count()
    assert session.current_id == "step-p02"
    assert shown_notes(window) == STAKEHOLDER_NOTES
    for _ in range(2):  # P02 → DE07 → DE06, with the Steps panel's key
        qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert session.current_id == "step-de06"
    assert shown_notes(window) == {PREMORTEM}
    session.go_to("step-sy19")
    assert shown_notes(window) == {REFLECTION}

    qtbot.keyClick(window.view, Qt.Key.Key_A, CTRL_ALT)  # View → Show All Steps' Notes
    assert window.recording.actions["all_step_notes"].isChecked()
    assert shown_notes(window) == STAKEHOLDER_NOTES | {PREMORTEM, REFLECTION}
    qtbot.keyClick(window.view, Qt.Key.Key_A, CTRL_ALT)
    assert shown_notes(window) == {REFLECTION}

    session.go_to(None)
    assert shown_notes(window) == set()  # no current step: only the notes of no step (StreamFlow has none)
    assert undo.count() == depth
    assert undo.isClean()
    assert not window.isWindowModified()

    session.go_to("step-sy19")  # the annotations layer (an edit) still decides, whatever the step
    window.action_set["layer_annotations"].trigger()
    assert shown_notes(window) == set()
    undo.undo()
    assert shown_notes(window) == {REFLECTION}
    undo.setClean()

    # picking another step's note in the outline goes to its step
    session.go_to("step-p02")
    depth = undo.count()
    window.outline_dock.show()
    outline = window.outline
    outline.filter.setText("Premortem")
    assert outline.row_ids("annotations") == [PREMORTEM]
    outline.select_rows([PREMORTEM])  # picking the row selects the note, which lives on DE06
    assert window.selection.ids == [PREMORTEM]
    assert session.current_id == "step-de06"
    assert shown_notes(window) == {PREMORTEM}
    assert window.scene.item_for(PREMORTEM).isSelected()

    session.go_to("step-p02")  # the note goes out of view with its step: the canvas drops it from the selection
    assert shown_notes(window) == STAKEHOLDER_NOTES
    assert not window.scene.item_for(PREMORTEM).isVisible()
    assert window.selection.ids == []
    assert undo.count() == depth
    assert undo.isClean()
    assert not window.isWindowModified()

    # the reveal walk lays its build over the filter
    walk = window.recording.walk
    walk.set_active(True)
    try:
        session.go_to("step-p02", 2)  # users and gateway built, the stakeholders' notes not yet
        assert shown_notes(window) == set()
        window.recording.step_notes.set_show_all(True)  # the walk decides while it runs
        assert shown_notes(window) == set()
        assert walk.visible_ids() == set(walk.current_item().drawn(window.board))
        session.go_to("step-p02", 6)
        assert shown_notes(window) == STAKEHOLDER_NOTES
    finally:
        window.recording.step_notes.set_show_all(False)
        walk.set_active(False)
    assert shown_notes(window) == STAKEHOLDER_NOTES
