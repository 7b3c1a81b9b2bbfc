"""``cascade-board simulate FILE --scenario ID``: run one simulation headless."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Sequence

from app.cli import CliError
from app.commands.common import load_or_fail, print_json
from models.document import BoardDocument
from models.errors import BoardError
from models.simulation import Simulation, SimulationResult
from models.simulation.result import SeriesRow

PROGRESS_AFTER_S = 2.0
"""Show progress on stderr once a run has taken this long (wall time)."""
PROGRESS_STEPS = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--scenario", required=True, help="scenario id (see the board's scenarios)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--with", dest="with_", metavar="ID[,ID...]", help="interventions to apply, comma-separated")
    group.add_argument("--all-interventions", action="store_true", help="apply every intervention on the board")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same result)")
    parser.add_argument("--duration", type=float, help="simulated seconds (default: the scenario's)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument("--series", metavar="OUT.csv", help="write per-second metrics of every node and edge")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def intervention_ids(document: BoardDocument, args: argparse.Namespace) -> list[str]:
    if getattr(args, "all_interventions", False):
        return [i.id for i in sorted(document.interventions, key=lambda i: i.rank)]
    if getattr(args, "with_", None):
        return [part.strip() for part in args.with_.split(",") if part.strip()]
    return []


def run(
    document: BoardDocument, scenario: str, interventions: Sequence[str], seed: int, duration: float | None,
    quiet: bool = False, label: str = "",
) -> SimulationResult:
    """One run with progress on stderr when it is slow; errors become ``CliError``."""
    try:
        simulation = Simulation(document, scenario, interventions, seed=seed, duration_s=duration)
    except BoardError as error:
        raise CliError(str(error), 2) from None
    started = time.perf_counter()
    shown = False
    every = simulation.duration_s / PROGRESS_STEPS
    for frame in simulation.frames(every):
        if not quiet and time.perf_counter() - started > PROGRESS_AFTER_S:
            shown = True
            name = label or scenario
            print(f"\rsimulating {name}: {frame.t:7.0f} / {simulation.duration_s:g} s", end="", file=sys.stderr)
    if shown:
        print(file=sys.stderr)
    return simulation.result()


def execute(args: argparse.Namespace) -> int:
    document = load_or_fail(args.file)
    ids = intervention_ids(document, args)
    result = run(document, args.scenario, ids, args.seed, args.duration, args.quiet)
    if args.series:
        write_series(args.series, result.series)
    if args.json:
        print_json(result.to_dict())
    else:
        print(render_text(result))
    return 0


def write_series(path: str, series: Sequence[SeriesRow]) -> None:
    rows = [row._asdict() for row in series]
    columns: list[str] = []
    for kind in {type(row): None for row in series}:
        for column in kind._fields:
            if column not in columns:
                columns.append(column)
    try:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror}") from None


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} ms"


def render_text(result: SimulationResult) -> str:
    latency = result.latency
    with_text = ", ".join(result.interventions) or "none"
    lines = [
        f"Scenario {result.scenario} with interventions: {with_text}",
        f"  seed {result.seed}, {result.duration_s:g} s simulated ({result.warmup_s:g} s warm-up not counted)",
        "",
        f"  requests   {result.requests:>9,}   succeeded {result.succeeded:,}, degraded {result.degraded:,}, "
        f"failed {result.failed:,}",
        f"  error rate {result.error_rate * 100:8.3f} %   goodput {result.goodput_rps:.1f}/s",
        f"  latency    mean {_ms(latency.mean_ms)}, p50 {_ms(latency.p50_ms)}, p95 {_ms(latency.p95_ms)}, "
        f"p99 {_ms(latency.p99_ms)}",
        "",
        f"  {'node':<14} {'util':>6} {'max queue':>10} {'p99':>10}  errors",
    ]
    for node_id, node in result.nodes.items():
        errors = ", ".join(f"{cause} {count:,}" for cause, count in node.errors.items()) or "-"
        utilisation = f"{node.utilization * 100:5.1f}%"
        lines.append(f"  {node_id:<14} {utilisation} {node.max_queue:>10,} {_ms(node.p99_ms):>10}  {errors}")
    cascade = " → ".join(f"{c.node} ({c.t:g} s)" for c in result.cascade) or "no node turned red"
    lines += ["", f"  cascade: {cascade}"]
    recovery = result.recovery
    if recovery:
        if recovery.recovered:
            assert recovery.recover_s is not None
            lines.append(f"  recovered {recovery.recover_s:g} s after the failure ended")
        else:
            lines.append("  did not recover after the failure ended (metastable)")
    return "\n".join(lines)
