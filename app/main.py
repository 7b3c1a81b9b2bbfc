"""Entry point of ``cascade-board``: a subcommand runs headless, anything else
opens the window. Qt is imported only when a command draws."""

from __future__ import annotations

import os
import sys

from app.cli import INTERRUPTED, run


def main(argv: list[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        # The simulation runs in a child process; a frozen bundle must not start the GUI again in it.
        # (Only a frozen bundle needs it: importing multiprocessing costs a headless command ~50 ms.)
        import multiprocessing

        multiprocessing.freeze_support()
    code = run(sys.argv[1:] if argv is None else argv)
    if code == INTERRUPTED and argv is None:
        # Freeing a big run's millions of objects at exit takes seconds; Ctrl+C must end it at once.
        # Nothing is left to write: output is flushed, files are written atomically.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
