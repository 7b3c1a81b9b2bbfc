"""Short jobs off the GUI thread: the one way the window runs work that would
freeze it (writing the PDF handout, importers). Runs of the engine that are not
animated go through ``app.ui.runs.service``, which waits for its worker
processes on one of these jobs.

A job is a plain function ``fn(control, *args)`` given immutable inputs (a
document snapshot, a path). It runs on a worker thread; its result, its
progress reports and any failure come back on the GUI thread through the
callbacks given to ``JobRunner.submit``. A failure always reaches ``on_error``
as a one-line message, never a traceback on a dead thread. Cancelling is
cooperative: the job looks at ``control.cancelled`` (or calls
``control.check()``) between steps, and a cancelled job ends in
``on_cancelled`` instead of ``on_done``; a simulation the job runs stops
within a tenth of a second of the cancel (``models.simulation.guard``).

Callers depend on ``BackgroundRunner`` (the ``submit`` contract), so a
process-based runner that takes the same module-level functions and
picklable arguments can replace ``JobRunner`` without changing them. Engine
runs for the animation are not jobs: they stay on the simulation worker
(``app.sim.worker``). See docs/ARCHITECTURE.md, "Threads and processes".
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from models.simulation.guard import SimulationCancelled, cancel_scope

P = TypeVar("P")
T = TypeVar("T")

MAX_THREADS = 2
"""Jobs running at once; more wait their turn (the machine's cores are shared with the engine)."""


class JobCancelledError(Exception):
    """Raised by ``JobControl.check`` inside a job that was cancelled."""


class JobControl(Generic[P]):
    """What a running job is handed: where to report progress and whether to stop."""

    def __init__(self, report: Callable[[P], None], stop: threading.Event) -> None:
        self._report = report
        self._stop = stop

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    @property
    def stop_event(self) -> threading.Event:
        """Set once the job is cancelled: for library code that waits on an event (``models.runs``)."""
        return self._stop

    def check(self) -> None:
        """End the job here if it was cancelled."""
        if self._stop.is_set():
            raise JobCancelledError

    def progress(self, value: P) -> None:
        """Hand ``value`` to the job's ``on_progress`` on the GUI thread (dropped once cancelled)."""
        if not self._stop.is_set():
            self._report(value)


class JobHandle(Protocol):
    """A submitted job, as its caller sees it."""

    def cancel(self) -> None: ...

    def is_running(self) -> bool: ...

    def wait(self, timeout_ms: int = -1) -> bool: ...


class BackgroundRunner(Protocol):
    """The contract callers use; ``JobRunner`` is the thread-based implementation."""

    def submit(
        self,
        fn: Callable[..., T],
        *args: Any,
        on_done: Callable[[T], None],
        on_error: Callable[[str], None],
        on_progress: Callable[[Any], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        owner: QObject | None = None,
    ) -> JobHandle: ...


def error_message(error: BaseException) -> str:
    """How a job's failure reads to the user: the kind of error and what it said."""
    return f"{type(error).__name__}: {error}"


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, the slots run the callbacks there."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, job: _Job) -> None:
        super().__init__()
        self.job = job
        self.progressed.connect(self._progressed)
        self.succeeded.connect(self._succeeded)
        self.failed.connect(self._failed)
        self.cancelled.connect(self._cancelled)

    @Slot(object)
    def _progressed(self, value: object) -> None:
        if self.job.live and self.job.on_progress is not None:
            self.job.on_progress(value)

    @Slot(object)
    def _succeeded(self, value: object) -> None:
        self.job.deliver(lambda: self.job.on_done(value))

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.job.deliver(lambda: self.job.on_error(message))

    @Slot()
    def _cancelled(self) -> None:
        on_cancelled = self.job.on_cancelled
        self.job.deliver(on_cancelled if on_cancelled is not None else lambda: None)


class _Job(QRunnable):
    """One submitted job: runs ``fn`` on a pool thread, reports through its relay."""

    def __init__(self, runner: JobRunner, fn: Callable[..., Any], args: tuple[Any, ...],
                 on_done: Callable[[Any], None], on_error: Callable[[str], None],
                 on_progress: Callable[[Any], None] | None, on_cancelled: Callable[[], None] | None) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps the job until its result is delivered
        self.runner, self.fn, self.args = runner, fn, args
        self.on_done, self.on_error = on_done, on_error
        self.on_progress, self.on_cancelled = on_progress, on_cancelled
        self.live = True
        """False once the owner is gone: nothing is delivered any more."""
        self._stop = threading.Event()
        self._finished = threading.Event()
        self.relay = _Relay(self)

    def run(self) -> None:
        control: JobControl[Any] = JobControl(self.relay.progressed.emit, self._stop)
        try:
            with cancel_scope(self._stop):  # a simulation inside the job stops mid-run on cancel
                result = self.fn(control, *self.args)
        except (JobCancelledError, SimulationCancelled):
            self.relay.cancelled.emit()
        except Exception as error:  # any failure must reach the user as a message
            self.relay.failed.emit(error_message(error))
        else:
            if self._stop.is_set():
                self.relay.cancelled.emit()
            else:
                self.relay.succeeded.emit(result)
        finally:
            self._finished.set()

    def deliver(self, callback: Callable[[], None]) -> None:
        self.runner.forget(self)
        if self.live:
            self.live = False
            callback()

    def orphan(self) -> None:
        """The owner was destroyed: stop, and deliver nothing to it."""
        self.live = False
        self._stop.set()

    # --- JobHandle ----------------------------------------------------------------------

    def cancel(self) -> None:
        self._stop.set()

    def is_running(self) -> bool:
        return not self._finished.is_set()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until the job's function has returned; False if ``timeout_ms`` passed first."""
        return self._finished.wait(None if timeout_ms < 0 else timeout_ms / 1000)


class JobRunner(QObject):
    """Runs short jobs on a small thread pool of its own; see the module docstring."""

    def __init__(self, parent: QObject | None = None, max_threads: int = MAX_THREADS) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._jobs: set[_Job] = set()

    def submit(
        self,
        fn: Callable[..., T],
        *args: Any,
        on_done: Callable[[T], None],
        on_error: Callable[[str], None],
        on_progress: Callable[[Any], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        owner: QObject | None = None,
    ) -> JobHandle:
        """Run ``fn(control, *args)`` off the GUI thread; the callbacks run on the GUI thread.

        ``owner``: the widget the callbacks belong to; once it is destroyed the
        job is cancelled and nothing more is delivered.
        """
        job = _Job(self, fn, args, on_done, on_error, on_progress, on_cancelled)
        if owner is not None:
            owner.destroyed.connect(job.orphan)
        self._jobs.add(job)
        self._pool.start(job)
        return job

    def forget(self, job: _Job) -> None:
        self._jobs.discard(job)

    def running(self) -> int:
        """Jobs submitted whose results have not been delivered yet."""
        return len(self._jobs)

    def cancel_all(self) -> None:
        for job in list(self._jobs):
            job.cancel()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until every job's function has returned (results are delivered by the event loop)."""
        return self._pool.waitForDone(timeout_ms)
