"""``cascade-board new [--example streamflow] -o FILE``."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import CliError
from app.resources import example_path
from models.document import BoardDocument, Meta
from models.fileformat import load_path, save_path

EXAMPLES = {"streamflow": "streamflow-ai.cboard"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write the board")
    parser.add_argument("--example", choices=sorted(EXAMPLES), help="start from a shipped example")
    parser.add_argument("--title", default="Untitled board", help="title of an empty board")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file (kept as FILE.bak)")


def execute(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.exists() and not args.force:
        raise CliError(f"{output} already exists; pass --force to overwrite it (the old one is kept as .bak)")
    if args.example:
        document = load_path(example_path(EXAMPLES[args.example]))
    else:
        document = BoardDocument(meta=Meta(title=args.title))
    try:
        save_path(document, output)
    except OSError as error:
        raise CliError(f"cannot write {output}: {error.strerror or error}") from None
    print(f"wrote {output}")
    return 0
