"""The one editing facade: every user edit is a method here that pushes an
undoable command. Items and panels call these methods and never change the
board themselves; the board's events then update what is shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtGui import QUndoStack

from app.ui.commands import AddEntity, MoveEntity, MoveNodes, RemoveEntity, ReplaceEntity, SetDocumentPart
from models.board import Board, validated_copy
from models.document import COLLECTIONS
from models.entities import Edge, Node
from models.errors import BoardError
from models.removal import Remove, Update, plan_removal


class BoardEditor:
    """Edits one board through one undo stack. Methods raise ``BoardError``
    (and push nothing) when an edit would break a domain rule."""

    def __init__(self, board: Board, stack: QUndoStack | None = None) -> None:
        self.board = board
        self.stack = stack if stack is not None else QUndoStack()

    # --- grouping -------------------------------------------------------------

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """Everything pushed inside is one entry in the undo history."""
        self.stack.beginMacro(text)
        try:
            yield
        finally:
            self.stack.endMacro()

    # --- generic verbs -------------------------------------------------------

    def add(self, collection: str, entity: Any, index: int | None = None) -> str:
        if self.board.find(entity.id) is not None:
            raise BoardError(f"the id {entity.id!r} is already used on this board")
        self.board.check_entity(collection, entity)
        self.stack.push(AddEntity(self.board, collection, entity, index))
        return str(entity.id)

    def create(self, collection: str, prefix: str, **fields: Any) -> str:
        """Add a new entity of ``collection`` with a fresh id from ``prefix``."""
        cls = COLLECTIONS[collection][0]
        from pydantic import ValidationError

        from models.validation import describe_errors

        try:
            entity = cls.model_validate({"id": self.board.new_id(prefix), **fields})
        except ValidationError as error:
            raise BoardError("; ".join(describe_errors(error))) from None
        return self.add(collection, entity)

    def update(self, collection: str, entity_id: str, text: str | None = None,
               merge: bool = False, **changes: Any) -> None:
        """Change fields of one entity. With ``merge``, consecutive edits of the
        same fields of the same entity become one undo step (typing)."""
        old = self.board.get(collection, entity_id)
        new = validated_copy(old, changes)
        if new == old:
            return
        self.board.check_entity(collection, new)
        key = f"{collection}:{entity_id}:{','.join(sorted(changes))}" if merge else None
        if text is None and len(changes) == 1:
            from app.ui.commands import describe

            text = f"Change {next(iter(changes)).replace('_', ' ')} of {describe(collection, old)}"
        self.stack.push(ReplaceEntity(self.board, collection, new, text, key))

    def replace(self, collection: str, entity: Any, text: str | None = None) -> None:
        """Put a whole new version of an entity in place."""
        if self.board.get(collection, entity.id) == entity:
            return
        self.board.check_entity(collection, entity)
        self.stack.push(ReplaceEntity(self.board, collection, entity, text))

    def reorder(self, collection: str, entity_id: str, index: int) -> None:
        if self.board.index_of(collection, entity_id) != index:
            self.stack.push(MoveEntity(self.board, collection, entity_id, index))

    def delete(self, ids: list[str] | tuple[str, ...], text: str | None = None) -> None:
        """Delete entities and, undoably, everything that depends on them."""
        operations = plan_removal(self.board, list(ids))
        if not operations:
            return
        removed = [op for op in operations if isinstance(op, Remove)]
        if text is None:
            if len(ids) == 1 and self.board.find(ids[0]):
                from app.ui.commands import describe

                collection, entity = self.board.find(ids[0])  # type: ignore[misc]
                text = f"Delete {describe(collection, entity)}"
            else:
                text = f"Delete {len(removed)} items"
        with self.macro(text):
            for op in operations:
                if isinstance(op, Update):
                    self.stack.push(ReplaceEntity(self.board, op.collection, op.entity))
                else:
                    self.stack.push(RemoveEntity(self.board, op.collection, op.entity_id))

    # --- nodes and edges --------------------------------------------------------

    def add_node(self, kind: str, label: str, x: float, y: float, **fields: Any) -> str:
        return self.create("nodes", label or kind, kind=kind, label=label, x=x, y=y, **fields)

    def connect(self, source: str, target: str, **fields: Any) -> str:
        if source == target:
            raise BoardError("a node cannot call itself")
        self.board.node(source)
        self.board.node(target)
        entity = Edge.model_validate({"id": self.board.new_id(f"e-{source}-{target}"), "source": source,
                                      "target": target, **fields})
        return self.add("edges", entity)

    def move_nodes(self, positions: dict[str, tuple[float, float]], nudge: bool = False) -> None:
        """Move nodes: one command per drag; arrow-key nudges merge."""
        changed = {i: p for i, p in positions.items() if (self.board.node(i).x, self.board.node(i).y) != p}
        if not changed:
            return
        text = f"Move {Node.__name__.lower()} '{self.board.node(next(iter(changed))).label}'" \
            if len(changed) == 1 else f"Move {len(changed)} nodes"
        self.stack.push(MoveNodes(self.board, changed, text, nudge))

    # --- whole-document parts ---------------------------------------------------

    def set_meta(self, merge: bool = False, **changes: Any) -> None:
        self._set_part("meta", changes, merge)

    def set_layers(self, **changes: Any) -> None:
        self._set_part("layers", changes, False)

    def set_reflection(self, merge: bool = False, **changes: Any) -> None:
        self._set_part("reflection", changes, merge)

    def _set_part(self, part: str, changes: dict[str, Any], merge: bool) -> None:
        old = getattr(self.board, part)
        new = validated_copy(old, changes)
        if new == old:
            return
        fields = ", ".join(k.replace("_", " ") for k in changes)
        if part == "layers":
            shown = [k for k, v in changes.items() if v]
            text = f"{'Show' if shown else 'Hide'} {fields}"
        else:
            text = f"Change {fields}"
        key = f"{part}:{','.join(sorted(changes))}" if merge else None
        self.stack.push(SetDocumentPart(self.board, part, new, text, key))
