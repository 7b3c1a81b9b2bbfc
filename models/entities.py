"""The entities of a board (docs/ARCHITECTURE.md, "The document model").

Every entity is an immutable pydantic model with a stable string ``id``;
an edit replaces the entity with a validated copy (see ``models.board``).
References between entities are ids: each entity lists the ids it refers
to with ``references()``, and ``models.board`` checks they exist.
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from typing import Annotated, Any, ClassVar

from pydantic import Field, StringConstraints, model_validator

from models.kinds import (
    AnnotationKind,
    CascadeStyle,
    Collection,
    EdgeMark,
    EdgeStyle,
    EffectOrder,
    Growth,
    Health,
    LayerName,
    Level,
    LoopKind,
    MeasuredMetric,
    Metric,
    NodeKind,
    StageMode,
)
from models.params import (
    ANYWHERE,
    EDGES_ONLY,
    NODES_ONLY,
    CallParams,
    EntityId,
    Frozen,
    LongText,
    Millis,
    NodeSim,
    Probability,
    Reference,
    ShortText,
)

Coordinate = Annotated[float, Field(strict=True, ge=-1e6, le=1e6)]
Clock = Annotated[str, StringConstraints(pattern=r"^\d{1,3}:[0-5]\d$")]
"""A recording timestamp ``MM:SS`` (minutes may exceed 59)."""

NODE_KINDS: tuple[NodeKind, ...] = tuple(NodeKind)
"""Every node kind, in palette order."""
CHANGEABLE: tuple[Collection, ...] = (Collection.NODES, Collection.EDGES, Collection.QUEUES)
"""The collections whose parameters an intervention's changes may set."""


class Node(Frozen):
    """A service or resource."""

    id: EntityId
    kind: NodeKind = NodeKind.SERVICE
    label: ShortText
    x: Coordinate = 0.0
    y: Coordinate = 0.0
    health: Health = Health.NONE
    notes: LongText = ""
    assumptions: LongText = ""
    """Modelling assumptions and calibration, kept apart from the analyst's notes."""
    sim: NodeSim = NodeSim()


class Edge(Frozen):
    """A dependency: ``source`` calls ``target``."""

    id: EntityId
    source: EntityId
    target: EntityId
    label: ShortText = ""
    style: EdgeStyle = EdgeStyle.SOLID
    marks: tuple[EdgeMark, ...] = ()
    notes: LongText = ""
    assumptions: LongText = ""
    """Modelling assumptions and calibration, kept apart from the analyst's notes."""
    call: CallParams = CallParams()

    @model_validator(mode="after")
    def _no_self_call(self) -> Edge:
        if self.source == self.target:
            raise ValueError("an edge cannot connect a node to itself")
        return self

    def references(self) -> Iterator[Reference]:
        yield ("source", self.source, NODES_ONLY)
        yield ("target", self.target, NODES_ONLY)


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

    def references(self) -> Iterator[Reference]:
        if self.node is not None:
            yield ("node", self.node, NODES_ONLY)
        if self.edge is not None:
            yield ("edge", self.edge, EDGES_ONLY)


class Loop(Frozen):
    """A feedback loop through nodes and edges."""

    id: EntityId
    name: ShortText
    kind: LoopKind = LoopKind.REINFORCING
    growth: Growth = Growth.LINEAR
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

    def references(self) -> Iterator[Reference]:
        yield from _listed("nodes", self.nodes, NODES_ONLY)
        yield from _listed("edges", self.edges, EDGES_ONLY)

    def without(self, gone: Set[str]) -> Loop | None:
        nodes = tuple(n for n in self.nodes if n not in gone)
        if not nodes:
            return None
        return self.model_copy(update={"nodes": nodes, "edges": tuple(e for e in self.edges if e not in gone)})


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

    def references(self) -> Iterator[Reference]:
        for i, hop in enumerate(self.hops):
            yield (f"hops[{i}].node", hop.node, NODES_ONLY)
            if hop.edge is not None:
                yield (f"hops[{i}].edge", hop.edge, EDGES_ONLY)

    def without(self, gone: Set[str]) -> Flow | None:
        hops = tuple(
            hop.model_copy(update={"edge": None}) if hop.edge in gone else hop
            for hop in self.hops
            if hop.node not in gone
        )
        return self.model_copy(update={"hops": hops}) if hops else None


class Stage(Frozen):
    """A pipeline stage, run serially or in parallel, with its nodes."""

    id: EntityId
    name: ShortText
    mode: StageMode = StageMode.SERIAL
    parallelisable: bool = False
    nodes: tuple[EntityId, ...] = ()
    notes: LongText = ""

    def references(self) -> Iterator[Reference]:
        return _listed("nodes", self.nodes, NODES_ONLY)

    def without(self, gone: Set[str]) -> Stage:
        return self.model_copy(update={"nodes": tuple(n for n in self.nodes if n not in gone)})


class MetricTarget(Frozen):
    """A measurable success criterion: ``metric`` must stay below ``max``."""

    metric: Metric
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

    def references(self) -> Iterator[Reference]:
        yield ("node", self.node, NODES_ONLY)


class CascadeEffect(Frozen):
    """One ordered effect of a cascade scenario."""

    order: EffectOrder
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
    style: CascadeStyle = CascadeStyle.RED
    scenario: EntityId | None = None

    def references(self) -> Iterator[Reference]:
        yield from _listed("path", self.path, NODES_ONLY)
        if self.scenario is not None:
            yield ("scenario", self.scenario, (Collection.SCENARIOS,))

    def without(self, gone: Set[str]) -> Cascade:
        return self.model_copy(update={
            "path": tuple(n for n in self.path if n not in gone),
            "scenario": None if self.scenario in gone else self.scenario,
        })


class ParamChange(Frozen):
    """Set ``path`` (dotted, e.g. ``call.timeout_ms``) on entity ``target``."""

    target: EntityId
    path: Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")]
    value: Any = None


class MeasuredValue(Frozen):
    """A mean over replications and its 95 % confidence half-width (None: one run).

    ``n`` is how many replications had the figure: fewer than the measurement's N
    when some had none (recovery counts only the runs that recovered); None in
    files written before it was kept."""

    OMIT_IF_DEFAULT: ClassVar[frozenset[str]] = frozenset({"n"})

    mean: Annotated[float, Field(strict=False)]
    half_width: Annotated[float, Field(strict=False, ge=0.0)] | None = None
    n: Annotated[int, Field(strict=True, ge=1, le=1000)] | None = None


class MeasuredFigure(Frozen):
    """One figure of a measurement: before and after the intervention, and the
    paired change (after minus before, replication by replication; a share's
    change is in percentage points once multiplied by 100). None: no run had it
    (no recovery without a failure, or none recovered)."""

    metric: MeasuredMetric
    before: MeasuredValue | None = None
    after: MeasuredValue | None = None
    change: MeasuredValue | None = None


class Measurement(Frozen):
    """A measured before/after of an intervention on one scenario: ``replications``
    runs from base seed ``seed`` each way (the same seeds), the p99 and error rate
    means, every figure with its interval in ``figures``, and ``verdict``: what
    the figures say (the trade-off when errors rise, why when nothing moves)."""

    OMIT_IF_DEFAULT: ClassVar[frozenset[str]] = frozenset(
        {"replications", "figures", "verdict", "not_recovered_before", "not_recovered_after"})

    scenario: EntityId
    seed: Annotated[int, Field(strict=True)]
    p99_before_ms: Annotated[float, Field(strict=True, ge=0.0)]
    p99_after_ms: Annotated[float, Field(strict=True, ge=0.0)]
    error_rate_before: Probability
    error_rate_after: Probability
    replications: Annotated[int, Field(strict=True, ge=1, le=1000)] = 1
    figures: tuple[MeasuredFigure, ...] = ()
    not_recovered_before: Annotated[int, Field(strict=True, ge=0)] = 0
    not_recovered_after: Annotated[int, Field(strict=True, ge=0)] = 0
    """Replications that never recovered after the scenario's failure (metastable)."""
    verdict: LongText = ""

    def figure(self, metric: MeasuredMetric | str) -> MeasuredFigure | None:
        return next((f for f in self.figures if f.metric == metric), None)


class Intervention(Frozen):
    """A proposed fix, with the simulation change it stands for."""

    id: EntityId
    title: ShortText
    description: LongText = ""
    impact: Level = Level.HIGH
    effort: Level = Level.MEDIUM
    tier: ShortText = ""
    tradeoff: LongText = ""
    """What the intervention costs or risks; the handout's summary prints it beside the effect."""
    rank: Annotated[int, Field(strict=True, ge=1, le=10_000)]
    targets: tuple[EntityId, ...] = ()
    changes: tuple[ParamChange, ...] = ()
    measured: Measurement | None = None
    """A single measurement without intervals, as older versions of the Interventions
    panel stored it: kept so their files load and show, cleared when the
    intervention is measured again (``measurements`` then holds the result)."""
    scenarios: tuple[EntityId, ...] = ()
    """The simulation scenarios this intervention addresses: where it is measured."""
    measurements: tuple[Measurement, ...] = ()
    """Its row of the intervention × scenario matrix: one per scenario of ``scenarios``
    (or the one scenario it was measured on when it names none), each figure with
    its interval, the paired change and the verdict."""

    OMIT_IF_DEFAULT: ClassVar[frozenset[str]] = frozenset({"scenarios", "measurements"})

    def references(self) -> Iterator[Reference]:
        yield from _listed("targets", self.targets, ANYWHERE)
        yield from _listed("scenarios", self.scenarios, (Collection.SCENARIOS,))
        for i, measurement in enumerate(self.measurements):
            yield (f"measurements[{i}].scenario", measurement.scenario, (Collection.SCENARIOS,))
        for i, change in enumerate(self.changes):
            yield (f"changes[{i}].target", change.target, CHANGEABLE)

    def without(self, gone: Set[str]) -> Intervention:
        return self.model_copy(update={
            "targets": tuple(t for t in self.targets if t not in gone),
            "changes": tuple(c for c in self.changes if c.target not in gone),
            "scenarios": tuple(s for s in self.scenarios if s not in gone),
            "measurements": tuple(m for m in self.measurements if m.scenario not in gone),
        })


def clock_seconds(value: str) -> int:
    """Seconds of a ``MM:SS`` clock."""
    minutes, seconds = value.split(":")
    return int(minutes) * 60 + int(seconds)


REVEALABLE: tuple[Collection, ...] = (
    Collection.NODES, Collection.EDGES, Collection.QUEUES, Collection.LOOPS, Collection.FLOWS, Collection.STAGES,
    Collection.CASCADES, Collection.ANNOTATIONS,
)
"""What a step's reveal list may name: what the canvas draws."""
LAYER_PREFIX = "layer:"
"""A reveal entry ``layer:flows`` names a canvas layer rather than an element."""
RevealEntry = Annotated[str, StringConstraints(pattern=r"^(layer:[a-z]+|[A-Za-z0-9][A-Za-z0-9_.:-]{0,63})$")]


class Frame(Frozen):
    """A camera rectangle on the board (board coordinates, top-left and size)."""

    x: Coordinate
    y: Coordinate
    width: Annotated[float, Field(strict=True, ge=0.0, le=2e6)]
    height: Annotated[float, Field(strict=True, ge=0.0, le=2e6)]

    @model_validator(mode="after")
    def _not_empty(self) -> Frame:
        if self.width <= 0.0 or self.height <= 0.0:
            raise ValueError(f"a frame needs a width and a height above zero (got {self.width:g} × {self.height:g})")
        return self


class Step(Frozen):
    """A HUMMBL model applied: its place in the recording, the notes, and how
    presenting shows it: a camera ``frame`` and a ``reveal`` list (element ids
    or ``layer:NAME``, in build order). See docs/recording.md."""

    id: EntityId
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,3}\d{2}$")]
    name: ShortText
    notes: LongText = ""
    segment_start: Clock | None = None
    segment_end: Clock | None = None
    recorded_at_s: Annotated[float, Field(strict=True, ge=0.0, le=360_000.0)] | None = None
    frame: Frame | None = None
    reveal: tuple[RevealEntry, ...] = Field(default=(), max_length=1000)

    @model_validator(mode="after")
    def _segment_in_order(self) -> Step:
        if self.segment_start and self.segment_end \
                and clock_seconds(self.segment_end) <= clock_seconds(self.segment_start):
            raise ValueError(f"the planned segment must end after it starts (it runs {self.segment_start} "
                             f"to {self.segment_end})")
        if len(set(self.reveal)) != len(self.reveal):
            raise ValueError("a reveal list names the same item twice")
        for entry in self.reveal:
            if entry.startswith(LAYER_PREFIX) and entry[len(LAYER_PREFIX):] not in set(LayerName):
                raise ValueError(f"reveal: {entry!r} is not a layer (layers: {', '.join(LayerName)})")
        return self

    def references(self) -> Iterator[Reference]:
        for i, entry in enumerate(self.reveal):
            if not entry.startswith(LAYER_PREFIX):
                yield f"reveal[{i}]", entry, REVEALABLE

    def without(self, gone: Set[str]) -> Step:
        return self.model_copy(update={"reveal": tuple(r for r in self.reveal if r not in gone)})


class Annotation(Frozen):
    """Ink, text or a sticky note drawn on the board."""

    id: EntityId
    kind: AnnotationKind = AnnotationKind.TEXT
    x: Coordinate = 0.0
    y: Coordinate = 0.0
    text: LongText = ""
    points: tuple[tuple[Coordinate, Coordinate], ...] = ()
    color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] = "#f5c518"
    width: Annotated[float, Field(strict=True, gt=0.0, le=200.0)] = 3.0
    step: EntityId | None = None

    def references(self) -> Iterator[Reference]:
        if self.step is not None:
            yield ("step", self.step, (Collection.STEPS,))

    def without(self, gone: Set[str]) -> Annotation:
        return self.model_copy(update={"step": None if self.step in gone else self.step})


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


def _listed(field: str, ids: tuple[str, ...], kinds: tuple[Collection, ...]) -> Iterator[Reference]:
    """``field[i]`` references for a list of ids."""
    for i, ref in enumerate(ids):
        yield (f"{field}[{i}]", ref, kinds)
