"""``cascade-board import SOURCE... -o FILE.cboard``: traces, diagrams and deployments into a board.

Refuses an existing output unless ``--force`` (then the old file is kept as
``.bak``); writes atomically, so a failed import leaves no file behind.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import CliError
from app.commands.common import load_or_fail
from models.fileformat import save_path
from models.interop.common import InteropError
from models.interop.importer import formats, import_paths


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="files to import (trace files merge into one board)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the board to write")
    parser.add_argument("--format", choices=formats(), help="force the format instead of guessing it from the content")
    parser.add_argument("--merge", metavar="INTO", help="add to this board (nodes with the same label are shared)")
    parser.add_argument("--rate", type=float, metavar="RPS", help="the default scenario's requests/s "
                        "(default: the rate observed in traces, else 10)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing output (kept as FILE.bak)")
    parser.add_argument("--quiet", action="store_true", help="do not print what was inferred")


def execute(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.exists() and not args.force:
        raise CliError(f"{output} already exists; pass --force to overwrite it (the old one is kept as .bak)")
    if args.rate is not None and not 0 < args.rate <= 1e6:
        raise CliError("--rate must be above 0 and at most 1000000")
    into = load_or_fail(args.merge) if args.merge else None
    try:
        result = import_paths(args.sources, args.format, args.rate, into)
    except InteropError as error:
        raise CliError(str(error), 2) from None
    try:
        save_path(result.document, output, backup=args.force)
    except OSError as error:
        raise CliError(f"cannot write {output}: {error.strerror or error}") from None
    if not args.quiet:
        for notice in result.notices:
            print(f"note: {notice}", file=sys.stderr)
    document = result.document
    print(f"wrote {output}: {len(document.nodes)} nodes, {len(document.edges)} edges "
          f"({', '.join(result.formats)}); simulate it with --scenario default")
    return 0
