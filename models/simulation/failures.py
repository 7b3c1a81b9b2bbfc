"""Failure injection: start and end a failure on a node or an edge."""

from __future__ import annotations

from dataclasses import dataclass

from models.params import FailureInjection
from models.simulation.build import Runtime


@dataclass
class ActiveFailure:
    handle: int
    failure: FailureInjection
    started: float
    ended: bool = False


def start(runtime: Runtime, failure: FailureInjection, now: float) -> None:
    kind, value = failure.kind, failure.value
    node = runtime.nodes.get(failure.target)
    call = runtime.calls.get(failure.target)
    lasting = failure.duration_s > 0.0
    if node is not None and failure.replica is not None:
        replica = node.replicas[failure.replica]
        node.single = None  # the load balancer now has to look at the replica it picks
        if kind == "crash":
            replica.down = True
        else:
            replica.error_p = value
    elif node is not None:
        if kind == "crash":
            node.down = True
        elif kind == "latency_spike":
            node.spike = value
        elif kind == "capacity_cut":
            node.set_capacity(min(1.0, value))
        elif kind == "error_rate":
            node.error_p = value
        elif kind == "rate_limit_change" and node.limiter is not None:
            node.limiter.set_rate(now, value)
        elif kind in ("cache_flush", "cache_invalidation") and node.cache is not None:
            to = 0.0 if kind == "cache_flush" else node.cache.params.invalidated_hit_ratio
            node.cache.drop(to, hold=lasting)
    elif call is not None:
        if kind == "partition":
            call.partitioned = True
        elif kind == "latency_spike":
            call.spike = value
        elif kind == "error_rate":
            call.error_p = value


def end(runtime: Runtime, failure: FailureInjection, now: float) -> None:
    kind = failure.kind
    node = runtime.nodes.get(failure.target)
    call = runtime.calls.get(failure.target)
    if node is not None and failure.replica is not None:
        replica = node.replicas[failure.replica]
        if kind == "crash":
            replica.down = False
        else:
            replica.error_p = 0.0
    elif node is not None:
        if kind == "crash":
            node.down = False
        elif kind == "latency_spike":
            node.spike = 1.0
        elif kind == "capacity_cut":
            node.set_capacity(1.0)
        elif kind == "error_rate":
            node.error_p = node.node.sim.error_rate
        elif kind == "rate_limit_change" and node.limiter is not None and node.nominal_rate is not None:
            node.limiter.set_rate(now, node.nominal_rate)
        elif kind in ("cache_flush", "cache_invalidation") and node.cache is not None:
            node.cache.release()
    elif call is not None:
        if kind == "partition":
            call.partitioned = False
        elif kind == "latency_spike":
            call.spike = 1.0
        elif kind == "error_rate":
            call.error_p = 0.0


INSTANT = ("cache_flush", "cache_invalidation")
"""Failures that happen at once when their duration is 0; others with a 0
duration last until the run ends (or until ended by hand)."""
