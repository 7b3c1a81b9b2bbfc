"""Panel shortcuts bring their tab to the front; the window fits the screen it opens on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from app.ui.panels import SECTION_PANELS

pytestmark = pytest.mark.gui

ALT_SHIFT = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier


def in_front(dock) -> bool:
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def press_alt_shift_i(qtbot, window) -> None:
    window.activateWindow()
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_I, ALT_SHIFT)
    qtbot.wait(10)


def test_a_panel_shortcut_raises_a_tabbed_panel_instead_of_hiding_it(qtbot, make_window, board_copy):
    window = make_window(board_copy)
    shortcut = {text: keys for _, _, text, keys in SECTION_PANELS}["Interventions"]
    assert shortcut == "Alt+Shift+I"
    interventions, stakeholders = window.panels.docks["interventions"], window.panels.docks["stakeholders"]
    stakeholders.raise_()
    qtbot.waitUntil(lambda: in_front(stakeholders))
    assert not in_front(interventions)  # behind another tab of the same group

    press_alt_shift_i(qtbot, window)
    qtbot.waitUntil(lambda: in_front(interventions))
    assert not in_front(stakeholders)
    action = next(a for a in window.dock_actions if a.text() == "Interventions")
    assert action.isChecked()

    press_alt_shift_i(qtbot, window)  # in front already: the same key puts it away
    qtbot.waitUntil(lambda: interventions.isHidden())
    assert not action.isChecked()
    press_alt_shift_i(qtbot, window)  # and brings it back, in front
    qtbot.waitUntil(lambda: in_front(interventions))
    assert action.isChecked()


def test_the_restored_window_is_never_larger_than_the_screen(qtbot, make_window):
    from app.ui.main_window import MainWindow

    first = make_window()
    first.resize(4000, 3000)
    first.move(-500, -400)
    first.save_window_state()
    again = MainWindow(recovery=first.files.recovery)
    qtbot.addWidget(again)
    free = (again.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    frame = again.frameGeometry()
    assert frame.width() <= free.width()
    assert frame.height() <= free.height()
    assert free.contains(frame.topLeft())
    again.undo_stack.setClean()
    again.close()
