"""What every section builder reads: the board, its labels and the analysis."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from models import analysis
from models.catalog import Catalog
from models.document import BoardDocument
from models.entities import Edge
from models.utilisation import Utilisation, from_loads


@dataclass(frozen=True)
class Context:
    """The board being exported and the sizes of the page frames."""

    document: BoardDocument
    date: str
    frame_width: float
    frame_height: float
    wide_width: float
    wide_height: float
    catalog: Catalog | None = None

    @functools.cached_property
    def labels(self) -> dict[str, str]:
        return {n.id: n.label for n in self.document.nodes}

    @functools.cached_property
    def edges(self) -> dict[str, Edge]:
        return {e.id: e for e in self.document.edges}

    def name_of(self, entity_id: str) -> str:
        """A readable name for a node, edge, queue or other id."""
        if entity_id in self.labels:
            return self.labels[entity_id]
        edge = self.edges.get(entity_id)
        if edge is not None:
            return f"{self.labels.get(edge.source, edge.source)} → {self.labels.get(edge.target, edge.target)}"
        for queue in self.document.queues:
            if queue.id == entity_id:
                return queue.name
        return entity_id

    @functools.cached_property
    def peak_rps(self) -> float:
        return analysis.peak_entry_rps(self.document)

    @functools.cached_property
    def loads(self) -> dict[str, analysis.NodeLoad]:
        if not self.document.nodes:
            return {}
        return {load.node: load for load in analysis.utilisation(self.document, self.peak_rps)}

    @functools.cached_property
    def utilisation(self) -> Utilisation:
        """The one utilisation figure (``models.utilisation``), estimated at the peak entry rate."""
        return from_loads(self.loads.values(), self.peak_rps)

    @functools.cached_property
    def hints(self) -> dict[str, dict[str, Any]]:
        return {hint["node"]: hint for hint in analysis.bottleneck_hints(self.document)}

    def betweenness(self, node_id: str) -> float:
        return float(self.hints.get(node_id, {}).get("betweenness", 0.0))
