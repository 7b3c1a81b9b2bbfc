"""The controller and its worker, driven with a fake stepper: order, pause, step, cancel, errors."""

from __future__ import annotations

import dataclasses
import time

import pytest

from app.sim.controller import SimulationController
from models.fileformat import dumps, load_board
from tests.app.sim.fakes import fake_factory

pytestmark = pytest.mark.gui


@pytest.fixture
def board(example_path):
    return load_board(example_path)


def make_controller(qtbot, board, **fake):
    controller = SimulationController(board, make_factory=fake_factory(**fake))
    controller.scenario_id = "llm-rate-limit"
    yield_to_cleanup = controller
    return yield_to_cleanup


@pytest.fixture
def controllers():
    made = []
    yield made
    for controller in made:
        controller.shutdown()


def test_run_streams_frames_and_keeps_red_order(qtbot, board, controllers):
    controller = make_controller(qtbot, board)
    controllers.append(controller)
    controller.set_speed(0.0)
    with qtbot.waitSignal(controller.state_changed, check_params_cb=lambda s: s == "finished", timeout=5000):
        controller.play()
    assert len(controller.history) == 20
    assert [node for node, _ in controller.history.latest().red_order] == ["llm", "engine", "gateway"]
    qtbot.waitUntil(lambda: controller.shown is not None and controller.shown.index == 19)


def test_pause_and_step(qtbot, board, controllers):
    controller = make_controller(qtbot, board, steps=1000)
    controllers.append(controller)
    controller.set_speed(5.0)
    controller.play()
    qtbot.waitUntil(lambda: len(controller.history) >= 1, timeout=3000)
    controller.pause()
    time.sleep(0.3)
    qtbot.wait(50)
    count = len(controller.history)
    qtbot.wait(400)
    assert len(controller.history) == count
    assert controller.state == "paused"
    controller.step()
    qtbot.waitUntil(lambda: len(controller.history) == count + 1, timeout=2000)
    qtbot.wait(300)
    assert len(controller.history) == count + 1
    controller.play()
    qtbot.waitUntil(lambda: len(controller.history) > count + 1, timeout=3000)


def test_cancel_is_prompt(qtbot, board, controllers):
    controller = make_controller(qtbot, board, steps=100000, step_s=0.02)
    controllers.append(controller)
    controller.set_speed(0.0)
    controller.play()
    qtbot.waitUntil(lambda: len(controller.history) >= 3, timeout=3000)
    worker = controller.worker
    began = time.monotonic()
    controller.stop()
    assert time.monotonic() - began < 0.05
    assert controller.state == "idle"
    qtbot.waitUntil(lambda: worker.finished_at is not None, timeout=1000)
    assert worker.finished_at - began < 0.3


def test_board_change_cancels_the_run(qtbot, board, controllers):
    controller = make_controller(qtbot, board, steps=100000, step_s=0.01)
    controllers.append(controller)
    controller.play()
    qtbot.waitUntil(lambda: len(controller.history) >= 1, timeout=3000)
    board.update("nodes", "llm", label="LLM (moved)")
    assert controller.state == "idle"
    assert controller.worker is None


def test_engine_error_becomes_a_message(qtbot, board, controllers):
    controller = make_controller(qtbot, board, fail_at=3)
    controllers.append(controller)
    with qtbot.waitSignal(controller.errored, timeout=3000) as blocker:
        controller.play()
    assert "engine exploded" in blocker.args[0]
    qtbot.waitUntil(lambda: controller.state == "error")


def test_run_never_changes_the_board(qtbot, board, controllers):
    before = dumps(board.document())
    controller = make_controller(qtbot, board)
    controllers.append(controller)
    controller.set_speed(0.0)
    with qtbot.waitSignal(controller.state_changed, check_params_cb=lambda s: s == "finished", timeout=5000):
        controller.play()
    controller.stop()
    assert dumps(board.document()) == before


def test_seek_scrubs_history(qtbot, board, controllers):
    controller = make_controller(qtbot, board)
    controllers.append(controller)
    controller.set_speed(0.0)
    with qtbot.waitSignal(controller.state_changed, check_params_cb=lambda s: s == "finished", timeout=5000):
        controller.play()
    controller.seek(4)
    controller.animator.flush()
    assert controller.shown.index == 4
    assert [n for n, _ in controller.shown.red_order] == ["llm"]
    controller.seek(15)
    controller.animator.flush()
    assert controller.shown.index == 15


def test_process_stepper_sends_changes_and_rebuilds_whole_frames(example_path):
    """The child's frames, asked for steps ahead (with an injection sent while two steps are
    asked for, which then acts from the step after them), are those of the engine in this process."""
    from app.sim.process import ProcessStepper
    from app.sim.stepper import ViewStepper
    from models.fileformat import load_path
    from models.params import FailureInjection
    from models.simulation import Simulation

    document = load_path(example_path)
    remote = ProcessStepper(document, "llm-rate-limit", seed=3)
    local = ViewStepper(Simulation(document, "llm-rate-limit", seed=3))
    crash = FailureInjection(kind="crash", target="vectordb", duration_s=5.0)
    try:
        previous, started = None, []
        for index in range(70):
            a, b = remote.step(1.0, ahead=1.0 if index < 60 else None), local.step(1.0)
            if index == 19:
                remote.inject(crash)  # steps 21 and 22 are already asked for: the crash acts from step 23
            if index == 21:
                local.inject(crash)
            assert a == b
            if previous is not None:
                unchanged = [k for k, v in a.nodes.items() if previous.nodes.get(k) == v]
                assert all(a.nodes[k] is previous.nodes[k] for k in unchanged)
            previous = a
            started += [e.t for e in a.events if e.kind == "failure_started" and e.target == "vectordb"]
        assert [n for n, _ in a.red_order][:3] == ["vectordb", "llm", "engine"]  # the crash first
        assert started == [22.0]
    finally:
        remote.close()


def test_process_stepper_summary_leaves_out_the_series(example_path):
    """The child's summary is the engine's, without the per-second series the window never
    shows (on a big board it held the window at the end of every run)."""
    from app.sim.process import ProcessStepper
    from models.fileformat import load_path
    from models.simulation import Simulation

    document = load_path(example_path)
    scenarios = tuple(s.model_copy(update={"duration_s": 40.0}) if s.id == "llm-rate-limit" else s
                      for s in document.scenarios)
    document = document.model_copy(update={"scenarios": scenarios})
    remote = ProcessStepper(document, "llm-rate-limit", seed=3)
    try:
        while not remote.done:
            remote.step(5.0, ahead=5.0)
        summary = remote.result()
    finally:
        remote.close()
    whole = Simulation(document, "llm-rate-limit", seed=3).result()
    assert whole.series
    assert not summary.series
    assert summary == dataclasses.replace(whole, series=())


def test_slow_motion_takes_smaller_steps(qtbot, board, controllers):
    controller = make_controller(qtbot, board, steps=1000)
    controllers.append(controller)
    controller.set_speed(1.0)
    controller.play()
    qtbot.waitUntil(lambda: len(controller.history) >= 3, timeout=3000)
    times = [f.t for f in controller.history.frames()[:3]]
    assert times == pytest.approx([0.1, 0.2, 0.3])
