"""The discrete-event simulation of a board (docs/SIMULATION.md).

``Simulation`` runs one (board, scenario, interventions, seed, duration) in
steps and hands out immutable ``Frame`` objects; ``result()`` summarises the
run. Everything here is plain Python and SimPy: no Qt. For the animation::

    sim = Simulation(document, "peak", ["queue-limits"], seed=0)
    for frame in sim.frames(every_s=0.5):           # or sim.step(dt) / sim.run_until(t)
        show(frame.clock, frame.phase, frame.nodes["engine"].health, frame.queues["engine"])
        for event in frame.events: ...              # node_red, breaker_open, failure_started, ...
    summary = sim.result()                          # summary.latency.p99_ms; .to_dict() is the JSON

``sim.inject(FailureInjection(kind="crash", target="llm"))`` starts a failure
now and returns a handle for ``sim.end_failure(handle)``.

Modules: ``traffic`` (rate profiles, clock), ``users`` (open and closed
loops, user timeouts and retries), ``node`` (workers, queues, limits, cache
use, call plans), ``calls`` (timeouts, retries, breakers, fallbacks, edge
queues), ``resilience`` (token bucket, backoff, budget, breaker),
``cache``, ``failures``, ``metrics`` (per-second rows, health, cascade),
``frames``, ``record`` (what a finished run hands over), ``result`` (the
typed summary built from it), ``build`` (checks and wiring) and ``engine``
(``Simulation``).
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
