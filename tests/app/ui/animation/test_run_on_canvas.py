"""The real engine on the StreamFlow board, animated on the main window's canvas."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from app.sim.worker import MAX_SPEED
from app.ui.animation import look
from app.ui.animation.items import NodeDecoration
from app.ui.runs.settings import RunSettings
from models.fileformat import dumps
from models.runs.seeds import DEFAULT_SEED

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def red_now(window, node_id: str) -> bool:
    overlay = window.scene.item_for(node_id).overlay
    return overlay is not None and overlay.fill == look.HEALTH_FILL["red"]


def scene_image(scene) -> QImage:
    rect = scene.itemsBoundingRect()
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        scene.render(painter, QRectF(image.rect()), rect)
    finally:
        painter.end()
    return image


def test_llm_engine_gateway_turn_red_in_that_order(qtbot, window):
    controller = window.simulation.controller
    controller.set_scenario("llm-rate-limit")
    controller.set_speed(MAX_SPEED)
    turned: list[str] = []

    def watch(frame):
        for node_id in ("llm", "engine", "gateway"):
            if node_id not in turned and red_now(window, node_id):
                turned.append(node_id)

    controller.displayed.connect(watch)
    controller.play()
    qtbot.waitUntil(lambda: len(turned) == 3, timeout=15_000)
    assert turned == ["llm", "engine", "gateway"]
    qtbot.waitUntil(lambda: len(controller.shown.red_order) >= 3, timeout=5000)
    assert [n for n, _ in controller.shown.red_order][:3] == ["llm", "engine", "gateway"]
    decorations = [i for i in window.scene.items() if isinstance(i, NodeDecoration)]
    assert {d.node_id for d in decorations} == {n.id for n in window.board.nodes}
    assert window.simulation.overlay.clock.isVisible()
    assert window.simulation.overlay.clock.label[:3] in ("18:", "19:")  # early evening, before the peak
    controller.stop()


def test_pause_and_step(qtbot, window):
    controller = window.simulation.controller
    controller.set_scenario("peak")
    controller.set_speed(20.0)
    controller.play()
    qtbot.waitUntil(lambda: len(controller.history) >= 3, timeout=5000)
    controller.pause()
    qtbot.wait(150)
    count = len(controller.history)
    qtbot.wait(400)
    assert len(controller.history) == count
    controller.step()
    qtbot.waitUntil(lambda: len(controller.history) == count + 1, timeout=3000)
    qtbot.waitUntil(lambda: controller.shown is not None and controller.shown.index == count, timeout=2000)
    qtbot.wait(200)
    assert len(controller.history) == count + 1
    assert controller.state == "paused"


def test_stop_cancels_within_a_fraction_of_a_second(qtbot, window):
    controller = window.simulation.controller
    controller.set_scenario("peak")
    controller.set_speed(MAX_SPEED)
    controller.play()
    qtbot.waitUntil(lambda: len(controller.history) >= 20, timeout=5000)
    worker = controller.worker
    began = time.monotonic()
    controller.stop()
    assert time.monotonic() - began < 0.1
    qtbot.waitUntil(lambda: worker.finished_at is not None, timeout=1000)
    assert worker.finished_at - began < 0.3


def test_editing_the_board_cancels_the_run(qtbot, window):
    controller = window.simulation.controller
    controller.set_speed(5.0)
    controller.play()
    qtbot.waitUntil(lambda: controller.shown is not None, timeout=5000)
    window.editor.update("nodes", "cache", label="Redis")
    assert controller.state == "idle"
    assert window.scene.item_for("cache").overlay is None


def test_an_engine_error_is_shown_as_a_message(qtbot, window):
    controller = window.simulation.controller

    def broken(document, scenario, interventions, seed):
        def build():
            raise ValueError("the engine cannot run this board")

        return build

    controller._make_factory = broken
    controller.play()
    panel = window.simulation.panel
    qtbot.waitUntil(lambda: "cannot run this board" in panel.status.text(), timeout=3000)
    assert panel.status.isVisible()
    assert controller.state == "error"
    assert window.isVisible()


def test_board_and_canvas_identical_before_and_after_a_run(qtbot, window):
    before = dumps(window.board.document())
    undo_count = window.undo_stack.count()
    image_before = scene_image(window.scene)
    controller = window.simulation.controller
    controller.set_scenario("llm-rate-limit")
    controller.set_speed(MAX_SPEED)
    controller.play()
    qtbot.waitUntil(lambda: controller.shown is not None and controller.shown.t >= 70, timeout=15_000)
    assert scene_image(window.scene) != image_before
    controller.stop()
    assert dumps(window.board.document()) == before
    assert window.undo_stack.count() == undo_count
    assert not window.isWindowModified()
    assert scene_image(window.scene) == image_before


def test_timeline_scrubs_back_to_before_the_cascade(qtbot, window):
    controller = window.simulation.controller
    controller.set_scenario("llm-rate-limit")
    controller.set_speed(MAX_SPEED)
    controller.play()
    qtbot.waitUntil(lambda: len(controller.history) >= 80, timeout=15_000)
    controller.pause()
    panel = window.simulation.panel
    panel.timeline.setValue(0)
    controller.animator.flush()
    assert controller.shown.index == 0
    assert controller.shown.red_order == ()
    panel.timeline.setValue(70)
    controller.animator.flush()
    assert [n for n, _ in controller.shown.red_order][:3] == ["llm", "engine", "gateway"]


def test_live_failure_key_crashes_the_selected_node(qtbot, window):
    from PySide6.QtCore import Qt

    controller = window.simulation.controller
    controller.set_scenario("off-peak")
    controller.set_speed(10.0)
    controller.play()
    qtbot.waitUntil(lambda: len(controller.history) >= 2, timeout=8000)
    window.selection.select(["content"])
    qtbot.keyClick(window, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: any(e.kind == "failure_started" and e.target == "content"
                                for f in controller.history.frames() for e in f.events), timeout=5000)
    qtbot.waitUntil(lambda: controller.shown.nodes["content"].health == "red", timeout=8000)
    assert "crash the selected node" in window.simulation.panel.status.text().lower()


def test_live_failure_without_a_run_explains(qtbot, window):
    panel = window.simulation.panel
    from app.sim.live import LIVE_FAILURES

    assert panel.fire(LIVE_FAILURES[0]) is False
    assert "Start a run first" in panel.status.text()


def test_interventions_rerun_with_the_same_seed(qtbot, window):
    controller = window.simulation.controller
    panel = window.simulation.panel
    controller.set_scenario("peak")
    controller.set_seed(7)
    controller.set_speed(MAX_SPEED)
    controller.play()
    qtbot.waitUntil(lambda: len(controller.history) >= 30, timeout=8000)
    first_history = controller.history
    panel.intervention_boxes["llm-timeout-fallback"].setChecked(True)
    assert controller.interventions == ("llm-timeout-fallback",)
    assert controller.history is not first_history
    assert controller.seed == 7
    qtbot.waitUntil(lambda: len(controller.history) >= 5, timeout=8000)
    assert controller.state in ("running", "finished")


def test_comparison_runs_through_the_run_service_and_shows_intervals(qtbot, window):
    controller = window.simulation.controller
    charts = window.simulation.charts
    window.runs.service.settings = RunSettings(replications=3)
    charts.duration_s = 20.0
    controller.set_scenario("peak")
    controller.set_interventions(["llm-timeout-fallback"])
    with qtbot.waitSignal(window.runs.service.idle, timeout=60_000):
        window.simulation.actions["compare"].trigger()
    assert charts.comparison is not None
    assert charts.comparison.replications == 3
    for row in range(charts.table.rowCount()):
        assert " ± " in charts.table.item(row, 0).text()
        assert " ± " in charts.table.item(row, 1).text()
    assert charts.table.item(3, 2).text().endswith(" pp")  # an error-rate change is in percentage points
    assert f"base seed {DEFAULT_SEED}" in charts.compare_status.text()
    assert "N = 3" in charts.compare_status.text()
    whiskers = [i for plot in charts.bars.plots for i in plot.items if isinstance(i, pg.ErrorBarItem)]
    assert len(whiskers) == 3  # p99, errors and goodput: each mean with its confidence interval
    look = os.environ.get("CASCADE_LOOK_DIR")  # set it to keep a picture of the comparison to look at
    if look:
        charts.resize(700, 1100)
        charts.grab().save(str(Path(look) / "comparison.png"))
    assert window.runs.service.active() == []


def test_a_board_the_engine_rejects_is_reported_from_the_child_process(qtbot, window):
    from models.entities import Edge

    window.board.add("edges", Edge(id="e-engine-gateway", source="engine", target="gateway"))
    controller = window.simulation.controller
    controller.set_scenario("peak")
    controller.play()
    panel = window.simulation.panel
    qtbot.waitUntil(lambda: controller.state == "error", timeout=15_000)
    assert "cycle" in panel.status.text().lower()
    assert panel.status.isVisible()
