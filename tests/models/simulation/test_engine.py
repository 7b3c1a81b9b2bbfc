"""The engine's behaviour: stepping and frames, determinism, failure
injection, traffic and users, caches, queues and pools, and bad parameters."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.errors import BoardError
from models.fileformat import load_path
from models.params import FailureInjection, NodeSim, RateLimit
from models.simulation import Frame, Simulation, SimulationError
from models.simulation.result import NodeStats
from tests.conftest import EXAMPLE
from tests.models.simulation.boards import board, constant, exponential

# --- stepping and frames ------------------------------------------------------------


def test_steps_hand_out_immutable_frames_with_clock_and_phase() -> None:
    document = load_path(EXAMPLE)  # the peak, starting two minutes before 20:00 with a one-minute ramp
    peak = document.scenario("peak")
    ramped = peak.model_copy(update={"traffic": peak.traffic.model_copy(update={"clock_start": "19:58",
                                                                                 "ramp_s": 60.0})})
    document = document.model_copy(update={"scenarios": tuple(
        ramped if s.id == "peak" else s for s in document.scenarios)})
    simulation = Simulation(document, "peak", seed=1, duration_s=200.0)
    frame = simulation.step(1.5)
    assert frame.t == 1.5
    assert frame.clock == "19:58"
    assert frame.phase == "off-peak"
    assert simulation.run_until(150.0).phase == "ramp-up"
    frame = simulation.run_until(185.0)
    assert frame.clock == "20:01"
    assert frame.phase == "peak"
    engine = frame.nodes["engine"]
    assert engine.arrivals > 0
    assert engine.health in ("green", "yellow", "red")
    assert 0.0 <= engine.utilisation <= 1.0
    assert frame.edges["e-engine-llm"].calls > 0
    assert frame.totals.requests > 0
    totals = frame.totals
    assert totals.p50_ms is not None
    assert totals.p95_ms is not None
    assert totals.p99_ms is not None
    assert totals.p50_ms <= totals.p95_ms <= totals.p99_ms  # the live charts' three lines
    assert set(frame.queues) == set(frame.nodes)
    assert frame.breakers == {}  # no breakers without the intervention
    with pytest.raises(dataclasses.FrozenInstanceError):
        frame.t = 0.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        frame.nodes["engine"] = engine  # type: ignore[index]
    frames = list(simulation.frames(10.0))
    assert [f.t for f in frames] == [195.0, 200.0]
    assert frames[-1].done
    assert simulation.result().duration_s == 200.0


def test_events_come_once_and_in_order() -> None:
    simulation = Simulation(load_path(EXAMPLE), "llm-rate-limit", seed=2, duration_s=120.0)
    seen = []
    for frame in simulation.frames(5.0):
        seen.extend(frame.events)
    assert [e.t for e in seen] == sorted(e.t for e in seen)
    assert len(seen) == len(simulation.events)
    kinds = {(e.kind, e.target) for e in seen}
    assert ("failure_started", "llm") in kinds
    assert ("node_red", "llm") in kinds


def test_same_seed_same_result_bit_for_bit() -> None:
    document = load_path(EXAMPLE)
    first = Simulation(document, "llm-rate-limit", ["circuit-breakers"], seed=9, duration_s=90.0).result()
    second = Simulation(document, "llm-rate-limit", ["circuit-breakers"], seed=9, duration_s=90.0).result()
    other = Simulation(document, "llm-rate-limit", ["circuit-breakers"], seed=10, duration_s=90.0).result()
    assert first.to_dict() == second.to_dict()
    assert first.series == second.series
    assert first.to_dict() != other.to_dict()


def test_live_injection_crashes_a_node_until_ended() -> None:
    document = board({"api": {"workers": 10, "service_time": constant(5.0)}}, rate=50.0, duration_s=60.0)
    simulation = Simulation(document, "s", seed=1)
    simulation.run_until(10.0)
    handle = simulation.inject(FailureInjection(kind="crash", target="api"))
    frame = simulation.step(3.0)
    assert frame.nodes["api"].health == "red"
    assert frame.nodes["api"].errors.get("crashed", 0) > 0
    assert [e.kind for e in frame.events][:1] == ["failure_started"]
    simulation.end_failure(handle)
    frame = simulation.step(3.0)
    assert frame.nodes["api"].health == "green"
    result = simulation.result()
    assert 0.03 < result.error_rate < 0.07  # 3 of 60 seconds down
    assert result.nodes["api"].errors["crashed"] == result.failed


# --- traffic and users --------------------------------------------------------------


def test_closed_loop_users_follow_the_interactive_response_time_law() -> None:
    users, think_s, service_ms = 50, 2.0, 100.0
    document = board(
        {"api": {"workers": 1000, "service_time": exponential(service_ms)}},
        traffic={"kind": "constant", "closed_users": users, "think_s": think_s}, duration_s=600.0, warmup_s=30.0,
    )
    result = Simulation(document, "s", seed=3).result()
    throughput = result.requests / 570.0
    assert throughput == pytest.approx(users / (think_s + service_ms / 1000), rel=0.03)


def test_users_retry_failed_requests() -> None:
    from models.params import UserBehaviour

    document = board(
        {"api": {"workers": 100, "service_time": constant(1.0), "error_rate": 0.5}},
        rate=20.0, duration_s=300.0,
        users=UserBehaviour(timeout_s=10.0, retry_probability=1.0, retry_delay_s=0.1, max_retries=1),
    )
    result = Simulation(document, "s", seed=4).result()
    assert result.requests / 300.0 == pytest.approx(20.0 * 1.5, rel=0.05)  # every failure is sent again once


def test_users_give_up_at_their_timeout_and_the_work_is_wasted() -> None:
    from models.params import UserBehaviour

    document = board(
        {"api": {"workers": 1, "service_time": constant(500.0)}},
        rate=4.0, duration_s=60.0, users=UserBehaviour(timeout_s=1.0),
    )
    result = Simulation(document, "s", seed=5).result()
    assert result.error_rate > 0.9
    assert result.latency.p99_ms == pytest.approx(1000.0)
    assert result.nodes["api"].wasted > 50


def test_peak_window_profile_ramps_to_the_peak() -> None:
    document = board(
        {"api": {"workers": 100, "service_time": constant(1.0)}},
        traffic={"kind": "peak_window", "base_rps": 10.0, "peak_rps": 100.0, "clock_start": "19:59",
                 "peak_start": "20:00", "peak_end": "23:00", "ramp_s": 30.0},
        duration_s=200.0,
    )
    simulation = Simulation(document, "s", seed=6)
    simulation.result()
    offered = [t.offered_rps for t in simulation.totals_series]
    assert offered[10] == pytest.approx(10.0)
    assert offered[75] == pytest.approx(10.0 + 90.0 * 15.5 / 30.0)
    assert offered[150] == pytest.approx(100.0)
    measured = sum(t.requests for t in simulation.totals_series[120:200]) / 80
    assert measured == pytest.approx(100.0, rel=0.05)


# --- nodes: async calls, timeouts, pools, replicas, caches, queues -------------------------


def test_async_calls_do_not_hold_the_callers_worker() -> None:
    def run(mode: str) -> NodeStats:
        document = board(
            {"api": {"workers": 2, "service_time": constant(1.0)},
             "slow": {"workers": 1000, "service_time": constant(1000.0)}},
            [("api", "slow", {"mode": mode})], rate=20.0, duration_s=60.0,
        )
        result = Simulation(document, "s", seed=7).result().nodes["api"]
        return result

    assert run("async").utilization < 0.05
    assert run("sync").utilization > 0.99  # held for the whole second


def test_caller_timeout_leaves_the_callee_working() -> None:
    document = board(
        {"api": {"workers": 100, "service_time": constant(0.0)},
         "db": {"workers": 100, "service_time": constant(100.0)}},
        [("api", "db", {"timeout_ms": 50.0})], rate=10.0, duration_s=60.0,
    )
    result = Simulation(document, "s", seed=8).result()
    assert result.edges["e-api-db"].timeouts == pytest.approx(result.edges["e-api-db"].calls, abs=2)
    assert result.nodes["db"].wasted == pytest.approx(result.nodes["db"].completions, abs=2)
    assert result.latency.p50_ms == pytest.approx(50.0)


def test_connection_pool_bounds_outgoing_calls() -> None:
    document = board(
        {"api": {"workers": 100, "service_time": constant(0.0), "connection_pool": 2},
         "db": {"workers": 100, "service_time": constant(100.0)}},
        [("api", "db", {})], rate=15.0, duration_s=120.0, warmup_s=10.0,
    )
    result = Simulation(document, "s", seed=9).result()
    assert result.nodes["db"].mean_in_node <= 2.0
    assert result.nodes["api"].mean_in_node > 2.5  # the rest wait for a connection


def test_random_load_balancing_splits_into_independent_queues() -> None:
    """Two replicas picked at random are two M/M/1 queues at half the rate."""
    rate, mu = 140.0, 100.0
    document = board(
        {"api": {"workers": 1, "replicas": 2, "load_balancer": "random", "service_time": exponential(10.0)}},
        rate=rate, duration_s=600.0, warmup_s=30.0,
    )
    result = Simulation(document, "s", seed=10).result()
    assert result.latency.mean_ms == pytest.approx(1000.0 / (mu - rate / 2), rel=0.06)
    for balancer, better in (("round_robin", 0.9), ("least_connections", 0.75)):
        other = board(
            {"api": {"workers": 1, "replicas": 2, "load_balancer": balancer, "service_time": exponential(10.0)}},
            rate=rate, duration_s=600.0, warmup_s=30.0,
        )
        mean = Simulation(other, "s", seed=10).result().latency.mean_ms
        assert mean < better * result.latency.mean_ms, balancer


def test_cache_invalidation_drops_the_hit_ratio_and_misses_refill_it() -> None:
    document = board(
        {"engine": {"workers": 1000, "service_time": constant(1.0)},
         "cache": {"workers": 1000, "service_time": constant(1.0),
                   "cache": {"hit_ratio": 0.8, "invalidated_hit_ratio": 0.2, "refill_misses": 2000}},
         "db": {"workers": 1000, "service_time": constant(10.0)}},
        [("engine", "cache", {"order": 0}), ("engine", "db", {"order": 1, "condition": "cache_miss"})],
        rate=200.0, duration_s=120.0,
        failures=(FailureInjection(kind="cache_invalidation", target="cache", at_s=30.0),),
    )
    simulation = Simulation(document, "s", seed=11)
    result = simulation.result()
    ratios = [row.cache_hit_ratio for row in simulation.recorder.node_series["cache"]]
    assert sum(ratios[20:30]) / 10 == pytest.approx(0.8, abs=0.04)
    assert ratios[30] == pytest.approx(0.2, abs=0.1)
    assert sum(ratios[100:120]) / 20 == pytest.approx(0.8, abs=0.04)  # refilled by ~2000 misses
    db_calls = [row.arrivals for row in simulation.recorder.node_series["db"]]
    assert db_calls[30] > 3 * db_calls[25]
    assert result.recovery.recovered


def test_coalescing_collapses_concurrent_misses_for_one_key() -> None:
    def backend_calls(coalescing: bool) -> int:
        document = board(
            {"engine": {"workers": 1000, "service_time": constant(0.0)},
             "cache": {"workers": 1000, "service_time": constant(1.0),
                       "cache": {"hit_ratio": 0.0, "invalidated_hit_ratio": 0.0, "coalescing": coalescing,
                                 "key_space": 5}},
             "db": {"workers": 1000, "service_time": constant(200.0)}},
            [("engine", "cache", {"order": 0}), ("engine", "db", {"order": 1, "condition": "cache_miss"})],
            rate=200.0, duration_s=30.0,
        )
        calls: int = Simulation(document, "s", seed=12).result().nodes["db"].arrivals
        return calls

    assert backend_calls(False) > 5000
    assert backend_calls(True) < 30 * 5 * 6  # about one fill per key per 200 ms


def test_edge_queue_paces_calls_to_the_rate_limit_instead_of_429() -> None:
    from models.entities import Queue

    base = board(
        {"engine": {"workers": 1000, "service_time": constant(0.0)},
         "llm": {"workers": 1000, "service_time": constant(100.0), "rate_limit": {"rate_per_s": 10.0, "burst": 5}}},
        [("engine", "llm", {"timeout_ms": 10_000.0})], rate=8.0, duration_s=300.0, warmup_s=20.0,
        traffic={"kind": "burst", "base_rps": 8.0, "peak_rps": 14.0, "burst_at_s": 100.0, "burst_s": 20.0},
    )
    without = Simulation(base, "s", seed=13).result()
    queued = base.model_copy(update={"queues": (Queue(id="q", name="q", edge="e-engine-llm", depth_limit=100),)})
    with_queue = Simulation(queued, "s", seed=13).result()
    assert without.nodes["llm"].errors.get("429", 0) > 50
    assert with_queue.nodes["llm"].errors == {}
    assert with_queue.failed == 0
    assert with_queue.nodes["llm"].admitted_rps <= 10.0


def test_a_sync_call_through_an_edge_queue_frees_the_callers_worker() -> None:
    from models.entities import Queue

    base = board(
        {"api": {"workers": 1, "service_time": constant(1.0)},
         "slow": {"workers": 100, "service_time": constant(1000.0)}},
        [("api", "slow", {})], rate=5.0, duration_s=60.0, warmup_s=5.0,
    )
    held = Simulation(base, "s", seed=18).result()
    queued = base.model_copy(update={"queues": (Queue(id="q", name="q", edge="e-api-slow"),)})
    freed = Simulation(queued, "s", seed=18).result()
    assert held.nodes["api"].utilization > 0.99  # one worker, held a second per request
    assert held.nodes["api"].max_queue > 100
    assert freed.nodes["api"].utilization < 0.05  # it only does its own 1 ms (twice)
    assert freed.latency.p99_ms < 1100.0


def test_capacity_cut_and_latency_spike() -> None:
    document = board(
        {"api": {"workers": 4, "service_time": constant(50.0)}}, rate=40.0, duration_s=90.0,
        failures=(FailureInjection(kind="capacity_cut", target="api", at_s=30.0, duration_s=30.0, value=0.25),),
    )
    simulation = Simulation(document, "s", seed=14)
    simulation.result()
    rows = simulation.recorder.node_series["api"]
    assert rows[50].utilisation == pytest.approx(1.0)
    assert rows[50].queue > 50
    spike = board(
        {"api": {"workers": 100, "service_time": constant(10.0)}}, rate=20.0, duration_s=30.0,
        failures=(FailureInjection(kind="latency_spike", target="api", at_s=10.0, duration_s=10.0, value=5.0),),
    )
    simulation = Simulation(spike, "s", seed=15)
    simulation.result()
    p50 = [row.p50_ms for row in simulation.recorder.node_series["api"]]
    assert p50[5] == pytest.approx(10.0)
    assert p50[15] == pytest.approx(50.0)
    assert p50[25] == pytest.approx(10.0)


def test_nodes_turning_red_in_the_same_second_are_traced_callee_first() -> None:
    # the errors start at the database and reach both callers within one bucket
    fast = {"workers": 100, "service_time": constant(1.0)}
    document = board(
        {"web": fast, "api": fast, "db": fast},
        [("web", "api", {}), ("api", "db", {})], rate=50.0, duration_s=30.0,
        failures=(FailureInjection(kind="error_rate", target="db", at_s=10.0, duration_s=20.0, value=1.0),),
    )
    result = Simulation(document, "s", seed=17).result()
    trace = [(entry.node, entry.t) for entry in result.cascade]
    assert [node for node, _ in trace] == ["db", "api", "web"]
    assert len({t for _, t in trace}) == 1  # one second: the order is the path the failure took


def test_idle_nodes_and_edges_keep_one_row_until_something_happens() -> None:
    fast = {"workers": 10, "service_time": constant(1.0)}
    document = board(
        {"api": fast, "spare": fast}, [("spare", "api", {})], rate=20.0, duration_s=40.0,
        failures=(FailureInjection(kind="crash", target="spare", at_s=20.0, duration_s=5.0),),
    )
    simulation = Simulation(document, "s", seed=18)
    simulation.result()
    rows = simulation.recorder.node_series["spare"]
    edge_rows = simulation.recorder.edge_series["e-spare-api"]
    assert all(row is rows[3] for row in rows[3:19])  # no traffic reaches it: one row, over and over
    assert all(row is edge_rows[3] for row in edge_rows[3:])
    assert (rows[3].health, rows[3].arrivals, rows[3].p50_ms) == ("none", 0.0, None)
    assert {row.health for row in rows[21:24]} == {"red"}  # crashed while idle: red all the same
    assert rows[30].health == "none"
    busy = simulation.recorder.node_series["api"]
    assert len({id(row) for row in busy[3:]}) == len(busy) - 3  # a working node gets a row a second


def test_partition_fails_calls_over_the_edge() -> None:
    document = board(
        {"api": {"workers": 100, "service_time": constant(1.0)}, "db": {"workers": 100, "service_time": constant(1.0)}},
        [("api", "db", {"timeout_ms": 200.0})], rate=20.0, duration_s=30.0,
        failures=(FailureInjection(kind="partition", target="e-api-db", at_s=10.0, duration_s=10.0),),
    )
    result = Simulation(document, "s", seed=16).result()
    assert result.error_rate == pytest.approx(1 / 3, abs=0.05)
    assert result.edges["e-api-db"].timeouts == result.failed


def test_load_dependent_latency_grows_with_concurrency() -> None:
    document = board(
        {"db": {"workers": 100, "service_time": constant(100.0),
                "load_latency": {"knee": 2, "per_request": 0.5, "max_factor": 3.0}}},
        rate=60.0, duration_s=60.0, warmup_s=10.0,
    )
    result = Simulation(document, "s", seed=17).result()
    assert result.latency.p50_ms > 200.0
    assert result.latency.p99_ms <= 300.0 + 1e-6


# --- bad parameters -----------------------------------------------------------------


def test_unknown_scenario_and_intervention_ids() -> None:
    document = load_path(EXAMPLE)
    with pytest.raises(SimulationError, match=r"unknown scenario 'nope'.*peak"):
        Simulation(document, "nope")
    with pytest.raises(BoardError, match="unknown intervention 'nope'"):
        Simulation(document, "peak", ["nope"])
    with pytest.raises(SimulationError, match="named twice"):
        Simulation(document, "peak", ["queue-limits", "queue-limits"])


def test_synchronous_cycle_without_a_bound_is_refused() -> None:
    cycle = board(
        {"a": {"service_time": constant(1.0)}, "b": {"service_time": constant(1.0)}},
        [("a", "b", {}), ("b", "a", {})],
    )
    with pytest.raises(SimulationError, match=r"synchronous call cycle without a bound: (a → b → a|b → a → b)"):
        Simulation(cycle, "s")
    nearly = board(
        {"a": {"service_time": constant(1.0)}, "b": {"service_time": constant(1.0)}},
        [("a", "b", {}), ("b", "a", {"probability": 0.999})],
    )
    with pytest.raises(SimulationError, match=r"at most 0\.9"):
        Simulation(nearly, "s")
    bounded = board(
        {"a": {"workers": 100, "service_time": constant(1.0)}, "b": {"workers": 100, "service_time": constant(1.0)}},
        [("a", "b", {}), ("b", "a", {"probability": 0.5})], rate=10.0, duration_s=20.0,
    )
    result = Simulation(bounded, "s").result()
    calls = result.edges["e-b-a"].calls
    assert calls / result.requests == pytest.approx(1.0, rel=0.2)  # 1/2 + 1/4 + ... per request


def test_failures_aimed_at_nothing_and_bad_durations() -> None:
    with pytest.raises(SimulationError, match="not on this board"):
        Simulation(board({"a": {}}, failures=(FailureInjection(kind="crash", target="ghost"),)), "s")
    with pytest.raises(SimulationError, match="has no cache"):
        Simulation(board({"a": {}}, failures=(FailureInjection(kind="cache_flush", target="a"),)), "s")
    with pytest.raises(SimulationError, match="targets an edge"):
        Simulation(board({"a": {}}, failures=(FailureInjection(kind="partition", target="a"),)), "s")
    with pytest.raises(SimulationError, match="duration"):
        Simulation(board({"a": {}}), "s", duration_s=0.0)
    with pytest.raises(SimulationError, match="positive"):
        Simulation(board({"a": {}}), "s").step(0.0)


def test_zero_workers_and_negative_rates_are_refused_by_the_model() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="workers"):
        NodeSim(workers=0)
    with pytest.raises(ValidationError, match="rate_per_s"):
        RateLimit(rate_per_s=-1.0)


# --- invariants ---------------------------------------------------------------------

distributions = st.sampled_from(["constant", "exponential", "lognormal", "uniform"])


@settings(max_examples=15, deadline=None)
@given(
    workers=st.integers(1, 4),
    rate=st.floats(1.0, 80.0),
    mean_ms=st.floats(1.0, 60.0),
    kind=distributions,
    queue_limit=st.one_of(st.none(), st.integers(0, 5)),
    timeout_ms=st.one_of(st.none(), st.floats(5.0, 200.0)),
    retries=st.integers(1, 3),
    seed=st.integers(0, 1000),
)
def test_accounting_invariants(
    workers: int, rate: float, mean_ms: float, kind: str, queue_limit: int | None, timeout_ms: float | None,
    retries: int, seed: int,
) -> None:
    document = board(
        {"front": {"workers": 50, "service_time": constant(1.0)},
         "back": {"workers": workers, "service_time": {"kind": kind, "mean_ms": mean_ms}, "queue_limit": queue_limit}},
        [("front", "back", {"timeout_ms": timeout_ms, "retry": {"max_attempts": retries}})],
        rate=rate, duration_s=20.0,
    )
    result = Simulation(document, "s", seed=seed).result()
    assert result.requests == result.succeeded + result.degraded + result.failed + result.unfinished
    assert 0.0 <= result.error_rate <= 1.0
    latency = result.latency
    if latency.p50_ms is not None:
        assert latency.p50_ms <= latency.p95_ms <= latency.p99_ms
    for node in result.nodes.values():
        assert 0.0 <= node.utilization <= 1.0
        assert node.completions + sum(node.errors.values()) <= node.arrivals + 1
        if queue_limit is not None and node is result.nodes["back"]:
            assert node.max_queue <= queue_limit
    again = Simulation(document, "s", seed=seed).result()
    assert again == result


def test_frame_type_is_exported() -> None:
    simulation = Simulation(board({"a": {}}), "s", duration_s=2.0)
    assert isinstance(simulation.step(1.0), Frame)
    assert math.isclose(simulation.now, 1.0)
