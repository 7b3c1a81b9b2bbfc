"""The Qt boundary is mechanical: models and the headless commands never import Qt."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports_qt(code: str) -> bool:
    qt = ("PySide6", "shiboken6", "qtawesome")
    probe = f"{code}\nimport sys\nprint(any(m.split('.')[0] in {qt!r} for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1] == "True"


def test_models_never_import_qt():
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in (ROOT / "models").rglob("*.py")
        if p.name != "__main__.py"
    )
    assert not _imports_qt("\n".join(f"import {m}" for m in modules))


def test_headless_commands_never_import_qt(tmp_path):
    example = ROOT / "resources" / "examples" / "streamflow-ai.cboard"
    runs = [
        ["validate", str(example)],
        ["analyze", str(example), "--json"],
        ["new", "-o", str(tmp_path / "n.cboard")],
        ["simulate", str(example), "--scenario", "off-peak", "--duration", "20", "--json"],
        ["compare", str(example), "--scenario", "off-peak", "--duration", "10", "--json"],
    ]
    for args in runs:
        code = (
            "import sys, contextlib, io\nfrom app.cli import run\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
            f"    assert run({args!r}) == 0"
        )
        assert not _imports_qt(code), args


def test_no_source_under_models_mentions_qt():
    for path in (ROOT / "models").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "PySide6" not in text, path
        assert "qtawesome" not in text, path


HEAVY_FOR_HEADLESS = ("models.simulation", "simpy", "multiprocessing", "numpy", "reportlab", "psutil", "rich",
                      "difflib", "PySide6", "networkx")
"""Packages ``analyze`` and ``validate`` never need: each costs start-up time (issue 16: analyze in
under a second from a clean clone; benchmarks/bench_cli.py measures it). networkx alone took a
third of a second: the analysis walks its own ``CallGraph`` and imports networkx only to list the
cycles of a board that has some (the example board has none)."""


def test_analyze_and_validate_import_nothing_heavy():
    example = ROOT / "resources" / "examples" / "streamflow-ai.cboard"
    probe = (
        "import sys, contextlib, io, json\nsys.argv = ['cascade-board']\nfrom app.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['analyze', {str(example)!r}]) == 0\n"
        f"    assert main(['validate', {str(example)!r}]) == 0\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY_FOR_HEADLESS!r}\n"
        f"                        or m.startswith({HEAVY_FOR_HEADLESS!r}))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_setup_compiles_the_program_so_the_first_run_does_not():
    """The README's first command compiles ``app`` and ``models`` as benchmarks/bench_cli.py's
    "clean clone" run expects (the first ``analyze`` after a clone pays no compilation)."""
    setup = (ROOT / "packaging" / "setup.sh").read_text(encoding="utf-8")
    assert ".venv/bin/python -m compileall -q app models\n" in setup
