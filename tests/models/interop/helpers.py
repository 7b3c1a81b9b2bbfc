"""Shared helpers of the interop tests."""

from __future__ import annotations

from pathlib import Path

from models.document import BoardDocument
from models.entities import Edge
from models.simulation import simulate

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"


def simulates(document: BoardDocument) -> None:
    """The imported board's default scenario runs (briefly) and sends requests."""
    result = simulate(document, "default", duration_s=5.0)
    assert result.requests > 0


def pairs(document: BoardDocument) -> dict[tuple[str, str], Edge]:
    """Edges by (source label, target label)."""
    labels = {n.id: n.label for n in document.nodes}
    return {(labels[e.source], labels[e.target]): e for e in document.edges}
