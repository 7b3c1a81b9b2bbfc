"""The GUI side of the simulation: one run at a time, its history, what is shown.

The controller starts a ``SimulationWorker`` on a snapshot of the board,
follows its frames into a ``FrameHistory`` and shows the newest (or the one
the timeline points at) through a ``FrameAnimator``. Stopping, or any change
of the board, cancels the run and shows the board as it is again. Nothing here
writes to the board or to the undo stack.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.sim.animator import FrameAnimator
from app.sim.history import FrameHistory
from app.sim.stepper import StepperFactory, real_stepper
from app.sim.view import FrameView
from app.sim.worker import SimulationWorker
from models.board import Board
from models.document import BoardDocument
from models.params import FailureInjection
from models.runs.seeds import DEFAULT_SEED

if TYPE_CHECKING:
    from models.simulation import SimulationResult

RunKey = tuple[str, tuple[str, ...], int]
"""(scenario id, sorted intervention ids, seed): what makes two runs the same."""

FactoryMaker = Callable[[BoardDocument, str, Sequence[str], int], StepperFactory]

SPEEDS: tuple[tuple[str, float], ...] = (
    ("0.25× (slow motion)", 0.25), ("0.5×", 0.5), ("1× real time", 1.0), ("2×", 2.0), ("5×", 5.0),
    ("10×", 10.0), ("20×", 20.0), ("60×", 60.0), ("as fast as possible", 0.0),
)
"""Speeds offered in the dock: simulated seconds per wall second (0: no pacing)."""

DEFAULT_SPEED = 10.0


class SimulationController(QObject):
    """Runs, pauses, steps, restarts and scrubs simulations of one board.

    States: ``idle`` (nothing shown), ``running``, ``paused``, ``finished``
    (the run ended, its frames stay scrubbable) and ``error``.
    """

    state_changed = Signal(str)
    progressed = Signal(int)
    displayed = Signal(object)
    errored = Signal(str)
    run_started = Signal()
    settings_changed = Signal()
    """Scenario, interventions, seed or speed changed (the dock follows)."""
    summarised = Signal(object, object)
    """(run key, ``SimulationResult``) when the shown run reaches its end. Runs that are not
    shown (the comparison, measuring, sweeps) go through ``app.ui.runs.service``."""

    def __init__(
        self, board: Board | Callable[[], Board], make_factory: FactoryMaker = real_stepper,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._board_source: Callable[[], Board] = board if callable(board) else (lambda: board)
        self._make_factory = make_factory
        self.scenario_id: str | None = None
        self.interventions: tuple[str, ...] = ()
        self.seed = DEFAULT_SEED
        self.speed = DEFAULT_SPEED
        self.history = FrameHistory()
        self.worker: SimulationWorker | None = None
        self._retired: list[SimulationWorker] = []
        self._watched: Board | None = None
        self._state = "idle"
        self.following = True
        self.shown: FrameView | None = None
        self.animator = FrameAnimator(self._display, parent=self)
        self.run_document: BoardDocument | None = None
        self._watch(self.board)

    # --- state ----------------------------------------------------------------

    @property
    def state(self) -> str:
        return self._state

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    @property
    def board(self) -> Board:
        return self._board_source()

    def scenarios(self) -> list[tuple[str, str]]:
        return [(s.id, s.name) for s in self.board.items("scenarios")]

    # --- running --------------------------------------------------------------

    def play(self) -> None:
        """Start a run (or resume a paused one)."""
        if self.worker is not None and self._state == "paused":
            self.following = True
            self.worker.resume()
            self._set_state("running")
            return
        if self._state != "running":
            self.start()

    def start(self, *, paused: bool = False) -> None:
        """A new run with the current scenario, interventions, seed and speed."""
        self._cancel_worker()
        board = self.board
        scenarios = list(board.items("scenarios"))
        if not scenarios:
            self.errored.emit("This board has no simulation scenario to run.")
            return
        if self.scenario_id not in {s.id for s in scenarios}:
            self.scenario_id = scenarios[0].id
        scenario = next(s for s in scenarios if s.id == self.scenario_id)
        known = {i.id for i in board.items("interventions")}
        self.interventions = tuple(i for i in self.interventions if i in known)
        document = board.document()
        self.run_document = document
        self.history = FrameHistory()
        self.following = True
        factory = self._make_factory(document, scenario.id, self.interventions, self.seed)
        worker = SimulationWorker(
            factory, self.history, speed=self.speed, start_paused=paused,
        )
        worker.progressed.connect(self._on_progressed)
        worker.errored.connect(self._on_errored)
        worker.finished.connect(self._on_finished)
        worker.summarised.connect(self._on_summarised)
        worker.key = self.run_key()  # type: ignore[attr-defined]
        self.worker = worker
        worker.start()
        self._set_state("paused" if paused else "running")
        self.run_started.emit()

    def pause(self) -> None:
        if self.worker is not None and self._state == "running":
            self.worker.pause()
            self._set_state("paused")

    def toggle(self) -> None:
        """Play ↔ pause (the space bar of the dock)."""
        if self._state == "running":
            self.pause()
        else:
            self.play()

    def step(self) -> None:
        """One more frame: starts a paused run if none is going, steps a paused one,
        or moves the timeline one frame forward through frames already computed."""
        if not self.following and self.shown is not None and self.shown.index + 1 < len(self.history):
            self.seek(self.shown.index + 1)
            return
        if self.worker is None or self._state in ("idle", "finished", "error"):
            self.start(paused=True)
        elif self._state == "running":
            self.pause()
        self.following = True
        if self.worker is not None:  # None when the board has no scenario (already said)
            self.worker.step()

    def restart(self) -> None:
        """The same run again from the start (same seed)."""
        self.start(paused=self._state == "paused")

    def stop(self) -> None:
        """Cancel the run and show the board as it is."""
        self._cancel_worker()
        self.history = FrameHistory()
        self.shown = None
        self.animator.show(None)
        self.animator.flush()
        self.progressed.emit(0)
        self._set_state("idle")

    def set_speed(self, speed: float) -> None:
        if speed != self.speed:
            self.speed = speed
            if self.worker is not None:
                self.worker.set_speed(speed)
            self.settings_changed.emit()

    def set_seed(self, seed: int) -> None:
        if seed != self.seed:
            self.seed = seed
            self.settings_changed.emit()

    def set_scenario(self, scenario_id: str) -> None:
        if scenario_id != self.scenario_id:
            self.scenario_id = scenario_id
            self.settings_changed.emit()
            if self._state in ("running", "paused", "finished"):
                self.restart()

    def set_interventions(self, ids: Sequence[str]) -> None:
        """Switch interventions; a run in progress restarts with the same seed."""
        ids = tuple(ids)
        if ids != self.interventions:
            self.interventions = ids
            self.settings_changed.emit()
            if self._state in ("running", "paused", "finished"):
                self.restart()

    def inject(self, failure: FailureInjection) -> bool:
        """Inject a live failure now; False when no run is going."""
        if self.worker is None or self._state not in ("running", "paused"):
            return False
        latest = self.history.latest()
        now = latest.t if latest is not None else 0.0
        self.worker.inject(failure.model_copy(update={"at_s": now}))
        return True

    # --- the shown run's summary ------------------------------------------------

    def run_key(self, interventions: Sequence[str] | None = None) -> RunKey:
        ids = self.interventions if interventions is None else interventions
        return (self.scenario_id or "", tuple(sorted(ids)), self.seed)

    def _on_summarised(self, data: SimulationResult) -> None:
        sender = self.sender()
        key = getattr(sender, "key", None) if sender is self.worker else None
        if key is not None:
            self.summarised.emit(key, data)

    # --- timeline ---------------------------------------------------------------

    def seek(self, index: int) -> None:
        """Show frame ``index`` of the history (the timeline slider)."""
        count = len(self.history)
        if count == 0:
            return
        index = max(0, min(index, count - 1))
        self.following = index == count - 1 and self._state == "running"
        self.animator.show(self.history[index])

    def follow_live(self) -> None:
        self.following = True
        latest = self.history.latest()
        if latest is not None:
            self.animator.show(latest)

    # --- worker callbacks -----------------------------------------------------------

    def _is_current(self) -> bool:
        return self.worker is not None and self.sender() is self.worker

    def _on_progressed(self) -> None:
        if not self._is_current():
            return
        assert self.worker is not None
        self.worker.caught_up()
        self._show_progress()

    def _show_progress(self) -> None:
        count = len(self.history)
        if self.following and count:
            self.animator.show(self.history.latest())
        self.progressed.emit(count)

    def _on_errored(self, message: str) -> None:
        if not self._is_current():
            return
        self._set_state("error")
        self.errored.emit(message)

    def _on_finished(self) -> None:
        worker = self.sender()
        if not isinstance(worker, SimulationWorker):
            return
        if worker is self.worker:
            self.worker = None
            self._show_progress()
            if self._state != "error":
                self._set_state("finished")
        self._reap(worker)

    def _display(self, frame: FrameView | None) -> None:
        self.shown = frame
        self.displayed.emit(frame)

    # --- cancelling -----------------------------------------------------------------

    def _cancel_worker(self) -> None:
        """Tell the worker to stop; its thread ends on its own, without blocking the window."""
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.quit()
            self._retired.append(worker)

    def _reap(self, worker: SimulationWorker) -> None:
        """The worker's run is over: wait for its thread's last instructions and free both."""
        if worker in self._retired:
            self._retired.remove(worker)
        if worker.qthread is not None:
            worker.qthread.wait()
            worker.qthread.deleteLater()
        worker.deleteLater()

    def shutdown(self, timeout_ms: int = 2000) -> None:
        """Stop every thread and stop listening to the board (the window is closing)."""
        self._unwatch()
        self._cancel_worker()
        for worker in list(self._retired):
            if worker.qthread is not None:
                worker.qthread.wait(timeout_ms)
        self._retired.clear()

    def _watch(self, board: Board) -> None:
        self._unwatch()
        board.events.changed.connect(self._board_changed)
        self._watched = board

    def _unwatch(self) -> None:
        if self._watched is not None:
            self._watched.events.changed.disconnect(self._board_changed)
            self._watched = None

    def _board_changed(self, *_args: object) -> None:
        """The drawing changed: a run's frames no longer describe it."""
        if self._state != "idle":
            self.stop()
