"""The users: open-loop Poisson arrivals or closed-loop users with think time,
who give up after their timeout and may retry a failed request. Each request
goes to one entry call, picked by the calls' ``weight`` (the traffic mix; a
scenario's ``mix`` sets those weights when the entries are built, and an entry
weighed 0 is not built, see ``models.simulation.build``)."""

from __future__ import annotations

import bisect
import itertools
import random
from collections import deque
from collections.abc import Callable, Generator, Set
from typing import Any

import simpy

from models.params import UserBehaviour
from models.simulation.calls import CallRuntime, Flow
from models.simulation.context import Ctx, after
from models.simulation.traffic import Traffic

Recorder = Callable[[float, float, str], None]
"""``record(start, latency_s, outcome)``, outcome ``ok`` / ``degraded`` / ``failed``."""


class Attempt(Ctx):
    """One request a user sent (a retry is a new attempt)."""

    __slots__ = ("entry", "finished", "retry", "start", "waiter")

    def __init__(self, start: float, deadline: float, entry: CallRuntime, retry: int) -> None:
        # Ctx(None, deadline), inlined: one call less per request
        self.gone = False
        self.parent = None
        self.deadline = deadline
        self.start = start
        self.entry = entry
        self.retry = retry
        self.finished = False
        self.waiter: simpy.Event | None = None


class Users:
    """Sends the scenario's requests into the entry calls."""

    def __init__(
        self, env: simpy.Environment, traffic: Traffic, behaviour: UserBehaviour, entries: list[CallRuntime],
        rng: random.Random, retry_rng: random.Random, record: Recorder, background: Set[str] = frozenset(),
    ) -> None:
        self.env = env
        self.traffic = traffic
        self.behaviour = behaviour
        self.entries = entries
        self.rng = rng
        self.retry_rng = retry_rng
        self.record = record
        for entry in entries:
            entry.background = entry.edge.id in background
        self.timeout_s = behaviour.timeout_s
        self.watched: deque[Attempt] = deque()
        self.wake: simpy.Event | None = None
        self.sent = 0
        self.in_flight = 0
        weights = [entry.edge.call.weight for entry in entries]
        self.mix: list[float] | None = list(itertools.accumulate(weights)) if len(set(weights)) > 1 else None
        """Cumulative entry weights, or None when every entry is as likely."""
        env.process(self._watchdog())
        if traffic.profile.closed_users > 0:
            for _ in range(traffic.profile.closed_users):
                env.process(self._closed_user())
        elif traffic.max_rps > 0.0:
            env.process(self._open_arrivals())

    def _entry(self) -> CallRuntime:
        entries = self.entries
        if len(entries) == 1:
            return entries[0]
        mix = self.mix
        if mix is None:
            return entries[self.rng.randrange(len(entries))]
        return entries[min(bisect.bisect_right(mix, self.rng.random() * mix[-1]), len(entries) - 1)]

    def _open_arrivals(self) -> Generator[simpy.Event, Any, None]:
        env = self.env
        rate = self.traffic.rate
        top = self.traffic.max_rps
        constant = self.traffic.profile.kind == "constant"
        expovariate = self.rng.expovariate
        uniform = self.rng.random
        only = self.entries[0] if len(self.entries) == 1 else None
        arrival = after(env, expovariate(top))
        while True:
            yield arrival
            entry = (only or self._entry()) if constant or uniform() * top < rate(env._now) else None
            arrival = after(env, expovariate(top))
            if entry is not None:  # started after the next arrival is scheduled, as env.process would
                Flow(self.send(entry, 0))

    def _closed_user(self) -> Generator[simpy.Event, Any, None]:
        env = self.env
        think = self.traffic.profile.think_s
        retry = 0
        # users start spread over one think time, not all at once
        yield env.timeout(self.rng.uniform(0.0, think) if think > 0 else 0.0)
        while True:
            attempt = self._start(self._entry(), retry)
            attempt.waiter = env.event()
            env.process(self._run(attempt))
            ok = yield attempt.waiter
            if not ok and self._retries(retry):
                retry += 1
                yield env.timeout(self._retry_delay())
                continue
            retry = 0
            if think > 0:
                yield env.timeout(self.rng.expovariate(1.0 / think))

    def _start(self, entry: CallRuntime, retry: int) -> Attempt:
        now = self.env._now
        attempt = Attempt(now, now + self.timeout_s, entry, retry)
        self.sent += 1
        if not entry.background:
            self.in_flight += 1
        watched = self.watched
        while watched and watched[0].finished:  # (the watchdog skips them too): a short deque, less to collect
            watched.popleft()
        watched.append(attempt)
        if self.wake is not None:
            self.wake.succeed()
            self.wake = None
        return attempt

    def send(self, entry: CallRuntime, retry: int) -> Generator[simpy.Event, Any, None]:
        """An open-loop user's request (and its retries, as new processes)."""
        attempt = self._start(entry, retry)
        if entry.simple and not entry.partitioned and not entry.error_p and entry.spike == 1.0:  # entry.plain()
            # the common case without resilience on the entry call: one generator less
            entry.calls += 1
            entry.attempts += 1
            result = yield from entry.callee.serve(attempt, entry.priority)
            entry.count(result)
        else:
            result = yield from entry.invoke(attempt)
        if attempt.finished:
            return  # the user gave up already
        ok = result[0] is None
        self._finish(attempt, "degraded" if ok and result[1] else "ok" if ok else "failed")

    def _run(self, attempt: Attempt) -> Generator[simpy.Event, Any, None]:
        result = yield from attempt.entry.invoke(attempt)
        if attempt.finished:
            return
        ok = result[0] is None
        self._finish(attempt, "degraded" if ok and result[1] else "ok" if ok else "failed")

    def _finish(self, attempt: Attempt, outcome: str) -> None:
        attempt.finished = True
        now = self.env._now
        if not attempt.entry.background:
            self.in_flight -= 1
            self.record(attempt.start, now - attempt.start, outcome)
        failed = outcome == "failed"
        if attempt.waiter is not None:
            attempt.waiter.succeed(not failed)
        elif failed and self._retries(attempt.retry):
            self.env.process(self._retry_later(attempt.entry, attempt.retry + 1))

    def _retries(self, retry: int) -> bool:
        behaviour = self.behaviour
        return retry < behaviour.max_retries and self.retry_rng.random() < behaviour.retry_probability

    def _retry_delay(self) -> float:
        mean = self.behaviour.retry_delay_s
        return self.retry_rng.expovariate(1.0 / mean) if mean > 0 else 0.0

    def _retry_later(self, entry: CallRuntime, retry: int) -> Generator[simpy.Event, Any, None]:
        delay = self._retry_delay()
        if delay > 0:
            yield self.env.timeout(delay)
        yield from self.send(entry, retry)

    def _watchdog(self) -> Generator[simpy.Event, Any, None]:
        """Users give up at their timeout: one process watches every attempt
        (deadlines come in the order attempts start)."""
        env = self.env
        watched = self.watched
        while True:
            while watched and watched[0].finished:
                watched.popleft()
            if not watched:
                self.wake = env.event()
                yield self.wake
                continue
            head = watched[0]
            wait = head.deadline - env.now
            if wait > 0:
                yield env.timeout(wait)
                continue
            watched.popleft()
            head.gone = True
            self._finish(head, "failed")
