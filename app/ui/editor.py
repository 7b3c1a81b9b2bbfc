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
from models.entities import Annotation, Edge, Frame, Node, Step
from models.errors import BoardError
from models.events import Event
from models.kinds import Collection
from models.presenting import frame_problem
from models.removal import Remove, Update, plan_removal


class BoardEditor:
    """Edits one board through one undo stack. Methods raise ``BoardError``
    (and push nothing) when an edit would break a domain rule."""

    def __init__(self, board: Board, stack: QUndoStack | None = None) -> None:
        self.board = board
        self.stack = stack if stack is not None else QUndoStack()
        self.notice = Event("notice")
        """A one-line message for the status bar about what an edit implied (``notice.emit(text)``)."""

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
        cls = COLLECTIONS[Collection(collection)][0]
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
        dropped = reveal_drops(self.board, operations)
        with self.macro(text):
            for op in operations:
                if isinstance(op, Update):
                    self.stack.push(ReplaceEntity(self.board, op.collection, op.entity))
                else:
                    self.stack.push(RemoveEntity(self.board, op.collection, op.entity_id))
        if dropped:
            self.notice.emit(f"{text}: also dropped from the reveal of {dropped} (Undo brings it back)")

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
        self.board.check_entity("edges", entity)
        command = AddEntity(self.board, "edges", entity)
        command.setText(f"Connect '{self.board.node(source).label}' → '{self.board.node(target).label}'")
        self.stack.push(command)
        return str(entity.id)

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

    # --- arranging (added with the canvas) --------------------------------------

    def set_positions(self, positions: dict[str, tuple[float, float]], text: str) -> None:
        """Move many nodes as one named step (align, distribute, layout)."""
        changed = {i: (float(x), float(y)) for i, (x, y) in positions.items()
                   if (self.board.node(i).x, self.board.node(i).y) != (x, y)}
        if changed:
            self.stack.push(MoveNodes(self.board, changed, text))

    def align(self, ids: list[str] | tuple[str, ...], how: str) -> None:
        """Line nodes up: ``left``, ``hcenter``, ``right``, ``top``, ``vcenter``, ``bottom``
        (by their box edges; a node's x/y is its centre, so boxes of one size align by centre)."""
        nodes = [self.board.node(i) for i in ids if self.board.is_node(i)]
        if len(nodes) < 2:
            return
        xs, ys = [n.x for n in nodes], [n.y for n in nodes]
        target = {"left": min(xs), "right": max(xs), "hcenter": (min(xs) + max(xs)) / 2,
                  "top": min(ys), "bottom": max(ys), "vcenter": (min(ys) + max(ys)) / 2}[how]
        horizontal = how in ("left", "right", "hcenter")
        names = {"left": "left", "right": "right", "hcenter": "centre", "top": "top", "bottom": "bottom",
                 "vcenter": "middle"}
        self.set_positions({n.id: (target, n.y) if horizontal else (n.x, target) for n in nodes},
                           f"Align {len(nodes)} nodes {names[how]}")

    def distribute(self, ids: list[str] | tuple[str, ...], axis: str) -> None:
        """Space nodes evenly between the outermost two, along ``x`` or ``y``."""
        nodes = [self.board.node(i) for i in ids if self.board.is_node(i)]
        if len(nodes) < 3:
            return
        def key(node: Node) -> float:
            return node.x if axis == "x" else node.y

        nodes.sort(key=key)
        first, last = key(nodes[0]), key(nodes[-1])
        step = (last - first) / (len(nodes) - 1)
        positions = {n.id: ((first + i * step, n.y) if axis == "x" else (n.x, first + i * step))
                     for i, n in enumerate(nodes)}
        self.set_positions({i: (round(x, 1), round(y, 1)) for i, (x, y) in positions.items()},
                           f"Distribute {len(nodes)} nodes {'horizontally' if axis == 'x' else 'vertically'}")

    def layout(self, kind: str, ids: list[str] | tuple[str, ...] | None = None) -> None:
        """Auto-layout all nodes (or ``ids``): ``layered`` or ``force``; one undo step."""
        from app.ui.layout import force_directed, layered

        chosen = None if not ids else [i for i in ids if self.board.is_node(i)]
        positions = layered(self.board, chosen) if kind == "layered" else force_directed(self.board, chosen)
        scope = "selection" if chosen else "board"
        text = f"{'Layered' if kind == 'layered' else 'Force-directed'} layout of {scope}"
        loops = self._loops_following(positions)
        if not loops:
            self.set_positions(positions, text)
            return
        with self.macro(text):
            self.set_positions(positions, text)
            for loop_id, (x, y) in loops.items():
                self.update("loops", loop_id, x=x, y=y)

    def _loops_following(self, positions: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        """Placed loop signs move with their nodes: by the mean shift of the members that move."""
        moved = {}
        for loop in self.board.items("loops"):
            if loop.x is None or loop.y is None:
                continue
            shifts = [(positions[n][0] - self.board.node(n).x, positions[n][1] - self.board.node(n).y)
                      for n in loop.nodes if n in positions]
            if shifts:
                dx = sum(s[0] for s in shifts) / len(shifts)
                dy = sum(s[1] for s in shifts) / len(shifts)
                if (dx, dy) != (0.0, 0.0):
                    moved[loop.id] = (round(loop.x + dx, 1), round(loop.y + dy, 1))
        return moved

    # --- clipboard ------------------------------------------------------------------

    def copy_fragment(self, ids: list[str] | tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
        """The selected nodes with the edges between them and their queues, as plain data."""
        nodes = [self.board.node(i) for i in ids if self.board.is_node(i)]
        chosen = {n.id for n in nodes}
        edges = [e for e in self.board.edges if e.source in chosen and e.target in chosen]
        edge_ids = {e.id for e in edges}
        queues = [q for q in self.board.items("queues") if q.node in chosen or q.edge in edge_ids]
        return {"nodes": [n.model_dump(mode="json") for n in nodes],
                "edges": [e.model_dump(mode="json") for e in edges],
                "queues": [q.model_dump(mode="json") for q in queues]}

    def paste(self, fragment: dict[str, Any], offset: tuple[float, float] = (30.0, 30.0),
              text: str | None = None) -> list[str]:
        """Add a copied fragment with fresh ids, shifted by ``offset``; one undo step.
        Returns the new node ids."""
        from pydantic import ValidationError

        from models.entities import Queue
        from models.validation import describe_errors

        renamed: dict[str, str] = {}
        taken: set[str] = set()

        def fresh(old: str) -> str:
            base, n = old, 2
            candidate = self.board.new_id(base)
            while candidate in taken:
                candidate = self.board.new_id(f"{base}-{n}")
                n += 1
            taken.add(candidate)
            renamed[old] = candidate
            return candidate

        try:
            nodes = [Node.model_validate({**d, "id": fresh(d["id"]), "x": d.get("x", 0.0) + offset[0],
                                          "y": d.get("y", 0.0) + offset[1]}) for d in fragment.get("nodes", [])]
            edges = [Edge.model_validate({**d, "id": fresh(d["id"]), "source": renamed[d["source"]],
                                          "target": renamed[d["target"]]})
                     for d in fragment.get("edges", []) if d.get("source") in renamed and d.get("target") in renamed]
            queues = []
            for d in fragment.get("queues", []):
                place = {"node": renamed.get(d.get("node") or ""), "edge": renamed.get(d.get("edge") or "")}
                if place["node"] or place["edge"]:
                    queues.append(Queue.model_validate({**d, "id": fresh(d["id"]), "node": place["node"],
                                                        "edge": place["edge"]}))
        except (ValidationError, KeyError, TypeError) as error:
            detail = "; ".join(describe_errors(error)) if isinstance(error, ValidationError) else str(error)
            raise BoardError(f"the clipboard does not hold board items: {detail}") from None
        if not nodes:
            return []
        with self.macro(text or f"Paste {len(nodes)} node{'s' if len(nodes) != 1 else ''}"):
            for collection, entities in (("nodes", nodes), ("edges", edges), ("queues", queues)):
                for entity in entities:
                    self.stack.push(AddEntity(self.board, collection, entity))
        return [n.id for n in nodes]

    def set_field(self, collection: str, entity_id: str, path: tuple[str, ...], value: Any,
                  merge: bool = True) -> None:
        """Set one (possibly nested) field, e.g. ``("sim", "service_time", "mean_ms")``;
        consecutive edits of the same field merge (inspector typing)."""
        old = self.board.get(collection, entity_id)
        data = old.model_dump()
        target = data
        for part in path[:-1]:
            if target.get(part) is None:
                raise BoardError(f"{'.'.join(path[:-1])} is not set")
            target = target[part]
        target[path[-1]] = value
        new = validated_copy(old, {path[0]: data[path[0]]})
        if new == old:
            return
        self.board.check_entity(collection, new)
        from app.ui.commands import describe

        key = f"{collection}:{entity_id}:{'.'.join(path)}" if merge else None
        text = f"Change {' '.join(p.replace('_', ' ') for p in path)} of {describe(collection, old)}"
        self.stack.push(ReplaceEntity(self.board, collection, new, text, key))

    # --- presenting: frames, reveal, recording times (see docs/recording.md) ----------

    def set_step_frame(self, step_id: str, frame: Frame | None) -> None:
        """Give a step its camera frame (or none); refused when the frame lies off the board."""
        step = self.board.get("steps", step_id)
        if frame is not None and (problem := frame_problem(self.board, frame)) is not None:
            raise BoardError(f"step {step.code}: {problem}")
        verb = "Clear the frame of" if frame is None else "Frame"
        self.update("steps", step_id, text=f"{verb} step {step.code}", frame=frame)

    def set_step_reveal(self, step_id: str, reveal: list[str] | tuple[str, ...]) -> None:
        """Set what appears at a step, in build order (element ids or ``layer:NAME``)."""
        step = self.board.get("steps", step_id)
        self.update("steps", step_id, text=f"Set the reveal of step {step.code}", reveal=tuple(reveal))

    def reveal_at_step(self, step_id: str, ids: list[str] | tuple[str, ...]) -> list[str]:
        """Append elements to a step's reveal list (moving them from any other step's list);
        returns the ids added. One undo step."""
        step = self.board.get("steps", step_id)
        chosen = [i for i in dict.fromkeys(ids) if i not in step.reveal]
        if not chosen:
            return []
        with self.macro(f"Reveal {len(chosen)} item{'s' if len(chosen) != 1 else ''} at step {step.code}"):
            for other in self.board.items("steps"):
                if other.id != step_id and any(i in other.reveal for i in chosen):
                    self.update("steps", other.id, reveal=tuple(r for r in other.reveal if r not in chosen))
            self.update("steps", step_id, reveal=(*step.reveal, *chosen))
        return chosen

    def save_view_to_board(self, step_id: str, layers: dict[str, bool] | None) -> None:
        """Keep what presenting a step shows: its layers become the board's layers (undoable)."""
        step = self.board.get("steps", step_id)
        if layers is None or self.board.layers.model_dump() == layers:
            return
        new = validated_copy(self.board.layers, layers)
        self.stack.push(SetDocumentPart(self.board, "layers", new, f"Save view of step {step.code} to board"))

    def draw_ink(self, note: Annotation, what: str = "ink stroke") -> str:
        """Keep one ink stroke or ink text (one undo step, "Draw ink stroke on step P02")."""
        self.board.check_entity("annotations", note)
        if self.board.find(note.id) is not None:
            raise BoardError(f"the id {note.id!r} is already used on this board")
        where = f" on step {self.board.get('steps', note.step).code}" if note.step is not None else ""
        command = AddEntity(self.board, "annotations", note)
        command.setText(f"Draw {what}{where}")
        self.stack.push(command)
        return str(note.id)

    def erase_step_ink(self, step_id: str) -> int:
        """Delete the ink, highlighter strokes and ink text of one step (one undo step); returns how many."""
        step = self.board.get("steps", step_id)
        strokes = [a.id for a in self.board.items("annotations")
                   if a.step == step_id and a.kind in ("ink", "highlight", "text")]
        if strokes:
            self.delete(strokes, f"Erase the ink of step {step.code}")
        return len(strokes)

    def keep_recording_times(self, stamps: dict[str, float]) -> int:
        """Write a recording's step start times into the steps (one undo step); returns how many changed."""
        changed = {i: round(t, 1) for i, t in stamps.items()
                   if self.board.find(i) is not None and self.board.get("steps", i).recorded_at_s != round(t, 1)}
        if changed:
            with self.macro(f"Keep recording times of {len(changed)} step{'s' if len(changed) != 1 else ''}"):
                for step_id, seconds in changed.items():
                    self.update("steps", step_id, recorded_at_s=seconds)
        return len(changed)


def reveal_drops(board: Board, operations: list[Update | Remove]) -> str:
    """Which steps lose reveal entries in a planned removal, as ``"step DE07 (x, y)"``; empty if none."""
    parts = []
    for op in operations:
        if isinstance(op, Update) and isinstance(op.entity, Step):
            before = board.step(op.entity.id)
            gone = [r for r in before.reveal if r not in op.entity.reveal]
            parts.append(f"step {before.code} ({', '.join(gone)})")
    return "; ".join(parts)
