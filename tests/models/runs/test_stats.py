"""The Student-t intervals against published values, and their coverage."""

from __future__ import annotations

import math
import random

import pytest

from models.runs.stats import estimate, t_coverage, t_quantile

# two-sided 95 % critical values t(0.975, df), from any statistics table (R: qt(0.975, df))
T_975 = {1: 12.706204736, 2: 4.302652730, 3: 3.182446305, 4: 2.776445105, 5: 2.570581836, 9: 2.262157163,
         10: 2.228138852, 19: 2.093024054, 29: 2.045229642, 30: 2.042272456, 100: 1.983971519, 1000: 1.962339081}


@pytest.mark.parametrize(("df", "expected"), sorted(T_975.items()))
def test_t_quantile_matches_the_table(df: int, expected: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-8)


def test_other_quantiles_and_the_distribution_function() -> None:
    assert t_quantile(0.995, 4) == pytest.approx(4.604094871, abs=1e-8)
    assert t_quantile(0.95, 5) == pytest.approx(2.015048373, abs=1e-8)
    assert t_coverage(0.0, 7) == 0.0
    assert t_coverage(1.0, 1) == pytest.approx(0.5)  # Cauchy: P(|T| ≤ 1) = 1/2
    assert t_coverage(t_quantile(0.975, 12), 12) == pytest.approx(0.95, abs=1e-12)
    with pytest.raises(ValueError, match=r"between 0\.5 and 1"):
        t_quantile(0.4, 3)


def test_estimate_of_known_values() -> None:
    found = estimate([1.0, 2.0, 3.0, 4.0, 5.0])
    assert found.mean == 3.0
    assert found.n == 5
    assert found.half_width == pytest.approx(2.776445105 * math.sqrt(2.5) / math.sqrt(5), abs=1e-8)
    assert found.relative_half_width == pytest.approx(found.half_width / 3.0)


def test_one_value_has_no_interval_and_constant_values_a_zero_one() -> None:
    assert estimate([4.0]).half_width is None
    assert estimate([4.0]).relative_half_width is None
    zeros = estimate([0.0, 0.0, 0.0])
    assert (zeros.half_width, zeros.relative_half_width) == (0.0, 0.0)
    with pytest.raises(ValueError, match="at least one"):
        estimate([])


def test_intervals_cover_the_true_mean_95_percent_of_the_time() -> None:
    stream = random.Random(11)
    trials = 4000
    covered = 0
    for _ in range(trials):
        found = estimate([stream.gauss(10.0, 3.0) for _ in range(4)])
        assert found.half_width is not None
        covered += abs(found.mean - 10.0) <= found.half_width
    assert 0.94 <= covered / trials <= 0.96  # binomial sd 0.0034 around 0.95
