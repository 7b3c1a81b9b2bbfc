"""Engine fidelity (issue 11): piecewise-linear traffic at any resolution,
network time drawn from a distribution and covered by the timeout, the
users' traffic mix over entry calls, and what per-node latency covers."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from models.document import BoardDocument
from models.entities import Edge, Node
from models.params import CallParams, NodeSim, SimScenario, TrafficProfile
from models.simulation import Simulation
from models.simulation.traffic import Traffic
from tests.models.simulation.boards import PATIENT, board, constant, exponential

RAMP = {"kind": "points", "points": [(0.0, 40.0), (37.5, 80.0), (75.0, 0.0)]}
"""40 → 80 → 0 requests/s over 75 s."""


def test_points_profile_is_piecewise_linear_at_any_resolution():
    traffic = Traffic(TrafficProfile(**RAMP), 75.0)
    assert [traffic.rate(t) for t in (0.0, 18.75, 37.5, 56.25, 75.0, 90.0)] == [40.0, 60.0, 80.0, 40.0, 0.0, 0.0]
    assert traffic.max_rps == 80.0
    assert [traffic.phase(t) for t in (10.0, 50.0, 80.0)] == ["ramp-up", "ramp-down", "steady"]
    step = Traffic(TrafficProfile(kind="points", points=((0.0, 5.0), (2.5, 5.0), (2.5, 50.0))), 10.0)
    assert (step.rate(2.49), step.rate(2.5), step.rate(9.0)) == (5.0, 50.0, 50.0)  # a step at 2.5 s


def test_the_users_follow_a_points_profile():
    document = board({"api": {"workers": 1000, "service_time": constant(1.0)}}, traffic=RAMP, duration_s=75.0)
    simulation = Simulation(document, "s", seed=3)
    simulation.result()
    sent = [t.requests for t in simulation.totals_series]
    rising, falling = sum(sent[0:37]), sum(sent[38:75])
    assert rising == pytest.approx(37 * 60.0, rel=0.06)  # mean of 40 → 80
    assert falling == pytest.approx(37 * 40.0, rel=0.08)  # mean of 80 → 0


@pytest.mark.parametrize(("points", "message"), [
    ((), "at least one"),
    (((10.0, 5.0), (5.0, 6.0)), "time order"),
])
def test_bad_points_are_refused(points, message):
    with pytest.raises(ValidationError, match=message):
        TrafficProfile(kind="points", points=points)


def test_network_time_follows_its_distribution():
    document = board(
        {"front": {"workers": 1000, "service_time": constant(0.0)},
         "back": {"workers": 1000, "service_time": constant(0.0)}},
        [("front", "back", {"network": exponential(50.0)})], rate=50.0, duration_s=400.0,
    )
    latency = Simulation(document, "s", seed=4).result().latency
    assert latency.mean_ms == pytest.approx(50.0, rel=0.05)
    assert latency.p99_ms == pytest.approx(50.0 * 4.605, rel=0.1)  # exponential: −ln(0.01) × mean


def test_a_timeout_covers_the_network_time():
    # 80 ms on the wire and 50 ms of work do not fit in a 100 ms timeout
    document = board(
        {"front": {"workers": 1000, "service_time": constant(0.0)},
         "back": {"workers": 1000, "service_time": constant(50.0)}},
        [("front", "back", {"network_ms": 80.0, "timeout_ms": 100.0})], rate=20.0, duration_s=30.0,
    )
    result = Simulation(document, "s", seed=5).result()
    assert result.error_rate == 1.0
    assert result.latency.p50_ms == pytest.approx(100.0)
    assert result.edges["e-front-back"].timeouts == pytest.approx(result.edges["e-front-back"].calls, abs=3)


def test_the_traffic_mix_weights_the_entries():
    nodes = (Node(id="users", kind="users", label="Users"),
             Node(id="browse", label="browse", sim=NodeSim(workers=100, service_time=constant(1.0))),
             Node(id="search", label="search", sim=NodeSim(workers=100, service_time=constant(1.0))))
    edges = (Edge(id="e-browse", source="users", target="browse", call=CallParams(weight=70.0)),
             Edge(id="e-search", source="users", target="search", call=CallParams(weight=30.0)))
    scenario = SimScenario(id="s", name="s", duration_s=200.0, traffic=TrafficProfile(base_rps=50.0), users=PATIENT)
    document = BoardDocument(nodes=nodes, edges=edges, scenarios=(scenario,))
    result = Simulation(document, "s", seed=6).result()
    browse, search = result.nodes["browse"].arrivals, result.nodes["search"].arrivals
    assert browse / (browse + search) == pytest.approx(0.7, abs=0.02)


def test_per_node_latency_says_it_leaves_failures_out():
    document = board({"api": {"workers": 10, "service_time": constant(10.0), "error_rate": 0.5}}, rate=20.0,
                     duration_s=20.0)
    result = Simulation(document, "s", seed=7).result()
    assert result.nodes["api"].latency_includes_failures is False
    assert result.to_dict()["nodes"]["api"]["latency_includes_failures"] is False  # type: ignore[index]


def test_new_call_fields_are_saved_only_when_used():
    assert set(CallParams().model_dump(mode="json")) >= {"network_ms", "timeout_ms"}
    assert "network" not in CallParams().model_dump(mode="json")
    assert "weight" not in CallParams().model_dump(mode="json")
    assert CallParams(weight=2.0).model_dump(mode="json")["weight"] == 2.0
    assert "points" not in TrafficProfile().model_dump(mode="json")
