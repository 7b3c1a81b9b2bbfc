"""A node at run time: replicas of a worker pool behind a load balancer, its
queue, rate limit, throttle, cache and call plan.

A request waits for a worker (or is refused: 429 by the rate limit, rejected
by a full queue or the concurrency throttle, crashed while the node is down),
does its own work, runs the plan while still holding the worker, and releases
it. A step of the plan whose calls go through an edge queue frees the worker
while it waits and takes one again to go on.
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, cast

import simpy

from models.entities import Node
from models.simulation.cache import HIT, Cache, CacheState, KeyCache
from models.simulation.calls import CallRuntime
from models.simulation.context import DEGRADED, FAIL, LOOKUP, NO_KEY, OK, OK_HIT, OK_MISS, STORE, Ctx, Outcome
from models.simulation.distributions import sampler
from models.simulation.resilience import TokenBucket

ServeGen = Generator[simpy.Event, Any, Outcome]

ASYNC_CTX = Ctx()
"""Fire-and-forget work: nobody waits for it, and it is never wasted."""


@dataclass(slots=True)
class PlanStep:
    """Calls that share an ``order`` in the caller's plan (a parallel group)."""

    order: int
    sync: tuple[CallRuntime, ...]
    async_: tuple[CallRuntime, ...]
    queued: bool


class Replica:
    """One instance of a node: its workers and its waiting line."""

    __slots__ = ("busy", "capacity", "in_node", "queue", "seq")

    def __init__(self, workers: int, priority: bool) -> None:
        self.busy = 0
        self.capacity = workers
        self.in_node = 0
        self.queue: Any = [] if priority else deque()
        self.seq = 0


class NodeRuntime:
    """The simulated behaviour and the running counters of one node."""

    def __init__(self, env: simpy.Environment, node: Node, rng: random.Random, cache_rng: random.Random) -> None:
        sim = node.sim
        self.env = env
        self.id = node.id
        self.node = node
        self.rng = rng
        self.workers = sim.workers
        self.replicas = [Replica(sim.workers, sim.queue_discipline == "priority") for _ in range(sim.replicas)]
        self.single = self.replicas[0] if sim.replicas == 1 else None
        self.round_robin = 0
        self.priority = sim.queue_discipline == "priority"
        self.queue_limit = sim.queue_limit
        self.concurrency_limit = sim.concurrency_limit
        self.limiter = TokenBucket(sim.rate_limit.rate_per_s, sim.rate_limit.burst) if sim.rate_limit else None
        self.nominal_rate = sim.rate_limit.rate_per_s if sim.rate_limit else None
        self.cache: Cache | None = None
        if sim.cache is not None:
            keyed = sim.cache.model == "keys"
            self.cache = KeyCache(sim.cache, cache_rng, env) if keyed else CacheState(sim.cache, cache_rng)
        self.store_s = sim.cache.store_ms / 1000.0 if sim.cache else 0.0
        self.service = sampler(sim.service_time, rng)
        self.miss_work = sampler(sim.miss_work, rng) if sim.miss_work else None
        load = sim.load_latency
        self.load_knee = load.knee if load else 0
        self.load_slope = load.per_request if load else 0.0
        self.load_cap = load.max_factor if load else 1.0
        self.error_p = sim.error_rate
        self.spike = 1.0
        self.down = False
        self.steps: tuple[PlanStep, ...] = ()
        self.miss_after = -1
        self.pool_size = sim.connection_pool
        self.pool_used = 0
        self.pool_waiting: deque[simpy.Event] = deque()
        # counters (cumulative; the metrics sampler takes differences)
        self.arrivals = 0
        self.admitted = 0
        self.completions = 0
        self.degraded = 0
        self.errors: dict[str, int] = {}
        self.wasted = 0
        self.wasted_s = 0.0
        self.sojourn_s = 0.0
        self.departures = 0
        self.busy = 0
        self.queued = 0
        self.in_node = 0
        self.max_queued = 0
        self.busy_area = 0.0
        self.queue_area = 0.0
        self.node_area = 0.0
        self.last = 0.0
        self.latencies: list[float] = []

    # --- capacity ---------------------------------------------------------------

    @property
    def capacity(self) -> int:
        return sum(r.capacity for r in self.replicas)

    def _mark(self) -> None:
        now = self.env.now
        dt = now - self.last
        if dt:
            self.busy_area += self.busy * dt
            self.queue_area += self.queued * dt
            self.node_area += self.in_node * dt
            self.last = now

    def _pick(self) -> Replica:
        replicas = self.replicas
        if self.node.sim.load_balancer == "random":
            return replicas[self.rng.randrange(len(replicas))]
        if self.node.sim.load_balancer == "least_connections":
            return min(replicas, key=lambda r: r.in_node)
        self.round_robin = (self.round_robin + 1) % len(replicas)
        return replicas[self.round_robin]

    def _enqueue(self, replica: Replica, event: simpy.Event, priority: int) -> None:
        replica.seq += 1
        if self.priority:
            heapq.heappush(replica.queue, (-priority, replica.seq, event))
        else:
            replica.queue.append(event)
        self.queued += 1
        if self.queued > self.max_queued:
            self.max_queued = self.queued

    def _release(self, replica: Replica) -> None:
        """Free a worker: hand it to the next in line, or let it idle."""
        self._mark()
        if replica.queue and replica.busy <= replica.capacity:
            self.queued -= 1
            queue = replica.queue
            event = heapq.heappop(queue)[2] if self.priority else queue.popleft()
            event.succeed()
        else:
            replica.busy -= 1
            self.busy -= 1

    def _acquire(self, replica: Replica, priority: int) -> Generator[simpy.Event, Any, None]:
        """Take a worker again (after a step through an edge queue)."""
        self._mark()
        if replica.busy < replica.capacity and not replica.queue:
            replica.busy += 1
            self.busy += 1
            return
        event = self.env.event()
        self._enqueue(replica, event, priority)
        yield event

    def set_capacity(self, share: float) -> None:
        """A capacity cut (``share`` of the workers remain), or 1.0 to restore."""
        self._mark()
        for replica in self.replicas:
            replica.capacity = max(0, round(self.workers * share))
            while replica.queue and replica.busy < replica.capacity:
                replica.busy += 1
                self.busy += 1
                self.queued -= 1
                event = heapq.heappop(replica.queue)[2] if self.priority else replica.queue.popleft()
                event.succeed()

    def fail_count(self, cause: str) -> None:
        errors = self.errors
        errors[cause] = errors.get(cause, 0) + 1

    # --- a request --------------------------------------------------------------

    def serve(self, ctx: Ctx, priority: int = 0, op: int = LOOKUP, admitted: bool = False) -> ServeGen:
        """Handle one request; returns its outcome. (One generator on purpose:
        every nested ``yield from`` costs time on each resume.)"""
        env = self.env
        self.arrivals += 1
        if self.down:
            self.fail_count("crashed")
            return FAIL["crashed"]
        limiter = self.limiter
        if limiter is not None and not admitted and not limiter.take(env.now):
            self.fail_count("429")
            return FAIL["429"]
        if self.concurrency_limit is not None and self.in_node >= self.concurrency_limit:
            self.fail_count("rejected")
            return FAIL["rejected"]
        replica = self.single or self._pick()
        start = now = env.now
        dt = now - self.last
        if dt:
            self.busy_area += self.busy * dt
            self.queue_area += self.queued * dt
            self.node_area += self.in_node * dt
            self.last = now
        if replica.busy < replica.capacity and not replica.queue:
            replica.busy += 1
            self.busy += 1
            replica.in_node += 1
            self.in_node += 1
            self.admitted += 1
        else:
            if self.queue_limit is not None and len(replica.queue) >= self.queue_limit:
                self.fail_count("rejected")
                return FAIL["rejected"]
            event = env.event()
            self._enqueue(replica, event, priority)
            replica.in_node += 1
            self.in_node += 1
            self.admitted += 1
            yield event
            if self.down:
                self._depart(replica, start)
                self.fail_count("crashed")
                return FAIL["crashed"]
        # own work
        hit: bool | None = None
        key = NO_KEY
        if op == STORE:
            duration = self.store_s * self.spike
        else:
            cache = self.cache
            if cache is not None:
                if isinstance(cache, KeyCache):
                    key = cache.lookup(now)
                    hit = key == HIT
                else:
                    hit = cache.lookup()
            duration = self.service() * self.spike
            if self.load_slope:
                factor = 1.0 + self.load_slope * max(0, replica.busy - self.load_knee)
                duration *= factor if factor < self.load_cap else self.load_cap
        if duration > 0.0:
            yield env.timeout(duration)
        if self.error_p and self.rng.random() < self.error_p:
            result: Outcome = FAIL["error"]
        elif self.steps or (hit is False and self.miss_work is not None):
            result = yield from self._plan(ctx, replica, priority, hit, key)
        elif hit is None:
            result = OK
        elif hit:
            result = OK_HIT
        else:
            result = OK_MISS if key == NO_KEY else (None, False, False, key)  # the caller recomputes the key
        self._depart(replica, start)
        cause = result[0]
        if cause is None:
            self.completions += 1
            if result[1]:
                self.degraded += 1
            self.latencies.append(env.now - start)
        else:
            self.fail_count(cause)
        if ctx.gone or (ctx.parent is not None and ctx.dead()):
            self.wasted += 1
            self.wasted_s += env.now - start
        return result

    def _depart(self, replica: Replica, start: float) -> None:
        """Release the worker and leave the node."""
        self._release(replica)
        replica.in_node -= 1
        self.in_node -= 1
        self.departures += 1
        self.sojourn_s += self.env.now - start

    # --- the call plan ------------------------------------------------------------

    def _plan(self, ctx: Ctx, replica: Replica, priority: int, own_hit: bool | None, own_key: int) -> ServeGen:
        """The call plan, with the cache miss handling around it: a miss on a
        key-level cache (its own or a callee's) is a recompute that fills the
        key when the plan gets past its miss work (or ends) successfully."""
        env = self.env
        hit = own_hit
        degraded = False
        fill: tuple[CacheState, int, simpy.Event] | None = None
        recompute: KeyCache | None = None
        recompute_key = NO_KEY
        looked_up_via: CallRuntime | None = None
        miss_after = self.miss_after
        own = self.cache
        if own_hit is False and own is not None:
            if isinstance(own, KeyCache):
                joined = own.begin(own_key)
                if joined is not None:
                    yield joined
                    hit = True
                else:
                    recompute, recompute_key = own, own_key
            elif own.params.coalescing:
                fill, joined = self._coalesce(own)
                if joined is not None:
                    yield joined
                    hit = True
        try:
            if miss_after == -1 and hit is False and self.miss_work is not None:
                yield env.timeout(self.miss_work() * self.spike * self._load_factor(replica))
            for index, step in enumerate(self.steps):
                for call in step.async_:
                    if call.applies(hit):
                        env.process(call.invoke(ASYNC_CTX, priority))
                calls = [c for c in step.sync if c.applies(hit)] if step.sync else ()
                if calls:
                    if step.queued:
                        self._release(replica)
                    if len(calls) == 1:
                        result = yield from calls[0].invoke(ctx, priority)
                        results: list[Outcome] = [result]
                    else:
                        processes = [env.process(c.invoke(ctx, priority)) for c in calls]
                        yield env.all_of(processes)
                        results = [cast(Outcome, p.value) for p in processes]
                    if step.queued:
                        yield from self._acquire(replica, priority)
                    for call, result in zip(calls, results, strict=True):
                        if result[0] is not None:
                            return result
                        degraded = degraded or result[1]
                        if result[2] is not None and hit is None:
                            hit = result[2]
                            looked_up_via = call
                            cache = call.callee.cache
                            if hit is False and cache is not None:
                                if isinstance(cache, KeyCache):
                                    joined = cache.begin(result[3]) if result[3] != NO_KEY else None
                                    if joined is not None:
                                        yield joined
                                        hit = True
                                    elif result[3] != NO_KEY:
                                        recompute, recompute_key = cache, result[3]
                                elif cache.params.coalescing:
                                    fill, joined = self._coalesce(cache)
                                    if joined is not None:
                                        yield joined
                                        hit = True
                if index == miss_after and hit is False:
                    if self.miss_work is not None:
                        yield env.timeout(self.miss_work() * self.spike * self._load_factor(replica))
                    if looked_up_via is not None and looked_up_via.callee.store_s > 0.0:
                        stored = yield from looked_up_via.invoke(ctx, priority, STORE)
                        if stored[0] is not None:
                            return stored
                    if recompute is not None:
                        recompute.finish(recompute_key, filled=True)
                        recompute = None
            if recompute is not None:
                recompute.finish(recompute_key, filled=True)
                recompute = None
        finally:
            if fill is not None:
                cache_state, key, event = fill
                del cache_state.inflight[key]
                event.succeed()
            if recompute is not None:  # the plan failed: the key stays empty
                recompute.finish(recompute_key, filled=False)
        if degraded:
            return DEGRADED
        if own_hit is not None:
            return OK_HIT if own_hit else OK_MISS
        return OK

    def _load_factor(self, replica: Replica) -> float:
        """How much slower work is at the replica's current concurrency."""
        if not self.load_slope:
            return 1.0
        factor = 1.0 + self.load_slope * max(0, replica.busy - self.load_knee)
        return factor if factor < self.load_cap else self.load_cap

    def _coalesce(self, cache: CacheState) -> tuple[tuple[CacheState, int, simpy.Event] | None, simpy.Event | None]:
        """A miss with coalescing: join a fill under way, or start one."""
        key = cache.key()
        pending = cache.inflight.get(key)
        if pending is not None:
            return None, pending  # type: ignore[return-value]
        event = self.env.event()
        cache.inflight[key] = event
        return (cache, key, event), None

    # --- the connection pool for outgoing calls ---------------------------------

    def take_connection(self) -> simpy.Event | None:
        """None if a connection was free (now taken), else an event to wait on."""
        if self.pool_size is None or self.pool_used < self.pool_size:
            self.pool_used += 1
            return None
        event = self.env.event()
        self.pool_waiting.append(event)
        return event

    def give_connection(self) -> None:
        if self.pool_waiting:
            self.pool_waiting.popleft().succeed()
        else:
            self.pool_used -= 1
