"""A run started while a big board's canvas is still being built (issue 16): the nodes and edges
built after the run's first frame get their decorations when the build ends."""

from __future__ import annotations

import pytest

from app.sim.stepper import ViewStepper
from app.ui.animation.overlay import SimulationOverlay
from app.ui.canvas.scene import BIG_BOARD, BoardScene
from models.board import Board
from models.fileformat import document_from_data
from models.simulation import Simulation
from models.synthetic import board_data

pytestmark = pytest.mark.gui

NODES = BIG_BOARD + 100


def test_a_run_shown_during_a_chunked_build_covers_the_items_built_later(qtbot):
    data = board_data("tree", NODES, rps=0.2)
    for index, node in enumerate(data["nodes"]):  # spread out, as a drawn board is
        node["x"], node["y"] = float(index % 30) * 260.0, float(index // 30) * 160.0
    document = document_from_data(data)
    scene = BoardScene(Board(document), chunked=True)
    try:
        assert scene.building
        qtbot.waitUntil(lambda: len(scene.entity_items()) > 100, timeout=60_000)
        assert scene.building, "built in one go: nothing left to test"
        stepper = ViewStepper(Simulation(document, "peak", seed=1))
        frame = stepper.step(1.0)
        built = set(scene.entity_items())
        overlay = SimulationOverlay(scene, animate=False)
        overlay.apply(frame)
        early = set(overlay._nodes) | set(overlay._edges)
        assert early
        # only the items built so far (nodes come first: on a quick machine they may all be)
        assert early <= built
        assert len(built) < len(document.nodes) + len(document.edges)

        qtbot.waitUntil(lambda: not scene.building, timeout=600_000)
        ids = {node.id for node in document.nodes}
        assert set(overlay._nodes) == ids
        assert set(overlay._edges) == {edge.id for edge in document.edges}
        assert overlay.frame is frame
        # each decoration sits on its node, and the later ones show the frame's look
        last = f"n{NODES - 1}"
        glow, deco = overlay._nodes[last]
        assert glow.pos() == scene.item_for(last).pos()
        assert deco.look is frame.nodes.get(last)

        overlay.apply(stepper.step(1.0))  # the run goes on over the whole board
        overlay.clear()
        assert not overlay._nodes
        assert not overlay._edges
    finally:
        scene.detach()
