"""``cascade-board export-pdf FILE -o OUT.pdf [--date TEXT]``: the PDF handout.

The PDF is written atomically (a temporary file renamed over the target), so
a failed export never leaves half a file, and it never overwrites its input.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import CliError
from app.commands.common import load_or_fail


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the board (.cboard, or a handout PDF carrying one)")
    parser.add_argument("-o", "--output", metavar="OUT.pdf", required=True, help="where to write the PDF")
    parser.add_argument("--date", metavar="TEXT",
                        help="the date printed on the cover (default: the board's own date, else none)")


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
    document = load_or_fail(args.file)
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
