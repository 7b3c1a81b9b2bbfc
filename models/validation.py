"""Turn pydantic's validation errors into messages that name the place.

``nodes[3].sim.workers: must be at least 1`` rather than pydantic's own
wording, so a user can find the field in the file.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

_TYPE_WORDS = {
    "int": "a whole number",
    "float": "a number",
    "str": "text",
    "bool": "true or false",
    "dict": "an object",
    "model": "an object",
    "list": "a list",
    "tuple": "a list",
}


def _is_tag(part: Any) -> bool:
    """Pydantic adds schema tags (``int``, ``function-after[...]``) to locations."""
    if not isinstance(part, str):
        return False
    return part in _TYPE_WORDS or "[" in part or part in {"constrained-str", "none", "literal"} or "-" in part


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def key_step(key: str, first: bool = False) -> str:
    """One key of a place: ``.sim`` for a plain name, ``['odd-key']`` (escaped) for any other spelling."""
    if _PLAIN_KEY.match(key):
        return key if first else f".{key}"
    return f"[{key!r}]"


def place(loc: tuple[Any, ...], prefix: str = "", last_is_key: bool = False) -> str:
    """``('nodes', 3, 'sim', 'workers')`` → ``nodes[3].sim.workers``.

    With ``last_is_key`` the last part is a key from the file (an unknown
    field), never mistaken for one of pydantic's schema tags.
    """
    text = prefix
    for position, part in enumerate(loc):
        is_key = last_is_key and position == len(loc) - 1
        if not is_key and _is_tag(part):
            continue
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += key_step(str(part), first=not text)
    return text or "(the document)"


def reason(error: Any) -> str:
    """A short, plain reason for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}"
    if kind == "greater_than":
        return f"must be more than {ctx['gt']}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']}"
    if kind == "less_than":
        return f"must be less than {ctx['lt']}"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind in ("literal_error", "enum"):
        return f"must be one of {ctx.get('expected', '')}"
    if kind == "string_too_long":
        return f"is too long (at most {ctx['max_length']} characters)"
    if kind == "too_long":
        return f"has too many entries (at most {ctx['max_length']})"
    if kind == "string_pattern_mismatch":
        return "has characters or a shape that is not allowed here"
    if kind == "finite_number":
        return "must be a finite number"
    if kind.endswith(("_type", "_parsing")):
        wanted = kind.split("_")[0]
        return f"must be {_TYPE_WORDS.get(wanted, wanted)}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"]).lower()


MAX_LISTED_PROBLEMS = 500
"""A file with more problems lists this many and says how many more there are."""


def describe_errors(error: ValidationError, prefix: str = "") -> list[str]:
    """Every problem in a validation error, as ``place: reason`` (at most
    ``MAX_LISTED_PROBLEMS``, then a count of the rest)."""
    seen: dict[str, None] = {}
    items = error.errors(include_url=False, include_input=False, include_context=True)
    for item in items:
        where = place(tuple(item["loc"]), prefix, last_is_key=item["type"] == "extra_forbidden")
        seen.setdefault(f"{where}: {reason(item)}")
        if len(seen) >= MAX_LISTED_PROBLEMS:
            break
    problems = list(seen)
    if error.error_count() > len(problems):
        problems.append(f"... and up to {error.error_count() - len(problems)} more problems")
    return problems
