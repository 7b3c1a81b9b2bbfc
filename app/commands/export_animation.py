"""``cascade-board export-animation FILE --scenario ID [--with IDs] -o OUT.gif|OUT.mp4``.

Runs the simulation and renders the canvas's live look offscreen, frame by
frame, into an animated GIF (or an MP4 when ffmpeg is installed).
"""

from __future__ import annotations

import argparse
import os
import sys

from app.cli import CliError
from app.commands.common import load_or_fail
from models.runs.seeds import DEFAULT_SEED


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--scenario", required=True, help="the scenario to run")
    parser.add_argument("--with", dest="interventions", default="", metavar="IDS",
                        help="interventions to switch on, comma-separated")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="OUT.gif, or OUT.mp4 with ffmpeg")
    parser.add_argument("--fps", type=int, default=10, help="frames per second of the animation (default 10)")
    parser.add_argument("--frames", type=int, help="number of frames (default: fps × 20)")
    parser.add_argument("--duration", type=float, metavar="S",
                        help="simulated seconds to cover (default: the scenario's duration)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--width", type=int, default=1280, help="image width in pixels (default 1280)")


def execute(args: argparse.Namespace) -> int:
    document = load_or_fail(args.file)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.desktop import apply_to_qt
    from app.ui.animation.export import AnimationError, ExportSettings, export_animation

    app = QApplication.instance() or QApplication(["cascade-board"])
    apply_to_qt()
    del app
    interventions = tuple(i for i in args.interventions.split(",") if i)
    known = {i.id for i in document.interventions}
    unknown = [i for i in interventions if i not in known]
    if unknown:
        raise CliError(f"unknown intervention {', '.join(map(repr, unknown))} "
                       f"(this board has: {', '.join(sorted(known)) or 'none'})", 2)
    if not 64 <= args.width <= 7680:
        raise CliError("--width must be between 64 and 7680", 2)
    settings = ExportSettings(scenario_id=args.scenario, interventions=interventions, seed=args.seed,
                              fps=args.fps, frames=args.frames, duration_s=args.duration, width=args.width)

    def progress(done: int, total: int) -> bool:
        if sys.stderr.isatty() and (done % 10 == 0 or done == total):
            print(f"\rframe {done}/{total}", end="" if done < total else "\n", file=sys.stderr)
        return True

    try:
        count = export_animation(document, args.output, settings, progress)
    except AnimationError as error:
        raise CliError(str(error), 2) from None
    print(f"wrote {args.output} ({count} frames at {args.fps} fps)")
    return 0
