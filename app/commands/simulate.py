"""``cascade-board simulate FILE --scenario ID``: run one simulation headless."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from typing import Any

from app.cli import CliError
from app.commands.common import load_or_fail, print_json
from models.document import BoardDocument
from models.errors import BoardError
from models.simulation import Simulation, SimulationResult

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
    document: BoardDocument, scenario: str, interventions: list[str], seed: int, duration: float | None,
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
        print_json(result.data)
    else:
        print(render_text(result.data))
    return 0


def write_series(path: str, rows: list[dict[str, Any]]) -> None:
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    try:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror}") from None


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} ms"


def render_text(data: dict[str, Any]) -> str:
    latency = data["latency_ms"]
    with_text = ", ".join(data["interventions"]) or "none"
    lines = [
        f"Scenario {data['scenario']} with interventions: {with_text}",
        f"  seed {data['seed']}, {data['duration_s']:g} s simulated ({data['warmup_s']:g} s warm-up not counted)",
        "",
        f"  requests   {data['requests']:>9,}   succeeded {data['succeeded']:,}, degraded {data['degraded']:,}, "
        f"failed {data['failed']:,}",
        f"  error rate {data['error_rate'] * 100:8.3f} %   goodput {data['goodput_rps']:.1f}/s",
        f"  latency    mean {_ms(latency['mean'])}, p50 {_ms(latency['p50'])}, p95 {_ms(latency['p95'])}, "
        f"p99 {_ms(latency['p99'])}",
        "",
        f"  {'node':<14} {'util':>6} {'max queue':>10} {'p99':>10}  errors",
    ]
    for node_id, node in data["nodes"].items():
        errors = ", ".join(f"{cause} {count:,}" for cause, count in node["errors"].items()) or "-"
        utilisation = f"{node['utilization'] * 100:5.1f}%"
        lines.append(f"  {node_id:<14} {utilisation} {node['max_queue']:>10,} {_ms(node['p99_ms']):>10}  {errors}")
    cascade = " → ".join(f"{c['node']} ({c['t']:g} s)" for c in data["cascade"]) or "no node turned red"
    lines += ["", f"  cascade: {cascade}"]
    recovery = data.get("recovery")
    if recovery:
        if recovery["recovered"]:
            lines.append(f"  recovered {recovery['recover_s']:g} s after the failure ended")
        else:
            lines.append("  did not recover after the failure ended (metastable)")
    return "\n".join(lines)
