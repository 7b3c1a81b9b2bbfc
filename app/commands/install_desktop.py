"""``cascade-board install-desktop [--user] [--uninstall] [--dry-run]``: the icon, the menu entry
and the ``.cboard`` file type on a Linux desktop (``app/desktop.py``), or the ``.cboard`` file
association in the current user's registry on Windows (``app/desktop_windows.py``)."""

from __future__ import annotations

import argparse
import sys

from app import desktop_windows
from app.cli import CliError
from app.desktop import command_line, data_home, has_xdg, install, plan, uninstall


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", action="store_true", default=True,
                        help="install for the current user (XDG data folder on Linux, HKEY_CURRENT_USER on "
                             "Windows); the default and only mode")
    parser.add_argument("--uninstall", action="store_true", help="remove what install-desktop wrote")
    parser.add_argument("--dry-run", action="store_true", help="print what it would write, write nothing")


def _windows(args: argparse.Namespace, registry: desktop_windows.Registry | None = None) -> int:
    if args.dry_run:
        verb = "remove" if args.uninstall else "set"
        print(f"install-desktop would {verb} in HKEY_CURRENT_USER:")
        if args.uninstall:
            for key in (rf"{desktop_windows.CLASSES}\{desktop_windows.PROG_ID}",
                        rf"{desktop_windows.CLASSES}\{desktop_windows.EXTENSION}"):
                print(f"  {key}")
        else:
            for value in desktop_windows.registry_values(command_line(), desktop_windows.icon_value()):
                print(f"  {value.key}  {value.name or '(default)'} = {value.value}")
        return 0
    try:
        registry = registry or desktop_windows.WinRegistry()
        if args.uninstall:
            log = desktop_windows.uninstall(registry)
        else:
            log = desktop_windows.install(registry, command_line())
    except OSError as error:
        raise CliError(f"cannot {'remove' if args.uninstall else 'register'} the .cboard file type in the "
                       f"registry: {error.strerror or error}") from None
    return _report(log, None if args.uninstall else "Double-clicking a .cboard file in Explorer now opens it.")


def _report(log: list[str], done: str | None) -> int:
    for line in log:
        print(line)
    if done:
        print(done)
    return 0


def execute(args: argparse.Namespace) -> int:
    if sys.platform == "win32":
        return _windows(args)
    home = data_home()
    if args.dry_run or not has_xdg():
        verb = "remove" if args.uninstall else "write"
        if not has_xdg():
            print("this system has no freedesktop.org (XDG) desktop; on Linux install-desktop would "
                  f"{verb}:")
        for _placement, target in plan(home):
            print(f"  {target}")
        return 0 if args.dry_run else 1
    try:
        log = uninstall(home) if args.uninstall else install(home)
    except OSError as error:
        raise CliError(f"cannot {'remove' if args.uninstall else 'install'} the desktop files in {home}: "
                       f"{error.strerror or error}") from None
    return _report(log, None if args.uninstall else
                   "Cascade Board is in the desktop's menu, and double-clicking a .cboard file opens it.")
