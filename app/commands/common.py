"""Helpers shared by the subcommands."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from app.cli import CliError
from models.document import BoardDocument
from models.errors import BoardLoadError
from models.fileformat import load_path

_HIDDEN = "\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
_INVISIBLE = re.compile(f"[\x00-\x1f{_HIDDEN}]")
"""Control characters (C0, DEL, C1 such as CSI), zero-width and bidirectional marks: what
a terminal acts on or hides rather than shows."""
_NOT_ESCAPED_BY_JSON = re.compile(f"[{_HIDDEN}]")


def visible(text: str) -> str:
    """User text made safe for a terminal: control characters and escape
    sequences are shown as ``\\x1b``-style escapes instead of being emitted."""
    return _INVISIBLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def load_or_fail(path: str) -> BoardDocument:
    """Load a board, or raise a ``CliError`` listing every problem."""
    try:
        return load_path(path)
    except BoardLoadError as error:
        lines = "\n".join(f"  {visible(problem)}" for problem in error.problems)
        raise CliError(f"{visible(error.source)} cannot be loaded:\n{lines}") from None


def print_json(data: Any) -> None:
    """``data`` as indented JSON; characters a terminal would act on are written as ``\\u`` escapes."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    sys.stdout.write(_NOT_ESCAPED_BY_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text))
    sys.stdout.write("\n")


def check_date(override: str | None) -> None:
    """Refuse a malformed ``SOURCE_DATE_EPOCH`` before anything is written."""
    from models.files import export_date

    try:
        export_date(override)
    except ValueError as error:
        raise CliError(str(error), 2) from None
