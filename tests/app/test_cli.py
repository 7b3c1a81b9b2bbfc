"""The headless CLI end to end, through the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from models.fileformat import load_path

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "data" / "broken"
EXE = shutil.which("cascade-board", path=str(Path(sys.executable).parent)) or "cascade-board"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_analyze_json_reports_both_flows(example_path):
    out = cli("analyze", str(example_path), "--json")
    assert out.returncode == 0, out.stderr
    flows = {f["name"]: f["total_ms"] for f in json.loads(out.stdout)["flows"]}
    assert flows == {"Happy path (cache hit)": 75.0, "Cache-miss path": 835.0}


def test_analyze_text(example_path):
    out = cli("analyze", str(example_path))
    assert out.returncode == 0
    assert "Happy path (cache hit): 75 ms" in out.stdout
    assert "Critical path" in out.stdout


def test_validate_ok(example_path):
    out = cli("validate", str(example_path))
    assert out.returncode == 0
    assert "ok (13 nodes, 13 edges)" in out.stdout


def test_validate_lists_every_broken_file():
    files = sorted(str(p) for p in BROKEN.iterdir())
    out = cli("validate", "--json", *files)
    assert out.returncode == 1
    results = json.loads(out.stdout)
    assert [r["ok"] for r in results] == [False] * len(files)
    out = cli("validate", str(BROKEN / "zero-workers.cboard"))
    assert out.returncode == 1
    assert "nodes[3].sim.workers: must be at least 1" in out.stderr


def test_new_example_and_refusal_to_overwrite(tmp_path, example_path):
    target = tmp_path / "mine.cboard"
    assert cli("new", "--example", "streamflow", "-o", str(target)).returncode == 0
    assert load_path(target) == load_path(example_path)
    again = cli("new", "-o", str(target))
    assert again.returncode != 0
    assert "already exists" in again.stderr
    assert load_path(target) == load_path(example_path)
    assert cli("new", "--title", "Fresh", "--force", "-o", str(target)).returncode == 0
    assert json.loads(target.read_text())["meta"]["title"] == "Fresh"
    assert (tmp_path / "mine.cboard.bak").exists()


def test_analyze_unknown_scenario_and_broken_file(example_path):
    out = cli("analyze", str(example_path), "--scenario", "nope")
    assert out.returncode == 2
    assert "unknown scenario 'nope'" in out.stderr
    out = cli("analyze", str(BROKEN / "dangling-edge.cboard"))
    assert out.returncode == 1
    assert "edges[2].target" in out.stderr


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help(flag):
    out = cli(flag)
    assert out.returncode == 0
    assert (__version__ in out.stdout) if flag == "--version" else ("validate" in out.stdout)
