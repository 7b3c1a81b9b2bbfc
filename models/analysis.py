"""Static analysis of a board with networkx.

Everything here reads a ``BoardDocument`` and returns plain data: the
dependency graph, flow latency totals, the critical path, blast radius,
cycles (candidate feedback loops), bottleneck hints (fan-in, fan-out,
betweenness), offered-load and utilisation estimates from the simulation
parameters, and the pipeline stages derived from the call plans.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from models.document import BoardDocument
from models.entities import Edge, Flow, Node

MAX_CYCLES = 200
"""At most this many cycles are listed; dense graphs have exponentially many."""


def dependency_graph(document: BoardDocument, sync_only: bool = False) -> nx.DiGraph:
    """Nodes and calls as a directed graph; edge attribute ``id`` is the edge id."""
    graph = nx.DiGraph()
    for node in document.nodes:
        graph.add_node(node.id, label=node.label, kind=node.kind)
    for edge in document.edges:
        if sync_only and edge.call.mode != "sync":
            continue
        graph.add_edge(edge.source, edge.target, id=edge.id, label=edge.label)
    return graph


def entry_nodes(document: BoardDocument) -> list[str]:
    """Where user traffic enters: what ``users`` nodes call, else the roots."""
    users = {n.id for n in document.nodes if n.kind == "users"}
    entries = [e.target for e in document.edges if e.source in users]
    if entries:
        return list(dict.fromkeys(entries))
    graph = dependency_graph(document)
    return [n.id for n in document.nodes if graph.in_degree(n.id) == 0 and n.id not in users]


# --- flows --------------------------------------------------------------------


def flow_total_ms(flow: Flow) -> float:
    """Sequential hops add; consecutive hops of one parallel group cost their slowest."""
    total = 0.0
    for group, hops in itertools.groupby(flow.hops, key=lambda h: h.parallel_group):
        costs = [h.latency_ms for h in hops]
        total += max(costs) if group is not None else sum(costs)
    return total


# --- critical path ----------------------------------------------------------


def _own_ms(node: Node) -> float:
    return node.sim.service_time.mean_ms


@dataclass(frozen=True)
class Path:
    nodes: tuple[str, ...]
    total_ms: float


def critical_path(document: BoardDocument) -> Path:
    """The slowest chain of synchronous calls from an entry node.

    Each node costs its mean service time and each call its network time;
    cycles are broken by never visiting a node twice on one path.
    """
    nodes = {n.id: n for n in document.nodes}
    calls: dict[str, list[Edge]] = {}
    for edge in document.edges:
        if edge.call.mode == "sync":
            calls.setdefault(edge.source, []).append(edge)
    best = Path((), 0.0)
    memo: dict[tuple[str, frozenset[str]], Path] = {}

    def slowest(node_id: str, seen: frozenset[str]) -> Path:
        key = (node_id, seen)
        if key in memo:
            return memo[key]
        own = _own_ms(nodes[node_id])
        result = Path((node_id,), own)
        for edge in calls.get(node_id, []):
            if edge.target in seen:
                continue
            tail = slowest(edge.target, seen | {edge.target})
            cost = own + edge.call.network_mean_ms + tail.total_ms
            if cost > result.total_ms:
                result = Path((node_id, *tail.nodes), cost)
        if len(memo) < 200_000:
            memo[key] = result
        return result

    for entry in entry_nodes(document):
        candidate = slowest(entry, frozenset({entry}))
        if candidate.total_ms > best.total_ms:
            best = candidate
    return best


# --- blast radius and cycles ------------------------------------------------


def blast_radius(document: BoardDocument, node_id: str) -> list[str]:
    """Nodes affected when ``node_id`` fails: every node that calls it,
    directly or through others, synchronously (they wait on it)."""
    graph = dependency_graph(document, sync_only=True)
    if node_id not in graph:
        return []
    order = {n.id: i for i, n in enumerate(document.nodes)}
    return sorted(nx.ancestors(graph, node_id), key=order.__getitem__)


def cycles(document: BoardDocument, limit: int = MAX_CYCLES) -> list[list[str]]:
    """Directed cycles in the call graph: candidate feedback loops."""
    graph = dependency_graph(document)
    return [list(c) for c in itertools.islice(nx.simple_cycles(graph), limit)]


def undeclared_cycles(document: BoardDocument) -> list[list[str]]:
    """Cycles whose nodes no board loop already covers."""
    declared = [set(loop.nodes) for loop in document.loops]
    return [c for c in cycles(document) if not any(set(c) <= d for d in declared)]


# --- load and utilisation ---------------------------------------------------


@dataclass
class NodeLoad:
    """Estimated load on one node at a given entry rate."""

    node: str
    arrival_rps: float
    service_ms: float
    holding_ms: float
    servers: int
    utilisation: float
    holding_utilisation: float
    rate_limited_rps: float = 0.0
    notes: list[str] = field(default_factory=list)


def _miss_ratio(document: BoardDocument, caller: str) -> float:
    """The share of the caller's requests whose cache lookup misses."""
    nodes = {n.id: n for n in document.nodes}
    for edge in document.edges:
        if edge.source == caller and nodes[edge.target].sim.cache is not None:
            cache = nodes[edge.target].sim.cache
            assert cache is not None
            return 1.0 - cache.hit_ratio
    own = nodes[caller].sim.cache
    return 1.0 - own.hit_ratio if own is not None else 0.0


def call_share(document: BoardDocument, edge: Edge) -> float:
    """Expected calls over this edge per request the caller serves."""
    share = edge.call.probability
    miss = _miss_ratio(document, edge.source)
    if edge.call.condition == "cache_miss":
        share *= miss
    elif edge.call.condition == "cache_hit":
        share *= 1.0 - miss
    return share


def arrival_rates(document: BoardDocument, entry_rps: float) -> dict[str, float]:
    """Offered requests per second at every node, propagated along the call plans.

    Entry nodes share ``entry_rps`` equally; cycles are followed until the
    rates settle (or 100 rounds).
    """
    rates = dict.fromkeys((n.id for n in document.nodes), 0.0)
    entries = entry_nodes(document)
    outgoing: dict[str, list[tuple[str, float]]] = {}
    for edge in document.edges:
        outgoing.setdefault(edge.source, []).append((edge.target, call_share(document, edge)))
    graph = dependency_graph(document)
    if nx.is_directed_acyclic_graph(graph):
        for entry in entries:
            rates[entry] += entry_rps / max(1, len(entries))
        for node_id in nx.topological_sort(graph):
            for target, share in outgoing.get(node_id, []):
                rates[target] += rates[node_id] * share
        return rates
    base = {e: entry_rps / max(1, len(entries)) for e in entries}
    for _ in range(100):
        new = {n: base.get(n, 0.0) for n in rates}
        for source, targets in outgoing.items():
            for target, share in targets:
                new[target] += rates[source] * share
        settled = all(abs(new[n] - rates[n]) < 1e-9 * max(1.0, new[n]) for n in rates)
        rates = new
        if settled:
            break
    return rates


def holding_ms(document: BoardDocument) -> dict[str, float]:
    """How long a request holds a worker: its own work plus the expected
    time waiting on synchronous calls (a parallel group costs its slowest)."""
    nodes = {n.id: n for n in document.nodes}
    plans: dict[str, list[Edge]] = {}
    for edge in document.edges:
        if edge.call.mode == "sync":
            plans.setdefault(edge.source, []).append(edge)
    result: dict[str, float] = {}

    def hold(node_id: str, stack: frozenset[str]) -> float:
        if node_id in result:
            return result[node_id]
        total = _own_ms(nodes[node_id])
        for _, group in itertools.groupby(
            sorted(plans.get(node_id, []), key=lambda e: e.call.order), key=lambda e: e.call.order
        ):
            costs = []
            for edge in group:
                if edge.target in stack:
                    continue
                callee = hold(edge.target, stack | {edge.target})
                costs.append(call_share(document, edge) * (edge.call.network_mean_ms + callee))
            total += max(costs, default=0.0)
        result[node_id] = total
        return total

    for node_id in nodes:
        hold(node_id, frozenset({node_id}))
    return result


def utilisation(document: BoardDocument, entry_rps: float) -> list[NodeLoad]:
    """ρ = λ·S / servers for every node, with the holding-time variant that
    counts time spent waiting on downstream calls."""
    rates = arrival_rates(document, entry_rps)
    holds = holding_ms(document)
    loads = []
    for node in document.nodes:
        if node.kind == "users":
            continue
        servers = node.sim.workers * node.sim.replicas
        rate = rates[node.id]
        own = _own_ms(node)
        load = NodeLoad(
            node=node.id,
            arrival_rps=rate,
            service_ms=own,
            holding_ms=holds[node.id],
            servers=servers,
            utilisation=rate * own / 1000.0 / servers,
            holding_utilisation=rate * holds[node.id] / 1000.0 / servers,
        )
        limit = node.sim.rate_limit
        if limit is not None and rate > limit.rate_per_s:
            load.rate_limited_rps = rate - limit.rate_per_s
            load.notes.append(f"offered {rate:.1f}/s exceeds its rate limit of {limit.rate_per_s:g}/s")
        if load.holding_utilisation >= 1.0:
            load.notes.append("saturated: workers are held longer than arrivals allow")
        loads.append(load)
    return loads


def peak_entry_rps(document: BoardDocument, scenario_id: str | None = None) -> float:
    """The highest entry rate of a scenario (``peak``, else the first, else 0)."""
    scenarios = {s.id: s for s in document.scenarios}
    scenario = scenarios.get(scenario_id or "peak") or (document.scenarios[0] if document.scenarios else None)
    if scenario is None:
        return 0.0
    return max(scenario.traffic.base_rps, scenario.traffic.peak_rps)


# --- bottleneck hints -------------------------------------------------------


def bottleneck_hints(document: BoardDocument) -> list[dict[str, Any]]:
    """Fan-in, fan-out and betweenness per node, most central first."""
    graph = dependency_graph(document)
    centrality = nx.betweenness_centrality(graph, normalized=True) if len(graph) > 2 else {}
    hints = [
        {
            "node": node.id,
            "label": node.label,
            "fan_in": graph.in_degree(node.id),
            "fan_out": graph.out_degree(node.id),
            "betweenness": round(centrality.get(node.id, 0.0), 4),
            "health": node.health,
        }
        for node in document.nodes
        if node.kind != "users"
    ]
    hints.sort(key=lambda h: (-h["betweenness"], -h["fan_in"], h["node"]))
    return hints


# --- pipeline stages from the call plan -------------------------------------


@dataclass
class PlanStage:
    """One step of a caller's plan: the calls made at one ``order``."""

    caller: str
    order: int
    targets: list[str]
    mode: str
    condition: str
    parallelisable_with_next: bool = False


def plan_stages(document: BoardDocument) -> list[PlanStage]:
    """The synchronous call plans along the request path, step by step.

    A step with several calls is a parallel group. A serial step is named
    parallelisable with the next one when they share a condition and neither
    callee depends on the other, so they could run at once.
    """
    graph = dependency_graph(document, sync_only=True)
    plans: dict[str, list[Edge]] = {}
    for edge in document.edges:
        if edge.call.mode == "sync":
            plans.setdefault(edge.source, []).append(edge)
    order: list[str] = []
    for entry in entry_nodes(document):
        for node_id in nx.dfs_preorder_nodes(graph, entry):
            if node_id not in order:
                order.append(node_id)
    stages: list[PlanStage] = []
    for caller in order:
        steps = []
        for number, group in itertools.groupby(
            sorted(plans.get(caller, []), key=lambda e: e.call.order), key=lambda e: e.call.order
        ):
            edges = list(group)
            conditions = {e.call.condition for e in edges}
            steps.append(
                PlanStage(
                    caller=caller,
                    order=number,
                    targets=[e.target for e in edges],
                    mode="parallel" if len(edges) > 1 else "serial",
                    condition=conditions.pop() if len(conditions) == 1 else "mixed",
                )
            )
        for current, following in itertools.pairwise(steps):
            independent = all(
                not nx.has_path(graph, a, b) and not nx.has_path(graph, b, a)
                for a in current.targets
                for b in following.targets
            )
            current.parallelisable_with_next = independent and current.condition == following.condition
        stages.extend(steps)
    return stages


# --- everything at once -----------------------------------------------------


def analyze(document: BoardDocument, scenario_id: str | None = None) -> dict[str, Any]:
    """The whole analysis as JSON-ready data (what ``cascade-board analyze`` prints)."""
    labels = {n.id: n.label for n in document.nodes}
    path = critical_path(document)
    rps = peak_entry_rps(document, scenario_id)
    return {
        "board": document.meta.title,
        "entry_nodes": entry_nodes(document),
        "flows": [
            {
                "id": flow.id,
                "name": flow.name,
                "total_ms": flow_total_ms(flow),
                "hops": [
                    {"node": h.node, "action": h.action, "latency_ms": h.latency_ms,
                     "parallel_group": h.parallel_group}
                    for h in flow.hops
                ],
            }
            for flow in document.flows
        ],
        "critical_path": {
            "nodes": list(path.nodes),
            "labels": [labels[n] for n in path.nodes],
            "total_ms": round(path.total_ms, 3),
        },
        "bottleneck_hints": bottleneck_hints(document),
        "load": {
            "entry_rps": rps,
            "nodes": [
                {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(load).items()}
                for load in utilisation(document, rps)
            ],
        },
        "blast_radius": {n.id: blast_radius(document, n.id) for n in document.nodes if n.kind != "users"},
        "cycles": cycles(document),
        "undeclared_cycles": undeclared_cycles(document),
        "stages": [asdict(stage) for stage in plan_stages(document)],
    }
