"""Traffic profiles, and the failures not covered elsewhere (flush, error rates)."""

from __future__ import annotations

import pytest

from models.params import FailureInjection, TrafficProfile
from models.simulation import Simulation
from models.simulation.traffic import Traffic
from tests.models.simulation.boards import board, constant


def test_ramp_burst_and_window_rates() -> None:
    ramp = Traffic(TrafficProfile(kind="ramp", base_rps=10.0, peak_rps=110.0), duration_s=100.0)
    assert [ramp.rate(t) for t in (0.0, 50.0, 100.0)] == pytest.approx([10.0, 60.0, 110.0])
    assert ramp.max_rps == 110.0
    burst = Traffic(TrafficProfile(kind="burst", base_rps=5.0, peak_rps=50.0, burst_at_s=10.0, burst_s=5.0), 60.0)
    assert [burst.rate(t) for t in (9.9, 10.0, 14.9, 15.0)] == [5.0, 50.0, 50.0, 5.0]
    assert burst.phase(12.0) == "burst"
    window = Traffic(TrafficProfile(kind="peak_window", base_rps=10.0, peak_rps=100.0, clock_start="22:58",
                                    peak_start="20:00", peak_end="23:00", ramp_s=60.0), 600.0)
    assert window.clock(0.0) == "22:58"
    assert window.phase(30.0) == "peak"
    assert window.phase(75.0) == "ramp-down"  # the last minute before 23:00
    assert window.rate(75.0) == pytest.approx(10.0 + 90.0 * 45.0 / 60.0)
    assert window.rate(130.0) == 10.0
    assert window.phase(200.0) == "off-peak"
    assert window.clock(3600.0 * 2) == "00:58"  # the clock wraps at midnight
    overnight = Traffic(TrafficProfile(kind="peak_window", base_rps=1.0, peak_rps=2.0, clock_start="23:30",
                                       peak_start="23:00", peak_end="01:00"), 10.0)
    assert overnight.rate(0.0) == 2.0


def test_cache_flush_empties_the_cache_until_misses_refill_it() -> None:
    document = board(
        {"engine": {"workers": 1000, "service_time": constant(0.0)},
         "cache": {"workers": 1000, "service_time": constant(1.0),
                   "cache": {"hit_ratio": 0.9, "refill_misses": 500}}},
        [("engine", "cache", {})], rate=100.0, duration_s=40.0,
        failures=(FailureInjection(kind="cache_flush", target="cache", at_s=10.0),),
    )
    simulation = Simulation(document, "s", seed=1)
    simulation.result()
    ratios = [row.cache_hit_ratio or 0.0 for row in simulation.recorder.node_series["cache"]]
    assert ratios[10] < 0.25
    assert len(ratios) == 40
    assert sum(ratios[30:40]) / 10 == pytest.approx(0.9, abs=0.05)


@pytest.mark.parametrize("target", ["api", "e-api-db"])
def test_injected_error_rate_on_a_node_or_an_edge(target: str) -> None:
    document = board(
        {"api": {"workers": 100, "service_time": constant(1.0)}, "db": {"workers": 100, "service_time": constant(1.0)}},
        [("api", "db", {})], rate=100.0, duration_s=40.0,
        failures=(FailureInjection(kind="error_rate", target=target, at_s=10.0, duration_s=20.0, value=0.3),),
    )
    result = Simulation(document, "s", seed=2).result()
    assert result.error_rate == pytest.approx(0.3 * 20 / 40, abs=0.02)
    assert result.recovery.recovered
