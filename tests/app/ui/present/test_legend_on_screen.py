"""The legend stays whole on a 1920×1080 recording: presenter mode walks StreamFlow with the
clicker keys, at presentation scales 1× and 1.5×, and wherever the legend is shown all of it
is inside the viewport, also when a click reveals it in the middle of a step. See
docs/recording.md, "Presenter mode"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt

from app.ui.present.presenter import WINDOW_MANAGER_MS

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
SCREEN = QRect(0, 0, 1920, 1080)


def legend_on_screen(window) -> bool:
    view, legend = window.view, window.scene.legend
    shown = view.mapFromScene(legend.sceneBoundingRect()).boundingRect()
    return view.viewport().rect().adjusted(-1, -1, 1, 1).contains(shown)


def last_of_step(plan, number: int) -> int:
    """The index in the build plan of step ``number``'s (1-based) last build item."""
    return max(i for i, item in enumerate(plan) if item.step_index == number - 1)


def walk_to(qtbot, window, index: int) -> None:
    """From the walk's current build item to ``index`` with PageDown, as a clicker does."""
    walk = window.recording.walk
    while walk.position() < index:
        moves = walk.plan[walk.position() + 1].step_id != walk.current_item().step_id
        if moves:
            with qtbot.waitSignal(walk.camera_finished, timeout=3000):
                qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
        else:
            qtbot.keyClick(window.view, Qt.Key.Key_PageDown)


def test_the_whole_legend_is_on_screen_at_every_build_item_that_shows_it(qtbot, make_window, board_copy):
    window = make_window(board_copy, size=(SCREEN.width(), SCREEN.height()))
    mode, walk, session = window.presenter.mode, window.recording.walk, window.recording.session
    # step 8 reveals the legend at its last click: the camera must make room for it from the start
    step8 = session.steps()[7]
    window.scene.editor.set_step_reveal(step8.id, [*step8.reveal, "layer:legend"])
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_P, CTRL_ALT)
    assert mode.active
    assert walk.active
    qtbot.wait(WINDOW_MANAGER_MS + 50)  # the offscreen screen is smaller: cover 1920×1080 as Xvfb's does
    window.setGeometry(SCREEN)
    qtbot.waitUntil(lambda: window.view.viewport().width() >= SCREEN.width() - 2)
    try:
        for scale in (1.0, 1.5):
            mode.set_scale(scale)
            checked = set()
            # clicked into the steps that show the legend (2 fits it whole at 1× anyway)
            for before, last in ((1, 2), (7, 10)) if scale > 1 else ((7, 10),):
                start = last_of_step(walk.plan, before)
                session.go_to(walk.plan[start].step_id, walk.plan[start].shown)
                qtbot.waitUntil(lambda: walk.camera.state() != walk.camera.State.Running)
                for index in range(start + 1, last_of_step(walk.plan, last) + 1):
                    walk_to(qtbot, window, index)
                    item = walk.plan[index]
                    if window.scene.legend.isVisible():
                        checked.add(item.step_index + 1)
                        assert legend_on_screen(window), (scale, item.step_id, item.shown, walk.camera_rect())
            assert checked == ({2, 8, 9, 10} if scale > 1 else {8, 9, 10}), checked
            assert walk.current_item() == walk.plan[-1]  # step 10, at its last click
        # the canvas changes size while the camera moves (a window manager's full screen coming
        # late): the move ends on the fit for the new size, the legend whole
        back_to = last_of_step(walk.plan, 9)
        with qtbot.waitSignal(walk.camera_finished, timeout=3000):
            session.go_to(walk.plan[back_to].step_id, walk.plan[back_to].shown)
            assert walk.camera.state() == walk.camera.State.Running
            window.setGeometry(QRect(0, 0, 1600, 900))
        assert window.view.viewport().width() < SCREEN.width() - 100
        assert window.view.zoom() == pytest.approx(walk.fit_of(walk.step_target(walk.current_item()))[0])
        assert legend_on_screen(window)
    finally:
        mode.set_scale(1.0)
        mode.leave()
    assert window.undo_stack.count() == 1  # the reveal edit above; walking edits nothing
