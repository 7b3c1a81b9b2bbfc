"""Small boards built in code for the simulation tests."""

from __future__ import annotations

from typing import Any

from models.document import BoardDocument
from models.entities import Edge, Node
from models.params import CallParams, NodeSim, SimScenario, TrafficProfile, UserBehaviour

PATIENT = UserBehaviour(timeout_s=3600.0)
"""Users who never give up (queueing theory assumes they wait)."""


def board(
    nodes: dict[str, dict[str, Any]],
    edges: list[tuple[str, str, dict[str, Any]]] = (),  # type: ignore[assignment]
    *,
    rate: float = 1.0,
    duration_s: float = 1000.0,
    warmup_s: float = 0.0,
    users: UserBehaviour = PATIENT,
    traffic: dict[str, Any] | None = None,
    failures: tuple[Any, ...] = (),
    entry: str | None = None,
) -> BoardDocument:
    """A board whose users send ``rate`` requests/s to ``entry`` (the first node)."""
    entry = entry or next(iter(nodes))
    all_nodes = [Node(id="users", kind="users", label="Users")]
    all_nodes += [Node(id=node_id, label=node_id, sim=NodeSim(**sim)) for node_id, sim in nodes.items()]
    all_edges = [Edge(id="e-users", source="users", target=entry)]
    all_edges += [
        Edge(id=f"e-{source}-{target}", source=source, target=target, call=CallParams(**call))
        for source, target, call in edges
    ]
    profile = TrafficProfile(**(traffic or {"kind": "constant", "base_rps": rate}))
    scenario = SimScenario(
        id="s", name="s", duration_s=duration_s, warmup_s=warmup_s, traffic=profile, users=users,
        failures=failures,
    )
    return BoardDocument(nodes=tuple(all_nodes), edges=tuple(all_edges), scenarios=(scenario,))


def exponential(mean_ms: float) -> dict[str, Any]:
    return {"kind": "exponential", "mean_ms": mean_ms}


def constant(mean_ms: float) -> dict[str, Any]:
    return {"kind": "constant", "mean_ms": mean_ms}
