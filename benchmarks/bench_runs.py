"""Replications spread over cores, and the cost of running them through Dask.

Run: ``.venv/bin/python benchmarks/bench_runs.py [--replications 20] [--scenario peak] [--duration S]``
(the Dask part needs ``pip install -e '.[cluster]'``).

Measured side by side in one run, on the same jobs (StreamFlow replications):
1. this process alone (one core) against the local process pool over
   ``--cores`` cores: the speed-up (issue 11 asks for at least 1.7x on 2 cores);
2. a Dask ``LocalCluster`` with as many single-threaded worker processes
   against the local pool: the overhead of going through a scheduler.
Every way must give the same results, bit for bit; the script checks it.
The machine should be otherwise idle: the ratios mean nothing on shared cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.resources import example_path  # noqa: E402
from models.fileformat import load_path  # noqa: E402
from models.runs.executors import DaskCluster, Executor, InProcess, LocalPool  # noqa: E402
from models.runs.jobs import RunJob, board_text, run_job  # noqa: E402
from models.runs.seeds import DEFAULT_SEED, replication_seeds  # noqa: E402


def timed(make: Callable[[], Executor], jobs: list[RunJob]) -> tuple[float, list[Any], str]:
    """Wall time of the whole map, start-up of the workers included."""
    started = time.perf_counter()
    with make() as executor:
        results = executor.map(run_job, jobs)
        name = executor.name
    return time.perf_counter() - started, results, name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--scenario", default="peak")
    parser.add_argument("--duration", type=float, help="simulated seconds (default: the scenario's)")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    text = board_text(load_path(example_path("streamflow-ai.cboard")))
    jobs = [RunJob(text, args.scenario, seed, (), args.duration) for seed in replication_seeds(DEFAULT_SEED,
                                                                                              args.replications)]
    print(f"{len(jobs)} StreamFlow replications of {args.scenario!r}, {os.cpu_count()} cores on this machine, "
          f"load average {os.getloadavg()[0]:.1f}")
    one_s, one, one_name = timed(InProcess, jobs)
    print(f"  {one_name:<40} {one_s:8.1f} s")
    pool_s, pooled, pool_name = timed(lambda: LocalPool(args.cores), jobs)
    print(f"  {pool_name:<40} {pool_s:8.1f} s   speed-up {one_s / pool_s:.2f}x (target >= 1.7x on 2 cores)")
    assert pooled == one, "the pool's results differ from this process's"
    if args.skip_dask:
        return 0
    import distributed

    with distributed.LocalCluster(n_workers=args.cores, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        dask_s, dasked, dask_name = timed(lambda: DaskCluster(cluster.scheduler_address), jobs)
    print(f"  {dask_name:<40} {dask_s:8.1f} s   {dask_s / pool_s:.2f}x the local pool's time "
          f"({(dask_s - pool_s) / len(jobs) * 1000:+.0f} ms per job)")
    assert dasked == one, "the Dask cluster's results differ from this process's"
    print("  results identical in all three")
    return 0


if __name__ == "__main__":
    sys.exit(main())
