"""Static analysis of a board.

Everything here reads a ``BoardDocument`` and returns plain data: the
dependency graph, flow latency totals, the critical path, blast radius,
cycles (candidate feedback loops), bottleneck hints (fan-in, fan-out,
betweenness), offered-load and utilisation estimates from the simulation
parameters, and the pipeline stages derived from the call plans. The graph
algorithms are those of ``models.analysis_graph`` (networkx's results,
without importing it: see that module).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from models.analysis_graph import CallGraph
from models.document import BoardDocument
from models.entities import Edge, Flow, Node

if TYPE_CHECKING:
    import networkx as nx

MAX_CYCLES = 200
"""At most this many cycles are listed; dense graphs have exponentially many."""

MAX_LISTED = 50
"""At most this many nodes are listed in one blast radius; the count is always given."""

BETWEENNESS_WORK = 60_000
"""Above this many node-edge visits (nodes × (nodes + edges)), betweenness is
estimated from a sample of source nodes instead of all of them."""

BETWEENNESS_MIN_SAMPLES = 20


def dependency_graph(document: BoardDocument, sync_only: bool = False) -> nx.DiGraph:
    """Nodes and calls as a networkx graph; edge attribute ``id`` is the edge id."""
    import networkx as nx  # a third of a second to import: only when asked for

    graph = nx.DiGraph()
    graph.add_nodes_from((node.id, {"label": node.label, "kind": node.kind}) for node in document.nodes)
    graph.add_edges_from(
        (edge.source, edge.target, {"id": edge.id, "label": edge.label})
        for edge in document.edges
        if not sync_only or edge.call.mode == "sync"
    )
    return graph


_GRAPHS: dict[bool, tuple[BoardDocument, CallGraph]] = {}
_UPSTREAM: list[tuple[BoardDocument, dict[str, int]]] = []
_NONZERO = re.compile(b"[^\x00]+")


def _graph(document: BoardDocument, sync_only: bool = False) -> CallGraph:
    """The calls (the synchronous ones, or all) as a ``CallGraph``, built once for
    the last document asked about (every part of one analysis reads the same
    graph; callers never change it)."""
    cached = _GRAPHS.get(sync_only)
    if cached is None or cached[0] is not document:
        calls = ((e.source, e.target) for e in document.edges if not sync_only or e.call.mode == "sync")
        cached = _GRAPHS[sync_only] = (document, CallGraph((n.id for n in document.nodes), calls))
    return cached[1]


def entry_nodes(document: BoardDocument) -> list[str]:
    """Where user traffic enters: what ``users`` nodes call, else the roots."""
    users = {n.id for n in document.nodes if n.kind == "users"}
    entries = [e.target for e in document.edges if e.source in users]
    if entries:
        return list(dict.fromkeys(entries))
    graph = _graph(document)
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


def _depth_first(roots: Iterable[str], succ: Mapping[str, Sequence[Edge]]) -> tuple[list[str], set[str]]:
    """Walk the calls depth first from ``roots``, without recursion.

    Returns the nodes reached, each after everything it calls (post-order),
    and the ids of the calls that close a cycle (their target is on the path
    being walked). Dropping those calls leaves an acyclic graph whose
    post-order is the one returned.
    """
    finished: list[str] = []
    on_path: dict[str, bool] = {}
    closing: set[str] = set()
    for root in roots:
        if root in on_path:
            continue
        on_path[root] = True
        stack: list[tuple[str, Iterator[Edge]]] = [(root, iter(succ.get(root, ())))]
        while stack:
            node_id, calls = stack[-1]
            for edge in calls:
                state = on_path.get(edge.target)
                if state is None:
                    on_path[edge.target] = True
                    stack.append((edge.target, iter(succ.get(edge.target, ()))))
                    break
                if state:
                    closing.add(edge.id)
            else:
                stack.pop()
                on_path[node_id] = False
                finished.append(node_id)
    return finished, closing


def _sync_calls(document: BoardDocument) -> dict[str, list[Edge]]:
    calls: dict[str, list[Edge]] = {}
    for edge in document.edges:
        if edge.call.mode == "sync":
            calls.setdefault(edge.source, []).append(edge)
    return calls


def critical_path(document: BoardDocument) -> Path:
    """The slowest chain of synchronous calls from an entry node.

    Each node costs its mean service time and each call its network time.
    Time is linear in the board's size: a depth-first walk from the entries
    drops the calls that close a cycle, and the slowest chain of what is left
    is found by dynamic programming (exact when the calls have no cycle).
    """
    nodes = {n.id: n for n in document.nodes}
    calls = _sync_calls(document)
    entries = [e for e in entry_nodes(document) if e in nodes]
    finished, closing = _depth_first(entries, calls)
    slowest: dict[str, float] = {}
    following: dict[str, str] = {}
    for node_id in finished:
        own = _own_ms(nodes[node_id])
        slowest[node_id] = own
        for edge in calls.get(node_id, ()):
            if edge.id in closing:
                continue
            cost = own + edge.call.network_mean_ms + slowest[edge.target]
            if cost > slowest[node_id]:
                slowest[node_id] = cost
                following[node_id] = edge.target
    best = Path((), 0.0)
    for entry in entries:
        if slowest[entry] > best.total_ms:
            chain = [entry]
            while chain[-1] in following:
                chain.append(following[chain[-1]])
            best = Path(tuple(chain), slowest[entry])
    return best


def deepest_call_chain(document: BoardDocument) -> tuple[str, ...]:
    """The chain of synchronous calls from an entry with the most hops
    (calls that close a cycle are not followed); linear in the board's size."""
    calls = _sync_calls(document)
    entries = [e for e in entry_nodes(document) if e in {n.id for n in document.nodes}]
    finished, closing = _depth_first(entries, calls)
    depth: dict[str, int] = {}
    following: dict[str, str] = {}
    for node_id in finished:
        depth[node_id] = 1
        for edge in calls.get(node_id, ()):
            if edge.id not in closing and depth[edge.target] + 1 > depth[node_id]:
                depth[node_id] = depth[edge.target] + 1
                following[node_id] = edge.target
    if not entries:
        return ()
    chain = [max(entries, key=lambda e: depth[e])]
    while chain[-1] in following:
        chain.append(following[chain[-1]])
    return tuple(chain)


# --- blast radius and cycles ------------------------------------------------


def blast_radius(document: BoardDocument, node_id: str) -> list[str]:
    """Nodes affected when ``node_id`` fails: every node that calls it,
    directly or through others, synchronously (they wait on it)."""
    graph = _graph(document, sync_only=True)
    if node_id not in graph:
        return []
    order = {n.id: i for i, n in enumerate(document.nodes)}
    return sorted(graph.ancestors(node_id), key=order.__getitem__)


@dataclass(frozen=True)
class BlastRadius:
    """The first ``MAX_LISTED`` affected nodes in board order, and how many there are."""

    nodes: tuple[str, ...]
    count: int


def _upstream_sets(document: BoardDocument) -> dict[str, int]:
    """For every node, the set of nodes that reach it by synchronous calls
    (itself included), as a bit set over board order (bit i: ``nodes[i]``).

    Built once over the strongly connected components in topological order:
    one pass over the graph plus unions of big integers, at most
    ``MAX_ITEMS``² bits in all.
    """
    if _UPSTREAM and _UPSTREAM[0][0] is document:
        return _UPSTREAM[0][1]
    graph = _graph(document, sync_only=True)
    index = {n.id: i for i, n in enumerate(document.nodes)}
    result: dict[str, int] = {}
    for component in graph.components():
        reach = 0
        for node_id in component:
            reach |= 1 << index[node_id]
        for node_id in component:
            for parent in graph.pred[node_id]:
                reach |= result.get(parent, 0)
        for node_id in component:
            result[node_id] = reach
    result = {node_id: result[node_id] for node_id in index}
    _UPSTREAM[:] = [(document, result)]
    return result


def _reaches(upstream: Mapping[str, int], index: Mapping[str, int], source: str, target: str) -> bool:
    return bool(upstream[target] >> index[source] & 1)


def _first_bits(bits: int, count: int, skip: int) -> list[int]:
    """Indexes of the ``count`` lowest set bits other than ``skip`` (runs of
    zero bytes are skipped in C, so a long, sparse set costs one pass)."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    found: list[int] = []
    for match in _NONZERO.finditer(data):
        start = match.start()
        # Every byte of the run has a set bit, so its first count + 1 bytes hold enough.
        run = int.from_bytes(data[start:min(match.end(), start + count + 1)], "little")
        while run:
            lowest = run & -run
            index = start * 8 + lowest.bit_length() - 1
            if index != skip:
                found.append(index)
                if len(found) == count:
                    return found
            run ^= lowest
    return found


def blast_radii(document: BoardDocument, limit: int = MAX_LISTED) -> dict[str, BlastRadius]:
    """``blast_radius`` of every node at once, listing at most ``limit`` per node."""
    upstream = _upstream_sets(document)
    ids = [n.id for n in document.nodes]
    return {
        node_id: BlastRadius(tuple(map(ids.__getitem__, _first_bits(reach, limit, own))), reach.bit_count() - 1)
        for own, (node_id, reach) in enumerate(upstream.items())
    }


def cycles(document: BoardDocument, limit: int = MAX_CYCLES) -> list[list[str]]:
    """Directed cycles in the call graph: candidate feedback loops (networkx's
    ``simple_cycles``, imported only when the graph has a cycle)."""
    if _graph(document).is_acyclic():
        return []
    import networkx as nx

    return [list(c) for c in itertools.islice(nx.simple_cycles(dependency_graph(document)), limit)]


def undeclared_cycles(document: BoardDocument, found: list[list[str]] | None = None) -> list[list[str]]:
    """Cycles (``found``, else the listed ones) whose nodes no board loop already covers."""
    declared = [set(loop.nodes) for loop in document.loops]
    listed = cycles(document) if found is None else found
    return [c for c in listed if not any(set(c) <= d for d in declared)]


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


def miss_ratios(document: BoardDocument) -> dict[str, float]:
    """Per node, the share of its requests whose cache lookup misses: the
    first cache it calls decides, else its own cache, else none (0)."""
    nodes = {n.id: n for n in document.nodes}
    ratios: dict[str, float] = {}
    for edge in document.edges:
        cache = nodes[edge.target].sim.cache
        if cache is not None and edge.source not in ratios:
            ratios[edge.source] = 1.0 - cache.hit_ratio
    for node in document.nodes:
        if node.id not in ratios:
            ratios[node.id] = 1.0 - node.sim.cache.hit_ratio if node.sim.cache is not None else 0.0
    return ratios


def call_share(document: BoardDocument, edge: Edge, misses: Mapping[str, float] | None = None) -> float:
    """Expected calls over this edge per request the caller serves
    (pass ``miss_ratios(document)`` when asking for many edges)."""
    share = edge.call.probability
    miss = (misses if misses is not None else miss_ratios(document))[edge.source]
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
    misses = miss_ratios(document)
    for edge in document.edges:
        outgoing.setdefault(edge.source, []).append((edge.target, call_share(document, edge, misses)))
    order = _graph(document).topological_order()
    if order is not None:
        for entry in entries:
            rates[entry] += entry_rps / max(1, len(entries))
        for node_id in order:
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
    time waiting on synchronous calls (a parallel group costs its slowest).

    A call back to a node already waiting on the path is not counted, so
    cycles add nothing; the walk is iterative and linear in the board's size.
    """
    nodes = {n.id: n for n in document.nodes}
    plans = {source: sorted(edges, key=lambda e: e.call.order) for source, edges in _sync_calls(document).items()}
    misses = miss_ratios(document)
    finished, closing = _depth_first(nodes, plans)
    result: dict[str, float] = {}
    for node_id in finished:
        total = _own_ms(nodes[node_id])
        for _, group in itertools.groupby(plans.get(node_id, []), key=lambda e: e.call.order):
            costs = [
                call_share(document, edge, misses) * (edge.call.network_mean_ms + result[edge.target])
                for edge in group
                if edge.id not in closing
            ]
            total += max(costs, default=0.0)
        result[node_id] = total
    return {node_id: result[node_id] for node_id in nodes}


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


def betweenness_samples(graph: CallGraph) -> int | None:
    """How many source nodes betweenness is estimated from, or None for all of them."""
    size = len(graph)
    budget = BETWEENNESS_WORK // max(1, size + graph.number_of_edges)
    return None if budget >= size else max(BETWEENNESS_MIN_SAMPLES, budget)


def bottleneck_hints(document: BoardDocument) -> list[dict[str, Any]]:
    """Fan-in, fan-out and betweenness per node, most central first.

    On big boards betweenness is estimated from ``betweenness_samples``
    source nodes (chosen with a fixed seed, so the result is repeatable).
    """
    graph = _graph(document)
    centrality = graph.betweenness(betweenness_samples(graph), seed=0) if len(graph) > 2 else {}
    hints: list[dict[str, Any]] = [
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
    graph = _graph(document, sync_only=True)
    plans = _sync_calls(document)
    upstream = _upstream_sets(document)
    index = {n.id: i for i, n in enumerate(document.nodes)}
    order: dict[str, None] = {}
    for entry in entry_nodes(document):
        for node_id in graph.preorder(entry):
            order.setdefault(node_id)
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
                not _reaches(upstream, index, a, b) and not _reaches(upstream, index, b, a)
                for a in current.targets
                for b in following.targets
            )
            current.parallelisable_with_next = independent and current.condition == following.condition
        stages.extend(steps)
    return stages


# --- everything at once -----------------------------------------------------


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(item: NodeLoad | PlanStage) -> dict[str, Any]:
    """A dataclass as a dict of its fields (lists copied), without ``asdict``'s deep copies."""
    names = _FIELDS.get(type(item))
    if names is None:
        names = _FIELDS[type(item)] = tuple(f.name for f in fields(item))
    return {name: (list(value) if isinstance(value := getattr(item, name), list) else value) for name in names}


def analyze(document: BoardDocument, scenario_id: str | None = None) -> dict[str, Any]:
    """The whole analysis as JSON-ready data (what ``cascade-board analyze`` prints).

    Its cost grows about linearly with the board (see docs/LIMITS.md);
    where a part is capped or estimated to stay that way, ``limits`` says so.
    """
    labels = {n.id: n.label for n in document.nodes}
    path = critical_path(document)
    rps = peak_entry_rps(document, scenario_id)
    found = cycles(document)
    radii = blast_radii(document)
    limits = []
    if len(found) >= MAX_CYCLES:
        limits.append(f"cycles: only the first {MAX_CYCLES} are listed; the call graph may have more")
    capped = sum(1 for r in radii.values() if r.count > len(r.nodes))
    if capped:
        limits.append(f"blast radius: {capped} node(s) affect more than {MAX_LISTED} others; "
                      f"the first {MAX_LISTED} are listed and blast_radius_sizes has the counts")
    samples = betweenness_samples(_graph(document))
    if samples is not None and len(document.nodes) > 2:
        limits.append(f"betweenness: estimated from {samples} of {len(document.nodes)} source nodes")
    if not _graph(document, sync_only=True).is_acyclic():
        limits.append("critical path: calls that close a cycle are not followed, so the path is the slowest "
                      "one without them")
    shown = [n for n in document.nodes if n.kind != "users"]
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
                {k: (round(v, 4) if isinstance(v, float) else v) for k, v in _plain(load).items()}
                for load in utilisation(document, rps)
            ],
        },
        "blast_radius": {n.id: list(radii[n.id].nodes) for n in shown},
        "blast_radius_sizes": {n.id: radii[n.id].count for n in shown},
        "cycles": found,
        "undeclared_cycles": undeclared_cycles(document, found),
        "stages": [_plain(stage) for stage in plan_stages(document)],
        "limits": limits,
    }
