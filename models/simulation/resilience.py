"""Rate limiters, retry backoff and budgets, and circuit breakers.

Each is a small state machine driven by the simulated time passed in, so it
can be tested without SimPy.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable

from models.params import BreakerPolicy, RetryBudget, RetryPolicy

BUDGET_WINDOW_S = 10.0
"""A retry budget holds at most this many seconds' worth of its minimum rate
plus as many deposits (Finagle's RetryBudget uses a 10 s window)."""


class TokenBucket:
    """``rate`` tokens a second, at most ``burst`` saved; starts full."""

    __slots__ = ("burst", "last", "rate", "tokens")

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.tokens = float(burst)
        self.last = 0.0

    def _refill(self, now: float) -> None:
        tokens = self.tokens + (now - self.last) * self.rate
        self.tokens = tokens if tokens < self.burst else self.burst
        self.last = now

    def take(self, now: float) -> bool:
        """Take a token if one is there (a request admitted), else refuse."""
        self._refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def reserve(self, now: float) -> float:
        """Reserve the next token and return how long to wait for it.

        Tokens may go negative: callers queue behind each other in order
        (a queue in front of a rate-limited service drains at its rate).
        """
        self._refill(now)
        self.tokens -= 1.0
        return 0.0 if self.tokens >= 0.0 else -self.tokens / self.rate

    def set_rate(self, now: float, rate: float) -> None:
        self._refill(now)
        self.rate = rate


class RetryBudgetBucket:
    """Retries allowed as a share of calls plus a minimum rate (a token bucket)."""

    __slots__ = ("cap", "last", "min_per_s", "ratio", "tokens")

    def __init__(self, budget: RetryBudget) -> None:
        self.ratio = budget.ratio
        self.min_per_s = budget.min_per_s
        self.cap = max(1.0, BUDGET_WINDOW_S * budget.min_per_s + BUDGET_WINDOW_S * 10.0 * budget.ratio)
        self.tokens = self.cap
        self.last = 0.0

    def deposit(self, now: float) -> None:
        """A first attempt was made."""
        tokens = self.tokens + (now - self.last) * self.min_per_s + self.ratio
        self.tokens = min(self.cap, tokens)
        self.last = now

    def withdraw(self, now: float) -> bool:
        """May a retry go out now?"""
        self.tokens = min(self.cap, self.tokens + (now - self.last) * self.min_per_s)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


def backoff_delays(policy: RetryPolicy, rng: random.Random) -> Callable[[int, float], float]:
    """``delay(retry, previous)``: seconds to wait before retry number ``retry``
    (1 for the first retry); ``previous`` is the delay before the last one."""
    base = policy.base_ms / 1000.0
    cap = policy.cap_ms / 1000.0
    multiplier = policy.multiplier
    backoff = policy.backoff
    jitter = policy.jitter

    def delay(retry: int, previous: float) -> float:
        if backoff == "none":
            return 0.0
        raw = base if backoff == "fixed" else base * multiplier ** (retry - 1)
        raw = min(cap, raw)
        if jitter == "full":
            return rng.uniform(0.0, raw)
        if jitter == "equal":
            return raw / 2.0 + rng.uniform(0.0, raw / 2.0)
        if jitter == "decorrelated":
            return min(cap, rng.uniform(base, max(base, previous * 3.0)))
        return raw

    return delay


CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


class CircuitBreaker:
    """A count-window breaker (resilience4j semantics).

    Closed: outcomes go into a window of the last ``window`` calls; once at
    least ``minimum_calls`` are recorded and the failure share reaches the
    threshold, it opens. Open: every call is refused until ``open_s`` has
    passed, then it is half-open. Half-open: ``half_open_probes`` calls are
    let through; when all have answered, their failure share decides between
    open again and closed (with an empty window).
    """

    __slots__ = (
        "failures", "listener", "minimum", "open_s", "opened_at", "outcomes", "probe_failures",
        "probe_results", "probes", "probes_out", "state", "threshold",
    )

    def __init__(self, policy: BreakerPolicy, listener: Callable[[str, float], None] | None = None) -> None:
        self.threshold = policy.failure_rate_threshold
        self.outcomes: deque[bool] = deque(maxlen=policy.window)
        self.minimum = min(policy.minimum_calls, policy.window)
        self.open_s = policy.open_s
        self.probes = policy.half_open_probes
        self.state = CLOSED
        self.failures = 0
        self.opened_at = 0.0
        self.probes_out = 0
        self.probe_results = 0
        self.probe_failures = 0
        self.listener = listener

    def _set(self, state: str, now: float) -> None:
        self.state = state
        if self.listener is not None:
            self.listener(state, now)

    def allow(self, now: float) -> bool:
        """May a call go out now? (Half-open calls beyond the probes are refused.)"""
        state = self.state
        if state == CLOSED:
            return True
        if state == OPEN:
            if now - self.opened_at < self.open_s:
                return False
            self.probes_out = self.probe_results = self.probe_failures = 0
            self._set(HALF_OPEN, now)
        if self.probes_out < self.probes:
            self.probes_out += 1
            return True
        return False

    def record(self, failed: bool, now: float) -> None:
        """The outcome of a call that ``allow`` let through."""
        if self.state == CLOSED:
            outcomes = self.outcomes
            if len(outcomes) == outcomes.maxlen and outcomes[0]:
                self.failures -= 1
            outcomes.append(failed)
            if failed:
                self.failures += 1
            if len(outcomes) >= self.minimum and self.failures >= self.threshold * len(outcomes):
                self._open(now)
        elif self.state == HALF_OPEN:
            self.probe_results += 1
            self.probe_failures += failed
            if self.probe_results >= self.probes:
                if self.probe_failures >= self.threshold * self.probe_results:
                    self._open(now)
                else:
                    self.outcomes.clear()
                    self.failures = 0
                    self._set(CLOSED, now)
        # answers arriving while open (calls let through before it opened) are ignored

    def _open(self, now: float) -> None:
        self.opened_at = now
        self._set(OPEN, now)
