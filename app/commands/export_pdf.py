"""``cascade-board export-pdf FILE -o OUT.pdf [--date TEXT] [--measure [SCENARIO]]
[--replications N | --half-width PCT] [--seed N]``:
the PDF handout.

With ``--measure`` every intervention is first simulated on the scenarios it
targets (with ``--measure SCENARIO``: all of them on that one), without and with
it over N replications from one base seed (the runs are independent jobs on
every core, or on ``--scheduler``), and the handout shows the intervention ×
scenario matrix with 95 % intervals and what each measurement says; the board
file itself is not changed (docs/runs.md, "The intervention matrix"). The PDF is
written atomically (a temporary file renamed over the target), so a failed export
never leaves half a file, and it never overwrites its input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import CliError
from app.commands.common import check_date, load_or_fail
from app.commands.runs import add_run_arguments
from models.document import BoardDocument
from models.runs.replicate import DEFAULT_REPLICATIONS
from models.runs.seeds import DEFAULT_SEED

ALL_TARGETED = ""
"""``--measure`` without a scenario: each intervention on the scenarios it targets."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the board (.cboard, or a handout PDF carrying one)")
    parser.add_argument("-o", "--output", metavar="OUT.pdf", required=True, help="where to write the PDF")
    parser.add_argument("--date", metavar="TEXT",
                        help="the date printed on the cover (default: the board's own date, else none); an ISO date "
                        "(YYYY-MM-DD) also dates the file, else SOURCE_DATE_EPOCH or today does")
    parser.add_argument("--measure", metavar="SCENARIO", nargs="?", const=ALL_TARGETED,
                        help="measure first: each intervention on the scenarios it targets, or all of them on "
                        "SCENARIO (the matrix with confidence intervals in the handout)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"the base seed of the measuring runs (default {DEFAULT_SEED})")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr while measuring")
    add_run_arguments(parser, DEFAULT_REPLICATIONS)


def execute(args: argparse.Namespace) -> int:
    source = Path(args.file)
    target = Path(args.output)
    if target.suffix.lower() != ".pdf":
        raise CliError(f"{target}: the output must be a .pdf file", 2)
    if source.exists() and target.exists() and source.resolve() == target.resolve():
        raise CliError(f"{target}: refusing to overwrite the input board; choose another output file", 2)
    if target.is_dir():
        raise CliError(f"{target}: is a folder, not a file", 2)
    if not target.parent.is_dir() and str(target.parent):
        raise CliError(f"{target}: the folder {target.parent} does not exist", 2)
    if args.date is not None and len(args.date) > 40:
        raise CliError("--date: at most 40 characters", 2)
    check_date(args.date)
    if args.measure is None and (args.replications, args.half_width, args.max_replications) != (None, None, None):
        raise CliError("--replications/--half-width: only with --measure (they size its runs)", 2)
    document = load_or_fail(args.file)
    if args.measure is not None:
        document = measured(document, args.measure, args.seed, args)
    from app.export import export_pdf
    from app.export.fonts import FontError

    try:
        pages = export_pdf(document, target, date=args.date)
    except FontError as error:
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(f"{target}: cannot be written: {error.strerror or error}") from None
    print(f"{target}: {pages} pages")
    return 0


def measured(document: BoardDocument, scenario: str, seed: int, args: argparse.Namespace) -> BoardDocument:
    """``document`` with its interventions measured: the matrix of each one on
    the scenarios it targets (or all on ``scenario``), ``--replications`` paired
    runs each, as independent jobs on the local cores (or ``--scheduler``),
    progress on stderr."""
    from app.commands import runs as cli_runs
    from models.errors import BoardError
    from models.runs.matrix import matrix_plan, measure_matrix

    replications, half_width = cli_runs.replications_from(args)
    cli_runs.check_where(args)
    if not document.interventions:
        raise CliError("--measure: this board has no interventions to measure", 2)
    try:
        plan = matrix_plan(document, scenario or None)
    except BoardError as error:
        raise CliError(f"--measure: {error}", 2) from None
    with cli_runs.executor_from(args) as executor:
        progress = cli_runs.TerminalProgress("measuring the interventions", args.quiet)
        try:
            result = measure_matrix(document, plan, executor, seed, replications, progress=progress,
                                    half_width=half_width)
        except BoardError as error:
            raise CliError(f"--measure: {error}") from None
        finally:
            progress.close()
        if not args.quiet:
            cells = sum(len(ids) for _, ids in plan.cells)
            count = f"at most N = {replications}" if half_width is not None else f"N = {replications}"
            print(f"measured {cells} intervention × scenario cells on {len(plan.cells)} scenarios: "
                  f"{count}, base seed {seed}, on {executor.name}", file=sys.stderr)
    return result
