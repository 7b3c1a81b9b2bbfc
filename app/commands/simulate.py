"""``cascade-board simulate FILE --scenario ID``: run one simulation headless,
or ``--replications N`` of it with every figure as mean ± 95 % half-width."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Sequence
from typing import Any

from app.cli import CliError
from app.commands import runs as cli_runs
from app.commands.common import load_or_fail, print_json
from models.document import BoardDocument
from models.errors import BoardError
from models.runs.jobs import board_text
from models.runs.metrics import BY_KEY, NODE_FIGURES, Unit
from models.runs.replicate import RunsResult, Variant
from models.simulation import Simulation, SimulationResult
from models.simulation.result import SeriesRow
from models.utilisation import MEANING, simulated

PROGRESS_AFTER_S = 2.0
"""Show progress on stderr once a run has taken this long (wall time)."""
PROGRESS_STEPS = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--scenario", required=True, help="scenario id (see the board's scenarios)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--with", dest="with_", metavar="ID[,ID...]", help="interventions to apply, comma-separated")
    group.add_argument("--all-interventions", action="store_true", help="apply every intervention on the board")
    cli_runs.add_seed_argument(parser)
    parser.add_argument("--duration", type=float, help="simulated seconds (default: the scenario's)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument("--series", metavar="OUT.csv", help="write per-second metrics of every node and edge (one run)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    cli_runs.add_run_arguments(parser, default_replications=1)


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
    terminal = sys.stderr.isatty()
    for step, frame in enumerate(simulation.frames(every), start=1):
        if not quiet and time.perf_counter() - started > PROGRESS_AFTER_S:
            text = f"simulating {label or scenario}: {frame.t:7.0f} / {simulation.duration_s:g} s"
            if terminal:
                shown = True
                print(f"\r{text}", end="", file=sys.stderr)
            elif step % (PROGRESS_STEPS // 4) == 0:  # a log gets a line per quarter, no carriage returns
                print(text, file=sys.stderr)
    if shown:
        print(file=sys.stderr)
    return simulation.result()


def execute(args: argparse.Namespace) -> int:
    document = load_or_fail(args.file)
    ids = intervention_ids(document, args)
    plan = cli_runs.plan_from(args, board_text(document))
    if plan.replications > 1 or plan.half_width is not None or args.scheduler:
        if args.series:
            raise CliError("--series: writes the per-second metrics of one run; drop --replications/--half-width", 2)
        cli_runs.check_scenario(document, args.scenario)
        replicated = cli_runs.replicate(args, plan, [Variant("run", tuple(ids))], f"simulating {args.scenario}")
        data = replicated_data(replicated)
        print_json(data) if args.json else print(render_replicated(replicated))
        return 0
    result = run(document, args.scenario, ids, args.seed, args.duration, args.quiet)
    if args.series:
        write_series(args.series, result.series)
    if args.json:
        print_json({**result.to_dict(), "utilisation_source": simulated(result).source})
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
        f"  seed {result.seed}, one run (N = 1, no confidence interval: use --replications N), "
        f"{result.duration_s:g} s simulated ({result.warmup_s:g} s warm-up not counted)",
        "",
        f"  requests   {result.requests:>9,}   succeeded {result.succeeded:,}, degraded {result.degraded:,}, "
        f"failed {result.failed:,}",
        f"  error rate {result.error_rate * 100:8.3f} %   goodput {result.goodput_rps:.1f}/s",
        f"  latency    mean {_ms(latency.mean_ms)}, p50 {_ms(latency.p50_ms)}, p95 {_ms(latency.p95_ms)}, "
        f"p99 {_ms(latency.p99_ms)}",
        "",
        f"  {simulated(result).caption()}",
        f"  {'node':<14} {'utilisation':>11} {'max queue':>10} {'p99':>10}  errors",
    ]
    figure = simulated(result)
    for node_id, node in result.nodes.items():
        errors = ", ".join(f"{cause} {count:,}" for cause, count in node.errors.items()) or "-"
        lines.append(f"  {node_id:<14} {figure.text(node_id):>11} {node.max_queue:>10,} {_ms(node.p99_ms):>10}  "
                     f"{errors}")
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


def replicated_data(result: RunsResult) -> dict[str, Any]:
    """The JSON of a replicated ``simulate``: every figure as mean, half-width and n."""
    runs = result.variants[0]
    first = runs.summaries[0]
    return {
        "scenario": first["scenario"], "interventions": first["interventions"],
        "base_seed": result.plan.base_seed, "replications": result.replications, "seeds": list(result.seeds),
        "stopped": result.stopped, "confidence": 0.95,
        "duration_s": first["duration_s"], "warmup_s": first["warmup_s"],
        **{k: v for k, v in runs.to_dict().items() if k in ("metrics", "nodes", "not_recovered")},
    }


def render_replicated(result: RunsResult) -> str:
    runs = result.variants[0]
    first = runs.summaries[0]

    def figure(key: str) -> str:
        return cli_runs.format_estimate(runs.estimate(key), BY_KEY[key].unit)

    with_text = ", ".join(first["interventions"]) or "none"
    lines = [
        f"Scenario {first['scenario']} with interventions: {with_text}",
        f"  {cli_runs.header(result)}",
        f"  {first['duration_s']:g} s simulated each ({first['warmup_s']:g} s warm-up not counted)",
        "",
        f"  latency    mean {figure('mean_ms')}, p50 {figure('p50_ms')}, p95 {figure('p95_ms')}, "
        f"p99 {figure('p99_ms')}",
        f"  errors     {figure('error_rate')}   degraded {figure('degraded_share')}   goodput {figure('goodput_rps')}",
    ]
    if first.get("recovery"):
        stuck = runs.not_recovered()
        recovered = f"recovered {figure('recover_s')} after the failure ended" if stuck < len(runs.summaries) else ""
        metastable = f"{stuck} of {len(runs.summaries)} runs did not recover (metastable)" if stuck else ""
        lines.append(f"  recovery   {'; '.join(part for part in (recovered, metastable) if part)}")
    units = {"utilization": Unit.SHARE, "max_queue": Unit.COUNT, "p99_ms": Unit.MS}
    rows = [
        [node_id, *(cli_runs.format_estimate(runs.node_estimate(node_id, name), units[name]) for name in NODE_FIGURES)]
        for node_id in first["nodes"]
    ]
    source = f"simulated, {first['scenario']}, mean of {len(runs.summaries)} runs from base seed " \
        f"{result.plan.base_seed}"
    lines += ["", f"  Utilisation is {MEANING}, {source}.",
              *("  " + line for line in cli_runs.render_table(["node", "utilisation", "max queue", "p99"], rows))]
    return "\n".join(lines)
