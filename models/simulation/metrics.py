"""Metrics in one-second buckets of simulated time, and health colours.

The hot path only bumps counters on the node and call objects; once a
simulated second the ``Recorder`` turns their differences into immutable
``NodeFrame``/``EdgeFrame`` rows (the series), colours each node, and notes
when a node turns red (the cascade trace).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from models.simulation.calls import CallRuntime
from models.simulation.frames import EdgeFrame, NodeFrame
from models.simulation.node import NodeRuntime

BUCKET_S = 1.0
NO_ERRORS: MappingProxyType[str, float] = MappingProxyType({})
"""Shared by every row without errors (most of them), to keep long series small."""

MIN_FINISHED = 5
"""Error shares count only in seconds with at least this many answers."""
RED_ERROR_SHARE = 0.10
YELLOW_ERROR_SHARE = 0.01
RED_UTILISATION = 0.97
"""Red when the workers are this busy and a backlog of at least one round
of work (as many waiting as there are workers) sits in the queue."""
YELLOW_UTILISATION = 0.80
RED_QUEUE_SHARE = 0.8
"""Red when a bounded queue is this full."""
YELLOW_LATENCY_FACTOR = 4.0
"""Yellow when the median time in the node exceeds this many times its nominal
(unloaded) holding time, and by at least ``YELLOW_LATENCY_MIN_S``."""
YELLOW_LATENCY_MIN_S = 0.1
RED_CONFIRM_BUCKETS = 2
"""A node has turned red when it is red this many seconds in a row."""


def percentile(ordered: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) of sorted data, linear interpolation."""
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def health(
    finished: int, errors: int, utilisation: float, queue: int, capacity: int, queue_limit: int | None,
    p50_s: float | None, nominal_s: float, down: bool, active: bool,
) -> str:
    """The colour of a node over one second."""
    if down:
        return "red"
    if not active:
        return "none"
    share = errors / finished if finished >= MIN_FINISHED else 0.0
    if share >= RED_ERROR_SHARE:
        return "red"
    if utilisation >= RED_UTILISATION and queue >= max(1, capacity):
        return "red"
    if queue_limit and queue >= RED_QUEUE_SHARE * queue_limit:
        return "red"
    if share >= YELLOW_ERROR_SHARE or utilisation >= YELLOW_UTILISATION:
        return "yellow"
    if p50_s is not None and p50_s >= max(YELLOW_LATENCY_FACTOR * nominal_s, nominal_s + YELLOW_LATENCY_MIN_S):
        return "yellow"
    return "green"


@dataclass
class _NodeMarks:
    arrivals: int = 0
    completions: int = 0
    errors: int = 0
    by_cause: dict[str, int] | None = None
    busy_area: float = 0.0
    queue_area: float = 0.0
    node_area: float = 0.0
    admitted: int = 0
    wasted: int = 0
    lookups: int = 0
    hits: int = 0
    red_run: int = 0
    red: bool = False
    idle: NodeFrame | None = None
    """The row of a second without any activity, reused while the node stays idle."""


@dataclass
class _EdgeMarks:
    calls: int = 0
    failed: int = 0
    succeeded: int = 0
    timeouts: int = 0
    rate_limited: int = 0
    rejected: int = 0
    breaker_rejects: int = 0
    retries: int = 0
    fallbacks: int = 0
    idle: EdgeFrame | None = None
    """The row of a second without calls, reused while the edge stays quiet."""


class Recorder:
    """Takes the per-second rows and keeps the series."""

    def __init__(
        self, nodes: Sequence[NodeRuntime], calls: Sequence[CallRuntime], nominal_s: dict[str, float],
        warmup_s: float, on_event: Callable[[float, str, str, str], None],
    ) -> None:
        self.nodes = list(nodes)
        self.calls = list(calls)
        self.nominal_s = nominal_s
        self.warmup_s = warmup_s
        self.on_event = on_event
        self.node_marks = {n.id: _NodeMarks(by_cause={}) for n in self.nodes}
        self.edge_marks = {c.id: _EdgeMarks() for c in self.calls}
        self.node_series: dict[str, list[NodeFrame]] = {n.id: [] for n in self.nodes}
        self.edge_series: dict[str, list[EdgeFrame]] = {c.id: [] for c in self.calls}
        self.times: list[float] = []
        self.latest_nodes: MappingProxyType[str, NodeFrame] = MappingProxyType({})
        self.latest_edges: MappingProxyType[str, EdgeFrame] = MappingProxyType({})
        self.node_latencies: dict[str, list[float]] = {n.id: [] for n in self.nodes}
        self.cascade: list[tuple[str, float]] = []
        self.reds: set[str] = set()
        self.red_order = causal_order(self.nodes, self.calls)
        self._walk: list[tuple[NodeRuntime, _NodeMarks, list[NodeFrame], list[float]]] | None = None
        self._edge_walk: list[tuple[CallRuntime, _EdgeMarks, list[EdgeFrame]]] = []
        """Each node (call) with its marks and series, built at the first ``sample``."""

    def sample(self, now: float, dt: float = BUCKET_S) -> None:
        """Close the bucket that ends at ``now``.

        The hot part of a frame on a big board (docs/recording.md, "Performance"): a node
        or edge with nothing new this second gets its idle row again, without any
        arithmetic; the rows are built positionally (a keyword call costs more)."""
        if self._walk is None:
            self._walk = [(node, self.node_marks[node.id], self.node_series[node.id], self.node_latencies[node.id])
                          for node in self.nodes]
            self._edge_walk = [(call, self.edge_marks[call.id], self.edge_series[call.id]) for call in self.calls]
        rows: dict[str, NodeFrame] = {}
        counted = now - dt >= self.warmup_s - 1e-9
        idle_node = self._idle
        nominal = self.nominal_s
        for node, marks, series, kept in self._walk:
            node._mark()
            if idle_node(node, marks):
                # nothing came, left, waited or worked this second: most of a big board, most seconds
                idle = marks.idle
                colour = "red" if node.down else "none"
                if idle is None or idle.health != colour or idle.queue_limit != node.queue_limit:
                    idle = marks.idle = NodeFrame(
                        node.id, 0.0, 0.0, NO_ERRORS, 0.0, 0, node.queue_limit, 0, None, None, colour,
                    )
                rows[node.id] = series_row = idle
                series.append(series_row)
                continue
            node_errors = node.errors
            errors_total = sum(node_errors.values())
            errors = errors_total - marks.errors
            by_cause: MappingProxyType[str, float] = NO_ERRORS
            if errors:  # the counts only grow: with no new error, no cause changed
                assert marks.by_cause is not None
                before = marks.by_cause
                by_cause = MappingProxyType({
                    cause: (count - before.get(cause, 0)) / dt
                    for cause, count in node_errors.items() if count != before.get(cause, 0)
                })
                marks.by_cause = dict(node_errors)
            arrivals = node.arrivals - marks.arrivals
            completions = node.completions - marks.completions
            capacity = node.capacity
            utilisation = (node.busy_area - marks.busy_area) / (dt * capacity) if capacity else 1.0
            latencies = node.latencies
            if latencies:
                latencies.sort()
                p50: float | None = percentile(latencies, 0.5)
                p99: float | None = percentile(latencies, 0.99)
                if counted:
                    kept.extend(latencies)
                node.latencies = []
            else:
                p50 = p99 = None
            cache = node.cache
            hit_ratio = None
            if cache is not None:
                lookups = cache.lookups - marks.lookups
                hit_ratio = (cache.hits - marks.hits) / lookups if lookups else None
                marks.lookups, marks.hits = cache.lookups, cache.hits
            queued, queue_limit = node.queued, node.queue_limit
            colour = health(
                completions + errors, errors, utilisation, queued, capacity, queue_limit,
                p50, nominal.get(node.id, 0.0), node.down, arrivals > 0 or node.busy > 0,
            )
            row = NodeFrame(
                node.id, arrivals / dt, completions / dt, by_cause, min(1.0, utilisation), queued, queue_limit,
                node.max_queued, None if p50 is None else p50 * 1000.0, None if p99 is None else p99 * 1000.0,
                colour, (node.wasted - marks.wasted) / dt, hit_ratio, (node.queue_area - marks.queue_area) / dt,
                (node.node_area - marks.node_area) / dt, (node.admitted - marks.admitted) / dt,
            )
            node.max_queued = queued
            marks.arrivals, marks.completions, marks.errors = node.arrivals, node.completions, errors_total
            marks.busy_area, marks.wasted = node.busy_area, node.wasted
            marks.queue_area, marks.node_area, marks.admitted = node.queue_area, node.node_area, node.admitted
            rows[node.id] = row
            series.append(row)
        node_marks, start = self.node_marks, now - dt
        for node_id in self.red_order:
            marks = node_marks[node_id]
            colour = rows[node_id].health
            if colour == "red" or marks.red_run or marks.red:
                self._track_red(node_id, marks, colour, start)
        edges: dict[str, EdgeFrame] = {}
        for call, e, edge_series in self._edge_walk:
            if call.calls == e.calls and call.failed == e.failed and call.succeeded == e.succeeded \
                    and call.retries == e.retries and call.fallbacks == e.fallbacks:
                # no call this second (timeouts, 429s, rejections and breaker refusals are failures)
                breaker = call.breaker_state
                quiet = e.idle
                if quiet is None or quiet.breaker != breaker:
                    quiet = e.idle = EdgeFrame(call.id, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, breaker)
                edges[call.id] = quiet
                edge_series.append(quiet)
                continue
            edge_row = EdgeFrame(
                call.id, (call.calls - e.calls) / dt, (call.failed - e.failed) / dt, (call.timeouts - e.timeouts) / dt,
                (call.rate_limited - e.rate_limited) / dt, (call.rejected - e.rejected) / dt,
                (call.breaker_rejects - e.breaker_rejects) / dt, (call.retries - e.retries) / dt,
                (call.fallbacks - e.fallbacks) / dt, (call.succeeded - e.succeeded) / dt, call.breaker_state,
            )
            e.calls, e.failed, e.succeeded, e.timeouts = call.calls, call.failed, call.succeeded, call.timeouts
            e.rate_limited, e.rejected, e.breaker_rejects = call.rate_limited, call.rejected, call.breaker_rejects
            e.retries, e.fallbacks = call.retries, call.fallbacks
            edges[call.id] = edge_row
            edge_series.append(edge_row)
        self.times.append(now)
        self.latest_nodes = MappingProxyType(rows)
        self.latest_edges = MappingProxyType(edges)

    @staticmethod
    def _idle(node: NodeRuntime, marks: _NodeMarks) -> bool:
        """Did nothing happen at ``node`` since the last row (its areas brought up to now)?"""
        if node.arrivals != marks.arrivals or node.completions != marks.completions or node.latencies:
            return False
        if node.busy_area != marks.busy_area or node.node_area != marks.node_area or node.queued or node.max_queued:
            return False
        if node.admitted != marks.admitted or node.wasted != marks.wasted or node.busy:
            return False
        if sum(node.errors.values()) != marks.errors:
            return False
        cache = node.cache
        return cache is None or cache.lookups == marks.lookups

    def _track_red(self, node_id: str, marks: _NodeMarks, colour: str, start: float) -> None:
        if colour == "red":
            marks.red_run += 1
            if marks.red_run == RED_CONFIRM_BUCKETS and not marks.red:
                marks.red = True
                began = start - (RED_CONFIRM_BUCKETS - 1) * BUCKET_S
                if node_id not in self.reds and began >= self.warmup_s - 1e-9:
                    self.reds.add(node_id)
                    self.cascade.append((node_id, began))
                self.on_event(began, "node_red", node_id, f"{node_id} turned red")
        else:
            if marks.red and marks.red_run == 0:
                marks.red = False
                self.on_event(start, "node_recovered", node_id, f"{node_id} is no longer red")
            marks.red_run = 0


def causal_order(nodes: Sequence[NodeRuntime], calls: Sequence[CallRuntime]) -> list[str]:
    """Node ids with every callee before its callers (a depth-first walk from
    the nodes in board order).

    Health is judged once a second, so a failure that travels up a chain of
    synchronous calls turns the callee and its callers red in the same second;
    the cascade trace then lists them in the order the failure travelled.
    In a cycle the walk stops at a node it has already reached, so one of its calls is not honoured.
    """
    callees: dict[str, list[str]] = {n.id: [] for n in nodes}
    for call in calls:
        if call.caller is not None:
            callees[call.caller.id].append(call.callee.id)
    ordered: list[str] = []
    seen: set[str] = set()
    for node in nodes:
        if node.id in seen:
            continue
        seen.add(node.id)
        stack = [(node.id, iter(callees[node.id]))]
        while stack:
            node_id, pending = stack[-1]
            callee = next((c for c in pending if c not in seen), None)
            if callee is None:
                stack.pop()
                ordered.append(node_id)
            else:
                seen.add(callee)
                stack.append((callee, iter(callees[callee])))
    return ordered
