"""``cascade-board install-desktop [--user] [--uninstall] [--dry-run]``: the icon, the menu entry
and the ``.cboard`` file type on a Linux desktop (``app/desktop.py``)."""

from __future__ import annotations

import argparse

from app.cli import CliError
from app.desktop import data_home, has_xdg, install, plan, uninstall


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", action="store_true", default=True,
                        help="install for the current user, into $XDG_DATA_HOME (the default and only mode)")
    parser.add_argument("--uninstall", action="store_true", help="remove what install-desktop wrote")
    parser.add_argument("--dry-run", action="store_true", help="print the files it would write, write nothing")


def execute(args: argparse.Namespace) -> int:
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
    for line in log:
        print(line)
    if not args.uninstall:
        print("Cascade Board is in the desktop's menu, and double-clicking a .cboard file opens it.")
    return 0
