"""Queueing-theory formulas the engine is checked against."""

from __future__ import annotations

import math


def erlang_c(servers: int, offered: float) -> float:
    """Probability that an arrival waits in M/M/c (``offered`` = λ/μ)."""
    top = offered**servers / math.factorial(servers) * servers / (servers - offered)
    bottom = sum(offered**k / math.factorial(k) for k in range(servers)) + top
    return top / bottom


def mmc_wait(servers: int, arrival: float, service: float) -> float:
    """Mean wait in the queue of M/M/c (rates per second)."""
    return erlang_c(servers, arrival / service) / (servers * service - arrival)


def mm1k_blocking(rho: float, capacity: int) -> float:
    """Share of arrivals an M/M/1/K queue turns away (K in the system)."""
    if rho == 1.0:
        return 1.0 / (capacity + 1)
    return (1 - rho) * rho**capacity / (1 - rho ** (capacity + 1))


def cobham_waits(rates: list[float], mean_service: float) -> list[float]:
    """Mean queue waits of non-preemptive priority classes (highest first),
    exponential service with one mean (Cobham 1954)."""
    residual = sum(rate * 2 * mean_service**2 for rate in rates) / 2
    waits = []
    sigma = 0.0
    for rate in rates:
        before = sigma
        sigma += rate * mean_service
        waits.append(residual / ((1 - before) * (1 - sigma)))
    return waits
