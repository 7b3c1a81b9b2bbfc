"""The command line on hostile input: quiet broken pipes, unknown commands, every file reported."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from models.synthetic import board_data

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.main", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, **kwargs)


def test_a_closed_pipe_ends_quietly(tmp_path):
    board = tmp_path / "chain.cboard"
    board.write_text(json.dumps(board_data("chain", 300)))
    for _ in range(3):
        process = subprocess.Popen([sys.executable, "-m", "app.main", "analyze", "--json", str(board)], cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.readline() == b"{\n"
        process.stdout.close()
        errors = process.stderr.read().decode()
        process.wait(timeout=120)
        process.stderr.close()
        assert errors == ""
        assert process.returncode == 141


def test_a_mistyped_command_names_the_nearest_ones():
    out = cli("simulat", "board.cboard")
    assert out.returncode == 2
    assert "'simulat' is not a command nor a file; did you mean simulate?" in out.stderr
    out = cli("zzz")
    assert out.returncode == 2
    assert "the commands are validate, analyze" in out.stderr


def test_a_file_still_opens_the_window(tmp_path, monkeypatch):
    from app import cli as cli_module

    opened = []
    monkeypatch.setattr(cli_module, "_open_window", lambda argv: opened.append(argv) or 0)
    existing = tmp_path / "simulat"
    existing.write_text("{}")
    assert cli_module.run([str(existing)]) == 0
    assert cli_module.run(["new-board.cboard"]) == 0
    assert opened == [[str(existing)], ["new-board.cboard"]]


def test_every_file_of_a_batch_is_reported_even_when_the_checker_fails(tmp_path, monkeypatch, capsys):
    from app.commands import validate

    good = tmp_path / "good.cboard"
    good.write_text(json.dumps(board_data("chain", 2)))
    crash = tmp_path / "crash.cboard"
    crash.write_text("{}")
    real = validate.load_path

    def flaky(path):
        if str(path).endswith("crash.cboard"):
            raise RecursionError("deep")
        return real(path)

    monkeypatch.setattr(validate, "load_path", flaky)
    args = validate.argparse.Namespace(files=[str(crash), str(good)], json=True)
    assert validate.execute(args) == 1
    results = json.loads(capsys.readouterr().out)
    assert [r["ok"] for r in results] == [False, True]
    assert "RecursionError: deep" in results[0]["problems"][0]


def test_terminal_escapes_in_user_text_are_shown_not_emitted(tmp_path):
    data = board_data("chain", 2)
    data["meta"]["title"] = "title\x1b]0;pwned\x07"
    data["nodes"][1]["label"] = "evil\x9b31m\u202e"
    board = tmp_path / "escape.cboard"
    board.write_text(json.dumps(data))
    for args in (["analyze", str(board)], ["analyze", "--json", str(board)]):
        out = cli(*args)
        assert out.returncode == 0, out.stderr
        for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert raw not in out.stdout
    assert "title\\x1b]0;pwned\\x07" in cli("analyze", str(board)).stdout
    data["nodes"][1]["bad\x1b[2Jkey"] = 1
    board.write_text(json.dumps(data))
    out = cli("validate", str(board))
    assert out.returncode == 1
    assert "\x1b" not in out.stderr
    assert "\\x1b[2Jkey" in out.stderr


def test_ctrl_c_ends_a_large_replicated_run_within_a_second(tmp_path):
    data = board_data("chain", 3, rps=60_000.0)
    data["scenarios"][0]["duration_s"] = 600.0
    board = tmp_path / "overloaded.cboard"
    board.write_text(json.dumps(data))
    command = [sys.executable, "-m", "app.main", "simulate", str(board), "--scenario", "peak", "--quiet",
               "--replications", "2", "--jobs", "2"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 60
    while len(parent.children()) < 2 and time.monotonic() < deadline:  # the pool's workers are running
        time.sleep(0.1)
    workers = parent.children()
    assert len(workers) >= 2
    time.sleep(0.5)
    began = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert time.monotonic() - began < 1.0
    assert process.returncode == 130
    assert err == "cascade-board simulate: interrupted\n"
    assert out == ""
    psutil.wait_procs(workers, timeout=1.0)
    assert not [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]


def test_a_run_stopped_by_the_memory_guard_is_a_message(monkeypatch):
    from app.cli import CliError
    from app.commands.simulate import run
    from models.fileformat import document_from_data

    monkeypatch.setattr("models.simulation.guard.MemoryGuard.problem", lambda _guard: "it grew by 9 MiB")
    document = document_from_data(board_data("chain", 3, rps=2_000.0))
    with pytest.raises(CliError, match="before it ran the machine out of memory: it grew by 9 MiB") as caught:
        run(document, "peak", (), 1, 60.0, quiet=True)
    assert caught.value.code == 2
