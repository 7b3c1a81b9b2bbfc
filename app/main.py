"""Entry point of ``cascade-board``: a subcommand runs headless, anything else
opens the window. Qt is imported only when a command draws."""

from __future__ import annotations

import sys

from app.cli import run


def main(argv: list[str] | None = None) -> int:
    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
