"""One run as a job: everything a worker needs, as plain picklable data, and
the function a worker calls. A job's result is the run's JSON summary (the
dict ``cascade-board simulate --json`` prints), so a result computed in
another process or on another machine is bit-identical to a local one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from models.document import BoardDocument
from models.errors import BoardError
from models.fileformat import document_from_data, dumps
from models.interventions import apply_change
from models.simulation.engine import simulate

OVERRIDE_COLLECTIONS = ("nodes", "edges", "queues")
"""Where an override's dotted path may start: ``nodes.engine.sim.workers``."""

Summary = dict[str, Any]


@dataclass(frozen=True)
class Override:
    """Set one parameter before the run: ``path`` is ``COLLECTION.ID.FIELD[.FIELD...]``."""

    path: str
    value: float | int

    def split(self) -> tuple[str, str, str]:
        """``(collection, entity id, field path)``, or a ``BoardError`` naming the path."""
        parts = self.path.split(".")
        if len(parts) < 3 or parts[0] not in OVERRIDE_COLLECTIONS or not all(parts):
            raise BoardError(
                f"{self.path!r} names no parameter: write COLLECTION.ID.FIELD, for example nodes.engine.sim.workers "
                f"(COLLECTION is one of {', '.join(OVERRIDE_COLLECTIONS)})"
            )
        return parts[0], parts[1], ".".join(parts[2:])


@dataclass(frozen=True)
class RunJob:
    """One simulation run. ``board`` is the document as ``.cboard`` text."""

    board: str
    scenario: str
    seed: int
    interventions: tuple[str, ...] = ()
    duration_s: float | None = None
    overrides: tuple[Override, ...] = field(default=())


def board_text(document: BoardDocument) -> str:
    """The form a job carries its board in (plain text pickles and ships cheaply)."""
    return dumps(document)


@lru_cache(maxsize=8)
def _document(text: str) -> BoardDocument:
    return document_from_data(json.loads(text), "job")


def current_value(document: BoardDocument, override: Override) -> Any:
    """The value ``override.path`` has on ``document`` now (``BoardError`` if it names nothing)."""
    collection, entity_id, path = override.split()
    entity = next((e for e in getattr(document, collection) if e.id == entity_id), None)
    if entity is None:
        known = ", ".join(e.id for e in getattr(document, collection)) or "none"
        raise BoardError(f"{override.path!r}: no {collection[:-1]} {entity_id!r} on this board (it has: {known})")
    value: Any = entity
    for depth, part in enumerate(path.split(".")):
        fields = getattr(type(value), "model_fields", None)
        if fields is None or part not in fields:
            where = ".".join([collection, entity_id, *path.split(".")[:depth]])
            raise BoardError(f"{override.path!r} names no parameter: {where} has no field {part!r}")
        value = getattr(value, part)
    return value


def apply_overrides(document: BoardDocument, overrides: tuple[Override, ...]) -> BoardDocument:
    """A copy of ``document`` with every override set (validated like an intervention's change)."""
    if not overrides:
        return document
    lists: dict[str, list[Any]] = {name: list(getattr(document, name)) for name in OVERRIDE_COLLECTIONS}
    for override in overrides:
        current_value(document, override)
        collection, entity_id, path = override.split()
        index = next(i for i, e in enumerate(lists[collection]) if e.id == entity_id)
        try:
            lists[collection][index] = apply_change(lists[collection][index], path, override.value)
        except BoardError as error:
            raise BoardError(f"{override.path}={override.value}: {error}") from None
    return document.model_copy(update={name: tuple(items) for name, items in lists.items()})


def run_job(job: RunJob) -> Summary:
    """Run one job and return its summary. Pure: the same job gives the same dict anywhere."""
    document = apply_overrides(_document(job.board), job.overrides)
    result = simulate(document, job.scenario, job.interventions, job.seed, job.duration_s)
    summary: Summary = result.to_dict()
    return summary
