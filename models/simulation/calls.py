"""A call over an edge at run time: condition, timeout, retries with backoff
and a budget, a circuit breaker, a fallback, an optional edge queue, and the
edge's counters.

Without a timeout the caller runs the callee's work inline (no extra SimPy
process); with one, the callee runs as its own process and goes on after the
caller gives up, so its work is counted as wasted. A caller that honours
deadlines propagates them: each attempt's timeout is at most the time left
before the caller's own caller gives up.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable, Generator
from typing import Any, cast

import simpy
from simpy.events import PENDING

from models.entities import Edge
from models.simulation.context import DEGRADED, FAIL, LOOKUP, Ctx, Outcome, Server
from models.simulation.distributions import sampler
from models.simulation.resilience import CLOSED, CircuitBreaker, RetryBudgetBucket, backoff_delays

CallGen = Generator[simpy.Event, Any, Outcome]


class Flow:
    """Runs a request's generator on SimPy events like a ``simpy.Process``, minus
    what nobody reads: no ``Initialize`` event to start it (it runs at once, up to
    its first ``yield``) and no event when it ends (its return value is dropped).

    Only for work nobody waits on, started at a moment when the ``Initialize``
    event a process would schedule is the next event the environment would take
    anyway (nothing else pending at the same time and urgency): then the order of
    events, and of random draws, is the same as with ``env.process``.
    """

    __slots__ = ("_send", "_throw")

    def __init__(self, generator: Generator[simpy.Event, Any, Any]) -> None:
        self._send = generator.send
        self._throw = generator.throw
        self._go(self._send, None)

    def _resume(self, event: simpy.Event) -> None:
        if event._ok:
            self._go(self._send, event._value)
        else:  # as a process does: the failure is handed to the generator, which may handle it
            event._defused = True
            self._go(self._throw, event._value)

    def _go(self, step: Callable[[Any], simpy.Event], value: Any) -> None:
        try:
            event = step(value)
            while event.callbacks is None:  # processed already: go on at once
                if event._ok:
                    event = self._send(event._value)
                else:
                    event._defused = True
                    event = self._throw(event._value)
        except StopIteration:
            return
        event.callbacks.append(self._resume)


class FirstOf(simpy.Event):
    """``work | timeout`` for a call with a timeout, without what a ``simpy.AnyOf`` builds and
    nobody reads (its value, the removal of its callbacks): triggered when the first of the two
    is processed, at the same moment and place in the event queue as the ``AnyOf`` would be, so
    the order of events and of random draws is unchanged. The other one, processed later, finds
    it triggered and does nothing."""

    __slots__ = ()

    def __init__(self, env: simpy.Environment, work: simpy.Event, timer: simpy.Event) -> None:
        self.env = env
        self.callbacks = []
        self._value = PENDING
        work.callbacks.append(self._first)  # (both are pending: just made)
        timer.callbacks.append(self._first)

    def _first(self, event: simpy.Event) -> None:
        if self._value is not PENDING:
            return
        if event._ok:
            self.succeed()
        else:  # as ``AnyOf`` does: a failed process fails the call
            event._defused = True
            self.fail(event._value)


class EdgeQueue:
    """A queue on an edge: calls wait in it (at most ``depth``), drained in
    order as fast as the callee's rate limit allows; calls whose caller has
    given up are dropped when they reach the head (the queue's timeout)."""

    def __init__(self, env: simpy.Environment, callee: Server, depth: int | None) -> None:
        self.env = env
        self.callee = callee
        self.depth = depth
        self.waiting: deque[tuple[Ctx, simpy.Event]] = deque()
        self.wake: simpy.Event | None = None
        self.dropped = 0
        self.max_waiting = 0
        env.process(self._drain())

    def full(self) -> bool:
        return self.depth is not None and len(self.waiting) >= self.depth

    def put(self, ctx: Ctx) -> simpy.Event:
        event = self.env.event()
        self.waiting.append((ctx, event))
        self.max_waiting = max(self.max_waiting, len(self.waiting))
        if self.wake is not None:
            self.wake.succeed()
            self.wake = None
        return event

    def _drain(self) -> Generator[simpy.Event, Any, None]:
        env = self.env
        while True:
            if not self.waiting:
                self.wake = env.event()
                yield self.wake
                continue
            ctx, event = self.waiting[0]
            if ctx.dead():
                self.waiting.popleft()
                self.dropped += 1
                event.succeed(False)
                continue
            limiter = self.callee.limiter
            if limiter is not None and not self.callee.down:
                wait = limiter.reserve(env.now)
                if wait > 0.0:
                    yield env.timeout(wait)
            self.waiting.popleft()
            event.succeed(True)


class CallRuntime:
    """One edge of a caller's plan."""

    def __init__(
        self,
        env: simpy.Environment,
        edge: Edge,
        caller: Server | None,
        callee: Server,
        rng: random.Random,
        queued: bool,
        queue_depth: int | None,
        on_breaker: Callable[[str, str, float], None],
    ) -> None:
        call = edge.call
        self.env = env
        self.id = edge.id
        self.edge = edge
        self.caller = caller
        self.callee = callee
        self.rng = rng
        self.condition = call.condition
        self.probability = call.probability
        self.priority = call.priority
        self.network_s = call.network_ms / 1000.0
        self.network = sampler(call.network, rng) if call.network is not None else None
        self.timeout_s = call.timeout_ms / 1000.0 if call.timeout_ms is not None else None
        self.max_attempts = call.retry.max_attempts
        self.delay = backoff_delays(call.retry, rng)
        self.base_s = call.retry.base_ms / 1000.0
        self.budget = RetryBudgetBucket(call.retry.budget) if call.retry.budget else None
        self.breaker = (
            CircuitBreaker(call.breaker, lambda state, now: on_breaker(edge.id, state, now)) if call.breaker else None
        )
        self.fallback_s = call.fallback.latency_ms / 1000.0 if call.fallback else None
        self.queue = EdgeQueue(env, callee, queue_depth) if queued else None
        self.pooled = caller is not None and caller.pool_size is not None
        self.deadlines = caller is not None and caller.deadlines
        self.partitioned = False
        self.error_p = 0.0
        self.spike = 1.0
        self.background = False
        """An entry call whose requests are background work (the scenario's ``background``, set by
        ``Users``): sent, but not recorded in the users' figures nor counted in flight."""
        # counters
        self.calls = 0
        self.attempts = 0
        self.succeeded = 0
        self.failed = 0
        self.timeouts = 0
        self.rate_limited = 0
        self.rejected = 0
        self.breaker_rejects = 0
        self.retries = 0
        self.fallbacks = 0
        self.simple = (
            self.timeout_s is None and self.max_attempts == 1 and self.breaker is None
            and self.fallback_s is None and self.queue is None and not self.pooled and self.network_s == 0.0
            and self.network is None and not self.deadlines
        )

    @property
    def breaker_state(self) -> str:
        return self.breaker.state if self.breaker is not None else "none"

    def plain(self) -> bool:
        """No resilience, network time or injected failure: the callee is served directly."""
        return self.simple and not self.partitioned and not self.error_p and self.spike == 1.0

    def applies(self, hit: bool | None) -> bool:
        """Does this call run, given the caller's cache lookup so far?"""
        condition = self.condition
        if condition == "cache_miss" and hit is not False:
            return False
        if condition == "cache_hit" and hit is not True:
            return False
        return self.probability >= 1.0 or self.rng.random() < self.probability

    def invoke(self, ctx: Ctx, priority: int = 0, op: int = LOOKUP) -> CallGen:
        """Make the call (with its retries and fallback); returns the outcome."""
        self.calls += 1
        if self.plain():
            self.attempts += 1
            result = yield from self.callee.serve(ctx, max(priority, self.priority), op)
            self.count(result)
            return result
        env = self.env
        if self.budget is not None:
            self.budget.deposit(env.now)
        attempt = 1
        previous = self.base_s
        while True:
            result = yield from self._attempt(ctx, max(priority, self.priority), op)
            cause = result[0]
            if cause is None or cause == "breaker_open" or attempt >= self.max_attempts or ctx.dead():
                break
            if self.budget is not None and not self.budget.withdraw(env.now):
                break
            wait = self.delay(attempt, previous)
            previous = wait
            attempt += 1
            self.retries += 1
            if wait > 0.0:
                yield env.timeout(wait)
        if result[0] is not None and self.fallback_s is not None:
            self.fallbacks += 1
            if self.fallback_s > 0.0:
                yield env.timeout(self.fallback_s)
            return DEGRADED
        return result

    def count(self, result: Outcome) -> None:
        cause = result[0]
        if cause is None:
            self.succeeded += 1
            return
        self.failed += 1
        if cause == "429":
            self.rate_limited += 1
        elif cause == "rejected":
            self.rejected += 1
        elif cause == "timeout":
            self.timeouts += 1
        elif cause == "breaker_open":
            self.breaker_rejects += 1

    def _attempt(self, ctx: Ctx, priority: int, op: int) -> CallGen:
        env = self.env
        self.attempts += 1
        breaker = self.breaker
        if breaker is not None and not breaker.allow(env.now):
            result = FAIL["breaker_open"]
            self.count(result)
            return result
        connection = None
        if self.pooled:
            assert self.caller is not None
            connection = self.caller.take_connection()
            if connection is not None:
                yield connection
        try:
            result = yield from self._exchange(ctx, priority, op)
        finally:
            if self.pooled:
                assert self.caller is not None
                self.caller.give_connection()
        if breaker is not None:
            breaker.record(result[0] is not None, env.now)
        self.count(result)
        return result

    def _exchange(self, ctx: Ctx, priority: int, op: int) -> CallGen:
        env = self.env
        if self.error_p and self.rng.random() < self.error_p:
            return FAIL["error"]
        if self.partitioned:
            if self.timeout_s is None:
                return FAIL["unreachable"]
            yield env.timeout(self.timeout_s)
            return FAIL["timeout"]
        timeout_s = self.timeout_s
        if self.deadlines:
            left = ctx.deadline - env.now
            if left <= 0.0:
                return FAIL["expired"]
            if left < math.inf and (timeout_s is None or left < timeout_s):
                timeout_s = left
        network = (self.network() if self.network is not None else self.network_s) * self.spike
        if timeout_s is None:
            if network:
                yield env.timeout(network)
            if self.queue is None:
                return (yield from self.callee.serve(ctx, priority, op))
            done: Outcome = yield env.process(self._deliver(Ctx(ctx), priority, op))
            return done
        # the timeout covers the network time too
        child = Ctx(ctx, env.now + timeout_s)
        work = env.process(self._deliver(child, priority, op, network))
        yield FirstOf(env, work, env.timeout(timeout_s))
        if work.is_alive:
            child.gone = True
            return FAIL["timeout"]
        return cast(Outcome, work.value)

    def _deliver(self, ctx: Ctx, priority: int, op: int, network_s: float = 0.0) -> CallGen:
        if network_s:
            yield self.env.timeout(network_s)
        queue = self.queue
        if queue is None:
            return (yield from self.callee.serve(ctx, priority, op))
        if queue.full():
            return FAIL["rejected"]
        sent: bool = yield queue.put(ctx)
        if not sent:
            return FAIL["timeout"]
        return (yield from self.callee.serve(ctx, priority, op, admitted=True))


__all__ = ["CLOSED", "CallRuntime", "EdgeQueue", "Flow"]
