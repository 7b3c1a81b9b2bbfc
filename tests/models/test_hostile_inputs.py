"""Boards crafted to break the loader: each is refused with a message that names the place."""

from __future__ import annotations

import time

import pytest

from models.errors import BoardLoadError
from models.fileformat import document_from_data
from models.synthetic import board_data


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
    def problems_for(count: int) -> tuple[int, float]:
        data = board_data("chain", 2)
        data["findings"] = [{} for _ in range(count)]
        started = time.process_time()
        with pytest.raises(BoardLoadError) as caught:
            document_from_data(data)
        return len(caught.value.problems), time.process_time() - started

    small, small_time = problems_for(2_000)
    big, big_time = problems_for(20_000)
    assert (small, big) == (4_000, 40_000)
    assert big_time < 10 * small_time + 1.0
