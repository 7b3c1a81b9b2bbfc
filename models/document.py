"""The whole board as one immutable document: what a ``.cboard`` file holds."""

from __future__ import annotations

from collections.abc import Iterable
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
from models.errors import BoardError
from models.kinds import Collection, LayerName
from models.params import Frozen, LongText, ShortText, SimScenario

FORMAT_VERSION: Literal[2] = 2
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
    source: LongText = ""
    """Where the board's pattern and numbers come from (paper, article or
    postmortem); the examples gallery and the handout print it."""


LAYER_NAMES: tuple[LayerName, ...] = tuple(LayerName)
"""Every canvas layer, in the order of the Layers menu."""


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

    format_version: Literal[2] = FORMAT_VERSION
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

    def scenario(self, scenario_id: str) -> SimScenario:
        """The scenario with this id; ``BoardError`` naming the known ones if there is none."""
        return find_scenario(self.scenarios, scenario_id)


def find_scenario(scenarios: Iterable[SimScenario], scenario_id: str) -> SimScenario:
    """The scenario with this id among ``scenarios``, or the one "unknown scenario" ``BoardError``."""
    scenarios = tuple(scenarios)
    for scenario in scenarios:
        if scenario.id == scenario_id:
            return scenario
    known = ", ".join(s.id for s in scenarios) or "none"
    raise BoardError(f"unknown scenario {scenario_id!r} (this board has: {known})")


Entity = (
    Node | Edge | Queue | Loop | Flow | Stage | Stakeholder | FailureMode | Cascade | Intervention
    | SimScenario | Step | Annotation | Finding
)
"""Anything a board lists in one of its collections."""


COLLECTIONS: dict[Collection, tuple[type[Entity], str]] = {
    Collection.NODES: (Node, "node"),
    Collection.EDGES: (Edge, "edge"),
    Collection.QUEUES: (Queue, "queue"),
    Collection.LOOPS: (Loop, "loop"),
    Collection.FLOWS: (Flow, "flow"),
    Collection.STAGES: (Stage, "stage"),
    Collection.STAKEHOLDERS: (Stakeholder, "stakeholder"),
    Collection.FAILURE_MODES: (FailureMode, "failure_mode"),
    Collection.CASCADES: (Cascade, "cascade"),
    Collection.INTERVENTIONS: (Intervention, "intervention"),
    Collection.SCENARIOS: (SimScenario, "scenario"),
    Collection.STEPS: (Step, "step"),
    Collection.ANNOTATIONS: (Annotation, "annotation"),
    Collection.FINDINGS: (Finding, "finding"),
}
"""Every list of entities on a board: name → (entity class, singular name)."""
