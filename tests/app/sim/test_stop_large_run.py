"""Stop takes effect within a second even in the middle of a long engine step (issue 16)."""

from __future__ import annotations

import time

import pytest

from app.sim.history import FrameHistory
from app.sim.stepper import real_stepper
from app.sim.worker import SimulationWorker
from models.fileformat import document_from_data
from models.synthetic import board_data

pytestmark = pytest.mark.gui


def test_stop_ends_a_long_step_of_a_large_run_within_a_second(qtbot):
    data = board_data("chain", 3, rps=100_000.0)  # the most a run simulates: a second takes half a second
    data["scenarios"][0]["duration_s"] = 600.0
    worker = SimulationWorker(real_stepper(document_from_data(data), "peak"), FrameHistory(), speed=0.0)
    errors: list[str] = []
    worker.errored.connect(errors.append)
    thread = worker.start()
    qtbot.waitUntil(lambda: worker._stepper is not None, timeout=30_000)
    time.sleep(0.2)  # into the first step
    assert len(worker.history) == 0
    began = time.monotonic()
    worker.quit()
    qtbot.waitUntil(lambda: worker.finished_at is not None, timeout=5000)
    assert worker.finished_at - began < 1.0
    assert errors == []  # a stopped run is not an error
    thread.wait(2000)
