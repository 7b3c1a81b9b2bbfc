"""Service-time samplers: a ``Distribution`` becomes a function of no
arguments returning seconds, drawing from its own seeded stream."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from models.params import Distribution

Sampler = Callable[[], float]


def sampler(distribution: Distribution, rng: random.Random) -> Sampler:
    """A sampler of ``distribution`` in seconds (the parameters are in ms)."""
    mean = distribution.mean_ms / 1000.0
    kind = distribution.kind
    if kind == "constant" or mean <= 0.0:
        return lambda: mean
    if kind == "exponential":
        rate = 1.0 / mean
        expovariate = rng.expovariate
        return lambda: expovariate(rate)
    if kind == "lognormal":
        if distribution.cv <= 0.0:
            return lambda: mean
        sigma2 = math.log1p(distribution.cv**2)
        mu = math.log(mean) - sigma2 / 2.0
        sigma = math.sqrt(sigma2)
        lognormvariate = rng.lognormvariate
        return lambda: lognormvariate(mu, sigma)
    low = (distribution.low_ms if distribution.low_ms is not None else 0.0) / 1000.0
    high = (distribution.high_ms if distribution.high_ms is not None else 2 * distribution.mean_ms) / 1000.0
    uniform = rng.uniform
    return lambda: uniform(low, high)
