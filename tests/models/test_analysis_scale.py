"""Analysis on big and awkward boards: no recursion, polynomial time, limits said."""

from __future__ import annotations

import time

from models.analysis import (
    analyze,
    blast_radii,
    blast_radius,
    critical_path,
    deepest_call_chain,
    holding_ms,
    plan_stages,
)
from models.fileformat import document_from_data
from models.synthetic import board_data


def test_a_chain_of_a_thousand_calls_is_analysed_without_recursion():
    document = document_from_data(board_data("chain", 1000))
    started = time.process_time()
    result = analyze(document)
    assert time.process_time() - started < 5.0
    assert result["critical_path"]["nodes"] == [f"n{i}" for i in range(1000)]
    assert holding_ms(document)["n0"] == 1000.0
    assert result["blast_radius_sizes"]["n999"] == 1000  # 999 nodes and the users
    assert len(result["blast_radius"]["n999"]) == 50
    assert any(limit.startswith("blast radius") for limit in result["limits"])
    assert any(limit.startswith("betweenness: estimated") for limit in result["limits"])
    assert len(deepest_call_chain(document)) == 1000


def test_a_dense_dag_of_26_nodes_takes_polynomial_time():
    document = document_from_data(board_data("dag", 26))
    started = time.process_time()
    result = analyze(document)
    assert time.process_time() - started < 1.0
    assert result["critical_path"]["nodes"] == [f"n{i}" for i in range(26)]
    assert result["limits"] == []


def test_blast_radii_agree_with_blast_radius():
    document = document_from_data(board_data("tree", 40))
    radii = blast_radii(document)
    for node in document.nodes:
        assert list(radii[node.id].nodes) == blast_radius(document, node.id)
        assert radii[node.id].count == len(blast_radius(document, node.id))


def test_critical_path_breaks_cycles_at_the_call_that_closes_them():
    data = board_data("chain", 4)
    data["edges"].append({"id": "back", "source": "n3", "target": "n1"})
    document = document_from_data(data)
    assert critical_path(document).nodes == ("n0", "n1", "n2", "n3")
    assert any(limit.startswith("critical path") for limit in analyze(document)["limits"])


def test_parallelisable_steps_use_reachability():
    data = board_data("star", 4)
    document = document_from_data(data)
    stages = plan_stages(document)
    assert [s.parallelisable_with_next for s in stages] == [True, True, False]
    data["edges"].append({"id": "n1-n2", "source": "n1", "target": "n2"})
    stages = plan_stages(document_from_data(data))
    assert stages[0].parallelisable_with_next is False
