"""The simulation worker: runs the engine on a QThread and streams frames.

Modelled on napari's thread workers: the GUI calls ``pause``, ``resume``,
``step``, ``set_speed``, ``inject`` and ``quit`` from its own thread; the
worker checks them between engine steps, so stopping takes one step at most.
When the next step follows at once (as fast as possible, or an engine that
cannot keep the pace), the child process is asked for the next steps while this
frame is still being received: a pause, an injection or a new speed then acts
from the steps after those, ``AHEAD_STEPS`` frames later (see
``ProcessStepper.step``). As fast as possible, an engine slower than
``FAST_FRAMES_PER_S`` simulated seconds a second takes shorter steps, so a big
board still animates smoothly (``frame_dt``).
Frames go into a ``FrameHistory``; the worker then emits ``progressed`` once
until the GUI has caught up, so a fast run never floods the event queue.
Any exception in the engine reaches the GUI as ``errored(message)``; a run
that reaches its end emits the engine's summary as ``summarised(SimulationResult)``.
"""

from __future__ import annotations

import threading
import time
import traceback

from PySide6.QtCore import QObject, Qt, QThread, Signal

from app.sim.history import FrameHistory
from app.sim.process import EngineProcessError
from app.sim.stepper import Stepper, StepperFactory
from models.params import FailureInjection

FRAME_DT_S = 1.0
"""Simulated seconds per frame: the engine's metric bucket."""
SLOW_FRAMES_PER_S = 10.0
"""Below 10× real time, frames come this often (smaller steps), so slow motion moves smoothly."""
MIN_DT_S = 0.1
FAST_FRAMES_PER_S = 40.0
"""As fast as possible, frames come at least this often while the engine allows: an engine
that computes fewer simulated seconds a second than this (a big board) takes shorter steps.
Above a video's 30: the window coalesces the frames that arrive while it paints."""
FAST_STEPS_S = (1.0, 0.5, 0.25)
"""The steps it chooses from (whole seconds stay on frame boundaries); shorter steps would
spend more on frames than on the engine."""
PACE_SMOOTHING = 0.25
"""Weight of the newest step in the running wall time per simulated second."""

MAX_SPEED = 0.0
"""``speed`` value meaning "as fast as possible"."""

_WAIT_SLICE_S = 0.05
"""Longest sleep between checks of the controls while paused or pacing."""


class SimulationWorker(QObject):
    """One run of one stepper; lives on its own thread (see ``start``)."""

    progressed = Signal()
    paused = Signal()
    resumed = Signal()
    errored = Signal(str)
    summarised = Signal(object)
    finished = Signal()

    def __init__(
        self,
        factory: StepperFactory,
        history: FrameHistory,
        *,
        speed: float = 10.0,
        dt_s: float = FRAME_DT_S,
        start_paused: bool = False,
    ) -> None:
        super().__init__()
        self._factory = factory
        self.history = history
        self.dt_s = dt_s
        self._cond = threading.Condition()
        self._speed = speed
        self._paused = start_paused
        self._steps = 0
        self._cancelled = False
        self._notified = False
        self._injections: list[FailureInjection] = []
        self.qthread: QThread | None = None
        self._stepper: Stepper | None = None
        self.finished_at: float | None = None
        self._wall_per_sim_s: float | None = None
        """As fast as possible: the engine's wall time per simulated second, smoothed (``frame_dt``)."""

    # --- controls (any thread) ------------------------------------------------

    def pause(self) -> None:
        with self._cond:
            if self._paused:
                return
            self._paused = True
            self._cond.notify_all()
        self.paused.emit()

    def resume(self) -> None:
        with self._cond:
            if not self._paused:
                return
            self._paused = False
            self._cond.notify_all()
        self.resumed.emit()

    def step(self, count: int = 1) -> None:
        """While paused, compute ``count`` more frames."""
        with self._cond:
            self._steps += count
            self._cond.notify_all()

    def set_speed(self, speed: float) -> None:
        """Simulated seconds per wall second; ``MAX_SPEED`` (0) for as fast as possible."""
        with self._cond:
            self._speed = max(0.0, speed)
            self._cond.notify_all()

    def inject(self, failure: FailureInjection) -> None:
        """Inject a failure before the next step."""
        with self._cond:
            self._injections.append(failure)
            self._cond.notify_all()

    def quit(self) -> None:
        """Stop now, a step in progress included (its engine process ends); ``finished`` follows."""
        with self._cond:
            self._cancelled = True
            stepper = self._stepper
            self._cond.notify_all()
        if stepper is not None:
            stepper.abort()

    def caught_up(self) -> None:
        """The GUI read the history: the next frame may notify again."""
        with self._cond:
            self._notified = False

    @property
    def is_paused(self) -> bool:
        return self._paused

    @property
    def is_cancelled(self) -> bool:
        return self._cancelled

    # --- thread ---------------------------------------------------------------

    def start(self) -> QThread:
        """Run on a new QThread; the thread quits and is deleted when the run ends."""
        thread = QThread()
        thread.setObjectName("simulation")
        self.moveToThread(thread)
        thread.started.connect(self.run)
        # quit directly from the worker's thread: a queued quit would wait for the GUI
        self.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        self.qthread = thread
        thread.start()
        return thread

    def run(self) -> None:
        stepper: Stepper | None = None
        try:
            stepper = self._factory()
            with self._cond:
                self._stepper = stepper
                cancelled = self._cancelled
            if cancelled:
                stepper.abort()
            self._loop(stepper)
        except Exception as error:  # the engine's failure becomes a message, never a frozen window
            if self._cancelled:  # a stopped run's engine was ended on purpose
                return
            if not isinstance(error, EngineProcessError):
                traceback.print_exc()
            self.errored.emit(str(error) if isinstance(error, EngineProcessError)
                              else f"{type(error).__name__}: {error}")
        finally:
            self.finished_at = time.monotonic()
            if stepper is not None:
                stepper.close()
            self.finished.emit()

    def _next_action(self) -> tuple[bool, list[FailureInjection]]:
        """Wait until a step may run; returns (go on?, injections to apply first)."""
        with self._cond:
            while not self._cancelled and self._paused and self._steps == 0:
                self._cond.wait(_WAIT_SLICE_S)
            if self._cancelled:
                return False, []
            if self._paused:
                self._steps -= 1
            injections, self._injections = self._injections, []
            return True, injections

    def frame_dt(self) -> float:
        """Simulated seconds of the next step: the metric bucket, or less in slow motion; as
        fast as possible, the longest of ``FAST_STEPS_S`` that still gives ``FAST_FRAMES_PER_S``
        at the engine's measured pace (a frame between two buckets shows the queues, breakers,
        flashes and clock of its moment, and the last bucket's rates)."""
        speed = self._speed
        if speed > 0:
            return min(self.dt_s, max(MIN_DT_S, speed / SLOW_FRAMES_PER_S))
        cost = self._wall_per_sim_s
        if cost is None:
            return self.dt_s
        longest = 1.0 / (FAST_FRAMES_PER_S * cost)
        return next((dt for dt in FAST_STEPS_S if dt <= min(longest, self.dt_s)), min(FAST_STEPS_S[-1], self.dt_s))

    def _measure(self, dt: float, wall_s: float) -> None:
        """Fold one step (``dt`` simulated seconds in ``wall_s``, from the previous frame's
        arrival to this one's, the child asked ahead) into the engine's running pace."""
        cost = wall_s / dt
        known = self._wall_per_sim_s
        self._wall_per_sim_s = cost if known is None else known + PACE_SMOOTHING * (cost - known)

    def _pace(self, started: float, dt: float) -> None:
        """Sleep so that one frame takes ``dt / speed`` of wall time, waking on any control."""
        with self._cond:
            while not self._cancelled and not self._paused and self._speed > 0:
                remaining = started + dt / self._speed - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(min(remaining, _WAIT_SLICE_S))

    def _loop(self, stepper: Stepper) -> None:
        self._run_steps(stepper)
        if stepper.done and not self._cancelled:
            summary = stepper.result()
            if summary is not None:
                self.summarised.emit(summary)

    def _ahead(self, behind: bool) -> float | None:
        """The next step's length if it will follow this one at once (as fast as possible, or
        the engine ``behind`` the pace), nothing pending; else None (see ``Stepper.step``)."""
        with self._cond:
            if self._cancelled or self._paused or self._injections or (self._speed > 0 and not behind):
                return None
        return self.frame_dt()

    def _run_steps(self, stepper: Stepper) -> None:
        behind = False
        arrived: tuple[float, float] | None = None
        """When the last frame arrived and its time, while steps are asked for ahead."""
        while not stepper.done:
            go_on, injections = self._next_action()
            if not go_on:
                return
            started = time.monotonic()
            for failure in injections:
                stepper.inject(failure)
            dt = self.frame_dt()
            ahead = self._ahead(behind)
            frame = stepper.step(dt, ahead)
            now = time.monotonic()
            speed = self._speed
            behind = speed > 0 and now - started >= dt / speed
            if speed <= 0 and arrived is not None and frame.t > arrived[1]:
                self._measure(frame.t - arrived[1], now - arrived[0])
            arrived = (now, frame.t) if ahead is not None else None
            self.history.append(frame)
            with self._cond:
                notify = not self._notified
                self._notified = True
            if notify:
                self.progressed.emit()
            self._pace(started, dt)
