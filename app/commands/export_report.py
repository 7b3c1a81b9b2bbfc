"""``cascade-board export-report FILE -o OUT.md|OUT.html [--date TEXT]``: the
written case study, as Markdown with a ``OUT_files`` folder of SVG pictures
beside it, or as one self-contained HTML file."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import CliError
from app.commands.common import check_date, load_or_fail


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the board (.cboard, or a handout PDF carrying one)")
    parser.add_argument("-o", "--output", metavar="OUT.md|OUT.html", required=True, help="where to write the report")
    parser.add_argument("--date", metavar="TEXT",
                        help="the date printed under the title (default: the board's date, SOURCE_DATE_EPOCH or "
                             "today)")


def execute(args: argparse.Namespace) -> int:
    target = Path(args.output)
    if target.suffix.lower() not in (".md", ".html"):
        raise CliError(f"{target}: the output must end in .md or .html", 2)
    if target.is_dir():
        raise CliError(f"{target}: is a folder, not a file", 2)
    if str(target.parent) and not target.parent.is_dir():
        raise CliError(f"{target}: the folder {target.parent} does not exist", 2)
    if args.date is not None and len(args.date) > 40:
        raise CliError("--date: at most 40 characters", 2)
    check_date(args.date)
    document = load_or_fail(args.file)
    from app.ui.report_files import export_report

    try:
        written = export_report(document, target, args.date)
    except OSError as error:
        raise CliError(f"{target}: cannot be written: {error.strerror or error}") from None
    extra = f" and {len(written) - 1} pictures in {written[1].parent}" if len(written) > 1 else ""
    print(f"wrote {target}{extra}")
    return 0
