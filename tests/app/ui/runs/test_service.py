"""The background-run service: runs out of process, reports progress, cancels
within a second (by hand and on a board edit), keeps no finished request, and
falls back to the local cores when a scheduler does not answer."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from app.ui.runs.service import RunRequest, RunService
from app.ui.runs.settings import RunSettings
from models.board import Board
from models.fileformat import load_path
from models.runs.executors import LocalPool, SchedulerError
from models.runs.jobs import board_text
from models.runs.replicate import RunPlan, Variant
from tests.models.simulation.boards import board, exponential

pytestmark = pytest.mark.gui

SMALL = board({"api": {"workers": 2, "service_time": exponential(50.0)}}, rate=5.0, duration_s=20.0)


@pytest.fixture(scope="module")
def long_text(example_path_module):
    return board_text(load_path(example_path_module))


@pytest.fixture(scope="module")
def example_path_module():
    from tests.conftest import EXAMPLE

    return EXAMPLE


@pytest.fixture
def service(qtbot):
    board_ = Board()
    board_.replace_document(SMALL)
    made = RunService(board_)
    made.prepare()
    made.settings = RunSettings(replications=3)
    yield made
    made.shutdown()


def outcome_recorder():
    seen: dict[str, object] = {}
    return seen, {"on_done": lambda r: seen.setdefault("done", r), "on_error": lambda m: seen.setdefault("error", m),
                      "on_cancelled": lambda: seen.setdefault("cancelled", True)}


def test_runs_out_of_process_reports_progress_and_keeps_nothing(qtbot, service):
    seen, callbacks = outcome_recorder()
    counts: list[tuple[int, int]] = []
    service.progressed.connect(lambda done, planned: counts.append((done, planned)))
    plan = service.plan(board_text(SMALL), "s", 7)
    with qtbot.waitSignal(service.idle, timeout=20_000):
        service.submit(RunRequest("two variants", plan, (Variant("base"), Variant("more", (), ()))), **callbacks)
    result = seen["done"]
    assert result.replications == 3
    assert len(result.variants) == 2
    assert "process" in result.where  # a local process pool, not this process
    assert counts[-1] == (6, 6)
    assert (0, 6) in counts
    assert service.active() == []
    assert service._runner.running() == 0


def test_cancel_takes_effect_within_a_second(qtbot, service, long_text):
    seen, callbacks = outcome_recorder()
    plan = RunPlan(long_text, "peak", 0, 40)
    ticket = service.submit(RunRequest("long", plan, (Variant("base"),)), **callbacks)
    qtbot.waitUntil(lambda: bool(multiprocessing.active_children()), timeout=10_000)
    started = time.perf_counter()
    service.cancel_all()
    assert seen == {"cancelled": True}
    assert ticket.state == "cancelled"
    handle_done = service._runner.wait(1000)
    assert handle_done, "the job thread did not end within a second"
    assert time.perf_counter() - started < 1.0
    assert service.active() == []


def test_a_board_edit_cancels_stale_requests_but_not_stored_results(qtbot, service, long_text):
    seen, callbacks = outcome_recorder()
    plan = RunPlan(long_text, "peak", 0, 40)
    service.submit(RunRequest("stale", plan, (Variant("base"),)), **callbacks)
    with service.storing():
        service.board.set_meta(service.board.meta.model_copy(update={"title": "Stored results"}))
    assert seen == {}
    service.board.set_meta(service.board.meta.model_copy(update={"title": "An edit"}))
    assert seen == {"cancelled": True}


def unreachable(scheduler: str):
    if scheduler:
        raise SchedulerError(f"no Dask scheduler answered at {scheduler} within 3 s")
    return LocalPool(None, always=True)


def test_an_unreachable_scheduler_falls_back_to_the_local_cores_with_a_notice(qtbot):
    service = RunService(Board(), unreachable)
    service.settings = RunSettings(replications=2, scheduler="tcp://127.0.0.1:9")
    seen, callbacks = outcome_recorder()
    notices: list[str] = []
    service.notice.connect(notices.append)
    with qtbot.waitSignal(service.idle, timeout=30_000):
        service.submit(RunRequest("fallback", service.plan(board_text(SMALL), "s", 1), (Variant("base"),)),
                       **callbacks)
    assert "done" in seen
    assert notices
    assert "127.0.0.1:9" in notices[0]
    assert "instead" in notices[0]
    service.shutdown()
