"""The command line on hostile input: quiet broken pipes, unknown commands, every file reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
