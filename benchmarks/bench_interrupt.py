"""Ctrl+C latency on a large run (issue 16): from SIGINT to the process gone.

A generated binary tree of 2,000 services takes 60,000 requests/s for ten
minutes of simulated time (far more than finishes before the signal). The
benchmark starts ``cascade-board simulate`` on it in a subprocess, lets it run
for ``--wait`` seconds (the heap grows to a few hundred MiB), sends SIGINT and
times until the process has exited; then the same with four replications on
the local process pool. It also checks that no worker process outlives it.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_interrupt.py [--wait S] [--repeat N]``.
Target: under 1 s each time.

Measured 2026-12-01 on the shared 2-core machine (load average 9-12), this
benchmark's defaults, before and after this work:

    before: one run          RSS 90 MiB,  exit 0.90/0.62/0.63 s after SIGINT
            4 replications   RSS 259 MiB, exit 0.64/1.07/1.23 s
    after:  one run          RSS 90 MiB,  exit 0.09/0.14/0.46 s
            4 replications   RSS 261 MiB, exit 0.17/0.15/0.20 s, status 130, no worker left

Before, the time went into freeing the run's objects at exit (2.7 s at 180 MiB
on a million requests per second), and a signal during start-up printed a
traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.synthetic import board_data  # noqa: E402

NODES = 2_000
RPS = 60_000.0
DURATION_S = 600.0


def write_board(folder: Path) -> Path:
    data = board_data("tree", NODES, rps=RPS)
    data["scenarios"][0]["duration_s"] = DURATION_S
    path = folder / "big-tree.cboard"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def interrupt_once(board: Path, wait_s: float, extra: list[str]) -> tuple[float, float, int, int]:
    """(RSS MiB of the tree of processes, seconds from SIGINT to exit, exit status, processes left)."""
    command = [sys.executable, "-m", "app.main", "simulate", str(board), "--scenario", "peak", "--quiet", *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(wait_s)
    tree = [psutil.Process(process.pid)]
    tree += tree[0].children(recursive=True)
    rss = sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20
    started = time.perf_counter()
    process.send_signal(signal.SIGINT)
    status = process.wait()
    latency = time.perf_counter() - started
    time.sleep(0.2)
    left = sum(1 for p in tree[1:] if p.is_running() and p.status() != psutil.STATUS_ZOMBIE)
    for p in tree[1:]:  # a failure of the benchmark must not leave workers running
        if p.is_running():
            p.kill()
    return rss, latency, status, left


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wait", type=float, default=8.0, help="seconds the run goes on before SIGINT")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        board = write_board(Path(folder))
        for name, extra in (("one run", []), ("4 replications, 2 processes", ["--replications", "4", "--jobs", "2"])):
            results = [interrupt_once(board, args.wait, extra) for _ in range(args.repeat)]
            latencies = "/".join(f"{r[1]:.2f}" for r in results)
            print(f"{name:<28} after {args.wait:g} s: RSS {max(r[0] for r in results):.0f} MiB, "
                  f"exit {latencies} s after SIGINT, status {results[0][2]}, "
                  f"worker processes left {sum(r[3] for r in results)}")


if __name__ == "__main__":
    main()
