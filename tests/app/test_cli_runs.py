"""Replications, the stopping rule, sweeps and where jobs run, through the CLI
(in process, on a small board so the runs are quick)."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import pytest

from app import cli
from app.commands.runs import TerminalProgress
from models.entities import Intervention, ParamChange
from models.fileformat import dumps
from models.runs import executors
from models.runs.seeds import DEFAULT_SEED, replication_seeds
from tests.models.simulation.boards import board, exponential


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    document = board({"api": {"workers": 1, "service_time": exponential(70.0)}}, rate=10.0, duration_s=60.0)
    document = document.model_copy(update={"interventions": (
        Intervention(id="more-workers", title="More workers", rank=1,
                     changes=(ParamChange(target="api", path="sim.workers", value=3),)),
        Intervention(id="nothing", title="Nothing", rank=2),
    )})
    path = tmp_path_factory.mktemp("runs") / "small.cboard"
    path.write_text(dumps(document), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(("extra", "flag"), [
    (["--replications", "0"], "--replications"),
    (["--replications", "-3"], "--replications"),
    (["--half-width", "0"], "--half-width"),
    (["--half-width", "-5"], "--half-width"),
    (["--half-width", "5", "--max-replications", "0"], "--max-replications"),
    (["--max-replications", "8"], "--max-replications"),
    (["--jobs", "0"], "--jobs"),
    (["--fallback-local"], "--fallback-local"),
    (["--scheduler", "tcp://127.0.0.1:9"], "--scheduler"),
])
@pytest.mark.parametrize("command", ["simulate", "compare"])
def test_bad_run_flags_exit_2_naming_the_flag(capsys, monkeypatch, small, command, extra, flag):
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT_S", 1.0)
    code, out, err = run(capsys, command, str(small), "--scenario", "s", *extra)
    assert code == 2
    assert flag in err
    assert out == ""


def test_unknown_scenario_is_named_before_anything_runs(capsys, small):
    code, _out, err = run(capsys, "compare", str(small), "--scenario", "peak")
    assert code == 2
    assert "--scenario: unknown scenario 'peak' (this board has: s)" in err


@pytest.mark.parametrize(("vary", "message"), [
    ("nodes.api.sim.nope=1..2", "names no parameter"),
    ("workers=1..4", "names no parameter"),
    ("nodes.api.sim.workers=4..1:1", "wrong sign"),
    ("nodes.api.sim.workers=1..4:0", "other than 0"),
    ("nodes.api.sim.workers=0..2", "workers"),
])
def test_bad_sweeps_exit_2_and_write_nothing(capsys, small, tmp_path, vary, message):
    out_file = tmp_path / "out.csv"
    code, _out, err = run(capsys, "sweep", str(small), "--scenario", "s", "--vary", vary, "-o", str(out_file))
    assert code == 2
    assert "--vary" in err
    assert message in err
    assert not out_file.exists()


def test_sweep_output_must_be_csv_png_or_svg(capsys, small, tmp_path):
    code, _out, err = run(capsys, "sweep", str(small), "--scenario", "s", "--vary", "nodes.api.sim.workers=1..2",
                          "-o", str(tmp_path / "out.txt"))
    assert (code, "-o:" in err) == (2, True)


def test_a_scheduler_that_does_not_answer_can_fall_back_to_local_cores(capsys, monkeypatch, small):
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT_S", 1.0)
    code, out, err = run(capsys, "simulate", str(small), "--scenario", "s", "--replications", "2", "--duration", "20",
                         "--scheduler", "tcp://127.0.0.1:9", "--fallback-local")
    assert code == 0, err
    assert "no Dask scheduler answered at tcp://127.0.0.1:9" in err
    assert "running on" in err
    assert "N = 2 replications" in out


def test_compare_prints_every_figure_as_mean_and_half_width(capsys, small):
    code, out, err = run(capsys, "compare", str(small), "--scenario", "s", "--replications", "3", "--jobs", "1")
    assert code == 0, err
    assert f"N = 3 replications, base seed {DEFAULT_SEED}; mean ± 95 % half-width (Student t, 2 df)" in out
    rows = {line.split()[0]: line for line in out.splitlines()[5:]}
    assert set(rows) == {"baseline", "more-workers", "nothing", "all"}
    assert rows["baseline"].count("±") == 4
    for label in ("more-workers", "nothing", "all"):
        assert rows[label].count("±") == 6
        assert rows[label].rstrip().endswith("pp")
    assert "+0 ± 0 ms" in rows["nothing"]  # the same seeds: no change at all, exactly


def test_compare_json_has_estimates_and_paired_changes(capsys, small):
    code, out, _err = run(capsys, "compare", str(small), "--scenario", "s", "--replications", "3", "--json",
                          "--seed", "4", "--quiet")
    assert code == 0
    data = json.loads(out)
    assert (data["base_seed"], data["replications"]) == (4, 3)
    assert data["seeds"] == replication_seeds(4, 3)
    baseline, more = data["runs"][0], data["runs"][1]
    assert set(baseline["p99_ms"]) == {"mean", "half_width", "n"}
    assert more["change"]["p99"]["mean"] < 0
    assert more["p99_ms"]["mean"] - baseline["p99_ms"]["mean"] == pytest.approx(more["change"]["p99"]["mean"])


def test_simulate_replicated_json_and_the_stopping_rule(capsys, small):
    code, out, _err = run(capsys, "simulate", str(small), "--scenario", "s", "--half-width", "60",
                          "--max-replications", "6", "--json", "--quiet")
    assert code == 0
    data = json.loads(out)
    assert data["stopped"] in ("target", "cap")
    assert 3 <= data["replications"] <= 6
    assert data["metrics"]["p99_ms"]["n"] == data["replications"]
    assert set(data["nodes"]["api"]) == {"utilization", "max_queue", "p99_ms"}


def test_one_replication_is_still_the_single_run(capsys, small):
    _code, single, _err = run(capsys, "simulate", str(small), "--scenario", "s", "--json", "--quiet")
    assert json.loads(single)["seed"] == DEFAULT_SEED
    assert "latency_ms" in json.loads(single)


def test_sweep_writes_a_csv_row_per_point(capsys, small, tmp_path):
    out_file = tmp_path / "sweep.csv"
    code, out, err = run(capsys, "sweep", str(small), "--scenario", "s", "--vary", "nodes.api.sim.workers=1..3",
                         "--replications", "2", "--jobs", "1", "-o", str(out_file))
    assert code == 0, err
    rows = list(csv.DictReader(out_file.open(encoding="utf-8")))
    assert [row["nodes.api.sim.workers"] for row in rows] == ["1", "2", "3"]
    assert {row["replications"] for row in rows} == {"2"}
    assert float(rows[2]["p99_ms"]) < float(rows[0]["p99_ms"])
    assert rows[0]["p99_ms_half_width"] != ""
    assert "nodes.api.sim.workers=3" in out
    assert f"wrote {out_file}" in out


@pytest.mark.gui
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_sweep_draws_charts(capsys, small, tmp_path, suffix):
    out_file = tmp_path / f"sweep{suffix}"
    code, _out, err = run(capsys, "sweep", str(small), "--scenario", "s", "--vary", "nodes.api.sim.workers=1..3",
                          "--replications", "2", "--jobs", "1", "--duration", "30", "-o", str(out_file))
    assert code == 0, err
    data = out_file.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data[:400]
    assert not list(tmp_path.glob(".*"))  # the temporary file was renamed over the output


def test_progress_in_a_log_is_plain_lines_without_carriage_returns():
    stream = io.StringIO()
    progress = TerminalProgress("sweeping s", stream=stream)
    for done in range(41):
        progress(done, 40)
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert lines[-1] == "sweeping s: 40 of 40 runs"
    assert 10 <= len(lines) <= 11


def test_progress_on_a_terminal_is_a_tqdm_bar():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = TerminalProgress("comparing", stream=stream)
    for done in range(5):
        progress(done, 4)
    progress.close()
    assert "\r" in stream.getvalue()
    assert "comparing" in stream.getvalue()


def test_one_default_seed_for_every_command():
    from app.commands import compare, export_animation, export_pdf, simulate, sweep

    for command in (simulate, compare, sweep, export_pdf, export_animation):
        parser = argparse.ArgumentParser()
        command.add_arguments(parser)
        assert parser.get_default("seed") == DEFAULT_SEED, command.__name__
