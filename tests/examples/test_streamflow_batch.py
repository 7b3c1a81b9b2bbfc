"""StreamFlow's batch precompute: a background source that only the
``batch-contention`` scenario's mix sends traffic, and the measured worth of
request prioritisation there (docs/EXAMPLES.md, "StreamFlow")."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.fileformat import load_path
from models.kinds import MeasuredMetric
from models.runs.executors import InProcess
from models.runs.matrix import MatrixPlan, measure_matrix
from models.simulation.build import entry_weights

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "streamflow-ai.cboard"


@pytest.fixture(scope="module")
def streamflow():
    return load_path(EXAMPLE)


def test_the_batch_job_sends_nothing_outside_its_scenario(streamflow):
    for scenario in streamflow.scenarios:
        weights = entry_weights(streamflow, scenario.entry_weights())
        if scenario.id == "batch-contention":
            assert weights == {"e-users-gateway": 70.0, "e-batch-engine": 30.0}
            assert scenario.background == ("e-batch-engine",)
        else:
            assert weights["e-batch-engine"] == 0.0, scenario.id
            assert weights["e-users-gateway"] > 0.0


def test_prioritisation_is_measured_better_for_the_users_under_batch_contention(streamflow):
    """Two paired replications of one simulated minute (the scenario runs four):
    enough for the users' median to fall by more than its interval."""
    item = next(i for i in streamflow.interventions if i.id == "request-prioritization")
    assert item.scenarios == ("batch-contention",)
    with InProcess() as executor:
        measured = measure_matrix(streamflow, MatrixPlan((("batch-contention", (item.id,)),)), executor,
                                  base_seed=1, replications=2, duration_s=60.0)
    cell = next(i for i in measured.interventions if i.id == item.id).measurements[0]
    assert cell.verdict.startswith("Better: p50 -"), cell.verdict
    p50 = next(f for f in cell.figures if f.metric == MeasuredMetric.P50_MS)
    assert p50.before is not None
    assert p50.after is not None
    assert p50.after.mean < p50.before.mean / 5  # seconds behind the batch, then a cache hit's few hundred ms
