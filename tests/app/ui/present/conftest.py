"""A real main window on the StreamFlow example, for the recording-mode tests."""

from __future__ import annotations

import pytest


class FakeClock:
    """Seconds that only move when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(make_window, board_copy, clock):
    """The shared main window on StreamFlow, its recording session on the fake clock."""
    window = make_window(board_copy)
    window.recording.session.clock = clock
    yield window
    window.recording.walk.set_active(False)
    window.recording.notes.close()
