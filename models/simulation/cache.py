"""Caches at run time, in the two models of ``CacheParams``.

``CacheState`` (model ``ratio``) does not track individual entries: a lookup
hits with the current ratio. After an invalidation the ratio is ``invalidated_hit_ratio``
(after a flush, 0) and climbs linearly back to ``hit_ratio`` over about
``refill_misses`` misses. With coalescing, each lookup is for one of
``key_space`` keys; a miss for a key whose fill is already under way waits
for that fill instead of calling the backends again.

``KeyCache`` (model ``keys``) holds entries: Zipf-popular keys, an LRU store,
a TTL with jitter, filled only when a miss's recompute finishes, so the hit
ratio, and stampedes, emerge from the traffic.
"""

from __future__ import annotations

import math
import random
from collections import OrderedDict

import simpy

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


class KeyCache:
    """A key-level cache (model ``keys``): Zipf-popular keys in an LRU store
    with a TTL. The hit ratio emerges from them and from the recompute time.

    A lookup that misses leaves the key for its caller, who calls ``begin``
    when it starts the recompute and ``finish`` when it ends; only ``finish``
    stores the entry, so every lookup until then misses as well (a
    stampede). With coalescing, ``begin`` for a key already being recomputed
    returns an event to wait on instead. ``recomputes`` counts the recomputes
    started, ``waves`` those that found none under way for their key.
    """

    __slots__ = (
        "capacity", "env", "held", "hits", "keys", "lookups", "params", "pending", "recomputes", "rng", "store",
        "ttl_s", "waiters", "waves",
    )

    def __init__(self, params: CacheParams, rng: random.Random, env: simpy.Environment) -> None:
        self.params = params
        self.rng = rng
        self.env = env
        self.keys = ZipfKeys(params.key_space, params.zipf_s, rng)
        self.capacity = params.capacity
        self.ttl_s = params.ttl_s
        self.store: OrderedDict[int, float] = OrderedDict()
        """key → expiry time, least recently used first."""
        self.pending: dict[int, int] = {}
        """key → recomputes under way."""
        self.waiters: dict[int, simpy.Event] = {}
        self.held = False
        self.lookups = 0
        self.hits = 0
        self.recomputes = 0
        self.waves = 0
        if params.warm_start:
            self._warm()

    def _warm(self) -> None:
        """Store the most popular keys (key 0 is the hottest), the hottest last
        used; remaining lifetimes are spread uniformly over one TTL."""
        count = min(self.params.key_space, self.capacity or self.params.key_space, CacheParams.WARM_ENTRIES)
        ttl = self.ttl_s
        store = self.store
        for key in range(count - 1, -1, -1):
            store[key] = math.inf if ttl is None else ttl * self.rng.random()

    def lookup(self, now: float) -> int:
        """One lookup: ``HIT``, or the key that missed (for ``begin``)."""
        self.lookups += 1
        key = self.keys.draw()
        store = self.store
        expiry = store.get(key)
        if expiry is not None:
            if expiry > now:
                self.hits += 1
                store.move_to_end(key)
                return HIT
            del store[key]
        return key

    def begin(self, key: int) -> simpy.Event | None:
        """A caller starts recomputing ``key`` after a miss; with coalescing,
        an event to wait on if a recompute of it is already under way."""
        running = self.pending.get(key, 0)
        if running and self.params.coalescing:
            waiter = self.waiters.get(key)
            if waiter is None:
                waiter = self.waiters[key] = self.env.event()
            return waiter
        self.pending[key] = running + 1
        self.recomputes += 1
        if not running:
            self.waves += 1
        return None

    def finish(self, key: int, filled: bool) -> None:
        """The recompute of ``key`` ended; ``filled``: it succeeded, so the
        entry is stored (unless an invalidation holds the cache empty)."""
        running = self.pending.get(key, 0) - 1
        if running > 0:
            self.pending[key] = running
        else:
            self.pending.pop(key, None)
        if filled and not self.held:
            self._store(key)
        waiter = self.waiters.pop(key, None) if running <= 0 else None
        if waiter is not None:
            waiter.succeed()

    def _store(self, key: int) -> None:
        ttl = self.ttl_s
        if ttl is None:
            expiry = math.inf
        else:
            jitter = self.params.ttl_jitter
            expiry = self.env.now + ttl * (1.0 + jitter * (2.0 * self.rng.random() - 1.0) if jitter else 1.0)
        store = self.store
        store[key] = expiry
        store.move_to_end(key)
        if self.capacity is not None and len(store) > self.capacity:
            store.popitem(last=False)

    def drop(self, to_ratio: float, hold: bool) -> None:
        """An invalidation keeps each entry with probability ``to_ratio`` /
        ``hit_ratio`` (a flush, ``to_ratio`` 0, drops them all); while
        ``hold`` is set finished recomputes store nothing."""
        nominal = self.params.hit_ratio
        keep = min(1.0, to_ratio / nominal) if nominal > 0 else 0.0
        if keep <= 0.0:
            self.store.clear()
        elif keep < 1.0:
            rng = self.rng
            for key in [k for k in self.store if rng.random() >= keep]:
                del self.store[key]
        self.held = hold

    def release(self) -> None:
        """The invalidation is over: recomputes fill the cache again."""
        self.held = False


HIT = -1
"""What ``KeyCache.lookup`` returns on a hit (keys are 0 or more)."""

Cache = CacheState | KeyCache


class ZipfKeys:
    """Keys 0 … n−1 with P(k) ∝ (k+1)^−s, drawn in O(1) by rejection-inversion
    (Hörmann and Derflinger, 1996), so a key space of a billion costs no memory."""

    __slots__ = ("exponent", "h_integral_n", "h_integral_x1", "n", "rng", "shift")

    def __init__(self, n: int, exponent: float, rng: random.Random) -> None:
        self.n = n
        self.exponent = exponent
        self.rng = rng
        self.h_integral_x1 = self._h_integral(1.5) - 1.0
        self.h_integral_n = self._h_integral(n + 0.5)
        self.shift = 2.0 - self._h_integral_inverse(self._h_integral(2.5) - self._h(2.0))

    def _h(self, x: float) -> float:
        return math.exp(-self.exponent * math.log(x))

    def _h_integral(self, x: float) -> float:
        log_x = math.log(x)
        return _expm1_over((1.0 - self.exponent) * log_x) * log_x

    def _h_integral_inverse(self, x: float) -> float:
        t = max(x * (1.0 - self.exponent), -1.0)
        return math.exp(_log1p_over(t) * x)

    def draw(self) -> int:
        if self.n == 1:
            return 0
        random_ = self.rng.random
        while True:
            u = self.h_integral_n + random_() * (self.h_integral_x1 - self.h_integral_n)
            x = self._h_integral_inverse(u)
            k = min(max(int(x + 0.5), 1), self.n)
            if k - x <= self.shift or u >= self._h_integral(k + 0.5) - self._h(k):
                return k - 1


def _expm1_over(x: float) -> float:
    """(e^x − 1) / x, and its limit at 0."""
    return math.expm1(x) / x if abs(x) > 1e-8 else 1.0 + x / 2.0


def _log1p_over(x: float) -> float:
    """ln(1 + x) / x, and its limit at 0."""
    return math.log1p(x) / x if abs(x) > 1e-8 else 1.0 - x / 2.0
