"""What a finished run hands to its summary: the engine's recordings as
plain, typed data, so that ``result`` never reads the engine's internals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from models.simulation.frames import EdgeFrame, NodeFrame, SimEvent, Totals


@dataclass(frozen=True, slots=True)
class CacheCounts:
    """A cache node's lookups and hits over the whole run; a key-level cache
    also counts the recomputes its misses started and the waves among them
    (recomputes that found none under way for their key)."""

    lookups: int
    hits: int
    recomputes: int | None = None
    waves: int | None = None


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """One node over the run: its per-second rows, the time every answered
    request spent in it after the warm-up, and its wasted work."""

    rows: Sequence[NodeFrame]
    latencies: Sequence[float]
    """Seconds in the node of every request it answered (failures excluded), unsorted."""
    wasted_s: float
    cache: CacheCounts | None = None


@dataclass(frozen=True, slots=True)
class Outcomes:
    """The users' requests that started after the warm-up, by how they ended."""

    ok: int
    degraded: int
    failed: int
    unfinished: int


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One finished run (board, scenario, interventions, seed, duration).

    ``times`` are the ends of the one-second buckets; ``clocks``, ``totals``
    and each node's and edge's rows run parallel to them. ``latencies`` are
    the users' answers after the warm-up (failures included), unsorted.
    """

    scenario: str
    interventions: tuple[str, ...]
    seed: int
    duration_s: float
    warmup_s: float
    outcomes: Outcomes
    latencies: Sequence[float]
    times: Sequence[float]
    clocks: Sequence[str]
    totals: Sequence[Totals]
    nodes: Mapping[str, NodeRecord]
    edges: Mapping[str, Sequence[EdgeFrame]]
    events: Sequence[SimEvent]
    cascade: Sequence[tuple[str, float]]
    """(node, time) at which each node turned red, in order."""
    failure_windows: Sequence[tuple[float, float]]
    """(start, end) of every scenario failure; instant ones end when they start."""
