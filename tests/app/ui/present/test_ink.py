"""Ink mode with real keys and mouse: kept strokes are step annotations (saved,
undoable), fading strokes and the pointers never touch the board, and the
ink keys act only in ink mode."""

from __future__ import annotations

import numpy
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from app.ui.canvas.interactions import SelectTool
from app.ui.canvas.interactions.ink import INK_KEYS, TEXT_PX, InkMode, InkTool
from app.ui.canvas.interactions.pointers import LENS_FACTORS
from tests.app.ui.panels.helpers import OFFSCREEN_NOISE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
STEP = "step-de07"


def move(view, pos: QPoint | QPointF, buttons=Qt.MouseButton.NoButton) -> None:
    viewport = view.viewport()
    p = QPointF(pos)
    QApplication.sendEvent(viewport, QMouseEvent(QMouseEvent.Type.MouseMove, p, viewport.mapToGlobal(p),
                                                 Qt.MouseButton.NoButton, buttons, Qt.KeyboardModifier.NoModifier))


def drag(qtbot, view, start: QPoint, end: QPoint, steps: int = 8) -> None:
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, steps + 1):
        # a slight curve, so a freehand stroke has more than two points
        move(view, QPointF(start + (end - start) * (i / steps)) + QPointF(0, 10 * (i % 2)), Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def key(qtbot, window, code, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.view, code, modifiers)


def ink_of(window, step: str = STEP):
    return [a for a in window.board.items("annotations") if a.step == step and a.kind != "sticky"]


@pytest.fixture
def inking(window, qtbot, clock):
    window.recording.session.go_to(STEP)
    window.ink.clock = clock
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # window shortcuts need an active window
    window.view.setFocus()
    key(qtbot, window, Qt.Key.Key_I, CTRL_ALT)
    assert isinstance(window.view.tool(), InkMode)
    assert window.ink.actions["mode"].isChecked()
    return window


def test_pen_highlighter_and_arrow_are_kept_on_the_step_undone_one_by_one_and_saved(inking, qtbot, tmp_path):
    window, view = inking, inking.view
    key(qtbot, window, Qt.Key.Key_P)
    key(qtbot, window, Qt.Key.Key_B)
    drag(qtbot, view, QPoint(200, 200), QPoint(400, 260))
    key(qtbot, window, Qt.Key.Key_H)
    key(qtbot, window, Qt.Key.Key_Y)
    drag(qtbot, view, QPoint(200, 320), QPoint(500, 320))
    key(qtbot, window, Qt.Key.Key_A)
    key(qtbot, window, Qt.Key.Key_R)
    drag(qtbot, view, QPoint(600, 400), QPoint(750, 300))
    pen, highlight, arrow = ink_of(window)
    assert (pen.kind, pen.color, len(pen.points) > 2) == ("ink", "#1E88E5", True)
    assert (highlight.kind, highlight.color) == ("highlight", "#FDD835")
    assert (arrow.kind, arrow.color, len(arrow.points)) == ("ink", "#E53935", 5)
    assert arrow.points[1] == arrow.points[3]  # the head goes through the tip
    tip = view.mapToScene(QPoint(750, 300))
    assert arrow.points[1] == pytest.approx((tip.x(), tip.y()), abs=0.1)
    assert pen.width == pytest.approx(4.0 / view.zoom(), abs=0.01)  # as wide on screen as it was drawn
    assert window.undo_stack.undoText() == "Draw ink stroke on step DE07"
    assert isinstance(window.scene.item_for(arrow.id), object)
    assert window.scene.item_for(arrow.id).isVisible()

    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [a.id for a in ink_of(window)] == [pen.id, highlight.id]
    assert isinstance(view.tool(), InkMode)  # undo does not leave ink mode

    path = tmp_path / "inked.cboard"
    assert window.files.save_to(str(path))
    assert window.files.open_path(str(path))
    kept = {a.id: a for a in ink_of(window)}
    assert kept == {pen.id: pen, highlight.id: highlight}
    assert window.scene.item_for(pen.id) is not None


def test_erase_removes_the_step_ink_in_one_undo_step(inking, qtbot):
    window, view = inking, inking.view
    for y in (200, 260, 320):
        drag(qtbot, view, QPoint(200, y), QPoint(400, y + 20))
    key(qtbot, window, Qt.Key.Key_T)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(300, 450))
    qtbot.keyClicks(view.viewport().findChild(object, "ink_text"), "peak here")
    qtbot.keyClick(view.viewport().findChild(object, "ink_text"), Qt.Key.Key_Return)
    assert [a.kind for a in ink_of(window)] == ["ink", "ink", "ink", "text"]
    text = ink_of(window)[-1]
    assert (text.text, text.x) == ("peak here", pytest.approx(view.mapToScene(QPoint(300, 450)).x(), abs=0.1))
    assert text.width == pytest.approx(TEXT_PX / view.zoom(), abs=0.1)  # as large as it was written
    view.setFocus()
    stickies = [a.id for a in window.board.items("annotations") if a.kind == "sticky"]
    key(qtbot, window, Qt.Key.Key_E)
    assert ink_of(window) == []
    assert [a.id for a in window.board.items("annotations") if a.kind == "sticky"] == stickies
    assert window.undo_stack.undoText() == "Erase the ink of step DE07"
    window.undo_stack.undo()
    assert len(ink_of(window)) == 4


def test_ink_keys_act_only_in_ink_mode(window, qtbot):
    view, style = window.view, window.ink.style
    qtbot.waitUntil(window.isActiveWindow)
    window.selection.select(["cache"])
    view.setFocus()
    key(qtbot, window, Qt.Key.Key_G)
    key(qtbot, window, Qt.Key.Key_H)
    assert isinstance(view.tool(), SelectTool)
    assert (style.colour, style.tool) == ("#E53935", InkTool.PEN)
    key(qtbot, window, Qt.Key.Key_Y)  # outside ink mode Y is the editing key "health: yellow"
    assert window.board.node("cache").health == "yellow"

    key(qtbot, window, Qt.Key.Key_I, CTRL_ALT)
    count = window.undo_stack.count()
    for code in (Qt.Key.Key_R, Qt.Key.Key_H, Qt.Key.Key_L, Qt.Key.Key_K):
        key(qtbot, window, code)
    assert (style.colour, style.tool) == ("#212121", InkTool.LINE)
    assert window.board.node("cache").health == "yellow"  # R did not mark it red
    assert window.undo_stack.count() == count
    assert window.ink.actions["line"].isChecked()
    assert window.ink.actions["colour_black"].isChecked()
    key(qtbot, window, Qt.Key.Key_Escape)
    assert isinstance(view.tool(), SelectTool)
    assert not window.ink.actions["mode"].isChecked()
    assert {k for k, _ in INK_KEYS} >= {"P", "H", "L", "A", "X", "C", "T", "D", "S", "Z", "R", "Y", "G", "B", "O",
                                         "K", "E", "F"}


def test_fading_strokes_never_touch_the_board(inking, qtbot, clock):
    window, view = inking, inking.view
    window.undo_stack.setClean()
    before, count = window.board.document(), window.undo_stack.count()
    key(qtbot, window, Qt.Key.Key_F)
    assert not window.ink.style.kept
    assert not window.ink.actions["kept"].isChecked()
    drag(qtbot, view, QPoint(200, 200), QPoint(400, 260))
    key(qtbot, window, Qt.Key.Key_X)
    drag(qtbot, view, QPoint(500, 200), QPoint(600, 300))
    mode = view.tool()
    assert len(mode.fading) == 2
    clock.advance(5.0)
    mode.tick()
    assert mode.fading == []
    assert not mode.timer.isActive()
    assert window.board.document() == before
    assert window.undo_stack.count() == count
    assert window.undo_stack.isClean()
    assert not window.isWindowModified()


def test_ctrl_wheel_sets_the_width(inking):
    view, style = inking.view, inking.ink.style
    width = style.width
    wheel(view, 120, Qt.KeyboardModifier.ControlModifier)
    wheel(view, 120, Qt.KeyboardModifier.ControlModifier)
    assert style.width == width + 2
    zoom = view.zoom()
    wheel(view, -120, Qt.KeyboardModifier.ControlModifier)
    assert style.width == width + 1
    assert view.zoom() == zoom


def wheel(view, delta: int, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    viewport = view.viewport()
    p = QPointF(300, 300)
    QApplication.sendEvent(viewport, QWheelEvent(p, viewport.mapToGlobal(p), QPoint(), QPoint(0, delta),
                                                 Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase,
                                                 False))


def test_laser_trail_is_gone_after_one_and_a_half_seconds(inking, qtbot):
    window, view = inking, inking.view
    mode = view.tool()
    mode.clock = mode.laser.clock = __import__("time").monotonic  # real time, as on camera
    qtbot.wait(50)
    before = view.viewport().grab().toImage()
    key(qtbot, window, Qt.Key.Key_D)
    for i in range(12):
        move(view, QPoint(300 + 20 * i, 300 + 5 * i))
    assert len(mode.laser.points) == 12
    assert mode.timer.isActive()
    lit = view.viewport().grab().toImage()
    assert lit != before
    qtbot.wait(1500)
    assert mode.laser.points == []
    assert not mode.timer.isActive()
    assert same_picture(view.viewport().grab().toImage(), before)
    assert not window.isWindowModified()


def same_picture(shown: QImage, expected: QImage, shade: int = 2) -> bool:
    """Equal but for channels a rounding shade apart: a translucent item blended in a partial repaint rounds
    1/255 off the same item in a full one (a laser trail left behind differs by far more)."""
    if shown.size() != expected.size():
        return False
    channels = [numpy.frombuffer(image.convertToFormat(QImage.Format.Format_RGB32).constBits(), numpy.uint8)
                for image in (shown, expected)]
    return int(numpy.abs(channels[0].astype(numpy.int16) - channels[1].astype(numpy.int16)).max()) <= shade


def test_spotlight_dims_all_but_the_selection_and_the_lens_magnifies(inking, qtbot):
    window, view = inking, inking.view
    node = window.scene.item_for("cache")
    centre = view.mapFromScene(node.sceneBoundingRect().center())
    far = QPoint(5, 5)
    plain = view.viewport().grab().toImage()
    key(qtbot, window, Qt.Key.Key_S)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert window.selection.ids == ["cache"]
    dimmed = view.viewport().grab().toImage()
    assert dimmed.pixelColor(far).lightness() < plain.pixelColor(far).lightness() - 40
    assert dimmed.pixelColor(centre) == plain.pixelColor(centre)

    key(qtbot, window, Qt.Key.Key_Z)
    assert window.ink.actions["lens"].isChecked()
    move(view, centre)
    wheel(view, 120)
    assert view.tool().lens.factor == LENS_FACTORS[1]
    assert view.viewport().grab().toImage() != plain
    assert not window.isWindowModified()
