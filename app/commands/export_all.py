"""``cascade-board export-all FILE -o DIR [--force] [--date TEXT] [--no-animation]``:
every artefact at once (handout, report, pictures, chapters, animation, the
board) and a MANIFEST, with a progress bar; Ctrl+C cancels."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import CliError
from app.commands.common import check_date, load_or_fail


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the board (.cboard, or a handout PDF carrying one)")
    parser.add_argument("-o", "--output", metavar="DIR", required=True, help="the folder to write into")
    parser.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    parser.add_argument("--date", metavar="TEXT", help="the date on the handout and the report")
    parser.add_argument("--no-animation", action="store_true", help="skip the animation GIF (the slowest part)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def execute(args: argparse.Namespace) -> int:
    if args.date is not None and len(args.date) > 40:
        raise CliError("--date: at most 40 characters", 2)
    check_date(args.date)
    from app.ui.export_all import MANIFEST, ExportAllError, check_folder, export_all

    folder = Path(args.output)
    try:
        check_folder(folder, args.force)
    except ExportAllError as error:
        raise CliError(str(error), 2) from None
    document = load_or_fail(args.file)
    from tqdm import tqdm

    with tqdm(total=100, unit="%", disable=args.quiet or None, file=sys.stderr,
              bar_format="{l_bar}{bar}| {elapsed}") as bar:

        def progress(what: str, done: float) -> bool:
            bar.set_description_str(what[:28].ljust(28))
            bar.update(round(done * 100) - bar.n)
            return True

        try:
            written = export_all(document, folder, date=args.date, force=args.force, progress=progress,
                                 animation=not args.no_animation)
        except ExportAllError as error:
            raise CliError(str(error)) from None
        except OSError as error:
            raise CliError(f"{folder}: cannot be written: {error.strerror or error}") from None
    print(f"wrote {len(written)} files into {folder} (listed in {folder / MANIFEST})")
    return 0
