"""The command line: headless subcommands, or the window.

``cascade-board`` alone or with a file opens the window; a subcommand runs
without a window. Commands that draw nothing never import Qt; each command
module is imported only when it runs, so one command's dependencies never
slow down or break another.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from types import ModuleType

from app import __version__

COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("app.commands.validate", "check a board file and list every problem"),
    "analyze": ("app.commands.analyze", "flows, critical path, bottleneck hints, cycles, stages"),
    "new": ("app.commands.new", "write a new board (empty, or the StreamFlow example)"),
    "export-image": ("app.commands.export_image", "draw the board as a PNG (with --scale) or an SVG, headless"),
    "simulate": ("app.commands.simulate", "run one simulation: scenario, interventions, seed, duration"),
    "compare": ("app.commands.compare", "baseline vs each intervention vs all, one seed, side by side"),
    "export-pdf": ("app.commands.export_pdf", "write the PDF handout (diagram, findings, interventions)"),
    "export-animation": ("app.commands.export_animation", "render a simulation run to an animated GIF (or MP4)"),
    "export-chapters": ("app.commands.export_chapters", "YouTube, WebVTT or JSON chapters from recorded step times"),
    "export-report": ("app.commands.export_report", "the written case study: Markdown with its pictures, or one HTML"),
    "export-all": ("app.commands.export_all", "every artefact at once: handout, report, pictures, chapters, GIF"),
}
"""Subcommand name → (module, one-line help)."""


class CliError(Exception):
    """A problem the user can fix; printed to stderr with a non-zero exit."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cascade-board",
        description="Draw distributed systems, simulate how failures cascade, export the PDF handout. "
        "With no subcommand (or with a FILE) it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"cascade-board {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_module_name, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, description=help_text)
    return parser


def _command_module(name: str) -> ModuleType:
    return importlib.import_module(COMMANDS[name][0])


def run(argv: list[str]) -> int:
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        return _open_window(argv)
    if argv[0].startswith("-"):
        build_parser().parse_args(argv)  # --help and --version exit here
        return 0
    name = argv[0]
    module = _command_module(name)
    parser = argparse.ArgumentParser(prog=f"cascade-board {name}", description=COMMANDS[name][1])
    module.add_arguments(parser)
    args = parser.parse_args(argv[1:])
    try:
        return int(module.execute(args) or 0)
    except CliError as error:
        print(f"cascade-board {name}: {error}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        print(f"cascade-board {name}: interrupted", file=sys.stderr)
        return 130


def _open_window(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cascade-board", add_help=False)
    parser.add_argument("file", nargs="?")
    args, qt_args = parser.parse_known_args(argv)
    from app.ui.launch import launch

    return launch(args.file, qt_args)
