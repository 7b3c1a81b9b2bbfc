"""Automatic layouts with networkx: layered left to right for call graphs,
and force-directed. Pure functions from a board to node positions (no Qt)."""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Iterable

import networkx as nx

from models.board import Board

NODE_W, NODE_H = 150.0, 56.0
"""A node's box (as drawn by the canvas; positions are box centres)."""

LAYER_GAP = 270.0
ROW_GAP = 120.0
Positions = dict[str, tuple[float, float]]


def _graph(board: Board, ids: Iterable[str] | None) -> nx.DiGraph:
    chosen = {n.id for n in board.nodes} if ids is None else {i for i in ids if board.is_node(i)}
    graph = nx.DiGraph()
    graph.add_nodes_from(n.id for n in board.nodes if n.id in chosen)
    graph.add_edges_from((e.source, e.target) for e in board.edges if e.source in chosen and e.target in chosen)
    return graph


def _anchor(board: Board, ids: list[str]) -> tuple[float, float]:
    nodes = [board.node(i) for i in ids]
    return min(n.x for n in nodes), min(n.y for n in nodes)


def layered(board: Board, ids: Iterable[str] | None = None, sweeps: int = 6) -> Positions:
    """Callers left of callees (a Sugiyama-style layout): cycles are condensed,
    each node goes one layer after its deepest caller, callers without callers
    of their own move up next to their callees, and rows are ordered by sweeps
    of the barycentre heuristic to reduce crossings; each layer is centred."""
    graph = _graph(board, ids)
    if not graph:
        return {}
    condensed = nx.condensation(graph)
    depth: dict[int, int] = {}
    for component in nx.topological_sort(condensed):
        preds = list(condensed.predecessors(component))
        depth[component] = 1 + max(depth[p] for p in preds) if preds else 0
    for component in reversed(list(nx.topological_sort(condensed))):
        succs = list(condensed.successors(component))
        if not list(condensed.predecessors(component)) and succs:
            depth[component] = max(0, min(depth[s] for s in succs) - 1)
    order = {n.id: i for i, n in enumerate(board.nodes)}
    layer_of: dict[str, int] = {}
    for component, members in condensed.nodes(data="members"):
        for node in members:
            layer_of[node] = depth[component]
    layers: dict[int, list[str]] = {}
    for node in sorted(layer_of, key=order.__getitem__):
        layers.setdefault(layer_of[node], []).append(node)
    rows = {node: float(i) for members in layers.values() for i, node in enumerate(members)}

    def sweep(layer_ids: list[int], neighbours: object) -> None:
        for layer in layer_ids:
            members = layers[layer]

            def barycentre(node: str, here: int = layer) -> float:
                near = [rows[n] for n in neighbours(node) if layer_of[n] != here]  # type: ignore[operator]
                return sum(near) / len(near) if near else rows[node]

            members.sort(key=lambda n: (barycentre(n), order[n]))
            for i, node in enumerate(members):
                rows[node] = float(i)

    ordered = sorted(layers)
    for _ in range(sweeps):
        sweep(ordered[1:], graph.predecessors)
        sweep(list(reversed(ordered[:-1])), graph.successors)
    sweep(ordered[1:], graph.predecessors)
    tallest = max(len(m) for m in layers.values())
    ox, oy = _anchor(board, list(graph.nodes))
    positions: Positions = {}
    for layer, members in layers.items():
        shift = (tallest - len(members)) * ROW_GAP / 2
        for node in members:
            positions[node] = (round(ox + layer * LAYER_GAP, 1), round(oy + shift + rows[node] * ROW_GAP, 1))
    return positions


def force_directed(board: Board, ids: Iterable[str] | None = None, seed: int = 7) -> Positions:
    """A spring layout (Fruchterman-Reingold), deterministic for a seed: scaled
    so a typical call is about two boxes long, then boxes that still overlap are
    pushed apart; placed where the nodes were."""
    graph = _graph(board, ids).to_undirected()
    if not graph:
        return {}
    nodes = list(graph.nodes)
    if len(nodes) == 1:
        node = board.node(nodes[0])
        return {node.id: (node.x, node.y)}
    raw = _spring(graph, seed)
    lengths = [math.dist(raw[u], raw[v]) for u, v in graph.edges] or \
        [math.dist(raw[a], raw[b]) for a, b in itertools.pairwise(nodes)]
    typical = statistics.median(lengths) or 1.0
    scale = EDGE_LENGTH / typical
    points = {n: [float(x) * scale, float(y) * scale * 0.8] for n, (x, y) in raw.items()}
    _separate(points)
    min_x = min(p[0] for p in points.values())
    min_y = min(p[1] for p in points.values())
    ox, oy = _anchor(board, nodes)
    return {n: (round(ox + x - min_x, 1), round(oy + y - min_y, 1)) for n, (x, y) in points.items()}


def _spring(graph: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """networkx's spring layout; from 500 nodes networkx wants SciPy's sparse
    matrices, which this program does not ship, so big boards use its dense
    solver directly (a few seconds at most for the boards people draw)."""
    if len(graph) < 500:
        return {n: (float(x), float(y)) for n, (x, y) in nx.spring_layout(graph, seed=seed, iterations=300).items()}
    import numpy as np
    from networkx.drawing.layout import _fruchterman_reingold

    nodes = list(graph)
    matrix = nx.to_numpy_array(graph, nodelist=nodes)
    raw = _fruchterman_reingold(matrix, iterations=80, seed=np.random.RandomState(seed))
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, raw, strict=True)}


EDGE_LENGTH = 300.0
GAP_X, GAP_Y = NODE_W + 50.0, NODE_H + 40.0


def _separate(points: dict[str, list[float]], rounds: int = 80) -> None:
    """Push apart boxes closer than a box and a gap, along the axis that needs less."""
    names = list(points)
    rounds = rounds if len(names) <= 150 else 12
    for _ in range(rounds):
        moved = False
        names.sort(key=lambda n: points[n][0])
        for i, a in enumerate(names):
            pa = points[a]
            for b in names[i + 1:]:
                pb = points[b]
                dx = pb[0] - pa[0]
                if dx >= GAP_X:
                    break
                dy = pb[1] - pa[1]
                if abs(dy) >= GAP_Y:
                    continue
                push_x, push_y = (GAP_X - abs(dx)) / 2, (GAP_Y - abs(dy)) / 2
                if push_y <= push_x:
                    sign = 1.0 if dy >= 0 else -1.0
                    pa[1] -= sign * push_y
                    pb[1] += sign * push_y
                else:
                    pa[0] -= push_x
                    pb[0] += push_x
                moved = True
        if not moved:
            return
