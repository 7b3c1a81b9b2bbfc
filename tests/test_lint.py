"""The code style the project promises: ruff on everything, strict mypy on models/, mypy on app/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_passes():
    done = _run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout[-4000:]


def test_mypy_strict_on_models():
    done = _run("mypy", "models")
    assert done.returncode == 0, done.stdout[-4000:]


def test_mypy_on_app():
    """Every function body in app/ is checked; the new modules strictly (pyproject.toml)."""
    done = _run("mypy", "app")
    assert done.returncode == 0, done.stdout[-4000:]
