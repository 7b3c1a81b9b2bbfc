"""The analysis' own graph algorithms give networkx's results, in networkx's order, float for float."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from models.analysis_graph import CallGraph


def _random_graphs(count: int, seed: int = 3) -> list[tuple[list[str], list[tuple[str, str]]]]:
    """Small directed graphs: acyclic ones, cyclic ones, repeated calls, isolated nodes."""
    rng = random.Random(seed)
    graphs = []
    for trial in range(count):
        size = rng.randint(1, 30)
        nodes = [f"n{i}" for i in rng.sample(range(100), size)]
        calls = []
        for _ in range(rng.randint(0, size * 3)):
            a, b = rng.randrange(size), rng.randrange(size)
            if trial % 2 and a > b:
                a, b = b, a  # every other graph is acyclic (calls go forward only)
            if a != b or not trial % 2:
                calls.append((nodes[a], nodes[b]))
        graphs.append((nodes, calls))
    return graphs


GRAPHS = _random_graphs(40)


def _both(nodes: list[str], calls: list[tuple[str, str]]) -> tuple[CallGraph, nx.DiGraph]:
    theirs = nx.DiGraph()
    theirs.add_nodes_from(nodes)
    theirs.add_edges_from(calls)
    return CallGraph(nodes, calls), theirs


@pytest.mark.parametrize(("nodes", "calls"), GRAPHS)
def test_orders_and_reachability_are_networkx_ones(nodes, calls):
    ours, theirs = _both(nodes, calls)
    assert len(ours) == len(theirs)
    assert ours.number_of_edges == theirs.number_of_edges()
    assert all(ours.in_degree(n) == theirs.in_degree(n) and ours.out_degree(n) == theirs.out_degree(n)
               for n in nodes)
    acyclic = nx.is_directed_acyclic_graph(theirs)
    assert ours.is_acyclic() == acyclic
    assert ours.topological_order() == (list(nx.topological_sort(theirs)) if acyclic else None)
    for node in nodes:
        assert list(ours.preorder(node)) == list(nx.dfs_preorder_nodes(theirs, node))
        assert ours.ancestors(node) == nx.ancestors(theirs, node)


@pytest.mark.parametrize(("nodes", "calls"), GRAPHS)
def test_components_are_strongly_connected_and_come_before_what_they_call(nodes, calls):
    ours, theirs = _both(nodes, calls)
    found = ours.components()
    assert sorted(map(sorted, found)) == sorted(map(sorted, nx.strongly_connected_components(theirs)))
    position = {node: i for i, component in enumerate(found) for node in component}
    assert all(position[a] <= position[b] for a, b in calls)


@pytest.mark.parametrize(("nodes", "calls"), GRAPHS)
def test_betweenness_is_networkx_one_exactly(nodes, calls):
    ours, theirs = _both(nodes, calls)
    for samples in (None, 1, len(nodes) // 2 or None, len(nodes)):
        expected = nx.betweenness_centrality(theirs, k=samples, normalized=True, seed=0)
        assert ours.betweenness(samples, seed=0) == pytest.approx(expected, abs=0, rel=0, nan_ok=True)


def test_a_long_chain_is_walked_without_recursion():
    nodes = [f"n{i}" for i in range(5000)]
    graph = CallGraph(nodes, itertools.pairwise(nodes))
    assert graph.topological_order() == nodes
    assert list(graph.preorder("n0")) == nodes
    assert len(graph.components()) == 5000
    assert len(graph.ancestors("n4999")) == 4999
