"""Outcomes of a piece of work, the context that says whether anyone still
waits for it, and what a call needs of the nodes at its two ends."""

from __future__ import annotations

import math
from collections.abc import Generator
from heapq import heappush
from typing import TYPE_CHECKING, Any, Protocol

import simpy
from simpy.events import NORMAL, Timeout

if TYPE_CHECKING:
    from models.simulation.cache import Cache
    from models.simulation.resilience import TokenBucket

Outcome = tuple[str | None, bool, bool | None, int]
"""(error cause or None, degraded, cache hit: True / False / None if no lookup,
the key a key-level cache missed or ``NO_KEY``)."""

NO_KEY = -1
OK: Outcome = (None, False, None, NO_KEY)
OK_HIT: Outcome = (None, False, True, NO_KEY)
OK_MISS: Outcome = (None, False, False, NO_KEY)
DEGRADED: Outcome = (None, True, None, NO_KEY)

CAUSES = ("timeout", "429", "rejected", "breaker_open", "crashed", "error", "unreachable", "shed", "expired")
"""Why a request failed: its caller's timeout, a rate limit, a full queue or a
concurrency throttle, an open breaker, a crashed node, a random error, a
partitioned edge, shed from a CoDel queue for waiting too long, or refused or
cut off by a node that honours deadlines because its caller had given up."""

FAIL: dict[str, Outcome] = {cause: (cause, False, None, NO_KEY) for cause in CAUSES}

LOOKUP, STORE = 0, 1
"""What a caller asks of a cache node: look a key up, or store a result."""


_new_timeout = Timeout.__new__


def after(env: simpy.Environment, delay: float) -> Timeout:
    """``env.timeout(delay)`` for a delay known to be at least 0, built without its
    checks and calls: the same event, with the same place in the event queue (the
    engine's hottest line; SimPy's ``Timeout.__init__`` and ``Environment.schedule``
    inlined)."""
    event = _new_timeout(Timeout)
    event.env = env
    event.callbacks = []
    event._value = None
    event._delay = delay
    event._ok = True
    heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), event))
    return event


class Ctx:
    """Whether anyone still waits for the work done under this context.

    A user gives up on a request, or a caller times out on a call: the
    context is ``gone``; work still done under it is wasted. ``deadline`` is
    the simulated time by which the nearest waiter gives up (the earliest of
    its own and its parent's; infinite if nobody ever does): what a node that
    honours deadlines reads.
    """

    __slots__ = ("deadline", "gone", "parent")

    def __init__(self, parent: Ctx | None = None, deadline: float = math.inf) -> None:
        self.gone = False
        self.parent = parent
        self.deadline: float = deadline if parent is None or deadline < parent.deadline else parent.deadline

    def dead(self) -> bool:
        ctx: Ctx | None = self
        while ctx is not None:
            if ctx.gone:
                return True
            ctx = ctx.parent
        return False


class Server(Protocol):
    """A node as the calls into and out of it see it (``NodeRuntime`` is one):
    the callee serves, the caller lends a connection from its pool."""

    id: str
    down: bool
    limiter: TokenBucket | None
    cache: Cache | None
    store_s: float
    pool_size: int | None
    deadlines: bool

    def serve(
        self, ctx: Ctx, priority: int = 0, op: int = LOOKUP, admitted: bool = False,
    ) -> Generator[simpy.Event, Any, Outcome]: ...

    def take_connection(self) -> simpy.Event | None: ...

    def give_connection(self) -> None: ...
