"""``cascade-board export-image FILE -o OUT.png|OUT.svg [--scale N]``: the
board drawn exactly as on the canvas, rendered headless (offscreen Qt)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli import CliError
from app.commands.common import load_or_fail


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the board (.cboard, or a PDF handout carrying one)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="OUT.png or OUT.svg")
    parser.add_argument("--scale", type=float, default=2.0, help="PNG pixels per board unit (default 2)")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--only", metavar="IDS", help="comma-separated ids: draw only these items")
    parser.add_argument("--layers", metavar="NAMES",
                        help="comma-separated layers to show instead of the board's own (e.g. health,queues,legend)")


def execute(args: argparse.Namespace) -> int:
    output = Path(args.output)
    suffix = output.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise CliError(f"{args.output}: the output must end in .png or .svg", 2)
    if not 0.05 <= args.scale <= 16:
        raise CliError("--scale must be between 0.05 and 16", 2)
    document = load_or_fail(args.file)
    if args.layers is not None:
        from models.document import LAYER_NAMES

        wanted = {name.strip() for name in args.layers.split(",") if name.strip()}
        unknown = wanted - set(LAYER_NAMES)
        if unknown:
            raise CliError(f"unknown layers: {', '.join(sorted(unknown))} (known: {', '.join(LAYER_NAMES)})", 2)
        document = document.model_copy(update={"layers": document.layers.model_copy(
            update={name: name in wanted for name in LAYER_NAMES})})
    ids = None
    if args.only:
        ids = [i.strip() for i in args.only.split(",") if i.strip()]
        known = {e.id for c in ("nodes", "edges", "queues", "loops", "cascades", "flows", "stages", "annotations")
                 for e in getattr(document, c)}
        missing = [i for i in ids if i not in known]
        if missing:
            raise CliError(f"not on the board: {', '.join(missing)}", 2)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.desktop import apply_to_qt

    app = QApplication.instance() or QApplication([sys.argv[0]])
    apply_to_qt()
    from app.ui.canvas.scene import BoardScene
    from app.ui.render import export_png, export_svg
    from app.ui.theme import theme_named
    from models.board import Board

    board = Board(document)
    scene = BoardScene(board, theme=theme_named(args.theme))
    scene.set_theme(theme_named(args.theme))
    try:
        if suffix == ".svg":
            export_svg(scene, output, ids, board.meta.title)
        else:
            export_png(scene, output, args.scale, ids)
    except (OSError, ValueError) as error:
        raise CliError(str(error)) from None
    finally:
        scene.detach()
        del app
    print(f"wrote {output}")
    return 0
