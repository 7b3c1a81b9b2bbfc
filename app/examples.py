"""The shipped example boards, found by scanning ``resources/examples/*.cboard``.

An example's name is its file's stem (``retry-storm``); ``streamflow`` is kept as
an alias of ``streamflow-ai``, the name the first release shipped. Listing reads
only each file's ``meta`` (title, summary, source), so it stays cheap however many
examples ship; opening one loads and validates it like any board. Used by
``cascade-board examples``, ``cascade-board new --example NAME`` and the window's
File → New from Example (docs/EXAMPLES.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from app.resources import resource_path

SUFFIX = ".cboard"
ALIASES: dict[str, str] = {"streamflow": "streamflow-ai"}
"""Older names that still work → the file stem they mean."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass(frozen=True)
class Example:
    """One shipped example: its name, file and what its ``meta`` says about it."""

    name: str
    path: Path
    title: str
    summary: str
    source: str

    @property
    def one_liner(self) -> str:
        """The first sentence of the summary (the board's one-line description)."""
        return first_sentence(self.summary) or self.title


class UnknownExampleError(LookupError):
    """A name that is no shipped example; the message lists the names there are."""

    def __init__(self, name: str, names: list[str]) -> None:
        super().__init__(f"no example is called {name!r}; the examples are {', '.join(names)}")
        self.name = name
        self.names = names


def first_sentence(text: str) -> str:
    """``text`` up to the end of its first sentence (all of it when it has one)."""
    text = " ".join(text.split())
    return _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""


def _read(path: Path) -> Example:
    meta: dict[str, object] = {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("meta"), dict):
            meta = data["meta"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        pass  # listed by its name; opening it reports what is wrong
    def text(key: str) -> str:
        value = meta.get(key)
        return value if isinstance(value, str) else ""
    return Example(path.stem, path, text("title") or path.stem, text("summary"), text("source"))


def examples() -> list[Example]:
    """Every shipped example, by name."""
    folder = resource_path("examples")
    return [_read(path) for path in sorted(folder.glob(f"*{SUFFIX}"))]


def names() -> list[str]:
    """The examples' names followed by the aliases that still work."""
    found = [example.name for example in examples()]
    return found + [alias for alias, target in ALIASES.items() if target in found]


def find(name: str) -> Example:
    """The example called ``name`` (or an alias of it); ``UnknownExampleError`` lists the names."""
    stem = ALIASES.get(name, name)
    found = examples()
    for example in found:
        if example.name == stem:
            return example
    raise UnknownExampleError(name, [example.name for example in found])
