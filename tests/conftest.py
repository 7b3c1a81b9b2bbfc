"""Every test runs offscreen, with settings and data folders isolated from the user's."""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path

import coverage
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_ISOLATED = Path(tempfile.mkdtemp(prefix="cascade-board-tests-"))
for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[variable] = str(_ISOLATED / variable.lower())
os.environ.setdefault("XDG_RUNTIME_DIR", str(_ISOLATED / "runtime"))
# Qt's test mode keeps QSettings under $HOME/.qttest: a home of its own per run (and per xdist worker)
# so that runs and workers never read each other's settings.
os.environ["HOME"] = str(_ISOLATED / "home")
(_ISOLATED / "home").mkdir()
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


COVERAGE_BAR = 80.0
"""Every file under models/ keeps at least this share of its lines covered by the tests of models/
(CONTRIBUTING.md, "Coverage")."""
UNMEASURED = (
    "tests/models/simulation/test_queueing.py",
    "tests/models/simulation/test_metastable.py",
    "tests/models/simulation/test_golden_json.py",
    "tests/models/simulation/test_engine.py::test_random_load_balancing_splits_into_independent_queues",
    "tests/models/simulation/test_engine.py::test_same_seed_same_result_bit_for_bit",
    "tests/models/simulation/test_resilience.py::test_attempts_per_call_match_the_geometric_sum",
    "tests/models/simulation/test_resilience.py::test_token_bucket_long_run_rate_equals_the_limit",
    "tests/models/simulation/test_cache_keys.py::test_a_hot_key_expiry_costs_about_one_plus_lambda_delta_recomputes",
)
"""Long runs: statistical checks against theory and bit-for-bit pins of whole StreamFlow runs. They repeat
lines other tests already cover, and tracing them would cost three to five times their time."""


def _measured(item: pytest.Item) -> bool:
    where = Path(item.path).resolve().relative_to(ROOT).as_posix()
    return where.startswith("tests/models/") and not item.nodeid.startswith(UNMEASURED) and where not in UNMEASURED


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item):
    """Measure coverage of models/ only while the tests of models/ run (setup, call and teardown), except the
    long validation runs: the GUI, CLI and export tests drive long simulations that would cost far more to trace."""
    controller = getattr(item.config.pluginmanager.getplugin("_cov"), "cov_controller", None)
    if controller is None or not controller.started or _measured(item):
        return (yield)
    # In an xdist worker pytest-cov 7 starts two Coverage objects and keeps one: stopping it alone (its
    # ``pause``) hands the tracer to the other, so the run went on traced at five times the cost. Stop
    # every one, top of the stack first, and start them again in the order they were started.
    stopped = []
    while (current := coverage.Coverage.current()) is not None:
        current.stop()
        stopped.append(current)
    try:
        return (yield)
    finally:
        for instance in reversed(stopped):
            instance.start()


def _whole_suite(config: pytest.Config) -> bool:
    """The gate only means something when every test ran: no paths, -k, -m or --lf picked a subset."""
    options = config.option
    return (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not options.keyword
        and not options.markexpr
        and not getattr(options, "lf", False)
        and not options.collectonly
    )


def models_below_bar(cov, bar: float = COVERAGE_BAR) -> list[tuple[str, float]]:
    """(file, percent) of each file under models/ (imported or not) whose line coverage is below ``bar``."""
    below = []
    for path in sorted((ROOT / "models").rglob("*.py")):
        if path.name == "__main__.py":  # ``python -m models schema``, a maintainer's script
            continue
        _, statements, _, missing, _ = cov.analysis2(str(path))
        if statements:
            percent = 100.0 * (len(statements) - len(missing)) / len(statements)
            if percent < bar:
                below.append((path.relative_to(ROOT).as_posix(), percent))
    return below


def _import_every_model() -> None:
    """Import each module of models/ while coverage measures, so that its module-level lines (imports,
    ``def``, ``class``) count however the tests are ordered: a GUI or CLI test that runs first imports a
    module while measuring is paused, and those lines would otherwise read as never run."""
    for path in sorted((ROOT / "models").rglob("*.py")):
        if path.name != "__main__.py":
            parts = path.relative_to(ROOT).with_suffix("").parts
            importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtestloop(session: pytest.Session):
    """After pytest-cov has stopped measuring: fail a whole, green run that leaves a models/ file under the bar."""
    _import_every_model()
    result = yield
    plugin = session.config.pluginmanager.getplugin("_cov")
    controller = getattr(plugin, "cov_controller", None)
    worker = hasattr(session.config, "workerinput")  # a pytest-xdist worker: the controller judges the whole
    if controller is None or worker or session.testsfailed or not _whole_suite(session.config):
        return result
    below = models_below_bar(controller.cov)
    reporter = session.config.pluginmanager.getplugin("terminalreporter")
    if below:
        lines = "\n".join(f"  {name}: {percent:.1f} %" for name, percent in below)
        reporter.write(f"\nERROR: line coverage under {COVERAGE_BAR:.0f} % per file in models/:\n{lines}\n", red=True)
        session.testsfailed += 1
    else:
        reporter.write(f"\nmodels/ coverage: every file at or above {COVERAGE_BAR:.0f} %\n", green=True)
    return result
