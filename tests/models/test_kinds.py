"""The closed sets are string enums that read and write exactly the old strings."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from models.document import BoardDocument
from models.entities import Edge, Node
from models.errors import BoardError
from models.fileformat import dumps, load_path
from models.kinds import Collection, EdgeMark, Health, NodeKind
from models.params import BREAKER_PRESETS, BreakerPolicy
from models.validation import describe_errors


def test_example_round_trips_to_identical_bytes(example_path):
    document = load_path(example_path)
    assert dumps(document).encode("utf-8") == example_path.read_bytes()


def test_loaded_values_are_enum_members_equal_to_their_strings(example_path):
    document = load_path(example_path)
    node = document.nodes[0]
    assert isinstance(node.kind, NodeKind)
    assert isinstance(node.health, Health)
    assert node.health == node.health.value
    marked = [edge for edge in document.edges if edge.marks]
    assert marked
    assert all(isinstance(mark, EdgeMark) for edge in marked for mark in edge.marks)


def test_members_serialise_as_plain_strings():
    node = Node(id="db", label="DB", kind="database", health=Health.RED)
    assert node.model_dump(mode="json")["health"] == "red"
    assert json.loads(node.model_dump_json())["kind"] == "database"
    assert json.dumps(node.model_dump()["health"]) == '"red"'
    assert f"{node.health}" == "red"


def test_strings_and_members_validate_alike():
    assert Node(id="a", label="A", health="yellow") == Node(id="a", label="A", health=Health.YELLOW)
    assert Edge(id="e", source="a", target="b", marks=("critical",)).marks == (EdgeMark.CRITICAL,)


def test_a_value_outside_the_set_is_refused_with_the_literal_message():
    with pytest.raises(ValidationError) as caught:
        Node(id="a", label="A", health="green")
    assert describe_errors(caught.value) == ["health: must be one of 'none', 'yellow' or 'red'"]


def test_document_rejects_unknown_kind_in_json():
    text = json.dumps({"format_version": 1, "nodes": [{"id": "a", "label": "A", "kind": "mainframe"}]})
    with pytest.raises(ValueError, match="kind"):
        BoardDocument.model_validate_json(text)


def test_collection_names_are_the_document_fields():
    assert [c.value for c in Collection] == [
        name for name in BoardDocument.model_fields if name not in ("format_version", "meta", "reflection", "layers")
    ]


def test_breaker_presets_are_keyed_by_preset_and_say_so():
    for preset, policy in BREAKER_PRESETS.items():
        assert isinstance(policy, BreakerPolicy)
        assert policy.preset == preset
    assert BREAKER_PRESETS["hystrix"].window == 20


def test_document_scenario_lookup_names_the_known_ones(example_path):
    document = load_path(example_path)
    first = document.scenarios[0]
    assert document.scenario(first.id) is first
    with pytest.raises(BoardError, match=r"unknown scenario 'nope' \(this board has: .*" + first.id):
        document.scenario("nope")
    with pytest.raises(BoardError, match=r"unknown scenario 'x' \(this board has: none\)"):
        BoardDocument().scenario("x")
