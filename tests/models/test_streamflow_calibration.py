"""The StreamFlow board against the recording script's own words (issue 11, item 7).

Each figure is estimated over ``N`` replications from the default seed, and
its whole 95 % interval (Student t) must lie inside the band the script gives
(with ``CASCADE_FULL_CALIBRATION=1``; the default run is smaller, see ``FULL``);
docs/SIMULATION.md, "StreamFlow calibration", lists the figures, what we
measured and which numbers are ours rather than the script's. Runs are
shortened where the scenario allows (the figure is reached well before the
scenario's end) and spread over the local cores.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from models.document import BoardDocument
from models.fileformat import load_path
from models.runs.executors import LocalPool
from models.runs.seeds import DEFAULT_SEED, replication_seeds
from models.runs.stats import Estimate, estimate
from models.simulation.engine import simulate

pytestmark = pytest.mark.slow

BOARD = Path(__file__).resolve().parents[2] / "resources" / "examples" / "streamflow-ai.cboard"

FULL = os.environ.get("CASCADE_FULL_CALIBRATION") == "1"
"""``CASCADE_FULL_CALIBRATION=1``: the claim itself, N = 10 and each figure's whole 95 % interval inside
its band (about 11 CPU-minutes). By default the suite runs a modest size that fits its 15-minute budget:
N = 3, and each figure's mean inside its band (the interval of 3 runs is too wide to say more)."""
N = 10 if FULL else 3
QUICK_WINS = ("llm-timeout-fallback", "circuit-breakers", "queue-limits")
ALL_NINE = (*QUICK_WINS, "gateway-engine-queue", "engine-llm-queue", "gradual-cache-invalidation",
            "profile-read-replicas", "vector-query-cache", "request-prioritization")
RUNS: dict[str, tuple[str, tuple[str, ...], float]] = {
    "off-peak": ("off-peak", (), 90.0),
    "peak": ("peak", (), 90.0),
    "peak, quick wins": ("peak", QUICK_WINS, 90.0),
    "peak, all nine": ("peak", ALL_NINE, 90.0),
    "llm-rate-limit": ("llm-rate-limit", (), 260.0),
    "llm-rate-limit, quick wins": ("llm-rate-limit", QUICK_WINS, 260.0),
    "cache-invalidation": ("cache-invalidation", (), 130.0),
    "retry-storm": ("retry-storm", (), 300.0),
}
"""name → (scenario, interventions, simulated seconds)."""
WINDOW_S = 30.0
"""The cache-invalidation figures compare the 30 s before the invalidation with the 30 s after it; the
retry storm's error share in the 30 s before its trigger with the rest of the trigger and the last minute."""


@lru_cache(maxsize=1)
def streamflow() -> BoardDocument:
    return load_path(BOARD)


def figures(job: tuple[str, tuple[str, ...], float, int]) -> dict[str, Any]:
    """One run reduced to the figures checked here (a top-level function: it runs in pool workers)."""
    scenario_id, interventions, duration_s, seed = job
    document = streamflow()
    result = simulate(document, scenario_id, interventions, seed, duration_s)
    engine = result.nodes["engine"]
    found: dict[str, Any] = {
        "p50": result.latency.p50_ms, "p99": result.latency.p99_ms, "mean": result.latency.mean_ms,
        "errors": result.error_rate, "engine_max_queue": engine.max_queue,
        "engine_rejected": engine.errors.get("rejected", 0), "cascade": [step.node for step in result.cascade],
        "recovered": None if result.recovery is None else result.recovery.recovered,
    }
    scenario = document.scenario(scenario_id)
    first = min((f.at_s for f in scenario.failures), default=0.0)
    last = max((f.at_s + f.duration_s for f in scenario.failures), default=0.0)
    if last > first + WINDOW_S:  # a failure that lasts (the retry storm's slow LLM)
        users = [row for row in result.series if row.kind == "users"]

        def error_share(start: float, end: float) -> float:
            window = [r for r in users if start < r.t <= end]
            return sum(r.errors for r in window) / sum(r.arrivals for r in window)

        found["errors_before"] = error_share(first - WINDOW_S, first)
        found["errors_during"] = error_share(first + WINDOW_S, last)
        found["errors_last_minute"] = error_share(duration_s - 60.0, duration_s)
    invalidations = [f.at_s for f in scenario.failures if f.kind == "cache_invalidation"]
    if invalidations:
        at = invalidations[0]
        rows = [row for row in result.series if row.kind == "node"]

        def window(node: str, field: str, start: float, end: float) -> list[float]:
            values = (getattr(row, field) for row in rows if row.id == node and start < row.t <= end)
            return [v for v in values if v is not None]

        found["hit_before"] = statistics.fmean(window("cache", "hit_ratio", at - WINDOW_S, at))
        found["hit_after"] = statistics.fmean(window("cache", "hit_ratio", at, at + WINDOW_S))
        found["vectordb_before"] = statistics.median(window("vectordb", "p50_ms", at - WINDOW_S, at))
        found["vectordb_after"] = statistics.median(window("vectordb", "p50_ms", at, at + WINDOW_S))
    return found


@pytest.fixture(scope="module")
def runs() -> dict[str, list[dict[str, Any]]]:
    seeds = replication_seeds(DEFAULT_SEED, N)
    jobs = [(*spec, seed) for spec in RUNS.values() for seed in seeds]
    with LocalPool() as pool:
        results = pool.map(figures, jobs)
    return {name: results[i * N:(i + 1) * N] for i, name in enumerate(RUNS)}


def ci(runs: Sequence[dict[str, Any]], key: str) -> Estimate:
    found = estimate(run[key] for run in runs)
    assert found.n == N
    assert found.half_width is not None
    return found


def low(found: Estimate) -> float:
    """The interval's low end (the mean alone at the default size; see ``FULL``)."""
    return found.mean - (found.half_width or 0.0) if FULL else found.mean


def high(found: Estimate) -> float:
    """The interval's high end (the mean alone at the default size; see ``FULL``)."""
    return found.mean + (found.half_width or 0.0) if FULL else found.mean


def within(found: Estimate, lowest: float, highest: float) -> bool:
    return lowest <= low(found) and high(found) <= highest


def test_off_peak_median_is_a_cache_hit_and_the_mean_between_150_and_300_ms(runs) -> None:
    p50, mean = ci(runs["off-peak"], "p50"), ci(runs["off-peak"], "mean")
    assert within(p50, 60.0, 90.0), p50  # the script's happy path: ~75 ms
    assert within(mean, 150.0, 300.0), mean


def test_peak_median_under_a_second_p99_over_two_seconds_errors_one_to_five_percent(runs) -> None:
    peak = runs["peak"]
    p50, p99, errors = ci(peak, "p50"), ci(peak, "p99"), ci(peak, "errors")
    assert high(p50) <= 1000.0, p50
    assert low(p99) > 2000.0, p99
    assert within(errors, 0.01, 0.05), errors


def test_llm_rate_limit_fills_the_engine_queue_to_1000_and_cascades_llm_engine_gateway(runs) -> None:
    for run in runs["llm-rate-limit"]:
        assert run["engine_max_queue"] == 1000
        assert run["engine_rejected"] > 0
        assert run["cascade"][:3] == ["llm", "engine", "gateway"]


def test_cache_invalidation_drops_the_hit_rate_and_slows_the_vector_db(runs) -> None:
    cache = runs["cache-invalidation"]
    assert within(ci(cache, "hit_before"), 0.75, 0.85), ci(cache, "hit_before")
    assert within(ci(cache, "hit_after"), 0.1, 0.3), ci(cache, "hit_after")
    assert within(ci(cache, "vectordb_before"), 150.0, 250.0), ci(cache, "vectordb_before")
    assert within(ci(cache, "vectordb_after"), 700.0, 1300.0), ci(cache, "vectordb_after")


@pytest.mark.xfail(strict=True, reason=(
    "conflict with the peak's figures (docs/SIMULATION.md, 'StreamFlow calibration'): the engine's 52 threads, "
    "which the peak's median needs, drain the retries soon after the LLM recovers; with 36 the storm stays down"))
def test_the_retry_storm_is_metastable(runs) -> None:
    storm = runs["retry-storm"]
    assert low(ci(storm, "errors_last_minute")) > 0.5, ci(storm, "errors_last_minute")


def test_the_retry_storm_fails_requests_while_its_trigger_lasts(runs) -> None:
    storm = runs["retry-storm"]
    before, during = ci(storm, "errors_before"), ci(storm, "errors_during")
    assert low(during) > 0.1, during
    assert low(during) > 3 * high(before), (during, before)


@pytest.mark.parametrize("scenario", ["peak", "llm-rate-limit"])
def test_the_three_quick_wins_remove_the_errors_and_halve_p99(runs, scenario) -> None:
    base, fixed = runs[scenario], runs[f"{scenario}, quick wins"]
    assert high(ci(fixed, "errors")) < 0.001, ci(fixed, "errors")
    assert high(ci(fixed, "p99")) <= low(ci(base, "p99")) / 2, (ci(fixed, "p99"), ci(base, "p99"))


def test_all_nine_meet_the_stakeholders_targets_at_peak(runs) -> None:
    fixed = runs["peak, all nine"]
    assert high(ci(fixed, "p50")) < 200.0, ci(fixed, "p50")
    assert high(ci(fixed, "errors")) < 0.001, ci(fixed, "errors")
    assert high(ci(fixed, "p99")) < 1000.0, ci(fixed, "p99")
