"""CO03: pipeline stages, serial or parallel, and which could be parallelised."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout

from app.ui.panels.base import EntityTablePanel
from app.ui.panels.context import labels, selected_nodes, tool_button
from app.ui.panels.forms import FormField
from app.ui.panels.table import Column
from models.errors import BoardError


class StagesPanel(EntityTablePanel):
    collection = "stages"
    title = "Pipeline stages"
    hint = "The request pipeline as stages: serial ones must wait for each other, parallel ones need not."
    prefix = "stage"

    def columns(self) -> list[Column]:
        board = self.context.board
        return [
            Column("Stage", lambda s: s.name, commit=lambda s, v: {"name": v}),
            Column("Mode", lambda s: s.mode, commit=lambda s, v: {"mode": v},
                   choices=[("serial", "serial"), ("parallel", "parallel")]),
            Column("Parallelisable", lambda s: "", check=lambda s: s.parallelisable,
                   commit=lambda s, v: {"parallelisable": v}),
            Column("Nodes", lambda s: labels(board, s.nodes, ", "), stretch=True),
        ]

    def related_ids(self, entity: Any) -> list[str]:
        return list(entity.nodes)

    def new_fields(self) -> dict[str, Any]:
        return {"name": "New stage", "nodes": selected_nodes(self.context)}

    def add_tools(self, toolbar: QHBoxLayout) -> None:
        self.nodes_button = tool_button("Nodes from selection", "Set the stage's nodes to the selected nodes",
                                        self.nodes_from_selection, "fa5s.object-group")
        toolbar.addWidget(self.nodes_button)

    def nodes_from_selection(self) -> None:
        entity = self.current_entity()
        nodes = selected_nodes(self.context)
        if entity is None:
            self.show_error("pick a stage first")
            return

        def update() -> None:
            if not nodes:
                raise BoardError("select the stage's nodes on the canvas first")
            self.context.editor.update("stages", entity.id, nodes=nodes)

        self.run(update)

    def detail_fields(self) -> list[FormField]:
        return [FormField("Notes", "text", lambda s: s.notes, lambda s, t: {"notes": t}, height=50)]
