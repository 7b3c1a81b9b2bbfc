"""The mechanisms the failure-pattern boards need (docs/SIMULATION.md, "A node"):
LIFO and CoDel queues, outlier ejection of replicas that fail fast, deadline
propagation, the cost of the error path, load-dependent latency that counts
the backlog, and retry budgets at every layer of a call chain."""

from __future__ import annotations

import math

import pytest

from models.document import BoardDocument
from models.entities import Queue
from models.params import FailureInjection, NodeSim, UserBehaviour
from models.simulation import Simulation, SimulationError
from models.simulation.context import Ctx
from models.simulation.result import SimulationResult
from tests.models.simulation.boards import board, constant, exponential


def run(document: BoardDocument, seed: int = 1) -> SimulationResult:
    return Simulation(document, "s", seed=seed).result()


# --- queue disciplines --------------------------------------------------------------


def mm1(
    discipline: str, rate: float, extra: dict[str, object] | None = None, duration_s: float = 200.0,
) -> SimulationResult:
    return run(board(
        {"server": {"service_time": exponential(10.0), "queue_discipline": discipline, **(extra or {})}},
        rate=rate, duration_s=duration_s, warmup_s=10.0,
    ))


@pytest.fixture(scope="module")
def fifo_and_lifo() -> tuple[SimulationResult, SimulationResult]:
    return mm1("fifo", 85.0, duration_s=70.0), mm1("lifo", 85.0, duration_s=70.0)


def test_lifo_keeps_the_mean_and_moves_the_wait_into_the_tail(fifo_and_lifo):
    fifo, lifo = fifo_and_lifo
    assert fifo.latency.mean_ms is not None
    assert lifo.latency.mean_ms is not None
    # work-conserving: the same mean response (M/M/1: 1 / (mu - lambda) = 66.7 ms)
    assert lifo.latency.mean_ms == pytest.approx(fifo.latency.mean_ms, rel=0.15)
    assert lifo.latency.p50_ms < 0.5 * fifo.latency.p50_ms  # most are served at once
    assert lifo.latency.p99_ms > 1.5 * fifo.latency.p99_ms  # and a few wait very long


def test_codel_sheds_what_waited_too_long_under_overload_and_little_under_light_load():
    codel = {"codel": {"target_ms": 5.0, "interval_ms": 100.0}}
    overloaded = mm1("codel", 150.0, codel, duration_s=30.0)
    fifo = mm1("fifo", 150.0, duration_s=30.0)
    server = overloaded.nodes["server"]
    assert server.errors.get("shed", 0) > 0.3 * server.arrivals  # 150/s offered, 100/s served
    assert server.p99_ms is not None
    assert server.p99_ms < 250.0
    assert fifo.nodes["server"].p99_ms > 5_000.0  # the FIFO backlog grows for the whole run
    assert overloaded.goodput_rps > 0.85 * 100.0  # still serving near capacity
    light = mm1("codel", 30.0, codel, duration_s=40.0)
    assert light.nodes["server"].errors.get("shed", 0) < 0.01 * light.nodes["server"].arrivals


def test_adaptive_lifo_serves_the_newest_of_a_standing_queue():
    codel = {"target_ms": 50.0, "interval_ms": 100.0}
    plain = mm1("codel", 150.0, {"codel": codel}, duration_s=30.0)
    lifo = mm1("codel", 150.0, {"codel": {**codel, "adaptive_lifo": True}}, duration_s=30.0)
    assert lifo.nodes["server"].p50_ms < 0.5 * plain.nodes["server"].p50_ms
    assert lifo.goodput_rps > 0.9 * 100.0


def test_codel_never_sheds_a_request_coming_back_from_an_edge_queue():
    document = board(
        {
            "front": {"workers": 2, "service_time": exponential(10.0), "queue_discipline": "codel",
                      "codel": {"target_ms": 1.0, "interval_ms": 2.0}},
            "back": {"workers": 1, "service_time": constant(5.0), "rate_limit": {"rate_per_s": 150.0, "burst": 1}},
        },
        [("front", "back", {})], rate=150.0, duration_s=12.0,
    )
    document = document.model_copy(update={"queues": (
        *document.queues, Queue(id="q", name="q", edge="e-front-back"),
    )})
    result = run(document)
    front = result.nodes["front"]
    # only first arrivals are shed; everyone who got past them finishes
    assert front.completions + front.errors.get("shed", 0) >= front.arrivals - 200


# --- replicas that fail fast, and outlier ejection ------------------------------------


def replicated(balancer: str, ejection: dict[str, object] | None = None, crashed: tuple[int, ...] = (0,),
               seed: int = 1) -> SimulationResult:
    sim: dict[str, object] = {
        "workers": 1, "replicas": 4, "service_time": exponential(20.0), "load_balancer": balancer,
    }
    if ejection is not None:
        sim["outlier_ejection"] = ejection
    failures = tuple(FailureInjection(kind="crash", target="api", replica=r, at_s=5.0) for r in crashed)
    return run(board({"api": sim}, rate=100.0, duration_s=25.0, warmup_s=5.0, failures=failures), seed)


def test_least_connections_sinks_traffic_into_the_replica_that_fails_fast():
    round_robin = replicated("round_robin")
    least = replicated("least_connections")
    assert round_robin.error_rate == pytest.approx(0.25, abs=0.03)  # one replica in four
    assert least.error_rate > 0.6  # it always has the fewest requests in flight


def test_outlier_ejection_ends_the_sinkhole():
    ejected = replicated("least_connections", {"consecutive_errors": 5, "ejection_s": 30.0})
    assert ejected.error_rate < 0.01
    assert ejected.nodes["api"].errors.get("crashed", 0) < 20  # 5 in a row, then out for the run


def test_ejection_takes_out_at_most_the_share_allowed_but_always_one():
    # two crashed replicas of four, at most 10 % ejected: one is out, the other keeps sinking traffic
    capped = replicated("least_connections", {"max_ejected_share": 0.1}, crashed=(0, 1))
    both = replicated("least_connections", {"max_ejected_share": 0.5}, crashed=(0, 1))
    assert capped.error_rate > 0.3
    assert both.error_rate < 0.01


def test_an_ejected_replica_comes_back_after_its_ejection_time():
    sim = {"workers": 4, "replicas": 2, "service_time": exponential(20.0), "load_balancer": "round_robin",
           "outlier_ejection": {"consecutive_errors": 3, "ejection_s": 2.0, "max_ejected_share": 0.5}}
    failures = (FailureInjection(kind="error_rate", target="api", replica=1, value=1.0, at_s=0.0, duration_s=5.0),)
    simulation = Simulation(board({"api": sim}, rate=100.0, duration_s=30.0, failures=failures), "s", seed=2)
    result = simulation.result()
    api = simulation.runtime.nodes["api"]
    assert api.replicas[1].ejections >= 2  # back after 2 s, still failing, out again for 4 s
    assert result.nodes["api"].errors.get("error", 0) < 30
    late = simulation.recorder.node_series["api"][-5:]
    assert all(not row.errors for row in late)  # healthy again, and in rotation


@pytest.mark.parametrize(("failure", "message"), [
    (FailureInjection(kind="crash", target="api", replica=4), "has 4 replica"),
    (FailureInjection(kind="latency_spike", target="api", replica=0), "cannot target one replica"),
    (FailureInjection(kind="partition", target="e-users", replica=0), "an edge has no replicas"),
])
def test_bad_replica_failures_are_refused(failure, message):
    document = board({"api": {"replicas": 4}}, failures=(failure,))
    with pytest.raises(SimulationError, match=message):
        Simulation(document, "s")


def test_a_replica_failure_on_a_single_replica_node_still_works():
    failures = (FailureInjection(kind="crash", target="api", replica=0, at_s=0.0),)
    result = run(board({"api": {"service_time": constant(1.0)}}, rate=50.0, duration_s=10.0, failures=failures))
    assert result.error_rate == 1.0


# --- deadline propagation -----------------------------------------------------------


def timeout_chain(honour: bool, rate: float = 5.0) -> SimulationResult:
    """The front times out on the back after 100 ms; the back takes 300 ms."""
    return run(board(
        {
            "front": {"workers": 100, "service_time": constant(1.0)},
            "back": {"workers": 4, "service_time": constant(300.0), "honour_deadlines": honour},
        },
        [("front", "back", {"timeout_ms": 100.0})], rate=rate, duration_s=30.0,
    ))


def test_without_deadlines_the_callee_finishes_work_nobody_waits_for():
    back = timeout_chain(False).nodes["back"]
    assert back.wasted > 100
    assert back.wasted_s == pytest.approx(back.wasted * 0.3, rel=0.35)  # each wasted 300 ms and its wait


def test_a_callee_that_honours_deadlines_stops_at_the_callers_timeout():
    back = timeout_chain(True).nodes["back"]
    assert back.wasted == 0
    assert back.errors.get("expired", 0) > 100
    assert back.utilization < 0.5 * timeout_chain(False).nodes["back"].utilization  # 100 ms of 300 each


def test_expired_requests_are_dropped_when_they_reach_a_worker_and_refused_on_arrival():
    # one slow worker, users who give up after 1 s: most requests wait past their deadline
    def slow(honour: bool) -> SimulationResult:
        return run(board(
            {"api": {"service_time": constant(200.0), "honour_deadlines": honour}},
            rate=8.0, duration_s=60.0, users=UserBehaviour(timeout_s=1.0),
        ))
    plain, honouring = slow(False), slow(True)
    assert plain.goodput_rps < 1.0  # the queue is hours deep in wasted work
    assert honouring.goodput_rps > 2.0  # expired ones cost nothing; some of the rest are served in time
    assert honouring.nodes["api"].errors.get("expired", 0) > 0


def test_no_calls_go_out_after_the_deadline():
    document = board(
        {
            "front": {"service_time": constant(150.0), "workers": 50, "honour_deadlines": True},
            "back": {"service_time": constant(1.0)},
        },
        [("front", "back", {})], rate=10.0, duration_s=20.0,
    )
    document = document.model_copy(update={"edges": (
        document.edges[0].model_copy(update={"call": document.edges[0].call.model_copy(update={"timeout_ms": 100.0})}),
        *document.edges[1:],
    )})
    result = run(document)
    assert result.nodes["back"].arrivals == 0  # the front's own work outlives the users' deadline
    assert result.nodes["front"].errors.get("expired", 0) > 100


def test_a_context_keeps_the_earliest_deadline_of_its_chain():
    root = Ctx(None, 10.0)
    assert Ctx(root, 20.0).deadline == 10.0
    assert Ctx(root, 5.0).deadline == 5.0
    assert Ctx(root).deadline == 10.0
    assert math.isinf(Ctx().deadline)


# --- the cost of the error path -------------------------------------------------------


def test_a_failed_request_costs_the_error_paths_work():
    def utilisation(error_rate: float, error_work: dict[str, object] | None) -> float:
        sim: dict[str, object] = {"service_time": constant(10.0), "error_rate": error_rate}
        if error_work is not None:
            sim["error_work"] = error_work
        return run(board({"api": sim}, rate=10.0, duration_s=100.0)).nodes["api"].utilization
    assert utilisation(0.0, constant(50.0)) == pytest.approx(0.10, abs=0.01)  # no errors, no error work
    assert utilisation(1.0, None) == pytest.approx(0.10, abs=0.01)
    assert utilisation(1.0, constant(50.0)) == pytest.approx(0.60, abs=0.03)  # 10 ms + 50 ms per request


def test_a_failed_downstream_call_costs_the_callers_error_path_too():
    document = board(
        {"front": {"service_time": constant(1.0), "error_work": constant(40.0)},
         "back": {"service_time": constant(1.0), "error_rate": 1.0}},
        [("front", "back", {})], rate=10.0, duration_s=100.0,
    )
    front = run(document).nodes["front"]
    assert front.utilization == pytest.approx(0.42, abs=0.03)


# --- load-dependent latency that counts the backlog ------------------------------------


def test_latency_that_grows_with_the_backlog_collapses_throughput():
    def served(basis: str) -> float:
        sim = {"workers": 4, "service_time": constant(40.0),
               "load_latency": {"knee": 4, "per_request": 0.05, "max_factor": 20.0, "basis": basis}}
        traffic = {"kind": "burst", "base_rps": 80.0, "peak_rps": 200.0, "burst_at_s": 5.0, "burst_s": 5.0}
        simulation = Simulation(board({"api": sim}, traffic=traffic, duration_s=30.0), "s", seed=3)
        simulation.result()
        rows = simulation.totals_series[22:30]
        return sum(r.succeeded for r in rows) / len(rows)
    assert served("busy") > 75.0  # 4 workers cannot slow themselves past 100/s: it recovers
    assert served("in_node") < 20.0  # the backlog slows every worker, which grows the backlog


def test_load_basis_defaults_to_busy_workers_and_is_not_saved_when_default():
    assert "basis" not in NodeSim(load_latency={"knee": 1}).model_dump()["load_latency"]
    dumped = NodeSim().model_dump()
    for field in ("codel", "outlier_ejection", "honour_deadlines", "error_work"):
        assert field not in dumped
    assert "replica" not in FailureInjection(kind="crash", target="a").model_dump()


# --- retry budgets across layers -------------------------------------------------------


def three_layers(budget: dict[str, float] | None) -> SimulationResult:
    retry: dict[str, object] = {"max_attempts": 3}
    if budget is not None:
        retry["budget"] = budget
    return run(board(
        {"a": {"workers": 1000, "service_time": constant(1.0)},
         "b": {"workers": 1000, "service_time": constant(1.0)},
         "c": {"workers": 1000, "service_time": constant(1.0), "error_rate": 1.0}},
        [("a", "b", {"retry": retry}), ("b", "c", {"retry": retry})],
        rate=20.0, duration_s=20.0,
    ))


def test_retries_at_every_layer_multiply_and_budgets_at_every_layer_stop_it():
    plain = three_layers(None)
    requests = plain.nodes["a"].arrivals
    assert plain.nodes["c"].arrivals == 9 * requests  # 3 x 3 attempts against the bottom
    budgeted = three_layers({"ratio": 0.1, "min_per_s": 0.0})
    # each layer adds at most 10 % (plus its first bucketful of 10 tokens)
    assert budgeted.nodes["c"].arrivals < 1.1 * 1.1 * requests + 40


def test_a_caller_that_honours_deadlines_stops_waiting_for_its_callee_at_the_deadline():
    def front(honour: bool) -> SimulationResult:
        return run(board(
            {"front": {"workers": 100, "service_time": constant(1.0), "honour_deadlines": honour},
             "back": {"workers": 100, "service_time": constant(2000.0)}},
            [("front", "back", {})], rate=5.0, duration_s=30.0, users=UserBehaviour(timeout_s=0.5),
        ))
    waiting, honouring = front(False), front(True)
    assert waiting.nodes["front"].utilization > 3.0 * honouring.nodes["front"].utilization  # 2 s held, not 0.5 s
    assert honouring.edges["e-front-back"].timeouts > 100  # the call timed out at the users' deadline
    assert honouring.latency.p50_ms == pytest.approx(500.0, abs=5.0)
