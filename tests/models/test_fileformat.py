"""Loading broken and hostile boards: a clear message, and the file untouched."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from models.document import FORMAT_VERSION, BoardDocument, Meta
from models.errors import BoardLoadError
from models.fileformat import MAX_FILE_BYTES, dumps, json_schema, load_path, save_path

BROKEN = Path(__file__).resolve().parent.parent / "data" / "broken"

EXPECTED = {
    "bad-json.cboard": "is not valid JSON: Expecting property name",
    "not-an-object.cboard": "top level must be a JSON object",
    "wrong-type.cboard": "nodes[3].sim.workers: must be a whole number",
    "zero-workers.cboard": "nodes[3].sim.workers: must be at least 1",
    "negative-rate.cboard": "nodes[8].sim.rate_limit.rate_per_s: must be more than 0",
    "absurd-probability.cboard": "edges[6].call.probability: must be at most 1",
    "dangling-edge.cboard": "edges[2].target: 'nowhere' is not a node on this board",
    "dangling-intervention.cboard": "interventions[0].changes[0].target: 'ghost' is not a node, an edge or a queue",
    "bad-intervention-path.cboard": "interventions[0].changes[0]: call.warp_speed: call has no field 'warp_speed'",
    "duplicate-id.cboard": "edges[1].id: 'e-users-gateway' is already used by edges[0]",
    "unknown-version.cboard": "format_version: 99 is newer than this program reads",
    "missing-version.cboard": "format_version: is required",
    "nan.cboard": "NaN is not a number JSON allows",
    "duplicate-key.cboard": "the key 'format_version' appears twice",
    "binary.cboard": "holds binary data",
    "not-utf8.cboard": "is not UTF-8 text",
    "unknown-field.cboard": "nodes[0].colour: is not a known field",
    "script-injection.cboard": "__class__: is not a known field",
}


def test_every_broken_file_has_an_expectation():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_board_names_the_problem_and_leaves_the_file(name):
    path = BROKEN / name
    before = path.read_bytes(), os.stat(path).st_mtime_ns
    with pytest.raises(BoardLoadError) as caught:
        load_path(path)
    assert any(EXPECTED[name] in problem for problem in caught.value.problems), caught.value.problems
    assert str(path) in str(caught.value)
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.cboard"
    with path.open("wb") as handle:
        handle.write(b'{"format_version": 1, "meta": {"summary": "')
        handle.seek(MAX_FILE_BYTES + 10)
        handle.write(b'"}}')
    with pytest.raises(BoardLoadError, match="too large"):
        load_path(path)


def test_deeply_nested_json_is_refused(tmp_path):
    path = tmp_path / "deep.cboard"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(BoardLoadError, match=r"line 1, column 65: is nested more than 64 levels deep"):
        load_path(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(BoardLoadError, match="does not exist"):
        load_path(tmp_path / "nope.cboard")
    with pytest.raises(BoardLoadError, match="not a file"):
        load_path(tmp_path)


def test_save_is_atomic_and_keeps_a_backup(tmp_path, example_path):
    target = tmp_path / "board.cboard"
    first = BoardDocument(meta=Meta(title="first"))
    save_path(first, target)
    second = load_path(example_path)
    save_path(second, target)
    assert load_path(target) == second
    assert load_path(tmp_path / "board.cboard.bak") == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board.cboard", "board.cboard.bak"]


def test_failed_save_leaves_the_old_file(tmp_path, monkeypatch, example_path):
    target = tmp_path / "board.cboard"
    save_path(BoardDocument(meta=Meta(title="keep me")), target)
    before = target.read_bytes()

    def explode(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", explode)
    with pytest.raises(OSError, match="disk full"):
        save_path(load_path(example_path), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board.cboard"]


def test_published_schema_is_current():
    published = Path(__file__).resolve().parents[2] / "resources" / "schema" / "cboard.schema.json"
    assert json.loads(published.read_text(encoding="utf-8")) == json_schema(), (
        "regenerate with: python -m models schema > resources/schema/cboard.schema.json"
    )


def test_written_text_is_plain_versioned_json(example_path):
    text = dumps(load_path(example_path))
    data = json.loads(text)
    assert next(iter(data)) == "format_version"
    assert data["format_version"] == FORMAT_VERSION == 2
    assert text.endswith("\n")
