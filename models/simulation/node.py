"""A node at run time: replicas of a worker pool behind a load balancer, its
queue, rate limit, throttle, cache and call plan.

A request waits for a worker (or is refused: 429 by the rate limit, rejected
by a full queue or the concurrency throttle, crashed while the node is down,
expired when it honours deadlines and the caller has given up), does its own
work, runs the plan while still holding the worker, does the error path's
work if it failed, and releases it. A step of the plan whose calls go through
an edge queue frees the worker while it waits and takes one again to go on.
The waiting line is served FIFO, by priority, LIFO or under CoDel (which
sheds requests that waited too long); replicas that fail again and again may
be ejected from the load balancer (docs/SIMULATION.md, "A node").
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, cast

import simpy

from models.entities import Node
from models.params import CoDel
from models.simulation.cache import HIT, Cache, CacheState, KeyCache
from models.simulation.calls import CallRuntime
from models.simulation.context import DEGRADED, FAIL, LOOKUP, NO_KEY, OK, OK_HIT, OK_MISS, STORE, Ctx, Outcome, after
from models.simulation.distributions import sampler
from models.simulation.resilience import TokenBucket

ServeGen = Generator[simpy.Event, Any, Outcome]

ASYNC_CTX = Ctx()
"""Fire-and-forget work: nobody waits for it, and it is never wasted."""

FIFO, PRIORITY, LIFO, CODEL = 0, 1, 2, 3
"""Queue disciplines, as small ints for the hot path."""
DISCIPLINES = {"fifo": FIFO, "priority": PRIORITY, "lifo": LIFO, "codel": CODEL}
SHED = True
"""What a CoDel queue hands a waiting request it drops instead of a worker."""
DEFAULT_CODEL = CoDel()


@dataclass(slots=True)
class PlanStep:
    """Calls that share an ``order`` in the caller's plan (a parallel group)."""

    order: int
    sync: tuple[CallRuntime, ...]
    async_: tuple[CallRuntime, ...]
    queued: bool


class Replica:
    """One instance of a node: its workers and its waiting line (a heap of
    ``(-priority, seq, event)`` by priority; a deque of events, or of
    ``(enqueued at, event, may be shed)`` under CoDel), the failures injected
    on it alone, and its outlier-ejection state."""

    __slots__ = ("busy", "capacity", "down", "ejected_until", "ejections", "error_p", "errors_in_row", "in_node",
                 "last_empty", "queue", "seq")

    def __init__(self, workers: int, priority: bool) -> None:
        self.busy = 0
        self.capacity = workers
        self.in_node = 0
        self.queue: Any = [] if priority else deque()
        self.seq = 0
        self.down = False
        self.error_p = 0.0
        self.errors_in_row = 0
        self.ejected_until = -math.inf
        self.ejections = 0
        self.last_empty = 0.0


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
        self.discipline = DISCIPLINES[sim.queue_discipline]
        codel = sim.codel or DEFAULT_CODEL
        self.codel_target = codel.target_ms / 1000.0
        self.codel_interval = codel.interval_ms / 1000.0
        self.codel_lifo = codel.adaptive_lifo
        self.ejection = sim.outlier_ejection
        self.ejected = 0
        self.deadlines = sim.honour_deadlines
        self.error_work = sampler(sim.error_work, rng) if sim.error_work else None
        self.queue_limit = sim.queue_limit
        self.concurrency_limit = sim.concurrency_limit
        self.limiter = TokenBucket(sim.rate_limit.rate_per_s, sim.rate_limit.burst) if sim.rate_limit else None
        self.nominal_rate = sim.rate_limit.rate_per_s if sim.rate_limit else None
        self.gated = self.limiter is not None or self.concurrency_limit is not None or self.deadlines
        """May a request be refused before it waits (rate limit, throttle, deadlines)? Fixed for the run."""
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
        self.load_in_node = load is not None and load.basis == "in_node"
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
        if self.ejection is not None:
            now = self.env.now
            replicas = [r for r in replicas if r.ejected_until <= now] or replicas
        if self.node.sim.load_balancer == "random":
            return replicas[self.rng.randrange(len(replicas))]
        if self.node.sim.load_balancer == "least_connections":
            return min(replicas, key=lambda r: r.in_node)
        self.round_robin = (self.round_robin + 1) % len(replicas)
        return replicas[self.round_robin]

    def _enqueue(self, replica: Replica, event: simpy.Event, priority: int, sheddable: bool = True) -> None:
        replica.seq += 1
        discipline = self.discipline
        if discipline == PRIORITY:
            heapq.heappush(replica.queue, (-priority, replica.seq, event))
        elif discipline == CODEL:
            if not replica.queue:
                replica.last_empty = self.env.now
            replica.queue.append((self.env.now, event, sheddable))
        else:
            replica.queue.append(event)
        self.queued += 1
        if self.queued > self.max_queued:
            self.max_queued = self.queued

    def _release(self, replica: Replica) -> None:
        """Free a worker: hand it to the next in line, or let it idle."""
        self._mark()
        queue = replica.queue
        if queue and replica.busy <= replica.capacity:
            event = queue.popleft() if self.discipline == FIFO else self._next(replica)
            if event is not None:
                self.queued -= 1
                event.succeed()
                return
        replica.busy -= 1
        self.busy -= 1

    def _next(self, replica: Replica) -> simpy.Event | None:
        """Take the next waiting request off ``replica``'s queue (not empty) by
        the node's discipline; None if CoDel shed every one there was."""
        queue = replica.queue
        discipline = self.discipline
        if discipline == FIFO:
            return cast(simpy.Event, queue.popleft())
        if discipline == PRIORITY:
            return cast(simpy.Event, heapq.heappop(queue)[2])
        if discipline == LIFO:
            return cast(simpy.Event, queue.pop())
        return self._codel_next(replica)

    def _codel_next(self, replica: Replica) -> simpy.Event | None:
        """CoDel: shed the requests at the head that waited longer than the
        limit (short while a queue stands), then serve the head, or the tail
        with adaptive LIFO while a queue stands. A request resuming its plan
        after an edge queue is never shed."""
        queue = replica.queue
        now = self.env.now
        standing = now - replica.last_empty > self.codel_interval
        limit = self.codel_target if standing else self.codel_interval
        while queue:
            enqueued, event, sheddable = queue[0]
            if not sheddable:
                queue.popleft()
                return cast(simpy.Event, event)
            if now - enqueued <= limit:
                break
            queue.popleft()
            self.queued -= 1
            event.succeed(SHED)
        if not queue:
            replica.last_empty = now
            return None
        item = queue.pop() if standing and self.codel_lifo else queue.popleft()
        if not queue:
            replica.last_empty = now
        return cast(simpy.Event, item[1])

    def _acquire(self, replica: Replica, priority: int) -> Generator[simpy.Event, Any, None]:
        """Take a worker again (after a step through an edge queue)."""
        self._mark()
        if replica.busy < replica.capacity and not replica.queue:
            replica.busy += 1
            self.busy += 1
            return
        event = self.env.event()
        self._enqueue(replica, event, priority, sheddable=False)
        yield event

    def set_capacity(self, share: float) -> None:
        """A capacity cut (``share`` of the workers remain), or 1.0 to restore."""
        self._mark()
        for replica in self.replicas:
            replica.capacity = max(0, round(self.workers * share))
            while replica.queue and replica.busy < replica.capacity:
                event = self._next(replica)
                if event is None:
                    break
                replica.busy += 1
                self.busy += 1
                self.queued -= 1
                event.succeed()

    def fail_count(self, cause: str) -> None:
        errors = self.errors
        errors[cause] = errors.get(cause, 0) + 1

    def _observe(self, replica: Replica, failed: bool) -> None:
        """Outlier ejection: count the replica's failures in a row, and take it
        out of rotation when they reach the threshold (if few enough are out)."""
        if not failed:
            replica.errors_in_row = 0
            return
        replica.errors_in_row += 1
        ejection = self.ejection
        assert ejection is not None
        now = self.env.now
        if replica.errors_in_row < ejection.consecutive_errors or replica.ejected_until > now:
            return
        out = sum(1 for r in self.replicas if r.ejected_until > now)
        if out >= max(1, math.floor(ejection.max_ejected_share * len(self.replicas))):
            return
        replica.ejections += 1
        replica.ejected_until = now + min(ejection.max_ejection_s, ejection.ejection_s * replica.ejections)
        replica.errors_in_row = 0
        self.ejected += 1

    # --- a request --------------------------------------------------------------

    def serve(self, ctx: Ctx, priority: int = 0, op: int = LOOKUP, admitted: bool = False) -> ServeGen:
        """Handle one request; returns its outcome. (One generator on purpose:
        every nested ``yield from`` costs time on each resume.)"""
        env = self.env
        self.arrivals += 1
        if self.down:
            self.fail_count("crashed")
            return FAIL["crashed"]
        if self.gated:
            limiter = self.limiter
            if limiter is not None and not admitted and not limiter.take(env.now):
                self.fail_count("429")
                return FAIL["429"]
            if self.concurrency_limit is not None and self.in_node >= self.concurrency_limit:
                self.fail_count("rejected")
                return FAIL["rejected"]
            if self.deadlines and ctx.deadline <= env.now:
                self.fail_count("expired")
                return FAIL["expired"]
        replica = self.single
        if replica is None:
            replica = self._pick()
            if replica.down or (replica.error_p and self.rng.random() < replica.error_p):
                fast = "crashed" if replica.down else "error"  # this replica alone fails, and fast
                self.fail_count(fast)
                if self.ejection is not None:
                    self._observe(replica, True)
                return FAIL[fast]
        start = now = env._now
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
            shed = yield event
            if shed:
                self._leave(replica, start)
                self.fail_count("shed")
                return FAIL["shed"]
            if self.down:
                self._depart(replica, start)
                self.fail_count("crashed")
                return FAIL["crashed"]
        # own work
        hit: bool | None = None
        key = NO_KEY
        result: Outcome
        if self.deadlines and ctx.deadline <= env.now:
            result = FAIL["expired"]  # the caller gave up while it waited
        else:
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
                    factor = 1.0 + self.load_slope * max(0, self._load(replica) - self.load_knee)
                    duration *= factor if factor < self.load_cap else self.load_cap
            if self.deadlines and ctx.deadline - env.now < duration:
                # cut off when the caller gives up
                yield env.timeout(ctx.deadline - env.now)
                result = FAIL["expired"]
            else:
                if duration > 0.0:
                    yield after(env, duration)
                if self.error_p and self.rng.random() < self.error_p:
                    result = FAIL["error"]
                elif self.steps or (hit is False and self.miss_work is not None):
                    result = yield from self._plan(ctx, replica, priority, hit, key)
                elif hit is None:
                    result = OK
                elif hit:
                    result = OK_HIT
                else:
                    result = OK_MISS if key == NO_KEY else (None, False, False, key)  # the caller recomputes the key
        cause = result[0]
        if cause is not None and self.error_work is not None:
            yield env.timeout(self.error_work() * self.spike * self._load_factor(replica))
        self._depart(replica, start)
        if cause is None:
            self.completions += 1
            if result[1]:
                self.degraded += 1
            self.latencies.append(env._now - start)
        else:
            self.fail_count(cause)
        if self.ejection is not None:
            self._observe(replica, cause is not None)
        if (ctx.gone or (ctx.parent is not None and ctx.dead())) and cause != "expired":
            self.wasted += 1
            self.wasted_s += env.now - start
        return result

    def _depart(self, replica: Replica, start: float) -> None:
        """Release the worker and leave the node: ``_release`` and ``_leave`` in
        one call, as every answered request makes it."""
        now = self.env._now
        dt = now - self.last
        if dt:  # self._mark(), inlined
            self.busy_area += self.busy * dt
            self.queue_area += self.queued * dt
            self.node_area += self.in_node * dt
            self.last = now
        queue = replica.queue
        event = None
        if queue and replica.busy <= replica.capacity:
            event = queue.popleft() if self.discipline == FIFO else self._next(replica)
        if event is not None:
            self.queued -= 1
            event.succeed()
        else:
            replica.busy -= 1
            self.busy -= 1
        replica.in_node -= 1
        self.in_node -= 1
        self.departures += 1
        self.sojourn_s += now - start

    def _leave(self, replica: Replica, start: float) -> None:
        """Leave the node (without a worker to release: shed from the queue)."""
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
                if self.deadlines and ctx.deadline <= env.now:
                    return FAIL["expired"]  # no calls after the caller has given up
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

    def _load(self, replica: Replica) -> int:
        """The load that slows work down: busy workers, or every request in the replica."""
        return replica.in_node if self.load_in_node else replica.busy

    def _load_factor(self, replica: Replica) -> float:
        """How much slower work is at the replica's current concurrency."""
        if not self.load_slope:
            return 1.0
        factor = 1.0 + self.load_slope * max(0, self._load(replica) - self.load_knee)
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
