"""``cascade-board export-chapters``: formats, output file, clear refusals, no Qt."""

from __future__ import annotations

import json

import pytest

from app.cli import run
from tests.test_boundaries import _imports_qt


@pytest.fixture
def stamped(example_path, tmp_path):
    data = json.loads(example_path.read_text(encoding="utf-8"))
    for step, seconds in zip(data["steps"], (0.0, 181.0, 365.5), strict=False):
        step["recorded_at_s"] = seconds
    path = tmp_path / "stamped.cboard"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_youtube_is_the_default_and_goes_to_stdout(stamped, capsys):
    assert run(["export-chapters", str(stamped)]) == 0
    assert capsys.readouterr().out == ("00:00 P02 Stakeholder Mapping\n03:01 DE07 Bottleneck Identification\n"
                                       "06:05 DE06 Failure Mode Analysis\n")


def test_json_to_a_file_with_an_end(stamped, tmp_path):
    out = tmp_path / "chapters.json"
    assert run(["export-chapters", str(stamped), "--format", "json", "--end", "07:00", "-o", str(out)]) == 0
    chapters = json.loads(out.read_text(encoding="utf-8"))["chapters"]
    assert [(c["start"], c["code"]) for c in chapters] == [("00:00", "P02"), ("03:01", "DE07"), ("06:05", "DE06")]
    assert chapters[-1]["end_s"] == 420.0


def test_no_stamped_steps_is_a_clear_message(example_path, capsys):
    assert run(["export-chapters", str(example_path)]) == 1
    err = capsys.readouterr().err
    assert "export-chapters:" in err
    assert "no step has a recorded start time" in err


def test_bad_inputs_name_the_problem(stamped, tmp_path, capsys):
    assert run(["export-chapters", str(tmp_path / "missing.cboard")]) == 1
    assert "missing.cboard" in capsys.readouterr().err
    assert run(["export-chapters", str(stamped), "-o", str(tmp_path / "no" / "such" / "dir.txt")]) == 1
    assert "cannot write" in capsys.readouterr().err
    assert run(["export-chapters", str(stamped), "--end", "00:10"]) == 1
    assert "before its last chapter starts (06:05)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(["export-chapters", str(stamped), "--end", "soon"])
    assert "'soon' is not a time MM:SS" in capsys.readouterr().err


def test_export_chapters_never_imports_qt(stamped):
    code = ("import sys, contextlib, io\nfrom app.cli import run\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    assert run(['export-chapters', {str(stamped)!r}]) == 0")
    assert not _imports_qt(code)
