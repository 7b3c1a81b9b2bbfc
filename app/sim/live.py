"""Live failures for whiteboarding: what each number key injects into the running simulation.

Each maker reads the board snapshot and the selection and returns the
``FailureInjection`` to start now, or a reason it cannot apply (no LLM on
this board, nothing selected, ...). Plain Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from models.document import BoardDocument
from models.params import FailureInjection

LIVE_FAILURE_S = 60.0
"""How long a live failure lasts in simulated seconds (a cache invalidation is instant)."""


@dataclass(frozen=True)
class LiveFailure:
    key: str
    text: str
    make: Callable[[BoardDocument, Sequence[str]], FailureInjection | str]


def _first_of_kind(document: BoardDocument, kind: str) -> str | None:
    return next((n.id for n in document.nodes if n.kind == kind), None)


def _selected_node(document: BoardDocument, selection: Sequence[str]) -> str | None:
    nodes = {n.id for n in document.nodes}
    return next((i for i in selection if i in nodes), None)


def _selected_edge(document: BoardDocument, selection: Sequence[str]) -> str | None:
    edges = {e.id for e in document.edges}
    return next((i for i in selection if i in edges), None)


def rate_limit_llm(document: BoardDocument, selection: Sequence[str]) -> FailureInjection | str:
    node_id = _first_of_kind(document, "llm")
    if node_id is None:
        return "This board has no LLM / API node to rate-limit."
    node = next(n for n in document.nodes if n.id == node_id)
    current = node.sim.rate_limit.rate_per_s if node.sim.rate_limit else 20.0
    return FailureInjection(kind="rate_limit_change", target=node_id, duration_s=LIVE_FAILURE_S,
                            value=round(max(0.5, current / 2), 3))


def invalidate_cache(document: BoardDocument, selection: Sequence[str]) -> FailureInjection | str:
    node_id = _selected_node(document, selection)
    nodes = {n.id: n for n in document.nodes}
    if node_id is None or nodes[node_id].sim.cache is None:
        node_id = next((n.id for n in document.nodes if n.sim.cache is not None), None)
    if node_id is None:
        return "This board has no cache to invalidate."
    return FailureInjection(kind="cache_invalidation", target=node_id)


def _on_selected(kind: str, value: float = 1.0) -> Callable[[BoardDocument, Sequence[str]], FailureInjection | str]:
    def make(document: BoardDocument, selection: Sequence[str]) -> FailureInjection | str:
        node_id = _selected_node(document, selection)
        if node_id is None:
            return "Select a node on the canvas first."
        return FailureInjection(kind=kind, target=node_id, duration_s=LIVE_FAILURE_S, value=value)

    return make


def partition_edge(document: BoardDocument, selection: Sequence[str]) -> FailureInjection | str:
    edge_id = _selected_edge(document, selection)
    if edge_id is None:
        return "Select a call (an edge) on the canvas first."
    return FailureInjection(kind="partition", target=edge_id, duration_s=LIVE_FAILURE_S)


LIVE_FAILURES: tuple[LiveFailure, ...] = (
    LiveFailure("1", "Rate-limit the LLM now", rate_limit_llm),
    LiveFailure("2", "Invalidate the cache now", invalidate_cache),
    LiveFailure("3", "Crash the selected node", _on_selected("crash")),
    LiveFailure("4", "Slow the selected node ×5", _on_selected("latency_spike", 5.0)),
    LiveFailure("5", "Halve the selected node's workers", _on_selected("capacity_cut", 0.5)),
    LiveFailure("6", "Errors on the selected node (30 %)", _on_selected("error_rate", 0.3)),
    LiveFailure("7", "Cut the selected call", partition_edge),
)
"""Bound to the number keys; a number the board cannot honour explains why."""
