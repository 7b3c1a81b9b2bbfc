"""The Board on its own: lookups, ids, checks before any change, and the events each edit emits."""

from __future__ import annotations

import pytest

from models.board import Board
from models.document import BoardDocument, Layers, Meta, Reflection
from models.entities import Edge, Node
from models.errors import BoardError


@pytest.fixture
def board() -> Board:
    board = Board()
    for node_id in ("a", "b", "c"):
        board.add("nodes", Node(id=node_id, label=node_id.upper()))
    board.add("edges", Edge(id="ab", source="a", target="b"))
    board.add("edges", Edge(id="ca", source="c", target="a"))
    return board


@pytest.fixture
def seen(board) -> list[tuple]:
    """Every event the board emits, with its arguments."""
    log: list[tuple] = []
    for name in board.events.names():
        getattr(board.events, name).connect(lambda *args, name=name: log.append((name, *args)))
    return log


def test_lookups(board):
    assert board.node("b").label == "B"
    assert board.edge("ab").target == "b"
    assert board.index_of("nodes", "c") == 2
    assert [e.id for e in board.edges_of("a")] == ["ab", "ca"]
    assert board.find("ab") == ("edges", board.edge("ab"))
    assert board.find("zz") is None
    with pytest.raises(BoardError, match="there is no edge 'a'"):
        board.edge("a")
    with pytest.raises(BoardError, match="the board has no collection 'widgets'"):
        board.add("widgets", Node(id="w", label="W"))


def test_new_ids_are_fresh_and_tidy(board):
    assert board.new_id("Cache Tier!") == "cache-tier"
    assert board.new_id("a") == "a-2"
    board.add("nodes", Node(id="a-2", label="A2"))
    assert board.new_id("a") == "a-3"
    assert board.new_id("  ***  ") == "item"


def test_bad_additions_are_refused_before_anything_changes(board, seen):
    before = board.document()
    with pytest.raises(BoardError, match="the id 'a' is already used on this board"):
        board.add("nodes", Node(id="a", label="again"))
    with pytest.raises(BoardError, match=r"edge 'bx': target: 'x' is not a node on this board"):
        board.add("edges", Edge(id="bx", source="b", target="x"))
    with pytest.raises(BoardError, match="edges holds Edge values, not Node"):
        board.add("edges", Node(id="n", label="N"))
    assert board.document() == before
    assert seen == []


def test_update_validates_like_a_load(board, seen):
    old = board.update("nodes", "a", label="Gateway")
    assert old.label == "A"
    assert board.node("a").label == "Gateway"
    assert seen == [("node_changed", old, board.node("a")), ("changed",)]
    with pytest.raises(BoardError, match=r"^sim\.workers: must be at least 1$"):
        board.update("nodes", "a", sim={"workers": 0})
    with pytest.raises(BoardError, match="an entity's id cannot change"):
        board.update("nodes", "a", id="z")


def test_remove_refuses_what_is_still_used_and_says_by_what(board, seen):
    with pytest.raises(BoardError, match="'a' is still used by edge 'ab', edge 'ca'"):
        board.remove("nodes", "a")
    entity, index = board.remove("edges", "ab")
    assert (entity.id, index) == ("ab", 0)
    assert seen == [("edge_removed", entity, 0), ("changed",)]


def test_move_clamps_and_emits_only_when_it_moves(board, seen):
    assert board.move("nodes", "a", 99) == 0
    assert [n.id for n in board.nodes] == ["b", "c", "a"]
    assert seen == [("node_moved", board.node("a"), 0, 2), ("changed",)]
    board.move("nodes", "a", 2)
    assert len(seen) == 2


def test_document_parts_emit_on_real_change_only(board, seen):
    meta = Meta(title="StreamFlow")
    assert board.set_meta(meta) == Meta()
    assert board.meta == meta
    board.set_meta(meta)
    layers = Layers(flows=True)
    assert board.set_layers(layers) == Layers()
    reflection = Reflection(time_saved="an hour")
    assert board.set_reflection(reflection) == Reflection()
    assert (board.layers, board.reflection) == (layers, reflection)
    assert [event[0] for event in seen] == [
        "meta_changed", "changed", "layers_changed", "changed", "reflection_changed", "changed"]


def test_replacing_the_document_resets(board, seen):
    board.replace_document(BoardDocument())
    assert board.nodes == ()
    assert seen == [("reset",), ("changed",)]


def test_asking_for_an_event_that_does_not_exist_names_it(board):
    with pytest.raises(AttributeError, match="the board has no event 'node_exploded'"):
        board.events.node_exploded  # noqa: B018
