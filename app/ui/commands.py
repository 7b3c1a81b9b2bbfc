"""Undo commands: each changes only the board, by stable id and stored values.

Entities are immutable values, so a command can keep the old and the new
version of an entity and swap them; it never keeps a live view object. The
board's events update the scene and the panels.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtGui import QUndoCommand

from models.board import Board


def describe(collection: str, entity: Any) -> str:
    """``node 'Cache'`` for the Edit menu."""
    from models.document import COLLECTIONS
    from models.kinds import Collection

    word = COLLECTIONS[Collection(collection)][1].replace("_", " ")
    name = getattr(entity, "label", None) or getattr(entity, "name", None) or getattr(entity, "title", None)
    name = name or getattr(entity, "code", None) or entity.id
    return f"{word} '{name}'"


class AddEntity(QUndoCommand):
    def __init__(self, board: Board, collection: str, entity: Any, index: int | None = None,
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(f"Add {describe(collection, entity)}", parent)
        self.board, self.collection, self.entity = board, collection, entity
        self.index = len(board.items(collection)) if index is None else index

    def redo(self) -> None:
        self.board.add(self.collection, self.entity, self.index)

    def undo(self) -> None:
        self.board.remove(self.collection, self.entity.id)


class RemoveEntity(QUndoCommand):
    def __init__(self, board: Board, collection: str, entity_id: str,
                 parent: QUndoCommand | None = None) -> None:
        self.entity = board.get(collection, entity_id)
        super().__init__(f"Delete {describe(collection, self.entity)}", parent)
        self.board, self.collection = board, collection
        self.index = board.index_of(collection, entity_id)

    def redo(self) -> None:
        _, self.index = self.board.remove(self.collection, self.entity.id)

    def undo(self) -> None:
        self.board.add(self.collection, self.entity, self.index)


MERGE_ID = 0x0C0B0A1
"""Command id for merging consecutive edits of one field of one entity."""


class ReplaceEntity(QUndoCommand):
    """Swap an entity for a new version; consecutive edits with the same
    ``merge_key`` (one field of one entity) merge into one command."""

    def __init__(self, board: Board, collection: str, new: Any, text: str | None = None,
                 merge_key: str | None = None, parent: QUndoCommand | None = None) -> None:
        self.old = board.get(collection, new.id)
        super().__init__(text or f"Change {describe(collection, self.old)}", parent)
        self.board, self.collection, self.new = board, collection, new
        self.merge_key = merge_key

    def id(self) -> int:
        return MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ReplaceEntity) or other.merge_key != self.merge_key or not self.merge_key:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.board.replace(self.collection, self.new)

    def undo(self) -> None:
        self.board.replace(self.collection, self.old)


class MoveEntity(QUndoCommand):
    """Reorder an entity within its list."""

    def __init__(self, board: Board, collection: str, entity_id: str, index: int,
                 parent: QUndoCommand | None = None) -> None:
        entity = board.get(collection, entity_id)
        super().__init__(f"Reorder {describe(collection, entity)}", parent)
        self.board, self.collection, self.entity_id = board, collection, entity_id
        self.old_index = board.index_of(collection, entity_id)
        self.new_index = index

    def redo(self) -> None:
        self.board.move(self.collection, self.entity_id, self.new_index)

    def undo(self) -> None:
        self.board.move(self.collection, self.entity_id, self.old_index)


class MoveNodes(QUndoCommand):
    """Set node positions; a drag is one command, arrow-key nudges merge."""

    NUDGE_ID = 0x0C0B0A2

    def __init__(self, board: Board, positions: dict[str, tuple[float, float]], text: str,
                 nudge: bool = False, parent: QUndoCommand | None = None) -> None:
        super().__init__(text, parent)
        self.board, self.nudge = board, nudge
        self.old = {i: (board.node(i).x, board.node(i).y) for i in positions}
        self.new = dict(positions)

    def id(self) -> int:
        return self.NUDGE_ID if self.nudge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, MoveNodes) and other.nudge and self.nudge and set(other.new) == set(self.new)):
            return False
        self.new = dict(other.new)
        return True

    def _apply(self, positions: dict[str, tuple[float, float]]) -> None:
        for node_id, (x, y) in positions.items():
            node = self.board.node(node_id)
            self.board.replace("nodes", node.model_copy(update={"x": x, "y": y}))

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class SetDocumentPart(QUndoCommand):
    """Replace ``meta``, ``layers`` or ``reflection`` as a whole."""

    SETTERS: ClassVar[dict[str, str]] = {"meta": "set_meta", "layers": "set_layers", "reflection": "set_reflection"}

    def __init__(self, board: Board, part: str, value: Any, text: str,
                 merge_key: str | None = None, parent: QUndoCommand | None = None) -> None:
        super().__init__(text, parent)
        self.board, self.part, self.new = board, part, value
        self.old = getattr(board, part)
        self.merge_key = merge_key

    def id(self) -> int:
        return MERGE_ID + 1 if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetDocumentPart) or not self.merge_key or other.merge_key != self.merge_key:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        getattr(self.board, self.SETTERS[self.part])(self.new)

    def undo(self) -> None:
        getattr(self.board, self.SETTERS[self.part])(self.old)
