"""Helpers shared by the subcommands."""

from __future__ import annotations

import json
import sys
from typing import Any

from app.cli import CliError
from models.document import BoardDocument
from models.errors import BoardLoadError
from models.fileformat import load_path


def load_or_fail(path: str) -> BoardDocument:
    """Load a board, or raise a ``CliError`` listing every problem."""
    try:
        return load_path(path)
    except BoardLoadError as error:
        lines = "\n".join(f"  {problem}" for problem in error.problems)
        raise CliError(f"{error.source} cannot be loaded:\n{lines}") from None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def check_date(override: str | None) -> None:
    """Refuse a malformed ``SOURCE_DATE_EPOCH`` before anything is written."""
    from models.files import export_date

    try:
        export_date(override)
    except ValueError as error:
        raise CliError(str(error), 2) from None
