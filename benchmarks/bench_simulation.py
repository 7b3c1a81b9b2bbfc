"""Simulation speed, measured in one run (a benchmark, not a test).

1. Simulated customers per wall second on one M/M/c model (c = 4, mean
   service 10 ms, utilisation 0.9) in our engine, in bare SimPy (a process
   per customer holding a ``simpy.Resource``) and in ciw; the ratios.
2. Simulated seconds per wall second for the StreamFlow example at ``peak``.
3. The same for the main scenario of each engine-pattern example board.

Run: ``.venv/bin/python benchmarks/bench_simulation.py [--seconds S]``.
Targets (issue 3): ours >= 0.5x bare SimPy and >= 1x ciw; StreamFlow >= 60x.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import sys
import time
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.document import BoardDocument  # noqa: E402
from models.entities import Edge, Node  # noqa: E402
from models.fileformat import load_path  # noqa: E402
from models.params import Distribution, NodeSim, SimScenario, TrafficProfile, UserBehaviour  # noqa: E402
from models.simulation import Simulation  # noqa: E402
from models.simulation.engine import GC_YOUNG_THRESHOLD  # noqa: E402

SERVERS = 4
SERVICE_S = 0.010
RHO = 0.9
ARRIVAL = RHO * SERVERS / SERVICE_S


def erlang_c_response() -> float:
    offered = ARRIVAL * SERVICE_S
    top = offered**SERVERS / math.factorial(SERVERS) * SERVERS / (SERVERS - offered)
    wait = top / (sum(offered**k / math.factorial(k) for k in range(SERVERS)) + top)
    return wait / (SERVERS / SERVICE_S - ARRIVAL) + SERVICE_S


def ours(seconds: float) -> tuple[float, float]:
    node = Node(id="server", label="server", sim=NodeSim(
        workers=SERVERS, service_time=Distribution(kind="exponential", mean_ms=SERVICE_S * 1000)))
    document = BoardDocument(
        nodes=(Node(id="users", kind="users", label="users"), node),
        edges=(Edge(id="e", source="users", target="server"),),
        scenarios=(SimScenario(id="mmc", name="M/M/c", duration_s=seconds, traffic=TrafficProfile(
            kind="constant", base_rps=ARRIVAL), users=UserBehaviour(timeout_s=3600.0)),),
    )
    simulation = Simulation(document, "mmc", seed=1)
    start = time.perf_counter()
    result = simulation.result()
    wall = time.perf_counter() - start
    assert result.latency.mean_ms is not None
    return result.requests / wall, result.latency.mean_ms / 1000


def bare_simpy(seconds: float, tuned_gc: bool = False) -> tuple[float, float]:
    """A process per customer holding a ``Resource``; ``tuned_gc`` gives it the
    same garbage-collector threshold our engine sets while it runs."""
    threshold = gc.get_threshold()
    if tuned_gc:
        gc.set_threshold(GC_YOUNG_THRESHOLD, *threshold[1:])
    try:
        return _bare_simpy(seconds)
    finally:
        gc.set_threshold(*threshold)


def _bare_simpy(seconds: float) -> tuple[float, float]:
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
    start = time.perf_counter()
    env.run(until=seconds)
    wall = time.perf_counter() - start
    return done[0] / wall, done[1] / done[0]


def with_ciw(seconds: float) -> tuple[float, float] | None:
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
    start = time.perf_counter()
    simulation.simulate_until_max_time(seconds)
    wall = time.perf_counter() - start
    records = simulation.get_all_records()
    return len(records) / wall, sum(r.waiting_time + r.service_time for r in records) / len(records)


def streamflow(seconds: float | None) -> tuple[float, float, int]:
    simulation = Simulation(load_path(ROOT / "resources" / "examples" / "streamflow-ai.cboard"), "peak",
                            seed=0, duration_s=seconds)
    start = time.perf_counter()
    result = simulation.result()
    wall = time.perf_counter() - start
    return simulation.duration_s / wall, wall, result.requests


# --- the engine-pattern example boards (issue 12, h-mech) -------------------------------------

ENGINE_PATTERNS = ("timeout-cascade", "lb-sinkhole", "unbounded-queue", "gc-death-spiral", "slow-error-handling")


def engine_patterns() -> None:
    """Each board's main (first) scenario, run whole: wall time and simulated seconds per wall second, and
    per CPU second (what the wall figure would be on an idle machine)."""
    for name in ENGINE_PATTERNS:
        document = load_path(ROOT / "resources" / "examples" / f"{name}.cboard")
        simulation = Simulation(document, document.scenarios[0].id, seed=0)
        start, cpu = time.perf_counter(), time.process_time()
        simulation.result()
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"  {name:<22} {simulation.duration_s:g} simulated s in {wall:.2f} s wall "
              f"({cpu:.2f} s CPU): {simulation.duration_s / wall:.0f}x real time, "
              f"{simulation.duration_s / cpu:.0f}x per CPU second  (target >= 60x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=600.0, help="simulated seconds of the M/M/c runs")
    args = parser.parse_args()
    print(f"M/M/{SERVERS}: λ = {ARRIVAL:g}/s, mean service {SERVICE_S * 1000:g} ms, ρ = {RHO}, "
          f"{args.seconds:g} simulated s; theory: mean response {erlang_c_response() * 1000:.2f} ms")
    rows = [
        ("cascade-board engine", ours(args.seconds)),
        ("bare SimPy", bare_simpy(args.seconds)),
        ("bare SimPy, same GC", bare_simpy(args.seconds, tuned_gc=True)),
    ]
    ciw_result = with_ciw(args.seconds)
    if ciw_result is not None:
        rows.append(("ciw", ciw_result))
        ciw_rate = ciw_result[0]
    for name, (rate, response) in rows:
        print(f"  {name:<22} {rate:>10,.0f} customers/s   mean response {response * 1000:6.2f} ms")
    our_rate = rows[0][1][0]
    print(f"  ratio ours / bare SimPy: {our_rate / rows[1][1][0]:.2f}  (target >= 0.5); "
          f"against bare SimPy with our GC threshold: {our_rate / rows[2][1][0]:.2f}")
    if ciw_result is not None:
        print(f"  ratio ours / ciw:        {our_rate / ciw_rate:.2f}  (target >= 1)")
    else:
        print("  ciw not installed (pip install -e .[bench])")
    speed, wall, requests = streamflow(None)
    print(f"StreamFlow at peak: 600 simulated s in {wall:.2f} s wall ({requests:,} requests): "
          f"{speed:.0f}x real time  (target >= 60x)")
    print("Engine-pattern examples, main scenario:")
    engine_patterns()


if __name__ == "__main__":
    main()
