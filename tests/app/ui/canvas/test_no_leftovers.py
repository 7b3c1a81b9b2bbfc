"""On camera nothing is left behind: what the screen shows after a run stops, or after an
edit that moves the legend, is what a fresh render of the same board shows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage

from app.sim.worker import MAX_SPEED

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]
TOLERANCE = 40
"""A channel may differ this much (antialiasing of a partial repaint against a full one)."""


def on_screen(window) -> QImage:
    """The viewport as the screen shows it now: the window's backing store, not a repaint."""
    port = window.view.viewport()
    corner = port.mapTo(window, port.rect().topLeft())
    return window.screen().grabWindow(window.winId(), corner.x(), corner.y(), port.width(),
                                      port.height()).toImage().convertToFormat(QImage.Format.Format_RGB32)


def fresh(window) -> QImage:
    """The same viewport painted anew from scratch."""
    return window.view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def differing(a: QImage, b: QImage) -> int:
    assert a.size() == b.size()
    count = 0
    for y in range(a.height()):
        for x in range(a.width()):
            p, q = a.pixel(x, y), b.pixel(x, y)
            if any(abs(((p >> s) & 255) - ((q >> s) & 255)) > TOLERANCE for s in (0, 8, 16)):
                count += 1
    return count


def where(a: QImage, b: QImage) -> QRect:
    """The rectangle round the differing pixels (for the failure message)."""
    box = QRect()
    for y in range(a.height()):
        for x in range(a.width()):
            p, q = a.pixel(x, y), b.pixel(x, y)
            if any(abs(((p >> s) & 255) - ((q >> s) & 255)) > TOLERANCE for s in (0, 8, 16)):
                box = box.united(QRect(x, y, 1, 1))
    return box


def same_picture(window, tmp_path) -> None:
    shown, anew = on_screen(window), fresh(window)
    count = differing(shown, anew)
    if count:
        shown.save(str(tmp_path / "shown.png"))
        anew.save(str(tmp_path / "fresh.png"))
    assert count == 0, f"{count} pixels differ in {where(shown, anew)}; see {tmp_path}"


def test_an_edit_that_moves_the_legend_leaves_nothing_behind(qtbot, window, tmp_path):
    window.editor.set_layers(legend=True)
    window.view.zoom_to_fit()
    window.view.set_zoom(window.view.zoom() * 0.8)
    qtbot.wait(200)
    legend_before = window.scene.legend.sceneBoundingRect()
    right = max(n.x for n in window.board.nodes)
    top = min(n.y for n in window.board.nodes)
    window.editor.add_node("service", "Far away", right + 300, top - 200)
    qtbot.wait(200)
    assert window.scene.legend.sceneBoundingRect() != legend_before
    same_picture(window, tmp_path)


@pytest.mark.parametrize("zoom", ["fit", "close"])
def test_a_stopped_run_leaves_nothing_behind(qtbot, window, tmp_path, zoom):
    """Fitted, the overlay draws from afar (``FarNodeLooks``); close, every ring and counter."""
    if zoom == "fit":
        window.view.zoom_to_fit()
    else:
        window.view.set_zoom(1.0, window.scene.node_centre("engine"))
    qtbot.wait(100)
    controller = window.simulation.controller
    controller.set_scenario("llm-rate-limit")
    controller.set_speed(MAX_SPEED)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: len(controller.history) >= 30, timeout=20_000)
    qtbot.wait(300)
    qtbot.keyClick(window.view, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: controller.state == "idle", timeout=5000)
    qtbot.wait(300)
    same_picture(window, tmp_path)
