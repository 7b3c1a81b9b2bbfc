"""``cascade-board export-chapters FILE``: YouTube, WebVTT or JSON chapters
from the steps' recorded start times (see docs/recording.md). Draws nothing,
so it never imports Qt."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import CliError
from app.commands.common import load_or_fail
from models.chapters import FORMATS, ChapterError, chapters, render
from models.entities import clock_seconds


def _end(text: str) -> float:
    try:
        return float(clock_seconds(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time MM:SS") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help=".cboard file whose steps carry recorded start times")
    parser.add_argument("--format", choices=FORMATS, default="youtube", help="chapter format (default youtube)")
    parser.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    parser.add_argument("--end", type=_end, metavar="MM:SS",
                        help="when the recording ended (default: the last step's planned length after its start)")


def execute(args: argparse.Namespace) -> int:
    document = load_or_fail(args.file)
    try:
        text = render(chapters(document.steps, end_s=args.end), args.format)
    except ChapterError as error:
        raise CliError(f"{args.file}: {error}") from None
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CliError(f"cannot write {args.output}: {error.strerror or error}") from None
    else:
        sys.stdout.write(text)
    return 0
