"""The engine against queueing theory: M/M/1, M/M/c (Erlang C), M/M/1/K,
Little's law on every node, and a two-class priority queue (Cobham).

Each case runs a few seeded replications after a warm-up; the tolerances are
about three standard errors of the pooled estimate, so the checks are tight
but do not depend on a lucky seed.
"""

from __future__ import annotations

import pytest

from models.fileformat import load_path
from models.simulation import Simulation
from tests.conftest import EXAMPLE
from tests.models.simulation.boards import board, constant, exponential
from tests.models.simulation.theory import cobham_waits, mm1k_blocking, mmc_wait

SERVICE_MS = 10.0
MU = 1000.0 / SERVICE_MS


def replicate(document, seeds, duration_s=None):  # type: ignore[no-untyped-def]
    return [Simulation(document, "s", seed=seed, duration_s=duration_s).result() for seed in seeds]


def pooled(results, key):  # type: ignore[no-untyped-def]
    """Mean of a node figure over replications, weighted by the requests."""
    weights = [r.requests for r in results]
    return sum(key(r) * w for r, w in zip(results, weights, strict=True)) / sum(weights)


@pytest.mark.parametrize(
    ("servers", "rho", "duration_s", "tolerance"),
    [
        (1, 0.5, 300.0, 0.03),
        (1, 0.7, 600.0, 0.04),
        (1, 0.9, 1500.0, 0.08),
        (4, 0.5, 150.0, 0.03),
        (4, 0.9, 500.0, 0.05),
        (16, 0.8, 60.0, 0.03),
    ],
)
def test_mmc_response_and_waiting_times(servers: int, rho: float, duration_s: float, tolerance: float) -> None:
    rate = rho * servers * MU
    document = board(
        {"server": {"workers": servers, "service_time": exponential(SERVICE_MS)}},
        rate=rate, duration_s=duration_s, warmup_s=duration_s / 10,
    )
    results = replicate(document, seeds=(1, 2, 3))
    wait = mmc_wait(servers, rate, MU)
    response_ms = pooled(results, lambda r: r.latency.mean_ms)
    assert response_ms == pytest.approx((wait + 1 / MU) * 1000, rel=tolerance)
    # waiting time from the time-average queue length (Little: Lq = λ Wq)
    waiting = pooled(results, lambda r: r.nodes["server"].mean_queue / rate)
    assert waiting == pytest.approx(wait, rel=tolerance * 2.5, abs=0.01 / MU)
    utilisation = pooled(results, lambda r: r.nodes["server"].utilization)
    assert utilisation == pytest.approx(rho, rel=0.02)


@pytest.mark.parametrize(("rho", "capacity"), [(0.8, 5), (1.2, 10)])
def test_mm1k_blocking_probability(rho: float, capacity: int) -> None:
    document = board(
        {"server": {"workers": 1, "service_time": exponential(SERVICE_MS), "queue_limit": capacity - 1}},
        rate=rho * MU, duration_s=400.0, warmup_s=10.0,
    )
    results = replicate(document, seeds=(1, 2))
    rejected = sum(r.nodes["server"].errors.get("rejected", 0) for r in results)
    arrivals = sum(r.nodes["server"].arrivals for r in results)
    assert rejected / arrivals == pytest.approx(mm1k_blocking(rho, capacity), rel=0.06)


def test_littles_law_on_every_node() -> None:
    """L = λW on every node of the StreamFlow board at its evening peak."""
    simulation = Simulation(load_path(EXAMPLE), "peak", seed=3, duration_s=300.0)
    simulation.result()
    end = simulation.now
    checked = 0
    for node in simulation.runtime.nodes.values():
        node._mark()
        if node.departures < 1000:
            continue
        in_node = node.node_area / end
        arrival = node.admitted / end
        sojourn = node.sojourn_s / node.departures
        assert in_node == pytest.approx(arrival * sojourn, rel=0.03, abs=0.01), node.id
        checked += 1
    assert checked >= 8


def test_two_class_priority_queue_matches_cobham() -> None:
    """Two classes share one server with a non-preemptive priority queue."""
    rate = 0.85 * MU
    document = board(
        {
            "front-hi": {"workers": 10_000, "service_time": constant(0.0)},
            "front-lo": {"workers": 10_000, "service_time": constant(0.0)},
            "server": {"workers": 1, "service_time": exponential(SERVICE_MS), "queue_discipline": "priority"},
        },
        [("front-hi", "server", {"priority": 1}), ("front-lo", "server", {"priority": 0})],
        rate=rate, duration_s=900.0, warmup_s=30.0,
    )
    users_lo = document.edges[0].model_copy(update={"id": "e-users-lo", "target": "front-lo"})
    document = document.model_copy(update={"edges": (*document.edges, users_lo)})
    results = replicate(document, seeds=(1, 2))
    high, low = cobham_waits([rate / 2, rate / 2], 1 / MU)
    measured_high = pooled(results, lambda r: r.nodes["front-hi"].mean_ms) / 1000 - 1 / MU
    measured_low = pooled(results, lambda r: r.nodes["front-lo"].mean_ms) / 1000 - 1 / MU
    assert measured_high == pytest.approx(high, rel=0.06)
    assert measured_low == pytest.approx(low, rel=0.08)
    assert measured_low > 3 * measured_high
