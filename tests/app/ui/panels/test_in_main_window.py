"""The panels inside the real main window: docks, shortcuts, the canvas selection."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from tests.app.ui.panels.helpers import OFFSCREEN_NOISE, click_row

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]


def docks(window):
    return {d.objectName(): d for d in window.findChildren(QDockWidget)}


def test_opening_the_example_fills_the_panels(window):
    assert window.panels.widgets["interventions"].model.rowCount() == 9
    assert window.panels.widgets["stakeholders"].model.rowCount() == 4
    assert window.panels.navigator.position.text() == "Step 1 of 10"


def test_step_shortcut_in_the_window_is_view_state(qtbot, window):
    window.activateWindow()
    window.view.setFocus()
    layers = window.board.layers
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.panels.navigator.current_step().code == "DE07"
    assert window.board.layers == layers
    assert not window.files.is_modified()


def test_canvas_and_panel_selection_follow_each_other(qtbot, window):
    failure_modes = window.panels.widgets["failure_modes"]
    window.scene.item_for("cache").setSelected(True)
    assert "cache" in window.selection.ids
    assert failure_modes.selected_ids() == [f.id for f in window.board.items("failure_modes") if f.node == "cache"]
    docks(window)["dock-failure_modes"].raise_()
    click_row(qtbot, failure_modes, "fm-llm-timeout")
    assert window.selection.ids == ["fm-llm-timeout", "llm"]
    assert window.scene.item_for("llm").isSelected()
    assert not window.scene.item_for("cache").isSelected()


def test_delete_key_in_a_table_deletes_only_its_rows(qtbot, window):
    failure_modes = window.panels.widgets["failure_modes"]
    docks(window)["dock-failure_modes"].raise_()
    click_row(qtbot, failure_modes, "fm-llm-timeout")
    assert window.selection.ids == ["fm-llm-timeout", "llm"]
    failure_modes.table.setFocus()
    qtbot.keyClick(failure_modes.table, Qt.Key.Key_Delete)
    assert window.board.find("fm-llm-timeout") is None
    assert window.board.find("llm") is not None
    window.undo_stack.undo()
    assert window.board.find("fm-llm-timeout") is not None
