"""Where the shipped resources are (examples, catalog, schema, fonts)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return ROOT.joinpath(*parts)


def example_path(name: str) -> Path:
    return resource_path("examples", name)
