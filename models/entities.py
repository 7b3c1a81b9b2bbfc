"""The entities of a board (DESIGN.md, "Vocabulary").

Every entity is an immutable pydantic model with a stable string ``id``;
an edit replaces the entity with a validated copy (see ``models.board``).
References between entities are ids, checked by ``Board.check_references``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from models.params import (
    CallParams,
    EntityId,
    Frozen,
    LongText,
    Millis,
    NodeSim,
    Probability,
    ShortText,
)

Coordinate = Annotated[float, Field(strict=True, ge=-1e6, le=1e6)]
Clock = Annotated[str, StringConstraints(pattern=r"^\d{1,3}:[0-5]\d$")]
"""A recording timestamp ``MM:SS`` (minutes may exceed 59)."""

NodeKind = Literal[
    "gateway", "service", "database", "cache", "vector_store", "llm",
    "broker", "pipeline", "users", "external",
]
NODE_KINDS: tuple[str, ...] = NodeKind.__args__  # type: ignore[attr-defined]
Health = Literal["none", "yellow", "red"]
EdgeMark = Literal["critical", "missing_queue"]
Level = Literal["low", "medium", "high"]


class Node(Frozen):
    """A service or resource."""

    id: EntityId
    kind: NodeKind = "service"
    label: ShortText
    x: Coordinate = 0.0
    y: Coordinate = 0.0
    health: Health = "none"
    notes: LongText = ""
    sim: NodeSim = NodeSim()


class Edge(Frozen):
    """A dependency: ``source`` calls ``target``."""

    id: EntityId
    source: EntityId
    target: EntityId
    label: ShortText = ""
    style: Literal["solid", "dashed"] = "solid"
    marks: tuple[EdgeMark, ...] = ()
    notes: LongText = ""
    call: CallParams = CallParams()

    @model_validator(mode="after")
    def _no_self_call(self) -> Edge:
        if self.source == self.target:
            raise ValueError("an edge cannot connect a node to itself")
        return self


class Queue(Frozen):
    """An existing queue or buffer, or a missing one the analyst proposes."""

    id: EntityId
    name: ShortText
    node: EntityId | None = None
    edge: EntityId | None = None
    exists: bool = True
    depth_limit: Annotated[int, Field(strict=True, ge=0, le=100_000_000)] | None = None
    technology: ShortText = ""
    notes: LongText = ""

    @model_validator(mode="after")
    def _one_place(self) -> Queue:
        if (self.node is None) == (self.edge is None):
            raise ValueError("a queue sits on exactly one node or one edge")
        return self


class Loop(Frozen):
    """A feedback loop through nodes and edges."""

    id: EntityId
    name: ShortText
    kind: Literal["reinforcing", "balancing"] = "reinforcing"
    growth: Literal["none", "linear", "exponential"] = "linear"
    implemented: bool = True
    nodes: tuple[EntityId, ...]
    edges: tuple[EntityId, ...] = ()
    chain: tuple[ShortText, ...] = ()
    stabiliser: ShortText = ""
    fix: ShortText = ""
    notes: LongText = ""
    x: Coordinate | None = None
    y: Coordinate | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Loop:
        if not self.nodes:
            raise ValueError("a loop must pass through at least one node")
        return self


class Hop(Frozen):
    """One hop of a flow: the work done at ``node``.

    Hops that share a ``parallel_group`` run at once and cost their slowest.
    """

    node: EntityId
    action: ShortText = ""
    latency_ms: Millis = 0.0
    edge: EntityId | None = None
    parallel_group: ShortText | None = None
    outcome: ShortText = ""


class Flow(Frozen):
    """A named request path with per-hop latency."""

    id: EntityId
    name: ShortText
    description: LongText = ""
    hops: tuple[Hop, ...]

    @model_validator(mode="after")
    def _not_empty(self) -> Flow:
        if not self.hops:
            raise ValueError("a flow needs at least one hop")
        return self


class Stage(Frozen):
    """A pipeline stage, run serially or in parallel, with its nodes."""

    id: EntityId
    name: ShortText
    mode: Literal["serial", "parallel"] = "serial"
    parallelisable: bool = False
    nodes: tuple[EntityId, ...] = ()
    notes: LongText = ""


class MetricTarget(Frozen):
    """A measurable success criterion: ``metric`` must stay below ``max``."""

    metric: Literal["p50_ms", "p95_ms", "p99_ms", "mean_ms", "error_rate"]
    max: Annotated[float, Field(strict=True, ge=0.0)]


class Stakeholder(Frozen):
    """Someone who cares about the system, and what success means to them."""

    id: EntityId
    name: ShortText
    wants: ShortText = ""
    success: tuple[ShortText, ...] = ()
    good_looks_like: ShortText = ""
    targets: tuple[MetricTarget, ...] = ()


class FailureMode(Frozen):
    """One way a component can fail (a row of the failure-mode matrix)."""

    id: EntityId
    node: EntityId
    name: ShortText
    description: LongText = ""
    effect: ShortText = ""
    severity: Annotated[int, Field(strict=True, ge=1, le=5)] = 3
    likelihood: Annotated[int, Field(strict=True, ge=1, le=5)] = 3


class CascadeEffect(Frozen):
    """One ordered effect of a cascade scenario."""

    order: Literal["trigger", "primary", "first", "second", "third"]
    text: ShortText


class Cascade(Frozen):
    """A cascade scenario: a trigger, ordered effects and the path it takes.

    ``path`` lists node ids in the order the failure spreads; it is drawn as
    ``style`` arrows (red, orange or dashed), separate from the dependency
    edges. ``scenario`` names the simulation scenario that reproduces it.
    """

    id: EntityId
    name: ShortText
    trigger: ShortText
    effects: tuple[CascadeEffect, ...] = ()
    path: tuple[EntityId, ...] = ()
    chain: tuple[ShortText, ...] = ()
    style: Literal["red", "orange", "dashed"] = "red"
    scenario: EntityId | None = None


class ParamChange(Frozen):
    """Set ``path`` (dotted, e.g. ``call.timeout_ms``) on entity ``target``."""

    target: EntityId
    path: Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")]
    value: Any = None


class Measurement(Frozen):
    """A measured before/after of an intervention (one scenario, one seed)."""

    scenario: EntityId
    seed: Annotated[int, Field(strict=True)]
    p99_before_ms: Annotated[float, Field(strict=True, ge=0.0)]
    p99_after_ms: Annotated[float, Field(strict=True, ge=0.0)]
    error_rate_before: Probability
    error_rate_after: Probability


class Intervention(Frozen):
    """A proposed fix, with the simulation change it stands for."""

    id: EntityId
    title: ShortText
    description: LongText = ""
    impact: Level = "high"
    effort: Level = "medium"
    tier: ShortText = ""
    rank: Annotated[int, Field(strict=True, ge=1, le=10_000)]
    targets: tuple[EntityId, ...] = ()
    changes: tuple[ParamChange, ...] = ()
    measured: Measurement | None = None


class Step(Frozen):
    """A HUMMBL model applied: its place in the recording and the notes."""

    id: EntityId
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,3}\d{2}$")]
    name: ShortText
    notes: LongText = ""
    segment_start: Clock | None = None
    segment_end: Clock | None = None
    recorded_at_s: Annotated[float, Field(strict=True, ge=0.0, le=360_000.0)] | None = None


class Annotation(Frozen):
    """Ink, text or a sticky note drawn on the board."""

    id: EntityId
    kind: Literal["ink", "highlight", "text", "sticky"] = "text"
    x: Coordinate = 0.0
    y: Coordinate = 0.0
    text: LongText = ""
    points: tuple[tuple[Coordinate, Coordinate], ...] = ()
    color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] = "#f5c518"
    width: Annotated[float, Field(strict=True, gt=0.0, le=200.0)] = 3.0
    step: EntityId | None = None


class Finding(Frozen):
    """A key finding, stated in numbers where possible."""

    id: EntityId
    text: ShortText
    count: Annotated[int, Field(strict=True, ge=0)] | None = None


class Reflection(Frozen):
    """The meta-model reflection (SY19): what helped, what comes next."""

    most_useful: tuple[ShortText, ...] = ()
    next_models: tuple[ShortText, ...] = ()
    insights: tuple[ShortText, ...] = ()
    worked_well: tuple[ShortText, ...] = ()
    felt_heavy: tuple[ShortText, ...] = ()
    surprises: tuple[ShortText, ...] = ()
    time_saved: ShortText = ""
