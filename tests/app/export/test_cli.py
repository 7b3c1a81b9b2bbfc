"""``cascade-board export-pdf``: writes atomically, never clobbers, says what is wrong."""

from __future__ import annotations

from app.cli import run
from models.fileformat import load_path
from tests.app.export.conftest import pdf_text


def test_export_writes_the_pdf(tmp_path, example_path, capsys):
    board = tmp_path / "board.cboard"
    board.write_bytes(example_path.read_bytes())
    out = tmp_path / "handout.pdf"
    assert run(["export-pdf", str(board), "-o", str(out), "--date", "1 Dec 2026"]) == 0
    assert "pages" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF-")
    assert load_path(out) == load_path(board)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board.cboard", "handout.pdf"]


def test_missing_input_is_an_error_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out.pdf"
    assert run(["export-pdf", str(tmp_path / "nope.cboard"), "-o", str(out)]) == 1
    assert "nope.cboard" in capsys.readouterr().err
    assert not out.exists()


def test_broken_board_keeps_the_old_output(tmp_path, capsys):
    board = tmp_path / "broken.cboard"
    board.write_text('{"format_version": 1, "nodes": [{"id": "x"}]}', encoding="utf-8")
    out = tmp_path / "out.pdf"
    out.write_bytes(b"previous")
    assert run(["export-pdf", str(board), "-o", str(out)]) == 1
    assert "label" in capsys.readouterr().err
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.cboard", "out.pdf"]


def test_refuses_to_overwrite_its_input(tmp_path, example_path, capsys):
    pdf = tmp_path / "handout.pdf"
    assert run(["export-pdf", str(example_path), "-o", str(pdf)]) == 0
    before = pdf.read_bytes()
    assert run(["export-pdf", str(pdf), "-o", str(pdf)]) == 2
    assert "overwrite the input" in capsys.readouterr().err
    assert pdf.read_bytes() == before


def test_output_must_be_a_pdf_in_an_existing_folder(tmp_path, example_path, capsys):
    assert run(["export-pdf", str(example_path), "-o", str(tmp_path / "out.cboard")]) == 2
    assert ".pdf" in capsys.readouterr().err
    assert run(["export-pdf", str(example_path), "-o", str(tmp_path / "no" / "out.pdf")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_handout_exports_again(tmp_path, example_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert run(["export-pdf", str(example_path), "-o", str(first)]) == 0
    assert run(["export-pdf", str(first), "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_measure_puts_the_matrix_with_intervals_and_verdicts_in_the_handout(tmp_path, example_path, capsys):
    board = tmp_path / "board.cboard"
    board.write_bytes(example_path.read_bytes())
    out = tmp_path / "handout.pdf"
    assert run(["export-pdf", str(board), "-o", str(out), "--measure", "off-peak", "--seed", "4",
                "--replications", "2", "--quiet"]) == 0
    text = " ".join(pdf_text(out.read_bytes()).split())
    assert "Measured simulation results" in text
    assert "No intervention carries a measured result yet" not in text
    assert "baseline (N = 2, seed 4)" in text  # one shared baseline row for the scenario
    assert "What the measurements say" in text
    assert " pp" in text
    carried = load_path(out)  # the board inside the PDF carries the measurements ...
    cells = {i.id: i.measurements for i in carried.interventions}
    assert all(len(row) == 1 and row[0].scenario == "off-peak" and row[0].replications == 2 and row[0].seed == 4
               for row in cells.values())
    assert len({row[0].p99_before_ms for row in cells.values()}) == 1  # the shared baseline
    faster = cells["vector-query-cache"][0]
    assert faster.p99_after_ms < faster.p99_before_ms
    assert all(row[0].verdict for row in cells.values())  # every cell says what it measured, or why nothing moved
    assert board.read_bytes() == example_path.read_bytes()  # ... the board file does not


def test_measure_without_a_scenario_measures_each_intervention_on_its_own(tmp_path, capsys):
    from models.fileformat import save_path
    from tests.models.runs.test_matrix import DOCUMENT

    board = tmp_path / "small.cboard"
    save_path(DOCUMENT, board)
    out = tmp_path / "small.pdf"
    assert run(["export-pdf", str(board), "-o", str(out), "--measure", "--replications", "2", "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "measured 4 intervention × scenario cells on 2 scenarios: N = 2, base seed 0" in err
    carried = {i.id: [m.scenario for m in i.measurements] for i in load_path(out).interventions}
    assert carried == {"faster": ["s", "busy"], "idle": ["s"], "shed": ["busy"], "unplaced": []}
    text = " ".join(pdf_text(out.read_bytes()).split())
    assert "none of the parameters it changes is on a loaded path" in text
    assert "Trade-off (more fast failures): errors +" in text


def test_measure_names_what_is_wrong(tmp_path, example_path, capsys):
    out = tmp_path / "out.pdf"
    assert run(["export-pdf", str(example_path), "-o", str(out), "--measure", "rush-hour"]) == 2
    assert "unknown scenario 'rush-hour'" in capsys.readouterr().err
    bare = tmp_path / "bare.cboard"
    assert run(["new", "-o", str(bare)]) == 0
    capsys.readouterr()
    assert run(["export-pdf", str(bare), "-o", str(out), "--measure", "x"]) == 2
    assert "--measure" in capsys.readouterr().err
    assert run(["export-pdf", str(example_path), "-o", str(out), "--measure", "--replications", "0"]) == 2
    assert "--replications: must be between 1 and 1000, not 0" in capsys.readouterr().err
    assert run(["export-pdf", str(example_path), "-o", str(out), "--measure", "--half-width", "0"]) == 2
    assert "--half-width: a percentage above 0 and below 100, not 0" in capsys.readouterr().err
    assert run(["export-pdf", str(example_path), "-o", str(out), "--replications", "3"]) == 2
    assert "--replications/--half-width: only with --measure" in capsys.readouterr().err
    assert not out.exists()


def test_measure_until_a_half_width_target(tmp_path, capsys):
    """``--half-width PCT --max-replications N``: the stopping rule, as in ``simulate`` and ``compare``."""
    from models.fileformat import save_path
    from tests.models.runs.test_matrix import DOCUMENT

    board = tmp_path / "small.cboard"
    save_path(DOCUMENT, board)
    out = tmp_path / "small.pdf"
    assert run(["export-pdf", str(board), "-o", str(out), "--measure", "s", "--half-width", "50",
                "--max-replications", "3", "--jobs", "1"]) == 0
    assert "cells on 1 scenarios: at most N = 3, base seed 0" in capsys.readouterr().err
    counts = {m.replications for i in load_path(out).interventions for m in i.measurements}
    assert counts
    assert counts <= {2, 3}


def test_a_measuring_run_without_answers_is_a_message_not_a_crash(tmp_path, example_path, capsys, monkeypatch):
    from models.runs import replicate

    monkeypatch.setattr(replicate, "run_job", lambda job: {"latency_ms": {"p99": None}, "error_rate": 0.0})
    out = tmp_path / "out.pdf"
    assert run(["export-pdf", str(example_path), "-o", str(out), "--measure", "peak", "--jobs", "1"]) == 1
    assert "--measure: the run finished no requests" in capsys.readouterr().err
    assert not out.exists()
