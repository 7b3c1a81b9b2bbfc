"""Immutable snapshots of a running simulation, for the animation and the CLI.

A ``Frame`` is what the board looks like at one moment of simulated time:
per-node and per-edge rates over the last whole second, the live queue
lengths and breaker states, and the events since the previous frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

HEALTH_COLOURS = ("none", "green", "yellow", "red")


class NodeFrame(NamedTuple):
    """One node over one second of simulated time (rates are per second).

    Named tuples rather than frozen dataclasses, as ``EdgeFrame``: a second of a 500-node
    board makes hundreds of rows, and a tuple is built in a tenth of a dataclass's time
    (docs/recording.md, "Performance")."""

    node: str
    arrivals: float
    completions: float
    errors: Mapping[str, float]
    utilisation: float
    queue: int
    queue_limit: int | None
    max_queue: int
    p50_ms: float | None
    p99_ms: float | None
    health: str
    wasted: float = 0.0
    cache_hit_ratio: float | None = None
    queue_avg: float = 0.0
    in_node_avg: float = 0.0
    admitted: float = 0.0

    @property
    def error_total(self) -> float:
        return sum(self.errors.values())


class EdgeFrame(NamedTuple):
    """One edge over one second of simulated time (rates are per second)."""

    edge: str
    calls: float
    errors: float
    timeouts: float
    rate_limited: float
    rejected: float
    breaker_rejects: float
    retries: float
    fallbacks: float
    throughput: float
    breaker: str


@dataclass(frozen=True, slots=True)
class SimEvent:
    """Something worth showing: ``node_red``, ``node_recovered``,
    ``breaker_open``/``breaker_half_open``/``breaker_closed``,
    ``failure_started``, ``failure_ended``."""

    t: float
    kind: str
    target: str
    text: str


@dataclass(frozen=True, slots=True)
class Totals:
    """The users' view over the last second."""

    requests: float
    succeeded: float
    degraded: float
    failed: float
    p50_ms: float | None
    p99_ms: float | None
    offered_rps: float
    p95_ms: float | None = None
    """Last here so that positional construction keeps working; None in a second without answers."""


@dataclass(frozen=True, slots=True)
class Frame:
    """The simulation at time ``t`` (seconds since the start)."""

    t: float
    clock: str
    phase: str
    nodes: Mapping[str, NodeFrame]
    edges: Mapping[str, EdgeFrame]
    events: tuple[SimEvent, ...]
    totals: Totals
    done: bool = False
    queues: Mapping[str, int] = field(default_factory=dict)
    """Live queue length of every node at ``t`` (the rows above are the last whole second)."""
    breakers: Mapping[str, str] = field(default_factory=dict)
    """Live state of every edge's breaker at ``t`` (edges without one are left out)."""
