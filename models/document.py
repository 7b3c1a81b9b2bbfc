"""The whole board as one immutable document: what a ``.cboard`` file holds."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

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
from models.params import Frozen, LongText, ShortText, SimScenario

FORMAT_VERSION: Literal[1] = 1
"""The version this program writes; ``models.fileformat`` migrates older ones."""


class Meta(Frozen):
    """What the board is about; ``date`` is only what the user typed."""

    title: ShortText = "Untitled board"
    system: ShortText = ""
    analyst: ShortText = ""
    date: Annotated[str, StringConstraints(max_length=40)] = ""
    summary: LongText = ""
    problem: tuple[ShortText, ...] = ()
    goal: LongText = ""


LayerName = Literal[
    "health", "flows", "queues", "loops", "cascades", "annotations",
    "stages", "critical", "legend",
]
LAYER_NAMES: tuple[str, ...] = LayerName.__args__  # type: ignore[attr-defined]


class Layers(Frozen):
    """Which overlays of the canvas are shown."""

    health: bool = True
    flows: bool = False
    queues: bool = True
    loops: bool = True
    cascades: bool = True
    annotations: bool = True
    stages: bool = False
    critical: bool = True
    legend: bool = False


MAX_ITEMS = 20_000
"""The most entities of one kind a board may hold."""


class BoardDocument(Frozen):
    """One analysis. Field order is the order of sections in the file."""

    format_version: Literal[1] = FORMAT_VERSION
    meta: Meta = Meta()
    nodes: tuple[Node, ...] = Field(default=(), max_length=MAX_ITEMS)
    edges: tuple[Edge, ...] = Field(default=(), max_length=MAX_ITEMS)
    queues: tuple[Queue, ...] = Field(default=(), max_length=MAX_ITEMS)
    loops: tuple[Loop, ...] = Field(default=(), max_length=MAX_ITEMS)
    flows: tuple[Flow, ...] = Field(default=(), max_length=MAX_ITEMS)
    stages: tuple[Stage, ...] = Field(default=(), max_length=MAX_ITEMS)
    stakeholders: tuple[Stakeholder, ...] = Field(default=(), max_length=MAX_ITEMS)
    failure_modes: tuple[FailureMode, ...] = Field(default=(), max_length=MAX_ITEMS)
    cascades: tuple[Cascade, ...] = Field(default=(), max_length=MAX_ITEMS)
    interventions: tuple[Intervention, ...] = Field(default=(), max_length=MAX_ITEMS)
    scenarios: tuple[SimScenario, ...] = Field(default=(), max_length=MAX_ITEMS)
    steps: tuple[Step, ...] = Field(default=(), max_length=MAX_ITEMS)
    annotations: tuple[Annotation, ...] = Field(default=(), max_length=MAX_ITEMS)
    findings: tuple[Finding, ...] = Field(default=(), max_length=MAX_ITEMS)
    reflection: Reflection = Reflection()
    layers: Layers = Layers()


COLLECTIONS: dict[str, tuple[type[Frozen], str]] = {
    "nodes": (Node, "node"),
    "edges": (Edge, "edge"),
    "queues": (Queue, "queue"),
    "loops": (Loop, "loop"),
    "flows": (Flow, "flow"),
    "stages": (Stage, "stage"),
    "stakeholders": (Stakeholder, "stakeholder"),
    "failure_modes": (FailureMode, "failure_mode"),
    "cascades": (Cascade, "cascade"),
    "interventions": (Intervention, "intervention"),
    "scenarios": (SimScenario, "scenario"),
    "steps": (Step, "step"),
    "annotations": (Annotation, "annotation"),
    "findings": (Finding, "finding"),
}
"""Every list of entities on a board: name → (entity class, singular name)."""
