"""Interventions as parameter patches on the board.

An intervention's ``changes`` set dotted paths on nodes, edges or queues, for
example ``call.timeout_ms`` on the engine → LLM edge. ``apply_interventions``
returns a patched copy of a document for the simulation; the board itself is
never changed by measuring an intervention.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from models.document import BoardDocument, Entity
from models.entities import CHANGEABLE, Intervention
from models.errors import BoardError
from models.kinds import Collection
from models.validation import describe_errors

FIXED_FIELDS = frozenset({"id", "source", "target", "node", "edge"})
"""What an intervention may not change: ids and the references that place an
entity on the board (an edge's ends, a queue's node or edge)."""


def apply_change(entity: BaseModel, path: str, value: Any) -> Any:
    """A validated copy of ``entity`` with ``path`` set to ``value``."""
    data = entity.model_dump()
    parts = path.split(".")
    if parts[0] in FIXED_FIELDS:
        raise BoardError(f"{path}: an intervention changes parameters; it cannot change {parts[0]!r}")
    cursor: Any = data
    model: Any = type(entity)
    for depth, part in enumerate(parts):
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            where = ".".join(parts[:depth]) or type(entity).__name__.lower()
            raise BoardError(f"{path}: {where} has no field {part!r}")
        if depth == len(parts) - 1:
            cursor[part] = value
            break
        if cursor.get(part) is None:
            raise BoardError(f"{path}: {'.'.join(parts[: depth + 1])} is not set; set it as a whole")
        cursor = cursor[part]
        model = _field_model(fields[part].annotation)
    try:
        return type(entity).model_validate(data)
    except ValidationError as error:
        raise BoardError("; ".join(describe_errors(error))) from None


def _field_model(annotation: Any) -> Any:
    """The pydantic model inside ``X`` or ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def change_problems(
    intervention: Intervention, find: Callable[[str], tuple[Collection, Entity] | None]
) -> list[str]:
    """Why an intervention's changes cannot apply to the entities ``find`` looks up
    by id (``Board.find``), if they cannot."""
    problems = []
    for i, change in enumerate(intervention.changes):
        found = find(change.target)
        if found is None or found[0] not in CHANGEABLE:
            continue  # the reference check already reports it
        try:
            apply_change(found[1], change.path, change.value)
        except BoardError as error:
            problems.append(f"changes[{i}]: {error}")
    return problems


def apply_interventions(document: BoardDocument, ids: list[str] | tuple[str, ...]) -> BoardDocument:
    """A copy of ``document`` with the named interventions' changes applied in order."""
    by_id = {item.id: item for item in document.interventions}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        known = ", ".join(by_id) or "none"
        raise BoardError(f"unknown intervention {', '.join(map(repr, unknown))} (this board has: {known})")
    lists: dict[str, list[Any]] = {name: list(getattr(document, name)) for name in CHANGEABLE}
    where = {item.id: (name, i) for name, items in lists.items() for i, item in enumerate(items)}
    for intervention_id in ids:
        for change in by_id[intervention_id].changes:
            if change.target not in where:
                raise BoardError(f"intervention {intervention_id!r}: {change.target!r} is not on this board")
            name, index = where[change.target]
            lists[name][index] = apply_change(lists[name][index], change.path, change.value)
    return document.model_copy(update={name: tuple(items) for name, items in lists.items()})
