"""``cascade-board analyze`` and ``validate`` from the shell (issue 16): wall and CPU time per command.

Each command runs as a user runs it, ``python -m app.main analyze FILE`` in a fresh process, on
a generated 1,000-node chain and a dense 26-node DAG (every node calls every later one). Three
ways:

- warm: the code's ``.pyc`` files exist (any run after the first);
- clean clone: the code (``app``, ``models``, ``resources``) is copied without any
  ``__pycache__``, then compiled as ``packaging/setup.sh`` (the README's first command)
  compiles it, and run with ``PYTHONDONTWRITEBYTECODE``: the first run after ``git clone`` and
  the set-up. A measured tree whose ``packaging/setup.sh`` compiles nothing (or a ``--baseline``
  tree, which holds no ``packaging``) is measured as without ``.pyc``;
- without .pyc: the same copy never compiled, so every run compiles the code (a clone run
  without the set-up).

Wall time is the median over ``--repeat`` runs; CPU is the child's user + system time
(``RUSAGE_CHILDREN``), which the machine's other load inflates far less than wall time. The
imports on the path are listed with ``python -X importtime -m app.main analyze FILE``.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_cli.py [--repeat 5] [--baseline REV]``.
Target (issue 16): under 1 s wall from a clean clone.

Measured 2026-12-01 on the shared 2-core machine (load average 6-8), ``--repeat 5 --baseline
39a6a52`` (old → new), with instruction counts that the load does not change: see docs/LIMITS.md
("Start-up").
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.targets import ROOT, add_baseline_option, finish, report
from models.synthetic import board_data

BOARDS = {"chain of 1,000": ("chain", 999), "dense DAG of 26": ("dag", 25)}
SETUP_COMPILE = ("-m", "compileall", "-q", "app", "models")
"""What ``packaging/setup.sh`` runs after installing (tests/test_boundaries.py checks it)."""


def setup_compiles() -> bool:
    setup = ROOT / "packaging" / "setup.sh"
    return setup.is_file() and " ".join(SETUP_COMPILE) in setup.read_text(encoding="utf-8")


def clean_copy(compiled: bool) -> Path:
    """The measured code without compiled files, as a fresh clone holds it; ``compiled``: then
    compiled as ``packaging/setup.sh`` does."""
    folder = Path(tempfile.mkdtemp(prefix="cascade-clean-"))
    for part in ("app", "models", "resources"):
        shutil.copytree(ROOT / part, folder / part, ignore=shutil.ignore_patterns("__pycache__"))
    if compiled:
        subprocess.run([sys.executable, *SETUP_COMPILE], cwd=folder, check=True)
    return folder


def run_once(code: Path, command: list[str], writes_pyc: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``python -m app.main COMMAND``."""
    env = {"PYTHONPATH": str(code), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    if not writes_pyc:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app.main", *command], cwd=code, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (the median is reported)")
    add_baseline_option(parser)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cascade-cli-"))
    after_setup, source_only = clean_copy(setup_compiles()), clean_copy(False)
    print(f"analyze and validate in a fresh process, median of {args.repeat} runs (wall; CPU = user + system)")
    if not setup_compiles():
        print("  (packaging/setup.sh of the measured tree compiles nothing: a clean clone runs without .pyc)")
    for name, (shape, n) in BOARDS.items():
        path = folder / f"{shape}.cboard"
        path.write_text(json.dumps(board_data(shape, n)), encoding="utf-8")
        for verb in ("analyze", "validate"):
            if verb == "validate" and shape != "chain":
                continue
            ways = (("warm", ROOT, True), ("clean clone", after_setup, False), ("without .pyc", source_only, False))
            for label, code, writes_pyc in ways:
                run_once(code, [verb, str(path)], writes_pyc)  # the page cache and (warm) the .pyc files
                runs = [run_once(code, [verb, str(path)], writes_pyc) for _ in range(args.repeat)]
                wall = statistics.median(r[0] for r in runs)
                cpu = statistics.median(r[1] for r in runs)
                report(f"{verb} {name}, {label}: wall", wall * 1000, "ms", 1000, higher_is_better=False)
                report(f"{verb} {name}, {label}: CPU", cpu * 1000, "ms", higher_is_better=False)
    for copy in (after_setup, source_only):
        shutil.rmtree(copy, ignore_errors=True)
    finish(args, sys.argv)


if __name__ == "__main__":
    main()
