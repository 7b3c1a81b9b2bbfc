"""Each undo command on its own: do → undo → redo, with the board compared each time."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.ui.commands import AddEntity, MoveEntity, MoveNodes, RemoveEntity, ReplaceEntity, SetDocumentPart, describe
from models.board import Board
from models.entities import FailureMode, Finding, Intervention, Node, Step


@pytest.fixture
def board() -> Board:
    board = Board()
    for node_id, x in (("a", 0.0), ("b", 100.0), ("c", 200.0)):
        board.add("nodes", Node(id=node_id, label=node_id.upper(), x=x))
    return board


@pytest.fixture
def stack(qapp) -> QUndoStack:
    return QUndoStack()


def do_undo_redo(stack: QUndoStack, board: Board, command: QUndoCommand) -> None:
    """Push, then undo and redo, checking the whole document after each."""
    before = board.document()
    stack.push(command)
    after = board.document()
    assert after != before
    stack.undo()
    assert board.document() == before
    stack.redo()
    assert board.document() == after


def ids(board: Board) -> list[str]:
    return [n.id for n in board.nodes]


def test_add_inserts_where_asked(stack, board):
    do_undo_redo(stack, board, AddEntity(board, "nodes", Node(id="d", label="Cache"), index=1))
    assert ids(board) == ["a", "d", "b", "c"]
    assert stack.undoText() == "Add node 'Cache'"


def test_add_without_an_index_appends(stack, board):
    do_undo_redo(stack, board, AddEntity(board, "nodes", Node(id="d", label="D")))
    assert ids(board) == ["a", "b", "c", "d"]


def test_remove_puts_the_entity_back_where_it_was(stack, board):
    do_undo_redo(stack, board, RemoveEntity(board, "nodes", "b"))
    assert ids(board) == ["a", "c"]
    assert stack.undoText() == "Delete node 'B'"
    stack.undo()
    assert ids(board) == ["a", "b", "c"]


def test_replace_swaps_versions_and_typing_merges(stack, board):
    before = board.document()
    for text in ("C", "Ca", "Cache"):
        new = board.node("a").model_copy(update={"label": text})
        stack.push(ReplaceEntity(board, "nodes", new, merge_key="nodes:a:label"))
    assert stack.count() == 1
    assert board.node("a").label == "Cache"
    after = board.document()
    stack.undo()
    assert board.document() == before
    stack.redo()
    assert board.document() == after


def test_replace_without_a_merge_key_is_one_command_per_edit(stack, board):
    do_undo_redo(stack, board, ReplaceEntity(board, "nodes", board.node("a").model_copy(update={"x": 5.0})))
    do_undo_redo(stack, board, ReplaceEntity(board, "nodes", board.node("a").model_copy(update={"x": 9.0}),
                                             text="Nudge A"))
    assert stack.count() == 2
    assert stack.text(0) == "Change node 'A'"
    assert stack.undoText() == "Nudge A"


def test_edits_of_different_fields_do_not_merge(stack, board):
    stack.push(ReplaceEntity(board, "nodes", board.node("a").model_copy(update={"label": "X"}), merge_key="a:label"))
    stack.push(ReplaceEntity(board, "nodes", board.node("a").model_copy(update={"notes": "n"}), merge_key="a:notes"))
    assert stack.count() == 2


def test_move_entity_reorders_and_back(stack, board):
    do_undo_redo(stack, board, MoveEntity(board, "nodes", "a", 2))
    assert ids(board) == ["b", "c", "a"]
    assert stack.undoText() == "Reorder node 'A'"


def test_a_drag_is_one_command(stack, board):
    do_undo_redo(stack, board, MoveNodes(board, {"a": (10.0, 20.0), "b": (30.0, 40.0)}, "Move 2 nodes"))
    assert (board.node("a").x, board.node("a").y, board.node("b").x) == (10.0, 20.0, 30.0)
    stack.undo()
    assert (board.node("a").x, board.node("b").x) == (0.0, 100.0)


def test_nudges_of_the_same_selection_merge_and_undo_in_one_step(stack, board):
    before = board.document()
    for step in (1, 2, 3):
        stack.push(MoveNodes(board, {"a": (step * 10.0, 0.0)}, "Nudge", nudge=True))
    assert stack.count() == 1
    assert board.node("a").x == 30.0
    stack.undo()
    assert board.document() == before
    stack.redo()
    assert board.node("a").x == 30.0
    stack.push(MoveNodes(board, {"b": (0.0, 5.0)}, "Nudge", nudge=True))  # another selection
    assert stack.count() == 2


def test_document_parts_are_replaced_whole_and_merge_by_key(stack, board):
    do_undo_redo(stack, board, SetDocumentPart(board, "meta", board.meta.model_copy(update={"title": "T"}), "Title"))
    before = board.document()
    for text in ("S", "St", "Str"):
        stack.push(SetDocumentPart(board, "meta", board.meta.model_copy(update={"system": text}), "System",
                                   merge_key="meta.system"))
    assert stack.count() == 2
    assert board.meta.system == "Str"
    stack.undo()
    assert board.document() == before
    layers = board.layers.model_copy(update={name: not value for name, value in board.layers})
    do_undo_redo(stack, board, SetDocumentPart(board, "layers", layers, "Layers"))


def test_describe_uses_the_most_readable_name():
    assert describe("nodes", Node(id="n", label="Cache")) == "node 'Cache'"
    assert describe("steps", Step(id="s", code="SY19", name="Reflection")) == "step 'Reflection'"
    assert describe("findings", Finding(id="f1", text="")) == "finding 'f1'"
    assert describe("failure_modes", FailureMode(id="fm", node="n", name="slow")) == "failure mode 'slow'"
    assert describe("interventions", Intervention(id="i", title="Add a queue", rank=1)) == "intervention 'Add a queue'"
