"""One utilisation figure per node, the same wherever it is shown (docs/SIMULATION.md, "Utilisation").

Utilisation is the share of a node's workers that are busy or held: doing their
own work, or waiting on the calls they made downstream (a request keeps its
worker while it waits, which is how a slow LLM fills the engine). The analysis
estimates it at a stated entry rate (arrivals × holding time ÷ workers, which
may pass 100 % when the node is overloaded); a simulation measures it over the
run's measured seconds. Every figure carries its source ("estimated at 50 req/s",
"simulated, peak, seed 0"), so the Bottlenecks panel, the handout and
``cascade-board simulate`` show one number with one meaning.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models import analysis
from models.document import BoardDocument

if TYPE_CHECKING:  # the engine's package is heavy; analyze and validate never run it
    from models.simulation.result import SimulationResult

MEANING = "the share of a node's workers busy or held waiting on its calls"
"""What the figure is, in the words every medium uses."""


@dataclass(frozen=True)
class Utilisation:
    """Utilisation by node id (0–1, an estimate may pass 1), and where it comes from."""

    values: Mapping[str, float]
    source: str

    def text(self, node_id: str) -> str:
        """The figure as every medium prints it ("26 %"), or "" when the node has none."""
        value = self.values.get(node_id)
        return "" if value is None else percent(value)

    def caption(self) -> str:
        """One sentence that says what the figure is and where it comes from."""
        return f"Utilisation is {MEANING}, {self.source}."


def percent(value: float) -> str:
    return f"{value * 100:.0f} %"


def estimated(document: BoardDocument, rps: float | None = None) -> Utilisation:
    """The analysis's figure at ``rps`` requests/s entering (by default the scenarios' peak)."""
    rate = analysis.peak_entry_rps(document) if rps is None else rps
    return from_loads(analysis.utilisation(document, rate) if rate and document.nodes else [], rate)


def from_loads(loads: Iterable[analysis.NodeLoad], rps: float) -> Utilisation:
    """The figure from the analysis's loads at ``rps`` (for a caller that has them already)."""
    return Utilisation({load.node: load.holding_utilisation for load in loads}, f"estimated at {rps:g} req/s")


def simulated(result: SimulationResult) -> Utilisation:
    """A run's figure: each node's mean over the measured seconds."""
    source = f"simulated, {result.scenario}, seed {result.seed}"
    if result.interventions:
        source += f", with {', '.join(result.interventions)}"
    return Utilisation({node_id: node.utilization for node_id, node in result.nodes.items()}, source)
