"""The five pattern boards built on the engine's newer mechanisms (deadlines,
outlier ejection, queue disciplines, load that counts the backlog, the error
path's cost): each shows its phenomenon on five seeds, in the numbers its
source gives where it gives any, and its fix ends it; two sweep their trigger
across the tipping point. Runs are shortened to what the asserts read and
cached, so each is simulated once (docs/SIMULATION.md, "Pattern boards").
"""

from __future__ import annotations

import functools
import statistics
from pathlib import Path

import pytest

from models.document import BoardDocument
from models.fileformat import load_path
from models.params import FailureInjection
from models.simulation import Simulation

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
SEEDS = range(5)


@functools.cache
def board(name: str) -> BoardDocument:
    return load_path(EXAMPLES / f"{name}.cboard")


@functools.cache
def run(name: str, scenario: str, interventions: tuple[str, ...] = (), seed: int = 0, duration_s: float = 60.0,
        trigger_s: float | None = None) -> Simulation:
    """A finished run; ``trigger_s`` lengthens or shortens the scenario's burst
    (traffic) or its first failure."""
    document = board(name)
    if trigger_s is not None:
        found = document.scenario(scenario)
        if found.failures:
            first = found.failures[0].model_copy(update={"duration_s": trigger_s})
            changed = found.model_copy(update={"failures": (first, *found.failures[1:])})
        else:
            changed = found.model_copy(update={"traffic": found.traffic.model_copy(update={"burst_s": trigger_s})})
        document = document.model_copy(update={"scenarios": tuple(
            changed if s.id == scenario else s for s in document.scenarios)})
    simulation = Simulation(document, scenario, interventions, seed=seed, duration_s=duration_s)
    simulation.result()
    return simulation


def goodput(simulation: Simulation, start: int, end: int) -> float:
    """Answers that reached the users, per second, over [start, end)."""
    return statistics.fmean(r.succeeded + r.degraded for r in simulation.totals_series[start:end])


def offered(simulation: Simulation, start: int, end: int) -> float:
    return statistics.fmean(r.offered_rps for r in simulation.totals_series[start:end])


def share(simulation: Simulation, start: int, end: int) -> float:
    """Goodput as a share of the offered load over [start, end)."""
    return goodput(simulation, start, end) / offered(simulation, start, end)


# --- timeout cascade: Google SRE book ch. 22, deadline propagation ---------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_timeout_cascade_wastes_the_databases_work_and_deadlines_end_it(seed):
    stuck = run("timeout-cascade", "burst", seed=seed, duration_s=50.0)
    assert share(stuck, 5, 20) > 0.9  # healthy before the burst
    assert share(stuck, 40, 50) < 0.2  # the burst ended at 30 s; the outage did not
    db = stuck.result().nodes["db"]
    assert db.wasted > 0.5 * db.completions  # most of what the database finishes, nobody waits for
    fixed = run("timeout-cascade", "burst", ("deadline-propagation",), seed=seed, duration_s=50.0)
    assert share(fixed, 40, 50) > 0.9
    assert fixed.result().nodes["db"].wasted == 0  # the database drops or cuts off abandoned queries
    assert fixed.result().nodes["db"].errors.get("expired", 0) > 0


def test_aligning_one_timeout_alone_does_not_end_the_timeout_cascade():
    # the API gives up sooner, but the database still cannot tell abandoned queries from awaited ones
    assert share(run("timeout-cascade", "burst", ("align-timeouts",), duration_s=50.0), 40, 50) < 0.2


# --- load-balancer sinkhole: SRE book ch. 20; Envoy outlier detection defaults ----------------


@pytest.mark.parametrize("seed", SEEDS)
def test_least_connections_sinkholes_into_the_failing_replica_and_ejection_ends_it(seed):
    sinkhole = run("lb-sinkhole", "replica-fails-fast", seed=seed, duration_s=45.0)
    assert share(sinkhole, 5, 20) > 0.9
    # one replica in four is broken: round robin would lose 25 %; least connections loses over half
    assert share(sinkhole, 25, 45) < 0.5
    ejected = run("lb-sinkhole", "replica-fails-fast", ("outlier-ejection",), seed=seed, duration_s=45.0)
    assert share(ejected, 25, 45) > 0.9
    # Envoy's consecutive_5xx = 5: five failures in a row (a request it still had in service may succeed
    # between them), then out for the 30 s base ejection time, past the run's end
    errors = ejected.result().nodes["api"].errors
    assert set(errors) == {"crashed"}
    assert 5 <= errors["crashed"] <= 8


def test_round_robin_spreads_the_broken_replicas_quarter_of_the_traffic():
    balanced = run("lb-sinkhole", "replica-fails-fast", ("round-robin",), duration_s=45.0)
    assert share(balanced, 25, 45) == pytest.approx(0.75, abs=0.05)


# --- unbounded queue: AWS "Avoiding insurmountable queue backlogs"; Fail at Scale's CoDel -----


@pytest.mark.parametrize("seed", SEEDS)
def test_an_unbounded_queue_keeps_its_backlog_and_a_bounded_one_sheds_it(seed):
    backlog = run("unbounded-queue", "burst", seed=seed, duration_s=50.0)
    assert share(backlog, 5, 20) > 0.9
    assert share(backlog, 40, 50) < 0.2  # 10 s after the burst, still down
    assert backlog.totals_series[45].p50_ms >= 999.0  # the median user waits out the 1 s timeout
    bounded = run("unbounded-queue", "burst", ("bounded-queue",), seed=seed, duration_s=50.0)
    assert share(bounded, 40, 50) > 0.9


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_lifo_and_codel_end_the_backlog_too(seed):
    lifo = run("unbounded-queue", "burst", ("lifo",), seed=seed, duration_s=50.0)
    assert share(lifo, 40, 50) > 0.9
    codel = run("unbounded-queue", "burst", ("codel",), seed=seed, duration_s=50.0)
    assert share(codel, 40, 50) > 0.9
    api = codel.result().nodes["api"]
    assert api.errors.get("shed", 0) > 0
    # a standing queue waits at most the source's 5 ms target; what is served stays near its 20 ms of work
    assert api.p99_ms is not None
    assert api.p99_ms < 200.0


# --- GC death spiral: SRE book ch. 22 ------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_gc_death_spiral_collapses_throughput_and_a_concurrency_limit_prevents_it(seed):
    spiral = run("gc-death-spiral", "burst", seed=seed)
    assert share(spiral, 5, 20) > 0.9
    assert share(spiral, 40, 60) < 0.2  # load back to 50/s since 25 s, the API still collapsed
    in_node = spiral.recorder.node_series["api"][-1].in_node_avg
    assert in_node is not None
    assert in_node > 58  # past the tipping point, where the slowed API serves only the 50/s it is sent
    limited = run("gc-death-spiral", "burst", ("concurrency-limit",), seed=seed)
    assert share(limited, 40, 60) > 0.9


def test_gc_death_spiral_tips_between_a_one_and_a_four_second_burst():
    # the threshold: a 1 s burst drains on every seed, a 4 s burst collapses on every seed
    for seed in SEEDS:
        assert share(run("gc-death-spiral", "burst", seed=seed, trigger_s=1.0), 40, 60) > 0.9
        assert share(run("gc-death-spiral", "burst", seed=seed, trigger_s=4.0), 40, 60) < 0.2


# --- slow error handling: Bronson et al., HotOS 2021 ------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_slow_error_handling_sustains_an_error_burst_and_failing_fast_ends_it(seed):
    stuck = run("slow-error-handling", "error-burst", seed=seed)
    assert share(stuck, 5, 20) > 0.9
    assert share(stuck, 40, 60) < 0.2  # the database has been healthy since 23 s
    assert stuck.result().nodes["api"].errors.get("expired", 0) > 1_000  # expiries are what sustains it
    fixed = run("slow-error-handling", "error-burst", ("fail-fast",), seed=seed)
    assert share(fixed, 40, 60) > 0.9


@pytest.mark.parametrize("seed", SEEDS)
def test_slow_error_handling_tips_between_a_one_and_a_three_second_error_burst(seed):
    assert share(run("slow-error-handling", "error-burst", seed=seed, trigger_s=1.0), 40, 60) > 0.9
    assert share(run("slow-error-handling", "error-burst", seed=seed), 40, 60) < 0.2  # 3 s


def test_a_cheap_error_path_ends_it_as_well():
    assert share(run("slow-error-handling", "error-burst", ("cheap-error-path",)), 40, 60) > 0.9


def test_every_board_here_names_its_source_and_draws_its_loop():
    for name in ("timeout-cascade", "lb-sinkhole", "unbounded-queue", "gc-death-spiral", "slow-error-handling"):
        document = board(name)
        assert document.meta.source
        assert document.loops
        assert all(i.changes and i.tier and i.tradeoff for i in document.interventions)
        assert {step.code for step in document.steps} >= {"RE06", "RE10"}
        assert isinstance(document.scenarios[0].failures, tuple)
        for failure in document.scenarios[0].failures:
            assert isinstance(failure, FailureInjection)
