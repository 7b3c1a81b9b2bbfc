"""What a recording shows: the first start's layout, lines at the presentation scale, the
legend inside the step's camera, sticky notes that cover nothing, exports without other
steps' notes, the full shortcut sheet, and viewing that never edits. See docs/recording.md."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QHelpEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar, QTableWidget

from app.ui.canvas.interactions.ink import InkTool
from app.ui.present.workspaces import FIRST_START_FRONT, FIRST_START_LEFT, FIRST_START_RIGHT
from app.ui.render import _Printing, hide_unexported_annotations, render_image
from app.visual import EDGE_W, HEALTH_W
from models.fileformat import dumps

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]
ALT_SHIFT = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "benchmarks"))
import screenshots  # noqa: E402  (benchmarks/ is not a package: the script runs from a checkout)


def shown_docks(window) -> set[str]:
    return {d.objectName() for d in window.findChildren(QDockWidget) if d.isVisible()}


def in_front(dock) -> bool:
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def test_a_first_start_gives_the_board_the_screen_and_a_panel_key_brings_a_panel_back(qtbot, recovery, board_copy):
    from app.ui.main_window import MainWindow

    window = MainWindow(recovery=recovery)
    qtbot.addWidget(window)
    assert window.first_start
    window.show_as_started()
    qtbot.waitExposed(window)
    assert window.files.open_path(str(board_copy))
    free = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    assert window.isMaximized()
    qtbot.waitUntil(lambda: free.contains(window.frameGeometry()))  # frame and all, however the screen is

    # only the palette, the steps and the inspector's group; the analysis panels wait in View → Panels
    going_to_step_one = {"dock-stakeholders"}  # the first step's panel comes forward with it
    assert shown_docks(window) - going_to_step_one == set(FIRST_START_LEFT + FIRST_START_RIGHT)
    assert all(in_front(window.findChild(QDockWidget, name)) for name in FIRST_START_FRONT)
    bars = [bar for bar in window.findChildren(QTabBar) if bar.parent() is window]
    assert bars
    assert all(bar.elideMode() == Qt.TextElideMode.ElideNone and bar.usesScrollButtons() for bar in bars)
    # on a recording's 1920×1080 the canvas gets most of the width
    window.resize(1920, 1080)
    window.presenter.workspaces.first_start()
    qtbot.waitUntil(lambda: window.view.width() > 0.6 * window.width())
    assert shown_docks(window) == set(FIRST_START_LEFT + FIRST_START_RIGHT)
    interventions = window.panels.docks["interventions"]
    assert interventions.isHidden()
    window.activateWindow()
    qtbot.keyClick(window.view, Qt.Key.Key_I, ALT_SHIFT)
    qtbot.waitUntil(lambda: in_front(interventions))
    # a later start shows the layout saved at the last close, not the first start's
    window.save_window_state()
    window._restore_state()
    assert not window.first_start
    window.undo_stack.setClean()
    window.close()


def test_lines_legend_and_camera_follow_the_presentation_scale(qtbot, window):
    scene, mode, walk = window.scene, window.presenter.mode, window.recording.walk
    edge = next(e for e in window.board.edges if "critical" not in e.marks and e.style != "dashed")
    node = next(n for n in window.board.nodes if n.health == "none")
    assert scene.item_for(edge.id).far_look()[2] == pytest.approx(EDGE_W)
    qtbot.keyClick(window.view, Qt.Key.Key_P, CTRL_ALT)
    try:
        mode.set_scale(1.5)
        assert scene.item_for(edge.id)._look.width == pytest.approx(EDGE_W * 1.5)  # hidden by the walk just now
        assert scene.item_for(node.id)._look.pen.widthF() == pytest.approx(HEALTH_W["none"] * 1.5)
        last = walk.plan[-1]
        window.recording.session.go_to(last.step_id, last.shown)
        qtbot.waitUntil(lambda: walk.camera.state() != walk.camera.State.Running)
        mode.fit_step()
        legend = scene.legend.sceneBoundingRect()
        assert scene.legend.isVisible()
        assert walk.camera_rect().adjusted(-1, -1, 1, 1).contains(legend), "the legend is cut"
        # the canvas changing size (bars going, a window manager's full screen) fits the step again
        window.resize(window.width() - 300, window.height() - 200)
        qtbot.waitUntil(lambda: walk.camera_rect().adjusted(-1, -1, 1, 1).contains(legend))
        # no tooltip pops up on the recording
        port = window.view.viewport()
        tip = QHelpEvent(QEvent.Type.ToolTip, QPoint(10, 10), port.mapToGlobal(QPoint(10, 10)))
        assert QApplication.sendEvent(port, tip)
    finally:
        mode.set_scale(1.0)
        mode.leave()
    assert scene.item_for(edge.id).far_look()[2] == pytest.approx(EDGE_W)


def test_each_sticky_note_covers_nothing_of_its_own_step(qtbot, window):
    walk, scene, board = window.recording.walk, window.scene, window.board
    walk.set_active(True)
    notes = [a for a in board.items("annotations") if a.kind == "sticky"]
    rects = {n.id: scene.item_for(n.id).sceneBoundingRect() for n in notes}
    for a, b in itertools.combinations(notes, 2):
        assert not rects[a.id].intersects(rects[b.id]), (a.id, b.id)
    for note in (n for n in notes if n.step is not None):
        index = screenshots.last_item_of_step(walk.plan, [s.id for s in board.steps].index(note.step))
        item = walk.plan[index]
        window.recording.session.go_to(item.step_id, item.shown)
        box = QRectF(note.x, note.y, 170, 110)
        under = [i for i in scene.items(box, Qt.ItemSelectionMode.IntersectsItemShape)
                 if i.isVisible() and getattr(i, "entity_id", None) != note.id and i.zValue() > -100]
        assert not under, (note.id, [getattr(i, "entity_id", type(i).__name__) for i in under])
    walk.set_active(False)


def test_pictures_draw_only_the_annotations_of_no_step_or_of_their_own(qtbot, window):
    scene = window.scene
    items = scene.entity_items()
    with _Printing(scene, None, "step-sy19"):  # a step's picture draws its notes, whichever step is current
        assert items["note-reflection"].isVisible()
        assert not items["note-users"].isVisible()
    assert items["note-users"].isVisible()
    assert not items["note-reflection"].isVisible()
    window.recording.step_notes.set_show_all(True)
    hidden = hide_unexported_annotations(scene)
    assert {i.entity_id for i in hidden} == {a.id for a in window.board.items("annotations") if a.step}
    for item in hidden:
        item.setVisible(True)
    hidden = hide_unexported_annotations(scene, "step-p02")
    assert "note-users" not in {i.entity_id for i in hidden}
    assert "note-reflection" in {i.entity_id for i in hidden}
    for item in hidden:
        item.setVisible(True)
    render_image(scene, 0.25)
    assert all(items[a.id].isVisible() for a in window.board.items("annotations"))  # as they were


def test_the_sheet_lists_simulation_step_recording_and_ink_keys_and_viewing_edits_nothing(qtbot, window):
    saved, count = dumps(window.board.document()), window.undo_stack.count()
    dialog = window.show_shortcuts()
    table = dialog.findChild(QTableWidget)
    keys = {table.item(r, 2).text() for r in range(table.rowCount())}
    menus = {table.item(r, 0).text() for r in range(table.rowCount())}
    dialog.close()
    for key in ("F5", "F6", "Ctrl+F5", "Shift+F5", *"1234567", "Alt+Left", "Alt+Right", "Ctrl+Alt+T",
                "Ctrl+Alt+P", "Ctrl+Alt+L", "Ctrl+Alt+S", "P", "H", "E", "Esc"):
        assert any(key in listed.split(", ") for listed in keys), key
    assert {"Ink mode", "Presenter mode"} <= menus
    # walking, presenting, workspaces, pointers and the scale are view state
    view = window.view
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(view, Qt.Key.Key_P, CTRL_ALT)
    for _ in range(4):
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
    window.ink.toggle_pointer(InkTool.LASER)
    qtbot.mouseMove(view.viewport(), QPoint(300, 300))
    window.ink.toggle_pointer(InkTool.SPOTLIGHT)
    window.ink.toggle_pointer(InkTool.SPOTLIGHT)
    window.presenter.mode.bigger()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    window.presenter.mode.set_scale(1.0)
    window.presenter.workspaces.apply("Recording")
    assert not window.presenter.mode.active
    assert window.undo_stack.count() == count
    assert window.undo_stack.isClean()
    assert not window.isWindowModified()
    assert dumps(window.board.document()) == saved


def test_the_screenshot_script_plans_its_pictures():
    shots = screenshots.shot_list()
    names = screenshots.file_names(shots)
    assert names[0] == "01-first-start.png"
    assert [n for n in names if "present-step" in n] == ["02-present-step01.png", "03-present-step02.png",
                                                       "04-present-step08.png", "05-present-step10.png"]
    assert {"run-laser", "spotlight"} <= {s.name for s in shots}
    assert len(set(names)) == len(names)
    path = screenshots.laser_path((100.0, 50.0), 40.0, points=8)
    assert len(path) == 9
    assert path[0] == (140, 50)
    with pytest.raises(ValueError, match="no step 11"):
        screenshots.last_item_of_step([], 10)
