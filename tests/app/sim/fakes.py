"""A tiny stepper that hands out the engine's own Frame types, for worker and controller tests."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from app.sim.stepper import ViewStepper
from models.simulation.frames import Frame, NodeFrame, SimEvent, Totals


@dataclass
class FakeStepper:
    """Nodes turn red at the times in ``red_at``; ``fail_at`` raises; ``step_s`` sleeps per step."""

    red_at: Mapping[str, float] = field(default_factory=lambda: {"llm": 3.0, "engine": 6.0, "gateway": 9.0})
    steps: int = 20
    fail_at: int | None = None
    step_s: float = 0.0
    t: float = 0.0
    count: int = 0
    injected: list[Any] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.count >= self.steps

    @property
    def duration_s(self) -> float:
        return float(self.steps)

    def result(self) -> None:
        """No summary: the controller's comparisons are tested with the real engine."""

    def inject(self, failure: Any) -> None:
        self.injected.append(failure)

    def step(self, dt_s: float) -> Frame:
        if self.step_s:
            time.sleep(self.step_s)
        self.count += 1
        if self.fail_at is not None and self.count >= self.fail_at:
            raise RuntimeError("engine exploded")
        self.t += dt_s
        nodes = {}
        events = []
        for node_id, at in self.red_at.items():
            red = self.t >= at
            if red and self.t - dt_s < at:
                events.append(SimEvent(at, "node_red", node_id, f"{node_id} turned red"))
            nodes[node_id] = NodeFrame(
                node_id, 10.0, 9.0, MappingProxyType({"timeout": 2.0} if red else {}), 0.99 if red else 0.5,
                50 if red else 0, 100, 50, 10.0, 100.0, "red" if red else "green",
            )
        return Frame(
            self.t, f"20:{int(self.t) // 60:02d}", "peak", MappingProxyType(nodes), MappingProxyType({}),
            tuple(events), Totals(10.0, 9.0, 0.0, 1.0, 80.0, 900.0, 10.0),
        )


def fake_factory(**kwargs: Any):
    """A ``make_factory`` for ``SimulationController`` that ignores the board."""
    built: list[FakeStepper] = []

    def make(_document: Any, _scenario: str, _interventions: Sequence[str], _seed: int):
        def build() -> ViewStepper:
            stepper = FakeStepper(**kwargs)
            built.append(stepper)
            return ViewStepper(stepper, duration_s=float(stepper.steps))

        return build

    make.built = built  # type: ignore[attr-defined]
    return make
