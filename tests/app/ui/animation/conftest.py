"""Fixtures for the simulation's GUI tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def window(make_window, board_copy):
    """The main window with StreamFlow open and the simulation installed."""
    original = board_copy.read_bytes()
    window = make_window(board_copy, size=(1600, 1000))
    yield window
    window.simulation.controller.shutdown()
    assert board_copy.read_bytes() == original, "a run must never write the board file"
