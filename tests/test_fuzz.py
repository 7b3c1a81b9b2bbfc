"""Corpus fuzzing of everything a user's file reaches: load, validate, analyze, a short
simulate, and the window's open path (the real file controller, offscreen).

Seeds are the shipped example, the broken files in tests/data/broken and
generated boards of every shape; Hypothesis mutates them (a value anywhere
replaced by a hostile one, bytes cut, inserted or flipped). The property: any
input ends in a result or in one of our messages, never another exception.
Inputs that once crashed are kept in tests/data/fuzz/ and replayed on every
run. The budget (examples, no deadline per example) fits a CI run of a few
seconds.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.commands.validate import check
from models.analysis import analyze
from models.errors import BoardError, BoardLoadError
from models.fileformat import load_bytes
from models.simulation import Simulation, SimulationError
from models.synthetic import board_data

ROOT = Path(__file__).resolve().parent
EXAMPLE = ROOT.parent / "resources" / "examples" / "streamflow-ai.cboard"
FUZZ_DATA = ROOT / "data" / "fuzz"
SEEDS: list[bytes] = [
    EXAMPLE.read_bytes(),
    *(path.read_bytes() for path in sorted((ROOT / "data" / "broken").iterdir())),
    *(json.dumps(board_data(shape, size)).encode() for shape, size in
      [("chain", 6), ("star", 5), ("tree", 7), ("dag", 6), ("async_cycle", 3)]),
]
HOSTILE = st.one_of(
    st.sampled_from([True, False, None, 0, -1, 1e308, -1e308, 2**63, 10**400, "", [], {}, "\x1b]0;t\x07",
                     "<img src='file:///etc/passwd'>", "n0", "users", "sync", "async", "peak", 0.5]),
    st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12),
    st.recursive(st.integers(-3, 3) | st.text(max_size=3), lambda c: st.lists(c, max_size=3), max_leaves=6),
)
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside parsed JSON (iteratively)."""
    found, stack = [], [(value, path)]
    while stack:
        item, where = stack.pop()
        found.append(where)
        if isinstance(item, dict):
            stack += [(child, (*where, key)) for key, child in item.items()]
        elif isinstance(item, list):
            stack += [(child, (*where, i)) for i, child in enumerate(item)]
    return found


def replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return value


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    seed = draw(st.sampled_from(SEEDS))
    if draw(st.booleans()):
        try:
            parsed = json.loads(seed)
        except ValueError:
            parsed = None
        if parsed is not None:
            for _ in range(draw(st.integers(1, 4))):
                where = draw(st.sampled_from(places(parsed)))
                parsed = replace(parsed, where, draw(HOSTILE))
            return json.dumps(parsed).encode()
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "insert", "flip"]))
        if action == "cut":
            del data[at:at + draw(st.integers(1, 64))]
        elif action == "insert":
            data[at:at] = draw(st.sampled_from([b"[", b"{", b"}", b",", b'"', b"NaN", b"1e999", b"\\u0000",
                                                b'"id": "x", ', b"\xff", b"9" * 400]))
        elif data and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


def run_everything(data: bytes) -> None:
    """The property: load, validate's check, analyze and a short simulate end in a result or our message."""
    try:
        document = load_bytes(data, "fuzz")
    except BoardLoadError as error:
        problems = error.problems
        document = None
    if document is None:
        assert problems
        assert all(isinstance(p, str) and p for p in problems)
        return
    result = analyze(document)
    json.dumps(result, allow_nan=False)
    for scenario in document.scenarios[:1]:
        try:
            simulation = Simulation(document, scenario.id, seed=1, duration_s=min(0.5, scenario.duration_s))
            simulation.run_until(min(0.5, scenario.duration_s))
        except (SimulationError, BoardError):
            pass
    assert math.isfinite(result["critical_path"]["total_ms"])


@SETTINGS
@given(mutated())
def test_mutated_boards_end_in_a_result_or_a_message(data):
    run_everything(data)


def test_validate_reports_any_file(tmp_path):
    path = tmp_path / "board.cboard"
    for data in SEEDS[:4]:
        path.write_bytes(data[: len(data) // 2])
        assert check(str(path))["ok"] is False


@pytest.mark.parametrize("path", sorted(FUZZ_DATA.iterdir()), ids=lambda p: p.name)
def test_inputs_that_once_crashed(path):
    run_everything(path.read_bytes())


@pytest.fixture(scope="module")
def fuzz_window(qapp, tmp_path_factory):
    """One window for every fuzzed file: opening replaces its board each time."""
    from app.ui.files import RecoveryStore
    from app.ui.main_window import MainWindow

    window = MainWindow(recovery=RecoveryStore(tmp_path_factory.mktemp("recovery")))
    window.show()
    yield window
    assert not window.files.is_modified()  # opening never marks the board modified
    window.close()
    window.deleteLater()


def open_in_window(window: Any, data: bytes, folder: Path) -> None:
    """The property for the window: the file opens (its board and scene show it) or one of our messages."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    path = folder / "fuzz.cboard"
    path.write_bytes(data)
    shown: list[str] = []
    original = QMessageBox.warning
    QMessageBox.warning = staticmethod(lambda _p, _t, text: shown.append(text))  # type: ignore[method-assign,assignment]
    try:
        opened = window.files.open_path(str(path), ask=False)
        QApplication.processEvents()
        window.scene.build_all()  # a big board's items are built in steps from the event loop
    finally:
        QMessageBox.warning = original  # type: ignore[method-assign]
    if opened:
        assert not shown
        assert {n.id for n in window.board.nodes} == {n.id for n in load_bytes(data, "fuzz").nodes}
        assert all(window.scene.item_for(n.id) is not None for n in window.board.nodes)
    else:
        assert len(shown) == 1
        assert "cannot be opened" in shown[0]


WINDOW_SETTINGS = settings(max_examples=8, deadline=None, derandomize=True, database=None,
                           suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                  HealthCheck.function_scoped_fixture])


@pytest.mark.gui
@pytest.mark.qt_log_ignore("This plugin does not support")
@WINDOW_SETTINGS
@given(mutated())
def test_the_window_opens_any_fuzzed_file_or_says_why(fuzz_window, tmp_path_factory, data):
    open_in_window(fuzz_window, data, tmp_path_factory.mktemp("open"))


@pytest.mark.gui
@pytest.mark.qt_log_ignore("This plugin does not support")
@pytest.mark.parametrize("path", sorted(p for p in FUZZ_DATA.iterdir() if p.suffix == ".cboard"
                                       and "simulate" not in p.name),  # the engine's; the window opens chain-1000
                         ids=lambda p: p.name)
def test_the_window_opens_inputs_that_once_crashed(fuzz_window, tmp_path, path):
    open_in_window(fuzz_window, path.read_bytes(), tmp_path)
