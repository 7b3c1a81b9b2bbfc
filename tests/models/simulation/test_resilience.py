"""Token buckets, retries with backoff and budgets, and circuit breakers."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.params import BREAKER_PRESETS, RetryBudget, RetryPolicy
from models.simulation import Simulation
from models.simulation.resilience import (
    CLOSED,
    HALF_OPEN,
    OPEN,
    CircuitBreaker,
    RetryBudgetBucket,
    TokenBucket,
    backoff_delays,
)
from models.simulation.result import EdgeStats
from tests.models.simulation.boards import board, constant

# --- token bucket -------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    rate=st.floats(0.5, 200.0),
    burst=st.integers(1, 50),
    gaps=st.lists(st.floats(0.0, 0.2), min_size=1, max_size=400),
)
def test_token_bucket_admits_at_most_burst_plus_rate_times_t(rate: float, burst: int, gaps: list[float]) -> None:
    bucket = TokenBucket(rate, burst)
    now = 0.0
    admitted = 0
    for gap in gaps:
        now += gap
        admitted += bucket.take(now)
        assert admitted <= burst + rate * now + 1e-9


def test_token_bucket_long_run_rate_equals_the_limit() -> None:
    document = board(
        {"api": {"workers": 1000, "service_time": constant(1.0), "rate_limit": {"rate_per_s": 50.0, "burst": 20}}},
        rate=150.0, duration_s=400.0, warmup_s=20.0,
    )
    result = Simulation(document, "s", seed=4).result()
    node = result.nodes["api"]
    admitted_per_s = node.completions / (400.0 - 20.0)
    assert admitted_per_s == pytest.approx(50.0, rel=0.01)
    assert node.errors["429"] == pytest.approx(node.arrivals * 2 / 3, rel=0.02)


def test_reserving_tokens_queues_callers_at_the_rate() -> None:
    bucket = TokenBucket(10.0, 1)
    waits = [bucket.reserve(0.0) for _ in range(5)]
    assert waits == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])


# --- retries ------------------------------------------------------------------


@pytest.mark.parametrize(("failure", "retries"), [(0.3, 3), (0.5, 2), (0.1, 1)])
def test_attempts_per_call_match_the_geometric_sum(failure: float, retries: int) -> None:
    document = board(
        {
            "client": {"workers": 10_000, "service_time": constant(0.0)},
            "server": {"workers": 10_000, "service_time": constant(1.0), "error_rate": failure},
        },
        [("client", "server", {"retry": {"max_attempts": retries + 1}})],
        rate=200.0, duration_s=150.0,
    )
    result = Simulation(document, "s", seed=5).result()
    edge = result.edges["e-client-server"]
    attempts = (edge.calls + edge.retries) / edge.calls
    assert attempts == pytest.approx((1 - failure ** (retries + 1)) / (1 - failure), rel=0.01)
    failed_attempts = edge.calls + edge.retries - result.nodes["server"].completions
    assert edge.errors == pytest.approx(failed_attempts, abs=5)  # the edge counts failed attempts
    # what still fails after every retry
    final = result.nodes["client"].errors.get("error", 0) / edge.calls
    assert final == pytest.approx(failure ** (retries + 1), rel=0.1, abs=0.002)


def test_backoff_policies() -> None:
    rng = random.Random(1)
    exponential = backoff_delays(RetryPolicy(max_attempts=5, backoff="exponential", base_ms=100, cap_ms=300), rng)
    assert [exponential(n, 0.0) for n in (1, 2, 3, 4)] == pytest.approx([0.1, 0.2, 0.3, 0.3])
    fixed = backoff_delays(RetryPolicy(backoff="fixed", base_ms=250), rng)
    assert fixed(3, 0.0) == pytest.approx(0.25)
    full = backoff_delays(RetryPolicy(backoff="exponential", base_ms=100, jitter="full"), rng)
    assert all(0.0 <= full(3, 0.0) <= 0.4 for _ in range(200))
    equal = backoff_delays(RetryPolicy(backoff="exponential", base_ms=100, jitter="equal"), rng)
    assert all(0.2 <= equal(3, 0.0) <= 0.4 for _ in range(200))
    policy = RetryPolicy(backoff="exponential", base_ms=100, cap_ms=1000, jitter="decorrelated")
    decorrelated = backoff_delays(policy, rng)
    assert all(0.1 <= decorrelated(2, 0.5) <= 1.0 for _ in range(200))
    assert backoff_delays(RetryPolicy(), rng)(1, 0.0) == 0.0


def test_retry_budget_limits_retries_to_its_share() -> None:
    budget = RetryBudgetBucket(RetryBudget(ratio=0.1, min_per_s=0.0))
    budget.tokens = 0.0
    allowed = 0
    for i in range(10_000):
        budget.deposit(i * 0.001)
        allowed += budget.withdraw(i * 0.001)
    assert allowed == pytest.approx(1000, abs=2)


def test_retry_budget_caps_a_retry_storm() -> None:
    def run(budget: dict[str, float] | None) -> EdgeStats:
        retry = {"max_attempts": 4, **({"budget": budget} if budget else {})}
        document = board(
            {
                "client": {"workers": 10_000, "service_time": constant(0.0)},
                "server": {"workers": 10_000, "service_time": constant(1.0), "error_rate": 0.9},
            },
            [("client", "server", {"retry": retry})],
            rate=100.0, duration_s=100.0,
        )
        return Simulation(document, "s", seed=6).result().edges["e-client-server"]

    unbounded = run(None)
    budgeted = run({"ratio": 0.2, "min_per_s": 1.0})
    assert unbounded.retries / unbounded.calls > 2.3  # 0.9 + 0.81 + 0.729
    assert budgeted.retries / budgeted.calls < 0.35


# --- circuit breaker ------------------------------------------------------------


def test_breaker_opens_at_the_threshold_only_after_the_minimum_calls() -> None:
    breaker = CircuitBreaker(BREAKER_PRESETS["resilience4j"])
    for _ in range(99):
        assert breaker.allow(0.0)
        breaker.record(True, 0.0)
    assert breaker.state == CLOSED  # 99 failures, but fewer than 100 calls
    breaker.record(True, 0.0)
    assert breaker.state == OPEN


def test_breaker_stays_closed_below_the_threshold() -> None:
    breaker = CircuitBreaker(BREAKER_PRESETS["resilience4j"])
    for i in range(100):
        breaker.record(i >= 51, float(i))  # 51 successes, then 49 failures
    assert breaker.state == CLOSED
    breaker.record(True, 100.0)  # the window slides past a success: 50 of the last 100 fail
    assert breaker.state == OPEN


def test_breaker_rejects_while_open_then_probes_decide() -> None:
    events: list[str] = []
    breaker = CircuitBreaker(BREAKER_PRESETS["resilience4j"], lambda state, now: events.append(state))
    for _ in range(100):
        breaker.record(True, 0.0)
    assert not breaker.allow(30.0)
    assert not breaker.allow(59.9)
    assert breaker.allow(60.0)
    assert breaker.state == HALF_OPEN
    assert all(breaker.allow(60.0) for _ in range(9))  # ten probes in all
    assert not breaker.allow(60.0)
    for i in range(10):
        breaker.record(i < 5, 61.0)  # half the probes fail: open again
    assert breaker.state == OPEN
    assert breaker.allow(121.0)
    for _ in range(9):
        breaker.allow(121.0)
    for i in range(10):
        breaker.record(i < 4, 122.0)  # 40 % fail: closed
    assert breaker.state == CLOSED
    assert events == [OPEN, HALF_OPEN, OPEN, HALF_OPEN, CLOSED]


@settings(max_examples=40, deadline=None)
@given(outcomes=st.lists(st.booleans(), max_size=600), probes=st.integers(1, 20))
def test_breaker_never_lets_more_than_the_probes_through_half_open(outcomes: list[bool], probes: int) -> None:
    policy = BREAKER_PRESETS["hystrix"].model_copy(update={"half_open_probes": probes})
    breaker = CircuitBreaker(policy)
    now = 0.0
    out = 0
    for failed in outcomes:
        now += 0.5
        state = breaker.state
        if breaker.allow(now):
            if breaker.state == HALF_OPEN:
                out += 1
                assert out <= probes
            breaker.record(failed, now)
        if state != HALF_OPEN and breaker.state == HALF_OPEN:
            out = 1 if breaker.probes_out else 0
        if breaker.state != HALF_OPEN:
            out = 0


def test_breaker_in_a_run_opens_and_sheds_calls_to_a_failing_callee() -> None:
    document = board(
        {
            "client": {"workers": 10_000, "service_time": constant(0.0)},
            "server": {"workers": 10_000, "service_time": constant(5.0), "error_rate": 0.8},
        },
        [("client", "server", {"breaker": BREAKER_PRESETS["resilience4j"].model_dump(),
                               "fallback": {"latency_ms": 1.0}})],
        rate=50.0, duration_s=200.0,
    )
    result = Simulation(document, "s", seed=7).result()
    edge = result.edges["e-client-server"]
    assert edge.breaker_opened >= 2
    assert edge.breaker_rejects > 0.5 * edge.calls
    assert result.failed == 0  # the fallback answers
    assert result.degraded > 0
    kinds = [e.kind for e in result.events]
    assert "breaker_open" in kinds
    assert "breaker_half_open" in kinds
