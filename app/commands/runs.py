"""What ``simulate``, ``compare`` and ``sweep`` share about running many
replications: their flags, checking them, choosing where the jobs run, the
progress line on stderr and the "mean ± half-width" text (docs/runs.md)."""

from __future__ import annotations

import argparse
import math
import sys
import time
from typing import IO, Any

from app.cli import CliError
from models.document import BoardDocument
from models.errors import BoardError
from models.runs.executors import DaskCluster, Executor, LocalPool, SchedulerError, available_cores
from models.runs.metrics import Unit
from models.runs.replicate import (
    DEFAULT_MAX_REPLICATIONS,
    MAX_REPLICATIONS,
    RunPlan,
    RunsResult,
    Variant,
    run_replications,
)
from models.runs.seeds import DEFAULT_SEED
from models.runs.stats import CONFIDENCE, Estimate

PLAIN_PROGRESS_STEP = 0.1
"""Without a terminal, progress is one line per tenth of the runs (no carriage returns)."""


def add_seed_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"base seed; replication i runs with a seed derived from it (default {DEFAULT_SEED})")


def add_run_arguments(parser: argparse.ArgumentParser, default_replications: int) -> None:
    """``--replications``/``--half-width``/``--max-replications``, ``--jobs``/``--scheduler``."""
    count = parser.add_mutually_exclusive_group()
    count.add_argument("--replications", type=int, metavar="N", default=None,
                       help=f"independent replications of every run (default {default_replications})")
    count.add_argument("--half-width", type=float, metavar="PCT",
                       help="replicate until the 95 %% half-width of p99 and of the error rate is within PCT %% "
                            "of their mean (an error rate within 0.1 pp also counts)")
    parser.add_argument("--max-replications", type=int, metavar="N",
                        help=f"the cap for --half-width (default {DEFAULT_MAX_REPLICATIONS})")
    add_where_arguments(parser)
    parser.set_defaults(default_replications=default_replications)


def add_where_arguments(parser: argparse.ArgumentParser) -> None:
    """``--jobs N`` | ``--scheduler ADDRESS`` [``--fallback-local``]: where the jobs run."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--jobs", type=int, metavar="N",
                       help=f"local processes running at once (default: every core, {available_cores()} here)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run the jobs on this Dask scheduler (tcp://host:8786) instead of the local cores")
    parser.add_argument("--fallback-local", action="store_true",
                        help="if the --scheduler does not answer, say so and run on the local cores instead")


def plan_from(args: argparse.Namespace, board: str) -> RunPlan:
    """The run plan the flags ask for, or a ``CliError`` (exit 2) naming the flag."""
    replications, half_width = replications_from(args)
    check_where(args)
    try:
        return RunPlan(board, args.scenario, args.seed, replications, half_width, args.duration)
    except BoardError as error:
        raise CliError(str(error), 2) from None


def replications_from(args: argparse.Namespace) -> tuple[int, float | None]:
    """(replications or the cap, relative half-width target or None) from ``--replications`` /
    ``--half-width`` / ``--max-replications``, or a ``CliError`` (exit 2) naming the flag."""
    replications = args.default_replications if args.replications is None else args.replications
    half_width = None
    if args.replications is not None and not 1 <= args.replications <= MAX_REPLICATIONS:
        raise CliError(f"--replications: must be between 1 and {MAX_REPLICATIONS}, not {args.replications}", 2)
    if args.max_replications is not None:
        if args.half_width is None:
            raise CliError("--max-replications: only with --half-width (it caps the stopping rule)", 2)
        if not 2 <= args.max_replications <= MAX_REPLICATIONS:
            raise CliError(f"--max-replications: must be between 2 and {MAX_REPLICATIONS}, "
                           f"not {args.max_replications}", 2)
    if args.half_width is not None:
        if not 0.0 < args.half_width < 100.0 or math.isnan(args.half_width):
            raise CliError(f"--half-width: a percentage above 0 and below 100, not {args.half_width:g}", 2)
        half_width = args.half_width / 100.0
        replications = args.max_replications or DEFAULT_MAX_REPLICATIONS
    return replications, half_width


def check_scenario(document: BoardDocument, scenario: str) -> None:
    """A ``CliError`` (exit 2) when the board has no such scenario, before any job starts."""
    try:
        document.scenario(scenario)
    except BoardError as error:
        raise CliError(f"--scenario: {error}", 2) from None


def check_where(args: argparse.Namespace) -> None:
    """``--jobs`` and ``--fallback-local`` make sense, or a ``CliError`` (exit 2) naming the flag."""
    if args.jobs is not None and not 1 <= args.jobs <= 1024:
        raise CliError(f"--jobs: must be between 1 and 1024, not {args.jobs}", 2)
    if args.fallback_local and not args.scheduler:
        raise CliError("--fallback-local: only with --scheduler", 2)


def executor_from(args: argparse.Namespace) -> Executor:
    """The local pool, or the Dask cluster ``--scheduler`` names (connected now, before any run)."""
    check_where(args)
    if not args.scheduler:
        return LocalPool(args.jobs)
    try:
        return DaskCluster(args.scheduler)
    except SchedulerError as error:
        if not args.fallback_local:
            raise CliError(f"--scheduler: {error}; nothing was run (--fallback-local runs on this machine instead)",
                           2) from None
        pool = LocalPool(None)
        print(f"--scheduler: {error}; running on {pool.name} instead", file=sys.stderr)
        return pool


def replicate(args: argparse.Namespace, plan: RunPlan, variants: list[Variant], label: str) -> RunsResult:
    """Run the plan where the flags say, with progress on stderr; job errors become exit 2."""
    with executor_from(args) as executor:
        progress = TerminalProgress(label, args.quiet)
        try:
            result = run_replications(plan, variants, executor, progress)
        except BoardError as error:
            raise CliError(str(error), 2) from None
        finally:
            progress.close()
    progress.close(result)
    return result


class TerminalProgress:
    """Runs finished out of planned, on stderr: a tqdm bar on a terminal, a
    plain line every tenth of the work otherwise (logs get no carriage returns)."""

    def __init__(self, label: str, quiet: bool = False, stream: IO[str] | None = None) -> None:
        self.label = label
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self._bar: Any = None
        self._next_line = 0.0
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        if self.quiet or total <= 1:
            return
        if self.stream.isatty():
            if self._bar is None:
                from tqdm import tqdm

                tqdm.monitor_interval = 0  # no monitor thread: the pool's workers may then start by fork
                self._bar = tqdm(total=total, desc=self.label, unit="run", file=self.stream, leave=False,
                                 dynamic_ncols=True)
            self._bar.update(done - self._bar.n)
        elif done and (done >= self._next_line * total or done == total):
            print(f"{self.label}: {done} of {total} runs", file=self.stream, flush=True)
            self._next_line = math.floor(done / total / PLAIN_PROGRESS_STEP + 1) * PLAIN_PROGRESS_STEP

    def close(self, result: RunsResult | None = None) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if result is not None and not self.quiet:
            elapsed = time.perf_counter() - self.started
            print(f"{self.label}: {runs_line(result)}, {elapsed:.1f} s on {result.where}", file=self.stream)


def runs_line(result: RunsResult) -> str:
    """``10 replications (the half-width target was met)``: how N came about."""
    n = result.replications
    why = {"count": "", "target": ", the half-width target met",
           "cap": f", the cap reached before the {result.plan.half_width or 0:.0%} half-width target"}[result.stopped]
    return f"{n} replication{'s' if n != 1 else ''}{why}"


def header(result: RunsResult) -> str:
    """The line every table of estimates starts with: N, base seed, what ± means."""
    n = result.replications
    interval = (f"mean ± {CONFIDENCE * 100:g} % half-width (Student t, {n - 1} df)" if n > 1
                else "one run: no confidence interval (use --replications N)")
    return f"N = {runs_line(result)}, base seed {result.plan.base_seed}; {interval}"


_DECIMALS = {Unit.MS: 0, Unit.SHARE: 2, Unit.PER_S: 1, Unit.S: 1, Unit.COUNT: 0}


def scaled(value: float, unit: Unit) -> float:
    """Shares are shown in percent (and their differences in pp)."""
    return value * 100.0 if unit is Unit.SHARE else value


def format_estimate(found: Estimate | None, unit: Unit, difference: bool = False) -> str:
    """``9,210 ± 310 ms``, ``2.03 ± 0.40 %``; a difference of shares in ``pp``."""
    if found is None:
        return "-"
    decimals = _DECIMALS[unit]
    sign = "+" if difference else ""
    label = "pp" if difference and unit is Unit.SHARE else unit.value
    space = "" if unit in (Unit.PER_S, Unit.COUNT) else " "
    mean = f"{scaled(found.mean, unit):{sign},.{decimals}f}"
    if found.half_width is None:
        return f"{mean}{space}{label}"
    return f"{mean} ± {scaled(found.half_width, unit):,.{decimals}f}{space}{label}"


def render_table(head: list[str], rows: list[list[str]]) -> list[str]:
    """Left-aligned first column, right-aligned others, widths from the content."""
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    lines = []
    for row in [head, *rows]:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    return lines
