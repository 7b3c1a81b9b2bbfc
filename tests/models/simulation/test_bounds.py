"""The engine refuses what it cannot run: chains too deep, unbounded async cycles."""

from __future__ import annotations

import pytest

from models.fileformat import document_from_data
from models.simulation import Simulation
from models.simulation.build import MAX_CALL_DEPTH, check_cycles
from models.simulation.errors import SimulationError
from models.synthetic import board_data


def test_a_chain_deeper_than_the_engine_follows_is_refused_with_a_message():
    document = document_from_data(board_data("chain", 400))
    with pytest.raises(SimulationError, match=r"chain of 400 synchronous calls .*deeper than"):
        check_cycles(document)


def test_a_chain_at_the_limit_runs():
    document = document_from_data(board_data("chain", MAX_CALL_DEPTH))
    simulation = Simulation(document, "peak", seed=1)
    simulation.run_until(1.0)


def test_an_async_cycle_without_a_bound_is_refused():
    document = document_from_data(board_data("async_cycle", 10))
    with pytest.raises(SimulationError, match="asynchronous call cycle without a bound"):
        check_cycles(document)


def test_an_async_cycle_with_a_low_probability_is_allowed():
    data = board_data("async_cycle", 3)
    data["edges"][-1]["call"]["probability"] = 0.5
    check_cycles(document_from_data(data))
