"""plan_removal: what deleting an entity implies, as exact operations in a safe order."""

from __future__ import annotations

import pytest

from models.board import Board
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
from models.params import FailureInjection, SimScenario
from models.removal import Remove, Update, plan_removal


@pytest.fixture
def board() -> Board:
    """Three nodes a → b → c, and one of every kind of thing that refers to b."""
    board = Board()
    for node_id in "abc":
        board.add("nodes", Node(id=node_id, label=node_id.upper()))
    board.add("edges", Edge(id="ab", source="a", target="b"))
    board.add("edges", Edge(id="bc", source="b", target="c"))
    board.add("queues", Queue(id="q-b", name="b's queue", node="b"))
    board.add("queues", Queue(id="q-ab", name="on the call", edge="ab"))
    board.add("failure_modes", FailureMode(id="fm-b", node="b", name="b is slow"))
    board.add("loops", Loop(id="loop-ab", name="a and b", nodes=("a", "b"), edges=("ab",)))
    board.add("loops", Loop(id="loop-b", name="only b", nodes=("b",)))
    hops = (Hop(node="a", edge="ab"), Hop(node="b", edge="bc"), Hop(node="c"))
    board.add("flows", Flow(id="flow-abc", name="a to c", hops=hops))
    board.add("flows", Flow(id="flow-b", name="only b", hops=(Hop(node="b"),)))
    board.add("stages", Stage(id="stage", name="front", nodes=("a", "b")))
    board.add("scenarios", SimScenario(id="sc", name="crashes", failures=(
        FailureInjection(kind="crash", target="b"), FailureInjection(kind="crash", target="c"))))
    board.add("cascades", Cascade(id="cas", name="b falls", trigger="b crashes", path=("a", "b", "c"), scenario="sc"))
    board.add("interventions", Intervention(id="fix", title="more workers", rank=1, targets=("b", "c"), changes=(
        ParamChange(target="b", path="sim.workers", value=4), ParamChange(target="c", path="sim.workers", value=2))))
    board.add("steps", Step(id="st", code="SY19", name="Reflection"))
    board.add("annotations", Annotation(id="note", text="here", step="st"))
    assert board.check() == []
    return board


def apply(board: Board, plan: list[Update | Remove]) -> None:
    for op in plan:
        if isinstance(op, Update):
            board.replace(op.collection, op.entity)
        else:
            board.remove(op.collection, op.entity_id)


def test_deleting_a_node_takes_what_it_owns_and_strips_every_mention(board):
    plan = plan_removal(board, ["b"])
    updates = [op for op in plan if isinstance(op, Update)]
    removals = [op for op in plan if isinstance(op, Remove)]
    assert plan == updates + removals, "updates come first"
    assert {(op.collection, op.entity_id) for op in removals} == {
        ("nodes", "b"), ("edges", "ab"), ("edges", "bc"), ("queues", "q-b"), ("queues", "q-ab"),
        ("failure_modes", "fm-b"), ("loops", "loop-b"), ("flows", "flow-b"),
    }
    get = board.get
    assert updates == [
        Update("loops", get("loops", "loop-ab").model_copy(update={"nodes": ("a",), "edges": ()})),
        Update("flows", get("flows", "flow-abc").model_copy(update={"hops": (Hop(node="a"), Hop(node="c"))})),
        Update("stages", get("stages", "stage").model_copy(update={"nodes": ("a",)})),
        Update("cascades", get("cascades", "cas").model_copy(update={"path": ("a", "c")})),
        Update("interventions", get("interventions", "fix").model_copy(update={
            "targets": ("c",), "changes": (ParamChange(target="c", path="sim.workers", value=2),)})),
        Update("scenarios", get("scenarios", "sc").model_copy(update={
            "failures": (FailureInjection(kind="crash", target="c"),)})),
    ]


def test_removals_come_in_an_order_the_board_accepts(board):
    plan = plan_removal(board, ["b"])
    order = [op.entity_id for op in plan if isinstance(op, Remove)]
    assert order.index("q-ab") < order.index("ab") < order.index("b")
    assert order.index("q-b") < order.index("b")
    assert order.index("fm-b") < order.index("b")
    apply(board, plan)  # Board.remove refuses an entity that something still refers to
    assert [n.id for n in board.nodes] == ["a", "c"]
    assert board.check() == []


def test_deleting_an_edge_keeps_its_nodes_and_unlinks_the_hop(board):
    plan = plan_removal(board, ["ab"])
    apply(board, plan)
    assert board.find("q-ab") is None
    assert board.find("q-b") is not None
    assert board.get("loops", "loop-ab").edges == ()
    assert board.get("loops", "loop-ab").nodes == ("a", "b")
    assert board.get("flows", "flow-abc").hops[0] == Hop(node="a", edge=None)
    assert [n.id for n in board.nodes] == ["a", "b", "c"]
    assert board.check() == []


def test_deleting_a_scenario_clears_the_single_references_and_a_step_takes_its_annotations(board):
    apply(board, plan_removal(board, ["sc", "st"]))
    assert board.get("cascades", "cas").scenario is None
    assert board.find("note") is None  # ink and notes belong to their step
    assert board.find("sc") is None
    assert board.find("st") is None


def test_unknown_and_repeated_ids_are_harmless(board):
    assert plan_removal(board, ["no-such-thing"]) == []
    twice, once = plan_removal(board, ["b", "b", "ab"]), plan_removal(board, ["b"])
    assert len(twice) == len(once)
    assert set(twice) == set(once)  # the same operations; independent removals may come in another order


def test_the_plan_does_not_change_the_board(board):
    before = board.document()
    plan_removal(board, ["a", "b", "c"])
    assert board.document() == before
