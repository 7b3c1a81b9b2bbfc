"""What the worker needs from a simulation: step it, inject into it, know when it is done.

The real stepper is ``models.simulation.Simulation``; ``real_stepper`` builds
one from a board snapshot. Tests pass a factory of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from models.document import BoardDocument
from models.params import FailureInjection


class Stepper(Protocol):
    """A simulation that advances in steps and hands out immutable frames."""

    @property
    def done(self) -> bool: ...

    def step(self, dt_s: float) -> Any: ...

    def inject(self, failure: FailureInjection) -> None: ...


StepperFactory = Callable[[], Stepper]
"""Builds the stepper; called on the worker thread, so a slow build never blocks the window."""


def real_stepper(
    document: BoardDocument, scenario_id: str, interventions: Sequence[str] = (), seed: int = 0
) -> StepperFactory:
    """A factory of the engine's ``Simulation`` for one run of a board snapshot."""

    def build() -> Stepper:
        from models.simulation import Simulation

        return Simulation(document, scenario_id, interventions=tuple(interventions), seed=seed)

    return build
