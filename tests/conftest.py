"""Every test runs offscreen, with settings and data folders isolated from the user's."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_ISOLATED = Path(tempfile.mkdtemp(prefix="cascade-board-tests-"))
for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[variable] = str(_ISOLATED / variable.lower())
os.environ.setdefault("XDG_RUNTIME_DIR", str(_ISOLATED / "runtime"))
(_ISOLATED / "runtime").mkdir(mode=0o700, exist_ok=True)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "resources" / "examples" / "streamflow-ai.cboard"


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    return ["cascade-board-tests"]


@pytest.fixture(autouse=True, scope="session")
def _shipped_resources_stay_untouched():
    """No test may write into resources/ (saving over the shipped example)."""
    resources = ROOT / "resources"

    def snapshot() -> dict[str, bytes]:
        return {str(p.relative_to(resources)): p.read_bytes() for p in sorted(resources.rglob("*")) if p.is_file()}

    before = snapshot()
    yield
    after = snapshot()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"tests changed shipped resources: {changed}"


@pytest.fixture(autouse=True, scope="session")
def _qt_test_mode():
    """Qt's own settings go to a test location when Qt is used at all; the
    clipboard is emptied at the end as the program does at exit."""
    try:
        from PySide6.QtCore import QStandardPaths
    except ImportError:
        yield
        return
    QStandardPaths.setTestModeEnabled(True)
    yield
    from app.ui.launch import release_clipboard

    release_clipboard()
