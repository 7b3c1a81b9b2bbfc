"""The summary of a finished run, as plain data for the CLI, the PDF and tests."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from models.simulation.metrics import percentile, summarise_node

if TYPE_CHECKING:
    from models.simulation.engine import Simulation

RECOVERY_HOLD_S = 30
"""A run has recovered once the users' error share and median stay near
their values before the failure for this many seconds in a row."""
RECOVERY_ERROR_FLOOR = 0.01
RECOVERY_LATENCY_FACTOR = 2.0


@dataclass(frozen=True)
class SimulationResult:
    """What a run measured after its warm-up. ``data`` is the JSON the CLI prints.

    ``requests`` counts every request users sent (a user's retry is a new one)
    that started after the warm-up: ``succeeded`` + ``degraded`` (a fallback
    answered) + ``failed`` + ``unfinished`` (still in flight at the end).
    ``error_rate`` is failed / answered; ``goodput_rps`` is succeeded +
    degraded per measured second; ``latency_ms`` covers every answer the
    users saw, failures included (a user who gave up waited their timeout).
    Per node: mean ``utilization``, ``max_queue``, ``errors`` by cause,
    ``wasted`` (work finished for a caller that had given up) and latency;
    per edge: calls, failed attempts (``errors``), timeouts, 429s, retries,
    breaker rejections and openings. ``cascade`` is the order and time at
    which nodes turned red (red two seconds running); ``recovery`` says how
    long after the last scenario failure the users' view was back to normal.
    ``series`` is one row per second and node, edge and the users (the CSV).
    """

    data: dict[str, Any]
    series: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def to_dict(self) -> dict[str, Any]:
        return self.data


def _round(value: float | None, digits: int = 3) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round(value, digits)


def summarise(sim: Simulation) -> SimulationResult:
    warmup = sim.warmup_s
    measured_s = max(1e-9, sim.duration_s - warmup)
    first = next((i for i, t in enumerate(sim.recorder.times) if t - 1.0 >= warmup - 1e-9), len(sim.recorder.times))
    ok, degraded, failed = sim.outcomes["ok"], sim.outcomes["degraded"], sim.outcomes["failed"]
    finished = ok + degraded + failed
    latencies = sorted(sim.latencies)
    nodes = {}
    for node_id, node in sim.runtime.nodes.items():
        rows = sim.recorder.node_series[node_id][first:]
        summary = summarise_node(node, rows, sim.recorder.node_latencies[node_id])
        if node.cache is not None:
            ratios = [r.cache_hit_ratio for r in rows if r.cache_hit_ratio is not None]
            summary["hit_ratio"] = _round(node.cache.hits / node.cache.lookups if node.cache.lookups else None, 4)
            summary["min_hit_ratio"] = _round(min(ratios), 4) if ratios else None
        nodes[node_id] = summary
    edges = {}
    for edge_id in sim.runtime.calls:
        edge_rows = sim.recorder.edge_series[edge_id][first:]
        edges[edge_id] = {
            "calls": round(sum(r.calls for r in edge_rows)),
            "errors": round(sum(r.errors for r in edge_rows)),
            "timeouts": round(sum(r.timeouts for r in edge_rows)),
            "rate_limited": round(sum(r.rate_limited for r in edge_rows)),
            "rejected": round(sum(r.rejected for r in edge_rows)),
            "breaker_rejects": round(sum(r.breaker_rejects for r in edge_rows)),
            "retries": round(sum(r.retries for r in edge_rows)),
            "fallbacks": round(sum(r.fallbacks for r in edge_rows)),
            "breaker_opened": sum(1 for e in sim.events if e.kind == "breaker_open" and e.target == edge_id),
        }
    mean = sum(latencies) / len(latencies) if latencies else math.nan
    data: dict[str, Any] = {
        "scenario": sim.scenario.id,
        "interventions": list(sim.interventions),
        "seed": sim.seed,
        "duration_s": sim.duration_s,
        "warmup_s": warmup,
        "requests": finished + sim.users.in_flight,
        "succeeded": ok,
        "degraded": degraded,
        "failed": failed,
        "unfinished": sim.users.in_flight,
        "error_rate": round(failed / finished, 6) if finished else 0.0,
        "goodput_rps": round((ok + degraded) / measured_s, 3),
        "latency_ms": {
            "mean": _round(mean * 1000.0),
            "p50": _round(percentile(latencies, 0.5) * 1000.0),
            "p95": _round(percentile(latencies, 0.95) * 1000.0),
            "p99": _round(percentile(latencies, 0.99) * 1000.0),
        },
        "nodes": nodes,
        "edges": edges,
        "cascade": [{"node": node_id, "t": round(t, 3)} for node_id, t in sim.recorder.cascade],
        "recovery": recovery(sim),
        "events": [
            {"t": e.t, "kind": e.kind, "target": e.target, "text": e.text}
            for e in sim.events if e.kind not in ("node_red", "node_recovered")
        ][:200],
    }
    return SimulationResult(data=data, series=series(sim))


def recovery(sim: Simulation) -> dict[str, Any] | None:
    """How long after the last scenario failure ended the users' view was
    back to its pre-failure state (None: no failure; ``recovered`` false:
    never within the run, a metastable failure)."""
    windows = sim.failure_windows()
    if not windows:
        return None
    began = min(start for start, _ in windows)
    ended = max(end for _, end in windows)
    totals = sim.totals_series
    before = [t for i, t in enumerate(totals) if sim.warmup_s <= i and i + 1 <= began]
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
            return {"failure_ended_s": round(ended, 3), "recovered": True, "recover_s": round(back - ended, 3)}
    return {"failure_ended_s": round(ended, 3), "recovered": False, "recover_s": None}


def series(sim: Simulation) -> list[dict[str, Any]]:
    """One row per second and node or edge, and one for the users (for CSV)."""
    rows: list[dict[str, Any]] = []
    for index, t in enumerate(sim.recorder.times):
        users = sim.totals_series[index] if index < len(sim.totals_series) else None
        if users is not None:
            rows.append({
                "t": t, "kind": "users", "id": "users", "clock": sim.traffic.clock(t - 1.0),
                "arrivals": users.requests, "completions": users.succeeded + users.degraded,
                "errors": users.failed, "p50_ms": _round(users.p50_ms), "p95_ms": _round(users.p95_ms),
                "p99_ms": _round(users.p99_ms),
                "offered": round(users.offered_rps, 3),
            })
        for node_id, node_rows in sim.recorder.node_series.items():
            n = node_rows[index]
            rows.append({
                "t": t, "kind": "node", "id": node_id, "arrivals": n.arrivals, "completions": n.completions,
                "errors": n.error_total, "utilisation": round(n.utilisation, 4), "queue": n.queue,
                "max_queue": n.max_queue, "p50_ms": _round(n.p50_ms), "p99_ms": _round(n.p99_ms),
                "health": n.health, "hit_ratio": _round(n.cache_hit_ratio, 4),
            })
        for edge_id, edge_rows in sim.recorder.edge_series.items():
            e = edge_rows[index]
            rows.append({
                "t": t, "kind": "edge", "id": edge_id, "calls": e.calls, "errors": e.errors,
                "timeouts": e.timeouts, "rate_limited": e.rate_limited, "retries": e.retries,
                "throughput": e.throughput, "breaker": e.breaker,
            })
    return rows
