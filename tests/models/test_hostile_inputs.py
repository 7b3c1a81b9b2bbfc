"""Boards crafted to break the loader: each is refused with a message that names the place."""

from __future__ import annotations

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
