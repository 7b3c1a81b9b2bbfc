"""The view builder's shortcuts: a node or edge that stays idle keeps its look object,
and every look is what a full rebuild of the frame would give."""

from __future__ import annotations

from app.sim.view import ViewBuilder
from models.fileformat import load_path
from models.simulation import Simulation


def test_shortcuts_give_the_looks_a_full_rebuild_gives(example_path):
    document = load_path(example_path)
    quick, full = Simulation(document, "cache-invalidation", seed=3), Simulation(document, "cache-invalidation", seed=3)
    shortcut, rebuild = ViewBuilder(), ViewBuilder()
    kept = 0
    previous = None
    for _ in range(150):
        view = shortcut(quick.step(1.0))
        rebuild._rows.clear()  # no shortcut: every look built from its row again
        reference = rebuild(full.step(1.0))
        assert view.nodes == reference.nodes
        assert view.edges == reference.edges
        if previous is not None and previous.nodes:
            kept += previous.nodes["pipeline"] is view.nodes["pipeline"]
            kept += previous.edges["e-pipeline-vectordb"] is view.edges["e-pipeline-vectordb"]
        previous = view
    assert kept >= 2 * 140  # the content pipeline gets no traffic: its looks stay the same objects
