"""DE06: the failure-mode matrix, component × mode, with effect and severity."""

from __future__ import annotations

from typing import Any

from app.ui.panels.base import EntityTablePanel
from app.ui.panels.context import accent, node_label, selected_nodes
from app.ui.panels.forms import FormField
from app.ui.panels.table import Column
from models.errors import BoardError

SEVERITY_ACCENTS = {5: "red", 4: "orange", 3: "yellow"}


def _level(what: str) -> Any:
    def commit(entity: Any, value: Any) -> dict[str, Any]:
        try:
            return {what: int(value)}
        except ValueError:
            raise BoardError(f"{what}: {value!r} is not a whole number from 1 to 5") from None
    return commit


class FailureModesPanel(EntityTablePanel):
    collection = "failure_modes"
    title = "Failure modes"
    hint = "How each component can fail (component × mode), what that does, how bad and how likely."
    prefix = "fm"

    def columns(self) -> list[Column]:
        board = self.context.board
        levels = [(str(i), str(i)) for i in range(1, 6)]
        return [
            Column("Component", lambda f: node_label(board, f.node), edit=lambda f: f.node,
                   commit=lambda f, v: {"node": v},
                   choices=lambda: [(n.id, n.label) for n in board.nodes]),
            Column("Failure mode", lambda f: f.name, commit=lambda f, v: {"name": v}),
            Column("Sev.", lambda f: str(f.severity), edit=lambda f: str(f.severity),
                   commit=_level("severity"), choices=levels,
                   color=lambda f: accent(SEVERITY_ACCENTS[f.severity]) if f.severity in SEVERITY_ACCENTS else None,
                   align_right=True),
            Column("Lik.", lambda f: str(f.likelihood), edit=lambda f: str(f.likelihood),
                   commit=_level("likelihood"), choices=levels, align_right=True),
            Column("Effect", lambda f: f.effect, commit=lambda f, v: {"effect": v}, stretch=True),
        ]

    def related_ids(self, entity: Any) -> list[str]:
        return [entity.node]

    def new_fields(self) -> dict[str, Any]:
        nodes = selected_nodes(self.context) or [n.id for n in self.context.board.nodes[:1]]
        if not nodes:
            raise BoardError("draw a component first: a failure mode belongs to a node")
        current = self.current_entity()
        node = nodes[0] if selected_nodes(self.context) or current is None else current.node
        return {"node": node, "name": "New failure mode"}

    def detail_fields(self) -> list[FormField]:
        return [FormField("Description", "text", lambda f: f.description,
                          lambda f, t: {"description": t}, height=50)]
