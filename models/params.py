"""Simulation parameters of nodes and calls, and the simulation scenarios.

These are plain data: the engine in ``models.simulation`` gives them meaning
(see docs/SIMULATION.md, "Semantics"). Times are in milliseconds on nodes
and edges and in seconds in scenarios, as the field names say.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Set
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    field_serializer,
    field_validator,
    model_serializer,
    model_validator,
)

from models.kinds import (
    Backoff,
    BreakerPreset,
    CallCondition,
    CallMode,
    Collection,
    DistributionKind,
    FailureKind,
    Jitter,
    LoadBalancer,
    LoadBasis,
    QueueDiscipline,
    TrafficKind,
)
from models.validation import key_step

EntityId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"),
]
"""A stable id: letters, digits and ``_ . : -``, at most 64 characters."""

ShortText = Annotated[str, StringConstraints(max_length=500)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
Probability = Annotated[float, Field(strict=True, ge=0.0, le=1.0)]
Millis = Annotated[float, Field(strict=True, ge=0.0, le=86_400_000.0)]
Seconds = Annotated[float, Field(strict=True, ge=0.0, le=604_800.0)]

Reference = tuple[str, str, tuple[Collection, ...]]
"""One id an entity refers to: ``(field, id, collections it may name)``, where
``field`` is the place inside the entity (``hops[2].edge``). A plain tuple,
because boards build thousands of them on every check."""


class Frozen(BaseModel):
    """Base of every document value: immutable, strict about unknown fields."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        populate_by_name=True,
        validate_default=True,
    )

    OMIT_IF_DEFAULT: ClassVar[frozenset[str]] = frozenset()
    """Fields added after format 1 shipped: written only when they differ from
    their default, so a board that does not use them saves as it always did."""

    @model_serializer(mode="wrap")
    def _omit_new_defaults(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if self.OMIT_IF_DEFAULT and isinstance(data, dict):
            fields = type(self).model_fields
            for name in self.OMIT_IF_DEFAULT:
                if getattr(self, name) == fields[name].default:
                    data.pop(name, None)
        return data

    def references(self) -> Iterator[Reference]:
        """The ids this value refers to (none unless a subclass says so)."""
        return iter(())

    def without(self, gone: Set[str]) -> Self | None:
        """This value with its mentions of ``gone`` dropped, or None if it cannot
        exist without them (see ``models.removal``). Values that only mention
        other entities in lists override this; the rest are returned as they are."""
        return self


ANYWHERE: tuple[Collection, ...] = tuple(Collection)
"""A reference that may name any entity (an intervention's targets)."""
NODES_ONLY: tuple[Collection, ...] = (Collection.NODES,)
EDGES_ONLY: tuple[Collection, ...] = (Collection.EDGES,)


# --- node parameters --------------------------------------------------------


class Distribution(Frozen):
    """A service-time distribution.

    ``mean_ms`` is the mean for every kind; ``cv`` (coefficient of variation)
    shapes the log-normal; ``low_ms``/``high_ms`` bound the uniform.
    """

    kind: DistributionKind = DistributionKind.EXPONENTIAL
    mean_ms: Millis = 10.0
    cv: Annotated[float, Field(strict=True, ge=0.0, le=20.0)] = 1.0
    low_ms: Millis | None = None
    high_ms: Millis | None = None

    @model_validator(mode="after")
    def _uniform_bounds(self) -> Distribution:
        if self.kind == DistributionKind.UNIFORM:
            low = self.low_ms if self.low_ms is not None else 0.0
            high = self.high_ms if self.high_ms is not None else 2 * self.mean_ms
            if high < low:
                raise ValueError("high_ms must not be below low_ms")
        return self


class RateLimit(Frozen):
    """A token bucket: ``rate_per_s`` tokens a second, at most ``burst`` saved."""

    rate_per_s: Annotated[float, Field(strict=True, gt=0.0, le=1e7)]
    burst: Annotated[int, Field(strict=True, ge=1, le=10_000_000)] = 1


class CacheParams(Frozen):
    """A cache, in one of two models.

    ``ratio`` (the default): a lookup hits with the current hit ratio. After an
    invalidation the ratio drops to ``invalidated_hit_ratio`` and climbs back
    to ``hit_ratio`` as misses refill it, reaching it after about
    ``refill_misses`` misses.

    ``keys``: each lookup is for one of ``key_space`` keys drawn with a Zipf
    popularity (exponent ``zipf_s``); at most ``capacity`` entries are held
    (least recently used evicted; None: no bound), each for ``ttl_s`` (None:
    until evicted) spread by ±``ttl_jitter`` of it. A miss is filled when its
    recompute finishes, so requests that arrive meanwhile miss too, unless
    ``coalescing`` makes them wait for the recompute under way. The hit ratio
    emerges; an invalidation keeps each entry with probability
    ``invalidated_hit_ratio`` / ``hit_ratio``, a flush drops them all. With
    ``warm_start`` the run begins with the most popular keys stored (as many
    as fit, at most ``WARM_ENTRIES``), their TTLs spread so that they do not
    all expire at once; without it the cache starts empty.
    """

    OMIT_IF_DEFAULT: ClassVar[frozenset[str]] = frozenset(
        {"model", "zipf_s", "capacity", "ttl_s", "ttl_jitter", "warm_start"})
    WARM_ENTRIES: ClassVar[int] = 1_000_000

    hit_ratio: Probability = 0.8
    invalidated_hit_ratio: Probability = 0.2
    refill_misses: Annotated[int, Field(strict=True, ge=1, le=100_000_000)] = 2_000
    coalescing: bool = False
    key_space: Annotated[int, Field(strict=True, ge=1, le=1_000_000_000)] = 10_000
    store_ms: Millis = 0.0
    """Time the cache node spends storing a result a caller computed after a
    miss (0: callers do not write back)."""
    model: Literal["ratio", "keys"] = "ratio"
    zipf_s: Annotated[float, Field(ge=0.0, le=5.0)] = 1.0
    capacity: Annotated[int, Field(ge=1, le=100_000_000)] | None = None
    ttl_s: Annotated[float, Field(gt=0.0, le=604_800.0)] | None = None
    ttl_jitter: Annotated[float, Field(ge=0.0, le=1.0)] = 0.0
    warm_start: bool = True


class LoadLatency(Frozen):
    """Service time grows with concurrency beyond ``knee`` in-flight requests.

    time = base × (1 + ``per_request`` × max(0, in_flight − knee)),
    capped at ``max_factor`` × base. ``basis`` says what in_flight counts:
    the replica's busy workers (``busy``: contention for CPU, locks), or every
    request in the replica, waiting ones too (``in_node``: memory that each
    held request pins, so garbage collection or swapping slows every worker
    as the backlog grows: a death spiral).
    """

    OMIT_IF_DEFAULT: ClassVar[frozenset[str]] = frozenset({"basis"})

    knee: Annotated[int, Field(strict=True, ge=0, le=1_000_000)] = 0
    per_request: Annotated[float, Field(strict=True, ge=0.0, le=100.0)] = 0.0
    max_factor: Annotated[float, Field(strict=True, ge=1.0, le=1000.0)] = 10.0
    basis: LoadBasis = LoadBasis.BUSY


class CoDel(Frozen):
    """Controlled-delay queueing (``queue_discipline: codel``), as Facebook
    runs it (Maurer, "Fail at Scale", ACM Queue 2015): when a worker takes
    the next request, a request that waited longer than the limit is shed
    instead. The limit is ``interval_ms`` while the queue has been empty
    within the last ``interval_ms``, and ``target_ms`` once it has not (a
    standing queue). With ``adaptive_lifo`` a standing queue is also served
    newest first, so the requests most likely still wanted go first."""

    target_ms: Annotated[float, Field(strict=True, gt=0.0, le=86_400_000.0)] = 5.0
    interval_ms: Annotated[float, Field(strict=True, gt=0.0, le=86_400_000.0)] = 100.0
    adaptive_lifo: bool = False


class OutlierEjection(Frozen):
    """The node's load balancer takes a replica out of rotation after
    ``consecutive_errors`` failed requests in a row, for ``ejection_s`` times
    the number of times it has been ejected (capped at ``max_ejection_s``);
    at most ``max_ejected_share`` of the replicas are out at once, but always
    at least one may be (Envoy's outlier detection and its defaults)."""

    consecutive_errors: Annotated[int, Field(strict=True, ge=1, le=1_000_000)] = 5
    ejection_s: Annotated[float, Field(strict=True, gt=0.0, le=86_400.0)] = 30.0
    max_ejection_s: Annotated[float, Field(strict=True, gt=0.0, le=86_400.0)] = 300.0
    max_ejected_share: Probability = 0.1


class NodeSim(Frozen):
    """How a node behaves in the simulation (docs/SIMULATION.md, "A node")."""

    OMIT_IF_DEFAULT: ClassVar[frozenset[str]] = frozenset(
        {"codel", "outlier_ejection", "honour_deadlines", "error_work"})

    workers: Annotated[int, Field(strict=True, ge=1, le=100_000)] = 1
    service_time: Distribution = Distribution()
    queue_limit: Annotated[int, Field(strict=True, ge=0, le=100_000_000)] | None = None
    queue_discipline: QueueDiscipline = QueueDiscipline.FIFO
    replicas: Annotated[int, Field(strict=True, ge=1, le=10_000)] = 1
    load_balancer: LoadBalancer = LoadBalancer.ROUND_ROBIN
    connection_pool: Annotated[int, Field(strict=True, ge=1, le=1_000_000)] | None = None
    concurrency_limit: Annotated[int, Field(strict=True, ge=1, le=10_000_000)] | None = None
    rate_limit: RateLimit | None = None
    cache: CacheParams | None = None
    load_latency: LoadLatency | None = None
    error_rate: Probability = 0.0
    miss_work: Distribution | None = None
    """Extra own work done only when the request's cache lookup missed, after
    the plan's cache-miss calls (the engine's ML model); ``None``: none."""
    codel: CoDel | None = None
    """The CoDel limits when ``queue_discipline`` is ``codel`` (None: CoDel's defaults)."""
    outlier_ejection: OutlierEjection | None = None
    """Ejects failing replicas from the load balancer (None: never)."""
    honour_deadlines: bool = False
    """The node knows its callers' deadlines (propagated with each call, as
    gRPC does) and stops work nobody waits for: a request that has expired
    when it arrives or when a worker takes it fails at once as ``expired``,
    own work is cut off at the deadline, and calls are not made after it."""
    error_work: Distribution | None = None
    """Extra own work a failed request costs the node before it answers
    (logging, stack traces, cleanup: the slow error path); ``None``: none."""


# --- call parameters ----------------------------------------------------------


class RetryBudget(Frozen):
    """A token bucket of retries: each request adds ``ratio`` tokens."""

    ratio: Annotated[float, Field(strict=True, ge=0.0, le=10.0)] = 0.1
    min_per_s: Annotated[float, Field(strict=True, ge=0.0, le=1e6)] = 10.0


class RetryPolicy(Frozen):
    """Retries of a failed call; ``max_attempts`` counts the first try."""

    max_attempts: Annotated[int, Field(strict=True, ge=1, le=100)] = 1
    backoff: Backoff = Backoff.NONE
    base_ms: Millis = 100.0
    multiplier: Annotated[float, Field(strict=True, ge=1.0, le=100.0)] = 2.0
    cap_ms: Millis = 10_000.0
    jitter: Jitter = Jitter.NONE
    budget: RetryBudget | None = None


class BreakerPolicy(Frozen):
    """A circuit breaker over a count window of the most recent calls."""

    preset: BreakerPreset = BreakerPreset.CUSTOM
    failure_rate_threshold: Annotated[float, Field(strict=True, gt=0.0, le=1.0)] = 0.5
    window: Annotated[int, Field(strict=True, ge=1, le=100_000)] = 100
    minimum_calls: Annotated[int, Field(strict=True, ge=1, le=100_000)] = 100
    open_s: Annotated[float, Field(strict=True, gt=0.0, le=86_400.0)] = 60.0
    half_open_probes: Annotated[int, Field(strict=True, ge=1, le=10_000)] = 10


BREAKER_PRESETS: dict[BreakerPreset, BreakerPolicy] = {
    # resilience4j CircuitBreakerConfig defaults
    BreakerPreset.RESILIENCE4J: BreakerPolicy(
        preset=BreakerPreset.RESILIENCE4J, failure_rate_threshold=0.5, window=100,
        minimum_calls=100, open_s=60.0, half_open_probes=10,
    ),
    # Hystrix: 50 % errors over a 20-request volume, 5 s sleep window, one probe
    BreakerPreset.HYSTRIX: BreakerPolicy(
        preset=BreakerPreset.HYSTRIX, failure_rate_threshold=0.5, window=20,
        minimum_calls=20, open_s=5.0, half_open_probes=1,
    ),
    # Polly advanced breaker: 50 % over a sampling of >= 100 calls, 30 s break
    BreakerPreset.POLLY: BreakerPolicy(
        preset=BreakerPreset.POLLY, failure_rate_threshold=0.5, window=100,
        minimum_calls=100, open_s=30.0, half_open_probes=1,
    ),
}


class Fallback(Frozen):
    """A degraded success returned instead of an error, with its own latency."""

    latency_ms: Millis = 5.0
    label: ShortText = "fallback"


class CallParams(Frozen):
    """One call in the caller's plan.

    The plan runs calls in ascending ``order``; calls that share an ``order``
    form a parallel group and run at once (the group costs its slowest
    member). ``condition`` ties a call to the outcome of the caller's cache
    lookup; ``probability`` makes it random. Each attempt spends network
    time: ``network_ms``, or a draw from ``network`` when that is set. A
    timeout counts from the start of the attempt, so it covers the network
    time as well as the callee's. ``weight``: on a call from the users, the
    share of the users' requests it gets (weights are relative).
    """

    OMIT_IF_DEFAULT: ClassVar[frozenset[str]] = frozenset({"network", "weight"})

    order: Annotated[int, Field(strict=True, ge=0, le=10_000)] = 0
    condition: CallCondition = CallCondition.ALWAYS
    probability: Probability = 1.0
    mode: CallMode = CallMode.SYNC
    network_ms: Millis = 0.0
    timeout_ms: Annotated[float, Field(strict=True, gt=0.0, le=86_400_000.0)] | None = None
    retry: RetryPolicy = RetryPolicy()
    breaker: BreakerPolicy | None = None
    fallback: Fallback | None = None
    priority: Annotated[int, Field(strict=True, ge=0, le=9)] = 0
    network: Distribution | None = None
    weight: Annotated[float, Field(strict=True, ge=0.0, le=1e6)] = 1.0

    @property
    def network_mean_ms(self) -> float:
        """The mean network time of an attempt."""
        return self.network.mean_ms if self.network is not None else self.network_ms


# --- scenarios ----------------------------------------------------------------


class TrafficProfile(Frozen):
    """Request rate at the entry nodes over the scenario's simulated time.

    ``constant``: ``base_rps``. ``ramp``: base to peak over the run.
    ``peak_window``: the clock runs from ``clock_start`` and the rate is
    ``peak_rps`` inside ``peak_start``–``peak_end`` (the 8–11 PM peak),
    ``base_rps`` outside, with ``ramp_s`` to change. ``burst``: base, and
    ``peak_rps`` from ``burst_at_s`` for ``burst_s``. ``points``: the rate
    runs straight from one ``(t_s, rps)`` point to the next, at any time
    resolution (two points at one time make a step), holding the first
    point's rate before it and the last one's after it.
    Closed-loop users (``closed_users`` > 0) replace the open stream: each
    sends, waits for the answer, thinks ``think_s`` and sends again.
    """

    OMIT_IF_DEFAULT: ClassVar[frozenset[str]] = frozenset({"points"})

    kind: TrafficKind = TrafficKind.CONSTANT
    base_rps: Annotated[float, Field(strict=True, ge=0.0, le=1e6)] = 10.0
    peak_rps: Annotated[float, Field(strict=True, ge=0.0, le=1e6)] = 10.0
    clock_start: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "20:00"
    peak_start: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "20:00"
    peak_end: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "23:00"
    ramp_s: Seconds = 0.0
    burst_at_s: Seconds = 0.0
    burst_s: Seconds = 0.0
    closed_users: Annotated[int, Field(strict=True, ge=0, le=1_000_000)] = 0
    think_s: Seconds = 1.0
    points: Annotated[tuple[tuple[Seconds, Annotated[float, Field(ge=0.0, le=1e6)]], ...],
                      Field(max_length=100_000)] = ()

    @model_validator(mode="after")
    def _points_in_order(self) -> TrafficProfile:
        if self.kind == "points" and not self.points:
            raise ValueError("a 'points' profile needs at least one (t_s, rps) point")
        times = [t for t, _ in self.points]
        if any(later < earlier for earlier, later in itertools.pairwise(times)):
            raise ValueError("traffic points must be in time order")
        return self


class UserBehaviour(Frozen):
    """What users do: give up after ``timeout_s``, retry a failure."""

    timeout_s: Annotated[float, Field(strict=True, gt=0.0, le=3600.0)] = 30.0
    retry_probability: Probability = 0.0
    retry_delay_s: Seconds = 1.0
    max_retries: Annotated[int, Field(strict=True, ge=0, le=100)] = 0


class FailureInjection(Frozen):
    """A failure injected on a node or an edge at ``at_s`` for ``duration_s``.

    ``value`` means: the latency factor (latency_spike), the remaining share
    of workers (capacity_cut), the error probability (error_rate) or the new
    rate per second (rate_limit_change); it is unused otherwise.
    """

    OMIT_IF_DEFAULT: ClassVar[frozenset[str]] = frozenset({"replica"})

    kind: FailureKind
    target: EntityId
    at_s: Seconds = 0.0
    duration_s: Seconds = 0.0
    value: Annotated[float, Field(strict=True, ge=0.0, le=1e6)] = 1.0
    replica: Annotated[int, Field(strict=True, ge=0, le=9_999)] | None = None
    """A crash or an error rate on one replica of the node (counted from 0),
    which then fails fast: its load balancer still sends it requests."""


MAX_ENTRY_WEIGHT = 1e6
"""The highest weight an entry may have in a scenario's traffic mix."""


class SimScenario(Frozen):
    """A named simulation scenario: traffic, users, failures and a duration.

    ``mix`` (optional) overrides the entry calls' ``weight`` for this scenario
    only: ``{entry edge id: weight}``, weights relative; an entry the mix does
    not name gets no traffic in this scenario (docs/SIMULATION.md, "Traffic and users").
    Each key must be a call from a users node; the board checks that.
    ``background`` names entry calls whose requests are the system's own work
    (a batch job, a precompute): they load the system like any request, but
    the users' figures (latency, errors, goodput) leave them out.
    """

    OMIT_IF_DEFAULT: ClassVar[frozenset[str]] = frozenset({"mix", "background"})

    id: EntityId
    name: ShortText
    description: LongText = ""
    duration_s: Annotated[float, Field(strict=True, gt=0.0, le=86_400.0)] = 300.0
    warmup_s: Seconds = 0.0
    traffic: TrafficProfile = TrafficProfile()
    users: UserBehaviour = UserBehaviour()
    failures: tuple[FailureInjection, ...] = ()
    mix: tuple[tuple[EntityId, float], ...] = Field(default=(), max_length=10_000)
    background: tuple[EntityId, ...] = Field(default=(), max_length=10_000)

    @field_validator("mix", mode="before")
    @classmethod
    def _mix_pairs(cls, value: Any) -> Any:
        """The file writes ``{edge id: weight}``; each weight is checked here so
        the message names the entry."""
        if value is None:
            return ()
        if isinstance(value, Mapping):
            pairs = list(value.items())
        elif isinstance(value, list | tuple) and all(isinstance(p, list | tuple) and len(p) == 2 for p in value):
            pairs = [tuple(p) for p in value]
        else:
            raise ValueError("must be an object of {entry edge id: weight}")
        seen: set[Any] = set()
        for key, weight in pairs:
            if not isinstance(key, str):
                raise ValueError(f"{key!r} is not an edge id")
            if key in seen:
                raise ValueError(f"{key!r} is named twice")
            seen.add(key)
            if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight):
                raise ValueError(f"the weight of {key!r} must be a number, not {weight!r}")
            if not 0.0 <= weight <= MAX_ENTRY_WEIGHT:
                raise ValueError(f"the weight of {key!r} must be between 0 and {MAX_ENTRY_WEIGHT:,.0f}, not {weight:g}")
        return tuple((key, float(weight)) for key, weight in pairs)

    @field_validator("mix", mode="after")
    @classmethod
    def _mix_sends_something(cls, value: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
        if value and not any(weight > 0.0 for _, weight in value):
            raise ValueError("every weight is 0: give at least one entry a weight above 0 (or remove the mix)")
        return value

    @field_serializer("mix")
    def _mix_object(self, value: tuple[tuple[str, float], ...]) -> dict[str, float]:
        return dict(value)

    def entry_weights(self) -> dict[str, float] | None:
        """The mix as ``{entry edge id: weight}``, or None when the scenario has none."""
        return dict(self.mix) if self.mix else None

    def references(self) -> Iterator[Reference]:
        for i, failure in enumerate(self.failures):
            yield (f"failures[{i}].target", failure.target, (Collection.NODES, Collection.EDGES))
        for edge_id, _ in self.mix:
            yield (f"mix{key_step(edge_id)}", edge_id, EDGES_ONLY)
        for i, edge_id in enumerate(self.background):
            yield (f"background[{i}]", edge_id, EDGES_ONLY)

    def without(self, gone: Set[str]) -> SimScenario:
        mix = tuple((edge_id, weight) for edge_id, weight in self.mix if edge_id not in gone)
        if not any(weight > 0.0 for _, weight in mix):
            mix = ()  # nothing left to send traffic to: the entries' own weights apply again
        return self.model_copy(update={
            "failures": tuple(f for f in self.failures if f.target not in gone), "mix": mix,
            "background": tuple(edge_id for edge_id in self.background if edge_id not in gone),
        })
