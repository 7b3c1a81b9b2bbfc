"""``Simulation``: one run of a board, advanced in steps, yielding frames.

A run is (board, scenario id, intervention ids, seed, duration). It is
deterministic: every random draw comes from a ``random.Random`` stream
seeded from the seed and the stream's purpose, and SimPy orders events
deterministically.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Generator, Iterator, Sequence
from types import MappingProxyType
from typing import Any

import simpy

from models.document import BoardDocument
from models.params import FailureInjection
from models.simulation import failures
from models.simulation.build import build, check_cycles, check_failure, find_scenario, prepare, stream
from models.simulation.cache import Cache, KeyCache
from models.simulation.errors import SimulationError
from models.simulation.frames import Frame, SimEvent, Totals
from models.simulation.guard import MemoryBudgetError, MemoryGuard, SimulationCancelled
from models.simulation.metrics import BUCKET_S, Recorder, percentile
from models.simulation.record import CacheCounts, NodeRecord, Outcomes, RunRecord
from models.simulation.result import SimulationResult, summarise
from models.simulation.traffic import Traffic
from models.simulation.users import Users

MAX_DURATION_S = 86_400.0
GC_YOUNG_THRESHOLD = 50_000
"""While it runs, the simulation asks for young-generation collections this
rarely: it allocates many short-lived events, and with a long queue every
collection walks hundreds of thousands of live generators (3x slower runs)."""
MAX_RPS = 100_000.0
"""The highest request rate a run takes: the engine simulates a few hundred
thousand events per wall second, so a million requests per second would take
minutes per simulated second while its queues fill memory (docs/LIMITS.md)."""
GUARD_WALL_S = 0.1
"""The guard reads the memory and looks for a cancel about this often (wall time)."""
GUARD_PERIOD_S = (1e-5, 1.0)
"""The guard wakes every so many simulated seconds, adapted between these bounds
so that it wakes a few times per GUARD_WALL_S whatever the run's speed."""


class Simulation:
    """A simulation of ``document`` under one scenario, with interventions.

    ``step(dt)``/``run_until(t)`` advance it and return the current
    ``Frame``; ``frames(every_s)`` yields one per interval until the end;
    ``inject`` starts a failure now; ``result()`` runs to the end and
    summarises.
    """

    def __init__(
        self,
        document: BoardDocument,
        scenario_id: str,
        interventions: Sequence[str] = (),
        seed: int = 0,
        duration_s: float | None = None,
    ) -> None:
        self.scenario = find_scenario(document, scenario_id)
        self.interventions = tuple(interventions)
        self.document = prepare(document, self.interventions)
        self.seed = int(seed)
        duration = self.scenario.duration_s if duration_s is None else float(duration_s)
        if not (0.0 < duration <= MAX_DURATION_S) or math.isnan(duration):
            raise SimulationError(f"duration must be above 0 and at most {MAX_DURATION_S:g} s, not {duration:g}")
        self.duration_s = duration
        self.warmup_s = min(self.scenario.warmup_s, duration / 2.0)
        for failure in self.scenario.failures:
            check_failure(self.document, failure)
        check_cycles(self.document)
        self._check_rate()
        self.env = simpy.Environment()
        self.events: list[SimEvent] = []
        self._events_seen = 0
        self.runtime = build(self.env, self.document, self.seed, self._breaker_changed,
                             self.scenario.entry_weights())
        self.traffic = Traffic(self.scenario.traffic, duration)
        self.recorder = Recorder(
            list(self.runtime.nodes.values()), list(self.runtime.calls.values()), self.runtime.nominal_s,
            self.warmup_s, self._event,
        )
        # the users' view: per second, and every measured answer
        self._bucket: list[float] = []
        self._bucket_counts = [0, 0, 0]
        self.totals_series: list[Totals] = []
        self.latencies: list[float] = []
        self.outcomes = {"ok": 0, "degraded": 0, "failed": 0}
        self.users = Users(
            self.env, self.traffic, self.scenario.users, self.runtime.entries,
            stream(self.seed, "arrivals"), stream(self.seed, "users"), self._record,
            frozenset(self.scenario.background),
        )
        self._active: dict[int, failures.ActiveFailure] = {}
        self._handles = 0
        for failure in self.scenario.failures:
            self.env.process(self._scheduled(failure))
        self.env.process(self._sampler())
        self.guard = MemoryGuard()
        self.env.process(self._guarded())
        self._result: SimulationResult | None = None

    # --- stepping -----------------------------------------------------------------

    @property
    def now(self) -> float:
        return float(self.env.now)

    @property
    def done(self) -> bool:
        return self.env.now >= self.duration_s

    def run_until(self, t: float) -> Frame:
        """Advance to simulated time ``t`` (capped at the duration)."""
        target = min(float(t), self.duration_s)
        if target > self.env.now:
            young, middle, old = gc.get_threshold()
            gc.set_threshold(max(young, GC_YOUNG_THRESHOLD), middle, old)
            try:
                self.env.run(until=target)
            finally:
                gc.set_threshold(young, middle, old)
        return self.frame()

    def step(self, dt_s: float) -> Frame:
        """Advance by ``dt_s`` seconds of simulated time."""
        if dt_s <= 0:
            raise SimulationError("a step must be a positive number of seconds")
        return self.run_until(self.env.now + dt_s)

    def frames(self, every_s: float = 1.0) -> Iterator[Frame]:
        """A frame every ``every_s`` simulated seconds until the end."""
        if every_s <= 0:
            raise SimulationError("frames need a positive interval")
        while not self.done:
            yield self.step(every_s)

    def frame(self) -> Frame:
        """The current frame: the last whole second, and events since the last frame."""
        now = self.now
        events = tuple(self.events[self._events_seen:])
        self._events_seen = len(self.events)
        totals = self.totals_series[-1] if self.totals_series else Totals(0.0, 0.0, 0.0, 0.0, None, None, 0.0)
        return Frame(
            t=now,
            clock=self.traffic.clock(now),
            phase=self.traffic.phase(now),
            nodes=self.recorder.latest_nodes,
            edges=self.recorder.latest_edges,
            events=events,
            totals=totals,
            done=self.done,
            queues=MappingProxyType({node_id: node.queued for node_id, node in self.runtime.nodes.items()}),
            breakers=MappingProxyType({
                call_id: call.breaker.state for call_id, call in self.runtime.calls.items() if call.breaker is not None
            }),
        )

    def result(self) -> SimulationResult:
        """Run to the end (if not there yet) and summarise."""
        if self._result is None:
            self.run_until(self.duration_s)
            last = self.recorder.times[-1] if self.recorder.times else 0.0
            if self.duration_s - last > 1e-9:
                self._sample(self.duration_s - last)  # the last (possibly partial) second
            self._result = summarise(self.record())
        return self._result

    def record(self) -> RunRecord:
        """What the run recorded so far, handed to the summary."""
        recorder = self.recorder
        nodes = {
            node_id: NodeRecord(
                rows=recorder.node_series[node_id], latencies=recorder.node_latencies[node_id],
                wasted_s=node.wasted_s,
                cache=_cache_counts(node.cache),
            )
            for node_id, node in self.runtime.nodes.items()
        }
        outcomes = self.outcomes
        return RunRecord(
            scenario=self.scenario.id,
            interventions=self.interventions,
            seed=self.seed,
            duration_s=self.duration_s,
            warmup_s=self.warmup_s,
            outcomes=Outcomes(outcomes["ok"], outcomes["degraded"], outcomes["failed"], self.users.in_flight),
            latencies=self.latencies,
            times=recorder.times,
            clocks=[self.traffic.clock(t - 1.0) for t in recorder.times],
            totals=self.totals_series,
            nodes=nodes,
            edges={edge_id: recorder.edge_series[edge_id] for edge_id in self.runtime.calls},
            events=self.events,
            cascade=recorder.cascade,
            failure_windows=self.failure_windows(),
        )

    # --- bounds -------------------------------------------------------------------

    def _scenario_place(self) -> str:
        index = next(i for i, s in enumerate(self.document.scenarios) if s.id == self.scenario.id)
        return f"scenarios[{index}] ({self.scenario.id!r})"

    def _check_rate(self) -> None:
        """Refuse a request rate the engine cannot keep up with, naming the field."""
        traffic = self.scenario.traffic
        if traffic.kind == "points":
            fields = [f"points[{i}]" for i, (_, rps) in enumerate(traffic.points) if rps > MAX_RPS]
        else:
            names = ("base_rps",) if traffic.kind == "constant" else ("base_rps", "peak_rps")
            fields = [name for name in names if getattr(traffic, name) > MAX_RPS]
        if fields:
            raise SimulationError(
                f"{self._scenario_place()}.traffic.{fields[0]}: {Traffic(traffic, 1.0).max_rps:,.0f} requests/s "
                f"is more than a run simulates (at most {MAX_RPS:,.0f}/s); scale the traffic and the workers down "
                f"together, the utilisation stays the same"
            )

    def _guarded(self) -> Generator[simpy.Event, Any, None]:
        """Stop the run with ``MemoryBudgetError`` before it runs the machine out of memory, or
        with ``SimulationCancelled`` once its starter cancels (``models.simulation.guard``)."""
        env, guard = self.env, self.guard
        shortest, longest = GUARD_PERIOD_S
        period = shortest
        woke = checked = time.monotonic()
        while True:
            yield env.timeout(period)
            now = time.monotonic()
            wall, woke = now - woke, now
            if wall < GUARD_WALL_S / 4:
                period = min(longest, period * 2.0)
            elif wall > GUARD_WALL_S:
                period = max(shortest, period / 2.0)
            if now - checked >= GUARD_WALL_S:
                checked = now
                if guard.cancelled():
                    raise SimulationCancelled
                problem = guard.problem()
                if problem is not None:
                    raise MemoryBudgetError(self._out_of_memory(problem))

    def _out_of_memory(self, problem: str) -> str:
        nodes = self.runtime.nodes
        queued = sum(node.queued for node in nodes.values())
        busiest = max(nodes, key=lambda node_id: nodes[node_id].queued)
        return (
            f"the run stopped at {self.now:.3g} s of simulated time before it ran the machine out of memory: "
            f"{problem}, with {self.users.in_flight:,} requests in flight and {queued:,} waiting in queues "
            f"(most at {busiest!r}). Lower {self._scenario_place()}.traffic, give {busiest!r} a queue limit "
            f"(sim.queue_limit) or more workers, or shorten the run"
        )

    # --- failures -----------------------------------------------------------------

    def inject(self, failure: FailureInjection) -> int:
        """Start ``failure`` now (its ``at_s`` is ignored); returns a handle for
        ``end_failure``. A zero duration lasts until ended (or is instant for
        a cache flush or invalidation)."""
        check_failure(self.document, failure)
        handle = self._begin(failure)
        if failure.duration_s > 0:
            self.env.process(self._end_later(handle, failure.duration_s))
        return handle

    def end_failure(self, handle: int) -> None:
        """End a failure started by ``inject`` (or by the scenario)."""
        active = self._active.get(handle)
        if active is None or active.ended:
            return
        active.ended = True
        failures.end(self.runtime, active.failure, self.now)
        self._event(self.now, "failure_ended", active.failure.target, f"{active.failure.kind} ended")

    def _begin(self, failure: FailureInjection) -> int:
        self._handles += 1
        handle = self._handles
        self._active[handle] = failures.ActiveFailure(handle, failure, self.now)
        failures.start(self.runtime, failure, self.now)
        text = f"{failure.kind} on {failure.target}"
        if failure.replica is not None:
            text += f" replica {failure.replica}"
        if failure.kind in ("latency_spike", "capacity_cut", "error_rate", "rate_limit_change"):
            text += f" ({failure.value:g})"
        self._event(self.now, "failure_started", failure.target, text)
        if failure.kind in failures.INSTANT and failure.duration_s == 0:
            self._active[handle].ended = True
        return handle

    def _scheduled(self, failure: FailureInjection) -> Generator[simpy.Event, Any, None]:
        if failure.at_s > 0:
            yield self.env.timeout(failure.at_s)
        handle = self._begin(failure)
        if failure.duration_s > 0:
            yield self.env.timeout(failure.duration_s)
            self.end_failure(handle)

    def _end_later(self, handle: int, after: float) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(after)
        self.end_failure(handle)

    def failure_windows(self) -> list[tuple[float, float]]:
        """(start, end) of every scenario failure; instant ones end at once."""
        return [
            (f.at_s, f.at_s + f.duration_s if f.duration_s > 0 or f.kind in failures.INSTANT else self.duration_s)
            for f in self.scenario.failures
        ]

    # --- recording ----------------------------------------------------------------

    def _event(self, t: float, kind: str, target: str, text: str) -> None:
        self.events.append(SimEvent(t=round(t, 6), kind=kind, target=target, text=text))

    def _breaker_changed(self, edge_id: str, state: str, now: float) -> None:
        self._event(now, f"breaker_{state}", edge_id, f"breaker on {edge_id} is {state.replace('_', '-')}")

    def _record(self, start: float, latency: float, outcome: str) -> None:
        self._bucket.append(latency)
        counts = self._bucket_counts
        counts[0 if outcome == "ok" else 1 if outcome == "degraded" else 2] += 1
        if start >= self.warmup_s:
            self.outcomes[outcome] += 1
            self.latencies.append(latency)

    def _sampler(self) -> Generator[simpy.Event, Any, None]:
        env = self.env
        while True:
            yield env.timeout(BUCKET_S)
            self._sample(BUCKET_S)

    def _sample(self, dt: float) -> None:
        """Close the bucket that ends now (``dt`` long)."""
        now = self.env.now
        self.recorder.sample(now, dt)
        bucket = self._bucket
        bucket.sort()
        ok, degraded, failed = self._bucket_counts
        self.totals_series.append(Totals(
            requests=(ok + degraded + failed) / dt,
            succeeded=ok / dt,
            degraded=degraded / dt,
            failed=failed / dt,
            p50_ms=percentile(bucket, 0.5) * 1000.0 if bucket else None,
            p99_ms=percentile(bucket, 0.99) * 1000.0 if bucket else None,
            offered_rps=self.traffic.rate(now - dt / 2),
            p95_ms=percentile(bucket, 0.95) * 1000.0 if bucket else None,
        ))
        self._bucket = []
        self._bucket_counts = [0, 0, 0]


def _cache_counts(cache: Cache | None) -> CacheCounts | None:
    if cache is None:
        return None
    if isinstance(cache, KeyCache):
        return CacheCounts(cache.lookups, cache.hits, cache.recomputes, cache.waves)
    return CacheCounts(cache.lookups, cache.hits)


def simulate(
    document: BoardDocument, scenario_id: str, interventions: Sequence[str] = (), seed: int = 0,
    duration_s: float | None = None,
) -> SimulationResult:
    """Run a whole simulation and return its summary."""
    return Simulation(document, scenario_id, interventions, seed, duration_s).result()
