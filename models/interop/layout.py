"""A layered layout for imported graphs that arrive without positions (Qt-free).

Callers sit left of callees: cycles are condensed, each node goes one layer
after its deepest caller, and one barycentre sweep orders each layer.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

LAYER_GAP = 270.0
ROW_GAP = 120.0


def layered(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Positions (box centres) for every node, in source order within a layer before the sweep."""
    graph = nx.DiGraph()
    order = list(dict.fromkeys(nodes))
    graph.add_nodes_from(order)
    graph.add_edges_from((a, b) for a, b in edges if a in graph and b in graph and a != b)
    condensed = nx.condensation(graph)
    depth: dict[int, int] = {}
    for component in nx.topological_sort(condensed):
        callers = [depth[p] for p in condensed.predecessors(component)]
        depth[component] = max(callers, default=-1) + 1
    layer_of = {n: depth[condensed.graph["mapping"][n]] for n in order}
    layers: dict[int, list[str]] = {}
    for n in order:
        layers.setdefault(layer_of[n], []).append(n)
    rank: dict[str, float] = {}
    for index in sorted(layers):
        row = layers[index]
        if index > 0:
            before = {n: float(i) for i, n in enumerate(row)}

            def centre(n: str, before: dict[str, float] = before) -> float:
                ranks = [rank[p] for p in graph.predecessors(n) if p in rank]
                return sum(ranks) / len(ranks) if ranks else before[n]
            row.sort(key=centre)
        for i, n in enumerate(row):
            rank[n] = float(i)
    tallest = max((len(r) for r in layers.values()), default=1)
    positions: dict[str, tuple[float, float]] = {}
    for index, row in layers.items():
        offset = (tallest - len(row)) * ROW_GAP / 2
        for i, n in enumerate(row):
            positions[n] = (index * LAYER_GAP, offset + i * ROW_GAP)
    return positions
