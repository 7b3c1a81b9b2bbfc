"""Measuring interventions: one shared baseline, the intervention's run, nothing else touched."""

from __future__ import annotations

import pytest

from models.entities import Intervention, ParamChange
from models.errors import BoardError
from models.simulation import Simulation
from models.simulation.measure import measure_all, result_metrics
from tests.models.simulation.boards import board, constant, exponential


def test_measure_all_runs_one_baseline_and_each_intervention_once() -> None:
    slow = board({"api": {"workers": 1, "service_time": exponential(80.0)}}, rate=10.0, duration_s=200.0)
    document = slow.model_copy(update={"interventions": (
        Intervention(id="more-workers", title="More workers", rank=1,
                     changes=(ParamChange(target="api", path="sim.workers", value=4),)),
        Intervention(id="nothing", title="Nothing", rank=2),
    )})
    calls: list[tuple[str, ...]] = []

    def counting(doc, scenario_id, interventions, seed):
        from models.simulation import simulate

        calls.append(tuple(interventions))
        return simulate(doc, scenario_id, interventions, seed)

    measured = measure_all(document, "s", 3, run=counting)
    assert calls == [(), ("more-workers",), ("nothing",)]
    by_id = {i.id: i.measured for i in measured.interventions}
    assert by_id["more-workers"].p99_after_ms < by_id["more-workers"].p99_before_ms / 2  # ρ 0.8 → 0.2
    assert by_id["nothing"].p99_after_ms == by_id["nothing"].p99_before_ms  # same seed, same run
    assert {(m.scenario, m.seed) for m in by_id.values()} == {("s", 3)}
    assert all(i.measured is None for i in document.interventions)  # the board itself is untouched


def test_a_run_without_answers_cannot_be_measured() -> None:
    unanswered = board({"api": {"workers": 1, "service_time": constant(10_000.0)}}, rate=1.0, duration_s=5.0)
    with pytest.raises(BoardError, match="no p99"):
        result_metrics(Simulation(unanswered, "s", seed=1).result())
