"""Property-based: random and mutated documents never raise anything but our load error."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from models.errors import BoardLoadError
from models.fileformat import dumps, load_bytes

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
