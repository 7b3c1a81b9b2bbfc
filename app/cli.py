"""The command line: headless subcommands, or the window.

``cascade-board`` alone or with a file opens the window; a subcommand runs
without a window. Commands that draw nothing never import Qt; each command
module is imported only when it runs, so one command's dependencies never
slow down or break another.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

from app import __version__

COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("app.commands.validate", "check a board file and list every problem"),
    "analyze": ("app.commands.analyze", "flows, critical path, bottleneck hints, cycles, stages"),
    "new": ("app.commands.new", "write a new board (empty, or a copy of a shipped example)"),
    "examples": ("app.commands.examples", "list the shipped example boards (failure patterns) with one line each"),
    "export-image": ("app.commands.export_image", "draw the board as a PNG (with --scale) or an SVG, headless"),
    "simulate": ("app.commands.simulate", "run one simulation: scenario, interventions, seed, duration"),
    "compare": ("app.commands.compare", "baseline vs each intervention vs all, replicated, side by side"),
    "sweep": ("app.commands.sweep", "what-if: vary parameters over ranges, replicated, to a CSV or charts"),
    "export-pdf": ("app.commands.export_pdf", "write the PDF handout (diagram, findings, interventions)"),
    "export-animation": ("app.commands.export_animation", "render a simulation run to an animated GIF (or MP4)"),
    "export-chapters": ("app.commands.export_chapters", "YouTube, WebVTT or JSON chapters from recorded step times"),
    "import": ("app.commands.import_", "a board from traces, draw.io, Mermaid, DOT, GraphML, compose or k8s files"),
    "export": ("app.commands.export", "write the board as Mermaid, GraphML, DOT or draw.io"),
    "install-desktop": ("app.commands.install_desktop", "add the menu entry, icon and .cboard file type (Linux)"),
    "export-report": ("app.commands.export_report", "the written case study: Markdown with its pictures, or one HTML"),
    "export-all": ("app.commands.export_all", "every artefact at once: handout, report, pictures, chapters, GIF"),
}
"""Subcommand name → (module, one-line help)."""


INTERRUPTED = 130
"""The exit status of a command stopped by Ctrl+C (128 + SIGINT), as shells report it."""


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


BOARD_SUFFIXES = (".cboard", ".pdf", ".bak", ".json")
"""A first argument ending like this is a file to open, even when it does not exist yet."""


def looks_like_file(word: str) -> bool:
    """Whether ``cascade-board WORD`` means a file to open rather than a mistyped command."""
    return (
        Path(word).exists()
        or os.sep in word
        or (os.altsep is not None and os.altsep in word)
        or word.lower().endswith(BOARD_SUFFIXES)
    )


def unknown_command(word: str) -> int:
    """Say that ``word`` is neither a command nor a file, with the nearest commands; exit status 2."""
    import difflib  # only on a mistake: every command pays for what the module imports

    near = difflib.get_close_matches(word, COMMANDS, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(near)}?" if near else f"; the commands are {', '.join(COMMANDS)}"
    print(f"cascade-board: {word!r} is not a command nor a file{hint}", file=sys.stderr)
    print("Run 'cascade-board --help' for the list of commands.", file=sys.stderr)
    return 2


def run(argv: list[str]) -> int:
    """Run a subcommand, or open the window; the exit status.

    A closed output pipe (``cascade-board analyze FILE | head -1``) ends the
    command quietly, as other command-line tools do; Ctrl+C ends it with
    ``INTERRUPTED`` and one line on stderr.
    """
    try:
        return _run(argv)
    except BrokenPipeError:
        # Python would report the pipe again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 141  # 128 + SIGPIPE, what a shell reports for a tool killed by it
    except KeyboardInterrupt:  # at any point, starting up included
        name = f" {argv[0]}" if argv and argv[0] in COMMANDS else ""
        print(f"cascade-board{name}: interrupted", file=sys.stderr)
        return INTERRUPTED


def _run(argv: list[str]) -> int:
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-") and not looks_like_file(argv[0]):
        return unknown_command(argv[0])
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


def _open_window(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cascade-board", add_help=False)
    parser.add_argument("file", nargs="?")
    args, qt_args = parser.parse_known_args(argv)
    from app.desktop import board_path  # a desktop may pass a file:// URI
    from app.ui.launch import launch

    return launch(board_path(args.file) if args.file else None, qt_args)
