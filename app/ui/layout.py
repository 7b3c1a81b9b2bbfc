"""Automatic layouts with networkx: layered left to right for call graphs,
and force-directed. Pure functions from a board to node positions (no Qt)."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from models.board import Board

LAYER_GAP = 270.0
ROW_GAP = 120.0
Positions = dict[str, tuple[float, float]]


def _graph(board: Board, ids: Iterable[str] | None) -> nx.DiGraph:
    chosen = {n.id for n in board.nodes} if ids is None else {i for i in ids if board.find(i) and
                                                               board.find(i)[0] == "nodes"}  # type: ignore[index]
    graph = nx.DiGraph()
    graph.add_nodes_from(n.id for n in board.nodes if n.id in chosen)
    graph.add_edges_from((e.source, e.target) for e in board.edges if e.source in chosen and e.target in chosen)
    return graph


def _anchor(board: Board, ids: list[str]) -> tuple[float, float]:
    nodes = [board.node(i) for i in ids]
    return min(n.x for n in nodes), min(n.y for n in nodes)


def layered(board: Board, ids: Iterable[str] | None = None) -> Positions:
    """Callers left of callees: cycles are condensed, each node goes to the
    layer after its deepest caller, rows are ordered by the barycentre of
    their callers to reduce crossings, and each layer is centred."""
    graph = _graph(board, ids)
    if not graph:
        return {}
    condensed = nx.condensation(graph)
    depth: dict[int, int] = {}
    for component in nx.topological_sort(condensed):
        preds = list(condensed.predecessors(component))
        depth[component] = 1 + max(depth[p] for p in preds) if preds else 0
    layers: dict[int, list[str]] = {}
    order = {n.id: i for i, n in enumerate(board.nodes)}
    for component, members in condensed.nodes(data="members"):
        layers.setdefault(depth[component], []).extend(sorted(members, key=order.__getitem__))
    rows: dict[str, float] = {}
    for layer in sorted(layers):
        members = layers[layer]
        if layer > 0:
            def barycentre(node: str) -> float:
                callers = [rows[p] for p in graph.predecessors(node) if p in rows]
                return sum(callers) / len(callers) if callers else float(order[node])
            members.sort(key=lambda n: (barycentre(n), order[n]))
        for i, node in enumerate(members):
            rows[node] = float(i)
    tallest = max(len(m) for m in layers.values())
    ox, oy = _anchor(board, list(graph.nodes))
    positions: Positions = {}
    for layer, members in layers.items():
        shift = (tallest - len(members)) * ROW_GAP / 2
        for node in members:
            positions[node] = (round(ox + layer * LAYER_GAP, 1), round(oy + shift + rows[node] * ROW_GAP, 1))
    return positions


def force_directed(board: Board, ids: Iterable[str] | None = None, seed: int = 7) -> Positions:
    """A spring layout (Fruchterman-Reingold), deterministic for a seed, scaled
    so boxes do not overlap, placed where the nodes were."""
    graph = _graph(board, ids).to_undirected()
    if not graph:
        return {}
    nodes = list(graph.nodes)
    if len(nodes) == 1:
        node = board.node(nodes[0])
        return {node.id: (node.x, node.y)}
    start = {n: (board.node(n).x, board.node(n).y) for n in nodes}
    raw = nx.spring_layout(graph, pos=start if len(set(start.values())) == len(nodes) else None, seed=seed,
                           iterations=200, k=1.6 / len(nodes) ** 0.5)
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    size = 230.0 * len(nodes) ** 0.5
    ox, oy = _anchor(board, nodes)
    return {n: (round(ox + (x - min(xs)) / span * size, 1), round(oy + (y - min(ys)) / span * size * 0.75, 1))
            for n, (x, y) in raw.items()}
