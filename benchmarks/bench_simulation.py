"""Simulation speed, measured in one run (a benchmark, not a test).

1. Simulated customers per second on one M/M/c model (c = 4, mean service
   10 ms, utilisation 0.9) in our engine, in bare SimPy (a process per
   customer holding a ``simpy.Resource``) and in ciw; the ratios. The three
   run in turn, ``--rounds`` times, and each keeps its best round, in CPU
   time (what an idle core would take; the machine may be shared) and in wall
   time.
2. Simulated seconds per wall second for the StreamFlow example at ``peak``.
3. The wall time of every shipped example's main scenario (its first), and
   its simulated seconds per wall second: every ``resources/examples/*.cboard``
   found, so boards added later are measured too.

Run: ``.venv/bin/python benchmarks/bench_simulation.py [--seconds S] [--rounds N] [--baseline REV]``;
``--baseline REV`` measures commit REV's engine in the same run and prints both side by side
(benchmarks/targets.py).
Targets (issue 11): ours >= 1x bare SimPy and >= 2x ciw; StreamFlow >= 60x; (issue 12) each example >= 60x,
so the live animation never waits for the engine.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import simpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import targets  # (benchmarks/targets.py: the code measured; puts that code first on sys.path)

from models.document import BoardDocument
from models.entities import Edge, Node
from models.fileformat import load_path
from models.params import Distribution, NodeSim, SimScenario, TrafficProfile, UserBehaviour
from models.simulation import Simulation
from models.simulation.engine import GC_YOUNG_THRESHOLD

ROOT = targets.ROOT
OVER_SIMPY = 1.0
OVER_CIW = 2.0
"""Issue 11's targets: our customers/s over bare SimPy's and over ciw's."""
REAL_TIME = 60.0
"""Simulated seconds per wall second every example reaches (issue 12)."""
SERVERS = 4
SERVICE_S = 0.010
RHO = 0.9
ARRIVAL = RHO * SERVERS / SERVICE_S


def erlang_c_response() -> float:
    offered = ARRIVAL * SERVICE_S
    top = offered**SERVERS / math.factorial(SERVERS) * SERVERS / (SERVERS - offered)
    wait = top / (sum(offered**k / math.factorial(k) for k in range(SERVERS)) + top)
    return wait / (SERVERS / SERVICE_S - ARRIVAL) + SERVICE_S


Measured = tuple[int, float, float, float]
"""(customers served, CPU seconds, wall seconds, mean response in seconds)"""


def _timed(run: Callable[[], tuple[int, float]]) -> Measured:
    cpu, wall = time.process_time(), time.perf_counter()
    customers, response = run()
    return customers, time.process_time() - cpu, time.perf_counter() - wall, response


def ours(seconds: float) -> Measured:
    node = Node(id="server", label="server", sim=NodeSim(
        workers=SERVERS, service_time=Distribution(kind="exponential", mean_ms=SERVICE_S * 1000)))
    document = BoardDocument(
        nodes=(Node(id="users", kind="users", label="users"), node),
        edges=(Edge(id="e", source="users", target="server"),),
        scenarios=(SimScenario(id="mmc", name="M/M/c", duration_s=seconds, traffic=TrafficProfile(
            kind="constant", base_rps=ARRIVAL), users=UserBehaviour(timeout_s=3600.0)),),
    )
    simulation = Simulation(document, "mmc", seed=1)

    def run() -> tuple[int, float]:
        result = simulation.result()
        assert result.latency.mean_ms is not None
        return result.requests, result.latency.mean_ms / 1000

    return _timed(run)


def bare_simpy(seconds: float, tuned_gc: bool = False) -> Measured:
    """A process per customer holding a ``Resource``; ``tuned_gc`` gives it the
    same garbage-collector threshold our engine sets while it runs."""
    threshold = gc.get_threshold()
    if tuned_gc:
        gc.set_threshold(GC_YOUNG_THRESHOLD, *threshold[1:])
    try:
        return _bare_simpy(seconds)
    finally:
        gc.set_threshold(*threshold)


def _bare_simpy(seconds: float) -> Measured:
    env = simpy.Environment()
    servers = simpy.Resource(env, SERVERS)
    rng = random.Random(1)
    done = [0, 0.0]

    def customer():  # type: ignore[no-untyped-def]
        arrived = env.now
        with servers.request() as request:
            yield request
            yield env.timeout(rng.expovariate(1 / SERVICE_S))
        done[0] += 1
        done[1] += env.now - arrived

    def source():  # type: ignore[no-untyped-def]
        while True:
            yield env.timeout(rng.expovariate(ARRIVAL))
            env.process(customer())

    env.process(source())

    def run() -> tuple[int, float]:
        env.run(until=seconds)
        return int(done[0]), done[1] / done[0]

    return _timed(run)


def with_ciw(seconds: float) -> Measured | None:
    try:
        import ciw
    except ImportError:
        return None
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=ARRIVAL)],
        service_distributions=[ciw.dists.Exponential(rate=1 / SERVICE_S)],
        number_of_servers=[SERVERS],
    )
    ciw.seed(1)
    simulation = ciw.Simulation(network)

    def run() -> tuple[int, float]:
        simulation.simulate_until_max_time(seconds)
        records = simulation.get_all_records()
        return len(records), sum(r.waiting_time + r.service_time for r in records) / len(records)

    return _timed(run)


def streamflow(seconds: float | None) -> tuple[float, float, int]:
    simulation = Simulation(load_path(ROOT / "resources" / "examples" / "streamflow-ai.cboard"), "peak",
                            seed=0, duration_s=seconds)
    start = time.perf_counter()
    result = simulation.result()
    wall = time.perf_counter() - start
    return simulation.duration_s / wall, wall, result.requests


def examples() -> list[tuple[str, str, float, float, float, int]]:
    """(name, scenario, simulated s, wall s, CPU s, requests) of every shipped example's first scenario,
    seed 0. The CPU time is what the wall time would be on an idle core (the machine may be shared)."""
    rows = []
    for path in sorted((ROOT / "resources" / "examples").glob("*.cboard")):
        document = load_path(path)
        if not document.scenarios:
            continue
        scenario = document.scenarios[0].id
        simulation = Simulation(document, scenario, seed=0)
        start, cpu = time.perf_counter(), time.process_time()
        result = simulation.result()
        rows.append((path.stem, scenario, simulation.duration_s, time.perf_counter() - start,
                     time.process_time() - cpu, result.requests))
    return rows


def mmc(seconds: float, rounds: int) -> None:
    """The three M/M/c runs in turn, ``rounds`` times; each keeps its best round (CPU and wall apart)."""
    print(f"M/M/{SERVERS}: λ = {ARRIVAL:g}/s, mean service {SERVICE_S * 1000:g} ms, ρ = {RHO}, "
          f"{seconds:g} simulated s, best of {rounds} rounds; theory: mean response "
          f"{erlang_c_response() * 1000:.2f} ms")
    runs: dict[str, Callable[[], Measured | None]] = {
        "cascade-board engine": lambda: ours(seconds),
        "bare SimPy": lambda: bare_simpy(seconds),
        "bare SimPy, same GC": lambda: bare_simpy(seconds, tuned_gc=True),
        "ciw": lambda: with_ciw(seconds),
    }
    best: dict[str, Measured] = {}
    for _ in range(rounds):
        for name, run in runs.items():
            measured = run()
            if measured is None:
                continue
            kept = best.get(name)
            best[name] = measured if kept is None else (
                measured[0], min(kept[1], measured[1]), min(kept[2], measured[2]), measured[3])
    for name, (customers, cpu, wall, response) in best.items():
        print(f"  {name:<22} {customers / cpu:>10,.0f} customers/CPU s {customers / wall:>10,.0f} customers/wall s"
              f"   mean response {response * 1000:6.2f} ms")
    mine = best["cascade-board engine"]
    for name, target in (("bare SimPy", OVER_SIMPY), ("bare SimPy, same GC", None), ("ciw", OVER_CIW)):
        other = best.get(name)
        if other is None:
            print(f"  {name} not installed (pip install -e .[bench])")
            continue
        # our customers/s in per cent of the other's (targets.report prints one decimal)
        goal = None if target is None else 100.0 * target
        targets.report(f"M/M/c ours / {name}, CPU", 100.0 * other[1] / other[0] * mine[0] / mine[1], "%", goal)
        targets.report(f"M/M/c ours / {name}, wall", 100.0 * other[2] / other[0] * mine[0] / mine[2], "%", goal)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=600.0, help="simulated seconds of the M/M/c runs")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the M/M/c runs, each keeps its best")
    parser.add_argument("--mmc-only", action="store_true", help="only the M/M/c runs (not the examples)")
    targets.add_baseline_option(parser)
    args = parser.parse_args()
    mmc(args.seconds, max(1, args.rounds))
    if not args.mmc_only:
        speed, wall, requests = streamflow(None)
        print(f"StreamFlow at peak: 600 simulated s in {wall:.2f} s wall ({requests:,} requests)")
        targets.report("StreamFlow at peak, wall", speed, "× real time", REAL_TIME)
        print(f"Examples, main scenario (seed 0), target >= {REAL_TIME:g}x real time:")
        for name, scenario, simulated, wall, cpu, requests in examples():
            print(f"  {name} ({scenario}): {simulated:.0f} simulated s in {wall:.2f} s wall, {cpu:.2f} s CPU "
                  f"({requests:,} requests)")
            targets.report(f"{name}, wall", simulated / wall, "× real time", REAL_TIME)
            targets.report(f"{name}, CPU", simulated / cpu, "× real time", REAL_TIME)
    targets.finish(args, [str(Path(__file__).resolve()), *sys.argv[1:]])

if __name__ == "__main__":
    main()
