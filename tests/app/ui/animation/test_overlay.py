"""The overlay on a scene: frames change looks, clearing restores every item exactly."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from app.sim.stepper import ViewStepper
from app.ui.animation.items import (
    NODE_RECT,
    EdgeDecoration,
    FarNodeLooks,
    NodeDecoration,
    NodeGlow,
    WavefrontItem,
)
from app.ui.animation.overlay import SimulationOverlay, node_overlay
from app.ui.canvas.scene import BoardScene
from app.ui.canvas.view import BoardView
from models.fileformat import load_board
from models.simulation import Simulation

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def render(scene: BoardScene, scale: float = 1.0) -> QImage:
    rect = scene.itemsBoundingRect()
    image = QImage(int(rect.width() * scale), int(rect.height() * scale), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        scene.render(painter, QRectF(image.rect()), rect)
    finally:
        painter.end()
    return image


@pytest.fixture
def scene_and_frames(qapp, example_path):
    board = load_board(example_path)
    scene = BoardScene(board)
    stepper = ViewStepper(Simulation(board.document(), "llm-rate-limit"))
    frames = [stepper.step(1.0) for _ in range(80)]
    yield scene, frames
    scene.detach()


def test_clear_restores_items_and_their_caching(scene_and_frames):
    scene, frames = scene_and_frames
    before = render(scene)
    modes = {i: item.cacheMode() for i, item in scene.entity_items().items()}
    overlay = SimulationOverlay(scene, animate=False)
    for frame in frames[::10]:
        overlay.apply(frame)
    assert any(isinstance(i, WavefrontItem) for i in scene.items())
    assert scene.item_for("llm").overlay is not None
    overlay.apply(None)
    assert not any(isinstance(i, (NodeDecoration, EdgeDecoration, WavefrontItem)) for i in scene.items())
    assert all(item.overlay is None for item in scene.entity_items().values())
    assert {i: item.cacheMode() for i, item in scene.entity_items().items()} == modes
    assert render(scene) == before


def far_out_view(qtbot, scene: BoardScene) -> BoardView:
    """A small view of the whole board: zoomed far out."""
    view = BoardView(scene)
    qtbot.addWidget(view)
    view.resize(500, 360)
    view.show()
    view.zoom_to_fit()
    assert view.transform().m11() < 0.5
    return view


def test_zoomed_far_out_the_look_changes_in_batches(qtbot, scene_and_frames):
    scene, frames = scene_and_frames
    view = far_out_view(qtbot, scene)
    overlay = SimulationOverlay(scene, view)
    overlay.apply(frames[0])
    overlay.apply(frames[70])
    # the frame waits whole for the next batch (its looks not even worked out), or its changes do
    assert overlay._pending is frames[70] or overlay._held, "a far-out view holds changes for the next batch"
    assert scene.item_for("llm").overlay != node_overlay(frames[70].nodes["llm"].health)
    qtbot.waitUntil(lambda: overlay._pending is None and not overlay._held, timeout=2000)
    assert scene.item_for("llm").overlay == node_overlay(frames[70].nodes["llm"].health)
    view.viewport().grab()
    overlay.apply(None)


def test_far_out_every_nodes_glow_and_bars_are_drawn_together(qtbot, scene_and_frames):
    scene, frames = scene_and_frames
    view = far_out_view(qtbot, scene)
    overlay = SimulationOverlay(scene, view)
    overlay.apply(frames[0])
    overlay.apply(frames[75])  # the LLM is red by now, the auth service green
    qtbot.waitUntil(lambda: overlay._pending is None and not overlay._held, timeout=2000)

    def shown(kind: type) -> list[bool]:
        return [item.isVisible() for item in scene.items() if isinstance(item, kind)]

    assert shown(FarNodeLooks) == [True, True]
    assert not any(shown(NodeGlow))
    assert not any(shown(NodeDecoration))
    image = view.viewport().grab().toImage()

    def halo(node_id: str) -> QColor:
        """The colour just right of the node's box, inside its halo."""
        centre = scene.item_for(node_id).scenePos()
        return image.pixelColor(view.mapFromScene(centre.x() + NODE_RECT.right() + 4, centre.y()))

    llm, auth = halo("llm"), halo("auth")
    assert llm.red() > llm.blue() + 25, llm.name()  # a red halo
    assert auth.green() > auth.red() + 10, auth.name()  # a green one
    view.set_zoom(1.0)  # close up, each node draws its own again
    overlay.apply(frames[76])
    assert shown(FarNodeLooks) == [False, False]
    assert all(shown(NodeGlow))
    assert all(shown(NodeDecoration))
    overlay.apply(None)
    assert not shown(FarNodeLooks)


def test_a_run_hides_the_analysts_health_badges_and_batches_repaints(qtbot, scene_and_frames):
    scene, frames = scene_and_frames
    view = BoardView(scene)
    mode = view.viewportUpdateMode()
    marked = [n.id for n in scene.board.nodes if n.health in ("red", "yellow")]
    assert marked
    overlay = SimulationOverlay(scene, view, animate=False)
    overlay.apply(frames[-1])
    assert all(scene.item_for(i).overlay.hide_marks for i in marked)
    assert all(scene.item_for(i)._look.health == "none" for i in marked)
    assert view.viewportUpdateMode() == view.ViewportUpdateMode.BoundingRectViewportUpdate
    overlay.apply(None)
    assert view.viewportUpdateMode() == mode
    assert {scene.item_for(i)._look.health for i in marked} <= {"red", "yellow"}
