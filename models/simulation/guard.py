"""The run's guard: it stops with a message before the machine swaps, and
stops at once when whoever started it cancels.

A run whose traffic outgrows its nodes keeps every waiting request in
memory; unchecked, an overloaded board grows by about 100 MB per second
until the machine swaps. The engine asks ``MemoryGuard.check`` a few times
per wall second (``models.simulation.engine``): the run stops with
``MemoryBudgetError`` once this process has grown by more than its budget
(half the memory available when the run started) or once the machine has
less than ``FLOOR_SHARE`` of its memory left (several runs at once, in a
pool, share one machine). psutil reads the memory on every platform.

A thread that runs simulations inside ``cancel_scope(event)`` (the window's
jobs do) has every run it starts end with ``SimulationCancelled`` within
about ``GUARD_WALL_S`` once the event is set, even in the middle of a long run.
See docs/LIMITS.md.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Iterator

import psutil

from models.simulation.errors import SimulationError

BUDGET_SHARE = 0.5
"""A run may grow by this share of the memory available when it started."""
FLOOR_SHARE = 0.05
"""A run stops when the machine has less than this share of its memory available."""
FLOOR_MIN_BYTES = 256 * 2**20
"""... or less than this, whichever is more."""
MIB = 2**20


_CANCEL: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar("cancel", default=None)


class SimulationCancelled(Exception):  # noqa: N818 - a cancellation, not an error
    """The run was cancelled by whoever started it (see ``cancel_scope``)."""


@contextlib.contextmanager
def cancel_scope(event: threading.Event) -> Iterator[None]:
    """Runs started in this block (in this thread) stop once ``event`` is set."""
    token = _CANCEL.set(event)
    try:
        yield
    finally:
        _CANCEL.reset(token)


class MemoryBudgetError(SimulationError):
    """A run stopped because it would need more memory than the machine can spare."""


def machine_memory() -> tuple[int, int]:
    """(available, total) memory of the machine in bytes."""
    memory = psutil.virtual_memory()
    return int(memory.available), int(memory.total)


class MemoryGuard:
    """Watches one run's memory; ``budget_bytes`` overrides the share of available memory."""

    def __init__(self, budget_bytes: int | None = None) -> None:
        self._process = psutil.Process()
        self.start_rss = self.rss()
        available, total = machine_memory()
        if budget_bytes is None:
            self.budget = int(available * BUDGET_SHARE)
            self.why = f"half the {available / MIB:,.0f} MiB available when the run started"
        else:
            self.budget = budget_bytes
            self.why = f"the run's budget of {budget_bytes / MIB:,.0f} MiB"
        self.floor = max(FLOOR_MIN_BYTES, int(total * FLOOR_SHARE))
        self.cancel = _CANCEL.get()

    def cancelled(self) -> bool:
        """Whether the run's starter asked it to stop."""
        return self.cancel is not None and self.cancel.is_set()

    def rss(self) -> int:
        """This process's resident memory in bytes."""
        return int(self._process.memory_info().rss)

    def problem(self) -> str | None:
        """What is wrong now (in a sentence), or None while the run may go on."""
        grown = self.rss() - self.start_rss
        if grown > self.budget:
            return f"it grew by {grown / MIB:,.0f} MiB, more than {self.why}"
        available, _total = machine_memory()
        if available < self.floor:
            return (f"the machine has only {available / MIB:,.0f} MiB of memory left "
                    f"(a run stops below {self.floor / MIB:,.0f} MiB)")
        return None
