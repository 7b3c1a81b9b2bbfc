"""The summary of a finished run, as typed data for the CLI, the PDF and tests.

``summarise(record)`` turns the ``RunRecord`` a run hands over into a frozen
``SimulationResult``; ``SimulationResult.to_dict()`` is the JSON that
``cascade-board simulate --json`` prints (its shape is fixed: a golden test
holds it byte for byte).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from models.simulation.frames import EdgeFrame, NodeFrame, SimEvent
from models.simulation.metrics import percentile
from models.simulation.record import NodeRecord, RunRecord

RECOVERY_HOLD_S = 30
"""A run has recovered once the users' error share and median stay near
their values before the failure for this many seconds in a row."""
RECOVERY_ERROR_FLOOR = 0.01
RECOVERY_LATENCY_FACTOR = 2.0
MAX_EVENTS = 200
"""The summary lists at most this many events (red and recovered nodes left out)."""

JsonScalar = str | int | float | bool | None
Json = JsonScalar | list["Json"] | dict[str, "Json"]


@dataclass(frozen=True, slots=True)
class Latency:
    """The users' latency after the warm-up, failures included (None: no answer)."""

    mean_ms: float | None
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None

    def to_dict(self) -> dict[str, Json]:
        return {"mean": self.mean_ms, "p50": self.p50_ms, "p95": self.p95_ms, "p99": self.p99_ms}


@dataclass(frozen=True, slots=True)
class CacheStats:
    """A cache node's hit ratio over the run, and its lowest in one second;
    for a key-level cache, the recomputes its misses started and how many
    per wave (a wave: the recomputes of a key that overlap, 1 with coalescing,
    about 1 + λδ without for a key asked λ times a second and recomputed in δ)."""

    hit_ratio: float | None
    min_hit_ratio: float | None
    recomputes: int | None = None
    recomputes_per_wave: float | None = None


@dataclass(frozen=True, slots=True)
class NodeStats:
    """One node over the measured part of the run.

    Means are over the measured seconds; ``errors`` counts failures by cause;
    ``wasted`` is work finished for a caller that had given up. ``mean_ms``,
    ``p50_ms`` and ``p99_ms`` cover the requests the node answered (its
    failures are not in them), which ``latency_includes_failures`` says in
    the JSON too; the users' ``latency`` does include failures.
    """

    utilization: float
    mean_queue: float
    mean_in_node: float
    admitted_rps: float
    mean_ms: float | None
    max_queue: int
    errors: Mapping[str, int]
    arrivals: int
    completions: int
    wasted: int
    wasted_s: float
    p50_ms: float | None
    p99_ms: float | None
    red_s: int
    cache: CacheStats | None = None
    latency_includes_failures: bool = False

    def to_dict(self) -> dict[str, Json]:
        data: dict[str, Json] = {
            "utilization": self.utilization,
            "mean_queue": self.mean_queue,
            "mean_in_node": self.mean_in_node,
            "admitted_rps": self.admitted_rps,
            "mean_ms": self.mean_ms,
            "max_queue": self.max_queue,
            "errors": dict(self.errors),
            "arrivals": self.arrivals,
            "completions": self.completions,
            "wasted": self.wasted,
            "wasted_s": self.wasted_s,
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "latency_includes_failures": self.latency_includes_failures,
            "red_s": self.red_s,
        }
        if self.cache is not None:
            data["hit_ratio"] = self.cache.hit_ratio
            data["min_hit_ratio"] = self.cache.min_hit_ratio
            if self.cache.recomputes is not None:
                data["recomputes"] = self.cache.recomputes
                data["recomputes_per_wave"] = self.cache.recomputes_per_wave
        return data


@dataclass(frozen=True, slots=True)
class EdgeStats:
    """One edge over the measured part of the run: calls, failed attempts
    (``errors``) and their causes, retries, fallbacks and breaker openings."""

    calls: int
    errors: int
    timeouts: int
    rate_limited: int
    rejected: int
    breaker_rejects: int
    retries: int
    fallbacks: int
    breaker_opened: int

    def to_dict(self) -> dict[str, Json]:
        return {
            "calls": self.calls, "errors": self.errors, "timeouts": self.timeouts,
            "rate_limited": self.rate_limited, "rejected": self.rejected, "breaker_rejects": self.breaker_rejects,
            "retries": self.retries, "fallbacks": self.fallbacks, "breaker_opened": self.breaker_opened,
        }


@dataclass(frozen=True, slots=True)
class CascadeStep:
    """A node turned red (red two seconds running) at ``t``."""

    node: str
    t: float


@dataclass(frozen=True, slots=True)
class Recovery:
    """How long after the last scenario failure ended the users' view was
    back to normal; ``recovered`` false: never within the run (metastable)."""

    failure_ended_s: float
    recovered: bool
    recover_s: float | None


class UsersSecond(NamedTuple):
    """The users' view over one second (a row of the CSV series)."""

    t: float
    kind: str
    id: str
    clock: str
    arrivals: float
    completions: float
    errors: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    offered: float


class NodeSecond(NamedTuple):
    """One node over one second (a row of the CSV series)."""

    t: float
    kind: str
    id: str
    arrivals: float
    completions: float
    errors: float
    utilisation: float
    queue: int
    max_queue: int
    p50_ms: float | None
    p99_ms: float | None
    health: str
    hit_ratio: float | None


class EdgeSecond(NamedTuple):
    """One edge over one second (a row of the CSV series)."""

    t: float
    kind: str
    id: str
    calls: float
    errors: float
    timeouts: float
    rate_limited: float
    retries: float
    throughput: float
    breaker: str


SeriesRow = UsersSecond | NodeSecond | EdgeSecond


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """What a run measured after its warm-up.

    ``requests`` counts every request users sent (a user's retry is a new one)
    that started after the warm-up: ``succeeded`` + ``degraded`` (a fallback
    answered) + ``failed`` + ``unfinished`` (still in flight at the end).
    ``error_rate`` is failed / answered; ``goodput_rps`` is succeeded +
    degraded per measured second; ``latency`` covers every answer the users
    saw, failures included (a user who gave up waited their timeout).
    ``cascade`` is the order and time at which nodes turned red;
    ``recovery`` says how long after the last scenario failure the users'
    view was back to normal (None: the scenario has no failure). ``series``
    is one row per second and node, edge and the users (the CSV).
    """

    scenario: str
    interventions: tuple[str, ...]
    seed: int
    duration_s: float
    warmup_s: float
    requests: int
    succeeded: int
    degraded: int
    failed: int
    unfinished: int
    error_rate: float
    goodput_rps: float
    latency: Latency
    nodes: Mapping[str, NodeStats]
    edges: Mapping[str, EdgeStats]
    cascade: tuple[CascadeStep, ...]
    recovery: Recovery | None
    events: tuple[SimEvent, ...]
    series: tuple[SeriesRow, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Json]:
        """The JSON of ``cascade-board simulate --json``."""
        recovery = self.recovery
        return {
            "scenario": self.scenario,
            "interventions": list(self.interventions),
            "seed": self.seed,
            "duration_s": self.duration_s,
            "warmup_s": self.warmup_s,
            "requests": self.requests,
            "succeeded": self.succeeded,
            "degraded": self.degraded,
            "failed": self.failed,
            "unfinished": self.unfinished,
            "error_rate": self.error_rate,
            "goodput_rps": self.goodput_rps,
            "latency_ms": self.latency.to_dict(),
            "nodes": {node_id: node.to_dict() for node_id, node in self.nodes.items()},
            "edges": {edge_id: edge.to_dict() for edge_id, edge in self.edges.items()},
            "cascade": [{"node": step.node, "t": step.t} for step in self.cascade],
            "recovery": None if recovery is None else {
                "failure_ended_s": recovery.failure_ended_s, "recovered": recovery.recovered,
                "recover_s": recovery.recover_s,
            },
            "events": [{"t": e.t, "kind": e.kind, "target": e.target, "text": e.text} for e in self.events],
        }


def _round(value: float | None, digits: int = 3) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round(value, digits)


def _ms(seconds: float) -> float | None:
    return None if math.isnan(seconds) else round(seconds * 1000.0, 3)


def summarise(record: RunRecord) -> SimulationResult:
    """The summary of a finished run."""
    warmup = record.warmup_s
    measured_s = max(1e-9, record.duration_s - warmup)
    times = record.times
    first = next((i for i, t in enumerate(times) if t - 1.0 >= warmup - 1e-9), len(times))
    outcomes = record.outcomes
    ok, degraded, failed = outcomes.ok, outcomes.degraded, outcomes.failed
    finished = ok + degraded + failed
    latencies = sorted(record.latencies)
    nodes = {node_id: _node_stats(node, list(node.rows[first:])) for node_id, node in record.nodes.items()}
    opened: dict[str, int] = {}
    for event in record.events:
        if event.kind == "breaker_open":
            opened[event.target] = opened.get(event.target, 0) + 1
    edges = {
        edge_id: _edge_stats(list(rows[first:]), opened.get(edge_id, 0)) for edge_id, rows in record.edges.items()
    }
    mean = sum(latencies) / len(latencies) if latencies else math.nan
    return SimulationResult(
        scenario=record.scenario,
        interventions=record.interventions,
        seed=record.seed,
        duration_s=record.duration_s,
        warmup_s=warmup,
        requests=finished + outcomes.unfinished,
        succeeded=ok,
        degraded=degraded,
        failed=failed,
        unfinished=outcomes.unfinished,
        error_rate=round(failed / finished, 6) if finished else 0.0,
        goodput_rps=round((ok + degraded) / measured_s, 3),
        latency=Latency(
            mean_ms=_round(mean * 1000.0),
            p50_ms=_round(percentile(latencies, 0.5) * 1000.0),
            p95_ms=_round(percentile(latencies, 0.95) * 1000.0),
            p99_ms=_round(percentile(latencies, 0.99) * 1000.0),
        ),
        nodes=nodes,
        edges=edges,
        cascade=tuple(CascadeStep(node_id, round(t, 3)) for node_id, t in record.cascade),
        recovery=recovery(record),
        events=tuple(e for e in record.events if e.kind not in ("node_red", "node_recovered"))[:MAX_EVENTS],
        series=series(record),
    )


def _node_stats(node: NodeRecord, measured: list[NodeFrame]) -> NodeStats:
    """A node's figures over the measured part of the run."""
    count = len(measured)
    errors: dict[str, float] = {}
    for row in measured:
        for cause, rate in row.errors.items():
            errors[cause] = errors.get(cause, 0.0) + rate
    latencies = sorted(node.latencies)
    cache = None
    if node.cache is not None:
        ratios = [r.cache_hit_ratio for r in measured if r.cache_hit_ratio is not None]
        counts = node.cache
        lookups, waves = counts.lookups, counts.waves
        cache = CacheStats(
            hit_ratio=_round(counts.hits / lookups if lookups else None, 4),
            min_hit_ratio=_round(min(ratios), 4) if ratios else None,
            recomputes=counts.recomputes,
            recomputes_per_wave=_round(counts.recomputes / waves if counts.recomputes is not None and waves else None),
        )
    return NodeStats(
        utilization=round(sum(r.utilisation for r in measured) / count, 4) if count else 0.0,
        mean_queue=round(sum(r.queue_avg for r in measured) / count, 4) if count else 0.0,
        mean_in_node=round(sum(r.in_node_avg for r in measured) / count, 4) if count else 0.0,
        admitted_rps=round(sum(r.admitted for r in measured) / count, 4) if count else 0.0,
        mean_ms=_ms(sum(latencies) / len(latencies)) if latencies else None,
        max_queue=max((r.max_queue for r in measured), default=0),
        errors={cause: round(total) for cause, total in sorted(errors.items())},
        arrivals=round(sum(r.arrivals for r in measured)),
        completions=round(sum(r.completions for r in measured)),
        wasted=round(sum(r.wasted for r in measured)),
        wasted_s=round(node.wasted_s, 3),
        p50_ms=_ms(percentile(latencies, 0.5)),
        p99_ms=_ms(percentile(latencies, 0.99)),
        red_s=sum(1 for r in measured if r.health == "red"),
        cache=cache,
    )


def _edge_stats(rows: list[EdgeFrame], opened: int) -> EdgeStats:
    return EdgeStats(
        calls=round(sum(r.calls for r in rows)),
        errors=round(sum(r.errors for r in rows)),
        timeouts=round(sum(r.timeouts for r in rows)),
        rate_limited=round(sum(r.rate_limited for r in rows)),
        rejected=round(sum(r.rejected for r in rows)),
        breaker_rejects=round(sum(r.breaker_rejects for r in rows)),
        retries=round(sum(r.retries for r in rows)),
        fallbacks=round(sum(r.fallbacks for r in rows)),
        breaker_opened=opened,
    )


def recovery(record: RunRecord) -> Recovery | None:
    """How long after the last scenario failure ended the users' view was
    back to its pre-failure state (None: no failure; ``recovered`` false:
    never within the run, a metastable failure)."""
    windows = record.failure_windows
    if not windows:
        return None
    began = min(start for start, _ in windows)
    ended = max(end for _, end in windows)
    totals = record.totals
    before = [t for i, t in enumerate(totals) if record.warmup_s <= i and i + 1 <= began]
    answered = sum(t.requests for t in before)
    base_error = sum(t.failed for t in before) / answered if answered else 0.0
    medians = sorted(t.p50_ms for t in before if t.p50_ms is not None)
    base_p50 = percentile(medians, 0.5) if medians else math.inf
    error_limit = max(RECOVERY_ERROR_FLOOR, 2.0 * base_error)
    latency_limit = RECOVERY_LATENCY_FACTOR * base_p50 + 50.0

    def healthy(index: int) -> bool:
        t = totals[index]
        share = t.failed / t.requests if t.requests else 0.0
        return share <= error_limit and (t.p50_ms is None or t.p50_ms <= latency_limit)

    start = math.ceil(ended)
    run = 0
    for index in range(start, len(totals)):
        run = run + 1 if healthy(index) else 0
        if run >= min(RECOVERY_HOLD_S, len(totals) - start):
            back = index - run + 1
            return Recovery(failure_ended_s=round(ended, 3), recovered=True, recover_s=round(back - ended, 3))
    return Recovery(failure_ended_s=round(ended, 3), recovered=False, recover_s=None)


def series(record: RunRecord) -> tuple[SeriesRow, ...]:
    """One row per second and node or edge, and one for the users (for CSV)."""
    rows: list[SeriesRow] = []
    totals = record.totals
    for index, t in enumerate(record.times):
        if index < len(totals):
            users = totals[index]
            rows.append(UsersSecond(
                t, "users", "users", record.clocks[index],
                users.requests, users.succeeded + users.degraded,
                users.failed, _round(users.p50_ms), _round(users.p95_ms),
                _round(users.p99_ms), round(users.offered_rps, 3),
            ))
        for node_id, node in record.nodes.items():
            n = node.rows[index]
            rows.append(NodeSecond(
                t, "node", node_id, n.arrivals, n.completions,
                n.error_total, round(n.utilisation, 4), n.queue,
                n.max_queue, _round(n.p50_ms), _round(n.p99_ms),
                n.health, _round(n.cache_hit_ratio, 4),
            ))
        for edge_id, edge_rows in record.edges.items():
            e = edge_rows[index]
            rows.append(EdgeSecond(
                t, "edge", edge_id, e.calls, e.errors,
                e.timeouts, e.rate_limited, e.retries,
                e.throughput, e.breaker,
            ))
    return tuple(rows)
