"""The discrete-event simulation of a board (DESIGN.md, "Simulation semantics").

``Simulation`` runs one (board, scenario, interventions, seed, duration) in
steps and hands out immutable ``Frame`` objects; ``result()`` summarises the
run. Everything here is plain Python and SimPy: no Qt.
"""

from __future__ import annotations

from models.simulation.engine import Simulation, simulate
from models.simulation.errors import SimulationError
from models.simulation.frames import EdgeFrame, Frame, NodeFrame, SimEvent
from models.simulation.result import SimulationResult

__all__ = [
    "EdgeFrame",
    "Frame",
    "NodeFrame",
    "SimEvent",
    "Simulation",
    "SimulationError",
    "SimulationResult",
    "simulate",
]
