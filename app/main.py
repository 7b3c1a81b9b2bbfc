"""Entry point of ``cascade-board``: a subcommand runs headless, anything else
opens the window. Qt is imported only when a command draws."""

from __future__ import annotations

import multiprocessing
import sys

from app.cli import run


def main(argv: list[str] | None = None) -> int:
    # The simulation runs in a child process; a frozen bundle must not start the GUI again in it.
    multiprocessing.freeze_support()
    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
