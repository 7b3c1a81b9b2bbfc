"""The board: the single source of truth, with change events.

A ``Board`` holds the entities of one analysis in ordered lists and enforces
the domain rules on every edit: ids are unique across the whole board, every
reference points at something that exists, and nothing referenced can be
removed. Each edit emits past-tense events (``node_added``, ``edge_changed``,
``loop_removed``, ...) only when something really changed, so a view can
mirror the board. Undo lives in the application, as commands over these
methods; the board itself is plain Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from models.document import COLLECTIONS, BoardDocument, Layers, Meta
from models.entities import LAYER_PREFIX, Reflection
from models.errors import BoardError
from models.events import Event
from models.params import Frozen

_ENTITY_COLLECTIONS = ("nodes", "edges", "queues")
_ANY = tuple(COLLECTIONS)
_REVEALABLE = ("nodes", "edges", "queues", "loops", "flows", "stages", "cascades", "annotations")
"""What a step's reveal list may name: what the canvas draws."""


def references(collection: str, entity: Any) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """Yield ``(field, referenced id, collections it may live in)`` of an entity."""
    if collection == "edges":
        yield "source", entity.source, ("nodes",)
        yield "target", entity.target, ("nodes",)
    elif collection == "queues":
        if entity.node is not None:
            yield "node", entity.node, ("nodes",)
        if entity.edge is not None:
            yield "edge", entity.edge, ("edges",)
    elif collection == "loops":
        for i, ref in enumerate(entity.nodes):
            yield f"nodes[{i}]", ref, ("nodes",)
        for i, ref in enumerate(entity.edges):
            yield f"edges[{i}]", ref, ("edges",)
    elif collection == "flows":
        for i, hop in enumerate(entity.hops):
            yield f"hops[{i}].node", hop.node, ("nodes",)
            if hop.edge is not None:
                yield f"hops[{i}].edge", hop.edge, ("edges",)
    elif collection == "stages":
        for i, ref in enumerate(entity.nodes):
            yield f"nodes[{i}]", ref, ("nodes",)
    elif collection == "failure_modes":
        yield "node", entity.node, ("nodes",)
    elif collection == "cascades":
        for i, ref in enumerate(entity.path):
            yield f"path[{i}]", ref, ("nodes",)
        if entity.scenario is not None:
            yield "scenario", entity.scenario, ("scenarios",)
    elif collection == "interventions":
        for i, ref in enumerate(entity.targets):
            yield f"targets[{i}]", ref, _ANY
        for i, change in enumerate(entity.changes):
            yield f"changes[{i}].target", change.target, _ENTITY_COLLECTIONS
    elif collection == "scenarios":
        for i, failure in enumerate(entity.failures):
            yield f"failures[{i}].target", failure.target, ("nodes", "edges")
    elif collection == "annotations" and entity.step is not None:
        yield "step", entity.step, ("steps",)
    elif collection == "steps":
        for i, ref in enumerate(entity.reveal):
            if not ref.startswith(LAYER_PREFIX):
                yield f"reveal[{i}]", ref, _REVEALABLE


def _singular(collection: str) -> str:
    return COLLECTIONS[collection][1]


def _article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word.replace("_", " ")


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


class BoardEvents:
    """The board's events: ``<singular>_added/_changed/_removed/_moved`` for
    every collection, plus ``meta_changed``, ``layers_changed``,
    ``reflection_changed``, ``reset`` (everything replaced) and ``changed``
    (after any change at all)."""

    def __init__(self) -> None:
        self._events: dict[str, Event] = {}
        names = ["meta_changed", "layers_changed", "reflection_changed", "reset", "changed"]
        for _, singular in COLLECTIONS.values():
            names += [f"{singular}_{verb}" for verb in ("added", "changed", "removed", "moved")]
        for name in names:
            self._events[name] = Event(name)

    def __getattr__(self, name: str) -> Event:
        try:
            return self.__dict__["_events"][name]  # type: ignore[no-any-return]
        except KeyError:
            raise AttributeError(f"the board has no event {name!r}") from None

    def names(self) -> list[str]:
        return list(self._events)


class Board:
    """One analysis, editable, with events. See the module docstring."""

    def __init__(self, document: BoardDocument | None = None) -> None:
        self.events = BoardEvents()
        self._load(document or BoardDocument())

    # --- whole document ---------------------------------------------------

    def _load(self, document: BoardDocument) -> None:
        self._meta = document.meta
        self._layers = document.layers
        self._reflection = document.reflection
        self._lists: dict[str, list[Any]] = {
            name: list(getattr(document, name)) for name in COLLECTIONS
        }
        self._index: dict[str, tuple[str, Any]] = {}
        places: dict[str, str] = {}
        for name, items in self._lists.items():
            for i, item in enumerate(items):
                if item.id in self._index:
                    raise BoardError(f"{name}[{i}].id: {item.id!r} is already used by {places[item.id]}")
                self._index[item.id] = (name, item)
                places[item.id] = f"{name}[{i}]"

    def replace_document(self, document: BoardDocument) -> None:
        """Replace everything (revert, open); emits ``reset`` and ``changed``."""
        self._load(document)
        self.events.reset.emit()
        self.events.changed.emit()

    def document(self) -> BoardDocument:
        """An immutable snapshot of the whole board."""
        fields: dict[str, Any] = {name: tuple(items) for name, items in self._lists.items()}
        return BoardDocument.model_construct(
            meta=self._meta, layers=self._layers, reflection=self._reflection, **fields
        )

    # --- reading ------------------------------------------------------------

    @property
    def meta(self) -> Meta:
        return self._meta

    @property
    def layers(self) -> Layers:
        return self._layers

    @property
    def reflection(self) -> Reflection:
        return self._reflection

    def items(self, collection: str) -> tuple[Any, ...]:
        return tuple(self._list(collection))

    @property
    def nodes(self) -> tuple[Any, ...]:
        return tuple(self._lists["nodes"])

    @property
    def edges(self) -> tuple[Any, ...]:
        return tuple(self._lists["edges"])

    def find(self, entity_id: str) -> tuple[str, Any] | None:
        """``(collection, entity)`` for an id, or None."""
        return self._index.get(entity_id)

    def get(self, collection: str, entity_id: str) -> Any:
        found = self._index.get(entity_id)
        if found is None or found[0] != collection:
            raise BoardError(f"there is no {_singular(collection).replace('_', ' ')} {entity_id!r}")
        return found[1]

    def node(self, node_id: str) -> Any:
        return self.get("nodes", node_id)

    def edge(self, edge_id: str) -> Any:
        return self.get("edges", edge_id)

    def index_of(self, collection: str, entity_id: str) -> int:
        entity = self.get(collection, entity_id)
        return self._lists[collection].index(entity)

    def edges_of(self, node_id: str) -> list[Any]:
        """Edges that start or end at a node, in board order."""
        return [e for e in self._lists["edges"] if node_id in (e.source, e.target)]

    def references_to(self, entity_id: str) -> list[tuple[str, str, str]]:
        """Every ``(collection, id, field)`` whose field refers to ``entity_id``."""
        found = []
        for name, items in self._lists.items():
            for item in items:
                for field, ref, _ in references(name, item):
                    if ref == entity_id:
                        found.append((name, item.id, field))
        return found

    def new_id(self, prefix: str) -> str:
        """A fresh id ``prefix-N`` not used on this board."""
        base = re.sub(r"[^A-Za-z0-9_.:-]+", "-", prefix.strip().lower()).strip("-_.:")[:48]
        base = base or "item"
        if base not in self._index:
            return base
        n = 2
        while f"{base}-{n}" in self._index:
            n += 1
        return f"{base}-{n}"

    # --- checks ---------------------------------------------------------------

    def _list(self, collection: str) -> list[Any]:
        try:
            return self._lists[collection]
        except KeyError:
            raise BoardError(f"the board has no collection {collection!r}") from None

    def check_entity(self, collection: str, entity: Any) -> None:
        """Raise ``BoardError`` unless ``entity`` fits ``collection`` and its
        references exist (what ``add`` and ``replace`` check first)."""
        expected: type[Any] = COLLECTIONS[collection][0]
        if not isinstance(entity, expected):
            raise BoardError(f"{collection} holds {expected.__name__} values, not {type(entity).__name__}")
        problems = self.reference_problems(collection, entity)
        if problems:
            raise BoardError(f"{_singular(collection).replace('_', ' ')} {entity.id!r}: " + "; ".join(problems))

    def reference_problems(self, collection: str, entity: Any) -> list[str]:
        """What is wrong with the references of one entity, as messages."""
        problems = []
        for field, ref, allowed in references(collection, entity):
            found = self._index.get(ref)
            if found is None or found[0] not in allowed:
                kinds = _either([_article(_singular(c)) for c in allowed]) if allowed != _ANY else "anything"
                problems.append(f"{field}: {ref!r} is not {kinds} on this board")
        if collection == "interventions":
            from models.interventions import change_problems

            problems += change_problems(self, entity)
        return problems

    def check(self) -> list[str]:
        """Every broken reference on the board, as ``collection[i].field: reason``."""
        problems = []
        for name, items in self._lists.items():
            for i, item in enumerate(items):
                for problem in self.reference_problems(name, item):
                    problems.append(f"{name}[{i}].{problem}")
        return problems

    # --- editing --------------------------------------------------------------

    def add(self, collection: str, entity: Any, index: int | None = None) -> None:
        """Insert an entity (at ``index``, or at the end)."""
        items = self._list(collection)
        if entity.id in self._index:
            raise BoardError(f"the id {entity.id!r} is already used on this board")
        self.check_entity(collection, entity)
        position = len(items) if index is None else max(0, min(index, len(items)))
        items.insert(position, entity)
        self._index[entity.id] = (collection, entity)
        getattr(self.events, f"{_singular(collection)}_added").emit(entity, position)
        self.events.changed.emit()

    def replace(self, collection: str, entity: Any) -> Any:
        """Put a new version of an entity in place (same id); returns the old one."""
        old = self.get(collection, entity.id)
        if old == entity:
            return old
        self.check_entity(collection, entity)
        items = self._lists[collection]
        items[items.index(old)] = entity
        self._index[entity.id] = (collection, entity)
        getattr(self.events, f"{_singular(collection)}_changed").emit(old, entity)
        self.events.changed.emit()
        return old

    def update(self, collection: str, entity_id: str, **changes: Any) -> Any:
        """Change fields of an entity, validated; returns the old entity."""
        old = self.get(collection, entity_id)
        if "id" in changes and changes["id"] != entity_id:
            raise BoardError("an entity's id cannot change")
        new = validated_copy(old, changes)
        return self.replace(collection, new)

    def remove(self, collection: str, entity_id: str) -> tuple[Any, int]:
        """Remove an entity nothing refers to; returns it and where it was."""
        entity = self.get(collection, entity_id)
        users = self.references_to(entity_id)
        if users:
            named = ", ".join(f"{_singular(c).replace('_', ' ')} {i!r}" for c, i, _ in users[:5])
            more = f" and {len(users) - 5} more" if len(users) > 5 else ""
            raise BoardError(f"{entity_id!r} is still used by {named}{more}")
        items = self._lists[collection]
        index = items.index(entity)
        del items[index]
        del self._index[entity_id]
        getattr(self.events, f"{_singular(collection)}_removed").emit(entity, index)
        self.events.changed.emit()
        return entity, index

    def move(self, collection: str, entity_id: str, index: int) -> int:
        """Move an entity to ``index`` in its list; returns its old index."""
        entity = self.get(collection, entity_id)
        items = self._lists[collection]
        old = items.index(entity)
        index = max(0, min(index, len(items) - 1))
        if old != index:
            del items[old]
            items.insert(index, entity)
            getattr(self.events, f"{_singular(collection)}_moved").emit(entity, old, index)
            self.events.changed.emit()
        return old

    def set_meta(self, meta: Meta) -> Meta:
        old, self._meta = self._meta, meta
        if old != meta:
            self.events.meta_changed.emit(old, meta)
            self.events.changed.emit()
        return old

    def set_layers(self, layers: Layers) -> Layers:
        old, self._layers = self._layers, layers
        if old != layers:
            self.events.layers_changed.emit(old, layers)
            self.events.changed.emit()
        return old

    def set_reflection(self, reflection: Reflection) -> Reflection:
        old, self._reflection = self._reflection, reflection
        if old != reflection:
            self.events.reflection_changed.emit(old, reflection)
            self.events.changed.emit()
        return old


def validated_copy(entity: Frozen, changes: dict[str, Any]) -> Any:
    """A copy of ``entity`` with ``changes`` applied, validated like a load."""
    data = entity.model_dump()
    data.update(changes)
    try:
        return type(entity).model_validate(data)
    except ValidationError as error:
        from models.validation import describe_errors

        raise BoardError("; ".join(describe_errors(error))) from None
