"""The window's one background-run service: every run of the engine that is
not animated (the Simulation dock's comparison, Measure, Measure all, the
Sweep panel, the PDF handout's measurements) goes through ``RunService``.

A request is a ``RunPlan`` and its variants (``models.runs``). The service
runs one request at a time, in order; the jobs of a request run out of this
process, on a pool of worker processes (``LocalPool``), or on the Dask
cluster the run settings name, falling back to the local pool with a notice
when the scheduler does not answer within a few seconds. A thread of the
window's ``JobRunner`` only waits for them, so the GUI thread stays free.

Progress comes back as ``progressed(done, planned)``. Cancelling (the
status bar's Cancel, or any edit of the board for requests made from it)
delivers ``on_cancelled`` at once and stops the worker processes within the
executor's poll interval (0.2 s). A finished request is forgotten as soon as
its result is delivered: the service keeps only what is queued or running.
See docs/runs.md.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

# numpy.random is imported here, as the window starts: the seeds need it, and importing a C
# extension on a job thread holds the GIL for the whole import (0.1 to 1 s), which stalls the GUI.
import numpy.random  # noqa: F401
from PySide6.QtCore import QObject, Signal

from app.ui.jobs import JobCancelledError, JobControl, JobHandle, JobRunner
from app.ui.runs.settings import RunSettings, load_run_settings, save_run_settings
from models.board import Board
from models.runs.executors import DaskCluster, Executor, LocalPool, RunsCancelled, SchedulerError, prepare_pool
from models.runs.replicate import RunPlan, RunsResult, Variant, run_replications

SCHEDULER_TIMEOUT_S = 3.0
"""How long the window waits for a Dask scheduler before running on its own cores."""
ExecutorFactory = Callable[[str], Executor]
"""``make(scheduler address)``: the executor for an address ("" is the local cores)."""


def default_executor(scheduler: str) -> Executor:
    """The local process pool (every core, every run out of process) or a Dask cluster."""
    if scheduler:
        return DaskCluster(scheduler, SCHEDULER_TIMEOUT_S)
    return LocalPool(None, always=True)


@dataclass(frozen=True)
class RunRequest:
    """What to run: ``label`` is what the progress bar says ("Measuring 9 interventions on peak")."""

    label: str
    plan: RunPlan
    variants: tuple[Variant, ...]
    stale_on_edit: bool = True
    """Cancel it when the board is edited (its board text no longer describes the drawing)."""


class Notice(NamedTuple):
    """A message from a running request for the status bar (a scheduler fallback)."""

    text: str


class _Executors:
    """The executor the service's requests share, made and used on job threads.

    A cancelled request's thread may still be winding down on the old executor,
    so after a cancel the next request gets a fresh one, and whoever finishes with
    an executor that is no longer current closes it."""

    def __init__(self, make: ExecutorFactory) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._current: Executor | None = None
        self._address = ""
        self._unreachable: set[str] = set()

    def take(self, scheduler: str, notify: Callable[[str], None]) -> Executor:
        with self._lock:
            if self._current is not None and self._address == scheduler:
                return self._current
            stale, self._current = self._current, None
        if stale is not None:
            stale.close()
        made = None
        if scheduler and scheduler not in self._unreachable:
            try:
                made = self._make(scheduler)
            except SchedulerError as error:
                self._unreachable.add(scheduler)
                local = self._make("")
                notify(f"{error}; running on {local.name} instead")
                made = local
        elif scheduler:
            made = self._make("")
            notify(f"the Dask scheduler {scheduler} did not answer before; running on {made.name}")
        else:
            made = self._make("")
        with self._lock:
            self._current, self._address = made, scheduler
        return made

    def release(self, executor: Executor) -> None:
        """A request is done with ``executor``: close it unless it is still the current one."""
        with self._lock:
            current = executor is self._current
        if not current:
            executor.close()

    def detach(self) -> None:
        """The next request gets a fresh executor (the running one may be stopping)."""
        with self._lock:
            self._current = None

    def forget_unreachable(self) -> None:
        self._unreachable.clear()

    def close(self) -> None:
        with self._lock:
            current, self._current = self._current, None
        if current is not None:
            current.close()


def replicate_job(control: JobControl[object], request: RunRequest, executors: _Executors,
                  scheduler: str) -> RunsResult:
    """The job on a runner thread: take the executor, run the replications, report as they finish."""
    executor = executors.take(scheduler, lambda text: control.progress(Notice(text)))
    try:
        return run_replications(request.plan, request.variants, executor,
                                lambda done, planned: control.progress((done, planned)), control.stop_event)
    except RunsCancelled:
        raise JobCancelledError from None
    finally:
        executors.release(executor)


class RunTicket:
    """A submitted request, as its caller sees it."""

    def __init__(self, service: RunService, request: RunRequest, on_done: Callable[[RunsResult], None],
                 on_error: Callable[[str], None], on_cancelled: Callable[[], None] | None) -> None:
        self.service, self.request = service, request
        self.on_done, self.on_error, self.on_cancelled = on_done, on_error, on_cancelled
        self.state = "queued"
        """``queued``, ``running``, then ``done``, ``failed`` or ``cancelled``."""
        self.handle: JobHandle | None = None

    @property
    def label(self) -> str:
        return self.request.label

    def is_active(self) -> bool:
        return self.state in ("queued", "running")

    def cancel(self) -> None:
        self.service.cancel(self)


class RunService(QObject):
    """See the module docstring."""

    started = Signal(str)
    """A request started running: its label."""
    progressed = Signal(int, int)
    """Runs finished and runs planned of the running request."""
    idle = Signal()
    """Nothing is running or queued any more."""
    notice = Signal(str)

    def __init__(self, board: Board, make_executor: ExecutorFactory = default_executor,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.board = board
        self.settings: RunSettings = load_run_settings()
        self._executors = _Executors(make_executor)
        self._runner = JobRunner(self, max_threads=3)  # one running, others winding down after a cancel
        self._queue: deque[RunTicket] = deque()
        self._current: RunTicket | None = None
        self._storing = 0
        board.events.changed.connect(self._board_changed)
        self.destroyed.connect(lambda *_: board.events.changed.disconnect(self._board_changed))

    def prepare(self) -> None:
        """Start the worker processes' fork server in the background now, so the first run
        neither waits for it nor makes a cancel wait (the window calls this once)."""
        self._runner.submit(lambda _control: prepare_pool(), on_done=lambda _none: None,
                            on_error=lambda message: self.notice.emit(f"worker processes: {message}"))

    # --- settings -------------------------------------------------------------------

    def set_settings(self, chosen: RunSettings) -> None:
        """Keep ``chosen`` (in QSettings too); a new scheduler address is tried afresh."""
        chosen.check()
        if chosen.scheduler != self.settings.scheduler:
            self._executors.detach()
            self._executors.forget_unreachable()
        self.settings = chosen
        save_run_settings(chosen)

    def plan(self, board: str, scenario: str, base_seed: int, duration_s: float | None = None,
             replications: int | None = None) -> RunPlan:
        return self.settings.plan(board, scenario, base_seed, duration_s, replications)

    # --- requests -------------------------------------------------------------------

    def submit(self, request: RunRequest, on_done: Callable[[RunsResult], None], on_error: Callable[[str], None],
               on_cancelled: Callable[[], None] | None = None) -> RunTicket:
        """Queue ``request``; the callbacks run on the GUI thread, exactly one of them once."""
        ticket = RunTicket(self, request, on_done, on_error, on_cancelled)
        self._queue.append(ticket)
        self._next()
        return ticket

    def _next(self) -> None:
        if self._current is not None:
            return
        if not self._queue:
            self.idle.emit()
            return
        ticket = self._current = self._queue.popleft()
        ticket.state = "running"
        scheduler = self.settings.scheduler.strip()
        ticket.handle = self._runner.submit(
            replicate_job, ticket.request, self._executors, scheduler,
            on_done=lambda result: self._finish(ticket, "done", lambda: ticket.on_done(result)),
            on_error=lambda message: self._finish(ticket, "failed", lambda: ticket.on_error(message)),
            on_progress=lambda value: self._progress(ticket, value),
            on_cancelled=lambda: self._finish(ticket, "cancelled", ticket.on_cancelled),
        )
        self.started.emit(ticket.label)
        self.progressed.emit(0, 0)

    def _progress(self, ticket: RunTicket, value: object) -> None:
        if ticket is not self._current:
            return
        if isinstance(value, Notice):
            self.notice.emit(value.text)
        elif isinstance(value, tuple):
            self.progressed.emit(*value)

    def _finish(self, ticket: RunTicket, state: str, callback: Callable[[], None] | None) -> None:
        if not ticket.is_active():
            return  # cancelled already: the caller was told then
        ticket.state = state
        if ticket is self._current:
            self._current = None
        try:
            if callback is not None:
                callback()
        finally:
            self._next()

    def cancel(self, ticket: RunTicket) -> None:
        """Stop ``ticket`` now: its ``on_cancelled`` runs before this returns."""
        if not ticket.is_active():
            return
        if ticket in self._queue:
            self._queue.remove(ticket)
        elif ticket.handle is not None:
            ticket.handle.cancel()
            self._executors.detach()
        self._finish(ticket, "cancelled", ticket.on_cancelled)

    def cancel_all(self) -> None:
        """Cancel what is queued, then what runs (the status bar's Cancel)."""
        for ticket in [*self._queue, *([self._current] if self._current else [])]:
            self.cancel(ticket)

    def active(self) -> list[RunTicket]:
        """What the service keeps: the running request and the queued ones (never a finished one)."""
        return [*([self._current] if self._current else []), *self._queue]

    @property
    def busy(self) -> bool:
        return self._current is not None

    # --- the board ------------------------------------------------------------------

    @contextlib.contextmanager
    def storing(self) -> Iterator[None]:
        """Edits made inside (storing a request's own results) cancel nothing."""
        self._storing += 1
        try:
            yield
        finally:
            self._storing -= 1

    def _board_changed(self, *_args: object) -> None:
        if self._storing:
            return
        for ticket in self.active():
            if ticket.request.stale_on_edit:
                self.cancel(ticket)

    def shutdown(self, timeout_ms: int = 2000) -> None:
        """The window is closing: cancel everything, let the threads end, stop the workers."""
        self.cancel_all()
        self._runner.wait(timeout_ms)
        self._executors.close()
