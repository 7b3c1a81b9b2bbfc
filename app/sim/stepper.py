"""What the worker needs from a simulation: step it to the next ``FrameView``,
inject into it, know when it is done, summarise it (if it can) and close it.

The program's stepper is ``ProcessStepper`` (the engine in a child process),
built by ``real_stepper``; ``ViewStepper`` adapts anything that yields engine
frames (the engine in this process, or a test's fake).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from app.sim.view import FrameView, ViewBuilder
from models.document import BoardDocument
from models.params import FailureInjection
from models.runs.seeds import DEFAULT_SEED

if TYPE_CHECKING:
    from models.simulation import SimulationResult


class Stepper(Protocol):
    """A simulation that advances in steps and hands out immutable frames."""

    @property
    def done(self) -> bool: ...

    def step(self, dt_s: float, ahead: float | None = None) -> FrameView:
        """The next frame, ``dt_s`` simulated seconds on. ``ahead``: the step after this one
        will follow at once and be ``ahead`` seconds long; a stepper may start it early."""

    def inject(self, failure: FailureInjection) -> None: ...

    def result(self) -> SimulationResult | None:
        """The run's summary once done; None if there is none. Its per-second ``series`` may
        be left out: the window shows none of it (``cascade-board simulate --series`` writes it)."""

    def close(self) -> None:
        """Release what the run holds (a child process); called once, when the run ends."""

    def abort(self) -> None:
        """From another thread: end a step in progress now (the run is being stopped)."""


class EngineLike(Protocol):
    """What ``models.simulation.Simulation`` offers (and test fakes imitate)."""

    @property
    def done(self) -> bool: ...

    @property
    def duration_s(self) -> float: ...

    def step(self, dt_s: float) -> Any: ...

    def inject(self, failure: FailureInjection) -> Any: ...

    def result(self) -> SimulationResult | None: ...


class ViewStepper:
    """A ``Stepper`` over an engine-like object in this process: converts its frames."""

    def __init__(self, engine: EngineLike, duration_s: float = 0.0) -> None:
        self.engine = engine
        self._builder = ViewBuilder(duration_s or float(engine.duration_s))

    @property
    def done(self) -> bool:
        return self.engine.done

    def step(self, dt_s: float, ahead: float | None = None) -> FrameView:
        """``ahead`` is not used: in this process nothing could run beside the step."""
        return self._builder(self.engine.step(dt_s))

    def inject(self, failure: FailureInjection) -> None:
        self.engine.inject(failure)

    def result(self) -> SimulationResult | None:
        """The engine's summary, or None for an engine that has none."""
        return self.engine.result()

    def close(self) -> None:
        """Nothing to release: the engine runs in this process."""

    def abort(self) -> None:
        """Nothing to do: a step in this process is short (the worker stops after it)."""


StepperFactory = Callable[[], Stepper]
"""Builds the stepper; called on the worker thread, so a slow build never blocks the window."""


def real_stepper(
    document: BoardDocument, scenario_id: str, interventions: Sequence[str] = (), seed: int = DEFAULT_SEED
) -> StepperFactory:
    """A factory of the engine, in a child process, for one run of a board snapshot."""

    def build() -> Stepper:
        from app.sim.process import ProcessStepper

        return ProcessStepper(document, scenario_id, interventions, seed)

    return build
