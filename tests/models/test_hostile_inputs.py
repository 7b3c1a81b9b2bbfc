"""Boards crafted to break the loader: each is refused with a message that names the place."""

from __future__ import annotations

import json
import time

import pytest

from models.document import MAX_ITEMS
from models.errors import BoardLoadError
from models.fileformat import MAX_FILE_BYTES, MAX_VALUES, count_values, document_from_data, load_bytes
from models.synthetic import board_data
from models.validation import MAX_LISTED_PROBLEMS


def with_change(target: str, path: str, value: object) -> dict:
    data = board_data("chain", 3)
    data["interventions"] = [
        {"id": "iv", "title": "fix", "rank": 1, "changes": [{"target": target, "path": path, "value": value}]}
    ]
    return data


@pytest.mark.parametrize(("target", "path"), [("e0-1", "id"), ("e0-1", "target"), ("e0-1", "source"), ("n1", "id")])
def test_an_intervention_cannot_change_ids_or_references(target, path):
    with pytest.raises(BoardLoadError) as caught:
        document_from_data(with_change(target, path, "n0"))
    assert caught.value.problems == [
        f"interventions[0].changes[0]: {path}: an intervention changes parameters; it cannot change {path!r}"
    ]


def test_an_intervention_path_must_name_a_parameter():
    with pytest.raises(BoardLoadError, match=r"changes\[0\]: sim.nope: sim has no field 'nope'"):
        document_from_data(with_change("n1", "sim.nope", 4))
    assert document_from_data(with_change("n1", "sim.workers", 4)).interventions[0].changes[0].value == 4


@pytest.mark.parametrize("key", ["bogus", "odd-key", "arr[0]", "int", "function-after[x]", "with space", "\x1b[31m"])
def test_an_unknown_key_of_any_spelling_is_named(key):
    data = board_data("chain", 2)
    data["nodes"][1][key] = 1
    with pytest.raises(BoardLoadError) as caught:
        document_from_data(data)
    named = f"nodes[1].{key}" if key.isidentifier() else f"nodes[1][{key!r}]"
    assert caught.value.problems == [f"{named}: is not a known field"]


def test_listing_many_errors_is_linear():
    def problems_for(count: int) -> tuple[list[str], float]:
        data = board_data("chain", 2)
        data["findings"] = [{} for _ in range(count)]
        started = time.process_time()
        with pytest.raises(BoardLoadError) as caught:
            document_from_data(data)
        return caught.value.problems, time.process_time() - started

    small, small_time = problems_for(2_000)
    big, big_time = problems_for(20_000)
    assert small[:2] == ["findings[0].id: is required", "findings[0].text: is required"]
    assert len(small) == len(big) == MAX_LISTED_PROBLEMS + 1
    assert big[-1] == f"... and up to {40_000 - MAX_LISTED_PROBLEMS} more problems"
    assert big_time < 10 * small_time + 1.0
    too_many, _ = problems_for(MAX_ITEMS + 1)
    assert too_many == [f"findings: has {MAX_ITEMS + 1} entries (at most {MAX_ITEMS})"]


BASE = json.dumps(board_data("chain", 2))
DEEP_PLACE = ("nodes[1].x" + "[0]" * 62)[:100] + "…" + ("[0]" * 14)[-40:]


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('"mean_ms": 1.0', '"mean_ms": NaN',
     "nodes[1].sim.service_time.mean_ms: NaN is not a number JSON allows (write a finite number)"),
    ('"mean_ms": 1.0', '"mean_ms": -Infinity',
     "nodes[1].sim.service_time.mean_ms: -Infinity is not a number JSON allows (write a finite number)"),
    ('"workers": 8', '"workers": ' + "9" * 5000, "nodes[1].sim.workers: is an integer of 5000 digits (at most 300)"),
    ('"workers": 8', '"workers": 8, "workers": 9', "nodes[1].sim: the key 'workers' appears twice in this object"),
    ('"x": 0.0', '"x": ' + "[" * 70 + "]" * 70, DEEP_PLACE + ": is nested more than 64 levels deep"),
    ('"x": 0.0', '"x": ' + "[" * 100_000 + "]" * 100_000, "line 1, column 216: is nested more than 64 levels deep"),
    ('"workers": 8', '"workers": true', "nodes[1].sim.workers: must be a whole number"),
    ('"mean_ms": 1.0', '"mean_ms": false', "nodes[1].sim.service_time.mean_ms: must be a number"),
    ('"x": 0.0', '"x": "3"', "nodes[1].x: must be a number"),
])
def test_json_problems_name_their_place(old, new, problem):
    with pytest.raises(BoardLoadError) as caught:
        load_bytes(BASE.replace(old, new, 1).encode(), "board")
    assert caught.value.problems == [problem]


def test_an_intervention_may_not_set_a_boolean_where_a_number_goes():
    with pytest.raises(BoardLoadError, match=r"changes\[0\]: sim.workers: must be a whole number"):
        document_from_data(with_change("n1", "sim.workers", True))


def test_values_are_budgeted_before_anything_is_built():
    dense = b'{"format_version": 1, "annotations": [' + b",".join([b"[0,0]"] * (MAX_VALUES // 2)) + b"]}"
    assert len(dense) < MAX_FILE_BYTES
    with pytest.raises(BoardLoadError, match=r"holds about \d+ values, more than a board may \(2000000\)"):
        load_bytes(dense, "dense")
    commas_in_text = b'{"format_version": 1, "meta": {"summary": "' + b"," * (MAX_VALUES + 10) + b'"}}'
    assert count_values(commas_in_text) == 4
