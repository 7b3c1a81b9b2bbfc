"""The typed summary of a run: attributes and JSON agree, it is built from the
run record alone, and the simulation's modules import without cycles."""

from __future__ import annotations

import pickle

import grimp
import pytest

from models.simulation import Simulation
from models.simulation.result import NodeStats, summarise
from tests.models.simulation.boards import board, constant, exponential


@pytest.fixture(scope="module")
def simulation() -> Simulation:
    document = board(
        {"api": {"workers": 2, "service_time": exponential(20.0), "cache": {"hit_ratio": 0.5}},
         "db": {"workers": 1, "service_time": constant(30.0)}},
        [("api", "db", {"condition": "cache_miss", "timeout_ms": 200.0})],
        rate=40.0, duration_s=40.0, warmup_s=5.0,
    )
    simulation = Simulation(document, "s", seed=3)
    simulation.result()
    return simulation


def test_attributes_and_json_say_the_same(simulation: Simulation) -> None:
    result = simulation.result()
    data = result.to_dict()
    assert data["latency_ms"] == {"mean": result.latency.mean_ms, "p50": result.latency.p50_ms,
                                  "p95": result.latency.p95_ms, "p99": result.latency.p99_ms}
    assert result.requests == result.succeeded + result.degraded + result.failed + result.unfinished > 0
    api = result.nodes["api"]
    assert isinstance(api, NodeStats)
    assert data["nodes"]["api"]["arrivals"] == api.arrivals
    assert api.cache is not None
    assert data["nodes"]["api"]["hit_ratio"] == api.cache.hit_ratio
    assert "hit_ratio" not in data["nodes"]["db"]  # only cache nodes report one
    assert data["edges"]["e-api-db"]["calls"] == result.edges["e-api-db"].calls > 0
    assert list(data) == ["scenario", "interventions", "seed", "duration_s", "warmup_s", "requests", "succeeded",
                          "degraded", "failed", "unfinished", "error_rate", "goodput_rps", "latency_ms", "nodes",
                          "edges", "cascade", "recovery", "events"]


def test_the_summary_comes_from_the_run_record_alone(simulation: Simulation) -> None:
    record = simulation.record()
    assert summarise(record) == simulation.result()
    assert record.outcomes.ok == simulation.result().succeeded


def test_a_result_survives_a_process_boundary(simulation: Simulation) -> None:
    result = simulation.result()
    assert pickle.loads(pickle.dumps(result)) == result  # the worker process sends it whole


def test_result_is_frozen(simulation: Simulation) -> None:
    with pytest.raises(AttributeError):
        simulation.result().failed = 0  # type: ignore[misc]


@pytest.mark.parametrize(("importer", "imported"), [
    ("models.simulation.result", "models.simulation.engine"),
    ("models.simulation.record", "models.simulation.engine"),
    ("models.simulation.calls", "models.simulation.node"),
])
def test_no_import_cycle(importer: str, imported: str) -> None:
    graph = grimp.build_graph("models", exclude_type_checking_imports=False)
    assert graph.find_shortest_chain(importer=importer, imported=imported) is None
