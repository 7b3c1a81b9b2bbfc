"""As fast as possible, an engine slower than ``FAST_FRAMES_PER_S`` simulated seconds a second
takes shorter steps (``SimulationWorker.frame_dt``), so a big board still animates smoothly."""

from __future__ import annotations

import time

import pytest

from app.sim.history import FrameHistory
from app.sim.stepper import ViewStepper
from app.sim.worker import FAST_FRAMES_PER_S, FAST_STEPS_S, MAX_SPEED, SimulationWorker
from tests.app.sim.fakes import FakeStepper


class SlowEngine(FakeStepper):
    """Costs ``per_sim_s`` wall seconds per simulated second, like a real engine on a big board."""

    per_sim_s: float = 0.0

    @property
    def done(self) -> bool:
        """At the end of its simulated duration (``steps`` seconds), as the real engine is."""
        return self.t >= self.steps - 1e-9

    def step(self, dt_s: float):
        time.sleep(self.per_sim_s * dt_s)
        return super().step(dt_s)


def run(per_sim_s: float, steps: int) -> list[float]:
    """The simulated times of the frames of a whole run, as fast as possible, on this thread."""
    engine = SlowEngine(steps=steps)
    engine.per_sim_s = per_sim_s
    history = FrameHistory()
    worker = SimulationWorker(lambda: ViewStepper(engine, duration_s=float(steps)), history, speed=MAX_SPEED)
    worker.run()
    return [frame.t for frame in history.frames()]


def test_frame_length_follows_the_engines_pace():
    worker = SimulationWorker(lambda: None, FrameHistory(), speed=MAX_SPEED)  # type: ignore[arg-type, return-value]
    assert worker.frame_dt() == 1.0  # nothing measured yet: whole seconds
    worker._measure(1.0, 0.005)  # 200 simulated seconds a second
    assert worker.frame_dt() == 1.0
    worker._wall_per_sim_s = None
    worker._measure(1.0, 1.5 / FAST_FRAMES_PER_S)  # a frame a second would come at 2/3 of the rate
    assert worker.frame_dt() == 0.5
    worker._wall_per_sim_s = None
    worker._measure(1.0, 3.0 / FAST_FRAMES_PER_S)
    assert worker.frame_dt() == 0.25
    worker._wall_per_sim_s = None
    worker._measure(1.0, 1.0)  # a very slow engine: never shorter than the shortest step
    assert worker.frame_dt() == FAST_STEPS_S[-1]
    worker.set_speed(20.0)  # a chosen speed keeps its own steps
    assert worker.frame_dt() == 1.0


def test_a_slow_engine_takes_shorter_steps_and_ends_on_time():
    times = run(per_sim_s=1.5 / FAST_FRAMES_PER_S, steps=80)
    steps = [round(b - a, 6) for a, b in zip([0.0, *times], times, strict=False)]
    assert steps[0] == 1.0  # the first step, before anything is measured
    assert set(steps[3:]) <= {0.5, 0.25}  # then shorter, from the fixed choices
    assert times[-1] == pytest.approx(80.0)  # the run still ends at its duration, on a frame
    assert len(times) > 80 + 40  # many more frames than whole seconds


def test_a_fast_engine_keeps_whole_seconds():
    times = run(per_sim_s=0.0, steps=30)
    assert times == pytest.approx([float(t) for t in range(1, 31)])
