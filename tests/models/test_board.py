"""Board's typed accessors and the references each entity declares."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from models.board import Board
from models.document import BoardDocument
from models.entities import (
    Annotation,
    Cascade,
    Edge,
    FailureMode,
    Flow,
    Hop,
    Intervention,
    Loop,
    Node,
    ParamChange,
    Queue,
    Stage,
    Step,
)
from models.errors import BoardError
from models.fileformat import load_path
from models.kinds import Collection
from models.params import ANYWHERE, FailureInjection, SimScenario

NODES = (Collection.NODES,)
EDGES = (Collection.EDGES,)


@pytest.fixture
def board() -> Board:
    return Board(BoardDocument(
        nodes=(Node(id="a", label="A"), Node(id="b", label="B")),
        edges=(Edge(id="ab", source="a", target="b"),),
        scenarios=(SimScenario(id="peak", name="Peak"), SimScenario(id="calm", name="Calm")),
    ))


def test_typed_reads(board):
    assert [n.id for n in board.nodes] == ["a", "b"]
    assert all(isinstance(n, Node) for n in board.nodes)
    assert [e.id for e in board.edges] == ["ab"]
    assert board.node("a").label == "A"
    assert board.edge("ab").target == "b"
    assert [s.id for s in board.scenarios] == ["peak", "calm"]
    assert board.edges_of("b") == [board.edge("ab")]


def test_is_node(board):
    assert board.is_node("a")
    assert not board.is_node("ab")
    assert not board.is_node("peak")
    assert not board.is_node("missing")


def test_node_of_another_kind_is_an_error(board):
    with pytest.raises(BoardError, match="there is no node 'ab'"):
        board.node("ab")
    with pytest.raises(BoardError, match="there is no edge 'a'"):
        board.edge("a")


def test_scenario_lookup_and_its_one_message(board):
    assert board.scenario("calm").name == "Calm"
    with pytest.raises(BoardError) as caught:
        board.scenario("nope")
    assert str(caught.value) == "unknown scenario 'nope' (this board has: peak, calm)"
    assert str(caught.value) == _message(board.document(), "nope")


def _message(document: BoardDocument, scenario_id: str) -> str:
    with pytest.raises(BoardError) as caught:
        document.scenario(scenario_id)
    return str(caught.value)


def test_find_reports_the_collection_as_enum(board):
    found = board.find("ab")
    assert found is not None
    assert found[0] is Collection.EDGES
    assert found[0] == "edges"


def test_unknown_collection_is_a_board_error(board):
    with pytest.raises(BoardError, match="no collection 'widgets'"):
        board.items("widgets")


@pytest.mark.parametrize(("entity", "expected"), [
    (Node(id="n", label="N"), []),
    (Edge(id="e", source="a", target="b"), [("source", "a", NODES), ("target", "b", NODES)]),
    (Queue(id="q", name="Q", edge="e"), [("edge", "e", EDGES)]),
    (Queue(id="q", name="Q", node="a"), [("node", "a", NODES)]),
    (Loop(id="l", name="L", nodes=("a", "b"), edges=("e",)),
     [("nodes[0]", "a", NODES), ("nodes[1]", "b", NODES), ("edges[0]", "e", EDGES)]),
    (Flow(id="f", name="F", hops=(Hop(node="a"), Hop(node="b", edge="e"))),
     [("hops[0].node", "a", NODES), ("hops[1].node", "b", NODES), ("hops[1].edge", "e", EDGES)]),
    (Stage(id="s", name="S", nodes=("a",)), [("nodes[0]", "a", NODES)]),
    (FailureMode(id="m", node="a", name="M"), [("node", "a", NODES)]),
    (Cascade(id="c", name="C", trigger="T", path=("a", "b"), scenario="peak"),
     [("path[0]", "a", NODES), ("path[1]", "b", NODES), ("scenario", "peak", (Collection.SCENARIOS,))]),
    (Intervention(id="i", title="I", rank=1, targets=("ab",),
                  changes=(ParamChange(target="a", path="sim.workers", value=2),)),
     [("targets[0]", "ab", ANYWHERE),
      ("changes[0].target", "a", (Collection.NODES, Collection.EDGES, Collection.QUEUES))]),
    (SimScenario(id="x", name="X", failures=(FailureInjection(kind="crash", target="a"),)),
     [("failures[0].target", "a", (Collection.NODES, Collection.EDGES))]),
    (Annotation(id="t", step="s1"), [("step", "s1", (Collection.STEPS,))]),
    (Annotation(id="t"), []),
    (Step(id="s1", code="SY19", name="Meta"), []),
])
def test_each_entity_declares_its_references(entity, expected):
    assert list(entity.references()) == expected


def test_references_to_and_check_use_the_declarations(board):
    board.add("failure_modes", FailureMode(id="fm", node="b", name="Down"))
    assert board.references_to("b") == [("edges", "ab", "target"), ("failure_modes", "fm", "node")]
    with pytest.raises(BoardError, match=r"loop 'l': nodes\[1\]: 'ab' is not a node on this board"):
        board.add("loops", Loop(id="l", name="L", nodes=("a", "ab")))
    with pytest.raises(BoardError, match=r"'peak' is not a node, an edge or a queue on this board"):
        board.add("interventions", Intervention(id="i", title="I", rank=1,
                                                changes=(ParamChange(target="peak", path="x", value=1),)))
    assert board.check() == []


def test_intervention_changes_are_checked_against_the_target(board):
    bad = Intervention(id="i", title="I", rank=1, changes=(ParamChange(target="a", path="sim.nope", value=1),))
    with pytest.raises(BoardError, match=r"changes\[0\]: sim.nope: sim has no field 'nope'"):
        board.add("interventions", bad)


def test_example_board_has_no_broken_references(example_path):
    assert Board(load_path(example_path)).check() == []


def test_without_drops_mentions_and_says_when_nothing_is_left():
    loop = Loop(id="l", name="L", nodes=("a", "b"), edges=("e",))
    assert loop.without({"b", "e"}) == Loop(id="l", name="L", nodes=("a",))
    assert loop.without({"a", "b"}) is None
    flow = Flow(id="f", name="F", hops=(Hop(node="a", edge="e"), Hop(node="b")))
    assert flow.without({"e"}) == Flow(id="f", name="F", hops=(Hop(node="a"), Hop(node="b")))
    assert flow.without({"a", "b"}) is None
    cascade = Cascade(id="c", name="C", trigger="T", path=("a", "b"), scenario="peak")
    assert cascade.without({"a", "peak"}) == Cascade(id="c", name="C", trigger="T", path=("b",))
    node = Node(id="n", label="N")
    assert node.without({"n"}) is node


def test_interventions_module_does_not_import_the_board():
    code = "import sys, models.interventions; print('models.board' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "False"
