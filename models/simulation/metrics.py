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

    def sample(self, now: float, dt: float = BUCKET_S) -> None:
        """Close the bucket that ends at ``now``."""
        rows: dict[str, NodeFrame] = {}
        counted = now - dt >= self.warmup_s - 1e-9
        for node in self.nodes:
            node._mark()
            marks = self.node_marks[node.id]
            if self._idle(node, marks):
                # nothing came, left, waited or worked this second: most of a big board, most seconds
                idle = marks.idle
                colour = "red" if node.down else "none"
                if idle is None or idle.health != colour or idle.queue_limit != node.queue_limit:
                    idle = marks.idle = NodeFrame(
                        node=node.id, arrivals=0.0, completions=0.0, errors=NO_ERRORS, utilisation=0.0, queue=0,
                        queue_limit=node.queue_limit, max_queue=0, p50_ms=None, p99_ms=None, health=colour,
                    )
                rows[node.id] = idle
                self.node_series[node.id].append(idle)
                continue
            errors_total = sum(node.errors.values())
            assert marks.by_cause is not None
            by_cause = {
                cause: (count - marks.by_cause.get(cause, 0)) / dt
                for cause, count in node.errors.items() if count != marks.by_cause.get(cause, 0)
            }
            arrivals = node.arrivals - marks.arrivals
            completions = node.completions - marks.completions
            errors = errors_total - marks.errors
            capacity = node.capacity
            utilisation = (node.busy_area - marks.busy_area) / (dt * capacity) if capacity else 1.0
            latencies = node.latencies
            latencies.sort()
            p50 = percentile(latencies, 0.5) if latencies else None
            p99 = percentile(latencies, 0.99) if latencies else None
            if counted:
                self.node_latencies[node.id].extend(latencies)
            node.latencies = []
            cache = node.cache
            hit_ratio = None
            if cache is not None:
                lookups = cache.lookups - marks.lookups
                hit_ratio = (cache.hits - marks.hits) / lookups if lookups else None
                marks.lookups, marks.hits = cache.lookups, cache.hits
            colour = health(
                completions + errors, errors, utilisation, node.queued, capacity, node.queue_limit,
                p50, self.nominal_s.get(node.id, 0.0), node.down, arrivals > 0 or node.busy > 0,
            )
            row = NodeFrame(
                node=node.id,
                arrivals=arrivals / dt,
                completions=completions / dt,
                errors=MappingProxyType(by_cause) if by_cause else NO_ERRORS,
                utilisation=min(1.0, utilisation),
                queue=node.queued,
                queue_limit=node.queue_limit,
                max_queue=node.max_queued,
                p50_ms=None if p50 is None else p50 * 1000.0,
                p99_ms=None if p99 is None else p99 * 1000.0,
                health=colour,
                wasted=(node.wasted - marks.wasted) / dt,
                cache_hit_ratio=hit_ratio,
                queue_avg=(node.queue_area - marks.queue_area) / dt,
                in_node_avg=(node.node_area - marks.node_area) / dt,
                admitted=(node.admitted - marks.admitted) / dt,
            )
            node.max_queued = node.queued
            marks.arrivals, marks.completions, marks.errors = node.arrivals, node.completions, errors_total
            marks.by_cause = dict(node.errors)
            marks.busy_area, marks.wasted = node.busy_area, node.wasted
            marks.queue_area, marks.node_area, marks.admitted = node.queue_area, node.node_area, node.admitted
            rows[node.id] = row
            self.node_series[node.id].append(row)
        for node_id in self.red_order:
            self._track_red(node_id, self.node_marks[node_id], rows[node_id].health, now - dt)
        edges: dict[str, EdgeFrame] = {}
        for call in self.calls:
            e = self.edge_marks[call.id]
            if call.calls == e.calls and call.failed == e.failed and call.succeeded == e.succeeded \
                    and call.retries == e.retries and call.fallbacks == e.fallbacks:
                # no call this second (timeouts, 429s, rejections and breaker refusals are failures)
                breaker = call.breaker_state
                quiet = e.idle
                if quiet is None or quiet.breaker != breaker:
                    quiet = e.idle = EdgeFrame(
                        edge=call.id, calls=0.0, errors=0.0, timeouts=0.0, rate_limited=0.0, rejected=0.0,
                        breaker_rejects=0.0, retries=0.0, fallbacks=0.0, throughput=0.0, breaker=breaker,
                    )
                edges[call.id] = quiet
                self.edge_series[call.id].append(quiet)
                continue
            edge_row = EdgeFrame(
                edge=call.id,
                calls=(call.calls - e.calls) / dt,
                errors=(call.failed - e.failed) / dt,
                timeouts=(call.timeouts - e.timeouts) / dt,
                rate_limited=(call.rate_limited - e.rate_limited) / dt,
                rejected=(call.rejected - e.rejected) / dt,
                breaker_rejects=(call.breaker_rejects - e.breaker_rejects) / dt,
                retries=(call.retries - e.retries) / dt,
                fallbacks=(call.fallbacks - e.fallbacks) / dt,
                throughput=(call.succeeded - e.succeeded) / dt,
                breaker=call.breaker_state,
            )
            e.calls, e.failed, e.succeeded, e.timeouts = call.calls, call.failed, call.succeeded, call.timeouts
            e.rate_limited, e.rejected, e.breaker_rejects = call.rate_limited, call.rejected, call.breaker_rejects
            e.retries, e.fallbacks = call.retries, call.fallbacks
            edges[call.id] = edge_row
            self.edge_series[call.id].append(edge_row)
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
