"""Where jobs run: a local process pool over all cores (the default), this
process alone (one job at a time), or an existing Dask distributed cluster.

Every executor maps one top-level function over a list of jobs and returns
the results in the jobs' order, whatever order they finished in; a job's
result depends only on the job, so the three give identical lists.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from types import TracebackType
from typing import Any, Protocol, TypeVar

from models.errors import BoardError

J = TypeVar("J")
R = TypeVar("R")
OnResult = Callable[[int, Any], None]
"""Called in the calling thread as each job finishes: ``(job index, result)``."""

CONNECT_TIMEOUT_S = 5.0
"""How long to wait for a Dask scheduler to answer before giving up on it."""
POLL_S = 0.2
"""How often a wait looks at the cancel flag."""
DASK_POLL_S = 0.02
"""How often the futures of a Dask run are looked at (cheap: a status read)."""


class RunsCancelled(Exception):  # noqa: N818 - a cancellation, not an error
    """The caller cancelled: the jobs not yet finished were dropped."""


class SchedulerError(BoardError):
    """A Dask scheduler cannot be used (not installed, or not answering)."""


class Executor(Protocol):
    """Runs jobs; ``workers`` is how many run at once."""

    name: str
    workers: int

    def map(self, fn: Callable[[J], R], jobs: Sequence[J], on_result: OnResult | None = None,
            cancel: threading.Event | None = None) -> list[R]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None: ...


def available_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


class _Closing:
    def close(self) -> None:
        """Release the executor's workers."""

    def __enter__(self: Any) -> Any:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


class InProcess(_Closing):
    """One job after another in this process: no start-up cost, one core."""

    name = "this process"
    workers = 1

    def map(self, fn: Callable[[J], R], jobs: Sequence[J], on_result: OnResult | None = None,
            cancel: threading.Event | None = None) -> list[R]:
        results = []
        for index, job in enumerate(jobs):
            if cancel is not None and cancel.is_set():
                raise RunsCancelled
            result = fn(job)
            results.append(result)
            if on_result is not None:
                on_result(index, result)
        return results


def _ignore_interrupts() -> None:
    """Workers leave Ctrl+C to the parent, which cancels and stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool_context() -> Any:
    """How workers start. On Linux, from a process with no other thread, by
    fork: they inherit the loaded program and start at once. Otherwise (the
    window has Qt's threads; macOS frameworks dislike fork) from a fork server
    with the engine preloaded, never from a process with threads; spawn on Windows."""
    methods = multiprocessing.get_all_start_methods()
    alone = threading.active_count() == 1 and threading.current_thread() is threading.main_thread()
    if sys.platform == "linux" and alone and "fork" in methods:  # a thread Python never saw (Qt's) is not counted
        return multiprocessing.get_context("fork")
    if sys.platform != "win32" and "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["models.runs.jobs"])
        return context
    return multiprocessing.get_context("spawn")


def prepare_pool() -> None:
    """Start the fork server (the engine imported once in it) now, where workers
    start from one, so the first pool of a window starts in milliseconds and a
    cancel never waits for an interpreter to import the engine."""
    if _pool_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


class LocalPool(_Closing):
    """A process pool over ``workers`` cores (all of them by default). The pool
    starts on the first ``map`` of more than one job and is reused after it.
    ``always``: every map goes to the pool, even one job on one worker (the
    window wants no engine in its own process, and every run cancellable)."""

    def __init__(self, workers: int | None = None, always: bool = False) -> None:
        self.workers = available_cores() if workers is None else max(1, workers)
        self.always = always
        self.name = f"{self.workers} local process{'es' if self.workers > 1 else ''}"
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn: Callable[[J], R], jobs: Sequence[J], on_result: OnResult | None = None,
            cancel: threading.Event | None = None) -> list[R]:
        if not jobs or (not self.always and (self.workers == 1 or len(jobs) <= 1)):
            return InProcess().map(fn, jobs, on_result, cancel)
        if cancel is not None and cancel.is_set():
            raise RunsCancelled
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=_pool_context(), initializer=_ignore_interrupts)
        futures = {self._pool.submit(fn, job): index for index, job in enumerate(jobs)}
        results: dict[int, R] = {}
        pending: set[Future[R]] = set(futures)
        try:
            while pending:
                if cancel is not None and cancel.is_set():
                    raise RunsCancelled
                finished, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=futures.__getitem__):
                    index = futures[future]
                    results[index] = future.result()
                    if on_result is not None:
                        on_result(index, results[index])
        except BaseException:
            self._stop()
            raise
        return [results[index] for index in range(len(jobs))]

    def _stop(self) -> None:
        """Drop queued jobs and end the workers now (a cancelled run does not wait for them)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())  # shutdown forgets them
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


class DaskCluster(_Closing):
    """Jobs on an existing Dask distributed cluster. ``address`` is the
    scheduler's (``tcp://host:8786``), or a ``distributed.Client`` or cluster
    object. The workers need this program installed (same version)."""

    def __init__(self, address: Any, connect_timeout_s: float | None = None) -> None:
        connect_timeout_s = CONNECT_TIMEOUT_S if connect_timeout_s is None else connect_timeout_s
        try:
            import distributed
        except ImportError:
            raise SchedulerError(
                "running on a Dask cluster needs Dask: pip install 'cascade-board[cluster]'"
            ) from None
        client_type: Any = distributed.Client  # untyped library: kept at arm's length
        self._own_client = not isinstance(address, client_type)
        self.client: Any
        if not self._own_client:
            self.client = address
        else:
            try:
                self.client = client_type(address, timeout=connect_timeout_s, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as error:
                raise SchedulerError(
                    f"no Dask scheduler answered at {address} within {connect_timeout_s:g} s ({error})"
                ) from None
        cores = sum(self.client.nthreads().values())
        self.workers = max(1, cores)
        self.name = f"the Dask cluster at {self.client.scheduler.address} ({cores} threads)"

    def map(self, fn: Callable[[J], R], jobs: Sequence[J], on_result: OnResult | None = None,
            cancel: threading.Event | None = None) -> list[R]:

        if not jobs:
            return []
        futures = self.client.map(fn, list(jobs), pure=False)
        index_of = {future.key: index for index, future in enumerate(futures)}
        results: dict[int, R] = {}
        pending = set(futures)
        try:
            while pending:
                if cancel is not None and cancel.is_set():
                    raise RunsCancelled
                done = {future for future in pending if future.done()}
                if not done:
                    time.sleep(DASK_POLL_S)  # Dask futures have no wait() without a default client
                    continue
                pending -= done
                for future in sorted(done, key=lambda f: index_of[f.key]):
                    index = index_of[future.key]
                    results[index] = future.result()
                    if on_result is not None:
                        on_result(index, results[index])
        except BaseException:
            self.client.cancel(list(pending))
            raise
        return [results[index] for index in range(len(jobs))]

    def close(self) -> None:
        if self._own_client:
            self.client.close()
