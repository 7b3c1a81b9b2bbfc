"""Mean ± Student-t confidence half-width over independent replications.

SciPy is not a dependency of the program, and one function of it is all this
needs, so the t quantile is computed here exactly: the Student t distribution
function for a whole number of degrees of freedom has a closed form
(Abramowitz & Stegun 26.7.3 and 26.7.4), inverted by bisection to full float
precision.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

CONFIDENCE = 0.95
"""The confidence level of every interval the program prints."""
_BISECTION_STEPS = 200


def t_coverage(t: float, df: int) -> float:
    """P(|T| ≤ t) for Student's t with ``df`` degrees of freedom (``t`` ≥ 0)."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be 1 or more, not {df}")
    theta = math.atan(t / math.sqrt(df))
    sin, cos = math.sin(theta), math.cos(theta)
    cos2 = cos * cos
    if df % 2 == 1:
        if df == 1:
            return 2.0 * theta / math.pi
        term, total = cos, cos
        for k in range(3, df, 2):  # cos^k θ · (2·4···(k-1)) / (1·3···k)
            term *= cos2 * (k - 1) / k
            total += term
        return 2.0 / math.pi * (theta + sin * total)
    term, total = 1.0, 1.0
    for k in range(2, df, 2):  # cos^k θ · (1·3···(k-1)) / (2·4···k)
        term *= cos2 * (k - 1) / k
        total += term
    return sin * total


@lru_cache(maxsize=256)
def t_quantile(probability: float, df: int) -> float:
    """The ``probability`` quantile (0.5 < p < 1) of Student's t with ``df``
    degrees of freedom: ``t_quantile(0.975, 9)`` is 2.262..."""
    if not 0.5 < probability < 1.0:
        raise ValueError(f"the quantile's probability must lie between 0.5 and 1, not {probability}")
    coverage = 2.0 * probability - 1.0
    low, high = 0.0, math.pi / 2.0  # bisect on θ = atan(t / √df), a bounded interval
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2.0
        if middle in (low, high):
            break
        if t_coverage(math.sqrt(df) * math.tan(middle), df) < coverage:
            low = middle
        else:
            high = middle
    return math.sqrt(df) * math.tan((low + high) / 2.0)


@dataclass(frozen=True)
class Estimate:
    """The mean of ``n`` replications and the half-width of its confidence
    interval (``None`` with fewer than two values: no interval exists)."""

    mean: float
    half_width: float | None
    n: int

    @property
    def relative_half_width(self) -> float | None:
        """Half-width over |mean|; 0 when every value was 0, ``None`` without an interval."""
        if self.half_width is None:
            return None
        if self.mean == 0.0:
            return 0.0 if self.half_width == 0.0 else math.inf
        return self.half_width / abs(self.mean)

    def to_dict(self) -> dict[str, float | int | None]:
        return {"mean": self.mean, "half_width": self.half_width, "n": self.n}


def estimate(values: Iterable[float], confidence: float = CONFIDENCE) -> Estimate:
    """Mean ± Student-t half-width of independent values (at least one)."""
    data = [float(v) for v in values]
    n = len(data)
    if n == 0:
        raise ValueError("an estimate needs at least one value")
    mean = math.fsum(data) / n
    if n == 1:
        return Estimate(mean, None, 1)
    variance = math.fsum((v - mean) ** 2 for v in data) / (n - 1)
    half_width = t_quantile((1.0 + confidence) / 2.0, n - 1) * math.sqrt(variance / n)
    return Estimate(mean, half_width, n)
