"""The error a simulation raises for parameters it cannot run."""

from __future__ import annotations

from models.errors import BoardError


class SimulationError(BoardError):
    """A run that cannot start: unknown scenario, unbounded call cycle, ..."""
