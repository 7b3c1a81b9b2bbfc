"""The wheel, built and installed as a user would: into a fresh venv in a folder outside the
checkout, then the installed ``cascade-board`` run from another folder.

The fresh venv gets the wheel only (``pip install --no-deps``); the dependencies come from the
venv running the tests, through a ``.pth`` line that appends that venv's site-packages to the
new one's path (a plain path line: the checkout's editable-install hooks there are not run). So
``app``, ``models`` and ``cascade_board`` are imported from the wheel, everything else as
installed. Building the wheel fetches the build-system's setuptools from PyPI, as any wheel build
does; about a minute, most of it that build.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_FONTS = {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"}

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a command as a user's shell would, without this test run's PYTHONPATH (the checkout)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**clean, **env}, check=False)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # pip builds it as `python -m build` would, in an isolated environment with the build-system's setuptools
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ROOT, cwd=out)
    assert built.returncode == 0, built.stderr
    (path,) = out.glob("cascade_board-*.whl")
    return path


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("venv")
    made = run(sys.executable, "-m", "venv", "--without-pip", home / "env", cwd=home)
    assert made.returncode == 0, made.stderr
    python = home / "env" / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=home).stdout.strip()
    Path(purelib, "outer-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    installed = run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index",
                    wheel, cwd=home)
    assert installed.returncode == 0, installed.stderr
    return home / "env"


def test_the_wheel_carries_every_resource(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT / "resources").as_posix() for p in (ROOT / "resources").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    missing = {name for name in shipped if f"cascade_board/{name}" not in names}
    assert not missing, f"not in the wheel: {sorted(missing)}"
    assert not any(name.startswith("resources/") for name in names), "resources/ must not install at top level"
    assert {"app/__init__.py", "models/__init__.py", "cascade_board/__init__.py"} <= names


def test_installed_wheel_runs_from_any_folder(venv, tmp_path):
    exe = venv / "bin" / "cascade-board"
    work = tmp_path / "a folder with spaces"
    work.mkdir()
    where = run(venv / "bin" / "python", "-c", "import app, models, app.resources as r; "
                "print(app.__file__); print(models.__file__); print(r.ROOT)", cwd=work)
    assert where.returncode == 0, where.stderr
    assert all(line.startswith(str(venv)) for line in where.stdout.splitlines()), where.stdout

    steps = [
        ("new", "--example", "streamflow", "-o", "x.cboard"),
        ("validate", "x.cboard"),
        ("export-pdf", "x.cboard", "-o", "x.pdf"),
        ("export-image", "x.cboard", "-o", "x.png"),
    ]
    for step in steps:
        result = run(exe, *step, cwd=work, HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
        assert result.returncode == 0, f"cascade-board {' '.join(step)}: {result.stderr}"
    assert (work / "x.png").stat().st_size > 10_000

    fonts = set()
    for page in PdfReader(work / "x.pdf").pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert fonts, "the handout has no fonts"
    assert fonts <= SHIPPED_FONTS | {"Symbola"}, fonts


def test_a_foreign_app_package_is_named_not_run(venv, tmp_path):
    foreign = tmp_path / "other"
    (foreign / "app").mkdir(parents=True)
    (foreign / "app" / "__init__.py").write_text('"""Some other distribution\'s app."""\n', encoding="utf-8")
    result = run(venv / "bin" / "cascade-board", "--version", cwd=tmp_path, PYTHONPATH=str(foreign))
    assert result.returncode == 3, result
    assert f"the package 'app' imported from {foreign / 'app' / '__init__.py'} is not Cascade Board's" in result.stderr
    assert "pipx install" in result.stderr
    assert "Traceback" not in result.stderr
