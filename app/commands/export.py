"""``cascade-board export FILE --format mermaid|graphml|dot|drawio -o OUT``: the board for other tools."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import CliError
from app.commands.common import load_or_fail
from models.fileformat import write_atomically
from models.interop.exporters import EXPORTERS, export


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the board to export")
    parser.add_argument("--format", required=True, choices=sorted(EXPORTERS), help="what to write")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="where to write it")
    parser.add_argument("--force", action="store_true", help="overwrite an existing OUT")


def execute(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.exists() and not args.force:
        raise CliError(f"{output} already exists; pass --force to overwrite it")
    document = load_or_fail(args.file)
    text = export(document, args.format)
    try:
        write_atomically(text.encode("utf-8"), output)
    except OSError as error:
        raise CliError(f"cannot write {output}: {error.strerror or error}") from None
    print(f"wrote {output} ({args.format}: {len(document.nodes)} nodes, {len(document.edges)} edges)")
    return 0
