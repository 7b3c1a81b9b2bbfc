"""The key-level cache (issue 11, "Engine fidelity"): Zipf popularity, LRU
capacity, TTL with jitter, refill when the recompute finishes, coalescing.

The stampede check follows Vattani et al. (VLDB 2015): a hot key asked λ
times a second whose recompute takes δ seconds costs, per expiry, the first
miss plus every request that arrives before the recompute fills it, about
1 + λδ recomputes; with coalescing, exactly 1.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from models.simulation import Simulation
from models.simulation.cache import ZipfKeys
from tests.models.simulation.boards import board, constant


def keyed_node(cache: dict[str, object], miss_ms: float) -> dict[str, object]:
    """A node that looks its own cache up and recomputes a miss in ``miss_ms``."""
    return {
        "workers": 100_000, "service_time": constant(0.0), "miss_work": constant(miss_ms),
        "cache": {"model": "keys", **cache},
    }


@pytest.mark.parametrize(("rate", "recompute_ms"), [(100.0, 100.0), (50.0, 40.0)])
def test_a_hot_key_expiry_costs_about_one_plus_lambda_delta_recomputes(rate, recompute_ms):
    document = board({"api": keyed_node({"key_space": 1, "ttl_s": 2.0}, recompute_ms)}, rate=rate,
                     duration_s=600.0)
    cache = Simulation(document, "s", seed=21).result().nodes["api"].cache
    assert cache is not None
    expected = 1.0 + rate * recompute_ms / 1000.0
    # ~280 and ~290 expiries, Poisson(λδ) extra each: 6 % is over three standard errors
    assert cache.recomputes_per_wave == pytest.approx(expected, rel=0.06)


def test_coalescing_makes_an_expiry_cost_one_recompute():
    document = board({"api": keyed_node({"key_space": 1, "ttl_s": 2.0, "coalescing": True}, 100.0)}, rate=100.0,
                     duration_s=300.0)
    result = Simulation(document, "s", seed=21).result()
    cache = result.nodes["api"].cache
    assert cache is not None
    assert cache.recomputes_per_wave == 1.0
    assert result.failed == 0


def test_a_miss_during_a_recompute_is_a_miss():
    # one key, recomputed in 1 s, asked 20 times a second, never expiring: the first second's
    # requests all miss, every later one hits
    document = board({"api": keyed_node({"key_space": 1, "warm_start": False}, 1000.0)}, rate=20.0,
                     duration_s=100.0)
    simulation = Simulation(document, "s", seed=5)
    rows = simulation.recorder.node_series["api"]
    simulation.result()
    assert rows[0].cache_hit_ratio == 0.0
    assert all(row.cache_hit_ratio == 1.0 for row in rows[2:] if row.cache_hit_ratio is not None)
    cache = simulation.result().nodes["api"].cache
    assert cache is not None
    assert cache.recomputes == pytest.approx(20, abs=12)


def test_ttl_sets_the_hit_ratio_of_one_key():
    # each expiry costs one miss, then the key waits on average 1/λ for its next request:
    # hit ratio 1 − 1 / (λ T + 1)
    rate, ttl = 20.0, 1.0
    document = board({"api": keyed_node({"key_space": 1, "ttl_s": ttl}, 0.0)}, rate=rate, duration_s=800.0)
    cache = Simulation(document, "s", seed=8).result().nodes["api"].cache
    assert cache is not None
    assert cache.hit_ratio == pytest.approx(1.0 - 1.0 / (rate * ttl + 1.0), abs=0.01)


@pytest.mark.parametrize("capacity", [1, 2, 3])
def test_lru_capacity_sets_the_hit_ratio_under_uniform_popularity(capacity):
    # independent uniform requests over n keys: an LRU of c entries hits c / n of them
    document = board({"api": keyed_node({"key_space": 4, "zipf_s": 0.0, "capacity": capacity}, 0.0)},
                     rate=50.0, duration_s=400.0)
    cache = Simulation(document, "s", seed=9).result().nodes["api"].cache
    assert cache is not None
    assert cache.hit_ratio == pytest.approx(capacity / 4, abs=0.02)


def test_ttl_jitter_spreads_expiries_around_the_ttl():
    cache = {"key_space": 1_000, "zipf_s": 0.0, "ttl_s": 10.0, "ttl_jitter": 0.5, "warm_start": False}
    document = board({"api": keyed_node(cache, 0.0)}, rate=200.0, duration_s=3.0)
    simulation = Simulation(document, "s", seed=4)
    simulation.result()
    store = simulation.runtime.nodes["api"].cache.store  # type: ignore[union-attr]
    lifetimes = [expiry - 3.0 for expiry in store.values()]
    assert min(lifetimes) >= 10.0 * 0.5 - 3.0
    assert max(lifetimes) <= 10.0 * 1.5
    assert max(lifetimes) - min(lifetimes) > 6.0  # spread, not one wall of expiries


@pytest.mark.parametrize(("n", "exponent"), [(5, 1.2), (10, 1.0), (3, 0.0)])
def test_zipf_keys_follow_the_power_law(n, exponent):
    keys = ZipfKeys(n, exponent, random.Random(3))
    draws = 60_000
    counts = Counter(keys.draw() for _ in range(draws))
    weights = [(k + 1) ** -exponent for k in range(n)]
    total = sum(weights)
    for k in range(n):
        assert counts[k] / draws == pytest.approx(weights[k] / total, abs=0.01)


def test_zipf_keys_cost_no_memory_for_a_huge_key_space():
    keys = ZipfKeys(1_000_000_000, 0.9, random.Random(1))
    draws = [keys.draw() for _ in range(2_000)]
    assert all(0 <= k < 1_000_000_000 for k in draws)
    assert draws.count(0) > 20  # the hottest key stands out


def test_an_invalidation_empties_a_key_cache_and_recomputes_refill_it():
    failure = {"kind": "cache_invalidation", "target": "api", "at_s": 50.0}
    from models.params import FailureInjection

    document = board({"api": keyed_node({"key_space": 50, "zipf_s": 0.0, "hit_ratio": 0.8,
                                         "invalidated_hit_ratio": 0.0}, 200.0)},
                     rate=100.0, duration_s=100.0, failures=(FailureInjection(**failure),))
    simulation = Simulation(document, "s", seed=2)
    simulation.result()
    ratios = [row.cache_hit_ratio for row in simulation.recorder.node_series["api"]]
    assert ratios[48] > 0.95
    assert ratios[50] < 0.5  # every entry dropped at 50 s
    assert ratios[60] > 0.95  # refilled by the recomputes


def test_a_warm_cache_starts_with_its_popular_keys_and_a_cold_one_empty():
    def first_second(warm: bool) -> float | None:
        cache = {"key_space": 100_000, "zipf_s": 1.0, "capacity": 5_000, "ttl_s": 600.0, "warm_start": warm}
        simulation = Simulation(board({"api": keyed_node(cache, 50.0)}, rate=200.0, duration_s=2.0), "s", seed=1)
        simulation.result()
        return simulation.recorder.node_series["api"][0].cache_hit_ratio

    warm, cold = first_second(True), first_second(False)
    assert warm is not None
    assert cold is not None
    assert warm > 0.6  # the 5,000 hottest of 100,000 Zipf(1) keys take ~ 0.7 of the lookups
    assert cold < 0.35  # only what the first recomputes filled


def test_existing_boards_keep_the_ratio_model_and_save_without_the_new_fields():
    from models.params import CacheParams

    assert CacheParams().model == "ratio"
    assert set(CacheParams().model_dump(mode="json")) == {
        "hit_ratio", "invalidated_hit_ratio", "refill_misses", "coalescing", "key_space", "store_ms"}
    keyed = CacheParams(model="keys", ttl_s=5.0)
    assert keyed.model_dump(mode="json")["ttl_s"] == 5.0
    assert CacheParams.model_validate(keyed.model_dump(mode="json")) == keyed
