"""The run's guard: a memory budget, a cap on the request rate, and cancelling mid-run (issue 16)."""

from __future__ import annotations

import threading
import time

import pytest

from models.fileformat import document_from_data
from models.simulation import Simulation, SimulationError
from models.simulation.guard import MemoryBudgetError, MemoryGuard, SimulationCancelled, cancel_scope
from models.synthetic import board_data


def overloaded(rps: float = 50_000.0, duration_s: float = 60.0) -> Simulation:
    """Three nodes of 8 workers (8,000 requests/s at most) taking far more: the queue only grows."""
    data = board_data("chain", 3, rps=rps)
    data["scenarios"][0]["duration_s"] = duration_s
    return Simulation(document_from_data(data), "peak", seed=1)


def test_an_overloaded_run_stops_at_its_memory_budget_with_a_message():
    simulation = overloaded()
    simulation.guard = MemoryGuard(budget_bytes=8 * 2**20)
    with pytest.raises(MemoryBudgetError) as caught:
        simulation.run_until(60.0)
    # stopped within the first simulated second (of 60), as soon as the queue outgrew the budget
    # (behaviour, not a wall time: the machine's load must not decide the test)
    assert simulation.now < 1.0
    message = str(caught.value)
    assert "more than the run's budget of 8 MiB" in message
    assert "requests in flight" in message
    assert "waiting in queues (most at 'n0')" in message
    assert "scenarios[0] ('peak').traffic" in message
    assert "queue limit" in message


def test_the_default_budget_is_half_the_available_memory_and_a_floor_protects_the_machine(monkeypatch):
    guard = MemoryGuard()
    assert guard.budget > 0
    assert "available when the run started" in guard.why
    assert guard.problem() is None
    monkeypatch.setattr("models.simulation.guard.machine_memory", lambda: (100 * 2**20, 16 * 2**30))
    assert "the machine has only 100 MiB of memory left" in str(guard.problem())


@pytest.mark.parametrize(("traffic", "field"), [
    ({"kind": "constant", "base_rps": 1e6}, "traffic.base_rps: 1,000,000 requests/s"),
    ({"kind": "burst", "base_rps": 5.0, "peak_rps": 2e5}, "traffic.peak_rps: 200,000 requests/s"),
    ({"kind": "points", "points": [[0.0, 5.0], [1.0, 5e5]]}, "traffic.points[1]: 500,000 requests/s"),
])
def test_a_runaway_request_rate_is_refused_naming_the_field(traffic, field):
    data = board_data("chain", 3)
    data["scenarios"][0]["traffic"] = traffic
    with pytest.raises(SimulationError, match="at most 100,000/s") as caught:
        Simulation(document_from_data(data), "peak")
    assert str(caught.value).startswith(f"scenarios[0] ('peak').{field}")


def test_a_cancelled_run_stops_mid_run_within_a_fraction_of_a_second():
    stop = threading.Event()
    with cancel_scope(stop):
        simulation = overloaded(rps=20_000.0)
    threading.Timer(0.3, stop.set).start()
    started = time.perf_counter()
    with pytest.raises(SimulationCancelled):
        simulation.run_until(60.0)
    assert time.perf_counter() - started < 0.3 + 1.0
    assert simulation.now < 60.0
    assert overloaded(rps=10.0, duration_s=1.0).guard.cancel is None  # outside the scope: nobody cancels
