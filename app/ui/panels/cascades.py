"""SY04: cascade scenarios: a trigger, ordered effects and the path they take."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout

from app.ui.panels.base import EntityTablePanel
from app.ui.panels.context import accent, labels, selected_nodes, tool_button
from app.ui.panels.forms import FormField, split_lines
from app.ui.panels.table import Column
from models.errors import BoardError

ORDERS = ("trigger", "primary", "first", "second", "third")
STYLES = [("red", "red"), ("orange", "orange"), ("dashed", "dashed")]


def format_effects(effects: tuple[Any, ...]) -> str:
    return "\n".join(f"{e.order}: {e.text}" for e in effects)


def parse_effects(text: str) -> list[dict[str, str]]:
    """``first: Engine queue fills`` a line; the order words are those of the script."""
    effects = []
    for line in split_lines(text):
        order, colon, rest = line.partition(":")
        if not colon or order.strip().lower() not in ORDERS:
            raise BoardError(f"effects: start each line with {', '.join(ORDERS)} and a colon (not {line!r})")
        effects.append({"order": order.strip().lower(), "text": rest.strip()})
    return effects


class CascadesPanel(EntityTablePanel):
    collection = "cascades"
    title = "Cascades"
    hint = "How one failure spreads: the trigger, the effects in order, and the path through the system."
    detail_share = 2
    prefix = "cascade"

    def columns(self) -> list[Column]:
        board = self.context.board
        return [
            Column("Scenario", lambda c: c.name, commit=lambda c, v: {"name": v}),
            Column("Trigger", lambda c: c.trigger, commit=lambda c, v: {"trigger": v}, stretch=True),
            Column("Path", lambda c: labels(board, c.path)),
            Column("Style", lambda c: c.style, commit=lambda c, v: {"style": v}, choices=STYLES,
                   color=lambda c: accent(c.style) if c.style in ("red", "orange") else None),
            Column("Effects", lambda c: str(len(c.effects)), align_right=True),
        ]

    def related_ids(self, entity: Any) -> list[str]:
        return list(entity.path)

    def new_fields(self) -> dict[str, Any]:
        return {"name": "New cascade", "trigger": "", "path": selected_nodes(self.context)}

    def add_tools(self, toolbar: QHBoxLayout) -> None:
        self.path_button = tool_button("Path from selection",
                                       "Set the cascade path to the nodes selected, in selection order",
                                       self.path_from_selection, "fa5s.route")
        toolbar.addWidget(self.path_button)

    def path_from_selection(self) -> None:
        entity = self.current_entity()
        nodes = selected_nodes(self.context)

        def update() -> None:
            if entity is None:
                raise BoardError("pick a cascade first")
            if not nodes:
                raise BoardError("select the path's nodes on the canvas, in order, first")
            self.context.editor.update("cascades", entity.id, path=nodes)

        self.run(update)

    def detail_fields(self) -> list[FormField]:
        return [
            FormField("Effects", "lines", lambda c: format_effects(c.effects),
                      lambda c, t: {"effects": parse_effects(t)}, "first: Engine queue fills", height=110),
            FormField("Chain", "line", lambda c: " → ".join(c.chain),
                      lambda c, t: {"chain": tuple(p.strip() for p in t.split("→") if p.strip())},
                      "Timeout → Retry → More load"),
        ]
