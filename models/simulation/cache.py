"""A cache's hit ratio: dropped by an invalidation or a flush, refilled by misses.

The simulation does not track individual entries: a lookup hits with the
current ratio. After an invalidation the ratio is ``invalidated_hit_ratio``
(after a flush, 0) and climbs linearly back to ``hit_ratio`` over about
``refill_misses`` misses. With coalescing, each lookup is for one of
``key_space`` keys; a miss for a key whose fill is already under way waits
for that fill instead of calling the backends again.
"""

from __future__ import annotations

import random

from models.params import CacheParams


class CacheState:
    __slots__ = (
        "held", "hits", "inflight", "key_space", "lookups", "nominal", "params", "ratio", "rng", "step",
    )

    def __init__(self, params: CacheParams, rng: random.Random) -> None:
        self.params = params
        self.nominal = params.hit_ratio
        self.ratio = params.hit_ratio
        self.step = 0.0
        self.rng = rng
        self.held = False
        self.key_space = params.key_space
        self.inflight: dict[int, object] = {}
        self.lookups = 0
        self.hits = 0

    def lookup(self) -> bool:
        """One lookup: True on a hit. A miss refills the cache a little."""
        self.lookups += 1
        if self.rng.random() < self.ratio:
            self.hits += 1
            return True
        if not self.held and self.ratio < self.nominal:
            self.ratio = min(self.nominal, self.ratio + self.step)
        return False

    def key(self) -> int:
        return self.rng.randrange(self.key_space)

    def drop(self, to_ratio: float, hold: bool) -> None:
        """An invalidation (to ``invalidated_hit_ratio``) or a flush (to 0).

        While ``hold`` is set (the failure lasts) misses do not refill it.
        """
        self.ratio = min(self.ratio, to_ratio)
        self.step = max(0.0, self.nominal - self.ratio) / self.params.refill_misses
        self.held = hold

    def release(self) -> None:
        """The invalidation is over: misses refill it again."""
        self.held = False
        if self.step == 0.0:
            self.step = max(0.0, self.nominal - self.ratio) / self.params.refill_misses
