"""The editing facade: every edit undoes and redoes exactly."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.ui.editor import BoardEditor
from models.board import Board
from models.errors import BoardError
from models.fileformat import load_path


@pytest.fixture
def editor(example_path):
    return BoardEditor(Board(load_path(example_path)))


def test_delete_node_removes_dependents_and_undo_restores_exactly(editor):
    board = editor.board
    before = board.document()
    editor.delete(["engine"])
    assert board.find("engine") is None
    assert not [e for e in board.edges if "engine" in (e.source, e.target)]
    assert board.find("q-engine") is None
    assert all("engine" not in loop.nodes for loop in board.items("loops"))
    assert board.check() == []
    assert editor.stack.undoText() == "Delete node 'Recommendation Engine'"
    after = board.document()
    editor.stack.undo()
    assert board.document() == before
    editor.stack.redo()
    assert board.document() == after


def test_typing_into_one_field_merges(editor):
    for text in ["C", "Ca", "Cac", "Cache!"]:
        editor.update("nodes", "cache", merge=True, label=text)
    assert editor.board.node("cache").label == "Cache!"
    editor.stack.undo()
    assert editor.board.node("cache").label == "Cache"


def test_illegal_edit_pushes_nothing(editor):
    count = editor.stack.count()
    sim = editor.board.node("cache").sim.model_dump()
    with pytest.raises(BoardError, match="workers: must be at least 1"):
        editor.update("nodes", "cache", sim={**sim, "workers": 0})
    with pytest.raises(BoardError):
        editor.connect("cache", "nowhere")
    assert editor.stack.count() == count


def test_nudges_merge_and_drags_do_not(editor):
    editor.move_nodes({"cache": (10.0, 10.0)}, nudge=True)
    editor.move_nodes({"cache": (20.0, 10.0)}, nudge=True)
    editor.move_nodes({"cache": (30.0, 10.0)})
    assert editor.stack.count() == 2
    editor.stack.undo()
    editor.stack.undo()
    assert (editor.board.node("cache").x, editor.board.node("cache").y) == (960.0, 80.0)


ACTIONS = st.lists(
    st.tuples(st.sampled_from(["add", "connect", "delete", "move", "rename", "reorder"]),
              st.integers(0, 1000), st.integers(0, 1000)),
    min_size=1, max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_random_edits_undo_and_redo_exactly(example_path, actions):
    editor = BoardEditor(Board(load_path(example_path)))
    board = editor.board
    start = board.document()
    for verb, a, b in actions:
        nodes = board.nodes
        try:
            if verb == "add":
                editor.add_node("service", f"Node {a}", float(a), float(b))
            elif verb == "connect" and len(nodes) > 1:
                editor.connect(nodes[a % len(nodes)].id, nodes[b % len(nodes)].id)
            elif verb == "delete" and nodes:
                editor.delete([nodes[a % len(nodes)].id])
            elif verb == "move" and nodes:
                editor.move_nodes({nodes[a % len(nodes)].id: (float(a), float(b))}, nudge=bool(b % 2))
            elif verb == "rename" and nodes:
                editor.update("nodes", nodes[a % len(nodes)].id, label=f"Renamed {b}")
            elif verb == "reorder" and nodes:
                editor.reorder("nodes", nodes[a % len(nodes)].id, b % len(nodes))
        except BoardError:
            pass
        assert board.check() == []
    end = board.document()
    while editor.stack.canUndo():
        editor.stack.undo()
    assert board.document() == start
    while editor.stack.canRedo():
        editor.stack.redo()
    assert board.document() == end
