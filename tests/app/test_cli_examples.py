"""``cascade-board examples`` and ``new --example NAME``: names from a scan of
resources/examples, a clear refusal of an unknown name, and a copy that is an
ordinary board (edited into an invalid state, it is refused like any other)."""

from __future__ import annotations

import json

from app.cli import run
from app.examples import examples, find, first_sentence, names
from models.fileformat import load_path


def test_examples_lists_every_shipped_board_with_its_one_liner(capsys):
    assert run(["examples"]) == 0
    out = capsys.readouterr().out
    shipped = examples()
    assert len(shipped) >= 7
    for example in shipped:
        assert f"{example.name}  " in out
        assert example.one_liner in out
    assert run(["examples", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [item["name"] for item in listed] == [example.name for example in shipped]
    retry = next(item for item in listed if item["name"] == "retry-storm")
    assert retry["source"].startswith("Bronson")
    assert retry["file"] == "retry-storm.cboard"
    assert next(item for item in listed if item["name"] == "streamflow-ai")["alias"] == "streamflow"


def test_new_copies_an_example_by_name_and_by_alias(tmp_path, capsys):
    target = tmp_path / "storm.cboard"
    assert run(["new", "--example", "retry-storm", "-o", str(target)]) == 0
    assert load_path(target) == load_path(find("retry-storm").path)
    alias = tmp_path / "sf.cboard"
    assert run(["new", "--example", "streamflow", "-o", str(alias)]) == 0
    assert load_path(alias).meta.title.startswith("StreamFlow")
    assert "streamflow" in names()


def test_an_unknown_example_is_refused_with_the_names(tmp_path, capsys):
    target = tmp_path / "x.cboard"
    assert run(["new", "--example", "nosuch", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "no example is called 'nosuch'" in err
    for example in examples():
        assert example.name in err
    assert not target.exists()


def test_a_copied_example_edited_into_an_invalid_state_is_refused_by_field(tmp_path, capsys):
    target = tmp_path / "pool.cboard"
    assert run(["new", "--example", "pool-exhaustion", "-o", str(target)]) == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    data["nodes"][1]["sim"]["connection_pool"] = 0
    target.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert run(["validate", str(target)]) == 1
    assert "nodes[1].sim.connection_pool" in capsys.readouterr().err


def test_the_one_liner_is_the_first_sentence():
    assert first_sentence("A short spike tips it. Then more. ") == "A short spike tips it."
    assert first_sentence("About 1 + λδ = 21.2 recomputes. Coalescing: one.") == "About 1 + λδ = 21.2 recomputes."
    assert first_sentence("No full stop") == "No full stop"
    assert first_sentence("") == ""
