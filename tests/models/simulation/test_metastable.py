"""A metastable retry storm, and what stops it.

A load-dependent server behind clients that time out and retry without
backoff: a short load peak fills its queue, the clients' timeouts and
retries keep the offered load above what it can serve, and it stays down
after the load falls back. A concurrency limit that sheds the excess keeps
its goodput up.
"""

from __future__ import annotations

from typing import Any

from models.simulation import Simulation
from tests.models.simulation.boards import board, constant, exponential

BASE_RPS = 140.0
PEAK_RPS = 280.0


def storm(server_extra: dict[str, Any]) -> Simulation:
    document = board(
        {
            "client": {"workers": 100_000, "service_time": constant(0.0)},
            "server": {
                "workers": 10,
                "service_time": exponential(50.0),
                "load_latency": {"knee": 6, "per_request": 0.05, "max_factor": 2.0},
                **server_extra,
            },
        },
        [("client", "server", {"timeout_ms": 2500.0, "retry": {"max_attempts": 4}})],
        traffic={"kind": "burst", "base_rps": BASE_RPS, "peak_rps": PEAK_RPS, "burst_at_s": 20.0, "burst_s": 10.0},
        duration_s=90.0,
    )
    simulation = Simulation(document, "s", seed=11)
    simulation.result()
    return simulation


def goodput(simulation: Simulation, start: int, end: int) -> float:
    rows = simulation.totals_series[start:end]
    return sum(r.succeeded + r.degraded for r in rows) / len(rows)


def test_retry_storm_stays_collapsed_after_the_peak() -> None:
    simulation = storm({})
    before = goodput(simulation, 5, 20)
    after = goodput(simulation, 60, 90)
    assert before > 0.95 * BASE_RPS
    assert after < 0.2 * BASE_RPS  # the load is back to base, the server is not
    server = simulation.result().nodes["server"]
    assert server.wasted > 2_000  # it keeps serving calls whose caller has given up
    assert simulation.result().edges["e-client-server"].timeouts > 2_000


def test_concurrency_limit_with_shedding_keeps_goodput_up() -> None:
    simulation = storm({"concurrency_limit": 30})
    assert goodput(simulation, 5, 20) > 0.95 * BASE_RPS
    assert goodput(simulation, 60, 90) > 0.95 * BASE_RPS
    server = simulation.result().nodes["server"]
    assert server.errors.get("rejected", 0) > 0  # it shed load during the peak
