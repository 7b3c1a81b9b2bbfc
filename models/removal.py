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

from models.board import Board
from models.document import Entity
from models.kinds import Collection

OWNED = {
    "edges": ("source", "target"),
    "queues": ("node", "edge"),
    "failure_modes": ("node",),
    "annotations": ("step",),
}
"""Entities that cannot exist without what these fields refer to."""

MENTIONS = (Collection.LOOPS, Collection.FLOWS, Collection.STAGES, Collection.CASCADES, Collection.INTERVENTIONS,
            Collection.SCENARIOS, Collection.ANNOTATIONS, Collection.STEPS)
"""Lists that merely mention other entities, and lose the mention when those go."""


@dataclass(frozen=True)
class Update:
    collection: str
    entity: Entity


@dataclass(frozen=True)
class Remove:
    collection: str
    entity_id: str


def plan_removal(board: Board, ids: list[str]) -> list[Update | Remove]:
    """Operations that delete ``ids`` and everything that depends on them.

    Updates come first, then removals in an order where nothing removed is
    still referred to by what remains.
    """
    gone: dict[str, Collection] = {}
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
    for mentioning in MENTIONS:
        for entity in board.items(mentioning):
            if entity.id in gone:
                continue
            stripped = entity.without(gone.keys())
            if stripped is None:
                gone[entity.id] = mentioning
            elif stripped != entity:
                updates.append(Update(mentioning, stripped))
    # a step that goes first forgets what else goes from its reveal list (its own
    # annotations refer back to it, so neither could be removed before the other)
    unlisted: set[str] = set()
    for entity_id, collection in gone.items():
        if collection == Collection.STEPS:
            step = board.step(entity_id)
            stripped = step.without(gone.keys())
            if stripped != step:
                updates.append(Update(Collection.STEPS, stripped))
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
