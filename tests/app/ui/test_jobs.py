"""The one way short jobs run off the GUI thread: results, progress, failures and cancelling."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from app.ui.jobs import JobControl, JobRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def runner(qapp):
    runner = JobRunner()
    yield runner
    runner.cancel_all()
    runner.wait(5000)


class Outcome:
    """What the callbacks saw, and on which thread."""

    def __init__(self) -> None:
        self.done: list[object] = []
        self.errors: list[str] = []
        self.progress: list[object] = []
        self.cancelled = 0
        self.threads: set[str] = set()

    def callbacks(self) -> dict[str, object]:
        def note(box):
            def call(*value):
                self.threads.add(threading.current_thread().name)
                box(*value)
            return call

        return {"on_done": note(self.done.append), "on_error": note(self.errors.append),
                "on_progress": note(self.progress.append), "on_cancelled": note(self._cancel)}

    def _cancel(self) -> None:
        self.cancelled += 1

    def finished(self) -> bool:
        return bool(self.done or self.errors or self.cancelled)


def count_to(control: JobControl[int], n: int) -> str:
    worker = threading.current_thread().name
    for i in range(n):
        control.progress(i)
    return worker


def test_result_and_progress_arrive_on_the_gui_thread_in_order(qtbot, runner):
    seen = Outcome()
    job = runner.submit(count_to, 5, **seen.callbacks())
    qtbot.waitUntil(seen.finished, timeout=5000)
    assert seen.progress == [0, 1, 2, 3, 4]
    assert seen.done
    assert seen.done[0] != threading.main_thread().name
    assert seen.threads == {threading.main_thread().name}  # the callbacks ran on the GUI thread
    assert (seen.errors, seen.cancelled) == ([], 0)
    assert not job.is_running()
    assert runner.running() == 0


def test_a_failure_is_a_message_not_a_traceback(qtbot, runner):
    def explode(_control: JobControl[None], what: str) -> None:
        raise ValueError(f"{what} is broken")

    seen = Outcome()
    runner.submit(explode, "the disk", **seen.callbacks())
    qtbot.waitUntil(seen.finished, timeout=5000)
    assert seen.errors == ["ValueError: the disk is broken"]
    assert seen.done == []


def test_cancel_ends_in_on_cancelled_and_drops_later_progress(qtbot, runner):
    started, release = threading.Event(), threading.Event()

    def wait_then_report(control: JobControl[str]) -> str:
        started.set()
        release.wait(5)
        control.progress("after cancel")  # dropped: the job was cancelled
        control.check()
        return "never delivered"

    seen = Outcome()
    job = runner.submit(wait_then_report, **seen.callbacks())
    assert started.wait(5)
    job.cancel()
    release.set()
    qtbot.waitUntil(seen.finished, timeout=5000)
    assert seen.cancelled == 1
    assert (seen.done, seen.errors, seen.progress) == ([], [], [])
    assert job.wait(1000)


def test_nothing_reaches_an_owner_that_is_gone(qtbot, runner):
    started, release = threading.Event(), threading.Event()

    def slow(_control: JobControl[None]) -> int:
        started.set()
        release.wait(5)
        return 1

    owner = QObject()
    seen = Outcome()
    job = runner.submit(slow, **seen.callbacks(), owner=owner)
    assert started.wait(5)
    owner.deleteLater()
    qtbot.waitUntil(lambda: runner.running() == 1 and job.is_running())
    qtbot.wait(20)
    release.set()
    assert job.wait(5000)
    qtbot.waitUntil(lambda: runner.running() == 0, timeout=5000)
    assert not seen.finished()


def test_pdf_export_failure_reaches_the_user_as_a_message(qtbot, monkeypatch, tmp_path):
    from app.ui.files import RecoveryStore
    from app.ui.main_window import MainWindow

    def broken(document, path):
        raise OSError("the disk is full")

    monkeypatch.setattr("app.export.export_pdf", broken)
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda _w, title, text: told.append((title, text))))
    window = MainWindow(recovery=RecoveryStore(tmp_path / "recovery"))
    qtbot.addWidget(window)
    assert window.pdf.start(str(tmp_path / "handout.pdf")) is not None
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert told == [("Cannot export the PDF", "OSError: the disk is full")]
    assert not (tmp_path / "handout.pdf").exists()


def long_run(control: JobControl[None], document: object) -> object:
    from models.simulation import simulate

    return simulate(document, "peak", seed=1)  # type: ignore[arg-type]


def test_cancel_stops_a_simulation_inside_a_job_within_a_second(qtbot, runner):
    from models.fileformat import document_from_data
    from models.synthetic import board_data

    data = board_data("chain", 3, rps=50_000.0)  # minutes of wall time to the end
    data["scenarios"][0]["duration_s"] = 600.0
    seen = Outcome()
    job = runner.submit(long_run, document_from_data(data), **seen.callbacks())
    qtbot.wait(300)
    began = time.monotonic()
    job.cancel()
    qtbot.waitUntil(seen.finished, timeout=5000)
    assert time.monotonic() - began < 1.0
    assert seen.cancelled == 1
    assert seen.errors == []
