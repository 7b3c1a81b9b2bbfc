"""``cascade-board export-pdf FILE -o OUT.pdf [--date TEXT] [--measure SCENARIO [--seed N]]``:
the PDF handout.

With ``--measure`` every intervention is first simulated on the scenario without
and with it (one seed, one shared baseline; the runs are independent jobs on
every core, or on ``--scheduler``), and the handout shows the measured
before/after table and charts; the board file itself is not changed. The PDF is
written atomically (a temporary file renamed over the target), so a failed export
never leaves half a file, and it never overwrites its input.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import CliError
from app.commands.common import check_date, load_or_fail
from app.commands.runs import add_where_arguments
from models.document import BoardDocument
from models.runs.seeds import DEFAULT_SEED


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the board (.cboard, or a handout PDF carrying one)")
    parser.add_argument("-o", "--output", metavar="OUT.pdf", required=True, help="where to write the PDF")
    parser.add_argument("--date", metavar="TEXT",
                        help="the date printed on the cover (default: the board's own date, else none); an ISO date "
                        "(YYYY-MM-DD) also dates the file, else SOURCE_DATE_EPOCH or today does")
    parser.add_argument("--measure", metavar="SCENARIO",
                        help="measure every intervention on this scenario first (before/after in the handout)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"the seed of the measuring runs (default {DEFAULT_SEED})")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr while measuring")
    add_where_arguments(parser)


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
    """``document`` with every intervention measured on ``scenario``: one shared
    baseline and one run per intervention, all with ``seed``, run as independent
    jobs on the local cores (or ``--scheduler``), progress on stderr."""
    from app.commands import runs as cli_runs
    from models.entities import Measurement
    from models.errors import BoardError
    from models.runs.jobs import board_text
    from models.runs.metrics import summary_metrics
    from models.runs.replicate import RunPlan, Variant

    try:
        document.scenario(scenario)
    except BoardError as error:
        raise CliError(f"--measure: {error}", 2) from None
    if not document.interventions:
        raise CliError("--measure: this board has no interventions to measure", 2)
    plan = RunPlan(board_text(document), scenario, seed)
    variants = [Variant("baseline"), *(Variant(item.id, (item.id,)) for item in document.interventions)]
    runs = cli_runs.replicate(args, plan, variants, f"measuring on {scenario}").variants
    try:
        p99_before, errors_before = summary_metrics(runs[0].summaries[0])
        measurements = []
        for item in runs[1:]:
            p99_after, errors_after = summary_metrics(item.summaries[0])
            measurements.append(Measurement(
                scenario=scenario, seed=seed, p99_before_ms=p99_before, p99_after_ms=p99_after,
                error_rate_before=errors_before, error_rate_after=errors_after,
            ))
    except BoardError as error:
        raise CliError(f"--measure: {error}") from None
    interventions = tuple(item.model_copy(update={"measured": found})
                          for item, found in zip(document.interventions, measurements, strict=True))
    return document.model_copy(update={"interventions": interventions})
