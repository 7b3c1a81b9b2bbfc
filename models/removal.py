"""What deleting entities implies for everything that refers to them.

Deleting a node deletes its edges, the queues on it and on those edges, and
its failure modes; deleting a step deletes the annotations (ink, notes) that
belong to it. Lists that merely mention a deleted entity (loop members, stage
nodes, cascade paths, flow hops, intervention targets, injected failures,
step reveal lists) lose the mention, and a loop or flow left empty goes too.
``plan_removal`` computes that as plain operations, so the editor can run
them as one undoable macro.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.board import Board

OWNED = {
    "edges": ("source", "target"),
    "queues": ("node", "edge"),
    "failure_modes": ("node",),
    "annotations": ("step",),
}
"""Entities that cannot exist without what these fields refer to."""


@dataclass(frozen=True)
class Update:
    collection: str
    entity: Any


@dataclass(frozen=True)
class Remove:
    collection: str
    entity_id: str


def _strip(collection: str, entity: Any, gone: set[str]) -> Any | None:
    """``entity`` without its references to ``gone``; None if it must go too."""
    changes: dict[str, Any] = {}
    if collection == "loops":
        nodes = tuple(n for n in entity.nodes if n not in gone)
        if not nodes:
            return None
        changes = {"nodes": nodes, "edges": tuple(e for e in entity.edges if e not in gone)}
    elif collection == "flows":
        hops = tuple(
            hop.model_copy(update={"edge": None}) if hop.edge in gone else hop
            for hop in entity.hops
            if hop.node not in gone
        )
        if not hops:
            return None
        changes = {"hops": hops}
    elif collection == "stages":
        changes = {"nodes": tuple(n for n in entity.nodes if n not in gone)}
    elif collection == "cascades":
        changes = {
            "path": tuple(n for n in entity.path if n not in gone),
            "scenario": None if entity.scenario in gone else entity.scenario,
        }
    elif collection == "interventions":
        changes = {
            "targets": tuple(t for t in entity.targets if t not in gone),
            "changes": tuple(c for c in entity.changes if c.target not in gone),
        }
    elif collection == "scenarios":
        changes = {"failures": tuple(f for f in entity.failures if f.target not in gone)}
    elif collection == "steps":
        changes = {"reveal": tuple(r for r in entity.reveal if r not in gone)}
    return entity.model_copy(update=changes)


def plan_removal(board: Board, ids: list[str]) -> list[Update | Remove]:
    """Operations that delete ``ids`` and everything that depends on them.

    Updates come first, then removals in an order where nothing removed is
    still referred to by what remains.
    """
    gone: dict[str, str] = {}
    pending = [i for i in ids if board.find(i) is not None]
    while pending:
        entity_id = pending.pop()
        if entity_id in gone:
            continue
        found = board.find(entity_id)
        assert found is not None
        gone[entity_id] = found[0]
        for collection, user_id, field in board.references_to(entity_id):
            if collection in OWNED and field in OWNED[collection]:
                pending.append(user_id)
    updates: list[Update | Remove] = []
    for collection, _ in ((c, None) for c in ("loops", "flows", "stages", "cascades", "interventions",
                                               "scenarios", "annotations", "steps")):
        for entity in board.items(collection):
            if entity.id in gone:
                continue
            stripped = _strip(collection, entity, set(gone))
            if stripped is None:
                gone[entity.id] = collection
            elif stripped != entity:
                updates.append(Update(collection, stripped))
    # a step that goes first forgets what else goes from its reveal list (its own
    # annotations refer back to it, so neither could be removed before the other)
    unlisted = set()
    for entity_id, collection in gone.items():
        if collection == "steps":
            step = board.get("steps", entity_id)
            stripped = _strip("steps", step, set(gone))
            if stripped != step:
                updates.append(Update("steps", stripped))
            unlisted.add(entity_id)
    removals: list[Update | Remove] = []
    remaining = dict(gone)
    while remaining:
        progress = False
        for entity_id, collection in list(remaining.items()):
            users = [u for c, u, _ in board.references_to(entity_id) if u in remaining and u not in unlisted]
            if not users:
                removals.append(Remove(collection, entity_id))
                del remaining[entity_id]
                progress = True
        if not progress:  # a reference cycle among removed entities: break it anywhere
            entity_id, collection = next(iter(remaining.items()))
            removals.append(Remove(collection, entity_id))
            del remaining[entity_id]
    return updates + removals
