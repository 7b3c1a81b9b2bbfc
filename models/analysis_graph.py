"""The call graph ``analyze`` walks, with the few graph algorithms it needs.

``cascade-board analyze`` must answer within a second of being started
(docs/LIMITS.md, "Start-up"), and importing networkx alone takes about a
third of that. So the analysis builds this small directed graph and walks it
with linear algorithms written to give exactly networkx's results, in
networkx's order (the tests compare them on random graphs): the same
topological order, depth-first preorder and sampled betweenness, float for
float. networkx is imported only to list the cycles of a graph that has some.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator


class CallGraph:
    """A directed graph of node ids, as networkx's ``DiGraph`` holds one:
    nodes in the order given, a call between two nodes counted once however
    many edges make it, neighbours in the order of their first edge."""

    def __init__(self, nodes: Iterable[str], calls: Iterable[tuple[str, str]]) -> None:
        self.succ: dict[str, dict[str, None]] = {}
        self.pred: dict[str, dict[str, None]] = {}
        for node in nodes:
            self.succ[node] = {}
            self.pred[node] = {}
        for source, target in calls:
            self.succ[source][target] = None
            self.pred[target][source] = None
        self.number_of_edges = sum(len(targets) for targets in self.succ.values())

    def __len__(self) -> int:
        return len(self.succ)

    def __contains__(self, node: object) -> bool:
        return node in self.succ

    def in_degree(self, node: str) -> int:
        return len(self.pred[node])

    def out_degree(self, node: str) -> int:
        return len(self.succ[node])

    def topological_order(self) -> list[str] | None:
        """The nodes in networkx's ``topological_sort`` order (generation by
        generation, Kahn's algorithm), or None when the graph has a cycle."""
        waiting = {node: len(parents) for node, parents in self.pred.items() if parents}
        generation = [node for node, parents in self.pred.items() if not parents]
        order: list[str] = []
        while generation:
            order += generation
            following = []
            for node in generation:
                for child in self.succ[node]:
                    waiting[child] -= 1
                    if not waiting[child]:
                        following.append(child)
                        del waiting[child]
            generation = following
        return None if waiting else order

    def is_acyclic(self) -> bool:
        return self.topological_order() is not None

    def preorder(self, start: str) -> Iterator[str]:
        """The nodes reachable from ``start``, depth first, each when first met
        (networkx's ``dfs_preorder_nodes``); iterative."""
        yield start
        seen = {start}
        stack = [iter(self.succ[start])]
        while stack:
            for child in stack[-1]:
                if child not in seen:
                    seen.add(child)
                    yield child
                    stack.append(iter(self.succ[child]))
                    break
            else:
                stack.pop()

    def ancestors(self, node: str) -> set[str]:
        """Every node with a path to ``node``, ``node`` itself excluded (networkx's ``ancestors``)."""
        found: set[str] = set()
        queue = [node]
        while queue:
            for parent in self.pred[queue.pop()]:
                if parent not in found:
                    found.add(parent)
                    queue.append(parent)
        found.discard(node)
        return found

    def components(self) -> list[list[str]]:
        """The strongly connected components, each before every component it
        calls (Tarjan's algorithm without recursion, reversed)."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        found: list[list[str]] = []
        for root in self.succ:
            if root in index:
                continue
            index[root] = low[root] = len(index)
            stack.append(root)
            on_stack.add(root)
            walk = [(root, iter(self.succ[root]))]
            while walk:
                node, children = walk[-1]
                for child in children:
                    if child not in index:
                        index[child] = low[child] = len(index)
                        stack.append(child)
                        on_stack.add(child)
                        walk.append((child, iter(self.succ[child])))
                        break
                    if child in on_stack:
                        low[node] = min(low[node], index[child])
                else:
                    walk.pop()
                    if walk:
                        caller = walk[-1][0]
                        low[caller] = min(low[caller], low[node])
                    if low[node] == index[node]:
                        component = []
                        while True:
                            member = stack.pop()
                            on_stack.discard(member)
                            component.append(member)
                            if member == node:
                                break
                        found.append(component)
        found.reverse()
        return found

    def betweenness(self, samples: int | None, seed: int) -> dict[str, float]:
        """Normalised shortest-path betweenness of every node, from all source
        nodes or from ``samples`` of them drawn with ``random.Random(seed)``:
        networkx's ``betweenness_centrality(G, k=samples, normalized=True,
        seed=seed)`` (Brandes' algorithm), computed in the same order."""
        nodes = list(self.succ)
        if samples == len(nodes):
            samples = None
        sources = nodes if samples is None else random.Random(seed).sample(nodes, samples)
        index = {node: i for i, node in enumerate(nodes)}
        calls = [[index[child] for child in self.succ[node]] for node in nodes]
        result = [0.0] * len(nodes)
        for source in sources:
            start = index[source]
            reached, parents, paths = _shortest_paths(calls, start)
            delta = [0.0] * len(nodes)
            for node in reversed(reached):
                share = (1 + delta[node]) / paths[node]
                for parent in parents[node]:
                    delta[parent] += paths[parent] * share
                if node != start:
                    result[node] += delta[node]
        return _rescale(dict(zip(nodes, result, strict=True)), len(nodes), None if samples is None else sources)


def _shortest_paths(calls: list[list[int]], source: int) -> tuple[list[int], list[list[int]], list[float]]:
    """Breadth first from ``source`` over nodes numbered ``0..n-1`` (``calls[i]``:
    what node ``i`` calls): the nodes in the order reached, each one's parents
    on shortest paths, and how many shortest paths reach it."""
    size = len(calls)
    distance = [-1] * size
    paths = [0.0] * size
    parents: list[list[int]] = [[]] * size  # a node's list is replaced when it is reached, before any append
    distance[source] = 0
    paths[source] = 1.0
    reached = [source]
    for node in reached:  # the list grows as the search goes: it is the queue
        step = distance[node] + 1
        count = paths[node]
        for child in calls[node]:
            known = distance[child]
            if known < 0:
                reached.append(child)
                distance[child] = step
                paths[child] = count  # 0.0 + count, exactly as networkx adds it
                parents[child] = [node]
            elif known == step:
                paths[child] += count
                parents[child].append(node)
    return reached, parents, paths


def _rescale(betweenness: dict[str, float], size: int, sources: list[str] | None) -> dict[str, float]:
    """Divide by the number of (source, target) pairs counted, as networkx does
    for a directed graph without endpoints."""
    pairs = size - 1
    if pairs < 2:
        return betweenness
    if sources is None:
        scale = 1 / (pairs * (pairs - 1))
        if scale != 1:
            for node in betweenness:
                betweenness[node] *= scale
        return betweenness
    count = len(sources)
    source_scale = 1 / ((count - 1) * (pairs - 1)) if count > 1 else float("nan")
    other_scale = 1 / (count * (pairs - 1))
    sampled = set(sources)
    for node in betweenness:
        betweenness[node] *= source_scale if node in sampled else other_scale
    return betweenness
