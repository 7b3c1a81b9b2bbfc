"""The view builder's shortcuts and the child's compact frames: a node or edge that stays
idle keeps its look object, and every frame is what a full rebuild of it would give."""

from __future__ import annotations

import itertools
import pickle

import pytest

from app.sim.view import FrameView, ViewBuilder, ViewDecoder, ViewEncoder
from models.fileformat import load_path
from models.simulation import Simulation
from tests.conftest import EXAMPLE


def test_shortcuts_give_the_looks_a_full_rebuild_gives(example_path):
    simulation = Simulation(load_path(example_path), "cache-invalidation", seed=3)
    shortcut, rebuild = ViewBuilder(), ViewBuilder(shortcuts=False)
    kept = 0
    previous = None
    for _ in range(150):
        frame = simulation.step(1.0)  # immutable: both builders read the same one
        view = shortcut(frame)
        reference = rebuild(frame)
        assert view.nodes == reference.nodes
        assert view.edges == reference.edges
        if previous is not None and previous.nodes:
            kept += previous.nodes["pipeline"] is view.nodes["pipeline"]
            kept += previous.edges["e-pipeline-vectordb"] is view.edges["e-pipeline-vectordb"]
        previous = view
    assert kept >= 2 * 140  # the content pipeline gets no traffic: its looks stay the same objects


@pytest.fixture(scope="module")
def compact_and_full() -> tuple[list[FrameView], list[FrameView], list[int]]:
    """90 frames of a rate-limited LLM behind circuit breakers (failures, red nodes, breakers
    opening and closing), once through the child's path (encoder, pickle, decoder) and once
    built from scratch; with the pickled size of each compact frame."""
    simulation = Simulation(load_path(EXAMPLE), "llm-rate-limit", interventions=("circuit-breakers",), seed=3)
    encode, decode = ViewEncoder(simulation.duration_s), ViewDecoder()
    scratch = ViewBuilder(simulation.duration_s, shortcuts=False)
    compact, full, sizes = [], [], []
    for _ in range(90):
        frame = simulation.step(1.0)
        wire = pickle.dumps(encode(frame), protocol=pickle.HIGHEST_PROTOCOL)
        sizes.append(len(wire))
        compact.append(decode(pickle.loads(wire)))
        full.append(scratch(frame))
    return compact, full, sizes


def test_compact_frames_are_the_frames_built_from_scratch(compact_and_full):
    compact, full, _ = compact_and_full
    assert compact == full
    assert any(view.events for view in full)
    assert {event.kind for view in full for event in view.events} >= {"breaker_open", "node_red", "failure_started"}
    assert any(look.breaker == "open" for view in full for look in view.edges.values())
    assert full[-1].red_order
    assert any(look.health == "red" for view in full for look in view.nodes.values())
    assert any(look.errors for view in full for look in view.nodes.values())


def test_a_look_that_did_not_change_is_the_same_object(compact_and_full):
    compact, _, _ = compact_and_full
    same = changed = 0
    for before, after in itertools.pairwise(compact):
        for looks_before, looks_after in ((before.nodes, after.nodes), (before.edges, after.edges)):
            for key, look in looks_after.items():
                old = looks_before.get(key)
                assert (old is look) == (old == look), key
                same += old is look
                changed += old is not None and old is not look
    assert same
    assert changed


def test_only_changed_looks_travel(compact_and_full):
    compact, _, sizes = compact_and_full
    whole = len(pickle.dumps(compact[-1], protocol=pickle.HIGHEST_PROTOCOL))
    assert max(sizes[10:]) < whole


def test_a_look_that_goes_away_goes_away():
    """Frames whose nodes come and go (a fake's; one engine run keeps its ids) are sent whole."""
    from types import MappingProxyType

    from models.simulation.frames import Frame, NodeFrame, Totals

    def frame(t: float, ids: tuple[str, ...]) -> Frame:
        rows = {i: NodeFrame(i, 1.0, 1.0, MappingProxyType({}), 0.5, 0, None, 0, 1.0, 2.0, "green") for i in ids}
        return Frame(t, "20:00", "peak", MappingProxyType(rows), MappingProxyType({}), (),
                     Totals(1.0, 1.0, 0.0, 0.0, 1.0, 2.0, 1.0))

    encode, decode = ViewEncoder(), ViewDecoder()
    first = decode(encode(frame(1.0, ("a", "b"))))
    second = decode(encode(frame(2.0, ("a",))))
    assert set(first.nodes) == {"a", "b"}
    assert set(second.nodes) == {"a"}
    assert second.nodes["a"] is first.nodes["a"]
