"""Presenter mode, the presentation scale, workspaces, the keystroke overlay and the
generated shortcut sheet, on a real main window with real keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QDockWidget

from app.ui.actions import shortcut_rows
from app.ui.canvas.interactions import PanInteraction
from app.ui.canvas.style import font
from app.ui.present.presenter import extra_key_lists
from models.fileformat import dumps

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def layout(window):
    return (bytes(window.saveState().data()), window.isFullScreen(), window.menuBar().isVisible(),
            window.statusBar().isVisible(), window.toolbar.isVisible(),
            {d.objectName(): d.isVisible() for d in window.findChildren(QDockWidget)})


def test_present_edit_undo_then_esc_restores_the_layout_exactly(qtbot, window):
    before = layout(window)
    geometry = window.geometry()
    view = window.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_P, CTRL_ALT)
    mode = window.presenter.mode
    assert mode.active
    assert window.isFullScreen()
    assert not window.menuBar().isVisible()
    assert not window.statusBar().isVisible()
    assert not window.toolbar.isVisible()
    assert not any(d.isVisible() for d in window.findChildren(QDockWidget))
    assert window.recording.walk.active  # the board has steps: the walk starts
    # editing works inside: select a node, mark it red by key, undo by key
    calm = next(n.id for n in window.board.nodes if n.health == "none")
    window.selection.select([calm])
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert window.board.node(calm).health == "red"
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.board.node(calm).health == "none"
    # the first Esc clears the selection (the canvas used it), the second leaves
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert mode.active
    assert not window.selection.ids
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not mode.active
    qtbot.waitUntil(lambda: not window.isFullScreen())
    after = layout(window)
    assert after[1:] == before[1:]
    assert window.geometry() == geometry
    assert after[0] == before[0]
    assert not window.recording.walk.active


def test_esc_cancels_a_running_gesture_before_leaving(qtbot, window):
    mode = window.presenter.mode
    mode.enter()
    window.view.setFocus()
    gesture = PanInteraction(window.view, at=QPointF(100, 100).toPoint())
    window.view.start_gesture(gesture)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not gesture.running
    assert mode.active
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not mode.active


def test_presenting_walking_and_scaling_never_touch_the_board(qtbot, window):
    saved = dumps(window.board.document())
    count = window.undo_stack.count()
    qtbot.keyClick(window.view, Qt.Key.Key_P, CTRL_ALT)
    for _ in range(6):
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    qtbot.keyClick(window.view, Qt.Key.Key_Left)
    qtbot.keyClick(window.view, Qt.Key.Key_Equal, CTRL_ALT)
    assert window.presenter.mode.scale == 1.25
    window.presenter.mode.set_scale(2.0)
    assert font(10.5).pixelSize() == 21
    assert font(12.5, bold=True, scaled=False).pixelSize() == 12
    window.presenter.workspaces.apply("Recording")
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not window.presenter.mode.active
    window.presenter.mode.set_scale(1.0)
    assert font(10.5).pixelSize() == 10  # round(10.5) in Python rounds to even
    assert window.undo_stack.count() == count
    assert window.undo_stack.isClean()
    assert not window.files.is_modified()
    assert dumps(window.board.document()) == saved


def test_the_legend_grows_with_the_scale_and_moves_clear_of_the_board(qtbot, window):
    legend = window.scene.legend
    width = legend.sceneBoundingRect().width()
    window.presenter.mode.set_scale(1.5)
    assert legend.sceneBoundingRect().width() == pytest.approx(width * 1.5)
    window.presenter.mode.set_scale(1.0)


def test_the_sheet_lists_every_action_that_has_a_shortcut(qtbot, window):
    rows = shortcut_rows(window, extra_key_lists())
    listed = {(text, keys) for _menu, text, keys in rows}
    missing = []
    for action in window.findChildren(QAction):
        if not action.shortcuts():
            continue
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
        text = action.text().replace("&", "")
        if not any(k == keys and (t == text or text.startswith(t)) for t, k in listed):
            missing.append((text, keys))
    assert not missing
    menus = {menu for menu, _t, _k in rows}
    for key in ("F5", "F6", "Ctrl+F5", "Shift+F5", "1", "7", "Ctrl+Alt+P", "Ctrl+Alt+W"):
        assert any(key in keys.split(", ") for _m, _t, keys in rows), key
    assert "Presenter mode" in menus
    assert any(m.startswith("Simulation") for m in menus)
    assert any(m.startswith("Present") for m in menus)
    dialog = window.show_shortcuts()
    assert dialog.findChild(type(dialog.children()[0])) is not None
    dialog.close()


def test_the_sheet_is_larger_in_presenter_mode(qtbot, window):
    from PySide6.QtWidgets import QTableWidget

    plain = window.show_shortcuts().findChild(QTableWidget).font().pointSizeF()
    window.presenter.mode.enter()
    dialog = window.show_shortcuts()
    assert dialog.findChild(QTableWidget).font().pointSizeF() >= plain * 1.4
    dialog.close()
    window.presenter.mode.leave()


def test_workspaces_built_in_saved_restored_and_deleted(qtbot, window):
    spaces = window.presenter.workspaces
    qtbot.keyClick(window.view, Qt.Key.Key_1, CTRL_ALT)
    shown = {d.objectName() for d in window.findChildren(QDockWidget) if d.isVisible()}
    assert shown == {"dock-stakeholders", "dock-steps"}
    left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
    assert window.dockWidgetArea(window.panels.docks["stakeholders"]) == left
    assert window.dockWidgetArea(window.panels.docks["steps"]) == right
    assert window.view.width() > window.width() * 0.5
    assert spaces.save("Talk") is None
    assert spaces.save("Recording") is not None
    assert spaces.save("  ") is not None
    qtbot.keyClick(window.view, Qt.Key.Key_2, CTRL_ALT)
    assert window.inspector_dock.isVisible()
    assert spaces.apply("Talk")
    shown = {d.objectName() for d in window.findChildren(QDockWidget) if d.isVisible()}
    assert shown == {"dock-stakeholders", "dock-steps"}
    assert spaces.saved_names() == ["Talk"]
    spaces.delete("Talk")
    assert spaces.saved_names() == []
    assert not spaces.apply("Talk")
    assert window.undo_stack.isClean()


def test_keystroke_overlay_shows_the_shortcut_just_pressed(qtbot, window):
    overlay = window.presenter.keystrokes
    qtbot.keyClick(window.view, Qt.Key.Key_O, CTRL_ALT)
    assert overlay.enabled
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    badge = overlay.badge
    assert badge.isVisible()
    assert badge.keys == QKeySequence("Ctrl+0").toString(
        QKeySequence.SequenceFormat.NativeText)
    assert badge.name == "Actual Size"
    qtbot.waitUntil(lambda: not badge.isVisible(), timeout=3000)
    qtbot.keyClick(window.view, Qt.Key.Key_O, CTRL_ALT)
    assert not overlay.enabled
    assert isinstance(badge.font(), QFont)


def test_a_theme_switch_rethemes_the_impact_effort_matrix(qtbot, window):
    from PySide6.QtGui import QColor, QPalette

    from app.ui.panels.matrix import ImpactEffortMatrix

    matrix = window.findChild(ImpactEffortMatrix)
    window.set_theme("dark")
    qtbot.wait(10)
    listing = next(iter(matrix.lists.values()))
    assert QColor(listing.palette().color(QPalette.ColorRole.Text)).lightness() > 160
    window.set_theme("light")
    qtbot.wait(10)
    assert QColor(listing.palette().color(QPalette.ColorRole.Text)).lightness() < 100


def test_the_hud_names_the_worst_node_and_the_error_rate():
    from app.sim.view import FrameView, NodeLook, Overall
    from app.ui.animation.overlay import health_line

    def frame(nodes, error_rate=0.0):
        return FrameView(index=0, t=1.0, clock="19:01", phase="steady", nodes=nodes, edges={},
                         overall=Overall(error_rate=error_rate))

    calm = {"a": NodeLook(health="green", rps=10), "b": NodeLook(health="green", rps=5)}
    assert health_line(frame(calm), str) == ("errors 0.0 % · all nodes healthy", "green")
    full = {**calm, "engine": NodeLook(health="green", rps=30, queue_length=990, queue_limit=1000)}
    text, level = health_line(frame(full, 0.2), lambda n: n.upper())
    assert text == "errors 20.0 % · worst: ENGINE, queue 990/1000"
    assert level == "yellow"  # green nodes, but a fifth of the requests fail: not a green bar
    red = {**full, "llm": NodeLook(health="red", rps=8, err_ps=4)}
    assert health_line(frame(red, 0.2), str) == ("errors 20.0 % · worst: llm, 4.0 err/s", "red")
