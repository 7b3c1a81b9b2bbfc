from __future__ import annotations

import pytest

from models.analysis import (
    analyze,
    arrival_rates,
    blast_radius,
    critical_path,
    cycles,
    flow_total_ms,
    holding_ms,
    plan_stages,
    undeclared_cycles,
    utilisation,
)
from models.document import BoardDocument
from models.entities import Flow, Hop
from models.fileformat import load_path


def board(nodes, edges, **extra):
    return BoardDocument.model_validate({
        "nodes": [{"id": n, "label": n.upper(), **(nodes[n] if isinstance(nodes, dict) else {})} for n in nodes],
        "edges": [{"id": f"{a}-{b}", "source": a, "target": b, **(rest[0] if rest else {})}
                  for a, b, *rest in edges],
        **extra,
    })


def test_example_flows_total_75_and_835(example_path):
    totals = {f.id: flow_total_ms(f) for f in load_path(example_path).flows}
    assert totals == {"flow-happy": 75.0, "flow-cache-miss": 835.0}


def test_parallel_group_costs_its_slowest():
    flow = Flow(id="f", name="f", hops=(
        Hop(node="a", latency_ms=10),
        Hop(node="b", latency_ms=200, parallel_group="discovery"),
        Hop(node="c", latency_ms=50, parallel_group="discovery"),
        Hop(node="d", latency_ms=5),
    ))
    assert flow_total_ms(flow) == 215.0


def test_blast_radius_is_everyone_upstream():
    doc = board(["a", "b", "c", "d", "e"], [("a", "b"), ("b", "c"), ("a", "d"), ("e", "c")])
    assert blast_radius(doc, "c") == ["a", "b", "e"]
    assert blast_radius(doc, "d") == ["a"]
    assert blast_radius(doc, "a") == []


def test_async_calls_do_not_spread_a_failure():
    doc = board(["a", "b"], [("a", "b", {"call": {"mode": "async"}})])
    assert blast_radius(doc, "b") == []


def test_cycles_are_found_and_declared_ones_recognised():
    doc = board(["a", "b", "c", "d"], [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")],
                loops=[{"id": "l", "name": "known", "nodes": ["a", "b", "c"]}])
    found = cycles(doc)
    assert len(found) == 1
    assert sorted(found[0]) == ["a", "b", "c"]
    assert undeclared_cycles(doc) == []
    assert cycles(board(["a", "b"], [("a", "b")])) == []


def test_critical_path_takes_the_slowest_chain():
    slow = {"sim": {"service_time": {"kind": "constant", "mean_ms": 100}}}
    fast = {"sim": {"service_time": {"kind": "constant", "mean_ms": 1}}}
    doc = board({"u": {"kind": "users"}, "g": fast, "x": fast, "y": slow, "z": fast},
                [("u", "g"), ("g", "x"), ("g", "y"), ("y", "z")])
    path = critical_path(doc)
    assert path.nodes == ("g", "y", "z")
    assert path.total_ms == pytest.approx(102.0)


def test_load_propagates_with_cache_miss_share_and_utilisation():
    doc = board(
        {"g": {"sim": {"workers": 2, "service_time": {"kind": "constant", "mean_ms": 10}}},
         "c": {"kind": "cache", "sim": {"cache": {"hit_ratio": 0.75}, "service_time": {"mean_ms": 5}}},
         "db": {"sim": {"workers": 4, "service_time": {"kind": "constant", "mean_ms": 200}}}},
        [("g", "c", {"call": {"order": 0}}), ("g", "db", {"call": {"order": 1, "condition": "cache_miss"}})],
    )
    rates = arrival_rates(doc, 100.0)
    assert rates == {"g": 100.0, "c": 100.0, "db": 25.0}
    loads = {load.node: load for load in utilisation(doc, 100.0)}
    assert loads["db"].utilisation == pytest.approx(25 * 0.2 / 4)
    assert holding_ms(doc)["g"] == pytest.approx(10 + 5 + 0.25 * 200)
    assert loads["g"].holding_utilisation == pytest.approx(100 * 0.065 / 2)


def test_rate_limit_excess_is_reported(example_path):
    doc = load_path(example_path)
    llm = next(load for load in utilisation(doc, 1000.0) if load.node == "llm")
    assert llm.rate_limited_rps > 0
    assert "rate limit" in llm.notes[0]


def test_plan_stages_name_parallel_groups_and_parallelisable_steps():
    doc = board(["g", "a", "b", "c"], [("g", "a", {"call": {"order": 0}}), ("g", "b", {"call": {"order": 1}}),
                                       ("g", "c", {"call": {"order": 1}})])
    stages = plan_stages(doc)
    assert [(s.order, s.mode, s.targets) for s in stages] == [(0, "serial", ["a"]), (1, "parallel", ["b", "c"])]
    assert stages[0].parallelisable_with_next


def test_analyze_reports_everything(example_path):
    result = analyze(load_path(example_path))
    assert {f["id"]: f["total_ms"] for f in result["flows"]} == {"flow-happy": 75.0, "flow-cache-miss": 835.0}
    assert result["entry_nodes"] == ["gateway", "engine"]  # the batch precompute job calls the engine directly
    assert result["critical_path"]["nodes"][0] == "gateway"
    assert "engine" in result["blast_radius"]["llm"]
    assert "gateway" in result["blast_radius"]["llm"]
    assert any(s["mode"] == "parallel" for s in result["stages"])
