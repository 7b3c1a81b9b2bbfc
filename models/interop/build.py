"""Turn what importers read (``GraphSpec``) into a board that simulates at once.

Ids are made from the source's names; nodes without positions are laid out in
layers; groups become stages; synchronous call cycles get one call made async
(said in its notes) so requests cannot call themselves forever; a default
scenario runs steady traffic at the observed rate or the stated one.
"""

from __future__ import annotations

import networkx as nx

from models.document import BoardDocument, Meta
from models.entities import Edge, Node, Stage
from models.interop.common import GraphSpec, make_id
from models.interop.layout import layered
from models.kinds import CallMode, NodeKind
from models.params import SimScenario, TrafficProfile

DEFAULT_RATE_RPS = 10.0
"""The default scenario's rate when the source says none and the user states none."""
DEFAULT_DURATION_S = 60.0
DEFAULT_SCENARIO = "default"


def _notes(lines: list[str]) -> str:
    return "\n".join(lines)[:20_000]


def merge(specs: list[GraphSpec]) -> GraphSpec:
    """One graph from several: nodes with the same key are the same node; edges add up."""
    if len(specs) == 1:
        return specs[0]
    merged = GraphSpec(fmt=", ".join(dict.fromkeys(s.fmt for s in specs)), title=" + ".join(s.title for s in specs))
    rates = [s.rate_rps for s in specs if s.rate_rps is not None]
    merged.rate_rps = sum(rates) if rates else None
    for spec in specs:
        for key, node in spec.nodes.items():
            if key in merged.nodes:
                merged.nodes[key].notes.extend(node.notes)
            else:
                merged.nodes[key] = node
        merged.edges.extend(spec.edges)
        merged.notices.extend(spec.notices)
    return merged


def to_document(
    spec: GraphSpec, rate_rps: float | None = None, base: BoardDocument | None = None,
) -> tuple[BoardDocument, list[str]]:
    """The board for ``spec`` (added to ``base`` when merging) and the notices to show the user."""
    notices = list(spec.notices)
    base = base or BoardDocument(meta=Meta(title=spec.title[:500], summary=f"Imported from {spec.fmt}."))
    taken = {n.id for n in base.nodes} | {e.id for e in base.edges} | {s.id for s in base.stages}
    existing = {n.label: n.id for n in base.nodes}
    ids: dict[str, str] = {}
    for key, node in spec.nodes.items():
        ids[key] = existing.get(node.label) or make_id(key, taken)
    unplaced = [k for k, n in spec.nodes.items() if (n.x is None or n.y is None) and ids[k] not in existing.values()]
    positions: dict[str, tuple[float, float]] = {}
    if unplaced:
        laid = layered(unplaced, [(e.source, e.target) for e in spec.edges])
        shift_x = max((n.x for n in base.nodes), default=-300.0) + 300.0 if base.nodes else 0.0
        positions = {k: (x + shift_x, y) for k, (x, y) in laid.items()}
        notices.append(f"{len(unplaced)} node(s) had no position in the source and were laid out in layers")
    nodes = list(base.nodes)
    for key, node in spec.nodes.items():
        if ids[key] in existing.values():
            continue
        x, y = (node.x, node.y) if node.x is not None and node.y is not None else positions[key]
        nodes.append(Node(
            id=ids[key], kind=node.kind, label=node.label[:500] or key[:500], x=x, y=y, health=node.health,
            notes=_notes(node.notes), sim=node.sim,
        ))
    edges = list(base.edges)
    seen_pairs = {(e.source, e.target) for e in base.edges}
    for edge in spec.edges:
        source, target = ids.get(edge.source), ids.get(edge.target)
        if source is None or target is None or source == target or (source, target) in seen_pairs:
            continue
        seen_pairs.add((source, target))
        edges.append(Edge(
            id=make_id(f"{source}-to-{target}", taken, "e"), source=source, target=target, label=edge.label[:500],
            style=edge.style, marks=edge.marks, notes=_notes(edge.notes), call=edge.call,
        ))
    edges, broken = _break_cycles(nodes, edges)
    if broken:
        notices.append(f"{broken} call(s) closing a synchronous cycle were made async and taken on at most half of "
                       "the visits, so the simulation ends (their notes say which)")
    groups: dict[str, list[str]] = {}
    for key, node in spec.nodes.items():
        if node.group:
            groups.setdefault(node.group, []).append(ids[key])
    stages = list(base.stages)
    for name, members in groups.items():
        stages.append(Stage(id=make_id(f"group-{name}", taken, "g"), name=name[:500], nodes=tuple(members),
                            notes=f"A group in the {spec.fmt} source."))
    scenarios = list(base.scenarios)
    if not any(s.id == DEFAULT_SCENARIO for s in scenarios):
        rate, said = _rate(spec.rate_rps, rate_rps)
        notices.append(f"default scenario: steady traffic at {rate:g} requests/s ({said})")
        scenarios.append(SimScenario(
            id=DEFAULT_SCENARIO, name="Steady traffic (imported)",
            description=f"Constant {rate:g} requests/s at the entries for {DEFAULT_DURATION_S:g} s; {said}.",
            duration_s=DEFAULT_DURATION_S, traffic=TrafficProfile(base_rps=rate, peak_rps=rate),
        ))
    document = base.model_copy(update={
        "nodes": tuple(nodes), "edges": tuple(edges), "stages": tuple(stages), "scenarios": tuple(scenarios),
    })
    return BoardDocument.model_validate(document.model_dump()), notices


def _rate(observed: float | None, stated: float | None) -> tuple[float, str]:
    if stated is not None:
        return stated, "the rate stated on import"
    if observed is not None and observed > 0:
        return observed, "the rate observed in the source"
    return DEFAULT_RATE_RPS, "the source gives no rate; a default, not a measurement"


CYCLE_BACK_PROBABILITY = 0.5
"""The share of visits on which a call that closes a cycle is made after import: below 1, so
going round the cycle again dies out (the engine refuses cycles that never end)."""


def _break_cycles(nodes: list[Node], edges: list[Edge]) -> tuple[list[Edge], int]:
    """Make the back edges of synchronous cycles async, deepest-first from the entries."""
    users = {n.id for n in nodes if n.kind == NodeKind.USERS}
    graph = nx.DiGraph()
    graph.add_nodes_from(n.id for n in nodes)
    by_pair = {}
    for edge in edges:
        if edge.call.mode == CallMode.SYNC and edge.source not in users:
            graph.add_edge(edge.source, edge.target)
            by_pair[(edge.source, edge.target)] = edge.id
    back: set[str] = set()
    roots = [n for n in graph if graph.in_degree(n) == 0] + list(graph)
    visited: set[str] = set()
    for root in roots:
        if root in visited:
            continue
        on_path: set[str] = set()
        stack = [(root, iter(graph.successors(root)))]
        visited.add(root)
        on_path.add(root)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_path.discard(node)
            elif child in on_path:
                back.add(by_pair[(node, child)])
            elif child not in visited:
                visited.add(child)
                on_path.add(child)
                stack.append((child, iter(graph.successors(child))))
    fixed = [
        e.model_copy(update={
            "call": e.call.model_copy(update={
                "mode": CallMode.ASYNC, "probability": min(e.call.probability, CYCLE_BACK_PROBABILITY),
            }),
            "notes": (e.notes + "\n" if e.notes else "") + "Made async on import, and taken on at most "
                     f"{CYCLE_BACK_PROBABILITY:.0%} of visits: it closes a call cycle, which would otherwise "
                     "start new work forever in the simulation.",
        }) if e.id in back else e
        for e in edges
    ]
    return fixed, len(back)
