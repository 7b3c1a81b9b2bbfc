"""Pydantic's errors become messages that name the place in the file and say plainly what is wrong."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from models.document import BoardDocument
from models.validation import describe_errors, place, reason


def problems(data: object, prefix: str = "") -> list[str]:
    with pytest.raises(ValidationError) as caught:
        BoardDocument.model_validate(data)
    return describe_errors(caught.value, prefix)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"nodes": [{"id": "a", "label": "A", "sim": {"workers": 0}}]}, "nodes[0].sim.workers: must be at least 1"),
        ({"nodes": [{"id": "a"}]}, "nodes[0].label: is required"),
        ({"nodes": [{"id": "a", "label": "A", "colour": "red"}]}, "nodes[0].colour: is not a known field"),
        ({"nodes": [{"id": "a", "label": "A", "x": "left"}]}, "nodes[0].x: must be a number"),
        ({"nodes": [{"id": "a", "label": "A", "x": float("inf")}]}, "nodes[0].x: must be a finite number"),
        ({"nodes": [{"id": "a", "label": "A" * 1000}]}, "nodes[0].label: is too long (at most 500 characters)"),
        ({"nodes": [{"id": "a b", "label": "A"}]}, "nodes[0].id: has characters or a shape that is not allowed here"),
        ({"queues": [{"id": "q", "name": "Q", "exists": "maybe"}]}, "queues[0].exists: must be true or false"),
        ({"failure_modes": [{"id": "f", "node": "a", "name": "n", "severity": 9}]},
         "failure_modes[0].severity: must be at most 5"),
        ({"scenarios": [{"id": "s", "name": "S", "duration_s": 0}]}, "scenarios[0].duration_s: must be more than 0.0"),
        ({"nodes": "abc"}, "nodes: must be a list"),
    ],
)
def test_a_board_problem_names_its_field(data, message):
    assert problems(data) == [message]


def test_a_closed_set_lists_what_is_allowed():
    [message] = problems({"nodes": [{"id": "a", "label": "A", "kind": "toaster"}]})
    assert message == (
        "nodes[0].kind: must be one of 'gateway', 'service', 'database', 'cache', 'vector_store', 'llm', "
        "'broker', 'pipeline', 'users' or 'external'"
    )


def test_the_prefix_says_which_file_part_and_every_problem_is_listed_once():
    data = {"nodes": [{"id": "a", "label": "A", "sim": {"workers": 0}}, {"id": "b"}]}
    assert problems(data, prefix="board") == ["board.nodes[0].sim.workers: must be at least 1",
                                              "board.nodes[1].label: is required"]


def test_place_drops_pydantic_schema_tags():
    assert place(("nodes", 3, "sim", "workers")) == "nodes[3].sim.workers"
    assert place(("nodes", 0, "function-after[check(), str]", "int")) == "nodes[0]"
    assert place((2, "label"), prefix="steps") == "steps[2].label"
    assert place(()) == "(the document)"


class Limits(BaseModel):
    below: Annotated[int, Field(lt=10)] = 0
    few: Annotated[list[int], Field(max_length=2)] = []
    even: int = 0

    @field_validator("even")
    @classmethod
    def _even(cls, value: int) -> int:
        if value % 2:
            raise ValueError("must be even")
        return value


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"below": 10}, "below: must be less than 10"),
        ({"few": [1, 2, 3]}, "few: has too many entries (at most 2)"),
        ({"even": 3}, "even: must be even"),
        ({"even": "three"}, "even: must be a whole number"),
    ],
)
def test_other_constraints_read_plainly(data, message):
    with pytest.raises(ValidationError) as caught:
        Limits.model_validate(data)
    assert describe_errors(caught.value) == [message]


def test_an_unknown_kind_of_error_falls_back_to_pydantics_words_in_lower_case():
    error = {"type": "json_invalid", "msg": "Invalid JSON: EOF while parsing", "loc": ()}
    assert reason(error) == "invalid json: eof while parsing"
