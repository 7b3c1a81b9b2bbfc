"""The layers of docs/ARCHITECTURE.md are enforced: `lint-imports` checks the contracts in pyproject.toml.

A contract listed in PENDING is still broken by code that is being changed; its test is a strict
xfail, so the day it holds the suite says so, and enabling it is deleting its line here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Contract id -> what breaks it today (lint-imports prints the exact imports).
PENDING: dict[str, str] = {}


def _contracts() -> dict[str, str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c["name"] for c in config["tool"]["importlinter"]["contracts"]}


def _lint_imports(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports is missing: install the test extra (pip install -e '.[test]')")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(cwd), os.environ.get("PYTHONPATH", "")]), "COLUMNS": "250"}
    return subprocess.run([exe, "--no-cache", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _kept(output: str) -> dict[str, bool]:
    """Contract name -> kept, from the summary lint-imports prints."""
    return {m[1]: m[2] == "KEPT" for m in re.finditer(r"^(.+?) (KEPT|BROKEN)$", output, re.MULTILINE)}


def test_every_pending_contract_exists():
    assert set(PENDING) <= set(_contracts())


def test_enforced_contracts_hold():
    enforced = [cid for cid in _contracts() if cid not in PENDING]
    assert enforced
    run = _lint_imports(*(arg for cid in enforced for arg in ("--contract", cid)))
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.fixture(scope="module")
def full_report() -> dict[str, bool]:
    run = _lint_imports()
    report = _kept(run.stdout)
    assert set(report) == set(_contracts().values()), run.stdout + run.stderr
    return report


@pytest.mark.parametrize(
    "contract",
    [
        pytest.param(cid, marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=why))
        for cid, why in PENDING.items()
    ],
)
def test_pending_contract(full_report, contract):
    """Fails (as expected) while the contract is broken; XPASS means: delete it from PENDING."""
    assert full_report[_contracts()[contract]]


def test_a_broken_contract_fails_the_run(tmp_path):
    (tmp_path / "pkg").mkdir()
    for name, body in {"__init__": "", "high": "", "low": "import pkg.high\n"}.items():
        (tmp_path / "pkg" / f"{name}.py").write_text(body, encoding="utf-8")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_package = pkg\n\n[importlinter:contract:down]\nname = low stays below high\n"
        "type = layers\nlayers =\n    pkg.high\n    pkg.low\n",
        encoding="utf-8",
    )
    run = _lint_imports(cwd=tmp_path)
    assert run.returncode != 0
    assert _kept(run.stdout) == {"low stays below high": False}
    assert "pkg.low -> pkg.high" in run.stdout
