"""``cascade-board new [--example NAME] -o FILE``: an empty board, or a copy of a shipped example
(``cascade-board examples`` lists them; ``app.examples`` finds them)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import CliError
from app.examples import UnknownExampleError, find
from models.document import BoardDocument, Meta
from models.fileformat import load_path, save_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write the board")
    parser.add_argument("--example", metavar="NAME",
                        help="start from a copy of a shipped example (cascade-board examples lists them)")
    parser.add_argument("--title", default="Untitled board", help="title of an empty board")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file (kept as FILE.bak)")


def execute(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.exists() and not args.force:
        raise CliError(f"{output} already exists; pass --force to overwrite it (the old one is kept as .bak)")
    if args.example:
        try:
            example = find(args.example)
        except UnknownExampleError as error:
            raise CliError(str(error), 2) from None
        document = load_path(example.path)
    else:
        document = BoardDocument(meta=Meta(title=args.title))
    try:
        save_path(document, output)
    except OSError as error:
        raise CliError(f"cannot write {output}: {error.strerror or error}") from None
    print(f"wrote {output}")
    return 0
