"""Format 1 → 2: modelling assumptions leave the analyst's notes."""

from __future__ import annotations

import json
from pathlib import Path

from models.fileformat import load_path
from models.migrations import migrate_1_to_2, split_assumptions
from tests.conftest import EXAMPLE

V1_EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "v1" / "streamflow-ai.cboard"


def test_a_version_1_file_loads_with_its_assumptions_apart():
    assert json.loads(V1_EXAMPLE.read_text(encoding="utf-8"))["format_version"] == 1
    document = load_path(V1_EXAMPLE)
    assert document.format_version == 2
    engine = next(n for n in document.nodes if n.id == "engine")
    assert engine.notes.startswith("CPU-bound, single instance.")
    assert "Little's law" not in engine.notes
    assert "Calibrated" not in engine.notes
    assert engine.assumptions.startswith("24 worker threads")
    assert "Calibrated: with 12 threads" in engine.assumptions
    gateway_call = next(e for e in document.edges if e.source == "gateway" and e.target == "engine")
    assert gateway_call.notes == ""
    assert gateway_call.assumptions == "The gateway gives up after 29 s and answers 504."


RECALIBRATED = {"engine", "vectordb", "llm", "profile", "e-engine-llm"}
"""Recalibrated after format 2 (issue 11): their simulation parameters and assumptions moved on."""


ADDED = {"batch", "e-batch-engine"}
"""Added after format 2 (issue 11): the batch precompute job of the batch-contention scenario."""


def test_the_shipped_examples_components_are_the_migrated_version_1_ones():
    migrated, shipped = load_path(V1_EXAMPLE), load_path(EXAMPLE)
    now = {component.id: component for component in shipped.nodes + shipped.edges}
    assert set(now) - {component.id for component in migrated.nodes + migrated.edges} == ADDED
    for old in migrated.nodes + migrated.edges:
        new = now[old.id]
        if old.id in RECALIBRATED:
            calibrated = {"sim", "call", "assumptions"}
            assert old.model_dump(exclude=calibrated) == new.model_dump(exclude=calibrated)
        else:
            assert old == new


def test_notes_without_a_marker_stay_notes():
    assert split_assumptions("Redis. The simulation is plain.") == ("Redis. The simulation is plain.", "")
    assert split_assumptions("Not a Simulation: marker mid-sentence") == ("Not a Simulation: marker mid-sentence", "")
    assert split_assumptions("Slow. Calibrated: knee of 3.") == ("Slow.", "Calibrated: knee of 3.")


def test_the_migration_leaves_unexpected_shapes_for_validation_and_keeps_key_order():
    data = {"format_version": 1, "nodes": ["not an object", {"id": "a", "notes": 5}],
            "edges": [{"id": "e", "notes": "Calls. Simulation: 1 s timeout.", "call": {}}]}
    migrated = migrate_1_to_2(data)
    assert migrated["nodes"] == data["nodes"]
    assert list(migrated["edges"][0]) == ["id", "notes", "assumptions", "call"]
    assert migrated["edges"][0]["assumptions"] == "1 s timeout."
    assert data["edges"][0]["notes"] == "Calls. Simulation: 1 s timeout.", "the input is not changed"
