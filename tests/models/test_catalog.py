"""The HUMMBL catalog: the shipped models, validation with places, user overrides."""

from __future__ import annotations

import json

import pytest

from models.catalog import SECTIONS, CatalogError, default_catalog, load_catalog
from models.document import LAYER_NAMES
from models.fileformat import load_path

SCRIPT_MODELS = {
    "P02": "Stakeholder Mapping",
    "DE07": "Bottleneck Identification",
    "DE06": "Failure Mode Analysis",
    "IN02": "Premortem",
    "DE08": "Information Flow Tracing",
    "CO03": "Pipeline / Flow Composition",
    "CO12": "Queues / Buffers",
    "RE06": "Feedback Loops",
    "SY04": "Cascades & Second-Order Effects",
    "SY01": "System Topology",
    "SY19": "Meta-Model Selection",
    "SY13": "Incentive Architecture",
    "RE10": "Experimentation",
    "DE01": "Root Cause",
    "IN04": "Simplification",
    "CO01": "Composition Planning",
}


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_shipped_catalog_has_the_script_models():
    catalog = load_catalog()
    assert {m.code: m.name for m in catalog} == SCRIPT_MODELS
    for model in catalog:
        assert model.question.endswith("?")
        assert model.section in SECTIONS
        assert set(model.layers) <= set(LAYER_NAMES)
        assert all(code in catalog for code in model.next)
    assert catalog.notes == []


def test_every_example_step_is_in_the_catalog(example_path):
    catalog = default_catalog()
    for step in load_path(example_path).steps:
        assert catalog.get(step.code).name == step.name


def test_sections_and_layers_of_the_walk():
    catalog = default_catalog()
    assert catalog.get("DE07").section == "bottlenecks"
    assert catalog.get("DE08").section == "flows"
    assert catalog.get("SY19").section == "reflection"
    layers = catalog.layers_for("DE08")
    assert layers.flows
    assert not layers.loops
    assert catalog.layers_for("XX99") is None


def test_suggest_next_after_the_case_study_matches_the_script(example_path):
    used = [step.code for step in load_path(example_path).steps]
    suggested = [m.code for m in default_catalog().suggest_next(used, limit=5)]
    assert suggested == ["SY13", "RE10", "DE01", "IN04", "CO01"]


def test_user_model_adds_and_overrides_with_a_note(tmp_path):
    path = write(tmp_path, "mine.json", {"models": [
        {"code": "DE07", "name": "Constraint Hunting", "question": "Where is the constraint?",
         "section": "bottlenecks", "layers": ["health"], "next": ["XY01"]},
        {"code": "XY01", "name": "My Model", "question": "What now?", "next": ["P02"]},
    ]})
    catalog = load_catalog([path])
    assert catalog.get("DE07").name == "Constraint Hunting"
    assert catalog.get("XY01").section == "notes"
    assert len(catalog) == len(SCRIPT_MODELS) + 1
    assert len(catalog.notes) == 1
    assert "DE07 overrides 'Bottleneck Identification'" in catalog.notes[0]
    assert catalog.origins["DE07"] == str(path)


@pytest.mark.parametrize(("models", "place"), [
    ([{"code": "X1", "name": "n", "question": "q"}], "models[0].code"),
    ([{"code": "XY01", "name": "n", "question": "q", "section": "nowhere"}], "models[0].section"),
    ([{"code": "XY01", "name": "n", "question": "q", "layers": ["bogus"]}], "models[0].layers[0]"),
    ([{"code": "XY01", "name": "", "question": "q"}], "models[0].name"),
    ([{"code": "XY01", "question": "q"}], "models[0].name: is required"),
    ([{"code": "XY01", "name": "n", "question": "q", "colour": "red"}], "models[0].colour: is not a known"),
    ([{"code": "XY01", "name": "n", "question": "q"}, {"code": "XY01", "name": "m", "question": "q"}],
     "models[1].code: 'XY01' appears more than once"),
    ([{"code": "XY01", "name": "n", "question": "q", "next": ["ZZ99"]}],
     "models[0].next[0]: 'ZZ99' is not a model"),
])
def test_bad_user_catalog_names_the_file_and_place(tmp_path, models, place):
    path = write(tmp_path, "bad.json", {"models": models})
    with pytest.raises(CatalogError) as caught:
        load_catalog([path])
    assert caught.value.source == str(path)
    assert any(place in problem for problem in caught.value.problems), caught.value.problems


def test_unreadable_files_are_clear_errors(tmp_path):
    with pytest.raises(CatalogError, match="line 1, column"):
        load_catalog([write(tmp_path, "broken.json", "{not json")])
    with pytest.raises(CatalogError, match="cannot read the file"):
        load_catalog([tmp_path / "missing.json"])
    with pytest.raises(CatalogError, match="catalog_version"):
        load_catalog([write(tmp_path, "future.json", {"catalog_version": 9, "models": []})])
