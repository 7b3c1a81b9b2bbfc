"""The cascade hypothesis check: the analyst's chain beside the simulated red order.

Plain Python. For each node of a board cascade's path, in the analyst's
order: when (and as which) the simulation saw it turn red, and whether that
agrees with the chain. Nodes the simulation turned red that the chain leaves
out are listed after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class HypothesisRow:
    node: str
    analyst_position: int | None
    """1-based place in the analyst's chain; None for a node only the simulation names."""
    simulated_position: int | None
    """1-based place in the simulated red order; None if it never turned red."""
    t: float | None
    verdict: str
    """``agrees``, ``out of order``, ``never red`` or ``not in the chain``."""


@dataclass(frozen=True)
class HypothesisCheck:
    rows: tuple[HypothesisRow, ...]

    @property
    def agreements(self) -> int:
        return sum(r.verdict == "agrees" for r in self.rows)

    @property
    def differences(self) -> int:
        return sum(r.verdict != "agrees" for r in self.rows)

    def summary(self) -> str:
        chain = [r for r in self.rows if r.analyst_position is not None]
        if not chain:
            return "The cascade has no path to check."
        agreed = sum(r.verdict == "agrees" for r in chain)
        extra = len(self.rows) - len(chain)
        text = f"{agreed} of {len(chain)} steps of the chain agree with the simulation"
        if extra:
            text += f"; {extra} more node{'s' if extra > 1 else ''} turned red outside the chain"
        return text + "."


def check_cascade(path: Sequence[str], red_order: Sequence[tuple[str, float]]) -> HypothesisCheck:
    """Compare ``path`` (the analyst's order) with ``red_order`` ((node, t) as simulated)."""
    chain = list(dict.fromkeys(path))
    simulated = {node: (i, t) for i, (node, t) in enumerate(red_order, start=1)}
    # the red nodes of the chain, in simulated order: each should keep its place among them
    red_in_chain = [n for n in chain if n in simulated]
    expected = sorted(red_in_chain, key=lambda n: simulated[n][0])
    rows = []
    for i, node in enumerate(chain, start=1):
        if node not in simulated:
            rows.append(HypothesisRow(node, i, None, None, "never red"))
            continue
        place, t = simulated[node]
        in_order = expected.index(node) == red_in_chain.index(node)
        rows.append(HypothesisRow(node, i, place, t, "agrees" if in_order else "out of order"))
    for node, (place, t) in simulated.items():
        if node not in chain:
            rows.append(HypothesisRow(node, None, place, t, "not in the chain"))
    return HypothesisCheck(tuple(rows))
