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
from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast, overload

from pydantic import ValidationError

from models.document import COLLECTIONS, BoardDocument, Entity, Layers, Meta, find_scenario
from models.entities import (
    Annotation,
    Cascade,
    Edge,
    FailureMode,
    Finding,
    Flow,
    Intervention,
    Loop,
    Node,
    Queue,
    Reflection,
    Stage,
    Stakeholder,
    Step,
)
from models.errors import BoardError
from models.events import Event
from models.interventions import change_problems
from models.kinds import Collection
from models.params import ANYWHERE, Frozen, SimScenario
from models.validation import describe_errors, key_step

E = TypeVar("E", bound=Frozen)


def _collection(name: str) -> Collection:
    try:
        return Collection(name)
    except ValueError:
        raise BoardError(f"the board has no collection {name!r}") from None


def _singular(collection: str) -> str:
    return COLLECTIONS[_collection(collection)][1]


def _missing(collection: str, entity_id: str) -> BoardError:
    return BoardError(f"there is no {_singular(collection).replace('_', ' ')} {entity_id!r}")


def _article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word.replace("_", " ")


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def mix_problems(scenario: SimScenario, find: Callable[[str], tuple[Collection, Entity] | None]) -> list[str]:
    """A scenario's traffic mix and background list may only name calls from a
    users node (the entries); missing edges are reported with the other broken
    references."""
    problems = []
    named = [(f"mix{key_step(edge_id)}", edge_id, "so the mix cannot give it traffic") for edge_id, _ in scenario.mix]
    named += [(f"background[{i}]", edge_id, "so it sends no requests of its own")
              for i, edge_id in enumerate(scenario.background)]
    for field, edge_id, why in named:
        found = find(edge_id)
        if found is None or not isinstance(found[1], Edge):
            continue
        source, target = find(found[1].source), find(found[1].target)
        if not (source is not None and isinstance(source[1], Node) and source[1].kind == "users") or (
                target is not None and isinstance(target[1], Node) and target[1].kind == "users"):
            problems.append(f"{field}: {edge_id!r} is not an entry (a call from a users node), {why}")
    return problems


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
            events: dict[str, Event] = self.__dict__["_events"]
            return events[name]
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
        self._lists: dict[Collection, list[Entity]] = {
            name: list(getattr(document, name)) for name in COLLECTIONS
        }
        self._index: dict[str, tuple[Collection, Entity]] = {}
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
        fields: dict[str, Any] = {name.value: tuple(items) for name, items in self._lists.items()}
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

    # Typed per collection: ``board.items("flows")`` is a tuple of ``Flow``.
    @overload
    def items(self, collection: Literal[Collection.NODES, "nodes"]) -> tuple[Node, ...]: ...
    @overload
    def items(self, collection: Literal[Collection.EDGES, "edges"]) -> tuple[Edge, ...]: ...
    @overload
    def items(self, collection: Literal[Collection.QUEUES, "queues"]) -> tuple[Queue, ...]: ...
    @overload
    def items(self, collection: Literal[Collection.LOOPS, "loops"]) -> tuple[Loop, ...]: ...
    @overload
    def items(self, collection: Literal[Collection.FLOWS, "flows"]) -> tuple[Flow, ...]: ...
    @overload
    def items(self, collection: Literal[Collection.STAGES, "stages"]) -> tuple[Stage, ...]: ...
    @overload
    def items(self, collection: Literal[Collection.STAKEHOLDERS, "stakeholders"]) -> tuple[Stakeholder, ...]: ...
    @overload
    def items(self, collection: Literal[Collection.FAILURE_MODES, "failure_modes"]) -> tuple[FailureMode, ...]: ...
    @overload
    def items(self, collection: Literal[Collection.CASCADES, "cascades"]) -> tuple[Cascade, ...]: ...
    @overload
    def items(self, collection: Literal[Collection.INTERVENTIONS, "interventions"]) -> tuple[Intervention, ...]: ...
    @overload
    def items(self, collection: Literal[Collection.SCENARIOS, "scenarios"]) -> tuple[SimScenario, ...]: ...
    @overload
    def items(self, collection: Literal[Collection.STEPS, "steps"]) -> tuple[Step, ...]: ...
    @overload
    def items(self, collection: Literal[Collection.ANNOTATIONS, "annotations"]) -> tuple[Annotation, ...]: ...
    @overload
    def items(self, collection: Literal[Collection.FINDINGS, "findings"]) -> tuple[Finding, ...]: ...
    @overload
    def items(self, collection: str) -> tuple[Entity, ...]: ...

    def items(self, collection: str) -> tuple[Entity, ...]:
        return tuple(self._list(collection))

    @property
    def nodes(self) -> tuple[Node, ...]:
        return self._all(Collection.NODES, Node)

    @property
    def edges(self) -> tuple[Edge, ...]:
        return self._all(Collection.EDGES, Edge)

    @property
    def scenarios(self) -> tuple[SimScenario, ...]:
        return self._all(Collection.SCENARIOS, SimScenario)

    @property
    def steps(self) -> tuple[Step, ...]:
        return self._all(Collection.STEPS, Step)

    def step(self, step_id: str) -> Step:
        return self.get(Collection.STEPS, step_id)

    def find(self, entity_id: str) -> tuple[Collection, Entity] | None:
        """``(collection, entity)`` for an id, or None."""
        return self._index.get(entity_id)

    def is_node(self, entity_id: str) -> bool:
        """Whether ``entity_id`` names a node on this board."""
        found = self._index.get(entity_id)
        return found is not None and isinstance(found[1], Node)

    @overload
    def get(self, collection: Literal[Collection.NODES, "nodes"], entity_id: str) -> Node: ...
    @overload
    def get(self, collection: Literal[Collection.EDGES, "edges"], entity_id: str) -> Edge: ...
    @overload
    def get(self, collection: Literal[Collection.QUEUES, "queues"], entity_id: str) -> Queue: ...
    @overload
    def get(self, collection: Literal[Collection.LOOPS, "loops"], entity_id: str) -> Loop: ...
    @overload
    def get(self, collection: Literal[Collection.FLOWS, "flows"], entity_id: str) -> Flow: ...
    @overload
    def get(self, collection: Literal[Collection.STAGES, "stages"], entity_id: str) -> Stage: ...
    @overload
    def get(self, collection: Literal[Collection.STAKEHOLDERS, "stakeholders"], entity_id: str) -> Stakeholder: ...
    @overload
    def get(self, collection: Literal[Collection.FAILURE_MODES, "failure_modes"], entity_id: str) -> FailureMode: ...
    @overload
    def get(self, collection: Literal[Collection.CASCADES, "cascades"], entity_id: str) -> Cascade: ...
    @overload
    def get(self, collection: Literal[Collection.INTERVENTIONS, "interventions"], entity_id: str) -> Intervention: ...
    @overload
    def get(self, collection: Literal[Collection.SCENARIOS, "scenarios"], entity_id: str) -> SimScenario: ...
    @overload
    def get(self, collection: Literal[Collection.STEPS, "steps"], entity_id: str) -> Step: ...
    @overload
    def get(self, collection: Literal[Collection.ANNOTATIONS, "annotations"], entity_id: str) -> Annotation: ...
    @overload
    def get(self, collection: Literal[Collection.FINDINGS, "findings"], entity_id: str) -> Finding: ...
    @overload
    def get(self, collection: str, entity_id: str) -> Entity: ...

    def get(self, collection: str, entity_id: str) -> Entity:
        found = self._index.get(entity_id)
        if found is None or found[0] != collection:
            raise _missing(collection, entity_id)
        return found[1]

    def node(self, node_id: str) -> Node:
        found = self._index.get(node_id)
        entity = found[1] if found is not None else None
        if isinstance(entity, Node):
            return entity
        raise _missing(Collection.NODES, node_id)

    def edge(self, edge_id: str) -> Edge:
        found = self._index.get(edge_id)
        entity = found[1] if found is not None else None
        if isinstance(entity, Edge):
            return entity
        raise _missing(Collection.EDGES, edge_id)

    def scenario(self, scenario_id: str) -> SimScenario:
        """The scenario with this id; ``BoardError`` naming the known ones if there is none."""
        return find_scenario(self.scenarios, scenario_id)

    def index_of(self, collection: str, entity_id: str) -> int:
        entity = self.get(collection, entity_id)
        return self._lists[_collection(collection)].index(entity)

    def edges_of(self, node_id: str) -> list[Edge]:
        """Edges that start or end at a node, in board order."""
        return [e for e in self.edges if node_id in (e.source, e.target)]

    def references_to(self, entity_id: str) -> list[tuple[Collection, str, str]]:
        """Every ``(collection, id, field)`` whose field refers to ``entity_id``."""
        found = []
        for name, items in self._lists.items():
            for item in items:
                for field, ref, _ in item.references():
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

    def _all(self, collection: Collection, kind: type[E]) -> tuple[E, ...]:
        """A collection's entities, typed (``check_entity`` keeps each list to one class)."""
        return cast("tuple[E, ...]", tuple(self._lists[collection]))

    # --- checks ---------------------------------------------------------------

    def _list(self, collection: str) -> list[Entity]:
        return self._lists[_collection(collection)]

    def check_entity(self, collection: str, entity: Frozen) -> None:
        """Raise ``BoardError`` unless ``entity`` fits ``collection`` and its
        references exist (what ``add`` and ``replace`` check first)."""
        expected = COLLECTIONS[_collection(collection)][0]
        if not isinstance(entity, expected):
            raise BoardError(f"{collection} holds {expected.__name__} values, not {type(entity).__name__}")
        problems = self.reference_problems(entity)
        if problems:
            raise BoardError(f"{_singular(collection).replace('_', ' ')} {entity.id!r}: " + "; ".join(problems))

    def reference_problems(self, entity: Frozen) -> list[str]:
        """What is wrong with the references of one entity, as messages."""
        problems = []
        for field, ref, allowed in entity.references():
            found = self._index.get(ref)
            if found is None or found[0] not in allowed:
                kinds = _either([_article(_singular(c)) for c in allowed]) if allowed != ANYWHERE else "anything"
                problems.append(f"{field}: {ref!r} is not {kinds} on this board")
        if isinstance(entity, Intervention):
            problems += change_problems(entity, self.find)
        if isinstance(entity, SimScenario):
            problems += mix_problems(entity, self.find)
        return problems

    def check(self) -> list[str]:
        """Every broken reference on the board, as ``collection[i].field: reason``."""
        problems = []
        for name, items in self._lists.items():
            for i, item in enumerate(items):
                for problem in self.reference_problems(item):
                    problems.append(f"{name}[{i}].{problem}")
        return problems

    # --- editing --------------------------------------------------------------

    def add(self, collection: str, entity: Entity, index: int | None = None) -> None:
        """Insert an entity (at ``index``, or at the end)."""
        items = self._list(collection)
        if entity.id in self._index:
            raise BoardError(f"the id {entity.id!r} is already used on this board")
        self.check_entity(collection, entity)
        position = len(items) if index is None else max(0, min(index, len(items)))
        items.insert(position, entity)
        self._index[entity.id] = (_collection(collection), entity)
        getattr(self.events, f"{_singular(collection)}_added").emit(entity, position)
        self.events.changed.emit()

    def replace(self, collection: str, entity: Entity) -> Entity:
        """Put a new version of an entity in place (same id); returns the old one."""
        old = self.get(collection, entity.id)
        if old == entity:
            return old
        self.check_entity(collection, entity)
        items = self._list(collection)
        items[items.index(old)] = entity
        self._index[entity.id] = (_collection(collection), entity)
        getattr(self.events, f"{_singular(collection)}_changed").emit(old, entity)
        self.events.changed.emit()
        return old

    def update(self, collection: str, entity_id: str, **changes: Any) -> Entity:
        """Change fields of an entity, validated; returns the old entity."""
        old = self.get(collection, entity_id)
        if "id" in changes and changes["id"] != entity_id:
            raise BoardError("an entity's id cannot change")
        new = validated_copy(old, changes)
        return self.replace(collection, new)

    def remove(self, collection: str, entity_id: str) -> tuple[Entity, int]:
        """Remove an entity nothing refers to; returns it and where it was."""
        entity = self.get(collection, entity_id)
        users = self.references_to(entity_id)
        if users:
            named = ", ".join(f"{_singular(c).replace('_', ' ')} {i!r}" for c, i, _ in users[:5])
            more = f" and {len(users) - 5} more" if len(users) > 5 else ""
            raise BoardError(f"{entity_id!r} is still used by {named}{more}")
        items = self._list(collection)
        index = items.index(entity)
        del items[index]
        del self._index[entity_id]
        getattr(self.events, f"{_singular(collection)}_removed").emit(entity, index)
        self.events.changed.emit()
        return entity, index

    def move(self, collection: str, entity_id: str, index: int) -> int:
        """Move an entity to ``index`` in its list; returns its old index."""
        entity = self.get(collection, entity_id)
        items = self._list(collection)
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


def validated_copy(entity: E, changes: dict[str, Any]) -> E:
    """A copy of ``entity`` with ``changes`` applied, validated like a load."""
    data = entity.model_dump()
    data.update(changes)
    try:
        return type(entity).model_validate(data)
    except ValidationError as error:
        raise BoardError("; ".join(describe_errors(error))) from None
