"""``Flow``: a request's generator run on SimPy events without a process (models/simulation/calls.py)."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from models.simulation.calls import Flow


def test_flow_runs_at_once_goes_on_after_processed_events_and_hands_failures_to_the_generator() -> None:
    env = simpy.Environment()
    seen: list[tuple[str, float]] = []
    done = env.event()
    done.succeed("early")
    failed = env.event()
    failed.fail(ValueError("boom"))
    failed.defused = True  # nobody waits on it yet: not a crash of the run
    env.run()  # both processed before the flow yields them

    def work() -> Generator[simpy.Event, Any, None]:
        seen.append(("start", env.now))
        value = yield done  # processed already: the flow goes on without waiting
        seen.append((value, env.now))
        yield env.timeout(1.5)
        seen.append(("timed", env.now))
        try:
            yield failed
        except ValueError as error:
            seen.append((str(error), env.now))
        late = env.event()
        env.process(_fail_later(env, late))
        try:
            yield late
        except RuntimeError as error:
            seen.append((str(error), env.now))

    Flow(work())
    assert seen == [("start", 0.0), ("early", 0.0)]  # up to the first event still to come, at once
    env.run()
    assert seen == [("start", 0.0), ("early", 0.0), ("timed", 1.5), ("boom", 1.5), ("late", 2.5)]


def _fail_later(env: simpy.Environment, event: simpy.Event) -> Generator[simpy.Event, Any, None]:
    yield env.timeout(1.0)
    event.fail(RuntimeError("late"))
