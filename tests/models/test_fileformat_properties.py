"""Property-based: random and mutated documents never raise anything but our load error."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from models.errors import BoardLoadError
from models.fileformat import MAX_NUMBER_DIGITS, dumps, has_long_digits, load_bytes, nesting_deeper_than

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "streamflow-ai.cboard"
BASE = json.loads(EXAMPLE.read_text(encoding="utf-8"))

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


def _load(data: bytes) -> None:
    with contextlib.suppress(BoardLoadError):
        load_bytes(data, "fuzz")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes(data):
    _load(data)


@settings(max_examples=150, deadline=None)
@given(JSON_VALUES)
def test_random_json(value):
    _load(json.dumps(value).encode())


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _paths(child, (*prefix, i))


PATHS = [p for p in _paths(BASE) if p]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATHS), JSON_VALUES)
def test_mutated_example(path, value):
    data = json.loads(json.dumps(BASE))
    cursor = data
    for key in path[:-1]:
        cursor = cursor[key]
    cursor[path[-1]] = value
    try:
        document = load_bytes(json.dumps(data).encode(), "fuzz")
    except BoardLoadError:
        return
    again = load_bytes(dumps(document).encode(), "fuzz")
    assert again == document


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(PATHS))
def test_deleted_field(path):
    data = json.loads(json.dumps(BASE))
    cursor = data
    for key in path[:-1]:
        cursor = cursor[key]
    del cursor[path[-1]]
    _load(json.dumps(data).encode())


def _depth(value):
    """How deep lists and objects nest in a parsed value (0 for a scalar), iteratively."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth + 1)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


TRICKY_TEXT = st.text(alphabet='[]{}"\\/ab\n\u00e9\u2028', max_size=12)
NESTED = st.recursive(
    st.none() | st.integers() | TRICKY_TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(TRICKY_TEXT, children, max_size=3),
    max_leaves=30,
)


@settings(max_examples=120, deadline=None)
@given(NESTED, st.integers(0, 8), st.booleans())
def test_the_nesting_check_on_the_bytes_agrees_with_the_parsed_depth(value, limit, ascii_only):
    """Brackets, quotes and escapes inside strings never count (the check runs in C on the raw bytes)."""
    data = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert nesting_deeper_than(data, limit) == (_depth(value) > limit)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 400), max_size=6), st.text(alphabet="ab ,-.e", max_size=5))
def test_long_digit_runs_are_found_on_the_bytes(lengths, separator):
    data = separator.encode().join(b"7" * n for n in lengths) or b"0"
    runs = [len(run) for run in re.findall(rb"[0-9]+", data)]
    assert has_long_digits(data) == any(n > MAX_NUMBER_DIGITS for n in runs)
