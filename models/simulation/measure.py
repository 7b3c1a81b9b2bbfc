"""Measured before/after: a scenario run without and with an intervention, one seed.

The interventions panel measures one intervention at a time ("Measure"), or all of
them ("Measure all"); ``cascade-board export-pdf --measure SCENARIO`` measures every
intervention of the board it exports, so the handout shows the table and charts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from models.document import BoardDocument
from models.entities import Measurement
from models.errors import BoardError
from models.simulation.engine import simulate
from models.simulation.result import SimulationResult

RunFunction = Callable[[BoardDocument, str, Sequence[str], int], SimulationResult]
"""``run(document, scenario_id, interventions, seed)``, returning a simulation result."""


def result_metrics(result: SimulationResult) -> tuple[float, float]:
    """``(p99 in ms, error rate 0..1)`` of one simulation result."""
    p99, error_rate = result.latency.p99_ms, result.error_rate
    if p99 is None:
        raise BoardError("the run finished no requests, so there is no p99 to compare")
    return float(p99), float(error_rate)


def measure_intervention(
    run: RunFunction, document: BoardDocument, intervention_id: str, scenario_id: str, seed: int,
    baseline: tuple[float, float] | None = None,
) -> Measurement:
    """Simulate ``scenario_id`` without (unless ``baseline`` is given) and with one intervention."""
    p99_before, errors_before = baseline or result_metrics(run(document, scenario_id, (), seed))
    p99_after, errors_after = result_metrics(run(document, scenario_id, (intervention_id,), seed))
    return Measurement(scenario=scenario_id, seed=seed, p99_before_ms=p99_before, p99_after_ms=p99_after,
                       error_rate_before=errors_before, error_rate_after=errors_after)


def measure_all(
    document: BoardDocument, scenario_id: str, seed: int, run: RunFunction = simulate,
) -> BoardDocument:
    """A copy of ``document`` with every intervention measured on ``scenario_id`` (one baseline
    run shared by all). The board the copy came from is not touched."""
    baseline = result_metrics(run(document, scenario_id, (), seed))
    interventions = tuple(
        item.model_copy(update={"measured": measure_intervention(run, document, item.id, scenario_id, seed, baseline)})
        for item in document.interventions
    )
    return document.model_copy(update={"interventions": interventions})
