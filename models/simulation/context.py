"""Outcomes of a piece of work, and the context that says whether anyone
still waits for it."""

from __future__ import annotations

Outcome = tuple[str | None, bool, bool | None]
"""(error cause or None, degraded, cache hit: True / False / None if no lookup)."""

OK: Outcome = (None, False, None)
OK_HIT: Outcome = (None, False, True)
OK_MISS: Outcome = (None, False, False)
DEGRADED: Outcome = (None, True, None)

CAUSES = ("timeout", "429", "rejected", "breaker_open", "crashed", "error", "unreachable")
"""Why a request failed: its caller's timeout, a rate limit, a full queue or a
concurrency throttle, an open breaker, a crashed node, a random error, a
partitioned edge."""

FAIL: dict[str, Outcome] = {cause: (cause, False, None) for cause in CAUSES}


class Ctx:
    """Whether anyone still waits for the work done under this context.

    A user gives up on a request, or a caller times out on a call: the
    context is ``gone``; work still done under it is wasted.
    """

    __slots__ = ("gone", "parent")

    def __init__(self, parent: Ctx | None = None) -> None:
        self.gone = False
        self.parent = parent

    def dead(self) -> bool:
        ctx: Ctx | None = self
        while ctx is not None:
            if ctx.gone:
                return True
            ctx = ctx.parent
        return False
