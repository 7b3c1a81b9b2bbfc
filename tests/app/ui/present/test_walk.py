"""The reveal walk in the real window, driven by the keys a presentation clicker sends."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtWidgets import QToolButton

from app.ui.present.walk import CAMERA_MS, frame_rect
from tests.app.ui.panels.helpers import OFFSCREEN_NOISE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
FORWARD = [Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Space]
BACK = [Qt.Key.Key_PageUp, Qt.Key.Key_Left]


def start_walk(qtbot, window):
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_W, CTRL_ALT)
    walk = window.recording.walk
    assert walk.active
    assert window.recording.actions["walk"].isChecked()
    return walk


def press(qtbot, window, key, moves_camera):
    walk = window.recording.walk
    if moves_camera:
        with qtbot.waitSignal(walk.camera_finished, timeout=3000):
            qtbot.keyClick(window.view, key)
    else:
        qtbot.keyClick(window.view, key)


def assert_camera_shows(walk, frame):
    shown = walk.camera_rect()
    wanted = walk.target_of(frame_rect(frame))  # the frame, with all of the legend if it cuts it
    assert shown.adjusted(-1, -1, 1, 1).contains(wanted), (shown, wanted)
    assert abs(shown.center().x() - wanted.center().x()) < 2
    assert abs(shown.center().y() - wanted.center().y()) < 2
    # the frame fills the view along one side (the view's fit margin aside)
    assert min(shown.width() / wanted.width(), shown.height() / wanted.height()) < 1.5


def assert_at(window, item):
    walk, board = window.recording.walk, window.board
    assert window.recording.session.current_id == item.step_id
    assert window.recording.session.shown == item.shown
    assert walk.visible_ids() == set(item.drawn(board)), (item.step_id, item.shown)


def test_walk_streamflow_forward_and_back_with_clicker_keys(qtbot, window):
    walk = start_walk(qtbot, window)
    plan = walk.plan
    assert len(plan) == 51  # 10 arrivals and 41 reveal entries
    undo_count = window.undo_stack.count()
    assert_at(window, plan[0])
    assert_camera_shows(walk, plan[0].frame)
    assert walk.visible_ids() == set()  # the board starts empty and is built up
    for i in range(1, len(plan)):
        new_step = plan[i].step_id != plan[i - 1].step_id
        press(qtbot, window, FORWARD[i % 3], new_step)
        assert_at(window, plan[i])
        assert_camera_shows(walk, plan[i].frame)
        if plan[i].step_id == "step-p02" and plan[i].shown == 2:
            assert walk.visible_ids() == {"users", "gateway", "e-users-gateway"}
        if plan[i].step_id == "step-co03" and plan[i].shown == 6:
            assert {"stage-auth", "stage-caching", "flow-happy"} <= walk.visible_ids()
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown)  # past the end: stays
    assert_at(window, plan[-1])
    for i in range(len(plan) - 2, -1, -1):
        new_step = plan[i].step_id != plan[i + 1].step_id
        press(qtbot, window, BACK[i % 2], new_step)
        assert_at(window, plan[i])
        assert_camera_shows(walk, plan[i].frame)
    assert window.undo_stack.count() == undo_count
    assert not window.files.is_modified()


def test_ending_the_walk_shows_the_board_as_saved(qtbot, window):
    walk = start_walk(qtbot, window)
    for _ in range(3):
        qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert window.scene.board is walk.lens
    qtbot.keyClick(window.view, Qt.Key.Key_W, CTRL_ALT)
    assert not walk.active
    assert window.scene.board is window.board
    items = window.scene.entity_items()
    for node in window.board.nodes:
        assert items[node.id].isVisible()
    assert items["flow-happy"].isVisible() == window.board.layers.flows
    assert items["q-engine"].isVisible() == window.board.layers.queues
    # the walk keys are off again: Right goes back to the canvas
    assert not window.recording.actions["walk_forward"].isEnabled()


def test_an_edit_while_walking_keeps_the_reveal(qtbot, window):
    walk = start_walk(qtbot, window)
    for _ in range(2):
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    window.editor.update("nodes", "engine", label="Engine (hidden yet)")
    assert not window.scene.item_for("engine").isVisible()
    window.undo_stack.undo()
    assert walk.visible_ids() == {"users", "gateway", "e-users-gateway"}


def test_camera_moves_between_steps_eased_within_400_ms(qtbot, window):
    walk = start_walk(qtbot, window)
    assert CAMERA_MS <= 400
    zooms = []
    window.view.zoom_changed.connect(zooms.append)
    for _ in range(6):  # through P02's build items, still on the same frame
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    assert zooms == []
    started = time.monotonic()
    with qtbot.waitSignal(walk.camera_finished, timeout=3000):
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    took = time.monotonic() - started
    assert took < 2.0  # 350 ms of animation; a loaded test machine paints its frames late
    assert len(set(zooms)) >= 3  # a move, not a jump
    assert zooms == sorted(zooms, reverse=True)  # P02's close-up eases out to DE07's whole board
    assert_camera_shows(walk, window.board.get("steps", "step-de07").frame)


def test_frame_from_view_and_reveal_selection_are_undoable_edits(qtbot, window):
    window.panels.navigator.go_to("step-de06")
    window.view.fit_rect(QRectF(600, 200, 400, 300))
    navigator = window.panels.navigator
    actions = window.recording.actions
    buttons = {b.defaultAction(): b for b in navigator.findChildren(QToolButton) if b.defaultAction()}
    assert buttons[actions["frame_from_view"]].isVisible()
    qtbot.mouseClick(buttons[actions["frame_from_view"]], Qt.MouseButton.LeftButton)
    frame = window.board.get("steps", "step-de06").frame
    assert abs(frame.x + frame.width / 2 - 800) < 2
    assert abs(frame.y + frame.height / 2 - 350) < 2
    assert window.undo_stack.undoText() == "Frame step DE06"
    window.selection.select(["cache", "vectordb"])
    qtbot.mouseClick(buttons[actions["reveal_selection"]], Qt.MouseButton.LeftButton)
    assert window.board.get("steps", "step-de06").reveal == ("note-premortem", "cache", "vectordb")
    assert "cache" not in window.board.get("steps", "step-de07").reveal  # moved, not duplicated
    assert window.undo_stack.undoText() == "Reveal 2 items at step DE06"
    window.undo_stack.undo()
    assert "cache" in window.board.get("steps", "step-de07").reveal
    assert window.board.get("steps", "step-de06").reveal == ("note-premortem",)


def test_deleting_a_revealed_node_drops_it_with_a_notice_and_undo_restores(qtbot, window):
    before = window.board.get("steps", "step-co12").reveal
    window.selection.select(["notification"])
    window.editor.delete(["notification"])
    assert "notification" not in window.board.get("steps", "step-co12").reveal
    assert "q-notification" not in window.board.get("steps", "step-co12").reveal
    message = window.statusBar().currentMessage()
    assert message.startswith("Delete node 'Notification Service': also dropped from the reveal of step CO12")
    assert "Undo brings it back" in message
    window.undo_stack.undo()
    assert window.board.get("steps", "step-co12").reveal == before


def test_a_frame_off_the_board_is_refused_with_a_message(qtbot, window):
    window.panels.navigator.go_to("step-de06")
    window.view.set_zoom(1.0, QPointF(40_005, 40_005))
    count = window.undo_stack.count()
    window.recording.actions["frame_from_view"].trigger()
    assert window.undo_stack.count() == count
    assert "step DE06: the frame" in window.statusBar().currentMessage()
    assert "lies outside the board" in window.statusBar().currentMessage()


def test_save_view_to_board_is_the_one_undoable_way_to_keep_a_steps_layers(qtbot, window):
    window.panels.navigator.go_to("step-de08")
    assert not window.board.layers.flows
    window.recording.actions["save_view"].trigger()
    assert window.board.layers.flows
    assert window.undo_stack.undoText() == "Save view of step DE08 to board"
    window.undo_stack.undo()
    assert not window.board.layers.flows
