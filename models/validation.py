"""Turn pydantic's validation errors into messages that name the place.

``nodes[3].sim.workers: must be at least 1`` rather than pydantic's own
wording, so a user can find the field in the file.
"""

from __future__ import annotations

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


def place(loc: tuple[Any, ...], prefix: str = "") -> str:
    """``('nodes', 3, 'sim', 'workers')`` → ``nodes[3].sim.workers``."""
    text = prefix
    for part in loc:
        if _is_tag(part):
            continue
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
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


def describe_errors(error: ValidationError, prefix: str = "") -> list[str]:
    """Every problem in a validation error, as ``place: reason``."""
    seen: list[str] = []
    for item in error.errors(include_url=False):
        text = f"{place(tuple(item['loc']), prefix)}: {reason(item)}"
        if text not in seen:
            seen.append(text)
    return seen
