"""Steps of the ``.cboard`` migration chain, one self-contained function per
format version (see ``docs/files.md``).

Each step takes a parsed document of format ``n`` and returns one of format
``n + 1``; ``models.fileformat.MIGRATIONS`` strings them together.
"""

from __future__ import annotations

import re
from typing import Any

ASSUMPTION_MARKERS = ("Simulation:", "Calibrated:", "Calibration:", "Model assumption:", "Assumption:")
"""How format-1 notes introduced a modelling assumption: from the first of
these words that opens a sentence, the rest of the note is an assumption."""

_MARKER = re.compile(r"(?:^|(?<=[.!?;)]\s))(?:" + "|".join(re.escape(m) for m in ASSUMPTION_MARKERS) + r")")


def split_assumptions(notes: str) -> tuple[str, str]:
    """``notes`` split into the analyst's notes and the modelling assumptions.

    The assumptions start at the first sentence opened by one of
    ``ASSUMPTION_MARKERS``; the "Simulation:" marker itself is dropped, the
    others ("Calibrated: …") are kept as they say what kind of note follows.
    """
    match = _MARKER.search(notes)
    if match is None:
        return notes, ""
    analyst = notes[: match.start()].rstrip()
    assumptions = notes[match.start():].strip()
    if assumptions.startswith("Simulation:"):
        assumptions = assumptions.removeprefix("Simulation:").strip()
        assumptions = assumptions[:1].upper() + assumptions[1:]
    return analyst, assumptions


def _split_entity(entity: Any) -> Any:
    if not isinstance(entity, dict) or "assumptions" in entity:
        return entity
    notes = entity.get("notes")
    if not isinstance(notes, str):
        return entity
    analyst, assumptions = split_assumptions(notes)
    if not assumptions:
        return entity
    result: dict[str, Any] = {}
    for key, value in entity.items():
        result[key] = analyst if key == "notes" else value
        if key == "notes":
            result["assumptions"] = assumptions
    return result


def migrate_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Format 2 gives nodes and edges an ``assumptions`` field of their own.

    Format 1 had only ``notes``, where analysts wrote the modelling
    assumptions and calibration after "Simulation:" or "Calibrated:"; those
    sentences move to ``assumptions`` so a handout can print them in its
    appendix instead of among the findings. Anything that is not a list of
    objects is left for validation to report.
    """
    result = dict(data)
    for collection in ("nodes", "edges"):
        entities = result.get(collection)
        if isinstance(entities, list):
            result[collection] = [_split_entity(entity) for entity in entities]
    return result
