"""``cascade-board sweep FILE --scenario ID --vary PATH=FROM..TO:STEP -o OUT``:
what-if analysis. Every point of the grid is replicated (the same seeds at
every point) and written as a CSV of mean ± 95 % half-width per figure, or as
charts with confidence bars (PNG or SVG)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from app.cli import CliError
from app.commands import runs as cli_runs
from app.commands.common import load_or_fail
from app.commands.simulate import intervention_ids
from models.errors import BoardError
from models.fileformat import write_atomically
from models.runs.jobs import board_text
from models.runs.metrics import BY_KEY
from models.runs.replicate import DEFAULT_REPLICATIONS, RunsResult
from models.runs.sweep import Sweep, check_sweep, parse_range, sweep_csv

OUTPUTS = (".csv", ".png", ".svg")
SHOWN = ("p50_ms", "p99_ms", "error_rate", "goodput_rps")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--scenario", required=True, help="scenario id")
    parser.add_argument("--vary", action="append", required=True, metavar="PATH=FROM..TO:STEP",
                        help="a parameter and its range, e.g. nodes.engine.sim.workers=8..32:4 "
                             "(repeat for a grid; the first is the charts' x axis)")
    parser.add_argument("--with", dest="with_", metavar="ID[,ID...]", help="interventions applied at every point")
    cli_runs.add_seed_argument(parser)
    parser.add_argument("--duration", type=float, help="simulated seconds (default: the scenario's)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="OUT.csv, OUT.png or OUT.svg")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    cli_runs.add_run_arguments(parser, default_replications=DEFAULT_REPLICATIONS)


def execute(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.suffix.lower() not in OUTPUTS:
        raise CliError(f"-o: {args.output} must end in .csv, .png or .svg", 2)
    if output.is_dir() or not (output.parent.is_dir() or not str(output.parent)):
        raise CliError(f"-o: {args.output} is a folder, or its folder does not exist", 2)
    document = load_or_fail(args.file)
    cli_runs.check_scenario(document, args.scenario)
    try:
        sweep = Sweep(tuple(parse_range(text) for text in args.vary))
    except BoardError as error:
        raise CliError(f"--vary: {error}", 2) from None
    interventions = tuple(intervention_ids(document, args))
    try:
        check_sweep(document, sweep, interventions)
    except BoardError as error:
        raise CliError(f"--vary: {error}", 2) from None
    plan = cli_runs.plan_from(args, board_text(document))
    result = cli_runs.replicate(args, plan, sweep.variants(interventions), f"sweeping {args.scenario}")
    try:
        if output.suffix.lower() == ".csv":
            write_atomically(sweep_csv(result, sweep).encode("utf-8"), output)
        else:
            _write_chart(result, sweep, output)
    except OSError as error:
        raise CliError(f"-o: {output} cannot be written: {error}") from None
    print(render_text(result, sweep))
    print(f"wrote {output}")
    return 0


def render_text(result: RunsResult, sweep: Sweep) -> str:
    rows = [[runs.variant.label, *(cli_runs.format_estimate(runs.estimate(k), BY_KEY[k].unit) for k in SHOWN)]
            for runs in result.variants]
    head = ["point", *(BY_KEY[k].label for k in SHOWN)]
    interventions = ", ".join(result.variants[0].variant.interventions) or "none"
    title = f"Sweep on {result.plan.scenario} with interventions: {interventions}"
    return "\n".join([title, cli_runs.header(result), "", *cli_runs.render_table(head, rows)])


def _write_chart(result: RunsResult, sweep: Sweep, output: Path) -> None:
    """Render offscreen into a temporary file beside ``output``, then rename it over ``output``."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([sys.argv[0]])
    from app.export.sweep_chart import export_sweep_chart

    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=output.suffix, dir=output.parent or ".")
    os.close(handle)
    try:
        export_sweep_chart(result, sweep, Path(temporary))
        os.replace(temporary, output)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
