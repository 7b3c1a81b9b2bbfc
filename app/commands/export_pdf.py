"""``cascade-board export-pdf FILE -o OUT.pdf [--date TEXT] [--measure SCENARIO [--seed N]]``:
the PDF handout.

With ``--measure`` every intervention is first simulated on the scenario without
and with it (one seed, one shared baseline), and the handout shows the measured
before/after table and charts; the board file itself is not changed. The PDF is
written atomically (a temporary file renamed over the target), so a failed export
never leaves half a file, and it never overwrites its input.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli import CliError
from app.commands.common import check_date, load_or_fail
from models.document import BoardDocument

if TYPE_CHECKING:
    from models.simulation import SimulationResult


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the board (.cboard, or a handout PDF carrying one)")
    parser.add_argument("-o", "--output", metavar="OUT.pdf", required=True, help="where to write the PDF")
    parser.add_argument("--date", metavar="TEXT",
                        help="the date printed on the cover (default: the board's own date, else none); an ISO date "
                        "(YYYY-MM-DD) also dates the file, else SOURCE_DATE_EPOCH or today does")
    parser.add_argument("--measure", metavar="SCENARIO",
                        help="measure every intervention on this scenario first (before/after in the handout)")
    parser.add_argument("--seed", type=int, default=1, help="the seed of the measuring runs (default 1)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr while measuring")


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
        document = measured(document, args.measure, args.seed, args.quiet)
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


def measured(document: BoardDocument, scenario: str, seed: int, quiet: bool) -> BoardDocument:
    """``document`` with every intervention measured on ``scenario`` (progress on stderr)."""
    from app.commands.simulate import run
    from models.errors import BoardError
    from models.simulation.measure import measure_all

    try:
        document.scenario(scenario)
    except BoardError as error:
        raise CliError(f"--measure: {error}", 2) from None
    if not document.interventions:
        raise CliError("--measure: this board has no interventions to measure", 2)

    def run_one(
        board: BoardDocument, scenario_id: str, interventions: Sequence[str], run_seed: int,
    ) -> SimulationResult:
        label = f"{scenario_id} with {interventions[0]}" if interventions else f"{scenario_id} (baseline)"
        return run(board, scenario_id, interventions, run_seed, None, quiet, label)

    try:
        return measure_all(document, scenario, seed, run=run_one)
    except BoardError as error:
        raise CliError(f"--measure: {error}") from None
